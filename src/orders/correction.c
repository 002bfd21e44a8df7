/* correction.c: a clerk's correction of a draft (correction.h). */
#include "orders/correction.h"

#include "lib/error.h"
#include "lib/dates.h"
#include "lib/log.h"
#include "lib/money.h"
#include "orders/confidence.h"
#include "orders/line_match.h"
#include "orders/match.h"
#include "orders/order.h"
#include "store/db_catalog.h"
#include "store/db_intake.h"
#include "store/db_order.h"

#include <string.h>

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

/* Each line's product now (borrowed from cat; NULL where none), with
 * what was taught for customer c applied to lines that have none, and
 * the closest products as guesses for the lines still without one.
 * *learned_r counts the lines a teaching gave a product. */
static GPtrArray *line_products(db *d, const match_catalogue *cat, const customer *c,
				const order *o, GHashTable *guesses, int *learned_r,
				GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new();

	*learned_r = 0;
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		const product *p = NULL, *guess = NULL;
		match_kind how;

		if (l->product_ref != NULL) {
			p = match_product(cat, l->product_ref, NULL, &how);
		} else {
			if (line_match_product(d, cat, c, l, &p, &guess, error) < 0)
				return NULL;
			if (p != NULL)
				(*learned_r)++;
			if (guess != NULL)
				g_hash_table_insert(guesses, GINT_TO_POINTER(i + 1), (gpointer)guess);
		}
		g_ptr_array_add(out, (gpointer)p);
	}
	return g_steal_pointer(&out);
}

/* The checks again, with the guesses for the lines still unknown. */
static void recheck(order *o, const customer *c, gboolean customer_set, GPtrArray *products,
		    GHashTable *guesses)
{
	GHashTableIter it;
	gpointer key, value;

	order_recheck(o, c, customer_set, (const product *const *)products->pdata);
	g_hash_table_iter_init(&it, guesses);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		if (products->pdata[GPOINTER_TO_INT(key) - 1] == NULL)
			order_suggest_product(o, GPOINTER_TO_INT(key), value);
	}
}

/* The draft's customer: its checks again, its PO number against the
 * customer's other orders, its file renamed, its sender remembered. */
static int correct_customer(db *d, archive *a, const match_catalogue *cat, order *o,
			    const order_correction *cor, char **old_file_r, char **new_file_r,
			    GString *said, GError **error)
{
	g_autoptr(customer) c = db_customer_by_ref(d, cor->customer_ref, error);
	g_autoptr(GHashTable) guesses = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(customer) owner = NULL;
	g_autofree char *sender = NULL;
	g_autofree char *same_po = NULL;
	g_autofree char *note = NULL;
	int64_t document_id;
	int learned;

	if (c == NULL) {
		if (error && *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "--customer %s : aucun client n'a cette référence",
				    cor->customer_ref);
		return -1;
	}
	if (db_order_document(d, o->id, &document_id, &sender, error) < 0)
		return -1;
	products = line_products(d, cat, c, o, guesses, &learned, error);
	if (products == NULL)
		return -1;
	note = g_strdup_printf("client : %s %s (avant : %s)", c->ref, c->name,
			       o->customer_ref ? o->customer_ref : "inconnu");
	g_free(o->customer_ref);
	g_free(o->customer_name);
	o->customer_ref = g_strdup(c->ref);
	o->customer_name = g_strdup(c->name);
	confidence_field_corrected(o, "customer");
	recheck(o, c, TRUE, products, guesses);
	for (guint i = 0; i < o->checks->len; i++) {
		if (((order_check *)o->checks->pdata[i])->code == CHECK_DUPLICATE_ORDER_REF)
			g_ptr_array_remove_index(o->checks, i--);
	}
	if (db_order_find_po(d, c->id, sender, o->customer_order_ref, o->id, &same_po, error) < 0)
		return -1;
	if (same_po != NULL)
		order_check_duplicate_po(o, same_po);
	g_string_append_printf(said, "%s : client %s %s\n", o->number, c->ref, c->name);
	if (o->source_file != NULL) {
		if (archive_link_renamed(a, o->source_file, c->name, file_taken, d, new_file_r,
					 error) < 0)
			return -1;
		if (strcmp(*new_file_r, o->source_file) == 0) {
			g_clear_pointer(new_file_r, g_free);
		} else {
			if (db_document_set_file(d, document_id, o->source_file, *new_file_r, error) < 0)
				return -1;
			*old_file_r = g_strdup(o->source_file);
			g_string_append_printf(said, "fichier renommé : %s\n", *new_file_r);
		}
	}
	if (db_order_update(d, o, c->id, cor->by, note, error) < 0)
		return -1;
	if (learned > 0)
		g_string_append_printf(said, "%d ligne(s) reconnue(s) d'après les corrections "
					     "précédentes pour ce client\n", learned);
	if (sender == NULL)
		return 0;
	/* An address of the customer file stays its customer's: this order
	 * may be one a customer placed for another. */
	owner = db_customer_by_file_email(d, sender, error);
	if (owner == NULL && error && *error)
		return -1;
	if (owner != NULL && owner->id != c->id) {
		g_string_append_printf(said, "l'adresse %s reste celle de %s %s dans le fichier "
					     "clients : ses prochains messages iront toujours à ce "
					     "client\n", sender, owner->ref, owner->name);
		return 0;
	}
	if (owner == NULL && cor->no_learn) {
		g_string_append_printf(said, "rien n'est retenu (--no-learn) : les prochains "
					     "messages de %s resteront d'un client inconnu\n", sender);
	} else if (owner == NULL) {
		if (db_learn_sender(d, sender, c->id, o->number, error) < 0)
			return -1;
		g_string_append_printf(said, "les prochains messages de %s iront à ce client "
					     "(mailorder learned list le montre, learned remove "
					     "l'oublie)\n",
				       sender);
	}
	return 0;
}

