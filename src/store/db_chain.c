/* db_chain.c: state changes, deliveries, invoices, entries, filed
 * documents (db_chain.h). */
#include "store/db_p.h"
#include "store/db_chain.h"

#include "lib/error.h"

#include <string.h>

/* ---------------------------------------------------------------- orders */

static int insert_step(db *d, int64_t order_id, const char *who, const char *from,
		       const char *to, const char *note, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO order_history (order_id, at, who, from_state, to_state, note)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, order_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, who);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_text(st, 6, note);
	return db_exec_stmt(d, st, "enregistrement de l'historique d'une commande", error);
}

int db_order_transition(db *d, int64_t order_id, order_state from, order_state to,
			const char *who, const char *note, const char *comment, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE orders SET state = ?3, updated_at = ?4, comment = coalesce(?5, comment)"
		" WHERE id = ?1 AND state = ?2", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, order_id);
	db_bind_text(st, 2, order_state_name(from));
	db_bind_text(st, 3, order_state_name(to));
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, comment);
	if (db_exec_stmt(d, st, "changement d'état d'une commande", error) < 0)
		return -1;
	if (sqlite3_changes(d->h) != 1) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "la commande n'est plus %s : quelqu'un l'a changée entre-temps",
			    order_state_fr(from));
		return -1;
	}
	return insert_step(d, order_id, who, order_state_name(from), order_state_name(to), note,
			   error);
}

int db_order_note(db *d, int64_t order_id, order_state state, const char *who, const char *note,
		  GError **error)
{
	return insert_step(d, order_id, who, order_state_name(state), order_state_name(state), note,
			   error);
}

GPtrArray *db_orders_tracking(db *d, const char *state_filter, const char *customer_ref,
			      GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT o.number, o.state, coalesce(o.order_date, date(o.created_at, 'localtime')),"
		" c.ref, c.name,"
		/* the day of the clerk's calendar, as the documents date it */
		" (SELECT date(min(h.at), 'localtime') FROM order_history h"
		"   WHERE h.order_id = o.id AND h.to_state = 'confirmed'),"
		" o.delivery_date,"
		" (SELECT max(dv.date) FROM deliveries dv WHERE dv.order_id = o.id),"
		" o.comment, o.total_ht_cents"
		" FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
		" WHERE (?1 IS NULL OR o.state = ?1) AND (?2 IS NULL OR c.ref = ?2)"
		" ORDER BY o.id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, state_filter);
	db_bind_text(st, 2, customer_ref);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)order_tracking_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_tracking *t = g_new0(order_tracking, 1);

		g_ptr_array_add(out, t);
		t->number = db_col_text(st, 0);
		t->state_name = db_col_text(st, 1);
		if (!order_state_parse(t->state_name, &t->state)) {
			sqlite3_reset(st);
			db_unknown_word("l'état de commande", t->state_name, error);
			return NULL;
		}
		t->order_date = db_col_text(st, 2);
		t->customer_ref = db_col_text(st, 3);
		t->customer_name = db_col_text(st, 4);
		t->confirmed_at = db_col_text(st, 5);
		t->delivery_date = db_col_text(st, 6);
		t->delivered_on = db_col_text(st, 7);
		t->comment = db_col_text(st, 8);
		t->total_ht_cents = sqlite3_column_int64(st, 9);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des commandes", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

/* ---------------------------------------------------------------- deliveries */

