/* cli.c: what the commands share. */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/log.h"
#include "lib/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_report(const GError *err)
{
	g_auto(GStrv) lines = g_strsplit(err->message, "\n", -1);

	for (int i = 0; lines[i] != NULL; i++) {
		g_autofree char *shown = text_shown(lines[i], TEXT_ONE_LINE, 0);

		fprintf(stderr, "mailorder : erreur : %s\n", shown);
	}
	if (err->domain == MO_ERROR && err->code == MO_ERROR_INVALID)
		return CLI_USAGE;
	return CLI_FAILED;
}

/* "mailorder : KIND : message" on stderr, as one line whatever it holds. */
G_GNUC_PRINTF(2, 0)
static void stderr_line(const char *kind, const char *fmt, va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	g_autofree char *shown = text_shown(text, TEXT_ONE_LINE, 0);

	fprintf(stderr, "mailorder : %s : %s\n", kind, shown);
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stderr_line("erreur d'utilisation", fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void cli_put(const char *text)
{
	g_autofree char *shown = text_shown(text, TEXT_KEEP_LINES, 0);

	fputs(shown, stdout);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cli_put(text);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stderr_line("erreur", fmt, ap);
	va_end(ap);
}

const char *cli_value(GPtrArray *keep, const char *s)
{
	char *shown;

	if (s == NULL)
		return NULL;
	shown = text_shown(s, TEXT_ONE_LINE, 0);
	g_ptr_array_add(keep, shown);
	return shown;
}

db *cli_open_db(cli_ctx *ctx, int *rc_r)
{
	g_autoptr(GError) err = NULL;
	db *d = db_open(ctx->cfg->storage.database, FALSE, &err);

	if (d == NULL || db_check_schema(d, &err) < 0) {
		/* A database to initialise is a failed run, not a usage error. */
		if (g_error_matches(err, MO_ERROR, MO_ERROR_NEEDS_INIT)) {
			g_autofree char *init = cli_next(ctx, "init");

			cli_errorf("%s : lancez d'abord « %s »", err->message, init);
		} else {
			cli_report(err);
		}
		*rc_r = CLI_FAILED;
		db_close(&d);
		return NULL;
	}
	return d;
}

/* A document whose reading runs away ends the command: said, then exit 1
 * (the output so far is flushed first: a clerk sees where it stopped). */
static void on_runaway(int slot, const char *what, guard_why why, gint64 limit, void *ctx)
{
	g_autofree char *shown = text_shown(what, TEXT_ONE_LINE, 0);

	(void)slot;
	(void)ctx;
	fflush(stdout);
	if (why == GUARD_TIME)
		fprintf(stderr, "mailorder : erreur : %s : lecture arrêtée après %" G_GINT64_FORMAT
				" s : document piégé ou trop complexe pour être lu "
				"(MAILORDER_READ_LIMIT_S)\n", shown, limit);
	else
		fprintf(stderr, "mailorder : erreur : %s : lecture arrêtée à %" G_GINT64_FORMAT
				" Mo de mémoire : document piégé ou trop complexe pour être lu "
				"(MAILORDER_READ_LIMIT_MB)\n", shown, limit);
	fflush(stderr);
	_exit(CLI_FAILED);
}

guard *cli_reading_guard(void)
{
	g_autoptr(GError) err = NULL;
	guard *g = guard_start(1, on_runaway, NULL, &err);

	if (g == NULL)
		log_warn("pas de surveillance : un document qui bloque sa lecture ne sera pas "
			 "arrêté (%s)", err->message);
	return g;
}

/* ---------------------------------------------------------------- parsing */

const cli_option cli_json_option[] = {
	{ "--json", NULL, "la sortie en JSON, pour un script (format : mailorder help json)" },
	{ NULL, NULL, NULL },
};

const char *cli_opt(const cli_args *a, const char *name)
{
	return a->options ? g_hash_table_lookup(a->options, name) : NULL;
}

gboolean cli_flag(const cli_args *a, const char *name)
{
	return cli_opt(a, name) != NULL;
}

const char *const *cli_opt_all(const cli_args *a, const char *name)
{
	GPtrArray *all = a->repeated ? g_hash_table_lookup(a->repeated, name) : NULL;

	return all ? (const char *const *)all->pdata : NULL;
}

const char *cli_arg(const cli_args *a, guint i)
{
	return a->args && i < a->args->len ? a->args->pdata[i] : NULL;
}

void cli_args_clear(cli_args *a)
{
	g_clear_pointer(&a->options, g_hash_table_unref);
	g_clear_pointer(&a->fields, g_ptr_array_unref);
	g_clear_pointer(&a->args, g_ptr_array_unref);
	g_clear_pointer(&a->repeated, g_hash_table_unref);
}

static const cli_option *option_named(const cli_command *cmd, const char *name, size_t len)
{
	for (const cli_option *o = cmd->options; o != NULL && o->name != NULL; o++) {
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	}
	return NULL;
}

gboolean cli_option_takes_next(const cli_command *cmd, const char *word)
{
	const cli_option *o;

	if (word[0] != '-' || strcmp(word, "--") == 0 || strchr(word, '=') != NULL)
		return FALSE;
	o = option_named(cmd, word, strlen(word));
	if (o != NULL)
		return o->value != NULL;
	return cmd->free_fields && g_str_has_prefix(word, "--") && strlen(word) > 2;
}

/* "mailorder drafts --help", for the end of a usage error. */
static int usage_of(const cli_command *cmd, const char *what)
{
	return cli_usage("%s (voir : mailorder %s --help)", what, cmd->name);
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a)
{
	gboolean options_end = FALSE;

	a->options = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	a->fields = g_ptr_array_new_with_free_func(g_free);
	a->args = g_ptr_array_new();
	a->repeated = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)g_ptr_array_unref);
	for (int i = 0; i < argc; i++) {
		const char *word = argv[i];
		const char *eq;
		size_t len;
		const cli_option *o;
		const char *value;

		if (options_end || word[0] != '-' || strcmp(word, "-") == 0) {
			g_ptr_array_add(a->args, (char *)word);
			continue;
		}
		if (strcmp(word, "--") == 0) {
			options_end = TRUE;
			continue;
		}
		eq = strchr(word, '=');
		len = eq ? (size_t)(eq - word) : strlen(word);
		o = option_named(cmd, word, len);
		if (o == NULL && !(cmd->free_fields && g_str_has_prefix(word, "--") && len > 2)) {
			g_autofree char *name = g_strndup(word, len);
			g_autofree char *what = g_strdup_printf("%s : option inconnue « %s »",
								cmd->name, name);

			return usage_of(cmd, what);
		}
		if (o != NULL && o->value == NULL) {
			if (eq != NULL) {
				g_autofree char *what = g_strdup_printf(
					"%s : %s ne prend pas de valeur", cmd->name, o->name);

				return usage_of(cmd, what);
			}
			g_hash_table_replace(a->options, g_strdup(o->name), (char *)"");
			continue;
		}
		if (eq != NULL) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			g_autofree char *name = g_strndup(word, len);
			g_autofree char *what = g_strdup_printf("%s : %s attend une valeur%s%s", cmd->name,
								name, o ? " : " : "",
								o ? o->value : "");

			return usage_of(cmd, what);
		}
		if (o != NULL) {
			GPtrArray *all = g_hash_table_lookup(a->repeated, o->name);

			g_hash_table_replace(a->options, g_strdup(o->name), (char *)value);
			if (all == NULL) {
				all = g_ptr_array_new();
				g_ptr_array_add(all, NULL);
				g_hash_table_insert(a->repeated, g_strdup(o->name), all);
			}
			all->pdata[all->len - 1] = (char *)value;
			g_ptr_array_add(all, NULL);
		} else {
			/* --billing-address: the field billing_address */
			g_ptr_array_add(a->fields, g_strdelimit(g_strndup(word + 2, len - 2), "-", '_'));
			g_ptr_array_add(a->fields, g_strdup(value));
		}
	}
	if ((int)a->args->len < cmd->min_args) {
		g_autofree char *what = g_strdup_printf("%s : il manque %s (mailorder %s %s)",
							cmd->name,
							cmd->min_args - (int)a->args->len > 1
								? "des arguments" : "un argument",
							cmd->name, cmd->synopsis);

		return usage_of(cmd, what);
	}
	if (cmd->max_args >= 0 && (int)a->args->len > cmd->max_args) {
		g_autofree char *what = g_strdup_printf("%s : argument en trop « %s »", cmd->name,
							(char *)a->args->pdata[cmd->max_args]);

		return usage_of(cmd, what);
	}
	for (const char *const *c = cmd->conflicts; c != NULL && c[0] != NULL; c += 2) {
		if (cli_flag(a, c[0]) && cli_flag(a, c[1])) {
			g_autofree char *what = g_strdup_printf("%s : %s et %s s'excluent : l'un ou "
								"l'autre", cmd->name, c[0], c[1]);

			return usage_of(cmd, what);
		}
	}
	return CLI_OK;
}

