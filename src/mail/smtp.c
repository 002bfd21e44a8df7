/* smtp.c: the SMTP client (smtp.h).  libetpan's mailsmtp says every
 * command and reads its reply before the next; it has no pipelining.  A
 * pipelined mail writes its commands on the session's own stream and
 * reads their replies here, then hands the data back to libetpan. */
#include "mail/smtp.h"

#include "lib/error.h"
#include "mail/tls.h"

#include <libetpan/libetpan.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SMTP_TIMEOUT_S 60
/* A reply we read: its lines at most (a server that goes on talking is
 * taken as lost), and the text kept for a message. */
#define SMTP_REPLY_MAX_LINES 100
#define SMTP_REPLY_MAX_TEXT 1000

typedef enum {
	SESSION_OPEN,
	SESSION_CLOSED,          /* by us, to cancel a mail: the next one connects again */
	SESSION_LOST,            /* the connection is gone, or the server closes it */
} session_state;

struct smtp_session {
	const config_server *srv;
	mailsmtp *smtp;
	char *where;             /* "host:port", for messages */
	session_state state;
	gboolean pipelining;
	gsize size_limit;        /* the server's SIZE, 0: none */
	MMAPString *line;        /* the pipelined replies, read here */
	GString *reply;          /* the last of them: "550 5.1.1 …" */
};

/* The server's last reply as libetpan read it, one line, for a message. */
static char *reply_of(const smtp_session *s, int r)
{
	g_autofree char *text = s->smtp->response ? g_strstrip(g_strdup(s->smtp->response)) : NULL;

	if (r == MAILSMTP_ERROR_SSL)
		return g_strdup("échec de la négociation TLS");
	if (r == MAILSMTP_ERROR_STREAM || s->smtp->response_code == 0 || text == NULL)
		return g_strdup("connexion perdue");
	g_strdelimit(text, "\r\n", ' ');
	return g_strdup_printf("%d %s", s->smtp->response_code, text);
}

/* A reply's code: 5xx will never do; 4xx may do later. */
static smtp_result classify(int code)
{
	return code >= 500 ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

/* Drops the connection without a word (a QUIT to a lost server would wait
 * for it). */
static void drop_connection(smtp_session *s, session_state state)
{
	if (s->smtp != NULL && s->smtp->stream != NULL) {
		mailstream_close(s->smtp->stream);
		s->smtp->stream = NULL;
	}
	s->state = state;
}

/* Whether EHLO names us by our address rather than by gethostname().
 * RFC 5321 4.1.1.1 wants a fully qualified domain name or an address
 * literal, and Postfix's reject_non_fqdn_helo_hostname refuses anything
 * else; in a container gethostname() is a bare name ("vm", an id).  Then
 * the literal of the connection's own address, [192.0.2.7], which
 * libetpan writes for EHLO and HELO alike.  Not for IPv6: libetpan 1.9.4
 * reads the address into a struct sockaddr too small for it and fails
 * before a word (its literal would lack RFC 5321's "IPv6:" tag anyway),
 * so there the name stays gethostname()'s. */
static int hello_by_address(smtp_session *s)
{
	char name[256] = "";
	struct sockaddr_storage addr;
	socklen_t addr_len = sizeof addr;
	int fd = mailstream_low_get_fd(mailstream_get_low(s->smtp->stream));

	if (gethostname(name, sizeof name - 1) == 0 && strchr(name, '.') != NULL)
		return 0;
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &addr_len) < 0)
		return 0;
	return addr.ss_family == AF_INET;
}

/* EHLO (HELO for an old server), and what it offers. */
static int hello(smtp_session *s)
{
	int by_address = hello_by_address(s);
	int r;

	/* libetpan keeps the last SIZE it saw when a new EHLO has none */
	s->smtp->smtp_max_msg_size = 0;
	r = mailesmtp_ehlo_with_ip(s->smtp, by_address);
	if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
		r = mailsmtp_helo_with_ip(s->smtp, by_address);
	s->pipelining = (s->smtp->esmtp & MAILSMTP_ESMTP_PIPELINING) != 0;
	s->size_limit = (s->smtp->esmtp & MAILSMTP_ESMTP_SIZE) ? s->smtp->smtp_max_msg_size : 0;
	return r;
}

