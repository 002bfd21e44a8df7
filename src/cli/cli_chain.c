/* The order chain after the draft: validate, reject, cancel, copy,
 * deliver, invoice, invoice post, and what reads it: orders, invoices,
 * invoice show, entries, print (orders/confirm.h, delivery.h,
 * invoicing.h, filing.h do the work). */
#include "cli/cli.h"

#include "lib/dates.h"
#include "lib/jsonw.h"
#include "lib/money.h"
#include "orders/confirm.h"
#include "orders/delivery.h"
#include "orders/invoicing.h"
#include "store/db_chain.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What an operation of the chain needs: the database, the archive, the
 * templates.  cli_filing_close frees them. */
static int filing_open(cli_ctx *ctx, gboolean templates, filing *f)
{
	g_autoptr(GError) err = NULL;
	int rc = CLI_OK;

	memset(f, 0, sizeof(*f));
	f->cfg = ctx->cfg;
	if (templates && (f->templates = filing_templates_load(ctx->cfg, &err)) == NULL) {
		rc = cli_report(err);
		return rc == CLI_FAILED ? CLI_USAGE : rc;
	}
	f->d = cli_open_db(ctx, &rc);
	if (f->d == NULL)
		return rc;
	f->a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (f->a == NULL)
		return cli_report(err);
	return CLI_OK;
}

static void filing_close(filing *f)
{
	archive_free(&f->a);
	db_close(&f->d);
	doc_templates_free(f->templates);
	f->templates = NULL;
}

static const char *who_of(const cli_args *args)
{
	return cli_opt(args, "--by") ? cli_opt(args, "--by") : g_get_user_name();
}

/* --date D as an ISO date (owned); NULL with *rc_r set when it is none. */
static char *date_option(const cli_args *args, int *rc_r)
{
	const char *typed = cli_opt(args, "--date");
	char *iso;

	*rc_r = CLI_OK;
	if (typed == NULL)
		return NULL;
	iso = date_parse_exact(typed);
	if (iso == NULL)
		*rc_r = cli_usage("--date « %s » : pas une date (20/11/2026)", typed);
	return iso;
}

/* A said text, then the exit code of err. */
static int report(int rc, const char *said, const GError *err)
{
	if (said != NULL)
		cli_put(said);
	if (err != NULL)
		return cli_report(err);
	if (rc < 0) {
		/* a failure that forgot to say why: still a failure */
		cli_errorf("l'opération a échoué sans dire pourquoi (relancez avec -v)");
		return CLI_FAILED;
	}
	return CLI_OK;
}

static char *shown_path(const cli_ctx *ctx, const char *rel)
{
	return rel ? g_build_filename(ctx->cfg->storage.archive_shown, rel, NULL) : NULL;
}

