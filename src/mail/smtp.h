/* smtp.h: a session with the SMTP server mails leave by (libetpan).
 *
 * TLS as [smtp] tls says: smtps from the first byte, or STARTTLS, the
 * server's certificate verified as IMAP's is (tls.h: the system's CAs or
 * ca_file, and the host name) before anything else is said; none only to
 * loopback (config.c refuses it otherwise).  AUTH when [smtp] user is set,
 * and only when the server offers it.  One session sends a batch, mail
 * after mail; where the server offers PIPELINING (RFC 2920), the commands
 * of a mail go in one write and their replies are read after.
 * The caller owns what it passes; messages are French.
 */
#ifndef MO_SMTP_H
#define MO_SMTP_H

#include "lib/config.h"

#include <glib.h>

typedef struct smtp_session smtp_session;

/* What became of a mail, or of the session. */
typedef enum {
	SMTP_SENT,              /* the server said 250 after the data */
	SMTP_TEMPORARY,         /* 4xx, the connection lost, TLS: try again later */
	SMTP_PERMANENT,         /* 5xx, or larger than the server's SIZE: it will
				 * never take it */
} smtp_result;

/* Connects, says EHLO, secures and verifies, authenticates.  NULL with
 * *result_r (SMTP_TEMPORARY or SMTP_PERMANENT, an authentication refused
 * or not offered) and why.  srv is borrowed for the session's life: a
 * session may connect again (smtp_send). */
smtp_session *smtp_open(const config_server *srv, smtp_result *result_r, GError **error);
/* Sends raw (a whole RFC 5322 message) from envelope from to rcpts
 * (NULL-ended, at least one): SMTP_SENT, or what failed with the server's
 * words, or ours, in *reply_r (owned).  All the recipients or none: a
 * recipient refused fails the mail, and no one receives it.  A mail larger
 * than the SIZE the server announced is SMTP_PERMANENT before any command.
 * After a failure the session goes on with the next mail while
 * smtp_alive() says so. */
smtp_result smtp_send(smtp_session *s, const char *from, const char *const *rcpts, GBytes *raw,
		      char **reply_r);
/* FALSE once the connection is lost or closed by the server (421): the
 * session sends nothing more. */
gboolean smtp_alive(const smtp_session *s);
/* Whether the mails go pipelined; the server's SIZE (0: none given). */
gboolean smtp_pipelining(const smtp_session *s);
gsize smtp_size_limit(const smtp_session *s);
void smtp_close(smtp_session **s);

#endif
