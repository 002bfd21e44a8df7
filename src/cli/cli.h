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

enum {
	CLI_OK = 0,
	CLI_FAILED = 1,
	CLI_USAGE = 2,
};

typedef struct {
	const char *config_path;  /* as located (config_locate) */
	config *cfg;              /* loaded before the command runs */
} cli_ctx;

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

/* The watch over the PDFs a command reads (guard.h, one slot): a
 * document whose reading runs away ends the command with exit code 1 and
 * a line naming it.  NULL (a warning said) when it cannot start. */
guard *cli_reading_guard(void);

/* Opens the database named by the config and checks its schema version;
 * on failure prints why and sets *rc_r. */
db *cli_open_db(cli_ctx *ctx, int *rc_r);

/* Command families.  argv[0] is the command's name. */
int cli_init(cli_ctx *ctx, int argc, char **argv);
int cli_import(cli_ctx *ctx, int argc, char **argv);
int cli_poll(cli_ctx *ctx, int argc, char **argv);
int cli_drafts(cli_ctx *ctx, int argc, char **argv);
int cli_show(cli_ctx *ctx, int argc, char **argv);
int cli_quarantine(cli_ctx *ctx, int argc, char **argv);
int cli_rules(cli_ctx *ctx, int argc, char **argv);
int cli_correct(cli_ctx *ctx, int argc, char **argv);
int cli_customer(cli_ctx *ctx, int argc, char **argv);
int cli_export(cli_ctx *ctx, int argc, char **argv);

#endif
