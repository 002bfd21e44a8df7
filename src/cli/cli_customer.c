/* mailorder customer add|edit|show|list|history (CONTRACT.md, the
 * customer file): the order desk keeps its customers current; every
 * value is checked on the way in, every change goes to the history. */
#include "cli/cli.h"
#include "lib/text.h"

#include "lib/csv.h"
#include "orders/customer_fields.h"
#include "lib/fsutil.h"
#include "lib/error.h"
#include "intake/intake.h"
#include "lib/jsonw.h"
#include "store/archive.h"
#include "store/naming.h"
#include "orders/order.h"
#include "reading/pdf.h"
#include "reading/document.h"
#include "reading/reader.h"
#include "reading/rules.h"
#include "lib/validate.h"
#include "store/db_catalog.h"
#include "store/db_order.h"

#include <stdio.h>
#include <string.h>

/* French labels of the fields, for show and history. */
static const char *field_fr(const char *field)
{
	static const struct {
		const char *field, *fr;
	} labels[] = {
		{ "ref", "Référence" }, { "name", "Nom" }, { "email", "E-mail" },
		{ "siret", "SIRET" }, { "vat", "N° de TVA" }, { "iban", "IBAN" }, { "bank", "Banque" },
		{ "contact", "Contact" }, { "phone", "Téléphone" },
		{ "billing_address", "Adresse de facturation" },
		{ "billing_postcode", "Code postal (facturation)" },
		{ "billing_city", "Ville (facturation)" },
		{ "delivery_address", "Adresse de livraison" },
		{ "delivery_postcode", "Code postal (livraison)" },
		{ "delivery_city", "Ville (livraison)" }, { "account", "Compte comptable" },
		{ "payment_terms", "Conditions de paiement" }, { "discount_pct", "Remise (%)" },
		{ "bic", "BIC" }, { "tags", "Étiquettes" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++) {
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].fr;
	}
	return field;
}

/* label then padding to width characters (not bytes: French). */
static void append_label(GString *out, const char *label, long width)
{
	g_string_append(out, label);
	for (long n = g_utf8_strlen(label, -1); n < width; n++)
		g_string_append_c(out, ' ');
}

/* "--billing-address VALUE" pairs from argv[first]: field -> value. */
static gboolean parse_fields(int argc, char **argv, int first, GHashTable *set, const char **by_r,
			     int *rc_r)
{
	for (int i = first; i < argc; i += 2) {
		g_autofree char *field = NULL;

		if (strcmp(argv[i], "--by") == 0 && i + 1 < argc) {
			*by_r = argv[i + 1];
			continue;
		}
		if (!g_str_has_prefix(argv[i], "--") || i + 1 >= argc) {
			*rc_r = cli_usage("%s: '%s' wants --FIELD VALUE", argv[0], argv[i]);
			return FALSE;
		}
		field = g_strdelimit(g_strdup(argv[i] + 2), "-", '_');
		if (!customer_field_known(field) || strcmp(field, "ref") == 0) {
			*rc_r = cli_usage("%s: unknown field '%s' (the customer CSV's columns, "
					  "'_' written '-': --billing-address)", argv[0], argv[i]);
			return FALSE;
		}
		g_hash_table_replace(set, g_steal_pointer(&field), argv[i + 1]);
	}
	return TRUE;
}

/* Sets every field asked for; reports each refused one (field, value,
 * rule) and returns FALSE when any is. */
static gboolean apply_fields(customer *c, GHashTable *set)
{
	gboolean ok = TRUE;

	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		const char *v = g_hash_table_lookup(set, *f);
		g_autofree char *why = NULL;

		if (v == NULL)
			continue;
		if (customer_field_set(c, *f, v, &why) < 0) {
			g_autofree char *option = g_strdelimit(g_strdup(*f), "_", '-');

			cli_errorf("--%s : %s", option, why);
			ok = FALSE;
		}
	}
	if (ok) {
		g_autofree char *inconsistent = customer_fields_consistent(c);

		if (inconsistent != NULL) {
			cli_errorf("--vat : %s", inconsistent);
			ok = FALSE;
		}
	}
	return ok;
}

/* "411" + three letters of the name + two digits, the first free. */
static char *new_account(db *d, const char *name, GError **error)
{
	g_autofree char *stem = customer_account_stem(name);

	for (int i = 0; i < 100; i++) {
		char *account = g_strdup_printf("%s%02d", stem, i);
		int free_ = db_customer_account_free(d, account, 0, error);

		if (free_ > 0)
			return account;
		g_free(account);
		if (free_ < 0)
			return NULL;
	}
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "no free account %s00 to %s99", stem, stem);
	return NULL;
}

