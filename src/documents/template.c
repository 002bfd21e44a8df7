/* template.c: the YAML templates of the documents, read into the model of
 * render_p.h and checked, so that a mistake is said when the templates
 * are loaded, with its file and line, rather than on a customer's
 * invoice.  The schema is described in templates/README.md.
 *
 * A template is edited by people and may be wrong in any way: sizes are
 * bounded (the file, the nesting, the number of blocks, columns, items),
 * YAML aliases are refused (a few lines could stand for millions of
 * nodes), and every key and value is checked.
 */
#include "documents/render_p.h"

#include "lib/error.h"
#include "lib/fsutil.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define TEMPLATE_MAX_BYTES (256 * 1024)
#define TEMPLATE_MAX_DEPTH 24      /* YAML nesting */
#define TEMPLATE_MAX_NODES 20000
#define TEMPLATE_MAX_BLOCKS 300    /* in one file, rows' blocks included */
#define TEMPLATE_MAX_TEXT 4096     /* bytes of one text */
#define TEMPLATE_MAX_PIECES 64     /* placeholders and literals of one text */
#define MAX_COLUMNS 16
#define MAX_ITEMS 40
#define MAX_LINES 20
#define MAX_ROW_COLUMNS 6
#define MAX_ROW_DEPTH 3            /* a row in a row in a row */
#define MAX_PARTS 32

/* ---------------------------------------------------------------- vocabulary */

/* What the order chain sets for each kind of document (templates/README.md
 * says the same to the people who write templates).  A new value is added
 * here and there. */
static const char *const common_values[] = {
	"company.name", "company.address", "company.postcode", "company.city",
	"company.siret", "company.siren", "company.vat", "company.iban", "company.bic",
	"company.bank", "company.email", "company.phone", "company.website",
	"company.legal_form", "company.capital", "company.rcs", "company.late_penalty",
	"company.logo",
	"customer.ref", "customer.name", "customer.siren", "customer.vat",
	"customer.billing_address", "customer.billing_postcode", "customer.billing_city",
	"customer.delivery_address", "customer.delivery_postcode", "customer.delivery_city",
	"customer.discount",
	"order.number", "order.date", "order.customer_order_ref", "order.order_date",
	"order.delivery_date", "document.date",
	/* set by the renderer: the kind's name: line */
	"document.name",
	NULL,
};
static const char *const confirmation_values[] = {
	"totals.ht", "totals.vat", "totals.ttc", "differences.any", NULL,
};
static const char *const delivery_values[] = {
	"delivery.number", "delivery.date", "delivery.remaining_any", NULL,
};
static const char *const invoice_values[] = {
	"invoice.number", "invoice.date", "invoice.due_date", "invoice.payment_terms",
	"invoice.deliveries", "invoice.delivery_dates", "invoice.amount_words",
	"invoice.discount", "totals.ht", "totals.vat", "totals.ttc", NULL,
};
static const char *const priced_line_cells[] = {
	"lineno", "ref", "description", "qty", "unit", "unit_price", "vat_rate", "total", NULL,
};
static const char *const delivery_line_cells[] = {
	"lineno", "ref", "description", "unit", "ordered", "delivered_before", "delivered",
	"remaining", NULL,
};
static const char *const vat_cells[] = { "rate", "base", "amount", NULL };
static const char *const difference_cells[] = { "line", "ref", "what", "theirs", "ours", NULL };

typedef struct {
	const char *name;
	const char *const *cells;
} table_vocabulary;

static const struct {
	const char *kind;
	const char *const *values;
	table_vocabulary tables[4];
} vocabulary[] = {
	{ "confirmation", confirmation_values,
	  { { "lines", priced_line_cells }, { "vat", vat_cells }, { "differences", difference_cells } } },
	{ "delivery_note", delivery_values, { { "lines", delivery_line_cells } } },
	{ "invoice", invoice_values, { { "lines", priced_line_cells }, { "vat", vat_cells } } },
};

static gboolean in_list(const char *const *list, const char *name)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, name) == 0)
			return TRUE;
	}
	return FALSE;
}

static int kind_index(const char *kind)
{
	for (gsize i = 0; i < G_N_ELEMENTS(vocabulary); i++) {
		if (strcmp(vocabulary[i].kind, kind) == 0)
			return (int)i;
	}
	return -1;
}

static const table_vocabulary *find_table(int k, const char *table)
{
	for (gsize i = 0; i < G_N_ELEMENTS(vocabulary[k].tables); i++) {
		if (vocabulary[k].tables[i].name != NULL && strcmp(vocabulary[k].tables[i].name, table) == 0)
			return &vocabulary[k].tables[i];
	}
	return NULL;
}

/* ---------------------------------------------------------------- WinAnsi */

/* Windows-1252's 0x80 to 0x9F; the rest of its bytes are Latin-1's. */
static const gunichar winansi_80[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

guint8 doc_winansi_byte(gunichar c)
{
	if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF))
		return (guint8)c;
	for (guint i = 0; i < 32; i++) {
		if (winansi_80[i] != 0 && winansi_80[i] == c)
			return (guint8)(0x80 + i);
	}
	return 0;
}

/* ---------------------------------------------------------------- loader */

typedef struct {
	const char *file;          /* interned */
	yaml_document_t *doc;
	GString *problems;
	doc_common *common;        /* colours and parts; NULL while reading common.yaml's own */
	guint blocks;              /* read so far in this file */
	int row_depth;
} loader;

G_GNUC_PRINTF(3, 4)
static void problem(loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	if (ld->problems->len > 0)
		g_string_append_c(ld->problems, '\n');
	g_string_append_printf(ld->problems, "%s:%zu: ", ld->file,
			       node ? node->start_mark.line + 1 : (size_t)1);
	va_start(ap, fmt);
	g_string_append_vprintf(ld->problems, fmt, ap);
	va_end(ap);
}

static const char *scalar(const yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static yaml_node_t *node_at(loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

static const char *type_fr(const yaml_node_t *node)
{
	if (node == NULL)
		return "rien";
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return "un texte";
	case YAML_SEQUENCE_NODE:
		return "une liste";
	case YAML_MAPPING_NODE:
		return "une table";
	default:
		return "rien";
	}
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *join(const char *const *list)
{
	GString *out = g_string_new(NULL);

	for (; *list != NULL; list++)
		g_string_append_printf(out, "%s%s", out->len ? ", " : "", *list);
	return g_string_free(out, FALSE);
}

/* Whether node is a mapping whose keys are all in allowed (each key is
 * said once, unknown ones named). */
static gboolean check_keys(loader *ld, const yaml_node_t *node, const char *what,
			   const char *const *allowed)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	gboolean good = TRUE;

	if (node == NULL || node->type != YAML_MAPPING_NODE) {
		problem(ld, node, "%s : une table (clé: valeur) est attendue, pas %s", what, type_fr(node));
		return FALSE;
	}
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node_at(ld, p->key);
		const char *key = scalar(k);

		if (key == NULL || !in_list(allowed, key)) {
			g_autofree char *known = join(allowed);

			problem(ld, k, "clé inconnue « %s » (attendu : %s)", key ? key : "?", known);
			good = FALSE;
		} else if (!g_hash_table_add(seen, (gpointer)key)) {
			problem(ld, k, "clé « %s » donnée deux fois", key);
			good = FALSE;
		}
	}
	return good;
}

