/* imap.h: the IMAP client (libetpan), reduced to what the poller needs.
 *
 * TLS (implicit or STARTTLS) is verified here, since libetpan does not:
 * the server's chain must lead to a system CA or to [imap] ca_file, and
 * name the host we asked for (tls.h).  "none" is refused unless the host
 * is loopback (checked by config.h as well).  Messages are fetched with
 * BODY.PEEK[] (nothing is marked \Seen by fetching) and streamed to the
 * caller chunk by chunk, so that a large message never sits whole in memory.
 *
 * Errors: MO_ERROR_TEMPORARY for the network and the server (try again
 * later), MO_ERROR_FAILED for what will not pass by itself (certificate,
 * login refused), each with "imap HOST:PORT: what".
 */
#ifndef MO_IMAP_H
#define MO_IMAP_H

#include "lib/config.h"

#include <glib.h>
#include <stdint.h>

#define IMAP_TIMEOUT_S 60      /* per network read or write */

typedef struct imap_session imap_session;

typedef struct {
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint32_t exists;
	gboolean keywords;     /* PERMANENTFLAGS has \* : we may set our own keyword */
} imap_mailbox_status;

typedef struct {
	uint32_t uid;
	uint32_t size;         /* RFC822.SIZE */
} imap_uid_size;

/* Receives fetched messages, in the order the server sends them:
 * begin, data (any number of chunks), end (with the message's UID and
 * INTERNALDATE, in UTC, NULL if the server gave none).  Any callback
 * returning -1 (error set) aborts the fetch. */
typedef struct {
	int (*begin)(void *ctx, GError **error);
	int (*data)(const char *bytes, size_t len, void *ctx, GError **error);
	int (*end)(uint32_t uid, GDateTime *internal_date, void *ctx, GError **error);
} imap_fetch_handler;

/* Connects, verifies TLS, logs in. */
imap_session *imap_connect(const config_server *srv, GError **error);
/* Logs out (best effort) and frees; accepts NULL. */
void imap_close(imap_session **s);

/* A mailbox name as IMAP spells it on the wire: "Commandes reçues" is
 * "Commandes re&AOc-ues" (modified UTF-7, RFC 3501 5.1.3).  Owned. */
char *imap_mailbox_name(const char *utf8);

/* mailbox is UTF-8, as in the config. */
int imap_select(imap_session *s, const char *mailbox, imap_mailbox_status *st, GError **error);

/* UIDs above after_uid with their sizes, ascending (array of imap_uid_size). */
GArray *imap_list_after(imap_session *s, uint32_t after_uid, GError **error);

/* Fetches the given UIDs (ascending). */
int imap_fetch(imap_session *s, const uint32_t *uids, size_t n, const imap_fetch_handler *h,
	       void *ctx, GError **error);

/* Marks messages as taken in: our keyword when the mailbox allows keywords,
 * else \Seen.  Silent (no FETCH responses asked for). */
int imap_mark_taken(imap_session *s, const uint32_t *uids, size_t n, GError **error);

gboolean imap_has_idle(imap_session *s);
/* Waits in IDLE until the server reports a change (returns 1), timeout_s
 * passes (0), or wake_fd becomes readable (2).  Leaves IDLE before
 * returning. */
int imap_idle_wait(imap_session *s, int timeout_s, int wake_fd, GError **error);

/* The keyword set by imap_mark_taken. */
#define IMAP_TAKEN_KEYWORD "$MailorderTaken"

#endif