/* The customer of ref; NULL with the reason reported and *rc_r set. */
static customer *customer_or_report(db *d, const char *ref, int *rc_r)
{
	g_autoptr(GError) err = NULL;
	customer *c = db_customer_by_ref(d, ref, &err);

	if (c != NULL)
		return c;
	if (err != NULL) {
		*rc_r = cli_report(err);
	} else {
		cli_errorf("%s : aucun client de cette référence", ref);
		*rc_r = CLI_FAILED;
	}
	return NULL;
}

/* An account the clerk gave (--account) that another customer has, or
 * that the chart has as another type: 1, reported; 0 free or not given;
 * -1 error. */
static int account_given_taken(db *d, const customer *c, GHashTable *set, GError **error)
{
	int free_;

	if (c->account == NULL || g_hash_table_lookup(set, "account") == NULL)
		return 0;
	free_ = db_customer_account_free(d, c->account, c->id, error);
	if (free_ < 0)
		return -1;
	if (free_ == 0)
		cli_errorf("--account : « %s » est déjà le compte d'un autre "
				"client", c->account);
	return free_ == 0;
}

static int customer_add(db *d, int argc, char **argv)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(customer) c = customer_new();
	g_autoptr(GError) err = NULL;
	const char *by = g_get_user_name();
	int rc = CLI_OK;
	gboolean created;

	if (!parse_fields(argc, argv, 1, set, &by, &rc))
		return rc;
	if (g_hash_table_lookup(set, "name") == NULL)
		return cli_usage("customer add --name NAME [--FIELD VALUE]... [--by WHO]");
	if (!apply_fields(c, set))
		return CLI_FAILED;
	if (db_begin(d, &err) < 0)
		return cli_report(err);
	if (db_customer_next_ref(d, &c->ref, &err) < 0)
		goto fail;
	if (c->account == NULL && (c->account = new_account(d, c->name, &err)) == NULL)
		goto fail;
	switch (account_given_taken(d, c, set, &err)) {
	case -1:
		goto fail;
	case 1:
		db_rollback(d);
		return CLI_FAILED;
	}
	if (db_customer_upsert(d, c, &created, &err) < 0 || db_customer_set_extras(d, c, &err) < 0)
		goto fail;
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		g_autofree char *v = customer_field_get(c, *f);

		if (v[0] != '\0' && strcmp(v, "0") != 0 &&
		    db_customer_history_add(d, c->id, by, *f, NULL, v, &err) < 0)
			goto fail;
	}
	if (db_commit(d, &err) < 0)
		return cli_report(err);
	cli_printf("%s\n", c->ref);
	return CLI_OK;
fail:
	db_rollback(d);
	return cli_report(err);
}

static int customer_edit(db *d, int argc, char **argv)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(customer) before = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GError) err = NULL;
	const char *by = g_get_user_name();
	int rc = CLI_OK, changes = 0;
	gboolean created;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("customer edit REF --FIELD VALUE... [--by WHO]");
	if (!parse_fields(argc, argv, 2, set, &by, &rc))
		return rc;
	if (g_hash_table_size(set) == 0)
		return cli_usage("customer edit REF --FIELD VALUE... [--by WHO]");
	if (db_begin(d, &err) < 0)
		return cli_report(err);
	before = customer_or_report(d, argv[1], &rc);
	c = before ? customer_or_report(d, argv[1], &rc) : NULL;
	if (c == NULL) {
		db_rollback(d);
		return rc;
	}
	if (!apply_fields(c, set)) {
		db_rollback(d);
		return CLI_FAILED;
	}
	switch (account_given_taken(d, c, set, &err)) {
	case -1:
		goto fail;
	case 1:
		db_rollback(d);
		return CLI_FAILED;
	}
	if (db_customer_upsert(d, c, &created, &err) < 0 || db_customer_set_extras(d, c, &err) < 0)
		goto fail;
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		g_autofree char *old = customer_field_get(before, *f);
		g_autofree char *now = customer_field_get(c, *f);

		if (strcmp(old, now) == 0)
			continue;
		changes++;
		if (db_customer_history_add(d, c->id, by, *f, old, now, &err) < 0)
			goto fail;
		{
			g_autofree char *was = text_shown(old, TEXT_ONE_LINE, 0);
			g_autofree char *is = text_shown(now, TEXT_ONE_LINE, 0);

			cli_printf("%s : %s → %s\n", field_fr(*f), old[0] ? was : "—", now[0] ? is : "—");
		}
	}
	if (db_commit(d, &err) < 0)
		return cli_report(err);
	if (changes == 0)
		cli_printf("%s : rien ne change\n", c->ref);
	return CLI_OK;
fail:
	db_rollback(d);
	return cli_report(err);
}

