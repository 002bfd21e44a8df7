/* db_catalog.c: customers and products. */
#include "store/db_p.h"
#include "store/db_catalog.h"

#include "lib/error.h"

#define CUSTOMER_COLUMNS \
	"id, ref, name, siret, vat, iban, bank, contact, phone," \
	" billing_address, billing_postcode, billing_city," \
	" delivery_address, delivery_postcode, delivery_city," \
	" account, payment_terms, discount_bp, bic, tags, acknowledge"

int db_customer_upsert(db *d, customer *c, gboolean *created_r, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st;
	int64_t id;
	gboolean created;

	st = db_stmt(d, "SELECT 1 FROM customers WHERE ref = ?1", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->ref);
	created = sqlite3_step(st) != SQLITE_ROW;
	sqlite3_reset(st);

	st = db_stmt(d,
		"INSERT INTO customers (ref, name, siret, vat, iban, bank, contact, phone,"
		" billing_address, billing_postcode, billing_city,"
		" delivery_address, delivery_postcode, delivery_city,"
		" account, payment_terms, discount_bp, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?18)"
		" ON CONFLICT (ref) DO UPDATE SET name = ?2, siret = ?3, vat = ?4, iban = ?5,"
		" bank = ?6, contact = ?7, phone = ?8, billing_address = ?9,"
		" billing_postcode = ?10, billing_city = ?11, delivery_address = ?12,"
		" delivery_postcode = ?13, delivery_city = ?14, account = ?15,"
		" payment_terms = ?16, discount_bp = ?17, updated_at = ?18"
		" RETURNING id", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->ref);
	db_bind_text(st, 2, c->name);
	db_bind_text(st, 3, c->siret);
	db_bind_text(st, 4, c->vat);
	db_bind_text(st, 5, c->iban);
	db_bind_text(st, 6, c->bank);
	db_bind_text(st, 7, c->contact);
	db_bind_text(st, 8, c->phone);
	db_bind_text(st, 9, c->billing_address);
	db_bind_text(st, 10, c->billing_postcode);
	db_bind_text(st, 11, c->billing_city);
	db_bind_text(st, 12, c->delivery_address);
	db_bind_text(st, 13, c->delivery_postcode);
	db_bind_text(st, 14, c->delivery_city);
	db_bind_text(st, 15, c->account);
	db_bind_text(st, 16, c->payment_terms);
	sqlite3_bind_int(st, 17, c->discount_bp);
	db_bind_text(st, 18, now);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(d, "enregistrement d'un client", error);
		sqlite3_reset(st);
		return -1;
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	if (c->account != NULL) {
		/* A receivable account, lettering allowed, named after its
		 * customer; an account of another type is not taken over. */
		st = db_stmt(d,
			"INSERT INTO accounts (code, label, type, lettering)"
			" VALUES (?1, ?2, 'receivable', 1)"
			" ON CONFLICT (code) DO UPDATE SET label = ?2 WHERE type = 'receivable'", error);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, c->account);
		db_bind_text(st, 2, c->name);
		if (db_exec_stmt(d, st, "enregistrement du compte d'un client", error) < 0)
			return -1;
	}

	st = db_stmt(d, "DELETE FROM customer_emails WHERE customer_id = ?1", error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (db_exec_stmt(d, st, "enregistrement des e-mails d'un client", error) < 0)
		return -1;
	for (int i = 0; c->emails != NULL && c->emails[i] != NULL; i++) {
		st = db_stmt(d, "INSERT INTO customer_emails (customer_id, position, email)"
				" VALUES (?1, ?2, lower(?3))", error);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i);
		db_bind_text(st, 3, c->emails[i]);
		if (db_exec_stmt(d, st, "enregistrement des e-mails d'un client", error) < 0)
			return -1;
	}
	c->id = id;
	if (created_r)
		*created_r = created;
	return 0;
}

static char **customer_emails(db *d, int64_t id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT email FROM customer_emails WHERE customer_id = ?1"
				      " ORDER BY position", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new();
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(out, db_col_text(st, 0));
	sqlite3_reset(st);
	g_ptr_array_add(out, NULL);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture des e-mails d'un client", error);
		g_strfreev((char **)g_ptr_array_free(out, FALSE));
		return NULL;
	}
	return (char **)g_ptr_array_free(out, FALSE);
}

