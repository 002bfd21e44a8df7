#include "intake_worker.h"

#include "archive.h"
#include "db.h"
#include "error.h"
#include "log.h"
#include "pdf.h"

#include <signal.h>
#include <stdlib.h>

/* A message still being read after this long (or after its scans' OCR
 * could take, when that is longer) holds a parser in a loop: the program
 * stops itself, as a crash would, and the reading count (intake.h) takes
 * it from there.  MAILORDER_READ_LIMIT_S changes it. */
#define READ_LIMIT_S 300

struct intake_worker {
	db *d;
	archive *a;
	intake *in;
	GThread *thread;
	GMutex lock;              /* guards what follows */
	GCond wake;
	gboolean pending;         /* kicked since the last pass began */
	gboolean quit;            /* finish what is pending, then end */
	GError *error;            /* first failure; the thread has ended */
	intake_stats stats;
	gint64 busy_us;
	GThread *watchdog;
	GCond watchdog_wake;
	gboolean watchdog_quit;
	gint64 read_limit_us;
};

static gpointer watchdog_main(gpointer data)
{
	intake_worker *w = data;

	g_mutex_lock(&w->lock);
	while (!w->watchdog_quit) {
		char number[32] = "";
		gint64 elapsed;

		g_cond_wait_until(&w->watchdog_wake, &w->lock,
				  g_get_monotonic_time() + G_USEC_PER_SEC);
		if (w->watchdog_quit)
			break;
		elapsed = intake_reading_for(w->in, number, sizeof(number));
		if (elapsed > w->read_limit_us) {
			log_error("%s: still being read after %" G_GINT64_FORMAT " s: stopping, so "
				  "that it is read at most %d times", number, elapsed / G_USEC_PER_SEC,
				  INTAKE_MAX_ATTEMPTS);
			raise(SIGKILL);
		}
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

static gpointer worker_main(gpointer data)
{
	intake_worker *w = data;

	for (;;) {
		intake_stats st = { 0 };
		GError *err = NULL;
		gint64 t0;
		int rc;

		g_mutex_lock(&w->lock);
		while (!w->pending && !w->quit)
			g_cond_wait(&w->wake, &w->lock);
		if (!w->pending) {
			g_mutex_unlock(&w->lock);
			return NULL;
		}
		w->pending = FALSE;
		g_mutex_unlock(&w->lock);

		t0 = g_get_monotonic_time();
		rc = intake_process_pending(w->in, &st, &err);

		g_mutex_lock(&w->lock);
		w->busy_us += g_get_monotonic_time() - t0;
		w->stats.messages += st.messages;
		w->stats.drafts += st.drafts;
		w->stats.quarantined += st.quarantined;
		w->stats.documents += st.documents;
		w->stats.reading_us += st.reading_us;
		if (rc < 0) {
			w->error = err ? err : g_error_new_literal(MO_ERROR, MO_ERROR_FAILED,
								   "intake failed");
			g_mutex_unlock(&w->lock);
			return NULL;
		}
		g_mutex_unlock(&w->lock);
	}
}

static void worker_free(intake_worker *w)
{
	intake_free(&w->in);
	archive_free(&w->a);
	db_close(&w->d);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->wake);
	g_cond_clear(&w->watchdog_wake);
	g_clear_error(&w->error);
	g_free(w);
}

intake_worker *intake_worker_start(const config *cfg, GError **error)
{
	intake_worker *w = g_new0(intake_worker, 1);

	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	g_cond_init(&w->watchdog_wake);
	w->d = db_open(cfg->storage.database, FALSE, error);
	if (w->d == NULL || (w->a = archive_open(cfg->storage.archive, "intake", error)) == NULL ||
	    (w->in = intake_new(cfg, w->d, w->a, error)) == NULL) {
		worker_free(w);
		return NULL;
	}
	/* Messages left "fetched" by an earlier run are read first. */
	w->pending = TRUE;
	/* a message may hold scans: each page's OCR has its own limit */
	w->read_limit_us = (gint64)MAX(READ_LIMIT_S, PDF_MAX_OCR_PAGES * cfg->storage.ocr_timeout_s + 60) *
			   G_USEC_PER_SEC;
	if (getenv("MAILORDER_READ_LIMIT_S") != NULL) {
		gint64 limit = g_ascii_strtoll(getenv("MAILORDER_READ_LIMIT_S"), NULL, 10);

		if (limit > 0)
			w->read_limit_us = limit * G_USEC_PER_SEC;
	}
	w->thread = g_thread_try_new("intake", worker_main, w, error);
	if (w->thread == NULL) {
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
	w->pending = TRUE;
	g_cond_signal(&w->wake);
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

int intake_worker_finish(intake_worker **wp, intake_stats *stats, gint64 *busy_us,
			 GError **error)
{
	intake_worker *w = *wp;
	int rc = 0;

	if (w == NULL)
		return 0;
	*wp = NULL;
	g_mutex_lock(&w->lock);
	w->quit = TRUE;
	g_cond_signal(&w->wake);
	g_mutex_unlock(&w->lock);
	g_thread_join(w->thread);
	if (w->watchdog != NULL) {
		g_mutex_lock(&w->lock);
		w->watchdog_quit = TRUE;
		g_cond_signal(&w->watchdog_wake);
		g_mutex_unlock(&w->lock);
		g_thread_join(w->watchdog);
	}
	stats->messages += w->stats.messages;
	stats->drafts += w->stats.drafts;
	stats->quarantined += w->stats.quarantined;
	stats->documents += w->stats.documents;
	stats->reading_us += w->stats.reading_us;
	*busy_us += w->busy_us;
	if (w->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&w->error));
		rc = -1;
	}
	worker_free(w);
	return rc;
}
