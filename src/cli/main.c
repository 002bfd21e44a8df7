/* main.c: the global options wherever they are, then one command (cli.h):
 * its help, or its arguments parsed, the config loaded when it needs one,
 * and the command run. */
#include "cli/cli.h"
#include "lib/error.h"
#include "lib/log.h"
#include "reading/ocr.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define MAILORDER_VERSION "0.1.0"

const cli_command *const cli_commands[] = {
	&cli_cmd_init,
	&cli_cmd_import_customers,
	&cli_cmd_import_products,
	&cli_cmd_export_customers,
	&cli_cmd_poll,
	&cli_cmd_drafts,
	&cli_cmd_show,
	&cli_cmd_open,
	&cli_cmd_correct,
	&cli_cmd_learned_list,
	&cli_cmd_learned_remove,
	&cli_cmd_validate,
	&cli_cmd_reject,
	&cli_cmd_cancel,
	&cli_cmd_copy,
	&cli_cmd_deliver,
	&cli_cmd_invoice,
	&cli_cmd_invoice_post,
	&cli_cmd_invoices,
	&cli_cmd_invoice_show,
	&cli_cmd_orders,
	&cli_cmd_entries,
	&cli_cmd_print,
	&cli_cmd_outbox,
	&cli_cmd_send,
	&cli_cmd_run,
	&cli_cmd_quarantine,
	&cli_cmd_quarantine_show,
	&cli_cmd_customer_add,
	&cli_cmd_customer_edit,
	&cli_cmd_customer_show,
	&cli_cmd_customer_list,
	&cli_cmd_customer_history,
	&cli_cmd_customer_contact_add,
	&cli_cmd_customer_contact_edit,
	&cli_cmd_customer_contact_remove,
	&cli_cmd_customer_from_draft,
	&cli_cmd_product_list,
	&cli_cmd_product_show,
	&cli_cmd_product_edit,
	&cli_cmd_rules_check,
	&cli_cmd_help,
	NULL,
};

typedef struct {
	const char *config;       /* -c FILE */
	gboolean help;            /* -h, --help */
	gboolean version;
	GPtrArray *rest;          /* the command's words and arguments */
} global_options;

static const cli_command *find_command(GPtrArray *rest, guint *n_words_r);

/* Takes the global options out of argv, wherever they are (before "--"):
 * `mailorder drafts -c FILE` is `mailorder -c FILE drafts`.  A word that
 * is the value of the command's own option stays its value
 * (`customer edit C1 --by -v`: "-v" is who made the change). */
static int read_global_options(int argc, char **argv, global_options *g)
{
	gboolean options_end = FALSE;

	g->rest = g_ptr_array_new();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		guint n_words;
		const cli_command *cmd;

		if (options_end) {
			g_ptr_array_add(g->rest, argv[i]);
			continue;
		}
		if (strcmp(a, "--") == 0) {
			/* the command sees it too: what follows are arguments */
			options_end = TRUE;
			g_ptr_array_add(g->rest, argv[i]);
		} else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			if (i + 1 >= argc)
				return cli_usage("%s attend un nom de fichier : -c FICHIER", a);
			g->config = argv[++i];
		} else if (g_str_has_prefix(a, "--config=")) {
			g->config = a + strlen("--config=");
		} else if (g_str_has_prefix(a, "-c") && a[2] != '\0') {
			g->config = a + 2; /* -cFILE, as getopt takes it */
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			log_set_level(LOG_LEVEL_DEBUG);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			g->help = TRUE;
		} else if (strcmp(a, "--version") == 0) {
			g->version = TRUE;
		} else {
			g_ptr_array_add(g->rest, argv[i]);
			cmd = find_command(g->rest, &n_words);
			if (cmd != NULL && g->rest->len > n_words && i + 1 < argc &&
			    cli_option_takes_next(cmd, a))
				g_ptr_array_add(g->rest, argv[++i]);
		}
	}
	return CLI_OK;
}

/* The command whose name is the longest run of words at the start of
 * rest; *n_words_r: how many words it takes. */