static yaml_node_t *get(loader *ld, const yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if (g_strcmp0(scalar(node_at(ld, p->key)), key) == 0)
			return node_at(ld, p->value);
	}
	return NULL;
}

/* A number between lo and hi: TRUE and *out, or said. */
static gboolean number(loader *ld, const yaml_node_t *node, const char *key, double lo, double hi,
		       double *out)
{
	const char *s = scalar(node);
	char *end = NULL;
	double v;

	if (s != NULL) {
		v = g_ascii_strtod(s, &end);
		if (end != s && *end == '\0' && isfinite(v) && v >= lo && v <= hi) {
			*out = v;
			return TRUE;
		}
	}
	problem(ld, node, "%s : un nombre de %g à %g est attendu, pas « %s »", key, lo, hi,
		s ? s : type_fr(node));
	return FALSE;
}

static void opt_number(loader *ld, const yaml_node_t *map, const char *key, double lo, double hi,
		       double scale, double *out)
{
	const yaml_node_t *v = get(ld, map, key);
	double x;

	if (v != NULL && number(ld, v, key, lo, hi, &x))
		*out = x * scale;
}

static void opt_bool(loader *ld, const yaml_node_t *map, const char *key, int *out)
{
	const yaml_node_t *v = get(ld, map, key);
	const char *s = scalar(v);

	if (v == NULL)
		return;
	if (g_strcmp0(s, "true") == 0 || g_strcmp0(s, "oui") == 0 || g_strcmp0(s, "yes") == 0)
		*out = 1;
	else if (g_strcmp0(s, "false") == 0 || g_strcmp0(s, "non") == 0 || g_strcmp0(s, "no") == 0)
		*out = 0;
	else
		problem(ld, v, "%s : true ou false est attendu, pas « %s »", key, s ? s : type_fr(v));
}

static void opt_align(loader *ld, const yaml_node_t *map, doc_align *out)
{
	const yaml_node_t *v = get(ld, map, "align");
	const char *s = scalar(v);

	if (v == NULL)
		return;
	if (g_strcmp0(s, "left") == 0)
		*out = DOC_LEFT;
	else if (g_strcmp0(s, "center") == 0)
		*out = DOC_CENTER;
	else if (g_strcmp0(s, "right") == 0)
		*out = DOC_RIGHT;
	else
		problem(ld, v, "align : left, center ou right est attendu, pas « %s »", s ? s : type_fr(v));
}

static gboolean parse_hex_color(const char *s, doc_color *out)
{
	guint v[6];
	gsize n = strlen(s);

	if (s[0] != '#' || (n != 4 && n != 7))
		return FALSE;
	for (gsize i = 1; i < n; i++) {
		if (!g_ascii_isxdigit(s[i]))
			return FALSE;
		v[i - 1] = (guint)g_ascii_xdigit_value(s[i]);
	}
	if (n == 4) {
		out->r = v[0] * 17 / 255.0;
		out->g = v[1] * 17 / 255.0;
		out->b = v[2] * 17 / 255.0;
	} else {
		out->r = (v[0] * 16 + v[1]) / 255.0;
		out->g = (v[2] * 16 + v[3]) / 255.0;
		out->b = (v[4] * 16 + v[5]) / 255.0;
	}
	out->none = FALSE;
	return TRUE;
}

/* "#1f5f3f", "#fff", a colour named in common.yaml's colors:, or none. */
static gboolean color_of(loader *ld, const yaml_node_t *node, const char *key, doc_color *out)
{
	const char *s = scalar(node);
	const doc_color *named;

	if (s != NULL && parse_hex_color(s, out))
		return TRUE;
	if (g_strcmp0(s, "none") == 0) {
		*out = (doc_color){ 0, 0, 0, TRUE };
		return TRUE;
	}
	if (s != NULL && ld->common != NULL && ld->common->colors != NULL &&
	    (named = g_hash_table_lookup(ld->common->colors, s)) != NULL) {
		*out = *named;
		return TRUE;
	}
	if (ld->common != NULL && ld->common->colors != NULL && g_hash_table_size(ld->common->colors) > 0) {
		g_autofree const char **names = (const char **)g_hash_table_get_keys_as_array(ld->common->colors, NULL);
		g_autofree char *list = NULL;

		qsort(names, g_hash_table_size(ld->common->colors), sizeof(*names), by_str);
		list = join(names);
		problem(ld, node, "%s : couleur inconnue « %s » (attendu : #rrggbb, none ou une couleur "
			"de common.yaml : %s)", key, s ? s : type_fr(node), list);
	} else {
		problem(ld, node, "%s : couleur inconnue « %s » (attendu : #rrggbb ou none)", key,
			s ? s : type_fr(node));
	}
	return FALSE;
}

static void opt_color(loader *ld, const yaml_node_t *map, const char *key, doc_color *out,
		      gboolean *has)
{
	const yaml_node_t *v = get(ld, map, key);

	if (v != NULL && color_of(ld, v, key, out) && has != NULL)
		*has = TRUE;
}

/* A width: 30 (mm), "40%", "*" or "2*" (shares of what is left). */
static gboolean width_of(loader *ld, const yaml_node_t *node, doc_width *out)
{
	const char *s = scalar(node);
	char *end = NULL;
	double v;

	memset(out, 0, sizeof(*out));
	if (s != NULL && s[0] != '\0') {
		gsize n = strlen(s);

		if (strcmp(s, "*") == 0) {
			out->share = 1;
			return TRUE;
		}
		v = g_ascii_strtod(s, &end);
		if (end != s && isfinite(v) && v > 0) {
			if (*end == '\0' && v <= 1000) {
				out->points = v * DOC_MM;
				return TRUE;
			}
			if (strcmp(end, "%") == 0 && v <= 100) {
				out->percent = v;
				return TRUE;
			}
			if (strcmp(end, "*") == 0 && v <= 100 && end == s + n - 1) {
				out->share = v;
				return TRUE;
			}
		}
	}
	problem(ld, node, "width : une largeur en mm (30), en pourcentage (\"40%%\") ou une part de ce "
		"qui reste (\"*\", \"2*\") est attendue, pas « %s »", s ? s : type_fr(node));
	return FALSE;
}

/* A value's name in when:/unless:/image's value:. */
static char *name_of(loader *ld, const yaml_node_t *node, const char *key)
{
	const char *s = scalar(node);

	if (s != NULL && s[0] != '\0' && strlen(s) <= 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(s))
		return g_strdup(s);
	problem(ld, node, "%s : le nom d'une valeur est attendu (comme invoice.discount), pas « %s »",
		key, s ? s : type_fr(node));
	return NULL;
}

/* ---------------------------------------------------------------- texts */

static void text_free(doc_text *t)
{
	if (t == NULL)
		return;
	for (guint i = 0; i < t->n; i++) {
		g_free(t->pieces[i].text);
		g_free(t->pieces[i].fallback);
	}
	g_free(t->pieces);
	g_free(t);
}

static gboolean valid_name(const char *s, gsize len)
{
	if (len == 0 || len > 64)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!(g_ascii_islower(s[i]) || g_ascii_isdigit(s[i]) || s[i] == '_' || s[i] == '.'))
			return FALSE;
	}
	return s[0] != '.' && s[len - 1] != '.';
}

