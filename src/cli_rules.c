/* mailorder rules check [--rules DIR] [--text] [FILE.pdf]: for a clerk
 * writing a rule for a new customer's layout, without recompiling. */
#include "cli.h"

#include "fsutil.h"
#include "pdf.h"
#include "reader.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

#define DOCUMENT_MAX_BYTES (64 * 1024 * 1024)

static const char *const field_order[] = { RULES_FIELDS };

static gboolean from_generic(const reading *rd, const char *name)
{
	for (guint i = 0; i < rd->generic->len; i++) {
		if (strcmp(rd->generic->pdata[i], name) == 0)
			return TRUE;
	}
	return FALSE;
}

static void print_reading(const rule *r, const reading *rd)
{
	const char *generic = r != NULL ? "   (lecture générique)" : "";

	if (r != NULL)
		printf("Règle     : %s (%s)\n", r->path, r->issuer);
	else
		printf("Règle     : aucune ne correspond : lecture générique (d'après la mise en page)\n");
	printf("Champs    :\n");
	for (size_t i = 0; i < G_N_ELEMENTS(field_order); i++) {
		const char *v = g_hash_table_lookup(rd->fields, field_order[i]);
		gboolean asked = v != NULL;

		for (guint k = 0; r != NULL && k < r->fields->len; k++)
			asked |= strcmp(((const rule_field *)r->fields->pdata[k])->name, field_order[i]) == 0;
		g_autofree char *iso = NULL;

		if (v != NULL && g_str_has_suffix(field_order[i], "_date")) {
			/* the date as intake will take it */
			g_autofree char *date = reader_date(r, v);

			iso = g_strdup_printf(" → %s", date ? date : "(pas une date)");
		}
		if (asked)
			printf("  %-19s: %s%s%s\n", field_order[i], v ? v : "(non trouvé)",
			       iso ? iso : "", from_generic(rd, field_order[i]) ? generic : "");
	}
	printf("Lignes    : %u%s\n", rd->lines->len, from_generic(rd, "lines") ? generic : "");
	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *l = rd->lines->pdata[i];

		printf("  %3u  réf. %s | %s | qté %s | P.U. %s | montant %s\n", i + 1,
		       l->ref ? l->ref : "—", l->description ? l->description : "—",
		       l->qty ? l->qty : "—", l->unit_price ? l->unit_price : "—",
		       l->line_total ? l->line_total : "—");
	}
}

static int check_document(const rule_set *set, const char *file, gboolean show_text)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *data = NULL;
	g_autofree char *why = NULL;
	g_autofree char *text = NULL;
	g_autoptr(pdf_content) c = NULL;
	pdf_reader *pr;
	pdf_status status;
	const rule *r;
	size_t len = 0;
	guint from_fields = 0;

	if (fsutil_read_file(file, DOCUMENT_MAX_BYTES, &data, &len, &err) < 0)
		return cli_report(err);
	pr = pdf_reader_new();
	c = pdf_read(pr, data, len, &status, &why);
	pdf_reader_free(&pr);
	if (c == NULL) {
		fprintf(stderr, "mailorder: error: %s: %s\n", file, why);
		return CLI_FAILED;
	}
	for (guint i = 0; i < c->words->len; i++)
		from_fields += ((const pdf_word *)c->words->pdata[i])->source == PDF_WORD_FIELD;
	printf("Document  : %s (%d page(s), %u mots dont %u de champs de formulaire, %u champs)\n",
	       file, c->n_pages, c->words->len, from_fields, c->fields->len);
	text = reader_text(c);
	{
		g_autoptr(reading) rd = reader_read(set, c, text);

		r = rd->rule;
		print_reading(r, rd);
	}
	if (show_text || r == NULL)
		printf("\nTexte vu par les règles :\n%s", text);
	if (show_text && c->fields->len > 0) {
		/* for a rule's {form_field: NAME} */
		printf("\nChamps de formulaire :\n");
		for (guint i = 0; i < c->fields->len; i++) {
			const pdf_field *f = c->fields->pdata[i];

			if (f->value[0] != '\0')
				printf("  %s = %s\n", f->name, f->value);
		}
	}
	return CLI_OK;
}

int cli_rules(cli_ctx *ctx, int argc, char **argv)
{
	g_autofree char *dir = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(rule_set) set = NULL;
	const char *file = NULL;
	gboolean show_text = FALSE;

	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return cli_usage("rules check [--rules DIR] [--text] [FILE.pdf]");
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			dir = g_strdup(argv[++i]);
		else if (strcmp(argv[i], "--text") == 0)
			show_text = TRUE;
		else if (argv[i][0] != '-' && file == NULL)
			file = argv[i];
		else
			return cli_usage("rules check: unexpected argument '%s'", argv[i]);
	}
	if (dir != NULL) {
		set = rules_load_dir(dir, &err);
	} else {
		g_auto(GStrv) dirs = rules_standard_dirs(ctx->cfg->dir);

		set = rules_load_standard(ctx->cfg->dir, &err);
		dir = g_strjoinv(" puis ", dirs);
	}
	if (set == NULL) {
		cli_report(err);
		return CLI_FAILED;
	}
	if (file == NULL) {
		printf("%u règle(s) dans %s\n", rule_set_size(set), dir);
		for (guint i = 0; i < rule_set_size(set); i++) {
			const rule *r = rule_set_get(set, i);

			printf("  %s : %s, %u champ(s)%s\n", r->path, r->issuer, r->fields->len,
			       r->line ? ", lignes" : "");
		}
		return CLI_OK;
	}
	return check_document(set, file, show_text);
}
