/* confirm.c: validate, reject, cancel, copy (confirm.h). */
#include "orders/confirm.h"

#include "lib/error.h"
#include "lib/log.h"
#include "lib/money.h"
#include "orders/mailing.h"
#include "orders/numbering.h"
#include "orders/order.h"
#include "store/db_catalog.h"
#include "store/db_chain.h"
#include "store/db_order.h"

#include <string.h>

/* Each line's product as the catalogue has it now (NULL: none, or no
 * longer there); owned, in line order. */
static GPtrArray *products_now(db *d, const order *o, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)product_free);

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		product *p = NULL;

		if (l->product_ref != NULL) {
			p = db_product_by_ref(d, l->product_ref, error);
			if (p == NULL && error && *error)
				return NULL;
		}
		g_ptr_array_add(out, p);
	}
	return g_steal_pointer(&out);
}

/* "ligne 2 : … (unknown_product) ; …": the checks of severity s. */
static char *checks_of(const order *o, check_severity s, int *count_r)
{
	GString *out = g_string_new(NULL);

	*count_r = 0;
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		if (k->severity != s)
			continue;
		(*count_r)++;
		if (out->len > 0)
			g_string_append(out, " ; ");
		if (k->line > 0)
			g_string_append_printf(out, "ligne %d : ", k->line);
		g_string_append_printf(out, "%s (%s)", k->message, check_code_name(k->code));
	}
	return g_string_free(out, FALSE);
}

static order_difference *difference(int line, const char *ref, const char *what, char *theirs,
				    char *ours)
{
	order_difference *x = g_new0(order_difference, 1);

	x->line = line;
	x->ref = g_strdup(ref);
	x->what = g_strdup(what);
	x->theirs = theirs;
	x->ours = ours;
	return x;
}

/* Sets each line's confirmed price and lists what differs from the PO. */
static GPtrArray *confirm_lines(order *o, GPtrArray *products, int discount_bp)
{
	GPtrArray *diffs = g_ptr_array_new_with_free_func((GDestroyNotify)order_difference_free);
	/* product ref -> thousandths confirmed over its lines, for the stock
	 * (by ref: each line holds its own copy of a product) */
	g_autoptr(GHashTable) wanted = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

	for (guint i = 0; i < o->lines->len; i++) {
		order_line *l = o->lines->pdata[i];
		const product *p = products->pdata[i];
		int64_t *sum;

		if (!l->price_by_clerk) {
			int64_t net = p->unit_price_cents - money_apply_rate(p->unit_price_cents,
									     discount_bp);

			l->unit_price_cents = amount_of(net);
		}
		l->line_total_cents = amount_of(money_line_total(l->unit_price_cents.value,
								 l->qty_milli));
		l->vat_rate_bp = amount_of(p->vat_rate_bp);
		g_free(l->unit);
		l->unit = g_strdup(p->unit);
		/* what we confirm, deliver and invoice is our product: its name,
		 * not the PO's words (their reference stays, for the difference) */
		g_free(l->description);
		l->description = g_strdup(p->name);
		sum = g_hash_table_lookup(wanted, p->ref);
		if (sum == NULL) {
			sum = g_new0(int64_t, 1);
			g_hash_table_insert(wanted, p->ref, sum);
		}
		*sum = money_add(*sum, l->qty_milli);
		if (l->po_lineno == 0) {
			g_ptr_array_add(diffs, difference(l->lineno, p->ref, "ligne ajoutée",
							  g_strdup("—"),
							  money_format_scaled_fr(l->qty_milli,
										 MONEY_MILLI)));
			continue;
		}
		if (l->customer_ref != NULL && g_ascii_strcasecmp(l->customer_ref, p->ref) != 0)
			g_ptr_array_add(diffs, difference(l->lineno, p->ref, "votre référence",
							  g_strdup(l->customer_ref),
							  g_strdup_printf("notre %s", p->ref)));
		if (l->po_qty_milli.known && l->po_qty_milli.value != l->qty_milli)
			g_ptr_array_add(diffs,
					difference(l->lineno, p->ref, "quantité",
						   money_format_scaled_fr(l->po_qty_milli.value,
									  MONEY_MILLI),
						   money_format_scaled_fr(l->qty_milli, MONEY_MILLI)));
		if (l->po_unit_price_cents.known &&
		    l->po_unit_price_cents.value != l->unit_price_cents.value)
			g_ptr_array_add(diffs,
					difference(l->lineno, p->ref,
						   l->price_by_clerk ? "prix convenu"
						   : discount_bp > 0 ? "prix catalogue, remise déduite"
								     : "prix du catalogue",
						   money_format_euros_fr(l->po_unit_price_cents.value),
						   money_format_euros_fr(l->unit_price_cents.value)));
	}
	/* what the stock cannot ship now, on the product's last line */
	for (guint i = o->lines->len; i-- > 0;) {
		const order_line *l = o->lines->pdata[i];
		const product *p = products->pdata[i];
		int64_t *sum = g_hash_table_lookup(wanted, p->ref);
		int64_t have = p->stock > 0 ? p->stock * 1000 : 0;

		g_autofree char *now = NULL;

		if (sum == NULL || *sum <= have)
			continue;
		now = money_format_scaled_fr(have, MONEY_MILLI);
		g_ptr_array_add(diffs,
				difference(l->lineno, p->ref, "livrable maintenant",
					   money_format_scaled_fr(*sum, MONEY_MILLI),
					   g_strdup_printf("%s, le reste dès réception", now)));
		g_hash_table_remove(wanted, p->ref);
	}
	for (guint i = 0; i < o->removed->len; i++) {
		const order_line *l = o->removed->pdata[i];
		g_autofree char *q = l->po_qty_milli.known
					     ? money_format_scaled_fr(l->po_qty_milli.value, MONEY_MILLI)
					     : g_strdup("?");

		g_ptr_array_add(diffs, difference(0, l->customer_ref ? l->customer_ref : l->product_ref,
						  "ligne retirée",
						  g_strdup_printf("%s × %s", q,
								  l->description ? l->description : ""),
						  g_strdup("—")));
	}
	return diffs;
}

