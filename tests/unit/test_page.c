/* page: the page model kept and read back exactly; what is not one
 * refused. */
#include "reading/page.h"
#include "tap.h"

#include <gio/gio.h>
#include <glib.h>
#include <string.h>

/* text zlib-compressed, as a saved model is. */
static GBytes *squeeze(const char *text)
{
	g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
	g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable();
	g_autoptr(GOutputStream) out = g_converter_output_stream_new(mem, G_CONVERTER(z));

	g_output_stream_write_all(out, text, strlen(text), NULL, NULL, NULL);
	g_output_stream_close(out, NULL, NULL);
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(mem));
}

static gboolean refused(const char *text, const char *why)
{
	g_autoptr(GBytes) b = squeeze(text);
	g_autoptr(GError) err = NULL;
	g_autoptr(page_content) c = page_content_load(b, &err);

	return ok(c == NULL && err != NULL, "refused: %s", why);
}

int main(void)
{
	g_autoptr(page_content) c = page_content_new();
	g_autoptr(page_content) back = NULL;
	g_autoptr(GBytes) saved = NULL;
	g_autoptr(GError) err = NULL;
	page_field *f = g_new0(page_field, 1);
	page_word *w;
	int same = 1;

	c->n_pages = 3;
	g_array_append_val(c->scanned, (int){ 1 });
	g_array_append_val(c->scanned, (int){ 2 });
	c->ocr_done = TRUE;
	g_array_append_val(c->ocr_read, (int){ 1 });
	g_array_append_val(c->ocr_not_read, (int){ 2 });
	c->ocr_problem = g_strdup("l'OCR s'est arrêté\tsur la page 3\n(signal 9)");
	page_content_add_word(c, "BIO-1001", 0, 40.123456789012345, 100.5, 80.25, 110, PAGE_WORD_TEXT, -1);
	page_content_add_word(c, "Purée\\d'amandes", 0, 1.0 / 3.0, 2, 3, 4, PAGE_WORD_TEXT, -1);
	w = page_content_add_word(c, "‘120", 1, 10, 20, 30, 40, PAGE_WORD_OCR, -1);
	w->confidence = 47;
	page_content_add_word(c, "24/11/2026", 0, 300, 100, 360, 110, PAGE_WORD_FIELD, 0);
	f->name = g_strdup("form.livraison");
	f->value = g_strdup(" 24/11/2026 \n");
	f->page = 0;
	f->x0 = 300;
	f->y0 = 100;
	f->x1 = 360;
	f->y1 = 110;
	g_ptr_array_add(c->fields, f);

	saved = page_content_save(c);
	ok(saved != NULL && g_bytes_get_size(saved) > 0, "a page model is saved");
	back = page_content_load(saved, &err);
	ok(back != NULL, "and read back%s%s", err ? ": " : "", err ? err->message : "");
	if (back == NULL)
		return tap_done();
	is_int(back->n_pages, 3, "its pages");
	ok(back->scanned->len == 2 && g_array_index(back->scanned, int, 0) == 1 &&
		   g_array_index(back->scanned, int, 1) == 2 && back->ocr_done &&
		   !page_content_ocr_pending(back),
	   "its scanned pages, given to OCR");
	ok(back->ocr_read->len == 1 && g_array_index(back->ocr_read, int, 0) == 1 &&
		   back->ocr_not_read->len == 1 && g_array_index(back->ocr_not_read, int, 0) == 2,
	   "which pages OCR read and which not");
	is_str(back->ocr_problem, c->ocr_problem, "the OCR's problem, tab and newline included");
	is_int(back->words->len, c->words->len, "every word");
	for (guint i = 0; i < MIN(c->words->len, back->words->len); i++) {
		const page_word *a = c->words->pdata[i], *b = back->words->pdata[i];

		same &= strcmp(a->text, b->text) == 0 && a->page == b->page && a->x0 == b->x0 &&
			a->y0 == b->y0 && a->x1 == b->x1 && a->y1 == b->y1 && a->source == b->source &&
			a->field == b->field && a->confidence == b->confidence;
	}
	ok(same, "each word's text, page, box to the last bit, source, field and confidence");
	ok(back->fields->len == 1 &&
		   strcmp(((page_field *)back->fields->pdata[0])->value, " 24/11/2026 \n") == 0 &&
		   strcmp(((page_field *)back->fields->pdata[0])->name, "form.livraison") == 0 &&
		   ((page_field *)back->fields->pdata[0])->x1 == 360,
	   "the form field, its value as typed");
	{
		g_autoptr(page_content) empty = page_content_new();
		g_autoptr(GBytes) b = page_content_save(empty);
		g_autoptr(page_content) e = page_content_load(b, NULL);

		ok(e != NULL && e->n_pages == 0 && e->words->len == 0, "an empty model too");
	}

	{
		/* a long document: 45 scanned pages not read, coordinates far
		 * out on its last page (a poster-sized page) */
		g_autoptr(page_content) big = page_content_new();
		g_autoptr(page_content) b2 = NULL;
		g_autoptr(GBytes) b = NULL;
		g_autoptr(GError) e = NULL;

		big->n_pages = 50;
		big->ocr_done = TRUE;
		for (int i = 4; i < 49; i++) {
			g_array_append_val(big->scanned, i);
			g_array_append_val(big->ocr_not_read, i);
		}
		page_content_add_word(big, "loin", 49, 2e7, 3e7, 2.5e7, 3.1e7, PAGE_WORD_TEXT, -1);
		b = page_content_save(big);
		b2 = page_content_load(b, &e);
		ok(b2 != NULL && b2->ocr_not_read->len == 45 &&
			   g_array_index(b2->ocr_not_read, int, 44) == 48 &&
			   ((page_word *)b2->words->pdata[0])->x0 == 2e7,
		   "a model of 45 pages not read and far coordinates comes back whole%s%s",
		   e ? ": " : "", e ? e->message : "");
	}
	{
		/* the first stage's reading of a scan: its pages pending OCR */
		g_autoptr(page_content) scan = page_content_new();
		g_autoptr(page_content) s2 = NULL;
		g_autoptr(GBytes) b = NULL;

		scan->n_pages = 2;
		g_array_append_val(scan->scanned, (int){ 1 });
		page_content_add_word(scan, "Commande", 0, 10, 10, 60, 20, PAGE_WORD_TEXT, -1);
		ok(page_content_ocr_pending(scan), "a scanned page not given to OCR is pending");
		b = page_content_save(scan);
		s2 = page_content_load(b, NULL);
		ok(s2 != NULL && page_content_ocr_pending(s2) && s2->scanned->len == 1 &&
			   g_array_index(s2->scanned, int, 0) == 1 && s2->words->len == 1,
		   "a reading with its scanned page pending comes back pending");
	}
	{
		/* 50 MB of newlines, compressed to a few KB: refused at the
		 * bound, without a string per line */
		GString *bomb = g_string_new("mailorder page model 2\n1\t0\n");
		g_autoptr(GBytes) b = NULL;
		g_autoptr(page_content) x = NULL;

		for (int i = 0; i < 1000000; i++)
			g_string_append_c(bomb, '\n');
		b = squeeze(bomb->str);
		g_string_free(bomb, TRUE);
		x = page_content_load(b, NULL);
		ok(x == NULL, "refused: a million empty lines");
	}
	{
		g_autoptr(GBytes) junk = g_bytes_new_static("not zlib at all", 15);
		g_autoptr(GError) e = NULL;
		g_autoptr(page_content) x = page_content_load(junk, &e);

		ok(x == NULL && e != NULL, "refused: bytes that are not compressed");
	}
	{
		gsize len;
		const char *d = g_bytes_get_data(saved, &len);
		g_autoptr(GBytes) cut = g_bytes_new(d, len / 2);
		g_autoptr(page_content) x = page_content_load(cut, NULL);

		ok(x == NULL, "refused: a model cut short");
	}
	{
		g_autoptr(GBytes) b = squeeze("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\n");
		g_autoptr(page_content) x = page_content_load(b, NULL);

		ok(x != NULL && x->words->len == 1, "a model written by hand is read: the refusals below are for their reason");
	}
	{
		g_autoptr(GBytes) b = squeeze("mailorder page model 2\n3\t1\ns\t1\t2\nr\t1\np\tpage 3 : arrêté\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\nw\t1\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t2\t-1\t100\tx\n");
		g_autoptr(page_content) x = page_content_load(b, NULL);

		ok(x != NULL && x->words->len == 2 && !page_content_ocr_pending(x),
		   "a scan of two pages, one read by OCR and one failed, with a text page before");
	}
	refused("mailorder page model 1\n1\t0\t0\t0\n", "an older version (its PDF is read again)");
	refused("mailorder page model 3\n1\t0\n", "a later version");
	refused("mailorder page model 2\n1\t2\n", "an OCR flag neither 0 nor 1");
	refused("mailorder page model 2\n1\t0\nw\t0\t0\t0\t1\t1\t0\t-1\t100\tx\n",
		"coordinates that are not their bits");
	refused("mailorder page model 2\n1\t0\ns\t0\t1\n", "more scanned pages than pages");
	refused("mailorder page model 2\n1\t0\nw\t1\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\n",
		"a word on a page the document does not have");
	refused("mailorder page model 2\n1\t0\nw\t0\t4014000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\n",
		"a box turned inside out");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t7ff8000000000000\t0\t-1\t100\tx\n",
		"a box that is no number");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t1\t3\t100\tx\n",
		"a word of a form field that is not there");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t7\t-1\t100\tx\n",
		"a source that is none");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\t\\377\n",
		"a word that is not UTF-8");
	refused("mailorder page model 2\n1\t1\nr\t4\n", "OCR read a page that is not there");
	refused("mailorder page model 2\n1\t0\np\ttrailing\\\n", "a value ending in a lone backslash");
	refused("mailorder page model 2\n1\t0", "a model not ended by a newline");
	refused("mailorder page model 2\n1\t0\nq\tx\n", "a line of no kind");
	refused("mailorder page model 2\n3\t1\ns\t0\t1\nr\t1\t0\n", "pages read not in increasing order");
	refused("mailorder page model 2\n3\t1\ns\t0\t1\nr\t1\t1\n", "a page read twice");
	refused("mailorder page model 2\n3\t1\ns\t1\nr\t0\n", "OCR read a page that is not a scan");
	refused("mailorder page model 2\n3\t1\ns\t1\nn\t0\n", "OCR left unread a page that is not a scan");
	refused("mailorder page model 2\n3\t1\ns\t1\nr\t1\nn\t1\n", "a page both read and not read by OCR");
	refused("mailorder page model 2\n3\t0\ns\t1\nr\t1\n", "pages read by an OCR not yet done");
	refused("mailorder page model 2\n3\t0\ns\t1\np\tarrêté\n", "an OCR problem before OCR");
	refused("mailorder page model 2\n3\t1\ns\t0\t1\nr\t1\nr\t0\n", "a second list of pages that starts over");
	refused("mailorder page model 2\n3\t0\ns\t1\nw\t2\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t2\t-1\t100\tx\n", "an OCR word before OCR");
	refused("mailorder page model 2\n3\t1\ns\t1\t2\nr\t1\np\tpage 3 : arrêté\nw\t2\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t2\t-1\t100\tx\n", "an OCR word on a page OCR did not read");
	refused("mailorder page model 2\n3\t1\ns\t1\nr\t1\nw\t1\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\n", "a text word on a scanned page");
	refused("mailorder page model 2\n3\t1\ns\t1\t2\nr\t1\n", "a scanned page lost by OCR without a word why");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t1\t-1\t100\tx\n",
		"a form's word without its field");
	refused("mailorder page model 2\n1\t0\nw\t0\t0000000000000000\t0000000000000000\t3ff0000000000000\t3ff0000000000000\t0\t-1\t100\tx\textra\n",
		"a word line with a field too many");
	{
		/* a line of two million tabs: refused, in little memory */
		GString *t = g_string_new("mailorder page model 2\n1\t0\nn");

		for (int i = 0; i < 2000000; i++)
			g_string_append(t, "\t0");
		g_string_append_c(t, '\n');
		refused(t->str, "a line of four megabytes (two million pages)");
		g_string_free(t, TRUE);
	}
	return tap_done();
}
