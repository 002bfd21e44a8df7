#include "intake_worker.h"

#include "archive.h"
#include "db.h"
#include "error.h"
#include "log.h"
#include "ocr.h"
#include "pdf.h"

#include <signal.h>
#include <stdlib.h>

/* A message still being read after this long (or after its scans' OCR
 * could take, when that is longer) holds a parser in a loop: the program
 * stops itself, as a crash would, and the reading count (intake.h) takes
 * it from there.  MAILORDER_READ_LIMIT_S changes it. */
#define READ_LIMIT_S 300

/* One stage of intake on its thread: the first reads the messages as
 * they come, the second (OCR) the ones with scans the first left it. */
typedef struct {
	struct intake_worker *w;
	const char *name;
	db *d;
	archive *a;
	intake *in;
	GThread *thread;
	gboolean pending;         /* kicked since the last pass began */
	gboolean quit;            /* finish what is pending, then end */
	intake_stats stats;
	gint64 busy_us;
} lane;

struct intake_worker {
	lane text, ocr;
	GMutex lock;              /* guards the lanes' pending, quit, stats, busy_us
				   * and what follows */
	GCond wake;
	GError *error;            /* first failure; the lanes have ended */
	GThread *watchdog;
	GCond watchdog_wake;
	gboolean watchdog_quit;
	gint64 read_limit_us;
	char *db_path;
	gboolean drain;           /* finish: read every scan left first */
};

