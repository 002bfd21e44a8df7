#include "mail/imap.h"

#include "lib/error.h"
#include "lib/log.h"
#include "mail/tls.h"

#include <libetpan/libetpan.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

struct imap_session {
	mailimap *imap;
	char *where;          /* "host:port", for messages */
	gboolean keywords;
	/* during imap_fetch */
	const imap_fetch_handler *handler;
	void *handler_ctx;
	gboolean in_message;  /* a body is being received */
	gboolean failed;      /* a callback failed: ignore the rest */
	GError *handler_error;
};

static const char *imap_strerror(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_STREAM: return "connexion perdue";
	case MAILIMAP_ERROR_CONNECTION_REFUSED: return "connexion refusée";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION: return "le serveur refuse la connexion";
	case MAILIMAP_ERROR_PARSE: return "réponse du serveur illisible";
	case MAILIMAP_ERROR_PROTOCOL: return "erreur de protocole";
	case MAILIMAP_ERROR_LOGIN: return "identifiant ou mot de passe refusé";
	case MAILIMAP_ERROR_SSL: return "échec de la négociation TLS";
	case MAILIMAP_ERROR_STARTTLS: return "STARTTLS refusé";
	case MAILIMAP_ERROR_SELECT: return "impossible d'ouvrir la boîte";
	case MAILIMAP_ERROR_UID_FETCH: return "FETCH refusé";
	case MAILIMAP_ERROR_UID_STORE: return "STORE refusé";
	case MAILIMAP_ERROR_MEMORY: return "mémoire épuisée";
	default: return "erreur IMAP";
	}
}

/* Sets *error from a libetpan result, with the server's words if any. */
static int fail(imap_session *s, int r, const char *what, GError **error)
{
	const char *said = s->imap && s->imap->imap_response ? s->imap->imap_response : NULL;
	int code = (r == MAILIMAP_ERROR_LOGIN) ? MO_ERROR_FAILED : MO_ERROR_TEMPORARY;

	if (said != NULL && said[0] != '\0')
		g_set_error(error, MO_ERROR, code, "IMAP %s : %s : %s (le serveur dit : %s)", s->where, what,
			    imap_strerror(r), said);
	else
		g_set_error(error, MO_ERROR, code, "IMAP %s : %s : %s", s->where, what,
			    imap_strerror(r));
	return -1;
}

static gboolean has_capability(imap_session *s, const char *name)
{
	struct mailimap_capability_data *caps;

	if (s->imap->imap_connection_info == NULL ||
	    (caps = s->imap->imap_connection_info->imap_capability) == NULL)
		return FALSE;
	for (clistiter *it = clist_begin(caps->cap_list); it; it = clist_next(it)) {
		struct mailimap_capability *c = clist_content(it);

		if (c->cap_type == MAILIMAP_CAPABILITY_NAME && c->cap_data.cap_name != NULL &&
		    g_ascii_strcasecmp(c->cap_data.cap_name, name) == 0)
			return TRUE;
	}
	return FALSE;
}

static int refresh_capabilities(imap_session *s, GError **error)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(s->imap, &caps);

	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, "CAPABILITY", error);
	mailimap_capability_data_free(caps);
	return 0;
}

/* ---------------------------------------------------------------- EOF guard
 * libetpan's literal parser takes a read of 0 bytes (the server closed the
 * connection) for "nothing yet" and reads again, forever, at full CPU: a
 * connection cut in the middle of a message would hang the poller.  A thin
 * stream layer turns end-of-file into a read error, which every libetpan
 * parser reports. */

static ssize_t eof_guard_read(mailstream_low *s, void *buf, size_t count)
{
	ssize_t r = mailstream_low_read(s->data, buf, count);

	return r == 0 && count > 0 ? -1 : r;
}

static ssize_t eof_guard_write(mailstream_low *s, const void *buf, size_t count)
{
	return mailstream_low_write(s->data, buf, count);
}

static int eof_guard_close(mailstream_low *s)
{
	return mailstream_low_close(s->data);
}

