/* drafts.c: a draft order from what a document says (drafts.h). */
#include "orders/drafts.h"

#include "lib/money.h"
#include "lib/text.h"
#include "orders/customer_fields.h"
#include "orders/customers.h"
#include "orders/line_match.h"
#include "orders/order.h"
#include "reading/ocr.h"
#include "store/db_catalog.h"
#include "store/db_order.h"

#include <string.h>

/* A number as a PO prints it, scaled; absent when not printed or
 * unreadable.  A PO's negative number (a discount line, "-5,00") is
 * absent too, as intake has always read it: a credit on a PO is a thing
 * the order chain will decide how to take, not one to guess here. */
static char decimal_mark_of(const char *s);

/* s without the zeros past scale decimals after its mark ("4.950" ->
 * "4.95"), or NULL when it has no such zeros (or other digits there).
 * Owned. */
static char *without_extra_zeros(const char *s, int scale, char decimal)
{
	char *out = g_strdup(s);
	char *mark = strrchr(out, decimal);
	char *end = mark;

	while (end != NULL && g_ascii_isdigit(end[1]))
		end++;
	if (end == NULL || end - mark <= scale) {
		g_free(out);
		return NULL;
	}
	while (end - mark > scale && *end == '0')
		end--;
	if (end - mark > scale) {
		g_free(out);
		return NULL;
	}
	end[1] = '\0';   /* a unit after the number goes too: "4.950 €" */
	return out;
}

static maybe_amount read_amount(const char *s, int scale, char decimal, char thousands)
{
	g_autofree char *trimmed = NULL;
	int64_t v;

	if (s == NULL)
		return AMOUNT_ABSENT;
	if (money_parse_printed(s, scale, decimal, thousands, &v) < 0) {
		/* "4.950" from software that prints three decimals: the zeros
		 * beyond the scale say nothing; "3.20" in a form's field as a
		 * person typed it, on a form whose rule prints "3,20": the
		 * other mark, when the number can only mean it so (two
		 * decimals, not a group of three) */
		if (decimal == 0)
			return AMOUNT_ABSENT;
		char other = decimal == ',' ? '.' : ',';

		trimmed = without_extra_zeros(s, scale, decimal);
		if ((trimmed == NULL || money_parse_printed(trimmed, scale, decimal, thousands, &v) < 0) &&
		    (decimal_mark_of(s) != other || money_parse_printed(s, scale, other, ' ', &v) < 0))
			return AMOUNT_ABSENT;
	}
	if (v < 0)
		return AMOUNT_ABSENT;
	return amount_of(v);
}

/* What one printed number says of the document's decimal mark: '.' or
 * ',' when it can only be that ("99.00", "4,95", "0.950", "1.249,00"),
 * 0 when it says nothing ("12", "1 200", "4.950" may be either). */
static char decimal_mark_of(const char *s)
{
	const char *start = s, *end, *last = NULL;
	gboolean dot = FALSE, comma = FALSE;
	size_t after;

	while (*start && !g_ascii_isdigit(*start))
		start++;
	for (end = start; g_ascii_isdigit(*end) || *end == '.' || *end == ','; end++) {
		if (*end == '.' || *end == ',') {
			dot |= *end == '.';
			comma |= *end == ',';
			last = end;
		}
	}
	while (end > start && !g_ascii_isdigit(end[-1]))
		end--;
	if (last == NULL || last >= end)
		return 0;
	if (dot && comma)
		return *last;   /* both: the last one is the decimal mark */
	after = (size_t)(end - last - 1);
	if (after != 3)
		return *last;   /* "99.00", "12.5": no thousands group is two long */
	if (last == start + 1 && start[0] == '0')
		return *last;   /* "0.950": no number begins with a thousands group of 0 */
	return 0;
}

/* The document's own way of writing numbers, decided once from all its
 * amounts (issue "Intake IV"): a listing whose prices are "4.950" and
 * "99.00" writes "15.000" for fifteen, not fifteen thousand.  Nothing
 * decided (0) when its numbers say nothing, or say both. */
