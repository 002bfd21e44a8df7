/* order: the checks a draft carries, and its totals, to the cent. */
#include "orders/order.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static product *item(const char *ref, int64_t price, int vat_bp, int64_t stock)
{
	product *p = product_new();

	p->ref = g_strdup(ref);
	p->name = g_strdup(ref);
	p->unit_price_cents = price;
	p->vat_rate_bp = vat_bp;
	p->stock = stock;
	p->unit = g_strdup("pièce");
	return p;
}

/* A PO line as read: its price and total as printed (-1: absent). */
static order_line *po_line(const product *p, int64_t qty_milli, int64_t price, int64_t total)
{
	order_line *l = order_line_new();

	l->product_ref = p ? g_strdup(p->ref) : NULL;
	l->description = g_strdup("article");
	l->qty_milli = qty_milli;
	l->unit_price_cents = price >= 0 ? amount_of(price) : AMOUNT_ABSENT;
	l->vat_rate_bp = p ? amount_of(p->vat_rate_bp) : AMOUNT_ABSENT;
	l->line_total_cents = total >= 0   ? amount_of(total)
			      : price >= 0 ? amount_of(qty_milli * price / 1000)
					   : AMOUNT_ABSENT;
	return l;
}

/* "price_mismatch@2 stock_short@1": the checks, in order, with their line. */
static char *codes(const order *o)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *c = o->checks->pdata[i];

		g_string_append_printf(out, "%s%s@%d", out->len ? " " : "", check_code_name(c->code), c->line);
	}
	return g_string_free(out, FALSE);
}

static customer *client(int discount_bp)
{
	customer *c = customer_new();

	c->ref = g_strdup("CLI381");
	c->name = g_strdup("Cocon des Sens");
	c->discount_bp = discount_bp;
	return c;
}

/* The draft for these lines and products, checked against the catalogue
 * and its printed totals (-1: not printed); its check codes. */
static char *checked(const customer *c, const product *const *products, order_line **lines,
		     size_t n, int64_t printed_ht, int64_t printed_ttc, order **o_r)
{
	g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	order *o;

	for (size_t i = 0; i < n; i++)
		g_ptr_array_add(taken, lines[i]);
	o = order_draft_new("SO0001", c, "achats@example.fr", taken);
	order_check_catalogue(o, products, c ? c->discount_bp : 0);
	order_check_totals(o, printed_ht >= 0 ? amount_of(printed_ht) : AMOUNT_ABSENT,
			   printed_ttc >= 0 ? amount_of(printed_ttc) : AMOUNT_ABSENT);
	*o_r = o;
	return codes(o);
}

/* Each enum's words: every value has its own, read back to itself; a word
 * that is none is refused. */
static void test_words(void)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	int bad = 0;

	for (int s = ORDER_DRAFT; s <= ORDER_CANCELLED; s++) {
		order_state back;

		bad += !order_state_parse(order_state_name(s), &back) || back != (order_state)s ||
		       !g_hash_table_add(seen, (gpointer)order_state_name(s)) ||
		       order_state_fr(s)[0] == '\0';
	}
	for (int c = CHECK_UNKNOWN_CUSTOMER; c <= CHECK_PAGES_NOT_READ; c++) {
		check_code back;

		bad += !check_code_parse(check_code_name(c), &back) || back != (check_code)c ||
		       !g_hash_table_add(seen, (gpointer)check_code_name(c)) ||
		       check_code_label_fr(c)[0] == '\0';
	}
	for (int v = CHECK_ERROR; v <= CHECK_INFO; v++) {
		check_severity back;

		bad += !check_severity_parse(check_severity_name(v), &back) ||
		       back != (check_severity)v;
	}
	for (int r = QR_NO_ORDER_DOCUMENT; r <= QR_NOT_READ; r++) {
		quarantine_reason back;

		bad += !quarantine_reason_parse(quarantine_reason_name(r), &back) ||
		       back != (quarantine_reason)r;
	}
	is_int(bad, 0, "every state, check code, severity and quarantine reason has its word, "
		       "read back to itself");
	is_str(order_state_name(ORDER_PARTIALLY_DELIVERED), "partially_delivered",
	       "a state's word is the contract's");
	is_str(check_code_name(CHECK_DUPLICATE_ORDER_REF), "duplicate_order_ref",
	       "so is a check code's");
	is_str(quarantine_reason_name(QR_NOT_PDF), "not_pdf", "and a quarantine reason's");
	is_str(order_state_fr(ORDER_CANCELLED), "annulée", "a state in French");
	{
		order_state st = ORDER_PAID;
		check_code cc = CHECK_NO_LINES;
		quarantine_reason qr = QR_DUPLICATE;

		ok(!order_state_parse("livree", &st) && st == ORDER_PAID &&
			   !order_state_parse(NULL, &st) && !check_code_parse("Stock_Short", &cc) &&
			   cc == CHECK_NO_LINES && !quarantine_reason_parse("", &qr) && qr == QR_DUPLICATE,
		   "a word that is none is refused, and the value left as it was");
	}
	g_hash_table_unref(seen);
}