/* "Facture {invoice.number} du {invoice.date}", "{{" and "}}" for braces,
 * "{invoice.discount|Pas d'escompte}" for a text said when the value is
 * empty. */
static doc_text *text_parse(loader *ld, const yaml_node_t *node, const char *key)
{
	const char *s = scalar(node);
	g_autoptr(GArray) pieces = NULL;
	g_autoptr(GString) lit = NULL;
	doc_text *t;

	if (s == NULL) {
		problem(ld, node, "%s : un texte est attendu, pas %s", key, type_fr(node));
		return NULL;
	}
	if (strlen(s) > TEMPLATE_MAX_TEXT) {
		problem(ld, node, "%s : texte trop long (plus de %d octets)", key, TEMPLATE_MAX_TEXT);
		return NULL;
	}
	pieces = g_array_new(FALSE, TRUE, sizeof(doc_piece));
	lit = g_string_new(NULL);
	for (const char *p = s; *p != '\0';) {
		const char *close, *bar;
		doc_piece piece = { 0 };

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			g_string_append_c(lit, p[0]);
			p += 2;
			continue;
		}
		if (p[0] != '{') {
			g_string_append_c(lit, *p++);
			continue;
		}
		close = strchr(p, '}');
		if (close == NULL) {
			problem(ld, node, "%s : accolade « { » non fermée dans « %s » (« {{ » pour "
				"écrire une accolade)", key, s);
			goto bad;
		}
		bar = memchr(p, '|', (size_t)(close - p));
		if (!valid_name(p + 1, (gsize)((bar ? bar : close) - p - 1)) ||
		    memchr(p + 1, '{', (size_t)(close - p - 1)) != NULL) {
			problem(ld, node, "%s : « %.*s » n'est pas le nom d'une valeur (lettres minuscules, "
				"chiffres, « _ » et « . », comme {invoice.date})", key,
				(int)(close - p + 1), p);
			goto bad;
		}
		if (lit->len > 0) {
			doc_piece l = { g_strdup(lit->str), NULL, FALSE };

			g_array_append_val(pieces, l);
			g_string_truncate(lit, 0);
		}
		piece.is_ref = TRUE;
		piece.text = g_strndup(p + 1, (gsize)((bar ? bar : close) - p - 1));
		if (bar != NULL)
			piece.fallback = g_strndup(bar + 1, (gsize)(close - bar - 1));
		g_array_append_val(pieces, piece);
		p = close + 1;
		if (pieces->len > TEMPLATE_MAX_PIECES) {
			problem(ld, node, "%s : trop de valeurs dans un seul texte", key);
			goto bad;
		}
	}
	if (lit->len > 0) {
		doc_piece l = { g_strdup(lit->str), NULL, FALSE };

		g_array_append_val(pieces, l);
	}
	t = g_new0(doc_text, 1);
	t->n = pieces->len;
	t->pieces = (doc_piece *)(void *)g_array_free(g_steal_pointer(&pieces), FALSE);
	t->line = (int)node->start_mark.line + 1;
	return t;
bad:
	for (guint i = 0; i < pieces->len; i++) {
		g_free(g_array_index(pieces, doc_piece, i).text);
		g_free(g_array_index(pieces, doc_piece, i).fallback);
	}
	return NULL;
}

/* ---------------------------------------------------------------- blocks */

static void block_free(doc_block *b);

static void item_free(doc_item *it)
{
	text_free(it->label);
	text_free(it->value);
	g_free(it->when);
	g_free(it->unless);
	g_free(it);
}

static void column_free(doc_column *c)
{
	text_free(c->header);
	text_free(c->value);
	g_free(c);
}

static void row_column_free(doc_row_column *c)
{
	if (c->blocks != NULL)
		g_ptr_array_unref(c->blocks);
	g_free(c);
}

static void block_free(doc_block *b)
{
	if (b == NULL)
		return;
	g_free(b->when);
	g_free(b->unless);
	text_free(b->text);
	text_free(b->title);
	text_free(b->empty);
	if (b->items != NULL)
		g_ptr_array_unref(b->items);
	if (b->lines != NULL)
		g_ptr_array_unref(b->lines);
	if (b->columns != NULL)
		g_ptr_array_unref(b->columns);
	g_free(b->table);
	g_free(b->value);
	g_free(b);
}

static GPtrArray *blocks_parse(loader *ld, const yaml_node_t *node, const char *key);

static doc_item *item_parse(loader *ld, const yaml_node_t *node)
{
	static const char *const keys[] = { "label", "value", "when", "unless", "bold", "color",
					     "background", NULL };
	doc_item *it;
	const yaml_node_t *v;

	if (!check_keys(ld, node, "un élément (label:, value:)", keys))
		return NULL;
	it = g_new0(doc_item, 1);
	it->bold = -1;
	if ((v = get(ld, node, "label")) != NULL)
		it->label = text_parse(ld, v, "label");
	if ((v = get(ld, node, "value")) != NULL)
		it->value = text_parse(ld, v, "value");
	else
		problem(ld, node, "il manque value: (le texte de l'élément)");
	if ((v = get(ld, node, "when")) != NULL)
		it->when = name_of(ld, v, "when");
	if ((v = get(ld, node, "unless")) != NULL)
		it->unless = name_of(ld, v, "unless");
	opt_bool(ld, node, "bold", &it->bold);
	opt_color(ld, node, "color", &it->color, &it->has_color);
	opt_color(ld, node, "background", &it->background, &it->has_background);
	return it;
}

static GPtrArray *items_parse(loader *ld, const yaml_node_t *node, const char *key, guint max)
{
	GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);

	if (node == NULL || node->type != YAML_SEQUENCE_NODE) {
		problem(ld, node, "%s : une liste est attendue, pas %s", key, type_fr(node));
		return items;
	}
	for (yaml_node_item_t *i = node->data.sequence.items.start; i < node->data.sequence.items.top; i++) {
		doc_item *it = item_parse(ld, node_at(ld, *i));

		if (it == NULL)
			continue;
		if (items->len >= max) {
			problem(ld, node, "%s : plus de %u éléments", key, max);
			item_free(it);
			break;
		}
		g_ptr_array_add(items, it);
	}
	return items;
}

/* An address line: a text, or {text:, bold:, size:, color:, when:}. */
static doc_item *line_parse(loader *ld, const yaml_node_t *node)
{
	static const char *const keys[] = { "text", "bold", "size", "color", "when", "unless", NULL };
	doc_item *it = g_new0(doc_item, 1);
	const yaml_node_t *v;

	it->bold = -1;
	if (node != NULL && node->type == YAML_SCALAR_NODE) {
		it->value = text_parse(ld, node, "lines");
		return it;
	}
	if (!check_keys(ld, node, "une ligne d'adresse (un texte, ou text:, bold:, size:, color:)", keys)) {
		item_free(it);
		return NULL;
	}
	if ((v = get(ld, node, "text")) != NULL)
		it->value = text_parse(ld, v, "text");
	else
		problem(ld, node, "il manque text: (le texte de la ligne)");
	if ((v = get(ld, node, "when")) != NULL)
		it->when = name_of(ld, v, "when");
	if ((v = get(ld, node, "unless")) != NULL)
		it->unless = name_of(ld, v, "unless");
	opt_bool(ld, node, "bold", &it->bold);
	opt_number(ld, node, "size", 4, 72, 1, &it->size);
	opt_color(ld, node, "color", &it->color, &it->has_color);
	return it;
}