int db_delivery_insert(db *d, int64_t order_id, order_delivery *dl, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO deliveries (number, order_id, date, who, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, dl->number);
	sqlite3_bind_int64(st, 2, order_id);
	db_bind_text(st, 3, dl->date);
	db_bind_text(st, 4, dl->who);
	db_bind_text(st, 5, now);
	if (db_exec_stmt(d, st, "enregistrement d'une livraison", error) < 0)
		return -1;
	dl->id = sqlite3_last_insert_rowid(d->h);
	for (guint i = 0; i < dl->lines->len; i++) {
		const delivery_line *l = &g_array_index(dl->lines, delivery_line, i);
		int64_t units = l->stock_units;

		st = db_stmt(d,
			"INSERT INTO delivery_lines (delivery_id, lineno, product_id, qty_milli)"
			" SELECT ?1, ?2, product_id, ?3 FROM order_lines"
			" WHERE order_id = ?4 AND lineno = ?2", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, dl->id);
		sqlite3_bind_int(st, 2, l->lineno);
		sqlite3_bind_int64(st, 3, l->qty_milli);
		sqlite3_bind_int64(st, 4, order_id);
		if (db_exec_stmt(d, st, "enregistrement d'une ligne livrée", error) < 0)
			return -1;
		st = db_stmt(d,
			"UPDATE products SET stock = stock - ?1, updated_at = ?3"
			" WHERE id = (SELECT product_id FROM order_lines WHERE order_id = ?2"
			"   AND lineno = ?4) AND stock >= ?1", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, units);
		sqlite3_bind_int64(st, 2, order_id);
		db_bind_text(st, 3, now);
		sqlite3_bind_int(st, 4, l->lineno);
		if (db_exec_stmt(d, st, "sortie de stock", error) < 0)
			return -1;
		if (sqlite3_changes(d->h) != 1) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "ligne %d : le stock ne suffit plus (ou le produit n'est plus au "
				    "catalogue)", l->lineno);
			return -1;
		}
	}
	return 0;
}

GPtrArray *db_order_deliveries(db *d, int64_t order_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT dv.id, dv.number, dv.date, dv.who,"
		" (SELECT coalesce(iv.number, '') FROM invoice_deliveries idl"
		"   JOIN invoices iv ON iv.id = idl.invoice_id WHERE idl.delivery_id = dv.id)"
		" FROM deliveries dv WHERE dv.order_id = ?1 ORDER BY dv.id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, order_id);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)order_delivery_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_delivery *dl = order_delivery_new();

		dl->id = sqlite3_column_int64(st, 0);
		dl->number = db_col_text(st, 1);
		dl->date = db_col_text(st, 2);
		dl->who = db_col_text(st, 3);
		dl->invoice_number = db_col_text(st, 4);
		g_ptr_array_add(out, dl);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture des livraisons", error);
		return NULL;
	}
	for (guint i = 0; i < out->len; i++) {
		order_delivery *dl = out->pdata[i];

		st = db_stmt(d, "SELECT lineno, qty_milli FROM delivery_lines WHERE delivery_id = ?1"
				" ORDER BY lineno", error);
		if (st == NULL)
			return NULL;
		sqlite3_bind_int64(st, 1, dl->id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			delivery_line l = { sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1), 0 };

			g_array_append_val(dl->lines, l);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			db_fail(d, "lecture des lignes livrées", error);
			return NULL;
		}
	}
	return g_steal_pointer(&out);
}

int db_order_line_stock(db *d, int64_t order_id, int lineno, int64_t *stock_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT p.stock FROM order_lines l JOIN products p ON p.id = l.product_id"
		" WHERE l.order_id = ?1 AND l.lineno = ?2", error);
	int rc;

	*stock_r = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, order_id);
	sqlite3_bind_int(st, 2, lineno);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*stock_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture du stock", error);
	return rc == SQLITE_ROW ? 0 : 1;
}

/* ---------------------------------------------------------------- invoices */