/* One line's product: its checks again; remembered for the customer. */
static int correct_line(db *d, const match_catalogue *cat, order *o, const order_correction *cor,
			GString *said, GError **error)
{
	g_autoptr(GHashTable) guesses = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(customer) c = NULL;
	g_autofree char *note = NULL;
	const product *p;
	match_kind how;
	order_line *l;
	int learned;
	gboolean mismatch = FALSE;

	p = match_product(cat, cor->product_ref, NULL, &how);
	if (p == NULL) {
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
	products = line_products(d, cat, c, o, guesses, &learned, error);
	if (products == NULL)
		return -1;
	products->pdata[cor->line - 1] = (gpointer)p;
	note = g_strdup_printf("ligne %d : produit %s (avant : %s)", cor->line, p->ref,
			       l->product_ref ? l->product_ref : "aucun");
	confidence_line_corrected(o, cor->line);
	recheck(o, c, FALSE, products, guesses);
	if (db_order_update(d, o, c ? c->id : 0, cor->by, note, error) < 0)
		return -1;
	g_string_append_printf(said, "%s, ligne %d : %s %s\n", o->number, cor->line, p->ref,
			       p->name);
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		/* the product chosen may be the wrong one: not learned for good
		 * unless the clerk says it is the right one */
		if (k->code == CHECK_PRICE_MISMATCH && k->line == cor->line) {
			g_string_append_printf(said, "attention : ligne %d : %s (price_mismatch) ; "
						     "est-ce le bon produit ?\n",
					       cor->line, k->message);
			mismatch = TRUE;
		}
	}
	if (c == NULL) {
		g_string_append(said, "rien n'est retenu : la commande n'a pas encore de client "
				      "(correct --customer d'abord)\n");
	} else if (cor->no_learn) {
		g_string_append(said, "rien n'est retenu pour les prochaines commandes (--no-learn)\n");
	} else if (mismatch && !cor->learn_anyway) {
		g_string_append_printf(said, "rien n'est retenu tant que le prix diffère : si c'est "
					     "bien ce produit, corrigez à nouveau avec --learn\n");
	} else {
		g_autofree char *ref_key = NULL;
		g_autofree char *desc_key = NULL;
		g_autoptr(GString) words = g_string_new(NULL);

		match_line_keys(l->customer_ref, l->description, &ref_key, &desc_key);
		if ((ref_key && db_learn_product(d, c->id, ref_key, p->ref, o->number, error) < 0) ||
		    (desc_key && db_learn_product(d, c->id, desc_key, p->ref, o->number, error) < 0))
			return -1;
		/* each thing that will be recognised, as the PO wrote it */
		if (ref_key != NULL)
			g_string_append_printf(words, "la référence « %s »", l->customer_ref);
		if (desc_key != NULL)
			g_string_append_printf(words, "%sla désignation « %s »",
					       words->len ? " et " : "", l->description);
		g_string_append_printf(said, "retenu pour les prochaines commandes de %s : %s "
					     "%s %s (mailorder learned list le montre, learned "
					     "remove l'oublie)\n",
				       c->name, words->str,
				       ref_key && desc_key ? "veulent dire" : "veut dire", p->ref);
	}
	return 0;
}

gboolean order_correction_has_values(const order_correction *cor)
{
	return cor->qty != NULL || cor->price != NULL || cor->add_product != NULL ||
	       cor->remove_line > 0 || cor->delivery_date != NULL;
}

