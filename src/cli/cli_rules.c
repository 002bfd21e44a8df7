/* mailorder rules check [--rules DIR] [--text | --summary | --explain]
 * [--from ADDRESS] [FILE.pdf...]: for a clerk writing a rule for a new
 * customer's layout, without recompiling, and trying it on every PO of
 * that customer at once; with --explain, why each field and line was
 * read as it was, and the draft intake would make of it. */
#include "cli/cli.h"

#include "lib/fsutil.h"
#include "lib/money.h"
#include "lib/text.h"
#include "orders/confidence.h"
#include "orders/drafts.h"
#include "reading/document.h"
#include "reading/ocr.h"
#include "reading/pdf.h"
#include "reading/reader.h"
#include "reading/rules.h"
#include "store/db_catalog.h"

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
			       iso ? iso : "", reading_by_generic(rd, field_order[i]) ? generic : "");
	}
	cli_printf("Lignes    : %u%s\n", rd->lines->len, reading_by_generic(rd, "lines") ? generic : "");
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
	SHOW_EXPLAIN,   /* why each was read so, and the draft it makes */
} show_mode;

/* Why each field and line was read as it was. */
static void print_reasons(const reading *rd)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

	cli_printf("\nPourquoi :\n");
	for (size_t i = 0; i < G_N_ELEMENTS(field_order); i++) {
		const char *v = g_hash_table_lookup(rd->fields, field_order[i]);
		const reader_note *n = g_hash_table_lookup(rd->notes, field_order[i]);

		if (v == NULL)
			continue;
		cli_printf("  %-19s: « %s » %s (sûreté %d %%)\n", field_order[i], cli_value(keep, v),
			   n ? cli_value(keep, n->why) : "(lu sans note)", n ? n->sureness : 50);
	}
	if (rd->lines_choice != NULL)
		cli_printf("  lignes             : %s\n", rd->lines_choice);
	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *l = rd->lines->pdata[i];
		g_auto(GStrv) parts = g_strsplit(l->text ? l->text : "", "\n", -1);

		cli_printf("  %3u  lue %s (sûreté %d %%)%s, page %d :\n", i + 1,
			   confidence_how_fr(l->how), confidence_how_sureness(l->how),
			   l->two_lines ? ", imprimée sur deux lignes" : "", l->page + 1);
		for (guint k = 0; parts[k] != NULL; k++)
			cli_printf("       « %s »\n", cli_value(keep, parts[k]));
	}
}

/* The draft intake would make of doc: its customer, each line's
 * product and confidence, its checks; nothing recorded. */
static int print_draft(cli_ctx *ctx, db *d, const document_reading *doc, const char *from)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

	cli_printf("\nBrouillon (comme à la réception%s%s ; rien n'est enregistré) :\n",
		   from ? ", envoyé par " : ", expéditeur inconnu", from ? cli_value(keep, from) : "");
	if (d == NULL) {
		cli_printf("  (pas de base de données : ni catalogue ni fichier clients pour le "
			   "voir)\n");
		return CLI_OK;
	}
	if (draft_preview(d, ctx->cfg, doc, from, &o, &err) < 0)
		return cli_report(err);
	cli_printf("  Client    : %s %s\n", o->customer_ref ? o->customer_ref : "inconnu",
		   o->customer_name ? cli_value(keep, o->customer_name) : "");
	for (guint i = 0; i < o->confidence->len; i++) {
		const field_confidence *f = o->confidence->pdata[i];

		cli_printf("  %-19s: confiance %d %% (%s)\n", f->field, f->confidence,
			   f->why ? cli_value(keep, f->why) : "");
	}
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		g_autofree char *qty = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
		g_autofree char *pu = l->unit_price_cents.known
					      ? money_format_cents_fr(l->unit_price_cents.value)
					      : g_strdup("?");
		g_autofree char *why = NULL;
		int sure = confidence_shown(o, l, &why);

		cli_printf("  %3d  %s %s × %s € : confiance %d %%%s%s\n", l->lineno,
			   l->product_ref ? l->product_ref : "(produit non reconnu)", qty, pu, sure,
			   why ? " : " : "", why ? cli_value(keep, why) : "");
	}
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];
		g_autofree char *where = k->line > 0 ? g_strdup_printf("ligne %d : ", k->line)
						     : g_strdup("");

		cli_printf("  %s %s%s (%s)\n", i == 0 ? "Contrôles :" : "           ", where,
			   cli_value(keep, k->message), check_code_name(k->code));
	}
	return CLI_OK;
}

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

