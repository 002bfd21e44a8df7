/* cli.h: the command-line commands (one cli_*.c per family) and what they
 * share.
 *
 * Exit codes (CONTRACT.md): 0 success, 1 the command ran but something
 * failed, 2 bad usage or bad config.  Errors go to stderr, one line each.
 */
#ifndef MO_CLI_H
#define MO_CLI_H

#include "lib/config.h"
#include "store/db.h"
#include "lib/guard.h"

#include <glib.h>
#include <stdio.h>

enum {
	CLI_OK = 0,
	CLI_FAILED = 1,
	CLI_USAGE = 2,
};

typedef struct cli_command cli_command;

typedef struct {
	const char *config_path;  /* as located (config_locate) */
	const char *config_given; /* the -c FILE given, or NULL: repeated in the next
				   * steps a command suggests (cli_next) */
	config *cfg;              /* loaded before the command runs (NULL for the
				   * commands that need none) */
	const cli_command *cmd;   /* the command being run */
} cli_ctx;

/* An option of a command: "--json", or "--by" with a value. */
typedef struct {
	const char *name;         /* "--json"; NULL ends a list */
	const char *value;        /* the value's name ("QUI"), NULL for a flag */
	const char *help;         /* one line, French */
} cli_option;

/* A command line, parsed against its command (cli_parse): options by
 * name, then the arguments.  Strings are argv's. */
typedef struct {
	GHashTable *options;      /* "--by" -> its value (the last given); a flag -> "" */
	GPtrArray *fields;        /* free_fields: "billing_address", value, ... in order */
	GPtrArray *args;          /* the other arguments, in order */
	GHashTable *repeated;     /* "--line" -> GPtrArray of every value given, NULL-ended */
} cli_args;

/* A command, as `mailorder help` and `--help` show it and as it is run.
 * Global options (-c, -v, -h) are not listed: every command takes them. */
struct cli_command {
	const char *name;         /* "drafts", "customer add": the words typed */
	const char *synopsis;     /* what follows the name ("COMMANDE [--json]") */
	const char *summary;      /* one line */
	const char *details;      /* paragraphs, or NULL */
	const cli_option *options;/* NULL-ended, or NULL */
	const char *examples;     /* command lines, one a line, or NULL */
	int min_args, max_args;   /* arguments besides the options; max_args -1: any */
	const char *const *conflicts; /* pairs of options refused together, NULL-ended */
	gboolean free_fields;     /* also takes --CHAMP VALEUR (a customer field) */
	gboolean no_config;       /* runs without a config file */
	int (*run)(cli_ctx *ctx, const cli_args *args);
};

/* The options many commands share: --json alone. */
extern const cli_option cli_json_option[];

/* Every command, in the order `mailorder help` lists them. */
extern const cli_command *const cli_commands[];

/* The value of option name ("--by"), or NULL when it was not given. */
const char *cli_opt(const cli_args *a, const char *name);
gboolean cli_flag(const cli_args *a, const char *name);
/* Every value of an option given several times (--line 1=5 --line 2=3),
 * in order, NULL-ended; NULL when it was not given. */
const char *const *cli_opt_all(const cli_args *a, const char *name);
/* Argument i (from 0), or NULL beyond the last. */
const char *cli_arg(const cli_args *a, guint i);

/* Parses argv (what follows the command's name) against cmd into a;
 * CLI_OK, or CLI_USAGE with the reason said.  cli_args_clear frees a's
 * tables. */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a);
void cli_args_clear(cli_args *a);
/* Whether word, an option of cmd written without "=", takes the next
 * word as its value ("--by" in "--by -v": "-v" is then the value, not
 * the global option). */
gboolean cli_option_takes_next(const cli_command *cmd, const char *word);

/* Help: the command's usage, options and examples (cli_help.c). */
void cli_help_command(const cli_command *cmd, FILE *out);
/* What mailorder is, its commands and the global options. */
void cli_help_general(FILE *out);
/* The commands whose names start with prefix ("" for all), a line each. */
void cli_help_list(const char *prefix, FILE *out);

