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

/* A field of the history: a customer field, or "contact delivery" (a
 * contact of that role).  Owned. */
static char *history_field_fr(const char *field)
{
	if (g_str_has_prefix(field, "contact "))
		return g_strdup_printf("Contact (%s)", contact_role_fr(field + strlen("contact ")));
	return g_strdup(customer_field_label(field));
}

/* A value as the file writes it, as a French reader reads it: the
 * discount with a decimal comma.  Owned. */
static char *value_fr(const char *field, const char *value)
{
	if (strcmp(field, "discount_pct") == 0)
		return g_strdelimit(g_strdup(value), ".", ',');
	return g_strdup(value);
}

/* label then padding to width characters (not bytes: French). */
static void append_label(GString *out, const char *label, long width)
{
	g_string_append(out, label);
	for (long n = g_utf8_strlen(label, -1); n < width; n++)
		g_string_append_c(out, ' ');
}

/* The --CHAMP VALEUR pairs given (cli_args.fields) into set: field ->
 * value; a field the customer file does not have is bad usage. */
static gboolean fields_given(const cli_command *cmd, const cli_args *a, GHashTable *set, int *rc_r)
{
	for (guint i = 0; i + 1 < a->fields->len; i += 2) {
		const char *field = a->fields->pdata[i];

		if (!customer_field_known(field) || strcmp(field, "ref") == 0) {
			g_autofree char *option = g_strdelimit(g_strdup(field), "_", '-');

			*rc_r = cli_usage("%s : champ inconnu « --%s » : les colonnes du fichier "
					  "clients, « _ » écrit « - » (--billing-address) ; voir : "
					  "mailorder %s --help",
					  cmd->name, option, cmd->name);
			return FALSE;
		}
		g_hash_table_replace(set, g_strdup(field), a->fields->pdata[i + 1]);
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
		cli_errorf("%s : aucun client de cette référence (mailorder customer list les liste)",
			   ref);
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

static int customer_add_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *ref = NULL;
	const char *by = cli_opt(args, "--by") ? cli_opt(args, "--by") : g_get_user_name();
	int rc = CLI_OK;
	db *d;

	if (!fields_given(ctx->cmd, args, set, &rc))
		return rc;
	if (g_hash_table_lookup(set, "name") == NULL)
		return cli_usage("customer add : il faut au moins --name NOM (voir : mailorder "
				 "customer add --help)");
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	if (customers_add(d, set, cli_flag(args, "--force"), by, &ref, &refused, &err) < 0)
		rc = report_failure(err, refused);
	else
		cli_printf("%s\n", ref);
	db_close(&d);
	return rc;
}

static int customer_edit_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	const char *ref = cli_arg(args, 0);
	const char *by = cli_opt(args, "--by") ? cli_opt(args, "--by") : g_get_user_name();
	int rc = CLI_OK;
	db *d;

	if (!fields_given(ctx->cmd, args, set, &rc))
		return rc;
	if (g_hash_table_size(set) == 0)
		return cli_usage("customer edit : quel champ changer ? --CHAMP VALEUR (voir : "
				 "mailorder customer edit --help)");
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	if (customers_edit(d, ref, set, by, &changes, &refused, &err) < 0) {
		db_close(&d);
		return report_failure(err, refused);
	}
	db_close(&d);
	for (guint i = 0; i < changes->len; i++) {
		const customer_change *x = changes->pdata[i];
		g_autofree char *was = text_shown(x->before, TEXT_ONE_LINE, 0);
		g_autofree char *is = text_shown(x->after, TEXT_ONE_LINE, 0);

		cli_printf("%s : %s → %s\n", customer_field_label(x->field), x->before[0] ? was : "—",
			   x->after[0] ? is : "—");
	}
	if (changes->len == 0)
		cli_printf("%s : rien ne change\n", ref);
	return CLI_OK;
}

/* The contact's values given, in a fixed order, as customers.h wants
 * them (field, value...), with the options typed, for the refusals. */
static const char *const contact_fields[] = { "role", "name", "phone", "email", "address",
					      "postcode", "city", NULL };

