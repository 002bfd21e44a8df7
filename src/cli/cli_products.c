/* mailorder product list|show|edit: the catalogue, as the customer file
 * is shown (orders/products.h changes it). */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/jsonw.h"
#include "lib/money.h"
#include "orders/products.h"
#include "store/db_catalog.h"

#include <stdio.h>
#include <string.h>

/* A value as the CSV writes it ("3.60"), as a clerk reads it ("3,60 €"). */
static char *shown_fr(const char *field, const char *value)
{
	if (value[0] != '\0' && (strcmp(field, "unit_price") == 0 || strcmp(field, "vat_rate") == 0)) {
		g_autofree char *comma = g_strdelimit(g_strdup(value), ".", ',');

		return strcmp(field, "unit_price") == 0 ? g_strdup_printf("%s €", comma)
							: g_steal_pointer(&comma);
	}
	return g_strdup(value);
}

static void product_json(jsonw *w, const product *p)
{
	g_autofree char *price = money_format_cents(p->unit_price_cents);
	g_autofree char *rate = money_format_scaled(p->vat_rate_bp, MONEY_BP);

	jsonw_object_begin(w);
	jsonw_member_string(w, "ref", p->ref);
	jsonw_member_string(w, "name", p->name);
	jsonw_member_string(w, "unit_price", price);
	jsonw_member_string(w, "vat_rate", rate);
	jsonw_member_int(w, "stock", p->stock);
	jsonw_member_string(w, "unit", p->unit);
	jsonw_object_end(w);
}

static int product_list_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	all = db_products_all(d, &err);
	db_close(&d);
	if (all == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < all->len; i++)
			product_json(&w, all->pdata[i]);
		jsonw_array_end(&w);
		g_string_append_c(out, '\n');
		fputs(out->str, stdout);
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "Réf.", "Désignation", "Prix HT", "TVA %",
						       "Stock", "Unité" };
		cli_table *t = cli_table_new(headers, "lLrrrl");

		g_string_append_printf(out, "Produits : %u\n\n", all->len);
		for (guint i = 0; i < all->len; i++) {
			const product *p = all->pdata[i];
			g_autofree char *price = money_format_cents_fr(p->unit_price_cents);
			g_autofree char *price_eur = g_strdup_printf("%s €", price);
			g_autofree char *rate = money_format_scaled_fr(p->vat_rate_bp, MONEY_BP);
			g_autofree char *stock = g_strdup_printf("%" G_GINT64_FORMAT, (gint64)p->stock);
			const char *cells[] = { p->ref, p->name, price_eur, rate, stock, p->unit };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	cli_put(out->str);
	return CLI_OK;
}

static int product_show_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(product) p = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *ref = cli_arg(args, 0);
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	p = db_product_by_ref(d, ref, &err);
	db_close(&d);
	if (err != NULL)
		return cli_report(err);
	if (p == NULL) {
		g_autofree char *list = cli_next(ctx, "product list");

		cli_errorf("%s : aucun produit de cette référence (%s les liste)", ref, list);
		return CLI_FAILED;
	}
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		product_json(&w, p);
		g_string_append_c(out, '\n');
		fputs(out->str, stdout);
		return CLI_OK;
	}
	for (const char *const *f = product_fields(); *f != NULL; f++) {
		g_autofree char *v = NULL;
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		if (strcmp(*f, "unit_price") == 0) {
			g_autofree char *price = money_format_cents_fr(p->unit_price_cents);

			v = g_strdup_printf("%s €", price);
		} else if (strcmp(*f, "vat_rate") == 0) {
			v = money_format_scaled_fr(p->vat_rate_bp, MONEY_BP);
		} else {
			v = product_field_get(p, *f);
		}
		{
			/* padded by characters, not bytes: "Désignation" */
			long pad = 12 - g_utf8_strlen(product_field_label(*f), -1);

			cli_printf("%s%*s: %s\n", product_field_label(*f), (int)MAX(pad, 1), "",
				   v[0] ? cli_value(keep, v) : "—");
		}
	}
	return CLI_OK;
}

