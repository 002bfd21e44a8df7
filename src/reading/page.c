/* page.c: the page model's records. */
#include "reading/page.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

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
	c->scanned = g_array_new(FALSE, FALSE, sizeof(int));
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
	g_array_unref(c->scanned);
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

/* Page, then the middle of the word from the top, then x: a total order
 * (grouping words into lines is the layout reader's business). */
static gint by_position(gconstpointer a, gconstpointer b)
{
	const page_word *wa = *(const page_word *const *)a, *wb = *(const page_word *const *)b;
	double ca = wa->y0 + wa->y1, cb = wb->y0 + wb->y1;

	if (wa->page != wb->page)
		return wa->page < wb->page ? -1 : 1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (wa->x0 != wb->x0)
		return wa->x0 < wb->x0 ? -1 : 1;
	return 0;
}

void page_content_sort(page_content *c)
{
	g_ptr_array_sort(c->words, by_position);
}

gboolean page_content_ocr_pending(const page_content *c)
{
	return c->scanned->len > 0 && !c->ocr_done;
}

/* ---------------------------------------------------------------- kept
 * The page model as lines of tab-separated values, zlib-compressed:
 *   mailorder page model 2
 *   N_PAGES OCR_DONE     (0 or 1)
 *   s PAGE...            (scanned)
 *   r PAGE...            (ocr_read)      n PAGE... (ocr_not_read)
 *   p PROBLEM            (ocr_problem, when there is one)
 *   w PAGE X0 Y0 X1 Y1 SOURCE FIELD CONFIDENCE TEXT
 *   f PAGE X0 Y0 X1 Y1 NAME VALUE
 * Text escaped (g_strescape: no tab nor newline in a value), coordinates
 * as the hex digits of their bits (read back exactly). */

#define PAGE_MODEL_MAGIC "mailorder page model 2"
/* Far more than a purchase order holds: a bound on what a load makes. */
#define PAGE_MODEL_MAX_BYTES ((gsize)64 << 20)
#define PAGE_MODEL_MAX_ITEMS 500000
/* A line: a word, or a form field's value (a comment box, at most). */
#define PAGE_MODEL_MAX_LINE ((gsize)1 << 20)

static void put_text(GString *out, const char *s)
{
	/* bytes 0x80-0xFF kept: UTF-8 stays readable and small */
	static char high[129];
	g_autofree char *esc = NULL;

	if (high[0] == '\0') {
		for (int i = 0; i < 128; i++)
			high[i] = (char)(0x80 + i);
	}
	esc = g_strescape(s ? s : "", high);
	g_string_append_c(out, '\t');
	g_string_append(out, esc);
}

/* A tab and a number: written by hand, printf costs more than the rest. */
static void put_int(GString *out, int v)
{
	char buf[16];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	do
		buf[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	g_string_append_c(out, '\t');
	if (v < 0)
		g_string_append_c(out, '-');
	while (n > 0)
		g_string_append_c(out, buf[--n]);
}

/* A coordinate as the 16 hex digits of its bits: exact, and ten times
 * quicker to write than "%.17g". */
static void put_number(GString *out, double v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[17];
	guint64 bits;

	memcpy(&bits, &v, sizeof(bits));
	buf[0] = '\t';
	for (int i = 16; i >= 1; i--, bits >>= 4)
		buf[i] = hex[bits & 0xf];
	g_string_append_len(out, buf, sizeof(buf));
}

static void put_pages(GString *out, const char *tag, const GArray *pages)
{
	g_string_append(out, tag);
	for (guint i = 0; i < pages->len; i++)
		g_string_append_printf(out, "\t%d", g_array_index(pages, int, i));
	g_string_append_c(out, '\n');
}

static GBytes *convert(GConverter *conv, const void *data, gsize len, gsize max,
		       GError **error)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	const guint8 *in = data;
	gsize left = len;
	guint8 buf[65536];

	for (;;) {
		gsize read = 0, written = 0;
		GConverterResult r = g_converter_convert(conv, in, left, buf, sizeof(buf),
							 left ? G_CONVERTER_NO_FLAGS
							      : G_CONVERTER_INPUT_AT_END,
							 &read, &written, error);

		if (r == G_CONVERTER_ERROR)
			return NULL;
		in += read;
		left -= read;
		g_byte_array_append(out, buf, (guint)written);
		if (out->len > max) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "more than %zu bytes", max);
			return NULL;
		}
		if (r == G_CONVERTER_FINISHED)
			return g_byte_array_free_to_bytes(g_steal_pointer(&out));
	}
}

/* A compressor per thread, reset for each model: making one costs more
 * than compressing a purchase order (zlib's tables, page faults). */
static GPrivate thread_compressor = G_PRIVATE_INIT(g_object_unref);

static GConverter *compressor(void)
{
	GConverter *z = g_private_get(&thread_compressor);

	if (z == NULL) {
		z = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1));
		g_private_set(&thread_compressor, z);
	} else {
		g_converter_reset(z);
	}
	return z;
}

