/* terms: payment terms read as the customer file writes them, and the due
 * dates they give (end of month, leap years, the legal ceilings). */
#include "orders/terms.h"
#include "tap.h"

#include <glib.h>

static void due(const char *terms, const char *date, const char *want)
{
	payment_terms t;
	const char *why = NULL;
	g_autofree char *got = NULL;

	if (payment_terms_parse(terms, &t, &why) < 0) {
		ok(0, "%s: refused (%s)", terms, why);
		return;
	}
	got = payment_terms_due(&t, date);
	is_str(got, want, "« %s » from %s", terms ? terms : "(none)", date);
}

int main(void)
{
	static const struct {
		const char *text, *shown;
	} read[] = {
		{ "30 jours fin de mois", "30 jours fin de mois" },
		{ "30 JOURS FIN DE MOIS", "30 jours fin de mois" },
		{ "45 jours fin de mois", "45 jours fin de mois" },
		{ "30 j fdm", "30 jours fin de mois" },
		{ "45 jours", "45 jours" },
		{ "45 jours net", "45 jours" },
		{ "60 jours date de facture", "60 jours" },
		{ "comptant", "comptant" },
		{ "Au comptant", "comptant" },
		{ "À réception", "comptant" },
		{ "a reception de facture", "comptant" },
		{ "1 jour", "1 jour" },
		{ "", "30 jours" },
		{ NULL, "30 jours" },
	};
	static const char *const refused[] = {
		"61 jours", "46 jours fin de mois", "trente jours", "30", "jours", "30 jours le 10",
		"9999999999 jours", "-5 jours", "30 semaines",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(read); i++) {
		payment_terms t;
		const char *why = NULL;
		g_autofree char *shown = NULL;

		if (payment_terms_parse(read[i].text, &t, &why) < 0) {
			ok(0, "« %s » read (%s)", read[i].text, why);
			continue;
		}
		shown = payment_terms_fr(&t);
		is_str(shown, read[i].shown, "« %s » read as « %s »", read[i].text ? read[i].text : "(none)",
		       read[i].shown);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
		payment_terms t;
		const char *why = NULL;

		ok(payment_terms_parse(refused[i], &t, &why) < 0 && why != NULL,
		   "« %s » refused: %s", refused[i], why ? why : "(no reason)");
	}

	/* the contract's example: 20/11 + 30 days = 20/12, end of month */
	due("30 jours fin de mois", "2026-11-20", "2026-12-31");
	due("45 jours fin de mois", "2026-11-20", "2027-01-31");
	due("30 jours fin de mois", "2026-01-31", "2026-03-31");
	due("30 jours", "2026-11-20", "2026-12-20");
	due("45 jours", "2026-12-20", "2027-02-03");
	due("comptant", "2026-11-20", "2026-11-20");
	due(NULL, "2026-11-20", "2026-12-20");
	/* leap years: 2028 is one, 2100 is not */
	due("30 jours fin de mois", "2028-01-30", "2028-02-29");
	due("30 jours", "2028-01-30", "2028-02-29");
	due("30 jours", "2100-01-30", "2100-03-01");
	due("30 jours fin de mois", "2100-01-30", "2100-03-31");
	due("1 jour", "2026-12-31", "2027-01-01");
	{
		payment_terms t = { 30, FALSE };

		ok(payment_terms_due(&t, "2026-02-30") == NULL, "an impossible date gives none");
		ok(payment_terms_due(&t, "hier") == NULL, "nor does a word");
	}
	return tap_done();
}
