#include "reading/pdf.h"

#include "lib/crashpoint.h"

#include <poppler.h>

struct pdf_reader {
	GBytes *keepalive_bytes;
	PopplerDocument *keepalive;
};

/* A one-page PDF with a correct cross-reference table (so that poppler has
 * nothing to repair and nothing to print). */
static GBytes *tiny_pdf(void)
{
	static const char *const objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
	};
	GString *pdf = g_string_new("%PDF-1.4\n");
	size_t offsets[G_N_ELEMENTS(objects)];
	size_t xref;

	for (size_t i = 0; i < G_N_ELEMENTS(objects); i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS(objects) + 1);
	for (size_t i = 0; i < G_N_ELEMENTS(objects); i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
			       G_N_ELEMENTS(objects) + 1, xref);
	return g_string_free_to_bytes(pdf);
}

pdf_reader *pdf_reader_new(void)
{
	pdf_reader *r = g_new0(pdf_reader, 1);

	r->keepalive_bytes = tiny_pdf();
	/* NULL is harmless: documents still open, only slower. */
	r->keepalive = poppler_document_new_from_bytes(r->keepalive_bytes, NULL, NULL);
	return r;
}

void pdf_reader_free(pdf_reader **rp)
{
	pdf_reader *r = *rp;

	if (r == NULL)
		return;
	*rp = NULL;
	g_clear_object(&r->keepalive);
	g_bytes_unref(r->keepalive_bytes);
	g_free(r);
}

/* A page with an image on it: with no text, a scan (a blank page is
 * none). */
static gboolean has_image(PopplerPage *page)
{
	GList *images = poppler_page_get_image_mapping(page);
	gboolean any = images != NULL;

	poppler_page_free_image_mapping(images);
	return any;
}

/* The document, or NULL with the status and the reason.  data must
 * outlive the document. */
static PopplerDocument *open_document(const void *data, size_t len, pdf_status *status_r,
				      char **why_r)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len);
	g_autoptr(GError) err = NULL;
	PopplerDocument *doc;

	*why_r = NULL;
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		if (g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
			*why_r = g_strdup("PDF protégé par un mot de passe : il ne peut pas être lu");
			*status_r = PDF_ENCRYPTED;
			return NULL;
		}
		*why_r = g_strdup_printf("PDF illisible (%s)", err ? err->message : "erreur inconnue");
		*status_r = PDF_CORRUPT;
		return NULL;
	}
	if (poppler_document_get_n_pages(doc) <= 0) {
		g_object_unref(doc);
		*why_r = g_strdup("PDF sans aucune page");
		*status_r = PDF_CORRUPT;
		return NULL;
	}
	*status_r = PDF_READABLE;
	return doc;
}

/* ---------------------------------------------------------------- content */

static void add_word(page_content *c, GString *text, int page, double x0, double y0, double x1,
		     double y1, page_word_source source, int field)
{
	if (text->len == 0)
		return;
	page_content_add_word(c, text->str, page, x0, y0, x1, y1, source, field);
	g_string_truncate(text, 0);
}

/* The text layer: poppler gives the page's text and one box per character
 * of it; words are the runs between white space. */
static void read_text_layer(page_content *c, PopplerPage *page, int index)
{
	g_autofree char *text = poppler_page_get_text(page);
	PopplerRectangle *boxes = NULL;
	guint n_boxes = 0;
	g_autoptr(GString) word = g_string_new(NULL);
	double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
	guint i = 0;

	if (text == NULL || !poppler_page_get_text_layout(page, &boxes, &n_boxes))
		return;
	for (const char *p = text; *p != '\0' && i < n_boxes; p = g_utf8_next_char(p), i++) {
		gunichar ch = g_utf8_get_char(p);
		const PopplerRectangle *b = &boxes[i];

		if (g_unichar_isspace(ch)) {
			add_word(c, word, index, x0, y0, x1, y1, PAGE_WORD_TEXT, -1);
			continue;
		}
		/* poppler's text runs two table cells together when no space
		 * separates them in the page: a gap wider than a third of the
		 * text's height, or a move to another line, ends a word. */
		if (word->len > 0) {
			double height = MAX(y1 - y0, 1.0);
			double mid = (b->y1 + b->y2) / 2;

			if (b->x1 - x1 > height / 3 || b->x2 < x0 || mid < y0 || mid > y1)
				add_word(c, word, index, x0, y0, x1, y1, PAGE_WORD_TEXT, -1);
		}
		if (word->len == 0) {
			x0 = b->x1;
			y0 = b->y1;
			x1 = b->x2;
			y1 = b->y2;
		} else {
			x0 = MIN(x0, b->x1);
			y0 = MIN(y0, b->y1);
			x1 = MAX(x1, b->x2);
			y1 = MAX(y1, b->y2);
		}
		g_string_append_unichar(word, ch);
	}
	add_word(c, word, index, x0, y0, x1, y1, PAGE_WORD_TEXT, -1);
	g_free(boxes);
}

