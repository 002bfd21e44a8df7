/* fontsubset.c: a TrueType font cut down to the characters our documents
 * can hold (see render_p.h).
 *
 * Why: libharu 2.3.0 writes, for each font of each document, the font's
 * whole hmtx, loca, cmap, name and post tables, and walks its cmap once
 * per code of the encoding.  With DejaVu Sans (5 400 characters, 6 000
 * glyphs, 62 KB of glyph names) that is about 140 KB and 5 ms a font a
 * document; cut down to one of the repertoires below, 4 to 30 KB.  The glyphs
 * themselves are not changed, only renumbered; composite glyphs (most
 * accented letters) whose parts are composite themselves are flattened,
 * because libharu embeds the parts of a glyph it draws but not theirs
 * (DejaVu Sans Bold's "š" would lose its caron).
 *
 * Hinting (the glyphs' instructions, and the fpgm, prep and cvt tables
 * they call) is dropped: it is half of a glyph's bytes, and PDF readers
 * draw without it (Acrobat, pdf.js, poppler by default).
 *
 * The input is a file a site configures: every offset and length read
 * from it is checked against the bytes there are.
 */
#include "documents/render_p.h"

#include <string.h>

typedef struct {
	gunichar first, last;
} range;

/* What a document may write (DOC_FONT_WIDE): the Latin alphabets of
 * Europe (with the IPA and spacing accents between them), Greek and
 * Cyrillic, the typographic punctuation French uses (guillemets, narrow
 * no-break space, curly apostrophe, dashes, ellipsis), currency and
 * letter-like signs, arrows, a few mathematical signs, boxes and check
 * marks.  Each range is one run of glyphs (a character the font lacks
 * gets an empty glyph), so one cmap segment: libharu walks the segments
 * for each of the 65536 codes of its UTF-8 fonts. */
static const range wide[] = {
	{ 0x0020, 0x045F }, { 0x2000, 0x2265 }, { 0x25A0, 0x25CF },
	{ 0x2610, 0x2612 }, { 0x2713, 0x2717 },
};

/* DOC_FONT_WINANSI: the 218 characters of Windows-1252, for the
 * single-byte fonts; 250 glyphs instead of 1 800 make each PDF's copy of
 * the font's tables eight times smaller. */
static const range winansi[] = {
	{ 0x0020, 0x007E }, { 0x00A0, 0x00FF }, { 0x0152, 0x0153 }, { 0x0160, 0x0161 },
	{ 0x0178, 0x0178 }, { 0x017D, 0x017E }, { 0x0192, 0x0192 }, { 0x02C6, 0x02C6 },
	{ 0x02DC, 0x02DC }, { 0x2013, 0x2014 }, { 0x2018, 0x201A }, { 0x201C, 0x201E },
	{ 0x2020, 0x2022 }, { 0x2026, 0x2026 }, { 0x2030, 0x2030 }, { 0x2039, 0x203A },
	{ 0x20AC, 0x20AC }, { 0x2122, 0x2122 },
};

#define MAX_RANGES 20

#define NO_GLYPH G_MAXUINT   /* a character the font lacks: an empty glyph */
#define MAX_GLYPHS 4096      /* in the subset: bounds every table we write */
#define MAX_PARTS 64         /* parts of one composite glyph, flattened */
#define MAX_DEPTH 8          /* composite of composite of... */

/* composite glyph flags (TrueType glyf) */
#define ARG_WORDS  0x0001
#define ARGS_XY    0x0002
#define HAS_SCALE  0x0008
#define MORE       0x0020
#define HAS_XY_SCALE 0x0040
#define HAS_2X2    0x0080
#define HAS_INSTRUCTIONS 0x0100
#define USE_MY_METRICS 0x0200

typedef struct {
	const guint8 *p;
	gsize len;
} span;

typedef struct {
	const guint8 *data;
	gsize len;
	span head, hhea, maxp, hmtx, loca, glyf, cmap, name, os2, post;
	guint num_glyphs, num_hmetrics;
	gboolean loca_long;
	span sub;          /* the Unicode cmap subtable */
	int sub_format;    /* 4 or 12 */
	const char *why;   /* static French reason of the first problem */
} font;

