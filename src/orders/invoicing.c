/* invoicing.c: invoices and their posting (invoicing.h). */
#include "orders/invoicing.h"

#include "lib/crashpoint.h"
#include "lib/dates.h"
#include "lib/error.h"
#include "lib/money.h"
#include "orders/ledger.h"
#include "orders/mailing.h"
#include "orders/numbering.h"
#include "orders/order.h"
#include "orders/terms.h"
#include "store/db_catalog.h"
#include "store/db_chain.h"
#include "store/db_order.h"

#include <stdio.h>
#include <string.h>

/* The invoice's lines from the deliveries not yet invoiced (their ids
 * into ids), VAT per rate, totals. */
static void invoice_fill(invoice *inv, const order *o, const GPtrArray *deliveries, GArray *ids)
{
	g_autoptr(GHashTable) qty = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);

	for (guint i = 0; i < deliveries->len; i++) {
		const order_delivery *dl = deliveries->pdata[i];

		if (dl->invoice_number != NULL)
			continue;
		g_array_append_val(ids, dl->id);
		g_ptr_array_add(inv->deliveries, g_strdup(dl->number));
		for (guint k = 0; k < dl->lines->len; k++) {
			const delivery_line *x = &g_array_index(dl->lines, delivery_line, k);
			int64_t *sum = g_hash_table_lookup(qty, GINT_TO_POINTER(x->lineno));

			if (sum == NULL) {
				sum = g_new0(int64_t, 1);
				g_hash_table_insert(qty, GINT_TO_POINTER(x->lineno), sum);
			}
			*sum += x->qty_milli;
		}
	}
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		const int64_t *sum = g_hash_table_lookup(qty, GINT_TO_POINTER(l->lineno));
		invoice_line *il;

		if (sum == NULL)
			continue;
		il = g_new0(invoice_line, 1);
		il->lineno = (int)inv->lines->len + 1;
		il->order_lineno = l->lineno;
		il->product_ref = g_strdup(l->product_ref);
		il->description = g_strdup(l->description);
		il->unit = g_strdup(l->unit);
		il->qty_milli = *sum;
		il->unit_price_cents = l->unit_price_cents.value;
		il->vat_rate_bp = (int)l->vat_rate_bp.value;
		il->line_total_cents = money_line_total(il->unit_price_cents, il->qty_milli);
		g_ptr_array_add(inv->lines, il);
	}
	ledger_invoice_totals(inv);
}

/* An invoice date: not after today, not before the deliveries it takes,
 * not before the last invoice posted in its year (numbers follow dates). */
static int check_invoice_date(db *d, const invoice *inv, const order *o, const GPtrArray *deliveries,
			      GError **error)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *today = g_date_time_format(now, "%Y-%m-%d");
	g_autofree char *series = g_strndup(inv->date, 4);
	g_autofree char *fa = g_strdup_printf("FA%s", series);
	g_autofree char *last = NULL;
	g_autofree char *when = date_fr(inv->date);

	if (strcmp(inv->date, today) > 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "--date %s : une facture ne se date pas dans l'avenir", when);
		return -1;
	}
	for (guint i = 0; i < deliveries->len; i++) {
		const order_delivery *dl = deliveries->pdata[i];

		if (dl->invoice_number == NULL && strcmp(inv->date, dl->date) < 0) {
			g_autofree char *shipped = date_fr(dl->date);

			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "--date %s : la facture de %s ne peut pas précéder sa livraison %s du %s",
				    when, o->number, dl->number, shipped);
			return -1;
		}
	}
	if (db_invoice_last_date(d, fa, &last, error) < 0)
		return -1;
	if (last != NULL && strcmp(inv->date, last) < 0) {
		g_autofree char *l = date_fr(last);

		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "--date %s : une facture du %s est déjà validée ; les numéros suivent les "
			    "dates : datez-la du %s ou après", when, l, l);
		return -1;
	}
	return 0;
}

/* What the invoice must say of its customer (CONTRACT.md, "Invoices"):
 * NULL, or the fields missing, in French (owned). */
static char *customer_missing(const customer *c)
{
	GString *out = g_string_new(NULL);

	if (c->siret == NULL)
		g_string_append(out, "le SIRET (--siret)");
	if (c->vat == NULL)
		g_string_append_printf(out, "%sle n° de TVA (--vat)", out->len ? ", " : "");
	if (c->billing_address == NULL || c->billing_postcode == NULL || c->billing_city == NULL)
		g_string_append_printf(out, "%sl'adresse de facturation (--billing-address, "
					    "--billing-postcode, --billing-city)",
				       out->len ? " et " : "");
	return g_string_free(out, out->len == 0);
}

