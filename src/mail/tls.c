#include "mail/tls.h"

#include "lib/error.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#define TLS_MAX_CHAIN 16

/* Why gnutls refused a certificate, in the sysadmin's words (gnutls says
 * it in English only). */
static char *status_fr(unsigned int status)
{
	static const struct {
		unsigned int bit;
		const char *fr;
	} reasons[] = {
		{ GNUTLS_CERT_SIGNER_NOT_FOUND,
		  "son émetteur est inconnu (une autorité privée ? donnez-la par ca_file)" },
		{ GNUTLS_CERT_UNEXPECTED_OWNER, "il n'est pas au nom de ce serveur" },
		{ GNUTLS_CERT_EXPIRED, "il a expiré" },
		{ GNUTLS_CERT_NOT_ACTIVATED, "il n'est pas encore valable" },
		{ GNUTLS_CERT_REVOKED, "il est révoqué" },
		{ GNUTLS_CERT_SIGNER_NOT_CA, "son émetteur n'est pas une autorité de certification" },
		{ GNUTLS_CERT_INSECURE_ALGORITHM, "il est signé par un algorithme peu sûr" },
		{ GNUTLS_CERT_SIGNATURE_FAILURE, "sa signature est fausse" },
	};
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(reasons); i++) {
		if (status & reasons[i].bit)
			g_string_append_printf(out, "%s%s", out->len ? " ; " : "", reasons[i].fr);
	}
	if (out->len == 0)
		g_string_append(out, "il n'est pas de confiance");
	return g_string_free(out, FALSE);
}

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
		g_set_error_literal(error, MO_ERROR, MO_ERROR_FAILED,
				    "le serveur n'a envoyé aucun certificat");
		return -1;
	}
	if (gnutls_x509_trust_list_init(&trust, 0) < 0) {
		g_set_error_literal(error, MO_ERROR, MO_ERROR_FAILED,
				    "impossible de préparer la vérification des certificats");
		return -1;
	}
	/* Both may be wanted: a private CA for one server, public CAs for others. */
	gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
	if (ca_file != NULL) {
		r = gnutls_x509_trust_list_add_trust_file(trust, ca_file, NULL, GNUTLS_X509_FMT_PEM,
							  0, 0);
		if (r <= 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "ca_file %s : aucun certificat n'a pu y être lu (%s)", ca_file,
				    r < 0 ? gnutls_strerror(r) : "vide");
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
				    "le certificat %u du serveur est illisible", n + 1);
			n++;
			goto out;
		}
	}
	r = gnutls_x509_trust_list_verify_crt2(trust, certs, n, &want, 1, 0, &status, NULL);
	if (r < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "la vérification du certificat a échoué : %s", gnutls_strerror(r));
		goto out;
	}
	if (status != 0) {
		g_autofree char *why = status_fr(status);

		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "certificat de %s refusé : %s", host,
			    why);
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

static gboolean is_ip_literal(const char *host)
{
	struct in6_addr a;

	return inet_pton(AF_INET, host, &a) == 1 || inet_pton(AF_INET6, host, &a) == 1;
}

void tls_set_sni(struct mailstream_ssl_context *ctx, void *data)
{
	const char *host = data;

	/* RFC 6066: no IP literals in SNI */
	if (!is_ip_literal(host))
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

int tls_verify_stream(struct _mailstream *s, const char *what, const char *host,
		      const char *ca_file, GError **error)
{
	carray *chain = mailstream_get_certificate_chain(s);
	g_autoptr(GPtrArray) der = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GError) err = NULL;

	for (unsigned int i = 0; chain != NULL && i < carray_count(chain); i++) {
		MMAPString *cert = carray_get(chain, i);

		g_ptr_array_add(der, g_bytes_new(cert->str, cert->len));
	}
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	if (tls_verify_chain(der, host, ca_file, &err) < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : %s", what, err->message);
		return -1;
	}
	return 0;
}
