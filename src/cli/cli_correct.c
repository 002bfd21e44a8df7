/* mailorder correct ORDER --customer REF | --line N --product REF [--by WHO]
 * (correction.h does it). */
#include "cli/cli.h"

#include "lib/error.h"
#include "lib/jsonw.h"
#include "orders/correction.h"
#include "orders/layouts.h"
#include "orders/learned.h"
#include "store/archive.h"
#include "store/db_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the lines as corrected teach of the sender's layout: said; a
 * failure to learn is no failure of the correction, said as a warning. */
static void learn_layout(cli_ctx *ctx, db *d, const char *number)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	guard *g = cli_reading_guard();

	if (layouts_learn(ctx->cfg, d, number, g, &said, &err) < 0)
		cli_errorf("attention : mise en page non retenue : %s", err->message);
	else if (said != NULL)
		cli_put(said);
	guard_stop(&g);
}

static int correct_run(cli_ctx *ctx, const cli_args *args)
{
	order_correction cor = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *said = NULL;
	const char *line = cli_opt(args, "--line");
	archive *a = NULL;
	int rc = CLI_OK;
	db *d;

	cor.number = cli_arg(args, 0);
	cor.customer_ref = cli_opt(args, "--customer");
	cor.product_ref = cli_opt(args, "--product");
	cor.by = cli_opt(args, "--by");
	cor.no_learn = cli_flag(args, "--no-learn");
	cor.learn_anyway = cli_flag(args, "--learn");
	cor.qty = cli_opt(args, "--qty");
	cor.price = cli_opt(args, "--price");
	cor.add_product = cli_opt(args, "--add-line");
	cor.add_qty = cli_arg(args, 1);
	cor.delivery_date = cli_opt(args, "--delivery-date");
	if (line != NULL) {
		guint64 n;

		if (!g_ascii_string_to_unsigned(line, 10, 1, 100000, &n, NULL))
			return cli_usage("correct : --line attend un numéro de ligne (1, 2…), pas « %s »",
					 line);
		cor.line = (int)n;
	}
	if (cli_opt(args, "--remove-line") != NULL) {
		guint64 n;

		if (!g_ascii_string_to_unsigned(cli_opt(args, "--remove-line"), 10, 1, 100000, &n, NULL))
			return cli_usage("correct : --remove-line attend un numéro de ligne (1, 2…), "
					 "pas « %s »", cli_opt(args, "--remove-line"));
		cor.remove_line = (int)n;
	}
	if ((cor.add_product != NULL) != (cor.add_qty != NULL))
		return cli_usage("correct : --add-line PRODUIT QUANTITÉ : la référence et la quantité "
				 "(voir : mailorder correct --help)");
	if (cor.customer_ref == NULL && cor.product_ref == NULL && !order_correction_has_values(&cor))
		return cli_usage("correct : que corriger ? --customer, --line N avec --product, --qty "
				 "ou --price, --add-line, --remove-line ou --delivery-date (voir : "
				 "mailorder correct --help)");
	if ((cor.product_ref != NULL || ((cor.qty != NULL || cor.price != NULL) &&
					 cor.add_product == NULL)) && cor.line == 0)
		return cli_usage("correct : --product, --qty et --price vont avec --line N, le numéro "
				 "de la ligne (voir : mailorder correct --help)");
	if (cor.line > 0 && cor.product_ref == NULL && cor.qty == NULL && cor.price == NULL)
		return cli_usage("correct : --line N, et quoi ? --product, --qty ou --price (voir : "
				 "mailorder correct --help)");
	if (cor.add_product != NULL && cor.qty != NULL)
		return cli_usage("correct : --add-line PRODUIT QUANTITÉ donne déjà la quantité : sans "
				 "--qty");
	if (cor.add_product != NULL && cor.line > 0)
		return cli_usage("correct : --add-line ajoute une ligne, --line en corrige une : l'un "
				 "ou l'autre");
	if (cor.by == NULL)
		cor.by = g_get_user_name();
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (a != NULL && order_correct(d, a, &cor, &said, &err) == 0) {
		cli_put(said);
		/* numbers the reader missed or misread; a product
		 * corrected says nothing of where the numbers stand */
		if (!cor.no_learn && (cor.qty != NULL || cor.price != NULL || cor.add_product != NULL))
			learn_layout(ctx, d, cor.number);
	} else if (err == NULL)
		/* a failure that forgot to say why: still a failure */
		g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "la correction a échoué sans dire pourquoi "
			    "(relancez avec -v)");
	rc = err ? cli_report(err) : CLI_OK;
	archive_free(&a);
	db_close(&d);
	return rc;
}

