#include "reading/reader.h"

#include "lib/dates.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Words closer than this many times the line's height are one phrase;
 * farther apart, they are in different columns. */
#define COLUMN_GAP 1.5

static void reader_line_free(reader_line *l)
{
	if (l == NULL)
		return;
	g_free(l->ref);
	g_free(l->description);
	g_free(l->qty);
	g_free(l->unit_price);
	g_free(l->line_total);
	g_free(l->text);
	g_free(l);
}

static void reader_note_free(reader_note *n)
{
	g_free(n->why);
	g_free(n);
}

/* Notes how field name was found. */
static void note_field(reading *rd, const char *name, int sureness, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
static void note_field(reading *rd, const char *name, int sureness, const char *fmt, ...)
{
	reader_note *n = g_new0(reader_note, 1);
	va_list ap;

	va_start(ap, fmt);
	n->why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	n->sureness = sureness;
	g_hash_table_replace(rd->notes, g_strdup(name), n);
}

static reading *reading_new(const rule *r)
{
	reading *rd = g_new0(reading, 1);

	rd->rule = r;
	rd->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	rd->notes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)reader_note_free);
	rd->lines = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);
	rd->generic = g_ptr_array_new();
	return rd;
}

void reading_free(reading *r)
{
	if (r == NULL)
		return;
	g_hash_table_unref(r->fields);
	g_hash_table_unref(r->notes);
	g_ptr_array_unref(r->lines);
	g_ptr_array_unref(r->generic);
	g_free(r->lines_choice);
	g_free(r);
}

/* ---------------------------------------------------------------- layout */

typedef struct {
	int page;
	double y0, y1;          /* the line's vertical extent */
	GPtrArray *words;       /* const page_word*, borrowed */
} text_line;

static void text_line_free(text_line *l)
{
	g_ptr_array_unref(l->words);
	g_free(l);
}

static gint by_x(gconstpointer a, gconstpointer b)
{
	const page_word *wa = *(const page_word *const *)a, *wb = *(const page_word *const *)b;

	return (wa->x0 > wb->x0) - (wa->x0 < wb->x0);
}

/* Words (sorted by page, then height) grouped into lines: a word joins
 * the current line when its middle lies within the line's extent. */
static GPtrArray *group_lines(const page_content *c)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)text_line_free);
	text_line *cur = NULL;

	for (guint i = 0; i < c->words->len; i++) {
		const page_word *w = c->words->pdata[i];
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

/* Two words of a line are in different cells when a wide gap parts them,
 * or when they are the values of two form fields (whose boxes touch). */
static gboolean new_cell(const page_word *prev, const page_word *w, double height)
{
	if (prev->field >= 0 && w->field >= 0 && prev->field != w->field)
		return TRUE;
	return w->x0 - prev->x1 > COLUMN_GAP * height;
}

/* A run of words of one line that no column gap parts. */
typedef struct {
	double x0, x1;
	GString *text;          /* its words, one space apart */
} cell;

static void cell_free(cell *c)
{
	g_string_free(c->text, TRUE);
	g_free(c);
}

static GPtrArray *line_cells(const text_line *l)
{
	GPtrArray *cells = g_ptr_array_new_with_free_func((GDestroyNotify)cell_free);
	double height = MAX(l->y1 - l->y0, 1.0);
	cell *cur = NULL;

	for (guint i = 0; i < l->words->len; i++) {
		const page_word *w = l->words->pdata[i];

		if (cur == NULL || new_cell(l->words->pdata[i - 1], w, height)) {
			cur = g_new0(cell, 1);
			cur->x0 = w->x0;
			cur->text = g_string_new(NULL);
			g_ptr_array_add(cells, cur);
		} else {
			g_string_append_c(cur->text, ' ');
		}
		g_string_append(cur->text, w->text);
		cur->x1 = w->x1;
	}
	return cells;
}

/* The line as the rules see it: cells four spaces apart. */
static char *cells_text(GPtrArray *cells)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < cells->len; i++) {
		if (i > 0)
			g_string_append(out, "    ");
		g_string_append(out, ((const cell *)cells->pdata[i])->text->str);
	}
	return g_string_free(out, FALSE);
}

/* A line laid out: its cells, and its text as the rules see it. */
typedef struct {
	int page;
	GPtrArray *cells;       /* cell* */
	char *text;
	GPtrArray *words;       /* const page_word*, borrowed */
} laid_line;

static void laid_line_free(laid_line *l)
{
	g_ptr_array_unref(l->cells);
	g_ptr_array_unref(l->words);
	g_free(l->text);
	g_free(l);
}

struct reader_layout {
	GPtrArray *lines;       /* laid_line* */
	char *text;
};

reader_layout *reader_layout_new(const page_content *c)
{
	g_autoptr(GPtrArray) lines = group_lines(c);
	reader_layout *lay = g_new0(reader_layout, 1);
	GString *out = g_string_new(NULL);

	lay->lines = g_ptr_array_new_full(lines->len, (GDestroyNotify)laid_line_free);
	for (guint i = 0; i < lines->len; i++) {
		const text_line *tl = lines->pdata[i];
		laid_line *l = g_new0(laid_line, 1);

		l->page = tl->page;
		l->cells = line_cells(tl);
		l->words = g_ptr_array_ref(tl->words);
		l->text = cells_text(l->cells);
		g_ptr_array_add(lay->lines, l);
		/* A line of its own between pages, as pdftotext's form feed. */
		if (i > 0 && tl->page != ((const text_line *)lines->pdata[i - 1])->page)
			g_string_append(out, "\f\n");
		g_string_append(out, l->text);
		g_string_append_c(out, '\n');
	}
	lay->text = g_string_free(out, FALSE);
	return lay;
}

void reader_layout_free(reader_layout *lay)
{
	if (lay == NULL)
		return;
	g_ptr_array_unref(lay->lines);
	g_free(lay->text);
	g_free(lay);
}

const char *reader_layout_text(const reader_layout *lay)
{
	return lay->text;
}

char *reader_text(const page_content *c)
{
	reader_layout *lay = reader_layout_new(c);
	char *text = g_steal_pointer(&lay->text);

	reader_layout_free(lay);
	return text;
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

static const char *form_value(const page_content *c, const char *name)
{
	for (guint i = 0; i < c->fields->len; i++) {
		const page_field *f = c->fields->pdata[i];

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

reading *reader_apply_rule(const rule *r, const page_content *c, const char *text)
{
	reading *rd = reading_new(r);
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
		if (value != NULL && value[0] != '\0') {
			g_hash_table_replace(rd->fields, g_strdup(f->name), value);
			if (f->form_field != NULL)
				note_field(rd, f->name, 100, "champ de formulaire « %s » (règle %s)",
					   f->form_field, r->issuer);
			else
				note_field(rd, f->name, 100, "motif de la règle %s", r->issuer);
		} else {
			g_free(value);
		}
	}
	if (r->line != NULL)
		read_lines(r, text, rd->lines);
	return rd;
}

/* ---------------------------------------------------------------- generic */

typedef enum { COL_REF, COL_DESCRIPTION, COL_QTY, COL_UNIT_PRICE, COL_LINE_TOTAL, COL_NONE } column_role;

/* "P.U. HT" -> "puht", "Désignation" -> "designation". */
static char *squash(const char *s)
{
	g_autofree char *ascii = g_str_to_ascii(s, "C");
	GString *out = g_string_new(NULL);

	for (const char *p = ascii; *p; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(out, g_ascii_tolower(*p));
	}
	return g_string_free(out, FALSE);
}

/* a[0..n) and b[0..n) differ in one letter at most. */
static gboolean one_letter_off(const char *a, const char *b, size_t n)
{
	int diff = 0;

	for (size_t i = 0; i < n; i++)
		diff += a[i] != b[i];
	return diff <= 1;
}

static column_role header_role(const char *text)
{
	static const struct {
		const char *prefix;
		column_role role;
	} words[] = {
		{ "reference", COL_REF }, { "ref", COL_REF }, { "codearticle", COL_REF },
		{ "code", COL_REF }, { "article", COL_REF },
		{ "designation", COL_DESCRIPTION }, { "description", COL_DESCRIPTION },
		{ "libelle", COL_DESCRIPTION }, { "produit", COL_DESCRIPTION },
		{ "quantite", COL_QTY }, { "qte", COL_QTY }, { "qty", COL_QTY },
		{ "quantity", COL_QTY },
		{ "prixunitaire", COL_UNIT_PRICE }, { "pu", COL_UNIT_PRICE },
		{ "prix", COL_UNIT_PRICE }, { "tarif", COL_UNIT_PRICE }, { "unitprice", COL_UNIT_PRICE },
		{ "montant", COL_LINE_TOTAL }, { "total", COL_LINE_TOTAL }, { "amount", COL_LINE_TOTAL },
	};
	g_autofree char *sq = squash(text);

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		if (g_str_has_prefix(sq, words[i].prefix))
			return words[i].role;
	}
	/* a scan's header read with one letter wrong ("Rét.", "Dësignation",
	 * "Ote"): the same word, when long enough not to be another */
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		size_t n = strlen(words[i].prefix);

		if (n >= 3 && strlen(sq) >= n && one_letter_off(sq, words[i].prefix, n))
			return words[i].role;
	}
	return COL_NONE;
}

