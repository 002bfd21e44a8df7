/* db_outbox.h: the outbox, the mails we send (db.h: the connection,
 * transactions, errors and ownership rules).
 */
#ifndef MO_DB_OUTBOX_H
#define MO_DB_OUTBOX_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>
#include <stdint.h>

/* Queues m (its raw message, recipients, kind, subject, Message-ID,
 * attachments' names set; state queued) about order_id (0: none) and
 * received message message_ref (0: none), in the caller's transaction.
 * Sets m->id. */
int db_outbox_queue(db *d, outbox_mail *m, int64_t order_id, int64_t message_ref,
		    GError **error);
/* The mails, oldest first; state_filter NULL for all.  Without their raw
 * message.  outbox_mail*, owned. */
GPtrArray *db_outbox_list(db *d, const char *state_filter, GError **error);

/* The mails to send now (queued, or failed with their next try due by
 * now_iso), oldest first, with their raw message, tries and queued_at;
 * at most limit. */
GPtrArray *db_outbox_due(db *d, const char *now_iso, guint limit, GError **error);
/* What became of mail id: its state, one more try, the server's words
 * (NULL: none), the next try (NULL: none), sent_at set when sent. */
int db_outbox_mark(db *d, int64_t id, outbox_state state, const char *last_error,
		   const char *next_try_at, GError **error);

/* The automatic answers (acknowledgments, quarantine notices) queued to
 * address (NULL: to anyone) since since_iso: *count_r. */
int db_outbox_answers_to(db *d, const char *address, const char *since_iso, int *count_r,
			 GError **error);
/* The first of ids (Message-IDs without angle brackets, NULL-ended) that
 * is one of our mails: 1 with *id_r and its recipients *to_r (owned,
 * NULL-ended); 0 when none is. */
int db_outbox_find_by_message_id(db *d, char *const *ids, int64_t *id_r, char ***to_r,
				 GError **error);
/* Mail id came back (a delivery status notification, an automatic
 * reply): state bounced, with the message received (message_ref) and
 * reason; not tried again. */
int db_outbox_bounce(db *d, int64_t id, int64_t message_ref, const char *reason, GError **error);

#endif
