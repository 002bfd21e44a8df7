/* cli_help.c: what `mailorder help`, `--help` and `-h` print, from the
 * commands' own descriptions (cli.h), so that the help cannot drift from
 * what the commands accept. */
#include "cli/cli.h"

#include <string.h>

/* The options every command takes (main.c reads them wherever they are). */
static const cli_option global_options[] = {
	{ "-c, --config", "FICHIER",
	  "le fichier de configuration (sinon $MAILORDER_CONFIG, sinon ./mailorder.conf)" },
	{ "-v, --verbose", NULL, "plus de détails dans le journal (comme MAILORDER_LOG=debug)" },
	{ "-h, --help", NULL, "l'aide de la commande, sans rien exécuter" },
	{ NULL, NULL, NULL },
};

/* The words of text from column col (where the cursor is), wrapped at
 * width columns, each new line after indent spaces; a paragraph break
 * ("\n\n") kept.  Columns are characters: an accent counts one. */
static void put_words(FILE *out, const char *text, long col, int indent, int width)
{
	g_auto(GStrv) paragraphs = g_strsplit(text, "\n\n", -1);

	for (int p = 0; paragraphs[p] != NULL; p++) {
		g_auto(GStrv) words = g_strsplit_set(paragraphs[p], " \n", -1);
		gboolean line_empty = TRUE;

		if (p > 0) {
			fprintf(out, "\n\n%*s", indent, "");
			col = indent;
		}
		for (int i = 0; words[i] != NULL; i++) {
			long w = g_utf8_strlen(words[i], -1);

			if (w == 0)
				continue;
			if (!line_empty && col + 1 + w > width) {
				fprintf(out, "\n%*s", indent, "");
				col = indent;
				line_empty = TRUE;
			}
			if (!line_empty) {
				fputc(' ', out);
				col++;
			}
			fputs(words[i], out);
			col += w;
			line_empty = FALSE;
		}
	}
	fputc('\n', out);
}

#define HELP_WIDTH 100
#define HELP_COLUMN 26