typedef struct {
	column_role role;
	double x0, x1;
} column;

/* The columns of a header line, or FALSE when it is not one: at least a
 * quantity and a reference or a description. */
static gboolean header_columns(GPtrArray *cells, column *cols, guint *n_r)
{
	gboolean seen[COL_NONE] = { FALSE };
	guint n = 0;

	int article = -1;   /* the column headed "Article", if any */

	for (guint i = 0; i < cells->len && n < COL_NONE; i++) {
		const cell *c = cells->pdata[i];
		column_role role = header_role(c->text->str);
		g_autofree char *sq = NULL;

		if (role == COL_NONE)
			continue;
		sq = squash(c->text->str);
		/* "Code | Article | Qté": the article is the description */
		if (role == COL_REF && seen[COL_REF] && !seen[COL_DESCRIPTION] &&
		    (strcmp(sq, "article") == 0 || strcmp(sq, "articles") == 0))
			role = COL_DESCRIPTION;
		/* "Article | Code | Qté": the same, the other way round */
		if (role == COL_REF && article >= 0 && !seen[COL_DESCRIPTION]) {
			cols[article].role = COL_DESCRIPTION;
			seen[COL_DESCRIPTION] = TRUE;
			article = -1;
			cols[n++] = (column){ role, c->x0, c->x1 };
			continue;
		}
		if (seen[role])
			continue;
		seen[role] = TRUE;
		if (role == COL_REF && (strcmp(sq, "article") == 0 || strcmp(sq, "articles") == 0))
			article = (int)n;
		cols[n++] = (column){ role, c->x0, c->x1 };
	}
	/* "Article" is a code beside a Désignation, the description alone */
	if (!seen[COL_DESCRIPTION] && article >= 0) {
		cols[article].role = COL_DESCRIPTION;
		seen[COL_DESCRIPTION] = TRUE;
		seen[COL_REF] = FALSE;
	}
	*n_r = n;
	return seen[COL_QTY] && (seen[COL_REF] || seen[COL_DESCRIPTION]);
}

/* The column a cell sits under: the one whose stretch holds the cell's
 * middle, stretches meeting half-way between two headers (headers may be
 * centred over left-aligned text or right-aligned figures). */
static column_role cell_role(const cell *c, const column *cols, guint n)
{
	double mid = (c->x0 + c->x1) / 2;

	for (guint i = 0; i < n; i++) {
		if (i + 1 == n || mid < (cols[i].x1 + cols[i + 1].x0) / 2)
			return cols[i].role;
	}
	return COL_NONE;
}

static gboolean is_total_line(GPtrArray *cells)
{
	g_autofree char *first = cells->len ? squash(((const cell *)cells->pdata[0])->text->str) : NULL;

	return first != NULL && (g_str_has_prefix(first, "total") || g_str_has_prefix(first, "soustotal") ||
				 g_str_has_prefix(first, "montanttotal") || g_str_has_prefix(first, "netapayer"));
}

static gboolean looks_like_number(const char *s)
{
	gboolean digit = FALSE;

	for (const char *p = s; *p; p++) {
		if (g_ascii_isdigit(*p))
			digit = TRUE;
		else if (!strchr(" .,", *p) && (guchar)*p < 0x80)
			return FALSE;
	}
	return digit;
}

/* "12", "1 200", "2,5 kg", "12 pièces", "6 u.": a number, then perhaps
 * its unit in letters (read_amount keeps the number). */
static gboolean looks_like_quantity(const char *s)
{
	g_autofree char *number = g_strdup(s);
	char *p = number + strlen(number);

	while (p > number && (g_ascii_isalpha(p[-1]) || p[-1] == '.' || (guchar)p[-1] >= 0x80))
		p--;
	if (p == number + strlen(number))
		return looks_like_number(number);
	/* "2,5 kg", "2,5kg", and "2,5.kg" as a scan reads it */
	if (p == number || !(p[-1] == ' ' || g_ascii_isdigit(p[-1])))
		return FALSE;
	*p = '\0';
	return looks_like_number(number);
}

static guint word_count(const char *s)
{
	guint n = 0;

	for (const char *p = s; p != NULL && *p; p++) {
		if (*p != ' ' && (p == s || p[-1] == ' '))
			n++;
	}
	return n;
}

static void generic_lines(const reader_layout *lay, GPtrArray *out)
{
	GPtrArray *lines = lay->lines;
	column cols[COL_NONE];
	guint n_cols = 0;
	gboolean inside = FALSE;
	reader_line *last = NULL;

	for (guint i = 0; i < lines->len; i++) {
		const laid_line *tl = lines->pdata[i];
		GPtrArray *cells = tl->cells;
		column hdr[COL_NONE];
		guint n_hdr = 0;
		char *values[COL_NONE] = { NULL };
		reader_line *l;

		if (header_columns(cells, hdr, &n_hdr)) {
			memcpy(cols, hdr, sizeof(hdr));
			n_cols = n_hdr;
			inside = TRUE;   /* also a header repeated on the next page */
			last = NULL;
			continue;
		}
		if (!inside)
			continue;
		if (is_total_line(cells)) {
			inside = FALSE;
			continue;
		}
		for (guint k = 0; k < cells->len; k++) {
			const cell *ce = cells->pdata[k];
			column_role role = cell_role(ce, cols, n_cols);

			if (role != COL_NONE && values[role] == NULL)
				values[role] = ce->text->str;
		}
		if (values[COL_QTY] != NULL && looks_like_quantity(values[COL_QTY]) &&
		    (values[COL_REF] != NULL || values[COL_DESCRIPTION] != NULL)) {
			l = g_new0(reader_line, 1);
			/* words under a code's header, none under a description's:
			 * the code column holds the description */
			if (values[COL_DESCRIPTION] == NULL && word_count(values[COL_REF]) >= 3) {
				values[COL_DESCRIPTION] = values[COL_REF];
				values[COL_REF] = NULL;
			}
			l->ref = g_strdup(values[COL_REF]);
			l->description = g_strdup(values[COL_DESCRIPTION]);
			l->qty = g_strdup(values[COL_QTY]);
			l->unit_price = g_strdup(values[COL_UNIT_PRICE]);
			l->line_total = g_strdup(values[COL_LINE_TOTAL]);
			l->page = tl->page;
			l->text = g_strdup(tl->text);
			l->how = READ_BY_COLUMNS;
			g_ptr_array_add(out, l);
			last = l;
		} else if (last != NULL && cells->len == 1 && values[COL_DESCRIPTION] != NULL &&
			   tl->page == last->page) {
			/* A description carried over to the next line. */
			char *joined = g_strdup_printf("%s %s", last->description ? last->description : "",
						       values[COL_DESCRIPTION]);

			g_free(last->description);
			last->description = g_strstrip(joined);
		} else {
			last = NULL;
		}
	}
}

/* An order number: letters, digits and marks, at least one digit
 * ("BP-118", "2026/47"); or a few capitals, a space, digits ("PO 031634"). */
#define ORDER_NUMBER \
	"((?-i:[A-Z]{2,4}) [0-9][0-9/_.-]{2,}|[A-Z0-9][A-Z0-9/_.-]*[0-9][A-Z0-9/_.-]*)"

/* The fields the generic reader looks for, by the usual wordings.
 * "Commande N° BP-118", "N° de commande : CDS-047", "Votre n° de
 * commande  NAT-0392", "Bon de commande n° 47". */
