/* cli_orders.c: the review queue (drafts), one order (show), and the
 * quarantine.  JSON as in CONTRACT.md; the human form is for a French
 * order desk. */
#include "cli/cli.h"
#include "lib/jsonw.h"
#include "lib/money.h"
#include "lib/text.h"
#include "store/db_intake.h"
#include "store/db_order.h"

#include <stdio.h>
#include <string.h>

/* "2026-11-20" -> "20/11/2026"; NULL -> "—". */
static char *format_date_fr(const char *iso)
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return g_strdup("—");
	return g_strdup_printf("%02d/%02d/%04d", d, m, y);
}

static char *archive_file_shown(cli_ctx *ctx, const char *rel)
{
	if (rel == NULL)
		return NULL;
	return g_build_filename(ctx->cfg->storage.archive_shown, rel, NULL);
}

/* An absent amount is null; a negative one a negative number. */
static void member_money(jsonw *w, const char *key, maybe_amount cents)
{
	g_autofree char *s = cents.known ? money_format_cents(cents.value) : NULL;

	jsonw_member_string(w, key, s);
}

static void member_scaled(jsonw *w, const char *key, maybe_amount v, int scale)
{
	g_autofree char *s = v.known ? money_format_scaled(v.value, scale) : NULL;

	jsonw_member_string(w, key, s);
}

static char *bracketed(const char *message_id)
{
	return message_id ? g_strdup_printf("<%s>", message_id) : NULL;
}

static void order_json(cli_ctx *ctx, jsonw *w, const order *o)
{
	g_autofree char *file = archive_file_shown(ctx, o->source_file);
	g_autofree char *mid = bracketed(o->source_message_id);

	jsonw_object_begin(w);
	jsonw_member_string(w, "number", o->number);
	jsonw_member_string(w, "state", order_state_name(o->state));
	jsonw_key(w, "customer");
	if (o->customer_ref == NULL) {
		jsonw_null(w);
	} else {
		jsonw_object_begin(w);
		jsonw_member_string(w, "ref", o->customer_ref);
		jsonw_member_string(w, "name", o->customer_name);
		jsonw_object_end(w);
	}
	jsonw_member_string(w, "customer_order_ref", o->customer_order_ref);
	jsonw_member_string(w, "order_date", o->order_date);
	jsonw_member_string(w, "delivery_date", o->delivery_date);
	jsonw_key(w, "lines");
	jsonw_array_begin(w);
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];

		jsonw_object_begin(w);
		jsonw_member_string(w, "product_ref", l->product_ref);
		jsonw_member_string(w, "description", l->description);
		member_scaled(w, "qty", amount_of(l->qty_milli), MONEY_MILLI);
		member_money(w, "unit_price", l->unit_price_cents);
		member_scaled(w, "vat_rate", l->vat_rate_bp, MONEY_BP);
		member_money(w, "line_total", l->line_total_cents);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	member_money(w, "total_ht", amount_of(o->total_ht_cents));
	member_money(w, "total_vat", amount_of(o->total_vat_cents));
	member_money(w, "total_ttc", amount_of(o->total_ttc_cents));
	jsonw_key(w, "source");
	jsonw_object_begin(w);
	jsonw_member_string(w, "message_id", mid);
	jsonw_member_string(w, "from", o->source_from);
	jsonw_member_string(w, "subject", o->source_subject);
	jsonw_member_string(w, "attachment", o->source_attachment);
	jsonw_member_string(w, "file", file);
	jsonw_member_string(w, "sha256", o->source_sha256);
	jsonw_object_end(w);
	jsonw_key(w, "checks");
	jsonw_array_begin(w);
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *c = o->checks->pdata[i];

		jsonw_object_begin(w);
		jsonw_member_string(w, "code", check_code_name(c->code));
		jsonw_member_string(w, "severity", check_severity_name(c->severity));
		jsonw_key(w, "line");
		if (c->line > 0)
			jsonw_int(w, c->line);
		else
			jsonw_null(w);
		jsonw_member_string(w, "message", c->message);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* A table cell of WIDTH characters (not bytes: names are French), cut with
 * an ellipsis when too long; right-aligned for numbers. */
