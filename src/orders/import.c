/* import.c: the customer file and the catalogue from CSV (import.h). */
#include "orders/import.h"

#include "lib/csv.h"
#include "lib/error.h"
#include "lib/money.h"
#include "lib/validate.h"
#include "orders/customer_fields.h"
#include "orders/products.h"
#include "store/db_catalog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_MAX_BYTES (64 * 1024 * 1024)

static const char *const customer_columns[] = {
	"ref", "name", "email", "siret", "vat", "iban", "bank", "contact", "phone",
	"billing_address", "billing_postcode", "billing_city", "delivery_address",
	"delivery_postcode", "delivery_city", "account", "payment_terms", "discount_pct",
	NULL,
};
static const char *const customer_required[] = { "ref", "name", NULL };

static const char *const product_required[] = { "ref", "name", "unit_price", "vat_rate", NULL };

typedef struct {
	const char *file;
	gboolean products;
	GPtrArray *header;       /* column names, in file order */
	GPtrArray *typed;        /* the header's names as the file writes them */
	int col[32];             /* index of each known column in the file, or -1 */
	GPtrArray *records;      /* customer* or product* */
	GHashTable *refs;        /* ref -> line of first occurrence */
	GHashTable *accounts;    /* customer account -> line of first occurrence */
	GString *errors;
	int nerrors;
	GString *notes;          /* import_outcome's */
	gboolean latin1;         /* the file is Windows-1252: converted as it is read */
} import_ctx;

G_GNUC_PRINTF(4, 5)
static void row_error(import_ctx *ic, guint line, const char *field, const char *fmt, ...)
{
	va_list ap;

	ic->nerrors++;
	if (ic->nerrors > IMPORT_MAX_PROBLEMS)
		return;
	if (line > 0)
		g_string_append_printf(ic->errors, "%s:%u: ", ic->file, line);
	else
		g_string_append_printf(ic->errors, "%s: ", ic->file);
	/* FILE:LINE: field: why, as the contract writes it (scripts read it) */
	if (field != NULL)
		g_string_append_printf(ic->errors, "%s: ", field);
	va_start(ap, fmt);
	g_string_append_vprintf(ic->errors, fmt, ap);
	va_end(ap);
	/* the clerk looks for the column by the name the file gives it */
	for (guint i = 0; field != NULL && ic->header != NULL && i < ic->header->len; i++) {
		const char *typed = ic->typed->pdata[i];

		if (strcmp(ic->header->pdata[i], field) == 0 && g_ascii_strcasecmp(typed, field) != 0)
			g_string_append_printf(ic->errors, " (colonne « %s » du fichier)", typed);
	}
	g_string_append_c(ic->errors, '\n');
}

/* The parser's own error, at the line where it found it. */
static void csv_problem(import_ctx *ic, const csv_parser *p)
{
	guint line = 0;
	const char *why = csv_parser_error(p, &line);

	row_error(ic, line, NULL, "%s", why ? why : "fichier CSV illisible");
}

static const char *const *columns_of(import_ctx *ic)
{
	return ic->products ? product_fields() : customer_columns;
}

static int column_index(import_ctx *ic, const char *name)
{
	const char *const *cols = columns_of(ic);

	for (int i = 0; cols[i] != NULL; i++) {
		if (strcmp(cols[i], name) == 0)
			return i;
	}
	return -1;
}

/* The trimmed value of a known column in a record, "" when absent. */
static const char *cell(import_ctx *ic, char **fields, const char *name)
{
	int k = column_index(ic, name);
	int at = k >= 0 ? ic->col[k] : -1;

	return at >= 0 ? fields[at] : "";
}

/* The French names a spreadsheet's header may give a column (accents,
 * case and punctuation aside: "Code postal (facturation)" is
 * "code postal facturation"), besides the labels `customer show` and
 * `product show` print (customer_field_label, product_field_label). */
