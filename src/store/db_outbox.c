/* db_outbox.c: the outbox (db_outbox.h). */
#include "store/db_p.h"
#include "store/db_outbox.h"

#include "lib/error.h"

static char *lines_of(char *const *list)
{
	return list ? g_strjoinv("\n", (char **)list) : NULL;
}

static char **list_of(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);

	return text && text[0] ? g_strsplit(text, "\n", -1) : g_new0(char *, 1);
}

int db_outbox_queue(db *d, outbox_mail *m, int64_t order_id, int64_t message_ref,
		    GError **error)
{
	g_autofree char *now = db_now_iso();
	g_autofree char *to = lines_of(m->to);
	g_autofree char *attachments = lines_of(m->attachments);
	gsize len = 0;
	const void *raw = g_bytes_get_data(m->raw, &len);
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO outbox (state, kind, order_id, message_ref, recipients, bcc, envelope_from,"
		" subject, message_id, attachments, raw, queued_at)"
		" VALUES ('queued', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mail_kind_name(m->kind));
	if (order_id > 0)
		sqlite3_bind_int64(st, 2, order_id);
	if (message_ref > 0)
		sqlite3_bind_int64(st, 3, message_ref);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, m->bcc);
	db_bind_text(st, 6, m->envelope_from);
	db_bind_text(st, 7, m->subject);
	db_bind_text(st, 8, m->message_id);
	db_bind_text(st, 9, attachments);
	sqlite3_bind_blob(st, 10, raw ? raw : "", (int)len, SQLITE_TRANSIENT);
	db_bind_text(st, 11, now);
	if (db_exec_stmt(d, st, "enregistrement d'un courriel à envoyer", error) < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(d->h);
	m->state = OUTBOX_QUEUED;
	g_free(m->queued_at);
	m->queued_at = g_steal_pointer(&now);
	return 0;
}

GPtrArray *db_outbox_list(db *d, const char *state_filter, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT ob.id, ob.state, ob.kind, o.number, ob.recipients, ob.bcc, ob.envelope_from,"
		" ob.subject, ob.message_id, ob.attachments, ob.queued_at, ob.sent_at, ob.tries,"
		" ob.last_error FROM outbox ob LEFT JOIN orders o ON o.id = ob.order_id"
		" WHERE ?1 IS NULL OR ob.state = ?1 ORDER BY ob.id", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, state_filter);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)outbox_mail_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		outbox_mail *m = outbox_mail_new();
		const char *state = (const char *)sqlite3_column_text(st, 1);
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		gboolean known_kind = FALSE;

		g_ptr_array_add(out, m);
		for (int k = MAIL_ACKNOWLEDGMENT; k <= MAIL_CREDIT_NOTE; k++) {
			if (g_strcmp0(kind, mail_kind_name((mail_kind)k)) == 0) {
				m->kind = (mail_kind)k;
				known_kind = TRUE;
			}
		}
		if (!outbox_state_parse(state, &m->state) || !known_kind) {
			sqlite3_reset(st);
			db_unknown_word("le courriel", known_kind ? state : kind, error);
			return NULL;
		}
		m->id = sqlite3_column_int64(st, 0);
		m->order_number = db_col_text(st, 3);
		m->to = list_of(st, 4);
		m->bcc = db_col_text(st, 5);
		m->envelope_from = db_col_text(st, 6);
		m->subject = db_col_text(st, 7);
		m->message_id = db_col_text(st, 8);
		m->attachments = list_of(st, 9);
		m->queued_at = db_col_text(st, 10);
		m->sent_at = db_col_text(st, 11);
		m->tries = sqlite3_column_int(st, 12);
		m->last_error = db_col_text(st, 13);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture du courrier à envoyer", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

GPtrArray *db_outbox_due(db *d, const char *now_iso, guint limit, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT id, kind, recipients, bcc, envelope_from, subject, message_id, raw, tries,"
		" queued_at FROM outbox WHERE state = 'queued'"
		"   OR (state = 'failed' AND (next_try_at IS NULL OR next_try_at <= ?1))"
		" ORDER BY id LIMIT ?2", error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, now_iso);
	sqlite3_bind_int(st, 2, (int)limit);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)outbox_mail_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		outbox_mail *m = outbox_mail_new();
		const char *kind = (const char *)sqlite3_column_text(st, 1);

		for (int k = MAIL_ACKNOWLEDGMENT; k <= MAIL_CREDIT_NOTE; k++) {
			if (g_strcmp0(kind, mail_kind_name((mail_kind)k)) == 0)
				m->kind = (mail_kind)k;
		}
		m->id = sqlite3_column_int64(st, 0);
		m->to = list_of(st, 2);
		m->bcc = db_col_text(st, 3);
		m->envelope_from = db_col_text(st, 4);
		m->subject = db_col_text(st, 5);
		m->message_id = db_col_text(st, 6);
		m->raw = g_bytes_new(sqlite3_column_blob(st, 7), (gsize)sqlite3_column_bytes(st, 7));
		m->tries = sqlite3_column_int(st, 8);
		m->queued_at = db_col_text(st, 9);
		g_ptr_array_add(out, m);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "lecture du courrier à envoyer", error);
		return NULL;
	}
	return g_steal_pointer(&out);
}

int db_outbox_mark(db *d, int64_t id, outbox_state state, const char *last_error,
		   const char *next_try_at, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE outbox SET state = ?2, tries = tries + 1, last_error = ?3, next_try_at = ?4,"
		" sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, outbox_state_name(state));
	db_bind_text(st, 3, last_error);
	db_bind_text(st, 4, next_try_at);
	db_bind_text(st, 5, now);
	return db_exec_stmt(d, st, "état d'un courriel", error);
}

int db_outbox_answers_to(db *d, const char *address, const char *since_iso, int *count_r,
			 GError **error)
{
	sqlite3_stmt *st = address != NULL
		? db_stmt(d, "SELECT count(*) FROM outbox WHERE recipients = ?1 AND queued_at >= ?2"
			     " AND kind IN ('acknowledgment', 'quarantine_notice')", error)
		: db_stmt(d, "SELECT count(*) FROM outbox WHERE queued_at >= ?2"
			     " AND kind IN ('acknowledgment', 'quarantine_notice')", error);
	int rc;

	*count_r = 0;
	if (st == NULL)
		return -1;
	if (address != NULL)
		db_bind_text(st, 1, address);
	db_bind_text(st, 2, since_iso);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count_r = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(d, "compte des réponses automatiques", error);
}

int db_outbox_find_by_message_id(db *d, char *const *ids, int64_t *id_r, char ***to_r,
				 GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT id, recipients FROM outbox WHERE message_id = ?1",
				   error);

	*id_r = 0;
	*to_r = NULL;
	if (st == NULL)
		return -1;
	for (guint i = 0; ids != NULL && ids[i] != NULL; i++) {
		int rc;

		db_bind_text(st, 1, ids[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*id_r = sqlite3_column_int64(st, 0);
			*to_r = list_of(st, 1);
		}
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			return 1;
		if (rc != SQLITE_DONE)
			return db_fail(d, "recherche d'un courriel envoyé", error);
	}
	return 0;
}

int db_outbox_bounce(db *d, int64_t id, int64_t message_ref, const char *reason, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"UPDATE outbox SET state = 'bounced', bounced_by = ?2, last_error = ?3,"
		" next_try_at = NULL WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, message_ref);
	db_bind_text(st, 3, reason);
	return db_exec_stmt(d, st, "courriel revenu", error);
}
