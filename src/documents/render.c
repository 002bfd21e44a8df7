/* render.c: the values of a document laid out on A4 pages by its template,
 * drawn with libharu (the only file including <hpdf.h>; see render.h).
 *
 * Two passes: the layout places every block, page after page, as a list
 * of drawing operations (texts, rectangles, lines, images), measuring the
 * texts with libharu; then each page is drawn, with the footer and the
 * header of the following pages, which say "page 2/3" and so only once
 * the count is known.
 *
 * Speed.  libharu is slow with fonts: per document and per font it writes
 * the font's tables and, in its UTF-8 (CID) mode, a 65536-entry map and
 * walks the font's characters 65536 times.  Three things keep a document
 * to about a millisecond:
 *  - the fonts are cut down once, when the templates are loaded, to the
 *    ~1 700 characters a document may hold (fontsubset.c), and read by
 *    libharu from memory (a memfd), not from the disk;
 *  - the libharu documents are kept and reused (HPDF_NewDoc keeps the
 *    parsed fonts): a small pool, since doc_render may run in several
 *    threads at once;
 *  - a document whose every character is in WinAnsi (Windows-1252: all of
 *    French, the euro sign, guillemets, curly quotes, dashes) is drawn with
 *    single-byte fonts, four times faster than the UTF-8 ones; any other
 *    character (a Polish name, Greek) switches that document to UTF-8.
 *    In WinAnsi the narrow no-break space U+202F (money_format_cents_fr's
 *    thousands separator) has no code: it is drawn as a no-break space
 *    U+00A0, a little wider; in UTF-8 it is drawn as itself.
 *
 * The output does not depend on the time or on the machine: no date is
 * set in the PDF, and the same values give the same bytes.
 */
#include "documents/render_p.h"

#include "lib/error.h"
#include "lib/fsutil.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <hpdf.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define VALUE_MAX_BYTES (16 * 1024)   /* a value longer is cut: a page holds less */
#define TABLE_MAX_ROWS 20000
#define FONT_MAX_BYTES (32 * 1024 * 1024)
#define IMAGE_MAX_BYTES (4 * 1024 * 1024)   /* libpng refuses a chunk over 8 000 000 bytes */
#define MAX_PAGES 500
#define POOL_MAX 8                    /* idle libharu documents kept */
#define CELL_PAD_X (1.6 * DOC_MM)
#define CELL_PAD_Y (0.9 * DOC_MM)
#define BOX_PAD (2.5 * DOC_MM)

/* ---------------------------------------------------------------- values */

struct doc_values {
	GHashTable *values;   /* name -> text */
	GHashTable *tables;   /* name -> GPtrArray of rows, each a GHashTable cell -> text */
};

doc_values *doc_values_new(void)
{
	doc_values *v = g_new0(doc_values, 1);

	v->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	v->tables = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)g_ptr_array_unref);
	return v;
}

void doc_values_free(doc_values *v)
{
	if (v == NULL)
		return;
	g_hash_table_unref(v->values);
	g_hash_table_unref(v->tables);
	g_free(v);
}

/* text as it is kept: valid UTF-8, at most VALUE_MAX_BYTES */
static char *value_copy(const char *text)
{
	char *s;

	if (text == NULL)
		return g_strdup("");
	s = g_utf8_make_valid(text, -1);
	if (strlen(s) > VALUE_MAX_BYTES) {
		char *end = g_utf8_find_prev_char(s, s + VALUE_MAX_BYTES);

		*end = '\0';
	}
	return s;
}

void doc_values_set(doc_values *v, const char *name, const char *text)
{
	g_hash_table_replace(v->values, g_strdup(name), value_copy(text));
}

void doc_values_setf(doc_values *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	doc_values_set(v, name, text);
}

void doc_values_add_row(doc_values *v, const char *table, const char *const *cells)
{
	GPtrArray *rows = g_hash_table_lookup(v->tables, table);
	GHashTable *row = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (rows == NULL) {
		rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
		g_hash_table_insert(v->tables, g_strdup(table), rows);
	}
	for (gsize i = 0; cells != NULL && cells[i] != NULL; i += 2) {
		g_hash_table_replace(row, g_strdup(cells[i]), value_copy(cells[i + 1]));
		if (cells[i + 1] == NULL)
			break;   /* a name without its value: the list ends there */
	}
	g_ptr_array_add(rows, row);
}

static guint table_rows(const doc_values *v, const char *table)
{
	const GPtrArray *rows = g_hash_table_lookup(v->tables, table);

	return rows ? rows->len : 0;
}

/* ---------------------------------------------------------------- templates */

/* A libharu document and its two fonts, loaded once and kept for the
 * next documents (HPDF_NewDoc keeps the fonts it parsed). */
typedef struct {
	HPDF_Doc pdf;
	const char *font_name[2][2];   /* libharu's names of the loaded fonts: [set][bold] */
	HPDF_STATUS error_no, detail_no;   /* the first error libharu reported */
} pdf_slot;

struct doc_templates {
	doc_common *common;
	GHashTable *kinds;          /* kind -> doc_template* */
	doc_font font[2][2];        /* [doc_font_set][bold]: regular and bold, cut down twice */
	guint8 covered[2][65536 / 8]; /* [doc_font_set]: the characters both weights draw */
	char *font_file[2][2];      /* what libharu opens: /proc/self/fd/N, or a temp file */
	int font_fd[2][2];
	gboolean font_temp[2][2];   /* font_file is a temp file, deleted at the end */
	GMutex lock;                /* the pool and the logos */
	GPtrArray *idle;            /* pdf_slot* */
	GHashTable *logos;          /* path -> logo*: files read and checked already */
};

/* A logo's file as it was read and found good, and which file it was:
 * read again only when it changes. */
typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	gint64 mtime_ns;
	GBytes *data;
	doc_image_kind kind;
} logo;

static void logo_free(logo *l)
{
	g_bytes_unref(l->data);
	g_free(l);
}

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
	pdf_slot *s = data;

	if (s->error_no == 0) {
		s->error_no = error_no;
		s->detail_no = detail_no;
	}
}

/* libharu's error, as a person reads it. */
static char *hpdf_error_fr(const pdf_slot *s)
{
	const char *what;

	switch (s->error_no) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		what = "mémoire épuisée";
		break;
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		what = "fichier illisible";
		break;
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
		what = "la licence de la police interdit de l'inclure dans un PDF";
		break;
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_INVALID_FONTDEF_DATA:
		what = "police TrueType refusée par libharu";
		break;
	case HPDF_UNSUPPORTED_JPEG_FORMAT:
	case HPDF_INVALID_JPEG_DATA:
		what = "image JPEG illisible ou d'un format que libharu ne prend pas (CMJN ?)";
		break;
	case HPDF_INVALID_PNG_IMAGE:
	case HPDF_LIBPNG_ERROR:
	case HPDF_UNSUPPORTED_FUNC:
		what = "image PNG que libharu ne prend pas";
		break;
	default:
		what = "erreur interne";
		break;
	}
	return g_strdup_printf("libharu : %s (code 0x%04X, détail %u)", what, (unsigned)s->error_no,
			       (unsigned)s->detail_no);
}

static void slot_free(pdf_slot *s)
{
	if (s == NULL)
		return;
	if (s->pdf != NULL)
		HPDF_Free(s->pdf);
	g_free(s);
}

static pdf_slot *slot_new(const doc_templates *t, GError **error)
{
	pdf_slot *s = g_new0(pdf_slot, 1);

	s->pdf = HPDF_New(on_hpdf_error, s);
	if (s->pdf == NULL) {
		g_free(s);
		g_set_error_literal(error, MO_ERROR, MO_ERROR_FAILED, "libharu : mémoire épuisée");
		return NULL;
	}
	HPDF_UseUTFEncodings(s->pdf);
	for (int i = 0; i < 4 && s->error_no == 0; i++)
		s->font_name[i / 2][i % 2] = HPDF_LoadTTFontFromFile(s->pdf, t->font_file[i / 2][i % 2], HPDF_TRUE);
	if (s->error_no != 0 || !s->font_name[0][0] || !s->font_name[0][1] || !s->font_name[1][0] ||
	    !s->font_name[1][1]) {
		g_autofree char *why = hpdf_error_fr(s);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s:%d: police refusée (%s)",
			    t->common->file ? t->common->file : t->common->font_path[0],
			    t->common->font_line[0], why);
		slot_free(s);
		return NULL;
	}
	return s;
}

