/* cli_orders.c: the review queue (drafts), one order (show), and the
 * quarantine.  JSON as in CONTRACT.md; the human form is for a French
 * order desk. */
#include "cli/cli.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "lib/money.h"
#include "lib/text.h"
#include "orders/confidence.h"
#include "store/db_intake.h"
#include "store/db_order.h"

#include <stdio.h>
#include <string.h>

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

static void order_json(cli_ctx *ctx, jsonw *w, const order *o, const GPtrArray *history)
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
		/* how sure intake was of the line as read; null: a clerk's */
		int sure = confidence_shown(o, l, NULL);

		jsonw_key(w, "confidence");
		if (sure >= 0)
			jsonw_hundredths(w, sure);
		else
			jsonw_null(w);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	member_money(w, "total_ht", amount_of(o->total_ht_cents));
	member_money(w, "total_vat", amount_of(o->total_vat_cents));
	member_money(w, "total_ttc", amount_of(o->total_ttc_cents));
	/* of each field intake read, a clerk's corrections aside */
	jsonw_key(w, "confidence");
	jsonw_object_begin(w);
	for (guint i = 0; i < o->confidence->len; i++) {
		const field_confidence *f = o->confidence->pdata[i];

		jsonw_key(w, f->field);
		jsonw_hundredths(w, f->confidence);
	}
	jsonw_object_end(w);
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
	if (history != NULL) {
		jsonw_key(w, "history");
		jsonw_array_begin(w);
		for (guint i = 0; i < history->len; i++) {
			const order_step *h = history->pdata[i];

			jsonw_object_begin(w);
			jsonw_member_string(w, "at", h->at);
			jsonw_member_string(w, "who", h->who);
			jsonw_member_string(w, "from", h->created ? NULL : order_state_name(h->from));
			jsonw_member_string(w, "to", order_state_name(h->to));
			jsonw_member_string(w, "note", h->note);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

/* The catalogue reference of line (from 1) of o, or NULL. */
static const char *line_product(const order *o, int line)
{
	if (line < 1 || (guint)line > o->lines->len)
		return NULL;
	return ((const order_line *)o->lines->pdata[line - 1])->product_ref;
}

/* What a clerk does about check c of draft o: the command to run (with
 * the -c given to this one), or NULL when the check is for the eyes only.
 * Owned. */
static char *next_step(const cli_ctx *ctx, const order *o, const order_check *c)
{
	g_autofree char *cmd = NULL;
	g_autofree char *run = NULL;

	if (o->state != ORDER_DRAFT)
		return NULL;
	switch (c->code) {
	case CHECK_UNKNOWN_CUSTOMER: {
		g_autofree char *known = g_strdup_printf("correct %s --customer RÉF", o->number);
		g_autofree char *run_known = cli_next(ctx, known);

		cmd = g_strdup_printf("customer from-draft %s", o->number);
		run = cli_next(ctx, cmd);
		return g_strdup_printf("%s montre le client lu sur le bon et la commande qui le "
				       "crée ; s'il est déjà dans le fichier : %s",
				       run, run_known);
	}
	case CHECK_UNKNOWN_PRODUCT:
		cmd = g_strdup_printf("correct %s --line %d --product RÉF", o->number,
				      c->line > 0 ? c->line : 1);
		run = cli_next(ctx, cmd);
		return g_strdup_printf("%s (la référence du catalogue ; retenue pour ce client)",
				       run);
	case CHECK_CUSTOMER_DATA_DIFFERS:
		cmd = g_strdup_printf("customer from-draft %s --apply", o->number);
		run = cli_next(ctx, cmd);
		return g_strdup_printf("%s reporte ces valeurs dans la fiche", run);
	case CHECK_CUSTOMER_FROM_DOCUMENT:
		cmd = g_strdup_printf("correct %s --customer RÉF", o->number);
		run = cli_next(ctx, cmd);
		return g_strdup_printf("si ce n'est pas ce client : %s", run);
	case CHECK_PRICE_MISMATCH: {
		const char *ref = line_product(o, c->line);
		g_autofree char *fix = g_strdup_printf("correct %s --line %d --product RÉF",
						       o->number, c->line > 0 ? c->line : 1);
		g_autofree char *run_fix = cli_next(ctx, fix);

		cmd = g_strdup_printf("product edit %s --unit-price PRIX", ref ? ref : "RÉF");
		run = cli_next(ctx, cmd);
		return g_strdup_printf("si le produit est faux : %s ; si le catalogue est faux : %s",
				       run_fix, run);
	}
	case CHECK_STOCK_SHORT: {
		const char *ref = line_product(o, c->line);

		cmd = g_strdup_printf("product edit %s --stock N", ref ? ref : "RÉF");
		run = cli_next(ctx, cmd);
		return g_strdup_printf("quand la marchandise est arrivée : %s", run);
	}
	case CHECK_DUPLICATE_ORDER_REF:
		run = cli_next(ctx, "drafts");
		return g_strdup_printf("comparez avec la commande nommée (%s, ou show) : un client "
				       "qui renvoie son bon n'en veut qu'une", run);
	case CHECK_NO_LINES:
	case CHECK_TOTAL_MISMATCH:
	case CHECK_LOW_CONFIDENCE:
	case CHECK_PAGES_NOT_READ:
		cmd = g_strdup_printf("open %s", o->number);
		run = cli_next(ctx, cmd);
		return g_strdup_printf("comparez au bon reçu : %s", run);
	default:
		return NULL;
	}
}

/* The order's checks of severity info (or the others), under a heading
 * when there is any. */
static void append_checks(cli_ctx *ctx, GString *out, const order *o, gboolean info,
			  const char *heading)
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
		if (!info) {
			g_autofree char *next = next_step(ctx, o, c);

			if (next != NULL)
				g_string_append_printf(out, "    → %s\n", next);
		}
	}
}

