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

/* The catalogue with what matching compares already computed (each
 * product's reference key, normalised name and its words): built once,
 * then used for every line of many orders. */
typedef struct match_catalogue match_catalogue;

/* products: product*, taken. */
match_catalogue *match_catalogue_new(GPtrArray *products);
void match_catalogue_free(match_catalogue *cat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(match_catalogue, match_catalogue_free)

/* The product that the line means, or NULL; *kind_r says how it was
 * found.  Borrowed from cat. */
const product *match_product(const match_catalogue *cat, const char *ref,
			     const char *description, match_kind *kind_r);

#endif
