/* mailorder customer add|edit|show|list|history|contact|from-draft and
 * export customers (CONTRACT.md, the customer file): the arguments parsed,
 * the file shown; every change is orders/customers.h's. */
#include "cli/cli.h"

#include "lib/csv.h"
#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/jsonw.h"
#include "lib/text.h"
#include "orders/customer_fields.h"
#include "orders/customers.h"
#include "reading/document.h"
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

/* Each refused value on its line, as "--option : why"; CLI_FAILED. */
static void report_refusal(const customer_refusal *r)
{
	g_autofree char *option = r->field ? g_strdelimit(g_strdup(r->field), "_", '-') : NULL;

	if (option != NULL)
		cli_errorf("--%s : %s", option, r->why);
	else
		cli_errorf("%s", r->why);
}

static int report_refusals(const GPtrArray *refused)
{
	for (guint i = 0; refused != NULL && i < refused->len; i++)
		report_refusal(refused->pdata[i]);
	return CLI_FAILED;
}

/* What a customers.h function's failure says: its refusals, or the
 * error. */
static int report_failure(const GError *err, const GPtrArray *refused)
{
	if (g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED))
		return report_refusals(refused);
	return cli_report(err);
}

static int customer_add(db *d, int argc, char **argv)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *ref = NULL;
	const char *by = g_get_user_name();
	int rc = CLI_OK;

	if (!parse_fields(argc, argv, 1, set, &by, &rc))
		return rc;
	if (g_hash_table_lookup(set, "name") == NULL)
		return cli_usage("customer add --name NAME [--FIELD VALUE]... [--by WHO]");
	if (customers_add(d, set, by, &ref, &refused, &err) < 0)
		return report_failure(err, refused);
	cli_printf("%s\n", ref);
	return CLI_OK;
}

static int customer_edit(db *d, int argc, char **argv)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	const char *by = g_get_user_name();
	int rc = CLI_OK;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("customer edit REF --FIELD VALUE... [--by WHO]");
	if (!parse_fields(argc, argv, 2, set, &by, &rc))
		return rc;
	if (g_hash_table_size(set) == 0)
		return cli_usage("customer edit REF --FIELD VALUE... [--by WHO]");
	if (customers_edit(d, argv[1], set, by, &changes, &refused, &err) < 0)
		return report_failure(err, refused);
	for (guint i = 0; i < changes->len; i++) {
		const customer_change *x = changes->pdata[i];
		g_autofree char *was = text_shown(x->before, TEXT_ONE_LINE, 0);
		g_autofree char *is = text_shown(x->after, TEXT_ONE_LINE, 0);

		cli_printf("%s : %s → %s\n", field_fr(x->field), x->before[0] ? was : "—",
			   x->after[0] ? is : "—");
	}
	if (changes->len == 0)
		cli_printf("%s : rien ne change\n", argv[1]);
	return CLI_OK;
}

static const char *role_fr(const char *role)
{
	return strcmp(role, "billing") == 0    ? "facturation"
	       : strcmp(role, "delivery") == 0 ? "livraison"
					       : "achats";
}

#define CONTACT_USAGE                                                                     \
	"customer contact add REF --role billing|delivery|purchasing [--name N] [--phone P] " \
	"[--email E] [--address A --postcode C --city T] [--by WHO]\n"                        \
	"       customer contact edit REF N [--role R] [--name N]... [--by WHO]\n"            \
	"       customer contact remove REF N [--by WHO]\n"                                   \
	"N: the contact's number as 'customer show' gives it; an empty value clears a field"

/* "--field value" pairs from argv[first] into values (field, value...:
 * the option without its dashes, a NULL value when it is missing); --by
 * into *by_r.  customers.h checks them. */
static void contact_options(int argc, char **argv, int first, GPtrArray *values, GPtrArray *typed,
			    const char **by_r)
{
	for (int i = first; i < argc; i += 2) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--by") == 0 && v != NULL) {
			*by_r = v;
			continue;
		}
		/* a word without its dashes is no option: a field no contact has */
		g_ptr_array_add(values, (gpointer)(g_str_has_prefix(opt, "--") ? opt + 2 : ""));
		g_ptr_array_add(values, (gpointer)v);
		g_ptr_array_add(typed, (gpointer)opt);
	}
}

/* A contact's refusals: each value's "--field : why" line; a usage one
 * ends with the usage error. */
static int report_contact_refusals(const GPtrArray *refused, const GPtrArray *typed)
{
	for (guint i = 0; i < refused->len; i++) {
		const customer_refusal *r = refused->pdata[i];

		if (r->usage && r->item < 0)
			return cli_usage("customer contact: --role is billing, delivery or purchasing");
		if (r->usage)
			return cli_usage("customer contact: unexpected argument '%s'\n" CONTACT_USAGE,
					 (guint)r->item < typed->len ? (const char *)typed->pdata[r->item]
								     : r->field);
		report_refusal(r);
	}
	return CLI_FAILED;
}

