/* b64.h: base64 decoding, as g_base64_decode_step() does it, faster.
 *
 * Every attachment of every message goes through here, and GLib's decoder
 * (one branchy step per character) was a sixth of intake's time.  Same
 * results, byte for byte, for any input (tests/unit/test_b64.c checks it
 * against GLib): characters outside the alphabet are skipped, '=' counts
 * as a zero that suppresses output at the end of a group.
 */
#ifndef MO_B64_H
#define MO_B64_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t acc;        /* sextets of the group in progress */
	unsigned n;          /* how many */
	unsigned char last0, last1;  /* the last two alphabet characters seen */
} b64_state;

#define B64_STATE_INIT { 0, 0, 0, 0 }

/* Decodes len bytes of in, continuing state; out needs room for
 * (len / 4 + 1) * 3 bytes.  Returns the bytes written. */
size_t b64_decode_step(b64_state *state, const char *in, size_t len, uint8_t *out);

#endif