/* One part of a composite glyph, flattened: a simple glyph, where. */
typedef struct {
	guint gid;         /* in the source font */
	guint flags;       /* without ARG_WORDS, MORE, HAS_INSTRUCTIONS */
	int arg1, arg2;    /* offsets (ARGS_XY) or point numbers */
	guint8 transform[8];
	guint transform_len;
} part;

static guint16 u16(const guint8 *p)
{
	return (guint16)(p[0] << 8 | p[1]);
}

static guint32 u32(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static void put16(GByteArray *b, guint v)
{
	guint8 x[2] = { (guint8)(v >> 8), (guint8)v };

	g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, guint32 v)
{
	guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };

	g_byte_array_append(b, x, 4);
}

static void set16(GByteArray *b, gsize at, guint v)
{
	b->data[at] = (guint8)(v >> 8);
	b->data[at + 1] = (guint8)v;
}

static gboolean find_table(font *f, const char *tag, span *out, gsize min_len)
{
	guint n = u16(f->data + 4);

	for (guint i = 0; i < n; i++) {
		const guint8 *rec = f->data + 12 + 16 * i;
		guint64 off = u32(rec + 8), len = u32(rec + 12);

		if (memcmp(rec, tag, 4) != 0)
			continue;
		if (off + len > f->len || len < min_len) {
			f->why = "police tronquée ou abîmée (une table sort du fichier)";
			return FALSE;
		}
		out->p = f->data + off;
		out->len = (gsize)len;
		return TRUE;
	}
	out->p = NULL;
	out->len = 0;
	return FALSE;
}

/* The Unicode subtable of cmap: format 12 (full Unicode) or 4 (BMP). */
static gboolean find_unicode_cmap(font *f)
{
	const guint8 *c = f->cmap.p;
	guint n = u16(c + 2);
	span best = { NULL, 0 };
	int best_format = 0;

	if (4 + 8 * (guint64)n > f->cmap.len)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		guint pid = u16(c + 4 + 8 * i), eid = u16(c + 6 + 8 * i);
		guint64 off = u32(c + 8 + 8 * i), len;
		int format;

		if (!(pid == 0 || (pid == 3 && (eid == 1 || eid == 10))))
			continue;
		if (off + 8 > f->cmap.len)
			continue;
		format = u16(c + off);
		if (format == 4)
			len = u16(c + off + 2);
		else if (format == 12 && off + 16 <= f->cmap.len)
			len = u32(c + off + 4);
		else
			continue;
		if (off + len > f->cmap.len || len < 16)
			continue;
		if (format == 12 && 16 + 12 * (guint64)u32(c + off + 12) > len)
			continue;
		if (format == 4 && 16 + 8 * (guint64)(u16(c + off + 6) / 2) > len)
			continue;
		if (best_format != 12) {
			best.p = c + off;
			best.len = (gsize)len;
			best_format = format;
		}
	}
	f->sub = best;
	f->sub_format = best_format;
	return best_format != 0;
}

static guint glyph_of(const font *f, gunichar cp)
{
	const guint8 *s = f->sub.p;

	if (f->sub_format == 12) {
		guint32 n = u32(s + 12);

		for (guint32 i = 0; i < n; i++) {
			const guint8 *g = s + 16 + 12 * i;
			guint32 first = u32(g), last = u32(g + 4);

			if (cp >= first && cp <= last)
				return u32(g + 8) + (cp - first);
		}
		return 0;
	}
	if (cp > 0xFFFF)
		return 0;
	guint segs = u16(s + 6) / 2;
	const guint8 *ends = s + 14, *starts = ends + 2 * segs + 2, *deltas = starts + 2 * segs,
		     *ranges = deltas + 2 * segs;

	for (guint i = 0; i < segs; i++) {
		guint end = u16(ends + 2 * i), start = u16(starts + 2 * i), ro;
		gsize at;

		if (cp > end)
			continue;
		if (cp < start)
			return 0;
		ro = u16(ranges + 2 * i);
		if (ro == 0)
			return (cp + u16(deltas + 2 * i)) & 0xFFFF;
		at = (gsize)(ranges + 2 * i - s) + ro + 2 * (cp - start);
		if (at + 2 > f->sub.len)
			return 0;
		guint g = u16(s + at);
		return g ? (g + u16(deltas + 2 * i)) & 0xFFFF : 0;
	}
	return 0;
}

