/* learned.c: a teaching forgotten (learned.h). */
#include "orders/learned.h"

#include "lib/error.h"
#include "store/db_catalog.h"

#include <string.h>

char *learned_key_fr(const char *key)
{
	if (g_str_has_prefix(key, "ref:"))
		return g_strdup_printf("la référence « %s »", key + 4);
	if (g_str_has_prefix(key, "desc:"))
		return g_strdup_printf("la désignation « %s »", key + 5);
	if (g_str_has_prefix(key, "layout:"))
		return g_strdup_printf("la mise en page de %s", key + 7);
	return g_strdup_printf("l'adresse %s", key);
}

int learned_forget(db *d, const char *id, char **said_r, GError **error)
{
	g_autoptr(GPtrArray) all = NULL;
	const learned_item *found = NULL;
	g_autofree char *what = NULL;
	int removed;

	*said_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	all = db_learned_list(d, 0, error);
	if (all == NULL)
		goto fail;
	for (guint i = 0; i < all->len && found == NULL; i++) {
		if (strcmp(((learned_item *)all->pdata[i])->id, id) == 0)
			found = all->pdata[i];
	}
	if (found == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s : rien d'appris sous ce numéro (mailorder learned list les montre)", id);
		goto fail;
	}
	removed = db_learned_remove(d, id, error);
	if (removed < 0 || db_commit(d, error) < 0)
		goto fail;
	what = learned_key_fr(found->key);
	*said_r = g_str_has_prefix(found->key, "layout:")
			  ? g_strdup_printf("%s oublié : %s ; ses bons seront lus comme ceux d'un "
					    "inconnu\n", id, what)
		  : found->product_ref
			  ? g_strdup_printf("%s oublié : pour %s %s, %s ne veut plus dire %s\n", id,
					    found->customer_ref, found->customer_name, what,
					    found->product_ref)
			  : g_strdup_printf("%s oublié : %s n'est plus rattachée à %s %s\n", id, what,
					    found->customer_ref, found->customer_name);
	return 0;
fail:
	db_rollback(d);
	return -1;
}