static const struct {
	gboolean products;
	const char *alias, *column;
} column_aliases[] = {
	{ FALSE, "ref", "ref" },                 { FALSE, "reference", "ref" },
	{ FALSE, "code client", "ref" },         { FALSE, "ville", "billing_city" },
	{ FALSE, "code postal", "billing_postcode" }, { FALSE, "cp", "billing_postcode" },
	{ FALSE, "adresse", "billing_address" }, { FALSE, "n de tva", "vat" },
	{ FALSE, "ref client", "ref" },          { FALSE, "nom", "name" },
	{ FALSE, "raison sociale", "name" },     { FALSE, "client", "name" },
	{ FALSE, "e mail", "email" },            { FALSE, "courriel", "email" },
	{ FALSE, "mail", "email" },              { FALSE, "tva", "vat" },
	{ FALSE, "n tva", "vat" },               { FALSE, "numero de tva", "vat" },
	{ FALSE, "tva intracommunautaire", "vat" }, { FALSE, "banque", "bank" },
	{ FALSE, "telephone", "phone" },         { FALSE, "tel", "phone" },
	{ FALSE, "adresse de facturation", "billing_address" },
	{ FALSE, "adresse facturation", "billing_address" },
	{ FALSE, "code postal facturation", "billing_postcode" },
	{ FALSE, "cp facturation", "billing_postcode" },
	{ FALSE, "ville facturation", "billing_city" },
	{ FALSE, "adresse de livraison", "delivery_address" },
	{ FALSE, "adresse livraison", "delivery_address" },
	{ FALSE, "code postal livraison", "delivery_postcode" },
	{ FALSE, "cp livraison", "delivery_postcode" },
	{ FALSE, "ville livraison", "delivery_city" },
	{ FALSE, "compte", "account" },          { FALSE, "compte comptable", "account" },
	{ FALSE, "conditions de paiement", "payment_terms" },
	{ FALSE, "conditions de reglement", "payment_terms" },
	{ FALSE, "reglement", "payment_terms" }, { FALSE, "remise", "discount_pct" },
	{ TRUE, "ref", "ref" },                  { TRUE, "reference", "ref" },
	{ TRUE, "ref produit", "ref" },
	{ TRUE, "code article", "ref" },         { TRUE, "designation", "name" },
	{ TRUE, "nom", "name" },                 { TRUE, "libelle", "name" },
	{ TRUE, "prix", "unit_price" },          { TRUE, "prix unitaire", "unit_price" },
	{ TRUE, "prix ht", "unit_price" },       { TRUE, "prix unitaire ht", "unit_price" },
	{ TRUE, "pu ht", "unit_price" },         { TRUE, "tva", "vat_rate" },
	{ TRUE, "taux de tva", "vat_rate" },     { TRUE, "taux tva", "vat_rate" },
	{ TRUE, "unite", "unit" },
};

/* A header name as the aliases are written: lower case, no accents, words
 * separated by one space. */
static char *alias_key(const char *name)
{
	g_autofree char *folded = g_utf8_casefold(name, -1);
	g_autofree char *plain = g_utf8_normalize(folded, -1, G_NORMALIZE_NFD);
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;

	for (const char *p = plain; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_ismark(c))
			continue;
		if (g_unichar_isalnum(c)) {
			if (space && out->len > 0)
				g_string_append_c(out, ' ');
			g_string_append_unichar(out, c);
			space = FALSE;
		} else {
			space = TRUE;
		}
	}
	return g_string_free(out, FALSE);
}

/* The contract's column a header name stands for: itself, or a French
 * alias's (owned). */
static char *column_named(import_ctx *ic, const char *name)
{
	g_autofree char *key = NULL;

	if (column_index(ic, name) >= 0)
		return g_strdup(name);
	key = alias_key(name);
	for (size_t i = 0; i < G_N_ELEMENTS(column_aliases); i++) {
		if (column_aliases[i].products == ic->products &&
		    strcmp(column_aliases[i].alias, key) == 0)
			return g_strdup(column_aliases[i].column);
	}
	for (const char *const *col = columns_of(ic); *col != NULL; col++) {
		g_autofree char *label = alias_key(ic->products ? product_field_label(*col)
							       : customer_field_label(*col));

		if (strcmp(label, key) == 0)
			return g_strdup(*col);
	}
	return g_strdup(name);
}

