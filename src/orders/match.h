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

#include "store/model.h"

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

/* The keys under which a clerk's correction of a customer's line is
 * remembered (owned, NULL when that part is empty): "ref:bio1001" for
 * the customer's reference, "desc:huile d olive 75 cl" for its
 * description. */
void match_line_keys(const char *ref, const char *description, char **ref_key_r,
		     char **desc_key_r);

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

/* ---------------------------------------------------------------- customers */

/* How a document named its customer, strongest first. */
typedef enum {
	CUSTOMER_FOUND_NONE,
	CUSTOMER_FOUND_REF,    /* our customer code printed on it: "CLI380" */
	CUSTOMER_FOUND_SIRET,  /* 14 digits, spaced or not */
	CUSTOMER_FOUND_VAT,    /* FR + key + SIREN */
	CUSTOMER_FOUND_NAME,   /* the customer's name, normalised, as whole words */
} customer_found;

/* "son code client", "son SIRET"...: for the clerk. */
const char *customer_found_fr(customer_found how);

/* The customer file, with its codes, identifiers and names in the form
 * the search compares; built once, then used for many documents. */
typedef struct match_customers match_customers;

/* customers: customer*, taken. */
match_customers *match_customers_new(GPtrArray *customers);
void match_customers_free(match_customers *mc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(match_customers, match_customers_free)

/* The one customer the document's text names, by the strongest kind of
 * name found; NULL when none does, or when two customers are named the
 * same way (a guess would be worse than asking the clerk).  Borrowed
 * from mc. */
const customer *match_customer_in_text(const match_customers *mc, const char *text,
				       customer_found *how_r);

#endif