static doc_column *column_parse(loader *ld, const yaml_node_t *node)
{
	static const char *const keys[] = { "header", "value", "width", "align", "bold", NULL };
	doc_column *c;
	const yaml_node_t *v;

	if (!check_keys(ld, node, "une colonne (header:, value:, width:, align:)", keys))
		return NULL;
	c = g_new0(doc_column, 1);
	c->bold = -1;
	c->width.share = 1;
	if ((v = get(ld, node, "header")) != NULL)
		c->header = text_parse(ld, v, "header");
	if ((v = get(ld, node, "value")) != NULL)
		c->value = text_parse(ld, v, "value");
	else
		problem(ld, node, "il manque value: (ce que dit la cellule, comme \"{description}\")");
	if ((v = get(ld, node, "width")) != NULL)
		width_of(ld, v, &c->width);
	opt_align(ld, node, &c->align);
	opt_bool(ld, node, "bold", &c->bold);
	return c;
}

static doc_row_column *row_column_parse(loader *ld, const yaml_node_t *node)
{
	static const char *const keys[] = { "width", "blocks", NULL };
	doc_row_column *c;
	const yaml_node_t *v;

	if (!check_keys(ld, node, "une colonne de rangée (width:, blocks:)", keys))
		return NULL;
	c = g_new0(doc_row_column, 1);
	c->width.share = 1;
	if ((v = get(ld, node, "width")) != NULL)
		width_of(ld, v, &c->width);
	if ((v = get(ld, node, "blocks")) != NULL)
		c->blocks = blocks_parse(ld, v, "blocks");
	else
		problem(ld, node, "il manque blocks: (les blocs de la colonne)");
	if (c->blocks == NULL)
		c->blocks = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
	return c;
}

static const char *const block_types[] = { "text", "fields", "address", "table", "totals", "row",
					    "image", "space", "rule", NULL };

/* The keys each type of block takes, besides type, when, unless and
 * space_before. */
static const char *const *keys_of(doc_block_kind k)
{
	static const char *const text[] = { "type", "when", "unless", "space_before", "text", "size",
					    "bold", "color", "align", "background", NULL };
	static const char *const fields[] = { "type", "when", "unless", "space_before", "items",
					      "title", "label_width", "size", "bold", "color",
					      "background", "border", NULL };
	static const char *const address[] = { "type", "when", "unless", "space_before", "title",
					       "lines", "size", "color", "background", "border",
					       "height", NULL };
	static const char *const table[] = { "type", "when", "unless", "space_before", "table",
					     "columns", "size", "header_background", "header_color",
					     "stripe", "border", "empty", NULL };
	static const char *const totals[] = { "type", "when", "unless", "space_before", "items",
					      "width", "size", "align", "border", "background",
					      "color", NULL };
	static const char *const row[] = { "type", "when", "unless", "space_before", "columns", NULL };
	static const char *const image[] = { "type", "when", "unless", "space_before", "value",
					     "width", "height", "align", NULL };
	static const char *const space[] = { "type", "when", "unless", "space_before", "height", NULL };
	static const char *const rule[] = { "type", "when", "unless", "space_before", "color",
					    "thickness", NULL };

	switch (k) {
	case BLOCK_TEXT:
		return text;
	case BLOCK_FIELDS:
		return fields;
	case BLOCK_ADDRESS:
		return address;
	case BLOCK_TABLE:
		return table;
	case BLOCK_TOTALS:
		return totals;
	case BLOCK_ROW:
		return row;
	case BLOCK_IMAGE:
		return image;
	case BLOCK_SPACE:
		return space;
	case BLOCK_RULE:
	case BLOCK_INCLUDE:
		break;
	}
	return rule;
}