static pdf_slot *slot_take(const doc_templates *t, GError **error)
{
	doc_templates *mt = (doc_templates *)t;   /* the pool only: see render.h */
	pdf_slot *s = NULL;

	g_mutex_lock(&mt->lock);
	if (mt->idle->len > 0)
		s = g_ptr_array_steal_index(mt->idle, mt->idle->len - 1);
	g_mutex_unlock(&mt->lock);
	return s != NULL ? s : slot_new(t, error);
}

/* Back to the pool, its document's memory released; a slot that met an
 * error is not trusted again. */
static void slot_give(const doc_templates *t, pdf_slot *s)
{
	doc_templates *mt = (doc_templates *)t;

	if (s->error_no != 0) {
		slot_free(s);
		return;
	}
	HPDF_FreeDoc(s->pdf);
	g_mutex_lock(&mt->lock);
	if (mt->idle->len < POOL_MAX) {
		g_ptr_array_add(mt->idle, s);
		s = NULL;
	}
	g_mutex_unlock(&mt->lock);
	slot_free(s);
}

/* A file name libharu can open for bytes that are in memory only: a memfd
 * seen through /proc/self/fd, or else a temp file. */
static int font_file_of(doc_templates *t, int set, int i, GError **error)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(t->font[set][i].ttf, &len);
	int fd = memfd_create(i ? "mailorder-bold.ttf" : "mailorder-regular.ttf", MFD_CLOEXEC);

	if (fd >= 0) {
		gsize done = 0;
		g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);

		while (done < len) {
			ssize_t n = write(fd, data + done, len - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (gsize)n;
		}
		if (done == len && access(path, R_OK) == 0) {
			t->font_fd[set][i] = fd;
			t->font_file[set][i] = g_steal_pointer(&path);
			return 0;
		}
		close(fd);
	}
	/* no memfd, or no /proc: a file of our own */
	{
		g_autofree char *path = NULL;
		int tfd = g_file_open_tmp("mailorder-font-XXXXXX.ttf", &path, error);

		if (tfd < 0)
			return -1;
		close(tfd);
		if (!g_file_set_contents(path, (const char *)data, (gssize)len, error)) {
			g_unlink(path);
			return -1;
		}
		t->font_file[set][i] = g_steal_pointer(&path);
		t->font_temp[set][i] = TRUE;
	}
	return 0;
}

void doc_templates_free(doc_templates *t)
{
	if (t == NULL)
		return;
	if (t->idle != NULL)
		g_ptr_array_unref(t->idle);   /* before the fonts' files: libharu holds them open */
	for (int i = 0; i < 4; i++) {
		int set = i / 2, w = i % 2;

		if (t->font_temp[set][w])
			g_unlink(t->font_file[set][w]);
		if (t->font_fd[set][w] > 0)
			close(t->font_fd[set][w]);
		g_free(t->font_file[set][w]);
		doc_font_release(&t->font[set][w]);
	}
	if (t->kinds != NULL)
		g_hash_table_unref(t->kinds);
	if (t->logos != NULL)
		g_hash_table_unref(t->logos);
	doc_common_free(t->common);
	g_mutex_clear(&t->lock);
	g_free(t);
}

gboolean doc_templates_have(const doc_templates *t, const char *kind)
{
	return g_hash_table_contains(t->kinds, kind);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

G_GNUC_PRINTF(2, 3)
static void add_problem(GString *problems, const char *fmt, ...)
{
	va_list ap;

	if (problems->len > 0)
		g_string_append_c(problems, '\n');
	va_start(ap, fmt);
	g_string_append_vprintf(problems, fmt, ap);
	va_end(ap);
}

/* Reads and cuts down the font i names, in problems when it cannot. */
static void load_font(doc_templates *t, int i, GString *problems)
{
	const doc_common *c = t->common;
	const char *file = c->file ? c->file : "common.yaml";
	g_autofree char *data = NULL;
	g_autoptr(GError) err = NULL;
	const char *why = NULL;
	size_t len = 0;

	if (fsutil_read_file(c->font_path[i], FONT_MAX_BYTES, &data, &len, &err) < 0) {
		add_problem(problems, "%s:%d: police illisible : %s%s", file, c->font_line[i], err->message,
			    c->file ? "" : " (installez fonts-dejavu-core, ou nommez les polices dans "
					   "common.yaml, fonts:)");
		return;
	}
	if (doc_font_subset((const guint8 *)data, len, DOC_FONT_WIDE, &t->font[DOC_FONT_WIDE][i], &why) < 0 ||
	    doc_font_subset((const guint8 *)data, len, DOC_FONT_WINANSI, &t->font[DOC_FONT_WINANSI][i], &why) < 0)
		add_problem(problems, "%s:%d: police %s : %s", file, c->font_line[i], c->font_path[i], why);
}

doc_templates *doc_templates_load(const char *const *dirs, GError **error)
{
	g_autoptr(doc_templates) t = g_new0(doc_templates, 1);
	g_autoptr(GHashTable) files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(GPtrArray) names = NULL;
	gboolean any_dir = FALSE;
	pdf_slot *first;

	g_mutex_init(&t->lock);
	t->idle = g_ptr_array_new_with_free_func((GDestroyNotify)slot_free);
	t->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)doc_template_free);
	t->logos = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)logo_free);
	/* a file of an earlier folder hides the one of the same name in a later one */
	for (guint i = 0; dirs[i] != NULL; i++) {
		g_autoptr(GDir) d = NULL;
		const char *name;

		if (!g_file_test(dirs[i], G_FILE_TEST_IS_DIR))
			continue;
		any_dir = TRUE;
		d = g_dir_open(dirs[i], 0, NULL);
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			if (g_str_has_suffix(name, ".yaml") && !g_hash_table_contains(files, name))
				g_hash_table_insert(files, g_strdup(name), g_build_filename(dirs[i], name, NULL));
		}
	}
	if (!any_dir) {
		g_autofree char *list = g_strjoinv(", ", (char **)dirs);

		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "aucun dossier de modèles de documents (%s)",
			    list[0] ? list : "aucun donné");
		return NULL;
	}
	t->common = doc_common_load(g_hash_table_lookup(files, "common.yaml"), problems);
	for (int i = 0; i < 2; i++)
		load_font(t, i, problems);
	names = g_ptr_array_new();
	{
		GHashTableIter it;
		gpointer name;

		g_hash_table_iter_init(&it, files);
		while (g_hash_table_iter_next(&it, &name, NULL))
			g_ptr_array_add(names, name);
	}
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *kind = g_strndup(name, strlen(name) - strlen(".yaml"));
		doc_template *tpl;

		if (strcmp(name, "common.yaml") == 0)
			continue;
		tpl = doc_template_load(g_hash_table_lookup(files, name), kind, t->common, problems);
		if (tpl != NULL)
			g_hash_table_insert(t->kinds, g_steal_pointer(&kind), tpl);
	}
	if (problems->len > 0) {
		g_set_error_literal(error, MO_ERROR, MO_ERROR_INVALID, problems->str);
		return NULL;
	}
	for (int set = 0; set < 2; set++) {
		for (guint i = 0; i < sizeof(t->covered[set]); i++)
			t->covered[set][i] = t->font[set][0].covered[i] & t->font[set][1].covered[i];
		for (int w = 0; w < 2; w++) {
			if (font_file_of(t, set, w, error) < 0)
				return NULL;
		}
	}
	/* libharu reads the fonts now, so that a font it refuses is said here */
	first = slot_new(t, error);
	if (first == NULL)
		return NULL;
	/* render.c encodes WinAnsi itself (template.c's table); libharu must
	 * read the bytes the same way */
	{
		HPDF_Encoder enc = HPDF_GetEncoder(first->pdf, "CP1252");

		for (guint b = 0x20; enc != NULL && b <= 0xFF; b++) {
			HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)b);

			if (u >= 0x20 && u != 0x7F && doc_winansi_byte(u) != b)
				g_error("render: WinAnsi byte 0x%02X is U+%04X for libharu", b, (unsigned)u);
		}
	}
	slot_give(t, first);
	return g_steal_pointer(&t);
}

/* ---------------------------------------------------------------- layout */

typedef enum { OP_TEXT, OP_FILL, OP_BOX, OP_LINE, OP_IMAGE } op_kind;

/* One drawing operation; y grows downwards from the page's top. */
typedef struct {
	op_kind kind;
	double x, y, w, h;        /* a text: x and its baseline y */
	doc_color color;
	double size;              /* a text's; a line's or box's width */
	int bold;
	char *text;               /* a text: owned */
	HPDF_Image image;
} op;

typedef enum { MODE_WINANSI, MODE_UTF8 } text_mode;