/* The socket's options, once connected. */
static void tune_socket(smtp_session *s)
{
	mailstream_low *low = mailstream_get_low(s->smtp->stream);
	int fd = mailstream_low_get_fd(low);
	int one = 1;

	/* mailsmtp_socket_connect leaves the stream on libetpan's 5-minute
	 * default */
	mailstream_low_set_timeout(low, SMTP_TIMEOUT_S);
	/* each mail ends in a small write (the end of its data) that Nagle
	 * holds until the server acknowledges the one before, which it
	 * delays: 40 ms a mail (make bench: 22 mails a second, 275 without) */
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

#define AUTH_MECHANISMS \
	(MAILSMTP_AUTH_PLAIN | MAILSMTP_AUTH_LOGIN | MAILSMTP_AUTH_CRAM_MD5 | MAILSMTP_AUTH_DIGEST_MD5)

/* Connects s->smtp (a new one) as s->srv says: TLS, verification, AUTH. */
static int session_connect(smtp_session *s, smtp_result *result_r, GError **error)
{
	const config_server *srv = s->srv;
	int r;

	*result_r = SMTP_TEMPORARY;
	if (s->smtp != NULL) {
		drop_connection(s, SESSION_LOST);
		mailsmtp_free(s->smtp);
	}
	s->state = SESSION_LOST;
	s->smtp = mailsmtp_new(0, NULL);
	if (s->smtp == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : mémoire épuisée", s->where);
		return -1;
	}
	mailsmtp_set_timeout(s->smtp, SMTP_TIMEOUT_S);
	if (srv->tls == CONFIG_TLS_IMPLICIT)
		r = mailsmtp_ssl_connect_with_callback(s->smtp, srv->host, (uint16_t)srv->port, tls_set_sni,
						       srv->host);
	else
		r = mailsmtp_socket_connect(s->smtp, srv->host, (uint16_t)srv->port);
	if (r != MAILSMTP_NO_ERROR) {
		g_autofree char *why = r == MAILSMTP_ERROR_CONNECTION_REFUSED
					       ? g_strdup("connexion refusée ou impossible")
					       : reply_of(s, r);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : connexion (vérifiez [smtp] "
			    "host, port et tls) : %s", s->where, why);
		return -1;
	}
	tune_socket(s);
	r = hello(s);
	if (r == MAILSMTP_NO_ERROR && srv->tls == CONFIG_TLS_STARTTLS) {
		r = mailsmtp_socket_starttls_with_callback(s->smtp, tls_set_sni, srv->host);
		if (r == MAILSMTP_NO_ERROR)
			r = hello(s);
	}
	if (r != MAILSMTP_NO_ERROR) {
		g_autofree char *why = reply_of(s, r);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : %s : %s", s->where,
			    srv->tls == CONFIG_TLS_STARTTLS ? "EHLO ou STARTTLS" : "EHLO", why);
		if (s->smtp->response_code > 0)
			*result_r = classify(s->smtp->response_code);
		return -1;
	}
	/* Order is important: nothing is said, no password sent, before the
	 * server is verified. */
	if (srv->tls != CONFIG_TLS_NONE) {
		g_autofree char *what = g_strdup_printf("SMTP %s", s->where);

		if (tls_verify_stream(s->smtp->stream, what, srv->host, srv->ca_file, error) < 0)
			return -1;
	}
	if (srv->user != NULL) {
		if ((s->smtp->auth & AUTH_MECHANISMS) == 0) {
			/* a server offers AUTH on a secured connection only, as it
			 * should: never a password in clear to one that did not ask */
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : le serveur ne propose "
				    "pas d'authentification%s (ou retirez [smtp] user)", s->where,
				    srv->tls == CONFIG_TLS_NONE ? " sur une connexion en clair : "
								  "mettez [smtp] tls = starttls ou smtps"
								: "");
			*result_r = SMTP_PERMANENT;
			return -1;
		}
		r = mailsmtp_auth(s->smtp, srv->user, srv->password ? srv->password : "");
		if (r != MAILSMTP_NO_ERROR) {
			g_autofree char *why = reply_of(s, r);

			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : authentification "
				    "refusée (vérifiez [smtp] user et password_file) : %s", s->where, why);
			if (s->smtp->response_code > 0)
				*result_r = classify(s->smtp->response_code);
			return -1;
		}
	}
	s->state = SESSION_OPEN;
	return 0;
}

