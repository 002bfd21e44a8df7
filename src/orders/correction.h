/* correction.h: a clerk's correction of a draft order: its customer, or
 * the product one of its lines means.  The checks that depend on it are
 * made again, the filed PO takes the customer's name, and the correction
 * is remembered (this address writes for this customer; this customer's
 * line means this product) so that the next order from them needs none.
 * The CLI's `correct` and the web queue call the same function.
 */
#ifndef MO_CORRECTION_H
#define MO_CORRECTION_H

#include "store/archive.h"
#include "store/db.h"

#include <glib.h>

typedef struct {
	const char *number;         /* the draft: SO0004 */
	const char *customer_ref;   /* its customer (CLI380), or NULL */
	int line;                   /* with product_ref: the line, from 1 */
	const char *product_ref;    /* that line's product (BIO-1001), or NULL */
	const char *by;             /* who corrects, for the order's history */
	gboolean no_learn;          /* correct this draft only: nothing remembered */
	gboolean learn_anyway;      /* remembered even though the line's price then
				     * differs from the catalogue's (else it is not) */
	/* the values of the draft (with line: that line's) */
	const char *qty;            /* line's quantity, as typed ("12", "2,5") */
	const char *price;          /* line's unit price HT, as typed ("3,45"): kept
				     * at validation instead of the catalogue's */
	const char *add_product;    /* a line added: this product… */
	const char *add_qty;        /* …in this quantity (at price, when given) */
	int remove_line;            /* a line removed (its number), 0: none */
	const char *delivery_date;  /* the delivery date asked ("" clears it) */
} order_correction;

/* Whether cor changes the draft's values (quantity, price, lines,
 * delivery date) rather than its customer or a line's product. */
gboolean order_correction_has_values(const order_correction *cor);

/* Applies cor (a customer, or a line's product, and the values) in a
 * transaction of its own.  A quantity is more than zero, with at most
 * three decimals; a price is zero or more, to the cent.  0 with *said_r (owned): what was done, in French lines for the
 * clerk; -1 with the reason (French), nothing changed. */
int order_correct(db *d, archive *a, const order_correction *cor, char **said_r,
		  GError **error);

#endif