static char document_decimal_mark(const reading *rd)
{
	static const char *const totals[] = { "total_ht", "total_ttc" };
	gboolean dot = FALSE, comma = FALSE;

	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *rl = rd->lines->pdata[i];
		const char *cells[] = { rl->qty, rl->unit_price, rl->line_total };

		for (size_t k = 0; k < G_N_ELEMENTS(cells); k++) {
			char m = cells[k] ? decimal_mark_of(cells[k]) : 0;

			dot |= m == '.';
			comma |= m == ',';
		}
	}
	for (size_t k = 0; k < G_N_ELEMENTS(totals); k++) {
		const char *v = g_hash_table_lookup(rd->fields, totals[k]);
		char m = v ? decimal_mark_of(v) : 0;

		dot |= m == '.';
		comma |= m == ',';
	}
	return dot == comma ? 0 : dot ? '.' : ',';
}

/* "le téléphone : fiche « … », bon de commande « … » ; …": what the PO
 * shows of a known customer that its file says otherwise; NULL when
 * nothing differs.  Owned. */
static char *customer_data_differences(const customer *c, GHashTable *data)
{
	g_autoptr(GString) out = g_string_new(NULL);

	for (const char *const *f = customer_document_fields(); data != NULL && *f != NULL; f++) {
		const char *field = *f;
		const char *v = g_hash_table_lookup(data, field);
		g_autofree char *mine = v ? customer_field_differs(c, field, v) : NULL;

		if (mine != NULL)
			g_string_append_printf(out, "%s%s : fiche « %s », bon de commande « %s »",
					       out->len ? " ; " : "", field, mine[0] ? mine : "—", v);
	}
	return out->len ? g_strdup(out->str) : NULL;
}

/* How sure of the fields read (the totals' is the draft's: whether
 * the lines add up to them). */
static void fields_confidence(const reader_layout *lay, const reading *rd, gboolean ocr,
			      GPtrArray *out)
{
	static const char *const fields[] = { "customer_order_ref", "order_date", "delivery_date" };

	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		const char *v = g_hash_table_lookup(rd->fields, fields[i]);
		const reader_note *n = g_hash_table_lookup(rd->notes, fields[i]);

		if (v == NULL)
			continue;
		g_ptr_array_add(out, confidence_field_read(fields[i], v, n ? n->sureness : 50,
							   n ? n->why : NULL,
							   ocr ? reader_field_confidence(lay, v) : 100));
	}
}

/* The fields a rule read that name the customer, one per line; NULL for
 * none. */
static char *fields_naming_customer(const reading *rd)
{
	static const char *const names[] = { "customer_name", "siret", "vat" };
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *v = g_hash_table_lookup(rd->fields, names[i]);

		if (v != NULL)
			g_string_append_printf(out, "%s %s\n",
					       strcmp(names[i], "vat") == 0 ? "TVA" : "", v);
	}
	return out->len ? g_string_free(out, FALSE) : (g_string_free(out, TRUE), NULL);
}

/* "n° de commande, date de commande, 7 lignes": what the generic reader
 * read (rd->generic), for the clerk to look at twice; NULL for nothing. */
static char *generic_summary(const reading *rd, guint n_lines)
{
	static const struct {
		const char *field, *fr;
	} names[] = {
		{ "customer_order_ref", "n° de commande" }, { "order_date", "date de commande" },
		{ "delivery_date", "date de livraison" }, { "total_ht", "total HT" },
		{ "total_vat", "TVA" }, { "total_ttc", "total TTC" }, { "customer_name", "client" },
		{ "siret", "SIRET" }, { "vat", "n° de TVA" },
	};
	g_autoptr(GString) what = g_string_new(NULL);

	for (guint i = 0; i < rd->generic->len; i++) {
		const char *name = rd->generic->pdata[i];
		g_autofree char *lines = NULL;
		const char *fr = name;

		if (strcmp(name, "lines") == 0) {
			lines = g_strdup_printf("%u ligne%s", n_lines, n_lines > 1 ? "s" : "");
			fr = lines;
		}
		for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
			if (strcmp(names[k].field, name) == 0)
				fr = names[k].fr;
		}
		g_string_append_printf(what, "%s%s", what->len ? ", " : "", fr);
	}
	return what->len ? g_strdup(what->str) : NULL;
}

