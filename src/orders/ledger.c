/* ledger.c: an invoice's totals and journal entry (ledger.h). */
#include "orders/ledger.h"

#include "lib/error.h"
#include "lib/money.h"

static gint by_rate(gconstpointer a, gconstpointer b)
{
	const invoice_vat *x = a, *y = b;

	return (x->rate_bp > y->rate_bp) - (x->rate_bp < y->rate_bp);
}

void ledger_invoice_totals(invoice *inv)
{
	g_array_set_size(inv->vat, 0);
	inv->total_ht_cents = 0;
	inv->total_vat_cents = 0;
	for (guint i = 0; i < inv->lines->len; i++) {
		const invoice_line *l = inv->lines->pdata[i];
		guint k;

		inv->total_ht_cents = money_add(inv->total_ht_cents, l->line_total_cents);
		for (k = 0; k < inv->vat->len; k++) {
			invoice_vat *v = &g_array_index(inv->vat, invoice_vat, k);

			if (v->rate_bp == l->vat_rate_bp) {
				v->base_cents = money_add(v->base_cents, l->line_total_cents);
				break;
			}
		}
		if (k == inv->vat->len) {
			invoice_vat v = { l->vat_rate_bp, l->line_total_cents, 0 };

			g_array_append_val(inv->vat, v);
		}
	}
	g_array_sort(inv->vat, by_rate);
	/* rounded once per rate, as the invoice prints it */
	for (guint k = 0; k < inv->vat->len; k++) {
		invoice_vat *v = &g_array_index(inv->vat, invoice_vat, k);

		v->vat_cents = money_apply_rate(v->base_cents, v->rate_bp);
		inv->total_vat_cents = money_add(inv->total_vat_cents, v->vat_cents);
	}
	inv->total_ttc_cents = money_add(inv->total_ht_cents, inv->total_vat_cents);
}

GPtrArray *ledger_invoice_entry(const config *cfg, const invoice *inv, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)journal_entry_free);
	g_autofree char *label = g_strdup_printf("%s %s", inv->customer_name, inv->number);
	int64_t debit = 0, credit = 0;
	journal_entry *e;

	e = g_new0(journal_entry, 1);
	e->account = g_strdup(inv->account);
	e->debit_cents = inv->total_ttc_cents;
	g_ptr_array_add(lines, e);
	for (guint i = 0; i < inv->vat->len; i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);

		e = g_new0(journal_entry, 1);
		e->account = g_strdup(cfg->accounting.sales_account);
		e->credit_cents = v->base_cents;
		g_ptr_array_add(lines, e);
	}
	for (guint i = 0; i < inv->vat->len; i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);
		const char *account = config_vat_account_of(cfg, v->rate_bp);

		if (v->vat_cents == 0)
			continue;
		if (account == NULL) {
			g_autofree char *rate = money_format_scaled(v->rate_bp, MONEY_BP);

			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "%s : [accounting] vat_accounts n'a pas de compte pour le taux de "
				    "%s %% (ajoutez %s:4457…)", cfg->path, rate, rate);
			return NULL;
		}
		e = g_new0(journal_entry, 1);
		e->account = g_strdup(account);
		e->credit_cents = v->vat_cents;
		g_ptr_array_add(lines, e);
	}
	for (guint i = 0; i < lines->len; i++) {
		e = lines->pdata[i];
		e->journal = g_strdup("VT");
		e->date = g_strdup(inv->date);
		e->piece = g_strdup(inv->number);
		e->label = g_strdup(label);
		debit = money_add(debit, e->debit_cents);
		credit = money_add(credit, e->credit_cents);
	}
	/* the HT per rate and each rate's VAT make the TTC: a broken invariant
	 * if not */
	if (debit != credit) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s : écriture déséquilibrée (débit %" G_GINT64_FORMAT ", crédit %"
			    G_GINT64_FORMAT " centimes)", inv->number, (gint64)debit, (gint64)credit);
		return NULL;
	}
	return g_steal_pointer(&lines);
}