static doc_block *block_parse(loader *ld, const yaml_node_t *node)
{
	const yaml_node_t *type, *v, *inc;
	const char *t;
	doc_block *b;
	int k;

	if (node == NULL || node->type != YAML_MAPPING_NODE) {
		problem(ld, node, "un bloc est une table (type: text, table, fields…), pas %s", type_fr(node));
		return NULL;
	}
	if (++ld->blocks > TEMPLATE_MAX_BLOCKS) {
		if (ld->blocks == TEMPLATE_MAX_BLOCKS + 1)
			problem(ld, node, "plus de %d blocs dans un seul fichier", TEMPLATE_MAX_BLOCKS);
		return NULL;
	}
	/* - include: company */
	if ((inc = get(ld, node, "include")) != NULL) {
		static const char *const keys[] = { "include", NULL };
		const GPtrArray *part;

		if (!check_keys(ld, node, "include", keys))
			return NULL;
		part = scalar(inc) ? g_hash_table_lookup(ld->common->parts, scalar(inc)) : NULL;
		if (part == NULL) {
			g_autofree const char **names = (const char **)g_hash_table_get_keys_as_array(ld->common->parts, NULL);
			g_autofree char *list = NULL;

			qsort(names, g_hash_table_size(ld->common->parts), sizeof(*names), by_str);
			list = join(names);
			problem(ld, inc, "include : partie inconnue « %s » (parties de common.yaml : %s)",
				scalar(inc) ? scalar(inc) : type_fr(inc), list[0] ? list : "aucune");
			return NULL;
		}
		b = g_new0(doc_block, 1);
		b->kind = BLOCK_INCLUDE;
		b->file = ld->file;
		b->line = (int)node->start_mark.line + 1;
		b->part = part;
		return b;
	}
	type = get(ld, node, "type");
	t = scalar(type);
	if (type == NULL) {
		problem(ld, node, "il manque type: (text, fields, address, table, totals, row, image, "
			"space ou rule ; ou include: une partie de common.yaml)");
		return NULL;
	}
	for (k = 0; block_types[k] != NULL; k++) {
		if (g_strcmp0(t, block_types[k]) == 0)
			break;
	}
	if (block_types[k] == NULL) {
		g_autofree char *list = join(block_types);

		problem(ld, type, "type de bloc inconnu « %s » (attendu : %s)", t ? t : type_fr(type), list);
		return NULL;
	}
	b = g_new0(doc_block, 1);
	b->kind = (doc_block_kind)k;
	b->file = ld->file;
	b->line = (int)node->start_mark.line + 1;
	b->bold = -1;
	b->align = DOC_LEFT;
	check_keys(ld, node, block_types[k], keys_of(b->kind));
	if ((v = get(ld, node, "when")) != NULL)
		b->when = name_of(ld, v, "when");
	if ((v = get(ld, node, "unless")) != NULL)
		b->unless = name_of(ld, v, "unless");
	opt_number(ld, node, "space_before", 0, 200, DOC_MM, &b->space_before);
	opt_number(ld, node, "size", 4, 72, 1, &b->size);
	opt_bool(ld, node, "bold", &b->bold);
	opt_align(ld, node, &b->align);
	opt_color(ld, node, "color", &b->color, &b->has_color);
	opt_color(ld, node, "background", &b->background, &b->has_background);
	opt_color(ld, node, "border", &b->border, &b->has_border);

	switch (b->kind) {
	case BLOCK_TEXT:
		if ((v = get(ld, node, "text")) != NULL)
			b->text = text_parse(ld, v, "text");
		else
			problem(ld, node, "il manque text: (le texte du paragraphe)");
		break;
	case BLOCK_FIELDS:
	case BLOCK_TOTALS:
		if ((v = get(ld, node, "items")) != NULL)
			b->items = items_parse(ld, v, "items", MAX_ITEMS);
		else
			problem(ld, node, "il manque items: (la liste des label: / value:)");
		if ((v = get(ld, node, "title")) != NULL)
			b->title = text_parse(ld, v, "title");
		b->label_width = 35 * DOC_MM;
		opt_number(ld, node, "label_width", 5, 200, DOC_MM, &b->label_width);
		b->width = 75 * DOC_MM;
		opt_number(ld, node, "width", 20, 200, DOC_MM, &b->width);
		if (b->kind == BLOCK_TOTALS && get(ld, node, "align") == NULL)
			b->align = DOC_RIGHT;
		break;
	case BLOCK_ADDRESS:
		if ((v = get(ld, node, "title")) != NULL)
			b->title = text_parse(ld, v, "title");
		b->lines = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
		v = get(ld, node, "lines");
		if (v == NULL || v->type != YAML_SEQUENCE_NODE) {
			problem(ld, v ? v : node, "lines : la liste des lignes de l'adresse est attendue");
			break;
		}
		for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
			doc_item *it = line_parse(ld, node_at(ld, *i));

			if (it != NULL && b->lines->len >= MAX_LINES) {
				problem(ld, v, "lines : plus de %d lignes", MAX_LINES);
				item_free(it);
				break;
			}
			if (it != NULL)
				g_ptr_array_add(b->lines, it);
		}
		opt_number(ld, node, "height", 0, 250, DOC_MM, &b->height);
		break;
	case BLOCK_TABLE:
		if ((v = get(ld, node, "table")) != NULL)
			b->table = name_of(ld, v, "table");
		else
			problem(ld, node, "il manque table: (le tableau de valeurs : lines, vat, "
				"differences)");
		b->columns = g_ptr_array_new_with_free_func((GDestroyNotify)column_free);
		v = get(ld, node, "columns");
		if (v == NULL || v->type != YAML_SEQUENCE_NODE ||
		    v->data.sequence.items.top == v->data.sequence.items.start) {
			problem(ld, v ? v : node, "columns : la liste des colonnes est attendue");
			break;
		}
		for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
			doc_column *c = column_parse(ld, node_at(ld, *i));

			if (c != NULL && b->columns->len >= MAX_COLUMNS) {
				problem(ld, v, "columns : plus de %d colonnes", MAX_COLUMNS);
				column_free(c);
				break;
			}
			if (c != NULL)
				g_ptr_array_add(b->columns, c);
		}
		if ((v = get(ld, node, "empty")) != NULL)
			b->empty = text_parse(ld, v, "empty");
		if (ld->common != NULL) {
			b->header_background = g_hash_table_lookup(ld->common->colors, "accent")
						       ? *(doc_color *)g_hash_table_lookup(ld->common->colors, "accent")
						       : (doc_color){ 0.12, 0.37, 0.25, FALSE };
		}
		b->header_color = (doc_color){ 1, 1, 1, FALSE };
		opt_color(ld, node, "header_background", &b->header_background, NULL);
		opt_color(ld, node, "header_color", &b->header_color, NULL);
		opt_color(ld, node, "stripe", &b->stripe, &b->has_stripe);
		break;
	case BLOCK_ROW:
		b->columns = g_ptr_array_new_with_free_func((GDestroyNotify)row_column_free);
		v = get(ld, node, "columns");
		if (v == NULL || v->type != YAML_SEQUENCE_NODE ||
		    v->data.sequence.items.top == v->data.sequence.items.start) {
			problem(ld, v ? v : node, "columns : la liste des colonnes de la rangée est "
				"attendue (width:, blocks:)");
			break;
		}
		if (ld->row_depth >= MAX_ROW_DEPTH) {
			problem(ld, node, "rangées imbriquées trop profondément (%d au plus)", MAX_ROW_DEPTH);
			break;
		}
		ld->row_depth++;
		for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
			doc_row_column *c = row_column_parse(ld, node_at(ld, *i));

			if (c != NULL && b->columns->len >= MAX_ROW_COLUMNS) {
				problem(ld, v, "columns : plus de %d colonnes dans une rangée", MAX_ROW_COLUMNS);
				row_column_free(c);
				break;
			}
			if (c != NULL)
				g_ptr_array_add(b->columns, c);
		}
		ld->row_depth--;
		break;
	case BLOCK_IMAGE:
		if ((v = get(ld, node, "value")) != NULL)
			b->value = name_of(ld, v, "value");
		else
			problem(ld, node, "il manque value: (la valeur qui donne le chemin de l'image, "
				"comme company.logo)");
		b->width = 40 * DOC_MM;
		b->height = 20 * DOC_MM;
		opt_number(ld, node, "width", 1, 200, DOC_MM, &b->width);
		opt_number(ld, node, "height", 1, 250, DOC_MM, &b->height);
		break;
	case BLOCK_SPACE:
		b->height = 5 * DOC_MM;
		opt_number(ld, node, "height", 0, 250, DOC_MM, &b->height);
		break;
	case BLOCK_RULE:
		b->thickness = 0.5;
		opt_number(ld, node, "thickness", 0.1, 10, 1, &b->thickness);
		break;
	case BLOCK_INCLUDE:
		break;
	}
	return b;
}

static GPtrArray *blocks_parse(loader *ld, const yaml_node_t *node, const char *key)
{
	GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);

	if (node == NULL || node->type != YAML_SEQUENCE_NODE) {
		problem(ld, node, "%s : une liste de blocs est attendue (chacun commençant par « - "
			"type: »), pas %s", key, type_fr(node));
		return blocks;
	}
	for (yaml_node_item_t *i = node->data.sequence.items.start; i < node->data.sequence.items.top; i++) {
		doc_block *b = block_parse(ld, node_at(ld, *i));

		if (b != NULL)
			g_ptr_array_add(blocks, b);
	}
	return blocks;
}

/* ---------------------------------------------------------------- files */

/* libyaml's reason, in the words of the person who writes a template
 * (libyaml speaks English only); the same as reading/rules.c's. */
