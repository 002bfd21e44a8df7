#include "orders/customer_fields.h"

#include "lib/money.h"
#include "orders/terms.h"
#include "store/naming.h"
#include "lib/validate.h"

#include <string.h>

/* The CSV's columns, then what only the commands set. */
static const char *const fields[] = {
	"ref", "name", "email", "siret", "vat", "iban", "bank", "contact", "phone",
	"billing_address", "billing_postcode", "billing_city", "delivery_address",
	"delivery_postcode", "delivery_city", "account", "payment_terms", "discount_pct", NULL,
	"bic", "tags", "acknowledge", NULL,
};

const char *const *customer_fields(void)
{
	return fields;
}

const char *customer_field_label(const char *field)
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
		{ "acknowledge", "Accusés de réception automatiques" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++) {
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].fr;
	}
	return field;
}

const char *const *customer_fields_all(void)
{
	static const char *all[G_N_ELEMENTS(fields)];
	static gsize ready;

	if (g_once_init_enter(&ready)) {
		size_t n = 0;

		for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
			if (fields[i] != NULL)
				all[n++] = fields[i];
		}
		all[n] = NULL;
		g_once_init_leave(&ready, 1);
	}
	return all;
}

const char *const *customer_document_fields(void)
{
	static const char *const document[] = {
		"contact", "phone", "billing_address", "billing_postcode", "billing_city",
		"delivery_address", "delivery_postcode", "delivery_city", NULL,
	};

	return document;
}

gboolean customer_field_known(const char *field)
{
	return g_strv_contains(customer_fields_all(), field);
}

/* The plain text fields: where each lives in the record. */
static char **text_slot(customer *c, const char *field)
{
	static const struct {
		const char *name;
		size_t offset;
	} slots[] = {
		{ "ref", G_STRUCT_OFFSET(customer, ref) },
		{ "name", G_STRUCT_OFFSET(customer, name) },
		{ "siret", G_STRUCT_OFFSET(customer, siret) },
		{ "vat", G_STRUCT_OFFSET(customer, vat) },
		{ "iban", G_STRUCT_OFFSET(customer, iban) },
		{ "bank", G_STRUCT_OFFSET(customer, bank) },
		{ "contact", G_STRUCT_OFFSET(customer, contact) },
		{ "phone", G_STRUCT_OFFSET(customer, phone) },
		{ "billing_address", G_STRUCT_OFFSET(customer, billing_address) },
		{ "billing_postcode", G_STRUCT_OFFSET(customer, billing_postcode) },
		{ "billing_city", G_STRUCT_OFFSET(customer, billing_city) },
		{ "delivery_address", G_STRUCT_OFFSET(customer, delivery_address) },
		{ "delivery_postcode", G_STRUCT_OFFSET(customer, delivery_postcode) },
		{ "delivery_city", G_STRUCT_OFFSET(customer, delivery_city) },
		{ "account", G_STRUCT_OFFSET(customer, account) },
		{ "payment_terms", G_STRUCT_OFFSET(customer, payment_terms) },
		{ "bic", G_STRUCT_OFFSET(customer, bic) },
		{ "tags", G_STRUCT_OFFSET(customer, tags) },
		{ "acknowledge", G_STRUCT_OFFSET(customer, acknowledge) },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(slots); i++) {
		if (strcmp(slots[i].name, field) == 0)
			return (char **)(void *)((char *)c + slots[i].offset);
	}
	return NULL;
}

typedef char *validator_fn(const char *input, const char **why_r);

/* "Bio, Épicerie fine; bio" -> "bio,epicerie-fine": each tag a slug (as
 * file names are made), once. */