static int eof_guard_get_fd(mailstream_low *s)
{
	return mailstream_low_get_fd(s->data);
}

static void eof_guard_free(mailstream_low *s)
{
	mailstream_low_free(s->data);
	free(s);  /* allocated by mailstream_low_new() */
}

static void eof_guard_cancel(mailstream_low *s)
{
	mailstream_low_cancel(s->data);
}

static struct mailstream_cancel *eof_guard_get_cancel(mailstream_low *s)
{
	return mailstream_low_get_cancel(s->data);
}

static carray *eof_guard_get_certificate_chain(mailstream_low *s)
{
	return mailstream_low_get_certificate_chain(s->data);
}

static int eof_guard_setup_idle(mailstream_low *s)
{
	return mailstream_low_setup_idle(s->data);
}

static int eof_guard_unsetup_idle(mailstream_low *s)
{
	return mailstream_low_unsetup_idle(s->data);
}

static int eof_guard_interrupt_idle(mailstream_low *s)
{
	return mailstream_low_interrupt_idle(s->data);
}

static mailstream_low_driver eof_guard_driver = {
	.mailstream_read = eof_guard_read,
	.mailstream_write = eof_guard_write,
	.mailstream_close = eof_guard_close,
	.mailstream_get_fd = eof_guard_get_fd,
	.mailstream_free = eof_guard_free,
	.mailstream_cancel = eof_guard_cancel,
	.mailstream_get_cancel = eof_guard_get_cancel,
	.mailstream_get_certificate_chain = eof_guard_get_certificate_chain,
	.mailstream_setup_idle = eof_guard_setup_idle,
	.mailstream_unsetup_idle = eof_guard_unsetup_idle,
	.mailstream_interrupt_idle = eof_guard_interrupt_idle,
};

static int install_eof_guard(imap_session *s, GError **error)
{
	mailstream_low *inner = mailstream_get_low(s->imap->imap_stream);
	mailstream_low *outer = mailstream_low_new(inner, &eof_guard_driver);

	if (outer == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "IMAP %s : mémoire épuisée", s->where);
		return -1;
	}
	mailstream_low_set_timeout(outer, mailstream_low_get_timeout(inner));
	mailstream_set_low(s->imap->imap_stream, outer);
	return 0;
}


imap_session *imap_connect(const config_server *srv, GError **error)
{
	imap_session *s = g_new0(imap_session, 1);
	int r;

	s->where = g_strdup_printf("%s:%d", srv->host, srv->port);
	if (srv->tls == CONFIG_TLS_NONE && !config_host_is_loopback(srv->host)) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "IMAP %s : connexion en clair refusée vers une autre machine que "
			    "celle-ci", s->where);
		goto fail_out;
	}
	s->imap = mailimap_new(0, NULL);
	if (s->imap == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "IMAP %s : mémoire épuisée", s->where);
		goto fail_out;
	}
	mailimap_set_timeout(s->imap, IMAP_TIMEOUT_S);
	if (srv->tls == CONFIG_TLS_IMPLICIT)
		r = mailimap_ssl_connect_with_callback(s->imap, srv->host, (uint16_t)srv->port,
						       tls_set_sni, srv->host);
	else
		r = mailimap_socket_connect(s->imap, srv->host, (uint16_t)srv->port);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		/* libetpan says "refused" for an unknown host or a timeout too */
		fail(s, r, "connexion (vérifiez [imap] host, port et tls)", error);
		goto fail_out;
	}
	if (srv->tls == CONFIG_TLS_STARTTLS) {
		if (refresh_capabilities(s, error) < 0)
			goto fail_out;
		if (!has_capability(s, "STARTTLS")) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "IMAP %s : le serveur ne propose pas STARTTLS", s->where);
			goto fail_out;
		}
		r = mailimap_socket_starttls_with_callback(s->imap, tls_set_sni, srv->host);
		if (r != MAILIMAP_NO_ERROR) {
			fail(s, r, "STARTTLS", error);
			goto fail_out;
		}
	}
	/* After STARTTLS, which replaces the stream's layer with its own. */
	if (install_eof_guard(s, error) < 0)
		goto fail_out;
	/* Order is important: no password before the server is verified. */
	if (srv->tls != CONFIG_TLS_NONE) {
		g_autofree char *what = g_strdup_printf("IMAP %s", s->where);

		if (tls_verify_stream(s->imap->imap_stream, what, srv->host, srv->ca_file, error) < 0)
			goto fail_out;
	}
	r = mailimap_login(s->imap, srv->user, srv->password);
	if (r != MAILIMAP_NO_ERROR) {
		fail(s, r == MAILIMAP_ERROR_STREAM ? r : MAILIMAP_ERROR_LOGIN, "login", error);
		goto fail_out;
	}
	if (refresh_capabilities(s, error) < 0)
		goto fail_out;
	return s;
