#include "store/db_p.h"

#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each step takes the schema from version i to i + 1.  Never edit a step
 * that has shipped: add one. */
static const char *const migrations[] = {
	/* 1: intake, catalogue, draft orders */
	"CREATE TABLE sequences ("
	"  name TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL"
	");"
	"CREATE TABLE customers ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  siret TEXT, vat TEXT, iban TEXT, bank TEXT, contact TEXT, phone TEXT,"
	"  billing_address TEXT, billing_postcode TEXT, billing_city TEXT,"
	"  delivery_address TEXT, delivery_postcode TEXT, delivery_city TEXT,"
	"  account TEXT, payment_terms TEXT,"
	"  discount_bp INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE customer_emails ("
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  email TEXT NOT NULL,"
	"  PRIMARY KEY (customer_id, position)"
	");"
	"CREATE INDEX customer_emails_email ON customer_emails(email);"
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  unit_price_cents INTEGER NOT NULL,"
	"  vat_rate_bp INTEGER NOT NULL,"
	"  stock INTEGER NOT NULL,"
	"  unit TEXT,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE mailboxes ("
	"  name TEXT PRIMARY KEY,"
	"  uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL"
	");"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  message_id TEXT, from_addr TEXT, from_name TEXT, subject TEXT,"
	"  date TEXT, received_at TEXT,"
	"  size INTEGER NOT NULL,"
	"  file TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL CHECK (state IN ('fetched', 'done', 'quarantined')),"
	"  fetched_at TEXT NOT NULL,"
	"  UNIQUE (mailbox, uidvalidity, uid)"
	");"
	"CREATE INDEX messages_fetched ON messages(id) WHERE state = 'fetched';"
	"CREATE INDEX messages_message_id ON messages(message_id);"
	"CREATE TABLE server_flags ("
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  PRIMARY KEY (mailbox, uidvalidity, uid)"
	");"
	"CREATE TABLE files ("
	"  path TEXT PRIMARY KEY,"
	"  sha256 TEXT NOT NULL"
	");"
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  part TEXT NOT NULL,"
	"  filename TEXT, declared_type TEXT, detected_type TEXT,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  file TEXT,"
	"  sender TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('filed', 'drafted', 'quarantined')),"
	"  UNIQUE (message_id, part)"
	");"
	"CREATE INDEX documents_sha256 ON documents(sha256);"
	"CREATE TABLE quarantine ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  document_id INTEGER REFERENCES documents(id),"
	"  attachment TEXT, sha256 TEXT,"
	"  reason TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  duplicate_of TEXT,"
	"  file TEXT,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL,"
	"  customer_id INTEGER REFERENCES customers(id),"
	"  customer_order_ref TEXT, order_date TEXT, delivery_date TEXT,"
	"  document_id INTEGER UNIQUE REFERENCES documents(id),"
	"  total_ht_cents INTEGER NOT NULL DEFAULT 0,"
	"  total_vat_cents INTEGER NOT NULL DEFAULT 0,"
	"  total_ttc_cents INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX orders_state ON orders(state, number);"
	"CREATE TABLE order_lines ("
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  lineno INTEGER NOT NULL,"
	"  product_id INTEGER REFERENCES products(id),"
	"  customer_ref TEXT, description TEXT,"
	"  qty_milli INTEGER NOT NULL,"
	"  unit_price_cents INTEGER, vat_rate_bp INTEGER, line_total_cents INTEGER,"
	"  PRIMARY KEY (order_id, lineno)"
	");"
	"CREATE TABLE order_checks ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  message TEXT NOT NULL"
	");"
	"CREATE INDEX order_checks_order ON order_checks(order_id);"
	"CREATE TABLE order_history ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  note TEXT"
	");",
	/* 2: how many times intake began reading a message (a message that
	 * crashes the reader every time must not stop the mailbox) */
	"ALTER TABLE messages ADD COLUMN intake_attempts INTEGER NOT NULL DEFAULT 0;",
	/* 3: messages with scans, left to the OCR stage; the totals a PO
	 * prints (its checks are made again after a correction); what clerks
	 * taught by correcting drafts: this address
	 * writes for this customer; this customer's line (its reference, else
	 * its description, normalised) means this product of ours */
	"ALTER TABLE messages ADD COLUMN ocr_pending INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE orders ADD COLUMN printed_ht_cents INTEGER;"
	"ALTER TABLE orders ADD COLUMN printed_ttc_cents INTEGER;"
	"CREATE TABLE learned_senders ("
	"  email TEXT PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  learned_at TEXT NOT NULL,"
	"  order_number TEXT"
	");"
	"CREATE TABLE learned_products ("
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  line_key TEXT NOT NULL,"
	"  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  learned_at TEXT NOT NULL,"
	"  order_number TEXT,"
	"  PRIMARY KEY (customer_id, line_key)"
	");",
	/* 4: the customer file's history (every change, when, who, old, new)
	 * and its contacts and addresses by role */
	"CREATE TABLE customer_history ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  old_value TEXT,"
	"  new_value TEXT"
	");"
	"CREATE INDEX customer_history_customer ON customer_history(customer_id, id);"
	"ALTER TABLE customers ADD COLUMN bic TEXT;"
	"ALTER TABLE customers ADD COLUMN tags TEXT;"
	"CREATE TABLE customer_contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('billing', 'delivery', 'purchasing')),"
	"  name TEXT, phone TEXT, email TEXT, address TEXT, postcode TEXT, city TEXT"
	");",
	/* 5: the chart of accounts, as far as the customer file goes: each
	 * customer's account is a receivable one (class 411) that allows
	 * lettering (matching invoices with payments); its label is the
	 * customer's name.  The invoice and payment issues add their own. */
	"CREATE TABLE accounts ("
	"  code TEXT PRIMARY KEY,"
	"  label TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('receivable', 'payable', 'income', 'expense',"
	"    'tax', 'bank')),"
	"  lettering INTEGER NOT NULL CHECK (lettering IN (0, 1))"
	");"
	"UPDATE customers SET account = upper(replace(account, ' ', ''))"
	"  WHERE account IS NOT NULL;"
	"INSERT INTO accounts (code, label, type, lettering)"
	"  SELECT account, min(name), 'receivable', 1 FROM customers"
	"  WHERE account IS NOT NULL GROUP BY account;",
	/* 6: each document's reading kept (its page model, reading/page.h,
	 * compressed), so that no PDF is read twice: the OCR stage starts
	 * from what the first stage read, customer from-draft from what
	 * intake read */
	"ALTER TABLE documents ADD COLUMN page_model BLOB;",
	/* 7: the order chain.  A line keeps what the customer's PO said
	 * (po_*: the confirmation shows every difference) and whether a
	 * clerk set its price (else the catalogue's, net of the discount,
	 * at validation); lines a clerk removed are kept for the same
	 * reason.  Deliveries, invoices and their journal entries; the
	 * documents we filed, with the values they were made from, so that
	 * a copy prints the same text.  A posted invoice, its lines and its
	 * entries never change: the database refuses it, not only the
	 * commands. */
	"ALTER TABLE order_lines ADD COLUMN po_qty_milli INTEGER;"
	"ALTER TABLE order_lines ADD COLUMN po_unit_price_cents INTEGER;"
	"ALTER TABLE order_lines ADD COLUMN po_lineno INTEGER;"
	"ALTER TABLE order_lines ADD COLUMN price_by_clerk INTEGER NOT NULL DEFAULT 0;"
	"UPDATE order_lines SET po_qty_milli = qty_milli, po_unit_price_cents = unit_price_cents,"
	"  po_lineno = lineno;"
	"ALTER TABLE orders ADD COLUMN comment TEXT;"
	"CREATE TABLE order_removed_lines ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  po_lineno INTEGER, customer_ref TEXT, description TEXT,"
	"  po_qty_milli INTEGER, po_unit_price_cents INTEGER,"
	"  product_ref TEXT"
	");"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  date TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX deliveries_order ON deliveries(order_id);"
	"CREATE TABLE delivery_lines ("
	"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),"
	"  lineno INTEGER NOT NULL,"
	"  product_id INTEGER REFERENCES products(id),"
	"  qty_milli INTEGER NOT NULL CHECK (qty_milli > 0),"
	"  PRIMARY KEY (delivery_id, lineno)"
	");"
	"CREATE TRIGGER products_stock_not_negative BEFORE UPDATE OF stock ON products"
	"  WHEN NEW.stock < 0 BEGIN SELECT RAISE(ABORT, 'stock négatif'); END;"
	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT UNIQUE,"
	"  state TEXT NOT NULL CHECK (state IN ('draft', 'posted', 'partially_paid', 'paid')),"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),"
	"  account TEXT,"
	"  date TEXT NOT NULL,"
	"  due_date TEXT NOT NULL,"
	"  payment_terms TEXT NOT NULL,"
	"  total_ht_cents INTEGER NOT NULL,"
	"  total_vat_cents INTEGER NOT NULL,"
	"  total_ttc_cents INTEGER NOT NULL,"
	"  paid_cents INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  posted_at TEXT,"
	"  who TEXT NOT NULL,"
	"  CHECK ((state = 'draft') = (number IS NULL))"
	");"
	"CREATE INDEX invoices_order ON invoices(order_id);"
	"CREATE UNIQUE INDEX invoices_one_draft ON invoices(order_id) WHERE state = 'draft';"
	"CREATE TABLE invoice_lines ("
	"  invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	"  lineno INTEGER NOT NULL,"
	"  order_lineno INTEGER NOT NULL,"
	"  product_ref TEXT, description TEXT,"
	"  unit TEXT,"
	"  qty_milli INTEGER NOT NULL,"
	"  unit_price_cents INTEGER NOT NULL,"
	"  vat_rate_bp INTEGER NOT NULL,"
	"  line_total_cents INTEGER NOT NULL,"
	"  PRIMARY KEY (invoice_id, lineno)"
	");"
	"CREATE TABLE invoice_vat ("
	"  invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	"  rate_bp INTEGER NOT NULL,"
	"  base_cents INTEGER NOT NULL,"
	"  vat_cents INTEGER NOT NULL,"
	"  PRIMARY KEY (invoice_id, rate_bp)"
	");"
	"CREATE TABLE invoice_deliveries ("
	"  invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	"  delivery_id INTEGER NOT NULL UNIQUE REFERENCES deliveries(id),"
	"  PRIMARY KEY (invoice_id, delivery_id)"
	");"
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY,"
	"  journal TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  piece TEXT NOT NULL,"
	"  account TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  debit_cents INTEGER NOT NULL CHECK (debit_cents >= 0),"
	"  credit_cents INTEGER NOT NULL CHECK (credit_cents >= 0),"
	"  lettering TEXT,"
	"  invoice_id INTEGER REFERENCES invoices(id)"
	");"
	"CREATE INDEX entries_date ON entries(date, id);"
	"CREATE TABLE filed_documents ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  file TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  doc_values BLOB NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE (type, number)"
	");"
	/* what is posted stays as posted */
	"CREATE TRIGGER invoices_posted_unchanged BEFORE UPDATE ON invoices"
	"  WHEN OLD.state != 'draft' AND (NEW.number IS NOT OLD.number OR NEW.date != OLD.date"
	"    OR NEW.due_date != OLD.due_date OR NEW.customer_id != OLD.customer_id"
	"    OR NEW.order_id != OLD.order_id OR NEW.account IS NOT OLD.account"
	"    OR NEW.payment_terms != OLD.payment_terms"
	"    OR NEW.total_ht_cents != OLD.total_ht_cents OR NEW.total_vat_cents != OLD.total_vat_cents"
	"    OR NEW.total_ttc_cents != OLD.total_ttc_cents OR NEW.posted_at IS NOT OLD.posted_at"
	"    OR NEW.state = 'draft')"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : elle ne change plus (un avoir la corrige)'); END;"
	"CREATE TRIGGER invoices_posted_kept BEFORE DELETE ON invoices WHEN OLD.state != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : elle ne se supprime pas'); END;"
	"CREATE TRIGGER invoice_lines_posted_insert BEFORE INSERT ON invoice_lines"
	"  WHEN (SELECT state FROM invoices WHERE id = NEW.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses lignes ne changent plus'); END;"
	"CREATE TRIGGER invoice_lines_posted_update BEFORE UPDATE ON invoice_lines"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses lignes ne changent plus'); END;"
	"CREATE TRIGGER invoice_lines_posted_delete BEFORE DELETE ON invoice_lines"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses lignes ne changent plus'); END;"
	"CREATE TRIGGER invoice_vat_posted_insert BEFORE INSERT ON invoice_vat"
	"  WHEN (SELECT state FROM invoices WHERE id = NEW.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : sa TVA ne change plus'); END;"
	"CREATE TRIGGER invoice_vat_posted_update BEFORE UPDATE ON invoice_vat"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : sa TVA ne change plus'); END;"
	"CREATE TRIGGER invoice_vat_posted_delete BEFORE DELETE ON invoice_vat"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : sa TVA ne change plus'); END;"
	"CREATE TRIGGER invoice_deliveries_posted_delete BEFORE DELETE ON invoice_deliveries"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses livraisons ne changent plus'); END;"
	"CREATE TRIGGER entries_unchanged BEFORE UPDATE ON entries"
	"  WHEN NEW.journal != OLD.journal OR NEW.date != OLD.date OR NEW.piece != OLD.piece"
	"    OR NEW.account != OLD.account OR NEW.label != OLD.label"
	"    OR NEW.debit_cents != OLD.debit_cents OR NEW.credit_cents != OLD.credit_cents"
	"    OR NEW.invoice_id IS NOT OLD.invoice_id"
	"  BEGIN SELECT RAISE(ABORT, 'écriture comptable : elle ne change plus (seul son lettrage)'); END;"
	"CREATE TRIGGER entries_kept BEFORE DELETE ON entries"
	"  BEGIN SELECT RAISE(ABORT, 'écriture comptable : elle ne se supprime pas'); END;",
	/* 8: what schema 7 left open: a posted invoice's deliveries cannot be
	 * added to either, and a filed document's record (the values a copy
	 * is printed from) never changes */
	"CREATE TRIGGER invoice_deliveries_posted_insert BEFORE INSERT ON invoice_deliveries"
	"  WHEN (SELECT state FROM invoices WHERE id = NEW.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses livraisons ne changent plus'); END;"
	"CREATE TRIGGER invoice_deliveries_posted_update BEFORE UPDATE ON invoice_deliveries"
	"  WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) != 'draft'"
	"  BEGIN SELECT RAISE(ABORT, 'facture validée : ses livraisons ne changent plus'); END;"
	"CREATE TRIGGER filed_documents_unchanged BEFORE UPDATE ON filed_documents"
	"  BEGIN SELECT RAISE(ABORT, 'document classé : il ne change plus'); END;"
	"CREATE TRIGGER filed_documents_kept BEFORE DELETE ON filed_documents"
	"  BEGIN SELECT RAISE(ABORT, 'document classé : il ne se supprime pas'); END;",
	/* 9: the outbox: each mail we send, whole (its final Message-ID in
	 * it), written in the transaction of the change it reports, before
	 * any SMTP exchange */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'dead', 'bounced')),"
	"  kind TEXT NOT NULL CHECK (kind IN ('acknowledgment', 'quarantine_notice',"
	"    'confirmation', 'rejection', 'delivery', 'invoice', 'reminder', 'credit_note')),"
	"  order_id INTEGER REFERENCES orders(id),"
	"  message_ref INTEGER REFERENCES messages(id),"
	"  recipients TEXT NOT NULL,"
	"  bcc TEXT,"
	"  envelope_from TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  attachments TEXT,"
	"  raw BLOB NOT NULL,"
	"  queued_at TEXT NOT NULL,"
	"  sent_at TEXT,"
	"  tries INTEGER NOT NULL DEFAULT 0,"
	"  next_try_at TEXT,"
	"  last_error TEXT"
	");"
	"CREATE INDEX outbox_waiting ON outbox(id) WHERE state IN ('queued', 'failed');",
	/* 10: the automatic answers: at most one for a message received (the
	 * index refuses a second), counted by recipient over the last hour;
	 * a customer may refuse them; a bounce is kept with the mail it is
	 * about */
	"CREATE UNIQUE INDEX outbox_one_answer ON outbox(message_ref)"
	"  WHERE kind IN ('acknowledgment', 'quarantine_notice');"
	"CREATE INDEX outbox_answers_to ON outbox(recipients, queued_at)"
	"  WHERE kind IN ('acknowledgment', 'quarantine_notice');"
	"CREATE INDEX outbox_message_id ON outbox(message_id);"
	"ALTER TABLE outbox ADD COLUMN bounced_by INTEGER REFERENCES messages(id);"
	"ALTER TABLE customers ADD COLUMN acknowledge TEXT;",
	/* 11: the automatic answers of the last hour, all recipients together
	 * (a ceiling against answering a flood of forged senders) */
	"CREATE INDEX outbox_answers_at ON outbox(queued_at)"
	"  WHERE kind IN ('acknowledgment', 'quarantine_notice');"
	/* where the sender wants answers: mail about the order goes there */
	"ALTER TABLE messages ADD COLUMN reply_to TEXT;",
	/* 12: how sure intake was of what it read (issue "Intake IV"): of
	 * each line and each field, and why; the doubts of OCR are now one
	 * kind of them */
	"ALTER TABLE order_lines ADD COLUMN confidence INTEGER;"
	"ALTER TABLE order_lines ADD COLUMN doubt TEXT;"
	"CREATE TABLE order_confidence ("
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  field TEXT NOT NULL,"
	"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"
	"  why TEXT,"
	"  PRIMARY KEY (order_id, field)"
	");"
	"UPDATE order_checks SET code = 'low_confidence' WHERE code = 'ocr_low_confidence';",
	/* 13: the layout of a sender's POs, learned from a clerk's
	 * corrections: where its quantities and prices stand (the centres of
	 * their columns, in points) and its decimal mark */
	"CREATE TABLE learned_layouts ("
	"  email TEXT PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  decimal_mark TEXT CHECK (decimal_mark IN (',', '.')),"
	"  qty_x REAL NOT NULL,"
	"  price_x REAL NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  learned_at TEXT NOT NULL,"
	"  order_number TEXT"
	");"
};