typedef struct {
	const doc_templates *t;
	const doc_template *tpl;
	const doc_common *c;
	const doc_values *v;
	pdf_slot *slot;
	HPDF_Font font[2];
	text_mode mode;
	double ascent[2], descent[2];   /* of a 1 pt font */
	GPtrArray *pages;               /* GArray of op per page */
	GArray *ops;                    /* the page being filled */
	double y, top, bottom;          /* the flow: where it is, where it starts and ends */
	double left, width;             /* the page's text box */
	double footer_h;
	GHashTable *row;                /* cells of the table row being laid out */
	const char *page_no, *pages_no; /* {page}, {pages}: set for footer and continuation */
	char *doc_name;                 /* {document.name} */
	GString *bytes;                 /* a text encoded for libharu */
	GHashTable *images;             /* path -> HPDF_Image, loaded once a document */
	GError *error;                  /* the first one */
} render;

static void op_clear(gpointer p)
{
	g_free(((op *)p)->text);
}

static GArray *ops_new(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(op));

	g_array_set_clear_func(a, op_clear);
	return a;
}

G_GNUC_PRINTF(4, 5)
static void fail(render *r, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *why = NULL;

	if (r->error != NULL)
		return;
	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r->error = g_error_new(MO_ERROR, MO_ERROR_INVALID, "%s:%d: %s", file, line, why);
}

static gboolean covered(const doc_templates *t, doc_font_set set, gunichar c)
{
	return c < 0x10000 && (t->covered[set][c / 8] >> (c % 8) & 1);
}

/* Whether c can be drawn with the single-byte fonts. */
static gboolean winansi_drawable(const doc_templates *t, gunichar c)
{
	if (c == 0x202F)
		c = 0xA0;
	return doc_winansi_byte(c) != 0 && covered(t, DOC_FONT_WINANSI, c);
}

/* Whether c may be drawn in this document's mode. */
static gboolean drawable(const render *r, gunichar c)
{
	return r->mode == MODE_UTF8 ? covered(r->t, DOC_FONT_WIDE, c) : winansi_drawable(r->t, c);
}

/* What is drawn for text: NFC, control characters out, line breaks kept,
 * a character the fonts or the mode lack replaced by its base letter
 * ("ệ" -> "e") or by "?". */
static char *sanitize(const render *r, const char *text)
{
	g_autofree char *nfc = NULL;
	GString *out;
	const char *s = text;

	for (const char *p = text; *p != '\0'; p++) {
		if ((guchar)*p >= 0x80) {
			nfc = g_utf8_normalize(text, -1, G_NORMALIZE_NFC);
			s = nfc ? nfc : text;
			break;
		}
	}
	out = g_string_sized_new(strlen(s));
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s), d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
		gsize n;
		gboolean any = FALSE;

		if (c == '\n') {
			g_string_append_c(out, '\n');
			continue;
		}
		if (c == '\t' || c == '\r' || c == 0x2028 || c == 0x2029 ||
		    (g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR && c != 0xA0 && c != 0x202F && !drawable(r, c))) {
			g_string_append_c(out, ' ');
			continue;
		}
		if (g_unichar_iscntrl(c) || g_unichar_type(c) == G_UNICODE_FORMAT)
			continue;   /* soft hyphen, zero-width joiners, bidi marks */
		if (drawable(r, c)) {
			g_string_append_unichar(out, c);
			continue;
		}
		n = g_unichar_fully_decompose(c, TRUE, d, G_N_ELEMENTS(d));
		for (gsize i = 0; i < n; i++) {
			if (g_unichar_type(d[i]) != G_UNICODE_NON_SPACING_MARK && drawable(r, d[i])) {
				g_string_append_unichar(out, d[i]);
				any = TRUE;
			}
		}
		if (!any)
			g_string_append_c(out, '?');
	}
	return g_string_free(out, FALSE);
}

/* The bytes libharu draws for text (sanitized: every character has one). */
static const char *encode(render *r, const char *text, gsize len)
{
	const char *end = text + len;

	if (r->mode == MODE_UTF8) {
		g_string_truncate(r->bytes, 0);
		g_string_append_len(r->bytes, text, (gssize)len);
		return r->bytes->str;
	}
	g_string_truncate(r->bytes, 0);
	for (const char *s = text; s < end; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);
		guint8 b = c == 0x202F ? 0xA0 : doc_winansi_byte(c);

		g_string_append_c(r->bytes, (char)(b ? b : '?'));
	}
	return r->bytes->str;
}

static double text_width(render *r, int bold, double size, const char *text, gsize len)
{
	const char *bytes;
	HPDF_TextWidth tw;

	if (len == 0)
		return 0;
	bytes = encode(r, text, len);
	tw = HPDF_Font_TextWidth(r->font[bold], (const HPDF_BYTE *)bytes, (HPDF_UINT)r->bytes->len);
	return tw.width * size / 1000.0;
}

static double line_height(const render *r, double size)
{
	return size * r->c->line_height;
}

/* From a line's top to its baseline: the leading shared above and below. */
static double baseline(const render *r, int bold, double size)
{
	double glyphs = (r->ascent[bold] - r->descent[bold]) * size;

	return (line_height(r, size) - glyphs) / 2 + r->ascent[bold] * size;
}

/* The longest start of text (at most len bytes) that fits in width,
 * one character at least. */
static gsize fitting(render *r, int bold, double size, const char *text, gsize len, double width)
{
	gsize lo = 0, hi = len;

	while (lo < hi) {
		gsize mid = (lo + hi + 1) / 2;
		const char *cut = g_utf8_find_prev_char(text, text + mid + 1);

		mid = cut ? (gsize)(cut - text) : 0;
		if (mid <= lo)
			mid = (gsize)(g_utf8_next_char(text + lo) - text);
		if (mid > hi)
			break;
		if (text_width(r, bold, size, text, mid) <= width)
			lo = mid;
		else
			hi = mid == 0 ? 0 : (gsize)(g_utf8_find_prev_char(text, text + mid) - text);
	}
	if (lo == 0 && len > 0)
		lo = (gsize)(g_utf8_next_char(text) - text);
	return lo;
}

/* text cut into lines of at most width: at spaces, at "\n", inside a
 * word only when the word alone is too wide; at most max_lines, the last
 * one ending with "…" when some is left out. */
static GPtrArray *wrap(render *r, int bold, double size, const char *text, double width, guint max_lines)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) paras = g_strsplit(text, "\n", -1);
	double space = text_width(r, bold, size, " ", 1);
	gboolean cut = FALSE;

	for (guint p = 0; paras[p] != NULL && !cut; p++) {
		const char *s = paras[p];
		GString *line = g_string_new(NULL);
		double line_w = 0;

		if (text_width(r, bold, size, s, strlen(s)) <= width) {
			g_ptr_array_add(lines, g_strdup(s));
			g_string_free(line, TRUE);
			continue;
		}
		while (*s != '\0') {
			const char *end;
			gsize len;
			double w;

			while (*s == ' ')
				s++;
			if (*s == '\0')
				break;
			end = strchr(s, ' ');
			len = end ? (gsize)(end - s) : strlen(s);
			w = text_width(r, bold, size, s, len);
			if (line->len > 0 && line_w + space + w <= width) {
				g_string_append_c(line, ' ');
				g_string_append_len(line, s, (gssize)len);
				line_w += space + w;
				s += len;
				continue;
			}
			if (line->len > 0) {
				g_ptr_array_add(lines, g_strdup(line->str));
				g_string_truncate(line, 0);
				line_w = 0;
			}
			if (w > width) {
				gsize fit = fitting(r, bold, size, s, len, width);

				if (fit < len) {
					g_ptr_array_add(lines, g_strndup(s, fit));
					s += fit;
					continue;
				}
			}
			g_string_append_len(line, s, (gssize)len);
			line_w = w;
			s += len;
		}
		if (line->len > 0 || lines->len == 0 || p > 0)
			g_ptr_array_add(lines, g_string_free(line, FALSE));
		else
			g_string_free(line, TRUE);
		if (lines->len > max_lines)
			cut = TRUE;
	}
	if (lines->len > max_lines || (cut && paras[0] != NULL)) {
		char *last;
		GString *l;

		g_ptr_array_set_size(lines, MAX(max_lines, 1));
		last = lines->pdata[lines->len - 1];
		l = g_string_new(last);
		while (l->len > 0 && text_width(r, bold, size, l->str, l->len) +
					     text_width(r, bold, size, "…", strlen("…")) > width) {
			const char *prev = g_utf8_find_prev_char(l->str, l->str + l->len);

			g_string_truncate(l, prev ? (gsize)(prev - l->str) : 0);
		}
		g_string_append(l, "…");
		g_free(last);
		lines->pdata[lines->len - 1] = g_string_free(l, FALSE);
	}
	return lines;
}

