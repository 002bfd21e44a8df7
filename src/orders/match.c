#include "orders/match.h"

#include <string.h>

/* A guess needs this share of words in common (Jaccard). */
#define SIMILAR_MIN 0.6

char *match_normalize(const char *text)
{
	g_autofree char *ascii = NULL;
	GString *out;
	char prev = ' ';

	if (text == NULL)
		return g_strdup("");
	ascii = g_str_to_ascii(text, "C");
	out = g_string_new(NULL);
	for (const char *p = ascii; *p; p++) {
		char c = g_ascii_tolower(*p);

		if (!g_ascii_isalnum(c)) {
			c = ' ';
		} else if (prev != ' ' && g_ascii_isdigit(c) != g_ascii_isdigit(prev)) {
			/* "75cl" and "75 cl" alike */
			g_string_append_c(out, ' ');
		}
		if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
			continue;
		g_string_append_c(out, c);
		prev = c;
	}
	if (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

/* "BIO-1001", "bio 1001", "BIO1001" -> "bio1001". */
static char *ref_key(const char *ref)
{
	g_autofree char *n = match_normalize(ref);
	GString *out = g_string_new(NULL);

	for (const char *p = n; *p; p++) {
		if (*p != ' ')
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

void match_line_keys(const char *ref, const char *description, char **ref_key_r,
		     char **desc_key_r)
{
	g_autofree char *r = ref ? ref_key(ref) : NULL;
	g_autofree char *d = description ? match_normalize(description) : NULL;

	*ref_key_r = r && r[0] ? g_strconcat("ref:", r, NULL) : NULL;
	*desc_key_r = d && d[0] ? g_strconcat("desc:", d, NULL) : NULL;
}

/* A reference key with the letters OCR takes for digits made digits. */
static char *ocr_fold(const char *key)
{
	char *out = g_strdup(key);

	for (char *p = out; *p; p++) {
		if (*p == 'o')
			*p = '0';
		else if (*p == 'i' || *p == 'l')
			*p = '1';
	}
	return out;
}

typedef struct {
	const product *p;
	char *ref_key;
	char *ref_folded;    /* ref_key as OCR may read it (ocr_fold) */
	char *name;          /* normalised */
	GStrv words;         /* of name */
} entry;

struct match_catalogue {
	GPtrArray *products; /* product*, owned */
	GArray *entries;     /* entry */
};

static void entry_clear(gpointer data)
{
	entry *e = data;

	g_free(e->ref_key);
	g_free(e->ref_folded);
	g_free(e->name);
	g_strfreev(e->words);
}

match_catalogue *match_catalogue_new(GPtrArray *products)
{
	match_catalogue *cat = g_new0(match_catalogue, 1);

	cat->products = products;
	cat->entries = g_array_sized_new(FALSE, FALSE, sizeof(entry), products->len);
	g_array_set_clear_func(cat->entries, entry_clear);
	for (guint i = 0; i < products->len; i++) {
		const product *p = products->pdata[i];
		entry e = { p, ref_key(p->ref), NULL, match_normalize(p->name), NULL };

		e.ref_folded = ocr_fold(e.ref_key);
		e.words = g_strsplit(e.name, " ", -1);
		g_array_append_val(cat->entries, e);
	}
	return cat;
}

void match_catalogue_free(match_catalogue *cat)
{
	if (cat == NULL)
		return;
	g_array_unref(cat->entries);
	g_ptr_array_unref(cat->products);
	g_free(cat);
}

/* Words in common over words in either (Jaccard), each word once. */
static double similarity(const char *const *wa, const char *const *wb)
{
	guint na = g_strv_length((GStrv)wa), nb = g_strv_length((GStrv)wb), common = 0;

	if (na == 0 || nb == 0)
		return 0;
	for (guint i = 0; i < na; i++) {
		gboolean dup = FALSE;

		for (guint k = 0; k < i && !dup; k++)
			dup = strcmp(wa[k], wa[i]) == 0;
		if (!dup && g_strv_contains(wb, wa[i]))
			common++;
	}
	return (double)common / (double)(na + nb - common);
}

/* The product whose reference key is key (references are unique in the
 * catalogue), or NULL. */
static const product *by_ref_key(const match_catalogue *cat, const char *key)
{
	for (guint i = 0; i < cat->entries->len; i++) {
		const entry *e = &g_array_index(cat->entries, entry, i);

		if (strcmp(e->ref_key, key) == 0)
			return e->p;
	}
	return NULL;
}

/* The one product whose reference, with the letters OCR takes for
 * digits made digits, is key so folded; NULL when none, or two. */
static const product *by_folded_key(const match_catalogue *cat, const char *key)
{
	g_autofree char *folded = ocr_fold(key);
	const product *found = NULL;

	for (guint i = 0; i < cat->entries->len; i++) {
		const entry *e = &g_array_index(cat->entries, entry, i);

		if (strcmp(e->ref_folded, folded) != 0)
			continue;
		if (found != NULL)
			return NULL;
		found = e->p;
	}
	return found;
}

/* Our reference among the words of text (a reference cell that also
 * holds the customer's own code, "EP0373 BIO-1043"; a description that
 * names it, "Café moulu 250 g Réf. fournisseur : BIO-1021"): a printed
 * word that is exactly one product's reference key, as printed or as a
 * scan reads it, and a code (letters and digits); NULL when none, or when
 * the text names two products. */
static const product *ref_in_text(const match_catalogue *cat, const char *text)
{
	g_auto(GStrv) printed = g_strsplit_set(text, " \t\n", -1);
	const product *found = NULL;

	/* each printed word alone: "BIO-1021", "B10-1032"; never words
	 * joined across a space ("bio 1000 g" names no BIO-1000) */
	for (guint i = 0; printed[i] != NULL; i++) {
		g_autofree char *key = ref_key(printed[i]);
		gboolean letter = FALSE, digit = FALSE;
		const product *p;

		for (const char *c = key; *c; c++) {
			letter |= g_ascii_isalpha(*c);
			digit |= g_ascii_isdigit(*c);
		}
		if (!letter || !digit || strlen(key) < 4)
			continue;
		/* as printed, else as a scan reads it */
		if ((p = by_ref_key(cat, key)) == NULL && (p = by_folded_key(cat, key)) == NULL)
			continue;
		if (found != NULL && found != p)
			return NULL;
		found = p;
	}
	return found;
}

const product *match_product(const match_catalogue *cat, const char *ref,
			     const char *description, match_kind *kind_r)
{
	g_autofree char *key = ref ? ref_key(ref) : NULL;
	g_autofree char *desc = description ? match_normalize(description) : NULL;
	g_auto(GStrv) desc_words = NULL;
	const product *best = NULL;
	double best_score = 0;

	*kind_r = MATCH_NONE;
	for (guint i = 0; key != NULL && key[0] != '\0' && i < cat->entries->len; i++) {
		const entry *e = &g_array_index(cat->entries, entry, i);

		if (strcmp(e->ref_key, key) == 0) {
			*kind_r = MATCH_REF;
			return e->p;
		}
	}
	/* A scan's reference: OCR takes O for 0 and I or l for 1 ("B10-2001"):
	 * the one product whose reference reads the same so folded. */
	if (key != NULL && key[0] != '\0') {
		g_autofree char *folded = ocr_fold(key);
		const product *found = NULL;
		gboolean twice = FALSE;

		for (guint i = 0; i < cat->entries->len && !twice; i++) {
			const entry *e = &g_array_index(cat->entries, entry, i);

			if (strcmp(e->ref_folded, folded) != 0)
				continue;
			twice = found != NULL;   /* two references alike: no guess */
			found = e->p;
		}
		if (found != NULL && !twice) {
			*kind_r = MATCH_REF;
			return found;
		}
	}
	{
		/* our reference beside the customer's code in its cell */
		const product *p = ref != NULL ? ref_in_text(cat, ref) : NULL;

		if (p != NULL) {
			*kind_r = MATCH_REF;
			return p;
		}
	}
	for (guint i = 0; desc != NULL && i < cat->entries->len; i++) {
		const entry *e = &g_array_index(cat->entries, entry, i);

		/* the catalogue's own name, before a reference it may mention */
		if (strcmp(e->name, desc) == 0) {
			*kind_r = MATCH_DESCRIPTION;
			return e->p;
		}
	}
	{
		/* our reference in the description ("Réf. fournisseur : BIO-1021") */
		const product *p = description != NULL ? ref_in_text(cat, description) : NULL;

		if (p != NULL) {
			*kind_r = MATCH_REF;
			return p;
		}
	}
	if (desc == NULL || desc[0] == '\0')
		return NULL;
	desc_words = g_strsplit(desc, " ", -1);
	for (guint i = 0; i < cat->entries->len; i++) {
		const entry *e = &g_array_index(cat->entries, entry, i);
		double score;

		if (strcmp(e->name, desc) == 0) {
			*kind_r = MATCH_DESCRIPTION;
			return e->p;
		}
		score = similarity((const char *const *)e->words, (const char *const *)desc_words);
		if (score > best_score) {
			best_score = score;
			best = e->p;
		}
	}
	if (best != NULL && best_score >= SIMILAR_MIN) {
		*kind_r = MATCH_SIMILAR;
		return best;
	}
	return NULL;
}

/* ---------------------------------------------------------------- customers */

/* A customer's name shorter than this is not searched for: "Bio" would
 * be found in every order. */
#define NAME_MIN_LEN 5

typedef struct {
	const customer *c;
	char *ref_key;      /* "cli380" */
	char *siret;        /* digits only, or NULL */
	char *vat;          /* "fr85900339151", or NULL */
	char *name;         /* " bio perigord ", padded for whole words; NULL if too short */
} customer_entry;

struct match_customers {
	GPtrArray *customers;   /* customer*, owned */
	GArray *entries;        /* customer_entry */
};

const char *customer_found_fr(customer_found how)
{
	switch (how) {
	case CUSTOMER_FOUND_REF:
		return "son code client";
	case CUSTOMER_FOUND_SIRET:
		return "son SIRET";
	case CUSTOMER_FOUND_VAT:
		return "son n° de TVA";
	case CUSTOMER_FOUND_NAME:
		return "son nom";
	case CUSTOMER_FOUND_NONE:
		break;
	}
	return "rien";
}

static void customer_entry_clear(gpointer data)
{
	customer_entry *e = data;

	g_free(e->ref_key);
	g_free(e->siret);
	g_free(e->vat);
	g_free(e->name);
}

/* The identifier without its spaces, lower-case; NULL when empty. */
static char *id_key(const char *id)
{
	char *k = id ? ref_key(id) : NULL;

	if (k != NULL && k[0] == '\0')
		g_clear_pointer(&k, g_free);
	return k;
}

match_customers *match_customers_new(GPtrArray *customers)
{
	match_customers *mc = g_new0(match_customers, 1);

	mc->customers = customers;
	mc->entries = g_array_sized_new(FALSE, FALSE, sizeof(customer_entry), customers->len);
	g_array_set_clear_func(mc->entries, customer_entry_clear);
	for (guint i = 0; i < customers->len; i++) {
		const customer *c = customers->pdata[i];
		g_autofree char *name = match_normalize(c->name);
		customer_entry e = { c, ref_key(c->ref), id_key(c->siret), id_key(c->vat), NULL };

		if (strlen(name) >= NAME_MIN_LEN)
			e.name = g_strconcat(" ", name, " ", NULL);
		g_array_append_val(mc->entries, e);
	}
	return mc;
}

void match_customers_free(match_customers *mc)
{
	if (mc == NULL)
		return;
	g_array_unref(mc->entries);
	g_ptr_array_unref(mc->customers);
	g_free(mc);
}

static gboolean all_digits(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++) {
		if (!g_ascii_isdigit(*s))
			return FALSE;
	}
	return TRUE;
}

/* The identifiers the text's words spell: our customer codes ("cli" and
 * three digits or more), SIRETs (digit groups making exactly 14 digits,
 * "900 339 151 00079" as well as "90033915100079") and French VAT numbers
 * ("fr" and groups making 11 digits).  Keys as in customer_entry. */
static void text_identifiers(char **words, GPtrArray *refs, GPtrArray *sirets, GPtrArray *vats)
{
	for (guint i = 0; words[i] != NULL; i++) {
		gboolean after_fr = i > 0 && strcmp(words[i - 1], "fr") == 0;
		gboolean after_cli = i > 0 && strcmp(words[i - 1], "cli") == 0;
		g_autoptr(GString) run = g_string_new(NULL);

		if (!all_digits(words[i]))
			continue;
		if (after_cli && strlen(words[i]) >= 3)
			g_ptr_array_add(refs, g_strconcat("cli", words[i], NULL));
		/* a number may start a SIRET or a VAT number only at a group's
		 * start: the previous word is not digits */
		if (i > 0 && all_digits(words[i - 1]))
			continue;
		for (guint k = i; words[k] != NULL && all_digits(words[k]) && run->len < 14; k++) {
			g_string_append(run, words[k]);
			if (run->len == 11 && after_fr)
				g_ptr_array_add(vats, g_strconcat("fr", run->str, NULL));
			if (run->len == 14 && !after_fr)
				g_ptr_array_add(sirets, g_strdup(run->str));
		}
	}
}

typedef enum { KEY_REF, KEY_SIRET, KEY_VAT } key_kind;

static const char *entry_key(const customer_entry *e, key_kind kind)
{
	return kind == KEY_REF ? e->ref_key : kind == KEY_SIRET ? e->siret : e->vat;
}

/* The one customer whose key of this kind is among keys; NULL for none,
 * and for two (*ambiguous_r set). */
static const customer *by_key(const match_customers *mc, GPtrArray *keys, key_kind kind,
			      gboolean *ambiguous_r)
{
	const customer *found = NULL;

	for (guint i = 0; i < mc->entries->len; i++) {
		const customer_entry *e = &g_array_index(mc->entries, customer_entry, i);
		const char *key = entry_key(e, kind);

		for (guint k = 0; key != NULL && k < keys->len; k++) {
			if (strcmp(keys->pdata[k], key) != 0)
				continue;
			if (found != NULL && found != e->c) {
				*ambiguous_r = TRUE;
				return NULL;
			}
			found = e->c;
		}
	}
	return found;
}

const customer *match_customer_in_text(const match_customers *mc, const char *text,
				       customer_found *how_r)
{
	g_autofree char *norm = match_normalize(text);
	g_autofree char *padded = g_strconcat(" ", norm, " ", NULL);
	g_auto(GStrv) words = g_strsplit(norm, " ", -1);
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) sirets = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vats = g_ptr_array_new_with_free_func(g_free);
	static const struct {
		key_kind kind;
		customer_found how;
	} levels[] = {
		{ KEY_REF, CUSTOMER_FOUND_REF },
		{ KEY_SIRET, CUSTOMER_FOUND_SIRET },
		{ KEY_VAT, CUSTOMER_FOUND_VAT },
	};
	const customer *found = NULL;
	const char *found_name = NULL;
	gboolean ambiguous = FALSE;

	*how_r = CUSTOMER_FOUND_NONE;
	text_identifiers(words, refs, sirets, vats);
	for (size_t l = 0; l < G_N_ELEMENTS(levels); l++) {
		GPtrArray *keys = levels[l].kind == KEY_REF	? refs
				  : levels[l].kind == KEY_SIRET ? sirets
								: vats;

		found = by_key(mc, keys, levels[l].kind, &ambiguous);
		if (ambiguous)
			return NULL;
		if (found != NULL) {
			*how_r = levels[l].how;
			return found;
		}
	}
	/* Names: the longest found is meant ("Bio Périgord Sud" is also
	 * "Bio Périgord" found); another name found beside it, or two
	 * customers of that same name, and none is. */
	for (guint i = 0; i < mc->entries->len; i++) {
		const customer_entry *e = &g_array_index(mc->entries, customer_entry, i);

		if (e->name != NULL && strstr(padded, e->name) != NULL &&
		    (found_name == NULL || strlen(e->name) > strlen(found_name))) {
			found = e->c;
			found_name = e->name;
		}
	}
	for (guint i = 0; found != NULL && i < mc->entries->len; i++) {
		const customer_entry *e = &g_array_index(mc->entries, customer_entry, i);

		if (e->c == found || e->name == NULL || strstr(padded, e->name) == NULL)
			continue;
		if (strcmp(e->name, found_name) == 0 || strstr(found_name, e->name) == NULL)
			return NULL;
	}
	if (found != NULL)
		*how_r = CUSTOMER_FOUND_NAME;
	return found;
}
