/* error.h: the project's GError domain.
 *
 * Every function that can fail returns 0 / -1 (or NULL) and reports the
 * detail once, through a GError in this domain, where the failure is known.
 * The code grades what the caller should do with it.
 */
#ifndef MO_ERROR_H
#define MO_ERROR_H

#include <glib.h>

#define MO_ERROR mo_error_quark()
GQuark mo_error_quark(void);

typedef enum {
	MO_ERROR_FAILED,    /* something broke here: I/O, database */
	MO_ERROR_INVALID,   /* the input is bad: config, CSV, usage */
	MO_ERROR_TEMPORARY, /* try again later: network, server busy */
	MO_ERROR_PERMANENT, /* this input will never work: quarantine it */
	MO_ERROR_REFUSED,   /* a value a person gave is refused: the caller has the
			     * values and why (a list beside the error) */
	MO_ERROR_NEEDS_INIT, /* the database is to be created or upgraded first
			      * (`mailorder init`) */
} mo_error_code;

/* errno in French, for the person who reads the message (strerror speaks
 * the locale's language, English under systemd's C locale): the causes a
 * file or a connection meets; g_strerror's words for the rest.  Static. */
const char *mo_strerror(int errnum);

#endif