static void contact_values(const cli_args *args, GPtrArray *values, GPtrArray *typed)
{
	for (const char *const *f = contact_fields; *f != NULL; f++) {
		g_autofree char *option = g_strdup_printf("--%s", *f);
		const char *v = cli_opt(args, option);

		if (v == NULL)
			continue;
		g_ptr_array_add(values, (gpointer)*f);
		g_ptr_array_add(values, (gpointer)v);
		g_ptr_array_add(typed, (gpointer)*f);
	}
}

/* A contact's refusals: each value's "--field : why" line; a usage one
 * is a usage error. */
static int report_contact_refusals(const cli_command *cmd, const GPtrArray *refused,
				   const GPtrArray *typed)
{
	for (guint i = 0; i < refused->len; i++) {
		const customer_refusal *r = refused->pdata[i];

		if (r->usage && r->item < 0)
			return cli_usage("%s : --role : %s (voir : mailorder %s --help)", cmd->name,
					 r->why, cmd->name);
		if (r->usage)
			return cli_usage("%s : --%s : %s (voir : mailorder %s --help)", cmd->name,
					 (guint)r->item < typed->len ? (const char *)typed->pdata[r->item]
								     : r->field,
					 r->why, cmd->name);
		report_refusal(r);
	}
	return CLI_FAILED;
}

/* mailorder customer contact add|edit|remove ... (customers.h). */
static int contact_run(cli_ctx *ctx, const cli_args *args, contact_action action)
{
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	g_autoptr(GPtrArray) typed = g_ptr_array_new();
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(GError) err = NULL;
	contact_request req = { 0 };
	contact_outcome out = { 0 };
	int rc = CLI_OK;
	db *d;

	req.action = action;
	req.by = cli_opt(args, "--by") ? cli_opt(args, "--by") : g_get_user_name();
	req.customer_ref = cli_arg(args, 0);
	if (action != CONTACT_ADD) {
		guint64 number;

		if (!g_ascii_string_to_unsigned(cli_arg(args, 1), 10, 1, G_MAXUINT, &number, NULL))
			return cli_usage("%s : N est le numéro du contact, tel que « customer show » "
					 "le donne (1, 2…), pas « %s »",
					 ctx->cmd->name, cli_arg(args, 1));
		req.number = (guint)number;
	}
	if (action != CONTACT_REMOVE) {
		contact_values(args, values, typed);
		req.values = values;
	}
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	if (customers_contact(d, &req, &out, &refused, &err) < 0) {
		db_close(&d);
		return g_error_matches(err, MO_ERROR, MO_ERROR_REFUSED)
			       ? report_contact_refusals(ctx->cmd, refused, typed)
			       : cli_report(err);
	}
	db_close(&d);
	if (out.unchanged)
		cli_printf("%s : contact n° %u : rien ne change\n", out.customer_ref, req.number);
	else if (action == CONTACT_ADD)
		cli_printf("%s : contact (%s) ajouté : %s\n", out.customer_ref, contact_role_fr(out.role),
			   cli_value(keep, out.after));
	else if (action == CONTACT_EDIT)
		cli_printf("%s : contact n° %u (%s) : %s → %s\n", out.customer_ref, req.number,
			   contact_role_fr(out.role), cli_value(keep, out.before), cli_value(keep, out.after));
	else
		cli_printf("%s : contact n° %u (%s) enlevé : %s\n", out.customer_ref, req.number,
			   contact_role_fr(out.role), cli_value(keep, out.before));
	contact_outcome_clear(&out);
	return CLI_OK;
}

static int contact_add_run(cli_ctx *ctx, const cli_args *args)
{
	return contact_run(ctx, args, CONTACT_ADD);
}

static int contact_edit_run(cli_ctx *ctx, const cli_args *args)
{
	return contact_run(ctx, args, CONTACT_EDIT);
}