static const char *role_fr(const char *role)
{
	return strcmp(role, "billing") == 0    ? "facturation"
	       : strcmp(role, "delivery") == 0 ? "livraison"
					       : "achats";
}

/* "Julien Moreau, 05 57 24 70 31, julien@…, 8 rue du Clocher 33330
 * Saint-Émilion": a contact in one line (owned). */
static char *contact_line(const customer_contact *k)
{
	GString *out = g_string_new(NULL);
	const char *parts[] = { k->name, k->phone, k->email };

	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		if (parts[i] != NULL)
			g_string_append_printf(out, "%s%s", out->len ? ", " : "", parts[i]);
	}
	if (k->address != NULL || k->postcode != NULL || k->city != NULL)
		g_string_append_printf(out, "%s%s%s%s%s%s", out->len ? ", " : "",
				       k->address ? k->address : "", k->address ? " " : "",
				       k->postcode ? k->postcode : "", k->postcode ? " " : "",
				       k->city ? k->city : "");
	return g_strstrip(g_string_free(out, FALSE));
}

#define CONTACT_USAGE                                                                     \
	"customer contact add REF --role billing|delivery|purchasing [--name N] [--phone P] " \
	"[--email E] [--address A --postcode C --city T] [--by WHO]\n"                        \
	"       customer contact edit REF N [--role R] [--name N]... [--by WHO]\n"            \
	"       customer contact remove REF N [--by WHO]\n"                                   \
	"N: the contact's number as 'customer show' gives it; an empty value clears a field"

static char **contact_slot(customer_contact *k, const char *option)
{
	return strcmp(option, "--role") == 0	   ? &k->role
	       : strcmp(option, "--name") == 0	   ? &k->name
	       : strcmp(option, "--phone") == 0	   ? &k->phone
	       : strcmp(option, "--email") == 0	   ? &k->email
	       : strcmp(option, "--address") == 0  ? &k->address
	       : strcmp(option, "--postcode") == 0 ? &k->postcode
	       : strcmp(option, "--city") == 0	   ? &k->city
						   : NULL;
}

/* Reads "--field value" pairs from argv[first] into k, each value checked
 * (phone, e-mail, postcode), "" clearing the field; every refused value is
 * reported.  CLI_OK, or the exit code. */
static int contact_options(int argc, char **argv, int first, customer_contact *k, const char **by_r)
{
	gboolean ok = TRUE;

	for (int i = first; i < argc; i += 2) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char **slot = contact_slot(k, opt);
		g_autofree char *trimmed = v ? g_strstrip(g_strdup(v)) : NULL;
		const char *why = NULL;

		if (strcmp(opt, "--by") == 0 && v != NULL) {
			*by_r = v;
			continue;
		}
		if (slot == NULL || v == NULL)
			return cli_usage("customer contact: unexpected argument '%s'\n" CONTACT_USAGE,
					 opt);
		g_free(*slot);
		*slot = NULL;
		if (trimmed[0] == '\0')
			continue;
		if (slot == &k->phone)
			*slot = validate_phone(trimmed, &why);
		else if (slot == &k->email)
			*slot = validate_email(trimmed, &why);
		else if (slot == &k->postcode)
			*slot = validate_postcode_fr(trimmed, &why);
		else
			*slot = g_steal_pointer(&trimmed);
		if (*slot == NULL) {
			cli_errorf("%s : « %s » : %s", opt, v, why);
			ok = FALSE;
		}
	}
	if (k->role == NULL || (strcmp(k->role, "billing") != 0 && strcmp(k->role, "delivery") != 0 &&
				strcmp(k->role, "purchasing") != 0))
		return cli_usage("customer contact: --role is billing, delivery or purchasing");
	if (k->name == NULL && k->phone == NULL && k->email == NULL && k->address == NULL &&
	    k->postcode == NULL && k->city == NULL) {
		cli_errorf("un contact sans nom, téléphone, e-mail ni adresse "
				"(pour l'enlever : customer contact remove)");
		ok = FALSE;
	}
	return ok ? CLI_OK : CLI_FAILED;
}

static gboolean contacts_equal(const customer_contact *a, const customer_contact *b)
{
	return g_strcmp0(a->role, b->role) == 0 && g_strcmp0(a->name, b->name) == 0 &&
	       g_strcmp0(a->phone, b->phone) == 0 && g_strcmp0(a->email, b->email) == 0 &&
	       g_strcmp0(a->address, b->address) == 0 && g_strcmp0(a->postcode, b->postcode) == 0 &&
	       g_strcmp0(a->city, b->city) == 0;
}

static customer_contact *contact_copy(const customer_contact *k)
{
	customer_contact *c = g_new0(customer_contact, 1);

	c->id = k->id;
	c->role = g_strdup(k->role);
	c->name = g_strdup(k->name);
	c->phone = g_strdup(k->phone);
	c->email = g_strdup(k->email);
	c->address = g_strdup(k->address);
	c->postcode = g_strdup(k->postcode);
	c->city = g_strdup(k->city);
	return c;
}

