#include "reading/ocr.h"

#include "lib/crashpoint.h"
#include "lib/error.h"
#include "lib/guard.h"

#include <cairo.h>
#include <poppler.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>
#include <tesseract/capi.h>

/* The colour surface a page is rendered through, a band at a time. */
#define OCR_BAND_BYTES (8u << 20)
/* Pages larger than this (in points, about A3) are rendered at a lower
 * resolution: a hostile page size must not cost unbounded memory. */
#define OCR_MAX_PIXELS (4000.0 * 5700.0)

typedef struct ocr ocr;
struct ocr {
	TessBaseAPI *api;
};

/* Tesseract is loaded at the first scan, not with the program: its
 * OpenMP runtime reads its thread limit once, when it loads (more threads
 * than CPUs spin: OCR five times slower on two), so the limit is set just
 * before; and the commands that never read a scan do not pay for loading
 * it (nor its libraries, libarchive and libcurl among them). */
#define TESSERACT_LIBRARY "libtesseract.so.5"

static struct {
	__typeof__(TessBaseAPIClear) *TessBaseAPIClear;
	__typeof__(TessBaseAPICreate) *TessBaseAPICreate;
	__typeof__(TessBaseAPIDelete) *TessBaseAPIDelete;
	__typeof__(TessBaseAPIEnd) *TessBaseAPIEnd;
	__typeof__(TessBaseAPIGetIterator) *TessBaseAPIGetIterator;
	__typeof__(TessBaseAPIInit3) *TessBaseAPIInit3;
	__typeof__(TessBaseAPIRecognize) *TessBaseAPIRecognize;
	__typeof__(TessBaseAPISetImage2) *TessBaseAPISetImage2;
	__typeof__(TessBaseAPISetPageSegMode) *TessBaseAPISetPageSegMode;
	__typeof__(TessBaseAPISetSourceResolution) *TessBaseAPISetSourceResolution;
	__typeof__(TessBaseAPISetVariable) *TessBaseAPISetVariable;
	__typeof__(TessDeleteText) *TessDeleteText;
	__typeof__(TessMonitorCreate) *TessMonitorCreate;
	__typeof__(TessMonitorDelete) *TessMonitorDelete;
	__typeof__(TessMonitorSetDeadlineMSecs) *TessMonitorSetDeadlineMSecs;
	__typeof__(TessPageIteratorBoundingBox) *TessPageIteratorBoundingBox;
	__typeof__(TessResultIteratorConfidence) *TessResultIteratorConfidence;
	__typeof__(TessResultIteratorDelete) *TessResultIteratorDelete;
	__typeof__(TessResultIteratorGetPageIteratorConst) *TessResultIteratorGetPageIteratorConst;
	__typeof__(TessResultIteratorGetUTF8Text) *TessResultIteratorGetUTF8Text;
	__typeof__(TessResultIteratorNext) *TessResultIteratorNext;
} tess;
static char *tess_problem;

