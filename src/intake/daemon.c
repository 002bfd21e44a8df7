/* daemon.c: mailorder run, the poller and the sender in one process
 * (daemon.h). */
#include "intake/daemon.h"

#include "lib/error.h"
#include "lib/log.h"
#include "lib/sdnotify.h"
#include "mail/outbox.h"
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* A config shared by the threads that use it: the last one to let it go
 * frees it (a reload replaces the current one while the sender may be in
 * a round with the old). */
typedef struct {
	config *cfg;
} shared_config;

static void shared_config_clear(gpointer p)
{
	config_free(((shared_config *)p)->cfg);
}

static shared_config *shared_config_new(config *cfg)
{
	shared_config *sc = g_atomic_rc_box_new0(shared_config);

	sc->cfg = cfg;
	return sc;
}

static void shared_config_release(shared_config **sc)
{
	if (*sc != NULL)
		g_atomic_rc_box_release_full(*sc, shared_config_clear);
	*sc = NULL;
}

typedef struct {
	const char *config_path;
	daemon_stats *stats;
	GMutex lock;
	shared_config *current;       /* under lock: what the next round or poller takes */
	volatile sig_atomic_t stop;   /* both threads: finish what is in hand, return */
	int ended[2];                 /* a thread that returns writes here */

	/* the poller's thread */
	GThread *poller;
	shared_config *poller_cfg;
	volatile sig_atomic_t poller_stop;   /* set for a stop and for a reload */
	int poller_wake[2];
	int poller_rc;
	GError *poller_err;
	gint poller_done;             /* atomic */

	/* the sender's thread */
	GThread *sender;
	db *sender_db;
	int sender_wake[2];
	gint sender_fresh;            /* atomic: a new config, its back-off forgotten */
	int sender_rc;
	GError *sender_err;
	gint sender_done;             /* atomic */
} daemon_state;

static void poke(int fd)
{
	if (write(fd, "x", 1) < 0) {
		/* full: it is woken already */
	}
}

static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static shared_config *current_config(daemon_state *dm)
{
	shared_config *sc;

	g_mutex_lock(&dm->lock);
	sc = g_atomic_rc_box_acquire(dm->current);
	g_mutex_unlock(&dm->lock);
	return sc;
}

static void notify(const char *state)
{
	g_autoptr(GError) err = NULL;

	if (sdnotify(state, &err) < 0)
		log_warn("%s", err->message);
}

/* ---------------------------------------------------------------- poller */

static gpointer polling_main(gpointer data)
{
	daemon_state *dm = data;

	dm->poller_rc = poller_run(dm->poller_cfg->cfg, FALSE, &dm->poller_stop, dm->poller_wake[0],
				   &dm->stats->poll, &dm->poller_err);
	g_atomic_int_set(&dm->poller_done, 1);
	poke(dm->ended[1]);
	return NULL;
}

static int polling_start(daemon_state *dm, GError **error)
{
	GError *err = NULL;

	dm->poller_stop = 0;
	drain(dm->poller_wake[0]);
	g_atomic_int_set(&dm->poller_done, 0);
	dm->poller_rc = 0;
	dm->poller_cfg = current_config(dm);
	dm->poller = g_thread_try_new("poller", polling_main, dm, &err);
	if (dm->poller == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de lancer la relève : %s",
			    err->message);
		g_error_free(err);
		shared_config_release(&dm->poller_cfg);
		return -1;
	}
	return 0;
}

/* Stops the poller (it finishes the batch in hand) and waits for it; -1
 * with its error when it had failed. */
static int polling_stop(daemon_state *dm, GError **error)
{
	if (dm->poller == NULL)
		return 0;
	dm->poller_stop = 1;
	poke(dm->poller_wake[1]);
	g_thread_join(g_steal_pointer(&dm->poller));
	shared_config_release(&dm->poller_cfg);
	if (dm->poller_rc < 0) {
		g_propagate_error(error, g_steal_pointer(&dm->poller_err));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- sender */

/* Waits ms, or less when woken. */
static void wait_or_wake(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, ms) > 0)
		drain(fd);
}

