/* ocr.h: the scanned pages of a page model (pdf.h lists them) read by
 * Tesseract into it, each in a helper process (ocr_read_scans).
 *
 * A page with no text layer is rendered by poppler (cairo) at OCR_DPI,
 * cleaned with Leptonica, Tesseract's own image library (grey background
 * evened out, deskewed, binarised, speckle and table rules removed), then
 * recognised in French and English.  Its words go into the page model
 * with their boxes, in PDF points like the text layer's, and Tesseract's
 * confidence in each, so that rules and the generic reader read a scan as
 * they read a PDF made by software.
 *
 * Only the helper loads Tesseract's models (about 25 MB); this program
 * itself never does.
 */
#ifndef MO_OCR_H
#define MO_OCR_H

#include "reading/page.h"

#include <glib.h>
#include <stddef.h>

#define OCR_DPI 300
/* The helper's time beyond ocr_timeout_s: Tesseract loads its models (a
 * few seconds at most) before it reads. */
#define OCR_HELPER_GRACE_S 30
#define OCR_LANGUAGES "fra+eng"

/* Scanned pages read by OCR at most, per message (or per file for `rules
 * check`): a purchase order is a page or two, and OCR takes up to
 * ocr_timeout_s a page (and the helper's grace) on one of the OCR lanes. */
#define OCR_MAX_PAGES 5

/* Reads by OCR the scanned pages of c (pdf.h lists them) not yet given to
 * OCR, from the PDF's bytes, each in a helper (ocr_read_page_isolated)
 * at most timeout_s seconds, while *pages_left allows (it counts down;
 * the pages beyond go to c->ocr_not_read).  The pages read go to
 * c->ocr_read, the failures to c->ocr_problem (each page named); the words are sorted
 * again and c->ocr_done set; nothing is done when no page is pending
 * (page_content_ocr_pending).  The calling thread's guard (guard.h) does
 * not count the time spent waiting for the helpers.  Returns the pages
 * read. */
int ocr_read_scans(const void *pdf, size_t len, page_content *c, int timeout_s, int *pages_left);

/* A word as Tesseract read it, without what an office scan adds around
 * it (bits of table rules: "|18"; dust read as quotes: "‘120"; a dot
 * after a number: "200."); NULL when nothing worth reading is left
 * (punctuation alone, but "&").  Owned. */
char *ocr_word_clean(const char *raw);

/* Reads page index (from 0) of the PDF into c->words (source
 * PAGE_WORD_OCR, field -1), spending at most timeout_s seconds on the
 * recognition (what was read by then is kept), in a process of its own:
 * this program run as its helper (`mailorder ocr-page PAGE TIMEOUT_S`,
 * the whole PDF on its standard input: no file of it anywhere).  A crash
 * or a hang of the recognition costs that page only, never the intake
 * (the helper is killed past its time), and the memory of Tesseract's
 * models comes back when the helper ends.  Returns the words
 * added, or -1 with *problem_r (owned, French) saying what became of the
 * helper. */
int ocr_read_page_isolated(const void *pdf, size_t len, int index, int timeout_s, page_content *c,
			   char **problem_r);

/* The page model's words (c->words, source PAGE_WORD_OCR, page index)
 * from what the helper printed; a line that is not "x0 y0 x1 y1
 * confidence text" with a box inside a page is skipped (the helper is
 * trusted no more than any input).  Returns how many were added. */
int ocr_words_from_helper(const char *text, int index, page_content *c);

/* The helper's side: prints the words of the page, one a line, as
 * "x0 y0 x1 y1 confidence text" (points, tab-separated).  Exit code. */
int ocr_page_main(int argc, char **argv);

#endif