static const cli_command *find_command(GPtrArray *rest, guint *n_words_r)
{
	const cli_command *best = NULL;

	*n_words_r = 0;
	for (int i = 0; cli_commands[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit(cli_commands[i]->name, " ", -1);
		guint n = g_strv_length(words), k;

		if (n > rest->len || n <= *n_words_r)
			continue;
		for (k = 0; k < n && strcmp(words[k], rest->pdata[k]) == 0; k++)
			;
		if (k == n) {
			best = cli_commands[i];
			*n_words_r = n;
		}
	}
	return best;
}

/* The words typed, when they start a family of commands ("customer",
 * "customer contact"): the family's name, owned; else NULL. */
static char *family_of(GPtrArray *rest)
{
	g_autoptr(GString) words = g_string_new(NULL);
	char *best = NULL;

	for (guint k = 0; k < rest->len && ((char *)rest->pdata[k])[0] != '-'; k++) {
		g_autofree char *prefix = NULL;

		g_string_append_printf(words, "%s%s", k ? " " : "", (char *)rest->pdata[k]);
		prefix = g_strdup_printf("%s ", words->str);
		for (int i = 0; cli_commands[i] != NULL; i++) {
			if (g_str_has_prefix(cli_commands[i]->name, prefix)) {
				g_free(best);
				best = g_strdup(words->str);
				break;
			}
		}
	}
	return best;
}

/* "add, edit, contact": the words that may follow family, each once. */
static char *subcommands_of(const char *family)
{
	g_autofree char *prefix = g_strdup_printf("%s ", family);
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
	GString *out = g_string_new(NULL);

	for (int i = 0; cli_commands[i] != NULL; i++) {
		const char *sub = cli_commands[i]->name;
		char *word;

		if (!g_str_has_prefix(sub, prefix))
			continue;
		sub += strlen(prefix);
		word = g_strndup(sub, strcspn(sub, " "));
		if (g_ptr_array_find_with_equal_func(seen, word, g_str_equal, NULL)) {
			g_free(word);
			continue;
		}
		g_string_append_printf(out, "%s%s", out->len ? ", " : "", word);
		g_ptr_array_add(seen, word);
	}
	return g_string_free(out, FALSE);
}

/* The config the command needs: a missing file says where it was looked
 * for and how to give one. */
static int load_config(cli_ctx *ctx, const char *given)
{
	g_autoptr(GError) err = NULL;

	ctx->config_given = given;
	ctx->config_path = config_locate(given);
	if (!g_file_test(ctx->config_path, G_FILE_TEST_EXISTS)) {
		const char *env = g_getenv("MAILORDER_CONFIG");

		if (given != NULL)
			cli_errorf("%s : fichier de configuration introuvable (donné par -c) : "
				   "vérifiez le chemin ; ce qu'il contient : mailorder help config",
				   ctx->config_path);
		else if (env != NULL && env[0] != '\0')
			cli_errorf("%s : fichier de configuration introuvable (donné par "
				   "$MAILORDER_CONFIG)", ctx->config_path);
		else
			cli_errorf("pas de fichier de configuration : ni -c FICHIER, ni "
				   "$MAILORDER_CONFIG, ni ./mailorder.conf dans ce dossier ; donnez-le "
				   "avec « mailorder -c FICHIER %s » ou « export MAILORDER_CONFIG=FICHIER » "
				   "(mailorder help config)",
				   ctx->cmd->name);
		return CLI_USAGE;
	}
	ctx->cfg = config_load(ctx->config_path, &err);
	if (ctx->cfg == NULL) {
		int rc = cli_report(err);

		return rc == CLI_FAILED ? CLI_USAGE : rc;
	}
	return CLI_OK;
}

int main(int argc, char **argv)
{
	global_options g = { 0 };
	cli_ctx ctx = { 0 };
	cli_args args = { 0 };
	guint n_words = 0;
	int rc;

	/* the OCR helper (ocr.h): no config, no log, and the C locale (its
	 * numbers are read back with a decimal point) */
	if (argc >= 2 && strcmp(argv[1], "ocr-page") == 0)
		return ocr_page_main(argc - 1, argv + 1);
	setlocale(LC_ALL, "");
	/* A peer closing the connection must give an error, not kill us. */
	signal(SIGPIPE, SIG_IGN);

	rc = read_global_options(argc, argv, &g);
	if (rc != CLI_OK)
		goto out;
	if (g.version) {
		printf("mailorder %s\n", MAILORDER_VERSION);
		goto out;
	}
	ctx.cmd = find_command(g.rest, &n_words);
	if (ctx.cmd == NULL) {
		g_autofree char *family = family_of(g.rest);

		if (g.rest->len == 0) {
			/* `mailorder --help`, or `mailorder` alone: a usage error */
			cli_help_general(g.help ? stdout : stderr);
			rc = g.help ? CLI_OK : CLI_USAGE;
		} else if (family != NULL && g.help) {
			char *words[] = { family, NULL };
			cli_args fam = { 0 };

			rc = cli_parse(&cli_cmd_help, 1, words, &fam);
			if (rc == CLI_OK)
				rc = cli_cmd_help.run(&ctx, &fam);
			cli_args_clear(&fam);
		} else if (family != NULL) {
			g_autofree char *subs = subcommands_of(family);
			guint typed = 1;

			for (const char *p = family; *p != '\0'; p++)
				typed += *p == ' ';
			if (typed < g.rest->len)
				rc = cli_usage("%s : sous-commande inconnue « %s » : %s (mailorder help %s)",
					       family, (char *)g.rest->pdata[typed], subs, family);
			else
				rc = cli_usage("%s : quelle sous-commande ? %s (mailorder help %s)", family,
					       subs, family);
		} else {
			rc = cli_usage("commande inconnue « %s » (mailorder help les liste)",
				       (char *)g.rest->pdata[0]);
		}
		goto out;
	}
	if (g.help) {
		cli_help_command(ctx.cmd, stdout);
		rc = CLI_OK;
		goto out;
	}
	rc = cli_parse(ctx.cmd, (int)(g.rest->len - n_words), (char **)g.rest->pdata + n_words,
		       &args);
	if (rc != CLI_OK)
		goto out;
	if (!ctx.cmd->no_config) {
		rc = load_config(&ctx, g.config);
		if (rc != CLI_OK)
			goto out;
	}
	rc = ctx.cmd->run(&ctx, &args);
out:
	cli_args_clear(&args);
	config_free(ctx.cfg);
	g_free((char *)ctx.config_path);
	if (g.rest != NULL)
		g_ptr_array_unref(g.rest);
	return rc;
}