static gboolean read_header(import_ctx *ic, guint line, char **fields, guint n)
{
	const char *const *cols = columns_of(ic);
	const char *const *required = ic->products ? product_required : customer_required;
	gboolean ok = TRUE;

	for (int i = 0; i < 32; i++)
		ic->col[i] = -1;
	ic->header = g_ptr_array_new_with_free_func(g_free);
	ic->typed = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		const char *typed = g_strstrip(fields[i]);
		g_autofree char *lower = g_ascii_strdown(typed, -1);
		g_autofree char *name = column_named(ic, lower);
		int k = column_index(ic, name);

		if (k < 0) {
			g_autofree char *known = g_strjoinv(",", (char **)cols);

			row_error(ic, line, NULL, "colonne inconnue « %s » (les colonnes sont : %s)", typed,
				  known);
			ok = FALSE;
		} else if (ic->col[k] >= 0) {
			row_error(ic, line, NULL, "colonne « %s » en double : « %s » et « %s »", name,
				  (char *)ic->typed->pdata[ic->col[k]], typed);
			ok = FALSE;
		} else {
			ic->col[k] = (int)i;
		}
		g_ptr_array_add(ic->header, g_steal_pointer(&name));
		g_ptr_array_add(ic->typed, g_strdup(typed));
	}
	for (int i = 0; required[i] != NULL; i++) {
		if (ic->col[column_index(ic, required[i])] < 0) {
			row_error(ic, line, NULL, "colonne obligatoire « %s » absente", required[i]);
			ok = FALSE;
		}
	}
	return ok;
}

static gboolean check_ref_unique(import_ctx *ic, guint line, const char *ref)
{
	gpointer first;

	if (g_hash_table_lookup_extended(ic->refs, ref, NULL, &first)) {
		row_error(ic, line, "ref", "« %s » figure déjà ligne %u", ref,
			  GPOINTER_TO_UINT(first));
		return FALSE;
	}
	g_hash_table_insert(ic->refs, g_strdup(ref), GUINT_TO_POINTER(line));
	return TRUE;
}

static void read_customer(import_ctx *ic, guint line, char **f)
{
	g_autoptr(customer) c = customer_new();
	g_autofree char *inconsistent = NULL;
	gboolean ok = TRUE;

	for (const char *const *field = customer_fields(); *field != NULL; field++) {
		g_autofree char *why = NULL;

		if (customer_field_set(c, *field, cell(ic, f, *field), &why) < 0) {
			row_error(ic, line, *field, "%s", why);
			ok = FALSE;
		}
	}
	if (c->ref != NULL && !check_ref_unique(ic, line, c->ref))
		ok = FALSE;
	if (c->account != NULL) {
		gpointer first;

		if (g_hash_table_lookup_extended(ic->accounts, c->account, NULL, &first)) {
			row_error(ic, line, "account", "« %s » est déjà le compte de la ligne %u",
				  c->account, GPOINTER_TO_UINT(first));
			ok = FALSE;
		} else {
			g_hash_table_insert(ic->accounts, g_strdup(c->account),
					    GUINT_TO_POINTER(line));
		}
	}
	inconsistent = customer_fields_consistent(c);
	if (inconsistent != NULL) {
		row_error(ic, line, "vat", "%s", inconsistent);
		ok = FALSE;
	}
	if (ok)
		g_ptr_array_add(ic->records, g_steal_pointer(&c));
}

static void read_product(import_ctx *ic, guint line, char **f)
{
	g_autoptr(product) p = product_new();
	const char *ref = cell(ic, f, "ref");
	gboolean ok = TRUE;

	if (!product_ref_valid(ref)) {
		row_error(ic, line, "ref", "« %s » : une référence produit a de 1 à 32 lettres, "
					   "chiffres ou - _ . /", ref);
		ok = FALSE;
	} else if (!check_ref_unique(ic, line, ref)) {
		ok = FALSE;
	}
	p->ref = g_strdup(ref);
	for (const char *const *field = product_fields() + 1; *field != NULL; field++) {
		const char *v = cell(ic, f, *field);
		g_autofree char *why = NULL;

		/* an empty stock or unit is none: 0, no unit */
		if ((strcmp(*field, "stock") == 0 || strcmp(*field, "unit") == 0) && v[0] == '\0')
			continue;
		if (product_field_set(p, *field, v, &why) < 0) {
			row_error(ic, line, *field, "%s", why);
			ok = FALSE;
		}
	}
	if (ok)
		g_ptr_array_add(ic->records, g_steal_pointer(&p));
}