static gpointer sending_main(gpointer data)
{
	daemon_state *dm = data;
	int64_t seen = -1;
	gint64 next_look = 0, not_before = 0;
	int backoff_s = 1;
	gboolean due = TRUE;

	while (!dm->stop) {
		gint64 now = g_get_monotonic_time();
		int64_t version;

		if (db_data_version(dm->sender_db, &version, &dm->sender_err) < 0) {
			dm->sender_rc = -1;
			break;
		}
		if (version != seen) {
			/* read before the round: a commit made during it is seen
			 * at the next look */
			seen = version;
			due = TRUE;
		}
		if (g_atomic_int_compare_and_exchange(&dm->sender_fresh, 1, 0)) {
			due = TRUE;
			not_before = 0;
			backoff_s = 1;
		}
		if (now >= next_look)
			due = TRUE;
		if (due && now >= not_before) {
			g_autoptr(GError) err = NULL;
			shared_config *sc = current_config(dm);
			outbox_round round;
			int rc = outbox_send_due(dm->sender_db, sc->cfg, &dm->stop, &round, &err);

			shared_config_release(&sc);
			due = FALSE;
			next_look = now + (gint64)DAEMON_RETRY_CHECK_S * G_USEC_PER_SEC;
			/* a server not reached still counts its mails' tries */
			dm->stats->sent += round.sent;
			dm->stats->failed += round.failed;
			dm->stats->dead += round.dead;
			if (rc < 0) {
				log_error("envoi : %s ; prochain envoi dans %d s au plus tôt",
					  err->message, backoff_s);
				not_before = g_get_monotonic_time() + (gint64)backoff_s * G_USEC_PER_SEC;
				backoff_s = MIN(backoff_s * 2, DAEMON_SEND_BACKOFF_MAX_S);
			} else if (round.busy) {
				/* mailorder send holds the lock: again at the next look */
				due = TRUE;
			} else {
				if (round.sent > 0)
					backoff_s = 1;
				/* A round sends all that is due, batch after batch; it
				 * ends early only at a stop or a lost connection, and
				 * what it left then waits for the next look
				 * (DAEMON_RETRY_CHECK_S): a server that drops us is not
				 * called again at once.  Going round without the wait
				 * only sees sooner a commit made during the round. */
				if (round.sent + round.failed + round.dead > 0)
					continue;
			}
		}
		wait_or_wake(dm->sender_wake[0], DAEMON_WATCH_MS);
	}
	g_atomic_int_set(&dm->sender_done, 1);
	poke(dm->ended[1]);
	return NULL;
}

/* ---------------------------------------------------------------- reload */

static void log_lines(log_level level, const char *prefix, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			log_msg(level, "%s%s", prefix, lines[i]);
	}
}

/* The new config keeps the running [storage]: the poll lock, the open
 * database and archive are the old one's. */
static int same_storage(const config *old, const config *fresh, GError **error)
{
	if (strcmp(old->storage.database, fresh->storage.database) == 0 &&
	    strcmp(old->storage.archive, fresh->storage.archive) == 0)
		return 0;
	g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
		    "%s : [storage] a changé (base ou archive) : cela demande un redémarrage du "
		    "service (systemctl restart mailorder)", fresh->path);
	return -1;
}

static char *where_to(const config *cfg)
{
	return g_strdup_printf("relève de %s sur %s:%d, envoi par %s:%d", cfg->imap.mailbox,
			       cfg->imap.host, cfg->imap.port, cfg->smtp.host, cfg->smtp.port);
}

/* SIGHUP.  -1 only when the poller, stopped for the new config, had
 * failed: the run ends. */
static int reload(daemon_state *dm, GError **error)
{
	g_autoptr(GError) err = NULL;
	shared_config *old;
	config *fresh;

	{
		g_autoptr(GError) nerr = NULL;

		if (sdnotify_reloading(&nerr) < 0)
			log_warn("%s", nerr->message);
	}
	log_info("SIGHUP : relecture de la configuration %s", dm->config_path);
	fresh = config_load(dm->config_path, &err);
	if (fresh == NULL || config_require_imap(fresh, &err) < 0 ||
	    config_require_smtp(fresh, &err) < 0 ||
	    same_storage(dm->current->cfg, fresh, &err) < 0) {
		log_lines(LOG_LEVEL_ERROR, "configuration refusée : ", err->message);
		log_error("la configuration en service est gardée ; corrigez %s puis relancez "
			  "(systemctl reload mailorder, ou kill -HUP)", dm->config_path);
		config_free(fresh);
		dm->stats->refused++;
		notify("READY=1\nSTATUS=configuration relue refusée : l'ancienne est gardée");
		return 0;
	}
	/* Order is important: the poller lets the old config go before the
	 * new one is made current, and starts again with the new one. */
	if (polling_stop(dm, error) < 0) {
		config_free(fresh);
		return -1;
	}
	g_mutex_lock(&dm->lock);
	old = dm->current;
	dm->current = shared_config_new(fresh);
	g_mutex_unlock(&dm->lock);
	shared_config_release(&old);
	g_atomic_int_set(&dm->sender_fresh, 1);
	poke(dm->sender_wake[1]);
	if (polling_start(dm, error) < 0)
		return -1;
	dm->stats->reloads++;
	{
		g_autofree char *where = where_to(fresh);
		g_autofree char *status = g_strdup_printf("READY=1\nSTATUS=%s", where);

		log_info("configuration relue : %s", where);
		notify(status);
	}
	return 0;
}