/* "  --by QUI      text", the text in a column, wrapped. */
static void put_option(FILE *out, const char *name, const char *value, const char *help)
{
	g_autofree char *left = value ? g_strdup_printf("%s %s", name, value) : g_strdup(name);
	long w = 2 + g_utf8_strlen(left, -1);

	fprintf(out, "  %s", left);
	if (w + 2 > HELP_COLUMN) {
		fprintf(out, "\n%*s", HELP_COLUMN, "");
	} else {
		fprintf(out, "%*s", (int)(HELP_COLUMN - w), "");
	}
	put_words(out, help, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
}

void cli_help_command(const cli_command *cmd, FILE *out)
{
	fprintf(out, "Usage : mailorder %s%s%s\n\n", cmd->name, cmd->synopsis[0] ? " " : "",
		cmd->synopsis);
	{
		/* a sentence here, a list item in the list */
		gunichar first = g_utf8_get_char(cmd->summary);
		g_autofree char *sentence = NULL;
		char up[8] = { 0 };

		g_unichar_to_utf8(g_unichar_toupper(first), up);
		sentence = g_strdup_printf("%s%s.", up, g_utf8_next_char(cmd->summary));
		put_words(out, sentence, 0, 0, HELP_WIDTH);
	}
	if (cmd->details != NULL) {
		fputc('\n', out);
		put_words(out, cmd->details, 0, 0, HELP_WIDTH);
	}
	if (cmd->options != NULL && cmd->options[0].name != NULL) {
		fputs("\nOptions :\n", out);
		for (const cli_option *o = cmd->options; o->name != NULL; o++)
			put_option(out, o->name, o->value, o->help);
	}
	if (cmd->conflicts != NULL && cmd->conflicts[0] != NULL) {
		for (const char *const *c = cmd->conflicts; c[0] != NULL; c += 2)
			fprintf(out, "  (%s et %s s'excluent)\n", c[0], c[1]);
	}
	fputs("\nOptions communes à toutes les commandes :\n", out);
	for (const cli_option *o = global_options; o->name != NULL; o++)
		put_option(out, o->name, o->value, o->help);
	if (cmd->examples != NULL) {
		g_auto(GStrv) lines = g_strsplit(cmd->examples, "\n", -1);

		fputs("\nExemples :\n", out);
		for (int i = 0; lines[i] != NULL; i++) {
			if (lines[i][0] != '\0')
				fprintf(out, "  %s\n", lines[i]);
		}
	}
}

void cli_help_list(const char *prefix, FILE *out)
{
	size_t n = strlen(prefix);

	for (int i = 0; cli_commands[i] != NULL; i++) {
		const cli_command *cmd = cli_commands[i];
		long w;

		if (strncmp(cmd->name, prefix, n) != 0)
			continue;
		w = 2 + g_utf8_strlen(cmd->name, -1);
		fprintf(out, "  %s", cmd->name);
		if (w + 2 > HELP_COLUMN)
			fprintf(out, "\n%*s", HELP_COLUMN, "");
		else
			fprintf(out, "%*s", (int)(HELP_COLUMN - w), "");
		put_words(out, cmd->summary, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
	}
}

void cli_help_general(FILE *out)
{
	fputs("Usage : mailorder [-c FICHIER] [-v] COMMANDE [ARGUMENTS]\n\n"
	      "mailorder lit les bons de commande reçus par courriel, en fait des brouillons\n"
	      "de commande à vérifier, et tient le fichier clients.\n\n"
	      "Commandes :\n",
	      out);
	cli_help_list("", out);
	fputs("\nOptions communes à toutes les commandes :\n", out);
	for (const cli_option *o = global_options; o->name != NULL; o++)
		put_option(out, o->name, o->value, o->help);
	put_option(out, "--version", NULL, "la version de mailorder");
	fputs("\nL'aide d'une commande : mailorder help COMMANDE, ou mailorder COMMANDE --help.\n"
	      "Tout est décrit dans README.md et dans la page de manuel mailorder(1).\n",
	      out);
}

static int help_run(cli_ctx *ctx, const cli_args *a)
{
	g_autoptr(GString) words = g_string_new(NULL);

	(void)ctx;
	for (guint i = 0; cli_arg(a, i) != NULL; i++)
		g_string_append_printf(words, "%s%s", i ? " " : "", cli_arg(a, i));
	if (words->len == 0) {
		cli_help_general(stdout);
		return CLI_OK;
	}
	for (int i = 0; cli_commands[i] != NULL; i++) {
		if (strcmp(cli_commands[i]->name, words->str) == 0) {
			cli_help_command(cli_commands[i], stdout);
			return CLI_OK;
		}
	}
	{
		/* a family: "customer", "customer contact" */
		g_autofree char *prefix = g_strdup_printf("%s ", words->str);

		for (int i = 0; cli_commands[i] != NULL; i++) {
			if (g_str_has_prefix(cli_commands[i]->name, prefix)) {
				printf("Les commandes « %s » :\n", words->str);
				cli_help_list(prefix, stdout);
				printf("\nL'aide de chacune : mailorder help %s SOUS-COMMANDE\n",
				       words->str);
				return CLI_OK;
			}
		}
	}
	return cli_usage("help : aucune commande « %s » (mailorder help les liste)", words->str);
}

const cli_command cli_cmd_help = {
	.name = "help",
	.synopsis = "[COMMANDE [SOUS-COMMANDE]]",
	.summary = "l'aide : la liste des commandes, ou l'usage, les options et un exemple "
		   "d'une commande",
	.examples = "mailorder help\nmailorder help customer\nmailorder help customer add",
	.min_args = 0,
	.max_args = 3,
	.no_config = TRUE,
	.run = help_run,
};
