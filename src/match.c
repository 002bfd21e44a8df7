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

static double similarity(const char *a, const char *b)
{
	g_auto(GStrv) wa = g_strsplit(a, " ", -1);
	g_auto(GStrv) wb = g_strsplit(b, " ", -1);
	guint na = g_strv_length(wa), nb = g_strv_length(wb), common = 0;

	if (na == 0 || nb == 0)
		return 0;
	for (guint i = 0; i < na; i++) {
		gboolean dup = FALSE;

		for (guint k = 0; k < i && !dup; k++)
			dup = strcmp(wa[k], wa[i]) == 0;
		if (!dup && g_strv_contains((const char *const *)wb, wa[i]))
			common++;
	}
	return (double)common / (double)(na + nb - common);
}

const product *match_product(GPtrArray *catalogue, const char *ref, const char *description,
			     match_kind *kind_r)
{
	g_autofree char *key = ref ? ref_key(ref) : NULL;
	g_autofree char *desc = description ? match_normalize(description) : NULL;
	const product *best = NULL;
	double best_score = 0;

	*kind_r = MATCH_NONE;
	for (guint i = 0; key != NULL && key[0] != '\0' && i < catalogue->len; i++) {
		const product *p = catalogue->pdata[i];
		g_autofree char *k = ref_key(p->ref);

		if (strcmp(k, key) == 0) {
			*kind_r = MATCH_REF;
			return p;
		}
	}
	if (desc == NULL || desc[0] == '\0')
		return NULL;
	for (guint i = 0; i < catalogue->len; i++) {
		const product *p = catalogue->pdata[i];
		g_autofree char *name = match_normalize(p->name);
		double score;

		if (strcmp(name, desc) == 0) {
			*kind_r = MATCH_DESCRIPTION;
			return p;
		}
		score = similarity(name, desc);
		if (score > best_score) {
			best_score = score;
			best = p;
		}
	}
	if (best != NULL && best_score >= SIMILAR_MIN) {
		*kind_r = MATCH_SIMILAR;
		return best;
	}
	return NULL;
}
