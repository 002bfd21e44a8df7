/* pdf.h: an order PDF read with poppler-glib into the page model below
 * (words with their boxes, form fields), or the reason it cannot be.
 */
#ifndef MO_PDF_H
#define MO_PDF_H

#include <glib.h>
#include <stddef.h>

typedef enum {
	PDF_READABLE,
	PDF_ENCRYPTED,   /* a user password is needed to open it */
	PDF_CORRUPT,     /* poppler cannot parse it */
} pdf_status;

/* What documents are opened with.  poppler builds its global state (font
 * tables, encodings) when the first document opens and tears it down when
 * the last one closes, which costs more than reading an order: a reader
 * keeps a tiny document open so that this happens once.  One per thread. */
typedef struct pdf_reader pdf_reader;

pdf_reader *pdf_reader_new(void);
void pdf_reader_free(pdf_reader **r);
/* Pages with no text and no form field are read by OCR (ocr.h), at most
 * timeout_s seconds each; the engine is made at the first such page.
 * Off until this is called (such pages are then only counted). */
void pdf_reader_enable_ocr(pdf_reader *r, int timeout_s);
/* How many pages OCR may read from now on (PDF_MAX_OCR_PAGES when OCR is
 * enabled): set for each message; pages beyond are counted in
 * ocr_skipped, not read. */
void pdf_reader_set_ocr_budget(pdf_reader *r, int pages);

/* ---------------------------------------------------------------- content
 * One page model, whatever the source of the text: the words of the text
 * layer, and the values of the form fields (our own order form, filled in
 * digitally, has its values there and nowhere in the page text).  Later
 * OCR (issue "Intake III") adds words of its own.  Coordinates are PDF
 * points from the top-left corner of the page.
 */

typedef enum {
	PDF_WORD_TEXT,     /* the page's text layer */
	PDF_WORD_FIELD,    /* a form field's value */
	PDF_WORD_OCR,      /* read on the page's image (ocr.h) */
} pdf_word_source;

typedef struct {
	char *text;               /* UTF-8, no white space */
	int page;                 /* from 0 */
	double x0, y0, x1, y1;    /* its box, x0 < x1, y0 < y1 */
	pdf_word_source source;
	int field;                /* PDF_WORD_FIELD: index in fields; else -1 */
	int confidence;           /* 0-100: the OCR's; 100 for text and fields */
} pdf_word;

typedef struct {
	char *name;               /* fully qualified field name */
	char *value;              /* UTF-8; "" when empty */
	int page;
	double x0, y0, x1, y1;
} pdf_field;

/* Pages read at most; the rest of a longer document is ignored. */
#define PDF_MAX_PAGES 50
/* Scanned pages read by OCR at most, per message: a purchase order is a
 * page or two, and OCR takes up to ocr_timeout_s a page (and the helper's
 * grace, OCR_HELPER_GRACE_S) on one of the OCR lanes. */
#define PDF_MAX_OCR_PAGES 5

typedef struct {
	int n_pages;              /* of the document (at most PDF_MAX_PAGES read) */
	int scanned_pages;        /* pages with an image but no text and no field: scans */
	int ocr_pages;            /* of them, pages read by OCR */
	int ocr_skipped;          /* scanned pages beyond the OCR budget, not read */
	GArray *ocr_read;         /* int: the pages (from 0) read by OCR */
	GArray *ocr_not_read;     /* int: the scanned pages beyond the budget */
	char *ocr_problem;        /* why OCR could not be done, or NULL */
	GPtrArray *words;         /* pdf_word*: by page, then height on it, then x */
	GPtrArray *fields;        /* pdf_field*, in page order */
} pdf_content;

void pdf_content_free(pdf_content *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(pdf_content, pdf_content_free)

/* Reads the words and fields of data.  NULL when it cannot be opened,
 * with the status in *status_r and the reason in *why_r (owned, French). */
pdf_content *pdf_read(pdf_reader *r, const void *data, size_t len, pdf_status *status_r,
		      char **why_r);

#endif