draft_source *draft_source_new(const config *cfg, const document_reading *doc)
{
	draft_source *pp = g_new0(draft_source, 1);
	const page_content *content = doc->content;
	const reader_layout *lay = doc->layout;
	const reading *rd = doc->reading;
	const rule *r = rd->rule;
	char dec = r ? r->decimal_separator : 0, thou = r ? r->thousands_separator : 0;

	/* a rule that says nothing of numbers: the document's own way */
	if (dec == 0 && thou == 0)
		dec = rd->decimal_mark ? rd->decimal_mark : document_decimal_mark(rd);
	pp->text = g_strdup(doc->text_but_lines);
	pp->named = fields_naming_customer(rd);
	pp->customer_data = customers_shown_in(cfg, rd, pp->text);
	pp->pages = content->n_pages;
	pp->ocr_pages = (int)content->ocr_read->len;
	pp->ocr_skipped = (int)content->ocr_not_read->len;
	pp->ocr_read = text_pages_fr(content->ocr_read);
	pp->ocr_not_read = text_pages_fr(content->ocr_not_read);
	pp->ocr_problem = g_strdup(content->ocr_problem);
	pp->confidence = g_ptr_array_new_with_free_func((GDestroyNotify)field_confidence_free);
	fields_confidence(lay, rd, pp->ocr_pages > 0, pp->confidence);
	pp->line_reads = g_array_new(FALSE, TRUE, sizeof(confidence_line));
	g_array_set_clear_func(pp->line_reads, (GDestroyNotify)confidence_line_clear);
	pp->customer_order_ref = g_strdup(g_hash_table_lookup(rd->fields, "customer_order_ref"));
	pp->order_date = reader_date(r, g_hash_table_lookup(rd->fields, "order_date"));
	pp->delivery_date = reader_date(r, g_hash_table_lookup(rd->fields, "delivery_date"));
	pp->printed_ht = read_amount(g_hash_table_lookup(rd->fields, "total_ht"), MONEY_CENTS, dec,
				     thou);
	pp->printed_ttc = read_amount(g_hash_table_lookup(rd->fields, "total_ttc"), MONEY_CENTS,
				      dec, thou);
	pp->lines = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	for (guint i = 0; i < rd->lines->len; i++) {
		const reader_line *rl = rd->lines->pdata[i];
		maybe_amount qty = read_amount(rl->qty, MONEY_MILLI, dec, thou);
		maybe_amount printed_total;
		confidence_line cl;
		int ocr[CONFIDENCE_CELLS];
		order_line *l;

		/* no quantity, no line */
		if (!qty.known)
			continue;
		l = order_line_new();
		l->customer_ref = g_strdup(rl->ref);
		l->description = g_strdup(rl->description);
		l->qty_milli = qty.value;
		l->unit_price_cents = read_amount(rl->unit_price, MONEY_CENTS, dec, thou);
		l->line_total_cents = read_amount(rl->line_total, MONEY_CENTS, dec, thou);
		printed_total = l->line_total_cents;
		if (!l->line_total_cents.known && l->unit_price_cents.known)
			l->line_total_cents =
				amount_of(money_line_total(l->unit_price_cents.value, l->qty_milli));
		g_ptr_array_add(pp->lines, l);
		if (pp->ocr_pages > 0)
			reader_cell_confidence(lay, rl, ocr);
		confidence_line_read(&cl, rl, l, printed_total, pp->ocr_pages > 0 ? ocr : NULL);
		g_array_append_val(pp->line_reads, cl);
	}
	pp->generic = generic_summary(rd, pp->lines->len);
	pp->rule = r ? g_path_get_basename(r->path) : NULL;
	return pp;
}

void draft_source_free(draft_source *pp)
{
	if (pp == NULL)
		return;
	g_free(pp->customer_order_ref);
	g_free(pp->order_date);
	g_free(pp->delivery_date);
	g_free(pp->generic);
	g_free(pp->rule);
	g_free(pp->text);
	g_free(pp->named);
	if (pp->customer_data != NULL)
		g_hash_table_unref(pp->customer_data);
	g_free(pp->ocr_problem);
	g_free(pp->ocr_read);
	g_free(pp->ocr_not_read);
	if (pp->confidence != NULL)
		g_ptr_array_unref(pp->confidence);
	if (pp->line_reads != NULL)
		g_array_unref(pp->line_reads);
	if (pp->lines != NULL)
		g_ptr_array_unref(pp->lines);
	g_free(pp);
}


/* The customer: the document's sender (the innermost known one: a
 * colleague may forward a customer's mail), else the one the document
 * itself names (*found_r says how). */