static gpointer load_tesseract(gpointer unused)
{
	void *lib;

	(void)unused;
	/* a site that wants more threads sets it itself */
	g_setenv("OMP_THREAD_LIMIT", "1", FALSE);
	lib = dlopen(TESSERACT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		tess_problem = g_strdup_printf("impossible de charger Tesseract (%s) : %s", TESSERACT_LIBRARY,
					       dlerror());
		return NULL;
	}
#define LOAD(f)                                                                           \
	do {                                                                              \
		*(void **)&tess.f = dlsym(lib, #f);                                       \
		if (tess.f == NULL) {                                                     \
			tess_problem = g_strdup_printf("%s n'a pas %s", TESSERACT_LIBRARY, #f); \
			return NULL;                                                      \
		}                                                                         \
	} while (0)
	LOAD(TessBaseAPIClear);
	LOAD(TessBaseAPICreate);
	LOAD(TessBaseAPIDelete);
	LOAD(TessBaseAPIEnd);
	LOAD(TessBaseAPIGetIterator);
	LOAD(TessBaseAPIInit3);
	LOAD(TessBaseAPIRecognize);
	LOAD(TessBaseAPISetImage2);
	LOAD(TessBaseAPISetPageSegMode);
	LOAD(TessBaseAPISetSourceResolution);
	LOAD(TessBaseAPISetVariable);
	LOAD(TessDeleteText);
	LOAD(TessMonitorCreate);
	LOAD(TessMonitorDelete);
	LOAD(TessMonitorSetDeadlineMSecs);
	LOAD(TessPageIteratorBoundingBox);
	LOAD(TessResultIteratorConfidence);
	LOAD(TessResultIteratorDelete);
	LOAD(TessResultIteratorGetPageIteratorConst);
	LOAD(TessResultIteratorGetUTF8Text);
	LOAD(TessResultIteratorNext);
#undef LOAD
	return lib;   /* kept loaded for the life of the program */
}


/* NULL with the reason when Tesseract or its language data is missing.
 * An engine is for one thread; Tesseract's models load when it is made. */
static ocr *ocr_new(GError **error)
{
	static GOnce once = G_ONCE_INIT;
	ocr *o;

	if (g_once(&once, load_tesseract, NULL) == NULL) {
		g_set_error_literal(error, MO_ERROR, MO_ERROR_FAILED, tess_problem);
		return NULL;
	}
	o = g_new0(ocr, 1);
	o->api = tess.TessBaseAPICreate();
	if (tess.TessBaseAPIInit3(o->api, NULL, OCR_LANGUAGES) != 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "Tesseract ne peut pas charger ses langues %s (paquets tesseract-ocr-fra, "
			    "tesseract-ocr-eng)", OCR_LANGUAGES);
		tess.TessBaseAPIDelete(o->api);
		g_free(o);
		return NULL;
	}
	/* The page as one block of lines: a table's rows are read whole
	 * (the full layout analysis, like sparse-text mode, takes a column of
	 * one-digit quantities for noise) and the words keep their boxes, the
	 * reader sets them in columns again.  No block finding at all: it
	 * costs 3 to 4 MB of page-sized images and 10 % of the time, and
	 * reads no better (make bench, OCR accuracy: 129 of 132 lines right
	 * either way). */
	tess.TessBaseAPISetPageSegMode(o->api, PSM_SINGLE_BLOCK);
	tess.TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
	return o;
}

static void ocr_free(ocr **op)
{
	ocr *o = *op;

	if (o == NULL)
		return;
	*op = NULL;
	tess.TessBaseAPIEnd(o->api);
	tess.TessBaseAPIDelete(o->api);
	g_free(o);
}

/* The page rendered white-backed at dpi, as 8-bit grey. */
static PIX *render_grey(PopplerPage *page, double dpi, GError **error)
{
	double w_pt = 0, h_pt = 0;
	int w, h, stride, band;
	cairo_surface_t *surface;
	cairo_t *cr;
	const unsigned char *data;
	PIX *pix;
	l_uint32 *pdata;
	int wpl;

	poppler_page_get_size(page, &w_pt, &h_pt);
	/* PDF pages are at most 14,400 pt a side */
	if (!(w_pt > 0 && w_pt <= 14400 && h_pt > 0 && h_pt <= 14400)) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "page of an impossible size (%g x %g pt)",
			    w_pt, h_pt);
		return NULL;
	}
	w = (int)(w_pt * dpi / 72.0);
	h = (int)(h_pt * dpi / 72.0);
	if (w < 1 || h < 1) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "page of no size (%.0f x %.0f pt)", w_pt,
			    h_pt);
		return NULL;
	}
	pix = pixCreate(w, h, 8);
	if (pix == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "no memory for a %d x %d page", w, h);
		return NULL;
	}
	pixSetResolution(pix, (int)dpi, (int)dpi);
	pdata = pixGetData(pix);
	wpl = pixGetWpl(pix);
	/* In bands: a colour surface of the whole page would be four times
	 * the grey image (35 MB for A4), the helper's largest allocation. */
	band = MAX(1, MIN(h, (int)(OCR_BAND_BYTES / ((size_t)w * 4))));
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, band);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de dessiner une page de %d x %d", w, h);
		cairo_surface_destroy(surface);
		pixDestroy(&pix);
		return NULL;
	}
	data = cairo_image_surface_get_data(surface);
	stride = cairo_image_surface_get_stride(surface);
	for (int top = 0; top < h; top += band) {
		int rows = MIN(band, h - top);

		cr = cairo_create(surface);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_translate(cr, 0, -top);
		cairo_scale(cr, dpi / 72.0, dpi / 72.0);
		poppler_page_render(page, cr);
		cairo_destroy(cr);
		cairo_surface_flush(surface);
		for (int y = 0; y < rows; y++) {
			const uint32_t *row =
				(const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
			l_uint32 *line = pdata + (size_t)(top + y) * (size_t)wpl;

			for (int x = 0; x < w; x++) {
				uint32_t px = row[x];
				unsigned r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

				SET_DATA_BYTE(line, x, (r * 30 + g * 59 + b * 11) / 100);
			}
		}
	}
	cairo_surface_destroy(surface);
	return pix;
}

