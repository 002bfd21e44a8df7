/* db_intake.c: mailboxes, messages, documents, files, quarantine. */
#include "store/db_p.h"
#include "store/db_intake.h"

#include "lib/error.h"

static const char *const message_states[] = { "fetched", "done", "quarantined" };
static const char *const document_states[] = { "filed", "drafted", "quarantined" };

static message_state message_state_from(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(message_states); i++) {
		if (s != NULL && g_strcmp0(s, message_states[i]) == 0)
			return (message_state)i;
	}
	return MESSAGE_FETCHED;
}

int db_mailbox_get(db *d, const char *mailbox, uint32_t *uidvalidity_r, uint32_t *last_uid_r,
		   GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT uidvalidity, last_uid FROM mailboxes WHERE name = ?1",
				   error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*uidvalidity_r = (uint32_t)sqlite3_column_int64(st, 0);
		*last_uid_r = (uint32_t)sqlite3_column_int64(st, 1);
	} else if (rc == SQLITE_DONE) {
		*uidvalidity_r = 0;
		*last_uid_r = 0;
	} else {
		db_fail(d, "lecture de l'état de la boîte", error);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int db_mailbox_set(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t last_uid,
		   GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO mailboxes (name, uidvalidity, last_uid) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (name) DO UPDATE SET uidvalidity = ?2, last_uid = ?3", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, last_uid);
	return db_exec_stmt(d, st, "enregistrement de l'état de la boîte", error);
}

int db_message_find_sha(db *d, const char *sha256, char **number_r, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT number FROM messages WHERE sha256 = ?1", error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, sha256);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (number_r)
			*number_r = db_col_text(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "recherche d'un message", error);
	return 0;
}

int db_message_insert(db *d, message_record *m, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO messages (number, mailbox, uidvalidity, uid, sha256, message_id,"
		" from_addr, from_name, subject, date, received_at, size, file, state, fetched_at,"
		" reply_to)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, m->number);
	db_bind_text(st, 2, m->mailbox);
	sqlite3_bind_int64(st, 3, m->uidvalidity);
	sqlite3_bind_int64(st, 4, m->uid);
	db_bind_text(st, 5, m->sha256);
	db_bind_text(st, 6, m->message_id);
	db_bind_text(st, 7, m->from_addr);
	db_bind_text(st, 8, m->from_name);
	db_bind_text(st, 9, m->subject);
	db_bind_text(st, 10, m->date);
	db_bind_text(st, 11, m->received_at);
	sqlite3_bind_int64(st, 12, m->size);
	db_bind_text(st, 13, m->file);
	db_bind_text(st, 14, message_states[m->state]);
	db_bind_text(st, 15, now);
	db_bind_text(st, 16, m->reply_to);
	if (db_exec_stmt(d, st, "enregistrement d'un message", error) < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(d->h);
	return 0;
}

GPtrArray *db_messages_in_state(db *d, message_state state, int limit, GError **error)
{
	return db_messages_to_read(d, state, -1, limit, error);
}

int db_message_give_up(db *d, const char *number, int attempts, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "UPDATE messages SET intake_attempts = max(intake_attempts, ?2)"
				      " WHERE number = ?1", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, number);
	sqlite3_bind_int(st, 2, attempts);
	return db_exec_stmt(d, st, "abandon d'un message", error);
}

int db_message_defer_ocr(db *d, int64_t id, GError **error)
{
	/* the first stage's reading ended well: the OCR stage's readings are
	 * counted from zero */
	sqlite3_stmt *st = db_stmt(d, "UPDATE messages SET ocr_pending = 1, intake_attempts = 0"
				      " WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_exec_stmt(d, st, "leave a message to OCR", error);
}

GPtrArray *db_messages_to_read(db *d, message_state state, int ocr_pending, int limit,
			       GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT id, number, mailbox, uidvalidity, uid, sha256, message_id, from_addr,"
		" from_name, subject, date, received_at, size, file, state, intake_attempts, reply_to"
		" FROM messages WHERE state = ?1 AND (?3 < 0 OR ocr_pending = ?3)"
		" ORDER BY id LIMIT ?2", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, message_states[state]);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int(st, 3, ocr_pending);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)message_record_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		message_record *m = message_record_new();

		m->id = sqlite3_column_int64(st, 0);
		m->number = db_col_text(st, 1);
		m->mailbox = db_col_text(st, 2);
		m->uidvalidity = (uint32_t)sqlite3_column_int64(st, 3);
		m->uid = (uint32_t)sqlite3_column_int64(st, 4);
		m->sha256 = db_col_text(st, 5);
		m->message_id = db_col_text(st, 6);
		m->from_addr = db_col_text(st, 7);
		m->from_name = db_col_text(st, 8);
		m->subject = db_col_text(st, 9);
		m->date = db_col_text(st, 10);
		m->received_at = db_col_text(st, 11);
		m->size = sqlite3_column_int64(st, 12);
		m->file = db_col_text(st, 13);
		m->state = message_state_from((const char *)sqlite3_column_text(st, 14));
		m->intake_attempts = sqlite3_column_int(st, 15);
		m->reply_to = db_col_text(st, 16);
		g_ptr_array_add(out, m);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des messages", error);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

int db_messages_count_attempt(db *d, GPtrArray *messages, GError **error)
{
	sqlite3_stmt *st;

	if (db_begin(d, error) < 0)
		return -1;
	for (guint i = 0; i < messages->len; i++) {
		const message_record *m = messages->pdata[i];

		st = db_stmt(d, "UPDATE messages SET intake_attempts = intake_attempts + 1"
				" WHERE id = ?1", error);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, m->id);
		if (db_exec_stmt(d, st, "comptage d'une lecture", error) < 0)
			goto fail;
	}
	return db_commit(d, error);
fail:
	db_rollback(d);
	return -1;
}

int db_message_set_state(db *d, int64_t id, message_state state, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "UPDATE messages SET state = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, message_states[state]);
	return db_exec_stmt(d, st, "mise à jour d'un message", error);
}

int db_flag_pending_add(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t uid,
			GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "INSERT OR IGNORE INTO server_flags (mailbox, uidvalidity, uid)"
				      " VALUES (?1, ?2, ?3)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	return db_exec_stmt(d, st, "enregistrement d'un drapeau en attente", error);
}

GArray *db_flag_pending_list(db *d, const char *mailbox, uint32_t uidvalidity, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT uid FROM server_flags WHERE mailbox = ?1"
				      " AND uidvalidity = ?2 ORDER BY uid", error);
	GArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	out = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t uid = (uint32_t)sqlite3_column_int64(st, 0);

		g_array_append_val(out, uid);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste des drapeaux en attente", error);
		g_array_unref(out);
		return NULL;
	}
	return out;
}

