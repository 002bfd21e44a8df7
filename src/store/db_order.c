/* db_order.c: orders, their lines, checks and history. */
#include "store/db_p.h"
#include "store/db_order.h"

#include "lib/error.h"

/* An absent amount is SQL NULL. */
static void bind_amount(sqlite3_stmt *st, int idx, maybe_amount v)
{
	if (v.known)
		sqlite3_bind_int64(st, idx, v.value);
	else
		sqlite3_bind_null(st, idx);
}

static maybe_amount column_amount(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? AMOUNT_ABSENT
							   : amount_of(sqlite3_column_int64(st, col));
}

/* One step of an order's history (from_state NULL: its creation). */
static int insert_history(db *d, int64_t order_id, const char *at, const char *who,
			  const char *from_state, const char *to_state, const char *note,
			  GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO order_history (order_id, at, who, from_state, to_state, note)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, order_id);
	db_bind_text(st, 2, at);
	db_bind_text(st, 3, who);
	db_bind_text(st, 4, from_state);
	db_bind_text(st, 5, to_state);
	db_bind_text(st, 6, note);
	return db_exec_stmt(d, st, "enregistrement de l'historique d'une commande", error);
}

/* o's lines, the PO lines a clerk removed, and its checks, for o->id. */
static int insert_details(db *d, const order *o, GError **error)
{
	sqlite3_stmt *st;

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];

		st = db_stmt(d,
			"INSERT INTO order_lines (order_id, lineno, product_id, customer_ref,"
			" description, qty_milli, unit_price_cents, vat_rate_bp, line_total_cents,"
			" po_lineno, po_qty_milli, po_unit_price_cents, price_by_clerk, confidence,"
			" doubt)"
			" VALUES (?1, ?2, (SELECT id FROM products WHERE ref = ?3), ?4, ?5, ?6, ?7,"
			" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->id);
		sqlite3_bind_int(st, 2, l->lineno);
		db_bind_text(st, 3, l->product_ref);
		db_bind_text(st, 4, l->customer_ref);
		db_bind_text(st, 5, l->description);
		sqlite3_bind_int64(st, 6, l->qty_milli);
		bind_amount(st, 7, l->unit_price_cents);
		bind_amount(st, 8, l->vat_rate_bp);
		bind_amount(st, 9, l->line_total_cents);
		if (l->po_lineno > 0)
			sqlite3_bind_int(st, 10, l->po_lineno);
		bind_amount(st, 11, l->po_qty_milli);
		bind_amount(st, 12, l->po_unit_price_cents);
		sqlite3_bind_int(st, 13, l->price_by_clerk ? 1 : 0);
		if (l->confidence >= 0)
			sqlite3_bind_int(st, 14, l->confidence);
		db_bind_text(st, 15, l->doubt);
		if (db_exec_stmt(d, st, "enregistrement d'une ligne de commande", error) < 0)
			return -1;
	}
	for (guint i = 0; i < o->removed->len; i++) {
		const order_line *l = o->removed->pdata[i];

		st = db_stmt(d,
			"INSERT INTO order_removed_lines (order_id, po_lineno, customer_ref, description,"
			" po_qty_milli, po_unit_price_cents, product_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->id);
		sqlite3_bind_int(st, 2, l->po_lineno);
		db_bind_text(st, 3, l->customer_ref);
		db_bind_text(st, 4, l->description);
		bind_amount(st, 5, l->po_qty_milli);
		bind_amount(st, 6, l->po_unit_price_cents);
		db_bind_text(st, 7, l->product_ref);
		if (db_exec_stmt(d, st, "enregistrement d'une ligne supprimée", error) < 0)
			return -1;
	}
	for (guint i = 0; i < o->confidence->len; i++) {
		const field_confidence *f = o->confidence->pdata[i];

		st = db_stmt(d, "INSERT INTO order_confidence (order_id, field, confidence, why)"
				" VALUES (?1, ?2, ?3, ?4)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->id);
		db_bind_text(st, 2, f->field);
		sqlite3_bind_int(st, 3, CLAMP(f->confidence, 0, 100));
		db_bind_text(st, 4, f->why);
		if (db_exec_stmt(d, st, "enregistrement d'une confiance de lecture", error) < 0)
			return -1;
	}
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *c = o->checks->pdata[i];

		st = db_stmt(d, "INSERT INTO order_checks (order_id, code, severity, line, message)"
				" VALUES (?1, ?2, ?3, ?4, ?5)", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->id);
		db_bind_text(st, 2, check_code_name(c->code));
		db_bind_text(st, 3, check_severity_name(c->severity));
		sqlite3_bind_int(st, 4, c->line);
		db_bind_text(st, 5, c->message);
		if (db_exec_stmt(d, st, "enregistrement d'un contrôle", error) < 0)
			return -1;
	}
	return 0;
}

