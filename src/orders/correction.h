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
} order_correction;

/* Applies cor (a customer, or a line's product) in a transaction of its
 * own.  0 with *said_r (owned): what was done, in French lines for the
 * clerk; -1 with the reason (French), nothing changed. */
int order_correct(db *d, archive *a, const order_correction *cor, char **said_r,
		  GError **error);

#endif
