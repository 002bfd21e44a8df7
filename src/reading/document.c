/* document.c: the reading chain, written once. */
#include "reading/document.h"

#include "reading/ocr.h"

void document_reading_free(document_reading *d)
{
	if (d == NULL)
		return;
	reading_free(d->reading);
	g_free(d->text_but_lines);
	/* the layout points into the content: it goes first */
	reader_layout_free(d->layout);
	page_content_free(d->content);
	g_free(d);
}

document_reading *document_read_content(const rule_set *rules, page_content *content,
					const reader_columns *learned)
{
	document_reading *d = g_new0(document_reading, 1);

	d->content = content;
	d->layout = reader_layout_new(content);
	d->text = reader_layout_text(d->layout);
	d->reading = reader_read(rules, content, d->layout, learned);
	d->text_but_lines = reader_text_but_lines(d->text, d->reading);
	return d;
}

document_reading *document_read(pdf_reader *pr, const rule_set *rules, const void *data,
				size_t len, int ocr_timeout_s, const reader_columns *learned,
				pdf_status *status_r, char **why_r)
{
	page_content *content = pdf_read(pr, data, len, status_r, why_r);
	int pages_left = OCR_MAX_PAGES;

	if (content == NULL)
		return NULL;
	ocr_read_scans(data, len, content, ocr_timeout_s, &pages_left);
	return document_read_content(rules, content, learned);
}
