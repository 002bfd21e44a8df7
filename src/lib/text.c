#include "lib/text.h"

#include <string.h>

size_t text_space_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	/* Each test stops at a NUL: no read past the end. */
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

/* A character that is not shown as itself. */
static gboolean hidden(gunichar c)
{
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONTROL:            /* C0, DEL, C1 */
	case G_UNICODE_FORMAT:             /* bidi marks, overrides, isolates; zero width */
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
	case G_UNICODE_UNASSIGNED:         /* not yet a character: may become one of the above */
	case G_UNICODE_SURROGATE:
		return TRUE;
	default:
		return FALSE;
	}
}

char *text_shown(const char *s, text_lines lines, size_t max)
{
	GString *out;
	const char *p, *end;

	if (s == NULL)
		return g_strdup("");
	end = s + strlen(s);
	out = g_string_sized_new(MIN((size_t)(end - s), max ? max : (size_t)(end - s)) + 8);
	for (p = s; p < end;) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		size_t n;

		/* what is shown counts: an escape takes up to ten bytes */
		if (max != 0 && out->len >= max) {
			g_string_append(out, "…");
			break;
		}
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", (guchar)*p);
			p++;
			continue;
		}
		n = (size_t)(g_utf8_next_char(p) - p);
		if (!hidden(c) || (lines == TEXT_KEEP_LINES && (c == '\n' || c == '\t'))) {
			g_string_append_len(out, p, (gssize)n);
		} else if (c == '\n') {
			g_string_append(out, "\\n");
		} else if (c == '\r') {
			g_string_append(out, "\\r");
		} else if (c == '\t') {
			g_string_append(out, "\\t");
		} else if (c < 0x80) {
			g_string_append_printf(out, "\\x%02X", c);
		} else if (c <= 0xFFFF) {
			g_string_append_printf(out, "\\u%04X", c);
		} else {
			g_string_append_printf(out, "\\U%08X", c);
		}
		p += n;
	}
	return g_string_free(out, FALSE);
}

char *text_pages_fr(const GArray *pages)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	GString *out;
	guint n = pages ? pages->len : 0;

	if (n == 0)
		return NULL;
	if (n == 1)
		return g_strdup_printf("la page %d", g_array_index(pages, int, 0) + 1);
	/* runs of three or more as "6 à 12", the others one by one */
	for (guint i = 0; i < n;) {
		guint j = i;

		while (j + 1 < n && g_array_index(pages, int, j + 1) == g_array_index(pages, int, j) + 1)
			j++;
		if (j >= i + 2) {
			g_ptr_array_add(items, g_strdup_printf("%d à %d", g_array_index(pages, int, i) + 1,
							       g_array_index(pages, int, j) + 1));
			i = j + 1;
		} else {
			g_ptr_array_add(items, g_strdup_printf("%d", g_array_index(pages, int, i) + 1));
			i++;
		}
	}
	out = g_string_new("les pages ");
	for (guint i = 0; i < items->len; i++)
		g_string_append_printf(out, "%s%s", i == 0 ? "" : i + 1 == items->len ? " et " : ", ",
				       (const char *)items->pdata[i]);
	return g_string_free(out, FALSE);
}
