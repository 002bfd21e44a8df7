#include "pdf.h"

#include <poppler.h>

struct pdf_reader {
	GBytes *keepalive_bytes;
	PopplerDocument *keepalive;
};

/* A one-page PDF with a correct cross-reference table (so that poppler has
 * nothing to repair and nothing to print). */
static GBytes *tiny_pdf(void)
{
	static const char *const objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
	};
	GString *pdf = g_string_new("%PDF-1.4\n");
	size_t offsets[G_N_ELEMENTS(objects)];
	size_t xref;

	for (size_t i = 0; i < G_N_ELEMENTS(objects); i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS(objects) + 1);
	for (size_t i = 0; i < G_N_ELEMENTS(objects); i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
			       G_N_ELEMENTS(objects) + 1, xref);
	return g_string_free_to_bytes(pdf);
}

pdf_reader *pdf_reader_new(void)
{
	pdf_reader *r = g_new0(pdf_reader, 1);

	r->keepalive_bytes = tiny_pdf();
	/* NULL is harmless: documents still open, only slower. */
	r->keepalive = poppler_document_new_from_bytes(r->keepalive_bytes, NULL, NULL);
	return r;
}

void pdf_reader_free(pdf_reader **rp)
{
	pdf_reader *r = *rp;

	if (r == NULL)
		return;
	*rp = NULL;
	g_clear_object(&r->keepalive);
	g_bytes_unref(r->keepalive_bytes);
	g_free(r);
}

pdf_status pdf_check(pdf_reader *r, const void *data, size_t len, int *pages_r, char **why_r)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len);
	g_autoptr(GError) err = NULL;
	PopplerDocument *doc;
	int pages;

	(void)r;  /* its presence is what matters: see pdf.h */
	*why_r = NULL;
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		if (g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
			*why_r = g_strdup("PDF protégé par un mot de passe : il ne peut pas être lu");
			return PDF_ENCRYPTED;
		}
		*why_r = g_strdup_printf("PDF illisible (%s)", err ? err->message : "erreur inconnue");
		return PDF_CORRUPT;
	}
	pages = poppler_document_get_n_pages(doc);
	g_object_unref(doc);
	if (pages <= 0) {
		*why_r = g_strdup("PDF sans aucune page");
		return PDF_CORRUPT;
	}
	if (pages_r != NULL)
		*pages_r = pages;
	return PDF_READABLE;
}