/* The values a clerk typed for a line: a quantity (> 0, three decimals
 * at most) or a price (>= 0, to the cent). */
static int typed_qty(const char *text, int64_t *milli_r, GError **error)
{
	const char *why = NULL;

	if (money_parse_typed(text, 3, milli_r, &why) < 0 || *milli_r <= 0 ||
	    *milli_r > MONEY_QTY_MAX_MILLI) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "quantité « %s » : un nombre plus grand que zéro, trois décimales au plus, "
			    "un million au plus", text);
		return -1;
	}
	return 0;
}

static int typed_price(const char *text, int64_t *cents_r, GError **error)
{
	const char *why = NULL;

	if (money_parse_typed(text, 2, cents_r, &why) < 0 || *cents_r < 0 ||
	    *cents_r > MONEY_PRICE_MAX_CENTS) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "prix « %s » : un montant en euros, au centime (3,45), dix millions au plus",
			    text);
		return -1;
	}
	return 0;
}

/* Quantity, price, lines added or removed, delivery date: the draft's
 * values, then its checks again. */
static int correct_values(db *d, const match_catalogue *cat, order *o, const order_correction *cor,
			  GString *said, GError **error)
{
	g_autoptr(GHashTable) guesses = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GPtrArray) products = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GString) note = g_string_new(NULL);
	int learned;

	if ((cor->qty != NULL || cor->price != NULL) && cor->add_product == NULL &&
	    (cor->line < 1 || (guint)cor->line > o->lines->len)) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "--line %d : %s a %u ligne(s)",
			    cor->line, o->number, o->lines->len);
		return -1;
	}
	if (cor->add_product == NULL && cor->line > 0) {
		order_line *l = o->lines->pdata[cor->line - 1];

		if (cor->qty != NULL) {
			int64_t q;
			g_autofree char *was = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
			g_autofree char *now = NULL;

			if (typed_qty(cor->qty, &q, error) < 0)
				return -1;
			l->qty_milli = q;
			now = money_format_scaled_fr(q, MONEY_MILLI);
			g_string_append_printf(note, "%sligne %d : quantité %s → %s", note->len ? " ; " : "",
					       l->lineno, was, now);
		}
		if (cor->price != NULL) {
			int64_t p;
			g_autofree char *now = NULL;

			if (typed_price(cor->price, &p, error) < 0)
				return -1;
			l->unit_price_cents = amount_of(p);
			l->price_by_clerk = TRUE;
			now = money_format_cents_fr(p);
			g_string_append_printf(note, "%sligne %d : prix %s € (gardé à la validation)",
					       note->len ? " ; " : "", l->lineno, now);
		}
		if (l->unit_price_cents.known)
			l->line_total_cents = amount_of(money_line_total(l->unit_price_cents.value,
									 l->qty_milli));
		/* the clerk has looked at it */
		if (cor->qty != NULL || cor->price != NULL)
			confidence_line_corrected(o, cor->line);
	}
	if (cor->add_product != NULL) {
		match_kind how;
		const product *p = match_product(cat, cor->add_product, NULL, &how);
		order_line *l;
		int64_t q, price;

		if (p == NULL || strcmp(p->ref, cor->add_product) != 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "--add-line %s : aucun produit du catalogue n'a cette référence",
				    cor->add_product);
			return -1;
		}
		if (typed_qty(cor->add_qty ? cor->add_qty : "", &q, error) < 0)
			return -1;
		l = order_line_new();
		l->product_ref = g_strdup(p->ref);
		l->description = g_strdup(p->name);
		l->qty_milli = q;
		if (cor->price != NULL) {
			if (typed_price(cor->price, &price, error) < 0) {
				order_line_free(l);
				return -1;
			}
			l->unit_price_cents = amount_of(price);
			l->price_by_clerk = TRUE;
		} else {
			l->unit_price_cents = amount_of(p->unit_price_cents);
		}
		l->line_total_cents = amount_of(money_line_total(l->unit_price_cents.value, q));
		l->lineno = (int)o->lines->len + 1;
		g_ptr_array_add(o->lines, l);
		g_string_append_printf(note, "%sligne %d ajoutée : %s × %s", note->len ? " ; " : "",
				       l->lineno, cor->add_qty, p->ref);
	}
	if (cor->remove_line > 0) {
		order_line *l;

		if ((guint)cor->remove_line > o->lines->len) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "--remove-line %d : %s a %u "
				    "ligne(s)", cor->remove_line, o->number, o->lines->len);
			return -1;
		}
		l = g_ptr_array_steal_index(o->lines, (guint)cor->remove_line - 1);
		g_string_append_printf(note, "%sligne %d retirée : %s", note->len ? " ; " : "",
				       cor->remove_line, l->description ? l->description : "");
		/* a PO line stays known, for the confirmation's differences */
		if (l->po_lineno > 0)
			g_ptr_array_add(o->removed, l);
		else
			order_line_free(l);
		for (guint i = 0; i < o->lines->len; i++)
			((order_line *)o->lines->pdata[i])->lineno = (int)i + 1;
		/* the checks of the lines after it move with them */
		for (guint i = 0; i < o->checks->len; i++) {
			order_check *k = o->checks->pdata[i];

			if (k->line == cor->remove_line)
				g_ptr_array_remove_index(o->checks, i--);
			else if (k->line > cor->remove_line)
				k->line--;
		}
	}
	if (cor->delivery_date != NULL) {
		g_free(o->delivery_date);
		o->delivery_date = NULL;
		if (cor->delivery_date[0] != '\0') {
			o->delivery_date = date_parse_exact(cor->delivery_date);
			if (o->delivery_date == NULL) {
				g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
					    "--delivery-date « %s » : pas une date (20/11/2026)",
					    cor->delivery_date);
				return -1;
			}
		}
		confidence_field_corrected(o, "delivery_date");
		g_string_append_printf(note, "%sdate de livraison : %s", note->len ? " ; " : "",
				       o->delivery_date ? o->delivery_date : "aucune");
	}
	if (o->customer_ref != NULL) {
		c = db_customer_by_ref(d, o->customer_ref, error);
		if (c == NULL && error && *error)
			return -1;
	}
	products = line_products(d, cat, c, o, guesses, &learned, error);
	if (products == NULL)
		return -1;
	recheck(o, c, FALSE, products, guesses);
	if (db_order_update(d, o, c ? c->id : 0, cor->by, note->str, error) < 0)
		return -1;
	g_string_append_printf(said, "%s : %s\n", o->number, note->str);
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		if (k->severity == CHECK_INFO)
			continue;
		if (k->line > 0)
			g_string_append_printf(said, "  ligne %d : %s (%s)\n", k->line, k->message,
					       check_code_name(k->code));
		else
			g_string_append_printf(said, "  %s (%s)\n", k->message,
					       check_code_name(k->code));
	}
	return 0;
}

