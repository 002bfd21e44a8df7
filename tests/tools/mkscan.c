/* mkscan: a scan of a PDF, as an office scanner makes it: each page (ten
 * at most) rendered in grey, turned a little, a grey sheet with specks of
 * dust, written as an image-only PDF (no text layer, no form field).
 *
 *   mkscan IN.pdf OUT.pdf [--angle DEGREES] [--specks N] [--dpi N] [--seed N]
 *                         [--jpeg QUALITY]
 *
 * Defaults: 1.5 degrees, 400 specks, 200 dpi, seed 1, images stored raw
 * (Flate); --jpeg stores them as JPEG of that quality, as scanners do
 * (a page of a few hundred KB instead of megabytes).  The tests make their
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

static PopplerDocument *open_pdf(const char *file)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *abs = g_canonicalize_filename(file, NULL);
	g_autofree char *uri = g_filename_to_uri(abs, NULL, &err);
	PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &err) : NULL;

	if (doc == NULL)
		fprintf(stderr, "mkscan: %s: %s\n", file, err ? err->message : "cannot open");
	return doc;
}

static PIX *render(PopplerDocument *doc, int index, double dpi, double *w_pt, double *h_pt)
{
	PopplerPage *page;
	cairo_surface_t *s;
	cairo_t *cr;
	PIX *pix;
	int w, h, stride;
	const unsigned char *data;

	page = poppler_document_get_page(doc, index);
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
	return pix;
}

typedef struct {
	unsigned char *raw;     /* grey, w x h */
	int w, h;
	double w_pt, h_pt;
} scanned_page;

/* An image-only PDF: each page's grey image over the whole page. */
static int write_pdf(const char *out, const scanned_page *pages, int n, int jpeg)
{
	HPDF_Doc pdf = HPDF_New(hpdf_error, NULL);

	if (setjmp(on_error)) {
		HPDF_Free(pdf);
		return 1;
	}
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "mkscan (mailorder tests)");
	for (int i = 0; i < n; i++) {
		const scanned_page *sp = &pages[i];
		HPDF_Page page = HPDF_AddPage(pdf);
		HPDF_Image image;

		HPDF_Page_SetWidth(page, (HPDF_REAL)sp->w_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)sp->h_pt);
		if (jpeg > 0) {
			PIX *pix = pixCreate(sp->w, sp->h, 8);
			l_uint8 *data = NULL;
			size_t size = 0;

			for (int y = 0; y < sp->h; y++)
				for (int x = 0; x < sp->w; x++)
					pixSetPixel(pix, x, y, sp->raw[(size_t)y * (size_t)sp->w + (size_t)x]);
			if (pixWriteMemJpeg(&data, &size, pix, jpeg, 0) != 0) {
				fprintf(stderr, "mkscan: cannot write a JPEG\n");
				pixDestroy(&pix);
				HPDF_Free(pdf);
				return 1;
			}
			pixDestroy(&pix);
			image = HPDF_LoadJpegImageFromMem(pdf, data, (HPDF_UINT)size);
			free(data);
		} else {
			image = HPDF_LoadRawImageFromMem(pdf, sp->raw, (HPDF_UINT)sp->w,
							 (HPDF_UINT)sp->h, HPDF_CS_DEVICE_GRAY, 8);
		}
		HPDF_Page_DrawImage(page, image, 0, 0, (HPDF_REAL)sp->w_pt, (HPDF_REAL)sp->h_pt);
	}
	HPDF_SaveToFile(pdf, out);
	HPDF_Free(pdf);
	return 0;
}

int main(int argc, char **argv)
{
	double angle = 1.5, dpi = 200;
	int specks = 400, n, rc, jpeg = 0;
	unsigned seed = 1;
	PopplerDocument *doc;
	scanned_page *pages;

	if (argc < 3) {
		fprintf(stderr, "usage: mkscan IN.pdf OUT.pdf [--angle D] [--specks N] [--dpi N] [--seed N] "
				"[--jpeg Q]\n");
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
		else if (strcmp(argv[i], "--jpeg") == 0)
			jpeg = atoi(argv[i + 1]);
	}
	doc = open_pdf(argv[1]);
	if (doc == NULL)
		return 1;
	n = MIN(poppler_document_get_n_pages(doc), 10);
	pages = g_new0(scanned_page, (gsize)MAX(n, 1));
	srand(seed);
	for (int p = 0; p < n; p++) {
		scanned_page *sp = &pages[p];
		PIX *pix = render(doc, p, dpi, &sp->w_pt, &sp->h_pt);
		PIX *turned;
		int w, h;

		/* each sheet fed a little differently */
		turned = pixRotate(pix, (float)((angle + 0.3 * p) * 3.14159265 / 180), L_ROTATE_AREA_MAP,
				   L_BRING_IN_WHITE, 0, 0);
		pixDestroy(&pix);
		w = sp->w = pixGetWidth(turned);
		h = sp->h = pixGetHeight(turned);
		sp->raw = g_malloc((size_t)w * (size_t)h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				l_uint32 v;

				pixGetPixel(turned, x, y, &v);
				/* a grey sheet: white becomes light grey, with grain */
				sp->raw[(size_t)y * (size_t)w + (size_t)x] =
					(unsigned char)(v * 215 / 255 + rand() % 12);
			}
		}
		for (int i = 0; i < specks; i++) {
			int x = rand() % (w - 3), y = rand() % (h - 3);

			for (int dy = 0; dy < 2; dy++)
				for (int dx = 0; dx < 2; dx++)
					sp->raw[(size_t)(y + dy) * (size_t)w + (size_t)(x + dx)] = 40;
		}
		pixDestroy(&turned);
	}
	g_object_unref(doc);
	rc = write_pdf(argv[2], pages, n, jpeg);
	for (int p = 0; p < n; p++)
		g_free(pages[p].raw);
	g_free(pages);
	return rc;
}
