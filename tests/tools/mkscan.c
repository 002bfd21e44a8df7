/* mkscan: a scan of a PDF, as an office scanner makes it: the first page
 * rendered in grey, turned a little, a grey sheet with specks of dust,
 * written as an image-only PDF (no text layer, no form field).
 *
 *   mkscan IN.pdf OUT.pdf [--angle DEGREES] [--specks N] [--dpi N] [--seed N]
 *
 * Defaults: 1.5 degrees, 400 specks, 200 dpi, seed 1.  The tests make their
 * own scans with it (OCR end to end), from PDFs the tests make.
 */
#include <cairo.h>
#include <glib.h>
#include <hpdf.h>
#include <leptonica/allheaders.h>
#include <poppler.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf on_error;

static void hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	(void)data;
	fprintf(stderr, "mkscan: libharu error 0x%04x (detail %u)\n", (unsigned)code, (unsigned)detail);
	longjmp(on_error, 1);
}

static PIX *render(const char *file, double dpi, double *w_pt, double *h_pt)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *abs = g_canonicalize_filename(file, NULL);
	g_autofree char *uri = g_filename_to_uri(abs, NULL, &err);
	PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &err) : NULL;
	PopplerPage *page;
	cairo_surface_t *s;
	cairo_t *cr;
	PIX *pix;
	int w, h, stride;
	const unsigned char *data;

	if (doc == NULL) {
		fprintf(stderr, "mkscan: %s: %s\n", file, err ? err->message : "cannot open");
		return NULL;
	}
	page = poppler_document_get_page(doc, 0);
	poppler_page_get_size(page, w_pt, h_pt);
	w = (int)(*w_pt * dpi / 72);
	h = (int)(*h_pt * dpi / 72);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72, dpi / 72);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	pix = pixCreate(w, h, 8);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);

		for (int x = 0; x < w; x++)
			pixSetPixel(pix, x, y, ((row[x] >> 16 & 0xff) * 30 + (row[x] >> 8 & 0xff) * 59 +
						(row[x] & 0xff) * 11) / 100);
	}
	cairo_surface_destroy(s);
	g_object_unref(page);
	g_object_unref(doc);
	return pix;
}

/* An image-only PDF: the grey image raw (w x h) over the whole page. */
static int write_pdf(const char *out, const unsigned char *raw, int w, int h, double w_pt,
		     double h_pt)
{
	HPDF_Doc pdf = HPDF_New(hpdf_error, NULL);
	HPDF_Page page;
	HPDF_Image image;

	if (setjmp(on_error)) {
		HPDF_Free(pdf);
		return 1;
	}
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "mkscan (mailorder tests)");
	page = HPDF_AddPage(pdf);
	HPDF_Page_SetWidth(page, (HPDF_REAL)w_pt);
	HPDF_Page_SetHeight(page, (HPDF_REAL)h_pt);
	image = HPDF_LoadRawImageFromMem(pdf, raw, (HPDF_UINT)w, (HPDF_UINT)h, HPDF_CS_DEVICE_GRAY, 8);
	HPDF_Page_DrawImage(page, image, 0, 0, (HPDF_REAL)w_pt, (HPDF_REAL)h_pt);
	HPDF_SaveToFile(pdf, out);
	HPDF_Free(pdf);
	return 0;
}

int main(int argc, char **argv)
{
	double angle = 1.5, dpi = 200, w_pt = 0, h_pt = 0;
	int specks = 400;
	unsigned seed = 1;
	PIX *pix, *turned;
	g_autofree unsigned char *raw = NULL;
	int w, h;

	if (argc < 3) {
		fprintf(stderr, "usage: mkscan IN.pdf OUT.pdf [--angle D] [--specks N] [--dpi N] [--seed N]\n");
		return 2;
	}
	for (int i = 3; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--angle") == 0)
			angle = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--specks") == 0)
			specks = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--dpi") == 0)
			dpi = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--seed") == 0)
			seed = (unsigned)atoi(argv[i + 1]);
	}
	pix = render(argv[1], dpi, &w_pt, &h_pt);
	if (pix == NULL)
		return 1;
	turned = pixRotate(pix, (float)(angle * 3.14159265 / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE,
			   0, 0);
	pixDestroy(&pix);
	w = pixGetWidth(turned);
	h = pixGetHeight(turned);
	srand(seed);
	raw = g_malloc((size_t)w * (size_t)h);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			l_uint32 v;

			pixGetPixel(turned, x, y, &v);
			/* a grey sheet: white becomes light grey, with grain */
			raw[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)(v * 215 / 255 + rand() % 12);
		}
	}
	for (int i = 0; i < specks; i++) {
		int x = rand() % (w - 3), y = rand() % (h - 3);

		for (int dy = 0; dy < 2; dy++)
			for (int dx = 0; dx < 2; dx++)
				raw[(size_t)(y + dy) * (size_t)w + (size_t)(x + dx)] = 40;
	}
	pixDestroy(&turned);
	return write_pdf(argv[2], raw, w, h, w_pt, h_pt);
}
