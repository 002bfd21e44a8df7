/* db_intake.h: the database's queries on mailboxes, messages, server flags, archive names, documents, quarantine
 * (db.h: the connection, transactions, errors and ownership rules). */
#ifndef MO_DB_INTAKE_H
#define MO_DB_INTAKE_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>
#include <stdint.h>

/* The UIDVALIDITY and last UID taken in for a mailbox; 0, 0 when unknown. */
int db_mailbox_get(db *d, const char *mailbox, uint32_t *uidvalidity_r, uint32_t *last_uid_r,
		   GError **error);
int db_mailbox_set(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t last_uid,
		   GError **error);

/* 1 and *number_r (owned) when a message with these raw bytes was taken in,
 * 0 when not. */
int db_message_find_sha(db *d, const char *sha256, char **number_r, GError **error);
/* Inserts m (state, number, file... set by the caller); sets m->id. */
int db_message_insert(db *d, message_record *m, GError **error);
/* Messages in a state, oldest first, at most limit (0: all).  Array of
 * message_record*, owned. */
GPtrArray *db_messages_in_state(db *d, message_state state, int limit, GError **error);
/* The same, of those left to the OCR stage (ocr_pending 1) or not (0);
 * -1: either. */
GPtrArray *db_messages_to_read(db *d, message_state state, int ocr_pending, int limit,
			       GError **error);
/* The message hangs its reader (the watchdog says so): its readings
 * counted as at least attempts, so that the next one gives it up. */
int db_message_give_up(db *d, const char *number, int attempts, GError **error);
/* The message has scans: the OCR stage reads it (it stays "fetched"),
 * its readings counted anew. */
int db_message_defer_ocr(db *d, int64_t id, GError **error);
/* Counts one more reading begun for each message (message_record*), in
 * a transaction of its own: committed before the reading starts. */
int db_messages_count_attempt(db *d, GPtrArray *messages, GError **error);
int db_message_set_state(db *d, int64_t id, message_state state, GError **error);

/* Server-side flags still to set (written in the transaction that records
 * the message; cleared once the server said OK). */
int db_flag_pending_add(db *d, const char *mailbox, uint32_t uidvalidity, uint32_t uid,
			GError **error);
/* Array of uint32_t, owned. */
GArray *db_flag_pending_list(db *d, const char *mailbox, uint32_t uidvalidity, GError **error);
int db_flag_pending_clear(db *d, const char *mailbox, uint32_t uidvalidity,
			  const uint32_t *uids, size_t n, GError **error);
/* Forgets pending flags of other UIDVALIDITYs (their UIDs mean nothing now). */
int db_flag_pending_drop_stale(db *d, const char *mailbox, uint32_t uidvalidity,
			       GError **error);

/* The archive's file names: 1 if rel is recorded, 0 if free. */
int db_file_taken(db *d, const char *rel, GError **error);
int db_file_add(db *d, const char *rel, const char *sha256, GError **error);

/* Records doc (sets doc->id), its reading with it (doc->page_model); the
 * document of the same message and part recorded before (a scan's, left
 * to the OCR stage: db_document_of) is updated in place, keeps its id and
 * takes doc's reading, or none. */
int db_document_insert(db *d, document_record *doc, GError **error);
int db_document_set_state(db *d, int64_t id, document_state state, GError **error);
/* The reading kept with document id, when its bytes are still these
 * (sha256); NULL with no error when none is. */
GBytes *db_document_page_model(db *d, int64_t id, const char *sha256, GError **error);
/* Forgets the documents of a message recorded before they were taken in
 * (state filed: a scan left to the OCR stage, and its message's other
 * documents, with the first stage's readings), when the message ends
 * without being read. */
int db_documents_forget_unread(db *d, int64_t message_db_id, GError **error);
/* 1 while the message is still to be read (state fetched), 0 once read. */
int db_message_still_fetched(db *d, int64_t id, GError **error);
/* The id of the document recorded for this message's part, 0 for none. */
int db_document_of(db *d, int64_t message_db_id, const char *part, int64_t *id_r,
		   GError **error);
/* 1 when a document with these bytes was taken in before: *first_r (owned)
 * names it for the clerk: its order number, else its message's number and
 * Message-ID; *message_r (owned, may be NULL) its message and the day it
 * came.  before_id: only documents recorded before that one count (the
 * one asking, when it is recorded already); 0: all. */
int db_document_find_sha(db *d, const char *sha256, int64_t before_id, char **first_r,
			 char **message_r, GError **error);

/* q's message_number is ignored; message_db_id says which message. */
int db_quarantine_insert(db *d, int64_t message_db_id, int64_t document_id,
			 const quarantine_entry *q, GError **error);
/* Every entry, oldest first.  Array of quarantine_entry*, owned. */
GPtrArray *db_quarantine_list(db *d, GError **error);
/* The entry id; NULL with no error when there is none. */
quarantine_entry *db_quarantine_get(db *d, int64_t id, GError **error);

#endif
