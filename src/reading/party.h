/* party.h: what a purchase order says of the customer who sent it, where
 * no rule reads it: addresses, phone, contact person.
 *
 * It works on the laid-out text (reader_layout_text: a page's lines, the
 * columns of a line two or more spaces apart).  An address is a postcode
 * and its city, with the street before them in the same cell or in the
 * cell above, in the same column.  The block a cell belongs to is named by
 * the cells above it in that column: one that says "livraison" makes it the
 * delivery address; one that says "Fournisseur" or our own name makes it
 * ours, and so does our own postcode with our street or none (a customer
 * in our town has a street of its own): neither is the customer's.  The
 * first other address is the billing one (a PO's letterhead is its
 * sender's).  A phone is one labelled "Tél." (a fax is not); a contact one
 * labelled "Contact :", "Interlocuteur :", "Suivi par :".
 */
#ifndef MO_PARTY_H
#define MO_PARTY_H

#include <glib.h>

typedef struct {
	const char *name;       /* our company, as the config gives it (may be NULL) */
	const char *address;    /* its street (may be NULL) */
	const char *postcode;   /* its postcode (may be NULL) */
} party_ours;

/* Adds to fields (customer field name, static -> value, owned by the
 * table: g_free) what text shows of the customer: contact, phone,
 * billing_address/postcode/city, delivery_address/postcode/city.  A field
 * already in fields is left as it is. */
void party_details_find(const char *text, const party_ours *ours, GHashTable *fields);

#endif