int db_schema_version(void)
{
	return (int)G_N_ELEMENTS(migrations);
}

int db_fail(db *d, const char *what, GError **error)
{
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "base de données %s : %s : %s", d->path, what,
		    sqlite3_errmsg(d->h));
	return -1;
}

int db_exec(db *d, const char *sql, GError **error)
{
	char *msg = NULL;

	if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "base de données %s : %s", d->path,
			    msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *db_stmt(db *d, const char *sql, GError **error)
{
	sqlite3_stmt *st = g_hash_table_lookup(d->stmts, sql);

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(d, "préparation d'une requête", error);
		return NULL;
	}
	g_hash_table_insert(d->stmts, (gpointer)sql, st);
	return st;
}

int db_exec_stmt(db *d, sqlite3_stmt *st, const char *what, GError **error)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(d, what, error);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

void db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

char *db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? g_strdup((const char *)t) : NULL;
}

char *db_now_iso(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

static void finalize_stmt(gpointer p)
{
	sqlite3_finalize(p);
}

/* The poll's two threads write to the database through their own
 * handles.  SQLite's busy handler makes a writer that finds the database
 * locked sleep and try again (1 ms, 2 ms, 5 ms...), which cost the fetch a
 * third of its time; a writer token within the process makes it wait only
 * as long as the other transaction lasts.  Other processes (a clerk's
 * command) still meet the busy handler.  A token held too long (a bug) is
 * not waited for forever: SQLite's own lock then decides. */
#define DB_WRITE_WAIT_US (10 * G_USEC_PER_SEC)

/* First come, first served: the intake thread, which begins its next
 * transaction as soon as it commits one, would otherwise take the token
 * back before the woken fetch thread runs, and hold up the fetch for as
 * long as it has messages to read. */
static GMutex write_mutex;
static GCond write_cond;
static const db *write_owner;
static GQueue write_waiters = G_QUEUE_INIT;

/* TRUE when this call made d the owner (FALSE: it was already, or the
 * wait ran out). */
static gboolean write_token_take(const db *d)
{
	gboolean took = FALSE;

	gint64 until = g_get_monotonic_time() + DB_WRITE_WAIT_US;

	g_mutex_lock(&write_mutex);
	if (write_owner == NULL && g_queue_is_empty(&write_waiters)) {
		write_owner = d;
		took = TRUE;
	} else if (write_owner != d) {
		g_queue_push_tail(&write_waiters, (gpointer)d);
		while (write_owner != d) {
			if (!g_cond_wait_until(&write_cond, &write_mutex, until)) {
				if (write_owner != d)
					g_queue_remove(&write_waiters, d);
				break;
			}
		}
		took = write_owner == d;
	}
	g_mutex_unlock(&write_mutex);
	return took;
}

static void write_token_give(const db *d)
{
	g_mutex_lock(&write_mutex);
	if (write_owner == d) {
		write_owner = g_queue_pop_head(&write_waiters);
		g_cond_broadcast(&write_cond);
	}
	g_mutex_unlock(&write_mutex);
}

/* The database is a regular file, readable by its owner only: it holds
 * every customer's details and mail.  Made here before SQLite opens it,
 * since SQLite creates files with the umask's mode (0644) and gives its
 * -wal and -shm files the mode of the database (through a symbolic link
 * too: its target is made 0600).  Anything else at the path (/dev/null, a
 * folder, a FIFO) is refused: SQLite would write its journal beside it.
 * An older database others can read is said so when init opens it.
 * Order is important: an existing database is only looked at (stat),
 * never opened here: closing a descriptor of it would drop the POSIX
 * locks of this process's SQLite connections to it (poll has several),
 * and another process would then see the database unused. */
static int database_file_ready(const char *path, gboolean create, GError **error)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "base de données %s : ce n'est pas un fichier ([storage] database)", path);
			return -1;
		}
		if (create && (st.st_mode & 0077) != 0)
			log_warn("la base de données %s est lisible par d'autres utilisateurs (mode "
				 "%04o) : chmod 600 %s",
				 path, (unsigned)(st.st_mode & 07777), path);
		return 0;
	}
	if (errno != ENOENT || !create) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible d'ouvrir la base de données %s : %s", path,
			    mo_strerror(errno));
		return -1;
	}
	/* not there (or a link to nothing): no connection of ours holds it */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de créer la base de données %s : %s", path,
			    mo_strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