static int contact_remove_run(cli_ctx *ctx, const cli_args *args)
{
	return contact_run(ctx, args, CONTACT_REMOVE);
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
			g_autofree char *raw = customer_field_get(c, *f);
			g_autofree char *v = value_fr(*f, raw);

			append_label(out, customer_field_label(*f), 28);
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
								 contact_role_fr(k->role));
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

		static const char *const headers[] = { "Réf.", "Nom", "Ville", "E-mail",
						       "Téléphone" };
		cli_table *t = cli_table_new(headers, "lLLLl");

		(void)keep;
		g_string_append_printf(out, "Clients : %u\n\n", all->len);
		for (guint i = 0; i < all->len; i++) {
			const customer *c = all->pdata[i];
			const char *cells[] = { c->ref, c->name, c->billing_city,
						c->emails && c->emails[0] ? c->emails[0] : NULL,
						c->phone };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
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

		static const char *const headers[] = { "Quand", "Qui", "Champ", "Avant", "Après" };
		cli_table *t = cli_table_new(headers, "llLLL");

		{
			/* the title fits the table's width too */
			g_autofree char *name = g_utf8_strlen(c->name, -1) > 60
							? g_strdup_printf("%.*s…",
									  (int)(g_utf8_offset_to_pointer(
										       c->name, 59) -
									       c->name),
									  c->name)
							: g_strdup(c->name);

			g_string_append_printf(out, "Historique de %s %s : %u changement(s)\n\n",
					       c->ref, cli_value(keep, name), rows->len);
		}
		for (guint i = 0; i < rows->len; i++) {
			char **r = rows->pdata[i];
			g_autofree char *when = cli_time_fr(r[0]);
			g_autofree char *label = history_field_fr(r[2]);
			g_autofree char *was = value_fr(r[2], r[3]);
			g_autofree char *is = value_fr(r[2], r[4]);
			const char *cells[] = { when, r[1], label, was[0] ? was : NULL,
						is[0] ? is : NULL };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	if (json)
		fputs(out->str, stdout);
	else
		cli_put(out->str);
	return CLI_OK;
}

/* A command that reads the file: the database opened around fn. */
static int with_db(cli_ctx *ctx, const cli_args *args,
		   int (*fn)(db *d, const char *ref, gboolean json))
{
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	rc = fn(d, cli_arg(args, 0), cli_flag(args, "--json"));
	db_close(&d);
	return rc;
}

static int customer_show_run(cli_ctx *ctx, const cli_args *args)
{
	return with_db(ctx, args, customer_show);
}

static int customer_history_run(cli_ctx *ctx, const cli_args *args)
{
	return with_db(ctx, args, customer_history);
}

static int list_all(db *d, const char *ref, gboolean json)
{
	(void)ref;
	return customer_list(d, json);
}

static int customer_list_run(cli_ctx *ctx, const cli_args *args)
{
	return with_db(ctx, args, list_all);
}

static int customer_from_draft(cli_ctx *ctx, db *d, const char *number, gboolean apply,
			       const char *by);

static int customer_from_draft_run(cli_ctx *ctx, const cli_args *args)
{
	const char *by = cli_opt(args, "--by") ? cli_opt(args, "--by") : g_get_user_name();
	int rc = CLI_OK;
	db *d = cli_open_db(ctx, &rc);

	if (d == NULL)
		return rc;
	rc = customer_from_draft(ctx, d, cli_arg(args, 0), cli_flag(args, "--apply"), by);
	db_close(&d);
	return rc;
}

/* mailorder export customers FILE.csv: the import's format, so that the
 * file goes through a spreadsheet and back (written whole, then renamed
 * into place). */
static int export_customers_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *file = cli_arg(args, 0);
	int rc;
	db *d;

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
	if (fsutil_write_atomic(file, out->str, out->len, &err) < 0)
		return cli_report(err);
	cli_printf("%u client(s) écrit(s) dans %s\n", all->len, file);
	return CLI_OK;
}

/* ---------------------------------------------------------------- from a draft */

/* mailorder customer from-draft ORDER: what the order's PDF says of an
 * unknown customer, checked, and the command that would create it. */
/* A known customer's PO: what it shows of the customer (contact, phone,
 * addresses, as a rule reads them) that the file says otherwise; with
 * apply, written to the file (customers.h). */
