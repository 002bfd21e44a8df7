/* b64: the same bytes as GLib's decoder, for any input and any split. */
#include "lib/b64.h"
#include "tap.h"

#include <glib.h>
#include <string.h>

static GByteArray *ours(const char *in, size_t len, size_t split)
{
	GByteArray *out = g_byte_array_new();
	b64_state st = B64_STATE_INIT;

	for (size_t off = 0; off < len; off += split) {
		size_t n = MIN(split, len - off);
		guint8 *buf = g_malloc((n / 4 + 1) * 3);
		size_t got = b64_decode_step(&st, in + off, n, buf);

		g_byte_array_append(out, buf, (guint)got);
		g_free(buf);
	}
	return out;
}

static GByteArray *glibs(const char *in, size_t len)
{
	GByteArray *out = g_byte_array_sized_new((guint)((len / 4 + 1) * 3));
	gint state = 0;
	guint save = 0;

	g_byte_array_set_size(out, (guint)((len / 4 + 1) * 3));
	g_byte_array_set_size(out, (guint)g_base64_decode_step(in, len, out->data, &state, &save));
	return out;
}

static gboolean same(const GByteArray *a, const GByteArray *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void check(const char *why, const char *in, size_t len)
{
	g_autoptr(GByteArray) want = glibs(in, len);
	g_autoptr(GByteArray) whole = ours(in, len, len ? len : 1);
	g_autoptr(GByteArray) bytewise = ours(in, len, 1);
	g_autoptr(GByteArray) odd = ours(in, len, 7);

	ok(same(whole, want) && same(bytewise, want) && same(odd, want), "%s", why);
}

int main(void)
{
	GRand *rng = g_rand_new_with_seed(20261130);
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t-*.";

	check("empty", "", 0);
	check("one group", "JVBE", 4);
	check("padding ==", "JQ==", 4);
	check("padding =", "JVA=", 4);
	check("lines of 76 with CRLF", "SGVsbG8sIHdvcmxkIQ==\r\nSGVsbG8=\r\n", 32);
	check("junk between characters", "S*G-V.s bG\r\n8=", 14);
	check("padding in the middle", "AB=CDEFG", 8);
	check("an unfinished group", "SGVsbG", 6);
	{
		/* Real encoded data, as mail clients write it. */
		guint8 raw[3000];
		g_autofree char *enc = NULL;
		g_autoptr(GString) lines = g_string_new(NULL);

		for (size_t i = 0; i < sizeof raw; i++)
			raw[i] = (guint8)g_rand_int_range(rng, 0, 256);
		enc = g_base64_encode(raw, sizeof raw);
		for (size_t i = 0, n = strlen(enc); i < n; i += 76)
			g_string_append_printf(lines, "%.76s\r\n", enc + i);
		check("3000 random bytes, encoded in lines", lines->str, lines->len);
		{
			g_autoptr(GByteArray) back = ours(lines->str, lines->len, 4096);

			ok(back->len == sizeof raw && memcmp(back->data, raw, sizeof raw) == 0,
			   "and decoded back to the same bytes");
		}
	}
	for (int round = 0; round < 300; round++) {
		size_t len = (size_t)g_rand_int_range(rng, 0, 200);
		g_autofree char *in = g_malloc(len + 1);
		gboolean all_same = TRUE;

		for (size_t i = 0; i < len; i++)
			in[i] = g_rand_boolean(rng) ? alphabet[g_rand_int_range(rng, 0, 64)]
						    : alphabet[g_rand_int_range(rng, 0, sizeof alphabet - 1)];
		in[len] = '\0';
		{
			g_autoptr(GByteArray) want = glibs(in, len);
			g_autoptr(GByteArray) whole = ours(in, len, len ? len : 1);

			all_same = same(whole, want);
		}
		if (!all_same) {
			ok(FALSE, "random input %d: %s", round, in);
			break;
		}
		if (round == 299)
			ok(TRUE, "300 random inputs of the alphabet, '=' and junk: same as GLib");
	}
	g_rand_free(rng);
	return tap_done();
}
