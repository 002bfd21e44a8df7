/* filing.c: the documents we send, made, rendered and filed (filing.h). */
#include "orders/filing.h"

#include "lib/dates.h"
#include "lib/error.h"
#include "lib/money.h"
#include "store/db_chain.h"
#include "store/db_intake.h"

#include <stdio.h>
#include <string.h>

#ifndef MO_TEMPLATES_SHIPPED_DIR
#define MO_TEMPLATES_SHIPPED_DIR "templates"
#endif

/* A document's values as they are recorded: a GVariant
 * (a{ss}a(saa{ss})): the named values, then each table's rows.  Built
 * here, kept in the database, and turned into the renderer's doc_values
 * at each rendering. */
typedef struct {
	GVariantBuilder values;
	GPtrArray *table_names;   /* char*, in order of first row */
	GHashTable *tables;       /* name -> GPtrArray of GVariant a{ss} (floating refs sunk) */
} snapshot;

static void snapshot_init(snapshot *s)
{
	g_variant_builder_init(&s->values, G_VARIANT_TYPE("a{ss}"));
	s->table_names = g_ptr_array_new_with_free_func(g_free);
	s->tables = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)g_ptr_array_unref);
}

static void snapshot_clear(snapshot *s)
{
	g_variant_builder_clear(&s->values);
	g_ptr_array_unref(s->table_names);
	g_hash_table_destroy(s->tables);
}

static void put(snapshot *s, const char *name, const char *text)
{
	g_variant_builder_add(&s->values, "{ss}", name, text ? text : "");
}

/* A row: name, value pairs, NULL-ended. */
G_GNUC_NULL_TERMINATED
static void row(snapshot *s, const char *table, ...)
{
	GVariantBuilder cells;
	GPtrArray *rows = g_hash_table_lookup(s->tables, table);
	va_list ap;
	const char *name;

	if (rows == NULL) {
		rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
		g_hash_table_insert(s->tables, g_strdup(table), rows);
		g_ptr_array_add(s->table_names, g_strdup(table));
	}
	g_variant_builder_init(&cells, G_VARIANT_TYPE("a{ss}"));
	va_start(ap, table);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		g_variant_builder_add(&cells, "{ss}", name, value ? value : "");
	}
	va_end(ap);
	g_ptr_array_add(rows, g_variant_ref_sink(g_variant_builder_end(&cells)));
}

/* The snapshot as recorded (consumes the builder: s is cleared after). */
static GVariant *snapshot_end(snapshot *s)
{
	GVariantBuilder tables;

	g_variant_builder_init(&tables, G_VARIANT_TYPE("a(saa{ss})"));
	for (guint i = 0; i < s->table_names->len; i++) {
		const char *name = s->table_names->pdata[i];
		GPtrArray *rows = g_hash_table_lookup(s->tables, name);
		GVariantBuilder list;

		g_variant_builder_init(&list, G_VARIANT_TYPE("aa{ss}"));
		for (guint r = 0; r < rows->len; r++)
			g_variant_builder_add_value(&list, rows->pdata[r]);
		g_variant_builder_add(&tables, "(s@aa{ss})", name, g_variant_builder_end(&list));
	}
	return g_variant_ref_sink(g_variant_new("(@a{ss}@a(saa{ss}))",
						g_variant_builder_end(&s->values),
						g_variant_builder_end(&tables)));
}

/* The renderer's values from a recorded snapshot; NULL when it is none. */
static doc_values *values_of(GVariant *v)
{
	g_autoptr(GVariant) values = NULL;
	g_autoptr(GVariant) tables = NULL;
	GVariantIter it;
	const char *name, *text;
	GVariant *rows;
	doc_values *out;

	if (!g_variant_is_of_type(v, G_VARIANT_TYPE("(a{ss}a(saa{ss}))")))
		return NULL;
	out = doc_values_new();
	g_variant_get(v, "(@a{ss}@a(saa{ss}))", &values, &tables);
	g_variant_iter_init(&it, values);
	while (g_variant_iter_next(&it, "{&s&s}", &name, &text))
		doc_values_set(out, name, text);
	g_variant_iter_init(&it, tables);
	while (g_variant_iter_next(&it, "(&s@aa{ss})", &name, &rows)) {
		GVariantIter r;
		GVariant *cells;

		g_variant_iter_init(&r, rows);
		while ((cells = g_variant_iter_next_value(&r)) != NULL) {
			g_autoptr(GPtrArray) pairs = g_ptr_array_new();
			GVariantIter c;
			const char *k, *val;

			g_variant_iter_init(&c, cells);
			while (g_variant_iter_next(&c, "{&s&s}", &k, &val)) {
				g_ptr_array_add(pairs, (gpointer)k);
				g_ptr_array_add(pairs, (gpointer)val);
			}
			g_ptr_array_add(pairs, NULL);
			doc_values_add_row(out, name, (const char *const *)pairs->pdata);
			g_variant_unref(cells);
		}
		g_variant_unref(rows);
	}
	return out;
}