/* The bytes of glyph gid in glyf (len 0: an empty glyph, the space). */
/* The bytes of glyph gid in glyf (len 0: an empty glyph, the space). */
static gboolean glyph_data(const font *f, guint gid, span *out)
{
	guint64 a, b;

	out->p = NULL;
	out->len = 0;
	if (gid == NO_GLYPH)
		return TRUE;
	if (gid >= f->num_glyphs)
		return FALSE;
	if (f->loca_long) {
		a = u32(f->loca.p + 4 * gid);
		b = u32(f->loca.p + 4 * gid + 4);
	} else {
		a = 2 * (guint64)u16(f->loca.p + 2 * gid);
		b = 2 * (guint64)u16(f->loca.p + 2 * gid + 2);
	}
	if (a > b || b > f->glyf.len)
		return FALSE;
	out->p = f->glyf.p + a;
	out->len = (gsize)(b - a);
	return TRUE;
}

static gboolean is_composite(span g)
{
	return g.len >= 10 && (gint16)u16(g.p) < 0;
}

/* Appends the simple glyphs composite glyph gid is made of to parts,
 * moved by (dx, dy): FALSE when the glyph is malformed or cannot be
 * flattened (a composite part placed by point numbers or transformed). */
static gboolean flatten(const font *f, guint gid, int dx, int dy, int depth, GArray *parts)
{
	span g;
	gsize at = 10;
	guint flags;

	if (depth > MAX_DEPTH || !glyph_data(f, gid, &g))
		return FALSE;
	do {
		part p = { 0 };
		span sub;

		if (at + 4 > g.len)
			return FALSE;
		flags = u16(g.p + at);
		p.gid = u16(g.p + at + 2);
		at += 4;
		if (flags & ARG_WORDS) {
			if (at + 4 > g.len)
				return FALSE;
			p.arg1 = (flags & ARGS_XY) ? (gint16)u16(g.p + at) : u16(g.p + at);
			p.arg2 = (flags & ARGS_XY) ? (gint16)u16(g.p + at + 2) : u16(g.p + at + 2);
			at += 4;
		} else {
			if (at + 2 > g.len)
				return FALSE;
			p.arg1 = (flags & ARGS_XY) ? (gint8)g.p[at] : g.p[at];
			p.arg2 = (flags & ARGS_XY) ? (gint8)g.p[at + 1] : g.p[at + 1];
			at += 2;
		}
		p.transform_len = (flags & HAS_SCALE) ? 2 : (flags & HAS_XY_SCALE) ? 4 : (flags & HAS_2X2) ? 8 : 0;
		if (at + p.transform_len > g.len)
			return FALSE;
		memcpy(p.transform, g.p + at, p.transform_len);
		at += p.transform_len;
		if (!glyph_data(f, p.gid, &sub))
			return FALSE;
		if (is_composite(sub)) {
			if (!(flags & ARGS_XY) || p.transform_len > 0 ||
			    !flatten(f, p.gid, dx + p.arg1, dy + p.arg2, depth + 1, parts))
				return FALSE;
			continue;
		}
		if (flags & ARGS_XY) {
			p.arg1 += dx;
			p.arg2 += dy;
		} else if (depth > 0) {
			return FALSE;   /* point numbers of a glyph that is gone */
		}
		/* a part's metrics are the composite's only at the top */
		p.flags = flags & ~(guint)(ARG_WORDS | MORE | HAS_INSTRUCTIONS | (depth > 0 ? USE_MY_METRICS : 0));
		if (parts->len >= MAX_PARTS)
			return FALSE;
		g_array_append_val(parts, p);
	} while (flags & MORE);
	return TRUE;
}