static void order_text(cli_ctx *ctx, GString *out, const order *o, const GPtrArray *history)
{
	g_autofree char *date = cli_time_fr(o->order_date);
	g_autofree char *delivery = cli_time_fr(o->delivery_date);
	/* a path that opens from wherever the clerk is */
	g_autofree char *file = o->source_file ? g_build_filename(ctx->cfg->storage.archive,
								   o->source_file, NULL)
					       : NULL;
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
		static const char *const headers[] = { "#", "Réf.", "Désignation", "Qté",
						       "P.U. HT", "TVA %", "Total HT", "Lecture" };
		cli_table *t = cli_table_new(headers, "rlLrrrrr");

		g_string_append_c(out, '\n');
		for (guint i = 0; i < o->lines->len; i++) {
			const order_line *l = o->lines->pdata[i];
			g_autofree char *no = g_strdup_printf("%d", l->lineno);
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
			/* how sure intake was of it; blank for a clerk's line */
			int shown = confidence_shown(o, l, NULL);
			g_autofree char *sure = shown >= 0 ? g_strdup_printf("%d %%", shown)
							   : g_strdup("");
			const char *cells[] = { no, l->product_ref ? l->product_ref : "?",
						l->description ? l->description : "", qty, pu, rate,
						total, sure };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	g_string_append_printf(out, "\nTotal HT %s €   TVA %s €   TTC %s €\n", ht, vat, ttc);
	append_checks(ctx, out, o, FALSE, "\nÀ vérifier :\n");
	append_checks(ctx, out, o, TRUE, "\nPour information :\n");
	if (history != NULL && history->len > 0) {
		static const char *const headers[] = { "Quand", "Qui", "État", "Quoi" };
		cli_table *t = cli_table_new(headers, "llLL");

		g_string_append(out, "\nHistorique :\n");
		for (guint i = 0; i < history->len; i++) {
			const order_step *h = history->pdata[i];
			g_autofree char *when = cli_time_fr(h->at);
			g_autofree char *state = h->created || h->from == h->to
							 ? g_strdup(order_state_fr(h->to))
							 : g_strdup_printf("%s → %s", order_state_fr(h->from),
									   order_state_fr(h->to));
			const char *cells[] = { when, h->who, state,
						h->note ? h->note : h->created ? "créée" : NULL };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
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
			order_json(ctx, &w, orders->pdata[i], NULL);
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (orders->len == 0) {
		g_string_append(out, "Aucune commande à vérifier.\n");
	} else {
		static const char *const headers[] = { "Commande", "Date", "Client", "Réf. client",
						       "Lignes", "Total HT", "À vérifier" };
		cli_table *t = cli_table_new(headers, "llLLrrL");

		g_string_append_printf(out, "Commandes à vérifier : %u\n\n", orders->len);
		for (guint i = 0; i < orders->len; i++) {
			const order *o = orders->pdata[i];
			g_autofree char *date = cli_time_fr(o->order_date);
			g_autofree char *who = o->customer_ref
						       ? g_strdup_printf("%s %s", o->customer_ref,
									 o->customer_name)
						       : g_strdup_printf("inconnu (%s)",
									 o->source_from ? o->source_from
											: "?");
			g_autofree char *ht = money_format_cents_fr(o->total_ht_cents);
			g_autofree char *ht_eur = g_strdup_printf("%s €", ht);
			g_autofree char *nlines = g_strdup_printf("%u", o->lines->len);
			g_autoptr(GString) codes = g_string_new(NULL);
			const char *cells[7];

			for (guint k = 0; k < o->checks->len; k++) {
				const order_check *c = o->checks->pdata[k];
				const char *label = check_code_label_fr(c->code);

				/* the queue shows what needs a look; show tells the rest */
				if (c->severity != CHECK_INFO && !strstr(codes->str, label))
					g_string_append_printf(codes, "%s%s", codes->len ? ", " : "",
							       label);
			}
			cells[0] = o->number;
			cells[1] = date;
			cells[2] = who;
			cells[3] = o->customer_order_ref;
			cells[4] = nlines;
			cells[5] = ht_eur;
			cells[6] = codes->len ? codes->str : NULL;
			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	cli_put(out->str);
	return CLI_OK;
}

/* Order number with its history when history_r is given; NULL with the
 * reason said (an unknown number: where to look) and *rc_r set. */
static order *order_or_report(cli_ctx *ctx, const char *number, GPtrArray **history_r,
			      int *rc_r)
{
	g_autoptr(GError) err = NULL;
	order *o;
	db *d = cli_open_db(ctx, rc_r);

	if (d == NULL)
		return NULL;
	o = db_order_get(d, number, &err);
	if (o != NULL && history_r != NULL)
		*history_r = db_order_history(d, o->id, &err);
	db_close(&d);
	if (err != NULL) {
		order_free(o);
		*rc_r = cli_report(err);
		return NULL;
	}
	if (o == NULL) {
		g_autofree char *list = cli_next(ctx, "drafts");

		cli_errorf("%s : aucune commande de ce numéro (%s liste les brouillons)", number,
			   list);
		*rc_r = CLI_FAILED;
	}
	return o;
}

static int show_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *number = cli_arg(args, 0);
	gboolean json = cli_flag(args, "--json");
	g_autoptr(GPtrArray) history = NULL;
	int rc = CLI_OK;

	o = order_or_report(ctx, number, &history, &rc);
	if (o == NULL)
		return rc;
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		order_json(ctx, &w, o, history);
		fputs(out->str, stdout);
	} else {
		order_text(ctx, out, o, history);
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
		static const char *const headers[] = { "N°", "Reçu le", "Motif", "Message", "De",
						       "Pièce" };
		cli_table *t = cli_table_new(headers, "lllLLL");
		g_autofree char *show = cli_next(ctx, "quarantine show N°");

		g_string_append_printf(out, "En quarantaine : %u\n\n", entries->len);
		for (guint i = 0; i < entries->len; i++) {
			const quarantine_entry *q = entries->pdata[i];
			g_autofree char *no = g_strdup_printf("%" G_GINT64_FORMAT, (gint64)q->id);
			g_autofree char *when = cli_time_fr(q->received_at);
			const char *cells[] = { no, when, quarantine_reason_label_fr(q->reason),
						q->message_number, q->from_addr,
						q->attachment ? q->attachment
						: q->sha256 ? "(sans nom)" : "(le message)" };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
		g_string_append_printf(out, "\nLe détail d'une entrée (pourquoi, fichiers) : %s\n",
				       show);
	}
	cli_put(out->str);
	return CLI_OK;
}


const cli_command cli_cmd_drafts = {
	.name = "drafts",
	.synopsis = "[--json]",
	.summary = "la file de revue : les brouillons de commande à vérifier, avec ce qui est à "
		   "vérifier sur chacun",
	.options = cli_json_option,
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
	.options = cli_json_option,
	.examples = "mailorder show SO0001\nmailorder show SO0001 --json",
	.min_args = 1,
	.max_args = 1,
	.run = show_run,
};

const cli_command cli_cmd_quarantine = {
	.name = "quarantine",
	.synopsis = "[--json]",
	.summary = "ce qui n'est pas devenu un brouillon, et pourquoi : pièce illisible, trop "
		   "grosse, doublon, message sans bon de commande",
	.options = cli_json_option,
	.examples = "mailorder quarantine\nmailorder quarantine --json",
	.min_args = 0,
	.max_args = 0,
	.run = quarantine_run,
};

/* mailorder open ORDER: the PO as received, in the desktop's viewer when
 * there is a desktop, else its path (for a terminal on a server). */
static int open_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autofree char *path = NULL;
	g_autofree char *viewer = NULL;
	int rc = CLI_OK;

	o = order_or_report(ctx, cli_arg(args, 0), NULL, &rc);
	if (o == NULL)
		return rc;
	if (o->source_file == NULL) {
		cli_errorf("%s n'a pas de document classé", o->number);
		return CLI_FAILED;
	}
	path = g_build_filename(ctx->cfg->storage.archive, o->source_file, NULL);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		cli_errorf("%s : le document %s n'est plus dans l'archive", o->number, path);
		return CLI_FAILED;
	}
	viewer = g_find_program_in_path("xdg-open");
	if (!cli_flag(args, "--path") && viewer != NULL &&
	    (g_getenv("DISPLAY") != NULL || g_getenv("WAYLAND_DISPLAY") != NULL)) {
		const char *argv[] = { viewer, path, NULL };

		if (g_spawn_async(NULL, (char **)argv, NULL,
				  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
				  NULL, &err)) {
			cli_printf("%s ouvert : %s\n", o->number, path);
			return CLI_OK;
		}
		log_warn("xdg-open : %s", err->message);
	}
	cli_printf("%s\n", path);
	return CLI_OK;
}

static const cli_option open_options[] = {
	{ "--path", NULL, "le chemin seulement, même avec un bureau" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_open = {
	.name = "open",
	.synopsis = "COMMANDE [--path]",
	.summary = "ouvre le bon de commande reçu (avec la visionneuse du bureau, xdg-open) ; "
		   "sans bureau, affiche son chemin",
	.options = open_options,
	.examples = "mailorder open SO0003\nxdg-open \"$(mailorder open SO0003 --path)\"",
	.min_args = 1,
	.max_args = 1,
	.run = open_run,
};

/* One entry of the quarantine, whole: why, the message, the files. */
static int quarantine_show_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(quarantine_entry) q = NULL;
	guint64 id;
	int rc = CLI_OK;
	db *d;

	if (!g_ascii_string_to_unsigned(cli_arg(args, 0), 10, 1, G_MAXINT64, &id, NULL))
		return cli_usage("quarantine show : N° est le numéro d'une entrée, tel que "
				 "« quarantine » le donne, pas « %s »", cli_arg(args, 0));
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	q = db_quarantine_get(d, (int64_t)id, &err);
	db_close(&d);
	if (err != NULL)
		return cli_report(err);
	if (q == NULL) {
		g_autofree char *list = cli_next(ctx, "quarantine");

		cli_errorf("%" G_GUINT64_FORMAT " : aucune entrée de ce numéro (%s les liste)", id,
			   list);
		return CLI_FAILED;
	}
	{
		g_autofree char *when = cli_time_fr(q->received_at);
		g_autofree char *file = q->file ? g_build_filename(ctx->cfg->storage.archive, q->file,
								   NULL)
						: NULL;
		g_autofree char *document = q->document_file
						    ? g_build_filename(ctx->cfg->storage.archive,
								       q->document_file, NULL)
						    : NULL;

		g_string_append_printf(out, "Quarantaine n° %" G_GINT64_FORMAT " : %s (%s)\n",
				       (gint64)q->id, quarantine_reason_label_fr(q->reason),
				       quarantine_reason_name(q->reason));
		g_string_append_printf(out, "Reçu le   : %s, message %s\n", when, q->message_number);
		g_string_append_printf(out, "De        : %s, « %s »\n",
				       q->from_addr ? cli_value(keep, q->from_addr) : "?",
				       q->subject ? cli_value(keep, q->subject) : "");
		if (q->attachment != NULL || q->sha256 != NULL)
			g_string_append_printf(out, "Pièce     : %s\n",
					       q->attachment ? cli_value(keep, q->attachment)
							     : "(sans nom)");
		g_string_append_printf(out, "Pourquoi  : %s\n", cli_value(keep, q->detail));
		if (q->duplicate_of != NULL)
			g_string_append_printf(out, "Déjà reçu : %s\n", cli_value(keep, q->duplicate_of));
		if (document != NULL)
			g_string_append_printf(out, "Document  : %s\n", cli_value(keep, document));
		g_string_append_printf(out, "Message   : %s\n", file ? cli_value(keep, file) : "—");
	}
	cli_put(out->str);
	return CLI_OK;
}

const cli_command cli_cmd_quarantine_show = {
	.name = "quarantine show",
	.synopsis = "N°",
	.summary = "une entrée de la quarantaine en entier : pourquoi, le message, les fichiers "
		   "archivés (chemins absolus)",
	.examples = "mailorder quarantine show 7",
	.min_args = 1,
	.max_args = 1,
	.run = quarantine_show_run,
};