/* ---------------------------------------------------------------- French formats */

/* "10 000" for a capital in whole euros, else with its cents (the
 * template writes the euro sign). */
static char *euros_round(int64_t cents)
{
	char *n = money_format_cents_fr(cents);

	if (cents % 100 == 0 && g_str_has_suffix(n, ",00"))
		n[strlen(n) - 3] = '\0';
	return n;
}

static char *qty_fr(int64_t milli)
{
	return money_format_scaled_fr(milli, MONEY_MILLI);
}

static char *rate_fr(int bp)
{
	g_autofree char *r = money_format_scaled_fr(bp, MONEY_BP);

	return g_strdup_printf("%s %%", r);
}

/* ---------------------------------------------------------------- values */

static void put_company(snapshot *s, const config *cfg)
{
	const config_company *co = &cfg->company;
	g_autofree char *siren = co->siret ? g_strndup(co->siret, 9) : NULL;
	g_autofree char *capital = co->capital_cents >= 0 ? euros_round(co->capital_cents) : NULL;

	put(s, "company.name", co->name);
	put(s, "company.address", co->address);
	put(s, "company.postcode", co->postcode);
	put(s, "company.city", co->city);
	put(s, "company.siret", co->siret);
	put(s, "company.siren", siren);
	put(s, "company.vat", co->vat);
	put(s, "company.iban", co->iban);
	put(s, "company.bic", co->bic);
	put(s, "company.bank", co->bank);
	put(s, "company.email", co->email);
	put(s, "company.phone", NULL);
	put(s, "company.website", co->website);
	put(s, "company.legal_form", co->legal_form);
	put(s, "company.capital", capital);
	put(s, "company.rcs", co->rcs);
	put(s, "company.late_penalty", co->late_penalty);
	put(s, "company.logo", co->logo);
}

static gboolean same_text(const char *a, const char *b)
{
	return g_strcmp0(a ? a : "", b ? b : "") == 0;
}

static void put_customer(snapshot *s, const customer *c)
{
	g_autofree char *siren = c->siret ? g_strndup(c->siret, 9) : NULL;
	/* printed only when it differs from the billing address */
	gboolean other = c->delivery_address != NULL &&
			 !(same_text(c->delivery_address, c->billing_address) &&
			   same_text(c->delivery_postcode, c->billing_postcode) &&
			   same_text(c->delivery_city, c->billing_city));

	put(s, "customer.ref", c->ref);
	put(s, "customer.name", c->name);
	put(s, "customer.siren", siren);
	put(s, "customer.vat", c->vat);
	put(s, "customer.billing_address", c->billing_address);
	put(s, "customer.billing_postcode", c->billing_postcode);
	put(s, "customer.billing_city", c->billing_city);
	put(s, "customer.delivery_address", other ? c->delivery_address : NULL);
	put(s, "customer.delivery_postcode", other ? c->delivery_postcode : NULL);
	put(s, "customer.delivery_city", other ? c->delivery_city : NULL);
	if (c->discount_bp > 0) {
		g_autofree char *rate = rate_fr(c->discount_bp);

		put(s, "customer.discount", rate);
	} else {
		put(s, "customer.discount", NULL);
	}
}

/* An instant of the database (UTC) as the clerk's calendar day:
 * "20/11/2026". */
static char *day_of_instant(const char *iso)
{
	g_autoptr(GDateTime) t = iso ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
	g_autoptr(GDateTime) local = t ? g_date_time_to_local(t) : NULL;

	return local ? g_date_time_format(local, "%d/%m/%Y") : date_fr(iso);
}

static void put_order(snapshot *s, const order *o)
{
	g_autofree char *created = day_of_instant(o->created_at);
	g_autofree char *po_date = date_fr(o->order_date);
	g_autofree char *wanted = date_fr(o->delivery_date);

	put(s, "order.number", o->number);
	put(s, "order.date", created);
	put(s, "order.customer_order_ref", o->customer_order_ref);
	put(s, "order.order_date", po_date);
	put(s, "order.delivery_date", wanted);
}