static gboolean parse(font *f)
{
	guint32 version;

	if (f->len < 12) {
		f->why = "ce n'est pas une police TrueType (fichier trop court)";
		return FALSE;
	}
	version = u32(f->data);
	if (memcmp(f->data, "OTTO", 4) == 0) {
		f->why = "police OpenType à contours CFF (.otf) : il faut une police TrueType (.ttf)";
		return FALSE;
	}
	if (memcmp(f->data, "ttcf", 4) == 0) {
		f->why = "collection de polices (.ttc) : il faut un fichier .ttf d'une seule police";
		return FALSE;
	}
	if (version != 0x00010000 && memcmp(f->data, "true", 4) != 0) {
		f->why = "ce n'est pas une police TrueType";
		return FALSE;
	}
	if (12 + 16 * (guint64)u16(f->data + 4) > f->len) {
		f->why = "police tronquée (table des tables)";
		return FALSE;
	}
	if (!find_table(f, "head", &f->head, 54) || !find_table(f, "hhea", &f->hhea, 36) ||
	    !find_table(f, "maxp", &f->maxp, 6) || !find_table(f, "hmtx", &f->hmtx, 0) ||
	    !find_table(f, "loca", &f->loca, 0) || !find_table(f, "glyf", &f->glyf, 0) ||
	    !find_table(f, "cmap", &f->cmap, 4) || !find_table(f, "name", &f->name, 6) ||
	    !find_table(f, "OS/2", &f->os2, 78)) {
		if (f->why == NULL)
			f->why = "police incomplète : il manque une table TrueType (head, hhea, maxp, "
				 "hmtx, loca, glyf, cmap, name ou OS/2)";
		return FALSE;
	}
	/* optional ones: absent is fine, out of the file is not */
	find_table(f, "post", &f->post, 32);
	if (f->why != NULL)
		return FALSE;
	/* libharu divides by it */
	if (u16(f->head.p + 18) < 16 || u16(f->head.p + 18) > 16384) {
		f->why = "police abîmée (unités par cadratin)";
		return FALSE;
	}
	f->num_glyphs = u16(f->maxp.p + 4);
	f->num_hmetrics = u16(f->hhea.p + 34);
	f->loca_long = u16(f->head.p + 50) != 0;
	if (f->num_glyphs == 0 || f->num_hmetrics == 0 || f->num_hmetrics > f->num_glyphs ||
	    f->loca.len < (f->num_glyphs + 1) * (gsize)(f->loca_long ? 4 : 2) ||
	    f->hmtx.len < 4 * (gsize)f->num_hmetrics + 2 * (gsize)(f->num_glyphs - f->num_hmetrics)) {
		f->why = "police abîmée (tables maxp, hhea, hmtx ou loca incohérentes)";
		return FALSE;
	}
	if (!find_unicode_cmap(f)) {
		f->why = "police sans table de caractères Unicode (cmap)";
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- subset */

typedef struct {
	const font *f;
	GArray *old;         /* guint per new glyph: its source glyph, or NO_GLYPH */
	GPtrArray *parts;    /* per new glyph: GArray of part (composite), or NULL */
	GHashTable *index;   /* source glyph -> first new index + 1 */
} subset;

static guint add_glyph(subset *s, guint old, GArray *parts)
{
	g_array_append_val(s->old, old);
	g_ptr_array_add(s->parts, parts);
	if (old != NO_GLYPH && !g_hash_table_contains(s->index, GUINT_TO_POINTER(old)))
		g_hash_table_insert(s->index, GUINT_TO_POINTER(old), GUINT_TO_POINTER(s->old->len));
	return s->old->len - 1;
}

static guint index_of(const subset *s, guint old)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(s->index, GUINT_TO_POINTER(old))) - 1;
}

/* Glyph gid as the subset holds it: its parts when composite (*parts_r,
 * NULL when simple); NO_GLYPH when it is malformed or cannot be
 * flattened. */
static guint usable_glyph(const font *f, guint gid, GArray **parts_r)
{
	span g;

	*parts_r = NULL;
	if (!glyph_data(f, gid, &g))
		return NO_GLYPH;
	if (!is_composite(g))
		return gid;
	*parts_r = g_array_new(FALSE, FALSE, sizeof(part));
	if (!flatten(f, gid, 0, 0, 0, *parts_r)) {
		g_clear_pointer(parts_r, g_array_unref);
		return NO_GLYPH;
	}
	for (guint i = 0; i < (*parts_r)->len; i++) {
		const part *p = &g_array_index(*parts_r, part, i);
		int lo = (p->flags & ARGS_XY) ? G_MININT16 : 0;
		int hi = (p->flags & ARGS_XY) ? G_MAXINT16 : G_MAXUINT16;

		if (p->arg1 < lo || p->arg1 > hi || p->arg2 < lo || p->arg2 > hi) {
			g_clear_pointer(parts_r, g_array_unref);
			return NO_GLYPH;
		}
	}
	return gid;
}

