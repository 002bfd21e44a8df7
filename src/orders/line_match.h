/* line_match.h: the product a purchase order's line means, with what
 * clerks taught by correcting drafts (db_catalog.h) before the catalogue
 * alone (match.h).
 */
#ifndef MO_LINE_MATCH_H
#define MO_LINE_MATCH_H

#include "orders/match.h"
#include "store/db.h"
#include "store/model.h"

#include <glib.h>

/* The product a PO line means (*p_r, borrowed from cat): what a clerk
 * taught for this customer's reference (db_learn_product), else our
 * reference, else what a clerk taught for its description, else the
 * catalogue's description (match.h); or, when no product is close enough
 * to be it, the closest in *guess_r, for the clerk to confirm.  c may be
 * NULL (then nothing taught applies). */
int line_match_product(db *d, const match_catalogue *cat, const customer *c,
		       const order_line *l, const product **p_r, const product **guess_r,
		       GError **error);

#endif
