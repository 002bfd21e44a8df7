#include "reader.h"

#include <string.h>

/* Words closer than this many times the line's height are one phrase;
 * farther apart, they are in different columns. */
#define COLUMN_GAP 1.5

static void reader_line_free(reader_line *l)
{
	g_free(l->ref);
	g_free(l->description);
	g_free(l->qty);
	g_free(l->unit_price);
	g_free(l->line_total);
	g_free(l->text);
	g_free(l);
}

void reading_free(reading *r)
{
	if (r == NULL)
		return;
	g_hash_table_unref(r->fields);
	g_ptr_array_unref(r->lines);
	g_free(r);
}

/* ---------------------------------------------------------------- layout */

typedef struct {
	int page;
	double y0, y1;          /* the line's vertical extent */
	GPtrArray *words;       /* const pdf_word*, borrowed */
} text_line;

static void text_line_free(text_line *l)
{
	g_ptr_array_unref(l->words);
	g_free(l);
}

static gint by_x(gconstpointer a, gconstpointer b)
{
	const pdf_word *wa = *(const pdf_word *const *)a, *wb = *(const pdf_word *const *)b;

	return (wa->x0 > wb->x0) - (wa->x0 < wb->x0);
}

/* Words (sorted by page, then height) grouped into lines: a word joins
 * the current line when its middle lies within the line's extent. */
static GPtrArray *group_lines(const pdf_content *c)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)text_line_free);
	text_line *cur = NULL;

	for (guint i = 0; i < c->words->len; i++) {
		const pdf_word *w = c->words->pdata[i];
		double mid = (w->y0 + w->y1) / 2;

		if (cur == NULL || cur->page != w->page || mid < cur->y0 || mid > cur->y1) {
			cur = g_new0(text_line, 1);
			cur->page = w->page;
			cur->y0 = w->y0;
			cur->y1 = w->y1;
			cur->words = g_ptr_array_new();
			g_ptr_array_add(lines, cur);
		}
		g_ptr_array_add(cur->words, (gpointer)w);
	}
	for (guint i = 0; i < lines->len; i++)
		g_ptr_array_sort(((text_line *)lines->pdata[i])->words, by_x);
	return lines;
}

static char *line_text(const text_line *l)
{
	GString *out = g_string_new(NULL);
	double height = MAX(l->y1 - l->y0, 1.0);

	for (guint i = 0; i < l->words->len; i++) {
		const pdf_word *w = l->words->pdata[i];

		if (i > 0) {
			const pdf_word *prev = l->words->pdata[i - 1];

			g_string_append(out, w->x0 - prev->x1 > COLUMN_GAP * height ? "    " : " ");
		}
		g_string_append(out, w->text);
	}
	return g_string_free(out, FALSE);
}

char *reader_text(const pdf_content *c)
{
	g_autoptr(GPtrArray) lines = group_lines(c);
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < lines->len; i++) {
		const text_line *l = lines->pdata[i];
		g_autofree char *t = line_text(l);

		/* A line of its own between pages, as pdftotext's form feed. */
		if (i > 0 && l->page != ((const text_line *)lines->pdata[i - 1])->page)
			g_string_append(out, "\f\n");
		g_string_append(out, t);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* ---------------------------------------------------------------- rules */

static char *group(GMatchInfo *m, const char *name)
{
	char *v = g_match_info_fetch_named(m, name);

	if (v == NULL || v[0] == '\0') {
		g_free(v);
		return NULL;
	}
	return g_strstrip(v);
}

static const char *form_value(const pdf_content *c, const char *name)
{
	for (guint i = 0; i < c->fields->len; i++) {
		const pdf_field *f = c->fields->pdata[i];

		if (strcmp(f->name, name) == 0)
			return f->value;
	}
	return NULL;
}

/* The table: between a line matching start and one matching end; a start
 * again (the header repeated on the next page) opens it again. */
static void read_lines(const rule *r, const char *text, GPtrArray *out)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean inside = r->lines_start == NULL;
	int page = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		g_autoptr(GMatchInfo) m = NULL;
		reader_line *l;

		if (strcmp(line, "\f") == 0) {
			page++;
			continue;
		}
		if (r->lines_start != NULL && g_regex_match(r->lines_start, line, 0, NULL)) {
			inside = TRUE;
			continue;
		}
		if (inside && r->lines_end != NULL && g_regex_match(r->lines_end, line, 0, NULL)) {
			inside = FALSE;
			continue;
		}
		if (!inside || !g_regex_match(r->line, line, 0, &m))
			continue;
		l = g_new0(reader_line, 1);
		l->ref = group(m, "ref");
		l->description = group(m, "description");
		l->qty = group(m, "qty");
		l->unit_price = group(m, "unit_price");
		l->line_total = group(m, "line_total");
		l->page = page;
		l->text = g_strdup(line);
		g_ptr_array_add(out, l);
	}
}

reading *reader_apply_rule(const rule *r, const pdf_content *c, const char *text)
{
	reading *rd = g_new0(reading, 1);

	rd->rule = r;
	rd->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	rd->lines = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);
	for (guint i = 0; i < r->fields->len; i++) {
		const rule_field *f = r->fields->pdata[i];
		char *value = NULL;

		if (f->form_field != NULL) {
			const char *v = form_value(c, f->form_field);

			if (v != NULL && v[0] != '\0')
				value = g_strstrip(g_strdup(v));
		} else {
			g_autoptr(GMatchInfo) m = NULL;

			if (g_regex_match(f->regex, text, 0, &m))
				value = g_strstrip(g_match_info_fetch(m, 1));
		}
		if (value != NULL && value[0] != '\0')
			g_hash_table_replace(rd->fields, g_strdup(f->name), value);
		else
			g_free(value);
	}
	if (r->line != NULL)
		read_lines(r, text, rd->lines);
	return rd;
}