int order_invoice(const filing *f, const char *number, gboolean partial, gboolean redo,
		  const char *date, const char *by, char **said_r, GError **error)
{
	db *d = f->d;
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) deliveries = NULL;
	g_autoptr(invoice) inv = invoice_new();
	g_autoptr(invoice) draft = NULL;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	payment_terms terms;
	const char *why = NULL;

	*said_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	o = db_order_named(d, number, error);
	if (o == NULL)
		goto fail;
	if (o->state == ORDER_DRAFT || o->state == ORDER_REJECTED || o->state == ORDER_CONFIRMED) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s est %s : rien n'est livré, rien à "
			    "facturer%s", o->number, order_state_fr(o->state),
			    o->state == ORDER_CONFIRMED ? " (livrez d'abord : mailorder deliver)" : "");
		goto fail;
	}
	if (o->state == ORDER_PARTIALLY_DELIVERED && !partial) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s est livrée en partie : la facture vient quand tout est livré, ou "
			    "pour ce qui l'est déjà avec --partial",
			    o->number);
		goto fail;
	}
	draft = db_invoice_of_order(d, o->number, TRUE, error);
	if (draft == NULL && error && *error)
		goto fail;
	if (draft != NULL && !redo) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s a déjà une facture en brouillon : validez-la (mailorder invoice post "
			    "%s), ou refaites-la (mailorder invoice %s --redo)",
			    o->number, o->number, o->number);
		goto fail;
	}
	if (draft != NULL && db_invoice_delete_draft(d, draft->id, error) < 0)
		goto fail;
	deliveries = db_order_deliveries(d, o->id, error);
	if (deliveries == NULL)
		goto fail;
	/* what there is to invoice first: the customer file's gaps matter
	 * only when there is something */
	inv->order_id = o->id;
	invoice_fill(inv, o, deliveries, ids);
	if (inv->lines->len == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : %s", o->number,
			    deliveries->len == 0 ? "rien n'a été livré, rien à facturer"
						 : "tout ce qui est livré est déjà facturé");
		goto fail;
	}
	c = o->customer_ref ? db_customer_by_ref(d, o->customer_ref, error) : NULL;
	if (c == NULL) {
		if (error == NULL || *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : son client n'est plus dans "
				    "le fichier clients", o->number);
		goto fail;
	}
	if (c->account == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s %s n'a pas de compte client (411…) : il ne peut pas être facturé ; "
			    "donnez-lui-en un : mailorder customer edit %s --account 411…",
			    c->ref, c->name, c->ref);
		goto fail;
	}
	{
		g_autofree char *missing = customer_missing(c);

		if (missing != NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s %s : il manque à sa fiche, pour la facture, %s (mailorder "
				    "customer edit %s …)", c->ref, c->name, missing, c->ref);
			goto fail;
		}
	}
	if (payment_terms_parse(c->payment_terms, &terms, &why) < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s : conditions de paiement « %s » : %s (mailorder customer edit %s "
			    "--payment-terms …)", c->ref, c->payment_terms, why, c->ref);
		goto fail;
	}
	inv->account = g_strdup(c->account);
	inv->date = date ? g_strdup(date) : g_date_time_format(now, "%Y-%m-%d");
	inv->due_date = payment_terms_due(&terms, inv->date);
	inv->payment_terms = payment_terms_fr(&terms);
	if (check_invoice_date(d, inv, o, deliveries, error) < 0)
		goto fail;
	if (inv->due_date == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "--date %s : pas une date", inv->date);
		goto fail;
	}
	if (db_invoice_insert(d, inv, c->id, ids, by, error) < 0 ||
	    db_order_note(d, o->id, o->state, by, "facture en brouillon", error) < 0 ||
	    db_commit(d, error) < 0)
		goto fail;
	{
		g_autofree char *ht = money_format_cents_fr(inv->total_ht_cents);
		g_autofree char *ttc = money_format_cents_fr(inv->total_ttc_cents);
		g_autofree char *due = date_fr(inv->due_date);

		*said_r = g_strdup_printf("facture de %s en brouillon : %u ligne(s), %s € HT, %s € TTC, "
					  "échéance %s (%s)\n"
					  "à vérifier puis valider : mailorder invoice post %s\n",
					  o->number, inv->lines->len, ht, ttc, due,
					  inv->payment_terms, o->number);
	}
	return 0;
fail:
	db_rollback(d);
	return -1;
}

