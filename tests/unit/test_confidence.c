/* confidence: how sure a draft's lines and fields are, and the
 * low_confidence checks: raised once per line, for what no other check
 * tells, lifted by the arithmetic, the printed total and the catalogue. */
#include "orders/confidence.h"
#include "orders/order.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static product *item(const char *ref, int64_t price)
{
	product *p = product_new();

	p->ref = g_strdup(ref);
	p->name = g_strdup(ref);
	p->unit_price_cents = price;
	p->vat_rate_bp = 550;
	p->stock = 1000;
	p->unit = g_strdup("pièce");
	return p;
}

/* A row as the reader gives it. */
static reader_line row(reader_how how, const char *ref, const char *qty, const char *price,
		       const char *total)
{
	reader_line rl = { 0 };

	rl.ref = (char *)ref;
	rl.description = (char *)"Farine";
	rl.qty = (char *)qty;
	rl.unit_price = (char *)price;
	rl.line_total = (char *)total;
	rl.how = how;
	return rl;
}

/* The line read from rl (qty in units, price and total in cents, -1 for
 * none printed), its confidence_line into *cl. */
static order_line *read_line(const reader_line *rl, const product *p, int64_t qty, int64_t price,
			     int64_t total, const int *ocr, confidence_line *cl)
{
	order_line *l = order_line_new();
	maybe_amount printed = total >= 0 ? amount_of(total) : AMOUNT_ABSENT;

	l->product_ref = p ? g_strdup(p->ref) : NULL;
	l->vat_rate_bp = p ? amount_of(p->vat_rate_bp) : AMOUNT_ABSENT;
	l->description = g_strdup("Farine");
	l->qty_milli = qty * 1000;
	l->unit_price_cents = price >= 0 ? amount_of(price) : AMOUNT_ABSENT;
	l->line_total_cents = total >= 0 ? printed : amount_of(qty * price);
	confidence_line_read(cl, rl, l, printed, ocr);
	return l;
}

/* "1 2": the lines of the checks of code only, in order (0: the order's). */
static char *codes(const order *o, check_code only)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *c = o->checks->pdata[i];

		if (c->code == only)
			g_string_append_printf(out, "%s%d", out->len ? " " : "", c->line);
	}
	return g_string_free(out, FALSE);
}

/* The draft of n lines, its checks made as intake makes them. */
static order *draft(order_line **ls, const product *const *ps, confidence_line *cls, guint n,
		    int64_t printed_ht)
{
	GPtrArray *lines = g_ptr_array_new();
	customer *c = customer_new();
	order *o;

	c->ref = g_strdup("CLI1");
	c->name = g_strdup("Client");
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(lines, ls[i]);
	o = order_draft_new("SO0001", c, "a@b.fr", lines);
	g_ptr_array_unref(lines);
	o->printed_ht_cents = printed_ht >= 0 ? amount_of(printed_ht) : AMOUNT_ABSENT;
	order_check_catalogue(o, ps, 0);
	order_check_totals(o, o->printed_ht_cents, AMOUNT_ABSENT);
	confidence_of_draft(o, cls, ps);
	for (guint i = 0; i < n; i++)
		confidence_line_clear(&cls[i]);
	customer_free(c);
	return o;
}

/* Line i's confidence as shown: its reading's, less for o's checks. */
static int line_conf(const order *o, guint i)
{
	return confidence_shown(o, o->lines->pdata[i], NULL);
}

