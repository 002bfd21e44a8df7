/* party: what a purchase order says of its customer (see party.h). */
#include "reading/party.h"

#include <string.h>

/* How far above an address its block's heading may be ("Adresse de
 * livraison", then a name, a street, the postcode and city). */
#define PARTY_HEADING_ROWS 4

typedef struct {
	char **cells;   /* the line's columns, trimmed */
	guint n;
} row;

static void row_free(row *r)
{
	g_strfreev(r->cells);
	g_free(r);
}

static GPtrArray *rows_of(const char *text)
{
	static GRegex *gap;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)row_free);

	if (g_once_init_enter(&gap))
		g_once_init_leave(&gap, g_regex_new("\\s{2,}", G_REGEX_OPTIMIZE, 0, NULL));
	for (guint i = 0; lines[i] != NULL; i++) {
		row *r = g_new0(row, 1);
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));

		r->cells = line[0] ? g_regex_split(gap, line, 0) : g_new0(char *, 1);
		r->n = g_strv_length(r->cells);
		g_ptr_array_add(rows, r);
	}
	return rows;
}

/* Lower-case ASCII, accents folded: how a name is looked for. */
static char *fold(const char *s)
{
	g_autofree char *ascii = g_str_to_ascii(s, "C");

	return g_ascii_strdown(ascii, -1);
}

