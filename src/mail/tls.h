/* tls.h: verification of a server's certificate chain (GnuTLS), for the
 * protocol clients built on libetpan, which does not verify anything.
 *
 * The chain must lead to one of the system's trusted CAs or to a
 * certificate of ca_file (a private CA, or a self-signed server certificate
 * as in the tests), be valid now, and name host (DNS name, or IP address in
 * a subjectAltName).
 */
#ifndef MO_TLS_H
#define MO_TLS_H

#include <glib.h>

/* chain: DER certificates, the server's first.  MO_ERROR_FAILED with the
 * reason ("certificate not trusted", "certificate is for another host"...). */
int tls_verify_chain(GPtrArray *chain_der /* of GBytes* */, const char *host,
		     const char *ca_file, GError **error);

/* What imap.c and smtp.c share of libetpan's TLS streams (struct
 * _mailstream is libetpan's mailstream). */
struct mailstream_ssl_context;
struct _mailstream;
/* The connect callback that names host in the TLS handshake (SNI), data
 * being host; no name for an IP literal (RFC 6066). */
void tls_set_sni(struct mailstream_ssl_context *ctx, void *data);
/* tls_verify_chain on the chain stream s was given; errors start with
 * what (the protocol and the server: "SMTP 127.0.0.1:465"). */
int tls_verify_stream(struct _mailstream *s, const char *what, const char *host,
		      const char *ca_file, GError **error);

#endif
