/* customers.c: the customer file's changes (customers.h). */
#include "orders/customers.h"

#include "lib/error.h"
#include "lib/validate.h"
#include "orders/customer_fields.h"
#include "lib/fsutil.h"
#include "reading/party.h"
#include "store/db_intake.h"
#include "store/db_order.h"

#include <string.h>

void customer_refusal_free(customer_refusal *r)
{
	if (r == NULL)
		return;
	g_free(r->field);
	g_free(r->why);
	g_free(r);
}

void customer_change_free(customer_change *c)
{
	if (c == NULL)
		return;
	g_free(c->before);
	g_free(c->after);
	g_free(c);
}

void customer_difference_free(customer_difference *x)
{
	if (x == NULL)
		return;
	g_free(x->file_value);
	g_free(x->document_value);
	g_free(x->why_not);
	g_free(x);
}

void contact_outcome_clear(contact_outcome *o)
{
	g_clear_pointer(&o->customer_ref, g_free);
	g_clear_pointer(&o->role, g_free);
	g_clear_pointer(&o->before, g_free);
	g_clear_pointer(&o->after, g_free);
}

static customer_refusal *refuse(GPtrArray *refused, const char *field, char *why)
{
	customer_refusal *r = g_new0(customer_refusal, 1);

	r->field = g_strdup(field);
	r->why = why;
	r->item = -1;
	g_ptr_array_add(refused, r);
	return r;
}

/* A usage refusal: item, the pair it is about, or -1 (a role that is
 * none). */
static void refuse_usage(GPtrArray *refused, const char *field, char *why, int item)
{
	customer_refusal *r = refuse(refused, field, why);

	r->usage = TRUE;
	r->item = item;
}

static GPtrArray *refusals_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)customer_refusal_free);
}

/* -1 with MO_ERROR_REFUSED, the refusals handed to the caller. */
static int refused_error(GPtrArray **refused, GPtrArray **refused_r, GError **error)
{
	g_set_error(error, MO_ERROR, MO_ERROR_REFUSED, "%u valeur(s) refusée(s)", (*refused)->len);
	*refused_r = g_steal_pointer(refused);
	return -1;
}

/* Sets every field of set on c; each refused one goes to refused. */
static void apply_fields(customer *c, GHashTable *set, GPtrArray *refused)
{
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		const char *v = g_hash_table_lookup(set, *f);
		char *why = NULL;

		if (v != NULL && customer_field_set(c, *f, v, &why) < 0)
			refuse(refused, *f, why);
	}
	if (refused->len == 0) {
		char *inconsistent = customer_fields_consistent(c);

		if (inconsistent != NULL)
			refuse(refused, "vat", inconsistent);
	}
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
	g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "aucun compte libre de %s00 à %s99 : donnez-en un (--account)", stem, stem);
	return NULL;
}

/* The customer of ref, in the caller's transaction; NULL with the
 * reason. */
static customer *customer_get(db *d, const char *ref, GError **error)
{
	customer *c = db_customer_by_ref(d, ref, error);

	if (c == NULL && (error == NULL || *error == NULL))
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : aucun client de cette référence",
			    ref);
	return c;
}

/* An account given (in set) that another customer has, or that the chart
 * has as another type, goes to refused.  -1 on error. */
static int check_account_given(db *d, const customer *c, GHashTable *set, GPtrArray *refused,
			       GError **error)
{
	int free_;

	if (c->account == NULL || g_hash_table_lookup(set, "account") == NULL)
		return 0;
	free_ = db_customer_account_free(d, c->account, c->id, error);
	if (free_ == 0)
		refuse(refused, "account",
		       g_strdup_printf("« %s » est déjà le compte d'un autre client", c->account));
	return free_ < 0 ? -1 : 0;
}