static void append_cell(GString *out, const char *text, long width, gboolean right)
{
	long len = g_utf8_strlen(text, -1);

	if (len > width) {
		g_autofree char *cut = g_utf8_substring(text, 0, width - 1);

		g_string_append(out, cut);
		g_string_append(out, "…");
		return;
	}
	if (right)
		for (long i = len; i < width; i++)
			g_string_append_c(out, ' ');
	g_string_append(out, text);
	if (!right)
		for (long i = len; i < width; i++)
			g_string_append_c(out, ' ');
}

/* The order's checks of severity info (or the others), under a heading
 * when there is any. */
static void append_checks(GString *out, const order *o, gboolean info, const char *heading)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	gboolean any = FALSE;

	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *c = o->checks->pdata[i];

		if ((c->severity == CHECK_INFO) != info)
			continue;
		if (!any)
			g_string_append(out, heading);
		any = TRUE;
		if (c->line > 0)
			g_string_append_printf(out, "  - ligne %d : %s (%s)\n", c->line,
					       cli_value(keep, c->message), check_code_name(c->code));
		else
			g_string_append_printf(out, "  - %s (%s)\n", cli_value(keep, c->message),
					       check_code_name(c->code));
	}
}

static void order_text(cli_ctx *ctx, GString *out, const order *o)
{
	g_autofree char *date = format_date_fr(o->order_date);
	g_autofree char *delivery = format_date_fr(o->delivery_date);
	g_autofree char *file = archive_file_shown(ctx, o->source_file);
	g_autofree char *ht = money_format_cents_fr(o->total_ht_cents);
	g_autofree char *vat = money_format_cents_fr(o->total_vat_cents);
	g_autofree char *ttc = money_format_cents_fr(o->total_ttc_cents);
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

	g_string_append_printf(out, "Commande %s (%s)\n", o->number, order_state_fr(o->state));
	if (o->customer_ref != NULL)
		g_string_append_printf(out, "Client          : %s %s\n", o->customer_ref,
				       cli_value(keep, o->customer_name));
	else
		g_string_append(out, "Client          : inconnu\n");
	g_string_append_printf(out, "Bon de commande : %s du %s\n",
			       o->customer_order_ref ? cli_value(keep, o->customer_order_ref)
						     : "sans numéro",
			       date);
	g_string_append_printf(out, "Livraison       : %s\n", delivery);
	g_string_append_printf(out, "Reçu de         : %s, « %s »\n",
			       o->source_from ? cli_value(keep, o->source_from) : "?",
			       o->source_subject ? cli_value(keep, o->source_subject) : "");
	g_string_append_printf(out, "Document        : %s (%s)\n",
			       file ? cli_value(keep, file) : "—",
			       o->source_attachment ? cli_value(keep, o->source_attachment)
						    : "sans nom");
	if (o->lines->len == 0) {
		g_string_append(out, "\nAucune ligne lue.\n");
	} else {
		g_string_append(out, "\n  #  ");
		append_cell(out, "Réf.", 10, FALSE);
		g_string_append_c(out, ' ');
		append_cell(out, "Désignation", 40, FALSE);
		g_string_append_printf(out, " %8s %10s %5s %11s\n", "Qté", "P.U. HT", "TVA",
				       "Total HT");
		for (guint i = 0; i < o->lines->len; i++) {
			const order_line *l = o->lines->pdata[i];
			g_autofree char *qty = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
			g_autofree char *pu = l->unit_price_cents.known
						      ? money_format_cents_fr(l->unit_price_cents.value)
						      : g_strdup("?");
			/* "5,5" for the clerk; JSON keeps the contract's "5.5". */
			g_autofree char *rate = l->vat_rate_bp.known
							? money_format_scaled_fr(l->vat_rate_bp.value, MONEY_BP)
							: g_strdup("?");
			g_autofree char *total = l->line_total_cents.known
							 ? money_format_cents_fr(l->line_total_cents.value)
							 : g_strdup("?");

			g_string_append_printf(out, "%3d  ", l->lineno);
			append_cell(out, l->product_ref ? cli_value(keep, l->product_ref) : "?", 10,
				    FALSE);
			g_string_append_c(out, ' ');
			append_cell(out, l->description ? cli_value(keep, l->description) : "", 40,
				    FALSE);
			g_string_append_printf(out, " %8s %10s %4s%% %11s\n", qty, pu, rate, total);
		}
	}
	g_string_append_printf(out, "\nTotal HT %s €   TVA %s €   TTC %s €\n", ht, vat, ttc);
	append_checks(out, o, FALSE, "\nÀ vérifier :\n");
	append_checks(out, o, TRUE, "\nPour information :\n");
}