fail_out:
	imap_close(&s);
	return NULL;
}

void imap_close(imap_session **sp)
{
	imap_session *s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	if (s->imap != NULL) {
		if (s->imap->imap_stream != NULL && s->imap->imap_state != MAILIMAP_STATE_DISCONNECTED)
			mailimap_logout(s->imap);
		mailimap_free(s->imap);
	}
	g_clear_error(&s->handler_error);
	g_free(s->where);
	g_free(s);
}

char *imap_mailbox_name(const char *utf8)
{
	GString *out = g_string_new(NULL);
	const char *p = utf8;

	while (*p != '\0') {
		gunichar c = g_utf8_get_char(p);
		const char *start = p;
		g_autofree gunichar2 *u16 = NULL;
		g_autofree guint8 *be = NULL;
		g_autofree char *b64 = NULL;
		glong n = 0;

		if (c >= 0x20 && c <= 0x7e) {
			g_string_append(out, c == '&' ? "&-" : (char[]){ (char)c, '\0' });
			p++;
			continue;
		}
		/* A run of other characters: UTF-16BE in base64 with ',' for '/'
		 * and no padding, between '&' and '-' (RFC 3501, 5.1.3). */
		while (*p != '\0' && !((c = g_utf8_get_char(p)) >= 0x20 && c <= 0x7e))
			p = g_utf8_next_char(p);
		u16 = g_utf8_to_utf16(start, p - start, NULL, &n, NULL);
		if (u16 == NULL)
			break;  /* not UTF-8: config.c refuses such files */
		be = g_new(guint8, (gsize)n * 2);
		for (glong i = 0; i < n; i++) {
			be[2 * i] = (guint8)(u16[i] >> 8);
			be[2 * i + 1] = (guint8)(u16[i] & 0xff);
		}
		b64 = g_base64_encode(be, (gsize)n * 2);
		g_strdelimit(b64, "/", ',');
		*strchrnul(b64, '=') = '\0';
		g_string_append_printf(out, "&%s-", b64);
	}
	return g_string_free(out, FALSE);
}

int imap_select(imap_session *s, const char *mailbox, imap_mailbox_status *st, GError **error)
{
	struct mailimap_selection_info *info;
	g_autofree char *wire = imap_mailbox_name(mailbox);
	int r = mailimap_select(s->imap, wire);

	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, mailbox, error);
	info = s->imap->imap_selection_info;
	memset(st, 0, sizeof(*st));
	if (info != NULL) {
		st->uidvalidity = info->sel_uidvalidity;
		st->uidnext = info->sel_uidnext;
		st->exists = info->sel_exists;
		for (clistiter *it = info->sel_perm_flags ? clist_begin(info->sel_perm_flags) : NULL;
		     it; it = clist_next(it)) {
			struct mailimap_flag_perm *fp = clist_content(it);

			if (fp->fl_type == MAILIMAP_FLAG_PERM_ALL)
				st->keywords = TRUE;
		}
	}
	if (st->uidvalidity == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_TEMPORARY,
			    "IMAP %s : la boîte %s n'a pas d'UIDVALIDITY", s->where, mailbox);
		return -1;
	}
	s->keywords = st->keywords;
	return 0;
}