static int product_edit_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GHashTable) set = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(GError) err = NULL;
	const char *ref = cli_arg(args, 0);
	int rc = CLI_OK;
	db *d;

	for (const char *const *f = product_fields() + 1; *f != NULL; f++) {
		g_autofree char *option = g_strdelimit(g_strdup_printf("--%s", *f), "_", '-');

		if (cli_opt(args, option) != NULL)
			g_hash_table_insert(set, (gpointer)*f, (gpointer)cli_opt(args, option));
	}
	if (g_hash_table_size(set) == 0)
		return cli_usage("product edit : quel champ changer ? (voir : mailorder product "
				 "edit --help)");
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	rc = products_edit(d, ref, set, &changes, &err);
	db_close(&d);
	if (rc < 0) {
		if (g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED)) {
			g_auto(GStrv) lines = g_strsplit(err->message, "\n", -1);

			/* "unit_price: why" as the option typed */
			for (int i = 0; lines[i] != NULL; i++) {
				g_autofree char *option = g_strdelimit(
					g_strndup(lines[i], strcspn(lines[i], ":")), "_", '-');

				cli_errorf("--%s :%s", option, strchr(lines[i], ':') + 1);
			}
			return CLI_FAILED;
		}
		return cli_report(err);
	}
	for (guint i = 0; i < changes->len; i++) {
		const product_change *c = changes->pdata[i];
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		g_autofree char *was = shown_fr(c->field, c->before);
		g_autofree char *is = shown_fr(c->field, c->after);

		cli_printf("%s : %s : %s → %s\n", ref, product_field_label(c->field),
			   was[0] ? cli_value(keep, was) : "—", is[0] ? cli_value(keep, is) : "—");
	}
	if (changes->len == 0)
		cli_printf("%s : rien ne change\n", ref);
	return CLI_OK;
}


static const cli_option edit_options[] = {
	{ "--name", "DÉSIGNATION", "la désignation du produit" },
	{ "--unit-price", "PRIX", "le prix unitaire HT (3,45 ou 3.45)" },
	{ "--vat-rate", "TAUX", "le taux de TVA : 0 ; 2,1 ; 5,5 ; 10 ou 20" },
	{ "--stock", "N", "le stock (un nombre entier), quand une livraison est arrivée ou après "
			  "un inventaire" },
	{ "--unit", "UNITÉ", "l'unité de vente (pièce, kg, carton…) ; vide l'efface" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_product_list = {
	.name = "product list",
	.synopsis = "[--json]",
	.summary = "le catalogue : chaque produit avec son prix, sa TVA et son stock",
	.options = cli_json_option,
	.examples = "mailorder product list\nmailorder product list --json",
	.min_args = 0,
	.max_args = 0,
	.run = product_list_run,
};

const cli_command cli_cmd_product_show = {
	.name = "product show",
	.synopsis = "RÉF [--json]",
	.summary = "un produit du catalogue",
	.options = cli_json_option,
	.examples = "mailorder product show BIO-1001",
	.min_args = 1,
	.max_args = 1,
	.run = product_show_run,
};

const cli_command cli_cmd_product_edit = {
	.name = "product edit",
	.synopsis = "RÉF [--name D] [--unit-price P] [--vat-rate T] [--stock N] [--unit U]",
	.summary = "change un produit du catalogue : son prix, sa TVA, son stock, sa désignation",
	.details = "Chaque valeur est vérifiée ; une valeur refusée n'écrit rien. L'import du "
		   "catalogue (import products) fait de même pour tout un fichier.",
	.options = edit_options,
	.examples = "mailorder product edit BIO-1001 --stock 120\n"
		    "mailorder product edit BIO-1001 --unit-price 3,60",
	.min_args = 1,
	.max_args = 1,
	.run = product_edit_run,
};