static const cli_option by_option[] = {
	{ "--by", "QUI", "qui le fait, pour l'historique (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

/* ---------------------------------------------------------------- validate */

static int validate_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	filing f;
	int rc = filing_open(ctx, TRUE, &f);

	if (rc == CLI_OK) {
		op_rc = order_validate(&f, cli_arg(args, 0), cli_flag(args, "--accept-warnings"), who_of(args),
			       &said, &err);
		rc = report(op_rc, said, err);
	}
	filing_close(&f);
	return rc;
}

static const cli_option validate_options[] = {
	{ "--accept-warnings", NULL, "valide malgré les avertissements (prix, stock, total…), "
				     "chacun gardé dans l'historique" },
	{ "--by", "QUI", "qui valide (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_validate = {
	.name = "validate",
	.synopsis = "COMMANDE [--accept-warnings] [--by QUI]",
	.summary = "valide un brouillon : la commande est confirmée, sa confirmation (CONF) classée",
	.details = "Les contrôles sont refaits d'abord (le stock et le catalogue ont pu changer). "
		   "Un contrôle de gravité error (client ou produit inconnu, aucune ligne) "
		   "empêche la validation ; un avertissement (warning) demande "
		   "--accept-warnings. Chaque ligne prend le prix du catalogue, remise du client "
		   "déduite, sauf un prix donné par « correct --price ». La confirmation dit au "
		   "client chaque différence avec son bon de commande : prix, quantité, ligne "
		   "retirée ou ajoutée, référence reconnue, ce que le stock ne permet pas de "
		   "livrer tout de suite. Les mentions de [company] sont exigées (mailorder help "
		   "config).",
	.options = validate_options,
	.examples = "mailorder validate SO0001\nmailorder validate SO0003 --accept-warnings --by claire",
	.min_args = 1,
	.max_args = 1,
	.run = validate_run,
};

/* ---------------------------------------------------------------- reject, cancel, copy */

static int reject_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	filing f;
	int rc = filing_open(ctx, FALSE, &f);

	if (rc == CLI_OK) {
		op_rc = order_reject(&f, cli_arg(args, 0), cli_opt(args, "--reason"),
				     cli_flag(args, "--notify"), who_of(args), &said, &err);
		rc = report(op_rc, said, err);
	}
	filing_close(&f);
	return rc;
}

static const cli_option reject_options[] = {
	{ "--reason", "TEXTE", "pourquoi (obligatoire ; gardé dans l'historique et le suivi)" },
	{ "--notify", NULL, "prévenir le client par courriel, raison donnée (en réponse à son "
			    "message ; envoyé par mailorder send ou run)" },
	{ "--by", "QUI", "qui rejette (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_reject = {
	.name = "reject",
	.synopsis = "COMMANDE --reason TEXTE [--notify] [--by QUI]",
	.summary = "rejette un brouillon (un doublon, une commande qui n'en est pas une…)",
	.options = reject_options,
	.examples = "mailorder reject SO0007 --reason 'doublon de SO0006'",
	.min_args = 1,
	.max_args = 1,
	.run = reject_run,
};

static int cancel_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	op_rc = order_cancel(d, cli_arg(args, 0), cli_opt(args, "--reason"), who_of(args), &said, &err);
	db_close(&d);
	return report(op_rc, said, err);
}

static const cli_option cancel_options[] = {
	{ "--reason", "TEXTE", "pourquoi (obligatoire ; gardé dans l'historique et le suivi)" },
	{ "--by", "QUI", "qui annule (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_cancel = {
	.name = "cancel",
	.synopsis = "COMMANDE --reason TEXTE [--by QUI]",
	.summary = "annule ce qui n'est pas encore livré d'une commande confirmée",
	.details = "Ce qui est déjà livré le reste, et se facture (mailorder invoice). Une "
		   "commande annulée peut être copiée en un nouveau brouillon (mailorder copy).",
	.options = cancel_options,
	.examples = "mailorder cancel SO0004 --reason 'le client a annulé par téléphone'",
	.min_args = 1,
	.max_args = 1,
	.run = cancel_run,
};

static int copy_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	g_autofree char *number = NULL;
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	op_rc = order_copy(d, cli_arg(args, 0), who_of(args), &number, &said, &err);
	db_close(&d);
	return report(op_rc, said, err);
}

const cli_command cli_cmd_copy = {
	.name = "copy",
	.synopsis = "COMMANDE [--by QUI]",
	.summary = "un nouveau brouillon avec le client et les lignes d'une commande",
	.details = "Les prix sont ceux de la commande copiée, les contrôles refaits avec le "
		   "catalogue d'aujourd'hui. Le numéro de bon de commande du client n'est pas "
		   "repris.",
	.options = by_option,
	.examples = "mailorder copy SO0004",
	.min_args = 1,
	.max_args = 1,
	.run = copy_run,
};

/* ---------------------------------------------------------------- deliver */

static int deliver_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	g_autofree char *date = NULL;
	g_autoptr(GArray) wanted = NULL;
	const char *const *lines = cli_opt_all(args, "--line");
	filing f;
	int rc;

	date = date_option(args, &rc);
	if (rc != CLI_OK)
		return rc;
	for (int i = 0; lines != NULL && lines[i] != NULL; i++) {
		const char *eq = strchr(lines[i], '=');
		g_autofree char *no = eq ? g_strndup(lines[i], (gsize)(eq - lines[i])) : NULL;
		delivery_line l = { 0, 0, 0 };
		const char *why = NULL;
		guint64 n;

		if (eq == NULL || !g_ascii_string_to_unsigned(no, 10, 1, 100000, &n, NULL) ||
		    money_parse_typed(eq + 1, 3, &l.qty_milli, &why) < 0 ||
		    l.qty_milli > MONEY_QTY_MAX_MILLI)
			return cli_usage("deliver : --line « %s » : écrivez N=QUANTITÉ (--line 2=5)",
					 lines[i]);
		l.lineno = (int)n;
		if (wanted == NULL)
			wanted = g_array_new(FALSE, FALSE, sizeof(delivery_line));
		g_array_append_val(wanted, l);
	}
	rc = filing_open(ctx, TRUE, &f);
	if (rc == CLI_OK) {
		op_rc = order_deliver(&f, cli_arg(args, 0), wanted, date, who_of(args), &said, &err);
		rc = report(op_rc, said, err);
	}
	filing_close(&f);
	return rc;
}