int db_invoice_insert(db *d, invoice *inv, int64_t customer_id, const GArray *delivery_ids,
		      const char *who, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO invoices (state, order_id, customer_id, account, date, due_date,"
		" payment_terms, total_ht_cents, total_vat_cents, total_ttc_cents, created_at, who)"
		" VALUES ('draft', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inv->order_id);
	sqlite3_bind_int64(st, 2, customer_id);
	db_bind_text(st, 3, inv->account);
	db_bind_text(st, 4, inv->date);
	db_bind_text(st, 5, inv->due_date);
	db_bind_text(st, 6, inv->payment_terms);
	sqlite3_bind_int64(st, 7, inv->total_ht_cents);
	sqlite3_bind_int64(st, 8, inv->total_vat_cents);
	sqlite3_bind_int64(st, 9, inv->total_ttc_cents);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, who);
	if (db_exec_stmt(d, st, "enregistrement d'une facture", error) < 0)
		return -1;
	inv->id = sqlite3_last_insert_rowid(d->h);
	for (guint i = 0; i < inv->lines->len; i++) {
		const invoice_line *l = inv->lines->pdata[i];

		st = db_stmt(d,
			"INSERT INTO invoice_lines (invoice_id, lineno, order_lineno, product_ref,"
			" description, unit, qty_milli, unit_price_cents, vat_rate_bp, line_total_cents)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, inv->id);
		sqlite3_bind_int(st, 2, l->lineno);
		sqlite3_bind_int(st, 3, l->order_lineno);
		db_bind_text(st, 4, l->product_ref);
		db_bind_text(st, 5, l->description);
		db_bind_text(st, 6, l->unit);
		sqlite3_bind_int64(st, 7, l->qty_milli);
		sqlite3_bind_int64(st, 8, l->unit_price_cents);
		sqlite3_bind_int(st, 9, l->vat_rate_bp);
		sqlite3_bind_int64(st, 10, l->line_total_cents);
		if (db_exec_stmt(d, st, "enregistrement d'une ligne de facture", error) < 0)
			return -1;
	}
	for (guint i = 0; i < inv->vat->len; i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);

		st = db_stmt(d, "INSERT INTO invoice_vat (invoice_id, rate_bp, base_cents, vat_cents)"
				" VALUES (?1, ?2, ?3, ?4)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, inv->id);
		sqlite3_bind_int(st, 2, v->rate_bp);
		sqlite3_bind_int64(st, 3, v->base_cents);
		sqlite3_bind_int64(st, 4, v->vat_cents);
		if (db_exec_stmt(d, st, "enregistrement de la TVA d'une facture", error) < 0)
			return -1;
	}
	for (guint i = 0; i < delivery_ids->len; i++) {
		st = db_stmt(d, "INSERT INTO invoice_deliveries (invoice_id, delivery_id)"
				" VALUES (?1, ?2)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, inv->id);
		sqlite3_bind_int64(st, 2, g_array_index(delivery_ids, int64_t, i));
		if (db_exec_stmt(d, st, "enregistrement des livraisons facturées", error) < 0)
			return -1;
	}
	return 0;
}

#define INVOICE_SELECT \
	"SELECT iv.id, iv.number, iv.state, iv.order_id, o.number, c.ref, c.name, iv.account," \
	" iv.date, iv.due_date, iv.payment_terms, iv.total_ht_cents, iv.total_vat_cents," \
	" iv.total_ttc_cents, iv.paid_cents," \
	" (SELECT fd.file FROM filed_documents fd WHERE fd.type = 'FAC' AND fd.number = iv.number)," \
	" iv.posted_at, iv.created_at" \
	" FROM invoices iv JOIN orders o ON o.id = iv.order_id" \
	" JOIN customers c ON c.id = iv.customer_id"

static int invoice_load_details(db *d, invoice *inv, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT lineno, order_lineno, product_ref, description, unit, qty_milli,"
		" unit_price_cents, vat_rate_bp, line_total_cents FROM invoice_lines"
		" WHERE invoice_id = ?1 ORDER BY lineno", error);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inv->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		invoice_line *l = g_new0(invoice_line, 1);

		l->lineno = sqlite3_column_int(st, 0);
		l->order_lineno = sqlite3_column_int(st, 1);
		l->product_ref = db_col_text(st, 2);
		l->description = db_col_text(st, 3);
		l->unit = db_col_text(st, 4);
		l->qty_milli = sqlite3_column_int64(st, 5);
		l->unit_price_cents = sqlite3_column_int64(st, 6);
		l->vat_rate_bp = sqlite3_column_int(st, 7);
		l->line_total_cents = sqlite3_column_int64(st, 8);
		g_ptr_array_add(inv->lines, l);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des lignes d'une facture", error);
	st = db_stmt(d, "SELECT rate_bp, base_cents, vat_cents FROM invoice_vat"
			" WHERE invoice_id = ?1 ORDER BY rate_bp", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inv->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		invoice_vat v = { sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
				  sqlite3_column_int64(st, 2) };

		g_array_append_val(inv->vat, v);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture de la TVA d'une facture", error);
	st = db_stmt(d, "SELECT dv.number FROM invoice_deliveries idl"
			" JOIN deliveries dv ON dv.id = idl.delivery_id"
			" WHERE idl.invoice_id = ?1 ORDER BY dv.id", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inv->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(inv->deliveries, db_col_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des livraisons d'une facture", error);
	return 0;
}

/* The invoices of a statement bound by the caller, details loaded. */
static GPtrArray *invoices_of(db *d, sqlite3_stmt *st, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)invoice_free);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		invoice *inv = invoice_new();
		const char *state = (const char *)sqlite3_column_text(st, 2);

		g_ptr_array_add(out, inv);
		if (!invoice_state_parse(state, &inv->state)) {
			sqlite3_reset(st);
			db_unknown_word("l'état de facture", state, error);
			return NULL;
		}
		inv->id = sqlite3_column_int64(st, 0);
		inv->number = db_col_text(st, 1);
		inv->order_id = sqlite3_column_int64(st, 3);
		inv->order_number = db_col_text(st, 4);
		inv->customer_ref = db_col_text(st, 5);
		inv->customer_name = db_col_text(st, 6);
		inv->account = db_col_text(st, 7);
		inv->date = db_col_text(st, 8);
		inv->due_date = db_col_text(st, 9);
		inv->payment_terms = db_col_text(st, 10);
		inv->total_ht_cents = sqlite3_column_int64(st, 11);
		inv->total_vat_cents = sqlite3_column_int64(st, 12);
		inv->total_ttc_cents = sqlite3_column_int64(st, 13);
		inv->paid_cents = sqlite3_column_int64(st, 14);
		inv->file = db_col_text(st, 15);
		inv->posted_at = db_col_text(st, 16);
		inv->created_at = db_col_text(st, 17);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture des factures", error);
		return NULL;
	}
	for (guint i = 0; i < out->len; i++) {
		if (invoice_load_details(d, out->pdata[i], error) < 0)
			return NULL;
	}
	return g_steal_pointer(&out);
}

static invoice *first_of(GPtrArray *list)
{
	invoice *inv = NULL;

	if (list != NULL && list->len > 0)
		inv = g_ptr_array_steal_index(list, 0);
	if (list != NULL)
		g_ptr_array_unref(list);
	return inv;
}

invoice *db_invoice_get(db *d, const char *number, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, INVOICE_SELECT " WHERE iv.number = ?1", error);

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, number);
	return first_of(invoices_of(d, st, error));
}