int invoice_post(const filing *f, const char *ref, const char *by, char **said_r,
		 GError **error)
{
	db *d = f->d;
	g_autoptr(invoice) inv = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) entry = NULL;
	g_autoptr(GPtrArray) deliveries = NULL;
	g_autofree char *number = NULL;
	g_autofree char *last = NULL;
	g_autofree char *series = NULL;
	g_autofree char *rel = NULL;
	g_autofree char *mail_id = NULL;
	const char *no_mail = NULL;
	int year = 0, queued = 1;

	*said_r = NULL;
	if (config_require_company(f->cfg, TRUE, error) < 0 || db_begin(d, error) < 0)
		return -1;
	inv = db_invoice_get(d, ref, error);
	if (inv == NULL && (error == NULL || *error == NULL))
		inv = db_invoice_of_order(d, ref, TRUE, error);
	if (inv == NULL) {
		if (error == NULL || *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s : pas de facture en brouillon à valider (faites-la d'abord : "
				    "mailorder invoice %s ; les factures : mailorder invoices)", ref, ref);
		goto fail;
	}
	if (inv->state != INVOICE_DRAFT) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s est déjà validée%s%s : une facture "
			    "validée ne change plus", inv->number,
			    inv->state == INVOICE_POSTED ? "" : " et ",
			    inv->state == INVOICE_POSTED ? "" : invoice_state_fr(inv->state));
		goto fail;
	}
	o = db_order_named(d, inv->order_number, error);
	if (o == NULL)
		goto fail;
	if ((c = db_customer_by_ref(d, inv->customer_ref, error)) == NULL) {
		if (error == NULL || *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : son client n'est plus dans "
				    "le fichier clients", inv->order_number);
		goto fail;
	}
	if (sscanf(inv->date, "%4d", &year) != 1) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "la facture de %s a une date illisible "
			    "(« %s »)", inv->order_number, inv->date);
		goto fail;
	}
	series = g_strdup_printf("FA%04d", year);
	if (db_invoice_last_date(d, series, &last, error) < 0)
		goto fail;
	/* numbers follow dates: an invoice dated before the last one posted
	 * would break the series' order */
	if (last != NULL && strcmp(inv->date, last) < 0) {
		g_autofree char *mine = date_fr(inv->date);
		g_autofree char *theirs = date_fr(last);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "la facture de %s est datée du %s, avant la dernière validée (du %s) : les "
			    "numéros suivent les dates ; refaites-la à aujourd'hui : mailorder invoice "
			    "%s --redo%s", inv->order_number, mine, theirs, inv->order_number,
			    o->state == ORDER_PARTIALLY_DELIVERED ? " --partial" : "");
		goto fail;
	}
	if (numbering_next_invoice(d, year, &number, error) < 0 ||
	    db_invoice_post(d, inv, number, error) < 0)
		goto fail;
	crashpoint("post-numbered");
	entry = ledger_invoice_entry(f->cfg, inv, error);
	if (entry == NULL)
		goto fail;
	for (guint i = 0; i < entry->len; i++) {
		if (db_entry_insert(d, entry->pdata[i], inv->id, error) < 0)
			goto fail;
	}
	{
		/* the order is invoiced when all of it is delivered and invoiced */
		gboolean all = o->state == ORDER_DELIVERED;
		g_autofree char *note = g_strdup_printf("facture %s validée", number);

		for (guint i = 0; all && i < o->lines->len; i++) {
			const order_line *l = o->lines->pdata[i];

			if (l->invoiced_milli < l->qty_milli)
				all = FALSE;
		}
		if ((all ? db_order_transition(d, o->id, o->state, ORDER_INVOICED, by, note, NULL, error)
			 : db_order_note(d, o->id, o->state, by, note, error)) < 0)
			goto fail;
	}
	deliveries = db_order_deliveries(d, o->id, error);
	if (deliveries == NULL || filing_invoice(f, c, o, inv, deliveries, &rel, error) < 0)
		goto fail;
	{
		/* the invoice, then the delivery notes it covers */
		g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

		g_ptr_array_add(files, g_strdup(rel));
		for (guint i = 0; i < inv->deliveries->len; i++) {
			g_autofree char *type = NULL;
			g_autoptr(GBytes) values = NULL;
			char *file = NULL;

			if (db_filed_get(d, inv->deliveries->pdata[i], &type, &file, &values, error) < 0)
				goto fail;
			if (file != NULL)
				g_ptr_array_add(files, file);
		}
		g_ptr_array_add(files, NULL);
		queued = mailing_queue(f, MAIL_INVOICE, c, o, inv, (const char *const *)files->pdata,
				       &mail_id, &no_mail, error);
		if (queued < 0)
			goto fail;
	}
	crashpoint("post-filed");
	if (archive_sync(f->a, error) < 0 || db_commit(d, error) < 0)
		goto fail;
	{
		g_autofree char *path = archive_path(f->a, rel);
		g_autofree char *ttc = money_format_cents_fr(inv->total_ttc_cents);

		g_autofree char *mail = queued == 0
			? g_strdup("courriel au client préparé, avec la facture et ses bons de livraison "
				   "joints, en attente d'envoi (mailorder outbox)")
			: g_strdup_printf("pas de courriel au client : %s ; envoyez-lui ce PDF "
					  "vous-même", no_mail);

		*said_r = g_strdup_printf("%s : facture de %s validée, %s € TTC, écriture passée au "
					  "journal VT (%u ligne(s))\nfacture : %s\n%s\n",
					  number, o->number, ttc, entry->len, path, mail);
	}
	return 0;
fail:
	db_rollback(d);
	if (rel != NULL)
		archive_remove(f->a, rel, NULL);
	return -1;
}