int main(void)
{
	g_autoptr(product) farine = item("BIO-1001", 345);
	g_autoptr(product) riz = item("BIO-1002", 500);
	const int sure[CONFIDENCE_CELLS] = { 96, 95, 97, 94, 95 };
	const int doubtful_qty[CONFIDENCE_CELLS] = { 96, 95, 40, 94, 95 };
	const int doubtful_ref[CONFIDENCE_CELLS] = { 35, 95, 96, 94, 95 };

	is_int(confidence_how_sureness(READ_BY_RULE), 100, "a rule's line starts sure");
	ok(confidence_how_sureness(READ_BY_ARITHMETIC) > confidence_how_sureness(READ_BY_COLUMNS),
	   "a row whose numbers multiply is surer than cells under a header");
	ok(confidence_how_sureness(READ_BY_HEADER) < confidence_how_sureness(READ_BY_DOCUMENT_TOTAL),
	   "a pair under a header less sure than pairs adding up to the total");

	{
		/* a text PDF, every row's arithmetic holding, the total printed */
		reader_line r1 = row(READ_BY_ARITHMETIC, "BIO-1001", "12", "3,45", "41,40");
		reader_line r2 = row(READ_BY_COLUMNS, "BIO-1002", "2", "5,00", "10,00");
		confidence_line cls[2];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, 4140, NULL, &cls[0]),
				     read_line(&r2, riz, 2, 500, 1000, NULL, &cls[1]) };
		const product *ps[] = { farine, riz };
		g_autoptr(order) o = draft(ls, ps, cls, 2, 5140);
		g_autofree char *low = codes(o, CHECK_LOW_CONFIDENCE);

		is_int(line_conf(o, 0), 100, "everything agrees: sure");
		is_int(line_conf(o, 1), 100, "a line by columns too, once the total vouches for it");
		is_str(low, "", "no low_confidence");
		ok(o->confidence->len == 1 &&
			   strcmp(((field_confidence *)o->confidence->pdata[0])->field, "total") == 0 &&
			   ((field_confidence *)o->confidence->pdata[0])->confidence == 100,
		   "the printed total: sure, the lines make it");
	}
	{
		/* a scan: OCR unsure of line 1's quantity; its arithmetic holds
		 * (12 x 3,45 = 41,40), line 2's does not (no total printed) */
		reader_line r1 = row(READ_BY_ARITHMETIC, "BIO-1001", "12", "3,45", "41,40");
		reader_line r2 = row(READ_BY_COLUMNS, "BIO-1002", "2", "5,00", NULL);
		confidence_line cls[2];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, 4140, doubtful_qty, &cls[0]),
				     read_line(&r2, riz, 2, 500, -1, doubtful_qty, &cls[1]) };
		const product *ps[] = { farine, riz };
		g_autoptr(order) o = draft(ls, ps, cls, 2, -1);
		g_autofree char *low = codes(o, CHECK_LOW_CONFIDENCE);
		const order_line *l2 = o->lines->pdata[1];

		ok(line_conf(o, 0) >= 90, "OCR's doubt lifted by the arithmetic (%d)", line_conf(o, 0));
		ok(line_conf(o, 1) < CONFIDENCE_LOW, "nothing lifts line 2's (%d)", line_conf(o, 1));
		is_str(low, "2", "one low_confidence, on line 2");
		ok(l2->doubt != NULL && strstr(l2->doubt, "la quantité « 2 » lue par OCR à 40 %"),
		   "its doubt says which cell and how sure OCR was: %s", l2->doubt);
	}
	{
		/* the same doubtful quantity, but the lines add up to the printed total */
		reader_line r2 = row(READ_BY_COLUMNS, "BIO-1002", "2", "5,00", NULL);
		confidence_line cls[1];
		order_line *ls[] = { read_line(&r2, riz, 2, 500, -1, doubtful_qty, &cls[0]) };
		const product *ps[] = { riz };
		g_autoptr(order) o = draft(ls, ps, cls, 1, 1000);
		g_autofree char *low = codes(o, CHECK_LOW_CONFIDENCE);

		is_int(line_conf(o, 0), 100, "the printed total vouches for the quantity");
		is_str(low, "", "no check");
	}
	{
		/* OCR unsure of the reference: our catalogue found the product
		 * anyway (line 1), or did not (line 2: unknown_product, and the
		 * reason of the doubt told once, in low_confidence) */
		reader_line r1 = row(READ_BY_ARITHMETIC, "BIO-1001", "12", "3,45", "41,40");
		reader_line r2 = row(READ_BY_ARITHMETIC, "B10-1O99", "2", "5,00", "10,00");
		confidence_line cls[2];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, 4140, doubtful_ref, &cls[0]),
				     read_line(&r2, NULL, 2, 500, 1000, doubtful_ref, &cls[1]) };
		const product *ps[] = { farine, NULL };
		g_autoptr(order) o = draft(ls, ps, cls, 2, 5140);
		g_autofree char *low = codes(o, CHECK_LOW_CONFIDENCE);
		g_autofree char *unknown = codes(o, CHECK_UNKNOWN_PRODUCT);

		is_int(line_conf(o, 0), 100, "the product found: the reference's doubt lifted");
		ok(line_conf(o, 1) < 30, "the product not found, OCR unsure: hardly sure (%d)",
		   line_conf(o, 1));
		is_str(unknown, "2", "unknown_product on line 2");
		is_str(low, "2", "and low_confidence, saying what OCR doubted");
	}
	{
		/* a row whose arithmetic fails (total_mismatch tells it), a price
		 * not the catalogue's (price_mismatch tells it): the confidence
		 * falls, no low_confidence repeats them */
		reader_line r1 = row(READ_BY_COLUMNS, "BIO-1001", "12", "3,45", "44,40");
		reader_line r2 = row(READ_BY_ARITHMETIC, "BIO-1002", "2", "4,00", "8,00");
		confidence_line cls[2];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, 4440, sure, &cls[0]),
				     read_line(&r2, riz, 2, 400, 800, sure, &cls[1]) };
		const product *ps[] = { farine, riz };
		g_autoptr(order) o = draft(ls, ps, cls, 2, -1);
		g_autofree char *low = codes(o, CHECK_LOW_CONFIDENCE);
		g_autofree char *total = codes(o, CHECK_TOTAL_MISMATCH);

		is_str(total, "1", "total_mismatch on line 1");
		ok(line_conf(o, 0) < CONFIDENCE_LOW, "line 1 unsure (%d)", line_conf(o, 0));
		ok(line_conf(o, 1) < 100 && line_conf(o, 1) >= CONFIDENCE_LOW,
		   "line 2 less sure for its price (%d)", line_conf(o, 1));
		is_str(low, "", "no low_confidence: the other checks say it");
	}
	{
		/* pairs under a header, no total printed: not sure, not doubtful */
		reader_line r1 = row(READ_BY_HEADER, "BIO-1001", "12", "3,45", NULL);
		confidence_line cls[1];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, -1, NULL, &cls[0]) };
		const product *ps[] = { farine };
		g_autoptr(order) o = draft(ls, ps, cls, 1, -1);
		const order_line *l = o->lines->pdata[0];

		is_int(line_conf(o, 0), confidence_how_sureness(READ_BY_HEADER),
		       "a pair under a header: its way's sureness");
		ok(l->doubt != NULL && strstr(l->doubt, "sous un en-tête"), "and why: %s", l->doubt);
		ok(line_conf(o, 0) >= CONFIDENCE_LOW, "above the bar: no check");
	}
	{
		/* a product not found at intake, then found (a clerk's correction,
		 * or one a customer correction brings): the confidence shown
		 * follows the checks as they stand */
		reader_line r1 = row(READ_BY_ARITHMETIC, "LEA-77", "12", "3,45", "41,40");
		confidence_line cls[1];
		order_line *ls[] = { read_line(&r1, NULL, 12, 345, 4140, NULL, &cls[0]) };
		const product *ps[] = { NULL };
		g_autoptr(order) o = draft(ls, ps, cls, 1, -1);
		order_line *l = o->lines->pdata[0];
		g_autofree char *why = NULL;
		int before = confidence_shown(o, l, &why);

		ok(before <= 50, "unknown: half sure at most (%d)", before);
		ok(why && strstr(why, "produit non reconnu"), "  and why: %s", why);
		l->product_ref = g_strdup("BIO-1001");
		for (guint k = 0; k < o->checks->len; k++) {
			if (((order_check *)o->checks->pdata[k])->code == CHECK_UNKNOWN_PRODUCT)
				g_ptr_array_remove_index(o->checks, k--);
		}
		is_int(confidence_shown(o, l, NULL), 97, "found: its reading's confidence again");
	}
	{
		/* a row printed on two lines, by a header's pair: its numbers
		 * less sure, and why; a line with no price: the printed total
		 * vouches for nothing (the sum of the lines is not known) */
		reader_line r1 = row(READ_BY_HEADER, "BIO-1001", "12", "3,45", NULL);
		reader_line r2 = row(READ_BY_COLUMNS, "BIO-1002", "2", NULL, NULL);
		confidence_line cls[2];
		order_line *ls[2];
		const product *ps[] = { farine, riz };
		g_autoptr(order) o = NULL;
		const order_line *l1;

		r1.two_lines = TRUE;
		ls[0] = read_line(&r1, farine, 12, 345, -1, NULL, &cls[0]);
		ls[1] = read_line(&r2, riz, 2, -1, -1, NULL, &cls[1]);
		ls[1]->line_total_cents = AMOUNT_ABSENT;
		ok(cls[0].numbers_why && strstr(cls[0].numbers_why, "deux lignes"),
		   "the two lines joined: a doubt on its numbers");
		o = draft(ls, ps, cls, 2, 4140);
		l1 = o->lines->pdata[0];
		ok(line_conf(o, 0) < confidence_how_sureness(READ_BY_HEADER),
		   "less sure than its way alone (%d)", line_conf(o, 0));
		ok(l1->doubt && strstr(l1->doubt, "deux lignes"), "and its doubt says why: %s", l1->doubt);
		ok(o->confidence->len == 0, "a line without its total: the printed total neither confirmed "
					    "nor denied");
	}
	{
		/* fields: found by a weak wording, or read by OCR unsure */
		g_autoptr(field_confidence) weak =
			confidence_field_read("order_date", "20/11/2026", 60, "la première date", 100);
		g_autoptr(field_confidence) ocr =
			confidence_field_read("customer_order_ref", "BC-118", 90, "après « N° »", 40);
		reader_line r1 = row(READ_BY_RULE, "BIO-1001", "12", "3,45", "41,40");
		confidence_line cls[1];
		order_line *ls[] = { read_line(&r1, farine, 12, 345, 4140, NULL, &cls[0]) };
		const product *ps[] = { farine };
		g_autoptr(order) o = NULL;
		g_autofree char *low = NULL;
		GPtrArray *lines = g_ptr_array_new();

		is_int(weak->confidence, 60, "a weak wording's sureness");
		is_int(ocr->confidence, 45, "90 x 40/80: OCR's doubt");
		ok(strstr(ocr->why, "« BC-118 » lu par OCR à 40 %") != NULL, "why: %s", ocr->why);
		g_ptr_array_add(lines, ls[0]);
		o = order_draft_new("SO0002", NULL, "a@b.fr", lines);
		g_ptr_array_unref(lines);
		o->order_date = g_strdup("2026-11-20");
		o->customer_order_ref = g_strdup("BC-118");
		g_ptr_array_add(o->confidence, g_steal_pointer(&weak));
		g_ptr_array_add(o->confidence, g_steal_pointer(&ocr));
		confidence_of_draft(o, cls, ps);
		confidence_line_clear(&cls[0]);
		low = codes(o, CHECK_LOW_CONFIDENCE);
		is_str(low, "0 0", "one low_confidence for each field");
		confidence_field_corrected(o, "order_date");
		g_free(low);
		low = codes(o, CHECK_LOW_CONFIDENCE);
		is_str(low, "0", "a clerk's correction takes its field's check away");
		is_int(o->confidence->len, 1, "and its confidence");
		confidence_line_corrected(o, 1);
		is_int(line_conf(o, 0), -1, "a corrected line: no confidence left (null)");
	}
	return tap_done();
}
