#include "reading/reader.h"
#include "reading/rows.h"

#include "lib/dates.h"

#include <stdarg.h>
#include <string.h>

/* Words closer than this many times the line's height are one phrase;
 * farther apart, they are in different columns. */
#define COLUMN_GAP 1.5

void reader_line_free(reader_line *l)
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

gboolean reading_by_generic(const reading *rd, const char *name)
{
	return rd->rule == NULL ||
	       g_ptr_array_find_with_equal_func(rd->generic, name, g_str_equal, NULL);
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

static void laid_line_free(laid_line *l)
{
	g_ptr_array_unref(l->cells);
	g_ptr_array_unref(l->words);
	g_free(l->text);
	g_free(l);
}

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

char *reader_squash(const char *s)
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
	g_autofree char *sq = reader_squash(text);

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
		sq = reader_squash(c->text->str);
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
	g_autofree char *first = cells->len ? reader_squash(((const cell *)cells->pdata[0])->text->str) : NULL;

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

	return reader_word_in(lower, words);
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

			if (reader_word_in(lower, date_words) != NULL && delivery_at(lower) == NULL)
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
		rows_read(lay, rows);
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
			rows_read_letter(lay, rd->lines);
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
			rows_apply_learned(lay, learned, rd);
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
		rows_apply_learned(lay, learned, generic);
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