static int on_record(guint line, char **fields, guint n, void *ctx)
{
	import_ctx *ic = ctx;

	if (ic->header == NULL) {
		if (!read_header(ic, line, fields, n))
			return -1;  /* every row would be misread */
		return 0;
	}
	if (n != ic->header->len) {
		row_error(ic, line, NULL, "%u champs, mais l'en-tête a %u colonnes", n,
			  ic->header->len);
		return 0;
	}
	for (guint i = 0; i < n; i++) {
		/* what our export neutralised for spreadsheets comes back as it was */
		csv_cell_unescape(fields[i]);
		g_strstrip(fields[i]);
	}
	if (ic->products)
		read_product(ic, line, fields);
	else
		read_customer(ic, line, fields);
	return 0;
}

/* TRUE when data holds a sequence of two bytes or more that is UTF-8: a
 * file that has one is UTF-8 with a stray byte, not Windows-1252. */
static gboolean has_utf8_sequence(const char *data, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		const char *end = NULL;
		guchar c = (guchar)data[i];
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;

		if (need > 0 && i + need <= len && g_utf8_validate(data + i, (gssize)need, &end))
			return TRUE;
	}
	return FALSE;
}

/* What the first piece of the file says of it: its separator (a French
 * spreadsheet writes ';'), and whether it is Windows-1252 (Latin-1)
 * rather than UTF-8: no BOM, bytes that are not UTF-8 (those a full
 * piece cuts at its end aside) and no UTF-8 sequence at all.  A UTF-8
 * file with a stray byte stays UTF-8: the parser names the byte's line.
 * What was guessed goes to the notes. */
static void guess_format(import_ctx *ic, csv_parser *p, const char *data, size_t len,
			 gboolean whole)
{
	const char *bad = NULL;
	gboolean bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	char sep = csv_guess_separator(bom ? data + 3 : data, bom ? len - 3 : len);

	if (!bom && !g_utf8_validate(data, (gssize)len, &bad) &&
	    (whole || (size_t)(bad - data) + 4 < len) && !has_utf8_sequence(data, len)) {
		ic->latin1 = TRUE;
		g_string_append_printf(ic->notes,
				       "%s : lu en Windows-1252 (Latin-1), pas en UTF-8 : vérifiez "
				       "les accents, ou enregistrez-le en « CSV UTF-8 »\n",
				       ic->file);
	}
	if (sep != ',') {
		csv_parser_set_separator(p, sep);
		g_string_append_printf(ic->notes, "%s : colonnes séparées par « %c »\n", ic->file,
				       sep);
	}
}

/* Streams the file through the CSV parser, 64 KiB at a time. */
static int parse_file(import_ctx *ic, const char *path, GError **error)
{
	g_autoptr(GError) csv_err = NULL;
	csv_parser *p;
	char buf[65536];
	size_t total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible d'ouvrir %s : %s", path,
			    mo_strerror(errno));
		return -1;
	}
	p = csv_parser_new(on_record, ic);
	for (gboolean guessed = FALSE;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		g_autofree char *converted = NULL;
		const char *data = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de lire %s : %s", path,
				    mo_strerror(errno));
			rc = -1;
			break;
		}
		total += (size_t)n;
		if (total > IMPORT_MAX_BYTES) {
			row_error(ic, 0, NULL, "fichier de plus de %d Mo", IMPORT_MAX_BYTES >> 20);
			break;
		}
		if (n == 0) {
			if (csv_parser_finish(p, &csv_err) < 0 && csv_err != NULL)
				csv_problem(ic, p);
			break;
		}
		if (!guessed && n > 0) {
			/* a piece shorter than the buffer is the whole file */
			guess_format(ic, p, buf, (size_t)n, (size_t)n < sizeof(buf));
			guessed = TRUE;
		}
		if (ic->latin1) {
			gsize written = 0;

			/* one byte a character: a piece converts on its own */
			converted = g_convert(buf, n, "UTF-8", "WINDOWS-1252", NULL, &written, NULL);
			if (converted == NULL) {
				row_error(ic, 0, NULL, "ni UTF-8, ni Windows-1252 (Latin-1) : "
						       "enregistrez le fichier en UTF-8");
				break;
			}
			data = converted;
			n = (ssize_t)written;
		}
		if (csv_parser_feed(p, data, (size_t)n, &csv_err) < 0) {
			if (csv_err != NULL)
				csv_problem(ic, p);
			break;
		}
	}
	csv_parser_free(p);
	close(fd);
	if (rc == 0 && ic->header == NULL && ic->nerrors == 0)
		row_error(ic, 1, NULL, "fichier vide : la première ligne doit donner les colonnes");
	return rc;
}

