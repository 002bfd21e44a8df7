/* cli_poll.c: mailorder poll [--once] */
#include "cli/cli.h"
#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "intake/daemon.h"
#include "intake/poller.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;
static int wake_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	stop_requested = 1;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0) {
		/* full pipe: already woken */
	}
	errno = saved;
}

static int install_signals(void)
{
	struct sigaction sa;

	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* Network reads go on after the signal; the wake pipe ends waits. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return 0;
}

/* One poller per database, poll or run: a second one waits for nothing
 * and says which holds the lock.  The lock file holds "COMMAND PID". */
static int take_poll_lock(const char *database, const char *command, int *fd_r)
{
	g_autofree char *path = g_strdup_printf("%s.poll-lock", database);
	g_autofree char *note = g_strdup_printf("%s %d", command, (int)getpid());
	g_autofree char *holder = NULL;
	g_autoptr(GError) err = NULL;
	int taken = fsutil_lock_try(path, note, fd_r, &holder, &err);

	if (taken < 0) {
		cli_report(err);
		return -1;
	}
	if (taken == 0) {
		g_auto(GStrv) words = holder ? g_strsplit(holder, " ", 2) : NULL;
		gboolean named = words != NULL && words[0] != NULL && words[1] != NULL &&
				 (strcmp(words[0], "poll") == 0 || strcmp(words[0], "run") == 0);

		if (named)
			cli_errorf("un autre « mailorder %s » tourne déjà sur %s (processus %s) : un "
				   "seul à la fois, poll ou run (le service systemd ?)",
				   words[0], database, words[1]);
		else
			cli_errorf("un autre « mailorder poll » ou « mailorder run » tourne déjà sur %s : "
				   "un seul à la fois (le service systemd ?)", database);
		return -1;
	}
	return 0;
}

/* VmHWM of /proc/self/status, in KB; 0 when it cannot be read. */
static gint64 peak_resident_kb(void)
{
	g_autofree char *status = NULL;
	const char *line;

	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return 0;
	line = strstr(status, "\nVmHWM:");
	return line ? g_ascii_strtoll(line + strlen("\nVmHWM:"), NULL, 10) : 0;
}

static int poll_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	poller_stats stats = { 0 };
	gboolean once = cli_flag(args, "--once");
	gint64 t0 = g_get_monotonic_time();
	int lock_fd = -1, rc;

	if (config_require_imap(ctx->cfg, &err) < 0)
		return cli_report(err);
	if (take_poll_lock(ctx->cfg->storage.database, "poll", &lock_fd) < 0)
		return CLI_FAILED;
	if (install_signals() < 0) {
		cli_errorf("impossible de créer un tube : %s", mo_strerror(errno));
		close(lock_fd);
		return CLI_FAILED;
	}
	if (!once)
		log_info("relève de %s sur %s:%d (arrêt par SIGTERM)", ctx->cfg->imap.mailbox,
			 ctx->cfg->imap.host, ctx->cfg->imap.port);
	rc = poller_run(ctx->cfg, once, &stop_requested, wake_pipe[0], &stats, &err);
	if (rc < 0) {
		cli_report(err);
		rc = CLI_FAILED;
	} else {
		rc = CLI_OK;
	}
	/* a poll that reached nothing has nothing to sum up: its one line
	 * said why */
	if (rc != CLI_OK && stats.fetched == 0 && stats.drafts == 0 && stats.quarantined == 0) {
		close(wake_pipe[0]);
		close(wake_pipe[1]);
		close(lock_fd);
		return rc;
	}
	log_info("poll : %d message(s) nouveau(x), %d brouillon(s), %d en quarantaine, "
		 "%d déjà vu(s) (%.2f s ; relève, archivage et enregistrement : %.2f s ; "
		 "lecture : %.2f s sur le fil de lecture)",
		 stats.fetched, stats.drafts, stats.quarantined, stats.known,
		 (double)(g_get_monotonic_time() - t0) / 1e6, (double)stats.fetch_us / 1e6,
		 (double)stats.intake_us / 1e6);
	if (stats.documents > 0)
		log_info("poll : %d PDF lu(s), %.3f ms chacun (ouverture, mise en page, champs et lignes)",
			 stats.documents, (double)stats.reading_us / 1e3 / stats.documents);
	if (stats.readings_kept > 0)
		log_info("poll : %d d'entre eux repris par l'étape OCR de la lecture de la première étape",
			 stats.readings_kept);
	{
		/* this process alone: an OCR helper's memory is its own, and
		 * goes with it */
		gint64 peak = peak_resident_kb();

		if (peak > 0)
			log_info("poll : mémoire maximale de ce processus %.1f Mo (hors processus OCR)",
				 (double)peak / 1024);
	}
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	close(lock_fd);
	return rc;
}