/* mailorder customer contact add|edit|remove ...: a contact or address of
 * a customer; each change goes to the customer's history ("contact
 * delivery": the contact before, after). */
static int customer_contact_cmd(db *d, int argc, char **argv)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	const char *verb = argc >= 2 ? argv[1] : "";
	gboolean add = strcmp(verb, "add") == 0, edit = strcmp(verb, "edit") == 0,
		 remove = strcmp(verb, "remove") == 0;
	g_autoptr(customer_contact) k = NULL;
	g_autoptr(customer_contact) before = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) contacts = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *old_line = NULL;
	g_autofree char *new_line = NULL;
	g_autofree char *field = NULL;
	const char *by = g_get_user_name(), *ref;
	guint64 number = 0;
	int first = 3, rc = CLI_OK;

	if ((!add && !edit && !remove) || argc < 3 || argv[2][0] == '-')
		return cli_usage(CONTACT_USAGE);
	ref = argv[2];
	if (!add) {
		if (argc < 4 || !g_ascii_string_to_unsigned(argv[3], 10, 1, G_MAXUINT, &number, NULL))
			return cli_usage(CONTACT_USAGE);
		first = 4;
	}
	if (remove) {
		if (argc == 6 && strcmp(argv[4], "--by") == 0)
			by = argv[5];
		else if (argc != 4)
			return cli_usage(CONTACT_USAGE);
	}
	if (db_begin(d, &err) < 0)
		return cli_report(err);
	c = customer_or_report(d, ref, &rc);
	if (c == NULL)
		goto refused;
	if (!add) {
		contacts = db_contacts_of(d, c->id, &err);
		if (contacts == NULL)
			goto fail;
		if (number > contacts->len) {
			cli_errorf("%s n'a pas de contact n° %" G_GUINT64_FORMAT
					" (%u contact(s) : customer show %s)",
				c->ref, number, contacts->len, c->ref);
			rc = CLI_FAILED;
			goto refused;
		}
		before = contact_copy(contacts->pdata[number - 1]);
		old_line = contact_line(before);
	}
	if (!remove) {
		k = add ? g_new0(customer_contact, 1) : contact_copy(before);
		rc = contact_options(argc, argv, first, k, &by);
		if (rc != CLI_OK)
			goto refused;
		new_line = contact_line(k);
	}
	field = g_strdup_printf("contact %s", (k ? k : before)->role);
	if (edit && contacts_equal(before, k)) {
		db_rollback(d);
		cli_printf("%s : contact n° %" G_GUINT64_FORMAT " : rien ne change\n", c->ref, number);
		return CLI_OK;
	}
	if ((add && db_contact_add(d, c->id, k, &err) < 0) ||
	    (edit && db_contact_update(d, c->id, k, &err) < 0) ||
	    (remove && db_contact_remove(d, c->id, before->id, &err) < 0))
		goto fail;
	if (edit && strcmp(before->role, k->role) != 0) {
		/* A change of role: the history shows it leave one role and
		 * join the other. */
		g_autofree char *old_field = g_strdup_printf("contact %s", before->role);

		if (db_customer_history_add(d, c->id, by, old_field, old_line, NULL, &err) < 0 ||
		    db_customer_history_add(d, c->id, by, field, NULL, new_line, &err) < 0)
			goto fail;
	} else if (db_customer_history_add(d, c->id, by, field, old_line, new_line, &err) < 0) {
		goto fail;
	}
	if (db_commit(d, &err) < 0)
		return cli_report(err);
	if (add)
		cli_printf("%s : contact (%s) ajouté : %s\n", c->ref, role_fr(k->role),
			   cli_value(keep, new_line));
	else if (edit)
		cli_printf("%s : contact n° %" G_GUINT64_FORMAT " (%s) : %s → %s\n", c->ref, number,
			   role_fr(k->role), cli_value(keep, old_line), cli_value(keep, new_line));
	else
		cli_printf("%s : contact n° %" G_GUINT64_FORMAT " (%s) enlevé : %s\n", c->ref, number,
			   role_fr(before->role), cli_value(keep, old_line));
	return CLI_OK;
fail:
	db_rollback(d);
	return cli_report(err);
refused:
	db_rollback(d);
	return rc;
}

/* The chart of accounts' word for a type, as the accountant says it. */
static const char *account_type_fr(const char *type)
{
	return strcmp(type, "receivable") == 0 ? "compte client (tiers)" : type;
}

/* show's detail: contacts, and the account's type (NULL when the account
 * is not in the chart of accounts or the customer has none). */
