/* db_order.h: the database's queries on orders
 * (db.h: the connection, transactions, errors and ownership rules). */
#ifndef MO_DB_ORDER_H
#define MO_DB_ORDER_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>
#include <stdint.h>

/* Inserts o (number, state, lines, checks, totals set by the caller) with
 * its history's first step; sets o->id. */
int db_order_insert(db *d, order *o, int64_t customer_id, int64_t document_id,
		    const char *who, GError **error);
/* Orders in a state, by number.  Array of order*, owned. */
GPtrArray *db_orders_in_state(db *d, order_state state, GError **error);
/* 1 and *number_r (owned) when an order still alive (not rejected or
 * cancelled) carries this customer's PO number: the same customer
 * (customer_id), or for an unknown customer (0) the same sender; not
 * the order exclude_id (0: none). */
int db_order_find_po(db *d, int64_t customer_id, const char *sender,
		     const char *customer_order_ref, int64_t exclude_id, char **number_r,
		     GError **error);
/* A draft after a clerk's correction: its customer, totals, delivery
 * date, state, lines and checks replaced; the history gets who and note
 * (none when note is NULL: the caller records its own step). */
int db_order_update(db *d, const order *o, int64_t customer_id, const char *who,
		    const char *note, GError **error);
/* The document an order was made from, and its sender (the innermost
 * message's From; owned, may be NULL). */
int db_order_document(db *d, int64_t order_id, int64_t *document_id_r, char **sender_r,
		      GError **error);
/* A filed document renamed in the archive. */
int db_document_set_file(db *d, int64_t document_id, const char *old_rel, const char *new_rel,
			 GError **error);
/* The history of order id, oldest first: order_step*, owned. */
GPtrArray *db_order_history(db *d, int64_t order_id, GError **error);
/* NULL with no error when there is no such order. */
order *db_order_get(db *d, const char *number, GError **error);
/* The same, a number that is none an error too ("SO9999 : aucune commande
 * de ce numéro"). */
order *db_order_named(db *d, const char *number, GError **error);

#endif
