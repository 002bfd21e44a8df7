/* outbox.c: sending the outbox (outbox.h). */
#include "mail/outbox.h"

#include "lib/crashpoint.h"
#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "mail/smtp.h"
#include "store/db_outbox.h"

#define OUTBOX_BATCH 100

/* The next try after tries failures: 1, 2, 4… minutes, at most 6 hours
 * (ISO 8601, UTC).  Owned. */
static char *next_try(int tries)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	int minutes = tries >= 9 ? 360 : MIN(1 << tries, 360);
	g_autoptr(GDateTime) then = g_date_time_add_minutes(now, minutes);

	return g_date_time_format(then, "%Y-%m-%dT%H:%M:%SZ");
}

/* Records what became of m; a temporary failure on its last try is its end. */
static int record(db *d, const outbox_mail *m, smtp_result r, const char *reply,
		  outbox_round *round, GError **error)
{
	outbox_state state = r == SMTP_SENT	 ? OUTBOX_SENT
			     : r == SMTP_PERMANENT ? OUTBOX_DEAD
			     : m->tries + 1 >= OUTBOX_MAX_TRIES ? OUTBOX_DEAD
							       : OUTBOX_FAILED;
	g_autofree char *later = state == OUTBOX_FAILED ? next_try(m->tries) : NULL;

	if (state == OUTBOX_SENT)
		round->sent++;
	else if (state == OUTBOX_FAILED)
		round->failed++;
	else
		round->dead++;
	{
		g_autofree char *to = g_strjoinv(", ", m->to);

		log_info("courriel %" G_GINT64_FORMAT " (%s, à %s) <%s> : %s%s%s", (gint64)m->id,
			 mail_kind_fr(m->kind), to, m->message_id, outbox_state_fr(state),
			 reply ? " : " : "", reply ? reply : "");
	}
	return db_outbox_mark(d, m->id, state, reply, later, error);
}

/* Sends batch, the mails due, through *s (opened at the first mail that
 * needs it).  0, with *stop_r when the round ends here (the server
 * unreachable or lost); -1 when a record failed. */
static int send_batch(db *d, config *cfg, const volatile sig_atomic_t *stop, GPtrArray *batch,
		      smtp_session **s, outbox_round *round, gboolean *stop_r, GError **error)
{
	*stop_r = FALSE;
	for (guint i = 0; i < batch->len; i++) {
		if (stop != NULL && *stop) {
			/* asked to stop: the rest wait for the next round */
			*stop_r = TRUE;
			return 0;
		}
		const outbox_mail *m = batch->pdata[i];
		g_autoptr(GPtrArray) rcpts = g_ptr_array_new();
		g_autofree char *reply = NULL;
		gsize size = g_bytes_get_size(m->raw);
		smtp_result r;

		if (size > OUTBOX_MAX_BYTES) {
			g_autofree char *why = g_strdup_printf(
				"courriel trop gros : %" G_GSIZE_FORMAT " octets, mailorder n'envoie pas "
				"plus de %d Mo", size, OUTBOX_MAX_BYTES / 1000 / 1000);

			if (record(d, m, SMTP_PERMANENT, why, round, error) < 0)
				return -1;
			continue;
		}
		if (*s == NULL) {
			smtp_result opened;
			g_autoptr(GError) err = NULL;

			*s = smtp_open(&cfg->smtp, &opened, &err);
			if (*s == NULL) {
				/* every mail of the batch waits for the next round, one
				 * try counted */
				for (guint k = i; k < batch->len; k++) {
					if (record(d, batch->pdata[k], SMTP_TEMPORARY, err->message, round,
						   NULL) < 0)
						break;
				}
				g_propagate_error(error, g_steal_pointer(&err));
				*stop_r = TRUE;
				return 0;
			}
			if (smtp_size_limit(*s) > 0)
				log_info("SMTP : connecté (%s ; courriels de %" G_GSIZE_FORMAT
					 " octets au plus)", smtp_pipelining(*s) ? "PIPELINING" :
					 "une commande à la fois", smtp_size_limit(*s));
			else
				log_info("SMTP : connecté (%s)", smtp_pipelining(*s) ? "PIPELINING" :
					 "une commande à la fois");
		}
		for (guint k = 0; m->to[k] != NULL; k++)
			g_ptr_array_add(rcpts, m->to[k]);
		if (m->bcc != NULL)
			g_ptr_array_add(rcpts, m->bcc);
		g_ptr_array_add(rcpts, NULL);
		r = smtp_send(*s, m->envelope_from, (const char *const *)rcpts->pdata, m->raw, &reply);
		/* the window where a mail can go twice: after the 250, before this
		 * record; it goes again with the same Message-ID */
		crashpoint("outbox-sent");
		if (record(d, m, r, reply, round, error) < 0)
			return -1;
		if (!smtp_alive(*s)) {
			/* the rest wait for the next round */
			*stop_r = TRUE;
			return 0;
		}
	}
	return 0;
}

/* outbox_send_due, the send lock held. */
static int send_locked(db *d, config *cfg, const volatile sig_atomic_t *stop,
		       outbox_round *round_r, GError **error)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *now_iso = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	smtp_session *s = NULL;
	gboolean ended = FALSE;
	int rc = 0;

	/* Batch after batch: each mail recorded leaves the due ones (sent,
	 * dead, or failed with its next try after now_iso), so that this ends. */
	while (!ended) {
		g_autoptr(GPtrArray) due = db_outbox_due(d, now_iso, OUTBOX_BATCH, error);

		if (due == NULL) {
			rc = -1;
			break;
		}
		if (due->len == 0)
			break;
		if (send_batch(d, cfg, stop, due, &s, round_r, &ended, error) < 0) {
			rc = -1;
			break;
		}
		if (ended && s == NULL && !(stop != NULL && *stop))
			rc = -1;   /* the server could not be reached: said in *error */
	}
	smtp_close(&s);
	return rc;
}

int outbox_send_due(db *d, config *cfg, const volatile sig_atomic_t *stop, outbox_round *round_r,
		    GError **error)
{
	g_autofree char *lock_path = NULL;
	int lock_fd = -1, taken, rc;

	*round_r = (outbox_round){ 0 };
	if (config_require_smtp(cfg, error) < 0)
		return -1;
	lock_path = g_strdup_printf("%s.send-lock", cfg->storage.database);
	/* no note: a round is short, and run takes the lock at each look */
	taken = fsutil_lock_try(lock_path, NULL, &lock_fd, NULL, error);
	if (taken < 0)
		return -1;
	if (taken == 0) {
		round_r->busy = TRUE;
		return 0;
	}
	/* Order is important: what is due is read once the lock is held, so
	 * that it holds every record of the previous holder's round. */
	rc = send_locked(d, cfg, stop, round_r, error);
	fsutil_lock_release(&lock_fd);
	return rc;
}
