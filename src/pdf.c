#include "pdf.h"

#include <poppler.h>

pdf_status pdf_check(const void *data, size_t len, int *pages_r, char **why_r)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len);
	g_autoptr(GError) err = NULL;
	PopplerDocument *doc;
	int pages;

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
