/* pdftext: what pdftotext does once started, in one process for many
 * files: each PDF opened with poppler and its pages' text extracted (the
 * same TextOutputDev), the text thrown away.  make bench times it beside
 * mailorder's own reading, so that neither pays a process start per file.
 *
 *   pdftext FILE...     prints "N files, T ms, T/N ms per file"
 */
#include <glib.h>
#include <poppler.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	gint64 t0 = g_get_monotonic_time();
	int done = 0;
	/* opened once and kept: as pdftotext's global state is built once per
	 * run, and as mailorder's reader keeps it */
	PopplerDocument *keep = NULL;

	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) err = NULL;
		g_autofree char *data = NULL;
		gsize len = 0;
		g_autoptr(GBytes) bytes = NULL;
		PopplerDocument *doc;

		if (!g_file_get_contents(argv[i], &data, &len, &err)) {
			fprintf(stderr, "pdftext: %s\n", err->message);
			return 1;
		}
		bytes = g_bytes_new_take(g_steal_pointer(&data), len);
		doc = poppler_document_new_from_bytes(bytes, NULL, &err);
		if (doc == NULL) {
			fprintf(stderr, "pdftext: %s: %s\n", argv[i], err->message);
			continue;
		}
		for (int p = 0; p < poppler_document_get_n_pages(doc); p++) {
			PopplerPage *page = poppler_document_get_page(doc, p);
			g_autofree char *text = poppler_page_get_text(page);

			g_object_unref(page);
		}
		if (keep == NULL)
			keep = doc;
		else
			g_object_unref(doc);
		done++;
	}
	if (keep != NULL)
		g_object_unref(keep);
	{
		double ms = (double)(g_get_monotonic_time() - t0) / 1e3;

		printf("%d files, %.1f ms, %.3f ms per file\n", done, ms, done ? ms / done : 0.0);
	}
	return 0;
}