/* ------------------------------------------------- values in the texts */

static const char *value_of(render *r, const char *name, const char *file, int line)
{
	const char *v;

	if (strcmp(name, "document.name") == 0 && r->doc_name != NULL)
		return r->doc_name;
	if ((strcmp(name, "page") == 0 || strcmp(name, "pages") == 0) && r->page_no != NULL)
		return name[4] == 's' ? r->pages_no : r->page_no;
	if (r->row != NULL && strchr(name, '.') == NULL) {
		v = g_hash_table_lookup(r->row, name);
		if (v == NULL)
			fail(r, file, line, "cellule inconnue {%s} : une ligne du tableau ne la donne pas", name);
		return v;
	}
	v = g_hash_table_lookup(r->v->values, name);
	if (v == NULL)
		fail(r, file, line, "valeur inconnue {%s} : le programme ne l'a pas donnée", name);
	return v;
}

/* The text with its values, sanitized; "" when an error was met. */
static char *expand(render *r, const doc_text *t, const char *file)
{
	GString *out;

	if (t == NULL)
		return g_strdup("");
	out = g_string_new(NULL);
	for (guint i = 0; i < t->n; i++) {
		const doc_piece *p = &t->pieces[i];
		const char *v;

		if (!p->is_ref) {
			g_string_append(out, p->text);
			continue;
		}
		v = value_of(r, p->text, file, t->line);
		if (v == NULL)
			break;
		g_string_append(out, v[0] == '\0' && p->fallback != NULL ? p->fallback : v);
	}
	if (r->error != NULL) {
		g_string_free(out, TRUE);
		return g_strdup("");
	}
	{
		char *clean = sanitize(r, out->str);

		g_string_free(out, TRUE);
		return clean;
	}
}

/* when: the value is not empty (a table: it has rows); unless: the
 * contrary. */
