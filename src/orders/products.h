/* products.h: the catalogue's products by their CSV column names
 * (CONTRACT.md: ref,name,unit_price,vat_rate,stock,unit): what `import
 * products` and the `product` commands share, and a clerk's change of a
 * product (its price, its stock after a delivery came in...).
 *
 * Setting a field checks the value as a clerk typed it: a price with ','
 * or '.', never negative; a VAT rate of France's (0, 2.1, 5.5, 10, 20);
 * a whole stock.  Empty clears the unit only.
 */
#ifndef MO_PRODUCTS_H
#define MO_PRODUCTS_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>

/* The fields, in the CSV's column order; NULL-terminated, static. */
const char *const *product_fields(void);
gboolean product_field_known(const char *field);
/* The field's French label, as `product show` prints it and as a
 * spreadsheet's header may name the column ("Prix HT"); field itself when
 * it has none.  Static. */
const char *product_field_label(const char *field);

/* Sets field of p from value; -1 with *why_r (owned, French: the rule the
 * value breaks) when it is refused; p unchanged then.  The ref is not
 * set here (it names the product). */
int product_field_set(product *p, const char *field, const char *value, char **why_r);
/* The field's value as the CSV writes it ("3.45", "5.5"; owned; "" when
 * empty). */
char *product_field_get(const product *p, const char *field);
/* A catalogue reference: 1 to 32 letters, digits or - _ . / */
gboolean product_ref_valid(const char *ref);

/* A field changed: the value before and after, as the CSV writes them. */
typedef struct {
	const char *field;        /* static: product_fields()' */
	char *before, *after;
} product_change;
void product_change_free(product_change *c);

/* The fields of set (field -> value) given to product ref, in one
 * transaction.  *changes_r (product_change*, owned): what changed, in
 * the fields' order; empty when nothing did.  A value refused: -1 with
 * MO_ERROR_REFUSED, a line "field: why" for each, nothing written; no
 * such product: MO_ERROR_FAILED. */
int products_edit(db *d, const char *ref, GHashTable *set, GPtrArray **changes_r,
		  GError **error);

#endif