static const struct {
	const char *name, *pattern;
	int sureness;
	const char *fr;
} generic_fields[] = {
	{ "customer_order_ref",
	  "(?:(?:bon de commande|commande|order|\\bBC|\\bPO|purchase order)\\s*"
	  "(?:n°|no\\.?|num[ée]ro|number|#|r[ée]f[ée]rence|r[ée]f\\.?)|"
	  "(?:n°|no\\.?|num[ée]ro|r[ée]f[ée]rence|r[ée]f\\.?)\\s*(?:de\\s+)?(?:la\\s+|votre\\s+)?"
	  "(?:commande|BC\\b|PO\\b)(?:\\s+client)?|"
	  /* "Commande du 22/11/2026 - n° HS-88" */
	  "commande\\b[^\\n]{0,40}?(?:n°|\\bno\\.))\\s*:?\\s*#?"
	  ORDER_NUMBER, 90, "après un libellé de n° de commande (« N° de commande », « Commande n° »…)" },
	/* what only the fields above did not find: "NUMERO : BCF004512",
	 * "Numéro cde : 0419984" (a listing), "Référence : #WEB-1373" (a web
	 * shop), "Référence    CF2604-0217" (a screen's cell) */
	{ "customer_order_ref",
	  "(?:^|[ \\t])num[ée]ro[ \\t]*(?:de[ \\t]+)?(?:commande|cde)?[ \\t]*:[ \\t]*#?" ORDER_NUMBER,
	  80, "après « Numéro : » (aucun libellé de n° de commande dans le document)" },
	{ "customer_order_ref", "(?:^|[ \\t])r[ée]f[ée]rence[ \\t]*:?[ \\t]*#?" ORDER_NUMBER, 75,
	  "après « Référence » (aucun libellé de n° de commande dans le document)" },
	/* a neighbour's: "Bestell-Nr.", "Pedido n.º", "Numero ordine", "Order ID" */
	{ "customer_order_ref",
	  "(?:bestell(?:ung)?[- ]?(?:nr\\.?|nummer)|pedido\\s*n\\.?\\s*[ºo°]?|"
	  "n[úu]mero\\s+de\\s+pedido|ordine\\s*n\\.?\\s*[°o]?|numero\\s+(?:d[ie]ll?'?\\s*)?ordine|"
	  "order\\s+(?:id|ref(?:erence)?))\\s*:?\\s*#?" ORDER_NUMBER,
	  85, "après un libellé de n° de commande en allemand, espagnol, italien ou anglais" },
	{ "total_ht", "^\\s*(?:total|montant total)\\s*HT\\s*:?\\s+([0-9][0-9 .,]*)", 90,
	  "après « Total HT »" },
	{ "total_ttc", "^\\s*(?:total|montant total|net [àa] payer)\\s*TTC\\s*:?\\s+([0-9][0-9 .,]*)",
	  90, "après « Total TTC »" },
};

/* Compiled once for the life of the program, shared by the threads. */
static GRegex *generic_regex(size_t i)
{
	static GRegex *compiled[G_N_ELEMENTS(generic_fields)];
	static gsize ready;

	if (g_once_init_enter(&ready)) {
		for (size_t k = 0; k < G_N_ELEMENTS(generic_fields); k++)
			compiled[k] = g_regex_new(generic_fields[k].pattern,
						  G_REGEX_MULTILINE | G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
						  0, NULL);
		g_once_init_leave(&ready, 1);
	}
	return compiled[i];
}

static void generic_field(reading *rd, size_t i, const char *text)
{
	GRegex *re = generic_regex(i);
	g_autoptr(GMatchInfo) m = NULL;

	/* a field's first wording found wins over its later ones */
	if (g_hash_table_contains(rd->fields, generic_fields[i].name))
		return;
	if (re != NULL && g_regex_match(re, text, 0, &m)) {
		char *v = g_strstrip(g_match_info_fetch(m, 1));

		if (v[0] != '\0') {
			g_hash_table_replace(rd->fields, g_strdup(generic_fields[i].name), v);
			note_field(rd, generic_fields[i].name, generic_fields[i].sureness, "%s",
				   generic_fields[i].fr);
		} else {
			g_free(v);
		}
	}
}

/* ---------------------------------------------------------------- rows by their numbers */

/* A table no header names well (a header glued, wrapped over two lines,
 * in words this reader does not know) is still read by its rows: a row
 * is text followed by numbers among which the quantity times the unit
 * price gives the line's total, whatever the columns are called or
 * where they stand (issue "Intake IV").  Only rows whose arithmetic holds
 * are taken: no line is invented from a row that merely has numbers. */

/* Numbers on one line beyond which it is no row (the search for a
 * quantity, a price and their total costs the cube of them). */
#define ROW_MAX_NUMBERS 40

typedef enum { TOK_WORD, TOK_CODE, TOK_NUM, TOK_PACK } token_kind;

typedef struct {
	token_kind kind;
	char *text;
	double x0, x1;
	double v[2];            /* TOK_NUM: its value with its last mark a decimal one,
				 * and, when three digits follow it, a thousands one */
	int nv;
	int decimals;           /* TOK_NUM: digits after its last mark, 0 without */
	char *alt;              /* OCR's: the number without a leading "1" that may be a
				 * table's rule ("14,95" for "| 4,95"), or NULL */
} token;

static void token_clear(token *t)
{
	g_free(t->text);
	g_free(t->alt);
}

/* "1 200", "3,45", "14 280,00 €", "5.200": a number as printed, its
 * values under either reading of its last mark when three digits follow
 * it (the draft reads it again with the document's own mark). */
static gboolean number_token(const char *s, token *t)
{
	g_autofree char *digits = g_strdup(s);
	g_autoptr(GString) dec = g_string_new(NULL);
	g_autoptr(GString) whole = g_string_new(NULL);
	const char *last = NULL;
	size_t len = strlen(digits);

	if (g_str_has_suffix(digits, "€"))
		digits[len -= strlen("€")] = '\0';
	if (len == 0 || len > 24 || !g_ascii_isdigit(digits[0]) || !g_ascii_isdigit(digits[len - 1]))
		return FALSE;
	for (const char *p = digits; *p; p++) {
		if (*p == '.' || *p == ',')
			last = p;
		else if (*p != ' ' && !g_ascii_isdigit(*p))
			return FALSE;
	}
	for (const char *p = digits; *p; p++) {
		if (g_ascii_isdigit(*p)) {
			g_string_append_c(dec, *p);
			g_string_append_c(whole, *p);
		} else if (p == last) {
			g_string_append_c(dec, '.');
		}
	}
	t->decimals = last ? (int)strlen(last + 1) : 0;
	t->v[0] = g_ascii_strtod(dec->str, NULL);
	t->nv = 1;
	if (last != NULL && t->decimals == 3 && !(last == digits + 1 && digits[0] == '0'))
		t->v[t->nv++] = g_ascii_strtod(whole->str, NULL);
	return TRUE;
}

/* A product code: letters and digits, a hyphen or a minus sign between
 * ("BIO-1029", "BIO1003", "EP0373", "BIO−1007"), no more. */
static gboolean code_token(const char *s)
{
	gboolean letter = FALSE, digit = FALSE;
	size_t n = 0, lead = strspn(s, "0123456789");

	/* "4x125", "6x1L": a pack of sizes in a description, no code */
	if (lead > 0 && (s[lead] == 'x' || s[lead] == 'X') && g_ascii_isdigit(s[lead + 1]))
		return FALSE;

	for (const char *p = s; *p; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x80 && g_ascii_isalpha((char)c))
			letter = TRUE;
		else if (c < 0x80 && g_ascii_isdigit((char)c))
			digit = TRUE;
		else if (c != '-' && c != 0x2212 && c != '/' && c != '.')
			return FALSE;
	}
	return letter && digit && n >= 4 && n <= 24;
}

/* "x12", "×6", "CT12", "UC6": a packaging, no number of the row's. */
static gboolean pack_token(const char *s)
{
	const char *p = s;

	if (g_str_has_prefix(p, "×"))
		p += strlen("×");
	else if (*p == 'x' || *p == 'X')
		p++;
	else if (g_ascii_strncasecmp(p, "CT", 2) == 0 || g_ascii_strncasecmp(p, "UC", 2) == 0 ||
		 g_ascii_strncasecmp(p, "PK", 2) == 0)
		p += 2;
	else
		return FALSE;
	if (*p == '\0')
		return FALSE;
	for (; *p; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* The line's words as tokens, a number's groups of thousands joined
 * ("1" "200" -> "1 200"). */
static GArray *line_tokens(const laid_line *l)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(token));

	g_array_set_clear_func(out, (GDestroyNotify)token_clear);
	for (guint i = 0; i < l->words->len; i++) {
		const page_word *w = l->words->pdata[i];
		double height = MAX(w->y1 - w->y0, 1.0);
		const char *text = w->text;
		token t;

		/* OCR reads a table's rule before a number as a mark: ".30", "|12" */
		if (w->source == PAGE_WORD_OCR && strchr(".,:;|'`!", text[0]) != NULL && text[0] != '\0' &&
		    g_ascii_isdigit(text[1]))
			text++;
		t = (token){ TOK_WORD, g_strdup(text), w->x0, w->x1, { 0, 0 }, 0, 0, NULL };
		if (w->source == PAGE_WORD_OCR && text[0] == '1' && g_ascii_isdigit(text[1]))
			t.alt = g_strdup(text + 1);

		/* a group of three digits right after a number: its thousands */
		if (out->len > 0) {
			token *prev = &g_array_index(out, token, out->len - 1);
			size_t n = strlen(w->text);
			gboolean group = n >= 3 && g_ascii_isdigit(w->text[0]) &&
					 g_ascii_isdigit(w->text[1]) && g_ascii_isdigit(w->text[2]) &&
					 (n == 3 || w->text[3] == ',' || w->text[3] == '.' ||
					  g_str_has_prefix(w->text + 3, "€"));
			size_t plen = strlen(prev->text);
			gboolean prev_int = plen > 0 && plen <= 3 + 4 * 3 && g_ascii_isdigit(prev->text[0]) &&
					    strspn(prev->text, "0123456789 ") == plen;

			if (group && prev_int && w->x0 - prev->x1 < 0.6 * height) {
				char *joined = g_strdup_printf("%s %s", prev->text, w->text);

				g_free(prev->text);
				prev->text = joined;
				prev->x1 = w->x1;
				token_clear(&t);
				continue;
			}
		}
		g_array_append_val(out, t);
	}
	for (guint i = 0; i < out->len; i++) {
		token *t = &g_array_index(out, token, i);

		if (number_token(t->text, t))
			t->kind = TOK_NUM;
		else if (pack_token(t->text))
			t->kind = TOK_PACK;
		else if (code_token(t->text))
			t->kind = TOK_CODE;
	}
	return out;
}

