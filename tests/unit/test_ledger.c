/* ledger: an invoice's VAT per rate, rounded once per rate, its totals,
 * and its journal entry balancing to the cent. */
#include "orders/ledger.h"
#include "lib/error.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static void add_line(invoice *inv, int64_t total_cents, int rate_bp)
{
	invoice_line *l = g_new0(invoice_line, 1);

	l->lineno = (int)inv->lines->len + 1;
	l->line_total_cents = total_cents;
	l->vat_rate_bp = rate_bp;
	l->qty_milli = 1000;
	l->unit_price_cents = total_cents;
	g_ptr_array_add(inv->lines, l);
}

/* "550:9728:535 2000:...": the VAT array. */
static char *vat_of(const invoice *inv)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < inv->vat->len; i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);

		g_string_append_printf(out, "%s%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, i ? " " : "",
				       v->rate_bp, (gint64)v->base_cents, (gint64)v->vat_cents);
	}
	return g_string_free(out, FALSE);
}

static config *test_config(void)
{
	config *cfg = g_new0(config, 1);
	config_vat_account v[] = { { 550, g_strdup("445711") }, { 2000, g_strdup("445713") } };

	cfg->path = g_strdup("test.conf");
	cfg->accounting.sales_account = g_strdup("707000");
	cfg->accounting.vat_accounts = g_array_new(FALSE, FALSE, sizeof(config_vat_account));
	g_array_append_vals(cfg->accounting.vat_accounts, v, 2);
	return cfg;
}

static void free_test_config(config *cfg)
{
	for (guint i = 0; i < cfg->accounting.vat_accounts->len; i++)
		g_free(g_array_index(cfg->accounting.vat_accounts, config_vat_account, i).account);
	g_array_set_size(cfg->accounting.vat_accounts, 0);
	config_free(cfg);
}

int main(void)
{
	config *cfg = test_config();

	{
		/* three lines of 9 c at 5.5 %: rounded line by line, 0.495 c gives 0
		 * three times; rounded once on the rate's 27 c, 1.485 c gives 1 */
		g_autoptr(invoice) inv = invoice_new();
		g_autofree char *vat = NULL;

		add_line(inv, 9, 550);    /* 0.495 c -> would round to 0 or 1 alone */
		add_line(inv, 9, 550);
		add_line(inv, 9, 550);
		ledger_invoice_totals(inv);
		vat = vat_of(inv);
		is_str(vat, "550:27:1", "VAT on the sum of the rate's lines, rounded once (27 × 5,5 %% = 1,485 c -> 1)");
		is_int(inv->total_ttc_cents, 28, "TTC = HT + VAT");
	}
	{
		g_autoptr(invoice) inv = invoice_new();
		g_autofree char *vat = NULL;

		add_line(inv, 4032, 550);
		add_line(inv, 4640, 550);
		add_line(inv, 1728, 550);
		add_line(inv, 3560, 2000);
		add_line(inv, 1250, 2000);
		add_line(inv, 100, 0);
		ledger_invoice_totals(inv);
		vat = vat_of(inv);
		is_str(vat, "0:100:0 550:10400:572 2000:4810:962", "by increasing rate, each rounded once");
		is_int(inv->total_ht_cents, 15310, "HT");
		is_int(inv->total_vat_cents, 1534, "VAT, the sum of the rates'");
		is_int(inv->total_ttc_cents, 16844, "TTC");
		inv->number = g_strdup("FA2026-0007");
		inv->date = g_strdup("2026-11-30");
		inv->account = g_strdup("411JARDI");
		inv->customer_name = g_strdup("Les Jardins de Léa");
		{
			g_autoptr(GError) e = NULL;
			g_autoptr(GPtrArray) entry = ledger_invoice_entry(cfg, inv, &e);
			g_autoptr(GString) lines = g_string_new(NULL);
			int64_t debit = 0, credit = 0;

			ok(entry != NULL, "the entry is made");
			for (guint i = 0; entry != NULL && i < entry->len; i++) {
				const journal_entry *x = entry->pdata[i];

				g_string_append_printf(lines, "%s%s %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
						       i ? " | " : "", x->journal, x->account,
						       (gint64)x->debit_cents, (gint64)x->credit_cents);
				debit += x->debit_cents;
				credit += x->credit_cents;
				if (strcmp(x->piece, "FA2026-0007") != 0 || strcmp(x->date, "2026-11-30") != 0 ||
				    strcmp(x->label, "Les Jardins de Léa FA2026-0007") != 0)
					ok(0, "line %u: piece, date and label", i);
			}
			ok(entry == NULL || entry->len == 0 ||
				   strcmp(((journal_entry *)entry->pdata[0])->account, "411JARDI") == 0,
			   "the customer's account first");
			/* the 0 % rate has no VAT account and needs none: no VAT, no line */
			is_str(lines->str,
			       "VT 411JARDI 16844/0 | VT 707000 0/100 | VT 707000 0/10400 | VT 707000 0/4810 | "
			       "VT 445711 0/572 | VT 445713 0/962",
			       "debit 411 TTC; credit sales HT per rate and each rate's VAT");
			is_int(debit, credit, "debits equal credits, to the cent");
		}
	}
	{
		g_autoptr(invoice) inv = invoice_new();
		g_autoptr(GError) e = NULL;
		g_autoptr(GPtrArray) entry = NULL;

		add_line(inv, 1000, 1000);  /* 10 %: no account in this config */
		ledger_invoice_totals(inv);
		inv->number = g_strdup("FA2026-0008");
		inv->date = g_strdup("2026-11-30");
		inv->account = g_strdup("411JARDI");
		inv->customer_name = g_strdup("X");
		entry = ledger_invoice_entry(cfg, inv, &e);
		ok(entry == NULL && e != NULL && e->code == MO_ERROR_INVALID &&
			   strstr(e->message, "vat_accounts n'a pas de compte pour le taux de 10 %") != NULL,
		   "a rate without its VAT account: refused, naming the rate and the key");
		if (e != NULL)
			tap_diag("%s", e->message);
	}
	{
		/* a large invoice: nothing overflows or drifts */
		g_autoptr(invoice) inv = invoice_new();

		for (int i = 0; i < 1000; i++)
			add_line(inv, 99999999, i % 2 ? 2000 : 550);
		ledger_invoice_totals(inv);
		is_int(inv->total_ht_cents, (int64_t)99999999 * 1000, "1000 lines of 999 999,99 €: HT exact");
		is_int(inv->total_vat_cents,
		       (int64_t)(99999999LL * 500 * 550 + 5000) / 10000 + (int64_t)(99999999LL * 500 * 2000 + 5000) / 10000,
		       "  VAT exact");
	}
	free_test_config(cfg);
	return tap_done();
}