int db_order_insert(db *d, order *o, int64_t customer_id, int64_t document_id,
		    const char *who, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO orders (number, state, customer_id, customer_order_ref, order_date,"
		" delivery_date, document_id, total_ht_cents, total_vat_cents, total_ttc_cents,"
		" created_at, updated_at, printed_ht_cents, printed_ttc_cents)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, o->number);
	db_bind_text(st, 2, order_state_name(o->state));
	if (customer_id > 0)
		sqlite3_bind_int64(st, 3, customer_id);
	db_bind_text(st, 4, o->customer_order_ref);
	db_bind_text(st, 5, o->order_date);
	db_bind_text(st, 6, o->delivery_date);
	if (document_id > 0)
		sqlite3_bind_int64(st, 7, document_id);
	sqlite3_bind_int64(st, 8, o->total_ht_cents);
	sqlite3_bind_int64(st, 9, o->total_vat_cents);
	sqlite3_bind_int64(st, 10, o->total_ttc_cents);
	db_bind_text(st, 11, now);
	bind_amount(st, 12, o->printed_ht_cents);
	bind_amount(st, 13, o->printed_ttc_cents);
	if (db_exec_stmt(d, st, "enregistrement d'une commande", error) < 0)
		return -1;
	o->id = sqlite3_last_insert_rowid(d->h);

	if (insert_details(d, o, error) < 0)
		return -1;
	return insert_history(d, o->id, now, who, NULL, order_state_name(o->state), NULL, error);
}

#define ORDER_SELECT \
	"SELECT o.id, o.number, o.state, c.ref, c.name, o.customer_order_ref, o.order_date," \
	" o.delivery_date, o.total_ht_cents, o.total_vat_cents, o.total_ttc_cents," \
	" m.message_id, m.from_addr, m.subject, doc.file, doc.sha256, doc.filename," \
	" o.created_at, o.printed_ht_cents, o.printed_ttc_cents, o.comment, m.reply_to" \
	" FROM orders o" \
	" LEFT JOIN customers c ON c.id = o.customer_id" \
	" LEFT JOIN documents doc ON doc.id = o.document_id" \
	" LEFT JOIN messages m ON m.id = doc.message_id"

/* The order of the row; NULL with the error when its state is no word
 * of ours. */
static order *order_from_row(sqlite3_stmt *st, GError **error)
{
	const char *state = (const char *)sqlite3_column_text(st, 2);
	order *o;

	o = order_new();
	if (!order_state_parse(state, &o->state)) {
		db_unknown_word("l'état de commande", state, error);
		order_free(o);
		return NULL;
	}
	o->id = sqlite3_column_int64(st, 0);
	o->number = db_col_text(st, 1);
	o->customer_ref = db_col_text(st, 3);
	o->customer_name = db_col_text(st, 4);
	o->customer_order_ref = db_col_text(st, 5);
	o->order_date = db_col_text(st, 6);
	o->delivery_date = db_col_text(st, 7);
	o->total_ht_cents = sqlite3_column_int64(st, 8);
	o->total_vat_cents = sqlite3_column_int64(st, 9);
	o->total_ttc_cents = sqlite3_column_int64(st, 10);
	o->source_message_id = db_col_text(st, 11);
	o->source_from = db_col_text(st, 12);
	o->source_subject = db_col_text(st, 13);
	o->source_file = db_col_text(st, 14);
	o->source_sha256 = db_col_text(st, 15);
	o->source_attachment = db_col_text(st, 16);
	o->created_at = db_col_text(st, 17);
	o->printed_ht_cents = column_amount(st, 18);
	o->printed_ttc_cents = column_amount(st, 19);
	o->comment = db_col_text(st, 20);
	o->source_reply_to = db_col_text(st, 21);
	return o;
}

static int order_load_details(db *d, order *o, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT l.lineno, p.ref, l.customer_ref, l.description, l.qty_milli,"
		" l.unit_price_cents, l.vat_rate_bp, l.line_total_cents, l.po_lineno,"
		" l.po_qty_milli, l.po_unit_price_cents, l.price_by_clerk, p.unit,"
		" coalesce(l.confidence, -1), l.doubt,"
		" (SELECT coalesce(sum(dl.qty_milli), 0) FROM delivery_lines dl"
		"   JOIN deliveries dv ON dv.id = dl.delivery_id"
		"   WHERE dv.order_id = l.order_id AND dl.lineno = l.lineno),"
		" (SELECT coalesce(sum(il.qty_milli), 0) FROM invoice_lines il"
		"   JOIN invoices iv ON iv.id = il.invoice_id"
		"   WHERE iv.order_id = l.order_id AND il.order_lineno = l.lineno)"
		" FROM order_lines l LEFT JOIN products p ON p.id = l.product_id"
		" WHERE l.order_id = ?1 ORDER BY l.lineno", error);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_line *l = order_line_new();

		l->lineno = sqlite3_column_int(st, 0);
		l->product_ref = db_col_text(st, 1);
		l->customer_ref = db_col_text(st, 2);
		l->description = db_col_text(st, 3);
		l->qty_milli = sqlite3_column_int64(st, 4);
		l->unit_price_cents = column_amount(st, 5);
		l->vat_rate_bp = column_amount(st, 6);
		l->line_total_cents = column_amount(st, 7);
		l->po_lineno = sqlite3_column_int(st, 8);
		l->po_qty_milli = column_amount(st, 9);
		l->po_unit_price_cents = column_amount(st, 10);
		l->price_by_clerk = sqlite3_column_int(st, 11) != 0;
		l->unit = db_col_text(st, 12);
		l->confidence = sqlite3_column_int(st, 13);
		l->doubt = db_col_text(st, 14);
		l->delivered_milli = sqlite3_column_int64(st, 15);
		l->invoiced_milli = sqlite3_column_int64(st, 16);
		g_ptr_array_add(o->lines, l);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des lignes d'une commande", error);

	st = db_stmt(d, "SELECT po_lineno, customer_ref, description, po_qty_milli,"
			" po_unit_price_cents, product_ref FROM order_removed_lines"
			" WHERE order_id = ?1 ORDER BY id", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_line *l = order_line_new();

		l->po_lineno = sqlite3_column_int(st, 0);
		l->customer_ref = db_col_text(st, 1);
		l->description = db_col_text(st, 2);
		l->po_qty_milli = column_amount(st, 3);
		l->po_unit_price_cents = column_amount(st, 4);
		l->product_ref = db_col_text(st, 5);
		g_ptr_array_add(o->removed, l);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des lignes supprimées d'une commande", error);

	st = db_stmt(d, "SELECT field, confidence, why FROM order_confidence WHERE order_id = ?1"
			" ORDER BY rowid", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		g_autofree char *field = db_col_text(st, 0);
		g_autofree char *why = db_col_text(st, 2);

		g_ptr_array_add(o->confidence,
				field_confidence_new(field, sqlite3_column_int(st, 1), why));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des confiances de lecture d'une commande", error);

	st = db_stmt(d, "SELECT code, severity, line, message FROM order_checks"
			" WHERE order_id = ?1 ORDER BY line, id", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *severity = (const char *)sqlite3_column_text(st, 1);
		order_check *c = g_new0(order_check, 1);

		g_ptr_array_add(o->checks, c);
		if (!check_code_parse(code, &c->code) ||
		    !check_severity_parse(severity, &c->severity)) {
			g_autofree char *word = g_strdup_printf("%s/%s", code, severity);

			db_unknown_word("le contrôle", word, error);
			sqlite3_reset(st);
			return -1;
		}
		c->line = sqlite3_column_int(st, 2);
		c->message = db_col_text(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "lecture des contrôles d'une commande", error);
	return 0;
}

GPtrArray *db_orders_in_state(db *d, order_state state, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, ORDER_SELECT " WHERE o.state = ?1 ORDER BY o.id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, order_state_name(state));
	out = g_ptr_array_new_with_free_func((GDestroyNotify)order_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order *o = order_from_row(st, error);

		if (o == NULL) {
			sqlite3_reset(st);
			return NULL;
		}
		g_ptr_array_add(out, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des commandes", error);
		return NULL;
	}
	for (guint i = 0; i < out->len; i++) {
		if (order_load_details(d, out->pdata[i], error) < 0)
			return NULL;
	}
	return g_steal_pointer(&out);
}

order *db_order_get(db *d, const char *number, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, ORDER_SELECT " WHERE o.number = ?1", error);
	g_autoptr(order) o = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (o = order_from_row(st, error)) == NULL) {
		sqlite3_reset(st);
		return NULL;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(d, "lecture d'une commande", error);
		return NULL;
	}
	if (o == NULL)
		return NULL;
	if (order_load_details(d, o, error) < 0)
		return NULL;
	return g_steal_pointer(&o);
}

order *db_order_named(db *d, const char *number, GError **error)
{
	order *o = db_order_get(d, number, error);

	if (o == NULL && (error == NULL || *error == NULL))
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : aucune commande de ce numéro",
			    number);
	return o;
}

GPtrArray *db_order_history(db *d, int64_t order_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT at, who, from_state, to_state, note FROM order_history"
		" WHERE order_id = ?1 ORDER BY id", error);
	g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func((GDestroyNotify)order_step_free);
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, order_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_step *s = g_new0(order_step, 1);
		const char *from = (const char *)sqlite3_column_text(st, 2);
		const char *to = (const char *)sqlite3_column_text(st, 3);

		g_ptr_array_add(steps, s);
		s->at = db_col_text(st, 0);
		s->who = db_col_text(st, 1);
		s->note = db_col_text(st, 4);
		s->created = from == NULL;
		if ((from != NULL && !order_state_parse(from, &s->from)) ||
		    !order_state_parse(to, &s->to)) {
			sqlite3_reset(st);
			db_unknown_word("l'état de commande", from && !order_state_parse(from, &s->from)
								       ? from : to, error);
			return NULL;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture de l'historique d'une commande", error);
		return NULL;
	}
	return g_steal_pointer(&steps);
}

