/* image.c: is a logo's file a picture libharu can take?
 *
 * The kind is decided by the content (PNG signature, JPEG start of image),
 * never by the name.  A PNG is checked through and through before libharu
 * sees it: libharu 2.3.0's libpng error handler returns instead of
 * jumping out, and libpng then calls abort() -- one damaged logo would
 * take the daemon down.  So every chunk's CRC, the header's fields, the
 * palette, and the compressed image data (inflated here, every row's
 * filter byte read) are checked first; a file that passes gives libpng
 * nothing to complain about.  A JPEG only goes through libharu's own
 * marker parser (no libjpeg), which reports its errors normally.
 */
#include "documents/render_p.h"

#include <gio/gio.h>
#include <string.h>

#define IMAGE_MAX_PIXELS (4000 * 4000)   /* libharu holds them all, 4 bytes each */

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
 * (0 to 4) and the exact size, pass by pass when interlaced (Adam7). */
static const char *check_pixels(const guint8 *z, gsize zlen, guint32 w, guint32 h, guint bpp,
				gboolean interlaced)
{
	static const guint start_x[7] = { 0, 4, 0, 2, 0, 1, 0 }, start_y[7] = { 0, 0, 4, 0, 2, 0, 1 };
	static const guint step_x[7] = { 8, 8, 4, 4, 2, 2, 1 }, step_y[7] = { 8, 8, 8, 4, 4, 2, 2 };
	g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
	g_autofree guint8 *buf = NULL;
	const gsize chunk = 64 * 1024;
	int pass = interlaced ? -1 : 0;
	guint64 rows_left = interlaced ? 0 : h, row_len = interlaced ? 0 : 1 + row_bytes(w, bpp);
	guint64 next_row = 0, got = 0;
	gsize in_done = 0;

	buf = g_malloc(chunk);
	for (;;) {
		gsize read = 0, written = 0;
		g_autoptr(GError) err = NULL;
		GConverterResult r = g_converter_convert(G_CONVERTER(dec), z + in_done, zlen - in_done, buf,
							 chunk, G_CONVERTER_INPUT_AT_END, &read, &written, &err);

		if (r == G_CONVERTER_ERROR)
			return "données d'image PNG abîmées (zlib)";
		for (gsize i = 0; i < written; i++, got++) {
			/* the next pass with pixels in it (Adam7 skips empty ones) */
			while (interlaced && rows_left == 0 && pass < 6) {
				guint64 pw, ph;

				pass++;
				pw = w > start_x[pass] ? (w - start_x[pass] + step_x[pass] - 1) / step_x[pass] : 0;
				ph = h > start_y[pass] ? (h - start_y[pass] + step_y[pass] - 1) / step_y[pass] : 0;
				rows_left = pw ? ph : 0;
				row_len = 1 + row_bytes(pw, bpp);
			}
			if (rows_left == 0)
				return "données d'image PNG abîmées (trop de données)";
			if (got == next_row) {
				if (buf[i] > 4)
					return "données d'image PNG abîmées (filtre de ligne inconnu)";
				next_row += row_len;
			}
			if (got + 1 == next_row)
				rows_left--;
		}
		in_done += read;
		if (r == G_CONVERTER_FINISHED)
			break;
		if (read == 0 && written == 0)
			return "données d'image PNG abîmées (tronquées)";
	}
	/* every row seen, and no pass left with pixels */
	while (interlaced && rows_left == 0 && pass < 6) {
		pass++;
		if (w > start_x[pass] && h > start_y[pass])
			return "données d'image PNG abîmées (il en manque)";
	}
	return rows_left == 0 ? NULL : "données d'image PNG abîmées (il en manque)";
}

static const char *check_png(const guint8 *data, gsize len)
{
	gsize at = 8;
	guint32 w = 0, h = 0;
	guint depth = 0, color = 0, interlace = 0, palette = 0, channels = 0;
	gboolean seen_ihdr = FALSE, seen_idat = FALSE, idat_done = FALSE, seen_iend = FALSE;
	g_autoptr(GByteArray) z = g_byte_array_new();

	while (at < len && !seen_iend) {
		guint32 n;
		const guint8 *type, *body;

		if (len - at < 12)
			return "fichier PNG tronqué";
		n = be32(data + at);
		type = data + at + 4;
		body = data + at + 8;
		if (n > len - at - 12)
			return "fichier PNG tronqué";
		if (crc32_of(type, 4 + (gsize)n) != be32(body + n))
			return "fichier PNG abîmé (somme de contrôle fausse)";
		if (!seen_ihdr && memcmp(type, "IHDR", 4) != 0)
			return "fichier PNG sans en-tête IHDR";
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
				return "fichier PNG abîmé (en-tête IHDR)";
			seen_ihdr = TRUE;
			w = be32(body);
			h = be32(body + 4);
			depth = body[8];
			color = body[9];
			interlace = body[12];
			if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF)
				return "fichier PNG abîmé (dimensions)";
			if ((guint64)w * h > IMAGE_MAX_PIXELS)
				return "image trop grande (16 millions de points au plus)";
			if (color > 6 || depth > 16 || !ok_depths[color][depth] || body[10] != 0 || body[11] != 0 ||
			    interlace > 1)
				return "fichier PNG abîmé (profondeur, couleurs ou entrelacement)";
			channels = color_channels[color];
		} else if (memcmp(type, "PLTE", 4) == 0) {
			if (n == 0 || n % 3 != 0 || n / 3 > 256 || seen_idat || palette > 0)
				return "fichier PNG abîmé (palette)";
			palette = n / 3;
			if (color == 3 && palette > (1u << depth))
				return "fichier PNG abîmé (palette trop grande)";
		} else if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done)
				return "fichier PNG abîmé (données d'image en morceaux séparés)";
			if (color == 3 && palette == 0)
				return "fichier PNG abîmé (image à palette sans palette)";
			seen_idat = TRUE;
			g_byte_array_append(z, body, n);
		} else if (memcmp(type, "IEND", 4) == 0) {
			seen_iend = TRUE;
		} else if (!(type[0] & 0x20)) {
			return "fichier PNG avec une partie indispensable inconnue";
		} else if (memcmp(type, "tRNS", 4) == 0 &&
			   ((color == 0 && n != 2) || (color == 2 && n != 6) ||
			    (color == 3 && (n == 0 || n > palette)) || color == 4 || color == 6)) {
			return "fichier PNG abîmé (transparence tRNS)";
		}
		at += 12 + (gsize)n;
	}
	if (!seen_idat || !seen_iend)
		return "fichier PNG tronqué (pas d'image ou pas de fin)";
	return check_pixels(z->data, z->len, w, h, channels * depth, interlace == 1);
}

int doc_image_check(const guint8 *data, gsize len, doc_image_kind *kind_r, const char **why_r)
{
	static const guint8 png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	if (len >= 8 && memcmp(data, png, 8) == 0) {
		*kind_r = DOC_IMAGE_PNG;
		*why_r = check_png(data, len);
		return *why_r == NULL ? 0 : -1;
	}
	if (len >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
		*kind_r = DOC_IMAGE_JPEG;
		return 0;
	}
	*why_r = "ni une image PNG ni une image JPEG";
	return -1;
}