static const cli_option deliver_options[] = {
	{ "--line", "N=QUANTITÉ", "livrer cette quantité de la ligne N seulement (se répète) ; "
				  "sans --line, tout ce qui reste, autant que le stock le permet" },
	{ "--date", "DATE", "la date de la livraison (sinon aujourd'hui)" },
	{ "--by", "QUI", "qui livre (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_deliver = {
	.name = "deliver",
	.synopsis = "COMMANDE [--line N=QUANTITÉ]... [--date DATE] [--by QUI]",
	.summary = "livre une commande confirmée, en tout ou en partie : bon de livraison (BL) "
		   "classé, stock diminué",
	.details = "Chaque ligne part autant que le stock le permet ; le reste attend (reliquat) "
		   "et partira au prochain « mailorder deliver », quand le stock sera revenu "
		   "(mailorder import products, ou product edit --stock). Le stock est compté en "
		   "unités : les quantités décimales d'un produit prennent chaque unité une fois "
		   "(0,5 kg puis 0,5 kg : une unité). Le numéro "
		   "(BL0001), la sortie de stock et la livraison sont enregistrés ensemble, ou "
		   "rien ne l'est.",
	.options = deliver_options,
	.examples = "mailorder deliver SO0001\nmailorder deliver SO0002 --line 1=6 --line 3=2",
	.min_args = 1,
	.max_args = 1,
	.run = deliver_run,
};

/* ---------------------------------------------------------------- invoice */

static int invoice_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	g_autofree char *date = NULL;
	filing f;
	int rc;

	date = date_option(args, &rc);
	if (rc != CLI_OK)
		return rc;
	rc = filing_open(ctx, FALSE, &f);
	if (rc == CLI_OK) {
		op_rc = order_invoice(&f, cli_arg(args, 0), cli_flag(args, "--partial"), cli_flag(args, "--redo"),
			      date, who_of(args), &said, &err);
		rc = report(op_rc, said, err);
	}
	filing_close(&f);
	return rc;
}

