/* mailorder correct ORDER --customer REF | --line N --product REF [--by WHO]
 * (correction.h does it). */
#include "cli/cli.h"

#include "orders/correction.h"
#include "store/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int correct_run(cli_ctx *ctx, const cli_args *args)
{
	order_correction cor = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	const char *line = cli_opt(args, "--line");
	archive *a = NULL;
	int rc = CLI_OK;
	db *d;

	cor.number = cli_arg(args, 0);
	cor.customer_ref = cli_opt(args, "--customer");
	cor.product_ref = cli_opt(args, "--product");
	cor.by = cli_opt(args, "--by");
	if (line != NULL) {
		guint64 n;

		if (!g_ascii_string_to_unsigned(line, 10, 1, 100000, &n, NULL))
			return cli_usage("correct : --line attend un numéro de ligne (1, 2…), pas « %s »",
					 line);
		cor.line = (int)n;
	}
	if ((cor.customer_ref == NULL) == (cor.product_ref == NULL))
		return cli_usage("correct : --customer REF, ou --line N --product REF (l'un ou "
				 "l'autre) (voir : mailorder correct --help)");
	if ((cor.product_ref != NULL) != (cor.line > 0))
		return cli_usage("correct : --product va avec --line N, le numéro de la ligne "
				 "(voir : mailorder correct --help)");
	if (cor.by == NULL)
		cor.by = g_get_user_name();
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (a != NULL && order_correct(d, a, &cor, &said, &err) == 0)
		cli_put(said);
	rc = err ? cli_report(err) : CLI_OK;
	archive_free(&a);
	db_close(&d);
	return rc;
}

static const cli_option correct_options[] = {
	{ "--customer", "REF", "le client de la commande (sa référence, CLI…)" },
	{ "--line", "N", "la ligne à corriger (son numéro, à partir de 1, comme show les numérote)" },
	{ "--product", "REF", "le produit de cette ligne (référence du catalogue)" },
	{ "--by", "QUI", "qui corrige (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

static const char *const correct_conflicts[] = { "--customer", "--line", "--customer",
						   "--product", NULL };

const cli_command cli_cmd_correct = {
	.name = "correct",
	.synopsis = "COMMANDE --customer REF | --line N --product REF [--by QUI]",
	.summary = "corrige un brouillon : son client, ou le produit d'une ligne ; la correction "
		   "est retenue pour les commandes suivantes du client",
	.details = "Un client corrigé est retenu pour l'adresse de l'expéditeur ; un produit "
		   "corrigé, pour la référence ou la désignation du client. Les contrôles de la "
		   "commande sont refaits après la correction.",
	.options = correct_options,
	.examples = "mailorder correct SO0003 --customer CLI104\n"
		    "mailorder correct SO0003 --line 2 --product BIO-1012",
	.min_args = 1,
	.max_args = 1,
	.conflicts = correct_conflicts,
	.run = correct_run,
};
