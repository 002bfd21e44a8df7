#include "store/model.h"

#include <string.h>

#include <stdarg.h>

customer *customer_new(void)
{
	return g_new0(customer, 1);
}

void customer_free(customer *c)
{
	if (c == NULL)
		return;
	g_free(c->ref);
	g_free(c->name);
	g_strfreev(c->emails);
	g_free(c->siret);
	g_free(c->vat);
	g_free(c->iban);
	g_free(c->bank);
	g_free(c->contact);
	g_free(c->phone);
	g_free(c->billing_address);
	g_free(c->billing_postcode);
	g_free(c->billing_city);
	g_free(c->delivery_address);
	g_free(c->delivery_postcode);
	g_free(c->delivery_city);
	g_free(c->account);
	g_free(c->payment_terms);
	g_free(c->bic);
	g_free(c->tags);
	g_free(c->acknowledge);
	g_free(c);
}

product *product_new(void)
{
	return g_new0(product, 1);
}

void product_free(product *p)
{
	if (p == NULL)
		return;
	g_free(p->ref);
	g_free(p->name);
	g_free(p->unit);
	g_free(p);
}

message_record *message_record_new(void)
{
	return g_new0(message_record, 1);
}

void message_record_free(message_record *m)
{
	if (m == NULL)
		return;
	g_free(m->number);
	g_free(m->mailbox);
	g_free(m->sha256);
	g_free(m->message_id);
	g_free(m->from_addr);
	g_free(m->from_name);
	g_free(m->reply_to);
	g_free(m->subject);
	g_free(m->date);
	g_free(m->received_at);
	g_free(m->file);
	g_free(m);
}

document_record *document_record_new(void)
{
	return g_new0(document_record, 1);
}

void document_record_free(document_record *d)
{
	if (d == NULL)
		return;
	g_free(d->part);
	g_free(d->filename);
	g_free(d->declared_type);
	g_free(d->detected_type);
	g_free(d->sha256);
	g_free(d->file);
	g_free(d->sender);
	if (d->page_model != NULL)
		g_bytes_unref(d->page_model);
	g_free(d);
}

quarantine_entry *quarantine_entry_new(void)
{
	return g_new0(quarantine_entry, 1);
}

void quarantine_entry_free(quarantine_entry *q)
{
	if (q == NULL)
		return;
	g_free(q->message_number);
	g_free(q->message_id);
	g_free(q->from_addr);
	g_free(q->subject);
	g_free(q->received_at);
	g_free(q->attachment);
	g_free(q->sha256);
	g_free(q->detail);
	g_free(q->duplicate_of);
	g_free(q->file);
	g_free(q->document_file);
	g_free(q->created_at);
	g_free(q);
}

order_line *order_line_new(void)
{
	order_line *l = g_new0(order_line, 1);

	l->unit_price_cents = AMOUNT_ABSENT;
	l->vat_rate_bp = AMOUNT_ABSENT;
	l->line_total_cents = AMOUNT_ABSENT;
	l->po_qty_milli = AMOUNT_ABSENT;
	l->po_unit_price_cents = AMOUNT_ABSENT;
	l->confidence = -1;
	return l;
}

field_confidence *field_confidence_new(const char *field, int confidence, const char *why)
{
	field_confidence *f = g_new0(field_confidence, 1);

	f->field = g_strdup(field);
	f->confidence = confidence;
	f->why = g_strdup(why);
	return f;
}

void field_confidence_free(field_confidence *f)
{
	if (f == NULL)
		return;
	g_free(f->field);
	g_free(f->why);
	g_free(f);
}

void order_line_free(order_line *l)
{
	if (l == NULL)
		return;
	g_free(l->product_ref);
	g_free(l->customer_ref);
	g_free(l->description);
	g_free(l->unit);
	g_free(l->doubt);
	g_free(l);
}

order_check *order_check_new(check_code code, check_severity severity, int line,
			     const char *fmt, ...)
{
	order_check *c = g_new0(order_check, 1);
	va_list ap;

	c->code = code;
	c->severity = severity;
	c->line = line;
	va_start(ap, fmt);
	c->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return c;
}

void order_check_free(order_check *c)
{
	if (c == NULL)
		return;
	g_free(c->message);
	g_free(c);
}

