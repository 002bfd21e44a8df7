#include "intake_worker.h"

#include "archive.h"
#include "db.h"
#include "error.h"
#include "log.h"

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
};

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
	g_clear_error(&w->error);
	g_free(w);
}

intake_worker *intake_worker_start(const config *cfg, GError **error)
{
	intake_worker *w = g_new0(intake_worker, 1);

	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	w->d = db_open(cfg->storage.database, FALSE, error);
	if (w->d == NULL || (w->a = archive_open(cfg->storage.archive, "intake", error)) == NULL ||
	    (w->in = intake_new(cfg, w->d, w->a, error)) == NULL) {
		worker_free(w);
		return NULL;
	}
	/* Messages left "fetched" by an earlier run are read first. */
	w->pending = TRUE;
	w->thread = g_thread_try_new("intake", worker_main, w, error);
	if (w->thread == NULL) {
		worker_free(w);
		return NULL;
	}
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
	stats->messages += w->stats.messages;
	stats->drafts += w->stats.drafts;
	stats->quarantined += w->stats.quarantined;
	*busy_us += w->busy_us;
	if (w->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&w->error));
		rc = -1;
	}
	worker_free(w);
	return rc;
}