static char *normalise_tags(const char *input, const char **why_r)
{
	g_auto(GStrv) parts = g_strsplit_set(input, ",;", -1);
	g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree char *one = g_strstrip(g_strdup(parts[i]));
		char *slug;

		if (one[0] == '\0')
			continue;
		slug = naming_slug(one);
		if (strlen(slug) > 32) {
			g_free(slug);
			*why_r = "une étiquette compte 32 caractères au plus";
			return NULL;
		}
		if (g_ptr_array_find_with_equal_func(tags, slug, g_str_equal, NULL))
			g_free(slug);
		else
			g_ptr_array_add(tags, slug);
	}
	if (tags->len == 0) {
		*why_r = "aucune étiquette";
		return NULL;
	}
	g_ptr_array_add(tags, NULL);
	return g_strjoinv(",", (char **)tags->pdata);
}

/* oui | non (yes | no, 1 | 0 as a script may write them). */
static char *normalise_yes_no(const char *input, const char **why_r)
{
	static const char *const yes[] = { "oui", "o", "yes", "y", "1", "vrai", "true" };
	static const char *const no[] = { "non", "n", "no", "0", "faux", "false" };
	g_autofree char *v = g_utf8_strdown(input, -1);

	g_strstrip(v);
	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (strcmp(v, yes[i]) == 0)
			return g_strdup("oui");
	}
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++) {
		if (strcmp(v, no[i]) == 0)
			return g_strdup("non");
	}
	*why_r = "oui ou non";
	return NULL;
}

static validator_fn *validator_of(const char *field)
{
	if (strcmp(field, "siret") == 0)
		return validate_siret;
	if (strcmp(field, "vat") == 0)
		return validate_vat;
	if (strcmp(field, "iban") == 0)
		return validate_iban;
	if (strcmp(field, "billing_postcode") == 0 || strcmp(field, "delivery_postcode") == 0)
		return validate_postcode_fr;
	if (strcmp(field, "phone") == 0)
		return validate_phone;
	if (strcmp(field, "bic") == 0)
		return validate_bic;
	if (strcmp(field, "account") == 0)
		return validate_customer_account;
	if (strcmp(field, "tags") == 0)
		return normalise_tags;
	if (strcmp(field, "acknowledge") == 0)
		return normalise_yes_no;
	return NULL;
}

static gboolean is_customer_ref(const char *ref)
{
	size_t n = strlen(ref);

	if (n < 6 || strncmp(ref, "CLI", 3) != 0)
		return FALSE;
	for (size_t i = 3; i < n; i++) {
		if (!g_ascii_isdigit(ref[i]))
			return FALSE;
	}
	return TRUE;
}

/* "a@b.fr; c@d.fr" -> the addresses, checked, lower-cased. */
static int set_emails(customer *c, const char *value, char **why_r)
{
	g_auto(GStrv) parts = g_strsplit(value, ";", -1);
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);

	for (int i = 0; parts[i] != NULL; i++) {
		const char *one = g_strstrip(parts[i]);
		const char *why = NULL;
		g_autofree char *norm = NULL;

		if (one[0] == '\0')
			continue;
		norm = validate_email(one, &why);
		if (norm == NULL) {
			*why_r = g_strdup_printf("« %s » : %s", one, why);
			return -1;
		}
		g_ptr_array_add(list, g_ascii_strdown(norm, -1));
	}
	g_ptr_array_set_free_func(list, NULL);
	g_ptr_array_add(list, NULL);
	g_strfreev(c->emails);
	c->emails = (char **)g_ptr_array_free(g_steal_pointer(&list), FALSE);
	return 0;
}