db *db_open(const char *path, gboolean create, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	db *d;

	if (!create && !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, MO_ERROR, MO_ERROR_NEEDS_INIT,
			    "la base de données %s n'existe pas encore", path);
		return NULL;
	}
	if (create && fsutil_mkdir_p(dir, error) < 0)
		return NULL;
	if (database_file_ready(path, create, error) < 0)
		return NULL;
	d = g_new0(db, 1);
	d->path = g_strdup(path);
	d->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, finalize_stmt);
	if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), NULL) !=
	    SQLITE_OK) {
		db_fail(d, "ouverture", error);
		db_close(&d);
		return NULL;
	}
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_timeout(d->h, 10000);
	if (db_exec(d, "PRAGMA journal_mode = WAL;"
		       "PRAGMA synchronous = FULL;"
		       "PRAGMA foreign_keys = ON;", error) < 0) {
		db_close(&d);
		return NULL;
	}
	return d;
}

void db_close(db **dp)
{
	db *d = *dp;

	if (d == NULL)
		return;
	*dp = NULL;
	write_token_give(d);
	g_hash_table_destroy(d->stmts);
	if (d->h != NULL)
		sqlite3_close(d->h);
	g_free(d->path);
	g_free(d);
}

static int user_version(db *d, int *v_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "PRAGMA user_version", error);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(d, "lecture de la version du schéma", error);
		sqlite3_reset(st);
		return -1;
	}
	*v_r = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