static int drafts_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) orders = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean json = cli_flag(args, "--json");
	int rc = CLI_OK;
	db *d;

	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	orders = db_orders_in_state(d, ORDER_DRAFT, &err);
	db_close(&d);
	if (orders == NULL)
		return cli_report(err);
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < orders->len; i++)
			order_json(ctx, &w, orders->pdata[i]);
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (orders->len == 0) {
		g_string_append(out, "Aucune commande à vérifier.\n");
	} else {
		g_string_append_printf(out, "Commandes à vérifier : %u\n\n", orders->len);
		append_cell(out, "Commande", 8, FALSE);
		g_string_append_c(out, ' ');
		append_cell(out, "Date", 10, FALSE);
		g_string_append_c(out, ' ');
		append_cell(out, "Client", 30, FALSE);
		g_string_append_c(out, ' ');
		append_cell(out, "Réf. client", 16, FALSE);
		g_string_append_printf(out, " %6s %14s  %s\n", "Lignes", "Total HT", "À vérifier");
		for (guint i = 0; i < orders->len; i++) {
			const order *o = orders->pdata[i];
			g_autofree char *date = format_date_fr(o->order_date);
			g_autofree char *who_raw = o->customer_ref
							   ? g_strdup_printf("%s %s", o->customer_ref,
									     o->customer_name)
							   : g_strdup_printf("inconnu (%s)",
									     o->source_from ? o->source_from
											    : "?");
			g_autofree char *who = text_shown(who_raw, TEXT_ONE_LINE, 0);
			g_autofree char *po = text_shown(o->customer_order_ref, TEXT_ONE_LINE, 0);
			g_autofree char *ht = money_format_cents_fr(o->total_ht_cents);
			g_autoptr(GString) codes = g_string_new(NULL);

			for (guint k = 0; k < o->checks->len; k++) {
				const order_check *c = o->checks->pdata[k];
				const char *label = check_code_label_fr(c->code);

				/* the queue shows what needs a look; show tells the rest */
				if (c->severity != CHECK_INFO && !strstr(codes->str, label))
					g_string_append_printf(codes, "%s%s", codes->len ? ", " : "",
							       label);
			}
			append_cell(out, o->number, 8, FALSE);
			g_string_append_c(out, ' ');
			append_cell(out, date, 10, FALSE);
			g_string_append_c(out, ' ');
			append_cell(out, who, 30, FALSE);
			g_string_append_c(out, ' ');
			append_cell(out, o->customer_order_ref ? po : "—", 16, FALSE);
			g_string_append_printf(out, " %6u %12s €  %s\n", o->lines->len, ht,
					       codes->len ? codes->str : "—");
		}
	}
	cli_put(out->str);
	return CLI_OK;
}

static int show_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *number = cli_arg(args, 0);
	gboolean json = cli_flag(args, "--json");
	int rc = CLI_OK;
	db *d;

	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	o = db_order_get(d, number, &err);
	db_close(&d);
	if (o == NULL && err != NULL)
		return cli_report(err);
	if (o == NULL) {
		cli_errorf("%s : aucune commande de ce numéro (mailorder drafts liste les "
			   "brouillons)", number);
		return CLI_FAILED;
	}
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		order_json(ctx, &w, o);
		fputs(out->str, stdout);
	} else {
		order_text(ctx, out, o);
		cli_put(out->str);
	}
	return CLI_OK;
}