/* A name as two spellings of it compare: case, accents and spacing aside. */
static char *name_key(const char *name)
{
	g_autofree char *folded = g_utf8_casefold(name, -1);
	g_autofree char *plain = g_utf8_normalize(folded, -1, G_NORMALIZE_NFD);
	GString *out = g_string_new(NULL);

	for (const char *p = plain; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isalnum(c))
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static gboolean emails_meet(char *const *a, char *const *b)
{
	for (int i = 0; a != NULL && a[i] != NULL; i++) {
		for (int k = 0; b != NULL && b[k] != NULL; k++) {
			if (g_ascii_strcasecmp(a[i], b[k]) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

/* The customer of the file that c looks like a second entry of: the same
 * SIRET, or the same name and an e-mail in common (or neither has one);
 * NULL when none, or on error. */
static customer *already_there(db *d, const customer *c, GError **error)
{
	g_autoptr(GPtrArray) all = db_customers_all(d, error);
	g_autofree char *key = name_key(c->name);

	for (guint i = 0; all != NULL && i < all->len; i++) {
		customer *x = all->pdata[i];
		g_autofree char *xkey = name_key(x->name);
		gboolean no_emails = (c->emails == NULL || c->emails[0] == NULL) &&
				     (x->emails == NULL || x->emails[0] == NULL);

		if ((c->siret != NULL && g_strcmp0(c->siret, x->siret) == 0) ||
		    (strcmp(key, xkey) == 0 && (no_emails || emails_meet(c->emails, x->emails))))
			return g_ptr_array_steal_index(all, i);
	}
	return NULL;
}

int customers_add(db *d, GHashTable *set, gboolean force, const char *by, char **ref_r,
		  GPtrArray **refused_r, GError **error)
{
	g_autoptr(GPtrArray) refused = refusals_new();
	g_autoptr(customer) c = customer_new();
	gboolean created;

	*ref_r = NULL;
	if (g_hash_table_lookup(set, "name") == NULL)
		refuse(refused, "name", g_strdup("un client a un nom"));
	else
		apply_fields(c, set, refused);
	if (refused->len > 0)
		return refused_error(&refused, refused_r, error);
	if (db_begin(d, error) < 0)
		return -1;
	if (!force) {
		g_autoptr(customer) twin = already_there(d, c, error);

		if (twin == NULL && error != NULL && *error != NULL)
			goto fail;
		if (twin != NULL) {
			gboolean by_siret = c->siret != NULL && g_strcmp0(c->siret, twin->siret) == 0;
			gboolean no_email = c->emails == NULL || c->emails[0] == NULL;

			refuse(refused, NULL,
			       g_strdup_printf("ce client est peut-être déjà dans le fichier : %s %s "
					       "(%s) ; --force pour en créer un second quand même",
					       twin->ref, twin->name,
					       by_siret ? "même SIRET"
					       : no_email ? "même nom, et ni l'un ni l'autre n'a d'e-mail"
							  : "même nom et même e-mail"));
			db_rollback(d);
			return refused_error(&refused, refused_r, error);
		}
	}
	if (db_customer_next_ref(d, &c->ref, error) < 0 ||
	    (c->account == NULL && (c->account = new_account(d, c->name, error)) == NULL) ||
	    check_account_given(d, c, set, refused, error) < 0)
		goto fail;
	if (refused->len > 0) {
		db_rollback(d);
		return refused_error(&refused, refused_r, error);
	}
	if (db_customer_upsert(d, c, &created, error) < 0 || db_customer_set_extras(d, c, error) < 0)
		goto fail;
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		g_autofree char *v = customer_field_get(c, *f);

		if (v[0] != '\0' && strcmp(v, "0") != 0 &&
		    db_customer_history_add(d, c->id, by, *f, NULL, v, error) < 0)
			goto fail;
	}
	if (db_commit(d, error) < 0)
		goto fail;
	*ref_r = g_strdup(c->ref);
	return 0;
fail:
	db_rollback(d);
	return -1;
}

int customers_edit(db *d, const char *ref, GHashTable *set, const char *by,
		   GPtrArray **changes_r, GPtrArray **refused_r, GError **error)
{
	g_autoptr(GPtrArray) refused = refusals_new();
	g_autoptr(GPtrArray) changes =
		g_ptr_array_new_with_free_func((GDestroyNotify)customer_change_free);
	g_autoptr(customer) before = NULL;
	g_autoptr(customer) c = NULL;
	gboolean created;

	*changes_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	before = customer_get(d, ref, error);
	c = before ? customer_get(d, ref, error) : NULL;
	if (c == NULL)
		goto fail;
	apply_fields(c, set, refused);
	if (refused->len == 0 && check_account_given(d, c, set, refused, error) < 0)
		goto fail;
	if (refused->len > 0) {
		db_rollback(d);
		return refused_error(&refused, refused_r, error);
	}
	if (db_customer_upsert(d, c, &created, error) < 0 || db_customer_set_extras(d, c, error) < 0)
		goto fail;
	for (const char *const *f = customer_fields_all(); *f != NULL; f++) {
		customer_change *x;
		char *old = customer_field_get(before, *f);
		char *now = customer_field_get(c, *f);

		if (strcmp(old, now) == 0) {
			g_free(old);
			g_free(now);
			continue;
		}
		x = g_new0(customer_change, 1);
		x->field = *f;
		x->before = old;
		x->after = now;
		g_ptr_array_add(changes, x);
		if (db_customer_history_add(d, c->id, by, *f, old, now, error) < 0)
			goto fail;
	}
	if (db_commit(d, error) < 0)
		goto fail;
	*changes_r = g_steal_pointer(&changes);
	return 0;
fail:
	db_rollback(d);
	return -1;
}

/* ---------------------------------------------------------------- contacts */

char *customer_contact_line(const customer_contact *k)
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

static char **contact_slot(customer_contact *k, const char *field)
{
	return strcmp(field, "role") == 0	? &k->role
	       : strcmp(field, "name") == 0	? &k->name
	       : strcmp(field, "phone") == 0	? &k->phone
	       : strcmp(field, "email") == 0	? &k->email
	       : strcmp(field, "address") == 0	? &k->address
	       : strcmp(field, "postcode") == 0 ? &k->postcode
	       : strcmp(field, "city") == 0	? &k->city
						: NULL;
}

gboolean contact_role_known(const char *role)
{
	return role != NULL && (strcmp(role, "billing") == 0 || strcmp(role, "delivery") == 0 ||
				strcmp(role, "purchasing") == 0);
}

/* The roles and their French words, the first the one shown. */
static const struct {
	const char *word, *role;
} role_words[] = {
	{ "facturation", "billing" }, { "livraison", "delivery" }, { "achats", "purchasing" },
	{ "achat", "purchasing" },    { "billing", "billing" },    { "delivery", "delivery" },
	{ "purchasing", "purchasing" },
};

const char *contact_role_parse(const char *word)
{
	g_autofree char *lower = word ? g_utf8_strdown(word, -1) : NULL;

	for (size_t i = 0; lower != NULL && i < G_N_ELEMENTS(role_words); i++) {
		if (strcmp(lower, role_words[i].word) == 0)
			return role_words[i].role;
	}
	return NULL;
}

const char *contact_role_fr(const char *role)
{
	for (size_t i = 0; role != NULL && i < G_N_ELEMENTS(role_words); i++) {
		if (strcmp(role, role_words[i].role) == 0)
			return role_words[i].word;
	}
	return role;
}

/* Sets the values (field, value pairs) on k, each checked (phone,
 * e-mail, postcode), "" clearing the field; each refused one goes to
 * refused, in order.  A field that is none, a value missing or a role
 * that is none stops it there (a usage refusal). */
static void contact_apply(customer_contact *k, const GPtrArray *values, GPtrArray *refused)
{
	gboolean address_given = FALSE;

	for (guint i = 0; values != NULL && i < values->len; i += 2) {
		const char *field = values->pdata[i];
		const char *v = i + 1 < values->len ? values->pdata[i + 1] : NULL;
		char **slot = contact_slot(k, field);
		g_autofree char *trimmed = NULL;
		const char *why = NULL;

		if (slot == NULL || v == NULL) {
			refuse_usage(refused, field, g_strdup("un contact n'a pas ce champ"),
				     (int)(i / 2));
			return;
		}
		trimmed = g_strstrip(g_strdup(v));
		address_given |= slot == &k->address || slot == &k->postcode || slot == &k->city;
		g_free(*slot);
		*slot = NULL;
		if (trimmed[0] == '\0')
			continue;
		if (slot == &k->role)
			/* the French words too: « livraison » as show prints it */
			*slot = g_strdup(contact_role_parse(trimmed) ? contact_role_parse(trimmed)
								     : trimmed);
		else if (slot == &k->phone)
			*slot = validate_phone(trimmed, &why);
		else if (slot == &k->email)
			*slot = validate_email(trimmed, &why);
		else if (slot == &k->postcode)
			*slot = validate_postcode_fr(trimmed, &why);
		else
			*slot = g_steal_pointer(&trimmed);
		if (*slot == NULL)
			refuse(refused, field, g_strdup_printf("« %s » : %s", v, why));
	}
	if (!contact_role_known(k->role)) {
		refuse_usage(refused, "role",
			     g_strdup("facturation (billing), livraison (delivery) ou achats "
				      "(purchasing)"),
			     -1);
		return;
	}
	/* an address is a street, a postcode and a city: a parcel needs all
	 * three.  Checked when the address is given: a contact saved before
	 * this rule with a partial one can still have its phone changed. */
	if (address_given && (k->address != NULL || k->postcode != NULL || k->city != NULL) &&
	    (k->address == NULL || k->postcode == NULL || k->city == NULL)) {
		const char *missing[3];
		int n = 0;
		g_autofree char *list = NULL;

		if (k->address == NULL)
			missing[n++] = "la rue (--address)";
		if (k->postcode == NULL)
			missing[n++] = "le code postal (--postcode)";
		if (k->city == NULL)
			missing[n++] = "la ville (--city)";
		list = n == 1 ? g_strdup(missing[0])
		       : n == 2 ? g_strdup_printf("%s et %s", missing[0], missing[1])
				: g_strdup_printf("%s, %s et %s", missing[0], missing[1], missing[2]);
		refuse(refused, k->address == NULL ? "address" : k->postcode == NULL ? "postcode" : "city",
		       g_strdup_printf("une adresse est une rue, un code postal et une ville : il "
				       "manque %s", list));
	}
	if (k->name == NULL && k->phone == NULL && k->email == NULL && k->address == NULL &&
	    k->postcode == NULL && k->city == NULL)
		refuse(refused, NULL,
		       g_strdup("un contact sans nom, téléphone, e-mail ni adresse "
				"(donnez au moins --name, --phone, --email ou une adresse ; pour enlever un "
				"contact : customer contact remove)"));
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

/* Each change goes to the customer's history as "contact ROLE": the
 * contact before, after. */
int customers_contact(db *d, const contact_request *req, contact_outcome *out,
		      GPtrArray **refused_r, GError **error)
{
	g_autoptr(GPtrArray) refused = refusals_new();
	g_autoptr(customer_contact) k = NULL;
	g_autoptr(customer_contact) before = NULL;
	g_autoptr(customer) c = NULL;
	g_autoptr(GPtrArray) contacts = NULL;
	g_autofree char *field = NULL;
	gboolean add = req->action == CONTACT_ADD, edit = req->action == CONTACT_EDIT,
		 remove = req->action == CONTACT_REMOVE;

	memset(out, 0, sizeof(*out));
	if (db_begin(d, error) < 0)
		return -1;
	c = customer_get(d, req->customer_ref, error);
	if (c == NULL)
		goto fail;
	out->customer_ref = g_strdup(c->ref);
	if (!add) {
		contacts = db_contacts_of(d, c->id, error);
		if (contacts == NULL)
			goto fail;
		if (req->number < 1 || req->number > contacts->len) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s n'a pas de contact n° %u (%u contact(s) : customer show %s)",
				    c->ref, req->number, contacts->len, c->ref);
			goto fail;
		}
		before = contact_copy(contacts->pdata[req->number - 1]);
		out->before = customer_contact_line(before);
	}
	if (!remove) {
		k = add ? g_new0(customer_contact, 1) : contact_copy(before);
		contact_apply(k, req->values, refused);
		if (refused->len > 0) {
			db_rollback(d);
			contact_outcome_clear(out);
			return refused_error(&refused, refused_r, error);
		}
		out->after = customer_contact_line(k);
	}
	out->role = g_strdup((k ? k : before)->role);
	field = g_strdup_printf("contact %s", out->role);
	if (edit && contacts_equal(before, k)) {
		db_rollback(d);
		out->unchanged = TRUE;
		return 0;
	}
	if ((add && db_contact_add(d, c->id, k, error) < 0) ||
	    (edit && db_contact_update(d, c->id, k, error) < 0) ||
	    (remove && db_contact_remove(d, c->id, before->id, error) < 0))
		goto fail;
	if (edit && strcmp(before->role, k->role) != 0) {
		/* A change of role: the history shows it leave one role and
		 * join the other. */
		g_autofree char *old_field = g_strdup_printf("contact %s", before->role);

		if (db_customer_history_add(d, c->id, req->by, old_field, out->before, NULL, error) < 0 ||
		    db_customer_history_add(d, c->id, req->by, field, NULL, out->after, error) < 0)
			goto fail;
	} else if (db_customer_history_add(d, c->id, req->by, field, out->before, out->after,
					   error) < 0) {
		goto fail;
	}
	if (db_commit(d, error) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(d);
	contact_outcome_clear(out);
	return -1;
}

/* ---------------------------------------------------------------- documents */

GHashTable *customers_shown_in(const config *cfg, const reading *rd, const char *text)
{
	GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	const party_ours ours = { cfg->company.name, cfg->company.address, cfg->company.postcode };

	for (const char *const *f = customer_document_fields(); *f != NULL; f++) {
		const char *v = g_hash_table_lookup(rd->fields, *f);

		if (v != NULL)
			g_hash_table_insert(data, (gpointer)*f, g_strdup(v));
	}
	party_details_find(text, &ours, data);
	return data;
}

int customers_compare_document(db *d, const char *ref, GHashTable *shown, gboolean apply,
			       const char *by, GPtrArray **differences_r, GError **error)
{
	g_autoptr(GPtrArray) differences =
		g_ptr_array_new_with_free_func((GDestroyNotify)customer_difference_free);
	g_autoptr(customer) c = NULL;
	gboolean created, applied = FALSE;

	*differences_r = NULL;
	if (db_begin(d, error) < 0)
		return -1;
	c = customer_get(d, ref, error);
	if (c == NULL)
		goto fail;
	for (const char *const *f = customer_document_fields(); *f != NULL; f++) {
		const char *v = g_hash_table_lookup(shown, *f);
		char *mine = v ? customer_field_differs(c, *f, v) : NULL;
		customer_difference *x;

		if (mine == NULL)
			continue;
		x = g_new0(customer_difference, 1);
		x->field = *f;
		x->file_value = mine;
		x->document_value = g_strdup(v);
		g_ptr_array_add(differences, x);
		if (apply && customer_field_set(c, *f, v, &x->why_not) == 0) {
			g_autofree char *now = customer_field_get(c, *f);

			x->applied = applied = TRUE;
			if (db_customer_history_add(d, c->id, by, *f, mine, now, error) < 0)
				goto fail;
		}
	}
	if (applied && db_customer_upsert(d, c, &created, error) < 0)
		goto fail;
	if (db_commit(d, error) < 0)
		goto fail;
	*differences_r = g_steal_pointer(&differences);
	return 0;
fail:
	db_rollback(d);
	return -1;
}

/* The reading intake kept of order o's document (document_id), when it
 * is whole: pages intake could not read (its OCR budget was the
 * message's, or a page's OCR failed) are tried again, as ever; a database
 * from before readings were kept has none.  NULL with no error then. */
static page_content *kept_reading(db *d, const order *o, int64_t document_id, GError **error)
{
	g_autoptr(GBytes) kept = NULL;
	page_content *content;

	if (document_id <= 0)
		return NULL;
	kept = db_document_page_model(d, document_id, o->source_sha256, error);
	content = kept ? page_content_load(kept, NULL) : NULL;
	if (content != NULL && (page_content_ocr_pending(content) || content->ocr_not_read->len > 0 ||
				content->ocr_problem != NULL))
		g_clear_pointer(&content, page_content_free);
	return content;
}

int customers_read_order_document(const config *cfg, db *d, const order *o, guard *g,
				  char **sender_r, document_reading **doc_r, GError **error)
{
	g_autofree char *path = NULL;
	g_autofree char *data = NULL;
	g_autofree char *why = NULL;
	g_autoptr(rule_set) rules = NULL;
	page_content *content;
	archive *a;
	pdf_reader *pr;
	pdf_status status;
	size_t len = 0;
	int64_t document_id = 0;

	*sender_r = NULL;
	*doc_r = NULL;
	if (db_order_document(d, o->id, &document_id, sender_r, error) < 0)
		return -1;
	content = kept_reading(d, o, document_id, error);
	if (content == NULL && error != NULL && *error != NULL)
		return -1;
	if (content == NULL) {
		a = archive_open(cfg->storage.archive, NULL, error);
		path = a && o->source_file ? archive_path(a, o->source_file) : NULL;
		archive_free(&a);
		if (path == NULL || fsutil_read_file(path, (size_t)cfg->storage.max_attachment_bytes,
						     &data, &len, error) < 0) {
			if (error == NULL || *error == NULL)
				g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
					    "%s n'a pas de document lisible", o->number);
			return -1;
		}
	}
	rules = rules_load_standard(cfg->dir, error);
	if (rules == NULL) {
		page_content_free(content);
		return -1;
	}
	if (g != NULL)
		guard_begin(g, 0, path ? path : o->source_file ? o->source_file : o->number);
	if (content != NULL) {
		/* what intake read: a scan is not read by OCR again */
		*doc_r = document_read_content(rules, content, NULL);
	} else {
		pr = pdf_reader_new();
		*doc_r = document_read(pr, rules, data, len, cfg->storage.ocr_timeout_s, NULL, &status,
				       &why);
		pdf_reader_free(&pr);
	}
	if (g != NULL)
		guard_end(g, 0);
	if (*doc_r == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "%s : %s", o->number, why);
		return -1;
	}
	return 0;
}

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

void customer_value_free(customer_value *v)
{
	if (v == NULL)
		return;
	g_free(v->value);
	g_free(v);
}

GPtrArray *customers_proposed(const config *cfg, const document_reading *doc, GHashTable *shown,
			      const char *sender)
{
	static const char *const fields[] = {
		"name",		    "siret",	     "vat",	       "email",
		"billing_address",  "billing_postcode", "billing_city", "contact",
		"phone",	    "delivery_address", "delivery_postcode", "delivery_city",
	};
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)customer_value_free);
	const reading *rd = doc->reading;
	const char *text = doc->text;

	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		customer_value *v = g_new0(customer_value, 1);
		const char *f = fields[i];

		v->field = f;
		if (strcmp(f, "name") == 0) {
			/* what a rule read, else the usual wordings, else the
			 * document's first line (a company prints its name at
			 * the top) */
			v->value = g_strdup(g_hash_table_lookup(rd->fields, "customer_name"));
			if (v->value == NULL)
				v->value = first_match("^(?:raison sociale|soci[ée]t[ée]|client)\\s*:?\\s+(.+?)(?:\\s{2,}|$)", text);
			if (v->value == NULL)
				v->value = first_match("^(.+?)(?:\\s{2,}| [—–-] |$)", text);
		} else if (strcmp(f, "siret") == 0) {
			v->value = g_strdup(g_hash_table_lookup(rd->fields, "siret"));
			if (v->value == NULL)
				v->value = other_id("(?<![0-9])([0-9]{3} ?[0-9]{3} ?[0-9]{3} ?[0-9]{5})(?![0-9])",
						    text, cfg->company.siret);
		} else if (strcmp(f, "vat") == 0) {
			v->value = g_strdup(g_hash_table_lookup(rd->fields, "vat"));
			if (v->value == NULL)
				v->value = other_id("\\b(FR ?[0-9]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{3})\\b", text,
						    cfg->company.vat);
		} else if (strcmp(f, "email") == 0) {
			v->value = g_strdup(sender);
		} else {
			/* the addresses, contact and phone as a rule reads them
			 * (our form's does), else as party.h finds them */
			v->value = g_strdup(g_hash_table_lookup(shown, f));
		}
		g_ptr_array_add(out, v);
	}
	return out;
}