static char *yaml_problem_fr(const char *why)
{
	static const struct {
		const char *start, *fr;
	} known[] = {
		{ "mapping values are not allowed", "un « : » de trop, ou une valeur à mettre entre "
						    "guillemets" },
		{ "did not find expected key", "indentation fausse : une clé attendue" },
		{ "did not find expected ',' or ']'", "une liste [ … ] mal fermée" },
		{ "did not find expected ',' or '}'", "une table { … } mal fermée" },
		{ "did not find expected '-' indicator", "indentation fausse dans une liste « - »" },
		{ "found character that cannot start any token",
		  "un caractère qui ne peut pas commencer une valeur (une tabulation ? YAML n'indente "
		  "qu'avec des espaces ; un « { » ? mettez le texte entre guillemets)" },
		{ "found a tab character", "une tabulation : YAML n'indente qu'avec des espaces" },
		{ "found unexpected end of stream", "fin du fichier inattendue (un guillemet non fermé ?)" },
		{ "found unknown escape character", "un « \\ » inconnu entre guillemets doubles" },
		{ "could not find expected ':'", "il manque un « : » après une clé" },
		{ "block sequence entries are not allowed", "un « - » à une place où il n'en faut pas" },
	};

	if (why == NULL)
		return g_strdup("ce n'est pas du YAML");
	for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
		if (g_str_has_prefix(why, known[i].start))
			return g_strdup_printf("YAML : %s (%s)", known[i].fr, why);
	}
	return g_strdup_printf("YAML : erreur de syntaxe (%s)", why);
}

G_GNUC_PRINTF(2, 3)
static void add_problem(GString *problems, const char *fmt, ...)
{
	va_list ap;

	if (problems->len > 0)
		g_string_append_c(problems, '\n');
	va_start(ap, fmt);
	g_string_append_vprintf(problems, fmt, ap);
	va_end(ap);
}

/* Reads path's YAML into doc (TRUE), or says why in problems: unreadable,
 * too large, not UTF-8, a syntax error, nested too deep, too many nodes,
 * an alias. */
static gboolean read_yaml(const char *path, yaml_document_t *doc, GString *problems)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	size_t len = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0;
	guint nodes = 0, documents = 0;
	gboolean good = TRUE, done = FALSE;

	if (fsutil_read_file(path, TEMPLATE_MAX_BYTES, &text, &len, &err) < 0) {
		add_problem(problems, "%s:1: %s", path, err->message);
		return FALSE;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		add_problem(problems, "%s:1: ce n'est pas du texte UTF-8", path);
		return FALSE;
	}
	/* First the events, whose parser keeps its own stack: the nesting,
	 * the count and the aliases are checked before libyaml's loader
	 * (which recurses) builds anything. */
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (good && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			g_autofree char *why = yaml_problem_fr(parser.problem);

			add_problem(problems, "%s:%zu: %s", path, parser.problem_mark.line + 1, why);
			good = FALSE;
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > TEMPLATE_MAX_DEPTH) {
				add_problem(problems, "%s:%zu: imbrication trop profonde (%d niveaux "
						       "au plus)", path, ev.start_mark.line + 1, TEMPLATE_MAX_DEPTH);
				good = FALSE;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_ALIAS_EVENT:
			add_problem(problems, "%s:%zu: les alias YAML (*nom) ne sont pas pris "
					       "en charge : écrivez la valeur", path, ev.start_mark.line + 1);
			good = FALSE;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (documents++ > 0) {
				add_problem(problems, "%s:%zu: un seul document YAML par fichier "
						       "(un « --- » de trop)", path, ev.start_mark.line + 1);
				good = FALSE;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = TRUE;
			break;
		default:
			break;
		}
		if (good && ++nodes > TEMPLATE_MAX_NODES) {
			add_problem(problems, "%s:%zu: trop d'éléments (%d au plus)", path,
					       ev.start_mark.line + 1, TEMPLATE_MAX_NODES);
			good = FALSE;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!good)
		return FALSE;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		g_autofree char *why = yaml_problem_fr(parser.problem);

		add_problem(problems, "%s:%zu: %s", path, parser.problem_mark.line + 1, why);
		yaml_parser_delete(&parser);
		return FALSE;
	}
	yaml_parser_delete(&parser);
	if (yaml_document_get_root_node(doc) == NULL) {
		add_problem(problems, "%s:1: fichier vide", path);
		yaml_document_delete(doc);
		return FALSE;
	}
	return TRUE;
}