static void write_glyph(const subset *s, guint i, GByteArray *glyf)
{
	GArray *parts = g_ptr_array_index(s->parts, i);
	span g;

	glyph_data(s->f, g_array_index(s->old, guint, i), &g);
	if (parts == NULL && g.len > 0) {
		/* the outline without its hinting instructions (see the top):
		 * header and contours' ends, a zero length, flags and points */
		gsize contours = u16(g.p), at = 10 + 2 * contours;

		if (at + 2 <= g.len && at + 2 + u16(g.p + at) <= g.len) {
			g_byte_array_append(glyf, g.p, (guint)at);
			put16(glyf, 0);
			at += 2 + u16(g.p + at);
			g_byte_array_append(glyf, g.p + at, (guint)(g.len - at));
		} else {
			g_byte_array_append(glyf, g.p, (guint)g.len);
		}
	} else if (parts != NULL) {
		/* the composite's header (contours -1, bounding box), then its
		 * parts, all placed by 16-bit arguments, no instructions */
		g_byte_array_append(glyf, g.p, 10);
		for (guint k = 0; k < parts->len; k++) {
			const part *p = &g_array_index(parts, part, k);

			put16(glyf, p->flags | ARG_WORDS | (k + 1 < parts->len ? MORE : 0));
			put16(glyf, index_of(s, p->gid));
			put16(glyf, (guint)p->arg1 & 0xFFFF);
			put16(glyf, (guint)p->arg2 & 0xFFFF);
			g_byte_array_append(glyf, p->transform, p->transform_len);
		}
	}
	while (glyf->len % 4)
		g_byte_array_append(glyf, (const guint8 *)"", 1);
}

typedef struct {
	char tag[5];
	GByteArray *data;
} table;

static void add_table(GArray *tables, const char *tag, GByteArray *data)
{
	table t;

	memcpy(t.tag, tag, 5);
	t.data = data;
	g_array_append_val(tables, t);
}

static GByteArray *copy_of(const guint8 *p, gsize len)
{
	GByteArray *b = g_byte_array_sized_new((guint)len);

	g_byte_array_append(b, p, (guint)len);
	return b;
}

/* name: only the records a PDF reader and libharu look at (IDs 0 to 6:
 * copyright, family, style, unique name, full name, version, PostScript
 * name), Mac Roman and Windows Unicode.  suffix (ASCII) is added to the
 * PostScript name: libharu takes a font whose name it has already loaded
 * for that font, and the two cuts of a font must stay two fonts. */
static GByteArray *subset_name(const font *f, const char *suffix)
{
	const guint8 *n = f->name.p;
	guint count = u16(n + 2), strings = u16(n + 4);
	g_autoptr(GByteArray) recs = g_byte_array_new();
	g_autoptr(GByteArray) text = g_byte_array_new();
	GByteArray *out;
	guint kept = 0;

	for (guint i = 0; i < count && 6 + 12 * (gsize)(i + 1) <= f->name.len; i++) {
		const guint8 *r = n + 6 + 12 * i;
		guint pid = u16(r), eid = u16(r + 2), nid = u16(r + 6), len = u16(r + 8);
		gsize off = (gsize)strings + u16(r + 10);

		if (nid > 6 || !((pid == 1 && eid == 0) || (pid == 3 && eid == 1)))
			continue;
		if (off + len > f->name.len)
			continue;
		g_byte_array_append(recs, r, 8);
		put16(recs, len + (nid == 6 ? (guint)strlen(suffix) * (pid == 3 ? 2 : 1) : 0));
		put16(recs, text->len);
		g_byte_array_append(text, n + off, len);
		for (const char *c = suffix; nid == 6 && *c != '\0'; c++) {
			if (pid == 3)
				put16(text, (guchar)*c);
			else
				g_byte_array_append(text, (const guint8 *)c, 1);
		}
		kept++;
	}
	out = g_byte_array_new();
	put16(out, 0);
	put16(out, kept);
	put16(out, 6 + 12 * kept);
	g_byte_array_append(out, recs->data, recs->len);
	g_byte_array_append(out, text->data, text->len);
	return out;
}