int order_validate(const filing *f, const char *number, gboolean accept_warnings, const char *by,
		   char **said_r, GError **error)
{
	db *d = f->d;
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(GPtrArray) diffs = NULL;
	g_autofree char *errors = NULL;
	g_autofree char *warnings = NULL;
	g_autofree char *rel = NULL;
	g_autofree char *today = NULL;
	g_autofree char *note = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *mail_id = NULL;
	const char *no_mail = NULL;
	int n_errors, n_warnings, queued = 1;

	*said_r = NULL;
	if (config_require_company(f->cfg, FALSE, error) < 0 || db_begin(d, error) < 0)
		return -1;
	o = db_order_named(d, number, error);
	if (o == NULL || order_transition_check(o, ORDER_CONFIRMED, error) < 0)
		goto fail;
	if (o->customer_ref != NULL && (c = db_customer_by_ref(d, o->customer_ref, error)) == NULL &&
	    error && *error)
		goto fail;
	products = products_now(d, o, error);
	if (products == NULL)
		goto fail;
	order_recheck(o, c, FALSE, (const product *const *)products->pdata);
	errors = checks_of(o, CHECK_ERROR, &n_errors);
	warnings = checks_of(o, CHECK_WARNING, &n_warnings);
	for (guint i = 0; i < o->lines->len && n_errors == 0; i++) {
		const order_line *l = o->lines->pdata[i];

		if (l->qty_milli <= 0 || l->qty_milli > MONEY_QTY_MAX_MILLI ||
		    (l->unit_price_cents.known && l->price_by_clerk &&
		     l->unit_price_cents.value > MONEY_PRICE_MAX_CENTS)) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s ne peut pas être validée : ligne %d : quantité %s (corrigez-la : "
				    "mailorder correct %s --line %d --qty QUANTITÉ, ou --remove-line %d)",
				    o->number, l->lineno,
				    l->qty_milli <= 0 ? "nulle" : "ou prix hors de toute mesure",
				    o->number, l->lineno, l->lineno);
			goto fail;
		}
	}
	if (n_errors == 0 && c == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s ne peut pas être validée : elle n'a pas de client (mailorder correct %s "
			    "--customer REF)", o->number, o->number);
		goto fail;
	}
	if (n_errors > 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s ne peut pas être validée : %s (corrigez-la : mailorder correct %s …)",
			    o->number, errors, o->number);
		goto fail;
	}
	if (n_warnings > 0 && !accept_warnings) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s : %d avertissement(s) à accepter : %s ; si c'est voulu : mailorder "
			    "validate %s --accept-warnings",
			    o->number, n_warnings, warnings, o->number);
		goto fail;
	}
	diffs = confirm_lines(o, products, c->discount_bp);
	order_compute_totals(o);
	today = g_date_time_format(now, "%Y-%m-%d");
	note = n_warnings > 0 ? g_strdup_printf("validée, avertissement(s) accepté(s) : %s", warnings)
			      : g_strdup("validée");
	if (db_order_update(d, o, c->id, by, NULL, error) < 0 ||
	    db_order_transition(d, o->id, ORDER_DRAFT, ORDER_CONFIRMED, by, note, NULL, error) < 0)
		goto fail;
	o->state = ORDER_CONFIRMED;
	if (filing_confirmation(f, c, o, diffs, today, &rel, error) < 0)
		goto fail;
	{
		const char *files[] = { rel, NULL };

		queued = mailing_queue(f, MAIL_CONFIRMATION, c, o, NULL, files, &mail_id, &no_mail,
				       error);
		if (queued < 0)
			goto fail;
	}
	if (archive_sync(f->a, error) < 0 || db_commit(d, error) < 0)
		goto fail;
	{
		g_autofree char *path = archive_path(f->a, rel);
		g_autofree char *ttc = money_format_cents_fr(o->total_ttc_cents);
		GString *said = g_string_new(NULL);

		g_string_append_printf(said, "%s validée : %u ligne(s), %s € TTC\n", o->number,
				       o->lines->len, ttc);
		if (diffs->len > 0)
			g_string_append_printf(said, "%u différence(s) avec le bon de commande du "
						     "client, écrites sur la confirmation\n",
					       diffs->len);
		g_string_append_printf(said, "confirmation : %s\n", path);
		if (queued == 0)
			g_string_append_printf(said, "courriel au client préparé, avec la confirmation "
						     "jointe, en attente d'envoi (mailorder outbox)\n");
		else
			g_string_append_printf(said, "pas de courriel au client : %s ; envoyez-lui ce "
						     "PDF vous-même\n", no_mail);
		*said_r = g_string_free(said, FALSE);
	}
	return 0;
