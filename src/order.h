/* order.h: orders as the business sees them: drafts made from received
 * documents, their checks and totals, and (later issues) the legal state
 * transitions.
 */
#ifndef MO_ORDER_H
#define MO_ORDER_H

#include "model.h"

#include <glib.h>

#define ORDER_STATE_DRAFT "draft"

/* Check codes (CONTRACT.md, order JSON). */
#define CHECK_UNKNOWN_CUSTOMER    "unknown_customer"
#define CHECK_UNKNOWN_PRODUCT     "unknown_product"
#define CHECK_PRICE_MISMATCH      "price_mismatch"
#define CHECK_STOCK_SHORT         "stock_short"
#define CHECK_TOTAL_MISMATCH      "total_mismatch"
#define CHECK_DUPLICATE_ORDER_REF "duplicate_order_ref"
#define CHECK_NO_LINES            "no_lines"

/* "SO0001" from a sequence value (owned). */
char *order_number_format(int64_t n);

/* A new draft for a received document, with what is known so far: the
 * customer (NULL when the sender is unknown) and the lines read from the
 * document (order_line*, taken; NULL for none), their product_ref set
 * where the catalogue knows them.  Adds the checks that apply
 * (unknown_customer, no_lines, unknown_product per line) and computes the
 * totals. */
order *order_draft_new(const char *number, const customer *c, const char *sender,
		       GPtrArray *lines);

/* Recomputes the totals from the lines: HT per VAT rate, VAT rounded once
 * per rate (as an invoice prints it), TTC = HT + VAT. */
void order_compute_totals(order *o);

#endif
