/* ocr: the words Tesseract reads on an office scan, cleaned of what the
 * scan adds (the recognition itself is tested end to end, t0190). */
#include "reading/ocr.h"
#include "tap.h"

#include <string.h>

int main(void)
{
	static const struct {
		const char *raw, *want, *why;
	} cases[] = {
		{ "|18", "18", "a table rule before a quantity" },
		{ "BIO-1041|", "BIO-1041", "a rule after a reference" },
		{ "‘120", "120", "dust read as an opening quote" },
		{ "200.", "200", "a dot after a number" },
		{ "3,45,", "3,45", "a comma after a price" },
		{ "Réf.", "Réf.", "an abbreviation keeps its dot" },
		{ "l'huile", "l'huile", "an apostrophe inside a word stays" },
		{ "|", NULL, "a rule alone" },
		{ "—", NULL, "a dash alone" },
		{ "_~", NULL, "specks" },
		{ "&", "&", "'Bio & Sens' keeps its ampersand" },
		{ "[[6]]", "6", "brackets around a digit" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = ocr_word_clean(cases[i].raw);

		is_str(got, cases[i].want, "'%s': %s", cases[i].raw, cases[i].why);
	}
	{
		/* the helper's words into the page model */
		g_autoptr(page_content) c = page_content_new();
		const page_word *w;
		int n;

		n = ocr_words_from_helper("40.00\t100.50\t80.25\t110.00\t93\tBIO-1042\n"
					  "90.0\t100.5\t200\t110\t47\tLiquide\n"
					  "1\t2\t3\n"                          /* too few fields */
					  "x\t2\t3\t4\t90\tmot\n"             /* not a number */
					  "50\t2\t40\t4\t90\tinverse\n"       /* x0 > x1 */
					  "1\t2\t3\t4\t90\t\xff\xfe\n"      /* not UTF-8 */
					  "1\t2\t3\t4\t250\tplus\n"           /* confidence clamped */
					  "\n",
					  2, c);
		is_int(n, 3, "three good lines of eight");
		w = c->words->len > 0 ? c->words->pdata[0] : NULL;
		ok(w && strcmp(w->text, "BIO-1042") == 0 && w->x0 == 40.0 && w->y1 == 110.0 &&
			   w->confidence == 93 && w->page == 2 && w->source == PAGE_WORD_OCR && w->field == -1,
		   "a word with its box in points, its confidence, its page, OCR as its source");
		w = c->words->len > 2 ? c->words->pdata[2] : NULL;
		is_int(w ? w->confidence : -1, 100, "a confidence over 100 is 100");
	}
	{
		/* the budget spent: the scanned pages are listed as not read,
		 * and no helper is started */
		g_autoptr(page_content) c = page_content_new();
		int left = 0, n;

		c->n_pages = 4;
		for (int p = 0; p < 4; p++) {
			if (p != 1)
				g_array_append_val(c->scanned, p);
		}
		page_content_add_word(c, "Commande", 1, 10, 10, 60, 20, PAGE_WORD_TEXT, -1);
		ok(page_content_ocr_pending(c), "three scanned pages pending");
		n = ocr_read_scans("%PDF-1.4", 8, c, 5, &left);
		ok(n == 0 && left == 0 && c->ocr_read->len == 0 && c->ocr_not_read->len == 3 &&
			   g_array_index(c->ocr_not_read, int, 0) == 0 &&
			   g_array_index(c->ocr_not_read, int, 2) == 3 && c->ocr_problem == NULL,
		   "with no page left to read, each is listed as not read");
		ok(c->ocr_done && !page_content_ocr_pending(c), "and OCR is done for the model");
		left = 5;
		n = ocr_read_scans("%PDF-1.4", 8, c, 5, &left);
		ok(n == 0 && left == 5 && c->ocr_not_read->len == 3,
		   "a second call reads nothing and spends nothing");
	}
	{
		/* a model with no scan: nothing to do, nothing marked */
		g_autoptr(page_content) c = page_content_new();
		int left = 5;

		c->n_pages = 1;
		page_content_add_word(c, "Commande", 0, 10, 10, 60, 20, PAGE_WORD_TEXT, -1);
		ok(ocr_read_scans("%PDF-1.4", 8, c, 5, &left) == 0 && left == 5 && !c->ocr_done,
		   "a PDF without a scan is not given to OCR");
	}
	return tap_done();
}