static int find_customer(db *d, match_customers **customers, const char *sender,
			 const char *message_from, const draft_source *pp, customer **c_r,
			 customer_found *found_r, GError **error)
{
	g_autoptr(GError) err = NULL;
	const customer *named;

	*c_r = sender ? db_customer_by_email(d, sender, &err) : NULL;
	if (*c_r == NULL && err == NULL && message_from != NULL &&
	    g_strcmp0(sender, message_from) != 0)
		*c_r = db_customer_by_email(d, message_from, &err);
	if (err != NULL) {
		g_propagate_error(error, g_steal_pointer(&err));
		return -1;
	}
	if (*c_r != NULL || pp->text == NULL)
		return 0;
	if (*customers == NULL) {
		GPtrArray *all = db_customers_all(d, error);

		if (all == NULL)
			return -1;
		*customers = match_customers_new(all);
	}
	named = pp->named ? match_customer_in_text(*customers, pp->named, found_r) : NULL;
	if (named == NULL)
		named = match_customer_in_text(*customers, pp->text, found_r);
	if (named != NULL) {
		*c_r = db_customer_by_id(d, named->id, &err);
		if (*c_r == NULL) {
			if (err != NULL) {
				g_propagate_error(error, g_steal_pointer(&err));
				return -1;
			}
			*found_r = CUSTOMER_FOUND_NONE;
		}
	}
	return 0;
}


/* An order number that is one of our references (a web shop's
 * "Référence" label is also its lines'): hardly their PO number. */
static void order_ref_not_a_product(const match_catalogue *cat, const order *o,
				    GPtrArray *confidence)
{
	match_kind how = MATCH_NONE;
	const product *p = o->customer_order_ref
				   ? match_product(cat, o->customer_order_ref, NULL, &how)
				   : NULL;

	for (guint i = 0; p != NULL && how == MATCH_REF && i < confidence->len; i++) {
		field_confidence *f = confidence->pdata[i];
		char *why;

		if (strcmp(f->field, "customer_order_ref") != 0)
			continue;
		why = g_strdup_printf("%s%sc'est la référence de notre produit %s",
				      f->why ? f->why : "", f->why ? " ; " : "", p->name);
		g_free(f->why);
		f->why = why;
		f->confidence = MIN(f->confidence, 30);
	}
}

/* How sure of the customer: its sender's address is in the customer
 * file, or the document names it (found). */
static field_confidence *customer_confidence(gboolean known, customer_found found)
{
	g_autofree char *why = NULL;

	if (!known)
		return field_confidence_new("customer", 0, "client inconnu");
	if (found == CUSTOMER_FOUND_NONE)
		return field_confidence_new("customer", 100, "l'expéditeur est dans sa fiche");
	why = g_strdup_printf("%s lu dans le document", customer_found_fr(found));
	return field_confidence_new("customer", found == CUSTOMER_FOUND_NAME ? 70 : 90, why);
}