/* mailorder customer contact add|edit|remove ... (customers.h). */
static int customer_contact_cmd(db *d, int argc, char **argv)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	g_autoptr(GPtrArray) typed = g_ptr_array_new();    /* each option as typed */
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	const char *verb = argc >= 2 ? argv[1] : "";
	contact_request req = { 0 };
	contact_outcome out = { 0 };
	guint64 number = 0;
	int first = 3;

	req.by = g_get_user_name();
	if (strcmp(verb, "add") == 0)
		req.action = CONTACT_ADD;
	else if (strcmp(verb, "edit") == 0)
		req.action = CONTACT_EDIT;
	else if (strcmp(verb, "remove") == 0)
		req.action = CONTACT_REMOVE;
	else
		return cli_usage(CONTACT_USAGE);
	if (argc < 3 || argv[2][0] == '-')
		return cli_usage(CONTACT_USAGE);
	req.customer_ref = argv[2];
	if (req.action != CONTACT_ADD) {
		if (argc < 4 || !g_ascii_string_to_unsigned(argv[3], 10, 1, G_MAXUINT, &number, NULL))
			return cli_usage(CONTACT_USAGE);
		req.number = (guint)number;
		first = 4;
	}
	if (req.action == CONTACT_REMOVE) {
		if (argc == 6 && strcmp(argv[4], "--by") == 0)
			req.by = argv[5];
		else if (argc != 4)
			return cli_usage(CONTACT_USAGE);
	} else {
		contact_options(argc, argv, first, values, typed, &req.by);
		req.values = values;
	}
	if (customers_contact(d, &req, &out, &refused, &err) < 0)
		return g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED)
			       ? report_contact_refusals(refused, typed)
			       : cli_report(err);
	if (out.unchanged)
		cli_printf("%s : contact n° %u : rien ne change\n", out.customer_ref, req.number);
	else if (req.action == CONTACT_ADD)
		cli_printf("%s : contact (%s) ajouté : %s\n", out.customer_ref, role_fr(out.role),
			   cli_value(keep, out.after));
	else if (req.action == CONTACT_EDIT)
		cli_printf("%s : contact n° %u (%s) : %s → %s\n", out.customer_ref, req.number,
			   role_fr(out.role), cli_value(keep, out.before), cli_value(keep, out.after));
	else
		cli_printf("%s : contact n° %u (%s) enlevé : %s\n", out.customer_ref, req.number,
			   role_fr(out.role), cli_value(keep, out.before));
	contact_outcome_clear(&out);
	return CLI_OK;
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
			g_autofree char *line = customer_contact_line(k);

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

/* mailorder customer from-draft ORDER: what the order's PDF says of an
 * unknown customer, checked, and the command that would create it. */
/* A known customer's PO: what it shows of the customer (contact, phone,
 * addresses, as a rule reads them) that the file says otherwise; with
 * apply, written to the file (customers.h). */
static int customer_data_from_draft(db *d, const order *o, GHashTable *shown, gboolean apply,
				    const char *by)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) differences = NULL;
	g_autoptr(GError) err = NULL;

	if (customers_compare_document(d, o->customer_ref, shown, apply, by, &differences,
				       &err) < 0)
		return cli_report(err);
	for (guint i = 0; i < differences->len; i++) {
		const customer_difference *x = differences->pdata[i];

		cli_printf("%s : fiche « %s », bon de commande « %s »%s\n", field_fr(x->field),
			   x->file_value[0] ? cli_value(keep, x->file_value) : "—",
			   cli_value(keep, x->document_value),
			   apply ? (x->applied ? " : reporté" : " : refusé") : "");
		if (x->why_not != NULL)
			cli_printf("  (%s)\n", cli_value(keep, x->why_not));
	}
	if (differences->len == 0)
		cli_printf("%s : le bon de commande %s dit comme la fiche client\n", o->customer_ref,
			   o->number);
	if (!apply && differences->len > 0)
		cli_printf("\nPour les reporter dans la fiche : mailorder customer from-draft %s --apply\n",
			   o->number);
	return CLI_OK;
}

static int customer_from_draft(cli_ctx *ctx, db *d, const char *number, gboolean apply,
			       const char *by)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(document_reading) doc = NULL;
	g_autoptr(GHashTable) shown = NULL;
	g_autoptr(GPtrArray) proposed = NULL;
	g_autoptr(GString) cmd = g_string_new("mailorder customer add");
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(customer) checked = customer_new();
	g_autofree char *sender = NULL;
	guard *g;
	int rc;

	o = db_order_get(d, number, &err);
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
	g = cli_reading_guard();
	rc = customers_read_order_document(ctx->cfg, d, o, g, &sender, &doc, &err);
	guard_stop(&g);
	if (rc < 0)
		return cli_report(err);
	/* what intake saw of the customer, the same way */
	shown = customers_shown_in(ctx->cfg, doc->reading, doc->text_but_lines);
	if (o->customer_ref != NULL)
		return customer_data_from_draft(d, o, shown, apply, by);
	proposed = customers_proposed(ctx->cfg, doc, shown, sender);
	cli_printf("Client proposé d'après %s (%s) :\n", o->number,
		   cli_value(keep, o->source_attachment ? o->source_attachment : o->source_file));
	for (guint i = 0; i < proposed->len; i++) {
		const char *field = ((customer_value *)proposed->pdata[i])->field;
		const char *value = ((customer_value *)proposed->pdata[i])->value;
		g_autoptr(GString) line = g_string_new(NULL);
		g_autofree char *problem = NULL;
		g_autofree char *option = g_strdelimit(g_strdup(field), "_", '-');

		append_label(line, field_fr(field), 27);
		if (value == NULL) {
			cli_printf("  %s—\n", line->str);
			continue;
		}
		cli_printf("  %s%s\n", line->str, cli_value(keep, value));
		if (customer_field_set(checked, field, value, &problem) < 0) {
			g_string_append_printf(problems, "  --%s %s\n", option, problem);
			continue;
		}
		{
			g_autofree char *quoted = g_shell_quote(value);

			g_string_append_printf(cmd, " --%s %s", option, quoted);
		}
	}
	if (problems->len > 0)
		cli_printf("\nÀ vérifier avant de le créer :\n%s", problems->str);
	cli_printf("\nPour le créer (après vérification), puis rattacher la commande :\n  %s\n"
		   "  mailorder correct %s --customer <la référence affichée>\n",
		   cmd->str, o->number);
	return CLI_OK;
}
