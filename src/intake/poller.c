#include "intake/poller.h"

#include "orders/numbering.h"

#include "store/archive.h"
#include "lib/crashpoint.h"
#include "store/db.h"
#include "store/db_intake.h"
#include "lib/error.h"
#include "mail/imap.h"
#include "intake/intake_worker.h"
#include "lib/log.h"
#include "mail/mime.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* UIDs per STORE command; flags wait in the database until that many are
 * due or the pass ends: a STORE costs Dovecot time in proportion to the
 * mailbox, so one per batch made a pass over a large mailbox quadratic. */
#define FLAG_CHUNK 500
/* The header block is kept in memory as it streams past, up to this size,
 * so that recording a message does not read its file back. */
#define HEAD_MAX (256 * 1024)

typedef struct {
	const config *cfg;
	db *d;
	archive *a;
	intake_worker *w;         /* reads what this thread fetched */
	imap_session *s;
	uint32_t uidvalidity;
	uint32_t last_uid;
	volatile sig_atomic_t *stop;
	poller_stats *stats;
	gboolean local_failure;   /* the failure is ours (disk, database), not the server's */
	guint flags_due;          /* messages recorded since the last STORE */
	GTimeZone *tz;            /* local time, read once a pass (GLib reads
				   * /etc/localtime at each g_date_time_to_local) */
} poller;

/* ---------------------------------------------------------------- fetch */

typedef struct {
	uint32_t uid;
	archive_stage *stage;
	GDateTime *internal_date;
	GByteArray *head;         /* the header block, when it was under HEAD_MAX */
} fetched_item;

static void fetched_item_free(fetched_item *it)
{
	archive_stage_free(&it->stage);
	if (it->head)
		g_byte_array_unref(it->head);
	if (it->internal_date)
		g_date_time_unref(it->internal_date);
	g_free(it);
}

typedef struct {
	poller *p;
	archive_stage *current;
	GByteArray *head;         /* the current message's bytes up to its blank line */
	gboolean head_whole;      /* head holds the whole header block */
	GPtrArray *items;         /* fetched_item*, complete messages */
} fetch_ctx;

static int on_begin(void *ctx, GError **error)
{
	fetch_ctx *fc = ctx;

	archive_stage_free(&fc->current);
	if (fc->head != NULL)
		g_byte_array_set_size(fc->head, 0);
	else
		fc->head = g_byte_array_new();
	fc->head_whole = FALSE;
	fc->current = archive_stage_new(fc->p->a, TRUE, error);
	if (fc->current == NULL) {
		fc->p->local_failure = TRUE;
		return -1;
	}
	return 0;
}

/* Keeps the bytes up to the first blank line (CRLF or bare LF). */
static void head_take(fetch_ctx *fc, const char *bytes, size_t len)
{
	GByteArray *h = fc->head;
	size_t from;

	if (fc->head_whole || h->len >= HEAD_MAX)
		return;
	/* The blank line may straddle two chunks: look back three bytes. */
	from = h->len >= 3 ? h->len - 3 : 0;
	g_byte_array_append(h, (const guint8 *)bytes, (guint)MIN(len, HEAD_MAX - h->len));
	for (size_t i = from; i + 1 < h->len; i++) {
		if (h->data[i] != '\n')
			continue;
		if (h->data[i + 1] == '\n' ||
		    (h->data[i + 1] == '\r' && i + 2 < h->len && h->data[i + 2] == '\n')) {
			g_byte_array_set_size(h, (guint)(i + (h->data[i + 1] == '\n' ? 2 : 3)));
			fc->head_whole = TRUE;
			return;
		}
	}
}

static int on_data(const char *bytes, size_t len, void *ctx, GError **error)
{
	fetch_ctx *fc = ctx;

	if (fc->current == NULL && on_begin(ctx, error) < 0)
		return -1;
	head_take(fc, bytes, len);
	if (archive_stage_write(fc->current, bytes, len, error) < 0) {
		fc->p->local_failure = TRUE;
		return -1;
	}
	return 0;
}

