/* mailorder correct ORDER --customer REF | --line N --product REF [--by WHO]
 * (correction.h does it). */
#include "cli/cli.h"

#include "orders/correction.h"
#include "store/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(int argc, char **argv, order_correction *cor)
{
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (opt[0] != '-' && cor->number == NULL) {
			cor->number = opt;
			continue;
		}
		if (val == NULL)
			return cli_usage("correct: %s needs a value", opt);
		i++;
		if (strcmp(opt, "--customer") == 0) {
			cor->customer_ref = val;
		} else if (strcmp(opt, "--product") == 0) {
			cor->product_ref = val;
		} else if (strcmp(opt, "--by") == 0) {
			cor->by = val;
		} else if (strcmp(opt, "--line") == 0) {
			char *end;
			long n = strtol(val, &end, 10);

			if (*end != '\0' || n < 1 || n > 100000)
				return cli_usage("correct: --line wants a line number, not '%s'", val);
			cor->line = (int)n;
		} else {
			return cli_usage("correct: unexpected argument '%s'", opt);
		}
	}
	if (cor->number == NULL ||
	    (cor->customer_ref == NULL) == (cor->product_ref == NULL) ||
	    (cor->product_ref != NULL) != (cor->line > 0))
		return cli_usage("correct ORDER --customer REF | --line N --product REF [--by WHO]");
	return CLI_OK;
}

int cli_correct(cli_ctx *ctx, int argc, char **argv)
{
	order_correction cor = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	archive *a = NULL;
	db *d;
	int rc = parse(argc, argv, &cor);

	if (rc != CLI_OK)
		return rc;
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
