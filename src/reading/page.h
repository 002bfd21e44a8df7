/* page.h: the page model, one whatever the source of the text: the words
 * of a PDF's text layer, the values of its form fields (our own order
 * form, filled in digitally, has its values there and nowhere in the page
 * text), and the words OCR read on a scanned page.  Coordinates are PDF
 * points from the top-left corner of the page.  pdf.h fills it, ocr.h adds
 * to it, reader.h and rules read it.
 */
#ifndef MO_PAGE_H
#define MO_PAGE_H

#include <glib.h>

/* Pages of a document read at most; the rest of a longer one is ignored
 * (pdf.h reads no further; a kept model has no more). */
#define PAGE_MAX_PAGES 50

typedef enum {
	PAGE_WORD_TEXT,     /* the page's text layer */
	PAGE_WORD_FIELD,    /* a form field's value */
	PAGE_WORD_OCR,      /* read on the page's image (ocr.h) */
} page_word_source;

typedef struct {
	char *text;               /* UTF-8, no white space */
	int page;                 /* from 0 */
	double x0, y0, x1, y1;    /* its box, x0 < x1, y0 < y1 */
	page_word_source source;
	int field;                /* PAGE_WORD_FIELD: index in fields; else -1 */
	int confidence;           /* 0-100: the OCR's; 100 for text and fields */
} page_word;

typedef struct {
	char *name;               /* fully qualified field name */
	char *value;              /* UTF-8; "" when empty */
	int page;
	double x0, y0, x1, y1;
} page_field;

typedef struct {
	int n_pages;              /* of the document (at most PAGE_MAX_PAGES read) */
	GArray *scanned;          /* int: the pages (from 0) with an image but no text and
				   * no field: scans, for OCR */
	gboolean ocr_done;        /* the scanned pages were given to OCR (ocr.h): each
				   * read, beyond the budget, or failed */
	GArray *ocr_read;         /* int: the scanned pages read by OCR */
	GArray *ocr_not_read;     /* int: the scanned pages beyond the budget, not read */
	char *ocr_problem;        /* why OCR could not read a page, or NULL */
	GPtrArray *words;         /* page_word*: by page, then height on it, then x */
	GPtrArray *fields;        /* page_field*, in page order */
} page_content;

/* Empty, its arrays made (words and fields owned with their text). */
page_content *page_content_new(void);
void page_content_free(page_content *c);
/* Adds a word (text copied) with the box, source and field given, the
 * confidence 100 (the caller sets an OCR word's). */
page_word *page_content_add_word(page_content *c, const char *text, int page, double x0,
				 double y0, double x1, double y1, page_word_source source,
				 int field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(page_content, page_content_free)

/* Sorts the words: by page, then the middle of the word from the top,
 * then x (after words were added). */
void page_content_sort(page_content *c);

/* TRUE when c has scanned pages not yet given to OCR: its reading is not
 * finished (the first stage of intake leaves them to the OCR stage). */
gboolean page_content_ocr_pending(const page_content *c);

/* A page model kept (the reading of a filed document, so that no PDF is
 * read twice, scans above all; or the first part of a scan's reading,
 * its scanned pages pending, that the OCR stage starts from): every
 * value exactly, coordinates included, compressed.  Owned. */
GBytes *page_content_save(const page_content *c);
/* The page model saved; NULL with the reason when it is not one (it is
 * checked like any input: sizes, pages, boxes). */
page_content *page_content_load(GBytes *saved, GError **error);

#endif
