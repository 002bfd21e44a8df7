/* customer_fields.h: a customer's fields by their CSV column names
 * (CONTRACT.md: ref,name,email,siret,...): what `import customers`, the
 * `customer` commands and the export share.
 *
 * Setting a field checks and normalises the value as a clerk typed it:
 * SIRET (Luhn), VAT number (key), IBAN (mod 97), e-mails, French
 * postcodes, phone numbers (written "05 56 12 34 56"), discount (0 to
 * 100 %).  Empty clears an optional field.
 */
#ifndef MO_CUSTOMER_FIELDS_H
#define MO_CUSTOMER_FIELDS_H

#include "store/model.h"

#include <glib.h>

/* The fields, in the CSV's column order; NULL-terminated, static. */
const char *const *customer_fields(void);
/* Those and what only the commands set (bic, tags: not CSV columns). */
const char *const *customer_fields_all(void);
gboolean customer_field_known(const char *field);
/* The field's French label, as `customer show` prints it and as a
 * spreadsheet's header may name the column ("N° de TVA"); field itself
 * when it has none.  Static. */
const char *customer_field_label(const char *field);
/* What a PO may show of its customer that the file also holds: contact,
 * phone, addresses (the fields customer_data_differs compares). */
const char *const *customer_document_fields(void);

/* Sets field of c from value; -1 with *why_r (owned, French: the rule the
 * value breaks) when it is refused; c unchanged then. */
int customer_field_set(customer *c, const char *field, const char *value, char **why_r);
/* The field's value as the CSV writes it (owned; "" when empty). */
char *customer_field_get(const customer *c, const char *field);

/* The fields of c that value (as a document shows it: another spacing,
 * case or accents do not count) contradicts: NULL when value agrees or
 * cannot be read as the field; else the file's value (owned). */
char *customer_field_differs(const customer *c, const char *field, const char *value);

/* The stem of a new customer's account: "411" and the first three letters
 * of its name, accents folded, in capitals, X for those it lacks
 * ("AMANDINE Epicerie Fine" -> "411AMA"); two digits make it an account
 * (owned). */
char *customer_account_stem(const char *name);

/* The checks between fields: the VAT number's SIREN is the SIRET's.
 * NULL, or why not (owned). */
char *customer_fields_consistent(const customer *c);

#endif
