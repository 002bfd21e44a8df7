/* smtp.h: a session with the SMTP server mails leave by (libetpan).
 *
 * TLS as [smtp] tls says: smtps from the first byte, or STARTTLS, the
 * server's certificate verified as IMAP's is (tls.h: the system's CAs or
 * ca_file, and the host name) before anything else is said; none only to
 * loopback (config.c refuses it otherwise).  AUTH when [smtp] user is set.
 * One session sends a batch, mail after mail.
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
	SMTP_PERMANENT,         /* 5xx: the server will not take it */
} smtp_result;

/* Connects, says EHLO, secures and verifies, authenticates.  NULL with
 * *result_r (SMTP_TEMPORARY or SMTP_PERMANENT, an authentication refused)
 * and why. */
smtp_session *smtp_open(const config_server *srv, smtp_result *result_r, GError **error);
/* Sends raw (a whole RFC 5322 message) from envelope from to rcpts
 * (NULL-ended): SMTP_SENT, or what failed with the server's words in
 * *reply_r (owned).  After SMTP_TEMPORARY the session is not to be used
 * again. */
smtp_result smtp_send(smtp_session *s, const char *from, const char *const *rcpts, GBytes *raw,
		      char **reply_r);
void smtp_close(smtp_session **s);

#endif
