/* customer_fields: a customer's fields as the import and the customer
 * commands set them, the account numbering's stem, and how a PO's value is
 * compared with the file's. */
#include "orders/customer_fields.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static void account_stems(void)
{
	static const struct {
		const char *name, *stem;
	} cases[] = {
		{ "AMANDINE Epicerie Fine", "411AMA" },
		{ "Bio & Vrac", "411BIO" },
		{ "L'Épi d'Or", "411LEP" },
		{ "Ôde", "411ODE" },
		{ "A1", "411AXX" },
		{ "12 3", "411XXX" },
		{ "", "411XXX" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *stem = customer_account_stem(cases[i].name);

		is_str(stem, cases[i].stem, "account stem of '%s'", cases[i].name);
	}
}

static void setting(void)
{
	g_autoptr(customer) c = customer_new();
	g_autofree char *why = NULL;
	g_autofree char *v = NULL;

	ok(customer_field_set(c, "account", "411 ama 00", &why) == 0, "an account is set");
	v = customer_field_get(c, "account");
	is_str(v, "411AMA00", "in capitals, without spaces");
	ok(customer_field_set(c, "account", "706000", &why) < 0, "a sales account is no customer's");
	ok(why != NULL && strstr(why, "411") != NULL, "saying why: %s", why ? why : "");
	g_clear_pointer(&v, g_free);
	v = customer_field_get(c, "account");
	is_str(v, "411AMA00", "and the field is unchanged");
	g_clear_pointer(&why, g_free);

	ok(customer_field_set(c, "discount_pct", "2,5", &why) == 0, "a discount with a comma");
	g_clear_pointer(&v, g_free);
	v = customer_field_get(c, "discount_pct");
	is_str(v, "2.5", "written as the CSV writes it");
	ok(customer_field_set(c, "discount_pct", "120", &why) < 0, "over 100 %% is refused");
	g_clear_pointer(&why, g_free);

	ok(customer_field_set(c, "tags", "Bio, Épicerie fine; bio", &why) == 0, "tags");
	g_clear_pointer(&v, g_free);
	v = customer_field_get(c, "tags");
	is_str(v, "bio,epicerie-fine", "each a slug, once");

	ok(customer_field_set(c, "email", "Achats@Exemple.FR; compta@exemple.fr", &why) == 0,
	   "two e-mails");
	g_clear_pointer(&v, g_free);
	v = customer_field_get(c, "email");
	is_str(v, "achats@exemple.fr;compta@exemple.fr", "lower-cased, in order");
	ok(customer_field_set(c, "email", "achats@", &why) < 0, "a bad e-mail is refused");
	ok(why != NULL && strstr(why, "achats@") != NULL, "naming it");
	g_clear_pointer(&why, g_free);

	ok(customer_field_set(c, "siret", "926 000 365 00064", &why) < 0,
	   "AMANDINE's SIRET fails its Luhn key");
	ok(why != NULL && strstr(why, "Luhn") != NULL, "saying so: %s", why ? why : "");
	g_clear_pointer(&why, g_free);
}

static void consistency(void)
{
	g_autoptr(customer) c = customer_new();
	g_autofree char *why = NULL;
	g_autofree char *inconsistent = NULL;

	ok(customer_field_set(c, "siret", "26197306970249", &why) == 0, "a SIRET");
	ok(customer_field_set(c, "vat", "FR96261973069", &why) == 0, "its VAT number");
	inconsistent = customer_fields_consistent(c);
	ok(inconsistent == NULL, "agree");
	ok(customer_field_set(c, "vat", "FR72140260662", &why) == 0, "another company's VAT number");
	inconsistent = customer_fields_consistent(c);
	ok(inconsistent != NULL, "does not agree with the SIRET");
}

static void differs(void)
{
	g_autoptr(customer) c = customer_new();
	g_autofree char *why = NULL;
	g_autofree char *d1 = NULL;
	g_autofree char *d2 = NULL;
	g_autofree char *d3 = NULL;
	g_autofree char *d4 = NULL;

	customer_field_set(c, "billing_address", "3 place de l'Église", &why);
	customer_field_set(c, "phone", "05 53 24 67 12", &why);
	d1 = customer_field_differs(c, "billing_address", "3 PLACE DE L’EGLISE");
	ok(d1 == NULL, "case, accents and apostrophes do not make a difference");
	d2 = customer_field_differs(c, "phone", "0553246712");
	ok(d2 == NULL, "nor a phone written otherwise");
	d3 = customer_field_differs(c, "phone", "05 53 24 67 13");
	is_str(d3, "05 53 24 67 12", "another phone: the file's value");
	d4 = customer_field_differs(c, "delivery_city", "Bergerac");
	is_str(d4, "", "a value the file lacks differs (the file's: empty)");
	ok(customer_field_differs(c, "phone", "12") == NULL, "a value that is no phone is not compared");
}

int main(void)
{
	account_stems();
	setting();
	consistency();
	differs();
	return tap_done();
}
