#include "orders/order.h"

#include "lib/error.h"
#include "lib/money.h"

#include <string.h>

/* legal[from][to] */
static const gboolean legal[ORDER_CANCELLED + 1][ORDER_CANCELLED + 1] = {
	[ORDER_DRAFT] = { [ORDER_CONFIRMED] = TRUE, [ORDER_REJECTED] = TRUE },
	[ORDER_CONFIRMED] = { [ORDER_PARTIALLY_DELIVERED] = TRUE, [ORDER_DELIVERED] = TRUE,
			      [ORDER_CANCELLED] = TRUE },
	[ORDER_PARTIALLY_DELIVERED] = { [ORDER_DELIVERED] = TRUE, [ORDER_CANCELLED] = TRUE },
	[ORDER_DELIVERED] = { [ORDER_INVOICED] = TRUE },
	[ORDER_INVOICED] = { [ORDER_PAID] = TRUE },
};

gboolean order_transition_allowed(order_state from, order_state to)
{
	return from <= ORDER_CANCELLED && to <= ORDER_CANCELLED && legal[from][to];
}

/* "être annulée": what to does to an order, as a clerk says it. */
static const char *const becoming[ORDER_CANCELLED + 1] = {
	[ORDER_DRAFT] = "redevenir un brouillon",
	[ORDER_CONFIRMED] = "être validée",
	[ORDER_PARTIALLY_DELIVERED] = "être livrée",
	[ORDER_DELIVERED] = "être livrée",
	[ORDER_INVOICED] = "être facturée",
	[ORDER_PAID] = "être payée",
	[ORDER_REJECTED] = "être rejetée",
	[ORDER_CANCELLED] = "être annulée",
};

int order_transition_check(const order *o, order_state to, GError **error)
{
	const char *first = NULL;
	/* "SO0004 est un brouillon", "SO0004 est livrée" */
	g_autofree char *is = o->state == ORDER_DRAFT ? g_strdup("un brouillon")
						      : g_strdup(order_state_fr(o->state));

	if (order_transition_allowed(o->state, to))
		return 0;
	if (o->state == ORDER_DRAFT && (to == ORDER_DELIVERED || to == ORDER_PARTIALLY_DELIVERED ||
					to == ORDER_CANCELLED))
		first = to == ORDER_CANCELLED ? "un brouillon se rejette : mailorder reject"
					      : "validez-la d'abord : mailorder validate";
	else if ((o->state == ORDER_CONFIRMED || o->state == ORDER_PARTIALLY_DELIVERED) &&
		 to == ORDER_INVOICED)
		first = "livrez-la d'abord : mailorder deliver";
	if (first != NULL)
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s est %s : elle ne peut pas %s (%s)",
			    o->number, is, becoming[to], first);
	else
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s est %s : elle ne peut pas %s",
			    o->number, is, becoming[to]);
	return -1;
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

		if (!l->line_total_cents.known)
			continue;
		ht = money_add(ht, l->line_total_cents.value);
		if (!l->vat_rate_bp.known)
			continue;
		sum = g_hash_table_lookup(by_rate, GINT_TO_POINTER((int)l->vat_rate_bp.value));
		if (sum == NULL) {
			sum = g_new0(int64_t, 1);
			g_hash_table_insert(by_rate, GINT_TO_POINTER((int)l->vat_rate_bp.value), sum);
		}
		*sum = money_add(*sum, l->line_total_cents.value);
	}
	g_hash_table_iter_init(&it, by_rate);
	while (g_hash_table_iter_next(&it, &key, &value))
		vat = money_add(vat, money_apply_rate(*(int64_t *)value, GPOINTER_TO_INT(key)));
	o->total_ht_cents = ht;
	o->total_vat_cents = vat;
	o->total_ttc_cents = money_add(ht, vat);
}

static void check_unknown_product(order *o, const order_line *l)
{
	g_ptr_array_add(o->checks,
			order_check_new(CHECK_UNKNOWN_PRODUCT, CHECK_ERROR, l->lineno,
					"produit absent du catalogue : %s%s%s",
					l->customer_ref ? l->customer_ref : "",
					l->customer_ref && l->description ? " " : "",
					l->description ? l->description : ""));
}

