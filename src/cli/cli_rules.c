/* mailorder rules check [--rules DIR] [--text | --summary] [FILE.pdf...]:
 * for a clerk writing a rule for a new customer's layout, without
 * recompiling, and trying it on every PO of that customer at once. */
#include "cli/cli.h"

#include "lib/fsutil.h"
#include "lib/text.h"
#include "reading/document.h"
#include "reading/ocr.h"
#include "reading/pdf.h"
#include "reading/reader.h"
#include "reading/rules.h"

#include <stdio.h>
#include <string.h>

/* "2026-11-05" as "5 novembre 2026": the date a rule read, beyond doubt
 * about which number is the day.  Owned; NULL for no date. */
static char *date_long_fr(const char *iso)
{
	static const char *const months[] = { "janvier", "février", "mars", "avril", "mai",
					      "juin", "juillet", "août", "septembre", "octobre",
					      "novembre", "décembre" };
	int y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return NULL;
	return g_strdup_printf("%d%s %s %d", d, d == 1 ? "er" : "", months[m - 1], y);
}

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
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

	if (r != NULL)
		cli_printf("Règle     : %s (%s)\n", r->path, r->issuer);
	else
		cli_printf("Règle     : aucune ne correspond : lecture générique (d'après la mise en page)\n");
	cli_printf("Champs    :\n");
	for (size_t i = 0; i < G_N_ELEMENTS(field_order); i++) {
		const char *v = g_hash_table_lookup(rd->fields, field_order[i]);
		gboolean asked = v != NULL;

		for (guint k = 0; r != NULL && k < r->fields->len; k++)
			asked |= strcmp(((const rule_field *)r->fields->pdata[k])->name, field_order[i]) == 0;
		g_autofree char *iso = NULL;

		if (v != NULL && g_str_has_suffix(field_order[i], "_date")) {
			/* the date as intake will take it */
			g_autofree char *date = reader_date(r, v);

			g_autofree char *shown = date ? date_long_fr(date) : NULL;

			iso = g_strdup_printf(" → %s", shown ? shown : "(pas une date)");
		}
		if (asked)
			cli_printf("  %-19s: %s%s%s\n", field_order[i],
				   v ? cli_value(keep, v) : "(non trouvé)",
			       iso ? iso : "", from_generic(rd, field_order[i]) ? generic : "");
	}
	cli_printf("Lignes    : %u%s\n", rd->lines->len, from_generic(rd, "lines") ? generic : "");
	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *l = rd->lines->pdata[i];

		cli_printf("  %3u  réf. %s | %s | qté %s | P.U. %s | montant %s\n", i + 1,
			   l->ref ? cli_value(keep, l->ref) : "—",
			   l->description ? cli_value(keep, l->description) : "—",
			   l->qty ? cli_value(keep, l->qty) : "—",
			   l->unit_price ? cli_value(keep, l->unit_price) : "—",
			   l->line_total ? cli_value(keep, l->line_total) : "—");
	}
}

typedef enum {
	SHOW_READING,   /* the fields and lines read */
	SHOW_TEXT,      /* and the text the rules see, the form fields */
	SHOW_SUMMARY,   /* one line: for many documents of one customer */
} show_mode;

/* "BP-2026-118.pdf : bio-perigord.yaml, n° BP-2026-118, 20/11/2026, 7 lignes" */
static void print_summary(const char *file, const reading *rd)
{
	const char *ref = g_hash_table_lookup(rd->fields, "customer_order_ref");
	g_autofree char *iso = reader_date(rd->rule, g_hash_table_lookup(rd->fields, "order_date"));
	g_autofree char *date = iso ? cli_time_fr(iso) : NULL;
	g_autofree char *name = rd->rule ? g_path_get_basename(rd->rule->path) : NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

	cli_printf("%s : %s, n° %s, date %s, %u ligne(s)%s\n", cli_value(keep, file),
	       name ? name : "lecture générique", ref ? cli_value(keep, ref) : "?", date ? date : "?",
	       rd->lines->len, name && rd->generic->len > 0 ? " (en partie par la lecture générique)" : "");
}

