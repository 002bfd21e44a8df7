/* document.h: an order document read by the whole chain, once, the same
 * way for intake, `customer from-draft` and `rules check`: the PDF opened
 * (pdf.h, OCR for its scanned pages), laid out (reader.h), read by the
 * first rule that fits and the generic reader for the rest, and its text
 * outside the order lines (where party.h looks for the customer).
 */
#ifndef MO_DOCUMENT_H
#define MO_DOCUMENT_H

#include "reading/page.h"
#include "reading/pdf.h"
#include "reading/reader.h"
#include "reading/rules.h"

#include <glib.h>
#include <stddef.h>

typedef struct {
	page_content *content;      /* the page model */
	reader_layout *layout;      /* content laid out once */
	const char *text;           /* the layout's text (reader.h; borrowed from layout) */
	reading *reading;           /* the fields and lines */
	char *text_but_lines;       /* text without the rows read as order lines */
} document_reading;

void document_reading_free(document_reading *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(document_reading, document_reading_free)

/* Reads data with pr and rules (NULL: the generic reader alone), its
 * scanned pages by OCR (ocr.h: at most OCR_MAX_PAGES, ocr_timeout_s
 * seconds each); NULL when it cannot be opened, with *status_r and the
 * reason in *why_r (owned, French). */
document_reading *document_read(pdf_reader *pr, const rule_set *rules, const void *data,
				size_t len, int ocr_timeout_s, const reader_columns *learned,
				pdf_status *status_r, char **why_r);
/* The rest of the chain on a page model already made, which it takes;
 * learned: the sender's layout, learned (reader_read), or NULL. */
document_reading *document_read_content(const rule_set *rules, page_content *content,
					const reader_columns *learned);

#endif
