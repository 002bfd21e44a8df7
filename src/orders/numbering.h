/* numbering.h: our numbers, one sequence each (store/db.h
 * db_next_number: gapless, never reused once committed): M0042 a message
 * taken in, SO0001 an order; the order chain adds its own here.
 */
#ifndef MO_NUMBERING_H
#define MO_NUMBERING_H

#include "store/db.h"

#include <glib.h>
#include <stdint.h>

typedef enum {
	NUMBER_MESSAGE,         /* M0042 */
	NUMBER_ORDER,           /* SO0001 */
	NUMBER_DELIVERY,        /* BL0001 */
} number_kind;

/* The number of kind for its sequence's value n: a prefix and at least
 * four digits (owned). */
char *numbering_format(number_kind kind, int64_t n);
/* The next number of kind, in the caller's transaction (owned). */
int numbering_next(db *d, number_kind kind, char **number_r, GError **error);
/* The next invoice number of year, "FA2026-0001": a series of its own each
 * year, as French practice wants, given in the caller's (posting)
 * transaction (owned). */
int numbering_next_invoice(db *d, int year, char **number_r, GError **error);

#endif