fail:
	db_rollback(d);
	if (rel != NULL)
		archive_remove(f->a, rel, NULL);
	return -1;
}

/* A change of state with a reason: reject, cancel. */
/* notify: the filing the customer's mail is written with, or NULL for no
 * mail. */
static int end_order(db *d, const filing *notify, const char *number, order_state to,
		     const char *reason, const char *by, char **said_r, GError **error)
{
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autofree char *note = NULL;
	g_autoptr(GString) said = g_string_new(NULL);

	*said_r = NULL;
	while (reason != NULL && g_ascii_isspace(*reason))
		reason++;
	if (reason == NULL || reason[0] == '\0') {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "--reason : dites pourquoi (il est "
			    "gardé dans l'historique)");
		return -1;
	}
	if (db_begin(d, error) < 0)
		return -1;
	o = db_order_named(d, number, error);
	if (o == NULL || order_transition_check(o, to, error) < 0)
		goto fail;
	note = g_strdup_printf("%s : %s", to == ORDER_REJECTED ? "rejetée" : "annulée", reason);
	if (db_order_transition(d, o->id, o->state, to, by, note, reason, error) < 0)
		goto fail;
	g_string_append_printf(said, "%s %s : %s\n", o->number,
			       to == ORDER_REJECTED ? "rejetée" : "annulée", reason);
	if (to == ORDER_CANCELLED) {
		int64_t delivered = 0, invoiced = 0;

		for (guint i = 0; i < o->lines->len; i++) {
			const order_line *l = o->lines->pdata[i];

			delivered += l->delivered_milli;
			invoiced += l->invoiced_milli;
			if (l->qty_milli > l->delivered_milli) {
				g_autofree char *left = money_format_scaled_fr(
					l->qty_milli - l->delivered_milli, MONEY_MILLI);

				g_string_append_printf(said, "ligne %d (%s) : %s ne sera pas livré(s)\n",
						       l->lineno, l->product_ref ? l->product_ref : "?",
						       left);
			}
		}
		if (delivered > invoiced)
			g_string_append_printf(said, "ce qui a été livré reste à facturer : mailorder "
						     "invoice %s\n", o->number);
	}
	if (notify != NULL) {
		g_autofree char *mail_id = NULL;
		const char *no_mail = NULL;
		int queued;

		if (o->customer_ref != NULL &&
		    (c = db_customer_by_ref(d, o->customer_ref, error)) == NULL &&
		    error != NULL && *error != NULL)
			goto fail;
		if (c == NULL)
			c = customer_new();   /* unknown: the address the order came from */
		g_free(o->comment);
		o->comment = g_strdup(reason);
		queued = mailing_queue(notify, MAIL_REJECTION, c, o, NULL, NULL, &mail_id, &no_mail,
				       error);
		if (queued < 0)
			goto fail;
		if (queued == 0)
			g_string_append(said, "courriel au client préparé, avec la raison, en attente "
					      "d'envoi (mailorder outbox)\n");
		else
			g_string_append_printf(said, "pas de courriel au client : %s\n", no_mail);
	}
	if (db_commit(d, error) < 0)
		goto fail;
	*said_r = g_string_free(g_steal_pointer(&said), FALSE);
	return 0;