typedef struct {
	GPtrArray *contacts;
	char *account_type;
	gboolean lettering;
} customer_detail;

static void customer_json(jsonw *w, const customer *c, const customer_detail *more)
{
	jsonw_object_begin(w);
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		g_autofree char *v = customer_field_get(c, *f);

		if (strcmp(*f, "email") == 0) {
			jsonw_key(w, "emails");
			jsonw_array_begin(w);
			for (guint i = 0; c->emails && c->emails[i]; i++)
				jsonw_string(w, c->emails[i]);
			jsonw_array_end(w);
			continue;
		}
		jsonw_member_string(w, *f, v[0] ? v : NULL);
	}
	if (more != NULL) {
		jsonw_member_string(w, "account_type", more->account_type);
		jsonw_key(w, "account_lettering");
		if (more->account_type != NULL)
			jsonw_bool(w, more->lettering);
		else
			jsonw_null(w);
		jsonw_key(w, "contacts");
		jsonw_array_begin(w);
		for (guint i = 0; i < more->contacts->len; i++) {
			const customer_contact *k = more->contacts->pdata[i];

			jsonw_object_begin(w);
			jsonw_member_string(w, "role", k->role);
			jsonw_member_string(w, "name", k->name);
			jsonw_member_string(w, "phone", k->phone);
			jsonw_member_string(w, "email", k->email);
			jsonw_member_string(w, "address", k->address);
			jsonw_member_string(w, "postcode", k->postcode);
			jsonw_member_string(w, "city", k->city);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

static int customer_show(db *d, const char *ref, gboolean json)
{
	g_autoptr(GError) err = NULL;
	int rc = CLI_OK;
	g_autoptr(customer) c = customer_or_report(d, ref, &rc);
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GPtrArray) contacts = NULL;
	g_autofree char *account_type = NULL;
	customer_detail more = { 0 };

	if (c == NULL)
		return rc;
	contacts = db_contacts_of(d, c->id, &err);
	if (contacts == NULL ||
	    (c->account != NULL &&
	     db_account_get(d, c->account, &account_type, &more.lettering, &err) < 0))
		return cli_report(err);
	more.contacts = contacts;
	more.account_type = account_type;
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		customer_json(&w, c, &more);
		g_string_append_c(out, '\n');
	} else {
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
			g_autofree char *v = customer_field_get(c, *f);

			append_label(out, field_fr(*f), 28);
			g_string_append_printf(out, "%s", v[0] ? cli_value(keep, v) : "—");
			if (strcmp(*f, "account") == 0 && account_type != NULL)
				g_string_append_printf(out, " (%s, %s)", account_type_fr(account_type),
						       more.lettering ? "lettrage autorisé"
								      : "sans lettrage");
			g_string_append_c(out, '\n');
		}
		for (guint i = 0; i < contacts->len; i++) {
			const customer_contact *k = contacts->pdata[i];
			g_autofree char *label = g_strdup_printf("Contact %u (%s)", i + 1,
								 role_fr(k->role));
			g_autofree char *line = contact_line(k);

			append_label(out, label, 28);
			g_string_append_printf(out, "%s\n", cli_value(keep, line));
		}
	}
	if (json)
		fputs(out->str, stdout);
	else
		cli_put(out->str);
	return CLI_OK;
}

static int customer_list(db *d, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = db_customers_all(d, &err);
	g_autoptr(GString) out = g_string_new(NULL);

	if (all == NULL)
		return cli_report(err);
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < all->len; i++)
			customer_json(&w, all->pdata[i], NULL);
		jsonw_array_end(&w);
		g_string_append_c(out, '\n');
	} else {
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		g_string_append_printf(out, "Clients : %u\n", all->len);
		for (guint i = 0; i < all->len; i++) {
			const customer *c = all->pdata[i];

			g_string_append_printf(out, "%-8s %-36s %-20s %s\n", c->ref,
					       cli_value(keep, c->name),
					       c->billing_city ? cli_value(keep, c->billing_city) : "—",
					       c->emails && c->emails[0] ? cli_value(keep, c->emails[0])
									  : "—");
		}
	}
	if (json)
		fputs(out->str, stdout);
	else
		cli_put(out->str);
	return CLI_OK;
}