/* A row that carries no product: a total, a carried subtotal, a fee. */
static gboolean not_an_item(const char *first_word)
{
	static const char *const words[] = {
		"total", "soustotal", "report", "tva", "frais", "remise", "escompte", "net",
		"montant", "acompte", "port", "livraison", "sous", "cumul", "subtotal", "shipping",
		"summe", "zwischensumme", "versand", "importe", "totale", "spedizione",
		/* a footer's numbers are no order's */
		"tel", "telephone", "fax", "siret", "siren", "iban", "rcs", "ape", "naf", "capital",
		"page", "folio",
	};
	g_autofree char *sq = squash(first_word);

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		if (strcmp(sq, words[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* a × b is c, to the cent, or to a hundredth of a percent on a large
 * total (a price kept with more decimals than printed), under some
 * reading of each. */
static gboolean product_holds(const token *a, const token *b, const token *c)
{
	for (int i = 0; i < a->nv; i++) {
		for (int j = 0; j < b->nv; j++) {
			for (int k = 0; k < c->nv; k++) {
				double p = a->v[i] * b->v[j], t = c->v[k];

				if (t > 0 && fabs(p - t) <= 0.011 + 0.0001 * t)
					return TRUE;
			}
		}
	}
	return FALSE;
}

/* Whether a word of l is a product code. */
static gboolean code_in_words(const laid_line *l)
{
	for (guint i = 0; i < l->words->len; i++) {
		if (code_token(((const page_word *)l->words->pdata[i])->text))
			return TRUE;
	}
	return FALSE;
}

/* Among the numbers after the text, a quantity and a price whose
 * product is a third number, the total: *qi_r, *pi_r, *ti_r (-1 when
 * none).  The total is the last such number after its factors; with
 * split, anywhere (a row printed on two lines: the total beside the
 * description, "12 × 14,50 €" under it).  qty_first: what a header says
 * of their order (1 quantity first, 0 price first, -1 nothing). */
static void find_product(GArray *toks, int first_text, gboolean split, int qty_first, int *qi_r,
			 int *pi_r, int *ti_r)
{
	*qi_r = *pi_r = *ti_r = -1;
	for (int k = (int)toks->len - 1; k > first_text; k--) {
		const token *c = &g_array_index(toks, token, k);

		if (c->kind != TOK_NUM)
			continue;
		for (int i = first_text + 1; i < (int)toks->len; i++) {
			const token *a = &g_array_index(toks, token, i);

			if (a->kind != TOK_NUM || i == k || (!split && i > k))
				continue;
			for (int j = i + 1; j < (int)toks->len; j++) {
				const token *b = &g_array_index(toks, token, j);

				if (b->kind != TOK_NUM || j == k || (!split && j > k) ||
				    !product_holds(a, b, c))
					continue;
				*ti_r = k;
				/* the price has the decimals of money; a quantity is
				 * whole, or weighed with other decimals; when the
				 * decimals say nothing, the header's order does */
				if ((a->decimals == 2 && b->decimals != 2) ||
				    (a->decimals == b->decimals && qty_first == 0)) {
					*pi_r = i;
					*qi_r = j;
				} else {
					*qi_r = i;
					*pi_r = j;
				}
				return;
			}
		}
	}
}

/* find_product again with one of OCR's other readings of a number (a
 * rule read as a "1" before it): the first that makes the arithmetic
 * hold is the number, its text replaced; the indices as find_product's. */
static void find_product_ocr(GArray *toks, int first_text, gboolean split, int qty_first,
			     int *qi_r, int *pi_r, int *ti_r)
{
	for (guint k = 0; k < toks->len && *ti_r < 0; k++) {
		token *t = &g_array_index(toks, token, k);
		token was;

		if (t->kind != TOK_NUM || t->alt == NULL)
			continue;
		was = *t;
		t->text = t->alt;
		t->alt = NULL;
		if (number_token(t->text, t))
			find_product(toks, first_text, split, qty_first, qi_r, pi_r, ti_r);
		if (*ti_r >= 0) {
			g_free(was.text);
			return;
		}
		/* back to what OCR read; its other reading, tried, is gone */
		g_free(t->text);
		*t = was;
		t->alt = NULL;
	}
}

/* A row's text token t into its reference (the first code) or its
 * description (the rest; a number inside it is of it: "500 g"). */
static void take_text(const token *t, GString *ref, GString *desc)
{
	if (t->kind == TOK_CODE && ref->len == 0) {
		g_string_append(ref, t->text);
	} else if (t->kind == TOK_WORD || t->kind == TOK_CODE ||
		   (t->kind == TOK_NUM && desc->len > 0)) {
		if (desc->len)
			g_string_append_c(desc, ' ');
		g_string_append(desc, t->text);
	}
}

/* Reads the row l as a line into *out (owned), or FALSE: text, then
 * numbers of which two multiply to a third; or, when pair_r is not NULL,
 * a quantity and a price alone (*pair_r set), for the caller to vouch
 * for. */
static gboolean row_line(const laid_line *l, gboolean split, int qty_first, reader_line **out,
			 gboolean *pair_r)
{
	g_autoptr(GArray) toks = line_tokens(l);
	g_autoptr(GString) desc = g_string_new(NULL);
	g_autoptr(GString) ref = g_string_new(NULL);
	int first_text = -1;
	int qi = -1, pi = -1, ti = -1;

	*out = NULL;
	for (guint i = 0; i < toks->len; i++) {
		token *t = &g_array_index(toks, token, i);

		if (t->kind == TOK_WORD || t->kind == TOK_CODE) {
			first_text = (int)i;
			break;
		}
	}
	if (first_text < 0 || first_text > 1)
		return FALSE;   /* a row number at most before the text */
	if (not_an_item(g_array_index(toks, token, first_text).text))
		return FALSE;
	{
		g_autofree char *sq = squash(l->text);
		guint numbers = 0;

		for (guint i = 0; i < toks->len; i++)
			numbers += g_array_index(toks, token, i).kind == TOK_NUM;
		/* "À reporter"; and a line of more numbers than any row has,
		 * which the search below would spend its cube on */
		if (g_str_has_prefix(sq, "areporter") || numbers > ROW_MAX_NUMBERS)
			return FALSE;
	}
	find_product(toks, first_text, split, qty_first, &qi, &pi, &ti);
	if (ti < 0)
		find_product_ocr(toks, first_text, split, qty_first, &qi, &pi, &ti);
	if (ti < 0 && pair_r != NULL) {
		/* no total printed: the two numbers that end the row (a
		 * packaging between them and the text aside), the one with the
		 * two decimals of money the price; the caller decides whether
		 * the document's total or its header vouch for them */
		int last = (int)toks->len - 1, nums[2], n = 0;

		while (last > first_text &&
		       g_array_index(toks, token, last).kind == TOK_WORD &&
		       strcmp(g_array_index(toks, token, last).text, "€") == 0)
			last--;
		for (int i = last; i > first_text && n < 2; i--) {
			const token *t = &g_array_index(toks, token, i);

			if (t->kind == TOK_NUM)
				nums[n++] = i;
			else if (t->kind != TOK_PACK)
				break;
		}
		if (n == 2) {
			const token *a = &g_array_index(toks, token, nums[1]);
			const token *b = &g_array_index(toks, token, nums[0]);

			if (a->decimals == 2 && b->decimals != 2) {
				pi = nums[1];
				qi = nums[0];
			} else if (b->decimals == 2 && a->decimals != 2) {
				qi = nums[1];
				pi = nums[0];
			} else if (qty_first >= 0) {
				/* the decimals say nothing ("24.000 14.210"): the header's
				 * order does */
				qi = qty_first ? nums[1] : nums[0];
				pi = qty_first ? nums[0] : nums[1];
			}
		}
		if (qi < 0)
			return FALSE;
		*pair_r = TRUE;
	}
	if (qi < 0)
		return FALSE;
	for (int i = first_text; i < (int)toks->len; i++) {
		const token *t = &g_array_index(toks, token, i);

		if (i >= qi || i >= pi || (ti >= 0 && i >= ti)) {
			/* past the numbers: a code printed after them ("SKU :
			 * BIO-1012" under a row on two lines) is still its own */
			if (split && t->kind == TOK_CODE && ref->len == 0)
				g_string_append(ref, t->text);
			continue;
		}
		take_text(t, ref, desc);
	}
	if (desc->len == 0 && ref->len == 0)
		return FALSE;
	*out = g_new0(reader_line, 1);
	(*out)->ref = ref->len ? g_strdup(ref->str) : NULL;
	(*out)->description = desc->len ? g_strdup(desc->str) : NULL;
	(*out)->qty = g_strdup(g_array_index(toks, token, qi).text);
	(*out)->unit_price = g_strdup(g_array_index(toks, token, pi).text);
	(*out)->line_total = ti >= 0 ? g_strdup(g_array_index(toks, token, ti).text) : NULL;
	(*out)->page = l->page;
	(*out)->text = g_strdup(l->text);
	/* a pair's: its caller says what vouched for it */
	(*out)->how = READ_BY_ARITHMETIC;
	return TRUE;
}

/* A row printed on two lines (its description and total, then "12 ×
 * 14,50 €" and its reference under them), read as one; FALSE when the
 * two lines are not that. */
static gboolean row_on_two_lines(const laid_line *a, const laid_line *b, reader_line **out)
{
	laid_line both = { a->page, NULL, NULL, NULL };
	gboolean read;

	*out = NULL;
	if (a->page != b->page || b->words->len == 0 || b->words->len > 12 || a->words->len > 60)
		return FALSE;
	{
		/* the second line begins with its numbers, and is no row itself */
		token first = { 0 };
		reader_line *alone = NULL;

		if (!number_token(((const page_word *)b->words->pdata[0])->text, &first))
			return FALSE;
		if (row_line(b, FALSE, -1, &alone, NULL)) {
			reader_line_free(alone);
			return FALSE;
		}
	}
	both.words = g_ptr_array_new();
	for (guint i = 0; i < a->words->len; i++)
		g_ptr_array_add(both.words, a->words->pdata[i]);
	for (guint i = 0; i < b->words->len; i++)
		g_ptr_array_add(both.words, b->words->pdata[i]);
	both.text = g_strdup_printf("%s\n%s", a->text, b->text);
	read = row_line(&both, TRUE, -1, out, NULL);
	if (read)
		(*out)->two_lines = TRUE;
	g_ptr_array_unref(both.words);
	g_free(both.text);
	return read;
}

/* The total before tax the document prints ("Total HT 1 249,00"), its
 * readings in t; FALSE when none. */
static gboolean printed_total(const reader_layout *lay, token *t)
{
	for (guint i = lay->lines->len; i-- > 0;) {
		const laid_line *l = lay->lines->pdata[i];
		g_autofree char *sq = squash(l->text);
		g_autoptr(GArray) toks = NULL;

		if (!(g_str_has_prefix(sq, "total") || g_str_has_prefix(sq, "montanttotal") ||
		      g_str_has_prefix(sq, "soustotal") || g_str_has_prefix(sq, "subtotal") ||
		      g_str_has_prefix(sq, "summe")) ||
		    strstr(sq, "ttc") != NULL)
			continue;
		toks = line_tokens(l);
		for (guint k = toks->len; k-- > 0;) {
			token *n = &g_array_index(toks, token, k);

			if (n->kind == TOK_NUM) {
				*t = *n;
				t->text = NULL;
				return TRUE;
			}
		}
	}
	return FALSE;
}

/* Whether the document's lines of quantity and price alone add up to its
 * printed total, under some reading of its numbers. */
static gboolean pairs_add_up(const reader_layout *lay, GArray *pairs)
{
	token total;
	double sums[2] = { 0, 0 };

	if (!printed_total(lay, &total))
		return FALSE;
	for (guint i = 0; i + 1 < pairs->len; i += 2) {
		const token *q = &g_array_index(pairs, token, i);
		const token *p = &g_array_index(pairs, token, i + 1);

		sums[0] += q->v[0] * p->v[0];
		sums[1] += q->v[q->nv - 1] * p->v[p->nv - 1];
	}
	for (int k = 0; k < total.nv; k++) {
		for (int j = 0; j < 2; j++) {
			if (fabs(sums[j] - total.v[k]) <= 0.011 * (double)(pairs->len / 2 + 1))
				return TRUE;
		}
	}
	return FALSE;
}

/* Where in sq (a line squashed) the first of words found stands, or NULL. */
static const char *word_in(const char *sq, const char *const *words)
{
	for (; *words != NULL; words++) {
		const char *at = strstr(sq, *words);

		if (at != NULL)
			return at;
	}
	return NULL;
}

/* A table's header words, squashed: French, and a neighbour's
 * (English, German, Spanish, Italian). */
static const char *const qty_words[] = { "qte", "quantit", "qty", "menge", "anzahl", "cantidad",
					 "qta", NULL };
static const char *const price_words[] = { "prix", "pu", "tarif", "price", "preis", "precio",
					   "prezzo", NULL };
static const char *const amount_words[] = { "prix", "montant", "total", "amount", "betrag",
					    "gesamt", "importe", "importo", NULL };
static const char *const item_words[] = { "produit", "article", "designation", "libelle",
					  "description", "ref", "item", "product", "artikel",
					  "bezeichnung", "articulo", "descripcion", "articolo",
					  "descrizione", NULL };

/* The rows of the whole document read by their numbers; a line of words
 * alone right under a row (a description wrapped, "Réf. fournisseur :
 * BIO-1012") goes with it.  Rows of a quantity and a price alone are
 * taken only when there is no row with a total, and a header above them
 * names a quantity and a price or they add up to the total the document
 * prints. */
static void row_lines(const reader_layout *lay, GPtrArray *out)
{
	g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);
	g_autoptr(GArray) pair_values = g_array_new(FALSE, TRUE, sizeof(token));
	reader_line *last = NULL;
	gboolean header_above = FALSE;
	gboolean in_table = FALSE;
	int qty_first = -1;   /* what the header says of their order: unknown */

	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		reader_line *rl = NULL;
		gboolean pair = FALSE;

		g_autofree char *sq = squash(l->text);
		const char *qty_at = word_in(sq, qty_words);
		const char *price_at = word_in(sq, price_words);

		if (pairs->len == 0 && !header_above && qty_at != NULL && price_at != NULL) {
			/* a header that names a quantity and a price, however
			 * glued or worded: "ConditionnementQté PU net" */
			header_above = TRUE;
			qty_first = qty_at < price_at;
		}
		/* the table: from a line that heads it (a quantity, or a product
		 * and a price or total) to its total; a footer's numbers ("Tél.
		 * 04 72 12 48 90": 4 × 12 = 48) are no rows */
		if (g_str_has_prefix(sq, "total") || g_str_has_prefix(sq, "montanttotal") ||
		    g_str_has_prefix(sq, "netapayer") || g_str_has_prefix(sq, "subtotal") ||
		    g_str_has_prefix(sq, "summe") || g_str_has_prefix(sq, "zwischensumme"))
			in_table = FALSE;
		else if (qty_at != NULL || (word_in(sq, amount_words) && word_in(sq, item_words)))
			in_table = TRUE;
		if (!in_table) {
			last = NULL;
			continue;
		}
		if (row_line(l, FALSE, qty_first, &rl, &pair) ||
		    (i + 1 < lay->lines->len && row_on_two_lines(l, lay->lines->pdata[i + 1], &rl) &&
		     (i++, TRUE))) {
			if (pair) {
				token q = { 0 }, p = { 0 };

				if (number_token(rl->qty, &q) && number_token(rl->unit_price, &p)) {
					g_array_append_val(pair_values, q);
					g_array_append_val(pair_values, p);
				}
			}
			g_ptr_array_add(pair ? pairs : out, rl);
			last = rl;
			continue;
		}
		if (last != NULL && last->page == l->page && l->words->len <= 8 &&
		    strpbrk(l->text, "0123456789") != NULL && code_in_words(l)) {
			/* the reference under its description */
			char *joined = g_strdup_printf("%s %s", last->description ? last->description : "",
						       l->text);

			g_free(last->description);
			last->description = g_strstrip(joined);
		}
		last = NULL;
	}
	if (out->len == 0 && pairs->len > 0) {
		gboolean add_up = pairs_add_up(lay, pair_values);

		for (guint i = 0; (header_above || add_up) && i < pairs->len; i++) {
			reader_line *rl = g_steal_pointer(&pairs->pdata[i]);

			rl->how = add_up ? READ_BY_DOCUMENT_TOTAL : READ_BY_HEADER;
			g_ptr_array_add(out, rl);
		}
	}
}

/* ---------------------------------------------------------------- a letter's lines */

/* An order written as a letter or a mail's text, no table: "- 12 x
 * BIO-2001 Farine de blé T65", "6 cartons de BIO-2004 jus de pomme",
 * "BIO-2003 huile d'olive : 4".  A sentence is a line when it holds
 * exactly one reference and exactly one number that counts it (before
 * "x", a packaging word or the reference, or after ":", "x", "qté"); a
 * number followed by a unit of size ("1 kg", "75 cl") is the product's.
 * No price: the catalogue's applies. */

/* Whether w, in lower case ASCII, counts what follows it. */
static gboolean counting_word(const char *w)
{
	static const char *const words[] = {
		"x", "*", "carton", "cartons", "colis", "unite", "unites", "piece", "pieces", "pcs",
		"sac", "sacs", "bouteille", "bouteilles", "boite", "boites", "pot", "pots",
		"paquet", "paquets", "caisse", "caisses", "lot", "lots", "bidon", "bidons",
		"flacon", "flacons", "barquette", "barquettes", "sachet", "sachets", "fois", NULL,
	};

	for (const char *const *k = words; *k != NULL; k++) {
		if (strcmp(w, *k) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Whether w is a unit of size: the number before it is the product's. */
static gboolean size_unit(const char *w)
{
	static const char *const units[] = { "g", "kg", "mg", "l", "cl", "ml", "dl", "cm", "mm",
					     "m", "%", NULL };

	for (const char *const *k = units; *k != NULL; k++) {
		if (strcmp(w, *k) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The letter's line read from l, or NULL. */
static reader_line *prose_line(const laid_line *l)
{
	g_autoptr(GArray) toks = line_tokens(l);
	g_autoptr(GString) desc = g_string_new(NULL);
	int code = -1, qty = -1, codes = 0;
	const token *t = NULL;

	if (toks->len < 2 || toks->len > 30)
		return NULL;
	for (guint i = 0; i < toks->len; i++) {
		t = &g_array_index(toks, token, i);
		if (t->kind == TOK_CODE && strchr(t->text, '/') == NULL)
			code = (int)i, codes++;
	}
	if (codes != 1 || not_an_item(g_array_index(toks, token, 0).text))
		return NULL;
	if (code > 0) {
		/* "N° : BC-118", "commande BV-2026-31": a field's value, no product */
		g_autofree char *a = g_str_to_ascii(g_array_index(toks, token, code - 1).text, "C");
		g_autofree char *before = g_ascii_strdown(a, -1);
		static const char *const labels[] = { ":", "n", "no", "n.", "no.", "numero",
						      "commande", "cde", "#", "ref", "ref.", "ref:",
						      "reference", NULL };

		for (const char *const *k = labels; *k != NULL; k++) {
			if (strcmp(before, *k) == 0 || (g_str_has_suffix(before, ":") && code - 1 > 0))
				return NULL;
		}
	}
	for (guint i = 0; i < toks->len; i++) {
		g_autofree char *next = NULL;
		g_autofree char *prev = NULL;
		gboolean counts;

		t = &g_array_index(toks, token, i);
		if (t->kind != TOK_NUM)
			continue;
		if (i + 1 < toks->len) {
			g_autofree char *a = g_str_to_ascii(g_array_index(toks, token, i + 1).text, "C");

			next = g_ascii_strdown(a, -1);
		}
		if (i > 0) {
			g_autofree char *a = g_str_to_ascii(g_array_index(toks, token, i - 1).text, "C");

			prev = g_ascii_strdown(a, -1);
		}
		if (next != NULL && size_unit(next))
			continue;   /* "1 kg": the product's size */
		if (strchr(t->text, '.') != strrchr(t->text, '.') ||
		    strchr(t->text, ',') != strrchr(t->text, ','))
			return NULL;   /* "20.11.2026": a date, no count */
		counts = (next != NULL && counting_word(next)) || (int)i + 1 == code ||
			 (prev != NULL && (g_str_has_suffix(prev, ":") || strcmp(prev, "x") == 0 ||
					   strcmp(prev, "qte") == 0 || strcmp(prev, "qte:") == 0 ||
					   strcmp(prev, "quantite") == 0 || strcmp(prev, "quantite:") == 0)) ||
			 (i == 0 && next != NULL) || (i == 1 && prev != NULL && (strcmp(prev, "-") == 0 ||
										 strcmp(prev, "•") == 0));
		if (!counts)
			return NULL;   /* a number that counts nothing: no sentence of an order */
		if (qty >= 0)
			return NULL;   /* two counts: which one? */
		qty = (int)i;
	}
	if (qty < 0)
		return NULL;
	for (guint i = 0, counted = 0; i < toks->len; i++) {
		g_autofree char *ascii = NULL;
		g_autofree char *lower = NULL;

		t = &g_array_index(toks, token, i);
		ascii = g_str_to_ascii(t->text, "C");
		lower = g_ascii_strdown(ascii, -1);
		/* "12 x", "6 cartons de": the count's words, not the product's */
		if ((int)i == qty + 1 && counting_word(lower)) {
			counted = i;
			continue;
		}
		if (counted > 0 && i == counted + 1 && (strcmp(lower, "de") == 0 || strcmp(lower, "d'") == 0))
			continue;
		if ((int)i == qty || (int)i == code || t->kind == TOK_PACK ||
		    (t->kind == TOK_WORD && strlen(t->text) <= 1 && !g_ascii_isalnum(t->text[0])) ||
		    strcmp(t->text, ":") == 0)
			continue;
		if (desc->len)
			g_string_append_c(desc, ' ');
		g_string_append(desc, t->text);
	}
	{
		reader_line *rl = g_new0(reader_line, 1);

		rl->ref = g_strdup(g_array_index(toks, token, code).text);
		rl->description = desc->len ? g_strdup(desc->str) : NULL;
		rl->qty = g_strdup(g_array_index(toks, token, qty).text);
		rl->page = l->page;
		rl->text = g_strdup(l->text);
		rl->how = READ_BY_PROSE;
		return rl;
	}
}

static void prose_lines(const reader_layout *lay, GPtrArray *out)
{
	for (guint i = 0; i < lay->lines->len; i++) {
		reader_line *rl = prose_line(lay->lines->pdata[i]);

		if (rl != NULL)
			g_ptr_array_add(out, rl);
	}
}

/* ---------------------------------------------------------------- a layout learned */

/* Whether t reads as v, and as which of its readings (*k_r). */
static gboolean token_is(const token *t, double v, int *k_r)
{
	for (int k = 0; k < t->nv; k++) {
		if (fabs(t->v[k] - v) < 0.0005) {
			*k_r = k;
			return TRUE;
		}
	}
	return FALSE;
}

/* The decimal mark that reads t as its reading k: its last mark when
 * that is decimal (k 0), the other when it groups thousands; 0 without. */
static char mark_reading(const token *t, int k)
{
	const char *last = NULL;

	for (const char *p = t->text; *p; p++) {
		if (*p == '.' || *p == ',')
			last = p;
	}
	if (last == NULL)
		return 0;
	return k == 0 ? *last : *last == '.' ? ',' : '.';
}

gboolean reader_find_row(const reader_layout *lay, const char *key, double qty, double price,
			 reader_columns *found)
{
	g_autofree char *want = key ? g_utf8_casefold(key, -1) : NULL;

	if (want == NULL || strlen(want) < 3)
		return FALSE;
	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		g_autofree char *text = g_utf8_casefold(l->text, -1);
		g_autoptr(GArray) toks = NULL;
		int qi = -1, pi = -1, qk = 0, pk = 0;

		if (strstr(text, want) == NULL)
			continue;
		toks = line_tokens(l);
		/* the price: the first number that is it (a quantity of 1
		 * prints the total equal to it, after it); the quantity: the
		 * number that is it closest to the price, on either side (a
		 * description's "500 g" stands farther) */
		for (guint k = 0; k < toks->len && pi < 0; k++) {
			const token *t = &g_array_index(toks, token, k);

			if (t->kind == TOK_NUM && token_is(t, price, &pk))
				pi = (int)k;
		}
		for (guint k = 0; pi >= 0 && k < toks->len; k++) {
			const token *t = &g_array_index(toks, token, k);
			int kq;

			if (t->kind != TOK_NUM || (int)k == pi || !token_is(t, qty, &kq))
				continue;
			if (qi < 0 || abs((int)k - pi) < abs(qi - pi))
				qi = (int)k, qk = kq;
		}
		if (qi < 0 || pi < 0)
			continue;
		{
			const token *q = &g_array_index(toks, token, qi);
			const token *p = &g_array_index(toks, token, pi);
			char qmark = mark_reading(q, qk), pmark = mark_reading(p, pk);

			found->qty_x = (q->x0 + q->x1) / 2;
			found->price_x = (p->x0 + p->x1) / 2;
			found->decimal_mark = pmark ? pmark : qmark;
		}
		return TRUE;
	}
	return FALSE;
}

/* The number of toks standing in the column centred at x (-1: none):
 * the one whose extent, widened by a little, holds x, closest first
 * (numbers of one column are aligned left, right or centred). */
static int number_under(GArray *toks, double x, int but)
{
	int best = -1;
	double best_d = 0;

	for (guint i = 0; i < toks->len; i++) {
		const token *t = &g_array_index(toks, token, i);
		double mid = (t->x0 + t->x1) / 2, d = fabs(mid - x);

		if (t->kind != TOK_NUM || (int)i == but || x < t->x0 - 8 || x > t->x1 + 8)
			continue;
		if (best < 0 || d < best_d)
			best = (int)i, best_d = d;
	}
	return best;
}

/* The number toks[i] with the group of thousands a space apart before
 * it ("1" "200.000": a monospaced listing's space is wider than the
 * joining of line_tokens allows), owned. */
static char *thousands_before(GArray *toks, int i)
{
	const token *t = &g_array_index(toks, token, i);
	const token *prev = i > 0 ? &g_array_index(toks, token, i - 1) : NULL;
	size_t n = strlen(t->text), pn = prev ? strlen(prev->text) : 0;
	double char_width = n ? (t->x1 - t->x0) / (double)n : 0;

	if (prev != NULL && prev->kind == TOK_NUM && pn >= 1 && pn <= 3 &&
	    strspn(prev->text, "0123456789") == pn && strspn(t->text, "0123456789") == 3 &&
	    (n == 3 || t->text[3] == '.' || t->text[3] == ',') &&
	    t->x0 - prev->x1 <= 1.2 * char_width)
		return g_strdup_printf("%s %s", prev->text, t->text);
	return g_strdup(t->text);
}

/* The rows of lay read by the columns learned: a line with text, then a
 * number under the quantity's column and one under the price's; a
 * number right of both is the line's total. */
static void learned_lines(const reader_layout *lay, const reader_columns *cols, GPtrArray *out)
{
	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		g_autoptr(GArray) toks = line_tokens(l);
		g_autoptr(GString) desc = g_string_new(NULL);
		g_autoptr(GString) ref = g_string_new(NULL);
		g_autofree char *sq = squash(l->text);
		int qi = number_under(toks, cols->qty_x, -1);
		int pi = qi >= 0 ? number_under(toks, cols->price_x, qi) : -1;
		int first = MIN(qi, pi), last = MAX(qi, pi), ti = -1;
		reader_line *rl;

		if (qi < 0 || pi < 0 || g_str_has_prefix(sq, "total") ||
		    g_str_has_prefix(sq, "soustotal") || g_str_has_prefix(sq, "report") ||
		    g_str_has_prefix(sq, "areporter") || g_str_has_prefix(sq, "montanttotal") ||
		    g_str_has_prefix(sq, "netapayer"))
			continue;
		for (int k = 0; k < first; k++)
			take_text(&g_array_index(toks, token, k), ref, desc);
		if ((desc->len == 0 && ref->len == 0) ||
		    not_an_item(g_array_index(toks, token, 0).text))
			continue;
		for (int k = (int)toks->len - 1; k > last && ti < 0; k--) {
			if (g_array_index(toks, token, k).kind == TOK_NUM)
				ti = k;
		}
		rl = g_new0(reader_line, 1);
		rl->ref = ref->len ? g_strdup(ref->str) : NULL;
		rl->description = desc->len ? g_strdup(desc->str) : NULL;
		rl->qty = thousands_before(toks, qi);
		rl->unit_price = thousands_before(toks, pi);
		rl->line_total = ti >= 0 ? thousands_before(toks, ti) : NULL;
		rl->page = l->page;
		rl->text = g_strdup(l->text);
		rl->how = READ_BY_LEARNED;
		g_ptr_array_add(out, rl);
	}
}

/* The learned layout over what the generic reader read of the lines. */
static void apply_learned(const reader_layout *lay, const reader_columns *cols, reading *rd)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);

	learned_lines(lay, cols, rows);
	/* another layout from the same sender: its own reading, its own marks */
	if (rows->len == 0 || rows->len < rd->lines->len)
		return;
	rd->decimal_mark = cols->decimal_mark;
	g_free(rd->lines_choice);
	rd->lines_choice = g_strdup_printf("lignes lues par les colonnes apprises d'une correction "
					   "(quantité vers x = %.0f, prix vers x = %.0f) : %u ligne%s, "
					   "contre %u par la lecture générique",
					   cols->qty_x, cols->price_x, rows->len,
					   rows->len > 1 ? "s" : "", rd->lines->len);
	g_ptr_array_set_size(rd->lines, 0);
	for (guint i = 0; i < rows->len; i++)
		g_ptr_array_add(rd->lines, g_steal_pointer(&rows->pdata[i]));
	g_ptr_array_set_size(rows, 0);
}

/* How many of lines have a quantity, a price and a total. */
static guint lines_whole(const GPtrArray *lines)
{
	guint n = 0;

	for (guint i = 0; i < lines->len; i++) {
		const reader_line *l = lines->pdata[i];

		n += l->qty != NULL && l->unit_price != NULL && l->line_total != NULL;
	}
	return n;
}

/* How many of lines have no number begun by a mark (OCR's ".30": a
 * table's rule read before 30). */
static guint lines_numeric(const GPtrArray *lines)
{
	guint n = 0;

	for (guint i = 0; i < lines->len; i++) {
		const reader_line *l = lines->pdata[i];
		const char *cells[] = { l->qty, l->unit_price, l->line_total };
		gboolean all = TRUE;

		for (size_t k = 0; k < G_N_ELEMENTS(cells); k++) {
			const char *c = cells[k] ? cells[k] + strspn(cells[k], " ") : NULL;

			all &= c == NULL || c[0] == '\0' || strchr(".,:;|'`!", c[0]) == NULL ||
			       !g_ascii_isdigit(c[1]);
		}
		n += all;
	}
	return n;
}

/* The words of a line that gives the order's date, and of one that
 * gives the delivery's, in lower case: French first, a neighbour's. */
static const char *const date_words[] = { "date", "datum", "fecha", "data:", "data ", NULL };

/* Where lower (a line in lower case) speaks of the delivery, or NULL. */
static const char *delivery_at(const char *lower)
{
	static const char *const words[] = { "livr", "deliver", "liefer", "entrega", "consegna",
					     NULL };

	return word_in(lower, words);
}

/* The generic reader's fields, and its lines when with_lines (a rule
 * that read lines needs only the fields it missed). */
static reading *generic_reading(const reader_layout *lay, gboolean with_lines)
{
	const char *text = lay->text;
	reading *rd = reading_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(generic_fields); i++)
		generic_field(rd, i, text);
	{
		/* The order's date: on a line that says "date" (not a delivery
		 * date), else the first date of the document. */
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		char *date = NULL;
		guint date_at = 0;

		for (guint i = 0; lines[i] != NULL && date == NULL; i++) {
			g_autofree char *lower = g_utf8_strdown(lines[i], -1);

			if (word_in(lower, date_words) != NULL && delivery_at(lower) == NULL)
				date = date_find(lines[i]), date_at = i + 1;
		}
		if (date != NULL) {
			note_field(rd, "order_date", 90, "sur une ligne qui dit « date » (ligne %u du "
				   "texte)", date_at);
		} else {
			/* the first date of the document: its line tells how likely
			 * the order's it is ("Commande du 22/11", "Bordeaux, le
			 * 24/11" are; a delivery's or a due date is not) */
			for (guint i = 0; lines[i] != NULL && date == NULL; i++) {
				g_autofree char *lower = NULL;

				if ((date = date_find(lines[i])) == NULL)
					continue;
				lower = g_utf8_strdown(lines[i], -1);
				if (delivery_at(lower) != NULL || strstr(lower, "échéance") != NULL)
					note_field(rd, "order_date", 50, "la première date du document, sur "
						   "une ligne de livraison ou d'échéance (ligne %u du texte)",
						   i + 1);
				else if (strstr(lower, "commande") != NULL || strstr(lower, ", le ") != NULL)
					note_field(rd, "order_date", 85, "la première date du document, sur "
						   "une ligne « commande du » ou « …, le » (ligne %u du texte)",
						   i + 1);
				else
					note_field(rd, "order_date", 75, "la première date du document : "
						   "aucune ligne ne dit « date » (ligne %u du texte)", i + 1);
			}
		}
		if (date != NULL)
			g_hash_table_replace(rd->fields, g_strdup("order_date"), date);
		/* "Livraison souhaitée le : 27/11/2026", "À livrer le 2
		 * décembre": the date after the word */
		for (guint i = 0; lines[i] != NULL; i++) {
			/* ASCII case only: the offset found holds in the line */
			g_autofree char *lower = g_ascii_strdown(lines[i], -1);
			const char *at = delivery_at(lower);
			char *when;
			gboolean wrapped = FALSE;

			if (at == NULL)
				continue;
			when = date_find(lines[i] + (at - lower));
			/* "Date de    12/05/2026" over "livraison prévue": a label
			 * wrapped, its date on the line above */
			if (when == NULL && i > 0 && at - lower < 12 && date_find(lines[i]) == NULL &&
			    strstr(lower, "adresse") == NULL) {
				g_autofree char *above = g_ascii_strdown(lines[i - 1], -1);

				/* the label cut after "de": "Date de" / "livraison" */
				if (strstr(above, "date de ") != NULL && strstr(above, "commande") == NULL)
					when = date_find(lines[i - 1]), wrapped = TRUE;
			}
			if (when != NULL) {
				g_hash_table_replace(rd->fields, g_strdup("delivery_date"), when);
				if (wrapped)
					note_field(rd, "delivery_date", 80, "libellé « Date de / livraison » "
						   "sur deux lignes (lignes %u et %u du texte)", i, i + 1);
				else
					note_field(rd, "delivery_date", 85, "après « livr… » (ligne %u du "
						   "texte)", i + 1);
				break;
			}
		}
	}
	if (with_lines) {
		g_autoptr(GPtrArray) rows =
			g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);

		guint whole_rows, whole_columns;
		gboolean by_rows;

		generic_lines(lay, rd->lines);
		/* the rows read by their numbers, when they are more than the
		 * columns under a header gave, or as many and more of them
		 * whole (a header glued, "Qté Prix unitaire", loses a column) */
		row_lines(lay, rows);
		whole_rows = lines_whole(rows);
		whole_columns = lines_whole(rd->lines);
		by_rows = rows->len > rd->lines->len ||
			  (rows->len == rd->lines->len &&
			   (whole_rows > whole_columns ||
			    (whole_rows == whole_columns &&
			     lines_numeric(rows) > lines_numeric(rd->lines))));
		if (rows->len > 0 || rd->lines->len > 0)
			rd->lines_choice = g_strdup_printf(
				"lignes lues %s : %u ligne%s dont %u complète%s (quantité, prix, "
				"montant), contre %u dont %u complète%s %s",
				by_rows ? "par leurs nombres" : "par les colonnes de l'en-tête",
				by_rows ? rows->len : rd->lines->len,
				(by_rows ? rows->len : rd->lines->len) > 1 ? "s" : "",
				by_rows ? whole_rows : whole_columns,
				(by_rows ? whole_rows : whole_columns) > 1 ? "s" : "",
				by_rows ? rd->lines->len : rows->len,
				by_rows ? whole_columns : whole_rows,
				(by_rows ? whole_columns : whole_rows) > 1 ? "s" : "",
				by_rows ? "par les colonnes de l'en-tête" : "par leurs nombres");
		if (rows->len == 0 && rd->lines->len == 0) {
			/* no table at all: a letter's sentences */
			prose_lines(lay, rd->lines);
			if (rd->lines->len > 0)
				rd->lines_choice = g_strdup_printf(
					"aucun tableau : %u ligne%s lue%s dans les phrases d'une lettre",
					rd->lines->len, rd->lines->len > 1 ? "s" : "",
					rd->lines->len > 1 ? "s" : "");
		}
		if (by_rows) {
			g_ptr_array_set_size(rd->lines, 0);
			for (guint i = 0; i < rows->len; i++)
				g_ptr_array_add(rd->lines, g_steal_pointer(&rows->pdata[i]));
			g_ptr_array_set_size(rows, 0);
		}
	}
	return rd;
}

reading *reader_generic(const page_content *c)
{
	reader_layout *lay = reader_layout_new(c);
	reading *rd;

	rd = generic_reading(lay, TRUE);
	reader_layout_free(lay);
	return rd;
}

/* ---------------------------------------------------------------- both */

reading *reader_read(const rule_set *set, const page_content *c, const reader_layout *lay,
		     const reader_columns *learned)
{
	static const char *const fields[] = { RULES_FIELDS };
	const char *text = lay->text;
	const rule *r = set ? rules_match(set, text) : NULL;
	reading *rd;
	g_autoptr(reading) generic = NULL;

	if (r == NULL) {
		rd = generic_reading(lay, TRUE);
		if (learned != NULL)
			apply_learned(lay, learned, rd);
		for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
			if (g_hash_table_contains(rd->fields, fields[i]))
				g_ptr_array_add(rd->generic, (gpointer)fields[i]);
		}
		if (rd->lines->len > 0)
			g_ptr_array_add(rd->generic, (gpointer) "lines");
		return rd;
	}
	rd = reader_apply_rule(r, c, text);
	generic = generic_reading(lay, rd->lines->len == 0);
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		gpointer k, v;

		if (g_hash_table_contains(rd->fields, fields[i]) ||
		    !g_hash_table_steal_extended(generic->fields, fields[i], &k, &v))
			continue;
		g_hash_table_replace(rd->fields, k, v);
		if (g_hash_table_steal_extended(generic->notes, fields[i], &k, &v))
			g_hash_table_replace(rd->notes, k, v);
		g_ptr_array_add(rd->generic, (gpointer)fields[i]);
	}
	if (rd->lines->len == 0 && learned != NULL)
		apply_learned(lay, learned, generic);
	if (rd->lines->len == 0 && generic->lines->len > 0) {
		rd->decimal_mark = generic->decimal_mark;
		g_ptr_array_unref(rd->lines);
		rd->lines = g_ptr_array_ref(generic->lines);
		rd->lines_choice = g_steal_pointer(&generic->lines_choice);
		g_ptr_array_add(rd->generic, (gpointer) "lines");
	}
	return rd;
}

