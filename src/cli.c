/* cli.c: what the commands share. */
#include "cli.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int cli_report(const GError *err)
{
	g_auto(GStrv) lines = g_strsplit(err->message, "\n", -1);

	for (int i = 0; lines[i] != NULL; i++)
		fprintf(stderr, "mailorder: error: %s\n", lines[i]);
	if (err->domain == MO_ERROR && err->code == MO_ERROR_INVALID)
		return CLI_USAGE;
	return CLI_FAILED;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("mailorder: usage error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
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
