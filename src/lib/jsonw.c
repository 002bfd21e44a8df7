#include "lib/jsonw.h"

#include <string.h>

void jsonw_init(jsonw *w, GString *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = TRUE;
}

static void newline(jsonw *w)
{
	g_string_append_c(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		g_string_append(w->out, "  ");
}

/* Separator and indentation before a value or a key. */
static void before_item(jsonw *w)
{
	if (w->after_key) {
		w->after_key = FALSE;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth])
			g_string_append_c(w->out, ',');
		newline(w);
	}
	w->first[w->depth] = FALSE;
}

static void container_open(jsonw *w, char c)
{
	before_item(w);
	g_string_append_c(w->out, c);
	g_assert(w->depth + 1 < JSONW_MAX_DEPTH);
	w->depth++;
	w->first[w->depth] = TRUE;
}

static void container_close(jsonw *w, char c)
{
	gboolean empty = w->first[w->depth];

	w->depth--;
	if (!empty)
		newline(w);
	g_string_append_c(w->out, c);
	if (w->depth == 0)
		g_string_append_c(w->out, '\n');
}

void jsonw_object_begin(jsonw *w) { container_open(w, '{'); }
void jsonw_object_end(jsonw *w) { container_close(w, '}'); }
void jsonw_array_begin(jsonw *w) { container_open(w, '['); }
void jsonw_array_end(jsonw *w) { container_close(w, ']'); }

static void append_escaped(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s, -1);

	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)valid; *p != '\0'; p++) {
		switch (*p) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

void jsonw_key(jsonw *w, const char *key)
{
	before_item(w);
	append_escaped(w->out, key);
	g_string_append(w->out, ": ");
	w->after_key = TRUE;
}

void jsonw_string(jsonw *w, const char *s)
{
	before_item(w);
	if (s == NULL)
		g_string_append(w->out, "null");
	else
		append_escaped(w->out, s);
}

void jsonw_int(jsonw *w, int64_t v)
{
	before_item(w);
	g_string_append_printf(w->out, "%" G_GINT64_FORMAT, (gint64)v);
}

void jsonw_hundredths(jsonw *w, int v)
{
	int a = v < 0 ? -v : v, frac = a % 100;

	before_item(w);
	g_string_append_printf(w->out, "%s%d", v < 0 ? "-" : "", a / 100);
	if (frac % 10 != 0)
		g_string_append_printf(w->out, ".%02d", frac);
	else if (frac != 0)
		g_string_append_printf(w->out, ".%d", frac / 10);
}

void jsonw_bool(jsonw *w, gboolean v)
{
	before_item(w);
	g_string_append(w->out, v ? "true" : "false");
}

void jsonw_null(jsonw *w)
{
	before_item(w);
	g_string_append(w->out, "null");
}

void jsonw_member_string(jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_member_int(jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}
