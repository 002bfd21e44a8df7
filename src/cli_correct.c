/* mailorder correct ORDER --customer REF | --line N --product REF [--by WHO]
 *
 * A clerk's correction of a draft: its customer, or the product one of
 * its lines means.  The checks that depend on it are made again, the
 * filed PO takes the customer's name, and the correction is remembered
 * (this address writes for this customer; this customer's line means
 * this product) so that the next order from them needs none. */
#include "cli.h"

#include "archive.h"
#include "error.h"
#include "match.h"
#include "money.h"
#include "order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *number;
	const char *customer_ref;   /* --customer */
	int line;                   /* --line, 0 when not given */
	const char *product_ref;    /* --product */
	const char *by;
} correction;

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

/* Each line's product (borrowed from owned, product*), NULL where none. */
static GPtrArray *line_products(db *d, const order *o, GPtrArray *owned, GError **error)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		product *p = NULL;

		if (l->product_ref != NULL) {
			p = db_product_by_ref(d, l->product_ref, error);
			if (p == NULL && error && *error) {
				g_ptr_array_unref(out);
				return NULL;
			}
		}
		if (p != NULL)
			g_ptr_array_add(owned, p);
		g_ptr_array_add(out, p);
	}
	return out;
}

/* The products this customer's lines were taught to mean, for lines that
 * have none yet. */
static int apply_learned(db *d, const customer *c, const order *o, GPtrArray *products,
			 GPtrArray *owned, int *applied_r, GError **error)
{
	*applied_r = 0;
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		g_autofree char *ref_key = NULL;
		g_autofree char *desc_key = NULL;
		const char *keys[2];

		if (products->pdata[i] != NULL)
			continue;
		match_line_keys(l->customer_ref, l->description, &ref_key, &desc_key);
		keys[0] = ref_key;
		keys[1] = desc_key;
		for (size_t k = 0; k < G_N_ELEMENTS(keys) && products->pdata[i] == NULL; k++) {
			g_autofree char *ref = NULL;
			product *p;

			if (keys[k] == NULL)
				continue;
			ref = db_learned_product(d, c->id, keys[k], error);
			if (ref == NULL && error && *error)
				return -1;
			p = ref ? db_product_by_ref(d, ref, error) : NULL;
			if (p == NULL && error && *error)
				return -1;
			if (p != NULL) {
				g_ptr_array_add(owned, p);
				products->pdata[i] = p;
				(*applied_r)++;
			}
		}
	}
	return 0;
}

/* The draft's customer: its checks again, its PO number against the
 * customer's other orders, its file renamed, its sender remembered. */
static int correct_customer(db *d, archive *a, order *o, const correction *cor,
			    char **old_file_r, GString *said, GError **error)
{
	g_autoptr(customer) c = db_customer_by_ref(d, cor->customer_ref, error);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func((GDestroyNotify)product_free);
	g_autoptr(GPtrArray) products = NULL;
	g_autofree char *sender = NULL;
	g_autofree char *same_po = NULL;
	g_autofree char *new_file = NULL;
	g_autofree char *note = NULL;
	int64_t document_id;
	int learned;
	gboolean renamed = FALSE;

	if (c == NULL) {
		if (error && *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "--customer %s : aucun client n'a cette référence",
				    cor->customer_ref);
		return -1;
	}
	if (db_order_document(d, o->id, &document_id, &sender, error) < 0)
		return -1;
	products = line_products(d, o, owned, error);
	if (products == NULL || apply_learned(d, c, o, products, owned, &learned, error) < 0)
		return -1;
	note = g_strdup_printf("client : %s %s (avant : %s)", c->ref, c->name,
			       o->customer_ref ? o->customer_ref : "inconnu");
	g_free(o->customer_ref);
	g_free(o->customer_name);
	o->customer_ref = g_strdup(c->ref);
	o->customer_name = g_strdup(c->name);
	order_recheck(o, c, (const product *const *)products->pdata);
	for (guint i = 0; i < o->checks->len; i++) {
		if (strcmp(((order_check *)o->checks->pdata[i])->code, CHECK_DUPLICATE_ORDER_REF) == 0)
			g_ptr_array_remove_index(o->checks, i--);
	}
	if (db_order_find_po(d, c->id, sender, o->customer_order_ref, o->id, &same_po, error) < 0)
		return -1;
	if (same_po != NULL)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_DUPLICATE_ORDER_REF, "warning", 0,
						"le n° de commande %s a déjà été reçu : commande %s",
						o->customer_order_ref, same_po));
	if (o->source_file != NULL) {
		if (archive_link_renamed(a, o->source_file, c->name, file_taken, d, &new_file,
					 error) < 0)
			return -1;
		if (strcmp(new_file, o->source_file) != 0) {
			if (db_document_set_file(d, document_id, o->source_file, new_file, error) < 0)
				return -1;
			*old_file_r = g_strdup(o->source_file);
			renamed = TRUE;
		}
	}
	if (db_order_update(d, o, c->id, cor->by, note, error) < 0)
		return -1;
	g_string_append_printf(said, "%s : client %s %s\n", o->number, c->ref, c->name);
	if (renamed)
		g_string_append_printf(said, "fichier renommé : %s\n", new_file);
	if (learned > 0)
		g_string_append_printf(said, "%d ligne(s) reconnue(s) d'après les corrections "
					     "précédentes pour ce client\n", learned);
	if (sender != NULL) {
		gboolean known = FALSE;

		for (guint i = 0; c->emails && c->emails[i]; i++)
			known |= g_ascii_strcasecmp(c->emails[i], sender) == 0;
		if (!known) {
			if (db_learn_sender(d, sender, c->id, o->number, error) < 0)
				return -1;
			g_string_append_printf(said, "les prochains messages de %s iront à ce client\n",
					       sender);
		}
	}
	return 0;
}

