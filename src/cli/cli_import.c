/* cli_import.c: mailorder import customers|products FILE.csv
 * (orders/import.h does it). */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/text.h"
#include "orders/import.h"

#include <stdio.h>
#include <string.h>

int cli_import(cli_ctx *ctx, int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	import_outcome out = { 0 };
	gboolean products;
	int rc = CLI_OK;
	db *d;

	if (argc != 3 || (strcmp(argv[1], "customers") != 0 && strcmp(argv[1], "products") != 0))
		return cli_usage("import customers|products FILE.csv");
	products = strcmp(argv[1], "products") == 0;
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	if (import_csv(d, products ? IMPORT_PRODUCTS : IMPORT_CUSTOMERS, argv[2], &out, &err) == 0) {
		cli_printf("%s: %d %s imported (%d new, %d updated)\n", argv[2],
			   out.created + out.updated, products ? "products" : "customers",
			   out.created, out.updated);
	} else if (g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED)) {
		g_autofree char *shown = text_shown(out.problems->str, TEXT_KEEP_LINES, 0);

		fputs(shown, stderr);
		if (out.nproblems > IMPORT_MAX_PROBLEMS)
			fprintf(stderr, "%s: ... and %d more problems\n", argv[2],
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
