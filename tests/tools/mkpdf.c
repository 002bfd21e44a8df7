/* mkpdf: writes a PDF from a small text description, for the tests and the
 * samples (libharu, DejaVu Sans for accents).
 *
 *   mkpdf OUT.pdf [--password USERPW] [--standard-font] < SPEC
 *
 * SPEC, one command per line (coordinates in points from the top left of
 * an A4 page; blank lines and lines starting with # are ignored):
 *   page                 start a new page (the first one is implicit)
 *   size N               font size for what follows (default 10)
 *   text X Y STRING      STRING (UTF-8, to the end of the line) at X, Y
 *   rtext X Y STRING     same, right-aligned on X
 *   line X1 Y1 X2 Y2     a thin line
 *   font NAME            the font for what follows: sans (DejaVu Sans,
 *                        embedded, the default), mono (DejaVu Sans Mono,
 *                        embedded: has U+2212 and U+202F), sans-bold, or one
 *                        of the standard fonts helvetica, helvetica-bold,
 *                        courier (legacy fixed-width listings), courier-bold,
 *                        times (WinAnsi, not embedded)
 * --password encrypts the file (RC4 128) so that it cannot be opened
 * without USERPW, as some customers' software does.
 * --standard-font writes with Helvetica (WinAnsi: French accents, no
 * embedded font), as most customers' software does: a PDF of a few KB
 * instead of one that embeds all of DejaVu Sans; it makes helvetica the
 * default font.
 */
#include <glib.h>
#include <hpdf.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"
#define A4_W 595.0f
#define A4_H 842.0f

static jmp_buf on_error;

static void error_handler(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	(void)data;
	fprintf(stderr, "mkpdf: libharu error 0x%04x (detail %u)\n", (unsigned)code,
		(unsigned)detail);
	longjmp(on_error, 1);
}

/* The fonts a spec may name: a standard font is WinAnsi (CP1252, so text
 * must be converted), a file is embedded and takes UTF-8. */
static const struct {
	const char *name, *standard, *file;
} fonts[] = {
	{ "sans", NULL, FONT_DIR "DejaVuSans.ttf" },
	{ "sans-bold", NULL, FONT_DIR "DejaVuSans-Bold.ttf" },
	{ "mono", NULL, FONT_DIR "DejaVuSansMono.ttf" },
	{ "helvetica", "Helvetica", NULL },
	{ "helvetica-bold", "Helvetica-Bold", NULL },
	{ "courier", "Courier", NULL },
	{ "courier-bold", "Courier-Bold", NULL },
	{ "times", "Times-Roman", NULL },
};

/* Font NAME, loaded once; *winansi_r says whether its text is CP1252.
 * NULL for an unknown name. */
static HPDF_Font get_font(HPDF_Doc pdf, const char *name, gboolean *winansi_r)
{
	static const char *loaded[G_N_ELEMENTS(fonts)];  /* files' font names */

	for (size_t i = 0; i < G_N_ELEMENTS(fonts); i++) {
		if (strcmp(fonts[i].name, name) != 0)
			continue;
		*winansi_r = fonts[i].standard != NULL;
		if (fonts[i].standard != NULL)
			return HPDF_GetFont(pdf, fonts[i].standard, "WinAnsiEncoding");
		if (loaded[i] == NULL)
			loaded[i] = HPDF_LoadTTFontFromFile(pdf, fonts[i].file, HPDF_TRUE);
		return HPDF_GetFont(pdf, loaded[i], "UTF-8");
	}
	return NULL;
}

static HPDF_Page new_page(HPDF_Doc pdf)
{
	HPDF_Page page = HPDF_AddPage(pdf);

	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	HPDF_Page_SetLineWidth(page, 0.5f);
	return page;
}

int main(int argc, char **argv)
{
	static const char *out, *password;  /* static: they live across longjmp */
	static gboolean standard_font;
	gboolean winansi;
	HPDF_Doc pdf;
	HPDF_Font font;
	HPDF_Page page;
	float size = 10.0f;
	char line[4096];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--password") == 0 && i + 1 < argc)
			password = argv[++i];
		else if (strcmp(argv[i], "--standard-font") == 0)
			standard_font = TRUE;
		else if (out == NULL)
			out = argv[i];
		else {
			fprintf(stderr, "usage: mkpdf OUT.pdf [--password PW] < SPEC\n");
			return 2;
		}
	}
	if (out == NULL) {
		fprintf(stderr, "usage: mkpdf OUT.pdf [--password PW] < SPEC\n");
		return 2;
	}
	pdf = HPDF_New(error_handler, NULL);
	if (pdf == NULL)
		return 1;
	if (setjmp(on_error)) {
		HPDF_Free(pdf);
		return 1;
	}
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	font = get_font(pdf, standard_font ? "helvetica" : "sans", &winansi);
	page = new_page(pdf);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		float x, y, x2, y2;
		int n = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (winansi && strncmp(line, "font ", 5) != 0) {
			/* WinAnsi is CP1252: "é" must be one byte. */
			gchar *cp = g_convert_with_fallback(line, -1, "CP1252", "UTF-8", "?", NULL,
							    NULL, NULL);

			if (cp != NULL) {
				g_strlcpy(line, cp, sizeof(line));
				g_free(cp);
			}
		}
		if (strcmp(line, "page") == 0) {
			page = new_page(pdf);
		} else if (sscanf(line, "size %f", &size) == 1) {
			continue;
		} else if (strncmp(line, "font ", 5) == 0) {
			HPDF_Font f = get_font(pdf, line + 5, &winansi);

			if (f == NULL) {
				fprintf(stderr, "mkpdf: unknown font: %s\n", line + 5);
				HPDF_Free(pdf);
				return 2;
			}
			font = f;
		} else if (sscanf(line, "line %f %f %f %f", &x, &y, &x2, &y2) == 4) {
			HPDF_Page_MoveTo(page, x, A4_H - y);
			HPDF_Page_LineTo(page, x2, A4_H - y2);
			HPDF_Page_Stroke(page);
		} else if (sscanf(line, "text %f %f %n", &x, &y, &n) == 2 && n > 0) {
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, font, size);
			HPDF_Page_TextOut(page, x, A4_H - y, line + n);
			HPDF_Page_EndText(page);
		} else if (sscanf(line, "rtext %f %f %n", &x, &y, &n) == 2 && n > 0) {
			float w;

			HPDF_Page_SetFontAndSize(page, font, size);
			w = HPDF_Page_TextWidth(page, line + n);
			HPDF_Page_BeginText(page);
			HPDF_Page_TextOut(page, x - w, A4_H - y, line + n);
			HPDF_Page_EndText(page);
		} else {
			fprintf(stderr, "mkpdf: cannot read: %s\n", line);
			HPDF_Free(pdf);
			return 2;
		}
	}
	if (password != NULL) {
		HPDF_SetPassword(pdf, "owner-secret", password);
		HPDF_SetEncryptionMode(pdf, HPDF_ENCRYPT_R3, 16);
	}
	HPDF_SaveToFile(pdf, out);
	HPDF_Free(pdf);
	return 0;
}
