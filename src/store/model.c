#include "store/model.h"

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
	g_free(q->reason);
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

	l->unit_price_cents = -1;
	l->vat_rate_bp = -1;
	l->line_total_cents = -1;
	return l;
}

void order_line_free(order_line *l)
{
	if (l == NULL)
		return;
	g_free(l->product_ref);
	g_free(l->customer_ref);
	g_free(l->description);
	g_free(l);
}

order_check *order_check_new(const char *code, const char *severity, int line,
			     const char *fmt, ...)
{
	order_check *c = g_new0(order_check, 1);
	va_list ap;

	c->code = g_strdup(code);
	c->severity = g_strdup(severity);
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
	g_free(c->code);
	g_free(c->severity);
	g_free(c->message);
	g_free(c);
}

order *order_new(void)
{
	order *o = g_new0(order, 1);

	o->lines = g_ptr_array_new_with_free_func((GDestroyNotify)order_line_free);
	o->checks = g_ptr_array_new_with_free_func((GDestroyNotify)order_check_free);
	o->printed_ht_cents = -1;
	o->printed_ttc_cents = -1;
	return o;
}

void order_free(order *o)
{
	if (o == NULL)
		return;
	g_free(o->number);
	g_free(o->state);
	g_free(o->customer_ref);
	g_free(o->customer_name);
	g_free(o->customer_order_ref);
	g_free(o->order_date);
	g_free(o->delivery_date);
	g_ptr_array_unref(o->lines);
	g_free(o->source_message_id);
	g_free(o->source_from);
	g_free(o->source_subject);
	g_free(o->source_file);
	g_free(o->source_sha256);
	g_free(o->source_attachment);
	g_ptr_array_unref(o->checks);
	g_free(o->created_at);
	g_free(o);
}