/* ---------------------------------------------------------------- filing */

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

/* Renders the snapshot s as kind, files it as partner's type number of
 * date (ISO), records it.  Consumes s. */
static int render_and_file(const filing *f, snapshot *s, const char *kind, const char *type,
			   const char *number, int64_t order_id, const char *partner,
			   const char *date, char **rel_r, GError **error)
{
	g_autoptr(GVariant) recorded = snapshot_end(s);
	g_autoptr(doc_values) values = values_of(recorded);
	g_autoptr(GBytes) pdf = NULL;
	g_autoptr(GBytes) kept = NULL;
	g_autoptr(GDateTime) day = NULL;
	archive_stage *stage = NULL;
	const void *data;
	gsize len = 0;
	int y = 0, m = 0, dd = 0;
	int rc = -1;

	*rel_r = NULL;
	snapshot_clear(s);
	if (doc_render(f->templates, kind, values, DOC_ORIGINAL, &pdf, error) < 0)
		return -1;
	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &dd) != 3 ||
	    (day = g_date_time_new_local(y, m, dd, 12, 0, 0)) == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "date « %s » : pas une date", date);
		return -1;
	}
	data = g_bytes_get_data(pdf, &len);
	stage = archive_stage_new(f->a, TRUE, error);
	if (stage != NULL && archive_stage_write(stage, data, len, error) == 0 &&
	    archive_stage_finish(stage, error) == 0 &&
	    archive_stage_commit(stage, partner, type, number, day, "pdf", file_taken, f->d, rel_r,
				 error) == 0) {
		kept = g_variant_get_data_as_bytes(recorded);
		rc = db_filed_insert(f->d, type, number, order_id, *rel_r, archive_stage_sha256(stage),
				     kept, error);
	}
	archive_stage_free(&stage);
	if (rc < 0 && *rel_r != NULL) {
		archive_remove(f->a, *rel_r, NULL);
		g_clear_pointer(rel_r, g_free);
	}
	return rc;
}

void order_difference_free(order_difference *x)
{
	if (x == NULL)
		return;
	g_free(x->ref);
	g_free(x->what);
	g_free(x->theirs);
	g_free(x->ours);
	g_free(x);
}

/* The VAT table and totals of lines (rate -> base), rounded once per rate. */
static void put_totals(snapshot *s, const int *rates, const int64_t *bases, guint n,
		       int64_t ht, int64_t vat)
{
	g_autofree char *t_ht = money_format_euros_fr(ht);
	g_autofree char *t_vat = money_format_euros_fr(vat);
	g_autofree char *t_ttc = money_format_euros_fr(money_add(ht, vat));

	for (guint i = 0; i < n; i++) {
		g_autofree char *r = rate_fr(rates[i]);
		g_autofree char *b = money_format_euros_fr(bases[i]);
		g_autofree char *a = money_format_euros_fr(money_apply_rate(bases[i], rates[i]));

		row(s, "vat", "rate", r, "base", b, "amount", a, NULL);
	}
	put(s, "totals.ht", t_ht);
	put(s, "totals.vat", t_vat);
	put(s, "totals.ttc", t_ttc);
}

int filing_confirmation(const filing *f, const customer *c, const order *o,
			const GPtrArray *differences, const char *date, char **rel_r,
			GError **error)
{
	snapshot s;
	int rates[16];
	int64_t bases[16];
	guint n = 0;
	g_autofree char *day = date_fr(date);

	snapshot_init(&s);
	put_company(&s, f->cfg);
	put_customer(&s, c);
	put_order(&s, o);
	put(&s, "document.date", day);
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		g_autofree char *no = g_strdup_printf("%d", l->lineno);
		g_autofree char *q = qty_fr(l->qty_milli);
		g_autofree char *pu = money_format_euros_fr(l->unit_price_cents.value);
		g_autofree char *r = rate_fr((int)l->vat_rate_bp.value);
		g_autofree char *t = money_format_euros_fr(l->line_total_cents.value);
		guint k;

		row(&s, "lines", "lineno", no, "ref", l->product_ref, "description", l->description,
		    "qty", q, "unit", l->unit, "unit_price", pu, "vat_rate", r, "total", t, NULL);
		for (k = 0; k < n && rates[k] != (int)l->vat_rate_bp.value; k++)
			;
		if (k == n && n < G_N_ELEMENTS(rates)) {
			rates[n] = (int)l->vat_rate_bp.value;
			bases[n++] = 0;
		}
		if (k < n)
			bases[k] = money_add(bases[k], l->line_total_cents.value);
	}
	put_totals(&s, rates, bases, n, o->total_ht_cents, o->total_vat_cents);
	for (guint i = 0; differences != NULL && i < differences->len; i++) {
		const order_difference *x = differences->pdata[i];
		g_autofree char *no = x->line > 0 ? g_strdup_printf("%d", x->line) : g_strdup("—");

		row(&s, "differences", "line", no, "ref", x->ref, "what", x->what, "theirs", x->theirs,
		    "ours", x->ours, NULL);
	}
	put(&s, "differences.any", differences != NULL && differences->len > 0 ? "oui" : "");
	return render_and_file(f, &s, "confirmation", "CONF", o->number, o->id, c->name, date, rel_r,
			       error);
}

