/* match: order lines against a catalogue. */
#include "orders/match.h"
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

static customer *client(const char *ref, const char *name, const char *siret, const char *vat)
{
	customer *c = customer_new();

	c->id = ref[4] - '0';
	c->ref = g_strdup(ref);
	c->name = g_strdup(name);
	c->siret = g_strdup(siret);
	c->vat = g_strdup(vat);
	return c;
}

/* A document naming its customer, the ways real POs do. */
static void customers_found(void)
{
	GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)customer_free);
	g_autoptr(match_customers) mc = NULL;
	static const struct {
		const char *text, *want;
		customer_found how;
		const char *why;
	} cases[] = {
		{ "Notre code client chez vous : CLI380\nSIRET 316 475 250 00023", "CLI380",
		  CUSTOMER_FOUND_REF, "our code printed wins over another's SIRET" },
		{ "Code client (si connu) cli-381", "CLI381", CUSTOMER_FOUND_REF,
		  "our code, lower case, with a dash" },
		{ "N° SIRET    900 339 151 00079\nTél. 05 53 08 41 27", "CLI380", CUSTOMER_FOUND_SIRET,
		  "a SIRET in groups" },
		{ "SIRET 90033915100079 – APE 4729Z", "CLI380", CUSTOMER_FOUND_SIRET,
		  "a SIRET in one word" },
		{ "TVA intracom. FR85900339151", "CLI380", CUSTOMER_FOUND_VAT, "a VAT number alone" },
		{ "TVA FR 85 900 339 151", "CLI380", CUSTOMER_FOUND_VAT, "a VAT number in groups" },
		{ "Tél. 05 53 90 03 39 15 10 00 79", NULL, CUSTOMER_FOUND_NONE,
		  "the SIRET's digits inside a longer number are not it" },
		{ "Raison sociale    Natur'Elles\nAdresse 41 rue Neuve", "CLI385", CUSTOMER_FOUND_NAME,
		  "the name, whatever the punctuation" },
		{ "BIO PÉRIGORD SUD    BON DE COMMANDE", "CLI387", CUSTOMER_FOUND_NAME,
		  "the longer of two names found is meant" },
		{ "Les Jardins de Léa et Natur'Elles, ensemble", NULL, CUSTOMER_FOUND_NONE,
		  "two customers named: none guessed" },
		{ "SIRET 900 339 151 00079 et SIRET 316 475 250 00023", NULL, CUSTOMER_FOUND_NONE,
		  "two SIRETs of two customers: none guessed" },
		{ "Bio en vrac, CLI999", NULL, CUSTOMER_FOUND_NONE,
		  "an unknown code, a name too short to search" },
		{ "Sweetie Bio, SIRET 126 562 925 00092", NULL, CUSTOMER_FOUND_NONE,
		  "our own form: our SIRET is no customer's" },
		{ "Bio Périgord, 14 rue Taillefer", NULL, CUSTOMER_FOUND_NONE,
		  "two customers of that name: none guessed" },
	};

	g_ptr_array_add(all, client("CLI380", "Bio Périgord", "90033915100079", "FR85900339151"));
	g_ptr_array_add(all, client("CLI381", "Cocon des Sens", "60741313500080", NULL));
	g_ptr_array_add(all, client("CLI385", "Natur'Elles", "31647525000023", NULL));
	g_ptr_array_add(all, client("CLI386", "Les Jardins de Léa", NULL, NULL));
	g_ptr_array_add(all, client("CLI388", "Bio", NULL, NULL));
	/* a second shop of the same name, listed before the longer name */
	g_ptr_array_add(all, client("CLI389", "Bio Périgord", NULL, NULL));
	g_ptr_array_add(all, client("CLI387", "Bio Périgord Sud", NULL, NULL));
	mc = match_customers_new(all);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		customer_found how = CUSTOMER_FOUND_SIRET;
		const customer *c = match_customer_in_text(mc, cases[i].text, &how);

		is_str(c ? c->ref : NULL, cases[i].want, "customer in text: %s", cases[i].why);
		is_int(how, cases[i].how, "  and says how");
	}
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
		{ "B10-1009", NULL, "BIO-1009", MATCH_REF, "as OCR reads it: 1 for I, 0 for O" },
		{ "BI0-lO38", NULL, "BIO-1038", MATCH_REF, "and l for 1" },
		{ "HV-75", "HUILE D’OLIVE VIERGE EXTRA 75CL", "BIO-1009", MATCH_DESCRIPTION,
		  "the customer's own reference, our description in capitals, curly quote, 75CL" },
		{ NULL, "Huile d'olive vierge extra, 75 cl", "BIO-1009", MATCH_DESCRIPTION,
		  "no reference, punctuation" },
		{ NULL, "Huile olive vierge extra 75 cl bouteille", "BIO-1009", MATCH_SIMILAR,
		  "most words in common: a guess" },
		{ NULL, "Huile de massage", NULL, MATCH_NONE, "too little in common: no guess" },
		{ "XYZ-1", "Tout autre chose", NULL, MATCH_NONE, "nothing like it" },
		{ NULL, NULL, NULL, MATCH_NONE, "an empty line" },
		{ "EP0373 BIO-1038", "Cerneaux", "BIO-1038", MATCH_REF,
		  "the customer's code and ours in one cell" },
		{ NULL, "Jus de pomme Réf. fournisseur : BIO1009", "BIO-1009", MATCH_REF,
		  "our reference inside the description" },
		{ "ART-4927", "B10-1038 Huile de massage", "BIO-1038", MATCH_REF,
		  "inside the description, as a scan reads it" },
		{ NULL, "BIO-1009 ou BIO-1038", NULL, MATCH_NONE, "two references named: none taken" },
		{ NULL, "Savon bio 1021 g", NULL, MATCH_NONE,
		  "words apart are no reference: 'bio 1021' is not BIO-1021" },
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
	customers_found();
	return tap_done();
}