static int quarantine_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean json = cli_flag(args, "--json");
	int rc = CLI_OK;
	db *d;

	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	entries = db_quarantine_list(d, &err);
	db_close(&d);
	if (entries == NULL)
		return cli_report(err);
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < entries->len; i++) {
			const quarantine_entry *q = entries->pdata[i];
			g_autofree char *file = archive_file_shown(ctx, q->file);
			g_autofree char *document = archive_file_shown(ctx, q->document_file);
			g_autofree char *mid = bracketed(q->message_id);

			jsonw_object_begin(&w);
			jsonw_member_int(&w, "id", q->id);
			jsonw_member_string(&w, "message", q->message_number);
			jsonw_member_string(&w, "message_id", mid);
			jsonw_member_string(&w, "from", q->from_addr);
			jsonw_member_string(&w, "subject", q->subject);
			jsonw_member_string(&w, "received_at", q->received_at);
			jsonw_member_string(&w, "attachment", q->attachment);
			jsonw_member_string(&w, "sha256", q->sha256);
			jsonw_member_string(&w, "reason", quarantine_reason_name(q->reason));
			jsonw_member_string(&w, "detail", q->detail);
			jsonw_member_string(&w, "duplicate_of", q->duplicate_of);
			jsonw_member_string(&w, "file", file);
			jsonw_member_string(&w, "document", document);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (entries->len == 0) {
		g_string_append(out, "Quarantaine vide.\n");
	} else {
		g_string_append_printf(out, "En quarantaine : %u\n", entries->len);
		for (guint i = 0; i < entries->len; i++) {
			const quarantine_entry *q = entries->pdata[i];
			g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
			g_autofree char *file = archive_file_shown(ctx, q->file);
			g_autofree char *document = archive_file_shown(ctx, q->document_file);

			g_string_append_printf(out, "\n#%" G_GINT64_FORMAT "  %s  %s  %s\n",
					       (gint64)q->id, quarantine_reason_name(q->reason),
					       q->received_at ? q->received_at : "",
					       q->message_number);
			g_string_append_printf(out, "    de       : %s, « %s »\n",
					       q->from_addr ? cli_value(keep, q->from_addr) : "?",
					       q->subject ? cli_value(keep, q->subject) : "");
			if (q->attachment != NULL || q->sha256 != NULL)
				g_string_append_printf(out, "    pièce    : %s\n",
						       q->attachment ? cli_value(keep, q->attachment)
								     : "(sans nom)");
			g_string_append_printf(out, "    motif    : %s\n", cli_value(keep, q->detail));
			if (q->duplicate_of != NULL)
				g_string_append_printf(out, "    déjà reçu: %s\n",
						       cli_value(keep, q->duplicate_of));
			if (document != NULL)
				g_string_append_printf(out, "    document : %s\n",
						       cli_value(keep, document));
			g_string_append_printf(out, "    message  : %s\n",
					       file ? cli_value(keep, file) : "—");
		}
	}
	cli_put(out->str);
	return CLI_OK;
}

static const cli_option json_option[] = {
	{ "--json", NULL, "la sortie en JSON, pour un script (format décrit dans README.md)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_drafts = {
	.name = "drafts",
	.synopsis = "[--json]",
	.summary = "la file de revue : les brouillons de commande à vérifier, avec ce qui est à "
		   "vérifier sur chacun",
	.options = json_option,
	.examples = "mailorder drafts\nmailorder drafts --json",
	.min_args = 0,
	.max_args = 0,
	.run = drafts_run,
};

const cli_command cli_cmd_show = {
	.name = "show",
	.synopsis = "COMMANDE [--json]",
	.summary = "une commande en entier : client, lignes, totaux, contrôles, document reçu",
	.details = "COMMANDE est son numéro, SO suivi de quatre chiffres (SO0001).",
	.options = json_option,
	.examples = "mailorder show SO0001\nmailorder show SO0001 --json",
	.min_args = 1,
	.max_args = 1,
	.run = show_run,
};

const cli_command cli_cmd_quarantine = {
	.name = "quarantine",
	.synopsis = "[--json]",
	.summary = "ce qui n'est pas devenu un brouillon, et pourquoi : pièce illisible, trop "
		   "grosse, doublon, message sans bon de commande…",
	.options = json_option,
	.examples = "mailorder quarantine\nmailorder quarantine --json",
	.min_args = 0,
	.max_args = 0,
	.run = quarantine_run,
};
