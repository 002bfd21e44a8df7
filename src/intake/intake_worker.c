#include "intake/intake_worker.h"

#include "store/archive.h"
#include "store/db.h"
#include "store/db_intake.h"
#include "lib/error.h"
#include "lib/guard.h"
#include "lib/log.h"

#include <signal.h>
#include <stdlib.h>

/* One stage of intake on its thread: the first reads the messages as
 * they come, the OCR lanes the ones with scans the first left them, one
 * message each at a time. */
typedef struct {
	struct intake_worker *w;
	const char *name;
	gboolean ocr;             /* an OCR lane */
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
	lane *lanes;              /* [0] reads text, [1..] OCR */
	int nlanes;
	intake_claims *claims;    /* which message each OCR lane reads */
	GMutex lock;              /* guards the lanes' pending, quit, stats, busy_us
				   * and what follows */
	GCond wake;
	GError *error;            /* first failure; the lanes have ended */
	guard *guard;             /* watches each lane's message, slot = lane */
	char *db_path;
	gboolean drain;           /* finish: read every scan left first */
};

/* A message whose reading never ends (a parser in a loop) is known:
 * it is given up at once (else the readings counted give it up after a
 * few restarts), and the program stops itself, as a crash would.  Which
 * reading made the program grow past its memory limit is not known (the
 * lanes read at once): the program stops, each reading going on is
 * counted (intake.h), and a message that does it again and again ends
 * given up, read alone from its second time. */
static void on_runaway(int slot, const char *number, guard_why why, gint64 limit, void *ctx)
{
	intake_worker *w = ctx;
	g_autoptr(GError) err = NULL;
	db *d;

	if (why == GUARD_MEMORY) {
		int others = 0;

		for (int i = 0; i < w->nlanes; i++)
			others += i != slot && guard_reading(w->guard, i, NULL, 0) > 0;
		log_error("la lecture de %s%s a fait passer le programme au-delà de %"
			  G_GINT64_FORMAT " Mo : arrêt ; un message qui le fait %d fois n'est plus relu",
			  number, others ? " (et d'un autre message lu à côté)" : "", limit,
			  INTAKE_MAX_ATTEMPTS);
		raise(SIGKILL);
	}
	log_error("%s : toujours en lecture après %" G_GINT64_FORMAT " s : arrêt ; il ne sera "
		  "pas relu", number, limit);
	d = db_open(w->db_path, FALSE, &err);
	if (d == NULL || db_message_give_up(d, number, INTAKE_MAX_OCR_ATTEMPTS, &err) < 0)
		log_error("%s : impossible de l'enregistrer : %s", number, err ? err->message : "?");
	db_close(&d);
	raise(SIGKILL);
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
		/* an OCR lane one message at a time: a stop need not wait for
		 * a backlog of scans */
		rc = l->ocr ? intake_process_one(l->in, &st, &err)
			    : intake_process_pending(l->in, &st, &err);

		g_mutex_lock(&w->lock);
		l->busy_us += g_get_monotonic_time() - t0;
		l->stats.messages += st.messages;
		l->stats.drafts += st.drafts;
		l->stats.quarantined += st.quarantined;
		l->stats.documents += st.documents;
		l->stats.readings_kept += st.readings_kept;
		l->stats.reading_us += st.reading_us;
		l->stats.deferred += st.deferred;
		if (st.deferred > 0 && !l->ocr) {
			for (int i = 1; i < w->nlanes; i++)
				lane_kick_locked(&w->lanes[i]);
		}
		/* more scans wait: on, unless stopping without draining */
		if (rc > 0 && l->ocr && !(l->quit && !w->drain))
			l->pending = TRUE;
		if (rc < 0) {
			if (w->error == NULL)
				w->error = err ? err : g_error_new(MO_ERROR, MO_ERROR_FAILED,
								   "%s a échoué", l->name);
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
	for (int i = 0; i < w->nlanes; i++)
		lane_clear(&w->lanes[i]);
	guard_stop(&w->guard);
	intake_claims_free(&w->claims);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->wake);
	g_clear_error(&w->error);
	g_free(w->lanes);
	g_free(w->db_path);
	g_free(w);
}

