/* ocr.h: the pages of a scan read by Tesseract into the page model.
 *
 * A page with no text layer is rendered by poppler (cairo) at OCR_DPI,
 * cleaned with Leptonica, Tesseract's own image library (grey background
 * evened out, deskewed, binarised, speckle and table rules removed), then
 * recognised in French and English.  Its words go into the page model
 * with their boxes, in PDF points like the text layer's, and Tesseract's
 * confidence in each, so that rules and the generic reader read a scan as
 * they read a PDF made by software.
 *
 * An engine is for one thread; Tesseract's models load when it is made
 * (tens of MB: make it only when a scan comes).
 */
#ifndef MO_OCR_H
#define MO_OCR_H

#include "pdf.h"

#include <glib.h>
#include <poppler.h>

#define OCR_DPI 300
#define OCR_LANGUAGES "fra+eng"

typedef struct ocr ocr;

/* NULL with the reason when Tesseract or its language data is missing. */
ocr *ocr_new(GError **error);
void ocr_free(ocr **o);

/* A word as Tesseract read it, without what an office scan adds around
 * it (bits of table rules: "|18"; dust read as quotes: "‘120"; a dot
 * after a number: "200."); NULL when nothing worth reading is left
 * (punctuation alone, but "&").  Owned. */
char *ocr_word_clean(const char *raw);

/* Reads page (page number index, from 0) into c->words (source
 * PDF_WORD_OCR, field -1), spending at most timeout_s seconds on the
 * recognition (what was read by then is kept).  Returns how many words it
 * added, or -1 with the reason (the page could not be rendered). */
int ocr_read_page(ocr *o, PopplerPage *page, int index, int timeout_s, pdf_content *c,
		  GError **error);

#endif