/* Specks: dots of ink (under about half a millimetre) far from any
 * letter; those beside letters are kept (the dot of an i, a full stop).
 * NULL when Leptonica fails. */
static PIX *drop_specks(PIX *bw)
{
	PIX *big = pixSelectBySize(bw, 7, 7, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	PIX *near = big ? pixDilateBrick(NULL, big, 17, 17) : NULL;
	PIX *small = big ? pixSubtract(NULL, bw, big) : NULL;
	PIX *out = NULL;

	if (near != NULL && small != NULL) {
		pixAnd(small, small, near);
		out = pixOr(NULL, big, small);
	}
	pixDestroy(&big);
	pixDestroy(&near);
	pixDestroy(&small);
	return out;
}

/* An office scan made fit for Tesseract: background evened out (a grey
 * or yellowed sheet), skew taken out (a few degrees), black and white,
 * specks and the form's table rules removed (read as "|" and "_" they
 * would split the table's cells).  Takes grey; returns 1 bpp. */
static PIX *clean(PIX *grey, float *angle_r)
{
	PIX *even = pixBackgroundNormSimple(grey, NULL, NULL);
	PIX *straight, *bw, *lines_v, *lines_h, *no_rules, *out;
	l_float32 angle = 0, conf = 0;

	if (even == NULL)
		even = pixClone(grey);
	straight = pixFindSkewAndDeskew(even, 2, &angle, &conf);
	pixDestroy(&even);
	if (straight == NULL)
		return NULL;
	*angle_r = conf > 2.5f ? angle : 0;
	bw = pixThresholdToBinary(straight, 160);
	/* rules: runs of ink much longer than any letter, found where even
	 * light grey counts as ink (a light rule, thresholded as the text
	 * is, breaks into dashes a letter long), widened a little so that
	 * no edge of them is left to be read as "|" or "1" */
	{
		PIX *inky = pixThresholdToBinary(straight, 185);

		lines_v = inky ? pixMorphSequence(inky, "o1.90 + d5.1", 0) : NULL;
		lines_h = inky ? pixMorphSequence(inky, "o150.1 + d1.5", 0) : NULL;
		pixDestroy(&inky);
	}
	pixDestroy(&straight);
	if (bw == NULL) {
		pixDestroy(&lines_v);
		pixDestroy(&lines_h);
		return NULL;
	}
	no_rules = pixCopy(NULL, bw);
	if (lines_v != NULL)
		pixSubtract(no_rules, no_rules, lines_v);
	if (lines_h != NULL)
		pixSubtract(no_rules, no_rules, lines_h);
	pixDestroy(&lines_v);
	pixDestroy(&lines_h);
	pixDestroy(&bw);
	out = drop_specks(no_rules);
	if (out == NULL)
		return no_rules;
	pixDestroy(&no_rules);
	return out;
}

/* A word without what an office scan adds around it: bits of table
 * rules ("|18" is 18), dust read as quotes ("‘120"), a dot after a number
 * ("1 200." ends with 200).  Owned; "" when nothing is left. */
static char *trim_noise(const char *text)
{
	static const char *const lead[] = { "|", "¦", "[", "]", "_", "‘", "’", "'", "`", "\"", "“",
					     "”", ",", ".", ":", ";", "~", "*" };
	static const char *const trail[] = { "|", "¦", "[", "]", "_", "‘", "’", "'", "`", "\"",
					      "“", "”", ":", ";", "~", "*" };
	const char *start = text, *end = text + strlen(text);
	gboolean again = TRUE;

	while (again && start < end) {
		again = FALSE;
		for (size_t i = 0; i < G_N_ELEMENTS(lead); i++) {
			size_t n = strlen(lead[i]);

			if ((size_t)(end - start) >= n && strncmp(start, lead[i], n) == 0) {
				start += n;
				again = TRUE;
			}
		}
		for (size_t i = 0; i < G_N_ELEMENTS(trail); i++) {
			size_t n = strlen(trail[i]);

			if ((size_t)(end - start) >= n && strncmp(end - n, trail[i], n) == 0) {
				end -= n;
				again = TRUE;
			}
		}
		/* "200." and "3,45," but not "Réf." */
		if (end - start >= 2 && (end[-1] == '.' || end[-1] == ',') && g_ascii_isdigit(end[-2])) {
			end--;
			again = TRUE;
		}
	}
	return g_strndup(start, (gsize)(end - start));
}

static gboolean has_alnum(const char *s);

char *ocr_word_clean(const char *raw)
{
	char *text = trim_noise(raw);

	if (text[0] == '\0' || (!has_alnum(text) && strcmp(text, "&") != 0)) {
		g_free(text);
		return NULL;
	}
	return text;
}

static gboolean has_alnum(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		if (g_unichar_isalnum(g_utf8_get_char(p)))
			return TRUE;
	}
	return FALSE;
}