char *reader_text_but_lines(const char *text, const reading *rd)
{
	g_autoptr(GHashTable) rows = g_hash_table_new(g_str_hash, g_str_equal);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *l = rd->lines->pdata[i];

		if (l->text != NULL)
			g_hash_table_add(rows, l->text);
	}
	for (guint i = 0; lines[i] != NULL; i++) {
		if (!g_hash_table_contains(rows, lines[i]))
			g_string_append_printf(out, "%s\n", lines[i]);
	}
	return g_string_free(out, FALSE);
}

char *reader_date(const rule *r, const char *value)
{
	for (guint i = 0; value != NULL && r != NULL && r->date_formats && r->date_formats[i]; i++) {
		char *iso = date_parse_format(value, r->date_formats[i]);

		if (iso != NULL)
			return iso;
	}
	return date_find(value);
}

/* ---------------------------------------------------------------- confidence */

/* How sure the OCR was of value as line l shows it: the least confident
 * of l's words that make it up (100: not read by OCR; -1: not there). */
static int value_confidence(const laid_line *l, const char *value)
{
	g_auto(GStrv) tokens = g_strsplit(value, " ", -1);
	int least = 100;
	gboolean found = FALSE;

	for (guint t = 0; tokens[t] != NULL; t++) {
		if (tokens[t][0] == '\0')
			continue;
		for (guint i = 0; i < l->words->len; i++) {
			const page_word *w = l->words->pdata[i];

			if (strstr(w->text, tokens[t]) != NULL || strstr(tokens[t], w->text) != NULL) {
				least = MIN(least, w->confidence);
				found = TRUE;
				break;
			}
		}
	}
	return found ? least : -1;
}

int reader_field_confidence(const reader_layout *lay, const char *value)
{
	if (value == NULL)
		return 100;
	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		int conf;

		if (strstr(l->text, value) == NULL)
			continue;
		conf = value_confidence(l, value);
		if (conf >= 0)
			return conf;
	}
	return 100;
}

void reader_cell_confidence(const reader_layout *lay, const reader_line *rl,
			    int conf[READER_CELLS])
{
	const char *cells[] = { rl->ref, rl->description, rl->qty, rl->unit_price, rl->line_total };
	g_auto(GStrv) parts = g_strsplit(rl->text ? rl->text : "", "\n", 2);

	for (int c = 0; c < READER_CELLS; c++)
		conf[c] = 100;
	for (guint p = 0; parts[p] != NULL; p++) {
		for (guint i = 0; i < lay->lines->len; i++) {
			const laid_line *l = lay->lines->pdata[i];

			if (l->page != rl->page || strcmp(l->text, parts[p]) != 0)
				continue;
			for (int c = 0; c < READER_CELLS; c++) {
				int v = cells[c] ? value_confidence(l, cells[c]) : -1;

				if (v >= 0)
					conf[c] = MIN(conf[c], v);
			}
			break;
		}
	}
}