/* Reads one customer from a statement selecting CUSTOMER_COLUMNS. */
static customer *customer_from_row(db *d, sqlite3_stmt *st, GError **error)
{
	g_autoptr(customer) c = customer_new();

	c->id = sqlite3_column_int64(st, 0);
	c->ref = db_col_text(st, 1);
	c->name = db_col_text(st, 2);
	c->siret = db_col_text(st, 3);
	c->vat = db_col_text(st, 4);
	c->iban = db_col_text(st, 5);
	c->bank = db_col_text(st, 6);
	c->contact = db_col_text(st, 7);
	c->phone = db_col_text(st, 8);
	c->billing_address = db_col_text(st, 9);
	c->billing_postcode = db_col_text(st, 10);
	c->billing_city = db_col_text(st, 11);
	c->delivery_address = db_col_text(st, 12);
	c->delivery_postcode = db_col_text(st, 13);
	c->delivery_city = db_col_text(st, 14);
	c->account = db_col_text(st, 15);
	c->payment_terms = db_col_text(st, 16);
	c->discount_bp = sqlite3_column_int(st, 17);
	c->bic = db_col_text(st, 18);
	c->tags = db_col_text(st, 19);
	c->acknowledge = db_col_text(st, 20);
	sqlite3_reset(st);
	c->emails = customer_emails(d, c->id, error);
	if (c->emails == NULL)
		return NULL;
	return g_steal_pointer(&c);
}

static customer *customer_query(db *d, sqlite3_stmt *st, GError **error)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		db_fail(d, "lecture d'un client", error);
		sqlite3_reset(st);
		return NULL;
	}
	return customer_from_row(d, st, error);
}

/* The customer an address (?1) writes for: the customer file's (the
 * lowest ref when two customers share it), else the one a clerk taught. */
#define CUSTOMER_ID_OF_EMAIL                                                    \
	"coalesce((SELECT customer_id FROM customer_emails WHERE email = lower(?1)" \
	" ORDER BY customer_id LIMIT 1),"                                           \
	" (SELECT customer_id FROM learned_senders WHERE email = lower(?1)))"

customer *db_customer_by_email(db *d, const char *email, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = " CUSTOMER_ID_OF_EMAIL, error);

	if (st == NULL || email == NULL)
		return NULL;
	db_bind_text(st, 1, email);
	return customer_query(d, st, error);
}

int db_customer_name_by_email(db *d, const char *email, char **name_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT name FROM customers WHERE id = " CUSTOMER_ID_OF_EMAIL,
				   error);
	int rc;

	*name_r = NULL;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*name_r = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(d, "lecture d'un client", error);
		return -1;
	}
	return rc == SQLITE_ROW;
}

customer *db_customer_by_file_email(db *d, const char *email, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id ="
		" (SELECT customer_id FROM customer_emails WHERE email = lower(?1)"
		"  ORDER BY customer_id LIMIT 1)", error);

	if (st == NULL || email == NULL)
		return NULL;
	db_bind_text(st, 1, email);
	return customer_query(d, st, error);
}

customer *db_customer_by_id(db *d, int64_t id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?1",
				   error);

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	return customer_query(d, st, error);
}

GPtrArray *db_customers_all(db *d, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT id FROM customers ORDER BY ref", error);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des clients", error);
		return NULL;
	}
	out = g_ptr_array_new_with_free_func((GDestroyNotify)customer_free);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(GError) err = NULL;
		customer *c = db_customer_by_id(d, g_array_index(ids, int64_t, i), &err);

		if (err != NULL) {
			g_propagate_error(error, g_steal_pointer(&err));
			return NULL;
		}
		if (c != NULL)
			g_ptr_array_add(out, c);
	}
	return g_steal_pointer(&out);
}

int db_product_upsert(db *d, const product *p, gboolean *created_r, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st;
	gboolean created;

	st = db_stmt(d, "SELECT 1 FROM products WHERE ref = ?1", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, p->ref);
	created = sqlite3_step(st) != SQLITE_ROW;
	sqlite3_reset(st);

	st = db_stmt(d,
		"INSERT INTO products (ref, name, unit_price_cents, vat_rate_bp, stock, unit,"
		" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
		" ON CONFLICT (ref) DO UPDATE SET name = ?2, unit_price_cents = ?3,"
		" vat_rate_bp = ?4, stock = ?5, unit = ?6, updated_at = ?7", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, p->ref);
	db_bind_text(st, 2, p->name);
	sqlite3_bind_int64(st, 3, p->unit_price_cents);
	sqlite3_bind_int(st, 4, p->vat_rate_bp);
	sqlite3_bind_int64(st, 5, p->stock);
	db_bind_text(st, 6, p->unit);
	db_bind_text(st, 7, now);
	if (db_exec_stmt(d, st, "enregistrement d'un produit", error) < 0)
		return -1;
	if (created_r)
		*created_r = created;
	return 0;
}