/* The page rendered (in bands), cleaned and made black and white, with the
 * resolution used in *dpi_r; NULL with the reason. */
static PIX *prepare_page(PopplerPage *page, int index, int *dpi_r, GError **error)
{
	double w_pt = 0, h_pt = 0, dpi = OCR_DPI;
	PIX *grey, *bw;
	float angle = 0;

	poppler_page_get_size(page, &w_pt, &h_pt);
	if (w_pt * h_pt * (dpi / 72.0) * (dpi / 72.0) > OCR_MAX_PIXELS)
		dpi = 72.0 * sqrt(OCR_MAX_PIXELS / (w_pt * h_pt));
	grey = render_grey(page, dpi, error);
	if (grey == NULL)
		return NULL;
	bw = clean(grey, &angle);
	pixDestroy(&grey);
	if (g_getenv("MO_OCR_DEBUG") && bw)
		pixWrite(g_getenv("MO_OCR_DEBUG"), bw, IFF_PNG);
	if (bw == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "page %d : la numérisation n'a pas pu être nettoyée",
			    index + 1);
		return NULL;
	}
	*dpi_r = (int)dpi;
	return bw;
}

/* The words of *bwp (taken) into c; how many. */
static int recognize(ocr *o, PIX **bwp, int dpi, int index, int timeout_s, page_content *c)
{
	PIX *bw = *bwp;
	ETEXT_DESC *monitor;
	TessResultIterator *it;
	int added = 0;

	*bwp = NULL;
	tess.TessBaseAPISetImage2(o->api, bw);
	tess.TessBaseAPISetSourceResolution(o->api, dpi);
	monitor = tess.TessMonitorCreate();
	tess.TessMonitorSetDeadlineMSecs(monitor, timeout_s * 1000);
	/* Stopped by the deadline, it keeps what it read: that is used. */
	tess.TessBaseAPIRecognize(o->api, monitor);
	tess.TessMonitorDelete(monitor);
	it = tess.TessBaseAPIGetIterator(o->api);
	if (it != NULL) {
		do {
			const TessPageIterator *pit = tess.TessResultIteratorGetPageIteratorConst(it);
			char *raw = tess.TessResultIteratorGetUTF8Text(it, RIL_WORD);
			g_autofree char *text = raw ? ocr_word_clean(raw) : NULL;
			float conf = tess.TessResultIteratorConfidence(it, RIL_WORD);
			int l, t, r, b;

			tess.TessDeleteText(raw);
			if (text != NULL && tess.TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b)) {
				page_word *w = page_content_add_word(c, text, index, l * 72.0 / dpi,
								      t * 72.0 / dpi, r * 72.0 / dpi,
								      b * 72.0 / dpi, PAGE_WORD_OCR, -1);

				w->confidence = (int)(conf + 0.5f);
				added++;
			}
		} while (tess.TessResultIteratorNext(it, RIL_WORD));
		tess.TessResultIteratorDelete(it);
	}
	tess.TessBaseAPIClear(o->api);
	pixDestroy(&bw);
	return added;
}

