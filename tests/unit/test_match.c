/* match: order lines against a catalogue. */
#include "match.h"
#include "tap.h"

#include <glib.h>

static product *item(const char *ref, const char *name)
{
	product *p = g_new0(product, 1);

	p->ref = g_strdup(ref);
	p->name = g_strdup(name);
	return p;
}

static void item_free(product *p)
{
	g_free(p->ref);
	g_free(p->name);
	g_free(p);
}

int main(void)
{
	GPtrArray *products = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
	g_autoptr(match_catalogue) cat = NULL;
	static const struct {
		const char *ref, *description, *want;
		match_kind kind;
		const char *why;
	} cases[] = {
		{ "BIO-1009", "whatever", "BIO-1009", MATCH_REF, "our reference" },
		{ "bio 1009", NULL, "BIO-1009", MATCH_REF, "our reference, written otherwise" },
		{ "BIO1009", NULL, "BIO-1009", MATCH_REF, "without its dash" },
		{ "HV-75", "HUILE D’OLIVE VIERGE EXTRA 75CL", "BIO-1009", MATCH_DESCRIPTION,
		  "the customer's own reference, our description in capitals, curly quote, 75CL" },
		{ NULL, "Huile d'olive vierge extra, 75 cl", "BIO-1009", MATCH_DESCRIPTION,
		  "no reference, punctuation" },
		{ NULL, "Huile olive vierge extra 75 cl bouteille", "BIO-1009", MATCH_SIMILAR,
		  "most words in common: a guess" },
		{ NULL, "Huile de massage", NULL, MATCH_NONE, "too little in common: no guess" },
		{ "XYZ-1", "Tout autre chose", NULL, MATCH_NONE, "nothing like it" },
		{ NULL, NULL, NULL, MATCH_NONE, "an empty line" },
	};

	g_ptr_array_add(products, item("BIO-1009", "Huile d'olive vierge extra 75 cl"));
	g_ptr_array_add(products, item("BIO-1038", "Huile de massage à l'amande douce 100 ml"));
	g_ptr_array_add(products, item("BIO-1021", "Jus de pomme trouble 1 L"));
	cat = match_catalogue_new(products);

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		match_kind kind = MATCH_NONE;
		const product *p = match_product(cat, cases[i].ref, cases[i].description, &kind);

		is_str(p ? p->ref : NULL, cases[i].want, "%s", cases[i].why);
		is_int(kind, cases[i].kind, "  and says how");
	}
	{
		g_autofree char *n = match_normalize("  Crème  hydratante à l’Aloe-Vera, 50ml ");

		is_str(n, "creme hydratante a l aloe vera 50 ml", "normalised: case, accents, punctuation, units");
	}
	return tap_done();
}
