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

/* Opens data as a PDF.  On anything but PDF_READABLE, *why_r (owned, in
 * French, for the clerk) says what is wrong; *pages_r gets the page count
 * when readable (may be NULL). */
pdf_status pdf_check(const void *data, size_t len, int *pages_r, char **why_r);

#endif