/* ---------------------------------------------------------------- the helper */

/* What a page's words take at most as text: more is not a PO. */
#define OCR_HELPER_MAX_OUTPUT (4 << 20)
/* A PDF bigger than any attachment intake takes (max_attachment_mb is at
 * most 2048). */
#define OCR_HELPER_MAX_INPUT ((gsize)2048 << 20)

int ocr_page_main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GByteArray) pdf = g_byte_array_new();
	g_autoptr(GBytes) bytes = NULL;
	PopplerDocument *doc;
	PopplerPage *page;
	g_autoptr(page_content) c = NULL;
	ocr *o;
	PIX *bw;
	int index, timeout_s, dpi = OCR_DPI;
	guint8 buf[65536];
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: mailorder ocr-page PAGE TIMEOUT_S < FILE.pdf\n");
		return 2;
	}
	crashpoint("ocr-page");
	crashpoint_hang_ocr();
	index = atoi(argv[1]);
	timeout_s = atoi(argv[2]);
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0)
			g_byte_array_append(pdf, buf, (guint)n);
		if (pdf->len > OCR_HELPER_MAX_INPUT) {
			fprintf(stderr, "mailorder ocr-page: more than a PDF that intake reads\n");
			return 1;
		}
	}
	bytes = g_byte_array_free_to_bytes(g_steal_pointer(&pdf));
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		fprintf(stderr, "mailorder ocr-page: %s\n", err->message);
		return 1;
	}
	page = poppler_document_get_page(doc, index);
	if (page == NULL) {
		fprintf(stderr, "mailorder ocr-page: no such page\n");
		g_object_unref(doc);
		return 1;
	}
	/* Order is important: the page is rendered and the PDF let go before
	 * Tesseract's models load, so that the two never weigh at once. */
	bw = prepare_page(page, index, &dpi, &err);
	g_object_unref(page);
	g_object_unref(doc);
	g_clear_pointer(&bytes, g_bytes_unref);
	if (bw == NULL) {
		fprintf(stderr, "mailorder ocr-page: %s\n", err->message);
		return 1;
	}
	o = ocr_new(&err);
	if (o == NULL) {
		fprintf(stderr, "mailorder ocr-page: %s\n", err->message);
		pixDestroy(&bw);
		return 1;
	}
	c = page_content_new();
	recognize(o, &bw, dpi, index, timeout_s > 0 ? timeout_s : 30, c);
	for (guint i = 0; i < c->words->len; i++) {
		page_word *w = c->words->pdata[i];

		/* a word has no tab nor newline: Tesseract's words are runs of ink */
		char num[4][G_ASCII_DTOSTR_BUF_SIZE];

		g_strdelimit(w->text, "\t\n\r", ' ');
		/* a decimal point whatever the locale: the parent reads it so */
		printf("%s\t%s\t%s\t%s\t%d\t%s\n", g_ascii_formatd(num[0], sizeof(num[0]), "%.2f", w->x0),
		       g_ascii_formatd(num[1], sizeof(num[1]), "%.2f", w->y0),
		       g_ascii_formatd(num[2], sizeof(num[2]), "%.2f", w->x1),
		       g_ascii_formatd(num[3], sizeof(num[3]), "%.2f", w->y1), w->confidence, w->text);
	}
	ocr_free(&o);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* In the helper, between fork and exec (async-signal-safe calls only).
 *
 * It dies with its parent.  The parent may already be gone when this
 * runs (killed between the fork and here: then no signal will ever come),
 * so the helper checks that its parent is still the one that made it.
 *
 * It takes signals again.  The threads of mailorder run have SIGTERM,
 * SIGINT and SIGHUP blocked (the daemon reads them on a signalfd), a mask
 * that fork and exec keep, and g_spawn does not reset it (GLib 2.74's
 * gspawn.c puts those signals' dispositions back to SIG_DFL, never the
 * mask, in its fork path as in its posix_spawn one): a SIGTERM sent to
 * the helper (kill, systemctl kill, a cgroup's stop) would stay pending.
 *
 * And it has a process group of its own, so that what a terminal sends to
 * mailorder's group (Ctrl-C) reaches mailorder only: on SIGINT or SIGTERM
 * mailorder finishes the message in hand, this page's reading included,
 * where a helper killed with it would leave the scan unread and the
 * order in quarantine (mailorder.service has KillMode=mixed for the same
 * reason).  Not fatal if refused: only that protection is lost. */
static void helper_setup(gpointer parent)
{
	sigset_t none;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    getppid() != (pid_t)GPOINTER_TO_INT(parent))
		_exit(127);
	(void)setpgid(0, 0);
}

