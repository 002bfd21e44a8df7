/* pdf: the page model, from PDFs made here: a text layer, form fields
 * without appearance streams (as our order form filled digitally), an
 * encrypted-looking and a broken file. */
#include "reading/pdf.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

/* A PDF from its objects (numbered from 1), with a correct xref. */
static GBytes *make_pdf(const char *const *objects, size_t n, const char *trailer_extra)
{
	GString *pdf = g_string_new("%PDF-1.4\n");
	g_autofree size_t *offsets = g_new(size_t, n);
	size_t xref;

	for (size_t i = 0; i < n; i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R %s>>\nstartxref\n%zu\n%%%%EOF\n",
			       n + 1, trailer_extra ? trailer_extra : "", xref);
	return g_string_free_to_bytes(pdf);
}

static char *stream(const char *content)
{
	return g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream", strlen(content), content);
}

/* The words of c as "text@page" joined by spaces, for one source. */
static char *words_of(const page_content *c, page_word_source source)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < c->words->len; i++) {
		const page_word *w = c->words->pdata[i];

		if (w->source == source)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", w->text);
	}
	return g_string_free(out, FALSE);
}

static const page_word *find_word(const page_content *c, const char *text)
{
	for (guint i = 0; i < c->words->len; i++) {
		const page_word *w = c->words->pdata[i];

		if (strcmp(w->text, text) == 0)
			return w;
	}
	return NULL;
}

static void test_text_layer(pdf_reader *r)
{
	g_autofree char *content = stream(
		"BT /F1 12 Tf 50 750 Td (Bon de commande BC-118) Tj ET\n"
		"BT /F1 10 Tf 50 700 Td (BIO-1001) Tj ET\n"
		"BT /F1 10 Tf 300 700 Td (12) Tj ET\n"
		"BT /F1 10 Tf 50 680 Td (BIO-1002) Tj ET\n"
		"BT /F1 10 Tf 300 680 Td (3) Tj ET");
	const char *objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
		" /Resources << /Font << /F1 5 0 R >> >> >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	};
	g_autoptr(GBytes) pdf = make_pdf(objects, G_N_ELEMENTS(objects), NULL);
	g_autofree char *why = NULL;
	g_autofree char *text = NULL;
	pdf_status status;
	g_autoptr(page_content) c = pdf_read(r, g_bytes_get_data(pdf, NULL), g_bytes_get_size(pdf),
					    &status, &why);
	const page_word *title, *qty, *ref;

	ok(c != NULL && status == PDF_READABLE, "a text PDF is read");
	if (c == NULL)
		return;
	is_int(c->n_pages, 1, "one page");
	text = words_of(c, PAGE_WORD_TEXT);
	is_str(text, "Bon de commande BC-118 BIO-1001 12 BIO-1002 3", "its words, top to bottom, left to right");
	title = find_word(c, "BC-118");
	ok(title != NULL && title->y0 > 80 && title->y1 < 100 && title->x0 > 100,
	   "a word's box is in points from the top-left corner");
	qty = find_word(c, "12");
	ref = find_word(c, "BIO-1001");
	ok(qty && ref && qty->x0 >= 299 && qty->x0 < 302 && ref->x0 >= 49 && ref->x0 < 52,
	   "columns keep their x");
	ok(qty && ref && qty->y0 - ref->y0 < 1 && ref->y0 - qty->y0 < 1, "a line keeps its y");
	is_int(c->fields->len, 0, "no form fields");
}