order *order_new(void)
{
	order *o = g_new0(order, 1);

	o->lines = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	o->checks = g_ptr_array_new_with_free_func((GDestroyNotify)order_check_free);
	o->removed = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	o->confidence = g_ptr_array_new_with_free_func((GDestroyNotify)field_confidence_free);
	o->printed_ht_cents = AMOUNT_ABSENT;
	o->printed_ttc_cents = AMOUNT_ABSENT;
	return o;
}

void order_free(order *o)
{
	if (o == NULL)
		return;
	g_free(o->number);
	g_free(o->customer_ref);
	g_free(o->customer_name);
	g_free(o->customer_order_ref);
	g_free(o->order_date);
	g_free(o->delivery_date);
	g_ptr_array_unref(o->lines);
	g_ptr_array_unref(o->removed);
	g_free(o->comment);
	g_free(o->source_message_id);
	g_free(o->source_from);
	g_free(o->source_reply_to);
	g_free(o->source_subject);
	g_free(o->source_file);
	g_free(o->source_sha256);
	g_free(o->source_attachment);
	g_ptr_array_unref(o->checks);
	g_ptr_array_unref(o->confidence);
	g_free(o->created_at);
	g_free(o);
}

/* ---------------------------------------------------------------- names
 * Each enum's words in one table, indexed by the enum. */

/* The index of name in a table of n words, or -1. */
static int word_index(const char *const *words, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++) {
		if (strcmp(words[i], name) == 0)
			return (int)i;
	}
	return -1;
}

/* A word and its French, for the tables that have both. */
typedef struct {
	const char *name, *fr;
} word_fr;