static void default_colors(doc_common *c)
{
	static const struct {
		const char *name, *hex;
	} defaults[] = {
		{ "text", "#222222" }, { "accent", "#1f5f3f" }, { "light", "#e9f1ec" },
		{ "muted", "#5f6b64" }, { "line", "#c5d3ca" }, { "white", "#ffffff" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(defaults); i++) {
		doc_color *col = g_new0(doc_color, 1);

		parse_hex_color(defaults[i].hex, col);
		g_hash_table_insert(c->colors, g_strdup(defaults[i].name), col);
	}
}

static doc_common *common_new(void)
{
	doc_common *c = g_new0(doc_common, 1);

	c->strings = g_string_chunk_new(256);
	c->margin_top = 12 * DOC_MM;
	c->margin_bottom = 10 * DOC_MM;
	c->margin_left = 15 * DOC_MM;
	c->margin_right = 15 * DOC_MM;
	c->gap = 4 * DOC_MM;
	c->font_size = 9;
	c->line_height = 1.3;
	c->font_path[0] = g_strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	c->font_path[1] = g_strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	c->font_line[0] = c->font_line[1] = 1;
	c->colors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	default_colors(c);
	c->text_color = *(doc_color *)g_hash_table_lookup(c->colors, "text");
	c->stamp_text = g_strdup("COPIE");
	parse_hex_color("#b03a2e", &c->stamp_color);
	c->continuation = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
	c->footer = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
	c->parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	return c;
}

void doc_common_free(doc_common *c)
{
	if (c == NULL)
		return;
	g_free(c->font_path[0]);
	g_free(c->font_path[1]);
	g_hash_table_unref(c->colors);
	g_free(c->stamp_text);
	g_ptr_array_unref(c->continuation);
	g_ptr_array_unref(c->footer);
	g_hash_table_unref(c->parts);
	g_string_chunk_free(c->strings);
	g_free(c);
}

static void load_common(loader *ld, doc_common *c, const yaml_node_t *root, const char *dir)
{
	static const char *const top[] = { "page", "fonts", "colors", "stamp", "parts",
					   "continuation", "footer", NULL };
	static const char *const page[] = { "margin_top", "margin_bottom", "margin_left",
					    "margin_right", "gap", "font_size", "line_height", NULL };
	static const char *const fonts[] = { "regular", "bold", NULL };
	static const char *const stamp[] = { "text", "color", NULL };
	const yaml_node_t *v;

	check_keys(ld, root, "common.yaml", top);
	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return;
	if ((v = get(ld, root, "page")) != NULL && check_keys(ld, v, "page", page)) {
		opt_number(ld, v, "margin_top", 0, 80, DOC_MM, &c->margin_top);
		opt_number(ld, v, "margin_bottom", 0, 80, DOC_MM, &c->margin_bottom);
		opt_number(ld, v, "margin_left", 0, 80, DOC_MM, &c->margin_left);
		opt_number(ld, v, "margin_right", 0, 80, DOC_MM, &c->margin_right);
		opt_number(ld, v, "gap", 0, 50, DOC_MM, &c->gap);
		opt_number(ld, v, "font_size", 5, 30, 1, &c->font_size);
		opt_number(ld, v, "line_height", 1, 3, 1, &c->line_height);
	}
	if ((v = get(ld, root, "fonts")) != NULL && check_keys(ld, v, "fonts", fonts)) {
		for (int i = 0; i < 2; i++) {
			const yaml_node_t *f = get(ld, v, fonts[i]);

			if (f == NULL)
				continue;
			if (scalar(f) == NULL || scalar(f)[0] == '\0') {
				problem(ld, f, "%s : le chemin d'un fichier de police TrueType (.ttf) est attendu",
					fonts[i]);
				continue;
			}
			g_free(c->font_path[i]);
			c->font_path[i] = fsutil_resolve(dir, scalar(f));
			c->font_line[i] = (int)f->start_mark.line + 1;
		}
	}
	if ((v = get(ld, root, "colors")) != NULL) {
		if (v->type != YAML_MAPPING_NODE) {
			problem(ld, v, "colors : une table nom: \"#rrggbb\" est attendue, pas %s", type_fr(v));
		} else {
			for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
				const yaml_node_t *k = node_at(ld, p->key), *col = node_at(ld, p->value);
				const char *name = scalar(k);
				doc_color parsed;

				if (name == NULL || !valid_name(name, strlen(name)) || strchr(name, '.') != NULL ||
				    strcmp(name, "none") == 0) {
					problem(ld, k, "colors : « %s » n'est pas un nom de couleur (lettres "
						"minuscules, chiffres, « _ »)", name ? name : "?");
					continue;
				}
				if (g_hash_table_size(c->colors) >= 64) {
					problem(ld, k, "colors : plus de 64 couleurs");
					break;
				}
				if (scalar(col) == NULL || !parse_hex_color(scalar(col), &parsed)) {
					problem(ld, col, "%s : une couleur #rrggbb est attendue, pas « %s »", name,
						scalar(col) ? scalar(col) : type_fr(col));
					continue;
				}
				g_hash_table_insert(c->colors, g_strdup(name), g_memdup2(&parsed, sizeof(parsed)));
			}
		}
	}
	c->text_color = *(doc_color *)g_hash_table_lookup(c->colors, "text");
	ld->common = c;   /* from here, blocks may name the colours (and include the parts read before them) */
	if ((v = get(ld, root, "stamp")) != NULL && check_keys(ld, v, "stamp", stamp)) {
		const yaml_node_t *s = get(ld, v, "text");

		if (s != NULL && (scalar(s) == NULL || scalar(s)[0] == '\0' || strlen(scalar(s)) > 40))
			problem(ld, s, "text : le mot du tampon des copies est attendu (COPIE)");
		else if (s != NULL) {
			g_free(c->stamp_text);
			c->stamp_text = g_strdup(scalar(s));
		}
		opt_color(ld, v, "color", &c->stamp_color, NULL);
	}
	/* the parts first: the page's blocks may include them */
	if ((v = get(ld, root, "parts")) != NULL) {
		if (v->type != YAML_MAPPING_NODE) {
			problem(ld, v, "parts : une table nom: [blocs] est attendue, pas %s", type_fr(v));
		} else {
			for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
				const yaml_node_t *k = node_at(ld, p->key);
				const char *name = scalar(k);

				if (name == NULL || !valid_name(name, strlen(name))) {
					problem(ld, k, "parts : « %s » n'est pas un nom de partie", name ? name : "?");
					continue;
				}
				if (g_hash_table_size(c->parts) >= MAX_PARTS) {
					problem(ld, k, "parts : plus de %d parties", MAX_PARTS);
					break;
				}
				g_hash_table_insert(c->parts, g_strdup(name),
						    blocks_parse(ld, node_at(ld, p->value), name));
			}
		}
	}
	if ((v = get(ld, root, "continuation")) != NULL) {
		g_ptr_array_unref(c->continuation);
		c->continuation = blocks_parse(ld, v, "continuation");
	}
	if ((v = get(ld, root, "footer")) != NULL) {
		g_ptr_array_unref(c->footer);
		c->footer = blocks_parse(ld, v, "footer");
	}
}

doc_common *doc_common_load(const char *path, GString *problems)
{
	doc_common *c = common_new();
	yaml_document_t doc;
	loader ld = { .problems = problems };
	g_autofree char *dir = NULL;

	if (path == NULL)
		return c;
	c->file = g_string_chunk_insert_const(c->strings, path);
	if (!read_yaml(path, &doc, problems))
		return c;
	ld.file = c->file;
	ld.doc = &doc;
	dir = g_path_get_dirname(path);
	load_common(&ld, c, yaml_document_get_root_node(&doc), dir);
	yaml_document_delete(&doc);
	return c;
}

/* ---------------------------------------------------------------- checks */

typedef struct {
	const char *kind;
	int k;                    /* index in vocabulary, -1: a kind we do not know */
	gboolean frame;           /* footer or continuation: {page} and {pages} known */
	GString *problems;
	GHashTable *said;         /* messages already given (shared texts are checked per kind) */
	gboolean winansi;         /* every literal so far */
} checker;

G_GNUC_PRINTF(4, 5)
static void said(checker *ck, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *why = NULL;
	char *msg;

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	msg = g_strdup_printf("%s:%d: %s", file, line, why);
	if (!g_hash_table_add(ck->said, msg))
		return;
	if (ck->problems->len > 0)
		g_string_append_c(ck->problems, '\n');
	g_string_append(ck->problems, msg);
}

static gboolean utf8_is_winansi(const char *s)
{
	for (; s != NULL && *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (c != '\n' && doc_winansi_byte(c) == 0)
			return FALSE;
	}
	return TRUE;
}

static void check_name(checker *ck, const char *file, int line, const char *name, const char *table)
{
	if (ck->k < 0)
		return;
	if (strcmp(name, "page") == 0 || strcmp(name, "pages") == 0) {
		if (!ck->frame)
			said(ck, file, line, "{%s} n'a de sens que dans footer: ou continuation: de "
			     "common.yaml", name);
		return;
	}
	if (table != NULL && strchr(name, '.') == NULL) {
		if (find_table(ck->k, table) != NULL && !in_list(find_table(ck->k, table)->cells, name)) {
			g_autofree char *list = join(find_table(ck->k, table)->cells);

			said(ck, file, line, "cellule inconnue {%s} du tableau %s (%s : %s)", name, table,
			     ck->kind, list);
		}
		return;
	}
	if (!in_list(common_values, name) && !in_list(vocabulary[ck->k].values, name)) {
		/* a table's name in when: is fine (left out when it has no rows) */
		if (table == NULL && find_table(ck->k, name) != NULL)
			return;
		said(ck, file, line, "valeur inconnue {%s} (le document %s ne la donne pas ; voir "
		     "templates/README.md)", name, ck->kind);
	}
}

static void check_text(checker *ck, const char *file, const doc_text *t, const char *table)
{
	if (t == NULL)
		return;
	for (guint i = 0; i < t->n; i++) {
		if (t->pieces[i].is_ref)
			check_name(ck, file, t->line, t->pieces[i].text, table);
		if (!utf8_is_winansi(t->pieces[i].is_ref ? t->pieces[i].fallback : t->pieces[i].text))
			ck->winansi = FALSE;
	}
}

static void check_blocks(checker *ck, const GPtrArray *blocks, double width, const doc_common *c);

static void check_widths(checker *ck, const doc_block *b, const doc_width *const *w, guint n,
			 double avail, double gap, double *out)
{
	double need = 0;

	if (doc_resolve_widths(w, n, avail, gap, out, &need) < 0)
		said(ck, b->file, b->line, "colonnes trop larges : %.0f mm pour %.0f mm de place",
		     need / DOC_MM, avail / DOC_MM);
}

