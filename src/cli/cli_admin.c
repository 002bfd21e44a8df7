/* cli_admin.c: mailorder init. */
#include "store/archive.h"
#include "cli/cli.h"
#include "lib/log.h"
#include "lib/validate.h"
#include "store/db_catalog.h"

#include <stdio.h>
#include <string.h>

/* Accounts given before they were checked (schema 5 checks them): one
 * that is not a customer account, or that two customers share, is for a
 * clerk to change; init says which. */
static void warn_accounts(db *d)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = db_customers_all(d, &err);
	g_autoptr(GPtrArray) shared = all ? db_customer_accounts_shared(d, &err) : NULL;

	if (shared == NULL) {
		log_warn("cannot check the customers' accounts: %s", err->message);
		return;
	}
	for (guint i = 0; i < all->len; i++) {
		const customer *c = all->pdata[i];
		const char *why = NULL;
		g_autofree char *norm = c->account ? validate_customer_account(c->account, &why) : NULL;

		if (c->account == NULL || (norm != NULL && strcmp(norm, c->account) == 0))
			continue;
		/* refused, or written otherwise than the check writes it (a
		 * no-break space the migration left) */
		log_warn("%s : compte « %s » : %s (mailorder customer edit %s --account …)", c->ref,
			 c->account, norm ? "à récrire sans espaces" : why, c->ref);
	}
	for (guint i = 0; i < shared->len; i++) {
		char **pair = shared->pdata[i];

		log_warn("le compte « %s » est celui de %s : un compte est celui d'un seul client "
			 "(mailorder customer edit … --account …)",
			 pair[0], pair[1]);
	}
}

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
	warn_accounts(d);
	db_close(&d);
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (a == NULL)
		return cli_report(err);
	archive_free(&a);
	if (from == 0)
		cli_printf("database %s created (schema version %d)\n", ctx->cfg->storage.database,
		       db_schema_version());
	else if (from < db_schema_version())
		cli_printf("database %s upgraded from schema version %d to %d\n",
		       ctx->cfg->storage.database, from, db_schema_version());
	else
		cli_printf("database %s is up to date (schema version %d)\n",
		       ctx->cfg->storage.database, from);
	cli_printf("archive %s ready\n", ctx->cfg->storage.archive);
	return CLI_OK;
}