static int lane_open(intake_worker *w, lane *l, const config *cfg, const char *name,
		     gboolean ocr_stage, GError **error)
{
	l->w = w;
	l->name = name;
	l->ocr = ocr_stage;
	/* Messages left "fetched" by an earlier run are read first. */
	l->pending = TRUE;
	l->d = db_open(cfg->storage.database, FALSE, error);
	if (l->d == NULL || (l->a = archive_open(cfg->storage.archive, name, error)) == NULL ||
	    (l->in = intake_new(cfg, l->d, l->a, ocr_stage ? w->claims : NULL, error)) == NULL)
		return -1;
	return 0;
}

/* Lets the lanes from first on finish what is pending, and joins them. */
static void lanes_finish(intake_worker *w, int first, int end)
{
	g_mutex_lock(&w->lock);
	for (int i = first; i < end; i++)
		w->lanes[i].quit = TRUE;
	g_cond_broadcast(&w->wake);
	g_mutex_unlock(&w->lock);
	for (int i = first; i < end; i++) {
		if (w->lanes[i].thread != NULL)
			g_thread_join(w->lanes[i].thread);
		w->lanes[i].thread = NULL;
	}
}

int intake_worker_ocr_lanes(void)
{
	const char *v = g_getenv("MAILORDER_OCR_LANES");
	int n = v ? atoi(v) : 0;

	/* one OCR helper per core: a scanned page is seconds of Tesseract */
	if (n <= 0)
		n = (int)g_get_num_processors();
	return CLAMP(n, 1, INTAKE_WORKER_MAX_OCR_LANES);
}

/* each OCR lane claims the message it reads */
G_STATIC_ASSERT(INTAKE_WORKER_MAX_OCR_LANES <= INTAKE_MAX_CLAIMS);

intake_worker *intake_worker_start(const config *cfg, GError **error)
{
	intake_worker *w = g_new0(intake_worker, 1);

	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	w->db_path = g_strdup(cfg->storage.database);
	w->claims = intake_claims_new();
	w->nlanes = 1 + intake_worker_ocr_lanes();
	w->lanes = g_new0(lane, w->nlanes);
	for (int i = 0; i < w->nlanes; i++) {
		if (lane_open(w, &w->lanes[i], cfg, i == 0 ? "intake" : "ocr", i > 0, error) < 0) {
			worker_free(w);
			return NULL;
		}
	}
	{
		g_autoptr(GError) guard_err = NULL;

		/* the OCR helpers' time is not counted: each page has its own limit */
		w->guard = guard_start(w->nlanes, on_runaway, w, &guard_err);
		if (w->guard == NULL)
			log_warn("pas de surveillance : un message qui bloque sa lecture ne sera "
				 "pas arrêté (%s)", guard_err->message);
		for (int i = 0; w->guard != NULL && i < w->nlanes; i++)
			intake_set_guard(w->lanes[i].in, w->guard, i);
	}
	for (int i = 0; i < w->nlanes; i++) {
		w->lanes[i].thread = g_thread_try_new(w->lanes[i].name, lane_main, &w->lanes[i], error);
		if (w->lanes[i].thread == NULL) {
			lanes_finish(w, 0, i);
			worker_free(w);
			return NULL;
		}
	}
	return w;
}

void intake_worker_kick(intake_worker *w)
{
	g_mutex_lock(&w->lock);
	lane_kick_locked(&w->lanes[0]);
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

int intake_worker_finish(intake_worker **wp, gboolean drain, intake_stats *stats, gint64 *busy_us,
			 GError **error)
{
	intake_worker *w = *wp;
	int rc = 0;

	if (w == NULL)
		return 0;
	*wp = NULL;
	g_mutex_lock(&w->lock);
	w->drain = drain;
	g_mutex_unlock(&w->lock);
	/* the first stage first: what it leaves to OCR is read before the end */
	lanes_finish(w, 0, 1);
	lanes_finish(w, 1, w->nlanes);
	guard_stop(&w->guard);
	for (int i = 0; i < w->nlanes; i++) {
		const lane *l = &w->lanes[i];

		/* a message left to OCR is counted by the stage that read it */
		stats->messages += l->stats.messages;
		stats->drafts += l->stats.drafts;
		stats->quarantined += l->stats.quarantined;
		stats->documents += l->stats.documents;
		stats->readings_kept += l->stats.readings_kept;
		stats->reading_us += l->stats.reading_us;
		*busy_us += l->busy_us;
	}
	if (w->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&w->error));
		rc = -1;
	}
	worker_free(w);
	return rc;
}