/* The contract's table of order states, cell by cell. */
static void test_transitions(void)
{
	static const char *const legal[] = {
		"draft>confirmed", "draft>rejected", "confirmed>partially_delivered",
		"confirmed>delivered", "confirmed>cancelled", "partially_delivered>delivered",
		"partially_delivered>cancelled", "delivered>invoiced", "invoiced>paid",
	};
	int wrong = 0, allowed = 0;

	for (int from = ORDER_DRAFT; from <= ORDER_CANCELLED; from++) {
		for (int to = ORDER_DRAFT; to <= ORDER_CANCELLED; to++) {
			g_autofree char *pair = g_strdup_printf("%s>%s", order_state_name(from),
								order_state_name(to));
			gboolean want = FALSE;

			for (size_t i = 0; i < G_N_ELEMENTS(legal); i++)
				want |= strcmp(legal[i], pair) == 0;
			allowed += order_transition_allowed(from, to);
			if (order_transition_allowed(from, to) != want) {
				tap_diag("%s: %s", pair, want ? "refused" : "allowed");
				wrong++;
			}
		}
	}
	is_int(wrong, 0, "each of the 64 pairs of states allowed or refused as the contract says");
	is_int(allowed, (int)G_N_ELEMENTS(legal), "nine transitions in all");
	ok(!order_transition_allowed(ORDER_DELIVERED, ORDER_CANCELLED) &&
		   !order_transition_allowed(ORDER_REJECTED, ORDER_DRAFT) &&
		   !order_transition_allowed(ORDER_PAID, ORDER_PAID),
	   "a delivered order is not cancelled; rejected and paid are ends");
}

/* A refused transition: one French line naming the order, its state,
 * what it cannot be, and the step it needs first where there is one. */
static void test_transition_refusals(void)
{
	order o = { 0 };
	GError *e = NULL;

	o.number = (char *)"SO0004";
	o.state = ORDER_DELIVERED;
	ok(order_transition_check(&o, ORDER_CANCELLED, &e) < 0, "delivered -> cancelled refused");
	is_str(e ? e->message : NULL, "SO0004 est livrée : elle ne peut pas être annulée",
	       "  in the clerk's words");
	g_clear_error(&e);
	o.state = ORDER_DRAFT;
	order_transition_check(&o, ORDER_DELIVERED, &e);
	is_str(e ? e->message : NULL,
	       "SO0004 est un brouillon : elle ne peut pas être livrée (validez-la d'abord : mailorder "
	       "validate)", "a draft cannot be delivered: validate it first");
	g_clear_error(&e);
	o.state = ORDER_CONFIRMED;
	order_transition_check(&o, ORDER_INVOICED, &e);
	is_str(e ? e->message : NULL,
	       "SO0004 est confirmée : elle ne peut pas être facturée (livrez-la d'abord : mailorder "
	       "deliver)", "a confirmed order is delivered before it is invoiced");
	g_clear_error(&e);
	ok(order_transition_check(&o, ORDER_CANCELLED, &e) == 0 && e == NULL,
	   "a legal one passes, no error set");
}