static int check_document(cli_ctx *ctx, db *d, pdf_reader *pr, const rule_set *set,
			  const char *file, show_mode mode, const char *from,
			  const reader_columns *learned)
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
	doc = document_read(pr, set, data, len, ctx->cfg->storage.ocr_timeout_s, learned, &status,
			    &why);
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
	if (mode == SHOW_EXPLAIN) {
		print_reasons(doc->reading);
		if (print_draft(ctx, d, doc, from) != CLI_OK)
			return CLI_FAILED;
	}
	if (mode == SHOW_TEXT || (r == NULL && mode != SHOW_EXPLAIN))
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
			 : cli_flag(args, "--explain") ? SHOW_EXPLAIN
						       : SHOW_READING;
	const char *from = cli_opt(args, "--from");
	reader_columns learned = { 0, 0, 0 };
	gboolean has_learned = FALSE;
	db *d = NULL;
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
	if (from != NULL && mode != SHOW_EXPLAIN)
		return cli_usage("rules check : --from va avec --explain");
	if (mode == SHOW_EXPLAIN) {
		/* the catalogue and customers for the draft, the sender's
		 * layout as intake reads with it; without a database, the
		 * reading alone (said once) */
		int rc_db = CLI_OK;

		d = cli_open_db(ctx, &rc_db);
	}
	if (d != NULL && from != NULL) {
		learned_layout taught;
		int known = db_learned_layout(d, from, &taught, &err);

		if (known < 0) {
			db_close(&d);
			return cli_report(err);
		}
		has_learned = known > 0;
		learned = (reader_columns){ taught.qty_x, taught.price_x, taught.decimal_mark };
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
		one = check_document(ctx, d, pr, set, files->pdata[i], mode, from,
				     has_learned ? &learned : NULL);
		if (g != NULL)
			guard_end(g, 0);
		rc = MAX(rc, one);
	}
	pdf_reader_free(&pr);
	guard_stop(&g);
	db_close(&d);
	return rc;
}

static const cli_option rules_check_options[] = {
	{ "--rules", "DOSSIER", "les règles de ce dossier seulement (sinon celles du site, "
				"rules/ à côté de la configuration, puis celles fournies)" },
	{ "--text", NULL, "le texte du document tel que les règles le voient, ligne par ligne" },
	{ "--summary", NULL, "une ligne par document : règle, numéro, date, nombre de lignes" },
	{ "--explain", NULL, "pourquoi chaque champ et chaque ligne ont été lus ainsi (le libellé "
			     "trouvé, la façon de lire la ligne, le texte d'où elle vient), puis le "
			     "brouillon que la réception en ferait : produits reconnus, confiance de "
			     "chaque ligne et de chaque champ, contrôles" },
	{ "--from", "ADRESSE", "avec --explain : l'expéditeur, pour reconnaître le client comme "
			       "à la réception (sinon, d'après le document seul)" },
	{ NULL, NULL, NULL },
};

/* pairs */
static const char *const rules_check_conflicts[] = { "--text",    "--summary", "--text",
						     "--explain", "--summary", "--explain",
						     NULL };

const cli_command cli_cmd_rules_check = {
	.name = "rules check",
	.synopsis = "[--rules DOSSIER] [--text | --summary | --explain [--from ADRESSE]] "
		    "[FICHIER.pdf...]",
	.summary = "quelle règle lit un bon de commande, et ce qu'elle y lit ; sans fichier, "
		   "vérifie et liste les règles",
	.details = "Pour écrire ou mettre au point une règle (rules/*.yaml) : le document est lu "
		   "comme à la réception, OCR compris pour une numérisation, sans rien "
		   "enregistrer.",
	.options = rules_check_options,
	.examples = "mailorder rules check\nmailorder rules check bon.pdf\n"
		    "mailorder rules check --summary commandes/*.pdf\n"
		    "mailorder rules check --explain --from achats@bio-perigord.fr bon.pdf",
	.min_args = 0,
	.max_args = -1,
	.conflicts = rules_check_conflicts,
	.run = rules_check_run,
};