order *order_draft_new(const char *number, const customer *c, const char *sender,
		       GPtrArray *lines)
{
	order *o = order_new();

	for (guint i = 0; lines != NULL && i < lines->len; i++) {
		order_line *l = g_ptr_array_steal_index(lines, i--);

		l->lineno = (int)o->lines->len + 1;
		/* what the PO said, kept for the confirmation's differences */
		l->po_lineno = l->lineno;
		l->po_qty_milli = amount_of(l->qty_milli);
		l->po_unit_price_cents = l->unit_price_cents;
		g_ptr_array_add(o->lines, l);
		if (l->product_ref == NULL)
			check_unknown_product(o, l);
	}

	o->number = g_strdup(number);
	o->state = ORDER_DRAFT;
	if (c != NULL) {
		o->customer_ref = g_strdup(c->ref);
		o->customer_name = g_strdup(c->name);
	} else {
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_UNKNOWN_CUSTOMER, CHECK_ERROR, 0,
						"expéditeur inconnu du fichier clients : %s",
						sender ? sender : "adresse absente"));
	}
	if (o->lines->len == 0)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_NO_LINES, CHECK_ERROR, 0,
						"aucune ligne de commande lue dans le document"));
	order_compute_totals(o);
	return o;
}

/* The price a customer with this discount pays: rounded on the net price,
 * or the discount rounded and taken off (both are found on POs); or the
 * list price, the discount left to our invoice. */
static gboolean price_agrees(int64_t printed, int64_t catalogue, int discount_bp)
{
	if (printed == catalogue || printed == catalogue - money_apply_rate(catalogue, discount_bp))
		return TRUE;
	return printed == money_apply_rate(catalogue, 10000 - discount_bp);
}

static void check_price(order *o, const order_line *l, const product *p, int discount_bp)
{
	g_autofree char *printed = NULL;
	g_autofree char *listed = NULL;
	g_autofree char *net = NULL;

	if (!l->unit_price_cents.known ||
	    price_agrees(l->unit_price_cents.value, p->unit_price_cents, discount_bp))
		return;
	printed = money_format_cents_fr(l->unit_price_cents.value);
	listed = money_format_cents_fr(p->unit_price_cents);
	if (discount_bp == 0) {
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_PRICE_MISMATCH, CHECK_WARNING, l->lineno,
						"prix du bon de commande %s €, prix catalogue %s € (%s)",
						printed, listed, p->ref));
		return;
	}
	net = money_format_cents_fr(p->unit_price_cents -
				    money_apply_rate(p->unit_price_cents, discount_bp));
	{
		g_autofree char *rate = money_format_scaled_fr(discount_bp, MONEY_BP);

		g_ptr_array_add(o->checks,
				order_check_new(CHECK_PRICE_MISMATCH, CHECK_WARNING, l->lineno,
						"prix du bon de commande %s €, attendu %s € (catalogue "
						"%s € moins la remise du client de %s %%) (%s)",
						printed, net, listed, rate, p->ref));
	}
}

void order_check_catalogue(order *o, const product *const *products, int discount_bp)
{
	/* product ref -> thousandths ordered over all its lines (by ref: two
	 * lines may hold two copies of one product) */
	g_autoptr(GHashTable) ordered = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GHashTable) reported = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		const product *p = products[i];
		int64_t *sum;

		if (p == NULL)
			continue;
		check_price(o, l, p, discount_bp);
		sum = g_hash_table_lookup(ordered, p->ref);
		if (sum == NULL) {
			sum = g_new0(int64_t, 1);
			g_hash_table_insert(ordered, p->ref, sum);
		}
		*sum = money_add(*sum, l->qty_milli);
	}
	/* Reported on the product's last line: the one that goes beyond. */
	for (guint i = o->lines->len; i-- > 0;) {
		const order_line *l = o->lines->pdata[i];
		const product *p = products[i];
		const int64_t *sum;
		g_autofree char *want = NULL;
		g_autofree char *have = NULL;

		if (p == NULL || g_hash_table_contains(reported, p->ref))
			continue;
		g_hash_table_add(reported, p->ref);
		sum = g_hash_table_lookup(ordered, p->ref);
		if (*sum <= p->stock * 1000)
			continue;
		want = money_format_scaled_fr(*sum, MONEY_MILLI);
		have = money_format_scaled_fr(p->stock * 1000, MONEY_MILLI);
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_STOCK_SHORT, CHECK_WARNING, l->lineno,
						"stock insuffisant pour %s : %s commandé(s), %s en stock%s%s%s",
						p->ref, want, have, p->unit ? " (unité : " : "",
						p->unit ? p->unit : "", p->unit ? ")" : ""));
	}
}

/* VAT as an invoice computes it line by line: the other rounding a PO's
 * total may carry. */
static int64_t vat_per_line(const order *o)
{
	int64_t vat = 0;

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];

		vat = money_add(vat, money_apply_rate(l->line_total_cents.value,
						      (int)l->vat_rate_bp.value));
	}
	return vat;
}

