/* dates: what French purchase orders write. */
#include "lib/dates.h"
#include "tap.h"

#include <glib.h>

/* A date typed as a value: the whole text, or nothing. */
static void test_exact(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "20/11/2026", "2026-11-20" }, { " 2026-11-20 ", "2026-11-20" },
		{ "20-11-2026", "2026-11-20" }, { "20.11.2026", "2026-11-20" },
		{ "1/2/2028", "2028-02-01" },   { "29/02/2028", "2028-02-29" },
		{ "29/02/2027", NULL },         { "31/04/2026", NULL },
		{ "le 30/11/2026 ou pas", NULL }, { "30/11/2026 ou pas", NULL },
		{ "30/11/26", NULL },           { "2026-11-20T10:00", NULL },
		{ "20/11-2026", NULL },         { "", NULL },
		{ "demain", NULL },             { "20/11/20266", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = date_parse_exact(cases[i].text);

		is_str(got, cases[i].want, "exact « %s »", cases[i].text);
	}
}

int main(void)
{
	test_exact();
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "20/11/2026", "2026-11-20" },
		{ "Date : 20/11/2026", "2026-11-20" },
		{ "19/11/26", "2026-11-19" },
		{ "5/1/2027", "2027-01-05" },
		{ "20-11-2026", "2026-11-20" },
		{ "20.11.2026", "2026-11-20" },
		{ "2026-11-20", "2026-11-20" },
		{ "20 novembre 2026", "2026-11-20" },
		{ "Libourne, le 20 Novembre 2026", "2026-11-20" },
		{ "lundi 2 février 2026", "2026-02-02" },
		{ "2 fevrier 2026", "2026-02-02" },
		{ "1er décembre 2026", "2026-12-01" },
		{ "15 août 2026", "2026-08-15" },
		{ "20 nov. 2026", "2026-11-20" },
		{ "3 SEPT 2026", "2026-09-03" },
		{ "Commande du 18/11/2026, livraison le 24/11/2026", "2026-11-18" },
		{ "livraison le 24 novembre 2026 (commande du 18/11/2026)", "2026-11-24" },
		{ "31/02/2026", NULL },
		{ "29/02/2028", "2028-02-29" },
		{ "29/02/2027", NULL },
		{ "13/13/2026", NULL },
		{ "BP-2026-118", NULL },
		{ "Tél. 05 53 08 41 27", NULL },
		{ "120/11/2026", NULL },
		{ "20 brumaire 2026", NULL },
		/* a neighbour's PO */
		{ "Order date: November 20, 2026", "2026-11-20" },
		{ "Date: Nov 3 2026", "2026-11-03" },
		{ "Datum: 20. November 2026", "2026-11-20" },
		{ "Fecha: 20 de noviembre de 2026", "2026-11-20" },
		{ "Data: 3 dicembre 2026", "2026-12-03" },
		{ "Version 2 11, 2026", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = date_find(cases[i].text);

		is_str(got, cases[i].want, "'%s'", cases[i].text);
	}
	is_str(date_find(NULL), NULL, "NULL text");
	{
		/* a rule's options.date_formats */
		static const struct {
			const char *text, *format, *want;
		} fmt[] = {
			{ "11/20/2026", "%m/%d/%Y", "2026-11-20" },
			{ "20/11/2026", "%m/%d/%Y", NULL },
			{ "20.11.26", "%d.%m.%y", "2026-11-20" },
			{ "1er décembre 2026", "%d %B %Y", "2026-12-01" },
			{ "  20   Nov. 2026 (livraison)", "%d %b %Y", "2026-11-20" },
			{ "November 20, 2026", "%B %d, %Y", "2026-11-20" },
			{ "2026-11-20", "%Y-%m-%d", "2026-11-20" },
			{ "2026/11/20", "%Y-%m-%d", NULL },
			{ "31/02/2026", "%d/%m/%Y", NULL },
			{ "20/11", "%d/%m", NULL },
			{ "20/11/2026", "%d/%m/%Q", NULL },
			{ "22/11/2026", "%d/%m/%y", NULL },
			{ "122/11/2026", "%d/%m/%Y", NULL },
		};

		for (size_t i = 0; i < G_N_ELEMENTS(fmt); i++) {
			g_autofree char *got = date_parse_format(fmt[i].text, fmt[i].format);

			is_str(got, fmt[i].want, "'%s' as '%s'", fmt[i].text, fmt[i].format);
		}
	}
	return tap_done();
}
