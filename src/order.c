#include "order.h"

#include "money.h"

char *order_number_format(int64_t n)
{
	return g_strdup_printf("SO%04" G_GINT64_FORMAT, (gint64)n);
}

void order_compute_totals(order *o)
{
	g_autoptr(GHashTable) by_rate = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
							       g_free);
	GHashTableIter it;
	gpointer key, value;
	int64_t ht = 0, vat = 0;

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		int64_t *sum;

		if (l->line_total_cents < 0)
			continue;
		ht += l->line_total_cents;
		if (l->vat_rate_bp < 0)
			continue;
		sum = g_hash_table_lookup(by_rate, GINT_TO_POINTER(l->vat_rate_bp));
		if (sum == NULL) {
			sum = g_new0(int64_t, 1);
			g_hash_table_insert(by_rate, GINT_TO_POINTER(l->vat_rate_bp), sum);
		}
		*sum += l->line_total_cents;
	}
	g_hash_table_iter_init(&it, by_rate);
	while (g_hash_table_iter_next(&it, &key, &value))
		vat += money_apply_rate(*(int64_t *)value, GPOINTER_TO_INT(key));
	o->total_ht_cents = ht;
	o->total_vat_cents = vat;
	o->total_ttc_cents = ht + vat;
}

order *order_draft_new(const char *number, const customer *c, const char *sender,
		       GPtrArray *lines)
{
	order *o = order_new();

	for (guint i = 0; lines != NULL && i < lines->len; i++) {
		order_line *l = g_ptr_array_steal_index(lines, i--);

		l->lineno = (int)o->lines->len + 1;
		g_ptr_array_add(o->lines, l);
		if (l->product_ref == NULL)
			g_ptr_array_add(o->checks,
					order_check_new(CHECK_UNKNOWN_PRODUCT, "error", l->lineno,
							"produit absent du catalogue : %s%s%s",
							l->customer_ref ? l->customer_ref : "",
							l->customer_ref && l->description ? " " : "",
							l->description ? l->description : ""));
	}

	o->number = g_strdup(number);
	o->state = g_strdup(ORDER_STATE_DRAFT);
	if (c != NULL) {
		o->customer_ref = g_strdup(c->ref);
		o->customer_name = g_strdup(c->name);
	} else {
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_UNKNOWN_CUSTOMER, "error", 0,
						"expéditeur inconnu du fichier clients : %s",
						sender ? sender : "adresse absente"));
	}
	if (o->lines->len == 0)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_NO_LINES, "error", 0,
						"aucune ligne de commande lue dans le document"));
	order_compute_totals(o);
	return o;
}