int draft_make(db *d, const match_catalogue *catalogue, match_customers **customers,
	       draft_source *pp, const char *sender, const char *message_from, const char *number,
	       order **o_r, customer **c_r, GError **error)
{
	g_autoptr(customer) c = NULL;
	g_autoptr(order) o = NULL;
	customer_found found = CUSTOMER_FOUND_NONE;
	g_autoptr(GPtrArray) products = g_ptr_array_new();
	/* line number -> the closest product, when not close enough to be it */
	g_autoptr(GHashTable) guesses = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer key, value;
	g_autofree char *same_po = NULL;

	*o_r = NULL;
	*c_r = NULL;
	if (find_customer(d, customers, sender, message_from, pp, &c, &found, error) < 0)
		return -1;
	for (guint i = 0; i < pp->lines->len; i++) {
		order_line *l = pp->lines->pdata[i];
		const product *p, *guess;

		if (line_match_product(d, catalogue, c, l, &p, &guess, error) < 0)
			return -1;
		if (guess != NULL)
			g_hash_table_insert(guesses, GINT_TO_POINTER(i + 1), (gpointer)guess);
		if (p != NULL) {
			l->product_ref = g_strdup(p->ref);
			l->vat_rate_bp = amount_of(p->vat_rate_bp);
		}
		g_ptr_array_add(products, (gpointer)p);
	}
	o = order_draft_new(number, c, sender, pp->lines);
	o->customer_order_ref = g_strdup(pp->customer_order_ref);
	o->order_date = g_strdup(pp->order_date);
	o->delivery_date = g_strdup(pp->delivery_date);
	o->printed_ht_cents = pp->printed_ht;
	o->printed_ttc_cents = pp->printed_ttc;
	order_check_catalogue(o, (const product *const *)products->pdata, c ? c->discount_bp : 0);
	g_hash_table_iter_init(&it, guesses);
	while (g_hash_table_iter_next(&it, &key, &value))
		order_suggest_product(o, GPOINTER_TO_INT(key), value);
	order_check_totals(o, o->printed_ht_cents, o->printed_ttc_cents);
	order_ref_not_a_product(catalogue, o, pp->confidence);
	/* a name is a weaker proof than a code or a registration number */
	if (found != CUSTOMER_FOUND_NONE)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_CUSTOMER_FROM_DOCUMENT,
						found == CUSTOMER_FOUND_NAME ? CHECK_WARNING : CHECK_INFO, 0,
						"client reconnu par %s dans le document : l'expéditeur "
						"%s n'est pas dans sa fiche",
						customer_found_fr(found), sender ? sender : "(absent)"));
	if (db_order_find_po(d, c ? c->id : 0, sender, o->customer_order_ref, 0, &same_po,
			     error) < 0)
		return -1;
	if (same_po != NULL)
		order_check_duplicate_po(o, same_po);
	if (c != NULL) {
		g_autofree char *differs = customer_data_differences(c, pp->customer_data);

		if (differs != NULL)
			g_ptr_array_add(o->checks,
					order_check_new(CHECK_CUSTOMER_DATA_DIFFERS, CHECK_WARNING, 0,
							"le bon de commande ne dit pas comme la fiche "
							"client : %s",
							differs));
	}
	if (pp->ocr_pages > 0)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_OCR_READ, CHECK_INFO, 0,
						"document numérisé, %s lu%s par OCR : les valeurs sont à "
						"comparer au document",
						pp->ocr_read, pp->ocr_pages > 1 ? "es" : "e"));
	if (pp->ocr_problem != NULL)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_PAGES_NOT_READ, CHECK_WARNING, 0,
						"une page numérisée n'a pas pu être lue : %s",
						pp->ocr_problem));
	if (pp->ocr_skipped > 0)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_PAGES_NOT_READ, CHECK_WARNING, 0,
						"%s numérisée%s n'%s pas été lue%s (OCR limité à %d pages "
						"par message) : les lignes qui y figurent manquent ici",
						pp->ocr_not_read, pp->ocr_skipped > 1 ? "s" : "",
						pp->ocr_skipped > 1 ? "ont" : "a",
						pp->ocr_skipped > 1 ? "s" : "", OCR_MAX_PAGES));
	if (pp->pages > PAGE_MAX_PAGES)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_PAGES_NOT_READ, CHECK_WARNING, 0,
						"document de %d pages : seules les %d premières sont lues, "
						"les pages %d à %d ne le sont pas",
						pp->pages, PAGE_MAX_PAGES, PAGE_MAX_PAGES + 1, pp->pages));
	for (guint i = 0; i < pp->confidence->len; i++)
		g_ptr_array_add(o->confidence, g_ptr_array_steal_index(pp->confidence, i--));
	g_ptr_array_add(o->confidence, customer_confidence(c != NULL, found));
	confidence_of_draft(o, (const confidence_line *)(void *)pp->line_reads->data,
			    (const product *const *)products->pdata);
	if (pp->generic != NULL && pp->rule == NULL)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_GENERIC_READER, CHECK_INFO, 0,
						"aucune règle pour cette mise en page : lu par la lecture "
						"générique (%s), à vérifier",
						pp->generic));
	else if (pp->generic != NULL)
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_GENERIC_READER, CHECK_INFO, 0,
						"lu par la règle %s, sauf %s : par la lecture générique, "
						"à vérifier",
						pp->rule, pp->generic));
	*o_r = g_steal_pointer(&o);
	*c_r = g_steal_pointer(&c);
	return 0;
}

int draft_preview(db *d, const config *cfg, const document_reading *doc, const char *sender,
		  order **o_r, GError **error)
{
	g_autoptr(draft_source) pp = draft_source_new(cfg, doc);
	g_autoptr(match_catalogue) cat = NULL;
	g_autoptr(customer) c = NULL;
	match_customers *customers = NULL;
	GPtrArray *products;
	int rc;

	*o_r = NULL;
	/* no transaction: a preview takes no lock from the daemon */
	products = db_products_all(d, error);
	if (products == NULL)
		return -1;
	cat = match_catalogue_new(products);
	rc = draft_make(d, cat, &customers, pp, sender, sender, "(aperçu)", o_r, &c, error);
	if (customers != NULL)
		match_customers_free(customers);
	return rc;
}