char *cli_next(const cli_ctx *ctx, const char *command)
{
	g_autofree char *quoted = NULL;

	if (ctx->config_given == NULL)
		return g_strdup_printf("mailorder %s", command);
	/* quoted only when the shell needs it: the line is for a clerk */
	quoted = ctx->config_given[strspn(ctx->config_given,
					  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789-_./+,:@%")] == '\0' &&
				 ctx->config_given[0] != '\0'
			 ? g_strdup(ctx->config_given)
			 : g_shell_quote(ctx->config_given);
	return g_strdup_printf("mailorder -c %s %s", quoted, command);
}

/* ---------------------------------------------------------------- text output */

char *cli_time_fr(const char *iso)
{
	g_autoptr(GDateTime) t = NULL;
	g_autoptr(GDateTime) local = NULL;
	int y, m, d;

	if (iso == NULL || iso[0] == '\0')
		return g_strdup("—");
	if (strlen(iso) == 10 && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		return g_strdup_printf("%02d/%02d/%04d", d, m, y);
	t = g_date_time_new_from_iso8601(iso, NULL);
	if (t == NULL)
		return g_strdup(iso);
	local = g_date_time_to_local(t);
	return g_date_time_format(local, "%d/%m/%Y %H:%M");
}

struct cli_table {
	guint ncols;
	char *align;
	GPtrArray *rows;          /* char** of ncols escaped cells; the first the headers */
};

cli_table *cli_table_new(const char *const *headers, const char *align)
{
	cli_table *t = g_new0(cli_table, 1);

	t->ncols = (guint)strlen(align);
	t->align = g_strdup(align);
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	cli_table_add(t, headers);
	return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
	char **row = g_new0(char *, t->ncols + 1);

	for (guint i = 0; i < t->ncols; i++)
		row[i] = cells[i] ? text_shown(cells[i], TEXT_ONE_LINE, 0) : g_strdup("—");
	g_ptr_array_add(t->rows, row);
}

/* Columns a text takes: one a character, two for a wide one (CJK). */
static long columns_of(const char *s)
{
	long n = 0;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iszerowidth(c))
			continue;
		n += g_unichar_iswide(c) ? 2 : 1;
	}
	return n;
}

/* s cut to width columns, "…" at the end when cut. */
static void append_fitted(GString *out, const char *s, long width, gboolean right)
{
	long n = columns_of(s);

	if (n > width) {
		long used = 0;

		for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);
			long w = g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;

			if (used + w > width - 1)
				break;
			g_string_append_unichar(out, c);
			used += w;
		}
		g_string_append(out, "…");
		for (; used + 1 < width; used++)
			g_string_append_c(out, ' ');
		return;
	}
	if (right)
		for (long i = n; i < width; i++)
			g_string_append_c(out, ' ');
	g_string_append(out, s);
	if (!right)
		for (long i = n; i < width; i++)
			g_string_append_c(out, ' ');
}