static char *field_value(PopplerFormField *f)
{
	switch (poppler_form_field_get_field_type(f)) {
	case POPPLER_FORM_FIELD_TEXT: {
		char *v = poppler_form_field_text_get_text(f);

		return v ? v : g_strdup("");
	}
	case POPPLER_FORM_FIELD_CHOICE: {
		GString *out = g_string_new(NULL);
		int n = poppler_form_field_choice_get_n_items(f);

		for (int i = 0; i < n; i++) {
			if (poppler_form_field_choice_is_item_selected(f, i)) {
				g_autofree char *item = poppler_form_field_choice_get_item(f, i);

				if (item != NULL)
					g_string_append_printf(out, "%s%s", out->len ? " " : "", item);
			}
		}
		if (out->len == 0) {
			g_autofree char *typed = poppler_form_field_choice_get_text(f);

			if (typed != NULL)
				g_string_append(out, typed);
		}
		return g_string_free(out, FALSE);
	}
	case POPPLER_FORM_FIELD_BUTTON:
		if (poppler_form_field_button_get_button_type(f) == POPPLER_FORM_BUTTON_PUSH)
			return g_strdup("");
		return g_strdup(poppler_form_field_button_get_state(f) ? "oui" : "");
	default:
		return g_strdup("");
	}
}

/* Form fields: their values, and as words in their boxes so that a
 * layout reader sees them where a printed form would have them. */
static void read_fields(page_content *c, PopplerPage *page, int index, double height)
{
	GList *mapping = poppler_page_get_form_field_mapping(page);

	for (GList *l = mapping; l != NULL; l = l->next) {
		PopplerFormFieldMapping *m = l->data;
		page_field *f = g_new0(page_field, 1);
		g_auto(GStrv) tokens = NULL;
		guint n;

		f->name = poppler_form_field_get_name(m->field);
		if (f->name == NULL)
			f->name = g_strdup("");
		f->value = field_value(m->field);
		f->page = index;
		/* Field areas are in PDF space: origin at the bottom left. */
		f->x0 = MIN(m->area.x1, m->area.x2);
		f->x1 = MAX(m->area.x1, m->area.x2);
		f->y0 = height - MAX(m->area.y1, m->area.y2);
		f->y1 = height - MIN(m->area.y1, m->area.y2);
		g_ptr_array_add(c->fields, f);

		tokens = g_strsplit_set(f->value, " \t\r\n", -1);
		n = 0;
		for (guint k = 0; tokens[k] != NULL; k++)
			n += tokens[k][0] != '\0';
		/* Without the glyphs, each token gets an equal share of the box. */
		for (guint k = 0, pos = 0; tokens[k] != NULL; k++) {
			g_autoptr(GString) word = NULL;
			double share;

			if (tokens[k][0] == '\0')
				continue;
			word = g_string_new(tokens[k]);
			share = (f->x1 - f->x0) / n;
			add_word(c, word, index, f->x0 + share * pos, f->y0, f->x0 + share * (pos + 1),
				 f->y1, PAGE_WORD_FIELD, (int)c->fields->len - 1);
			pos++;
		}
	}
	poppler_page_free_form_field_mapping(mapping);
}

page_content *pdf_read(pdf_reader *r, const void *data, size_t len, pdf_status *status_r,
		      char **why_r)
{
	PopplerDocument *doc;
	page_content *c;

	/* r is what keeps poppler's global state alive between documents:
	 * nothing else is asked of it */
	(void)r;
	crashpoint("pdf-read");
	doc = open_document(data, len, status_r, why_r);
	if (doc == NULL)
		return NULL;
	c = page_content_new();
	c->n_pages = poppler_document_get_n_pages(doc);
	/* An order is a few pages: a hostile thousand-page file is read no
	 * further than this (memory stays bounded). */
	for (int i = 0; i < c->n_pages && i < PAGE_MAX_PAGES; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		double width = 0, height = 0;

		if (page == NULL)
			continue;
		guint before = c->words->len;

		poppler_page_get_size(page, &width, &height);
		read_text_layer(c, page, i);
		read_fields(c, page, i, height);
		if (c->words->len == before && has_image(page))
			g_array_append_val(c->scanned, i);
		g_object_unref(page);
	}
	g_object_unref(doc);
	page_content_sort(c);
	return c;
}