int main(void)
{
	test_words();
	test_transitions();
	test_transition_refusals();
	g_autoptr(product) creme = item("BIO-1034", 1250, 2000, 40);   /* 12,50 € at 20 % */
	g_autoptr(product) farine = item("BIO-1001", 345, 550, 20);   /* 3,45 € at 5.5 % */
	g_autoptr(product) jus = item("BIO-1021", 320, 1000, 0);      /* 3,20 € at 10 %, none left */
	g_autoptr(customer) plain = client(0);
	g_autoptr(customer) discounted = client(250);

	{
		const product *ps[] = { farine, creme, jus };
		order_line *ls[] = { po_line(farine, 12000, 345, -1), po_line(creme, 2000, 1250, -1),
				     po_line(jus, 1000, 320, -1) };
		g_autoptr(order) o = NULL;
		/* 41,40 + 25,00 + 3,20 = 69,60 HT; VAT 2,28 + 5,00 + 0,32 */
		g_autofree char *got = checked(plain, ps, ls, 3, 6960, 6960 + 228 + 500 + 32, &o);

		is_str(got, "stock_short@3", "catalogue prices and totals agree: only the stock is short");
		is_int(o->total_ht_cents, 6960, "total HT is the sum of the lines");
		is_int(o->total_vat_cents, 760, "VAT per rate: 2,28 + 5,00 + 0,32");
		is_int(o->total_ttc_cents, 7720, "TTC");
	}
	{
		const product *ps[] = { creme };
		order_line *ls[] = { po_line(creme, 12000, 1219, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(discounted, ps, ls, 1, -1, -1, &o);

		is_str(got, "", "12,50 less 2,5 %% = 12,19 printed: no price_mismatch");
	}
	{
		const product *ps[] = { creme };
		order_line *ls[] = { po_line(creme, 12000, 1250, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(discounted, ps, ls, 1, -1, -1, &o);

		is_str(got, "", "a discounted customer printing the list price: the discount is ours to apply");
	}
	{
		const product *ps[] = { creme };
		order_line *ls[] = { po_line(creme, 12000, 1200, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(discounted, ps, ls, 1, -1, -1, &o);
		const order_check *c = o->checks->pdata[0];

		is_str(got, "price_mismatch@1", "a discounted customer printing a price below its net price");
		ok(strstr(c->message, "12,19") && strstr(c->message, "2,5 %"),
		   "  the message says the price expected and the discount: %s", c->message);
	}
	{
		/* 3,45 less 2,5 %: 0,08625 off: 3,36 (discount rounded off) or
		 * 3,36375 -> 3,36 (net rounded); both roundings are accepted */
		const product *ps[] = { farine };
		order_line *ls[] = { po_line(farine, 1000, 336, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(discounted, ps, ls, 1, -1, -1, &o);

		is_str(got, "", "a net price rounded to the cent");
	}
	{
		const product *ps[] = { farine, NULL };
		order_line *ls[] = { po_line(farine, 2000, 355, -1), po_line(NULL, 1000, 500, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 2, -1, -1, &o);

		is_str(got, "unknown_product@2 price_mismatch@1",
		       "an old price is a price_mismatch; a line not in the catalogue is not checked");
	}
	{
		const product *ps[] = { farine, farine };
		order_line *ls[] = { po_line(farine, 12000, 345, -1), po_line(farine, 12000, 345, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 2, -1, -1, &o);

		is_str(got, "stock_short@2", "two lines of one product together beyond its stock of 20");
	}
	{
		const product *ps[] = { farine };
		order_line *ls[] = { po_line(farine, 20000, 345, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 1, -1, -1, &o);

		is_str(got, "", "exactly the stock is not short");
	}
	{
		const product *ps[] = { farine, creme };
		order_line *ls[] = { po_line(farine, 12000, 345, 4410), po_line(creme, 2000, 1250, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 2, 6910, -1, &o);
		const order_check *c = o->checks->pdata[0];

		is_str(got, "total_mismatch@1", "a line total that is not qty x price");
		ok(strstr(c->message, "44,10") && strstr(c->message, "41,40"),
		   "  the message gives both: %s", c->message);
		is_int(o->total_ht_cents, 6910, "the total is the lines' as printed (the clerk decides)");
	}
	{
		const product *ps[] = { farine };
		order_line *ls[] = { po_line(farine, 12000, 345, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 1, 4140 + 100, -1, &o);

		is_str(got, "total_mismatch@0", "a printed total HT one euro off");
	}
	{
		/* three lines at 5.5 %: 1,15 each: VAT per line 0,06 x 3 = 0,18,
		 * per rate 3,45 x 5.5 % = 0,19: a PO may print either */
		const product *ps[] = { farine, farine, farine };
		order_line *ls[] = { po_line(farine, 1000, 115, -1), po_line(farine, 1000, 115, -1),
				     po_line(farine, 1000, 115, -1) };
		g_autoptr(order) o1 = NULL;
		g_autoptr(order) o2 = NULL;
		g_autoptr(order) o3 = NULL;
		g_autofree char *per_rate = NULL;
		g_autofree char *per_line = NULL;
		g_autofree char *neither = NULL;

		per_rate = checked(plain, ps, ls, 3, 345, 345 + 19, &o1);
		is_str(per_rate, "price_mismatch@1 price_mismatch@2 price_mismatch@3",
		       "TTC with VAT rounded per rate agrees");
		{
			order_line *ls2[] = { po_line(farine, 1000, 115, -1), po_line(farine, 1000, 115, -1),
					      po_line(farine, 1000, 115, -1) };

			per_line = checked(plain, ps, ls2, 3, 345, 345 + 18, &o2);
		}
		is_str(per_line, "price_mismatch@1 price_mismatch@2 price_mismatch@3",
		       "TTC with VAT rounded per line agrees");
		{
			order_line *ls3[] = { po_line(farine, 1000, 115, -1), po_line(farine, 1000, 115, -1),
					      po_line(farine, 1000, 115, -1) };

			neither = checked(plain, ps, ls3, 3, 345, 345 + 17, &o3);
		}
		is_str(neither,
		       "price_mismatch@1 price_mismatch@2 price_mismatch@3 total_mismatch@0",
		       "a TTC one cent below both is a total_mismatch");
	}
	{
		const product *ps[] = { NULL };
		order_line *ls[] = { po_line(NULL, 1000, 500, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(NULL, ps, ls, 1, 500, 999, &o);

		is_str(got, "unknown_product@1 unknown_customer@0",
		       "TTC not checked when a line's VAT rate is unknown");
	}
	{
		/* a line whose price and total were not read: the lines' sum is
		 * a part of the order only */
		const product *ps[] = { farine, farine };
		order_line *ls[] = { po_line(farine, 1000, 345, -1), po_line(farine, 1000, -1, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 2, 690, -1, &o);

		is_str(got, "", "a printed total is not compared with a sum that lacks a line");
	}
	{
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, NULL, NULL, 0, 1000, 1200, &o);

		is_str(got, "no_lines@0", "no lines: the printed totals are not compared to nothing");
	}
	{
		/* A return: a line of minus two, its total and the order's
		 * negative, the VAT rounded half away from zero like any. */
		g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
		g_autoptr(order) o = NULL;
		order_line *l = order_line_new();

		l->lineno = 1;
		l->qty_milli = -2000;
		l->unit_price_cents = amount_of(1250);
		l->vat_rate_bp = amount_of(550);
		l->line_total_cents = amount_of(money_line_total(1250, -2000));
		g_ptr_array_add(lines, l);
		o = order_draft_new("SO0002", NULL, "achats@example.fr", lines);
		order_compute_totals(o);
		is_int(o->total_ht_cents, -2500, "a line of minus two: HT -25,00");
		is_int(o->total_vat_cents, -138, "its VAT at 5.5 %%: -1,375 rounds to -1,38");
		is_int(o->total_ttc_cents, -2638, "TTC -26,38");
		order_check_totals(o, amount_of(-2500), amount_of(-2638));
		{
			g_autofree char *got = codes(o);

			ok(strstr(got, "total_mismatch") == NULL,
			   "printed negative totals that agree are no mismatch");
		}
	}
	{
		/* a line OCR read short: the PO's HT and TTC both differ from
		 * the lines', said once, by the HT */
		const product *ps[] = { farine };
		order_line *ls[] = { po_line(farine, 10000, 345, -1) };
		g_autoptr(order) o = NULL;
		g_autofree char *got = checked(plain, ps, ls, 1, 4140, 4140 + 228, &o);

		is_str(got, "total_mismatch@0", "HT and TTC off: one total_mismatch, not two");
	}
	return tap_done();
}