GPtrArray *db_products_all(db *d, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT id, ref, name, unit_price_cents, vat_rate_bp, stock, unit"
				      " FROM products ORDER BY ref", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)product_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		product *p = product_new();

		p->id = sqlite3_column_int64(st, 0);
		p->ref = db_col_text(st, 1);
		p->name = db_col_text(st, 2);
		p->unit_price_cents = sqlite3_column_int64(st, 3);
		p->vat_rate_bp = sqlite3_column_int(st, 4);
		p->stock = sqlite3_column_int64(st, 5);
		p->unit = db_col_text(st, 6);
		g_ptr_array_add(out, p);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des produits", error);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

int db_learn_sender(db *d, const char *email, int64_t customer_id, const char *order_number,
		    GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO learned_senders (email, customer_id, learned_at, order_number)"
		" VALUES (lower(?1), ?2, ?3, ?4)"
		" ON CONFLICT (email) DO UPDATE SET customer_id = ?2, learned_at = ?3,"
		" order_number = ?4", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	sqlite3_bind_int64(st, 2, customer_id);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, order_number);
	return db_exec_stmt(d, st, "apprentissage d'un expéditeur", error);
}

int db_learn_layout(db *d, const char *email, int64_t customer_id, const learned_layout *l,
		    const char *order_number, GError **error)
{
	g_autofree char *now = db_now_iso();
	char mark[2] = { l->decimal_mark, '\0' };
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO learned_layouts (email, customer_id, decimal_mark, qty_x, price_x, rows,"
		" learned_at, order_number) VALUES (lower(?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (email) DO UPDATE SET customer_id = ?2, decimal_mark = ?3, qty_x = ?4,"
		" price_x = ?5, rows = ?6, learned_at = ?7, order_number = ?8", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	sqlite3_bind_int64(st, 2, customer_id);
	db_bind_text(st, 3, mark[0] ? mark : NULL);
	sqlite3_bind_double(st, 4, l->qty_x);
	sqlite3_bind_double(st, 5, l->price_x);
	sqlite3_bind_int(st, 6, l->rows);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, order_number);
	return db_exec_stmt(d, st, "apprentissage d'une mise en page", error);
}

int db_learned_layout(db *d, const char *email, learned_layout *l_r, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	memset(l_r, 0, sizeof(*l_r));
	if (email == NULL)
		return 0;
	st = db_stmt(d, "SELECT decimal_mark, qty_x, price_x, rows FROM learned_layouts"
			" WHERE email = lower(?1)", error);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *mark = (const char *)sqlite3_column_text(st, 0);

		l_r->decimal_mark = mark ? mark[0] : 0;
		l_r->qty_x = sqlite3_column_double(st, 1);
		l_r->price_x = sqlite3_column_double(st, 2);
		l_r->rows = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture d'une mise en page apprise", error);
	return rc == SQLITE_ROW;
}

int db_learn_product(db *d, int64_t customer_id, const char *line_key, const char *product_ref,
		     const char *order_number, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO learned_products (customer_id, line_key, product_id, learned_at,"
		" order_number)"
		" SELECT ?1, ?2, id, ?4, ?5 FROM products WHERE ref = ?3"
		" ON CONFLICT (customer_id, line_key) DO UPDATE SET product_id = excluded.product_id,"
		" learned_at = ?4, order_number = ?5", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, customer_id);
	db_bind_text(st, 2, line_key);
	db_bind_text(st, 3, product_ref);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, order_number);
	return db_exec_stmt(d, st, "apprentissage d'un produit", error);
}

char *db_learned_product(db *d, int64_t customer_id, const char *line_key, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT p.ref FROM learned_products l JOIN products p ON p.id = l.product_id"
		" WHERE l.customer_id = ?1 AND l.line_key = ?2", error);
	char *ref = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, customer_id);
	db_bind_text(st, 2, line_key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ref = db_col_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(d, "recherche d'un produit appris", error);
	return ref;
}

