/* line_match.c: a PO line's product, with what clerks taught first. */
#include "orders/line_match.h"

#include "store/db_catalog.h"

/* The product a clerk taught this customer's line under key means;
 * NULL when none (borrowed from cat). */
static const product *learned(db *d, const match_catalogue *cat, const customer *c,
			      const char *key, GError **error)
{
	g_autofree char *ref = NULL;
	match_kind how;

	if (c == NULL || key == NULL)
		return NULL;
	ref = db_learned_product(d, c->id, key, error);
	return ref ? match_product(cat, ref, NULL, &how) : NULL;
}

int line_match_product(db *d, const match_catalogue *cat, const customer *c,
		       const order_line *l, const product **p_r, const product **guess_r,
		       GError **error)
{
	g_autofree char *ref_key = NULL;
	g_autofree char *desc_key = NULL;
	g_autoptr(GError) err = NULL;
	match_kind how = MATCH_NONE;
	const product *p;

	*p_r = *guess_r = NULL;
	match_line_keys(l->customer_ref, l->description, &ref_key, &desc_key);
	p = learned(d, cat, c, ref_key, &err);
	if (p == NULL && err == NULL) {
		p = match_product(cat, l->customer_ref, l->description, &how);
		if (how != MATCH_REF) {
			const product *taught = learned(d, cat, c, desc_key, &err);

			if (taught != NULL)
				p = taught, how = MATCH_REF;
		}
	}
	if (err != NULL) {
		g_propagate_error(error, g_steal_pointer(&err));
		return -1;
	}
	if (p != NULL && how == MATCH_SIMILAR)
		*guess_r = p;
	else
		*p_r = p;
	return 0;
}
