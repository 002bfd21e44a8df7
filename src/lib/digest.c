#include "lib/digest.h"

#include <glib.h>
#include <gnutls/crypto.h>

struct digest {
	gnutls_hash_hd_t h;
};

digest *digest_sha256_new(void)
{
	digest *d = g_new0(digest, 1);

	if (gnutls_hash_init(&d->h, GNUTLS_DIG_SHA256) < 0)
		g_error("gnutls_hash_init(SHA256) failed");  /* no memory: as g_malloc */
	return d;
}

void digest_update(digest *d, const void *data, size_t len)
{
	if (len > 0)
		gnutls_hash(d->h, data, len);
}

char *digest_finish(digest *d)
{
	unsigned char raw[32];
	char *hex = g_malloc(DIGEST_SHA256_HEX_LEN + 1);
	static const char digits[] = "0123456789abcdef";

	gnutls_hash_deinit(d->h, raw);
	g_free(d);
	for (size_t i = 0; i < sizeof raw; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[DIGEST_SHA256_HEX_LEN] = '\0';
	return hex;
}

void digest_free(digest *d)
{
	if (d == NULL)
		return;
	gnutls_hash_deinit(d->h, NULL);
	g_free(d);
}