static const cli_option invoice_options[] = {
	{ "--partial", NULL, "facturer ce qui est déjà livré d'une commande livrée en partie" },
	{ "--redo", NULL, "refaire la facture en brouillon de la commande (une autre date, la fiche "
			  "client corrigée)" },
	{ "--date", "DATE", "la date de la facture (sinon aujourd'hui ; pas dans l'avenir, ni avant "
			    "ses livraisons)" },
	{ "--by", "QUI", "qui facture (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_invoice = {
	.name = "invoice",
	.synopsis = "COMMANDE [--partial] [--redo] [--date DATE] [--by QUI]",
	.summary = "prépare la facture (brouillon) de ce qui est livré et pas encore facturé",
	.details = "Sans --partial, seulement quand la commande est entièrement livrée. La TVA "
		   "est calculée par taux, arrondie une fois par taux ; l'échéance suit les "
		   "conditions de paiement du client (« 30 jours fin de mois » : 30 jours après "
		   "la date de facture, puis la fin de ce mois). Un client sans compte 411, sans "
		   "SIRET ou sans adresse de facturation ne se facture pas. Le brouillon n'a pas "
		   "encore de numéro : « mailorder invoice post » le valide ; « --redo » le refait. "
		   "Les numéros suivent les dates : une facture ne se date pas avant la dernière "
		   "validée de l'année.",
	.options = invoice_options,
	.examples = "mailorder invoice SO0001\nmailorder invoice SO0002 --partial\n"
		    "mailorder invoice SO0003 --redo --date 30/11/2026",
	.min_args = 1,
	.max_args = 1,
	.run = invoice_run,
};

static int invoice_post_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	int op_rc = -1;
	filing f;
	int rc = filing_open(ctx, TRUE, &f);

	if (rc == CLI_OK) {
		op_rc = invoice_post(&f, cli_arg(args, 0), who_of(args), &said, &err);
		rc = report(op_rc, said, err);
	}
	filing_close(&f);
	return rc;
}

const cli_command cli_cmd_invoice_post = {
	.name = "invoice post",
	.synopsis = "COMMANDE|FACTURE [--by QUI]",
	.summary = "valide la facture en brouillon d'une commande : numéro, écriture comptable, "
		   "facture (FAC) classée",
	.details = "Le numéro (FA2026-0001, une série par année, sans trou) est donné dans la "
		   "même transaction que l'écriture du journal VT (411 du client au débit pour le "
		   "TTC ; ventes et TVA de chaque taux au crédit) et que la facture classée. Une "
		   "facture validée ne change plus : la base de données le refuse ; un avoir la "
		   "corrigera. Les mentions de [company], late_penalty compris, sont exigées.",
	.options = by_option,
	.examples = "mailorder invoice post SO0001",
	.min_args = 1,
	.max_args = 1,
	.run = invoice_post_run,
};

/* ---------------------------------------------------------------- invoices */

static void invoice_json(cli_ctx *ctx, jsonw *w, const invoice *inv)
{
	g_autofree char *ht = money_format_cents(inv->total_ht_cents);
	g_autofree char *vat = money_format_cents(inv->total_vat_cents);
	g_autofree char *ttc = money_format_cents(inv->total_ttc_cents);
	g_autofree char *paid = money_format_cents(inv->paid_cents);
	g_autofree char *file = shown_path(ctx, inv->file);

	jsonw_object_begin(w);
	jsonw_member_string(w, "number", inv->number);
	jsonw_member_string(w, "state", invoice_state_name(inv->state));
	jsonw_member_string(w, "order", inv->order_number);
	jsonw_key(w, "customer");
	jsonw_object_begin(w);
	jsonw_member_string(w, "ref", inv->customer_ref);
	jsonw_member_string(w, "name", inv->customer_name);
	jsonw_member_string(w, "account", inv->account);
	jsonw_object_end(w);
	jsonw_member_string(w, "date", inv->date);
	jsonw_member_string(w, "due_date", inv->due_date);
	jsonw_key(w, "deliveries");
	jsonw_array_begin(w);
	for (guint i = 0; i < inv->deliveries->len; i++)
		jsonw_string(w, inv->deliveries->pdata[i]);
	jsonw_array_end(w);
	jsonw_member_string(w, "total_ht", ht);
	jsonw_member_string(w, "total_vat", vat);
	jsonw_member_string(w, "total_ttc", ttc);
	jsonw_key(w, "vat");
	jsonw_array_begin(w);
	for (guint i = 0; i < inv->vat->len; i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);
		g_autofree char *rate = money_format_scaled(v->rate_bp, MONEY_BP);
		g_autofree char *base = money_format_cents(v->base_cents);
		g_autofree char *amount = money_format_cents(v->vat_cents);

		jsonw_object_begin(w);
		jsonw_member_string(w, "rate", rate);
		jsonw_member_string(w, "base", base);
		jsonw_member_string(w, "amount", amount);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_member_string(w, "paid", paid);
	jsonw_member_string(w, "file", file);
	jsonw_object_end(w);
}