static gboolean shown(render *r, const char *when, const char *unless, const char *file, int line)
{
	const char *names[2] = { when, unless };

	for (int i = 0; i < 2; i++) {
		gboolean empty;
		const char *v;

		if (names[i] == NULL)
			continue;
		if (g_hash_table_contains(r->v->tables, names[i]) ||
		    (!g_hash_table_contains(r->v->values, names[i]) && strchr(names[i], '.') == NULL)) {
			empty = table_rows(r->v, names[i]) == 0;
		} else {
			v = value_of(r, names[i], file, line);
			if (v == NULL)
				return FALSE;
			empty = v[0] == '\0';
		}
		if (empty == (i == 0))
			return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- ops */

static void add_text(GArray *out, double x, double y, int bold, double size, doc_color color, char *text)
{
	op o = { .kind = OP_TEXT, .x = x, .y = y, .bold = bold, .size = size, .color = color, .text = text };

	g_array_append_val(out, o);
}

static void add_rect(GArray *out, op_kind kind, double x, double y, double w, double h, doc_color color,
		     double line_w)
{
	op o = { .kind = kind, .x = x, .y = y, .w = w, .h = h, .color = color, .size = line_w };

	if (!color.none)
		g_array_append_val(out, o);
}

/* ops of from, moved down by dy, appended to out (from is emptied) */
static void move_ops(GArray *out, GArray *from, double dy)
{
	for (guint i = 0; i < from->len; i++) {
		op o = g_array_index(from, op, i);

		o.y += dy;
		g_array_append_val(out, o);
		g_array_index(from, op, i).text = NULL;   /* now out's */
	}
	g_array_set_size(from, 0);
}

static doc_color named(const render *r, const char *name, doc_color fallback)
{
	const doc_color *c = g_hash_table_lookup(r->c->colors, name);

	return c ? *c : fallback;
}

/* Lines of text at (x, y) within w, aligned; their height. */
static double put_lines(render *r, GPtrArray *lines, double x, double y, double w, doc_align align,
			int bold, double size, doc_color color, GArray *out)
{
	double lh = line_height(r, size), base = baseline(r, bold, size);

	for (guint i = 0; i < lines->len; i++) {
		const char *l = lines->pdata[i];
		double lx = x;

		if (l[0] == '\0')
			continue;
		if (align != DOC_LEFT) {
			double lw = text_width(r, bold, size, l, strlen(l));

			lx = align == DOC_RIGHT ? x + w - lw : x + (w - lw) / 2;
		}
		add_text(out, lx, y + i * lh + base, bold, size, color, g_strdup(l));
	}
	return lines->len * lh;
}

static double block_size(const render *r, const doc_block *b)
{
	return b->size > 0 ? b->size : r->c->font_size;
}

static double lay_block(render *r, const doc_block *b, double x, double y, double w, GArray *out);

/* A stack of blocks at (x, y) within w, a gap between two shown: its height. */
static double lay_stack(render *r, const GPtrArray *blocks, double x, double y, double w, GArray *out)
{
	double h = 0;

	for (guint i = 0; blocks != NULL && i < blocks->len && r->error == NULL; i++) {
		double bh = lay_block(r, blocks->pdata[i], x, y + h + (h > 0 ? r->c->gap : 0), w, out);

		if (bh > 0)
			h += (h > 0 ? r->c->gap : 0) + bh;
	}
	return h;
}

static double lay_text(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	g_autofree char *s = expand(r, b->text, b->file);
	g_autoptr(GPtrArray) lines = NULL;
	double size = block_size(r, b), pad = b->has_background ? 1.5 * DOC_MM : 0, h;
	int bold = b->bold == 1;
	doc_color color = b->has_color ? b->color : r->c->text_color;

	if (s[0] == '\0')
		return 0;
	lines = wrap(r, bold, size, s, w - 2 * pad, 200);
	h = lines->len * line_height(r, size) + 2 * pad;
	if (b->has_background)
		add_rect(out, OP_FILL, x, y, w, h, b->background, 0);
	put_lines(r, lines, x + pad, y + pad, w - 2 * pad, b->align, bold, size, color, out);
	return h;
}

static double lay_fields(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	double size = block_size(r, b), lh = line_height(r, size);
	gboolean boxed = (b->has_border && !b->border.none) || (b->has_background && !b->background.none);
	double pad = boxed ? BOX_PAD : 0, h = pad, inner = w - 2 * pad;
	double label_w = MIN(b->label_width, inner / 2);
	doc_color label_color = named(r, "muted", r->c->text_color);
	doc_color color = b->has_color ? b->color : r->c->text_color;
	g_autoptr(GArray) ops = ops_new();
	gboolean any = FALSE;

	if (b->title != NULL) {
		g_autofree char *title = expand(r, b->title, b->file);
		g_autoptr(GPtrArray) lines = wrap(r, 1, size, title, inner, 5);

		if (title[0] != '\0')
			h += put_lines(r, lines, x + pad, y + h, inner, DOC_LEFT, 1,
				       size, named(r, "accent", color), ops) + 0.8 * DOC_MM;
	}
	for (guint i = 0; i < b->items->len && r->error == NULL; i++) {
		const doc_item *it = b->items->pdata[i];
		g_autofree char *label = NULL, *value = NULL;
		g_autoptr(GPtrArray) llines = NULL, vlines = NULL;
		int bold = it->bold >= 0 ? it->bold : b->bold == 1;

		if (!shown(r, it->when, it->unless, b->file, b->line))
			continue;
		value = expand(r, it->value, b->file);
		if (value[0] == '\0')
			continue;
		label = expand(r, it->label, b->file);
		llines = wrap(r, 0, size, label, label_w - 1.5 * DOC_MM, 5);
		vlines = wrap(r, bold, size, value, inner - label_w, 30);
		put_lines(r, llines, x + pad, y + h, label_w, DOC_LEFT, 0, size, label_color, ops);
		put_lines(r, vlines, x + pad + label_w, y + h, inner - label_w, DOC_LEFT, bold, size,
			  it->has_color ? it->color : color, ops);
		h += MAX(llines->len, vlines->len) * lh;
		any = TRUE;
	}
	if (!any)
		return 0;
	h += pad;
	if (b->has_background)
		add_rect(out, OP_FILL, x, y, w, h, b->background, 0);
	if (b->has_border)
		add_rect(out, OP_BOX, x, y, w, h, b->border, 0.6);
	move_ops(out, ops, 0);
	return h;
}

/* A box of lines (an address, a signature box); without border nor
 * background, just the lines (the company's identity). */
static double lay_address(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	double size = block_size(r, b);
	doc_color color = b->has_color ? b->color : r->c->text_color;
	gboolean framed = !(b->has_border && b->border.none) || (b->has_background && !b->background.none);
	double pad = framed ? BOX_PAD : 0, inner = w - 2 * pad, h = pad;
	doc_color border = b->has_border ? b->border : named(r, "line", color);
	g_autoptr(GArray) ops = ops_new();
	gboolean any = FALSE;

	if (b->title != NULL) {
		g_autofree char *title = expand(r, b->title, b->file);
		g_autoptr(GPtrArray) lines = wrap(r, 1, size * 0.85, title, inner, 3);

		if (title[0] != '\0')
			h += put_lines(r, lines, x + pad, y + h, inner, DOC_LEFT, 1, size * 0.85,
				       named(r, "accent", color), ops) + 0.8 * DOC_MM;
	}
	for (guint i = 0; i < b->lines->len && r->error == NULL; i++) {
		const doc_item *it = b->lines->pdata[i];
		g_autofree char *text = NULL;
		g_autoptr(GPtrArray) lines = NULL;
		int bold = it->bold == 1;
		double lsize = it->size > 0 ? it->size : size;

		if (!shown(r, it->when, it->unless, b->file, b->line))
			continue;
		text = expand(r, it->value, b->file);
		if (text[0] == '\0' || strspn(text, " \n") == strlen(text))
			continue;
		lines = wrap(r, bold, lsize, text, inner, 10);
		h += put_lines(r, lines, x + pad, y + h, inner, DOC_LEFT, bold, lsize,
			       it->has_color ? it->color : color, ops);
		any = TRUE;
	}
	if (!any)
		return 0;
	h = MAX(h + pad, b->height);
	if (b->has_background)
		add_rect(out, OP_FILL, x, y, w, h, b->background, 0);
	if (framed)
		add_rect(out, OP_BOX, x, y, w, h, border, 0.6);
	move_ops(out, ops, 0);
	return h;
}

static double lay_totals(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	double size = block_size(r, b), lh = line_height(r, size), bw = MIN(b->width, w);
	double bx = b->align == DOC_LEFT ? x : b->align == DOC_CENTER ? x + (w - bw) / 2 : x + w - bw;
	double pad = CELL_PAD_X, h = 0;
	doc_color color = b->has_color ? b->color : r->c->text_color;
	g_autoptr(GArray) ops = ops_new();

	for (guint i = 0; i < b->items->len && r->error == NULL; i++) {
		const doc_item *it = b->items->pdata[i];
		g_autofree char *label = NULL, *value = NULL;
		g_autoptr(GPtrArray) llines = NULL;
		int bold = it->bold >= 0 ? it->bold : b->bold == 1;
		double vw, rh;
		doc_color c = it->has_color ? it->color : color;

		if (!shown(r, it->when, it->unless, b->file, b->line))
			continue;
		value = expand(r, it->value, b->file);
		if (value[0] == '\0')
			continue;
		label = expand(r, it->label, b->file);
		vw = text_width(r, bold, size, value, strlen(value));
		llines = wrap(r, bold, size, label, MAX(bw - 2 * pad - vw - 2 * DOC_MM, 10 * DOC_MM), 3);
		rh = MAX(llines->len, 1) * lh + 2 * CELL_PAD_Y;
		if (it->has_background)
			add_rect(ops, OP_FILL, bx, y + h, bw, rh, it->background, 0);
		else if (i > 0 && h > 0)
			add_rect(ops, OP_LINE, bx + pad, y + h, bw - 2 * pad, 0, named(r, "line", c), 0.4);
		put_lines(r, llines, bx + pad, y + h + CELL_PAD_Y, bw - 2 * pad, DOC_LEFT, bold, size, c, ops);
		add_text(ops, bx + bw - pad - vw, y + h + CELL_PAD_Y + baseline(r, bold, size), bold, size, c,
			 g_steal_pointer(&value));
		h += rh;
	}
	if (h == 0)
		return 0;
	if (b->has_background)
		add_rect(out, OP_FILL, bx, y, bw, h, b->background, 0);
	move_ops(out, ops, 0);
	add_rect(out, OP_BOX, bx, y, bw, h, b->has_border ? b->border : named(r, "line", color), 0.6);
	return h;
}

/* ------------------------------------------------------------- tables */

typedef struct {
	double *x, *w;            /* each column's */
	double size, lh;
	guint max_lines;          /* of a cell: what a page holds */
	doc_color color, rule, stripe;
} table_geometry;

static void table_geometry_init(render *r, const doc_block *b, double x, double w, table_geometry *g)
{
	guint n = b->columns->len;
	g_autofree const doc_width **ws = g_new(const doc_width *, n);
	double need = 0;

	g->x = g_new(double, n);
	g->w = g_new(double, n);
	for (guint i = 0; i < n; i++)
		ws[i] = &((const doc_column *)b->columns->pdata[i])->width;
	if (doc_resolve_widths(ws, n, w, 0, g->w, &need) < 0)
		fail(r, b->file, b->line, "colonnes trop larges : %.0f mm pour %.0f mm de place", need / DOC_MM,
		     w / DOC_MM);
	for (guint i = 0; i < n; i++)
		g->x[i] = i == 0 ? x : g->x[i - 1] + g->w[i - 1];
	g->size = block_size(r, b);
	g->lh = line_height(r, g->size);
	g->max_lines = (guint)MAX(1, ((r->bottom - r->top) * 0.8 - 2 * CELL_PAD_Y) / g->lh);
	g->color = b->has_color ? b->color : r->c->text_color;
	g->rule = b->has_border ? b->border : named(r, "line", g->color);
	g->stripe = b->stripe;
}

static void table_geometry_release(table_geometry *g)
{
	g_free(g->x);
	g_free(g->w);
}

/* A row of cells (texts already expanded) at y: its height. */
static double lay_cells(render *r, const doc_block *b, const table_geometry *g, char **cells, gboolean header,
			guint index, double y, GArray *out)
{
	guint n = b->columns->len;
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GArray) ops = ops_new();
	guint most = 1;
	double h, x0 = g->x[0], width = g->x[n - 1] + g->w[n - 1] - g->x[0];

	for (guint i = 0; i < n; i++) {
		const doc_column *c = b->columns->pdata[i];
		int bold = header ? 1 : c->bold == 1;
		GPtrArray *lines = wrap(r, bold, g->size, cells[i], g->w[i] - 2 * CELL_PAD_X,
					header ? 3 : g->max_lines);

		g_ptr_array_add(all, lines);
		most = MAX(most, lines->len);
	}
	h = most * g->lh + 2 * CELL_PAD_Y;
	if (header)
		add_rect(out, OP_FILL, x0, y, width, h, b->header_background, 0);
	else if (b->has_stripe && index % 2 == 1)
		add_rect(out, OP_FILL, x0, y, width, h, g->stripe, 0);
	for (guint i = 0; i < n; i++) {
		const doc_column *c = b->columns->pdata[i];
		int bold = header ? 1 : c->bold == 1;

		put_lines(r, all->pdata[i], g->x[i] + CELL_PAD_X, y + CELL_PAD_Y, g->w[i] - 2 * CELL_PAD_X,
			  c->align, bold, g->size,
			  header ? b->header_color : g->color, ops);
	}
	move_ops(out, ops, 0);
	if (!header)
		add_rect(out, OP_LINE, x0, y + h, width, 0, g->rule, 0.4);
	return h;
}

static double lay_table_header(render *r, const doc_block *b, const table_geometry *g, double y, GArray *out)
{
	guint n = b->columns->len;
	g_autofree char **cells = g_new0(char *, n + 1);
	double h;

	for (guint i = 0; i < n; i++)
		cells[i] = expand(r, ((const doc_column *)b->columns->pdata[i])->header, b->file);
	h = lay_cells(r, b, g, cells, TRUE, 0, y, out);
	for (guint i = 0; i < n; i++)
		g_free(cells[i]);
	return h;
}

static double lay_table_row(render *r, const doc_block *b, const table_geometry *g, GHashTable *row, guint index,
			    double y, GArray *out)
{
	guint n = b->columns->len;
	g_autofree char **cells = g_new0(char *, n + 1);
	double h;

	r->row = row;
	for (guint i = 0; i < n; i++)
		cells[i] = expand(r, ((const doc_column *)b->columns->pdata[i])->value, b->file);
	r->row = NULL;
	h = lay_cells(r, b, g, cells, FALSE, index, y, out);
	for (guint i = 0; i < n; i++)
		g_free(cells[i]);
	return h;
}

/* The "empty:" line under the header of a table without rows. */
static double lay_table_empty(render *r, const doc_block *b, const table_geometry *g, double y, GArray *out)
{
	guint n = b->columns->len;
	g_autofree char *text = expand(r, b->empty, b->file);
	double width = g->x[n - 1] + g->w[n - 1] - g->x[0];
	g_autoptr(GPtrArray) lines = wrap(r, 0, g->size, text, width - 2 * CELL_PAD_X, 5);
	double h = lines->len * g->lh + 2 * CELL_PAD_Y;

	put_lines(r, lines, g->x[0] + CELL_PAD_X, y + CELL_PAD_Y, width - 2 * CELL_PAD_X, DOC_LEFT, 0, g->size,
		  named(r, "muted", g->color), out);
	add_rect(out, OP_LINE, g->x[0], y + h, width, 0, g->rule, 0.4);
	return h;
}

/* A table in one piece (in a row: the VAT summary). */
static double lay_table(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	const GPtrArray *rows = b->table ? g_hash_table_lookup(r->v->tables, b->table) : NULL;
	table_geometry g;
	double h;

	if ((rows == NULL || rows->len == 0) && b->empty == NULL)
		return 0;
	table_geometry_init(r, b, x, w, &g);
	h = lay_table_header(r, b, &g, y, out);
	if (rows == NULL || rows->len == 0)
		h += lay_table_empty(r, b, &g, y + h, out);
	for (guint i = 0; rows != NULL && i < rows->len && r->error == NULL; i++)
		h += lay_table_row(r, b, &g, rows->pdata[i], i, y + h, out);
	table_geometry_release(&g);
	return h;
}

static double lay_row(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	guint n = b->columns->len;
	g_autofree const doc_width **ws = g_new(const doc_width *, n);
	g_autofree double *cw = g_new(double, n);
	double need = 0, h = 0, cx = x;

	for (guint i = 0; i < n; i++)
		ws[i] = &((const doc_row_column *)b->columns->pdata[i])->width;
	if (doc_resolve_widths(ws, n, w, r->c->gap, cw, &need) < 0) {
		fail(r, b->file, b->line, "colonnes trop larges : %.0f mm pour %.0f mm de place", need / DOC_MM,
		     w / DOC_MM);
		return 0;
	}
	for (guint i = 0; i < n; i++) {
		h = MAX(h, lay_stack(r, ((const doc_row_column *)b->columns->pdata[i])->blocks, cx, y, cw[i], out));
		cx += cw[i] + r->c->gap;
	}
	return h;
}

/* The bytes of the picture at path as libharu gets them
 * (doc_image_prepare): from the templates' cache while the file is the
 * same one, unchanged. */
static GBytes *logo_bytes(render *r, const doc_block *b, const char *path, doc_image_kind *kind_r)
{
	doc_templates *mt = (doc_templates *)r->t;   /* the cache only: see render.h */
	GStatBuf st;
	logo *l;
	g_autofree char *data = NULL;
	g_autoptr(GError) err = NULL;
	size_t len = 0;
	const char *why = NULL;
	GBytes *bytes = NULL;

	if (g_stat(path, &st) == 0) {
		g_mutex_lock(&mt->lock);
		l = g_hash_table_lookup(mt->logos, path);
		if (l != NULL && l->dev == st.st_dev && l->ino == st.st_ino && l->size == st.st_size &&
		    l->mtime_ns == (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec) {
			bytes = g_bytes_ref(l->data);
			*kind_r = l->kind;
		}
		g_mutex_unlock(&mt->lock);
		if (bytes != NULL)
			return bytes;
	}
	if (fsutil_read_file(path, IMAGE_MAX_BYTES, &data, &len, &err) < 0) {
		fail(r, b->file, b->line, "image illisible (%s) : %s", b->value, err->message);
		return NULL;
	}
	bytes = doc_image_prepare((const guint8 *)data, len, kind_r, &why);
	if (bytes == NULL) {
		fail(r, b->file, b->line, "image refusée (%s : %s) : %s", b->value, path, why);
		return NULL;
	}
	if (g_stat(path, &st) == 0) {
		l = g_new0(logo, 1);
		l->dev = st.st_dev;
		l->ino = st.st_ino;
		l->size = st.st_size;
		l->mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		l->data = g_bytes_ref(bytes);
		l->kind = *kind_r;
		g_mutex_lock(&mt->lock);
		if (g_hash_table_size(mt->logos) >= 8)
			g_hash_table_remove_all(mt->logos);
		g_hash_table_replace(mt->logos, g_strdup(path), l);
		g_mutex_unlock(&mt->lock);
	}
	return bytes;
}

static HPDF_Image load_image(render *r, const doc_block *b, const char *path)
{
	HPDF_Image img = g_hash_table_lookup(r->images, path);
	g_autoptr(GBytes) bytes = NULL;
	doc_image_kind kind;
	gsize len;
	const HPDF_BYTE *data;

	if (img != NULL)
		return img;
	bytes = logo_bytes(r, b, path, &kind);
	if (bytes == NULL)
		return NULL;
	data = g_bytes_get_data(bytes, &len);
	img = kind == DOC_IMAGE_PNG ? HPDF_LoadPngImageFromMem(r->slot->pdf, data, (HPDF_UINT)len)
				    : HPDF_LoadJpegImageFromMem(r->slot->pdf, data, (HPDF_UINT)len);
	if (img == NULL || r->slot->error_no != 0 || HPDF_Image_GetWidth(img) == 0 || HPDF_Image_GetHeight(img) == 0) {
		g_autofree char *hw = hpdf_error_fr(r->slot);

		fail(r, b->file, b->line, "image refusée (%s : %s) : %s", b->value, path, hw);
		return NULL;
	}
	g_hash_table_insert(r->images, g_strdup(path), img);
	return img;
}

static double lay_image(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	const char *path = b->value ? value_of(r, b->value, b->file, b->line) : NULL;
	HPDF_Image img;
	double iw, ih, scale, bw = MIN(b->width, w);
	op o = { .kind = OP_IMAGE };

	if (path == NULL || path[0] == '\0')
		return 0;
	img = load_image(r, b, path);
	if (img == NULL)
		return 0;
	iw = HPDF_Image_GetWidth(img);
	ih = HPDF_Image_GetHeight(img);
	scale = MIN(bw / iw, b->height / ih);
	o.w = iw * scale;
	o.h = ih * scale;
	o.x = b->align == DOC_LEFT ? x : b->align == DOC_CENTER ? x + (w - o.w) / 2 : x + w - o.w;
	o.y = y;
	o.image = img;
	g_array_append_val(out, o);
	return o.h;
}

static double lay_block(render *r, const doc_block *b, double x, double y, double w, GArray *out)
{
	double h = 0;

	if (r->error != NULL)
		return 0;
	if (b->kind == BLOCK_INCLUDE)
		return lay_stack(r, b->part, x, y, w, out);
	if (!shown(r, b->when, b->unless, b->file, b->line))
		return 0;
	y += b->space_before;
	switch (b->kind) {
	case BLOCK_TEXT:
		h = lay_text(r, b, x, y, w, out);
		break;
	case BLOCK_FIELDS:
		h = lay_fields(r, b, x, y, w, out);
		break;
	case BLOCK_ADDRESS:
		h = lay_address(r, b, x, y, w, out);
		break;
	case BLOCK_TABLE:
		h = lay_table(r, b, x, y, w, out);
		break;
	case BLOCK_TOTALS:
		h = lay_totals(r, b, x, y, w, out);
		break;
	case BLOCK_ROW:
		h = lay_row(r, b, x, y, w, out);
		break;
	case BLOCK_IMAGE:
		h = lay_image(r, b, x, y, w, out);
		break;
	case BLOCK_SPACE:
		h = b->height;
		break;
	case BLOCK_RULE:
		add_rect(out, OP_LINE, x, y + b->thickness / 2, w, 0,
			 b->has_color ? b->color : named(r, "line", r->c->text_color), b->thickness);
		h = b->thickness;
		break;
	case BLOCK_INCLUDE:
		break;
	}
	return h > 0 ? h + b->space_before : 0;
}

/* ---------------------------------------------------------------- flow */

static void new_page(render *r)
{
	g_autoptr(GArray) head = ops_new();
	double h;

	if (r->ops != NULL)
		g_ptr_array_add(r->pages, r->ops);
	r->ops = ops_new();
	if (r->pages->len >= MAX_PAGES) {
		fail(r, r->tpl->file, 1, "document trop long (plus de %d pages)", MAX_PAGES);
		return;
	}
	r->y = r->c->margin_top;
	if (r->pages->len > 0) {
		/* measured with room for the largest page numbers; drawn at the end */
		r->page_no = r->pages_no = "000";
		h = lay_stack(r, r->c->continuation, r->left, r->y, r->width, head);
		r->page_no = r->pages_no = NULL;
		if (h > 0)
			r->y += h + r->c->gap;
	}
	r->top = r->y;
}

/* Room for h more on this page, or a new page: FALSE when even a new
 * page cannot hold it. */
static gboolean room(render *r, double h, const doc_block *b)
{
	if (r->y + h <= r->bottom + 0.01)
		return TRUE;
	if (r->y > r->top + 0.01) {
		new_page(r);
		if (r->error != NULL)
			return FALSE;
		if (r->y + h <= r->bottom + 0.01)
			return TRUE;
	}
	fail(r, b->file, b->line, "ce bloc ne tient pas sur une page (%.0f mm de haut pour %.0f mm)",
	     h / DOC_MM, (r->bottom - r->top) / DOC_MM);
	return FALSE;
}

/* The space before a block: the gap, unless it starts the page. */
static double gap_before(const render *r)
{
	return r->y > r->top + 0.01 ? r->c->gap : 0;
}

/* A table over as many pages as it takes: its header on each, a row
 * never cut, a row too high for a page cut down to fit (wrap's "…"). */
static void flow_table(render *r, const doc_block *b)
{
	const GPtrArray *rows = b->table ? g_hash_table_lookup(r->v->tables, b->table) : NULL;
	g_autoptr(GArray) tmp = ops_new();
	g_autoptr(GArray) head = ops_new();
	table_geometry g;
	double hh, rh, gap;
	guint i = 0;

	if (!shown(r, b->when, b->unless, b->file, b->line) ||
	    ((rows == NULL || rows->len == 0) && b->empty == NULL))
		return;
	if (rows != NULL && rows->len > TABLE_MAX_ROWS) {
		fail(r, b->file, b->line, "tableau %s trop long (%u lignes, %d au plus)", b->table, rows->len,
		     TABLE_MAX_ROWS);
		return;
	}
	table_geometry_init(r, b, r->left, r->width, &g);
	gap = gap_before(r) + b->space_before;
	hh = lay_table_header(r, b, &g, 0, head);
	/* the header and the first row together */
	if (rows == NULL || rows->len == 0)
		rh = lay_table_empty(r, b, &g, 0, tmp);
	else
		rh = lay_table_row(r, b, &g, rows->pdata[0], 0, 0, tmp);
	if (r->error == NULL && room(r, gap + hh + rh, b)) {
		r->y += gap_before(r) + b->space_before;
		for (;;) {
			g_autoptr(GArray) h2 = ops_new();

			lay_table_header(r, b, &g, 0, h2);
			move_ops(r->ops, h2, r->y);
			r->y += hh;
			move_ops(r->ops, tmp, r->y);
			r->y += rh;
			for (i++; rows != NULL && i < rows->len && r->error == NULL; i++) {
				rh = lay_table_row(r, b, &g, rows->pdata[i], i, 0, tmp);
				if (r->y + rh > r->bottom + 0.01)
					break;
				move_ops(r->ops, tmp, r->y);
				r->y += rh;
			}
			if (rows == NULL || i >= rows->len || r->error != NULL)
				break;
			new_page(r);
			if (r->error != NULL || r->y + hh + rh > r->bottom + 0.01) {
				fail(r, b->file, b->line, "une ligne du tableau ne tient pas sur une page");
				break;
			}
		}
	}
	table_geometry_release(&g);
}

/* A paragraph over pages if it must, line by line. */
static void flow_text(render *r, const doc_block *b)
{
	g_autofree char *s = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	double size = block_size(r, b), lh = line_height(r, size);
	int bold = b->bold == 1;
	doc_color color = b->has_color ? b->color : r->c->text_color;
	gboolean first = TRUE;

	if (!shown(r, b->when, b->unless, b->file, b->line))
		return;
	s = expand(r, b->text, b->file);
	if (s[0] == '\0')
		return;
	lines = wrap(r, bold, size, s, r->width, 2000);
	for (guint i = 0; i < lines->len && r->error == NULL; i++) {
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		double gap = first ? gap_before(r) + b->space_before : 0;

		if (!room(r, gap + lh, b))
			return;
		if (first)
			r->y += gap_before(r) + b->space_before;
		first = FALSE;
		g_ptr_array_add(one, lines->pdata[i]);
		put_lines(r, one, r->left, r->y, r->width, b->align, bold, size, color, r->ops);
		r->y += lh;
	}
}

static void flow_blocks(render *r, const GPtrArray *blocks)
{
	for (guint i = 0; blocks != NULL && i < blocks->len && r->error == NULL; i++) {
		const doc_block *b = blocks->pdata[i];
		g_autoptr(GArray) tmp = NULL;
		double h, gap;

		if (b->kind == BLOCK_INCLUDE) {
			flow_blocks(r, b->part);
			continue;
		}
		if (b->kind == BLOCK_TABLE) {
			flow_table(r, b);
			continue;
		}
		if (b->kind == BLOCK_TEXT && !b->has_background) {
			flow_text(r, b);
			continue;
		}
		tmp = ops_new();
		h = lay_block(r, b, r->left, 0, r->width, tmp);
		if (h <= 0 || r->error != NULL)
			continue;
		gap = gap_before(r);
		if (!room(r, gap + h, b))
			return;
		r->y += gap_before(r);
		move_ops(r->ops, tmp, r->y);
		r->y += h;
	}
}

/* ---------------------------------------------------------------- drawing */

static void draw_page(render *r, HPDF_Page page, GArray *ops)
{
	gboolean in_text = FALSE;
	int cur_bold = -1;
	double cur_size = -1;
	doc_color cur = { -1, -1, -1, FALSE };

	for (guint i = 0; i < ops->len; i++) {
		const op *o = &g_array_index(ops, op, i);
		double top = DOC_PAGE_HEIGHT - o->y;

		if (o->kind != OP_TEXT && in_text) {
			HPDF_Page_EndText(page);
			in_text = FALSE;
		}
		switch (o->kind) {
		case OP_TEXT: {
			const char *bytes = encode(r, o->text, strlen(o->text));

			if (!in_text) {
				HPDF_Page_BeginText(page);
				in_text = TRUE;
				cur_bold = -1;
			}
			if (o->bold != cur_bold || o->size != cur_size) {
				HPDF_Page_SetFontAndSize(page, r->font[o->bold], (HPDF_REAL)o->size);
				cur_bold = o->bold;
				cur_size = o->size;
			}
			if (o->color.r != cur.r || o->color.g != cur.g || o->color.b != cur.b) {
				HPDF_Page_SetRGBFill(page, (HPDF_REAL)o->color.r, (HPDF_REAL)o->color.g,
						     (HPDF_REAL)o->color.b);
				cur = o->color;
			}
			HPDF_Page_TextOut(page, (HPDF_REAL)o->x, (HPDF_REAL)top, bytes);
			break;
		}
		case OP_FILL:
			HPDF_Page_SetRGBFill(page, (HPDF_REAL)o->color.r, (HPDF_REAL)o->color.g, (HPDF_REAL)o->color.b);
			cur = o->color;
			HPDF_Page_Rectangle(page, (HPDF_REAL)o->x, (HPDF_REAL)(top - o->h), (HPDF_REAL)o->w,
					    (HPDF_REAL)o->h);
			HPDF_Page_Fill(page);
			break;
		case OP_BOX:
			HPDF_Page_SetRGBStroke(page, (HPDF_REAL)o->color.r, (HPDF_REAL)o->color.g,
					       (HPDF_REAL)o->color.b);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)o->size);
			HPDF_Page_Rectangle(page, (HPDF_REAL)o->x, (HPDF_REAL)(top - o->h), (HPDF_REAL)o->w,
					    (HPDF_REAL)o->h);
			HPDF_Page_Stroke(page);
			break;
		case OP_LINE:
			HPDF_Page_SetRGBStroke(page, (HPDF_REAL)o->color.r, (HPDF_REAL)o->color.g,
					       (HPDF_REAL)o->color.b);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)o->size);
			HPDF_Page_MoveTo(page, (HPDF_REAL)o->x, (HPDF_REAL)top);
			HPDF_Page_LineTo(page, (HPDF_REAL)(o->x + o->w), (HPDF_REAL)top);
			HPDF_Page_Stroke(page);
			break;
		case OP_IMAGE:
			HPDF_Page_DrawImage(page, o->image, (HPDF_REAL)o->x, (HPDF_REAL)(top - o->h), (HPDF_REAL)o->w,
					    (HPDF_REAL)o->h);
			break;
		}
	}
	if (in_text)
		HPDF_Page_EndText(page);
}