int db_data_version(db *d, int64_t *version_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "PRAGMA data_version", error);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(d, "lecture de data_version", error);
		sqlite3_reset(st);
		return -1;
	}
	*version_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int db_migrate(db *d, int *from_r, GError **error)
{
	int v;

	if (db_begin(d, error) < 0)
		return -1;
	if (user_version(d, &v, error) < 0)
		goto fail;
	if (from_r)
		*from_r = v;
	if (v > db_schema_version()) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "base de données %s : son schéma (version %d) est plus récent que celui de ce "
			    "programme (%d) : une version plus récente de mailorder l'a écrite",
			    d->path, v, db_schema_version());
		goto fail;
	}
	/* All steps in one transaction: a crash leaves the old version whole. */
	for (; v < db_schema_version(); v++) {
		g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", v + 1);

		if (db_exec(d, migrations[v], error) < 0 || db_exec(d, bump, error) < 0)
			goto fail;
	}
	return db_commit(d, error);
fail:
	db_rollback(d);
	return -1;
}

int db_check_schema(db *d, GError **error)
{
	int v;

	if (user_version(d, &v, error) < 0)
		return -1;
	if (v == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_NEEDS_INIT,
			    "la base de données %s n'est pas encore créée", d->path);
		return -1;
	}
	if (v != db_schema_version()) {
		g_set_error(error, MO_ERROR, MO_ERROR_NEEDS_INIT,
			    "la base de données %s est au schéma version %d, ce programme veut la "
			    "%d : elle est à mettre à jour", d->path, v, db_schema_version());
		return -1;
	}
	return 0;
}

