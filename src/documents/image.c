/* image.c: a logo's file made into what libharu can take safely.
 *
 * The kind is decided by the content (PNG signature, JPEG start of image),
 * never by the name.  A PNG is checked through and through, then written
 * again, before libharu sees it: libharu 2.3.0's libpng error handler
 * returns instead of jumping out, and libpng then calls abort() -- one
 * damaged logo would take the daemon down; and libharu takes libpng's
 * warnings (the common "iCCP: known incorrect sRGB profile") for errors.
 * So: every chunk's name and CRC, the header's fields against libpng's
 * limits, the palette and the transparency, and the compressed pixels
 * (inflated here, every row's filter byte read) are checked; then a new
 * PNG is made of only the header, palette, transparency and pixels, in
 * one IDAT whose zlib header asks for the largest window (libpng sizes its
 * window from that header, and a stream that reaches further back, which
 * GLib's inflater accepts, would make it fail).  A file that passes gives
 * libpng nothing to complain about.  A JPEG goes through libharu's own
 * marker parser (no libjpeg), which reports its errors normally.
 */
#include "documents/render_p.h"

#include <gio/gio.h>
#include <string.h>

#define IMAGE_MAX_PIXELS (4000 * 4000)   /* libharu holds them all, 4 bytes each */
#define IMAGE_MAX_SIDE 100000            /* libpng refuses more than 1000000 */

