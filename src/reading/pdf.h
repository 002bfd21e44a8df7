/* pdf.h: an order PDF read with poppler-glib into the page model
 * (page.h: words with their boxes, form fields), or the reason it cannot
 * be.  Scanned pages (an image, no text, no field) are listed for OCR
 * (ocr.h), not read here.  No poppler type leaves this module and the OCR
 * helper.
 */
#ifndef MO_PDF_H
#define MO_PDF_H

#include "reading/page.h"

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
/* Reads the words and fields of data.  NULL when it cannot be opened,
 * with the status in *status_r and the reason in *why_r (owned, French). */
page_content *pdf_read(pdf_reader *r, const void *data, size_t len, pdf_status *status_r,
		      char **why_r);

#endif