int db_begin(db *d, GError **error)
{
	/* a BEGIN inside a transaction fails: the token stays its */
	gboolean took = write_token_take(d);

	if (db_exec(d, "BEGIN IMMEDIATE", error) < 0) {
		if (took)
			write_token_give(d);
		return -1;
	}
	return 0;
}

int db_commit(db *d, GError **error)
{
	if (db_exec(d, "COMMIT", error) < 0) {
		db_rollback(d);
		return -1;
	}
	write_token_give(d);
	return 0;
}

void db_rollback(db *d)
{
	if (!sqlite3_get_autocommit(d->h))
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
	/* a ROLLBACK that failed leaves the transaction open: keep the token */
	if (sqlite3_get_autocommit(d->h))
		write_token_give(d);
}

int db_next_number(db *d, const char *sequence, int64_t *value_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO sequences (name, value) VALUES (?1, 1)"
		" ON CONFLICT (name) DO UPDATE SET value = value + 1"
		" RETURNING value", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, sequence);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(d, "numéro suivant", error);
		sqlite3_reset(st);
		return -1;
	}
	*value_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int db_unknown_word(const char *what, const char *word, GError **error)
{
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
		    "la base de données contient %s « %s », que cette version de mailorder ne "
		    "connaît pas (une version plus récente l'a écrit)",
		    what, word ? word : "(null)");
	return -1;
}