static const cli_option correct_options[] = {
	{ "--customer", "REF", "le client de la commande (sa référence, CLI…)" },
	{ "--line", "N", "la ligne à corriger (son numéro, à partir de 1, comme show les numérote)" },
	{ "--product", "REF", "le produit de cette ligne (référence du catalogue)" },
	{ "--qty", "QUANTITÉ", "la quantité de cette ligne (plus que zéro, trois décimales au plus)" },
	{ "--price", "PRIX", "le prix unitaire HT de cette ligne (ou de la ligne ajoutée), gardé à "
			     "la validation au lieu du prix du catalogue" },
	{ "--add-line", "PRODUIT", "ajoute une ligne : ce produit du catalogue, la quantité après "
				   "(--add-line BIO-1001 12)" },
	{ "--remove-line", "N", "retire la ligne N (la confirmation le dira au client)" },
	{ "--delivery-date", "DATE", "la date de livraison demandée (20/12/2026 ; vide l'efface)" },
	{ "--no-learn", NULL, "corrige ce brouillon seulement : rien n'est retenu pour les "
			      "commandes suivantes" },
	{ "--learn", NULL, "retient le produit même si le prix de la ligne diffère alors du "
			   "catalogue (sinon il ne l'est pas)" },
	{ "--by", "QUI", "qui corrige (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

static const char *const correct_conflicts[] = {
	"--customer", "--line", "--customer", "--product", "--learn", "--no-learn",
	"--customer", "--add-line", "--customer", "--remove-line", "--remove-line", "--line",
	"--add-line", "--remove-line", NULL,
};

const cli_command cli_cmd_correct = {
	.name = "correct",
	.synopsis = "COMMANDE --customer REF | --line N [--product REF] [--qty Q] [--price P] | "
		    "--add-line PRODUIT QUANTITÉ [--price P] | --remove-line N | --delivery-date D "
		    "[--no-learn | --learn] [--by QUI]",
	.summary = "corrige un brouillon : son client, le produit, la quantité ou le prix d'une "
		   "ligne, ses lignes, sa date de livraison",
	.details = "Un client corrigé est retenu pour l'adresse de l'expéditeur ; un produit "
		   "corrigé, pour la référence ou la désignation du client (sauf --no-learn). "
		   "Une quantité, un prix ou une ligne ajoutée sur un bon lu sans règle "
		   "apprennent la mise en page des bons de l'expéditeur : où sont ses colonnes de "
		   "quantité et de prix, et son séparateur décimal, retrouvés dans le document "
		   "d'après les lignes corrigées ; son prochain bon est lu ainsi. "
		   "Les contrôles de la commande sont refaits après la correction ; si le prix de "
		   "la ligne corrigée diffère alors du catalogue, c'est dit, et rien n'est retenu "
		   "sans --learn. Ce qui est retenu se "
		   "voit avec « mailorder learned list » et s'oublie avec « learned remove ». "
		   "Un prix donné par --price est celui que la validation garde ; sinon c'est le "
		   "prix du catalogue, remise du client déduite. Une ligne retirée ou une "
		   "quantité changée figurent sur la confirmation envoyée au client. Seul un "
		   "brouillon se corrige.",
	.options = correct_options,
	.examples = "mailorder correct SO0003 --customer CLI104\n"
		    "mailorder correct SO0003 --line 2 --product BIO-1012\n"
		    "mailorder correct SO0003 --line 1 --qty 10 --price 3,20\n"
		    "mailorder correct SO0003 --add-line BIO-1001 12\n"
		    "mailorder correct SO0003 --remove-line 3",
	.min_args = 1,
	.max_args = 2,
	.conflicts = correct_conflicts,
	.run = correct_run,
};

/* ---------------------------------------------------------------- learned */

static int learned_list_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *ref = cli_opt(args, "--customer");
	int64_t customer_id = 0;
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	if (ref != NULL) {
		g_autoptr(customer) c = db_customer_by_ref(d, ref, &err);

		if (c == NULL) {
			db_close(&d);
			if (err != NULL)
				return cli_report(err);
			cli_errorf("%s : aucun client de cette référence", ref);
			return CLI_FAILED;
		}
		customer_id = c->id;
	}
	all = db_learned_list(d, customer_id, &err);
	db_close(&d);
	if (all == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < all->len; i++) {
			const learned_item *l = all->pdata[i];

			jsonw_object_begin(&w);
			jsonw_member_string(&w, "id", l->id);
			jsonw_member_string(&w, "customer", l->customer_ref);
			jsonw_member_string(&w, "kind", l->product_ref			? "product"
							: g_str_has_prefix(l->key, "layout:") ? "layout"
											      : "sender");
			jsonw_member_string(&w, "key", l->key);
			jsonw_member_string(&w, "product_ref", l->product_ref);
			jsonw_member_string(&w, "learned_at", l->learned_at);
			jsonw_member_string(&w, "order", l->order_number);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		g_string_append_c(out, '\n');
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (all->len == 0) {
		cli_printf("Rien d'appris%s.\n", ref ? " pour ce client" : "");
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "N°", "Client", "Reconnaît", "Veut dire",
						       "Appris le", "Sur" };
		cli_table *t = cli_table_new(headers, "llLlll");

		g_string_append_printf(out, "Appris en corrigeant : %u\n\n", all->len);
		for (guint i = 0; i < all->len; i++) {
			const learned_item *l = all->pdata[i];
			g_autofree char *what = learned_key_fr(l->key);
			g_autofree char *means =
				l->product_ref ? g_strdup_printf("produit %s", l->product_ref)
				: g_str_has_prefix(l->key, "layout:")
					? g_strdup("quantités et prix")
					: g_strdup_printf("client %s", l->customer_ref);
			g_autofree char *when = cli_time_fr(l->learned_at);

			/* the day is enough here: the line's words need the room */
			if (strlen(when) > 10)
				when[10] = '\0';
			const char *cells[] = { l->id, l->customer_ref, what, means, when,
						l->order_number };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	{
		g_autofree char *rm = cli_next(ctx, "learned remove N°");

		g_string_append_printf(out, "\nPour oublier l'un d'eux : %s\n", rm);
	}
	cli_put(out->str);
	return CLI_OK;
}

static int learned_remove_run(cli_ctx *ctx, const cli_args *args)
{
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	for (guint i = 0; cli_arg(args, i) != NULL; i++) {
		g_autoptr(GError) err = NULL;
		g_autofree char *said = NULL;

		if (learned_forget(d, cli_arg(args, i), &said, &err) < 0) {
			/* MAX would report it twice */
			int one = cli_report(err);

			rc = MAX(rc, one);
		} else {
			cli_put(said);
		}
	}
	db_close(&d);
	return rc;
}

static const cli_option learned_list_options[] = {
	{ "--customer", "REF", "ce qui a été appris pour ce client seulement" },
	{ "--json", NULL, "la sortie en JSON, pour un script" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_learned_list = {
	.name = "learned list",
	.synopsis = "[--customer REF] [--json]",
	.summary = "ce que les corrections ont appris : les adresses rattachées à un client, "
		   "les lignes d'un client rattachées à un produit, la mise en page des bons d'un "
		   "expéditeur",
	.details = "Chaque correction (mailorder correct) est retenue pour les commandes "
		   "suivantes ; une correction fausse s'oublie avec « learned remove N° ».",
	.options = learned_list_options,
	.examples = "mailorder learned list\nmailorder learned list --customer CLI102",
	.min_args = 0,
	.max_args = 0,
	.run = learned_list_run,
};

const cli_command cli_cmd_learned_remove = {
	.name = "learned remove",
	.synopsis = "N°...",
	.summary = "oublie ce qu'une correction a appris (N° tel que « learned list » le donne : "
		   "E12, P7, M3)",
	.details = "Les brouillons déjà faits ne changent pas ; les commandes suivantes ne "
		   "s'en servent plus. Chaque N° est oublié à part : un N° inconnu n'empêche pas "
		   "les autres (le code de sortie est alors 1).",
	.examples = "mailorder learned remove P7",
	.min_args = 1,
	.max_args = -1,
	.run = learned_remove_run,
};