/* "COPIE" in a box at the top of the page, in the margin.  Not across the
 * page: poppler reads diagonal text as scattered letters and reorders
 * the page's text around it, and the copy's text must read as the
 * original's with the word added. */
static void draw_stamp(render *r, HPDF_Page page)
{
	g_autofree char *word = sanitize(r, r->c->stamp_text);
	double size = 15, w = text_width(r, 1, size, word, strlen(word));
	double bw = w + 8 * DOC_MM, bh = size * 1.5, x = (DOC_PAGE_WIDTH - bw) / 2;
	double top = MIN(r->c->margin_top, 14 * DOC_MM) - 1.5 * DOC_MM;
	const doc_color *col = &r->c->stamp_color;

	if (top < bh)
		top = bh + 1;
	HPDF_Page_SetRGBStroke(page, (HPDF_REAL)col->r, (HPDF_REAL)col->g, (HPDF_REAL)col->b);
	HPDF_Page_SetLineWidth(page, 1.5);
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)(DOC_PAGE_HEIGHT - top), (HPDF_REAL)bw, (HPDF_REAL)bh);
	HPDF_Page_Stroke(page);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, r->font[1], (HPDF_REAL)size);
	HPDF_Page_SetRGBFill(page, (HPDF_REAL)col->r, (HPDF_REAL)col->g, (HPDF_REAL)col->b);
	HPDF_Page_TextOut(page, (HPDF_REAL)(x + 4 * DOC_MM),
			  (HPDF_REAL)(DOC_PAGE_HEIGHT - top + (bh - size * (r->ascent[1] - r->descent[1])) / 2 -
				      size * r->descent[1]),
			  encode(r, word, strlen(word)));
	HPDF_Page_EndText(page);
}

