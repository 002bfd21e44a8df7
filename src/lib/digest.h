/* digest.h: SHA-256 of streamed bytes, as lower-case hex.
 *
 * GnuTLS's implementation (already linked for TLS) rather than GChecksum:
 * it uses the CPU's SHA extensions and is several times faster, and every
 * byte of every message and attachment goes through here.
 */
#ifndef MO_DIGEST_H
#define MO_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_HEX_LEN 64

typedef struct digest digest;

/* Never NULL: allocation failure aborts, as with GLib. */
digest *digest_sha256_new(void);
void digest_update(digest *d, const void *data, size_t len);
/* The hex digest (owned by the caller); frees d. */
char *digest_finish(digest *d);
/* Frees d without a result (error paths). */
void digest_free(digest *d);

#endif
