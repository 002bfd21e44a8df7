/* layouts.c: a sender's layout learned from corrections (layouts.h). */
#include "orders/layouts.h"

#include "orders/customers.h"
#include "reading/document.h"
#include "store/db_catalog.h"
#include "store/db_order.h"

#include <string.h>

static gint by_value(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The middle of xs (sorted in place). */
static double median(GArray *xs)
{
	g_array_sort(xs, by_value);
	return g_array_index(xs, double, xs->len / 2);
}

int layouts_learn(const config *cfg, db *d, const char *number, guard *g, char **said_r,
		  GError **error)
{
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(document_reading) doc = NULL;
	g_autofree char *sender = NULL;
	g_autoptr(GArray) qty_xs = g_array_new(FALSE, FALSE, sizeof(double));
	g_autoptr(GArray) price_xs = g_array_new(FALSE, FALSE, sizeof(double));
	int commas = 0, dots = 0;
	guint candidates = 0;
	learned_layout ll = { 0 };

	*said_r = NULL;
	o = db_order_get(d, number, error);
	if (o == NULL)
		return -1;
	if (o->customer_ref == NULL)
		return 0;   /* correct --customer first: it says so */
	c = db_customer_by_ref(d, o->customer_ref, error);
	if (c == NULL)
		return error && *error ? -1 : 0;
	if (customers_read_order_document(cfg, d, o, g, &sender, &doc, error) < 0)
		return -1;
	if (doc == NULL || sender == NULL || !reading_by_generic(doc->reading, "lines"))
		return 0;
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		/* as printed: their reference, ours (a line the clerk added),
		 * the description */
		const char *keys[] = { l->customer_ref, l->product_ref, l->description };
		reader_columns at;
		gboolean found = FALSE;

		/* the clerk's lines only (corrected or added: no confidence
		 * left); the others hold what the reader found where it found
		 * it, right or wrong */
		if (l->confidence >= 0 || !l->unit_price_cents.known || l->qty_milli <= 0)
			continue;
		candidates++;
		/* the values are the clerk's: a number's double is only a key
		 * to find its printed form by */
		for (size_t k = 0; k < G_N_ELEMENTS(keys) && !found; k++)
			found = reader_find_row(doc->layout, keys[k], (double)l->qty_milli / 1000.0,
						(double)l->unit_price_cents.value / 100.0, &at);
		if (!found)
			continue;
		g_array_append_val(qty_xs, at.qty_x);
		g_array_append_val(price_xs, at.price_x);
		commas += at.decimal_mark == ',';
		dots += at.decimal_mark == '.';
	}
	/* half the lines at least, two when there are more than two: one
	 * row may stand anywhere by chance */
	if (qty_xs->len == 0 || qty_xs->len * 2 < candidates ||
	    (candidates > 2 && qty_xs->len < 2)) {
		*said_r = g_strdup_printf("mise en page non retenue : %u ligne%s sur %u retrouvée%s "
					  "dans le document, trop peu pour savoir où sont ses "
					  "colonnes\n",
					  qty_xs->len, qty_xs->len > 1 ? "s" : "", candidates,
					  qty_xs->len > 1 ? "s" : "");
		return 0;
	}
	ll.qty_x = median(qty_xs);
	ll.price_x = median(price_xs);
	ll.decimal_mark = commas > dots ? ',' : dots > commas ? '.' : 0;
	ll.rows = (int)qty_xs->len;
	if (db_begin(d, error) < 0)
		return -1;
	if (db_learn_layout(d, sender, c->id, &ll, o->number, error) < 0 || db_commit(d, error) < 0) {
		db_rollback(d);
		return -1;
	}
	*said_r = g_strdup_printf("retenu pour les prochains bons de %s : la mise en page (quantités "
				  "vers x = %.0f, prix vers x = %.0f%s), d'après %d ligne%s "
				  "(mailorder learned list la montre, learned remove l'oublie)\n",
				  sender, ll.qty_x, ll.price_x,
				  ll.decimal_mark == ','   ? ", virgule décimale"
				  : ll.decimal_mark == '.' ? ", point décimal"
							   : "",
				  ll.rows, ll.rows > 1 ? "s" : "");
	return 0;
}
