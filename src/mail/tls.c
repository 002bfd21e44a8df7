#include "mail/tls.h"

#include "lib/error.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define TLS_MAX_CHAIN 16

int tls_verify_chain(GPtrArray *chain_der, const char *host, const char *ca_file,
		     GError **error)
{
	gnutls_x509_trust_list_t trust = NULL;
	gnutls_x509_crt_t certs[TLS_MAX_CHAIN] = { 0 };
	gnutls_typed_vdata_st want = { .type = GNUTLS_DT_DNS_HOSTNAME,
				       .data = (unsigned char *)host, .size = 0 };
	unsigned int n = 0, status = 0;
	int rc = -1, r;

	if (chain_der == NULL || chain_der->len == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "server sent no certificate");
		return -1;
	}
	if (gnutls_x509_trust_list_init(&trust, 0) < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "cannot set up certificate checks");
		return -1;
	}
	/* Both may be wanted: a private CA for one server, public CAs for others. */
	gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
	if (ca_file != NULL) {
		r = gnutls_x509_trust_list_add_trust_file(trust, ca_file, NULL, GNUTLS_X509_FMT_PEM,
							  0, 0);
		if (r <= 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "ca_file %s: no certificate could be read (%s)", ca_file,
				    r < 0 ? gnutls_strerror(r) : "empty");
			goto out;
		}
	}
	for (n = 0; n < chain_der->len && n < TLS_MAX_CHAIN; n++) {
		GBytes *der = chain_der->pdata[n];
		gsize len;
		gnutls_datum_t datum;

		datum.data = (unsigned char *)g_bytes_get_data(der, &len);
		datum.size = (unsigned int)len;
		if (gnutls_x509_crt_init(&certs[n]) < 0 ||
		    gnutls_x509_crt_import(certs[n], &datum, GNUTLS_X509_FMT_DER) < 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "server certificate %u cannot be read", n + 1);
			n++;
			goto out;
		}
	}
	r = gnutls_x509_trust_list_verify_crt2(trust, certs, n, &want, 1, 0, &status, NULL);
	if (r < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "certificate check failed: %s",
			    gnutls_strerror(r));
		goto out;
	}
	if (status != 0) {
		gnutls_datum_t text = { 0 };

		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "certificate of %s refused: %s", host,
			    text.data ? (const char *)text.data : "not trusted");
		gnutls_free(text.data);
		goto out;
	}
	rc = 0;
out:
	for (unsigned int i = 0; i < n; i++) {
		if (certs[i] != NULL)
			gnutls_x509_crt_deinit(certs[i]);
	}
	gnutls_x509_trust_list_deinit(trust, 1);
	return rc;
}