fail:
	db_rollback(d);
	return -1;
}

int order_reject(const filing *f, const char *number, const char *reason, gboolean notify,
		 const char *by, char **said_r, GError **error)
{
	return end_order(f->d, notify ? f : NULL, number, ORDER_REJECTED, reason, by, said_r, error);
}

int order_cancel(db *d, const char *number, const char *reason, const char *by, char **said_r,
		 GError **error)
{
	return end_order(d, NULL, number, ORDER_CANCELLED, reason, by, said_r, error);
}

int order_copy(db *d, const char *number, const char *by, char **new_number_r, char **said_r,
	       GError **error)
{
	g_autoptr(order) o = NULL;
	g_autoptr(order) copy = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	g_autofree char *new_number = NULL;
	g_autofree char *note = NULL;

	*said_r = NULL;
	*new_number_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	o = db_order_named(d, number, error);
	if (o == NULL)
		goto fail;
	if (o->customer_ref != NULL && (c = db_customer_by_ref(d, o->customer_ref, error)) == NULL &&
	    error && *error)
		goto fail;
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *from = o->lines->pdata[i];
		order_line *l = order_line_new();

		l->product_ref = g_strdup(from->product_ref);
		l->customer_ref = g_strdup(from->customer_ref);
		l->description = g_strdup(from->description);
		l->qty_milli = from->qty_milli;
		l->unit_price_cents = from->unit_price_cents;
		l->vat_rate_bp = from->vat_rate_bp;
		l->line_total_cents = from->line_total_cents;
		l->price_by_clerk = from->price_by_clerk;
		g_ptr_array_add(lines, l);
	}
	if (numbering_next(d, NUMBER_ORDER, &new_number, error) < 0)
		goto fail;
	copy = order_draft_new(new_number, c, NULL, lines);
	copy->delivery_date = NULL;
	products = products_now(d, copy, error);
	if (products == NULL)
		goto fail;
	order_recheck(copy, c, FALSE, (const product *const *)products->pdata);
	if (db_order_insert(d, copy, c ? c->id : 0, 0, by, error) < 0)
		goto fail;
	note = g_strdup_printf("copie de %s", o->number);
	if (db_order_note(d, copy->id, ORDER_DRAFT, by, note, error) < 0 || db_commit(d, error) < 0)
		goto fail;
	*said_r = g_strdup_printf("%s : nouveau brouillon, copie de %s (%u ligne(s)) ; à vérifier : "
				  "mailorder show %s\n",
				  copy->number, o->number, copy->lines->len, copy->number);
	*new_number_r = g_steal_pointer(&new_number);
	return 0;
fail:
	db_rollback(d);
	return -1;
}