product *db_product_by_ref(db *d, const char *ref, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT id, ref, name, unit_price_cents, vat_rate_bp, stock, unit FROM products"
		" WHERE ref = ?1", error);
	product *p = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, ref);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p = product_new();
		p->id = sqlite3_column_int64(st, 0);
		p->ref = db_col_text(st, 1);
		p->name = db_col_text(st, 2);
		p->unit_price_cents = sqlite3_column_int64(st, 3);
		p->vat_rate_bp = sqlite3_column_int(st, 4);
		p->stock = sqlite3_column_int64(st, 5);
		p->unit = db_col_text(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(d, "lecture d'un produit", error);
	return p;
}

customer *db_customer_by_ref(db *d, const char *ref, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE ref = ?1",
				   error);

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, ref);
	return customer_query(d, st, error);
}

int db_customer_next_ref(db *d, char **ref_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT coalesce(max(CAST(substr(ref, 4) AS INTEGER)), 0)"
				      " FROM customers", error);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ref_r = g_strdup_printf("CLI%03" G_GINT64_FORMAT,
					 (gint64)sqlite3_column_int64(st, 0) + 1);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(d, "numérotation d'un client", error);
	return 0;
}

int db_account_get(db *d, const char *code, char **type_r, gboolean *lettering_r,
		   GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT type, lettering FROM accounts WHERE code = ?1", error);
	int rc;

	*type_r = NULL;
	*lettering_r = FALSE;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*type_r = db_col_text(st, 0);
		*lettering_r = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture d'un compte", error);
	return rc == SQLITE_ROW;
}

GPtrArray *db_customer_accounts_shared(db *d, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT account, group_concat(ref, ', ') FROM"
		" (SELECT account, ref FROM customers WHERE account IS NOT NULL ORDER BY ref)"
		" GROUP BY account HAVING count(*) > 1 ORDER BY account", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **pair = g_new0(char *, 3);

		pair[0] = db_col_text(st, 0);
		pair[1] = db_col_text(st, 1);
		g_ptr_array_add(out, pair);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "recherche des comptes partagés", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

int db_customer_account_free(db *d, const char *account, int64_t exclude_id, GError **error)
{
	/* another customer's, or an account of the chart that is not a
	 * customer's */
	sqlite3_stmt *st = db_stmt(d,
		"SELECT 1 FROM customers WHERE account = ?1 AND id != ?2"
		" UNION ALL SELECT 1 FROM accounts WHERE code = ?1 AND type != 'receivable'", error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, account);
	sqlite3_bind_int64(st, 2, exclude_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "recherche d'un compte", error);
	return rc == SQLITE_DONE;
}

int db_customer_history_add(db *d, int64_t customer_id, const char *who, const char *field,
			    const char *old_value, const char *new_value, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO customer_history (customer_id, at, who, field, old_value, new_value)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, customer_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, who);
	db_bind_text(st, 4, field);
	db_bind_text(st, 5, old_value && old_value[0] ? old_value : NULL);
	db_bind_text(st, 6, new_value && new_value[0] ? new_value : NULL);
	return db_exec_stmt(d, st, "enregistrement d'un changement de client", error);
}

GPtrArray *db_customer_history(db *d, int64_t customer_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT at, who, field, coalesce(old_value, ''), coalesce(new_value, '')"
		" FROM customer_history WHERE customer_id = ?1 ORDER BY id", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **row = g_new0(char *, 6);

		for (int i = 0; i < 5; i++)
			row[i] = db_col_text(st, i);
		g_ptr_array_add(out, row);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture de l'historique d'un client", error);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

void customer_contact_free(customer_contact *k)
{
	if (k == NULL)
		return;
	g_free(k->role);
	g_free(k->name);
	g_free(k->phone);
	g_free(k->email);
	g_free(k->address);
	g_free(k->postcode);
	g_free(k->city);
	g_free(k);
}

/* role, name, phone, email, address, postcode, city from parameter first */
static void bind_contact(sqlite3_stmt *st, int first, const customer_contact *k)
{
	const char *values[] = { k->role, k->name, k->phone, k->email,
				 k->address, k->postcode, k->city };

	for (size_t i = 0; i < G_N_ELEMENTS(values); i++)
		db_bind_text(st, first + (int)i, values[i]);
}

int db_contact_add(db *d, int64_t customer_id, const customer_contact *k, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO customer_contacts (customer_id, role, name, phone, email, address,"
		" postcode, city) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, customer_id);
	bind_contact(st, 2, k);
	return db_exec_stmt(d, st, "ajout d'un contact", error);
}

int db_contact_update(db *d, int64_t customer_id, const customer_contact *k, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE customer_contacts SET role = ?3, name = ?4, phone = ?5, email = ?6,"
		" address = ?7, postcode = ?8, city = ?9 WHERE id = ?1 AND customer_id = ?2", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, k->id);
	sqlite3_bind_int64(st, 2, customer_id);
	bind_contact(st, 3, k);
	return db_exec_stmt(d, st, "changement d'un contact", error);
}

int db_contact_remove(db *d, int64_t customer_id, int64_t contact_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"DELETE FROM customer_contacts WHERE id = ?1 AND customer_id = ?2", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, customer_id);
	return db_exec_stmt(d, st, "retrait d'un contact", error);
}

