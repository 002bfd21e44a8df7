/* main.c: global options, then one command (cli.h). */
#include "cli/cli.h"
#include "lib/error.h"
#include "lib/log.h"
#include "reading/ocr.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define MAILORDER_VERSION "0.1.0"

typedef struct {
	const char *name;
	int (*run)(cli_ctx *ctx, int argc, char **argv);
	const char *args;
	const char *what;
} command;

static const command commands[] = {
	{ "init", cli_init, "", "create or migrate the database (idempotent)" },
	{ "import", cli_import, "customers|products FILE.csv", "upsert customers or products by ref" },
	{ "poll", cli_poll, "[--once]", "fetch new mail, archive it, file documents, make drafts" },
	{ "drafts", cli_drafts, "[--json]", "the review queue: orders in state draft" },
	{ "show", cli_show, "ORDER [--json]", "one order (ORDER is its number, e.g. SO0001)" },
	{ "customer", cli_customer, "add|edit|show|list|history|contact|from-draft ...",
	  "the customer file: every value checked, every change in the history" },
	{ "export", cli_export, "customers FILE.csv", "the customer file in the import's format" },
	{ "correct", cli_correct, "ORDER --customer REF | --line N --product REF",
	  "a clerk's correction of a draft, remembered for the customer's next orders" },
	{ "quarantine", cli_quarantine, "[--json]", "what did not become a draft, and why" },
	{ "rules", cli_rules, "check [--text|--summary] [FILE.pdf...]", "which rule reads a document, and what it reads" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mailorder [-c FILE] [-v] COMMAND [ARGS]\n\n"
		     "  -c FILE   config file (else $MAILORDER_CONFIG, else ./mailorder.conf)\n"
		     "  -v        more detail in the log (MAILORDER_LOG=debug does the same)\n\n"
		     "commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-10s %-28s %s\n", commands[i].name, commands[i].args,
			commands[i].what);
	fprintf(out, "\nSee README.md for the configuration and the archive layout.\n");
}

int main(int argc, char **argv)
{
	const char *config_arg = NULL;
	const command *cmd = NULL;
	g_autoptr(GError) err = NULL;
	cli_ctx ctx = { 0 };
	int i, rc;

	/* the OCR helper (ocr.h): no config, no log, and the C locale (its
	 * numbers are read back with a decimal point) */
	if (argc >= 2 && strcmp(argv[1], "ocr-page") == 0)
		return ocr_page_main(argc - 1, argv + 1);
	setlocale(LC_ALL, "");
	/* A peer closing the connection must give an error, not kill us. */
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc)
				return cli_usage("%s needs a file name", argv[i]);
			config_arg = argv[++i];
		} else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			log_set_level(LOG_LEVEL_DEBUG);
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "help") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("mailorder %s\n", MAILORDER_VERSION);
			return CLI_OK;
		} else if (argv[i][0] == '-') {
			return cli_usage("unknown option '%s'", argv[i]);
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (size_t k = 0; k < G_N_ELEMENTS(commands); k++) {
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	}
	if (cmd == NULL)
		return cli_usage("unknown command '%s' (mailorder --help lists them)", argv[i]);

	ctx.config_path = config_locate(config_arg);
	ctx.cfg = config_load(ctx.config_path, &err);
	if (ctx.cfg == NULL) {
		rc = cli_report(err);
		g_free((char *)ctx.config_path);
		return rc == CLI_FAILED ? CLI_USAGE : rc;
	}
	rc = cmd->run(&ctx, argc - i, argv + i);
	config_free(ctx.cfg);
	g_free((char *)ctx.config_path);
	return rc;
}
