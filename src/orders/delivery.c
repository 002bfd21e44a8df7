/* delivery.c: deliveries and the stock (delivery.h). */
#include "orders/delivery.h"

#include "lib/crashpoint.h"
#include "lib/dates.h"
#include "lib/error.h"
#include "lib/money.h"
#include "orders/numbering.h"
#include "orders/order.h"
#include "store/db_catalog.h"
#include "store/db_chain.h"
#include "store/db_order.h"

#include <string.h>

/* How much of line l the caller wants shipped now: -1 when wanted names
 * it not; its remaining quantity when wanted is NULL. */
static int64_t wanted_of(const GArray *wanted, const order_line *l)
{
	int64_t sum = -1;

	if (wanted == NULL)
		return l->qty_milli - l->delivered_milli;
	for (guint i = 0; i < wanted->len; i++) {
		const delivery_line *w = &g_array_index(wanted, delivery_line, i);

		if (w->lineno == l->lineno)
			sum = (sum < 0 ? 0 : sum) + w->qty_milli;
	}
	return sum;
}

/* The lines and quantities asked for exist and are still to ship. */
static int check_wanted(const order *o, const GArray *wanted, GError **error)
{
	for (guint i = 0; wanted != NULL && i < wanted->len; i++) {
		const delivery_line *w = &g_array_index(wanted, delivery_line, i);
		const order_line *l;
		int64_t sum;

		if (w->lineno < 1 || (guint)w->lineno > o->lines->len) {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "--line %d : %s a %u ligne(s)",
				    w->lineno, o->number, o->lines->len);
			return -1;
		}
		if (w->qty_milli <= 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "--line %d : la quantité à livrer doit être plus grande que zéro",
				    w->lineno);
			return -1;
		}
		l = o->lines->pdata[w->lineno - 1];
		sum = wanted_of(wanted, l);
		if (sum > l->qty_milli - l->delivered_milli) {
			g_autofree char *asked = money_format_scaled_fr(sum, MONEY_MILLI);
			g_autofree char *left = money_format_scaled_fr(l->qty_milli - l->delivered_milli,
								       MONEY_MILLI);

			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "--line %d : %s demandé(s), mais il n'en reste que %s à livrer",
				    w->lineno, asked, left);
			return -1;
		}
	}
	return 0;
}