/* One line's product: its checks again; remembered for the customer. */
static int correct_line(db *d, order *o, const correction *cor, GString *said, GError **error)
{
	g_autoptr(product) p = db_product_by_ref(d, cor->product_ref, error);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func((GDestroyNotify)product_free);
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(customer) c = NULL;
	g_autofree char *note = NULL;
	order_line *l;

	if (p == NULL) {
		if (error && *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "--product %s : aucun produit du catalogue n'a cette référence",
				    cor->product_ref);
		return -1;
	}
	if (cor->line < 1 || (guint)cor->line > o->lines->len) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "--line %d : %s a %u ligne(s)",
			    cor->line, o->number, o->lines->len);
		return -1;
	}
	l = o->lines->pdata[cor->line - 1];
	if (o->customer_ref != NULL) {
		c = db_customer_by_ref(d, o->customer_ref, error);
		if (c == NULL && error && *error)
			return -1;
	}
	products = line_products(d, o, owned, error);
	if (products == NULL)
		return -1;
	products->pdata[cor->line - 1] = p;
	note = g_strdup_printf("ligne %d : produit %s (avant : %s)", cor->line, p->ref,
			       l->product_ref ? l->product_ref : "aucun");
	order_recheck(o, c, (const product *const *)products->pdata);
	if (db_order_update(d, o, c ? c->id : 0, cor->by, note, error) < 0)
		return -1;
	g_string_append_printf(said, "%s, ligne %d : %s %s\n", o->number, cor->line, p->ref,
			       p->name);
	if (c != NULL) {
		g_autofree char *ref_key = NULL;
		g_autofree char *desc_key = NULL;

		match_line_keys(l->customer_ref, l->description, &ref_key, &desc_key);
		if ((ref_key && db_learn_product(d, c->id, ref_key, p->ref, o->number, error) < 0) ||
		    (desc_key && db_learn_product(d, c->id, desc_key, p->ref, o->number, error) < 0))
			return -1;
		g_string_append_printf(said, "retenu pour les prochaines commandes de %s : « %s » "
					     "est %s\n",
				       c->name, l->customer_ref && !l->description ? l->customer_ref
					       : l->description ? l->description : "",
				       p->ref);
	}
	return 0;
}

static int parse(int argc, char **argv, correction *cor)
{
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (opt[0] != '-' && cor->number == NULL) {
			cor->number = opt;
			continue;
		}
		if (val == NULL)
			return cli_usage("correct: %s needs a value", opt);
		i++;
		if (strcmp(opt, "--customer") == 0) {
			cor->customer_ref = val;
		} else if (strcmp(opt, "--product") == 0) {
			cor->product_ref = val;
		} else if (strcmp(opt, "--by") == 0) {
			cor->by = val;
		} else if (strcmp(opt, "--line") == 0) {
			char *end;
			long n = strtol(val, &end, 10);

			if (*end != '\0' || n < 1 || n > 100000)
				return cli_usage("correct: --line wants a line number, not '%s'", val);
			cor->line = (int)n;
		} else {
			return cli_usage("correct: unexpected argument '%s'", opt);
		}
	}
	if (cor->number == NULL ||
	    (cor->customer_ref == NULL) == (cor->product_ref == NULL) ||
	    (cor->product_ref != NULL) != (cor->line > 0))
		return cli_usage("correct ORDER --customer REF | --line N --product REF [--by WHO]");
	return CLI_OK;
}

int cli_correct(cli_ctx *ctx, int argc, char **argv)
{
	correction cor = { 0 };
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GString) said = g_string_new(NULL);
	g_autofree char *old_file = NULL;
	archive *a = NULL;
	db *d;
	int rc = parse(argc, argv, &cor);

	if (rc != CLI_OK)
		return rc;
	if (cor.by == NULL)
		cor.by = g_get_user_name();
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	if (a == NULL || db_begin(d, &err) < 0)
		goto out;
	o = db_order_get(d, cor.number, &err);
	if (o == NULL && err == NULL)
		g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "%s : aucune commande de ce numéro",
			    cor.number);
	else if (o != NULL && strcmp(o->state, ORDER_STATE_DRAFT) != 0)
		g_set_error(&err, MO_ERROR, MO_ERROR_FAILED,
			    "%s n'est plus un brouillon (%s) : il ne se corrige plus ainsi", o->number,
			    o->state);
	if (err == NULL && (cor.customer_ref ? correct_customer(d, a, o, &cor, &old_file, said, &err)
					     : correct_line(d, o, &cor, said, &err)) == 0 &&
	    archive_sync(a, &err) == 0 && db_commit(d, &err) == 0) {
		g_autoptr(GError) rm_err = NULL;

		/* Committed: the old name is no one's now. */
		if (old_file != NULL && archive_remove(a, old_file, &rm_err) < 0)
			fprintf(stderr, "mailorder: warning: %s\n", rm_err->message);
		fputs(said->str, stdout);
	} else {
		db_rollback(d);
	}
out:
	rc = err ? cli_report(err) : CLI_OK;
	archive_free(&a);
	db_close(&d);
	return rc;
}
