/* outbox.c: sending the outbox (outbox.h). */
#include "mail/outbox.h"

#include "lib/crashpoint.h"
#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "mail/smtp.h"
#include "store/db_outbox.h"

#define OUTBOX_BATCH 100

#define ISO_UTC "%Y-%m-%dT%H:%M:%SZ"

/* When m is given up on: OUTBOX_GIVE_UP_HOURS after it was queued.
 * Owned; NULL when its queued_at cannot be read (never for a mail that
 * db_outbox_queue wrote): it is then tried on, rather than lost. */
static GDateTime *give_up_time(const outbox_mail *m)
{
	g_autoptr(GDateTime) queued =
		m->queued_at != NULL ? g_date_time_new_from_iso8601(m->queued_at, NULL) : NULL;

	return queued != NULL ? g_date_time_add_hours(queued, OUTBOX_GIVE_UP_HOURS) : NULL;
}

/* The next try after tries failures: 1, 2, 4… minutes after now, at most
 * OUTBOX_MAX_DELAY_MIN, and no later than give_up (NULL: none), so that
 * the last try falls when the mail is given up on, not hours after.
 * ISO 8601, UTC.  Owned. */
static char *next_try(int tries, GDateTime *now, GDateTime *give_up)
{
	/* (tries is the database's: a shift too far would be undefined) */
	int minutes = tries >= 0 && tries < 16 ? MIN(1 << tries, OUTBOX_MAX_DELAY_MIN)
					       : OUTBOX_MAX_DELAY_MIN;
	g_autoptr(GDateTime) then = g_date_time_add_minutes(now, minutes);

	if (give_up != NULL && g_date_time_compare(give_up, then) < 0)
		return g_date_time_format(give_up, ISO_UTC);
	return g_date_time_format(then, ISO_UTC);
}

/* Records what became of m; a temporary failure once m is
 * OUTBOX_GIVE_UP_HOURS old is its end, said with the last error. */
static int record(db *d, const outbox_mail *m, smtp_result r, const char *reply,
		  outbox_round *round, GError **error)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) give_up = r == SMTP_TEMPORARY ? give_up_time(m) : NULL;
	g_autofree char *given_up = NULL;
	g_autofree char *later = NULL;
	outbox_state state;

	if (r == SMTP_SENT) {
		state = OUTBOX_SENT;
		round->sent++;
	} else if (r == SMTP_PERMANENT) {
		state = OUTBOX_DEAD;
		round->dead++;
	} else if (give_up != NULL && g_date_time_compare(now, give_up) >= 0) {
		state = OUTBOX_DEAD;
		round->dead++;
		given_up = g_strdup_printf("abandonné : pas envoyé en %d heures ; dernière erreur : %s",
					   OUTBOX_GIVE_UP_HOURS, reply != NULL ? reply : "inconnue");
		reply = given_up;
	} else {
		state = OUTBOX_FAILED;
		round->failed++;
		later = next_try(m->tries, now, give_up);
	}
	{
		g_autofree char *to = g_strjoinv(", ", m->to);

		/* a mail given up on says it in its own words */
		log_info("courriel %" G_GINT64_FORMAT " (%s, à %s) <%s> : %s%s%s", (gint64)m->id,
			 mail_kind_fr(m->kind), to, m->message_id,
			 given_up != NULL ? "" : outbox_state_fr(state),
			 reply != NULL && given_up == NULL ? " : " : "", reply != NULL ? reply : "");
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
				 * try counted (the count is shown, it ends nothing: a
				 * mail too old is given up on, whatever its tries) */
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
	g_autofree char *now_iso = g_date_time_format(now, ISO_UTC);
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