invoice *db_invoice_of_order(db *d, const char *order_number, gboolean draft_only,
			     GError **error)
{
	sqlite3_stmt *st = db_stmt(d, INVOICE_SELECT
		" WHERE o.number = ?1 AND (?2 = 0 OR iv.state = 'draft')"
		" ORDER BY iv.state = 'draft' DESC, iv.id DESC LIMIT 1", error);

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, order_number);
	sqlite3_bind_int(st, 2, draft_only ? 1 : 0);
	return first_of(invoices_of(d, st, error));
}

GPtrArray *db_invoices_list(db *d, const char *state_filter, const char *customer_ref,
			    GError **error)
{
	sqlite3_stmt *st = db_stmt(d, INVOICE_SELECT
		" WHERE (?1 IS NULL OR iv.state = ?1) AND (?2 IS NULL OR c.ref = ?2)"
		" ORDER BY iv.number IS NULL, iv.number, iv.id", error);

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, state_filter);
	db_bind_text(st, 2, customer_ref);
	return invoices_of(d, st, error);
}

int db_invoice_post(db *d, invoice *inv, const char *number, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE invoices SET state = 'posted', number = ?2, posted_at = ?3"
		" WHERE id = ?1 AND state = 'draft'", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, inv->id);
	db_bind_text(st, 2, number);
	db_bind_text(st, 3, now);
	if (db_exec_stmt(d, st, "validation d'une facture", error) < 0)
		return -1;
	if (sqlite3_changes(d->h) != 1) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "la facture n'est plus un brouillon : quelqu'un l'a validée entre-temps");
		return -1;
	}
	g_free(inv->number);
	inv->number = g_strdup(number);
	g_free(inv->posted_at);
	inv->posted_at = g_steal_pointer(&now);
	inv->state = INVOICE_POSTED;
	return 0;
}

int db_invoice_last_date(db *d, const char *series, char **date_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT max(date) FROM invoices WHERE number LIKE ?1 || '-%'", error);
	int rc;

	*date_r = NULL;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, series);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*date_r = db_col_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture des dates des factures", error);
	return 0;
}

