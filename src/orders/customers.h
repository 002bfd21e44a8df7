/* customers.h: the customer file's changes, as the order desk makes them
 * (CONTRACT.md, the customer file): add, edit, contacts, and what a
 * purchase order shows of its customer.  Each change is one transaction
 * of its own, every value is checked on the way in (customer_fields.h),
 * every change goes to the customer's history.  The CLI's `customer`
 * commands and the web queue call the same functions.
 *
 * A function that refuses values returns -1 with the error
 * MO_ERROR_REFUSED ("valeur(s) refusée(s)") and the values in *refused_r
 * (customer_refusal*, owned), for the caller to show each beside its
 * field; nothing is changed then.
 */
#ifndef MO_CUSTOMERS_H
#define MO_CUSTOMERS_H

#include "lib/config.h"
#include "lib/guard.h"
#include "reading/document.h"
#include "reading/reader.h"
#include "store/archive.h"
#include "store/db.h"
#include "store/db_catalog.h"
#include "store/model.h"

#include <glib.h>

/* A value refused: its field (customer_fields.h's names; a contact's
 * role, name, phone, email, address, postcode, city), NULL for the whole
 * record; and why, in French. */
typedef struct {
	char *field;
	char *why;
	/* not a value refused but a request that makes no sense (a field a
	 * contact does not have, a value missing, a role that is none): what
	 * the CLI calls a usage error; nothing after it was looked at */
	gboolean usage;
	/* a contact's value: its pair in the request, from 0; -1 for the
	 * role the contact ends with, and for any other refusal */
	int item;
} customer_refusal;
void customer_refusal_free(customer_refusal *r);

/* A field changed: the value before and after ("" for none). */
typedef struct {
	const char *field;      /* static: customer_fields_all()'s */
	char *before, *after;
} customer_change;
void customer_change_free(customer_change *c);

/* A new customer from set (field -> value, customer_fields.h's names; a
 * name at least): the next reference, an account "411" + three letters
 * of its name + two digits unless one is given.  *ref_r: its reference
 * (owned).  Unless force, one that looks like a customer of the file (the
 * same SIRET, or the same name and an e-mail in common) is refused,
 * naming it. */
int customers_add(db *d, GHashTable *set, gboolean force, const char *by, char **ref_r,
		  GPtrArray **refused_r, GError **error);
/* The fields of set given new values.  *changes_r (customer_change*,
 * owned): what changed, in the fields' order; empty when nothing did. */
int customers_edit(db *d, const char *ref, GHashTable *set, const char *by,
		   GPtrArray **changes_r, GPtrArray **refused_r, GError **error);

/* A contact or address of a customer, added, edited or removed. */
typedef enum {
	CONTACT_ADD,
	CONTACT_EDIT,
	CONTACT_REMOVE,
} contact_action;

typedef struct {
	contact_action action;
	const char *customer_ref;
	guint number;               /* edit, remove: its number in customer show, from 1 */
	/* add, edit: the values, in the order given: field, value, field,
	 * value... (role, name, phone, email, address, postcode, city; ""
	 * clears one; a NULL value is one missing) */
	GPtrArray *values;
	const char *by;
} contact_request;

typedef struct {
	char *customer_ref;
	char *role;                 /* after the change (remove: the contact's) */
	char *before, *after;       /* the contact in one line; NULL for none */
	gboolean unchanged;         /* edit: nothing to change (nothing written) */
} contact_outcome;
void contact_outcome_clear(contact_outcome *o);

/* "Julien Moreau, 05 57 24 70 31, julien@…, 8 rue du Clocher 33330
 * Saint-Émilion": a contact in one line (owned). */
char *customer_contact_line(const customer_contact *k);
/* billing, delivery or purchasing. */
gboolean contact_role_known(const char *role);
/* The role a word names: the contract's (billing, delivery, purchasing)
 * or the French one (facturation, livraison, achats), in any case; NULL
 * for none. */
const char *contact_role_parse(const char *word);
/* The French word of a role (billing: "facturation"), static. */
const char *contact_role_fr(const char *role);

int customers_contact(db *d, const contact_request *req, contact_outcome *out,
		      GPtrArray **refused_r, GError **error);

/* What a document shows of its customer, by customer_document_fields'
 * names: as the rule read it, else as party.h finds it in text (the
 * layout's, without the order lines).  field -> value, owned. */
GHashTable *customers_shown_in(const config *cfg, const reading *rd, const char *text);

/* Where a PO and the customer file differ: the file's value ("" for
 * none) and the document's; with apply, whether the file took it, or why
 * not (French). */
typedef struct {
	const char *field;      /* static: customer_document_fields()'s */
	char *file_value, *document_value;
	gboolean applied;
	char *why_not;
} customer_difference;
void customer_difference_free(customer_difference *x);

/* A known customer's PO (ref's): what shown (customers_shown_in) says of
 * the customer that the file says otherwise, in *differences_r
 * (customer_difference*, owned).  With apply, written to the file in a
 * transaction of its own, each change to the history; a value the file
 * cannot take is left (why_not). */
int customers_compare_document(db *d, const char *ref, GHashTable *shown, gboolean apply,
			       const char *by, GPtrArray **differences_r, GError **error);

/* The PO order o was made from, as intake read it (its kept reading,
 * through today's rules: no OCR again), else read again by the whole
 * chain (document.h); under the guard's slot 0 when g is given: *doc_r and
 * *sender_r (the innermost message's From, may be NULL), owned. */
int customers_read_order_document(const config *cfg, db *d, const order *o, guard *g,
				  char **sender_r, document_reading **doc_r, GError **error);

/* A field and its value (owned; NULL: not found). */
typedef struct {
	const char *field;      /* static */
	char *value;
} customer_value;
void customer_value_free(customer_value *v);

/* An unknown customer as its PO shows it, for a clerk to check before
 * creating it: name, SIRET, VAT number (not ours), the sender's address,
 * the addresses, contact and phone (shown: customers_shown_in).  An array
 * of customer_value*, in that order, values unchecked. */
GPtrArray *customers_proposed(const config *cfg, const document_reading *doc, GHashTable *shown,
			      const char *sender);

#endif
