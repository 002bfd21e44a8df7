/* reader: a rule applied to a page model made here (two pages, a table
 * whose header repeats, a form field), and the text the rules see. */
#include "reader.h"
#include "rules.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static void add(pdf_content *c, int page, double x, double y, const char *text, pdf_word_source src)
{
	pdf_word *w = g_new0(pdf_word, 1);

	w->text = g_strdup(text);
	w->page = page;
	w->x0 = x;
	w->x1 = x + 6.0 * (double)g_utf8_strlen(text, -1);
	w->y0 = y;
	w->y1 = y + 10;
	w->source = src;
	g_ptr_array_add(c->words, w);
}

/* Words of one line, left to right from x, one column per word. */
static void row(pdf_content *c, int page, double y, const char *const *cells, const double *xs)
{
	for (int i = 0; cells[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit(cells[i], " ", -1);
		double x = xs[i];

		for (int k = 0; words[k] != NULL; k++) {
			add(c, page, x, y, words[k], PDF_WORD_TEXT);
			x += 6.0 * (double)g_utf8_strlen(words[k], -1) + 4;   /* a space */
		}
	}
}

static pdf_content *order_document(void)
{
	pdf_content *c = g_new0(pdf_content, 1);
	static const double xs[] = { 40, 110, 330, 390, 460 };

	c->words = g_ptr_array_new();   /* freed by hand below: the words are ours */
	c->fields = g_ptr_array_new();
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
		pdf_field *f = g_new0(pdf_field, 1);

		f->name = g_strdup("livraison");
		f->value = g_strdup(" 24/11/2026 ");
		g_ptr_array_add(c->fields, f);
	}
	return c;
}

static void free_document(pdf_content *c)
{
	for (guint i = 0; i < c->words->len; i++) {
		pdf_word *w = c->words->pdata[i];

		g_free(w->text);
		g_free(w);
	}
	for (guint i = 0; i < c->fields->len; i++) {
		pdf_field *f = c->fields->pdata[i];

		g_free(f->name);
		g_free(f->value);
		g_free(f);
	}
	g_ptr_array_unref(c->words);
	g_ptr_array_unref(c->fields);
	g_free(c);
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

int main(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-reader-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "bio-perigord.yaml", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(rule) r = NULL;
	pdf_content *c = order_document();
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
	free_document(c);
	return tap_done();
}