int db_flag_pending_clear(db *d, const char *mailbox, uint32_t uidvalidity,
			  const uint32_t *uids, size_t n, GError **error)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = db_stmt(d, "DELETE FROM server_flags WHERE mailbox = ?1"
					      " AND uidvalidity = ?2 AND uid = ?3", error);

		if (st == NULL)
			return -1;
		db_bind_text(st, 1, mailbox);
		sqlite3_bind_int64(st, 2, uidvalidity);
		sqlite3_bind_int64(st, 3, uids[i]);
		if (db_exec_stmt(d, st, "effacement d'un drapeau en attente", error) < 0)
			return -1;
	}
	return 0;
}

int db_flag_pending_drop_stale(db *d, const char *mailbox, uint32_t uidvalidity,
			       GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "DELETE FROM server_flags WHERE mailbox = ?1"
				      " AND uidvalidity <> ?2", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	return db_exec_stmt(d, st, "effacement des drapeaux périmés", error);
}

int db_file_taken(db *d, const char *rel, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT 1 FROM files WHERE path = ?1", error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, rel);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(d, "recherche d'un fichier", error);
	return 0;
}

int db_file_add(db *d, const char *rel, const char *sha256, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "INSERT INTO files (path, sha256) VALUES (?1, ?2)", error);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, rel);
	db_bind_text(st, 2, sha256);
	return db_exec_stmt(d, st, "enregistrement d'un fichier", error);
}