/* The draft, in the caller's transaction: refused unless it is one. */
static order *draft_get(db *d, const char *number, GError **error)
{
	order *o = db_order_named(d, number, error);

	if (o == NULL)
		return NULL;
	if (o->state != ORDER_DRAFT) {
		if (o->state == ORDER_CONFIRMED || o->state == ORDER_PARTIALLY_DELIVERED)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s n'est plus un brouillon (elle est %s) : seul un brouillon se "
				    "corrige ; pour changer ce qui n'est pas livré : mailorder cancel %s, "
				    "puis mailorder copy %s", o->number, order_state_fr(o->state),
				    o->number, o->number);
		else
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s n'est plus un brouillon (elle est %s) : seul un brouillon se "
				    "corrige ; pour en refaire une autre : mailorder copy %s", o->number,
				    order_state_fr(o->state), o->number);
		order_free(o);
		return NULL;
	}
	return o;
}

int order_correct(db *d, archive *a, const order_correction *cor, char **said_r,
		  GError **error)
{
	g_autoptr(GString) said = g_string_new(NULL);
	g_autoptr(match_catalogue) cat = NULL;
	g_autoptr(order) o = NULL;
	g_autofree char *old_file = NULL;
	g_autofree char *new_file = NULL;
	GPtrArray *products;
	int rc;

	*said_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	products = db_products_all(d, error);
	if (products != NULL)
		cat = match_catalogue_new(products);
	o = cat ? draft_get(d, cor->number, error) : NULL;
	rc = o == NULL ? -1
	     : cor->customer_ref ? correct_customer(d, a, cat, o, cor, &old_file, &new_file, said, error)
	     : cor->product_ref	 ? correct_line(d, cat, o, cor, said, error)
				 : 0;
	if (rc == 0 && o != NULL && order_correction_has_values(cor))
		rc = correct_values(d, cat, o, cor, said, error);
	if (rc == 0 && archive_sync(a, error) == 0 && db_commit(d, error) == 0) {
		g_autoptr(GError) rm_err = NULL;

		/* Committed: the old name is no one's now. */
		if (old_file != NULL && archive_remove(a, old_file, &rm_err) < 0)
			log_warn("%s", rm_err->message);
		*said_r = g_string_free(g_steal_pointer(&said), FALSE);
		return 0;
	}
	db_rollback(d);
	/* Not committed: the new name is no one's. */
	if (new_file != NULL)
		archive_remove(a, new_file, NULL);
	return -1;
}
