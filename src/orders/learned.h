/* learned.h: what clerks taught by correcting drafts (correction.h), and
 * a teaching forgotten when it was wrong: a sender tied to the wrong
 * customer, a line's words tied to the wrong product.  The CLI's `learned`
 * and the web queue call the same function.
 */
#ifndef MO_LEARNED_H
#define MO_LEARNED_H

#include "store/db.h"

#include <glib.h>

/* Forgets the teaching id (as db_learned_list gives it: "E12", "P7") in a
 * transaction of its own.  0 with *said_r (owned, French): what it was;
 * -1 with the reason when there is no such teaching. */
int learned_forget(db *d, const char *id, char **said_r, GError **error);

/* "l'adresse x@y", "« Farine blanche sac »" (its key without its kind):
 * what a teaching recognises, for the clerk (owned). */
char *learned_key_fr(const char *key);

#endif
