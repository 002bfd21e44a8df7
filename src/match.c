#include "match.h"

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

typedef struct {
	const product *p;
	char *ref_key;
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
		entry e = { p, ref_key(p->ref), match_normalize(p->name), NULL };

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
