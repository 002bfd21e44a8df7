/* smtp.c: the SMTP client (smtp.h). */
#include "mail/smtp.h"

#include "lib/error.h"
#include "mail/tls.h"

#include <libetpan/libetpan.h>
#include <string.h>

#define SMTP_TIMEOUT_S 60

struct smtp_session {
	mailsmtp *smtp;
	char *where;             /* "host:port", for messages */
};

/* The server's last reply, one line, for a message. */
static char *reply_of(const smtp_session *s, int r)
{
	g_autofree char *text = s->smtp->response ? g_strstrip(g_strdup(s->smtp->response)) : NULL;

	if (s->smtp->response_code > 0 && text != NULL)
		return g_strdup_printf("%d %s", s->smtp->response_code, text);
	return g_strdup(mailsmtp_strerror(r));
}

static smtp_result classify(const smtp_session *s, int r)
{
	int code = s->smtp->response_code;

	if (r == MAILSMTP_ERROR_STREAM || r == MAILSMTP_ERROR_CONNECTION_REFUSED ||
	    r == MAILSMTP_ERROR_SSL || code == 0)
		return SMTP_TEMPORARY;
	return code >= 500 ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

static int hello(smtp_session *s)
{
	int r = mailesmtp_ehlo(s->smtp);

	if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
		r = mailsmtp_helo(s->smtp);
	return r;
}

smtp_session *smtp_open(const config_server *srv, smtp_result *result_r, GError **error)
{
	smtp_session *s = g_new0(smtp_session, 1);
	int r;

	*result_r = SMTP_TEMPORARY;
	s->where = g_strdup_printf("%s:%d", srv->host ? srv->host : "?", srv->port);
	if (srv->host == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "[smtp] host : absent (mailorder help "
			    "config)");
		*result_r = SMTP_PERMANENT;
		goto fail;
	}
	s->smtp = mailsmtp_new(0, NULL);
	mailsmtp_set_timeout(s->smtp, SMTP_TIMEOUT_S);
	if (srv->tls == CONFIG_TLS_IMPLICIT)
		r = mailsmtp_ssl_connect_with_callback(s->smtp, srv->host, (uint16_t)srv->port, tls_set_sni,
						       srv->host);
	else
		r = mailsmtp_socket_connect(s->smtp, srv->host, (uint16_t)srv->port);
	if (r != MAILSMTP_NO_ERROR) {
		g_autofree char *why = reply_of(s, r);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : connexion (vérifiez [smtp] "
			    "host, port et tls) : %s", s->where, why);
		goto fail;
	}
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
		*result_r = classify(s, r);
		goto fail;
	}
	/* Order is important: nothing is said, no password sent, before the
	 * server is verified. */
	if (srv->tls != CONFIG_TLS_NONE) {
		g_autofree char *what = g_strdup_printf("SMTP %s", s->where);

		if (tls_verify_stream(s->smtp->stream, what, srv->host, srv->ca_file, error) < 0)
			goto fail;
	}
	if (srv->user != NULL) {
		r = mailsmtp_auth(s->smtp, srv->user, srv->password ? srv->password : "");
		if (r != MAILSMTP_NO_ERROR) {
			g_autofree char *why = reply_of(s, r);

			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "SMTP %s : authentification "
				    "refusée (vérifiez [smtp] user et password_file) : %s", s->where, why);
			*result_r = classify(s, r) == SMTP_PERMANENT ? SMTP_PERMANENT : SMTP_TEMPORARY;
			goto fail;
		}
	}
	return s;
fail:
	smtp_close(&s);
	return NULL;
}

smtp_result smtp_send(smtp_session *s, const char *from, const char *const *rcpts, GBytes *raw,
		      char **reply_r)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(raw, &len);
	int r = mailsmtp_mail(s->smtp, from);

	*reply_r = NULL;
	for (guint i = 0; r == MAILSMTP_NO_ERROR && rcpts[i] != NULL; i++)
		r = mailsmtp_rcpt(s->smtp, rcpts[i]);
	if (r == MAILSMTP_NO_ERROR)
		r = mailsmtp_data(s->smtp);
	/* libetpan escapes the leading dots and ends the data */
	if (r == MAILSMTP_NO_ERROR)
		r = mailsmtp_data_message(s->smtp, data, len);
	if (r == MAILSMTP_NO_ERROR)
		return SMTP_SENT;
	*reply_r = reply_of(s, r);
	/* a refused mail leaves the session usable for the next one */
	if (classify(s, r) == SMTP_PERMANENT) {
		mailsmtp_reset(s->smtp);
		return SMTP_PERMANENT;
	}
	return SMTP_TEMPORARY;
}

void smtp_close(smtp_session **sp)
{
	smtp_session *s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	if (s->smtp != NULL) {
		if (s->smtp->stream != NULL)
			mailsmtp_quit(s->smtp);
		mailsmtp_free(s->smtp);
	}
	g_free(s->where);
	g_free(s);
}
