/* match.h: a purchase order's line against our catalogue.
 *
 * By our reference first (as customers copy it from our price list:
 * "BIO-1001", "bio 1001", "BIO1001"), else by description, normalised
 * (case, accents, punctuation and spaces do not count: "Huile d'olive
 * vierge extra 75cl" is "HUILE D’OLIVE VIERGE EXTRA 75 CL"), else by the
 * closest description when it is close enough to be told to the clerk as
 * a guess.  The catalogue is passed in: no database here.
 */
#ifndef MO_MATCH_H
#define MO_MATCH_H

#include "model.h"

#include <glib.h>

typedef enum {
	MATCH_NONE,
	MATCH_REF,          /* our reference, written some way */
	MATCH_DESCRIPTION,  /* the same description, normalised */
	MATCH_SIMILAR,      /* most words in common: a guess to confirm */
} match_kind;

/* "Huile d’Olive, 75cl" -> "huile d olive 75 cl": lower-case ASCII, one
 * space between words, digits apart from letters.  Owned. */
char *match_normalize(const char *text);

/* The product of catalogue (product*) that the line means, or NULL;
 * *kind_r says how it was found. */
const product *match_product(GPtrArray *catalogue, const char *ref, const char *description,
			     match_kind *kind_r);

#endif