/* A customer upserted, each field it changes recorded in its history (the
 * file is the customer file's, whoever edits it). */
static int import_customer(db *d, customer *c, gboolean *is_new_r, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(customer) before = db_customer_by_ref(d, c->ref, &err);
	g_autoptr(customer) after = NULL;
	g_autofree char *who = g_strdup_printf("%s (import)", g_get_user_name());

	if (err != NULL || db_customer_upsert(d, c, is_new_r, &err) < 0 ||
	    (after = db_customer_by_ref(d, c->ref, &err)) == NULL) {
		if (err == NULL)
			g_set_error(&err, MO_ERROR, MO_ERROR_FAILED, "%s a disparu pendant l'import", c->ref);
		g_propagate_error(error, g_steal_pointer(&err));
		return -1;
	}
	for (const char *const *f = customer_fields(); *f != NULL; f++) {
		g_autofree char *old = before ? customer_field_get(before, *f) : g_strdup("");
		g_autofree char *now = customer_field_get(after, *f);

		if (strcmp(old, now) != 0 && !(before == NULL && strcmp(now, "0") == 0) &&
		    db_customer_history_add(d, after->id, who, *f, old, now, error) < 0)
			return -1;
	}
	return 0;
}

/* After the upserts: an account the file gives to a customer that another
 * customer has too (in the file or out of it) is refused; one that two
 * customers shared before accounts were checked, and the file does not
 * give, is not the file's fault.  Each goes to the problems; -1 on error. */
static int shared_accounts(db *d, import_ctx *ic, GError **error)
{
	g_autoptr(GPtrArray) shared = db_customer_accounts_shared(d, error);

	if (shared == NULL)
		return -1;
	for (guint i = 0; i < shared->len; i++) {
		char **pair = shared->pdata[i];

		if (g_hash_table_contains(ic->accounts, pair[0]))
			row_error(ic, 0, "account", "« %s » serait le compte de %s", pair[0], pair[1]);
	}
	return 0;
}

static void import_ctx_clear(import_ctx *ic)
{
	if (ic->header)
		g_ptr_array_unref(ic->header);
	if (ic->typed)
		g_ptr_array_unref(ic->typed);
	g_ptr_array_unref(ic->records);
	g_hash_table_destroy(ic->refs);
	g_hash_table_destroy(ic->accounts);
}

void import_outcome_clear(import_outcome *out)
{
	if (out->problems != NULL)
		g_string_free(out->problems, TRUE);
	out->problems = NULL;
	if (out->notes != NULL)
		g_string_free(out->notes, TRUE);
	out->notes = NULL;
}

int import_csv(db *d, import_kind kind, const char *path, import_outcome *out, GError **error)
{
	import_ctx ic = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->problems = g_string_new(NULL);
	out->notes = g_string_new(NULL);
	ic.notes = out->notes;
	ic.file = path;
	ic.products = kind == IMPORT_PRODUCTS;
	ic.records = g_ptr_array_new_with_free_func(
		ic.products ? (GDestroyNotify)product_free : (GDestroyNotify)customer_free);
	ic.refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ic.accounts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ic.errors = out->problems;
	if (parse_file(&ic, path, error) < 0)
		goto out;
	if (ic.nerrors > 0)
		goto refused;
	if (db_begin(d, error) < 0)
		goto out;
	for (guint i = 0; i < ic.records->len; i++) {
		gboolean is_new = FALSE;

		if ((ic.products ? db_product_upsert(d, ic.records->pdata[i], &is_new, error)
				 : import_customer(d, ic.records->pdata[i], &is_new, error)) < 0) {
			db_rollback(d);
			goto out;
		}
		if (is_new)
			out->created++;
		else
			out->updated++;
	}
	if (!ic.products && shared_accounts(d, &ic, error) < 0) {
		db_rollback(d);
		goto out;
	}
	if (ic.nerrors > 0) {
		db_rollback(d);
		out->created = out->updated = 0;
		goto refused;
	}
	if (db_commit(d, error) < 0)
		goto out;
	rc = 0;
	goto out;
refused:
	out->nproblems = ic.nerrors;
	g_set_error(error, MO_ERROR, MO_ERROR_REFUSED, "%s : %d problème%s, rien n'est importé",
		    path, ic.nerrors, ic.nerrors > 1 ? "s" : "");
out:
	import_ctx_clear(&ic);
	return rc;
}
