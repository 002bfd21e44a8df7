/* products: a product's fields as a clerk types them, and a change of a
 * product in a database made here (all or nothing). */
#include "orders/products.h"
#include "lib/error.h"
#include "store/db_catalog.h"
#include "tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static void test_fields(void)
{
	static const struct {
		const char *field, *value, *want, *why;
	} good[] = {
		{ "unit_price", "3,45", "3.45", "a price with a comma" },
		{ "unit_price", " 12.5 ", "12.50", "a price with a dot, spaces around" },
		{ "unit_price", "1 234,50", "1234.50", "a price with its thousands spaced" },
		{ "unit_price", "1.234,50", "1234.50", "a price with its thousands dotted" },
		{ "vat_rate", "5,5", "5.5", "a VAT rate with a comma" },
		{ "vat_rate", "20", "20", "20 %" },
		{ "vat_rate", "2.1", "2.1", "2,1 %" },
		{ "stock", "-3", "-3", "a stock below zero (sold before it came in)" },
		{ "unit", "", "", "an empty unit clears it" },
		{ "name", "Purée d'amandes", "Purée d'amandes", "a name" },
	};
	static const struct {
		const char *field, *value, *why;
	} bad[] = {
		{ "unit_price", "-1", "a negative price" },
		{ "unit_price", "abc", "a price that is no number" },
		{ "unit_price", "3.456", "three decimals with a dot (never read as 3 456)" },
		{ "unit_price", "11,905", "three decimals with a comma" },
		{ "vat_rate", "7", "a rate France does not have" },
		{ "stock", "1,5", "a stock with decimals" },
		{ "stock", "", "an empty stock" },
		{ "name", " ", "an empty name" },
		{ "colour", "red", "a field that is none" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(product) p = product_new();
		g_autofree char *why = NULL;
		g_autofree char *got = NULL;

		p->unit = g_strdup("pièce");
		ok(product_field_set(p, good[i].field, good[i].value, &why) == 0, "accepted: %s",
		   good[i].why);
		got = product_field_get(p, good[i].field);
		is_str(got, good[i].want, "  written back as the CSV writes it");
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(product) p = product_new();
		g_autofree char *why = NULL;

		p->unit_price_cents = 345;
		ok(product_field_set(p, bad[i].field, bad[i].value, &why) < 0 && why != NULL &&
			   p->unit_price_cents == 345,
		   "refused, saying why, nothing changed: %s", bad[i].why);
	}
	ok(product_ref_valid("BIO-1001") && !product_ref_valid("") && !product_ref_valid("a b") &&
		   !product_ref_valid("../x;"),
	   "a reference: letters, digits, - _ . / only");
}

static void test_edit(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-products-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "p.db", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(product) p = product_new();
	g_autoptr(GHashTable) set = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(product) back = NULL;
	int from;
	db *d = db_open(path, TRUE, &err);

	ok(d != NULL && db_migrate(d, &from, &err) == 0, "a new database");
	p->ref = g_strdup("BIO-1001");
	p->name = g_strdup("Farine T65");
	p->unit_price_cents = 345;
	p->vat_rate_bp = 550;
	p->stock = 10;
	ok(db_product_upsert(d, p, NULL, &err) == 0, "a product");
	g_hash_table_insert(set, (gpointer)"stock", (gpointer)"120");
	g_hash_table_insert(set, (gpointer)"unit_price", (gpointer)"3,60");
	ok(products_edit(d, "BIO-1001", set, &changes, &err) == 0, "its stock and price changed");
	ok(changes != NULL && changes->len == 2, "two changes told");
	back = db_product_by_ref(d, "BIO-1001", &err);
	ok(back && back->stock == 120 && back->unit_price_cents == 360, "and saved");
	g_clear_pointer(&changes, g_ptr_array_unref);
	g_hash_table_remove_all(set);
	g_hash_table_insert(set, (gpointer)"stock", (gpointer)"7");
	g_hash_table_insert(set, (gpointer)"vat_rate", (gpointer)"7");
	ok(products_edit(d, "BIO-1001", set, &changes, &err) < 0 &&
		   g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED) && strstr(err->message, "vat_rate: "),
	   "a refused rate refuses the change, naming the field");
	g_clear_error(&err);
	g_clear_pointer(&back, product_free);
	back = db_product_by_ref(d, "BIO-1001", &err);
	ok(back && back->stock == 120, "  and the stock given beside it is not written");
	g_hash_table_remove_all(set);
	g_hash_table_insert(set, (gpointer)"stock", (gpointer)"1");
	ok(products_edit(d, "NOPE", set, &changes, &err) < 0 && err != NULL &&
		   strstr(err->message, "NOPE : aucun produit"),
	   "an unknown reference");
	g_clear_error(&err);
	db_close(&d);
	g_unlink(path);
	g_rmdir(dir);
}

int main(void)
{
	test_fields();
	test_edit();
	return tap_done();
}