int customer_field_set(customer *c, const char *field, const char *value, char **why_r)
{
	g_autofree char *v = g_strstrip(g_strdup(value ? value : ""));
	validator_fn *check = validator_of(field);
	char **slot = text_slot(c, field);

	*why_r = NULL;
	if (strcmp(field, "email") == 0)
		return set_emails(c, v, why_r);
	if (strcmp(field, "discount_pct") == 0) {
		const char *why = NULL;
		int bp = 0;

		if (v[0] != '\0' && money_parse_rate(v, &bp, &why) < 0) {
			*why_r = g_strdup_printf("« %s » : %s", v, why);
			return -1;
		}
		if (bp < 0 || bp > 10000) {
			*why_r = g_strdup_printf("« %s » : une remise va de 0 à 100 %%", v);
			return -1;
		}
		c->discount_bp = bp;
		return 0;
	}
	if (slot == NULL) {
		*why_r = g_strdup_printf("champ inconnu « %s »", field);
		return -1;
	}
	if (strcmp(field, "ref") == 0 && !is_customer_ref(v)) {
		*why_r = g_strdup_printf("« %s » : une référence client s'écrit CLI suivi d'au moins "
					 "3 chiffres (CLI042)", v);
		return -1;
	}
	if (strcmp(field, "payment_terms") == 0 && v[0] != '\0') {
		payment_terms t;
		const char *why = NULL;

		if (payment_terms_parse(v, &t, &why) < 0) {
			*why_r = g_strdup_printf("« %s » : %s", v, why);
			return -1;
		}
	}
	if (strcmp(field, "name") == 0 && v[0] == '\0') {
		*why_r = g_strdup("le nom est obligatoire");
		return -1;
	}
	if (check != NULL && v[0] != '\0') {
		const char *why = NULL;
		char *norm = check(v, &why);

		if (norm == NULL) {
			*why_r = g_strdup_printf("« %s » : %s", v, why);
			return -1;
		}
		g_free(*slot);
		*slot = norm;
		return 0;
	}
	g_free(*slot);
	*slot = v[0] != '\0' ? g_steal_pointer(&v) : NULL;
	return 0;
}

char *customer_field_get(const customer *c, const char *field)
{
	char **slot;

	if (strcmp(field, "email") == 0)
		return c->emails ? g_strjoinv(";", c->emails) : g_strdup("");
	if (strcmp(field, "discount_pct") == 0)
		return money_format_scaled(c->discount_bp, MONEY_BP);
	slot = text_slot((customer *)c, field);
	return g_strdup(slot && *slot ? *slot : "");
}

char *customer_fields_consistent(const customer *c)
{
	if (c->siret != NULL && c->vat != NULL && !validate_vat_matches_siret(c->vat, c->siret))
		return g_strdup_printf("« %s » : le SIREN du numéro de TVA n'est pas celui du SIRET %s",
				       c->vat, c->siret);
	return NULL;
}

/* Lower-case ASCII words, one space apart: how two spellings compare. */
static char *comparable(const char *s)
{
	g_autofree char *ascii = g_str_to_ascii(s, "C");
	GString *out = g_string_new(NULL);

	for (const char *p = ascii; *p; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(out, g_ascii_tolower(*p));
		else if (out->len > 0 && out->str[out->len - 1] != ' ')
			g_string_append_c(out, ' ');
	}
	if (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

char *customer_account_stem(const char *name)
{
	/* naming_slug names the nameless "inconnu": not letters of a name */
	g_autofree char *slug = name && name[0] ? naming_slug(name) : g_strdup("");
	char letters[4] = "XXX";
	int n = 0;

	for (const char *p = slug; *p && n < 3; p++) {
		if (g_ascii_isalpha(*p))
			letters[n++] = g_ascii_toupper(*p);
	}
	return g_strdup_printf("411%s", letters);
}

char *customer_field_differs(const customer *c, const char *field, const char *value)
{
	g_autoptr(customer) read = customer_new();
	g_autofree char *why = NULL;
	g_autofree char *mine = customer_field_get(c, field);
	g_autofree char *theirs = NULL;
	g_autofree char *a = NULL;
	g_autofree char *b = NULL;

	if (value == NULL || customer_field_set(read, field, value, &why) < 0)
		return NULL;
	theirs = customer_field_get(read, field);
	if (theirs[0] == '\0')
		return NULL;
	a = comparable(mine);
	b = comparable(theirs);
	return strcmp(a, b) == 0 ? NULL : g_steal_pointer(&mine);
}