#define CLI_TABLE_GAP 2
#define CLI_TABLE_MIN_FLEX 8

void cli_table_print(cli_table *t, GString *out)
{
	g_autofree long *width = g_new0(long, t->ncols);
	long total = 0;

	for (guint r = 0; r < t->rows->len; r++) {
		char **row = t->rows->pdata[r];

		for (guint c = 0; c < t->ncols; c++)
			width[c] = MAX(width[c], columns_of(row[c]));
	}
	for (guint c = 0; c < t->ncols; c++)
		total += width[c] + (c ? CLI_TABLE_GAP : 0);
	/* too wide: the flexible columns give up width, the widest first, but
	 * never below their header's */
	while (total > CLI_TABLE_WIDTH) {
		guint widest = t->ncols;
		char **headers = t->rows->pdata[0];

		for (guint c = 0; c < t->ncols; c++) {
			if (t->align[c] == 'L' &&
			    width[c] > MAX(CLI_TABLE_MIN_FLEX, columns_of(headers[c])) &&
			    (widest == t->ncols || width[c] > width[widest]))
				widest = c;
		}
		if (widest == t->ncols)
			break;
		width[widest]--;
		total--;
	}
	for (guint r = 0; r < t->rows->len; r++) {
		char **row = t->rows->pdata[r];
		gsize start = out->len;

		for (guint c = 0; c < t->ncols; c++) {
			if (c > 0)
				g_string_append_printf(out, "%*s", CLI_TABLE_GAP, "");
			append_fitted(out, row[c], width[c], t->align[c] == 'r');
		}
		/* no trailing blanks */
		while (out->len > start && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
	}
	g_ptr_array_unref(t->rows);
	g_free(t->align);
	g_free(t);
}
