/* db_p.h: what the db*.c files share; not part of the interface. */
#ifndef MO_DB_P_H
#define MO_DB_P_H

#include "store/db.h"

#include <sqlite3.h>

struct db {
	sqlite3 *h;
	char *path;
	GHashTable *stmts;   /* SQL text (static string) -> prepared statement */
};

/* A cached prepared statement for sql (a string literal: its address is the
 * key), reset and with its bindings cleared. */
sqlite3_stmt *db_stmt(db *d, const char *sql, GError **error);
/* Sets *error from the connection's last error. */
int db_fail(db *d, const char *what, GError **error);
/* Steps a statement that returns no row; resets it. */
int db_exec_stmt(db *d, sqlite3_stmt *st, const char *what, GError **error);
/* Runs SQL text without parameters (schema, pragmas). */
int db_exec(db *d, const char *sql, GError **error);

/* Binds a string or NULL. */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* A column as an owned string, NULL for SQL NULL. */
char *db_col_text(sqlite3_stmt *st, int col);

/* -1 with the error for a word of ours (a state, a code) that the
 * database holds and this program does not know: a newer one wrote it. */
int db_unknown_word(const char *what, const char *word, GError **error);

/* Now, as an ISO 8601 UTC instant (owned). */
char *db_now_iso(void);

#endif