static int on_end(uint32_t uid, GDateTime *internal_date, void *ctx, GError **error)
{
	fetch_ctx *fc = ctx;
	fetched_item *it;

	/* A FETCH response without a body (a flag update): nothing to keep. */
	if (fc->current == NULL)
		return 0;
	if (archive_stage_finish(fc->current, error) < 0) {
		fc->p->local_failure = TRUE;
		return -1;
	}
	it = g_new0(fetched_item, 1);
	it->uid = uid;
	it->stage = g_steal_pointer(&fc->current);
	it->internal_date = internal_date ? g_date_time_ref(internal_date) : NULL;
	/* A message all header (no blank line) is whole in head too. */
	if (fc->head_whole || fc->head->len < HEAD_MAX)
		it->head = g_steal_pointer(&fc->head);
	g_ptr_array_add(fc->items, it);
	return 0;
}

static gint by_uid(gconstpointer a, gconstpointer b)
{
	const fetched_item *x = *(fetched_item *const *)a;
	const fetched_item *y = *(fetched_item *const *)b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

static char *iso_utc(GDateTime *t)
{
	g_autoptr(GDateTime) utc = NULL;

	if (t == NULL)
		return NULL;
	utc = g_date_time_to_utc(t);
	return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Files one fetched message in the archive and records it (inside the
 * caller's transaction).  A message whose bytes were taken in before is
 * only flagged. */
static int record_message(poller *p, fetched_item *it, GError **error)
{
	const char *mailbox = p->cfg->imap.mailbox;
	const char *sha = archive_stage_sha256(it->stage);
	g_autoptr(message_record) m = NULL;
	g_autoptr(GMappedFile) map = NULL;
	g_autoptr(GDateTime) date = NULL;
	g_autofree char *first = NULL;
	g_autofree char *partner = NULL;
	mime_headers h = { 0 };
	GError *map_err = NULL;
	int known;

	known = db_message_find_sha(p->d, sha, &first, error);
	if (known < 0)
		return -1;
	if (known) {
		log_info("UID %u : le même message que %s (même SHA-256) : pas repris",
			 it->uid, first);
		p->stats->known++;
		return db_flag_pending_add(p->d, mailbox, p->uidvalidity, it->uid, error);
	}
	if (it->head != NULL) {
		mime_parse_headers((const char *)it->head->data, it->head->len, &h);
	} else {
		/* Headers of over HEAD_MAX: read from the file. */
		map = g_mapped_file_new(archive_stage_path(it->stage), FALSE, &map_err);
		if (map == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de lire %s : %s",
				    archive_stage_path(it->stage), map_err->message);
			g_error_free(map_err);
			return -1;
		}
		mime_parse_headers(g_mapped_file_get_contents(map), g_mapped_file_get_length(map),
				   &h);
	}
	m = message_record_new();
	partner = intake_partner_for(p->d, h.from_addr, error);
	if (partner == NULL || numbering_next(p->d, NUMBER_MESSAGE, &m->number, error) < 0)
		goto fail;
	/* The Date header says when the customer sent it; the server's date is
	 * the fallback for a message without one. */
	if (h.date != NULL)
		date = g_date_time_to_timezone(h.date, p->tz);
	else if (it->internal_date != NULL)
		date = g_date_time_to_timezone(it->internal_date, p->tz);
	else
		date = g_date_time_new_now(p->tz);
	if (archive_stage_commit(it->stage, partner, "EML", m->number, date, "eml", file_taken,
				 p->d, &m->file, error) < 0 ||
	    db_file_add(p->d, m->file, sha, error) < 0)
		goto fail;
	m->mailbox = g_strdup(mailbox);
	m->uidvalidity = p->uidvalidity;
	m->uid = it->uid;
	m->sha256 = g_strdup(sha);
	m->message_id = g_strdup(h.message_id);
	m->from_addr = g_strdup(h.from_addr);
	m->from_name = g_strdup(h.from_name);
	m->reply_to = g_strdup(h.reply_to);
	m->subject = g_strdup(h.subject);
	m->date = iso_utc(h.date);
	m->received_at = iso_utc(it->internal_date);
	m->size = archive_stage_size(it->stage);
	m->state = MESSAGE_FETCHED;
	if (db_message_insert(p->d, m, error) < 0 ||
	    db_flag_pending_add(p->d, mailbox, p->uidvalidity, it->uid, error) < 0)
		goto fail;
	log_info("UID %u : %s de %s, « %s », archivé sous %s", it->uid, m->number,
		 m->from_addr ? m->from_addr : "?", m->subject ? m->subject : "", m->file);
	p->stats->fetched++;
	mime_headers_clear(&h);
	return 0;
fail:
	mime_headers_clear(&h);
	return -1;
}

/* Records complete messages and moves the last UID to new_last (one
 * transaction, after one archive sync). */
static int record_batch(poller *p, GPtrArray *items, uint32_t new_last, GError **error)
{
	if (db_begin(p->d, error) < 0)
		return -1;
	for (guint i = 0; i < items->len; i++) {
		if (record_message(p, items->pdata[i], error) < 0)
			goto fail;
	}
	if (db_mailbox_set(p->d, p->cfg->imap.mailbox, p->uidvalidity, new_last, error) < 0)
		goto fail;
	crashpoint("before-sync");
	/* Order is important: the archived files are durable before the
	 * transaction that records them commits. */
	if (archive_sync(p->a, error) < 0)
		goto fail;
	crashpoint("before-commit");
	if (db_commit(p->d, error) < 0)
		return -1;
	p->last_uid = new_last;
	crashpoint("after-commit");
	return 0;
fail:
	db_rollback(p->d);
	return -1;
}

/* Sets the server-side flag on every message still waiting for it. */
static int flag_pending(poller *p, GError **error)
{
	const char *mailbox = p->cfg->imap.mailbox;
	g_autoptr(GArray) uids = db_flag_pending_list(p->d, mailbox, p->uidvalidity, error);

	if (uids == NULL) {
		p->local_failure = TRUE;
		return -1;
	}
	p->flags_due = 0;
	for (guint i = 0; i < uids->len; i += FLAG_CHUNK) {
		const uint32_t *chunk = &g_array_index(uids, uint32_t, i);
		size_t n = MIN((guint)FLAG_CHUNK, uids->len - i);

		if (imap_mark_taken(p->s, chunk, n, error) < 0)
			return -1;
		crashpoint("after-flag");
		if (db_begin(p->d, error) < 0 ||
		    db_flag_pending_clear(p->d, mailbox, p->uidvalidity, chunk, n, error) < 0 ||
		    db_commit(p->d, error) < 0) {
			db_rollback(p->d);
			p->local_failure = TRUE;
			return -1;
		}
	}
	return 0;
}

/* Hands the committed messages to the intake thread; fails if it failed. */
static int process_intake(poller *p, GError **error)
{
	intake_worker_kick(p->w);
	if (intake_worker_check(p->w, error) < 0) {
		p->local_failure = TRUE;
		return -1;
	}
	return 0;
}

static int fetch_batch(poller *p, const uint32_t *uids, size_t n, GError **error)
{
	static const imap_fetch_handler handler = { on_begin, on_data, on_end };
	fetch_ctx fc = { .p = p };
	g_autoptr(GError) fetch_err = NULL;
	uint32_t settled = p->last_uid;
	guint recorded;
	int rc;

	fc.items = g_ptr_array_new_with_free_func((GDestroyNotify)fetched_item_free);
	rc = imap_fetch(p->s, uids, n, &handler, &fc, &fetch_err);
	archive_stage_free(&fc.current);  /* a message cut short */
	if (fc.head != NULL)
		g_byte_array_unref(fc.head);
	g_ptr_array_sort(fc.items, by_uid);
	crashpoint("after-fetch");
	if (rc == 0) {
		/* Every UID asked for is settled, even one expunged meanwhile. */
		settled = uids[n - 1];
	} else {
		/* Keep the messages that arrived whole before the failure, up to
		 * the first one missing: the next pass starts there. */
		guint k = 0;

		for (size_t i = 0; i < n; i++) {
			if (k < fc.items->len && ((fetched_item *)fc.items->pdata[k])->uid == uids[i]) {
				settled = uids[i];
				k++;
			} else {
				break;
			}
		}
		g_ptr_array_set_size(fc.items, k);
	}
	if (settled > p->last_uid && record_batch(p, fc.items, settled, error) < 0) {
		p->local_failure = TRUE;
		g_ptr_array_unref(fc.items);
		return -1;
	}
	recorded = fc.items->len;
	g_ptr_array_unref(fc.items);
	if (rc < 0) {
		g_propagate_error(error, g_steal_pointer(&fetch_err));
		return -1;
	}
	p->flags_due += recorded;
	if (p->flags_due >= FLAG_CHUNK && flag_pending(p, error) < 0)
		return -1;
	return process_intake(p, error);
}

/* Takes the server's UIDVALIDITY; a new one means our UIDs are void. */
static int sync_uidvalidity(poller *p, const imap_mailbox_status *st, GError **error)
{
	const char *mailbox = p->cfg->imap.mailbox;
	uint32_t known_validity, last;

	if (db_mailbox_get(p->d, mailbox, &known_validity, &last, error) < 0)
		goto fail;
	if (known_validity == st->uidvalidity) {
		p->uidvalidity = known_validity;
		p->last_uid = last;
		return 0;
	}
	if (known_validity != 0)
		log_warn("boîte %s : UIDVALIDITY passé de %u à %u : elle est relue ; les messages "
			 "déjà pris sont reconnus à leur SHA-256",
			 mailbox, known_validity, st->uidvalidity);
	if (db_begin(p->d, error) < 0)
		goto fail;
	if (db_mailbox_set(p->d, mailbox, st->uidvalidity, 0, error) < 0 ||
	    db_flag_pending_drop_stale(p->d, mailbox, st->uidvalidity, error) < 0 ||
	    db_commit(p->d, error) < 0) {
		db_rollback(p->d);
		goto fail;
	}
	p->uidvalidity = st->uidvalidity;
	p->last_uid = 0;
	return 0;
fail:
	p->local_failure = TRUE;
	return -1;
}

static int poller_pass(poller *p, GError **error)
{
	imap_mailbox_status st = { 0 };

	if (p->tz != NULL)
		g_time_zone_unref(p->tz);
	p->tz = g_time_zone_new_local();
	if (imap_select(p->s, p->cfg->imap.mailbox, &st, error) < 0)
		return -1;
	if (sync_uidvalidity(p, &st, error) < 0)
		return -1;
	/* Left over by a crash: finish those first. */
	if (flag_pending(p, error) < 0 || process_intake(p, error) < 0)
		return -1;
	for (;;) {
		g_autoptr(GArray) list = imap_list_after(p->s, p->last_uid, error);
		guint i = 0;

		if (list == NULL)
			return -1;
		if (list->len == 0)
			return flag_pending(p, error);
		log_debug("boîte %s : %u message(s) nouveau(x) après l'UID %u", p->cfg->imap.mailbox,
			  list->len, p->last_uid);
		while (i < list->len) {
			g_autofree uint32_t *uids = NULL;
			size_t bytes = 0;
			guint j = i;

			if (*p->stop)
				return flag_pending(p, error);
			/* A batch: up to N messages or B bytes, at least one message. */
			while (j < list->len && j - i < POLLER_BATCH_MESSAGES) {
				const imap_uid_size *u = &g_array_index(list, imap_uid_size, j);

				if (j > i && bytes + u->size > POLLER_BATCH_BYTES)
					break;
				bytes += u->size;
				j++;
			}
			uids = g_new(uint32_t, j - i);
			for (guint k = i; k < j; k++)
				uids[k - i] = g_array_index(list, imap_uid_size, k).uid;
			if (fetch_batch(p, uids, j - i, error) < 0)
				return -1;
			i = j;
		}
		/* Loop: messages delivered during the pass are taken now. */
	}
}

/* Waits up to seconds, or until wake_fd is readable.  Returns 1 if woken. */
static int sleep_or_wake(int seconds, int wake_fd)
{
	struct pollfd pfd = { .fd = wake_fd, .events = POLLIN };
	int r = poll(&pfd, wake_fd >= 0 ? 1 : 0, seconds * 1000);

	return r > 0;
}

static void drain(int fd)
{
	char buf[64];

	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
}

int poller_run(const config *cfg, gboolean once, volatile sig_atomic_t *stop, int wake_fd,
	       poller_stats *stats, GError **error)
{
	poller p = { .cfg = cfg, .stop = stop, .stats = stats };
	g_autoptr(GError) err = NULL;
	int backoff = 1, rc = 0, pass_rc;
	gint64 pass_t0;

	p.d = db_open(cfg->storage.database, FALSE, error);
	if (p.d == NULL || db_check_schema(p.d, error) < 0) {
		db_close(&p.d);
		return -1;
	}
	p.a = archive_open(cfg->storage.archive, "fetch", error);
	/* Staging is purged before the intake thread can stage anything. */
	if (p.a == NULL || archive_purge_staging(p.a, error) < 0 ||
	    (p.w = intake_worker_start(cfg, error)) == NULL) {
		rc = -1;
		goto out;
	}
	while (!*stop) {
		if (p.s == NULL) {
			p.s = imap_connect(&cfg->imap, &err);
			if (p.s == NULL)
				goto failed;
			log_debug("connecté à %s:%d", cfg->imap.host, cfg->imap.port);
			if (!once && !imap_has_idle(p.s))
				log_info("%s:%d n'a pas IDLE : relève toutes les %d s "
					 "(poll_interval)", cfg->imap.host, cfg->imap.port,
					 cfg->imap.poll_interval);
		}
		p.local_failure = FALSE;
		pass_t0 = g_get_monotonic_time();
		pass_rc = poller_pass(&p, &err);
		stats->fetch_us += g_get_monotonic_time() - pass_t0;
		if (pass_rc < 0)
			goto failed;
		backoff = 1;
		if (once || *stop)
			break;
		if (imap_has_idle(p.s)) {
			/* Servers end an IDLE after 30 minutes (RFC 2177) and NATs
			 * drop quiet connections: renewed well before. */
			int r = imap_idle_wait(p.s, MIN(cfg->imap.poll_interval, POLLER_IDLE_MAX_S),
					       wake_fd, &err);

			if (r < 0)
				goto failed;
		} else {
			sleep_or_wake(cfg->imap.poll_interval, wake_fd);
		}
		drain(wake_fd);
		continue;
failed:
		imap_close(&p.s);
		if (once || p.local_failure) {
			g_propagate_error(error, g_steal_pointer(&err));
			rc = -1;
			break;
		}
		log_error("%s ; nouvel essai dans %d s", err->message, backoff);
		g_clear_error(&err);
		sleep_or_wake(backoff, wake_fd);
		drain(wake_fd);
		backoff = MIN(backoff * 2, POLLER_BACKOFF_MAX_S);
	}
out:
	imap_close(&p.s);
	{
		intake_stats st = { 0 };
		g_autoptr(GError) worker_err = NULL;

		/* --once reads everything it took in; a stop asked for does not
		 * wait for scans still to read (they are read next time) */
		if (intake_worker_finish(&p.w, once && !*stop, &st, &stats->intake_us, &worker_err) < 0 &&
		    rc == 0) {
			g_propagate_error(error, g_steal_pointer(&worker_err));
			rc = -1;
		}
		stats->drafts += st.drafts;
		stats->quarantined += st.quarantined;
		stats->documents += st.documents;
		stats->readings_kept += st.readings_kept;
		stats->reading_us += st.reading_us;
	}
	archive_free(&p.a);
	db_close(&p.d);
	if (p.tz != NULL)
		g_time_zone_unref(p.tz);
	return rc;
}