smtp_session *smtp_open(const config_server *srv, smtp_result *result_r, GError **error)
{
	smtp_session *s = g_new0(smtp_session, 1);

	*result_r = SMTP_TEMPORARY;
	s->srv = srv;
	s->where = g_strdup_printf("%s:%d", srv->host ? srv->host : "?", srv->port);
	s->line = mmap_string_new("");
	s->reply = g_string_new(NULL);
	s->state = SESSION_LOST;
	if (srv->host == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "[smtp] host : absent (mailorder help "
			    "config)");
		*result_r = SMTP_PERMANENT;
		smtp_close(&s);
		return NULL;
	}
	if (session_connect(s, result_r, error) < 0)
		smtp_close(&s);
	return s;
}

/* Reads one reply, its lines continued by "250-", into s->reply (one
 * line, its text cut at SMTP_REPLY_MAX_TEXT): its code, 0 when the
 * connection is lost or the server speaks no SMTP. */
static int read_reply(smtp_session *s)
{
	g_string_truncate(s->reply, 0);
	for (int n = 0; n < SMTP_REPLY_MAX_LINES; n++) {
		/* at end of file libetpan gives what it has: "" */
		const char *line = mailstream_read_line_remove_eol(s->smtp->stream, s->line);
		int code;

		if (line == NULL || !g_ascii_isdigit(line[0]) || !g_ascii_isdigit(line[1]) ||
		    !g_ascii_isdigit(line[2]) || (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
			return 0;
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		if (s->reply->len == 0)
			g_string_append_printf(s->reply, "%d", code);
		if (line[3] != '\0' && s->reply->len < SMTP_REPLY_MAX_TEXT) {
			g_string_append_c(s->reply, ' ');
			g_string_append_len(s->reply, line + 4,
					    (gssize)MIN(strlen(line + 4),
							SMTP_REPLY_MAX_TEXT - s->reply->len));
		}
		if (line[3] != '-')
			return code;
	}
	return 0;
}

/* A failure met by a libetpan command (what: the command, for the
 * message): classified, the session made ready for the next mail (RSET)
 * or marked lost. */
static smtp_result failed(smtp_session *s, int r, const char *what, char **reply_r)
{
	g_autofree char *why = reply_of(s, r);
	int code = s->smtp->response_code;

	*reply_r = g_strdup_printf("%s : %s", what, why);
	if (r == MAILSMTP_ERROR_STREAM || code == 0 || code == 421) {
		drop_connection(s, SESSION_LOST);
		return SMTP_TEMPORARY;
	}
	if (mailsmtp_reset(s->smtp) != MAILSMTP_NO_ERROR)
		drop_connection(s, SESSION_LOST);
	return classify(code);
}

static smtp_result lost(smtp_session *s, const char *what, char **reply_r)
{
	*reply_r = g_strdup_printf("%s : connexion perdue", what);
	drop_connection(s, SESSION_LOST);
	return SMTP_TEMPORARY;
}

/* One command, one reply: what libetpan does. */
static smtp_result send_in_turn(smtp_session *s, const char *from, const char *const *rcpts,
				const char *data, gsize len, char **reply_r)
{
	int r = mailsmtp_mail(s->smtp, from);

	if (r != MAILSMTP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("MAIL FROM:<%s>", from);

		return failed(s, r, what, reply_r);
	}
	for (guint i = 0; rcpts[i] != NULL; i++) {
		r = mailsmtp_rcpt(s->smtp, rcpts[i]);
		if (r != MAILSMTP_NO_ERROR) {
			g_autofree char *what = g_strdup_printf("RCPT TO:<%s>", rcpts[i]);

			return failed(s, r, what, reply_r);
		}
	}
	r = mailsmtp_data(s->smtp);
	if (r != MAILSMTP_NO_ERROR)
		return failed(s, r, "DATA", reply_r);
	/* libetpan escapes the leading dots and ends the data */
	r = mailsmtp_data_message(s->smtp, data, len);
	if (r != MAILSMTP_NO_ERROR)
		return failed(s, r, "fin des données", reply_r);
	return SMTP_SENT;
}

/* RFC 2920: MAIL FROM, every RCPT TO and DATA in one write, then their
 * replies in the same order; the data after DATA's 354, by libetpan. */
static smtp_result send_pipelined(smtp_session *s, const char *from, const char *const *rcpts,
				  const char *data, gsize len, char **reply_r)
{
	g_autoptr(GString) commands = g_string_new(NULL);
	g_autofree char *refused = NULL;   /* the first command refused, and why */
	int refused_code = 0, code;
	guint n = 0;
	int r;

	g_string_append_printf(commands, "MAIL FROM:<%s>\r\n", from);
	for (; rcpts[n] != NULL; n++)
		g_string_append_printf(commands, "RCPT TO:<%s>\r\n", rcpts[n]);
	g_string_append(commands, "DATA\r\n");
	if (mailstream_write(s->smtp->stream, commands->str, commands->len) < 0 ||
	    mailstream_flush(s->smtp->stream) < 0)
		return lost(s, "MAIL FROM, RCPT TO, DATA", reply_r);
	for (guint k = 0; k <= n; k++) {
		code = read_reply(s);
		if (code == 0)
			return lost(s, k == 0 ? "MAIL FROM" : "RCPT TO", reply_r);
		if (code / 100 != 2 && refused == NULL) {
			refused = k == 0 ? g_strdup_printf("MAIL FROM:<%s> : %s", from, s->reply->str)
					 : g_strdup_printf("RCPT TO:<%s> : %s", rcpts[k - 1], s->reply->str);
			refused_code = code;
		}
	}
	code = read_reply(s);
	if (code == 0)
		return lost(s, "DATA", reply_r);
	if (code == 354 && refused != NULL) {
		/* The server waits for a mail that would reach only some of its
		 * recipients: the connection is cut before a byte of it, which
		 * drops the transaction (RFC 5321 3.8); the next mail connects
		 * again. */
		drop_connection(s, SESSION_CLOSED);
		*reply_r = g_steal_pointer(&refused);
		return classify(refused_code);
	}
	if (code != 354) {
		if (refused == NULL) {
			refused = g_strdup_printf("DATA : %s", s->reply->str);
			refused_code = code;
		}
		*reply_r = g_steal_pointer(&refused);
		if (refused_code == 421) {
			drop_connection(s, SESSION_LOST);
			return SMTP_TEMPORARY;
		}
		if (mailsmtp_reset(s->smtp) != MAILSMTP_NO_ERROR)
			drop_connection(s, SESSION_LOST);
		return classify(refused_code);
	}
	/* libetpan escapes the leading dots and ends the data */
	r = mailsmtp_data_message(s->smtp, data, len);
	if (r != MAILSMTP_NO_ERROR)
		return failed(s, r, "fin des données", reply_r);
	return SMTP_SENT;
}

smtp_result smtp_send(smtp_session *s, const char *from, const char *const *rcpts, GBytes *raw,
		      char **reply_r)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(raw, &len);

	*reply_r = NULL;
	if (s->state == SESSION_CLOSED) {
		g_autoptr(GError) err = NULL;
		smtp_result opened;

		if (session_connect(s, &opened, &err) < 0) {
			*reply_r = g_strdup(err->message);
			return SMTP_TEMPORARY;
		}
	}
	if (s->state != SESSION_OPEN) {
		*reply_r = g_strdup("connexion perdue");
		return SMTP_TEMPORARY;
	}
	if (s->size_limit > 0 && len > s->size_limit) {
		*reply_r = g_strdup_printf("courriel trop gros pour le serveur : %" G_GSIZE_FORMAT
					   " octets, il en accepte au plus %" G_GSIZE_FORMAT " (SIZE)",
					   len, s->size_limit);
		return SMTP_PERMANENT;
	}
	if (s->pipelining)
		return send_pipelined(s, from, rcpts, data, len, reply_r);
	return send_in_turn(s, from, rcpts, data, len, reply_r);
}

gboolean smtp_alive(const smtp_session *s)
{
	return s->state != SESSION_LOST;
}

gboolean smtp_pipelining(const smtp_session *s)
{
	return s->pipelining;
}

gsize smtp_size_limit(const smtp_session *s)
{
	return s->size_limit;
}

void smtp_close(smtp_session **sp)
{
	smtp_session *s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	if (s->smtp != NULL) {
		if (s->state != SESSION_OPEN)
			drop_connection(s, s->state);
		/* QUIT, without waiting for its reply */
		mailsmtp_free(s->smtp);
	}
	if (s->line != NULL)
		mmap_string_free(s->line);
	if (s->reply != NULL)
		g_string_free(s->reply, TRUE);
	g_free(s->where);
	g_free(s);
}