static const cli_option poll_options[] = {
	{ "--once", NULL, "un seul passage, puis la commande s'arrête (sinon elle veille : IMAP "
			  "IDLE, ou toutes les poll_interval secondes)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_poll = {
	.name = "poll",
	.synopsis = "[--once]",
	.summary = "relève le courrier : archive chaque message, classe les pièces jointes et "
		   "fait les brouillons de commande",
	.details = "Chaque message est archivé tel quel ; chaque PDF de bon de commande est lu "
		   "et devient un brouillon, ou va en quarantaine avec sa raison. Rien n'est perdu "
		   "ni pris deux fois, même après un arrêt brutal. Sans --once, la commande veille "
		   "jusqu'à SIGTERM (elle finit le message en cours). Une seule relève à la fois par "
		   "base, poll ou run. Il faut [imap] host, user et password_file (ou password). En "
		   "service, mailorder run relève et envoie ensemble.",
	.options = poll_options,
	.examples = "mailorder poll --once\nmailorder -c /etc/mailorder/mailorder.conf poll",
	.min_args = 0,
	.max_args = 0,
	.run = poll_run,
};

/* ---------------------------------------------------------------- run */

static int run_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	daemon_stats stats = { 0 };
	int lock_fd = -1, rc = CLI_OK;
	db *d;

	(void)args;
	/* what polling and sending need, said before anything is done */
	if (config_require_imap(ctx->cfg, &err) < 0 || config_require_smtp(ctx->cfg, &err) < 0) {
		cli_report(err);
		return CLI_USAGE;
	}
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	db_close(&d);
	if (take_poll_lock(ctx->cfg->storage.database, "run", &lock_fd) < 0)
		return CLI_FAILED;
	/* the config goes to the service, which replaces it on SIGHUP */
	if (daemon_run(ctx->config_path, &ctx->cfg, &stats, &err) < 0) {
		cli_report(err);
		rc = CLI_FAILED;
	}
	log_info("run : %d message(s) nouveau(x), %d brouillon(s), %d en quarantaine ; "
		 "%u courriel(s) envoyé(s), %u en échec (réessayé(s) plus tard), %u abandonné(s) ; "
		 "%u configuration(s) relue(s), %u refusée(s)",
		 stats.poll.fetched, stats.poll.drafts, stats.poll.quarantined, stats.sent,
		 stats.failed, stats.dead, stats.reloads, stats.refused);
	fsutil_lock_release(&lock_fd);
	return rc;
}

const cli_command cli_cmd_run = {
	.name = "run",
	.synopsis = "",
	.summary = "le service : relève le courrier et envoie les courriels, dans un seul "
		   "processus, jusqu'à SIGTERM",
	.details = "Ce que font poll et send, ensemble : la relève veille en IMAP IDLE (un message "
		   "arrivé est pris aussitôt), et chaque courriel en attente part dès qu'il est prêt "
		   "(un accusé de réception fait par la relève, une confirmation validée par un "
		   "employé dans un autre terminal) ; un envoi en échec est réessayé à son heure. Le "
		   "journal dit une ligne par message reçu et par courriel, avec leurs numéros.\n\n"
		   "SIGTERM ou SIGINT : le message et le courriel en cours sont finis, puis la "
		   "commande sort avec 0. SIGHUP (systemctl reload mailorder) : le fichier de "
		   "configuration est relu ; la relève se reconnecte avec le nouveau, l'envoi le "
		   "prend au courriel suivant. Un fichier faux est dit au journal, ligne par ligne, "
		   "et l'ancienne configuration reste en service ; changer [storage] demande un "
		   "redémarrage.\n\n"
		   "Un seul poll ou run par base (le verrou BASE.poll-lock) : un second est refusé "
		   "en le disant. mailorder send peut tourner en même temps : un seul envoi à la fois "
		   "par base (le verrou BASE.send-lock) : un courriel n'est pris que par l'un des deux.\n\n"
		   "Fait pour systemd (Type=notify : prêt, relecture et arrêt lui sont dits) : "
		   "make install pose le fichier mailorder.service, voir mailorder help service. Il "
		   "faut [imap] et [smtp] complets.",
	.examples = "mailorder -c /etc/mailorder/mailorder.conf run\nsystemctl reload mailorder",
	.min_args = 0,
	.max_args = 0,
	.run = run_run,
};
