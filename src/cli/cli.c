/* cli.c: what the commands share. */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/log.h"
#include "lib/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

int cli_report(const GError *err)
{
	g_auto(GStrv) lines = g_strsplit(err->message, "\n", -1);

	for (int i = 0; lines[i] != NULL; i++) {
		g_autofree char *shown = text_shown(lines[i], TEXT_ONE_LINE, 0);

		fprintf(stderr, "mailorder: error: %s\n", shown);
	}
	if (err->domain == MO_ERROR && err->code == MO_ERROR_INVALID)
		return CLI_USAGE;
	return CLI_FAILED;
}

/* "mailorder: KIND: message" on stderr, as one line whatever it holds. */
G_GNUC_PRINTF(2, 0)
static void stderr_line(const char *kind, const char *fmt, va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	g_autofree char *shown = text_shown(text, TEXT_ONE_LINE, 0);

	fprintf(stderr, "mailorder: %s: %s\n", kind, shown);
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stderr_line("usage error", fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void cli_put(const char *text)
{
	g_autofree char *shown = text_shown(text, TEXT_KEEP_LINES, 0);

	fputs(shown, stdout);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cli_put(text);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stderr_line("error", fmt, ap);
	va_end(ap);
}

const char *cli_value(GPtrArray *keep, const char *s)
{
	char *shown;

	if (s == NULL)
		return NULL;
	shown = text_shown(s, TEXT_ONE_LINE, 0);
	g_ptr_array_add(keep, shown);
	return shown;
}

db *cli_open_db(cli_ctx *ctx, int *rc_r)
{
	g_autoptr(GError) err = NULL;
	db *d = db_open(ctx->cfg->storage.database, FALSE, &err);

	if (d == NULL || db_check_schema(d, &err) < 0) {
		/* A database to initialise is a failed run, not a usage error. */
		cli_report(err);
		*rc_r = CLI_FAILED;
		db_close(&d);
		return NULL;
	}
	return d;
}

/* A document whose reading runs away ends the command: said, then exit 1
 * (the output so far is flushed first: a clerk sees where it stopped). */
static void on_runaway(int slot, const char *what, guard_why why, gint64 limit, void *ctx)
{
	g_autofree char *shown = text_shown(what, TEXT_ONE_LINE, 0);

	(void)slot;
	(void)ctx;
	fflush(stdout);
	if (why == GUARD_TIME)
		fprintf(stderr, "mailorder: error: %s : lecture arrêtée après %" G_GINT64_FORMAT
				" s : document piégé ou trop complexe pour être lu "
				"(MAILORDER_READ_LIMIT_S)\n", shown, limit);
	else
		fprintf(stderr, "mailorder: error: %s : lecture arrêtée à %" G_GINT64_FORMAT
				" Mo de mémoire : document piégé ou trop complexe pour être lu "
				"(MAILORDER_READ_LIMIT_MB)\n", shown, limit);
	fflush(stderr);
	_exit(CLI_FAILED);
}

guard *cli_reading_guard(void)
{
	g_autoptr(GError) err = NULL;
	guard *g = guard_start(1, on_runaway, NULL, &err);

	if (g == NULL)
		log_warn("no watchdog thread: a document that hangs its reader will not be stopped "
			 "(%s)", err->message);
	return g;
}