int db_order_find_po(db *d, int64_t customer_id, const char *sender,
		     const char *customer_order_ref, int64_t exclude_id, char **number_r,
		     GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT o.number FROM orders o LEFT JOIN documents doc ON doc.id = o.document_id"
		" WHERE o.customer_order_ref = ?1 AND o.state NOT IN ('rejected', 'cancelled')"
		"   AND ((?2 > 0 AND o.customer_id = ?2)"
		"     OR (?2 = 0 AND o.customer_id IS NULL AND doc.sender = lower(?3)))"
		"   AND o.id != ?4"
		" ORDER BY o.id LIMIT 1", error);
	int rc;

	*number_r = NULL;
	if (st == NULL)
		return -1;
	if (customer_order_ref == NULL || (customer_id == 0 && sender == NULL))
		return 0;
	db_bind_text(st, 1, customer_order_ref);
	sqlite3_bind_int64(st, 2, customer_id);
	db_bind_text(st, 3, sender);
	sqlite3_bind_int64(st, 4, exclude_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*number_r = db_col_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "recherche du numéro de bon de commande d'une commande", error);
	return rc == SQLITE_ROW;
}

int db_order_update(db *d, const order *o, int64_t customer_id, const char *who,
		    const char *note, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE orders SET customer_id = ?2, total_ht_cents = ?3, total_vat_cents = ?4,"
		" total_ttc_cents = ?5, updated_at = ?6, delivery_date = ?7, state = ?8"
		" WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	if (customer_id > 0)
		sqlite3_bind_int64(st, 2, customer_id);
	sqlite3_bind_int64(st, 3, o->total_ht_cents);
	sqlite3_bind_int64(st, 4, o->total_vat_cents);
	sqlite3_bind_int64(st, 5, o->total_ttc_cents);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, o->delivery_date);
	db_bind_text(st, 8, order_state_name(o->state));
	if (db_exec_stmt(d, st, "mise à jour d'une commande", error) < 0)
		return -1;
	st = db_stmt(d, "DELETE FROM order_removed_lines WHERE order_id = ?1", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	if (db_exec_stmt(d, st, "mise à jour des lignes supprimées", error) < 0)
		return -1;
	st = db_stmt(d, "DELETE FROM order_lines WHERE order_id = ?1", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	if (db_exec_stmt(d, st, "mise à jour des lignes", error) < 0)
		return -1;
	st = db_stmt(d, "DELETE FROM order_confidence WHERE order_id = ?1", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	if (db_exec_stmt(d, st, "mise à jour des confiances de lecture", error) < 0)
		return -1;
	st = db_stmt(d, "DELETE FROM order_checks WHERE order_id = ?1", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, o->id);
	if (db_exec_stmt(d, st, "mise à jour des contrôles", error) < 0 || insert_details(d, o, error) < 0)
		return -1;
	if (note == NULL)
		return 0;   /* the caller records the step itself */
	return insert_history(d, o->id, now, who, order_state_name(o->state),
			      order_state_name(o->state), note, error);
}

int db_order_document(db *d, int64_t order_id, int64_t *document_id_r, char **sender_r,
		      GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT doc.id, coalesce(doc.sender, m.from_addr) FROM orders o"
		" JOIN documents doc ON doc.id = o.document_id"
		" JOIN messages m ON m.id = doc.message_id WHERE o.id = ?1", error);
	int rc;

	*document_id_r = 0;
	*sender_r = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, order_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*document_id_r = sqlite3_column_int64(st, 0);
		*sender_r = db_col_text(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture du document d'une commande", error);
	return 0;
}

int db_document_set_file(db *d, int64_t document_id, const char *old_rel, const char *new_rel,
			 GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "UPDATE documents SET file = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, document_id);
	db_bind_text(st, 2, new_rel);
	if (db_exec_stmt(d, st, "renommage d'un document", error) < 0)
		return -1;
	st = db_stmt(d, "UPDATE files SET path = ?2 WHERE path = ?1", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, old_rel);
	db_bind_text(st, 2, new_rel);
	return db_exec_stmt(d, st, "renommage d'un fichier", error);
}
