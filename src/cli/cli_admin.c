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
		log_warn("impossible de vérifier les comptes des clients : %s", err->message);
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

static int init_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	db *d;
	archive *a;
	int from;

	(void)args;
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
		cli_printf("base de données %s créée (schéma version %d)\n",
			   ctx->cfg->storage.database, db_schema_version());
	else if (from < db_schema_version())
		cli_printf("base de données %s mise à jour du schéma version %d à %d\n",
			   ctx->cfg->storage.database, from, db_schema_version());
	else
		cli_printf("base de données %s à jour (schéma version %d)\n",
			   ctx->cfg->storage.database, from);
	cli_printf("archive %s prête\n", ctx->cfg->storage.archive);
	/* said now rather than at the first poll */
	if (config_check_imap(ctx->cfg, &err) < 0) {
		g_autofree char *poll = cli_next(ctx, "poll");

		cli_printf("à compléter avant « %s » : %s\n", poll, err->message);
	}
	return CLI_OK;
}

const cli_command cli_cmd_init = {
	.name = "init",
	.synopsis = "",
	.summary = "crée la base de données et l'archive, ou les met à jour ; sans danger à "
		   "relancer",
	.details = "Les chemins viennent de [storage] (database, archive). Une base d'une "
		   "version antérieure est migrée, sans rien perdre. init dit aussi ce qui manque "
		   "à la configuration pour relever le courrier.",
	.examples = "mailorder -c /etc/mailorder/mailorder.conf init",
	.min_args = 0,
	.max_args = 0,
	.run = init_run,
};