int db_document_insert(db *d, document_record *doc, GError **error)
{
	/* The id is kept by an update: duplicates found meanwhile name the
	 * first document with these bytes by its place (db_document_find_sha). */
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO documents (message_id, part, filename, declared_type, detected_type,"
		" size, sha256, file, sender, state, page_model)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
		" ON CONFLICT (message_id, part) DO UPDATE SET filename = excluded.filename,"
		" declared_type = excluded.declared_type, detected_type = excluded.detected_type,"
		" size = excluded.size, sha256 = excluded.sha256, file = excluded.file,"
		" sender = excluded.sender, state = excluded.state,"
		" page_model = excluded.page_model"
		" RETURNING id", error);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, doc->message_db_id);
	db_bind_text(st, 2, doc->part);
	db_bind_text(st, 3, doc->filename);
	db_bind_text(st, 4, doc->declared_type);
	db_bind_text(st, 5, doc->detected_type);
	sqlite3_bind_int64(st, 6, doc->size);
	db_bind_text(st, 7, doc->sha256);
	db_bind_text(st, 8, doc->file);
	db_bind_text(st, 9, doc->sender);
	db_bind_text(st, 10, document_states[doc->state]);
	if (doc->page_model != NULL)
		sqlite3_bind_blob64(st, 11, g_bytes_get_data(doc->page_model, NULL),
				    g_bytes_get_size(doc->page_model), SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		doc->id = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "enregistrement d'un document", error);
	return 0;
}

int db_documents_forget_unread(db *d, int64_t message_db_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "DELETE FROM documents WHERE message_id = ?1 AND state = 'filed'",
				   error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, message_db_id);
	return db_exec_stmt(d, st, "oubli des documents non lus", error);
}

int db_message_still_fetched(db *d, int64_t id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT state = 'fetched' FROM messages WHERE id = ?1", error);
	int rc, still = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		still = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "lecture de l'état d'un message", error);
	return still;
}

int db_document_of(db *d, int64_t message_db_id, const char *part, int64_t *id_r,
		   GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT id FROM documents WHERE message_id = ?1 AND part = ?2",
				   error);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, message_db_id);
	db_bind_text(st, 2, part);
	rc = sqlite3_step(st);
	*id_r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(d, "recherche d'un document", error);
	return 0;
}

int db_document_set_state(db *d, int64_t id, document_state state, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "UPDATE documents SET state = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, document_states[state]);
	return db_exec_stmt(d, st, "mise à jour d'un document", error);
}

GBytes *db_document_page_model(db *d, int64_t id, const char *sha256, GError **error)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT page_model FROM documents WHERE id = ?1 AND sha256 = ?2",
				   error);
	GBytes *out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB)
		out = g_bytes_new(sqlite3_column_blob(st, 0), (gsize)sqlite3_column_bytes(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(d, "lecture de la lecture gardée d'un document", error);
		return NULL;
	}
	return out;
}