/* ---------------------------------------------------------------- run */

static int make_pipe(int fds[2], GError **error)
{
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de créer un tube : %s",
			    mo_strerror(errno));
		return -1;
	}
	return 0;
}

static void close_pipe(int fds[2])
{
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* The signal that arrived (0: none, or it could not be read). */
static int signal_read(int sfd)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

/* Waits for a signal or for a thread's end; runs the reloads.  0 when
 * asked to stop, -1 when a thread failed (its error is the thread's). */
static int supervise(daemon_state *dm, int sfd, GError **error)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = dm->ended[0], .events = POLLIN },
		};
		int sig;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "attente des signaux : %s",
				    mo_strerror(errno));
			return -1;
		}
		if (pfd[1].revents != 0) {
			drain(dm->ended[0]);
			/* nothing but a stop ends a thread on its own: one that
			 * returned failed; its error is taken when it is joined */
			if (g_atomic_int_get(&dm->poller_done) || g_atomic_int_get(&dm->sender_done))
				return -1;
		}
		if (pfd[0].revents == 0)
			continue;
		sig = signal_read(sfd);
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("%s reçu : arrêt après le message et le courriel en cours",
				 sig == SIGTERM ? "SIGTERM" : "SIGINT");
			return 0;
		}
		if (sig == SIGHUP && reload(dm, error) < 0)
			return -1;
	}
}

int daemon_run(const char *config_path, config **cfg, daemon_stats *stats, GError **error)
{
	daemon_state dm = {
		.config_path = config_path,
		.stats = stats,
		.ended = { -1, -1 },
		.poller_wake = { -1, -1 },
		.sender_wake = { -1, -1 },
	};
	g_autoptr(GError) err = NULL;
	sigset_t sigs;
	int sfd = -1, rc = -1;

	g_mutex_init(&dm.lock);
	dm.current = shared_config_new(g_steal_pointer(cfg));
	if (make_pipe(dm.ended, &err) < 0 || make_pipe(dm.poller_wake, &err) < 0 ||
	    make_pipe(dm.sender_wake, &err) < 0)
		goto out;
	dm.sender_db = db_open(dm.current->cfg->storage.database, FALSE, &err);
	if (dm.sender_db == NULL || db_check_schema(dm.sender_db, &err) < 0)
		goto out;
	/* Order is important: the signals are blocked before any thread is
	 * made, so that every thread (the intake's and OCR lanes too)
	 * inherits the mask and only signalfd sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "impossible d'attendre les signaux "
			    "(signalfd) : %s", mo_strerror(errno));
		goto out;
	}
	{
		GError *terr = NULL;

		dm.sender = g_thread_try_new("sender", sending_main, &dm, &terr);
		if (dm.sender == NULL) {
			g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "impossible de lancer l'envoi : %s",
				    terr->message);
			g_error_free(terr);
			goto out;
		}
	}
	if (polling_start(&dm, &err) < 0)
		goto stop;
	{
		g_autofree char *where = where_to(dm.current->cfg);
		g_autofree char *status = g_strdup_printf("READY=1\nSTATUS=%s", where);

		log_info("en service : %s ; SIGTERM l'arrête, SIGHUP relit %s", where, config_path);
		notify(status);
	}
	rc = supervise(&dm, sfd, &err);
stop:
	notify("STOPPING=1");
	dm.stop = 1;
	poke(dm.sender_wake[1]);
	{
		g_autoptr(GError) perr = NULL;

		if (polling_stop(&dm, &perr) < 0) {
			rc = -1;
			g_clear_error(&err);
			err = g_steal_pointer(&perr);
		}
	}
	if (dm.sender != NULL) {
		g_thread_join(g_steal_pointer(&dm.sender));
		if (dm.sender_rc < 0) {
			rc = -1;
			if (err == NULL)
				err = g_steal_pointer(&dm.sender_err);
		}
	}
	if (rc < 0 && err == NULL)
		g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "le service s'est arrêté sur une erreur");
out:
	if (rc < 0)
		g_propagate_error(error, g_steal_pointer(&err));
	if (sfd >= 0)
		close(sfd);
	g_clear_error(&dm.poller_err);
	g_clear_error(&dm.sender_err);
	db_close(&dm.sender_db);
	close_pipe(dm.ended);
	close_pipe(dm.poller_wake);
	close_pipe(dm.sender_wake);
	shared_config_release(&dm.current);
	g_mutex_clear(&dm.lock);
	return rc;
}