static int invoices_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *state = cli_opt(args, "--state");
	invoice_state s;
	int rc = CLI_OK;
	db *d;

	if (state != NULL && !invoice_state_parse(state, &s))
		return cli_usage("invoices : --state « %s » : draft, posted, partially_paid ou paid",
				 state);
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	list = db_invoices_list(d, state, cli_opt(args, "--customer"), &err);
	db_close(&d);
	if (list == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < list->len; i++)
			invoice_json(ctx, &w, list->pdata[i]);
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (list->len == 0) {
		cli_put("Aucune facture.\n");
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "Facture", "Commande", "Client", "Date",
						       "Échéance", "État", "Total TTC" };
		cli_table *t = cli_table_new(headers, "llLllLr");

		for (guint i = 0; i < list->len; i++) {
			const invoice *inv = list->pdata[i];
			g_autofree char *who = g_strdup_printf("%s %s", inv->customer_ref,
							       inv->customer_name);
			g_autofree char *date = cli_time_fr(inv->date);
			g_autofree char *due = cli_time_fr(inv->due_date);
			g_autofree char *ttc = money_format_cents_fr(inv->total_ttc_cents);
			g_autofree char *amount = g_strdup_printf("%s €", ttc);
			const char *cells[] = { inv->number ? inv->number : "(brouillon)",
						inv->order_number, who, date, due,
						invoice_state_fr(inv->state), amount };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	cli_put(out->str);
	return CLI_OK;
}

static const cli_option list_filter_options[] = {
	{ "--state", "ÉTAT", "seulement celles dans cet état" },
	{ "--customer", "REF", "seulement celles de ce client" },
	{ "--json", NULL, "en JSON (mailorder help json)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_invoices = {
	.name = "invoices",
	.synopsis = "[--state ÉTAT] [--customer REF] [--json]",
	.summary = "les factures : brouillons, validées, payées",
	.details = "ÉTAT : draft (brouillon), posted (validée), partially_paid, paid.",
	.options = list_filter_options,
	.examples = "mailorder invoices --state posted\nmailorder invoices --customer CLI104 --json",
	.min_args = 0,
	.max_args = 0,
	.run = invoices_run,
};

static int invoice_show_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(invoice) inv = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *ref = cli_arg(args, 0);
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	inv = db_invoice_get(d, ref, &err);
	if (inv == NULL && err == NULL)
		inv = db_invoice_of_order(d, ref, FALSE, &err);
	db_close(&d);
	if (inv == NULL) {
		if (err != NULL)
			return cli_report(err);
		cli_errorf("%s : aucune facture de ce numéro, ni de cette commande (mailorder invoices "
			   "les liste)", ref);
		return CLI_FAILED;
	}
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		invoice_json(ctx, &w, inv);
		g_string_append_c(out, '\n');
		fputs(out->str, stdout);
		return CLI_OK;
	}
	{
		g_autofree char *date = cli_time_fr(inv->date);
		g_autofree char *due = cli_time_fr(inv->due_date);
		g_autofree char *file = shown_path(ctx, inv->file);
		static const char *const headers[] = { "N°", "Réf.", "Désignation", "Qté",
						       "PU HT", "TVA", "Total HT" };
		cli_table *t = cli_table_new(headers, "rlLrrrr");

		cli_printf("Facture %s — %s\n", inv->number ? inv->number : "(brouillon, sans numéro)",
			   invoice_state_fr(inv->state));
		cli_printf("Commande : %s\nClient : %s %s (compte %s)\n", inv->order_number,
			   inv->customer_ref, inv->customer_name, inv->account ? inv->account : "—");
		cli_printf("Date : %s ; échéance : %s (%s)\n", date, due, inv->payment_terms);
		if (inv->deliveries->len > 0) {
			g_autoptr(GString) dl = g_string_new(NULL);

			for (guint i = 0; i < inv->deliveries->len; i++)
				g_string_append_printf(dl, "%s%s", i ? ", " : "",
						       (char *)inv->deliveries->pdata[i]);
			cli_printf("Livraisons : %s\n", dl->str);
		}
		for (guint i = 0; i < inv->lines->len; i++) {
			const invoice_line *l = inv->lines->pdata[i];
			g_autofree char *no = g_strdup_printf("%d", l->lineno);
			g_autofree char *q = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
			g_autofree char *pu = money_format_cents_fr(l->unit_price_cents);
			g_autofree char *r = money_format_scaled_fr(l->vat_rate_bp, MONEY_BP);
			g_autofree char *rate = g_strdup_printf("%s %%", r);
			g_autofree char *tot = money_format_cents_fr(l->line_total_cents);
			const char *cells[] = { no, l->product_ref, l->description, q, pu, rate, tot };

			cli_table_add(t, cells);
		}
		g_string_append_c(out, '\n');
		cli_table_print(t, out);
		cli_put(out->str);
		for (guint i = 0; i < inv->vat->len; i++) {
			const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);
			g_autofree char *r = money_format_scaled_fr(v->rate_bp, MONEY_BP);
			g_autofree char *b = money_format_cents_fr(v->base_cents);
			g_autofree char *a = money_format_cents_fr(v->vat_cents);

			cli_printf("TVA %s %% sur %s € : %s €\n", r, b, a);
		}
		{
			g_autofree char *ht = money_format_cents_fr(inv->total_ht_cents);
			g_autofree char *vat = money_format_cents_fr(inv->total_vat_cents);
			g_autofree char *ttc = money_format_cents_fr(inv->total_ttc_cents);

			cli_printf("Total HT : %s € ; TVA : %s € ; TTC : %s €\n", ht, vat, ttc);
		}
		if (file != NULL)
			cli_printf("Fichier : %s\n", file);
	}
	return CLI_OK;
}