GPtrArray *db_contacts_of(db *d, int64_t customer_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT role, name, phone, email, address, postcode, city, id FROM customer_contacts"
		" WHERE customer_id = ?1 ORDER BY id", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)customer_contact_free);
	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		customer_contact *k = g_new0(customer_contact, 1);

		k->role = db_col_text(st, 0);
		k->name = db_col_text(st, 1);
		k->phone = db_col_text(st, 2);
		k->email = db_col_text(st, 3);
		k->address = db_col_text(st, 4);
		k->postcode = db_col_text(st, 5);
		k->city = db_col_text(st, 6);
		k->id = sqlite3_column_int64(st, 7);
		g_ptr_array_add(out, k);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture des contacts", error);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

int db_customer_set_extras(db *d, const customer *c, GError **error)
{
	sqlite3_stmt *st = db_stmt(
		d, "UPDATE customers SET bic = ?2, tags = ?3, acknowledge = ?4 WHERE ref = ?1", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->ref);
	db_bind_text(st, 2, c->bic);
	db_bind_text(st, 3, c->tags);
	db_bind_text(st, 4, c->acknowledge);
	return db_exec_stmt(d, st, "enregistrement du BIC, des étiquettes et des accusés d'un client",
			    error);
}

GPtrArray *db_learned_list(db *d, int64_t customer_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT 'E' || l.rowid, c.ref, c.name, l.email, NULL, l.learned_at, l.order_number"
		" FROM learned_senders l JOIN customers c ON c.id = l.customer_id"
		" WHERE ?1 = 0 OR l.customer_id = ?1"
		" UNION ALL"
		" SELECT 'P' || l.rowid, c.ref, c.name, l.line_key, p.ref, l.learned_at,"
		" l.order_number"
		" FROM learned_products l JOIN customers c ON c.id = l.customer_id"
		" JOIN products p ON p.id = l.product_id"
		" WHERE ?1 = 0 OR l.customer_id = ?1"
		" UNION ALL"
		" SELECT 'M' || l.rowid, c.ref, c.name, 'layout:' || l.email, NULL, l.learned_at,"
		" l.order_number"
		" FROM learned_layouts l JOIN customers c ON c.id = l.customer_id"
		" WHERE ?1 = 0 OR l.customer_id = ?1"
		" ORDER BY 2, 6, 1", error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)learned_item_free);
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		learned_item *l = g_new0(learned_item, 1);

		l->id = db_col_text(st, 0);
		l->customer_ref = db_col_text(st, 1);
		l->customer_name = db_col_text(st, 2);
		l->key = db_col_text(st, 3);
		l->product_ref = db_col_text(st, 4);
		l->learned_at = db_col_text(st, 5);
		l->order_number = db_col_text(st, 6);
		g_ptr_array_add(out, l);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste de ce qui a été appris", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

int db_learned_remove(db *d, const char *id, GError **error)
{
	guint64 rowid;
	sqlite3_stmt *st;

	if (id == NULL || (id[0] != 'E' && id[0] != 'P' && id[0] != 'M') ||
	    !g_ascii_string_to_unsigned(id + 1, 10, 1, G_MAXINT64, &rowid, NULL))
		return 0;
	st = db_stmt(d, id[0] == 'E'   ? "DELETE FROM learned_senders WHERE rowid = ?1"
			: id[0] == 'P' ? "DELETE FROM learned_products WHERE rowid = ?1"
				       : "DELETE FROM learned_layouts WHERE rowid = ?1",
		     error);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)rowid);
	if (db_exec_stmt(d, st, "oubli de ce qui a été appris", error) < 0)
		return -1;
	return sqlite3_changes(d->h) > 0;
}
