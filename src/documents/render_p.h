/* render_p.h: what the files of the documents module share.  render.c
 * lays out and draws with libharu (the only file including <hpdf.h>),
 * template.c reads the YAML templates into the model below, fontsubset.c
 * cuts the fonts down.  Not an interface for other modules: render.h is.
 *
 * Lengths in the model are PDF points (1/72 inch); the YAML says
 * millimetres, template.c converts.
 */
#ifndef MO_RENDER_P_H
#define MO_RENDER_P_H

#include "documents/render.h"

#include <glib.h>

/* A4 portrait, in points */
#define DOC_PAGE_WIDTH  595.276
#define DOC_PAGE_HEIGHT 841.890
#define DOC_MM (72.0 / 25.4)

/* ---------------------------------------------------------------- fonts */

/* A TrueType font reduced to the characters a document may hold (Latin
 * alphabets, Greek, Cyrillic, typographic punctuation, currency signs):
 * what libharu embeds in every PDF stays small (see fontsubset.c). */
typedef struct {
	GBytes *ttf;               /* the reduced font, a TrueType file */
	guint8 covered[65536 / 8]; /* the code points it draws */
	guint glyphs;
} doc_font;

typedef enum {
	DOC_FONT_WIDE,     /* ~1 700 characters, for libharu's UTF-8 fonts */
	DOC_FONT_WINANSI,  /* Windows-1252's 218, for its single-byte fonts */
} doc_font_set;

/* Reduces the TrueType font data (a .ttf file's bytes) to set: 0, or -1
 * and a static French reason. */
int doc_font_subset(const guint8 *data, gsize len, doc_font_set set, doc_font *out, const char **why_r);
void doc_font_release(doc_font *f);
gboolean doc_font_covers(const doc_font *f, gunichar cp);

/* ---------------------------------------------------------------- images */

typedef enum { DOC_IMAGE_PNG, DOC_IMAGE_JPEG } doc_image_kind;

/* The picture in data as libharu can take it without harm (image.c): its
 * kind by its content, a JPEG as it is, a PNG checked and written again
 * with only what libharu reads; NULL and a static French reason when it
 * is neither or is damaged. */
GBytes *doc_image_prepare(const guint8 *data, gsize len, doc_image_kind *kind_r, const char **why_r);

/* ---------------------------------------------------------------- model */

/* A text of a template with its {placeholders}: literal pieces and
 * references to values ("{invoice.date}", "{x|texte si vide}") or, in a
 * table's column, to the row's cells ("{qty}"). */
typedef struct {
	char *text;       /* the literal, or the name referred to */
	char *fallback;   /* {name|fallback}: said when the value is empty */
	gboolean is_ref;
} doc_piece;

typedef struct {
	doc_piece *pieces;
	guint n;
	int line;         /* where it is, for errors */
} doc_text;

typedef struct {
	double r, g, b;   /* 0 to 1 */
	gboolean none;    /* "none": not drawn */
} doc_color;

typedef enum { DOC_LEFT, DOC_CENTER, DOC_RIGHT } doc_align;

typedef enum {
	BLOCK_TEXT,
	BLOCK_FIELDS,
	BLOCK_ADDRESS,
	BLOCK_TABLE,
	BLOCK_TOTALS,
	BLOCK_ROW,
	BLOCK_IMAGE,
	BLOCK_SPACE,
	BLOCK_RULE,
	BLOCK_INCLUDE,            /* a part of common.yaml (parts:) */
} doc_block_kind;

/* A width: fixed points, a share of the width left ("*", "2*"), or a
 * percentage of the width available. */
typedef struct {
	double points;
	double share;
	double percent;
} doc_width;

/* An item of a label/value list or of a totals box. */
typedef struct {
	doc_text *label, *value;
	char *when, *unless;
	int bold;                 /* -1: the block's */
	double size;              /* 0: the block's */
	doc_color color, background;
	gboolean has_color, has_background;
} doc_item;

typedef struct {
	doc_text *header, *value;
	doc_width width;
	doc_align align;
	int bold;
} doc_column;

typedef struct doc_block doc_block;

typedef struct {
	doc_width width;
	GPtrArray *blocks;        /* doc_block* */
} doc_row_column;

struct doc_block {
	doc_block_kind kind;
	const char *file;         /* interned */
	int line;
	char *when, *unless;      /* a value or table name */
	double space_before;
	double size;              /* font size, 0: the page's */
	int bold;                 /* -1: the kind's default */
	doc_align align;
	doc_color color, background, border;
	gboolean has_color, has_background, has_border;

	doc_text *text;           /* text */
	doc_text *title;          /* fields, address */
	GPtrArray *items;         /* fields, totals: doc_item* */
	GPtrArray *lines;         /* address: doc_text* */
	double label_width;       /* fields */
	double width, height;     /* totals box, image, address (min), space */
	char *table;              /* table: the values' table */
	GPtrArray *columns;       /* table: doc_column*; row: doc_row_column* */
	doc_text *empty;          /* table: said when it has no rows */
	doc_color header_background, header_color, stripe;
	gboolean has_stripe;
	char *value;              /* image: the value holding the file's path */
	double thickness;         /* rule */
	const GPtrArray *part;    /* include: common.yaml's blocks (borrowed) */
};

/* common.yaml: the page and what every kind shares. */
typedef struct {
	const char *file;
	double margin_top, margin_bottom, margin_left, margin_right;
	double gap;               /* between two blocks */
	double font_size, line_height;
	char *font_path[2];       /* regular, bold */
	int font_line[2];
	GHashTable *colors;       /* name -> doc_color* */
	doc_color text_color;
	char *stamp_text;
	doc_color stamp_color;
	GPtrArray *continuation;  /* blocks at the top of pages 2, 3... */
	GPtrArray *footer;        /* blocks at the bottom of every page */
	GHashTable *parts;        /* name -> GPtrArray of blocks (for include) */
	GStringChunk *strings;    /* file names, interned */
} doc_common;

/* <kind>.yaml */
typedef struct {
	char *kind;
	const char *file;
	doc_text *name;           /* the document's name: PDF title, {document.name} */
	GPtrArray *blocks;
	/* every literal of the kind and of common.yaml is WinAnsi: see
	 * render.c's choice of encoding */
	gboolean literals_winansi;
} doc_template;

/* template.c: reads common.yaml (NULL: the defaults) and the kinds'
 * files; problems are appended to problems ("FILE:LINE: why" each). */
doc_common *doc_common_load(const char *path, GString *problems);
void doc_common_free(doc_common *c);
doc_template *doc_template_load(const char *path, const char *kind, doc_common *c,
				GString *problems);
void doc_template_free(doc_template *t);

/* Splits avail points among n widths (fixed, percentages, then shares of
 * what is left), gap points between two: the widths in out.  -1 when the
 * fixed ones and the gaps take more than avail (*need_r: how much). */
int doc_resolve_widths(const doc_width *const *w, guint n, double avail, double gap,
		       double *out, double *need_r);

/* The byte of c in WinAnsi (Windows-1252), the encoding of render.c's
 * fast fonts; 0 when it has none. */
guint8 doc_winansi_byte(gunichar c);

#endif