/* cmap: one format 4 subtable (Windows, Unicode BMP), the one libharu
 * reads: a segment for each range of the repertoire. */
static GByteArray *subset_cmap(const range *ranges, gsize n, const guint *first_glyph)
{
	GByteArray *out = g_byte_array_new();
	guint segs = (guint)n + 1, pow2 = 1, selector = 0;

	while (pow2 * 2 <= segs) {
		pow2 *= 2;
		selector++;
	}
	put16(out, 0);   /* version */
	put16(out, 1);   /* one subtable */
	put16(out, 3);
	put16(out, 1);
	put32(out, 12);
	put16(out, 4);
	put16(out, 16 + 8 * segs);
	put16(out, 0);
	put16(out, 2 * segs);
	put16(out, 2 * pow2);
	put16(out, selector);
	put16(out, 2 * segs - 2 * pow2);
	for (gsize r = 0; r < n; r++)
		put16(out, ranges[r].last);
	put16(out, 0xFFFF);
	put16(out, 0);
	for (gsize r = 0; r < n; r++)
		put16(out, ranges[r].first);
	put16(out, 0xFFFF);
	for (gsize r = 0; r < n; r++)
		put16(out, (first_glyph[r] - ranges[r].first) & 0xFFFF);
	put16(out, 1);
	for (guint i = 0; i < segs; i++)
		put16(out, 0);
	return out;
}

static guint32 checksum(const GByteArray *b)
{
	guint32 sum = 0;

	for (gsize i = 0; i < b->len; i += 4) {
		guint8 x[4] = { 0, 0, 0, 0 };

		memcpy(x, b->data + i, MIN(4, b->len - i));
		sum += u32(x);
	}
	return sum;
}

static gint by_tag(gconstpointer a, gconstpointer b)
{
	return memcmp(((const table *)a)->tag, ((const table *)b)->tag, 4);
}

static GBytes *assemble(GArray *tables)
{
	GByteArray *out = g_byte_array_new();
	guint n = tables->len, pow2 = 1, selector = 0;
	gsize offset = 12 + 16 * (gsize)n;

	g_array_sort(tables, by_tag);
	while (pow2 * 2 <= n) {
		pow2 *= 2;
		selector++;
	}
	put32(out, 0x00010000);
	put16(out, n);
	put16(out, 16 * pow2);
	put16(out, selector);
	put16(out, 16 * n - 16 * pow2);
	for (guint i = 0; i < n; i++) {
		table *t = &g_array_index(tables, table, i);

		g_byte_array_append(out, (const guint8 *)t->tag, 4);
		put32(out, checksum(t->data));
		put32(out, (guint32)offset);
		put32(out, t->data->len);
		offset += (t->data->len + 3) & ~(gsize)3;
	}
	for (guint i = 0; i < n; i++) {
		table *t = &g_array_index(tables, table, i);
		static const guint8 pad[3] = { 0, 0, 0 };

		g_byte_array_append(out, t->data->data, t->data->len);
		g_byte_array_append(out, pad, (4 - t->data->len % 4) % 4);
		g_byte_array_unref(t->data);
	}
	return g_byte_array_free_to_bytes(out);
}

static void parts_free(gpointer p)
{
	if (p != NULL)
		g_array_unref(p);
}