static int customer_history(db *d, const char *ref, gboolean json)
{
	g_autoptr(GError) err = NULL;
	int rc = CLI_OK;
	g_autoptr(customer) c = customer_or_report(d, ref, &rc);
	g_autoptr(GPtrArray) rows = NULL;
	g_autoptr(GString) out = g_string_new(NULL);

	if (c == NULL)
		return rc;
	rows = db_customer_history(d, c->id, &err);
	if (rows == NULL)
		return cli_report(err);
	if (json) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < rows->len; i++) {
			char **r = rows->pdata[i];

			jsonw_object_begin(&w);
			jsonw_member_string(&w, "at", r[0]);
			jsonw_member_string(&w, "who", r[1]);
			jsonw_member_string(&w, "field", r[2]);
			jsonw_member_string(&w, "old", r[3][0] ? r[3] : NULL);
			jsonw_member_string(&w, "new", r[4][0] ? r[4] : NULL);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		g_string_append_c(out, '\n');
	} else {
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

		g_string_append_printf(out, "Historique de %s %s : %u changement(s)\n", c->ref,
				       cli_value(keep, c->name), rows->len);
		for (guint i = 0; i < rows->len; i++) {
			char **r = rows->pdata[i];

			g_string_append_printf(out, "%s  %-10s %s : %s → %s\n", r[0],
					       cli_value(keep, r[1]), field_fr(r[2]),
					       r[3][0] ? cli_value(keep, r[3]) : "—",
					       r[4][0] ? cli_value(keep, r[4]) : "—");
		}
	}
	if (json)
		fputs(out->str, stdout);
	else
		cli_put(out->str);
	return CLI_OK;
}

static int customer_from_draft(cli_ctx *ctx, db *d, const char *number, gboolean apply,
			       const char *by);

int cli_customer(cli_ctx *ctx, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	gboolean json = argc >= 4 && strcmp(argv[argc - 1], "--json") == 0;
	gboolean apply = FALSE;
	const char *by = g_get_user_name();
	int rc;
	db *d;

	if (strcmp(sub, "add") != 0 && strcmp(sub, "edit") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "list") != 0 && strcmp(sub, "history") != 0 && strcmp(sub, "contact") != 0 &&
	    strcmp(sub, "from-draft") != 0)
		return cli_usage("customer add|edit|show|list|history|contact|from-draft ...");
	if (strcmp(sub, "from-draft") == 0) {
		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--apply") == 0)
				apply = TRUE;
			else if (strcmp(argv[i], "--by") == 0 && i + 1 < argc)
				by = argv[++i];
			else
				argc = 0;
		}
		if (argc < 3)
			return cli_usage("customer from-draft ORDER [--apply] [--by WHO]");
	}
	if (strcmp(sub, "list") == 0)
		json = argc >= 3 && strcmp(argv[2], "--json") == 0;
	if ((strcmp(sub, "show") == 0 || strcmp(sub, "history") == 0) &&
	    (argc < 3 || argc > 4 || (argc == 4 && !json)))
		return cli_usage("customer %s REF [--json]", sub);
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	if (strcmp(sub, "add") == 0)
		rc = customer_add(d, argc - 1, argv + 1);
	else if (strcmp(sub, "contact") == 0)
		rc = customer_contact_cmd(d, argc - 1, argv + 1);
	else if (strcmp(sub, "from-draft") == 0)
		rc = customer_from_draft(ctx, d, argv[2], apply, by);
	else if (strcmp(sub, "edit") == 0)
		rc = customer_edit(d, argc - 1, argv + 1);
	else if (strcmp(sub, "show") == 0)
		rc = customer_show(d, argv[2], json);
	else if (strcmp(sub, "history") == 0)
		rc = customer_history(d, argv[2], json);
	else
		rc = customer_list(d, json);
	db_close(&d);
	return rc;
}

/* mailorder export customers FILE.csv: the import's format, so that the
 * file goes through a spreadsheet and back (written whole, then renamed
 * into place). */
int cli_export(cli_ctx *ctx, int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	int rc;
	db *d;

	if (argc != 3 || strcmp(argv[1], "customers") != 0)
		return cli_usage("export customers FILE.csv");
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	all = db_customers_all(d, &err);
	db_close(&d);
	if (all == NULL)
		return cli_report(err);
	for (const char *const *f = customer_fields(); *f != NULL; f++) {
		if (f != customer_fields())
			g_string_append_c(out, ',');
		csv_append_field(out, *f);
	}
	g_string_append(out, "\r\n");
	for (guint i = 0; i < all->len; i++) {
		for (const char *const *f = customer_fields(); *f != NULL; f++) {
			g_autofree char *v = customer_field_get(all->pdata[i], *f);

			if (f != customer_fields())
				g_string_append_c(out, ',');
			csv_append_field(out, v);
		}
		g_string_append(out, "\r\n");
	}
	if (fsutil_write_atomic(argv[2], out->str, out->len, &err) < 0)
		return cli_report(err);
	cli_printf("%u client(s) écrit(s) dans %s\n", all->len, argv[2]);
	return CLI_OK;
}

/* ---------------------------------------------------------------- from a draft */