GBytes *page_content_save(const page_content *c)
{
	g_autoptr(GString) out = g_string_sized_new(64 + 96 * c->words->len);

	g_string_append(out, PAGE_MODEL_MAGIC "\n");

	g_string_append_printf(out, "%d\t%d\n", c->n_pages, c->ocr_done ? 1 : 0);
	put_pages(out, "s", c->scanned);
	put_pages(out, "r", c->ocr_read);
	put_pages(out, "n", c->ocr_not_read);
	if (c->ocr_problem != NULL) {
		g_string_append_c(out, 'p');
		put_text(out, c->ocr_problem);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < c->words->len; i++) {
		const page_word *w = c->words->pdata[i];

		g_string_append_c(out, 'w');
		put_int(out, w->page);
		put_number(out, w->x0);
		put_number(out, w->y0);
		put_number(out, w->x1);
		put_number(out, w->y1);
		put_int(out, (int)w->source);
		put_int(out, w->field);
		put_int(out, w->confidence);
		put_text(out, w->text);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < c->fields->len; i++) {
		const page_field *f = c->fields->pdata[i];

		g_string_append_c(out, 'f');
		put_int(out, f->page);
		put_number(out, f->x0);
		put_number(out, f->y0);
		put_number(out, f->x1);
		put_number(out, f->y1);
		put_text(out, f->name);
		put_text(out, f->value);
		g_string_append_c(out, '\n');
	}
	/* compressing what is in memory cannot fail */
	return convert(compressor(), out->str, out->len, G_MAXSIZE, NULL);
}

static gboolean get_int(const char *s, int lo, int hi, int *v_r)
{
	gint64 v;

	if (!g_ascii_string_to_signed(s, 10, lo, hi, &v, NULL))
		return FALSE;
	*v_r = (int)v;
	return TRUE;
}

static gboolean get_box(char **f, double *box)
{
	for (int i = 0; i < 4; i++) {
		guint64 bits;

		if (strlen(f[i]) != 16 || !g_ascii_string_to_unsigned(f[i], 16, 0, G_MAXUINT64, &bits, NULL))
			return FALSE;
		memcpy(&box[i], &bits, sizeof(bits));
		if (!isfinite(box[i]))
			return FALSE;
	}
	return box[0] <= box[2] && box[1] <= box[3];
}

/* "s\t0\t2...", "r\t..." or "n\t...": pages in increasing order, each below the
 * document's read ones (so that a line of a million tabs makes no million
 * strings: it is read number by number). */
static gboolean get_pages(const char *line, int n_pages, GArray *pages)
{
	const char *p = line + 1;
	/* increasing across lines too: a second line cannot start over */
	int limit = MIN(n_pages, PAGE_MAX_PAGES);
	int last = pages->len > 0 ? g_array_index(pages, int, pages->len - 1) : -1;

	while (*p == '\t') {
		char *end;
		gint64 v = g_ascii_strtoll(p + 1, &end, 10);
		int page;

		if (end == p + 1 || (*end != '\t' && *end != '\0') || v <= last || v >= limit)
			return FALSE;
		page = (int)v;
		g_array_append_val(pages, page);
		last = page;
		p = end;
	}
	return *p == '\0';
}

/* An escaped value (put_text's) as it was; NULL when it is not one (a
 * lone backslash at its end, which g_strcompress would warn of). */
static char *unescape(const char *s)
{
	gsize n = strlen(s), backslashes = 0;

	while (backslashes < n && s[n - 1 - backslashes] == '\\')
		backslashes++;
	return backslashes % 2 == 0 ? g_strcompress(s) : NULL;
}

/* One line of the saved model into c; FALSE when it is not one. */
static gboolean load_line(page_content *c, const char *line)
{
	/* at most one field more than a word line has: a longer line is
	 * refused whole, not split into pieces */
	g_auto(GStrv) f = NULL;
	guint n;
	double box[4];
	int page;

	if ((line[0] == 's' || line[0] == 'r' || line[0] == 'n') &&
	    (line[1] == '\t' || line[1] == '\0'))
		return get_pages(line, c->n_pages,
				 line[0] == 's' ? c->scanned
				 : line[0] == 'r' ? c->ocr_read : c->ocr_not_read);
	f = g_strsplit(line, "\t", 11);
	n = g_strv_length(f);
	if (n == 0)
		return FALSE;
	if (strcmp(f[0], "p") == 0 && n == 2 && c->ocr_problem == NULL) {
		c->ocr_problem = unescape(f[1]);
		return c->ocr_problem != NULL && g_utf8_validate(c->ocr_problem, -1, NULL);
	}
	if (n < 6 || !get_int(f[1], 0, c->n_pages - 1, &page) || !get_box(f + 2, box))
		return FALSE;
	if (strcmp(f[0], "w") == 0 && n == 10) {
		int source, field, confidence;
		g_autofree char *text = NULL;
		page_word *w;

		if (!get_int(f[6], PAGE_WORD_TEXT, PAGE_WORD_OCR, &source) ||
		    !get_int(f[7], -1, PAGE_MODEL_MAX_ITEMS, &field) ||
		    !get_int(f[8], 0, 100, &confidence) ||
		    /* a form's word has its field; no other word has one */
		    (source == PAGE_WORD_FIELD) != (field >= 0))
			return FALSE;
		text = unescape(f[9]);
		if (text == NULL || text[0] == '\0' || !g_utf8_validate(text, -1, NULL))
			return FALSE;
		w = page_content_add_word(c, text, page, box[0], box[1], box[2], box[3],
					  (page_word_source)source, field);
		w->confidence = confidence;
		return TRUE;
	}
	if (strcmp(f[0], "f") == 0 && n == 8) {
		page_field *pf = g_new0(page_field, 1);

		pf->page = page;
		pf->x0 = box[0];
		pf->y0 = box[1];
		pf->x1 = box[2];
		pf->y1 = box[3];
		pf->name = unescape(f[6]);
		pf->value = unescape(f[7]);
		g_ptr_array_add(c->fields, pf);
		return pf->name != NULL && pf->value != NULL && g_utf8_validate(pf->name, -1, NULL) &&
		       g_utf8_validate(pf->value, -1, NULL);
	}
	return FALSE;
}

