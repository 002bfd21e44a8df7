/* products.c: the catalogue's fields and a clerk's change (products.h). */
#include "orders/products.h"

#include "lib/error.h"
#include "lib/money.h"
#include "store/db_catalog.h"

#include <errno.h>
#include <string.h>

static const char *const fields[] = {
	"ref", "name", "unit_price", "vat_rate", "stock", "unit", NULL,
};

/* France's VAT rates, in basis points. */
static const int vat_rates_bp[] = { 0, 210, 550, 1000, 2000 };

const char *const *product_fields(void)
{
	return fields;
}

const char *product_field_label(const char *field)
{
	static const struct {
		const char *field, *fr;
	} labels[] = {
		{ "ref", "Référence" }, { "name", "Désignation" }, { "unit_price", "Prix HT" },
		{ "vat_rate", "TVA (%)" }, { "stock", "Stock" }, { "unit", "Unité" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++) {
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].fr;
	}
	return field;
}

gboolean product_field_known(const char *field)
{
	for (int i = 0; fields[i] != NULL; i++) {
		if (strcmp(fields[i], field) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean product_ref_valid(const char *ref)
{
	size_t n = strlen(ref);

	if (n == 0 || n > 32)
		return FALSE;
	for (size_t i = 0; i < n; i++) {
		if (!g_ascii_isalnum(ref[i]) && !strchr("-_./", ref[i]))
			return FALSE;
	}
	return TRUE;
}

int product_field_set(product *p, const char *field, const char *value, char **why_r)
{
	g_autofree char *v = g_strstrip(g_strdup(value));
	const char *why = NULL;

	*why_r = NULL;
	if (strcmp(field, "name") == 0) {
		if (v[0] == '\0') {
			*why_r = g_strdup("le nom est obligatoire");
			return -1;
		}
		g_free(p->name);
		p->name = g_steal_pointer(&v);
		return 0;
	}
	if (strcmp(field, "unit") == 0) {
		g_free(p->unit);
		p->unit = v[0] ? g_steal_pointer(&v) : NULL;
		return 0;
	}
	if (strcmp(field, "unit_price") == 0) {
		int64_t cents;

		/* a catalogue's price is typed: "3.456" is refused, never read
		 * as 3 456 as a printed PO's total may be */
		if (money_parse_typed(v, MONEY_CENTS, &cents, &why) < 0) {
			*why_r = g_strdup_printf("« %s » : %s", value, why);
			return -1;
		}
		if (cents < 0) {
			*why_r = g_strdup_printf("« %s » : un prix ne peut pas être négatif", value);
			return -1;
		}
		p->unit_price_cents = cents;
		return 0;
	}
	if (strcmp(field, "vat_rate") == 0) {
		int bp;

		if (money_parse_rate(v, &bp, &why) == 0) {
			for (size_t i = 0; i < G_N_ELEMENTS(vat_rates_bp); i++) {
				if (bp == vat_rates_bp[i]) {
					p->vat_rate_bp = bp;
					return 0;
				}
			}
		}
		*why_r = g_strdup_printf("« %s » : le taux de TVA est 0 ; 2,1 ; 5,5 ; 10 ou 20", value);
		return -1;
	}
	if (strcmp(field, "stock") == 0) {
		char *end;
		gint64 n;

		errno = 0;
		n = g_ascii_strtoll(v, &end, 10);
		if (v[0] == '\0' || errno != 0 || *end != '\0' || n < -1000000000 || n > 1000000000) {
			*why_r = g_strdup_printf("« %s » : le stock est un nombre entier", value);
			return -1;
		}
		p->stock = n;
		return 0;
	}
	*why_r = g_strdup_printf("« %s » : champ inconnu", field);
	return -1;
}

char *product_field_get(const product *p, const char *field)
{
	if (strcmp(field, "ref") == 0)
		return g_strdup(p->ref ? p->ref : "");
	if (strcmp(field, "name") == 0)
		return g_strdup(p->name ? p->name : "");
	if (strcmp(field, "unit") == 0)
		return g_strdup(p->unit ? p->unit : "");
	if (strcmp(field, "unit_price") == 0)
		return money_format_cents(p->unit_price_cents);
	if (strcmp(field, "vat_rate") == 0)
		return money_format_scaled(p->vat_rate_bp, MONEY_BP);
	if (strcmp(field, "stock") == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)p->stock);
	return g_strdup("");
}

void product_change_free(product_change *c)
{
	if (c == NULL)
		return;
	g_free(c->before);
	g_free(c->after);
	g_free(c);
}

int products_edit(db *d, const char *ref, GHashTable *set, GPtrArray **changes_r,
		  GError **error)
{
	g_autoptr(GPtrArray) changes =
		g_ptr_array_new_with_free_func((GDestroyNotify)product_change_free);
	g_autoptr(GString) refused = g_string_new(NULL);
	g_autoptr(product) p = NULL;
	g_autoptr(product) before = NULL;
	GError *err = NULL;

	*changes_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	p = db_product_by_ref(d, ref, &err);
	if (p == NULL) {
		db_rollback(d);
		if (err != NULL)
			g_propagate_error(error, err);
		else
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s : aucun produit de cette référence", ref);
		return -1;
	}
	before = db_product_by_ref(d, ref, error);
	if (before == NULL) {
		db_rollback(d);
		return -1;
	}
	for (int i = 1; fields[i] != NULL; i++) {
		const char *v = g_hash_table_lookup(set, fields[i]);
		g_autofree char *why = NULL;

		if (v != NULL && product_field_set(p, fields[i], v, &why) < 0)
			g_string_append_printf(refused, "%s%s: %s", refused->len ? "\n" : "",
					       fields[i], why);
	}
	if (refused->len > 0) {
		db_rollback(d);
		g_set_error_literal(error, MO_ERROR, MO_ERROR_REFUSED, refused->str);
		return -1;
	}
	for (int i = 1; fields[i] != NULL; i++) {
		g_autofree char *was = product_field_get(before, fields[i]);
		g_autofree char *is = product_field_get(p, fields[i]);
		product_change *c;

		if (strcmp(was, is) == 0)
			continue;
		c = g_new0(product_change, 1);
		c->field = fields[i];
		c->before = g_steal_pointer(&was);
		c->after = g_steal_pointer(&is);
		g_ptr_array_add(changes, c);
	}
	if ((changes->len > 0 && db_product_upsert(d, p, NULL, error) < 0) ||
	    db_commit(d, error) < 0) {
		db_rollback(d);
		return -1;
	}
	*changes_r = g_steal_pointer(&changes);
	return 0;
}