/* The first match of pattern's group 1 in text (owned), or NULL. */
static char *first_match(const char *pattern, const char *text)
{
	g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_MULTILINE | G_REGEX_CASELESS, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;

	if (re == NULL || !g_regex_match(re, text, 0, &m))
		return NULL;
	return g_strstrip(g_match_info_fetch(m, 1));
}

/* Identifiers of the text that are not ours: a SIRET as 14 digits in
 * groups, a French VAT number. */
static char *other_id(const char *pattern, const char *text, const char *ours)
{
	g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_MULTILINE, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *own = ours ? g_strdelimit(g_strdup(ours), " ", ' ') : NULL;

	if (re == NULL)
		return NULL;
	g_regex_match(re, text, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		g_autofree char *found = g_match_info_fetch(m, 1);
		GString *compact = g_string_new(NULL);

		for (const char *p = found; *p; p++) {
			if (*p != ' ')
				g_string_append_c(compact, *p);
		}
		if (own == NULL || strcmp(compact->str, own) != 0) {
			g_string_free(compact, TRUE);
			return g_steal_pointer(&found);
		}
		g_string_free(compact, TRUE);
	}
	return NULL;
}

/* mailorder customer from-draft ORDER: what the order's PDF says of an
 * unknown customer, checked, and the command that would create it. */
/* A known customer's PO: what it shows of the customer (contact, phone,
 * addresses, as a rule reads them) that the file says otherwise; with
 * apply, written to the file, each change to the history. */
static int customer_data_from_draft(db *d, const order *o, GHashTable *shown, gboolean apply,
				    const char *by)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(customer) c = NULL;
	int rc = CLI_OK, changes = 0;
	gboolean created;

	if (db_begin(d, &err) < 0)
		return cli_report(err);
	c = customer_or_report(d, o->customer_ref, &rc);
	if (c == NULL) {
		db_rollback(d);
		return rc;
	}
	for (const char *const *f = customer_document_fields(); *f != NULL; f++) {
		const char *field = *f;
		const char *v = g_hash_table_lookup(shown, field);
		g_autofree char *mine = v ? customer_field_differs(c, field, v) : NULL;
		g_autofree char *why = NULL;
		g_autofree char *now = NULL;

		if (mine == NULL)
			continue;
		changes++;
		if (apply && customer_field_set(c, field, v, &why) == 0) {
			now = customer_field_get(c, field);
			if (db_customer_history_add(d, c->id, by, field, mine, now, &err) < 0)
				goto fail;
		}
		cli_printf("%s : fiche « %s », bon de commande « %s »%s\n", field_fr(field),
			   mine[0] ? cli_value(keep, mine) : "—", cli_value(keep, v),
			   apply ? (now ? " : reporté" : " : refusé") : "");
		if (why != NULL)
			cli_printf("  (%s)\n", cli_value(keep, why));
	}
	if (changes == 0)
		cli_printf("%s : le bon de commande %s dit comme la fiche client\n", c->ref, o->number);
	if (apply && changes > 0 && db_customer_upsert(d, c, &created, &err) < 0)
		goto fail;
	if (!apply && changes > 0)
		cli_printf("\nPour les reporter dans la fiche : mailorder customer from-draft %s --apply\n",
		       o->number);
	if (db_commit(d, &err) < 0)
		return cli_report(err);
	return CLI_OK;
fail:
	db_rollback(d);
	return cli_report(err);
}

