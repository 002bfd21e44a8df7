/* outbox.h: sending the outbox.  The mails due (queued, or failed and due
 * again) go through one SMTP session; each one's outcome is recorded as
 * soon as the server answered: sent after its 250 (a crash between the
 * 250 and that record sends it again, with the same Message-ID: the only
 * duplicate possible), failed and tried again with a growing delay after
 * a temporary failure, dead after a permanent one (5xx, the server's
 * words kept).  A temporary failure is given up on by age, as mail
 * servers do (Postfix's maximal_queue_lifetime), not by a count of tries:
 * a mail still not sent OUTBOX_GIVE_UP_HOURS after it was queued is dead
 * at its next failure, so that a relay down for a night, unattended,
 * loses nothing.  A mail larger than the server's SIZE, or than
 * OUTBOX_MAX_BYTES, is dead without being sent.
 *
 * One sender at a time per database, whatever the processes (mailorder
 * send, the sender of mailorder run): a round holds the lock file
 * DATABASE.send-lock from reading what is due to the last record, so that
 * two senders never both take the same mail.  A sender killed mid-round
 * lets the lock go with its life.
 */
#ifndef MO_OUTBOX_H
#define MO_OUTBOX_H

#include "lib/config.h"
#include "store/db.h"

#include <glib.h>
#include <signal.h>

/* A mail that fails for a temporary reason is tried again 1, 2, 4…
 * minutes later, at most OUTBOX_MAX_DELAY_MIN between two tries, until
 * it is OUTBOX_GIVE_UP_HOURS old: its last try falls at that age, and a
 * failure then is its end. */
#define OUTBOX_MAX_DELAY_MIN 360
#define OUTBOX_GIVE_UP_HOURS 48
/* The largest mail we send, whatever the server says: 35 MB, what the
 * large mail services take (25 MB of attachments once in base64).  A
 * larger one is dead before any exchange. */
#define OUTBOX_MAX_BYTES (35 * 1000 * 1000)

/* What one round did. */
typedef struct {
	guint sent, failed, dead;
	gboolean busy;      /* another sender held the lock: nothing done */
} outbox_round;

/* Sends what is due now, batch after batch through one session, until
 * nothing is due or the connection is lost.  0 with *round_r; -1 when the
 * server could not be reached at all (the mails of the first batch fail,
 * a try counted for each, those too old dead).  Once *stop is set (stop
 * may be NULL), the round ends after the mail in hand, its outcome
 * recorded; the rest wait for the next round. */
int outbox_send_due(db *d, config *cfg, const volatile sig_atomic_t *stop, outbox_round *round_r,
		    GError **error);

#endif