/* ---------------------------------------------------------------- render */

/* A character the UTF-8 fonts draw and the single-byte ones do not. */
static gboolean wants_wide(const doc_templates *t, gunichar c)
{
	return covered(t, DOC_FONT_WIDE, c) && !winansi_drawable(t, c) && !g_unichar_iscntrl(c) &&
	       g_unichar_type(c) != G_UNICODE_SPACE_SEPARATOR && g_unichar_type(c) != G_UNICODE_FORMAT;
}

/* WinAnsi unless a value or a literal holds a character the fonts draw
 * that WinAnsi lacks (U+202F aside: drawn as U+00A0). */
static text_mode choose_mode(const render *r)
{
	GHashTableIter it, rit;
	gpointer key, val;

	if (!r->tpl->literals_winansi)
		return MODE_UTF8;
	g_hash_table_iter_init(&it, r->v->values);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		for (const char *s = val; *s != '\0'; s = g_utf8_next_char(s)) {
			gunichar c = g_utf8_get_char(s);

			if ((guchar)*s >= 0x80 && wants_wide(r->t, c))
				return MODE_UTF8;
		}
	}
	g_hash_table_iter_init(&it, r->v->tables);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const GPtrArray *rows = val;

		for (guint i = 0; i < rows->len; i++) {
			g_hash_table_iter_init(&rit, rows->pdata[i]);
			while (g_hash_table_iter_next(&rit, &key, &val)) {
				for (const char *s = val; *s != '\0'; s = g_utf8_next_char(s)) {
					gunichar c = g_utf8_get_char(s);

					if ((guchar)*s >= 0x80 && wants_wide(r->t, c))
						return MODE_UTF8;
				}
			}
		}
	}
	return MODE_WINANSI;
}

