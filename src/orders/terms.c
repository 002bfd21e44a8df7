/* terms.c: payment terms and due dates (terms.h). */
#include "orders/terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEGAL_MAX_DAYS 60
#define LEGAL_MAX_END_OF_MONTH_DAYS 45

/* Lower case, accents folded, runs of anything but letters and digits
 * one space: "À  réception." -> "a reception". */
static char *folded_words(const char *text)
{
	g_autofree char *lower = g_utf8_strdown(text, -1);
	g_autofree char *plain = g_utf8_normalize(lower, -1, G_NORMALIZE_NFD);
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;

	for (const char *p = plain; p != NULL && *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_ismark(c))
			continue;
		if (c < 128 && g_ascii_isalnum((char)c)) {
			if (space && out->len > 0)
				g_string_append_c(out, ' ');
			g_string_append_c(out, (char)c);
			space = FALSE;
		} else {
			space = TRUE;
		}
	}
	return g_string_free(out, FALSE);
}

int payment_terms_parse(const char *text, payment_terms *t, const char **why_r)
{
	static const char *const cash[] = {
		"comptant", "au comptant", "paiement comptant", "a reception", "a reception de facture",
		"reception de facture", "paiement a reception", "0 jour", "0 jours",
	};
	static const char *const end_of_month[] = { "fin de mois", "fdm", "fin du mois" };
	static const char *const plain_tail[] = {
		"", "net", "nets", "date de facture", "date facture", "a date de facture",
		"a compter de la date de facture",
	};
	g_autofree char *w = NULL;
	const char *p;
	char *end = NULL;
	long days;

	*why_r = NULL;
	t->days = PAYMENT_TERMS_DEFAULT_DAYS;
	t->end_of_month = FALSE;
	if (text == NULL || text[0] == '\0')
		return 0;
	while (g_ascii_isspace(*text))
		text++;
	if (*text == '-')
		goto none;  /* folding would drop the sign */
	w = folded_words(text);
	for (size_t i = 0; i < G_N_ELEMENTS(cash); i++) {
		if (strcmp(w, cash[i]) == 0) {
			t->days = 0;
			return 0;
		}
	}
	if (!g_ascii_isdigit(w[0]))
		goto none;
	days = strtol(w, &end, 10);
	if (end - w > 3 || days < 0)
		goto none;
	p = end;
	if (g_str_has_prefix(p, " jours"))
		p += strlen(" jours");
	else if (g_str_has_prefix(p, " jour"))
		p += strlen(" jour");
	else if (g_str_has_prefix(p, " j"))
		p += strlen(" j");
	else
		goto none;
	if (*p == ' ')
		p++;
	for (size_t i = 0; i < G_N_ELEMENTS(end_of_month); i++) {
		if (strcmp(p, end_of_month[i]) == 0) {
			if (days > LEGAL_MAX_END_OF_MONTH_DAYS) {
				*why_r = "au plus 45 jours fin de mois (Code de commerce, L441-10)";
				return -1;
			}
			t->days = (int)days;
			t->end_of_month = TRUE;
			return 0;
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(plain_tail); i++) {
		if (strcmp(p, plain_tail[i]) == 0) {
			if (days > LEGAL_MAX_DAYS) {
				*why_r = "au plus 60 jours à compter de la date de facture (Code de "
					 "commerce, L441-10)";
				return -1;
			}
			t->days = (int)days;
			return 0;
		}
	}
none:
	*why_r = "conditions de paiement non comprises : écrivez « comptant », « 30 jours » ou "
		 "« 45 jours fin de mois »";
	return -1;
}

char *payment_terms_fr(const payment_terms *t)
{
	if (t->days == 0 && !t->end_of_month)
		return g_strdup("comptant");
	return g_strdup_printf("%d jour%s%s", t->days, t->days > 1 ? "s" : "",
			       t->end_of_month ? " fin de mois" : "");
}

char *payment_terms_due(const payment_terms *t, const char *date)
{
	int y, m, d;
	GDate g;
	char buf[16];

	if (date == NULL || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	g_date_add_days(&g, (guint)t->days);
	if (t->end_of_month)
		g_date_set_day(&g, g_date_get_days_in_month(g_date_get_month(&g),
							    g_date_get_year(&g)));
	g_snprintf(buf, sizeof(buf), "%04d-%02d-%02d", g_date_get_year(&g), g_date_get_month(&g),
		   g_date_get_day(&g));
	return g_strdup(buf);
}
