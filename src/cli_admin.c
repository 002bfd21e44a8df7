/* cli_admin.c: mailorder init. */
#include "archive.h"
#include "cli.h"

#include <stdio.h>

int cli_init(cli_ctx *ctx, int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	db *d;
	archive *a;
	int from;

	(void)argv;
	if (argc != 1)
		return cli_usage("init takes no argument");
	d = db_open(ctx->cfg->storage.database, TRUE, &err);
	if (d == NULL || db_migrate(d, &from, &err) < 0) {
		db_close(&d);
		return cli_report(err) == CLI_USAGE ? CLI_USAGE : CLI_FAILED;
	}
	db_close(&d);
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (a == NULL)
		return cli_report(err);
	archive_free(&a);
	if (from == 0)
		printf("database %s created (schema version %d)\n", ctx->cfg->storage.database,
		       db_schema_version());
	else if (from < db_schema_version())
		printf("database %s upgraded from schema version %d to %d\n",
		       ctx->cfg->storage.database, from, db_schema_version());
	else
		printf("database %s is up to date (schema version %d)\n",
		       ctx->cfg->storage.database, from);
	printf("archive %s ready\n", ctx->cfg->storage.archive);
	return CLI_OK;
}