int doc_font_subset(const guint8 *data, gsize len, doc_font_set set, doc_font *out, const char **why_r)
{
	font f = { .data = data, .len = len };
	subset s = { .f = &f };
	const range *repertoire = set == DOC_FONT_WINANSI ? winansi : wide;
	gsize nranges = set == DOC_FONT_WINANSI ? G_N_ELEMENTS(winansi) : G_N_ELEMENTS(wide);
	guint first_glyph[MAX_RANGES];
	GArray *tables;
	GByteArray *glyf, *loca, *hmtx, *b;
	guint n;

	memset(out, 0, sizeof(*out));
	if (!parse(&f)) {
		*why_r = f.why;
		return -1;
	}
	s.old = g_array_new(FALSE, FALSE, sizeof(guint));
	s.parts = g_ptr_array_new_with_free_func(parts_free);
	s.index = g_hash_table_new(NULL, NULL);
	{
		GArray *parts;
		guint gid = usable_glyph(&f, 0, &parts);

		add_glyph(&s, gid, parts);   /* .notdef, first: drawn for nothing we write */
	}
	G_STATIC_ASSERT(G_N_ELEMENTS(winansi) <= MAX_RANGES && G_N_ELEMENTS(wide) <= MAX_RANGES);
	for (gsize r = 0; r < nranges; r++) {
		first_glyph[r] = s.old->len;
		for (gunichar cp = repertoire[r].first; cp <= repertoire[r].last; cp++) {
			GArray *parts = NULL;
			guint gid = glyph_of(&f, cp);

			gid = gid == 0 ? NO_GLYPH : usable_glyph(&f, gid, &parts);

			if (gid != NO_GLYPH)
				out->covered[cp / 8] |= (guint8)(1u << (cp % 8));
			add_glyph(&s, gid, parts);
		}
	}
	/* the simple glyphs composite ones are made of */
	n = s.old->len;
	for (guint i = 0; i < n; i++) {
		GArray *parts = g_ptr_array_index(s.parts, i);

		for (guint k = 0; parts != NULL && k < parts->len; k++) {
			guint gid = g_array_index(parts, part, k).gid;

			if (!g_hash_table_contains(s.index, GUINT_TO_POINTER(gid)))
				add_glyph(&s, gid, NULL);
		}
	}
	n = s.old->len;
	if (n > MAX_GLYPHS) {
		g_array_unref(s.old);
		g_ptr_array_unref(s.parts);
		g_hash_table_unref(s.index);
		*why_r = "police trop grande pour être découpée";
		return -1;
	}

	glyf = g_byte_array_new();
	loca = g_byte_array_new();
	hmtx = g_byte_array_new();
	for (guint i = 0; i < n; i++) {
		guint old = g_array_index(s.old, guint, i);

		put32(loca, glyf->len);
		write_glyph(&s, i, glyf);
		if (old == NO_GLYPH) {
			put32(hmtx, 0);
			continue;
		}
		put16(hmtx, u16(f.hmtx.p + 4 * MIN(old, f.num_hmetrics - 1)));
		put16(hmtx, old < f.num_hmetrics ? u16(f.hmtx.p + 4 * old + 2)
						 : u16(f.hmtx.p + 4 * f.num_hmetrics + 2 * (old - f.num_hmetrics)));
	}
	put32(loca, glyf->len);

	tables = g_array_new(FALSE, FALSE, sizeof(table));
	add_table(tables, "glyf", glyf);
	add_table(tables, "loca", loca);
	add_table(tables, "hmtx", hmtx);
	add_table(tables, "cmap", subset_cmap(repertoire, nranges, first_glyph));
	add_table(tables, "name", subset_name(&f, set == DOC_FONT_WIDE ? "-Unicode" : ""));
	add_table(tables, "OS/2", copy_of(f.os2.p, f.os2.len));
	b = copy_of(f.head.p, 54);
	set16(b, 8, 0);   /* checkSumAdjustment: libharu writes its own */
	set16(b, 10, 0);
	set16(b, 50, 1);  /* long loca */
	add_table(tables, "head", b);
	b = copy_of(f.hhea.p, 36);
	set16(b, 34, n);
	add_table(tables, "hhea", b);
	b = copy_of(f.maxp.p, f.maxp.len);
	set16(b, 4, n);
	add_table(tables, "maxp", b);
	/* post format 3: no glyph names */
	b = g_byte_array_new();
	put32(b, 0x00030000);
	if (f.post.p != NULL)
		g_byte_array_append(b, f.post.p + 4, 12);
	else
		g_byte_array_append(b, (const guint8 *)"\0\0\0\0\0\0\0\0\0\0\0", 12);
	g_byte_array_append(b, (const guint8 *)"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	add_table(tables, "post", b);
	out->ttf = assemble(tables);
	out->glyphs = n;
	g_array_unref(tables);
	g_array_unref(s.old);
	g_ptr_array_unref(s.parts);
	g_hash_table_unref(s.index);
	return 0;
}

void doc_font_release(doc_font *f)
{
	g_clear_pointer(&f->ttf, g_bytes_unref);
}

gboolean doc_font_covers(const doc_font *f, gunichar cp)
{
	return cp < 0x10000 && (f->covered[cp / 8] >> (cp % 8) & 1);
}