static int customer_data_from_draft(cli_ctx *ctx, db *d, const order *o, GHashTable *shown,
				    gboolean apply,
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

		cli_printf("%s : fiche « %s », bon de commande « %s »%s\n", customer_field_label(x->field),
			   x->file_value[0] ? cli_value(keep, x->file_value) : "—",
			   cli_value(keep, x->document_value),
			   apply ? (x->applied ? " : reporté" : " : refusé") : "");
		if (x->why_not != NULL)
			cli_printf("  (%s)\n", cli_value(keep, x->why_not));
	}
	if (differences->len == 0)
		cli_printf("%s : le bon de commande %s dit comme la fiche client\n", o->customer_ref,
			   o->number);
	if (!apply && differences->len > 0) {
		g_autofree char *cmd = g_strdup_printf("customer from-draft %s --apply", o->number);
		g_autofree char *run = cli_next(ctx, cmd);

		cli_printf("\nPour les reporter dans la fiche : %s\n", run);
	}
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
	g_autofree char *add = cli_next(ctx, "customer add");
	g_autoptr(GString) cmd = g_string_new(add);
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
		return customer_data_from_draft(ctx, d, o, shown, apply, by);
	proposed = customers_proposed(ctx->cfg, doc, shown, sender);
	cli_printf("Client proposé d'après %s (%s) :\n", o->number,
		   cli_value(keep, o->source_attachment ? o->source_attachment : o->source_file));
	for (guint i = 0; i < proposed->len; i++) {
		const char *field = ((customer_value *)proposed->pdata[i])->field;
		const char *value = ((customer_value *)proposed->pdata[i])->value;
		g_autoptr(GString) line = g_string_new(NULL);
		g_autofree char *problem = NULL;
		g_autofree char *option = g_strdelimit(g_strdup(field), "_", '-');

		append_label(line, customer_field_label(field), 27);
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
	{
		g_autofree char *fix = g_strdup_printf("correct %s --customer RÉF", o->number);
		g_autofree char *run = cli_next(ctx, fix);

		cli_printf("\nPour le créer (après vérification), puis rattacher la commande (RÉF : "
			   "la référence affichée) :\n  %s\n  %s\n",
			   cmd->str, run);
	}
	return CLI_OK;
}

/* ---------------------------------------------------------------- commands */

static const cli_option by_option[] = {
	{ "--by", "QUI", "qui fait le changement, pour l'historique (sinon l'utilisateur du "
			 "système)" },
	{ NULL, NULL, NULL },
};


#define FIELDS_HELP                                                                          \
	"CHAMP est une colonne du fichier clients, « _ » écrit « - » : --name, --email, "      \
	"--siret, --vat, --iban, --bank, --contact, --phone, --billing-address, "               \
	"--billing-postcode, --billing-city, --delivery-address, --delivery-postcode, "         \
	"--delivery-city, --account, --payment-terms, --discount-pct. Chaque valeur est "       \
	"vérifiée (SIRET, TVA, IBAN, code postal, e-mail…) : une valeur refusée n'écrit rien."