int db_document_find_sha(db *d, const char *sha256, int64_t before_id, char **first_r,
			 char **message_r, GError **error)
{
	/* The first taken in: a duplicate of a duplicate names the original. */
	sqlite3_stmt *st = db_stmt(d,
		"SELECT o.number, m.number, m.message_id, m.received_at FROM documents doc"
		" JOIN messages m ON m.id = doc.message_id"
		" LEFT JOIN orders o ON o.document_id = doc.id"
		" WHERE doc.sha256 = ?1 AND (?2 = 0 OR doc.id < ?2) ORDER BY doc.id LIMIT 1", error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, sha256);
	sqlite3_bind_int64(st, 2, before_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *order_number = (const char *)sqlite3_column_text(st, 0);
		const char *msg_number = (const char *)sqlite3_column_text(st, 1);
		const char *msg_id = (const char *)sqlite3_column_text(st, 2);
		const char *received = (const char *)sqlite3_column_text(st, 3);

		if (order_number != NULL)
			*first_r = g_strdup(order_number);
		else if (msg_id != NULL)
			*first_r = g_strdup_printf("%s <%s>", msg_number, msg_id);
		else
			*first_r = g_strdup(msg_number);
		if (message_r != NULL) {
			g_autoptr(GDateTime) t =
				received ? g_date_time_new_from_iso8601(received, NULL) : NULL;
			g_autoptr(GDateTime) local = t ? g_date_time_to_local(t) : NULL;
			g_autofree char *day = local ? g_date_time_format(local, "%d/%m/%Y") : NULL;

			*message_r = day ? g_strdup_printf("%s, reçu le %s", msg_number, day)
					 : g_strdup(msg_number);
		}
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "recherche d'un document", error);
	return 0;
}

int db_quarantine_insert(db *d, int64_t message_db_id, int64_t document_id,
			 const quarantine_entry *q, GError **error)
{
	g_autofree char *now = db_now_iso();
	sqlite3_stmt *st = db_stmt(d,
		"INSERT INTO quarantine (message_id, document_id, attachment, sha256, reason,"
		" detail, duplicate_of, file, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, message_db_id);
	if (document_id > 0)
		sqlite3_bind_int64(st, 2, document_id);
	db_bind_text(st, 3, q->attachment);
	db_bind_text(st, 4, q->sha256);
	db_bind_text(st, 5, quarantine_reason_name(q->reason));
	db_bind_text(st, 6, q->detail ? q->detail : "");
	db_bind_text(st, 7, q->duplicate_of);
	db_bind_text(st, 8, q->file);
	db_bind_text(st, 9, now);
	return db_exec_stmt(d, st, "enregistrement en quarantaine", error);
}

/* The quarantine's entries, or the one of id (> 0). */
static GPtrArray *quarantine_select(db *d, int64_t id, GError **error)
{
	sqlite3_stmt *st = db_stmt(d,
		"SELECT q.id, m.number, m.message_id, m.from_addr, m.subject, m.received_at,"
		" q.attachment, q.sha256, q.reason, q.detail, q.duplicate_of,"
		" coalesce(q.file, m.file), q.created_at, doc.file"
		" FROM quarantine q JOIN messages m ON m.id = q.message_id"
		" LEFT JOIN documents doc ON doc.id = q.document_id"
		" WHERE ?1 = 0 OR q.id = ?1 ORDER BY q.id", error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)quarantine_entry_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(st, 8);
		quarantine_entry *q = quarantine_entry_new();

		g_ptr_array_add(out, q);
		if (!quarantine_reason_parse(reason, &q->reason)) {
			db_unknown_word("la raison de quarantaine", reason, error);
			sqlite3_reset(st);
			g_ptr_array_unref(out);
			return NULL;
		}
		q->id = sqlite3_column_int64(st, 0);
		q->message_number = db_col_text(st, 1);
		q->message_id = db_col_text(st, 2);
		q->from_addr = db_col_text(st, 3);
		q->subject = db_col_text(st, 4);
		q->received_at = db_col_text(st, 5);
		q->attachment = db_col_text(st, 6);
		q->sha256 = db_col_text(st, 7);
		q->detail = db_col_text(st, 9);
		q->duplicate_of = db_col_text(st, 10);
		q->file = db_col_text(st, 11);
		q->created_at = db_col_text(st, 12);
		q->document_file = db_col_text(st, 13);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d, "liste de la quarantaine", error);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

GPtrArray *db_quarantine_list(db *d, GError **error)
{
	return quarantine_select(d, 0, error);
}

quarantine_entry *db_quarantine_get(db *d, int64_t id, GError **error)
{
	g_autoptr(GPtrArray) one = id > 0 ? quarantine_select(d, id, error) : NULL;

	return one != NULL && one->len > 0 ? g_ptr_array_steal_index(one, 0) : NULL;
}