const cli_command cli_cmd_invoice_show = {
	.name = "invoice show",
	.synopsis = "FACTURE|COMMANDE [--json]",
	.summary = "une facture : lignes, TVA par taux, totaux, échéance",
	.details = "Une commande donne sa facture en brouillon, sinon la dernière.",
	.options = cli_json_option,
	.examples = "mailorder invoice show FA2026-0001\nmailorder invoice show SO0001 --json",
	.min_args = 1,
	.max_args = 1,
	.run = invoice_show_run,
};

/* ---------------------------------------------------------------- orders */

static int orders_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *state = cli_opt(args, "--state");
	order_state s;
	int rc = CLI_OK;
	db *d;

	if (state != NULL && !order_state_parse(state, &s))
		return cli_usage("orders : --state « %s » : draft, confirmed, partially_delivered, "
				 "delivered, invoiced, paid, rejected ou cancelled", state);
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	list = db_orders_tracking(d, state, cli_opt(args, "--customer"), &err);
	db_close(&d);
	if (list == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < list->len; i++) {
			const order_tracking *t = list->pdata[i];
			g_autofree char *ht = money_format_cents(t->total_ht_cents);

			jsonw_object_begin(&w);
			jsonw_member_string(&w, "number", t->number);
			jsonw_member_string(&w, "order_date", t->order_date);
			jsonw_key(&w, "customer");
			if (t->customer_ref != NULL) {
				jsonw_object_begin(&w);
				jsonw_member_string(&w, "ref", t->customer_ref);
				jsonw_member_string(&w, "name", t->customer_name);
				jsonw_object_end(&w);
			} else {
				jsonw_null(&w);
			}
			jsonw_member_string(&w, "state", t->state_name);
			jsonw_member_string(&w, "prepared_on", t->confirmed_at);
			jsonw_member_string(&w, "planned_delivery", t->delivery_date);
			jsonw_member_string(&w, "delivered_on", t->delivered_on);
			jsonw_member_string(&w, "comment", t->comment);
			jsonw_member_string(&w, "total_ht", ht);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (list->len == 0) {
		cli_put("Aucune commande.\n");
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "Commande", "Date", "Client", "État",
						       "Préparée le", "Prévue le", "Livrée le",
						       "Commentaire" };
		cli_table *t = cli_table_new(headers, "llLLlllL");

		for (guint i = 0; i < list->len; i++) {
			const order_tracking *o = list->pdata[i];
			g_autofree char *date = cli_time_fr(o->order_date);
			g_autofree char *prepared = cli_time_fr(o->confirmed_at);
			g_autofree char *planned = cli_time_fr(o->delivery_date);
			g_autofree char *delivered = cli_time_fr(o->delivered_on);
			g_autofree char *who = o->customer_ref
						       ? g_strdup_printf("%s %s", o->customer_ref,
									 o->customer_name)
						       : g_strdup("inconnu");
			const char *cells[] = { o->number, date, who, order_state_fr(o->state),
						prepared, planned, delivered, o->comment };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	cli_put(out->str);
	return CLI_OK;
}

const cli_command cli_cmd_orders = {
	.name = "orders",
	.synopsis = "[--state ÉTAT] [--customer REF] [--json]",
	.summary = "le suivi des commandes : date, client, état, préparée, prévue, livrée, "
		   "commentaire",
	.details = "ÉTAT : draft, confirmed, partially_delivered, delivered, invoiced, paid, "
		   "rejected, cancelled. « Préparée le » est le jour de la validation ; « Prévue "
		   "le » la date de livraison demandée ; « Livrée le » celle de la dernière "
		   "livraison ; le commentaire, la raison d'un rejet ou d'une annulation.",
	.options = list_filter_options,
	.examples = "mailorder orders\nmailorder orders --state partially_delivered",
	.min_args = 0,
	.max_args = 0,
	.run = orders_run,
};

/* ---------------------------------------------------------------- entries */

static int entries_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;
	int rc = CLI_OK;
	db *d;

	if (cli_opt(args, "--from") && (from = date_parse_exact(cli_opt(args, "--from"))) == NULL)
		return cli_usage("entries : --from « %s » : pas une date", cli_opt(args, "--from"));
	if (cli_opt(args, "--to") && (to = date_parse_exact(cli_opt(args, "--to"))) == NULL)
		return cli_usage("entries : --to « %s » : pas une date", cli_opt(args, "--to"));
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	list = db_entries_list(d, from, to, &err);
	db_close(&d);
	if (list == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < list->len; i++) {
			const journal_entry *e = list->pdata[i];
			g_autofree char *debit = money_format_cents(e->debit_cents);
			g_autofree char *credit = money_format_cents(e->credit_cents);

			jsonw_object_begin(&w);
			jsonw_member_string(&w, "journal", e->journal);
			jsonw_member_string(&w, "date", e->date);
			jsonw_member_string(&w, "piece", e->piece);
			jsonw_member_string(&w, "account", e->account);
			jsonw_member_string(&w, "label", e->label);
			jsonw_member_string(&w, "debit", debit);
			jsonw_member_string(&w, "credit", credit);
			jsonw_member_string(&w, "lettering", e->lettering);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (list->len == 0) {
		cli_put("Aucune écriture.\n");
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "Journal", "Date", "Pièce", "Compte", "Libellé",
						       "Débit", "Crédit" };
		cli_table *t = cli_table_new(headers, "llllLrr");
		int64_t debit = 0, credit = 0;

		for (guint i = 0; i < list->len; i++) {
			const journal_entry *e = list->pdata[i];
			g_autofree char *date = cli_time_fr(e->date);
			g_autofree char *dr = e->debit_cents ? money_format_cents_fr(e->debit_cents)
							     : g_strdup("");
			g_autofree char *cr = e->credit_cents ? money_format_cents_fr(e->credit_cents)
							      : g_strdup("");
			const char *cells[] = { e->journal, date, e->piece, e->account, e->label, dr, cr };

			debit += e->debit_cents;
			credit += e->credit_cents;
			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
		{
			g_autofree char *dr = money_format_cents_fr(debit);
			g_autofree char *cr = money_format_cents_fr(credit);

			g_string_append_printf(out, "\nTotal : débit %s €, crédit %s €\n", dr, cr);
		}
	}
	cli_put(out->str);
	return CLI_OK;
}

static const cli_option entries_options[] = {
	{ "--from", "DATE", "à partir de cette date (comprise)" },
	{ "--to", "DATE", "jusqu'à cette date (comprise)" },
	{ "--json", NULL, "en JSON (mailorder help json)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_entries = {
	.name = "entries",
	.synopsis = "[--from DATE] [--to DATE] [--json]",
	.summary = "le journal des écritures comptables (ventes : journal VT)",
	.details = "Une facture validée y passe : le compte 411 du client au débit pour le TTC, "
		   "le compte des ventes ([accounting] sales_account) au crédit pour le HT de "
		   "chaque taux, le compte de TVA de chaque taux ([accounting] vat_accounts) au "
		   "crédit pour sa TVA. Débit et crédit sont égaux au centime.",
	.options = entries_options,
	.examples = "mailorder entries --from 01/11/2026 --to 30/11/2026",
	.min_args = 0,
	.max_args = 0,
	.run = entries_run,
};

/* ---------------------------------------------------------------- print */

static int print_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) pdf = NULL;
	g_autofree char *name = NULL;
	g_autofree char *target = NULL;
	const char *out = cli_opt(args, "-o");
	gboolean copy = cli_flag(args, "--copy");
	filing f;
	int rc = filing_open(ctx, copy, &f);

	if (rc != CLI_OK) {
		filing_close(&f);
		return rc;
	}
	if (filing_print(&f, cli_arg(args, 0), copy ? DOC_COPY : DOC_ORIGINAL, &pdf, &name, &err) <
	    0) {
		filing_close(&f);
		return cli_report(err);
	}
	filing_close(&f);
	if (out != NULL && strcmp(out, "-") == 0) {
		gsize len = 0;
		const char *data = g_bytes_get_data(pdf, &len);

		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_errorf("écriture sur la sortie standard impossible");
			return CLI_FAILED;
		}
		return CLI_OK;
	}
	if (out == NULL && copy) {
		/* COPIE beside its name: the archive's own name stays the original's */
		char *dot = strrchr(name, '.');

		target = dot ? g_strdup_printf("%.*s_COPIE%s", (int)(dot - name), name, dot)
			     : g_strdup_printf("%s_COPIE", name);
	} else {
		target = g_strdup(out ? out : name);
	}
	{
		gsize len = 0;
		const char *data = g_bytes_get_data(pdf, &len);

		if (!g_file_set_contents(target, data, (gssize)len, &err))
			return cli_report(err);
	}
	{
		g_autofree char *abs = g_canonicalize_filename(target, NULL);

		cli_printf("%s\n", abs);
	}
	return CLI_OK;
}

static const cli_option print_options[] = {
	{ "--copy", NULL, "tamponné « COPIE » sur chaque page (l'exemplaire papier de l'employé)" },
	{ "-o", "FICHIER", "l'écrire là (« - » : sur la sortie standard) ; sinon dans ce dossier, "
			   "sous son nom classé" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_print = {
	.name = "print",
	.synopsis = "DOCUMENT [--copy] [-o FICHIER]",
	.summary = "un document classé, à nouveau : confirmation, bon de livraison, facture",
	.details = "DOCUMENT est son numéro : celui de la commande pour sa confirmation "
		   "(SO0001), BL0001, FA2026-0001. Sans --copy, le PDF classé tel quel ; avec "
		   "--copy, refait à partir des valeurs enregistrées avec lui (le même texte), "
		   "tamponné « COPIE ». Le chemin du fichier écrit est affiché.",
	.options = print_options,
	.examples = "mailorder print FA2026-0001 --copy\nmailorder print BL0001 -o /tmp/bl.pdf",
	.min_args = 1,
	.max_args = 1,
	.run = print_run,
};