/* The helper's output, read until it closes or the deadline passes;
 * NULL when the deadline passed. */
static GString *read_until(int fd, gint64 deadline, gboolean *too_much_r)
{
	GString *out = g_string_new(NULL);
	char buf[8192];

	*too_much_r = FALSE;
	for (;;) {
		gint64 left = deadline - g_get_monotonic_time();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		if (left <= 0) {
			g_string_free(out, TRUE);
			return NULL;
		}
		r = poll(&p, 1, (int)MIN(left / 1000 + 1, 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return out;
		if (out->len + (size_t)n > OCR_HELPER_MAX_OUTPUT) {
			*too_much_r = TRUE;
			return out;
		}
		g_string_append_len(out, buf, n);
	}
}

int ocr_words_from_helper(const char *text, int index, page_content *c)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	int added = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", 6);
		page_word *w;

		char *end[4];
		double v[4];
		gboolean numbers = TRUE;

		if (g_strv_length(f) != 6 || f[5][0] == '\0' || !g_utf8_validate(f[5], -1, NULL))
			continue;
		for (int k = 0; k < 4; k++) {
			v[k] = g_ascii_strtod(f[k], &end[k]);
			numbers &= end[k] != f[k] && *end[k] == '\0' && v[k] >= 0 && v[k] < 100000;
		}
		if (!numbers || v[0] > v[2] || v[1] > v[3])
			continue;
		w = page_content_add_word(c, f[5], index, v[0], v[1], v[2], v[3], PAGE_WORD_OCR, -1);
		w->confidence = CLAMP(atoi(f[4]), 0, 100);
		added++;
	}
	return added;
}

/* The whole PDF to the helper's standard input (it reads it all before
 * it writes anything), until the deadline: a helper that stops reading
 * must not hold its parent.  FALSE when the deadline passed first. */
