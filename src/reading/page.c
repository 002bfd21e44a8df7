/* page.c: the page model's records. */
#include "reading/page.h"

static void page_word_free(page_word *w)
{
	g_free(w->text);
	g_free(w);
}

static void page_field_free(page_field *f)
{
	g_free(f->name);
	g_free(f->value);
	g_free(f);
}

page_content *page_content_new(void)
{
	page_content *c = g_new0(page_content, 1);

	c->words = g_ptr_array_new_with_free_func((GDestroyNotify)page_word_free);
	c->fields = g_ptr_array_new_with_free_func((GDestroyNotify)page_field_free);
	c->ocr_read = g_array_new(FALSE, FALSE, sizeof(int));
	c->ocr_not_read = g_array_new(FALSE, FALSE, sizeof(int));
	return c;
}

void page_content_free(page_content *c)
{
	if (c == NULL)
		return;
	g_ptr_array_unref(c->words);
	g_ptr_array_unref(c->fields);
	g_array_unref(c->ocr_read);
	g_array_unref(c->ocr_not_read);
	g_free(c->ocr_problem);
	g_free(c);
}

page_word *page_content_add_word(page_content *c, const char *text, int page, double x0,
				 double y0, double x1, double y1, page_word_source source,
				 int field)
{
	page_word *w = g_new0(page_word, 1);

	w->text = g_strdup(text);
	w->confidence = 100;
	w->page = page;
	w->x0 = MIN(x0, x1);
	w->x1 = MAX(x0, x1);
	w->y0 = MIN(y0, y1);
	w->y1 = MAX(y0, y1);
	w->source = source;
	w->field = field;
	g_ptr_array_add(c->words, w);
	return w;
}