static int word_fr_index(const word_fr *words, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++) {
		if (strcmp(words[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

static const char *const quarantine_reason_names[] = {
	[QR_NO_ORDER_DOCUMENT] = "no_order_document",
	[QR_NOT_PDF] = "not_pdf",
	[QR_UNREADABLE_PDF] = "unreadable_pdf",
	[QR_NO_TEXT] = "no_text",
	[QR_DUPLICATE] = "duplicate",
	[QR_TOO_LARGE] = "too_large",
	[QR_UNREADABLE_MESSAGE] = "unreadable_message",
	[QR_TOO_COMPLEX] = "too_complex",
	[QR_NOT_READ] = "not_read",
};

static const char *const quarantine_reason_labels_fr[] = {
	[QR_NO_ORDER_DOCUMENT] = "pas de bon de commande",
	[QR_NOT_PDF] = "pas un PDF",
	[QR_UNREADABLE_PDF] = "PDF illisible",
	[QR_NO_TEXT] = "rien à lire",
	[QR_DUPLICATE] = "doublon",
	[QR_TOO_LARGE] = "trop gros",
	[QR_UNREADABLE_MESSAGE] = "message illisible",
	[QR_TOO_COMPLEX] = "message trop complexe",
	[QR_NOT_READ] = "pages non lues",
};

const char *quarantine_reason_label_fr(quarantine_reason r)
{
	return quarantine_reason_labels_fr[r];
}

const char *quarantine_reason_name(quarantine_reason r)
{
	return quarantine_reason_names[r];
}

gboolean quarantine_reason_parse(const char *name, quarantine_reason *r_r)
{
	int i = word_index(quarantine_reason_names, G_N_ELEMENTS(quarantine_reason_names), name);

	if (i >= 0)
		*r_r = (quarantine_reason)i;
	return i >= 0;
}

static const word_fr check_codes[] = {
	[CHECK_UNKNOWN_CUSTOMER] = { "unknown_customer", "client inconnu" },
	[CHECK_UNKNOWN_PRODUCT] = { "unknown_product", "produit inconnu" },
	[CHECK_PRICE_MISMATCH] = { "price_mismatch", "prix différent" },
	[CHECK_STOCK_SHORT] = { "stock_short", "stock insuffisant" },
	[CHECK_TOTAL_MISMATCH] = { "total_mismatch", "total différent" },
	[CHECK_DUPLICATE_ORDER_REF] = { "duplicate_order_ref", "commande en double" },
	[CHECK_NO_LINES] = { "no_lines", "aucune ligne" },
	[CHECK_CUSTOMER_FROM_DOCUMENT] = { "customer_from_document", "client d'après le document" },
	[CHECK_GENERIC_READER] = { "generic_reader", "lecture générique" },
	[CHECK_OCR_READ] = { "ocr_read", "lu par OCR" },
	[CHECK_CUSTOMER_DATA_DIFFERS] = { "customer_data_differs", "fiche client différente" },
	[CHECK_LOW_CONFIDENCE] = { "low_confidence", "lecture incertaine" },
	[CHECK_PAGES_NOT_READ] = { "pages_not_read", "pages non lues" },
};

const char *check_code_name(check_code c)
{
	return check_codes[c].name;
}

const char *check_code_label_fr(check_code c)
{
	return check_codes[c].fr;
}

gboolean check_code_parse(const char *name, check_code *c_r)
{
	int i = word_fr_index(check_codes, G_N_ELEMENTS(check_codes), name);

	if (i >= 0)
		*c_r = (check_code)i;
	return i >= 0;
}

static const char *const check_severity_names[] = {
	[CHECK_ERROR] = "error",
	[CHECK_WARNING] = "warning",
	[CHECK_INFO] = "info",
};

const char *check_severity_name(check_severity s)
{
	return check_severity_names[s];
}

gboolean check_severity_parse(const char *name, check_severity *s_r)
{
	int i = word_index(check_severity_names, G_N_ELEMENTS(check_severity_names), name);

	if (i >= 0)
		*s_r = (check_severity)i;
	return i >= 0;
}

static const word_fr order_states[] = {
	[ORDER_DRAFT] = { "draft", "brouillon" },
	[ORDER_CONFIRMED] = { "confirmed", "confirmée" },
	[ORDER_PARTIALLY_DELIVERED] = { "partially_delivered", "livrée en partie" },
	[ORDER_DELIVERED] = { "delivered", "livrée" },
	[ORDER_INVOICED] = { "invoiced", "facturée" },
	[ORDER_PAID] = { "paid", "payée" },
	[ORDER_REJECTED] = { "rejected", "rejetée" },
	[ORDER_CANCELLED] = { "cancelled", "annulée" },
};

const char *order_state_name(order_state s)
{
	return order_states[s].name;
}

const char *order_state_fr(order_state s)
{
	return order_states[s].fr;
}

gboolean order_state_parse(const char *name, order_state *s_r)
{
	int i = word_fr_index(order_states, G_N_ELEMENTS(order_states), name);

	if (i >= 0)
		*s_r = (order_state)i;
	return i >= 0;
}

void order_step_free(order_step *s)
{
	if (s == NULL)
		return;
	g_free(s->at);
	g_free(s->who);
	g_free(s->note);
	g_free(s);
}

void learned_item_free(learned_item *l)
{
	if (l == NULL)
		return;
	g_free(l->id);
	g_free(l->customer_ref);
	g_free(l->customer_name);
	g_free(l->key);
	g_free(l->product_ref);
	g_free(l->learned_at);
	g_free(l->order_number);
	g_free(l);
}

void order_tracking_free(order_tracking *t)
{
	if (t == NULL)
		return;
	g_free(t->number);
	g_free(t->state_name);
	g_free(t->order_date);
	g_free(t->customer_ref);
	g_free(t->customer_name);
	g_free(t->confirmed_at);
	g_free(t->delivery_date);
	g_free(t->delivered_on);
	g_free(t->comment);
	g_free(t);
}

order_delivery *order_delivery_new(void)
{
	order_delivery *d = g_new0(order_delivery, 1);

	d->lines = g_array_new(FALSE, FALSE, sizeof(delivery_line));
	return d;
}

void order_delivery_free(order_delivery *d)
{
	if (d == NULL)
		return;
	g_free(d->number);
	g_free(d->date);
	g_free(d->who);
	g_array_unref(d->lines);
	g_free(d->invoice_number);
	g_free(d);
}

static const word_fr invoice_states[] = {
	[INVOICE_DRAFT] = { "draft", "brouillon" },
	[INVOICE_POSTED] = { "posted", "validée" },
	[INVOICE_PARTIALLY_PAID] = { "partially_paid", "payée en partie" },
	[INVOICE_PAID] = { "paid", "payée" },
};

const char *invoice_state_name(invoice_state s)
{
	return invoice_states[s].name;
}

const char *invoice_state_fr(invoice_state s)
{
	return invoice_states[s].fr;
}

gboolean invoice_state_parse(const char *name, invoice_state *s_r)
{
	int i = word_fr_index(invoice_states, G_N_ELEMENTS(invoice_states), name);

	if (i >= 0)
		*s_r = (invoice_state)i;
	return i >= 0;
}

static void invoice_line_free(invoice_line *l)
{
	g_free(l->product_ref);
	g_free(l->description);
	g_free(l->unit);
	g_free(l);
}

invoice *invoice_new(void)
{
	invoice *inv = g_new0(invoice, 1);

	inv->lines = g_ptr_array_new_with_free_func((GDestroyNotify)invoice_line_free);
	inv->vat = g_array_new(FALSE, FALSE, sizeof(invoice_vat));
	inv->deliveries = g_ptr_array_new_with_free_func(g_free);
	return inv;
}

void invoice_free(invoice *inv)
{
	if (inv == NULL)
		return;
	g_free(inv->number);
	g_free(inv->order_number);
	g_free(inv->customer_ref);
	g_free(inv->customer_name);
	g_free(inv->account);
	g_free(inv->date);
	g_free(inv->due_date);
	g_free(inv->payment_terms);
	g_ptr_array_unref(inv->lines);
	g_array_unref(inv->vat);
	g_ptr_array_unref(inv->deliveries);
	g_free(inv->file);
	g_free(inv->posted_at);
	g_free(inv->created_at);
	g_free(inv);
}

void journal_entry_free(journal_entry *e)
{
	if (e == NULL)
		return;
	g_free(e->journal);
	g_free(e->date);
	g_free(e->piece);
	g_free(e->account);
	g_free(e->label);
	g_free(e->lettering);
	g_free(e);
}

static const word_fr outbox_states[] = {
	[OUTBOX_QUEUED] = { "queued", "en attente" },
	[OUTBOX_SENT] = { "sent", "envoyé" },
	[OUTBOX_FAILED] = { "failed", "en échec, à réessayer" },
	[OUTBOX_DEAD] = { "dead", "abandonné" },
	[OUTBOX_BOUNCED] = { "bounced", "revenu" },
};

const char *outbox_state_name(outbox_state s)
{
	return outbox_states[s].name;
}

const char *outbox_state_fr(outbox_state s)
{
	return outbox_states[s].fr;
}

gboolean outbox_state_parse(const char *name, outbox_state *s_r)
{
	int i = word_fr_index(outbox_states, G_N_ELEMENTS(outbox_states), name);

	if (i >= 0)
		*s_r = (outbox_state)i;
	return i >= 0;
}

static const word_fr mail_kinds[] = {
	[MAIL_ACKNOWLEDGMENT] = { "acknowledgment", "accusé de réception" },
	[MAIL_QUARANTINE_NOTICE] = { "quarantine_notice", "avis : pièce non lue" },
	[MAIL_CONFIRMATION] = { "confirmation", "confirmation" },
	[MAIL_REJECTION] = { "rejection", "refus" },
	[MAIL_DELIVERY] = { "delivery", "bon de livraison" },
	[MAIL_INVOICE] = { "invoice", "facture" },
	[MAIL_REMINDER] = { "reminder", "relance" },
	[MAIL_CREDIT_NOTE] = { "credit_note", "avoir" },
};

const char *mail_kind_name(mail_kind k)
{
	return mail_kinds[k].name;
}

const char *mail_kind_fr(mail_kind k)
{
	return mail_kinds[k].fr;
}

outbox_mail *outbox_mail_new(void)
{
	return g_new0(outbox_mail, 1);
}

void outbox_mail_free(outbox_mail *m)
{
	if (m == NULL)
		return;
	g_free(m->order_number);
	g_strfreev(m->to);
	g_free(m->bcc);
	g_free(m->envelope_from);
	g_free(m->subject);
	g_free(m->message_id);
	g_strfreev(m->attachments);
	if (m->raw != NULL)
		g_bytes_unref(m->raw);
	g_free(m->queued_at);
	g_free(m->sent_at);
	g_free(m->last_error);
	g_free(m);
}
