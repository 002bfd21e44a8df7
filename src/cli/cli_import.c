/* cli_import.c: mailorder import customers|products FILE.csv
 * (orders/import.h does it). */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/text.h"
#include "orders/import.h"

#include <stdio.h>
#include <string.h>

static int import_file(cli_ctx *ctx, import_kind kind, const char *file)
{
	g_autoptr(GError) err = NULL;
	import_outcome out = { 0 };
	gboolean products = kind == IMPORT_PRODUCTS;
	int rc = CLI_OK;
	db *d;

	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	rc = import_csv(d, kind, file, &out, &err);
	/* what was guessed of the file, before what became of it */
	if (out.notes != NULL && out.notes->len > 0)
		cli_put(out.notes->str);
	if (rc == 0) {
		cli_printf("%s : %d %s importé(s) (%d nouveau(x), %d mis à jour)\n", file,
			   out.created + out.updated, products ? "produit(s)" : "client(s)",
			   out.created, out.updated);
	} else if (g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED)) {
		g_autofree char *shown = text_shown(out.problems->str, TEXT_KEEP_LINES, 0);

		fputs(shown, stderr);
		if (out.nproblems > IMPORT_MAX_PROBLEMS)
			fprintf(stderr, "%s : … et %d autres problèmes\n", file,
				out.nproblems - IMPORT_MAX_PROBLEMS);
		cli_errorf("%s", err->message);
		rc = CLI_FAILED;
	} else {
		rc = cli_report(err);
	}
	import_outcome_clear(&out);
	db_close(&d);
	return rc;
}

static int import_customers_run(cli_ctx *ctx, const cli_args *args)
{
	return import_file(ctx, IMPORT_CUSTOMERS, cli_arg(args, 0));
}

static int import_products_run(cli_ctx *ctx, const cli_args *args)
{
	return import_file(ctx, IMPORT_PRODUCTS, cli_arg(args, 0));
}

const cli_command cli_cmd_import_customers = {
	.name = "import customers",
	.synopsis = "FICHIER.csv",
	.summary = "importe le fichier clients : crée ou met à jour chaque client par sa "
		   "référence (ref)",
	.details = "Le fichier est vérifié en entier d'abord : si une ligne est fausse, rien "
		   "n'est importé et chaque problème est dit sur sa ligne (FICHIER:LIGNE: champ: "
		   "pourquoi). Virgule ou point-virgule, UTF-8 ou Windows-1252, colonnes sous leur "
		   "nom ou en français : voir mailorder help csv.",
	.examples = "mailorder import customers clients.csv",
	.min_args = 1,
	.max_args = 1,
	.run = import_customers_run,
};

const cli_command cli_cmd_import_products = {
	.name = "import products",
	.synopsis = "FICHIER.csv",
	.summary = "importe le catalogue : crée ou met à jour chaque produit par sa référence "
		   "(prix, TVA, stock)",
	.details = "Le fichier est vérifié en entier d'abord : si une ligne est fausse, rien "
		   "n'est importé. Colonnes : ref, name, unit_price, vat_rate, stock, unit ; le "
		   "reste : mailorder help csv.",
	.examples = "mailorder import products catalogue.csv",
	.min_args = 1,
	.max_args = 1,
	.run = import_products_run,
};
