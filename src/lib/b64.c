#include "lib/b64.h"

#include <glib.h>

#define SKIP 0xFF   /* not in the alphabet */
#define PAD  0x40   /* '=': value 0, but see the end of a group */

static uint8_t rank[256];

static void init_rank(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		static const char alphabet[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

		for (int i = 0; i < 256; i++)
			rank[i] = SKIP;
		for (int i = 0; i < 64; i++)
			rank[(uint8_t)alphabet[i]] = (uint8_t)i;
		rank['='] = PAD;
		g_once_init_leave(&done, 1);
	}
}

size_t b64_decode_step(b64_state *st, const char *in, size_t len, uint8_t *out)
{
	const uint8_t *p = (const uint8_t *)in, *end = p + len;
	uint8_t *o = out;
	uint32_t acc = st->acc;
	unsigned n = st->n;
	uint8_t last0 = st->last0, last1 = st->last1;

	init_rank();
	while (p < end) {
		/* Fast: a whole group of four plain characters. */
		if (n == 0 && end - p >= 4) {
			uint8_t r0 = rank[p[0]], r1 = rank[p[1]], r2 = rank[p[2]], r3 = rank[p[3]];

			if (((r0 | r1 | r2 | r3) & 0xC0) == 0) {
				uint32_t v = (uint32_t)r0 << 18 | (uint32_t)r1 << 12 | (uint32_t)r2 << 6 | r3;

				o[0] = (uint8_t)(v >> 16);
				o[1] = (uint8_t)(v >> 8);
				o[2] = (uint8_t)v;
				o += 3;
				last1 = p[2];
				last0 = p[3];
				p += 4;
				continue;
			}
		}
		/* Slow: one character, GLib's way. */
		uint8_t c = *p++, r = rank[c];

		if (r == SKIP)
			continue;
		last1 = last0;
		last0 = c;
		acc = acc << 6 | (r == PAD ? 0 : r);
		if (++n == 4) {
			*o++ = (uint8_t)(acc >> 16);
			if (last1 != '=')
				*o++ = (uint8_t)(acc >> 8);
			if (last0 != '=')
				*o++ = (uint8_t)acc;
			n = 0;
			acc = 0;
		}
	}
	st->acc = acc;
	st->n = n;
	st->last0 = last0;
	st->last1 = last1;
	return (size_t)(o - out);
}
