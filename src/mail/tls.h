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

#endif