static gboolean has_page(const GArray *pages, int page)
{
	for (guint i = 0; i < pages->len; i++) {
		if (g_array_index(pages, int, i) == page)
			return TRUE;
	}
	return FALSE;
}

static gboolean ocr_lists_agree(const page_content *c)
{
	if (!c->ocr_done)
		return c->ocr_read->len == 0 && c->ocr_not_read->len == 0 && c->ocr_problem == NULL;
	for (guint i = 0; i < c->ocr_read->len; i++) {
		int page = g_array_index(c->ocr_read, int, i);

		if (!has_page(c->scanned, page) || has_page(c->ocr_not_read, page))
			return FALSE;
	}
	for (guint i = 0; i < c->ocr_not_read->len; i++) {
		if (!has_page(c->scanned, g_array_index(c->ocr_not_read, int, i)))
			return FALSE;
	}
	/* a scanned page neither read nor beyond the budget failed: why is
	 * said */
	return c->ocr_read->len + c->ocr_not_read->len == c->scanned->len || c->ocr_problem != NULL;
}

/* Reads the model line by line: no more is made of it than a line at a
 * time and what the lines describe (a blob that inflates to millions of
 * empty lines is refused at the bound, not split first). */
page_content *page_content_load(GBytes *saved, GError **error)
{
	g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) text = NULL;
	g_autoptr(page_content) c = page_content_new();
	const char *data, *p, *end;
	gsize len;
	guint lineno = 0;

	data = g_bytes_get_data(saved, &len);
	text = convert(G_CONVERTER(z), data, len, PAGE_MODEL_MAX_BYTES, &err);
	if (text == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "page model not readable: %s", err->message);
		return NULL;
	}
	data = g_bytes_get_data(text, &len);
	if (len < sizeof(PAGE_MODEL_MAGIC) || memcmp(data, PAGE_MODEL_MAGIC "\n", sizeof(PAGE_MODEL_MAGIC)) != 0 ||
	    memchr(data, '\0', len) != NULL || data[len - 1] != '\n') {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "not a page model of this version");
		return NULL;
	}
	end = data + len;
	for (p = data + sizeof(PAGE_MODEL_MAGIC); p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		g_autofree char *line = NULL;
		gboolean good;

		if ((gsize)(nl - p) > PAGE_MODEL_MAX_LINE) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "page model: line %u is too long", lineno + 2);
			return NULL;
		}
		line = g_strndup(p, (gsize)(nl - p));
		p = nl + 1;
		if (lineno >= PAGE_MODEL_MAX_ITEMS) {
			good = FALSE;
		} else if (lineno == 0) {
			g_auto(GStrv) f = g_strsplit(line, "\t", 3);
			int done;

			good = g_strv_length(f) == 2 &&
			       get_int(f[0], 0, PAGE_MODEL_MAX_ITEMS, &c->n_pages) &&
			       get_int(f[1], 0, 1, &done);
			c->ocr_done = good && done == 1;
		} else {
			good = load_line(c, line);
		}
		if (!good) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "page model: line %u is not one", lineno + 2);
			return NULL;
		}
	}
	if (lineno == 0) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "page model: its counts are missing");
		return NULL;
	}
	/* OCR reads scanned pages only, each once, and nothing before it
	 * was done (a draft's check names the pages) */
	if (!ocr_lists_agree(c)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "page model: its pages read by OCR or not are not its scanned ones");
		return NULL;
	}
	for (guint i = 0; i < c->words->len; i++) {
		const page_word *w = c->words->pdata[i];

		/* the reader takes a form word's field by its index */
		if (w->field >= (int)c->fields->len) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					    "page model: a word of a field it does not have");
			return NULL;
		}
		/* OCR words only on the pages OCR read, and nothing else on a
		 * scan: what a draft says was read by OCR is all of it */
		if (w->source == PAGE_WORD_OCR ? !has_page(c->ocr_read, w->page)
					       : has_page(c->scanned, w->page)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					    "page model: a word whose source is not its page's");
			return NULL;
		}
	}
	return g_steal_pointer(&c);
}
