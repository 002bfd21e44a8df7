/* reader: a rule applied to a page model made here (two pages, a table
 * whose header repeats, a form field), and the text the rules see. */
#include "reading/reader.h"
#include "reading/rules.h"
#include "tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static void add(page_content *c, int page, double x, double y, const char *text, page_word_source src)
{
	page_content_add_word(c, text, page, x, y, x + 6.0 * (double)g_utf8_strlen(text, -1), y + 10,
			      src, -1);
}

/* Words of one line, left to right from x, one column per word. */
static void row(page_content *c, int page, double y, const char *const *cells, const double *xs)
{
	for (int i = 0; cells[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit(cells[i], " ", -1);
		double x = xs[i];

		for (int k = 0; words[k] != NULL; k++) {
			add(c, page, x, y, words[k], PAGE_WORD_TEXT);
			x += 6.0 * (double)g_utf8_strlen(words[k], -1) + 4;   /* a space */
		}
	}
}

static page_content *order_document(void)
{
	page_content *c = page_content_new();
	static const double xs[] = { 40, 110, 330, 390, 460 };

	c->n_pages = 2;
	row(c, 0, 40, (const char *const[]){ "BIO PÉRIGORD", NULL }, (const double[]){ 40 });
	row(c, 0, 60, (const char *const[]){ "Commande N° BP-2026-118", NULL }, (const double[]){ 360 });
	row(c, 0, 75, (const char *const[]){ "Date : 20/11/2026", NULL }, (const double[]){ 360 });
	row(c, 0, 200, (const char *const[]){ "Réf.", "Désignation", "Qté", "P.U. HT", "Montant HT", NULL }, xs);
	row(c, 0, 215, (const char *const[]){ "BIO-1019", "Farine de blé T65 1 kg", "6", "2,10", "12,60", NULL }, xs);
	row(c, 0, 230, (const char *const[]){ "BIO-1002", "Huile d'olive vierge extra 75 cl", "12", "9,80", "117,60", NULL }, xs);
	row(c, 0, 800, (const char *const[]){ "Page 1/2", NULL }, (const double[]){ 280 });
	row(c, 1, 40, (const char *const[]){ "Réf.", "Désignation", "Qté", "P.U. HT", "Montant HT", NULL }, xs);
	row(c, 1, 55, (const char *const[]){ "BIO-1030", "Savon au lait d'ânesse", "1 200", "3,40", "4 080,00", NULL }, xs);
	row(c, 1, 90, (const char *const[]){ "Total HT", "4 210,20", NULL }, (const double[]){ 330, 460 });
	row(c, 1, 800, (const char *const[]){ "Page 2/2", NULL }, (const double[]){ 280 });
	{
		page_field *f = g_new0(page_field, 1);

		f->name = g_strdup("livraison");
		f->value = g_strdup(" 24/11/2026 ");
		g_ptr_array_add(c->fields, f);
	}
	return c;
}

static const char rule_text[] =
	"issuer: Bio Périgord\n"
	"keywords: ['BIO PÉRIGORD']\n"
	"fields:\n"
	"  customer_order_ref: 'Commande N°\\s*(\\S+)'\n"
	"  order_date: 'Date\\s*:\\s*(\\S+)'\n"
	"  delivery_date: {form_field: livraison}\n"
	"  total_ht: '^\\s*Total HT\\s{2,}(.+)$'\n"
	"lines:\n"
	"  start: '^Réf\\.\\s{2,}Désignation'\n"
	"  end: '^\\s*Total HT'\n"
	"  line: '^(?P<ref>BIO-\\d+)\\s{2,}(?P<description>.+?)\\s{2,}(?P<qty>[\\d ]+?)\\s{2,}(?P<unit_price>[\\d ,]+)\\s{2,}(?P<line_total>[\\d ,]+)$'\n";

/* A rule that reads a few fields and no lines: the generic reader reads
 * the rest, and says so. */
static void test_rule_and_generic(const page_content *c, const char *text)
{
	g_autofree char *dir = g_dir_make_tmp("test-reader-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "cocon.yaml", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule_set) set = NULL;
	g_autoptr(reading) rd = NULL;
	g_autoptr(GString) generic = g_string_new(NULL);

	g_file_set_contents(path,
			    "issuer: Cocon des Sens\n"
			    "keywords: ['Cocon des Sens']\n"
			    "fields:\n"
			    "  customer_order_ref: 'commande : (\\S+)'\n"
			    "  total_ttc: 'Net à payer\\s+(.+)'\n",
			    -1, NULL);
	set = rules_load_dir(dir, &err);
	ok(set != NULL, "a rule without lines loads");
	if (set == NULL)
		return;
	{
		g_autoptr(reader_layout) lay = reader_layout_new(c);

		is_str(reader_layout_text(lay), text, "the layout's text is reader_text's");
		rd = reader_read(set, c, lay, NULL);
	}
	ok(rd->rule != NULL, "the rule fits");
	is_str(g_hash_table_lookup(rd->fields, "customer_order_ref"), "CDS-2026-047",
	       "the rule's field");
	is_str(g_hash_table_lookup(rd->fields, "total_ttc"), "3 749,62",
	       "a field the rule looked for in vain: the generic reader's");
	is_int(rd->lines->len, 3, "no lines in the rule: the generic reader's");
	for (guint i = 0; i < rd->generic->len; i++)
		g_string_append_printf(generic, "%s%s", i ? " " : "",
				       (const char *)rd->generic->pdata[i]);
	is_str(generic->str, "order_date delivery_date total_ht total_ttc lines",
	       "and the reading says what came from the generic reader");
	g_unlink(path);
	g_rmdir(dir);
}

/* "Article" is the description where no Désignation says otherwise,
 * whichever side of the code it sits. */
static void test_article_headers(void)
{
	static const struct {
		const char *h1, *h2, *c1, *c2;
		const char *why;
	} cases[] = {
		{ "Code", "Article", "BIO-1001", "Farine de blé T65 1 kg", "Code | Article" },
		{ "Article", "Code", "Farine de blé T65 1 kg", "BIO-1001", "Article | Code" },
		{ "Article", "Qté", "Farine de blé T65 1 kg", NULL, "Article alone" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		page_content *c = page_content_new();
		g_autofree char *text = NULL;
		g_autoptr(reading) rd = NULL;
		const reader_line *l;
		gboolean two = cases[i].c2 != NULL;

		c->n_pages = 1;
		if (two) {
			row(c, 0, 100, (const char *const[]){ cases[i].h1, cases[i].h2, "Qté", "Montant", NULL },
			    (const double[]){ 40, 250, 480, 540 });
			row(c, 0, 115, (const char *const[]){ cases[i].c1, cases[i].c2, "6", "20,70", NULL },
			    (const double[]){ 40, 250, 484, 540 });
		} else {
			row(c, 0, 100, (const char *const[]){ cases[i].h1, "Qté", "Montant", NULL },
			    (const double[]){ 40, 380, 450 });
			row(c, 0, 115, (const char *const[]){ cases[i].c1, "6", "20,70", NULL },
			    (const double[]){ 40, 384, 450 });
		}
		text = reader_text(c);
		rd = reader_generic(c);
		l = rd->lines->len == 1 ? rd->lines->pdata[0] : NULL;
		is_str(l ? l->description : NULL, "Farine de blé T65 1 kg", "%s: the description", cases[i].why);
		is_str(l ? l->ref : NULL, two ? "BIO-1001" : NULL, "%s: the code", cases[i].why);
		page_content_free(c);
	}
}

/* Cocon des Sens' way: description first, centred headers, euros after
 * the figures, a description carried over to a second line. */
static void test_generic(void)
{
	page_content *c = page_content_new();
	g_autofree char *text = NULL;
	g_autoptr(reading) rd = NULL;
	const reader_line *l;

	c->n_pages = 2;
	row(c, 0, 40, (const char *const[]){ "Cocon des Sens", NULL }, (const double[]){ 40 });
	row(c, 0, 60, (const char *const[]){ "Le Fleix, le 20 novembre 2026", NULL }, (const double[]){ 40 });
	row(c, 0, 80, (const char *const[]){ "N° de commande : CDS-2026-047", NULL }, (const double[]){ 40 });
	row(c, 0, 95, (const char *const[]){ "Livraison souhaitée : le 2 décembre 2026", NULL },
	    (const double[]){ 40 });
	/* Headers centred over their columns. */
	row(c, 0, 200, (const char *const[]){ "Désignation", "Réf.", "Quantité", "Prix unitaire HT", "Total HT", NULL },
	    (const double[]){ 120, 270, 330, 400, 515 });
	row(c, 0, 215, (const char *const[]){ "Baume à lèvres 4 g", "BIO-1040", "3", "3,22 €", "9,66 €", NULL },
	    (const double[]){ 40, 262, 350, 420, 500 });
	row(c, 0, 230, (const char *const[]){ "Huile de massage à l'amande", "BIO-1038", "6", "9,17 €", "55,02 €", NULL },
	    (const double[]){ 40, 262, 350, 420, 494 });
	row(c, 0, 242, (const char *const[]){ "douce 100 ml", NULL }, (const double[]){ 40 });
	row(c, 1, 40, (const char *const[]){ "Désignation", "Réf.", "Quantité", "Prix unitaire HT", "Total HT", NULL },
	    (const double[]){ 120, 270, 330, 400, 515 });
	row(c, 1, 55, (const char *const[]){ "Sablés", "BIO-1025", "1 200", "2,55 €", "3 060,00 €", NULL },
	    (const double[]){ 40, 262, 344, 420, 482 });
	row(c, 1, 90, (const char *const[]){ "Total HT", "3 124,68 €", NULL }, (const double[]){ 400, 482 });
	row(c, 1, 105, (const char *const[]){ "Total TTC", "3 749,62 €", NULL }, (const double[]){ 400, 482 });
	row(c, 1, 200, (const char *const[]){ "Nos conditions générales 12 30", NULL }, (const double[]){ 40 });

	text = reader_text(c);
	rd = reader_generic(c);
	ok(rd->rule == NULL, "the generic reader uses no rule");
	is_str(g_hash_table_lookup(rd->fields, "customer_order_ref"), "CDS-2026-047",
	       "the order number after 'N° de commande :'");
	is_str(g_hash_table_lookup(rd->fields, "order_date"), "2026-11-20",
	       "the order date, not the delivery date");
	is_str(g_hash_table_lookup(rd->fields, "delivery_date"), "2026-12-02",
	       "the delivery date: the date after 'Livraison'");
	is_str(g_hash_table_lookup(rd->fields, "total_ht"), "3 124,68", "the total before tax");
	is_int(rd->lines->len, 3, "three lines: across the page, not past the total");
	l = rd->lines->len > 0 ? rd->lines->pdata[0] : NULL;
	ok(l && g_strcmp0(l->ref, "BIO-1040") == 0 && g_strcmp0(l->description, "Baume à lèvres 4 g") == 0 &&
		   g_strcmp0(l->qty, "3") == 0 && g_strcmp0(l->unit_price, "3,22 €") == 0 &&
		   g_strcmp0(l->line_total, "9,66 €") == 0,
	   "each cell under its centred header");
	l = rd->lines->len > 1 ? rd->lines->pdata[1] : NULL;
	is_str(l ? l->description : NULL, "Huile de massage à l'amande douce 100 ml",
	       "a description carried over to the next line joins its row");
	l = rd->lines->len > 2 ? rd->lines->pdata[2] : NULL;
	ok(l && g_strcmp0(l->description, "Sablés") == 0 && g_strcmp0(l->qty, "1 200") == 0,
	   "a short description stays in its column, on the next page");
	test_rule_and_generic(c, text);
	page_content_free(c);
}

/* Rows read by their numbers where no header names the columns: a row
 * number before the reference, a packaging beside the quantity, the
 * price before the quantity, thousands in groups; a row on two lines;
 * the rows whose arithmetic fails give nothing; a fee is no line. */
static void test_rows(void)
{
	page_content *c = page_content_new();
	g_autoptr(reading) rd = NULL;
	const reader_line *l;

	c->n_pages = 1;
	row(c, 0, 80, (const char *const[]){ "NUMERO : BCF004512", NULL }, (const double[]){ 40 });
	row(c, 0, 100, (const char *const[]){ "Ligne Réf. art.", "Libellé", "CondtQté PU", "Montant", NULL },
	    (const double[]){ 40, 120, 330, 480 });
	row(c, 0, 115, (const char *const[]){ "1 BIO-1016", "Miel de lavande 500 g", "5,60", "x6", "5", "28,00", NULL },
	    (const double[]){ 40, 120, 300, 340, 380, 480 });
	row(c, 0, 130, (const char *const[]){ "2 BIO-1043", "Cerneaux de noix 250 g", "0,92", "CT12", "5 000", "4 600,00", NULL },
	    (const double[]){ 40, 120, 300, 340, 380, 480 });
	/* the arithmetic fails: no line, rather than a guess */
	row(c, 0, 145, (const char *const[]){ "3 BIO-1050", "Galettes de riz", "4,95", "10", "12,00", NULL },
	    (const double[]){ 40, 120, 300, 380, 480 });
	row(c, 0, 160, (const char *const[]){ "Frais de port", "1", "12,00", "12,00", NULL },
	    (const double[]){ 120, 380, 430, 480 });
	row(c, 0, 175, (const char *const[]){ "Abricots secs 500 g", "174,00 €", NULL }, (const double[]){ 120, 480 });
	row(c, 0, 187, (const char *const[]){ "12 × 14,50 €", "Réf. fournisseur : BIO-1047", NULL },
	    (const double[]){ 120, 300 });
	row(c, 0, 220, (const char *const[]){ "Total HT", "4 802,00", NULL }, (const double[]){ 380, 480 });
	/* after the table, a footer whose numbers multiply (4 × 12 = 48) */
	row(c, 0, 800, (const char *const[]){ "Service achats", "04 72 12 48 90", NULL }, (const double[]){ 40, 200 });

	rd = reader_generic(c);
	is_str(g_hash_table_lookup(rd->fields, "customer_order_ref"), "BCF004512",
	       "'NUMERO :' gives the order number");
	is_int(rd->lines->len, 3,
	       "three rows read by their numbers; no fee, none whose product fails, no footer");
	l = rd->lines->len > 0 ? rd->lines->pdata[0] : NULL;
	ok(l && g_strcmp0(l->ref, "BIO-1016") == 0 && g_strcmp0(l->qty, "5") == 0 &&
		   g_strcmp0(l->unit_price, "5,60") == 0 && g_strcmp0(l->line_total, "28,00") == 0,
	   "the row number and the packaging aside, the price before the quantity");
	l = rd->lines->len > 1 ? rd->lines->pdata[1] : NULL;
	ok(l && g_strcmp0(l->qty, "5 000") == 0 && g_strcmp0(l->line_total, "4 600,00") == 0,
	   "a quantity in groups of thousands, joined");
	l = rd->lines->len > 2 ? rd->lines->pdata[2] : NULL;
	ok(l && g_strcmp0(l->ref, "BIO-1047") == 0 && g_strcmp0(l->description, "Abricots secs 500 g") == 0 &&
		   g_strcmp0(l->qty, "12") == 0 && g_strcmp0(l->unit_price, "14,50") == 0 &&
		   g_strcmp0(l->line_total, "174,00") == 0,
	   "a row on two lines, its reference under it");
	page_content_free(c);
}

/* A listing no header word names ("Nb", "Px", "Mt"): where a row's
 * clerk-given values stand, and the next listing read by those columns. */
static void test_learned_layout(void)
{
	static const double xs[] = { 40, 110, 330, 390, 460 };
	g_autoptr(page_content) c = page_content_new();
	g_autoptr(page_content) next = page_content_new();
	g_autoptr(page_content) other = page_content_new();
	reader_columns at = { 0 };

	c->n_pages = next->n_pages = other->n_pages = 1;
	row(c, 0, 200, (const char *const[]){ "Code", "Article", "Nb", "Px", "Mt", NULL }, xs);
	/* a quantity of 1: its total is its price, after it */
	row(c, 0, 215, (const char *const[]){ "BIO-1019", "Farine T65 500 g", "1", "4.950", "4.950", NULL }, xs);
	row(c, 0, 230, (const char *const[]){ "BIO-1002", "Huile 75 cl", "12.000", "9.800", "117.600", NULL }, xs);
	{
		g_autoptr(reader_layout) lay = reader_layout_new(c);

		ok(reader_find_row(lay, "BIO-1019", 1, 4.95, &at), "the row of BIO-1019, 1 at 4,95, found");
		ok(at.price_x > 390 && at.price_x < 440,
		   "its price is the first 4.950, not the total equal to it (x = %.0f)", at.price_x);
		ok(at.qty_x > 330 && at.qty_x < 360, "its quantity under Nb (x = %.0f)", at.qty_x);
		is_int(at.decimal_mark, '.', "4.950 is 4,95: the point is decimal");
		ok(!reader_find_row(lay, "BIO-1019", 2, 4.95, &at), "no row holds 2 at 4,95");
		ok(!reader_find_row(lay, "BIO-1002", 12, 9.8, &at) ||
			   (at.qty_x > 330 && at.qty_x < 370),
		   "12.000 read as 12 in its column");
	}
	row(next, 0, 200, (const char *const[]){ "Code", "Article", "Nb", "Px", "Mt", NULL }, xs);
	row(next, 0, 215, (const char *const[]){ "BIO-1030", "Savon 100 g", "24.000", "3.400", "81.600", NULL }, xs);
	row(next, 0, 230, (const char *const[]){ "BIO-1019", "Farine T65 500 g", "2.500", "4.950", "12.375", NULL }, xs);
	row(next, 0, 260, (const char *const[]){ "Total", "93.98", NULL }, (const double[]){ 330, 460 });
	{
		g_autoptr(reader_layout) lay = reader_layout_new(next);
		g_autoptr(reading) rd = reader_read(NULL, next, lay, &at);
		const reader_line *l1 = rd->lines->len > 1 ? rd->lines->pdata[1] : NULL;

		is_int(rd->lines->len, 2, "the next listing: its two rows by the columns learned, not its total");
		ok(l1 && l1->how == READ_BY_LEARNED && g_strcmp0(l1->qty, "2.500") == 0 &&
			   g_strcmp0(l1->unit_price, "4.950") == 0 && g_strcmp0(l1->ref, "BIO-1019") == 0,
		   "each cell where it was learned");
		is_int(rd->decimal_mark, '.', "and the mark learned");
	}
	/* a PO of another look from the same sender: read as before */
	row(other, 0, 200, (const char *const[]){ "Réf.", "Désignation", "Qté", "P.U. HT", "Montant HT", NULL },
	    (const double[]){ 40, 110, 250, 300, 520 });
	row(other, 0, 215, (const char *const[]){ "BIO-1019", "Farine T65 500 g", "6", "2,10", "12,60", NULL },
	    (const double[]){ 40, 110, 250, 300, 520 });
	{
		g_autoptr(reader_layout) lay = reader_layout_new(other);
		g_autoptr(reading) rd = reader_read(NULL, other, lay, &at);
		const reader_line *l0 = rd->lines->len > 0 ? rd->lines->pdata[0] : NULL;

		ok(l0 && l0->how != READ_BY_LEARNED && g_strcmp0(l0->qty, "6") == 0,
		   "another layout: its own reading");
		is_int(rd->decimal_mark, 0, "and not the mark learned for the other");
	}
}

/* One line of words with their source, left to right from x. */
static void row_from(page_content *c, double y, const char *const *cells, const double *xs,
		     page_word_source src)
{
	for (int i = 0; cells[i] != NULL; i++)
		add(c, 0, xs[i], y, cells[i], src);
}

/* A scan whose table rules OCR read as characters: ".30" for "| 30",
 * "14,95" for "| 4,95"; the arithmetic chooses the reading, and a text
 * PDF's "14,95" stays what it says. */
static void test_ocr_rules(void)
{
	static const double xs[] = { 40, 110, 300, 360, 430 };
	static const char *const header[] = { "Réf.", "Article", "Qté", "P.U.", "Montant", NULL };
	static const char *const misread[] = { "BIO-1019", "Farine", ".30", "14,95", "148,50", NULL };
	static const char *const right[] = { "BIO-1002", "Huile", "12", "9,80", "117,60", NULL };
	g_autoptr(page_content) scan = page_content_new();
	g_autoptr(page_content) text = page_content_new();

	scan->n_pages = text->n_pages = 1;
	row_from(scan, 200, header, xs, PAGE_WORD_OCR);
	row_from(scan, 215, misread, xs, PAGE_WORD_OCR);
	row_from(scan, 230, right, xs, PAGE_WORD_OCR);
	row_from(text, 200, header, xs, PAGE_WORD_TEXT);
	row_from(text, 215, misread, xs, PAGE_WORD_TEXT);
	row_from(text, 230, right, xs, PAGE_WORD_TEXT);
	{
		g_autoptr(reader_layout) lay = reader_layout_new(scan);
		g_autoptr(reading) rd = reader_read(NULL, scan, lay, NULL);
		const reader_line *l = rd->lines->len > 0 ? rd->lines->pdata[0] : NULL;

		is_int(rd->lines->len, 2, "a scan: both rows read");
		ok(l && g_strcmp0(l->qty, "30") == 0 && g_strcmp0(l->unit_price, "4,95") == 0 &&
			   g_strcmp0(l->line_total, "148,50") == 0,
		   "  the rule before 30 and before 4,95 taken away: 30 × 4,95 = 148,50 (%s × %s)",
		   l ? l->qty : "?", l ? l->unit_price : "?");
	}
	{
		g_autoptr(reader_layout) lay = reader_layout_new(text);
		g_autoptr(reading) rd = reader_read(NULL, text, lay, NULL);
		gboolean fourteen = FALSE;

		for (guint i = 0; i < rd->lines->len; i++) {
			const reader_line *l = rd->lines->pdata[i];

			fourteen |= g_strcmp0(l->unit_price, "4,95") == 0;
		}
		ok(!fourteen, "a text PDF's 14,95 is never read 4,95");
	}
}

int main(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-reader-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "bio-perigord.yaml", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule) r = NULL;
	page_content *c = order_document();
	g_autofree char *text = NULL;
	g_autoptr(reading) rd = NULL;
	const reader_line *l;

	g_file_set_contents(path, rule_text, -1, NULL);
	r = rules_load_file(path, &err);
	ok(r != NULL, "the rule loads");
	if (r == NULL) {
		tap_diag("%s", err->message);
		return tap_done();
	}
	text = reader_text(c);
	ok(strstr(text, "BIO-1019    Farine de blé T65 1 kg    6    2,10    12,60\n") != NULL,
	   "columns are set apart by a wide gap, words of a cell by one space");
	ok(strstr(text, "Page 1/2\n\f\nRéf.") != NULL, "a form feed line between pages");

	rd = reader_apply_rule(r, c, text);
	is_str(g_hash_table_lookup(rd->fields, "customer_order_ref"), "BP-2026-118", "a field by regex");
	is_str(g_hash_table_lookup(rd->fields, "order_date"), "20/11/2026", "another");
	is_str(g_hash_table_lookup(rd->fields, "delivery_date"), "24/11/2026", "a field from a form field, trimmed");
	is_str(g_hash_table_lookup(rd->fields, "total_ht"), "4 210,20", "the total");
	is_int(rd->lines->len, 3, "three lines, across the page break and the repeated header");
	l = rd->lines->len > 2 ? rd->lines->pdata[2] : NULL;
	is_str(l ? l->ref : NULL, "BIO-1030", "the line on page 2");
	is_str(l ? l->qty : NULL, "1 200", "its quantity, as written");
	is_str(l ? l->line_total : NULL, "4 080,00", "its total, as written");
	is_int(l ? l->page : -1, 1, "on the second page");
	l = rd->lines->len > 1 ? rd->lines->pdata[1] : NULL;
	is_str(l ? l->description : NULL, "Huile d'olive vierge extra 75 cl", "a description, whole");
	page_content_free(c);
	test_generic();
	test_rows();
	test_article_headers();
	{
		/* Our form filled in digitally: the values of touching field
		 * boxes are separate cells, though no gap parts them. */
		page_content *f = page_content_new();
		g_autofree char *t = NULL;
		static const char *const vals[] = { "BIO-1021", "Jus de pomme", "6", "3,20" };
		static const double x[] = { 40, 100, 300, 340, 400 };

		f->n_pages = 1;
		for (int i = 0; i < 4; i++) {
			g_auto(GStrv) words = g_strsplit(vals[i], " ", -1);
			guint n = g_strv_length(words);

			for (guint k = 0; k < n; k++) {
				double share = (x[i + 1] - x[i]) / n;

				page_content_add_word(f, words[k], 0, x[i] + share * k,
						      100, x[i] + share * (k + 1), 110,
						      PAGE_WORD_FIELD, i);
			}
		}
		t = reader_text(f);
		is_str(t, "BIO-1021    Jus de pomme    6    3,20\n", "touching form fields are separate cells");
		page_content_free(f);
	}
	test_learned_layout();
	test_ocr_rules();
	return tap_done();
}