static guint32 be32(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint32 crc_table[256];

static gpointer make_crc_table(gpointer data)
{
	(void)data;
	for (guint32 n = 0; n < 256; n++) {
		guint32 c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
	return NULL;
}

static guint32 crc32_of(const guint8 *p, gsize len)
{
	static GOnce once = G_ONCE_INIT;
	guint32 c = 0xFFFFFFFFu;

	g_once(&once, make_crc_table, NULL);
	for (gsize i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

/* Bytes of one row of w pixels, filter byte not counted. */
static guint64 row_bytes(guint64 w, guint bits_per_pixel)
{
	return (w * bits_per_pixel + 7) / 8;
}

/* Inflates the image data and walks its rows: the filter byte of each
 * (0 to 4) and the exact size. */
static const char *check_pixels(const guint8 *z, gsize zlen, guint32 w, guint32 h, guint bpp)
{
	g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
	g_autofree guint8 *buf = g_malloc(64 * 1024);
	guint64 row_len = 1 + row_bytes(w, bpp), expected = row_len * h, got = 0;
	gsize in_done = 0;

	for (;;) {
		gsize read = 0, written = 0;
		g_autoptr(GError) err = NULL;
		GConverterResult r = g_converter_convert(G_CONVERTER(dec), z + in_done, zlen - in_done, buf,
							 64 * 1024, G_CONVERTER_INPUT_AT_END, &read, &written, &err);

		if (r == G_CONVERTER_ERROR)
			return "données d'image PNG abîmées (zlib)";
		for (gsize i = 0; i < written; i++, got++) {
			if (got % row_len == 0 && buf[i] > 4)
				return "données d'image PNG abîmées (filtre de ligne inconnu)";
		}
		if (got > expected)
			return "données d'image PNG abîmées (trop de données)";
		in_done += read;
		if (r == G_CONVERTER_FINISHED)
			break;
		if (read == 0 && written == 0)
			return "données d'image PNG abîmées (tronquées)";
	}
	return got == expected ? NULL : "données d'image PNG abîmées (il en manque)";
}

static void put_be32(GByteArray *b, guint32 v)
{
	guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };

	g_byte_array_append(b, x, 4);
}

static void put_chunk(GByteArray *png, const char *type, const guint8 *data, guint32 n)
{
	gsize start = png->len + 4;

	put_be32(png, n);
	g_byte_array_append(png, (const guint8 *)type, 4);
	if (n > 0)
		g_byte_array_append(png, data, n);
	put_be32(png, crc32_of(png->data + start, 4 + (gsize)n));
}

/* The PNG libharu gets, or NULL and why. */
static GBytes *clean_png(const guint8 *data, gsize len, const char **why_r)
{
	static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	gsize at = 8;
	guint32 w = 0, h = 0;
	guint depth = 0, color = 0, interlace = 0, palette = 0, channels = 0;
	gboolean seen_ihdr = FALSE, seen_idat = FALSE, idat_done = FALSE, seen_iend = FALSE;
	const guint8 *ihdr = NULL, *plte = NULL, *trns = NULL;
	guint32 trns_len = 0;
	g_autoptr(GByteArray) z = g_byte_array_new();
	GByteArray *out;

	while (at < len && !seen_iend) {
		guint32 n;
		const guint8 *type, *body;

		if (len - at < 12)
			return *why_r = "fichier PNG tronqué", NULL;
		n = be32(data + at);
		type = data + at + 4;
		body = data + at + 8;
		if (n > len - at - 12)
			return *why_r = "fichier PNG tronqué", NULL;
		for (int i = 0; i < 4; i++) {
			if (!g_ascii_isalpha(type[i]))
				return *why_r = "fichier PNG abîmé (nom de partie invalide)", NULL;
		}
		if (crc32_of(type, 4 + (gsize)n) != be32(body + n))
			return *why_r = "fichier PNG abîmé (somme de contrôle fausse)", NULL;
		if (!seen_ihdr && memcmp(type, "IHDR", 4) != 0)
			return *why_r = "fichier PNG sans en-tête IHDR", NULL;
		if (seen_idat && memcmp(type, "IDAT", 4) != 0)
			idat_done = TRUE;
		if (memcmp(type, "IHDR", 4) == 0) {
			static const guint8 ok_depths[7][17] = {
				[0] = { [1] = 1, [2] = 1, [4] = 1, [8] = 1, [16] = 1 },
				[2] = { [8] = 1, [16] = 1 },
				[3] = { [1] = 1, [2] = 1, [4] = 1, [8] = 1 },
				[4] = { [8] = 1, [16] = 1 },
				[6] = { [8] = 1, [16] = 1 },
			};
			static const guint8 color_channels[7] = { 1, 0, 3, 1, 2, 0, 4 };

			if (seen_ihdr || n != 13)
				return *why_r = "fichier PNG abîmé (en-tête IHDR)", NULL;
			seen_ihdr = TRUE;
			ihdr = body;
			w = be32(body);
			h = be32(body + 4);
			depth = body[8];
			color = body[9];
			interlace = body[12];
			if (w == 0 || h == 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE)
				return *why_r = "fichier PNG abîmé (dimensions)", NULL;
			if ((guint64)w * h > IMAGE_MAX_PIXELS)
				return *why_r = "image trop grande (16 millions de points au plus)", NULL;
			if (color > 6 || depth > 16 || !ok_depths[color][depth] || body[10] != 0 || body[11] != 0 ||
			    interlace > 1)
				return *why_r = "fichier PNG abîmé (profondeur, couleurs ou entrelacement)", NULL;
			/* libpng warns that it reads such an image whole, and
			 * libharu takes the warning for an error */
			if (interlace == 1)
				return *why_r = "PNG entrelacé, que libharu ne lit pas : enregistrez le logo sans "
						 "entrelacement", NULL;
			channels = color_channels[color];
		} else if (memcmp(type, "PLTE", 4) == 0) {
			if (n == 0 || n % 3 != 0 || n / 3 > 256 || seen_idat || palette > 0)
				return *why_r = "fichier PNG abîmé (palette)", NULL;
			if (color == 3 && n / 3 > (1u << depth))
				return *why_r = "fichier PNG abîmé (palette trop grande)", NULL;
			palette = n / 3;
			plte = body;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done)
				return *why_r = "fichier PNG abîmé (données d'image en morceaux séparés)", NULL;
			if (color == 3 && palette == 0)
				return *why_r = "fichier PNG abîmé (image à palette sans palette)", NULL;
			seen_idat = TRUE;
			g_byte_array_append(z, body, n);
		} else if (memcmp(type, "IEND", 4) == 0) {
			seen_iend = TRUE;
		} else if (!(type[0] & 0x20)) {
			return *why_r = "fichier PNG avec une partie indispensable inconnue", NULL;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			if ((color == 0 && n != 2) || (color == 2 && n != 6) || (color == 3 && (n == 0 || n > palette)) ||
			    color == 4 || color == 6 || seen_idat || trns != NULL)
				return *why_r = "fichier PNG abîmé (transparence tRNS)", NULL;
			trns = body;
			trns_len = n;
		}
		/* other ancillary chunks (colour profiles, text, dates) are left out */
		at += 12 + (gsize)n;
	}
	if (!seen_idat || !seen_iend)
		return *why_r = "fichier PNG tronqué (pas d'image ou pas de fin)", NULL;
	/* zlib: deflate (8), no preset dictionary */
	if (z->len < 2 || (z->data[0] & 0x0F) != 8 || (z->data[1] & 0x20) || (z->data[0] << 8 | z->data[1]) % 31)
		return *why_r = "données d'image PNG abîmées (en-tête zlib)", NULL;
	*why_r = check_pixels(z->data, z->len, w, h, channels * depth);
	if (*why_r != NULL)
		return NULL;
	/* the largest window (CINFO 7), its check bits made again */
	z->data[0] = 0x78;
	z->data[1] = (guint8)((z->data[1] & 0xE0) | (31 - ((0x78 << 8) | (z->data[1] & 0xE0)) % 31) % 31);
	out = g_byte_array_sized_new(z->len + 1024);
	g_byte_array_append(out, sig, 8);
	put_chunk(out, "IHDR", ihdr, 13);
	if (plte != NULL)
		put_chunk(out, "PLTE", plte, palette * 3);
	if (trns != NULL)
		put_chunk(out, "tRNS", trns, trns_len);
	put_chunk(out, "IDAT", z->data, z->len);
	put_chunk(out, "IEND", NULL, 0);
	return g_byte_array_free_to_bytes(out);
}

GBytes *doc_image_prepare(const guint8 *data, gsize len, doc_image_kind *kind_r, const char **why_r)
{
	static const guint8 png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	if (len >= 8 && memcmp(data, png, 8) == 0) {
		*kind_r = DOC_IMAGE_PNG;
		return clean_png(data, len, why_r);
	}
	if (len >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
		*kind_r = DOC_IMAGE_JPEG;
		return g_bytes_new(data, len);
	}
	*why_r = "ni une image PNG ni une image JPEG";
	return NULL;
}