int filing_delivery_note(const filing *f, const customer *c, const order *o,
			 const order_delivery *dl, char **rel_r, GError **error)
{
	snapshot s;
	g_autofree char *day = date_fr(dl->date);
	gboolean remains = FALSE;

	snapshot_init(&s);
	put_company(&s, f->cfg);
	put_customer(&s, c);
	put_order(&s, o);
	put(&s, "document.date", day);
	put(&s, "delivery.number", dl->number);
	put(&s, "delivery.date", day);
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		int64_t now = 0;

		for (guint k = 0; k < dl->lines->len; k++) {
			const delivery_line *x = &g_array_index(dl->lines, delivery_line, k);

			if (x->lineno == l->lineno)
				now += x->qty_milli;
		}
		{
			g_autofree char *no = g_strdup_printf("%d", l->lineno);
			g_autofree char *ordered = qty_fr(l->qty_milli);
			g_autofree char *before = qty_fr(l->delivered_milli - now);
			g_autofree char *shipped = qty_fr(now);
			g_autofree char *left = qty_fr(l->qty_milli - l->delivered_milli);

			if (l->qty_milli > l->delivered_milli)
				remains = TRUE;
			row(&s, "lines", "lineno", no, "ref", l->product_ref, "description",
			    l->description, "unit", l->unit, "ordered", ordered, "delivered_before",
			    before, "delivered", shipped, "remaining", left, NULL);
		}
	}
	put(&s, "delivery.remaining_any", remains ? "oui" : "");
	return render_and_file(f, &s, "delivery_note", "BL", dl->number, o->id, c->name, dl->date,
			       rel_r, error);
}

int filing_invoice(const filing *f, const customer *c, const order *o, const invoice *inv,
		   const GPtrArray *deliveries, char **rel_r, GError **error)
{
	snapshot s;
	g_autofree char *day = date_fr(inv->date);
	g_autofree char *due = date_fr(inv->due_date);
	g_autofree char *words = money_words_fr(inv->total_ttc_cents);
	g_autoptr(GString) numbers = g_string_new(NULL);
	g_autoptr(GString) dates = g_string_new(NULL);
	int rates[16];
	int64_t bases[16];
	guint n = 0;

	snapshot_init(&s);
	put_company(&s, f->cfg);
	put_customer(&s, c);
	put_order(&s, o);
	put(&s, "document.date", day);
	put(&s, "invoice.number", inv->number);
	put(&s, "invoice.date", day);
	put(&s, "invoice.due_date", due);
	put(&s, "invoice.payment_terms", inv->payment_terms);
	for (guint i = 0; i < inv->deliveries->len; i++) {
		const char *number = inv->deliveries->pdata[i];

		g_string_append_printf(numbers, "%s%s", i ? ", " : "", number);
		for (guint k = 0; deliveries != NULL && k < deliveries->len; k++) {
			const order_delivery *dl = deliveries->pdata[k];
			g_autofree char *when = NULL;

			if (strcmp(dl->number, number) != 0)
				continue;
			when = date_fr(dl->date);
			if (strstr(dates->str, when) == NULL)
				g_string_append_printf(dates, "%s%s", dates->len ? ", " : "", when);
		}
	}
	put(&s, "invoice.deliveries", numbers->str);
	put(&s, "invoice.delivery_dates", dates->str);
	put(&s, "invoice.amount_words", words);
	put(&s, "invoice.discount", "");
	for (guint i = 0; i < inv->lines->len; i++) {
		const invoice_line *l = inv->lines->pdata[i];
		g_autofree char *no = g_strdup_printf("%d", l->lineno);
		g_autofree char *q = qty_fr(l->qty_milli);
		g_autofree char *pu = money_format_euros_fr(l->unit_price_cents);
		g_autofree char *r = rate_fr(l->vat_rate_bp);
		g_autofree char *t = money_format_euros_fr(l->line_total_cents);

		row(&s, "lines", "lineno", no, "ref", l->product_ref, "description", l->description,
		    "qty", q, "unit", l->unit, "unit_price", pu, "vat_rate", r, "total", t, NULL);
	}
	for (guint i = 0; i < inv->vat->len && n < G_N_ELEMENTS(rates); i++) {
		const invoice_vat *v = &g_array_index(inv->vat, invoice_vat, i);

		rates[n] = v->rate_bp;
		bases[n++] = v->base_cents;
	}
	put_totals(&s, rates, bases, n, inv->total_ht_cents, inv->total_vat_cents);
	return render_and_file(f, &s, "invoice", "FAC", inv->number, o->id, c->name, inv->date,
			       rel_r, error);
}

