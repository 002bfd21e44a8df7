/* db.h: the database (SQLite), the only module that sees SQL: the
 * connection, its transactions and its schema.  The queries are in one
 * header by subject: db_catalog.h (customers, products, what clerks
 * taught), db_intake.h (mailboxes, messages, documents, quarantine),
 * db_order.h (orders).
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

/* A number that changes each time another connection (of this process or
 * another) commits a change to the database; this connection's own
 * commits leave it as it is (PRAGMA data_version).  Cheap: made for a
 * watch every fraction of a second. */
int db_data_version(db *d, int64_t *version_r, GError **error);

/* BEGIN IMMEDIATE: takes the write lock now, so that two writers wait
 * for each other instead of failing halfway. */
int db_begin(db *d, GError **error);
int db_commit(db *d, GError **error);
void db_rollback(db *d);

/* Next value of a named sequence (SO, M, ...), inside the caller's
 * transaction: gapless, never reused once committed. */
int db_next_number(db *d, const char *sequence, int64_t *value_r, GError **error);

#endif
