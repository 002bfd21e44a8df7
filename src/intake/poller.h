/* poller.h: the mailbox side of intake: new messages in, archived,
 * recorded, flagged, then handed to intake.h.
 *
 * Ingest order, for each batch of messages (a group commit):
 *   1. fetch with BODY.PEEK[], each message streamed into a staging file;
 *   2. rename each into the archive under its name, one sync for all;
 *   3. one transaction records the messages and advances the last UID;
 *   4. only then are they flagged on the server (pending flags are kept in
 *      the database and redone at the next start when a crash came first);
 *   5. intake.h processes them (one more transaction).
 * The mailbox's UIDVALIDITY is tracked; when it changes, the whole mailbox
 * is scanned again and messages already taken in are recognised by the
 * SHA-256 of their raw bytes, never taken twice.
 */
#ifndef MO_POLLER_H
#define MO_POLLER_H

#include "lib/config.h"

#include <glib.h>
#include <signal.h>

#define POLLER_BATCH_MESSAGES 64
#define POLLER_BATCH_BYTES    (8 * 1024 * 1024)
#define POLLER_BACKOFF_MAX_S  300
#define POLLER_IDLE_MAX_S     (25 * 60)

typedef struct {
	int fetched;        /* new messages archived */
	int known;          /* seen again (same bytes), not taken twice */
	int drafts;
	int quarantined;
	gint64 fetch_us;    /* time in passes: fetch, archive, sync, record, flag */
	gint64 intake_us;   /* busy time of the intake thread (overlaps fetching) */
	int documents;      /* PDFs read */
	int readings_kept;  /* of them, the OCR stage's from the first stage's reading */
	gint64 reading_us;  /* and the time spent reading them */
} poller_stats;

/* Runs one pass (once) or loops until *stop is set: IMAP IDLE where the
 * server has it, else a pass every poll_interval; reconnects with
 * exponential back-off after a failure.  wake_fd, when readable, ends a
 * wait early (the signal handler writes to it).  The caller holds the poll
 * lock.  A pass stops between two messages once *stop is set: what is in
 * hand is finished and committed.  Returns -1 when a --once pass failed or
 * on a local failure (database, disk) that retrying cannot cure. */
int poller_run(const config *cfg, gboolean once, volatile sig_atomic_t *stop, int wake_fd,
	       poller_stats *stats, GError **error);

#endif