void order_check_totals(order *o, maybe_amount printed_ht_cents, maybe_amount printed_ttc_cents)
{
	/* a line without its total makes the sum of the lines a part only */
	gboolean totals_known = o->lines->len > 0, rates_known = o->lines->len > 0;

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];

		if (!l->line_total_cents.known)
			totals_known = FALSE;
		if (!l->vat_rate_bp.known || !l->line_total_cents.known)
			rates_known = FALSE;
		if (l->unit_price_cents.known && l->line_total_cents.known) {
			int64_t want = money_line_total(l->unit_price_cents.value, l->qty_milli);

			if (want != l->line_total_cents.value) {
				g_autofree char *qty = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
				g_autofree char *pu = money_format_cents_fr(l->unit_price_cents.value);
				g_autofree char *w = money_format_cents_fr(want);
				g_autofree char *got = money_format_cents_fr(l->line_total_cents.value);

				g_ptr_array_add(o->checks,
						order_check_new(CHECK_TOTAL_MISMATCH, CHECK_WARNING, l->lineno,
								"montant de la ligne %s €, mais %s × %s € "
								"= %s €",
								got, qty, pu, w));
			}
		}
	}
	/* the TTC of lines that miss the HT misses it too: said once, by the HT */
	gboolean ht_off = printed_ht_cents.known && totals_known &&
			  printed_ht_cents.value != o->total_ht_cents;

	if (ht_off) {
		g_autofree char *printed = money_format_cents_fr(printed_ht_cents.value);
		g_autofree char *sum = money_format_cents_fr(o->total_ht_cents);

		g_ptr_array_add(o->checks,
				order_check_new(CHECK_TOTAL_MISMATCH, CHECK_WARNING, 0,
						"total HT du bon de commande %s €, somme des lignes "
						"%s €",
						printed, sum));
	}
	if (!ht_off && printed_ttc_cents.known && rates_known &&
	    printed_ttc_cents.value != o->total_ttc_cents &&
	    printed_ttc_cents.value != money_add(o->total_ht_cents, vat_per_line(o))) {
		g_autofree char *printed = money_format_cents_fr(printed_ttc_cents.value);
		g_autofree char *sum = money_format_cents_fr(o->total_ttc_cents);

		g_ptr_array_add(o->checks,
				order_check_new(CHECK_TOTAL_MISMATCH, CHECK_WARNING, 0,
						"total TTC du bon de commande %s €, calculé d'après les "
						"lignes et la TVA du catalogue %s €",
						printed, sum));
	}
}

void order_suggest_product(order *o, int lineno, const product *guess)
{
	for (guint i = 0; i < o->checks->len; i++) {
		order_check *c = o->checks->pdata[i];
		char *more;

		if (c->line != lineno || c->code != CHECK_UNKNOWN_PRODUCT)
			continue;
		more = g_strdup_printf("%s ; le plus proche : %s %s (à confirmer)", c->message,
				       guess->ref, guess->name);
		g_free(c->message);
		c->message = more;
		return;
	}
}

void order_recheck(order *o, const customer *c, gboolean customer_set,
		   const product *const *products)
{
	static const check_code redone[] = {
		CHECK_UNKNOWN_PRODUCT, CHECK_PRICE_MISMATCH, CHECK_STOCK_SHORT, CHECK_TOTAL_MISMATCH,
		CHECK_NO_LINES,
	};

	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];
		gboolean drop = customer_set && (k->code == CHECK_UNKNOWN_CUSTOMER ||
						 k->code == CHECK_CUSTOMER_FROM_DOCUMENT);

		for (size_t r = 0; r < G_N_ELEMENTS(redone) && !drop; r++)
			drop = k->code == redone[r];
		if (drop)
			g_ptr_array_remove_index(o->checks, i--);
	}
	for (guint i = 0; i < o->lines->len; i++) {
		order_line *l = o->lines->pdata[i];

		if (products[i] == NULL) {
			check_unknown_product(o, l);
			continue;
		}
		g_free(l->product_ref);
		l->product_ref = g_strdup(products[i]->ref);
		l->vat_rate_bp = amount_of(products[i]->vat_rate_bp);
	}
	if (o->lines->len == 0)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_NO_LINES, CHECK_ERROR, 0,
						"la commande n'a aucune ligne (ajoutez-en : mailorder "
						"correct %s --add-line PRODUIT QUANTITÉ)",
						o->number ? o->number : ""));
	order_check_catalogue(o, products, c ? c->discount_bp : 0);
	order_compute_totals(o);
	order_check_totals(o, o->printed_ht_cents, o->printed_ttc_cents);
}

void order_check_duplicate_po(order *o, const char *first_number)
{
	g_ptr_array_add(o->checks,
			order_check_new(CHECK_DUPLICATE_ORDER_REF, CHECK_WARNING, 0,
					"le n° de commande %s a déjà été reçu : commande %s",
					o->customer_order_ref, first_number));
}