int db_invoice_delete_draft(db *d, int64_t invoice_id, GError **error)
{
	static const char *const sql[] = {
		"DELETE FROM invoice_lines WHERE invoice_id = ?1",
		"DELETE FROM invoice_vat WHERE invoice_id = ?1",
		"DELETE FROM invoice_deliveries WHERE invoice_id = ?1",
		"DELETE FROM invoices WHERE id = ?1 AND state = 'draft'",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(sql); i++) {
		sqlite3_stmt *st = db_stmt(d, sql[i], error);

		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, invoice_id);
		if (db_exec_stmt(d, st, "suppression d'une facture en brouillon", error) < 0)
			return -1;
	}
	return 0;
}

int db_entry_insert(db *d, const journal_entry *e, int64_t invoice_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO entries (journal, date, piece, account, label, debit_cents, credit_cents,"
		" lettering, invoice_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, e->journal);
	db_bind_text(st, 2, e->date);
	db_bind_text(st, 3, e->piece);
	db_bind_text(st, 4, e->account);
	db_bind_text(st, 5, e->label);
	sqlite3_bind_int64(st, 6, e->debit_cents);
	sqlite3_bind_int64(st, 7, e->credit_cents);
	db_bind_text(st, 8, e->lettering);
	if (invoice_id > 0)
		sqlite3_bind_int64(st, 9, invoice_id);
	return db_exec_stmt(d, st, "enregistrement d'une écriture", error);
}

GPtrArray *db_entries_list(db *d, const char *from, const char *to, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT journal, date, piece, account, label, debit_cents, credit_cents, lettering"
		" FROM entries WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)"
		" ORDER BY date, id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)journal_entry_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		journal_entry *e = g_new0(journal_entry, 1);

		e->journal = db_col_text(st, 0);
		e->date = db_col_text(st, 1);
		e->piece = db_col_text(st, 2);
		e->account = db_col_text(st, 3);
		e->label = db_col_text(st, 4);
		e->debit_cents = sqlite3_column_int64(st, 5);
		e->credit_cents = sqlite3_column_int64(st, 6);
		e->lettering = db_col_text(st, 7);
		g_ptr_array_add(out, e);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture du journal", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

/* ---------------------------------------------------------------- filed documents */

int db_filed_insert(db *d, const char *type, const char *number, int64_t order_id,
		    const char *file, const char *sha256, GBytes *values, GError **error)
{
	g_autofree char *now = db_now_iso();
	gsize len = 0;
	const void *data = g_bytes_get_data(values, &len);
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO filed_documents (type, number, order_id, file, sha256, doc_values,"
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, type);
	db_bind_text(st, 2, number);
	if (order_id > 0)
		sqlite3_bind_int64(st, 3, order_id);
	db_bind_text(st, 4, file);
	db_bind_text(st, 5, sha256);
	sqlite3_bind_blob(st, 6, data ? data : "", (int)len, SQLITE_TRANSIENT);
	db_bind_text(st, 7, now);
	if (db_exec_stmt(d, st, "enregistrement d'un document", error) < 0)
		return -1;
	st = db_stmt(d, "INSERT INTO files (path, sha256) VALUES (?1, ?2)", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, file);
	db_bind_text(st, 2, sha256);
	return db_exec_stmt(d, st, "enregistrement d'un fichier", error);
}

int db_filed_get(db *d, const char *number, char **type_r, char **file_r, GBytes **values_r,
		 GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT type, file, doc_values FROM filed_documents WHERE number = ?1"
		" ORDER BY id DESC LIMIT 1", error);
	int rc;

	*type_r = *file_r = NULL;
	*values_r = NULL;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*type_r = db_col_text(st, 0);
		*file_r = db_col_text(st, 1);
		*values_r = g_bytes_new(sqlite3_column_blob(st, 2), (gsize)sqlite3_column_bytes(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture d'un document", error);
	return rc == SQLITE_ROW;
}

GPtrArray *db_filed_of_order(db *d, int64_t order_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT type, file FROM filed_documents WHERE order_id = ?1"
				      " ORDER BY id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, order_id);
	out = g_ptr_array_new_with_free_func(g_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		g_ptr_array_add(out, db_col_text(st, 0));
		g_ptr_array_add(out, db_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture des documents d'une commande", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}
