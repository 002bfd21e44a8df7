/* db_catalog.h: the database's queries on customers and their contacts and history, products, what clerks taught
 * (db.h: the connection, transactions, errors and ownership rules). */
#ifndef MO_DB_CATALOG_H
#define MO_DB_CATALOG_H

#include "store/db.h"
#include "store/model.h"

#include <glib.h>
#include <stdint.h>

/* Insert or update by ref; emails are replaced.  *created_r tells which;
 * c->id is set.
 * The BIC and tags (not in the CSV, so an import leaves them) are
 * written by db_customer_set_extras. */
int db_customer_upsert(db *d, customer *c, gboolean *created_r, GError **error);
/* NULL with no error when there is none.  An address a clerk tied to a
 * customer (db_learn_sender) counts, after the customer file's. */
customer *db_customer_by_email(db *d, const char *email, GError **error);
/* The same customer's name only (what a file name needs): 1 found, 0 none,
 * -1 error. */
int db_customer_name_by_email(db *d, const char *email, char **name_r, GError **error);
/* The same, by the customer file's addresses only. */
customer *db_customer_by_file_email(db *d, const char *email, GError **error);
customer *db_customer_by_id(db *d, int64_t id, GError **error);
int db_customer_set_extras(db *d, const customer *c, GError **error);
/* NULL with no error when there is none. */
customer *db_customer_by_ref(db *d, const char *ref, GError **error);
product *db_product_by_ref(db *d, const char *ref, GError **error);
/* What clerks taught by correcting drafts (db_customer_by_email then
 * knows the address): mail from email is customer_id's; for this
 * customer, a line with this key (match_line_keys) is product_ref. */
int db_learn_sender(db *d, const char *email, int64_t customer_id, const char *order_number,
		    GError **error);
int db_learn_product(db *d, int64_t customer_id, const char *line_key, const char *product_ref,
		     const char *order_number, GError **error);
/* The product's ref (owned), or NULL (with no error when none). */
char *db_learned_product(db *d, int64_t customer_id, const char *line_key, GError **error);
/* The layout of email's POs, learned (learned_layout: model.h), for its
 * customer; replaces what was learned of it before. */
int db_learn_layout(db *d, const char *email, int64_t customer_id, const learned_layout *l,
		    const char *order_number, GError **error);
/* What was learned of email's layout into *l_r: 1, or 0 when nothing. */
int db_learned_layout(db *d, const char *email, learned_layout *l_r, GError **error);
/* Everything taught (learned_item*, owned), by customer then date; of one
 * customer when customer_id > 0. */
GPtrArray *db_learned_list(db *d, int64_t customer_id, GError **error);
/* Forgets the teaching id ("E12", "P7"): 1 when it was there, 0 when
 * not (an id of no form is none). */
int db_learned_remove(db *d, const char *id, GError **error);
/* "CLI391" after CLI390: the number after the highest (owned). */
int db_customer_next_ref(db *d, char **ref_r, GError **error);
/* The chart of accounts: an account's type ("receivable"...) and whether
 * it allows lettering.  1 found, 0 none, -1 error. */
int db_account_get(db *d, const char *code, char **type_r, gboolean *lettering_r,
		   GError **error);
/* Accounts that more than one customer has: each a GStrv { account,
 * "CLI101, CLI102" } (owned). */
GPtrArray *db_customer_accounts_shared(db *d, GError **error);
/* 1 when no customer but exclude_id has this accounting account, and the
 * chart of accounts does not have it as another type. */
int db_customer_account_free(db *d, const char *account, int64_t exclude_id, GError **error);
/* One change of a customer's file, recorded. */
int db_customer_history_add(db *d, int64_t customer_id, const char *who, const char *field,
			    const char *old_value, const char *new_value, GError **error);
/* Its changes, oldest first: GStrv of { at, who, field, old, new } ("" for
 * none), owned. */
GPtrArray *db_customer_history(db *d, int64_t customer_id, GError **error);
/* A contact or address of a customer, by role: billing, delivery,
 * purchasing.  Strings NULL when absent. */
typedef struct {
	int64_t id;
	char *role, *name, *phone, *email, *address, *postcode, *city;
} customer_contact;
void customer_contact_free(customer_contact *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(customer_contact, customer_contact_free)
int db_contact_add(db *d, int64_t customer_id, const customer_contact *k, GError **error);
/* Its fields and role, k->id's (a contact of customer_id). */
int db_contact_update(db *d, int64_t customer_id, const customer_contact *k, GError **error);
int db_contact_remove(db *d, int64_t customer_id, int64_t contact_id, GError **error);
/* Its contacts (customer_contact*), in the order added. */
GPtrArray *db_contacts_of(db *d, int64_t customer_id, GError **error);
/* The whole customer file (customer*), by ref. */
GPtrArray *db_customers_all(db *d, GError **error);
int db_product_upsert(db *d, const product *p, gboolean *created_r, GError **error);
/* The whole catalogue (product*), by ref. */
GPtrArray *db_products_all(db *d, GError **error);

#endif