/* The static items of a FETCH response we ask for. */
static void read_statics(struct mailimap_msg_att *att, uint32_t *uid, uint32_t *size,
			 struct mailimap_date_time **date,
			 struct mailimap_msg_att_body_section **body)
{
	for (clistiter *it = clist_begin(att->att_list); it; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		struct mailimap_msg_att_static *st;

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			if (uid)
				*uid = st->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			if (size)
				*size = st->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_INTERNALDATE:
			if (date)
				*date = st->att_data.att_internal_date;
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			if (body)
				*body = st->att_data.att_body_section;
			break;
		default:
			break;
		}
	}
}

static gint cmp_uid_size(gconstpointer a, gconstpointer b)
{
	const imap_uid_size *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

GArray *imap_list_after(imap_session *s, uint32_t after_uid, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_interval(after_uid + 1, 0);
	struct mailimap_fetch_type *type = mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	GArray *out;
	int r;

	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(s->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		fail(s, r, "liste des nouveaux messages", error);
		return NULL;
	}
	out = g_array_new(FALSE, FALSE, sizeof(imap_uid_size));
	for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
		imap_uid_size u = { 0 };

		read_statics(clist_content(it), &u.uid, &u.size, NULL, NULL);
		/* "N:*" returns the last message even when its UID is below N. */
		if (u.uid > after_uid)
			g_array_append_val(out, u);
	}
	mailimap_fetch_list_free(result);
	g_array_sort(out, cmp_uid_size);
	return out;
}

static GDateTime *date_from_imap(const struct mailimap_date_time *dt)
{
	int zone, sign, hours, minutes;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) t = NULL;

	if (dt == NULL)
		return NULL;
	zone = dt->dt_zone;
	sign = zone < 0 ? -1 : 1;
	hours = (sign * zone) / 100;
	minutes = (sign * zone) % 100;
	if (hours > 14 || minutes > 59)
		return NULL;
	tz = g_time_zone_new_offset(sign * (hours * 3600 + minutes * 60));
	t = g_date_time_new(tz, dt->dt_year, dt->dt_month, dt->dt_day, dt->dt_hour, dt->dt_min,
			    dt->dt_sec);
	return t ? g_date_time_to_utc(t) : NULL;
}

static void handler_failed(imap_session *s, GError *err)
{
	s->failed = TRUE;
	if (s->handler_error == NULL)
		s->handler_error = err;
	else
		g_error_free(err);
}

static void begin_message(imap_session *s)
{
	GError *err = NULL;

	s->in_message = TRUE;
	if (!s->failed && s->handler->begin(s->handler_ctx, &err) < 0)
		handler_failed(s, err);
}

/* Body bytes as they come off the network: straight to the caller. */
static bool on_body(int att_type, struct mailimap_msg_att_body_section *section,
		    const char *bytes, size_t len, void *ctx)
{
	imap_session *s = ctx;
	GError *err = NULL;

	(void)section;
	if (att_type != MAILIMAP_MSG_ATT_BODY_SECTION)
		return false;
	if (!s->in_message)
		begin_message(s);
	if (!s->failed && len > 0 && s->handler->data(bytes, len, s->handler_ctx, &err) < 0)
		handler_failed(s, err);
	return true;  /* handled: libetpan keeps no copy */
}

/* libetpan calls the msg_att handler only while a progress callback is
 * installed (mailimap_parser.c); this one exists for that side effect. */
static void on_progress(size_t current, size_t maximum, void *ctx)
{
	(void)current;
	(void)maximum;
	(void)ctx;
}