/* "mailorder [-c FILE] COMMAND": how to write a command the clerk may run
 * next, with the -c FILE given to this one.  Owned. */
char *cli_next(const cli_ctx *ctx, const char *command);

/* Prints "mailorder: error: ..." for each line of err's message and returns
 * the exit code its domain/code calls for (2 for MO_ERROR_INVALID). */
int cli_report(const GError *err);
/* Prints a usage error and returns CLI_USAGE. */
int cli_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Text output.  What came from outside (a subject, a file name, a PDF's
 * text, a customer's name) may hold control or bidi characters: it never
 * reaches the terminal as such (text_shown in text.h).  cli_put and
 * cli_printf write a text of ours, its line breaks kept, everything else
 * escaped; cli_errorf writes "mailorder: error: ..." as one line on
 * stderr.  JSON output is exact and goes out as it is. */
void cli_put(const char *text);
void cli_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void cli_errorf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* A value from outside for a line of text output: its line breaks and
 * tabs escaped too (a file name with "\r\n" stays on its line).  NULL
 * for NULL; the string is kept in keep (a GPtrArray freeing with
 * g_free) until the caller frees it. */
const char *cli_value(GPtrArray *keep, const char *s);

/* A time of the database (ISO 8601, UTC) as a clerk reads it: local
 * time, "05/12/2026 19:05"; a date alone ("2026-11-20") as "20/11/2026";
 * "—" for NULL.  Owned. */
char *cli_time_fr(const char *iso);

/* A table for text output: a header, rows, columns aligned and cut to
 * fit a terminal of CLI_TABLE_WIDTH columns (a character counts one
 * column, an accented one too; a cut cell ends with "…").  Values are
 * escaped (cli_value) when added. */
#define CLI_TABLE_WIDTH 100
typedef struct cli_table cli_table;
/* columns: the headers; align: one letter a column, 'l' or 'r' (left or
 * right), 'L' for a left column that gives up width when the row is too
 * long (a name, a description). */
cli_table *cli_table_new(const char *const *headers, const char *align);
/* One row: as many cells as columns (NULL shows "—"). */
void cli_table_add(cli_table *t, const char *const *cells);
/* The table into out, then frees it. */
void cli_table_print(cli_table *t, GString *out);

/* The watch over the PDFs a command reads (guard.h, one slot): a
 * document whose reading runs away ends the command with exit code 1 and
 * a line naming it.  NULL (a warning said) when it cannot start. */
guard *cli_reading_guard(void);

/* Opens the database named by the config and checks its schema version;
 * on failure prints why and sets *rc_r. */
db *cli_open_db(cli_ctx *ctx, int *rc_r);

/* The commands, one cli_*.c file per family. */
extern const cli_command cli_cmd_init, cli_cmd_import_customers, cli_cmd_import_products,
	cli_cmd_export_customers, cli_cmd_poll, cli_cmd_drafts, cli_cmd_show, cli_cmd_open, cli_cmd_quarantine, cli_cmd_quarantine_show,
	cli_cmd_correct, cli_cmd_rules_check, cli_cmd_customer_add, cli_cmd_customer_edit,
	cli_cmd_customer_show, cli_cmd_customer_list, cli_cmd_customer_history,
	cli_cmd_customer_contact_add, cli_cmd_customer_contact_edit,
	cli_cmd_customer_contact_remove, cli_cmd_customer_from_draft, cli_cmd_product_list,
	cli_cmd_product_show, cli_cmd_product_edit, cli_cmd_learned_list, cli_cmd_learned_remove,
	cli_cmd_validate, cli_cmd_reject, cli_cmd_cancel, cli_cmd_copy, cli_cmd_deliver,
	cli_cmd_invoice, cli_cmd_invoice_post, cli_cmd_invoice_show, cli_cmd_invoices,
	cli_cmd_orders, cli_cmd_entries, cli_cmd_print, cli_cmd_outbox, cli_cmd_send, cli_cmd_run, cli_cmd_help;

#endif