static void check_block(checker *ck, const doc_block *b, double width, const doc_common *c)
{
	if (b->when != NULL)
		check_name(ck, b->file, b->line, b->when, NULL);
	if (b->unless != NULL)
		check_name(ck, b->file, b->line, b->unless, NULL);
	check_text(ck, b->file, b->text, NULL);
	check_text(ck, b->file, b->title, NULL);
	check_text(ck, b->file, b->empty, NULL);
	for (guint i = 0; b->items != NULL && i < b->items->len; i++) {
		const doc_item *it = b->items->pdata[i];

		check_text(ck, b->file, it->label, NULL);
		check_text(ck, b->file, it->value, NULL);
		if (it->when != NULL)
			check_name(ck, b->file, b->line, it->when, NULL);
		if (it->unless != NULL)
			check_name(ck, b->file, b->line, it->unless, NULL);
	}
	for (guint i = 0; b->lines != NULL && i < b->lines->len; i++) {
		const doc_item *it = b->lines->pdata[i];

		check_text(ck, b->file, it->value, NULL);
		if (it->when != NULL)
			check_name(ck, b->file, b->line, it->when, NULL);
		if (it->unless != NULL)
			check_name(ck, b->file, b->line, it->unless, NULL);
	}
	if (b->kind == BLOCK_IMAGE && b->value != NULL)
		check_name(ck, b->file, b->line, b->value, NULL);
	if (b->kind == BLOCK_TABLE && b->columns != NULL && b->columns->len > 0) {
		g_autofree const doc_width **w = g_new(const doc_width *, b->columns->len);
		g_autofree double *out = g_new(double, b->columns->len);

		if (b->table != NULL && ck->k >= 0 && find_table(ck->k, b->table) == NULL)
			said(ck, b->file, b->line, "tableau inconnu « %s » (le document %s ne le donne "
			     "pas ; voir templates/README.md)", b->table, ck->kind);
		for (guint i = 0; i < b->columns->len; i++) {
			const doc_column *col = b->columns->pdata[i];

			check_text(ck, b->file, col->header, NULL);
			check_text(ck, b->file, col->value, b->table ? b->table : "");
			w[i] = &col->width;
		}
		check_widths(ck, b, w, b->columns->len, width, 0, out);
	}
	if (b->kind == BLOCK_ROW && b->columns != NULL && b->columns->len > 0) {
		g_autofree const doc_width **w = g_new(const doc_width *, b->columns->len);
		g_autofree double *out = g_new(double, b->columns->len);

		for (guint i = 0; i < b->columns->len; i++)
			w[i] = &((const doc_row_column *)b->columns->pdata[i])->width;
		check_widths(ck, b, w, b->columns->len, width, c->gap, out);
		for (guint i = 0; i < b->columns->len; i++)
			check_blocks(ck, ((const doc_row_column *)b->columns->pdata[i])->blocks, out[i], c);
	}
	if ((b->kind == BLOCK_TOTALS || b->kind == BLOCK_IMAGE) && b->width > width + 0.01)
		said(ck, b->file, b->line, "width : %.0f mm pour %.0f mm de place", b->width / DOC_MM,
		     width / DOC_MM);
	if (b->kind == BLOCK_FIELDS && b->label_width > width - 5 * DOC_MM)
		said(ck, b->file, b->line, "label_width : %.0f mm pour %.0f mm de place",
		     b->label_width / DOC_MM, width / DOC_MM);
	if (b->kind == BLOCK_INCLUDE)
		check_blocks(ck, b->part, width, c);
}

static void check_blocks(checker *ck, const GPtrArray *blocks, double width, const doc_common *c)
{
	for (guint i = 0; blocks != NULL && i < blocks->len; i++)
		check_block(ck, blocks->pdata[i], width, c);
}

/* ---------------------------------------------------------------- kinds */

void doc_template_free(doc_template *t)
{
	if (t == NULL)
		return;
	g_free(t->kind);
	text_free(t->name);
	if (t->blocks != NULL)
		g_ptr_array_unref(t->blocks);
	g_free(t);
}

doc_template *doc_template_load(const char *path, const char *kind, doc_common *c, GString *problems)
{
	static const char *const top[] = { "name", "blocks", NULL };
	yaml_document_t doc;
	loader ld = { .problems = problems, .common = c };
	g_autoptr(GHashTable) said_already = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	checker ck = { .kind = kind, .k = kind_index(kind), .problems = problems,
		       .said = said_already, .winansi = TRUE };
	const yaml_node_t *root, *v;
	doc_template *t;
	gsize before = problems->len;
	double width = DOC_PAGE_WIDTH - c->margin_left - c->margin_right;

	if (!read_yaml(path, &doc, problems))
		return NULL;
	t = g_new0(doc_template, 1);
	t->kind = g_strdup(kind);
	t->file = g_string_chunk_insert_const(c->strings, path);
	ld.file = t->file;
	ld.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	check_keys(&ld, root, kind, top);
	if ((v = get(&ld, root, "name")) != NULL)
		t->name = text_parse(&ld, v, "name");
	else
		problem(&ld, root, "il manque name: (le nom du document, comme \"Facture "
			"{invoice.number}\" : le titre du PDF et {document.name})");
	if ((v = get(&ld, root, "blocks")) != NULL)
		t->blocks = blocks_parse(&ld, v, "blocks");
	else
		problem(&ld, root, "il manque blocks: (la liste des blocs du document)");
	yaml_document_delete(&doc);
	if (t->blocks == NULL)
		t->blocks = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
	/* the names each text refers to, for this kind: its own texts, and
	 * common.yaml's footer and continuation */
	check_text(&ck, t->file, t->name, NULL);
	for (guint i = 0; t->name != NULL && i < t->name->n; i++) {
		if (t->name->pieces[i].is_ref && strcmp(t->name->pieces[i].text, "document.name") == 0)
			said(&ck, t->file, t->name->line, "name : {document.name} est ce nom même");
	}
	check_blocks(&ck, t->blocks, width, c);
	ck.frame = TRUE;
	check_blocks(&ck, c->continuation, width, c);
	check_blocks(&ck, c->footer, width, c);
	if (c->stamp_text != NULL && !utf8_is_winansi(c->stamp_text))
		ck.winansi = FALSE;
	t->literals_winansi = ck.winansi;
	if (problems->len > before) {
		doc_template_free(t);
		return NULL;
	}
	return t;
}

int doc_resolve_widths(const doc_width *const *w, guint n, double avail, double gap, double *out,
		       double *need_r)
{
	double fixed = gap * (n > 0 ? n - 1 : 0), shares = 0, left;

	for (guint i = 0; i < n; i++) {
		out[i] = w[i]->points + w[i]->percent / 100 * avail;
		fixed += out[i];
		shares += w[i]->share;
	}
	left = avail - fixed;
	/* a share needs room for a word or two */
	if (left < (shares > 0 ? 5 * DOC_MM : -0.01)) {
		*need_r = fixed + (shares > 0 ? 5 * DOC_MM : 0);
		return -1;
	}
	for (guint i = 0; i < n; i++) {
		if (w[i]->share > 0)
			out[i] = left * w[i]->share / shares;
	}
	*need_r = fixed;
	return 0;
}
