/* daemon.h: mailorder run, the service: the mailbox polled (poller.h) and
 * the outbox sent (mail/outbox.h) by one process, until it is told to stop.
 *
 * Three threads.  This one waits for signals.  The poller's runs
 * poller_run (IMAP IDLE; it has its own intake thread, which queues the
 * acknowledgments).  The sender's, with its own database connection,
 * sends as soon as something is due: every DAEMON_WATCH_MS it reads the
 * database's data_version, which changes when another connection commits
 * (the intake queuing a mail, a clerk's validate in another process), and
 * at least every DAEMON_RETRY_CHECK_S it looks for failed mails whose next
 * try has come.  A round that could not reach the server holds the next
 * one back, 1 s then doubling up to DAEMON_SEND_BACKOFF_MAX_S: a server
 * down is not hammered.
 *
 * SIGTERM, SIGINT: each thread finishes the message or mail in hand, then
 * the call returns 0.  SIGHUP: the config file is read again; a bad one
 * (or one whose [storage] changed: that needs a restart) is logged, line
 * by line, and the running one kept; a good one replaces it: the poller
 * is stopped and started again with it (it reconnects), the sender takes
 * it at its next round.  systemd is told (sdnotify.h): READY=1 once both
 * threads run, RELOADING=1 then READY=1 around a reload, STOPPING=1.
 * The three signals stay blocked after the call: the process is to end.
 *
 * The caller holds the poll lock, and has checked that cfg has what
 * polling and sending need (config_require_imap, config_require_smtp).
 */
#ifndef MO_DAEMON_H
#define MO_DAEMON_H

#include "intake/poller.h"
#include "lib/config.h"

#include <glib.h>

#define DAEMON_WATCH_MS           200
#define DAEMON_RETRY_CHECK_S      5
#define DAEMON_SEND_BACKOFF_MAX_S 60

/* What a run did, summed over its reloads. */
typedef struct {
	poller_stats poll;
	guint sent, failed, dead;
	guint reloads;      /* configurations taken on SIGHUP */
	guint refused;      /* and refused */
} daemon_stats;

/* Runs until SIGTERM or SIGINT (0), or until a local failure the poller
 * or the sender cannot go on after (-1: disk, database).  *cfg is taken
 * (and set to NULL); config_path is where SIGHUP reads the config again. */
int daemon_run(const char *config_path, config **cfg, daemon_stats *stats, GError **error);

#endif