static int customer_from_draft(cli_ctx *ctx, db *d, const char *number, gboolean apply,
			       const char *by)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = db_order_get(d, number, &err);
	g_autofree char *sender = NULL;
	g_autofree char *path = NULL;
	g_autofree char *data = NULL;
	g_autofree char *why = NULL;
	g_autoptr(document_reading) doc = NULL;
	const reading *rd;
	g_autoptr(rule_set) rules = NULL;
	g_autoptr(GString) cmd = g_string_new("mailorder customer add");
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(customer) proposed = customer_new();
	archive *a = NULL;
	pdf_reader *pr;
	guard *g;
	pdf_status status;
	size_t len = 0;
	int64_t document_id = 0;
	const char *text;
	struct {
		const char *field;
		char *value;
	} found[12] = { { "name", NULL },	      { "siret", NULL },
			{ "vat", NULL },	      { "email", NULL },
			{ "billing_address", NULL },  { "billing_postcode", NULL },
			{ "billing_city", NULL },     { "contact", NULL },
			{ "phone", NULL },	      { "delivery_address", NULL },
			{ "delivery_postcode", NULL }, { "delivery_city", NULL } };
	g_autoptr(GHashTable) shown = NULL;

	if (o == NULL) {
		if (err != NULL)
			return cli_report(err);
		cli_errorf("%s : aucune commande de ce numéro", number);
		return CLI_FAILED;
	}
	if (o->customer_ref == NULL && apply) {
		cli_errorf("%s n'a pas de client : --apply met à jour la fiche "
				"d'un client connu", o->number);
		return CLI_FAILED;
	}
	if (db_order_document(d, o->id, &document_id, &sender, &err) < 0)
		return cli_report(err);
	a = archive_open(ctx->cfg->storage.archive, NULL, &err);
	path = a && o->source_file ? archive_path(a, o->source_file) : NULL;
	archive_free(&a);
	if (path == NULL || fsutil_read_file(path, (size_t)ctx->cfg->storage.max_attachment_bytes,
					     &data, &len, &err) < 0) {
		if (err != NULL)
			return cli_report(err);
		cli_errorf("%s n'a pas de document lisible", o->number);
		return CLI_FAILED;
	}
	rules = rules_load_standard(ctx->cfg->dir, &err);
	if (rules == NULL)
		return cli_report(err);
	g = cli_reading_guard();
	if (g != NULL)
		guard_begin(g, 0, path);
	pr = pdf_reader_new();
	pdf_reader_enable_ocr(pr, ctx->cfg->storage.ocr_timeout_s);
	doc = document_read(pr, rules, data, len, &status, &why);
	pdf_reader_free(&pr);
	if (g != NULL)
		guard_end(g, 0);
	guard_stop(&g);
	if (doc == NULL) {
		cli_errorf("%s : %s", o->number, why);
		return CLI_FAILED;
	}
	text = doc->text;
	rd = doc->reading;
	/* what intake saw of the customer, the same way */
	shown = intake_customer_data(ctx->cfg, rd, doc->text_but_lines);
	if (o->customer_ref != NULL)
		return customer_data_from_draft(d, o, shown, apply, by);
	/* what a rule read, else the usual wordings, else the document's
	 * first line (a company prints its name at the top) */
	found[0].value = g_strdup(g_hash_table_lookup(rd->fields, "customer_name"));
	if (found[0].value == NULL)
		found[0].value = first_match("^(?:raison sociale|soci[ée]t[ée]|client)\\s*:?\\s+(.+?)(?:\\s{2,}|$)", text);
	if (found[0].value == NULL)
		found[0].value = first_match("^(.+?)(?:\\s{2,}| [—–-] |$)", text);
	found[1].value = g_strdup(g_hash_table_lookup(rd->fields, "siret"));
	if (found[1].value == NULL)
		found[1].value = other_id("(?<![0-9])([0-9]{3} ?[0-9]{3} ?[0-9]{3} ?[0-9]{5})(?![0-9])", text,
					  ctx->cfg->company.siret);
	found[2].value = g_strdup(g_hash_table_lookup(rd->fields, "vat"));
	if (found[2].value == NULL)
		found[2].value = other_id("\\b(FR ?[0-9]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{3})\\b", text,
					  ctx->cfg->company.vat);
	found[3].value = g_strdup(sender);
	/* the addresses, contact and phone as a rule reads them (our
	 * form's does), else as party_details_find finds them */
	for (size_t i = 4; i < G_N_ELEMENTS(found); i++)
		found[i].value = g_strdup(g_hash_table_lookup(shown, found[i].field));
	cli_printf("Client proposé d'après %s (%s) :\n", o->number,
		   cli_value(keep, o->source_attachment ? o->source_attachment : o->source_file));
	for (size_t i = 0; i < G_N_ELEMENTS(found); i++) {
		g_autofree char *problem = NULL;
		g_autofree char *option = g_strdelimit(g_strdup(found[i].field), "_", '-');

		if (found[i].value == NULL) {
			g_autoptr(GString) line = g_string_new(NULL);

			append_label(line, field_fr(found[i].field), 27);
			cli_printf("  %s—\n", line->str);
			continue;
		}
		cli_printf("  ");
		{
			g_autoptr(GString) line = g_string_new(NULL);

			append_label(line, field_fr(found[i].field), 27);
			cli_printf("%s%s\n", line->str, cli_value(keep, found[i].value));
		}
		if (customer_field_set(proposed, found[i].field, found[i].value, &problem) < 0) {
			g_string_append_printf(problems, "  --%s %s\n", option, problem);
			continue;
		}
		{
			g_autofree char *quoted = g_shell_quote(found[i].value);

			g_string_append_printf(cmd, " --%s %s", option, quoted);
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(found); i++)
		g_free(found[i].value);
	if (problems->len > 0)
		cli_printf("\nÀ vérifier avant de le créer :\n%s", problems->str);
	cli_printf("\nPour le créer (après vérification), puis rattacher la commande :\n  %s\n"
	       "  mailorder correct %s --customer <la référence affichée>\n",
	       cmd->str, o->number);
	return CLI_OK;
}