int order_deliver(const filing *f, const char *number, const GArray *wanted, const char *date,
		  const char *by, char **said_r, GError **error)
{
	db *d = f->d;
	g_autoptr(order) o = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(order_delivery) dl = order_delivery_new();
	/* product ref -> thousandths of stock still free in this delivery */
	/* per product (by ref): what this order has shipped of it so far and
	 * the units of stock still free, in thousandths; stock is counted in
	 * whole units, so the order's quantities of a product take a unit once,
	 * when they first reach into it */
	g_autoptr(GHashTable) shipped = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GHashTable) free_stock = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
								  g_free);
	g_autoptr(GString) short_of = g_string_new(NULL);
	g_autoptr(GString) said = g_string_new(NULL);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *rel = NULL;
	gboolean all_done = TRUE;
	order_state from;

	*said_r = NULL;
	if (config_require_company(f->cfg, FALSE, error) < 0 || db_begin(d, error) < 0)
		return -1;
	o = db_order_named(d, number, error);
	if (o == NULL)
		goto fail;
	if (o->state == ORDER_DELIVERED || o->state == ORDER_INVOICED || o->state == ORDER_PAID) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s est %s : tout est déjà livré",
			    o->number, order_state_fr(o->state));
		goto fail;
	}
	if (order_transition_check(o, ORDER_DELIVERED, error) < 0 || check_wanted(o, wanted, error) < 0)
		goto fail;
	from = o->state;
	if ((c = db_customer_by_ref(d, o->customer_ref, error)) == NULL) {
		if (error == NULL || *error == NULL)
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : son client n'est plus au "
				    "fichier", o->number);
		goto fail;
	}
	for (guint i = 0; i < o->lines->len; i++) {
		order_line *l = o->lines->pdata[i];
		int64_t want = wanted_of(wanted, l), stock, *left, *done, ship;

		if (want <= 0)
			continue;
		if (db_order_line_stock(d, o->id, l->lineno, &stock, error) != 0) {
			if (error && *error)
				goto fail;
			g_string_append_printf(short_of, "ligne %d : %s n'est plus au catalogue\n",
					       l->lineno, l->product_ref ? l->product_ref : "?");
			continue;
		}
		left = g_hash_table_lookup(free_stock, l->product_ref);
		done = g_hash_table_lookup(shipped, l->product_ref);
		if (left == NULL) {
			left = g_new(int64_t, 1);
			*left = stock > 0 ? stock * 1000 : 0;
			g_hash_table_insert(free_stock, l->product_ref, left);
			done = g_new0(int64_t, 1);
			for (guint k = 0; k < o->lines->len; k++) {
				const order_line *m = o->lines->pdata[k];

				if (g_strcmp0(m->product_ref, l->product_ref) == 0)
					*done += m->delivered_milli;
			}
			g_hash_table_insert(shipped, l->product_ref, done);
		}
		/* the part of a unit already taken, and the free units */
		ship = MIN(want, (*done + 999) / 1000 * 1000 - *done + *left);
		if (ship > 0) {
			int64_t units = (*done + ship + 999) / 1000 - (*done + 999) / 1000;
			delivery_line x = { l->lineno, ship, units };

			g_array_append_val(dl->lines, x);
			*left -= units * 1000;
			*done += ship;
			l->delivered_milli += ship;
		}
		if (ship < want) {
			g_autofree char *missing = money_format_scaled_fr(want - ship, MONEY_MILLI);

			g_string_append_printf(short_of, "ligne %d : %s : %s en attente de stock\n",
					       l->lineno, l->product_ref, missing);
		}
	}
	if (dl->lines->len == 0) {
		g_strchomp(short_of->str);
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : rien ne peut être livré : %s",
			    o->number, short_of->len ? g_strdelimit(short_of->str, "\n", ';')
						     : "plus rien à livrer");
		goto fail;
	}
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];

		if (l->delivered_milli < l->qty_milli)
			all_done = FALSE;
	}
	if (numbering_next(d, NUMBER_DELIVERY, &dl->number, error) < 0)
		goto fail;
	dl->date = g_date_time_format(now, "%Y-%m-%d");
	if (date != NULL && strcmp(date, dl->date) > 0) {
		g_autofree char *today = date_fr(dl->date);

		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "--date : une livraison ne se date pas dans l'avenir (aujourd'hui : %s)",
			    today);
		goto fail;
	}
	if (date != NULL) {
		g_autoptr(GPtrArray) before = db_order_deliveries(d, o->id, error);

		if (before == NULL)
			goto fail;
		for (guint i = 0; i < before->len; i++) {
			const order_delivery *prev = before->pdata[i];

			if (strcmp(date, prev->date) < 0) {
				g_autofree char *when = date_fr(prev->date);

				g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
					    "--date : %s est du %s ; une livraison ne se date pas avant la "
					    "précédente", prev->number, when);
				goto fail;
			}
		}
		if (o->created_at != NULL && strncmp(date, o->created_at, 10) < 0) {
			g_autofree char *when = date_fr(o->created_at);

			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "--date : une livraison ne se date pas avant la commande (du %s)", when);
			goto fail;
		}
		g_free(dl->date);
		dl->date = g_strdup(date);
	}
	dl->who = g_strdup(by);
	if (db_delivery_insert(d, o->id, dl, error) < 0)
		goto fail;
	crashpoint("deliver-stock");
	{
		g_autofree char *note = g_strdup_printf("%s : %u ligne(s) livrée(s)%s", dl->number,
							dl->lines->len,
							all_done ? "" : ", reste en attente");
		order_state to = all_done ? ORDER_DELIVERED : ORDER_PARTIALLY_DELIVERED;

		if ((to != from ? db_order_transition(d, o->id, from, to, by, note, NULL, error)
				: db_order_note(d, o->id, from, by, note, error)) < 0)
			goto fail;
		o->state = to;
	}
	if (filing_delivery_note(f, c, o, dl, &rel, error) < 0)
		goto fail;
	crashpoint("deliver-filed");
	if (archive_sync(f->a, error) < 0 || db_commit(d, error) < 0)
		goto fail;
	{
		g_autofree char *path = archive_path(f->a, rel);

		g_string_append_printf(said, "%s : livraison de %s, %u ligne(s)%s\n", dl->number,
				       o->number, dl->lines->len,
				       all_done ? " ; tout est livré" : "");
		if (!all_done) {
			g_string_append(said, short_of->str);
			g_string_append_printf(said, "le reste partira à la prochaine livraison : "
						     "mailorder deliver %s\n",
					       o->number);
		} else {
			g_string_append_printf(said, "à facturer : mailorder invoice %s\n", o->number);
		}
		g_string_append_printf(said, "bon de livraison : %s\n", path);
	}
	*said_r = g_string_free(g_steal_pointer(&said), FALSE);
	return 0;
fail:
	db_rollback(d);
	if (rel != NULL)
		archive_remove(f->a, rel, NULL);
	return -1;
}
