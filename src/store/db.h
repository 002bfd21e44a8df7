/* db.h: the database (SQLite), the only module that sees SQL.
 *
 * WAL mode, foreign keys on, synchronous=FULL (a commit may be followed by
 * an effect outside: flagging a message on the IMAP server), a busy timeout
 * so that the poller and a clerk's command can share the file.  The schema
 * is versioned with PRAGMA user_version; db_migrate() brings any older file
 * to the current version, one transaction per step.
 *
 * Every multi-step change runs between db_begin() and db_commit(): the
 * callers own the transaction boundaries, the functions below never commit.
 * Errors are MO_ERROR_FAILED "database DB: what: sqlite message".
 * Records returned are owned by the caller (model.h _free functions).
 */
#ifndef MO_DB_H
#define MO_DB_H

#include "store/model.h"

#include <glib.h>
#include <stdint.h>

typedef struct db db;

/* Opens; with create, makes the file and its folder if needed, else a
 * missing file is MO_ERROR_INVALID ("run 'mailorder init'").  Does not
 * migrate. */
db *db_open(const char *path, gboolean create, GError **error);
void db_close(db **d);

/* The schema version this program writes. */
int db_schema_version(void);
/* Creates or upgrades the schema; *from_r is the version found (0: new). */
int db_migrate(db *d, int *from_r, GError **error);
/* Refuses (MO_ERROR_INVALID) a database not at db_schema_version(): the
 * message says to run "mailorder init". */
int db_check_schema(db *d, GError **error);

/* BEGIN IMMEDIATE: takes the write lock now, so that two writers wait
 * for each other instead of failing halfway. */
int db_begin(db *d, GError **error);
int db_commit(db *d, GError **error);
void db_rollback(db *d);

/* Next value of a named sequence (SO, M, ...), inside the caller's
 * transaction: gapless, never reused once committed. */
int db_next_number(db *d, const char *sequence, int64_t *value_r, GError **error);

/* ---------------------------------------------------------------- catalogue */

/* Insert or update by ref; emails are replaced.  *created_r tells which;
 * c->id is set.
 * The BIC and tags (not in the CSV, so an import leaves them) are
 * written by db_customer_set_extras. */
int db_customer_upsert(db *d, customer *c, gboolean *created_r, GError **error);
/* NULL with no error when there is none.  An address a clerk tied to a
 * customer (db_learn_sender) counts, after the customer file's. */
customer *db_customer_by_email(db *d, const char *email, GError **error);
/* The same customer's name only (what a file name needs): 1 found, 0 none,
 * -1 error. */
int db_customer_name_by_email(db *d, const char *email, char **name_r, GError **error);
/* The same, by the customer file's addresses only. */
customer *db_customer_by_file_email(db *d, const char *email, GError **error);
customer *db_customer_by_id(db *d, int64_t id, GError **error);
int db_customer_set_extras(db *d, const customer *c, GError **error);
/* NULL with no error when there is none. */
customer *db_customer_by_ref(db *d, const char *ref, GError **error);
product *db_product_by_ref(db *d, const char *ref, GError **error);
/* What clerks taught by correcting drafts (db_customer_by_email then
 * knows the address): mail from email is customer_id's; for this
 * customer, a line with this key (match_line_keys) is product_ref. */
int db_learn_sender(db *d, const char *email, int64_t customer_id, const char *order_number,
		    GError **error);
int db_learn_product(db *d, int64_t customer_id, const char *line_key, const char *product_ref,
		     const char *order_number, GError **error);
/* The product's ref (owned), or NULL (with no error when none). */
char *db_learned_product(db *d, int64_t customer_id, const char *line_key, GError **error);
/* "CLI391" after CLI390: the number after the highest (owned). */
int db_customer_next_ref(db *d, char **ref_r, GError **error);
/* The chart of accounts: an account's type ("receivable"...) and whether
 * it allows lettering.  1 found, 0 none, -1 error. */
int db_account_get(db *d, const char *code, char **type_r, gboolean *lettering_r,
		   GError **error);
/* Accounts that more than one customer has: each a GStrv { account,
 * "CLI101, CLI102" } (owned). */
GPtrArray *db_customer_accounts_shared(db *d, GError **error);
/* 1 when no customer but exclude_id has this accounting account, and the
 * chart of accounts does not have it as another type. */
int db_customer_account_free(db *d, const char *account, int64_t exclude_id, GError **error);
/* One change of a customer's file, recorded. */
int db_customer_history_add(db *d, int64_t customer_id, const char *who, const char *field,
			    const char *old_value, const char *new_value, GError **error);
/* Its changes, oldest first: GStrv of { at, who, field, old, new } ("" for
 * none), owned. */
GPtrArray *db_customer_history(db *d, int64_t customer_id, GError **error);
/* A contact or address of a customer, by role: billing, delivery,
 * purchasing.  Strings NULL when absent. */