static void test_form_fields(pdf_reader *r)
{
	/* Our form filled in digitally: values in /V, no appearance stream,
	 * NeedAppearances; the page itself has only the printed labels. */
	g_autofree char *content = stream("BT /F1 10 Tf 50 750 Td (Client :) Tj ET");
	const char *objects[] = {
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 7 0 R 8 0 R]"
		" /NeedAppearances true /DA (/Helv 0 Tf 0 g) >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
		" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 7 0 R 8 0 R] >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (client) /V (Bio P\\351rigord)"
		" /Rect [120 740 400 760] /P 3 0 R /F 4 >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (qte_1) /V (12)"
		" /Rect [300 600 340 620] /P 3 0 R /F 4 >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (vide) /Rect [300 500 340 520] /P 3 0 R /F 4 >>",
	};
	g_autoptr(GBytes) pdf = make_pdf(objects, G_N_ELEMENTS(objects), NULL);
	g_autofree char *why = NULL;
	g_autofree char *fields_text = NULL;
	pdf_status status;
	g_autoptr(page_content) c = pdf_read(r, g_bytes_get_data(pdf, NULL), g_bytes_get_size(pdf),
					    &status, &why);
	const page_field *client = NULL, *qty = NULL;
	const page_word *w;

	ok(c != NULL, "a filled form is read");
	if (c == NULL)
		return;
	for (guint i = 0; i < c->fields->len; i++) {
		const page_field *f = c->fields->pdata[i];

		if (strcmp(f->name, "client") == 0)
			client = f;
		if (strcmp(f->name, "qte_1") == 0)
			qty = f;
	}
	is_int(c->fields->len, 3, "its three fields");
	is_str(client ? client->value : NULL, "Bio Périgord", "a text field's value, in UTF-8");
	is_str(qty ? qty->value : NULL, "12", "another");
	ok(qty && qty->x0 == 300 && qty->x1 == 340 && qty->y0 == 842 - 620 && qty->y1 == 842 - 600,
	   "a field's box from the top-left corner");
	fields_text = words_of(c, PAGE_WORD_FIELD);
	is_str(fields_text, "Bio Périgord 12", "field values are words too, in reading order");
	w = find_word(c, "Périgord");
	ok(w && w->page == 0 && w->x0 >= 120 && w->x1 <= 400, "placed within their field");
	{
		g_autofree char *printed = words_of(c, PAGE_WORD_TEXT);

		is_str(printed, "Client :", "the printed label stays a text word");
	}
}

static void test_unreadable(pdf_reader *r)
{
	static const char broken[] = "%PDF-1.4\n1 0 obj << /Type /Catalog garbage";
	g_autofree char *why = NULL;
	pdf_status status = PDF_READABLE;
	page_content *c = pdf_read(r, broken, sizeof broken - 1, &status, &why);

	ok(c == NULL && status == PDF_CORRUPT, "a broken PDF is not read");
	ok(why != NULL && g_str_has_prefix(why, "PDF illisible"), "and the reason is given in French");
	page_content_free(c);
}

static void test_scanned_pages(pdf_reader *r)
{
	/* Three pages: a scan (an image, nothing else), a typed page, and a
	 * blank one (neither text nor image: no scan). */
	g_autofree char *draw = stream("q 595 0 0 842 0 0 cm /Im0 Do Q");
	g_autofree char *typed = stream("BT /F1 12 Tf 50 750 Td (Suite) Tj ET");
	g_autofree char *blank = stream("");
	const char *objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 6 0 R 8 0 R] /Count 3 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
		" /Resources << /XObject << /Im0 5 0 R >> >> >>",
		draw,
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
		" /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x80\x80\x80\nendstream",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R"
		" /Resources << /Font << /F1 10 0 R >> >> >>",
		typed,
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 9 0 R >>",
		blank,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	};
	g_autoptr(GBytes) pdf = make_pdf(objects, G_N_ELEMENTS(objects), NULL);
	g_autofree char *why = NULL;
	g_autofree char *text = NULL;
	pdf_status status;
	g_autoptr(page_content) c = pdf_read(r, g_bytes_get_data(pdf, NULL), g_bytes_get_size(pdf),
					    &status, &why);

	ok(c != NULL, "a PDF with a scanned page is read");
	if (c == NULL)
		return;
	is_int(c->n_pages, 3, "its three pages");
	ok(c->scanned->len == 1 && g_array_index(c->scanned, int, 0) == 0,
	   "the image-only page is listed as scanned, the blank one not");
	ok(page_content_ocr_pending(c) && c->ocr_read->len == 0,
	   "and left to OCR: pdf_read reads no image");
	text = words_of(c, PAGE_WORD_TEXT);
	is_str(text, "Suite", "the typed page's words only");
}

int main(void)
{
	pdf_reader *r = pdf_reader_new();

	test_text_layer(r);
	test_form_fields(r);
	test_unreadable(r);
	test_scanned_pages(r);
	pdf_reader_free(&r);
	return tap_done();
}
