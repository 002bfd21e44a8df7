/* db_chain.h: the database's queries on the order chain after the draft:
 * state changes, deliveries and stock, invoices and their journal
 * entries, and the documents we filed (db.h: the connection, transactions,
 * errors and ownership rules).
 */
#ifndef MO_DB_CHAIN_H
#define MO_DB_CHAIN_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>
#include <stdint.h>

/* ---------------------------------------------------------------- orders */

/* Order order_id goes from from to to (the caller checked it is legal):
 * refused when it is no longer in from (another clerk was quicker); the
 * history gets who and note.  comment, when not NULL, becomes the
 * tracking table's comment. */
int db_order_transition(db *d, int64_t order_id, order_state from, order_state to,
			const char *who, const char *note, const char *comment, GError **error);
/* A step of the history that changes no state (a delivery that leaves a
 * backorder still pending, a draft invoice). */
int db_order_note(db *d, int64_t order_id, order_state state, const char *who, const char *note,
		  GError **error);
/* The tracking table: orders, by number; state_filter and customer_ref
 * NULL for all.  order_tracking*, owned. */
GPtrArray *db_orders_tracking(db *d, const char *state_filter, const char *customer_ref,
			      GError **error);

/* ---------------------------------------------------------------- deliveries */

/* Records delivery dl (number, date, who, lines) of order_id and takes
 * each line's stock_units from its product's stock: refused, nothing
 * taken, when a product has less in stock than that (the database never
 * holds a negative stock).  Sets dl->id. */
int db_delivery_insert(db *d, int64_t order_id, order_delivery *dl, GError **error);
/* The deliveries of order_id, oldest first, each with the invoice that
 * took it.  order_delivery*, owned. */
GPtrArray *db_order_deliveries(db *d, int64_t order_id, GError **error);
/* The product of line lineno of order_id, and its stock: 0, or 1 when the
 * line has no product any more (deleted from the catalogue). */
int db_order_line_stock(db *d, int64_t order_id, int lineno, int64_t *stock_r, GError **error);

/* ---------------------------------------------------------------- invoices */

/* Records draft invoice inv (its lines, VAT, and the deliveries it
 * takes: delivery_ids, int64_t) for order inv->order_id and customer
 * customer_id.  Sets inv->id. */
int db_invoice_insert(db *d, invoice *inv, int64_t customer_id, const GArray *delivery_ids,
		      const char *who, GError **error);
/* An invoice by its number (FA2026-0001), or an order's draft (number
 * an order's, draft TRUE), or an order's latest invoice (draft FALSE).
 * NULL without error when there is none. */
invoice *db_invoice_get(db *d, const char *number, GError **error);
invoice *db_invoice_of_order(db *d, const char *order_number, gboolean draft_only,
			     GError **error);
/* Invoices, oldest first; state_filter and customer_ref NULL for all. */
GPtrArray *db_invoices_list(db *d, const char *state_filter, const char *customer_ref,
			    GError **error);
/* Draft inv gets its number and is posted (immutable from then on). */
int db_invoice_post(db *d, invoice *inv, const char *number, GError **error);
/* The latest date of a posted invoice whose number starts with series
 * ("FA2026"), or NULL: invoice numbers follow their dates. */
int db_invoice_last_date(db *d, const char *series, char **date_r, GError **error);
/* Deletes draft invoice invoice_id, its lines, VAT and deliveries (they
 * are free to be invoiced again); a posted one the database refuses. */
int db_invoice_delete_draft(db *d, int64_t invoice_id, GError **error);

/* A line of the journal (invoice_id 0: none). */
int db_entry_insert(db *d, const journal_entry *e, int64_t invoice_id, GError **error);
/* The journal, by date then entry; from and to (ISO dates, inclusive) NULL
 * for no bound.  journal_entry*, owned. */
GPtrArray *db_entries_list(db *d, const char *from, const char *to, GError **error);

/* ---------------------------------------------------------------- filed documents */

/* A document we made (type CONF, BL, FAC), filed as file, with the
 * values it was rendered from (kept so that a copy prints the same). */
int db_filed_insert(db *d, const char *type, const char *number, int64_t order_id,
		    const char *file, const char *sha256, GBytes *values, GError **error);
/* The filed document named number (SO0001 for its CONF, BL0001,
 * FA2026-0001): 1 and its type, file and values (owned), 0 when none. */
int db_filed_get(db *d, const char *number, char **type_r, char **file_r, GBytes **values_r,
		 GError **error);
/* The filed documents of an order, oldest first: pairs type, file (owned
 * strings). */
GPtrArray *db_filed_of_order(db *d, int64_t order_id, GError **error);

#endif