typedef struct {
	int64_t id;
	char *role, *name, *phone, *email, *address, *postcode, *city;
} customer_contact;
void customer_contact_free(customer_contact *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(customer_contact, customer_contact_free)
int db_contact_add(db *d, int64_t customer_id, const customer_contact *k, GError **error);
/* Its fields and role, k->id's (a contact of customer_id). */
int db_contact_update(db *d, int64_t customer_id, const customer_contact *k, GError **error);
int db_contact_remove(db *d, int64_t customer_id, int64_t contact_id, GError **error);
/* Its contacts (customer_contact*), in the order added. */
GPtrArray *db_contacts_of(db *d, int64_t customer_id, GError **error);
/* The whole customer file (customer*), by ref. */
GPtrArray *db_customers_all(db *d, GError **error);
int db_product_upsert(db *d, const product *p, gboolean *created_r, GError **error);
/* The whole catalogue (product*), by ref. */
GPtrArray *db_products_all(db *d, GError **error);

/* ---------------------------------------------------------------- intake */

/* The UIDVALIDITY and last UID taken in for a mailbox; 0, 0 when unknown. */
int db_mailbox_get(db *d, const char *mailbox, uint32_t *uidvalidity_r, uint32_t *last_uid_r,
		   GError **error);
int db_mailbox_set(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t last_uid,
		   GError **error);

/* 1 and *number_r (owned) when a message with these raw bytes was taken in,
 * 0 when not. */
int db_message_find_sha(db *d, const char *sha256, char **number_r, GError **error);
/* Inserts m (state, number, file... set by the caller); sets m->id. */
int db_message_insert(db *d, message_record *m, GError **error);
/* Messages in a state, oldest first, at most limit (0: all).  Array of
 * message_record*, owned. */
GPtrArray *db_messages_in_state(db *d, message_state state, int limit, GError **error);
/* The same, of those left to the OCR stage (ocr_pending 1) or not (0);
 * -1: either. */
GPtrArray *db_messages_to_read(db *d, message_state state, int ocr_pending, int limit,
			       GError **error);
/* The message hangs its reader (the watchdog says so): its readings
 * counted as at least attempts, so that the next one gives it up. */
int db_message_give_up(db *d, const char *number, int attempts, GError **error);
/* The message has scans: the OCR stage reads it (it stays "fetched"),
 * its readings counted anew. */
int db_message_defer_ocr(db *d, int64_t id, GError **error);
/* Counts one more reading begun for each message (message_record*), in
 * a transaction of its own: committed before the reading starts. */
int db_messages_count_attempt(db *d, GPtrArray *messages, GError **error);
int db_message_set_state(db *d, int64_t id, message_state state, GError **error);

/* Server-side flags still to set (written in the transaction that records
 * the message; cleared once the server said OK). */
int db_flag_pending_add(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t uid,
			GError **error);
/* Array of uint32_t, owned. */
GArray *db_flag_pending_list(db *d, const char *mailbox, uint32_t uidvalidity, GError **error);
int db_flag_pending_clear(db *d, const char *mailbox, uint32_t uidvalidity,
			  const uint32_t *uids, size_t n, GError **error);
/* Forgets pending flags of other UIDVALIDITYs (their UIDs mean nothing now). */
int db_flag_pending_drop_stale(db *d, const char *mailbox, uint32_t uidvalidity,
			       GError **error);

/* The archive's file names: 1 if rel is recorded, 0 if free. */
int db_file_taken(db *d, const char *rel, GError **error);
int db_file_add(db *d, const char *rel, const char *sha256, GError **error);

/* Records doc (sets doc->id); the document of the same message and part
 * recorded before (a scan's, left to the OCR stage: db_document_of) is
 * updated in place and keeps its id. */
int db_document_insert(db *d, document_record *doc, GError **error);
int db_document_set_state(db *d, int64_t id, document_state state, GError **error);
/* Forgets the documents of a message recorded before they were read
 * (state filed: a scan left to the OCR stage, and its message's other
 * documents), when the message ends without being read. */
int db_documents_forget_unread(db *d, int64_t message_db_id, GError **error);
/* 1 while the message is still to be read (state fetched), 0 once read. */
int db_message_still_fetched(db *d, int64_t id, GError **error);
/* The id of the document recorded for this message's part, 0 for none. */
int db_document_of(db *d, int64_t message_db_id, const char *part, int64_t *id_r,
		   GError **error);
/* 1 when a document with these bytes was taken in before: *first_r (owned)
 * names it for the clerk: its order number, else its message's number and
 * Message-ID; *message_r (owned, may be NULL) its message and the day it
 * came.  before_id: only documents recorded before that one count (the
 * one asking, when it is recorded already); 0: all. */
int db_document_find_sha(db *d, const char *sha256, int64_t before_id, char **first_r,
			 char **message_r, GError **error);

/* q's message_number is ignored; message_db_id says which message. */
int db_quarantine_insert(db *d, int64_t message_db_id, int64_t document_id,
			 const quarantine_entry *q, GError **error);
/* Every entry, oldest first.  Array of quarantine_entry*, owned. */
GPtrArray *db_quarantine_list(db *d, GError **error);

/* ---------------------------------------------------------------- orders */

/* Inserts o (number, state, lines, checks, totals set by the caller) with
 * its history's first step; sets o->id. */
int db_order_insert(db *d, order *o, int64_t customer_id, int64_t document_id,
		    const char *who, GError **error);
/* Orders in a state, by number.  Array of order*, owned. */
GPtrArray *db_orders_in_state(db *d, const char *state, GError **error);
/* 1 and *number_r (owned) when an order still alive (not rejected or
 * cancelled) carries this customer's PO number: the same customer
 * (customer_id), or for an unknown customer (0) the same sender; not
 * the order exclude_id (0: none). */
int db_order_find_po(db *d, int64_t customer_id, const char *sender,
		     const char *customer_order_ref, int64_t exclude_id, char **number_r,
		     GError **error);
/* A draft after a clerk's correction: its customer, totals, lines and
 * checks replaced; the history gets who and note. */
int db_order_update(db *d, const order *o, int64_t customer_id, const char *who,
		    const char *note, GError **error);
/* The document an order was made from, and its sender (the innermost
 * message's From; owned, may be NULL). */
int db_order_document(db *d, int64_t order_id, int64_t *document_id_r, char **sender_r,
		      GError **error);
/* A filed document renamed in the archive. */
int db_document_set_file(db *d, int64_t document_id, const char *old_rel, const char *new_rel,
			 GError **error);
/* NULL with no error when there is no such order. */
order *db_order_get(db *d, const char *number, GError **error);

#endif
