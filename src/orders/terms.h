/* terms.h: a customer's payment terms, as the customer file writes them
 * ("30 jours fin de mois", "45 jours", "comptant"), and the due date they
 * give an invoice.
 *
 * French law (Code de commerce, L441-10) caps agreed terms at 60 days from
 * the invoice's date, or 45 days end of month; without agreed terms an
 * invoice is due 30 days after the delivery.  "N jours fin de mois" counts
 * N days from the invoice's date, then goes to the end of that month
 * (20/11 + 30 days = 20/12, due 31/12), the reading most French ERPs
 * apply.
 */
#ifndef MO_TERMS_H
#define MO_TERMS_H

#include <glib.h>

typedef struct {
	int days;                 /* 0 for cash */
	gboolean end_of_month;    /* then to the month's last day */
} payment_terms;

/* The terms a customer has when the file gives none. */
#define PAYMENT_TERMS_DEFAULT_DAYS 30

/* Reads text: "comptant", "à réception", "30 jours", "30 jours net",
 * "45 jours fin de mois", "30 j fdm", "60 jours date de facture"; case,
 * accents and spacing aside.  NULL or "" gives the default (30 days).
 * -1 with *why_r (static, French) for a text that is none, or terms beyond
 * what the law allows. */
int payment_terms_parse(const char *text, payment_terms *t, const char **why_r);
/* As an invoice prints them: "30 jours fin de mois", "comptant".  Owned. */
char *payment_terms_fr(const payment_terms *t);
/* The due date ("YYYY-MM-DD", owned) of an invoice dated date (ISO);
 * NULL when date is not one. */
char *payment_terms_due(const payment_terms *t, const char *date);

#endif
