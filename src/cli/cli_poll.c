/* cli_poll.c: mailorder poll [--once] */
#include "cli/cli.h"
#include "lib/error.h"
#include "lib/log.h"
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

/* One poller per database: a second one waits for nothing and says so. */
static int take_poll_lock(const char *database, int *fd_r)
{
	g_autofree char *path = g_strdup_printf("%s.poll-lock", database);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0) {
		cli_errorf("impossible d'ouvrir %s : %s", path, mo_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		cli_errorf("un autre « mailorder poll » tourne déjà sur %s : un seul à la fois "
			   "(le service systemd ?)", database);
		close(fd);
		return -1;
	}
	*fd_r = fd;
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
	if (take_poll_lock(ctx->cfg->storage.database, &lock_fd) < 0)
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
		   "jusqu'à SIGTERM (elle finit le message en cours). Il faut [imap] host, user et "
		   "password_file (ou password).",
	.options = poll_options,
	.examples = "mailorder poll --once\nmailorder -c /etc/mailorder/mailorder.conf poll",
	.min_args = 0,
	.max_args = 0,
	.run = poll_run,
};