/* One whole FETCH response: the message is complete. */
static void on_msg_att(struct mailimap_msg_att *att, void *ctx)
{
	imap_session *s = ctx;
	struct mailimap_msg_att_body_section *body = NULL;
	struct mailimap_date_time *date = NULL;
	g_autoptr(GDateTime) when = NULL;
	GError *err = NULL;
	uint32_t uid = 0;

	read_statics(att, &uid, NULL, &date, &body);
	if (body == NULL) {
		/* An unsolicited FETCH (flags changed elsewhere): not ours. */
		return;
	}
	if (!s->in_message)
		begin_message(s);
	/* A server path where the body came whole instead of streamed. */
	if (!s->failed && body->sec_body_part != NULL && body->sec_length > 0 &&
	    s->handler->data(body->sec_body_part, body->sec_length, s->handler_ctx, &err) < 0)
		handler_failed(s, err);
	when = date_from_imap(date);
	if (!s->failed && uid == 0) {
		handler_failed(s, g_error_new(MO_ERROR, MO_ERROR_TEMPORARY,
					      "IMAP %s : réponse FETCH sans UID", s->where));
	}
	if (!s->failed && s->handler->end(uid, when, s->handler_ctx, &err) < 0)
		handler_failed(s, err);
	s->in_message = FALSE;
}

int imap_fetch(imap_session *s, const uint32_t *uids, size_t n, const imap_fetch_handler *h,
	       void *ctx, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	struct mailimap_fetch_type *type = mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	int r;

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		/* Runs of consecutive UIDs as intervals: a shorter command. */
		while (j + 1 < n && uids[j + 1] == uids[j] + 1)
			j++;
		if (j > i)
			mailimap_set_add_interval(set, uids[i], uids[j]);
		else
			mailimap_set_add_single(set, uids[i]);
		i = j;
	}
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));

	s->handler = h;
	s->handler_ctx = ctx;
	s->in_message = FALSE;
	s->failed = FALSE;
	g_clear_error(&s->handler_error);
	mailimap_set_msg_body_handler(s->imap, on_body, s);
	mailimap_set_msg_att_handler(s->imap, on_msg_att, s);
	mailimap_set_progress_callback(s->imap, on_progress, NULL, NULL);
	r = mailimap_uid_fetch(s->imap, set, type, &result);
	mailimap_set_progress_callback(s->imap, NULL, NULL, NULL);
	mailimap_set_msg_body_handler(s->imap, NULL, NULL);
	mailimap_set_msg_att_handler(s->imap, NULL, NULL);
	s->handler = NULL;
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	/* On an error libetpan has already freed the list it hands back. */
	if (r == MAILIMAP_NO_ERROR && result != NULL)
		mailimap_fetch_list_free(result);
	if (s->failed) {
		g_propagate_error(error, g_steal_pointer(&s->handler_error));
		return -1;
	}
	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, "lecture des messages", error);
	return 0;
}

int imap_mark_taken(imap_session *s, const uint32_t *uids, size_t n, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *store;
	int r;

	for (size_t i = 0; i < n; i++)
		mailimap_set_add_single(set, uids[i]);
	if (s->keywords)
		mailimap_flag_list_add(flags, mailimap_flag_new_flag_keyword(strdup(IMAP_TAKEN_KEYWORD)));
	else
		mailimap_flag_list_add(flags, mailimap_flag_new_seen());
	store = mailimap_store_att_flags_new_add_flags_silent(flags);
	r = mailimap_uid_store(s->imap, set, store);
	mailimap_store_att_flags_free(store);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, "marquage des messages", error);
	return 0;
}

gboolean imap_has_idle(imap_session *s)
{
	return mailimap_has_idle(s->imap);
}

int imap_idle_wait(imap_session *s, int timeout_s, int wake_fd, GError **error)
{
	struct pollfd pfd[2];
	int r, n, outcome = 0;

	r = mailimap_idle(s->imap);
	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, "IDLE", error);
	/* The server may already have spoken: its words wait in our buffer. */
	if (s->imap->imap_stream != NULL && s->imap->imap_stream->read_buffer_len > 0) {
		outcome = 1;
	} else {
		pfd[0].fd = mailimap_idle_get_fd(s->imap);
		pfd[0].events = POLLIN;
		pfd[1].fd = wake_fd;
		pfd[1].events = POLLIN;
		n = poll(pfd, wake_fd >= 0 ? 2 : 1, timeout_s * 1000);
		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			outcome = 1;
		else if (n > 0)
			outcome = 2;
	}
	r = mailimap_idle_done(s->imap);
	if (r != MAILIMAP_NO_ERROR)
		return fail(s, r, "IDLE", error);
	return outcome;
}
