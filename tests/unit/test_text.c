/* Unit tests of text.c: what a terminal or a log is shown of text from
 * outside, and pages said in French. */
#include "lib/text.h"
#include "tap.h"

#include <string.h>

static void test_shown(void)
{
	static const struct {
		const char *in;
		text_lines lines;
		size_t max;
		const char *want;
	} cases[] = {
		{ "Commande n°47 – réassort", TEXT_ONE_LINE, 0, "Commande n°47 – réassort" },
		{ "", TEXT_ONE_LINE, 0, "" },
		/* what a terminal would act on */
		{ "a\x1b[2Jb", TEXT_ONE_LINE, 0, "a\\x1B[2Jb" },
		{ "ding\a", TEXT_ONE_LINE, 0, "ding\\x07" },
		{ "x\x7fy", TEXT_ONE_LINE, 0, "x\\x7Fy" },
		{ "c1 \xc2\x9b" "31m", TEXT_ONE_LINE, 0, "c1 \\u009B31m" },
		/* a log line split in two */
		{ "sujet\r\nmailorder: error: faux", TEXT_ONE_LINE, 0,
		  "sujet\\r\\nmailorder: error: faux" },
		{ "a\tb", TEXT_ONE_LINE, 0, "a\\tb" },
		/* text reordered or hidden */
		{ "facture\xe2\x80\xae" "fdp.exe", TEXT_ONE_LINE, 0, "facture\\u202Efdp.exe" },
		{ "a\xe2\x81\xa6" "b\xe2\x81\xa9", TEXT_ONE_LINE, 0, "a\\u2066b\\u2069" },
		{ "zero\xe2\x80\x8bwidth", TEXT_ONE_LINE, 0, "zero\\u200Bwidth" },
		{ "l\xe2\x80\xa8m", TEXT_ONE_LINE, 0, "l\\u2028m" },
		{ "\xef\xbb\xbf" "bom", TEXT_ONE_LINE, 0, "\\uFEFFbom" },
		{ "tag\xf3\xa0\x80\x81", TEXT_ONE_LINE, 0, "tag\\U000E0001" },
		/* not UTF-8: each byte shown */
		{ "caf\xe9", TEXT_ONE_LINE, 0, "caf\\xE9" },
		{ "\xff\xfe", TEXT_ONE_LINE, 0, "\\xFF\\xFE" },
		{ "\xe2\x82", TEXT_ONE_LINE, 0, "\\xE2\\x82" },
		/* a text of ours keeps its lines */
		{ "ligne 1\nligne\t2\r\n", TEXT_KEEP_LINES, 0, "ligne 1\nligne\t2\\r\n" },
		{ "a\x1b" "b\n", TEXT_KEEP_LINES, 0, "a\\x1Bb\n" },
		/* cut, never inside a character */
		{ "abcdef", TEXT_ONE_LINE, 3, "abc…" },
		{ "abc", TEXT_ONE_LINE, 3, "abc" },
		{ "éééé", TEXT_ONE_LINE, 3, "éé…" },
		{ "\x1b\x1b\x1b\x1b", TEXT_ONE_LINE, 8, "\\x1B\\x1B…" },
		/* the limit is on what is shown: escapes count in full */
		{ "\x1b\x1b\x1b\x1b", TEXT_ONE_LINE, 5, "\\x1B\\x1B…" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = text_shown(cases[i].in, cases[i].lines, cases[i].max);
		g_autofree char *name = g_strescape(cases[i].in, "");

		is_str(got, cases[i].want, "shown: \"%s\"", name);
		ok(g_utf8_validate(got, -1, NULL), "  is UTF-8");
	}
	{
		g_autofree char *got = text_shown(NULL, TEXT_ONE_LINE, 0);

		is_str(got, "", "shown: NULL is empty");
	}
	/* every byte value, alone and in a run: nothing reaches the output
	 * that a terminal acts on */
	for (int b = 1; b < 256; b++) {
		char in[4] = { (char)b, 'x', (char)b, '\0' };
		g_autofree char *got = text_shown(in, TEXT_ONE_LINE, 0);
		gboolean clean = g_utf8_validate(got, -1, NULL);

		for (const char *p = got; clean && *p; p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);

			clean = !g_unichar_iscntrl(c) && g_unichar_type(c) != G_UNICODE_FORMAT;
		}
		if (!clean)
			ok(0, "byte 0x%02X shown as a character a terminal acts on", b);
	}
	ok(1, "no byte value passes through as a control");
	/* a 20 MB subject is cut, not copied whole */
	{
		size_t n = 20u << 20;
		char *big = g_malloc(n + 1);
		g_autofree char *got = NULL;

		memset(big, 'S', n);
		big[n] = '\0';
		got = text_shown(big, TEXT_ONE_LINE, 2000);
		is_int(strlen(got), 2000 + strlen("…"), "20 MB cut to 2000 bytes and …");
		g_free(big);
	}
	{
		/* 20 KB of ESC: four bytes shown each, still about 2000 in all
		 * (a log line under PIPE_BUF: lines of several processes do not mix) */
		char big[20001];
		g_autofree char *got = NULL;

		memset(big, 0x1b, sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		got = text_shown(big, TEXT_ONE_LINE, 2000);
		ok(strlen(got) <= 2000 + 4 + strlen("…"), "20 KB of escapes cut near 2000 bytes shown (%zu)",
		   strlen(got));
	}
}

static void test_pages(void)
{
	static const struct {
		int pages[12];
		int n;
		const char *want;
	} cases[] = {
		{ { 0 }, 0, NULL },
		{ { 1 }, 1, "la page 2" },
		{ { 0, 1 }, 2, "les pages 1 et 2" },
		{ { 0, 2 }, 2, "les pages 1 et 3" },
		{ { 0, 1, 2 }, 3, "les pages 1 à 3" },
		{ { 0, 1, 3 }, 3, "les pages 1, 2 et 4" },
		{ { 0, 1, 3, 4 }, 4, "les pages 1, 2, 4 et 5" },
		{ { 5, 6, 7, 8, 9, 10, 11 }, 7, "les pages 6 à 12" },
		{ { 0, 2, 3, 4, 9 }, 5, "les pages 1, 3 à 5 et 10" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GArray) a = g_array_new(FALSE, FALSE, sizeof(int));
		g_autofree char *got = NULL;

		g_array_append_vals(a, cases[i].pages, (guint)cases[i].n);
		got = text_pages_fr(a);
		if (cases[i].want == NULL)
			ok(got == NULL, "pages: none is NULL");
		else
			is_str(got, cases[i].want, "pages: %s", cases[i].want);
	}
	ok(text_pages_fr(NULL) == NULL, "pages: NULL is NULL");
}

int main(void)
{
	test_shown();
	test_pages();
	return tap_done();
}