static int check_document(pdf_reader *pr, const rule_set *set, const char *file,
			  show_mode mode, int ocr_timeout_s)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *data = NULL;
	g_autofree char *why = NULL;
	g_autoptr(document_reading) doc = NULL;
	const page_content *c;
	pdf_status status;
	const rule *r;
	size_t len = 0;
	guint from_fields = 0;

	if (fsutil_read_file(file, DOCUMENT_MAX_BYTES, &data, &len, &err) < 0)
		return cli_report(err);
	doc = document_read(pr, set, data, len, ocr_timeout_s, &status, &why);
	if (doc == NULL) {
		cli_errorf("%s: %s", file, why);
		return CLI_FAILED;
	}
	c = doc->content;
	if (mode == SHOW_SUMMARY) {
		print_summary(file, doc->reading);
		return CLI_OK;
	}
	for (guint i = 0; i < c->words->len; i++)
		from_fields += ((const page_word *)c->words->pdata[i])->source == PAGE_WORD_FIELD;
	cli_printf("Document  : %s (%d page(s), %u mots dont %u de champs de formulaire, %u champs)\n",
	       file, c->n_pages, c->words->len, from_fields, c->fields->len);
	if (c->ocr_read->len > 0) {
		guint n = 0, low = 0;
		long sum = 0;

		for (guint i = 0; i < c->words->len; i++) {
			const page_word *w = c->words->pdata[i];

			if (w->source != PAGE_WORD_OCR)
				continue;
			n++;
			sum += w->confidence;
			low += w->confidence < 80;
		}
		cli_printf("OCR       : %d page(s) numérisée(s), %u mots lus, confiance moyenne %ld %%, "
		       "%u mot(s) sous 80 %%\n",
		       c->ocr_read->len, n, n ? sum / (long)n : 0L, low);
	}
	if (c->ocr_not_read->len > 0) {
		g_autofree char *pages = text_pages_fr(c->ocr_not_read);

		cli_printf("OCR       : %s non lue%s (OCR limité à %d pages par document)\n", pages,
			   c->ocr_not_read->len > 1 ? "s" : "", OCR_MAX_PAGES);
	}
	if (c->ocr_problem != NULL)
		cli_printf("OCR       : impossible : %s\n", c->ocr_problem);
	r = doc->reading->rule;
	print_reading(r, doc->reading);
	if (mode == SHOW_TEXT || r == NULL)
		cli_printf("\nTexte vu par les règles :\n%s", doc->text);
	if (mode == SHOW_TEXT && c->fields->len > 0) {
		/* for a rule's {form_field: NAME} */
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		cli_printf("\nChamps de formulaire :\n");
		for (guint i = 0; i < c->fields->len; i++) {
			const page_field *f = c->fields->pdata[i];

			if (f->value[0] != '\0')
				cli_printf("  %s = %s\n", cli_value(keep, f->name), cli_value(keep, f->value));
		}
	}
	return CLI_OK;
}

static int rules_check_run(cli_ctx *ctx, const cli_args *args)
{
	g_autofree char *dir = g_strdup(cli_opt(args, "--rules"));
	g_autoptr(GError) err = NULL;
	g_autoptr(rule_set) set = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new();
	show_mode mode = cli_flag(args, "--text")      ? SHOW_TEXT
			 : cli_flag(args, "--summary") ? SHOW_SUMMARY
						       : SHOW_READING;
	pdf_reader *pr;
	guard *g;
	int rc = CLI_OK;

	for (guint i = 0; cli_arg(args, i) != NULL; i++)
		g_ptr_array_add(files, (char *)cli_arg(args, i));
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
	if (files->len == 0) {
		cli_printf("%u règle(s) dans %s\n", rule_set_size(set), dir);
		for (guint i = 0; i < rule_set_size(set); i++) {
			const rule *r = rule_set_get(set, i);

			cli_printf("  %s : %s, %u champ(s)%s\n", r->path, r->issuer, r->fields->len,
			       r->line ? ", lignes" : "");
		}
		return CLI_OK;
	}
	/* one reader for all: poppler's global state is built once */
	g = cli_reading_guard();
	pr = pdf_reader_new();
	for (guint i = 0; i < files->len; i++) {
		int one;

		if (i > 0 && mode != SHOW_SUMMARY)
			cli_printf("\n");
		if (g != NULL)
			guard_begin(g, 0, files->pdata[i]);
		one = check_document(pr, set, files->pdata[i], mode, ctx->cfg->storage.ocr_timeout_s);
		if (g != NULL)
			guard_end(g, 0);
		rc = MAX(rc, one);
	}
	pdf_reader_free(&pr);
	guard_stop(&g);
	return rc;
}

static const cli_option rules_check_options[] = {
	{ "--rules", "DOSSIER", "les règles de ce dossier seulement (sinon celles du site, "
				"rules/ à côté de la configuration, puis celles fournies)" },
	{ "--text", NULL, "le texte du document tel que les règles le voient, ligne par ligne" },
	{ "--summary", NULL, "une ligne par document : règle, numéro, date, nombre de lignes" },
	{ NULL, NULL, NULL },
};

static const char *const rules_check_conflicts[] = { "--text", "--summary", NULL };

const cli_command cli_cmd_rules_check = {
	.name = "rules check",
	.synopsis = "[--rules DOSSIER] [--text | --summary] [FICHIER.pdf...]",
	.summary = "quelle règle lit un bon de commande, et ce qu'elle y lit ; sans fichier, "
		   "vérifie et liste les règles",
	.details = "Pour écrire ou mettre au point une règle (rules/*.yaml) : le document est lu "
		   "comme à la réception, OCR compris pour une numérisation, sans rien "
		   "enregistrer.",
	.options = rules_check_options,
	.examples = "mailorder rules check\nmailorder rules check bon.pdf\n"
		    "mailorder rules check --summary commandes/*.pdf",
	.min_args = 0,
	.max_args = -1,
	.conflicts = rules_check_conflicts,
	.run = rules_check_run,
};
