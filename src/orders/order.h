/* order.h: orders as the business sees them: drafts made from received
 * documents, their checks and totals, and (later issues) the legal state
 * transitions.
 */
#ifndef MO_ORDER_H
#define MO_ORDER_H

#include "store/model.h"

#include <glib.h>

/* The legal transitions of an order (CONTRACT.md, "States"), in one
 * table: draft → confirmed | rejected; confirmed → partially_delivered |
 * delivered | cancelled; partially_delivered → delivered | cancelled;
 * delivered → invoiced → paid.  TRUE when an order in from may go to to. */
gboolean order_transition_allowed(order_state from, order_state to);
/* 0 when o may go to to; else -1 with one French line naming the order,
 * its state and what it cannot be ("SO0004 est livrée : elle ne peut pas
 * être annulée"), and what it needs first where there is such a step. */
int order_transition_check(const order *o, order_state to, GError **error);


/* A new draft for a received document, with what is known so far: the
 * customer (NULL when the sender is unknown) and the lines read from the
 * document (order_line*, taken; NULL for none), their product_ref set
 * where the catalogue knows them.  Adds the checks that apply
 * (unknown_customer, no_lines, unknown_product per line) and computes the
 * totals. */
order *order_draft_new(const char *number, const customer *c, const char *sender,
		       GPtrArray *lines);

/* The checks of a draft's lines against the catalogue.  products[i] is
 * the product line i was matched to (NULL: none), discount_bp the
 * customer's discount (0 when unknown).
 * - price_mismatch: the unit price on the PO is not the catalogue price
 *   less the discount (rounded to the cent, either way customers'
 *   software rounds a discounted price);
 * - stock_short: more ordered, all lines of a product together, than the
 *   stock on hand. */
void order_check_catalogue(order *o, const product *const *products, int discount_bp);

/* After a clerk's correction: the checks that depend on the products
 * (products[i]: line i's) made again (unknown_product, price_mismatch,
 * stock_short, total_mismatch against the printed totals), and those on
 * the customer too when the clerk set it (customer_set: unknown_customer
 * and customer_from_document go); the others kept (a PO number seen
 * before...); each line's VAT rate from its product, the totals
 * recomputed.  c: the customer, NULL when still unknown. */
void order_recheck(order *o, const customer *c, gboolean customer_set,
		   const product *const *products);

/* duplicate_order_ref: the draft's PO number is on order first_number
 * already. */
void order_check_duplicate_po(order *o, const char *first_number);

/* Adds to line lineno's unknown_product check the closest product of
 * the catalogue, for the clerk to confirm (never set on the line). */
void order_suggest_product(order *o, int lineno, const product *guess);

/* The checks of a draft's arithmetic (after order_compute_totals):
 * total_mismatch for a line whose printed total is not its quantity times
 * its unit price, and for a printed total (-1: not read) that is not the
 * sum of the lines: HT exactly; TTC when every line's VAT rate is known,
 * with the VAT rounded per rate or per line. */
void order_check_totals(order *o, maybe_amount printed_ht_cents, maybe_amount printed_ttc_cents);

/* Recomputes the totals from the lines: HT per VAT rate, VAT rounded once
 * per rate (as an invoice prints it), TTC = HT + VAT. */
void order_compute_totals(order *o);

#endif
