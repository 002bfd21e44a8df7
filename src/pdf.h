/* pdf.h: opening an order PDF with poppler-glib.
 *
 * For now only the question intake asks first: can this document be read
 * at all?  Issue "Intake II" grows this into the page model (words, boxes,
 * form fields).
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

/* Opens data as a PDF.  On anything but PDF_READABLE, *why_r (owned, in
 * French, for the clerk) says what is wrong; *pages_r gets the page count
 * when readable (may be NULL). */
pdf_status pdf_check(pdf_reader *r, const void *data, size_t len, int *pages_r, char **why_r);

#endif