static gboolean feed(int fd, const void *data, size_t len, gint64 deadline)
{
	const guint8 *p = data;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (len > 0) {
		gint64 left = deadline - g_get_monotonic_time();
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		ssize_t n;

		if (left <= 0) {
			close(fd);
			return FALSE;
		}
		if (poll(&pfd, 1, (int)MIN(left / 1000 + 1, 1000)) <= 0)
			continue;
		n = write(fd, p, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;   /* the helper died: its exit status says so */
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return TRUE;
}

int ocr_read_page_isolated(const void *pdf, size_t len, int index, int timeout_s, page_content *c,
			   char **problem_r)
{
	g_autofree char *page = g_strdup_printf("%d", index);
	g_autofree char *timeout = g_strdup_printf("%d", timeout_s);
	char *argv[] = { (char *)"/proc/self/exe", (char *)"ocr-page", page, timeout, NULL };
	g_auto(GStrv) env = g_get_environ();
	g_autoptr(GError) err = NULL;
	GString *out;
	GPid pid;
	int in_fd = -1, out_fd = -1, status = 0;
	gboolean too_much = FALSE;
	gint64 deadline;

	/* its OpenMP threads would spin on a small machine: one, unless the
	 * site says otherwise */
	env = g_environ_setenv(env, "OMP_THREAD_LIMIT", "1", FALSE);
	if (!g_spawn_async_with_pipes(NULL, argv, env,
				      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
				      helper_setup, GINT_TO_POINTER((int)getpid()), &pid, &in_fd,
				      &out_fd, NULL, &err)) {
		*problem_r = g_strdup_printf("page %d : l'OCR n'a pas pu démarrer : %s", index + 1,
					     err->message);
		return -1;
	}
	deadline = g_get_monotonic_time() + (gint64)(timeout_s + OCR_HELPER_GRACE_S) * G_USEC_PER_SEC;
	out = feed(in_fd, pdf, len, deadline) ? read_until(out_fd, deadline, &too_much) : NULL;
	if (out == NULL || too_much)
		kill(pid, SIGKILL);
	close(out_fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(pid);
	if (out == NULL) {
		*problem_r = g_strdup_printf("page %d : l'OCR a dépassé son temps (%d s) et a été "
					     "arrêté", index + 1, timeout_s + OCR_HELPER_GRACE_S);
		return -1;
	}
	if (too_much || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*problem_r = too_much ? g_strdup_printf("page %d : l'OCR a rendu plus que ce qu'une "
							"page contient", index + 1)
			     : WIFSIGNALED(status)
				 ? g_strdup_printf("page %d : l'OCR s'est arrêté (signal %d)", index + 1,
						   WTERMSIG(status))
				 : g_strdup_printf("page %d : l'OCR a échoué (code %d)", index + 1,
						   WEXITSTATUS(status));
		g_string_free(out, TRUE);
		return -1;
	}
	{
		int added = ocr_words_from_helper(out->str, index, c);

		g_string_free(out, TRUE);
		return added;
	}
}

int ocr_read_scans(const void *pdf, size_t len, page_content *c, int timeout_s, int *pages_left)
{
	int read = 0;

	if (!page_content_ocr_pending(c))
		return 0;
	for (guint i = 0; i < c->scanned->len; i++) {
		int index = g_array_index(c->scanned, int, i);
		g_autofree char *problem = NULL;
		int added;

		if (*pages_left <= 0) {
			g_array_append_val(c->ocr_not_read, index);
			continue;
		}
		(*pages_left)--;
		/* the helper has its own time limit: the reading's watch waits */
		guard_pause();
		added = ocr_read_page_isolated(pdf, len, index, timeout_s, c, &problem);
		guard_resume();
		if (added < 0) {
			/* each page that failed is named (a few at most: the
			 * budget bounds them) */
			if (c->ocr_problem == NULL) {
				c->ocr_problem = g_steal_pointer(&problem);
			} else {
				char *all = g_strdup_printf("%s ; %s", c->ocr_problem, problem);

				g_free(c->ocr_problem);
				c->ocr_problem = all;
			}
			continue;
		}
		g_array_append_val(c->ocr_read, index);
		read++;
	}
	c->ocr_done = TRUE;
	page_content_sort(c);
	return read;
}