static gpointer watchdog_main(gpointer data)
{
	intake_worker *w = data;

	g_mutex_lock(&w->lock);
	while (!w->watchdog_quit) {
		lane *lanes[] = { &w->text, &w->ocr };

		g_cond_wait_until(&w->watchdog_wake, &w->lock,
				  g_get_monotonic_time() + G_USEC_PER_SEC);
		if (w->watchdog_quit)
			break;
		for (size_t i = 0; i < G_N_ELEMENTS(lanes); i++) {
			char number[32] = "";
			gint64 elapsed = lanes[i]->in ? intake_reading_for(lanes[i]->in, number,
									   sizeof(number))
						      : 0;

			if (elapsed > w->read_limit_us) {
				g_autoptr(GError) err = NULL;
				db *d = db_open(w->db_path, FALSE, &err);

				log_error("%s: still being read after %" G_GINT64_FORMAT " s: stopping; "
					  "it will not be read again",
					  number, elapsed / G_USEC_PER_SEC);
				/* what hangs is known here: given up at once (else the
				 * readings counted give it up after a few restarts) */
				if (d == NULL || db_message_give_up(d, number, INTAKE_MAX_ATTEMPTS, &err) < 0)
					log_error("%s: cannot record it: %s", number,
						  err ? err->message : "?");
				db_close(&d);
				raise(SIGKILL);
			}
		}
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

static void lane_kick_locked(lane *l)
{
	l->pending = TRUE;
	g_cond_broadcast(&l->w->wake);
}

static gpointer lane_main(gpointer data)
{
	lane *l = data;
	intake_worker *w = l->w;

	for (;;) {
		intake_stats st = { 0 };
		GError *err = NULL;
		gint64 t0;
		int rc;

		g_mutex_lock(&w->lock);
		while (!l->pending && !l->quit && w->error == NULL)
			g_cond_wait(&w->wake, &w->lock);
		if (!l->pending || w->error != NULL) {
			g_mutex_unlock(&w->lock);
			return NULL;
		}
		l->pending = FALSE;
		g_mutex_unlock(&w->lock);

		t0 = g_get_monotonic_time();
		/* the OCR stage one message at a time: a stop need not wait for
		 * a backlog of scans */
		rc = l == &w->ocr ? intake_process_one(l->in, &st, &err)
				  : intake_process_pending(l->in, &st, &err);

		g_mutex_lock(&w->lock);
		l->busy_us += g_get_monotonic_time() - t0;
		l->stats.messages += st.messages;
		l->stats.drafts += st.drafts;
		l->stats.quarantined += st.quarantined;
		l->stats.documents += st.documents;
		l->stats.reading_us += st.reading_us;
		l->stats.deferred += st.deferred;
		if (st.deferred > 0 && l == &w->text)
			lane_kick_locked(&w->ocr);
		/* more scans wait: on, unless stopping without draining */
		if (rc > 0 && l == &w->ocr && !(l->quit && !w->drain))
			l->pending = TRUE;
		if (rc < 0) {
			if (w->error == NULL)
				w->error = err ? err : g_error_new(MO_ERROR, MO_ERROR_FAILED,
								   "%s failed", l->name);
			else
				g_clear_error(&err);
			g_cond_broadcast(&w->wake);
			g_mutex_unlock(&w->lock);
			return NULL;
		}
		g_mutex_unlock(&w->lock);
	}
}

static void lane_clear(lane *l)
{
	intake_free(&l->in);
	archive_free(&l->a);
	db_close(&l->d);
}

static void worker_free(intake_worker *w)
{
	lane_clear(&w->text);
	lane_clear(&w->ocr);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->wake);
	g_cond_clear(&w->watchdog_wake);
	g_clear_error(&w->error);
	g_free(w->db_path);
	g_free(w);
}

static int lane_open(intake_worker *w, lane *l, const config *cfg, const char *name,
		     gboolean ocr_stage, GError **error)
{
	l->w = w;
	l->name = name;
	/* Messages left "fetched" by an earlier run are read first. */
	l->pending = TRUE;
	l->d = db_open(cfg->storage.database, FALSE, error);
	if (l->d == NULL || (l->a = archive_open(cfg->storage.archive, name, error)) == NULL ||
	    (l->in = intake_new(cfg, l->d, l->a, ocr_stage, error)) == NULL)
		return -1;
	return 0;
}

intake_worker *intake_worker_start(const config *cfg, GError **error)
{
	intake_worker *w = g_new0(intake_worker, 1);

	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	g_cond_init(&w->watchdog_wake);
	if (lane_open(w, &w->text, cfg, "intake", FALSE, error) < 0 ||
	    lane_open(w, &w->ocr, cfg, "ocr", TRUE, error) < 0) {
		worker_free(w);
		return NULL;
	}
	/* a message may hold scans: each page's OCR has its own limit */
	w->read_limit_us = (gint64)MAX(READ_LIMIT_S, PDF_MAX_OCR_PAGES * (cfg->storage.ocr_timeout_s +
									   OCR_HELPER_GRACE_S) + 60) *
			   G_USEC_PER_SEC;
	w->db_path = g_strdup(cfg->storage.database);
	if (getenv("MAILORDER_READ_LIMIT_S") != NULL) {
		gint64 limit = g_ascii_strtoll(getenv("MAILORDER_READ_LIMIT_S"), NULL, 10);

		if (limit > 0)
			w->read_limit_us = limit * G_USEC_PER_SEC;
	}
	w->text.thread = g_thread_try_new("intake", lane_main, &w->text, error);
	w->ocr.thread = w->text.thread ? g_thread_try_new("ocr", lane_main, &w->ocr, error) : NULL;
	if (w->ocr.thread == NULL) {
		if (w->text.thread != NULL) {
			g_mutex_lock(&w->lock);
			w->text.quit = TRUE;
			w->text.pending = FALSE;
			g_cond_broadcast(&w->wake);
			g_mutex_unlock(&w->lock);
			g_thread_join(w->text.thread);
		}
		worker_free(w);
		return NULL;
	}
	w->watchdog = g_thread_try_new("watchdog", watchdog_main, w, NULL);
	if (w->watchdog == NULL)
		log_warn("no watchdog thread: a message that hangs its reader will not be stopped");
	return w;
}

void intake_worker_kick(intake_worker *w)
{
	g_mutex_lock(&w->lock);
	lane_kick_locked(&w->text);
	g_mutex_unlock(&w->lock);
}

int intake_worker_check(intake_worker *w, GError **error)
{
	int rc = 0;

	g_mutex_lock(&w->lock);
	if (w->error != NULL) {
		g_propagate_error(error, g_error_copy(w->error));
		rc = -1;
	}
	g_mutex_unlock(&w->lock);
	return rc;
}

/* Lets l finish what is pending, and joins it. */
static void lane_finish(intake_worker *w, lane *l)
{
	g_mutex_lock(&w->lock);
	l->quit = TRUE;
	g_cond_broadcast(&w->wake);
	g_mutex_unlock(&w->lock);
	g_thread_join(l->thread);
}

int intake_worker_finish(intake_worker **wp, gboolean drain, intake_stats *stats, gint64 *busy_us,
			 GError **error)
{
	intake_worker *w = *wp;
	lane *lanes[2];
	int rc = 0;

	if (w == NULL)
		return 0;
	*wp = NULL;
	g_mutex_lock(&w->lock);
	w->drain = drain;
	g_mutex_unlock(&w->lock);
	lanes[0] = &w->text;
	lanes[1] = &w->ocr;
	/* the first stage first: what it leaves to OCR is read before the end */
	lane_finish(w, &w->text);
	lane_finish(w, &w->ocr);
	if (w->watchdog != NULL) {
		g_mutex_lock(&w->lock);
		w->watchdog_quit = TRUE;
		g_cond_signal(&w->watchdog_wake);
		g_mutex_unlock(&w->lock);
		g_thread_join(w->watchdog);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(lanes); i++) {
		/* a message left to OCR is counted by the stage that read it */
		stats->messages += lanes[i]->stats.messages;
		stats->drafts += lanes[i]->stats.drafts;
		stats->quarantined += lanes[i]->stats.quarantined;
		stats->documents += lanes[i]->stats.documents;
		stats->reading_us += lanes[i]->stats.reading_us;
		*busy_us += lanes[i]->busy_us;
	}
	if (w->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&w->error));
		rc = -1;
	}
	worker_free(w);
	return rc;
}