static void render_release(render *r)
{
	if (r->ops != NULL)
		g_array_unref(r->ops);
	g_ptr_array_unref(r->pages);
	g_string_free(r->bytes, TRUE);
	g_hash_table_unref(r->images);
	g_free(r->doc_name);
	g_clear_error(&r->error);
}

/* Lays out and draws every page into r->slot's document. */
static void build(render *r, doc_stamp stamp)
{
	HPDF_Doc pdf = r->slot->pdf;
	g_autoptr(GArray) measure = ops_new();
	char page_no[16], pages_no[16];

	r->mode = choose_mode(r);
	for (int i = 0; i < 2; i++) {
		r->font[i] = r->mode == MODE_UTF8 ? HPDF_GetFont(pdf, r->slot->font_name[DOC_FONT_WIDE][i], "UTF-8")
						  : HPDF_GetFont(pdf, r->slot->font_name[DOC_FONT_WINANSI][i], "CP1252");
		if (r->font[i] == NULL)
			return;
		r->ascent[i] = HPDF_Font_GetAscent(r->font[i]) / 1000.0;
		r->descent[i] = HPDF_Font_GetDescent(r->font[i]) / 1000.0;
	}
	r->left = r->c->margin_left;
	r->width = DOC_PAGE_WIDTH - r->c->margin_left - r->c->margin_right;
	r->doc_name = expand(r, r->tpl->name, r->tpl->file);
	/* the footer's height, for where the flow stops */
	r->page_no = r->pages_no = "000";
	r->footer_h = lay_stack(r, r->c->footer, r->left, 0, r->width, measure);
	r->page_no = r->pages_no = NULL;
	r->bottom = DOC_PAGE_HEIGHT - r->c->margin_bottom - r->footer_h - (r->footer_h > 0 ? r->c->gap : 0);
	new_page(r);
	flow_blocks(r, r->tpl->blocks);
	if (r->error != NULL)
		return;
	g_ptr_array_add(r->pages, g_steal_pointer(&r->ops));

	{
		g_autofree char *title = g_str_to_ascii(r->doc_name, "C");

		HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title);
		HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "mailorder");
	}
	g_snprintf(pages_no, sizeof(pages_no), "%u", r->pages->len);
	for (guint p = 0; p < r->pages->len && r->error == NULL; p++) {
		GArray *ops = r->pages->pdata[p];
		HPDF_Page page = HPDF_AddPage(pdf);

		if (page == NULL)
			return;
		HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		g_snprintf(page_no, sizeof(page_no), "%u", p + 1);
		r->page_no = page_no;
		r->pages_no = pages_no;
		if (p > 0)
			lay_stack(r, r->c->continuation, r->left, r->c->margin_top, r->width, ops);
		lay_stack(r, r->c->footer, r->left, DOC_PAGE_HEIGHT - r->c->margin_bottom - r->footer_h, r->width,
			  ops);
		r->page_no = r->pages_no = NULL;
		draw_page(r, page, ops);
		if (stamp == DOC_COPY)
			draw_stamp(r, page);
	}
}

int doc_render(const doc_templates *t, const char *kind, const doc_values *v, doc_stamp stamp,
	       GBytes **pdf_r, GError **error)
{
	const doc_template *tpl = g_hash_table_lookup(t->kinds, kind);
	render r = { .t = t, .tpl = tpl, .c = t->common, .v = v };
	HPDF_UINT32 size;
	guint8 *buf;

	if (tpl == NULL) {
		g_autofree const char **kinds = (const char **)g_hash_table_get_keys_as_array(t->kinds, NULL);
		g_autofree char *list = NULL;

		qsort(kinds, g_hash_table_size(t->kinds), sizeof(*kinds), (int (*)(const void *, const void *))by_name);
		list = g_strjoinv(", ", (char **)kinds);
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "pas de modèle de document « %s » (modèles : %s)",
			    kind, list[0] ? list : "aucun");
		return -1;
	}
	r.slot = slot_take(t, error);
	if (r.slot == NULL)
		return -1;
	r.pages = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	r.bytes = g_string_sized_new(256);
	r.images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* the same slot may have drawn another document just before: start afresh */
	HPDF_NewDoc(r.slot->pdf);
	HPDF_SetCompressionMode(r.slot->pdf, HPDF_COMP_ALL);
	build(&r, stamp);
	if (r.error == NULL && r.slot->error_no == 0)
		HPDF_SaveToStream(r.slot->pdf);
	if (r.error == NULL && r.slot->error_no != 0) {
		g_autofree char *why = hpdf_error_fr(r.slot);

		r.error = g_error_new(MO_ERROR, MO_ERROR_FAILED, "%s: %s", tpl->file, why);
	}
	if (r.error != NULL) {
		g_propagate_error(error, g_steal_pointer(&r.error));
		render_release(&r);
		slot_give(t, r.slot);
		return -1;
	}
	size = HPDF_GetStreamSize(r.slot->pdf);
	buf = g_malloc(size);
	HPDF_ReadFromStream(r.slot->pdf, buf, &size);
	*pdf_r = g_bytes_new_take(buf, size);
	render_release(&r);
	slot_give(t, r.slot);
	return 0;
}