/* Letters and digits only, folded: "SWEETIE-BIO" is "sweetiebio". */
static char *fold_compact(const char *s)
{
	g_autofree char *f = fold(s);
	GString *out = g_string_new(NULL);

	for (const char *p = f; *p; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static gboolean names_ours(const char *cell, const party_ours *ours)
{
	g_autofree char *c = NULL;
	g_autofree char *name = NULL;

	if (ours == NULL || ours->name == NULL)
		return FALSE;
	name = fold_compact(ours->name);
	if (strlen(name) < 3)
		return FALSE;
	c = fold_compact(cell);
	return strstr(c, name) != NULL;
}

typedef enum {
	BLOCK_SENDER,     /* nothing says otherwise: the customer's own */
	BLOCK_BILLING,    /* under "Adresse de facturation" */
	BLOCK_DELIVERY,
	BLOCK_OURS,
} block_kind;

/* What the cells above cell k of row i (in rows laid out as it is) say
 * its block is.  For an address, a postcode and city above end the block
 * above (after_address); a phone or contact under our address may be ours
 * or theirs: it is taken as ours (a value missed is better than ours put
 * in the customer's file). */
static block_kind block_of(GPtrArray *rows, guint i, guint k, const party_ours *ours,
			   gboolean after_address)
{
	static GRegex *delivery, *billing, *supplier, *block_end;
	const row *here = rows->pdata[i];

	if (g_once_init_enter(&delivery)) {
		billing = g_regex_new("(?i)\\bfacturation\\b", G_REGEX_OPTIMIZE, 0, NULL);
		supplier = g_regex_new("(?i)\\bfournisseur\\b", G_REGEX_OPTIMIZE, 0, NULL);
		block_end = g_regex_new("\\b\\d{5}\\s+\\p{Lu}[\\pL'’ -]*\\pL$", G_REGEX_OPTIMIZE, 0, NULL);
		g_once_init_leave(&delivery,
				  g_regex_new("(?i)(?:\\blivraison\\b|\\blivrer\\s+[àa]\\b)",
					      G_REGEX_OPTIMIZE, 0, NULL));
	}
	for (guint up = 0; up <= PARTY_HEADING_ROWS && up <= i; up++) {
		const row *r = rows->pdata[i - up];
		const char *cell;

		if (r->n == 0 || (up > 0 && r->n != here->n))
			break;
		cell = r->cells[k];
		if (after_address && up > 0 && g_regex_match(block_end, cell, 0, NULL))
			break;
		if (names_ours(cell, ours) || g_regex_match(supplier, cell, 0, NULL))
			return BLOCK_OURS;
		/* a heading, not "Livraison souhaitée le 27/11/2026" */
		if (strpbrk(cell, "0123456789") != NULL)
			continue;
		if (g_regex_match(delivery, cell, 0, NULL))
			return BLOCK_DELIVERY;
		if (g_regex_match(billing, cell, 0, NULL))
			return BLOCK_BILLING;
	}
	return BLOCK_SENDER;
}

/* A street as POs print it: a number then words, or a word streets have;
 * not an identifier line (SIRET, TVA...) nor a label. */
static gboolean looks_like_street(const char *s)
{
	static GRegex *numbered, *street_word, *not_street;

	if (g_once_init_enter(&numbered)) {
		street_word = g_regex_new(
			"(?i)\\b(?:rue|avenue|av|bd|boulevard|place|pl|chemin|all[ée]e|route|rte|"
			"impasse|quai|cours|lieu[- ]dit|za|zi|zac|zone|parc|r[ée]sidence|bp|cs|"
			"hameau|voie|square|passage|esplanade|faubourg|mont[ée]e|domaine|"
			"centre commercial)\\b",
			G_REGEX_OPTIMIZE, 0, NULL);
		not_street = g_regex_new("(?i)(?:\\b(?:siret|siren|tva|rcs|capital|t[ée]l|fax|"
					 "ape|naf|iban|bic)\\b|@|:)",
					 G_REGEX_OPTIMIZE, 0, NULL);
		g_once_init_leave(&numbered, g_regex_new("^\\d{1,4}(?:\\s?(?:bis|ter|[a-z]))?,?\\s+\\pL",
							  G_REGEX_OPTIMIZE, 0, NULL));
	}
	if (s == NULL || s[0] == '\0' || g_regex_match(not_street, s, 0, NULL))
		return FALSE;
	return g_regex_match(numbered, s, 0, NULL) || g_regex_match(street_word, s, 0, NULL);
}

static void put(GHashTable *fields, const char *field, const char *value)
{
	if (value != NULL && value[0] != '\0' && !g_hash_table_contains(fields, field))
		g_hash_table_insert(fields, (gpointer)field, g_strstrip(g_strdup(value)));
}

/* Addresses are short: a longer cell is not one (and the regex's
 * backtracking stays bounded). */
#define PARTY_CELL_MAX 160

typedef enum {
	LABEL_NONE,
	LABEL_BILLING,
	LABEL_DELIVERY,
} address_label;

/* The address whose postcode is in cell k of row i, if it is one:
 * street (may stay NULL), postcode, city (owned).  A label before it
 * ("Livraison :", "Adresse de facturation :") is dropped and returned in
 * *label_r. */
static gboolean address_at(GPtrArray *rows, guint i, guint k, char **street_r,
			   char **postcode_r, char **city_r, address_label *label_r)
{
	static GRegex *re, *label;
	const row *here = rows->pdata[i];
	g_autoptr(GMatchInfo) lm = NULL;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *street = NULL;
	g_autofree char *cell = NULL;

	if (g_once_init_enter(&re)) {
		label = g_regex_new("^(?i:(adresse\\s+de\\s+livraison|lieu\\s+de\\s+livraison|livraison|"
				    "livrer\\s+[àa]|adresse\\s+de\\s+facturation|facturation|"
				    "adresse|si[èe]ge))\\s*:\\s*(.*)$",
				    G_REGEX_OPTIMIZE, 0, NULL);
		g_once_init_leave(&re, g_regex_new(
			"^(?:([^\\d\\n][^\\n]*?|\\d[^\\n]*?\\pL[^\\n]*?)"
			"(?:\\s*[,–—]\\s*|\\s+-\\s+|\\s+))?(\\d{5})\\s+"
			"(\\p{Lu}[\\pL'’ -]*?\\pL)(?:\\s+(?i:cedex)(?:\\s+\\d{1,2})?)?$",
			G_REGEX_OPTIMIZE, 0, NULL));
	}
	*label_r = LABEL_NONE;
	if (strlen(here->cells[k]) > PARTY_CELL_MAX)
		return FALSE;
	if (g_regex_match(label, here->cells[k], 0, &lm)) {
		g_autofree char *label_text = g_match_info_fetch(lm, 1);
		g_autofree char *name = g_ascii_strdown(label_text, -1);

		*label_r = strstr(name, "ivr") != NULL		? LABEL_DELIVERY
			   : strstr(name, "factur") != NULL ? LABEL_BILLING
							    : LABEL_NONE;
		cell = g_match_info_fetch(lm, 2);
	} else {
		cell = g_strdup(here->cells[k]);
	}
	if (!g_regex_match(re, cell, 0, &m))
		return FALSE;
	street = g_match_info_fetch(m, 1);
	if (street != NULL && street[0] != '\0') {
		if (!looks_like_street(street))
			return FALSE;  /* "SIRET 926 000 365 00064 Bordeaux" */
	} else if (i > 0) {
		const row *above = rows->pdata[i - 1];

		g_clear_pointer(&street, g_free);
		if (above->n == here->n && strlen(above->cells[k]) <= PARTY_CELL_MAX &&
		    looks_like_street(above->cells[k]))
			street = g_strdup(above->cells[k]);
	}
	*street_r = g_steal_pointer(&street);
	*postcode_r = g_match_info_fetch(m, 2);
	*city_r = g_match_info_fetch(m, 3);
	return TRUE;
}

/* Our postcode with our street, or with no street to tell.  A street is
 * ours when it has a word of ours that is not a kind of street
 * ("Ballastière" in "ZI La Ballastière": POs shorten "Zone Industrielle"). */
static gboolean is_our_address(const party_ours *ours, const char *street, const char *postcode)
{
	static GRegex *kind;
	g_autofree char *theirs = NULL;
	g_autofree char *mine = NULL;
	g_auto(GStrv) words = NULL;
	gboolean distinctive = FALSE;

	if (ours == NULL || ours->postcode == NULL || strcmp(postcode, ours->postcode) != 0)
		return FALSE;
	if (street == NULL || ours->address == NULL)
		return TRUE;
	if (g_once_init_enter(&kind))
		g_once_init_leave(&kind, g_regex_new(
			"^(?:zone|industrielle|artisanale|commerciale|activites|avenue|boulevard|"
			"chemin|route|place|impasse|allee|quai|cours|residence|hameau|lieu|"
			"batiment|centre|parc|saint|sainte)$",
			G_REGEX_OPTIMIZE, 0, NULL));
	theirs = fold(street);
	mine = fold(ours->address);
	words = g_regex_split_simple("[^a-z0-9]+", mine, 0, 0);
	for (guint i = 0; words[i] != NULL; i++) {
		if (strlen(words[i]) >= 5 && !g_regex_match(kind, words[i], 0, NULL)) {
			distinctive = TRUE;
			if (strstr(theirs, words[i]) != NULL)
				return TRUE;
		}
	}
	if (!distinctive) {
		/* "2 rue du Pont": no word of its own, the whole street */
		g_autofree char *a = fold_compact(street);
		g_autofree char *b = fold_compact(ours->address);

		return strstr(a, b) != NULL || strstr(b, a) != NULL;
	}
	return FALSE;
}

static const char *const billing_keys[] = { "billing_address", "billing_postcode",
					    "billing_city" };
static const char *const delivery_keys[] = { "delivery_address", "delivery_postcode",
					     "delivery_city" };

static void put_address(GHashTable *fields, const char *const keys[3], const char *street,
			const char *postcode, const char *city)
{
	put(fields, keys[0], street);
	put(fields, keys[1], postcode);
	put(fields, keys[2], city);
}

/* The delivery address: the first under a "livraison" heading or label.
 * The billing address: the first under a "facturation" heading or label,
 * else the first other address with a street (a letterhead's). */
static void find_addresses(GPtrArray *rows, const party_ours *ours, GHashTable *fields)
{
	g_auto(GStrv) letterhead = NULL;
	gboolean billing = FALSE, delivery = FALSE;

	for (guint i = 0; i < rows->len && !(billing && delivery); i++) {
		const row *r = rows->pdata[i];

		for (guint k = 0; k < r->n; k++) {
			g_autofree char *street = NULL;
			g_autofree char *postcode = NULL;
			g_autofree char *city = NULL;
			address_label label;
			block_kind kind;

			if (strpbrk(r->cells[k], "0123456789") == NULL ||
			    !address_at(rows, i, k, &street, &postcode, &city, &label))
				continue;
			if (is_our_address(ours, street, postcode))
				continue;
			kind = block_of(rows, i, k, ours, TRUE);
			if (kind == BLOCK_OURS)
				continue;
			if (label == LABEL_DELIVERY)
				kind = BLOCK_DELIVERY;
			else if (label == LABEL_BILLING)
				kind = BLOCK_BILLING;
			if (kind == BLOCK_DELIVERY && !delivery) {
				delivery = TRUE;
				put_address(fields, delivery_keys, street, postcode, city);
			} else if (kind == BLOCK_BILLING && !billing) {
				billing = TRUE;
				put_address(fields, billing_keys, street, postcode, city);
			} else if (kind == BLOCK_SENDER && letterhead == NULL && street != NULL) {
				/* "10000 Unités" has no street: not an address */
				letterhead = g_new0(char *, 4);
				letterhead[0] = g_steal_pointer(&street);
				letterhead[1] = g_steal_pointer(&postcode);
				letterhead[2] = g_steal_pointer(&city);
			}
		}
	}
	if (!billing && letterhead != NULL)
		put_address(fields, billing_keys, letterhead[0], letterhead[1], letterhead[2]);
}

/* The first value pattern's group 1 finds in a cell outside our block. */
static char *labelled(GPtrArray *rows, const party_ours *ours, const GRegex *re)
{
	for (guint i = 0; i < rows->len; i++) {
		const row *r = rows->pdata[i];

		for (guint k = 0; k < r->n; k++) {
			g_autoptr(GMatchInfo) m = NULL;

			if (strlen(r->cells[k]) <= 2 * PARTY_CELL_MAX &&
			    g_regex_match(re, r->cells[k], 0, &m) &&
			    block_of(rows, i, k, ours, FALSE) != BLOCK_OURS)
				return g_match_info_fetch(m, 1);
		}
	}
	return NULL;
}

void party_details_find(const char *text, const party_ours *ours, GHashTable *fields)
{
	static GRegex *phone, *contact;
	g_autoptr(GPtrArray) rows = NULL;
	g_autofree char *tel = NULL;
	g_autofree char *person = NULL;

	if (text == NULL)
		return;
	if (g_once_init_enter(&phone)) {
		contact = g_regex_new(
			"(?i:\\b(?:contact|interlocut(?:eur|rice)|suivi\\s+par|affaire\\s+suivie\\s+par|"
			"acheteu(?:r|se)|responsable\\s+achats?))\\s*:\\s*"
			"(?:(?i:M\\.|Mme|Mlle|Monsieur|Madame)\\s+)?"
			"(?!(?i:service|achats?|comptabilit[ée]|direction|magasin|accueil|"
			"commandes?|secr[ée]tariat)\\b)"
			"(\\p{Lu}[\\pL'’-]*(?:\\s(?!(?i:t[ée]l|fax|e-?mail|mail|port|mobile)\\b)"
			"\\p{Lu}[\\pL'’-]*){0,3})",
			G_REGEX_OPTIMIZE, 0, NULL);
		g_once_init_leave(&phone, g_regex_new(
			"(?i)\\b(?:t[ée]l(?:[ée]phone)?|phone|portable|mobile)\\b\\.?\\s*:?\\s*"
			"((?:\\+33\\s?(?:\\(0\\)\\s?)?|0)[1-9](?:[ .-]?\\d{2}){4})",
			G_REGEX_OPTIMIZE, 0, NULL));
	}
	rows = rows_of(text);
	find_addresses(rows, ours, fields);
	tel = labelled(rows, ours, phone);
	put(fields, "phone", tel);
	person = labelled(rows, ours, contact);
	put(fields, "contact", person);
}