static const cli_option add_options[] = {
	{ "--force", NULL, "crée le client même s'il ressemble à un client du fichier (même "
			   "SIRET, ou même nom et même e-mail)" },
	{ "--by", "QUI", "qui fait le changement, pour l'historique (sinon l'utilisateur du "
			 "système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_customer_add = {
	.name = "customer add",
	.synopsis = "--name NOM [--CHAMP VALEUR]... [--force] [--by QUI]",
	.summary = "crée un client ; affiche sa référence (le numéro CLI suivant)",
	.details = FIELDS_HELP " Sans --account, le compte 411 est fait de son nom. Un client "
		   "qui ressemble à un client du fichier (même SIRET, ou même nom et un e-mail en "
		   "commun, ou même nom et aucun e-mail) est refusé, en le nommant, sauf avec "
		   "--force.",
	.options = add_options,
	.examples = "mailorder customer add --name 'Bio Périgord' --email achats@bio-perigord.fr "
		    "--billing-postcode 24000 --billing-city Périgueux",
	.min_args = 0,
	.max_args = 0,
	.free_fields = TRUE,
	.run = customer_add_run,
};

const cli_command cli_cmd_customer_edit = {
	.name = "customer edit",
	.synopsis = "REF --CHAMP VALEUR... [--by QUI]",
	.summary = "change des champs d'un client ; chaque changement va à son historique",
	.details = FIELDS_HELP " Une valeur vide efface le champ.",
	.options = by_option,
	.examples = "mailorder customer edit CLI104 --phone '05 53 08 12 40' --payment-terms "
		    "'30 jours fin de mois'",
	.min_args = 1,
	.max_args = 1,
	.free_fields = TRUE,
	.run = customer_edit_run,
};

const cli_command cli_cmd_customer_show = {
	.name = "customer show",
	.synopsis = "REF [--json]",
	.summary = "la fiche d'un client : coordonnées, contacts et adresses, compte, conditions",
	.options = cli_json_option,
	.examples = "mailorder customer show CLI104",
	.min_args = 1,
	.max_args = 1,
	.run = customer_show_run,
};

const cli_command cli_cmd_customer_list = {
	.name = "customer list",
	.synopsis = "[--json]",
	.summary = "tous les clients, un par ligne",
	.options = cli_json_option,
	.examples = "mailorder customer list",
	.min_args = 0,
	.max_args = 0,
	.run = customer_list_run,
};

const cli_command cli_cmd_customer_history = {
	.name = "customer history",
	.synopsis = "REF [--json]",
	.summary = "chaque changement de la fiche d'un client : quand, qui, quel champ, avant, "
		   "après",
	.options = cli_json_option,
	.examples = "mailorder customer history CLI104",
	.min_args = 1,
	.max_args = 1,
	.run = customer_history_run,
};

static const cli_option contact_options[] = {
	{ "--role", "RÔLE", "facturation (billing), livraison (delivery) ou achats (purchasing)" },
	{ "--name", "NOM", "le nom de la personne" },
	{ "--phone", "TÉL", "son téléphone" },
	{ "--email", "E-MAIL", "son adresse e-mail" },
	{ "--address", "RUE", "l'adresse : la rue (avec --postcode et --city)" },
	{ "--postcode", "CP", "le code postal" },
	{ "--city", "VILLE", "la ville" },
	{ "--by", "QUI", "qui fait le changement (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_customer_contact_add = {
	.name = "customer contact add",
	.synopsis = "REF --role RÔLE [--name NOM] [--phone TÉL] [--email E-MAIL] "
		    "[--address RUE --postcode CP --city VILLE] [--by QUI]",
	.summary = "ajoute un contact ou une adresse à un client (facturation, livraison, achats)",
	.details = "Une adresse est une rue, un code postal et une ville, donnés ensemble.",
	.options = contact_options,
	.examples = "mailorder customer contact add CLI104 --role livraison --address "
		    "'8 rue du Clocher' --postcode 33330 --city Saint-Émilion",
	.min_args = 1,
	.max_args = 1,
	.run = contact_add_run,
};

const cli_command cli_cmd_customer_contact_edit = {
	.name = "customer contact edit",
	.synopsis = "REF N [--role RÔLE] [--name NOM]... [--by QUI]",
	.summary = "change un contact d'un client ; N est son numéro dans « customer show »",
	.details = "Une valeur vide efface le champ.",
	.options = contact_options,
	.examples = "mailorder customer contact edit CLI104 2 --phone '05 57 24 70 31'",
	.min_args = 2,
	.max_args = 2,
	.run = contact_edit_run,
};

const cli_command cli_cmd_customer_contact_remove = {
	.name = "customer contact remove",
	.synopsis = "REF N [--by QUI]",
	.summary = "enlève un contact d'un client ; N est son numéro dans « customer show »",
	.options = by_option,
	.examples = "mailorder customer contact remove CLI104 2",
	.min_args = 2,
	.max_args = 2,
	.run = contact_remove_run,
};

static const cli_option from_draft_options[] = {
	{ "--apply", NULL, "client connu : reporte dans sa fiche ce que le bon de commande dit "
			   "autrement" },
	{ "--by", "QUI", "qui fait le changement (sinon l'utilisateur du système)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_customer_from_draft = {
	.name = "customer from-draft",
	.synopsis = "COMMANDE [--apply] [--by QUI]",
	.summary = "ce que le bon de commande d'un brouillon dit du client : la fiche à créer "
		   "(client inconnu), ou ce qui diffère de sa fiche",
	.details = "Pour un client inconnu, la commande « customer add » à lancer est affichée, "
		   "chaque valeur vérifiée. Rien n'est écrit sans --apply.",
	.options = from_draft_options,
	.examples = "mailorder customer from-draft SO0003\n"
		    "mailorder customer from-draft SO0005 --apply",
	.min_args = 1,
	.max_args = 1,
	.run = customer_from_draft_run,
};

const cli_command cli_cmd_export_customers = {
	.name = "export customers",
	.synopsis = "FICHIER.csv",
	.summary = "écrit le fichier clients au format de l'import (aller-retour par un tableur)",
	.examples = "mailorder export customers clients.csv",
	.min_args = 1,
	.max_args = 1,
	.run = export_customers_run,
};