GHashTable *filing_mail_values(const filing *f, const customer *c, const order *o,
			       const invoice *inv)
{
	GHashTable *out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GVariant) values = NULL;
	g_autoptr(GVariant) tables = NULL;
	GVariantIter it;
	const char *name, *text;
	snapshot s;

	snapshot_init(&s);
	put_company(&s, f->cfg);
	if (c != NULL)
		put_customer(&s, c);
	if (o != NULL) {
		g_autofree char *ttc = money_format_euros_fr(inv ? inv->total_ttc_cents : o->total_ttc_cents);

		put_order(&s, o);
		put(&s, "order.comment", o->comment);
		put(&s, "totals.ttc", ttc);
	}
	if (inv != NULL) {
		g_autofree char *day = date_fr(inv->date);
		g_autofree char *due = date_fr(inv->due_date);
		g_autoptr(GString) numbers = g_string_new(NULL);

		for (guint i = 0; i < inv->deliveries->len; i++)
			g_string_append_printf(numbers, "%s%s", i ? ", " : "",
					       (char *)inv->deliveries->pdata[i]);
		put(&s, "invoice.number", inv->number);
		put(&s, "invoice.date", day);
		put(&s, "invoice.due_date", due);
		put(&s, "invoice.payment_terms", inv->payment_terms);
		put(&s, "invoice.deliveries", numbers->str);
	}
	all = snapshot_end(&s);
	snapshot_clear(&s);
	g_variant_get(all, "(@a{ss}@a(saa{ss}))", &values, &tables);
	g_variant_iter_init(&it, values);
	while (g_variant_iter_next(&it, "{&s&s}", &name, &text))
		g_hash_table_replace(out, g_strdup(name), g_strdup(text));
	return out;
}

int filing_print(const filing *f, const char *number, doc_stamp stamp, GBytes **pdf_r,
		 char **name_r, GError **error)
{
	g_autofree char *type = NULL;
	g_autofree char *file = NULL;
	g_autoptr(GBytes) recorded = NULL;
	int found;

	*pdf_r = NULL;
	*name_r = NULL;
	found = db_filed_get(f->d, number, &type, &file, &recorded, error);
	if (found < 0)
		return -1;
	if (found == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "%s : aucun document classé de ce numéro (une confirmation porte le "
			    "numéro de sa commande : SO0001 ; un bon de livraison BL0001 ; une "
			    "facture FA2026-0001)",
			    number);
		return -1;
	}
	*name_r = g_path_get_basename(file);
	if (stamp == DOC_ORIGINAL) {
		g_autoptr(GMappedFile) map = archive_map(f->a, file, error);

		if (map == NULL)
			return -1;
		*pdf_r = g_mapped_file_get_bytes(map);
		return 0;
	}
	{
		g_autoptr(GVariant) v = g_variant_ref_sink(g_variant_new_from_bytes(
			G_VARIANT_TYPE("(a{ss}a(saa{ss}))"), recorded, FALSE));
		g_autoptr(doc_values) values = NULL;
		const char *kind = strcmp(type, "CONF") == 0 ? "confirmation"
				   : strcmp(type, "BL") == 0 ? "delivery_note"
							     : "invoice";

		if (!g_variant_is_normal_form(v) || (values = values_of(v)) == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
				    "%s : les valeurs enregistrées du document sont illisibles",
				    number);
			return -1;
		}
		return doc_render(f->templates, kind, values, stamp, pdf_r, error);
	}
}

doc_templates *filing_templates_load(const config *cfg, GError **error)
{
	g_autofree char *site = g_build_filename(cfg->dir, "templates", NULL);
	const char *dirs[] = { site, MO_TEMPLATES_SHIPPED_DIR, NULL };

	return doc_templates_load(dirs, error);
}
