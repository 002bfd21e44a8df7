/* model.h: the records the pipeline stages pass to each other and to the
 * database: customers, products, messages, orders and quarantine entries.
 *
 * Plain structs; every string field is owned by its record and freed by
 * the record's _free function (which accepts NULL).  Money is integer cents,
 * rates basis points, quantities thousandths (money.h).  Dates that users
 * see are ISO strings "YYYY-MM-DD"; instants are ISO 8601 UTC strings
 * "YYYY-MM-DDTHH:MM:SSZ".  States, codes and reasons are enums, each with
 * its words in one table (model.c): the contract's, stored and written in
 * JSON, and where a clerk reads them, the French ones.
 */
#ifndef MO_MODEL_H
#define MO_MODEL_H

#include "lib/money.h"

#include <glib.h>
#include <stdint.h>

/* ---------------------------------------------------------------- catalogue */

typedef struct {
	int64_t id;
	char *ref;              /* CLI380 */
	char *name;
	char **emails;          /* NULL-terminated, lower-case */
	char *siret, *vat, *iban, *bank, *contact, *phone;
	char *billing_address, *billing_postcode, *billing_city;
	char *delivery_address, *delivery_postcode, *delivery_city;
	char *account, *payment_terms;
	int discount_bp;        /* 2.5 % = 250 */
	char *bic;              /* not in the CSV: set by the customer commands */
	char *tags;             /* "bio,epicerie-fine": comma-separated, lower case */
	char *acknowledge;      /* "non": no automatic mail to this customer; NULL, "oui": yes */
} customer;

customer *customer_new(void);
void customer_free(customer *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(customer, customer_free)

typedef struct {
	int64_t id;
	char *ref;              /* BIO-1001 */
	char *name;
	int64_t unit_price_cents;
	int vat_rate_bp;
	int64_t stock;
	char *unit;
} product;

product *product_new(void);
void product_free(product *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(product, product_free)

/* ---------------------------------------------------------------- intake */

typedef enum {
	MESSAGE_FETCHED,        /* archived and recorded; its parts not yet read */
	MESSAGE_DONE,           /* gave one or more drafts */
	MESSAGE_QUARANTINED,    /* gave no draft: see its quarantine entries */
} message_state;

typedef struct {
	int64_t id;
	char *number;           /* M0042 */
	char *mailbox;
	uint32_t uidvalidity, uid;
	char *sha256;           /* of the raw message */
	char *message_id;       /* without angle brackets; may be NULL */
	char *from_addr;        /* lower-case address, may be NULL */
	char *from_name;
	char *subject;          /* decoded UTF-8 */
	char *date;             /* ISO instant of the Date header, or NULL */
	char *received_at;      /* ISO instant (IMAP INTERNALDATE) */
	char *reply_to;         /* its Reply-To's address, lower-case, or NULL */
	int64_t size;
	char *file;             /* relative to the archive */
	message_state state;
	int intake_attempts;    /* readings begun (a crash leaves it counted) */
} message_record;

message_record *message_record_new(void);
void message_record_free(message_record *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(message_record, message_record_free)

typedef enum {
	DOCUMENT_FILED,         /* taken from the message, not yet read */
	DOCUMENT_DRAFTED,       /* became an order */
	DOCUMENT_QUARANTINED,
} document_state;

/* An order document candidate: one MIME leaf part of a message. */
typedef struct {
	int64_t id;
	int64_t message_db_id;
	char *part;             /* MIME path: "2", "2.1" */
	char *filename;         /* decoded, as the sender named it; may be NULL */
	char *declared_type;    /* Content-Type as sent */
	char *detected_type;    /* by content (libmagic) */
	int64_t size;           /* decoded bytes */
	char *sha256;
	char *file;             /* relative to the archive, when filed */
	char *sender;           /* From of the innermost message holding it */
	document_state state;
	GBytes *page_model;     /* its reading kept with it (a saved page model,
				 * reading/page.h), or NULL */
} document_record;

document_record *document_record_new(void);
void document_record_free(document_record *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(document_record, document_record_free)

/* What a clerk taught by correcting a draft: a sender who writes for a
 * customer, or a customer's way of writing a line that means a product. */
typedef struct {
	char *id;                 /* "E12" (a sender) or "P7" (a product's line) */
	char *customer_ref, *customer_name;
	char *key;                /* the address; or "ref:lea-77", "desc:farine blanche" */
	char *product_ref;        /* the product a line means; NULL for a sender */
	char *learned_at;         /* ISO 8601, UTC */
	char *order_number;       /* the draft it was taught on, or NULL */
} learned_item;
void learned_item_free(learned_item *l);

/* The layout of a sender's POs, learned from a clerk's corrections: the
 * centres (points, from the page's left) of its quantity and price
 * columns, its decimal mark (',' or '.'; 0 unknown), and how many rows
 * of the corrected draft vouched for them. */
typedef struct {
	char decimal_mark;
	double qty_x, price_x;
	int rows;
} learned_layout;

/* Quarantine reason codes (CONTRACT.md, "Intake invariants"). */
typedef enum {
	QR_NO_ORDER_DOCUMENT,
	QR_NOT_PDF,
	QR_UNREADABLE_PDF,
	QR_NO_TEXT,
	QR_DUPLICATE,
	QR_TOO_LARGE,
	QR_UNREADABLE_MESSAGE,  /* MIME we cannot parse */
	QR_TOO_COMPLEX,         /* a limit on MIME work reached (mime.h) */
	QR_NOT_READ,            /* scanned, beyond what OCR may read */
} quarantine_reason;

/* The contract's word for it ("not_pdf"), static. */
const char *quarantine_reason_name(quarantine_reason r);
/* The clerk's words for it ("pas un PDF"), static. */
const char *quarantine_reason_label_fr(quarantine_reason r);
/* FALSE for a word that is none. */
gboolean quarantine_reason_parse(const char *name, quarantine_reason *r_r);

typedef struct {
	int64_t id;
	/* the message */
	char *message_number, *message_id, *from_addr, *subject, *received_at;
	/* the attachment, NULL for a whole message */
	char *attachment, *sha256;
	quarantine_reason reason;
	char *detail;
	char *duplicate_of;     /* order number or message first taken in */
	char *file;             /* the raw message, relative to the archive */
	char *document_file;    /* the attachment filed as it came (a PDF no one
				 * could read, for the clerk to open), or NULL */
	char *created_at;
} quarantine_entry;

quarantine_entry *quarantine_entry_new(void);
void quarantine_entry_free(quarantine_entry *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(quarantine_entry, quarantine_entry_free)

/* ---------------------------------------------------------------- orders */

typedef struct {
	int lineno;             /* 1-based, as the clerk counts */
	char *product_ref;      /* our catalogue reference when matched, else NULL */
	char *customer_ref;     /* the reference printed on the PO, or NULL */
	char *description;
	int64_t qty_milli;
	maybe_amount unit_price_cents;  /* as printed on the PO */
	maybe_amount vat_rate_bp;       /* absent until the product is known */
	maybe_amount line_total_cents;  /* qty * unit price, or as printed */
	/* what the customer's PO said of this line, kept when a clerk or the
	 * validation changes it: the confirmation lists each difference */
	int po_lineno;                  /* its line on the PO; 0: added by a clerk */
	maybe_amount po_qty_milli;
	maybe_amount po_unit_price_cents;
	gboolean price_by_clerk;        /* a clerk set unit_price: validation keeps it */
	/* of a confirmed order (db_order_get fills them) */
	int64_t delivered_milli;        /* shipped so far, all deliveries */
	int64_t invoiced_milli;         /* on posted or draft invoices */
	char *unit;                     /* the product's unit, or NULL */
	/* how sure intake was of the line as it read it, 0-100; -1 for a
	 * line no one read (a clerk's, or a draft from before schema 12) or
	 * a clerk has since corrected: there is nothing left to doubt */
	int confidence;
	char *doubt;                    /* why it is below 100, French; or NULL */
} order_line;

order_line *order_line_new(void);
void order_line_free(order_line *l);

/* How sure intake was of a field it read ("customer_order_ref",
 * "order_date", "delivery_date", "customer", "total"): 0-100, and why. */
typedef struct {
	char *field;
	int confidence;
	char *why;              /* French; NULL when nothing to say */
} field_confidence;

field_confidence *field_confidence_new(const char *field, int confidence, const char *why);
void field_confidence_free(field_confidence *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(field_confidence, field_confidence_free)

/* Check codes (CONTRACT.md, order JSON), and ours. */
typedef enum {
	CHECK_UNKNOWN_CUSTOMER,
	CHECK_UNKNOWN_PRODUCT,
	CHECK_PRICE_MISMATCH,
	CHECK_STOCK_SHORT,
	CHECK_TOTAL_MISMATCH,
	CHECK_DUPLICATE_ORDER_REF,
	CHECK_NO_LINES,
	CHECK_CUSTOMER_FROM_DOCUMENT,   /* not by the sender */
	CHECK_GENERIC_READER,           /* no rule: read from the layout */
	CHECK_OCR_READ,                 /* a scan, read by OCR */
	CHECK_CUSTOMER_DATA_DIFFERS,    /* the PO says otherwise than the customer file */
	CHECK_LOW_CONFIDENCE,           /* a value read without being sure of it */
	CHECK_PAGES_NOT_READ,           /* pages not read: beyond the limits, or OCR failed */
} check_code;

/* The contract's word ("stock_short"), static. */
const char *check_code_name(check_code c);
/* The review queue's short French words ("stock insuffisant"), static. */
const char *check_code_label_fr(check_code c);
gboolean check_code_parse(const char *name, check_code *c_r);

typedef enum {
	CHECK_ERROR,            /* blocks the validation */
	CHECK_WARNING,          /* validated only when a clerk accepts it */
	CHECK_INFO,             /* for the clerk to know */
} check_severity;

const char *check_severity_name(check_severity s);
gboolean check_severity_parse(const char *name, check_severity *s_r);

typedef struct {
	check_code code;
	check_severity severity;
	int line;               /* 1-based line number, 0 for the whole order */
	char *message;
} order_check;

order_check *order_check_new(check_code code, check_severity severity, int line,
			     const char *fmt, ...) G_GNUC_PRINTF(4, 5);
void order_check_free(order_check *c);

/* An order's states (CONTRACT.md, "The order chain (v2)"); the legal
 * transitions are order.h's. */
typedef enum {
	ORDER_DRAFT,
	ORDER_CONFIRMED,
	ORDER_PARTIALLY_DELIVERED,
	ORDER_DELIVERED,
	ORDER_INVOICED,
	ORDER_PAID,
	ORDER_REJECTED,
	ORDER_CANCELLED,
} order_state;

/* The contract's word ("partially_delivered"), static. */
const char *order_state_name(order_state s);
/* As a clerk says it ("livrée en partie"), static. */
const char *order_state_fr(order_state s);
gboolean order_state_parse(const char *name, order_state *s_r);

/* One step of an order's history: its creation, a change of state, a
 * clerk's correction. */
typedef struct {
	char *at;                 /* ISO 8601, UTC */
	char *who;
	gboolean created;         /* its first step: from no state */
	order_state from, to;     /* from: meaningless when created */
	char *note;               /* what was done, or NULL */
} order_step;
void order_step_free(order_step *s);

typedef struct {
	int64_t id;
	char *number;           /* SO0001 */
	order_state state;
	char *customer_ref, *customer_name;   /* NULL when unknown */
	char *customer_order_ref;
	char *order_date, *delivery_date;     /* ISO dates or NULL */
	GPtrArray *lines;       /* of order_line*, owned */
	int64_t total_ht_cents, total_vat_cents, total_ttc_cents;
	maybe_amount printed_ht_cents, printed_ttc_cents;   /* as the PO prints them */
	/* where it came from */
	char *source_message_id, *source_from, *source_subject, *source_file, *source_sha256;
	char *source_attachment;
	char *source_reply_to;  /* the Reply-To of its message, or NULL */
	GPtrArray *checks;      /* of order_check*, owned */
	GPtrArray *confidence;  /* of field_confidence*, owned: the fields intake
				 * read; a clerk's correction takes its field out */
	char *created_at;
	GPtrArray *removed;     /* of order_line*: PO lines a clerk removed (their
				 * po_* values and po_lineno), owned */
	char *comment;          /* the tracking table's, or NULL */
} order;

order *order_new(void);
void order_free(order *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(order, order_free)

/* A row of the tracking table (`orders`). */
typedef struct {
	char *number, *state_name;    /* state_name: the contract's word */
	order_state state;
	char *order_date;             /* the PO's, or the day it came in */
	char *customer_ref, *customer_name;
	char *confirmed_at;           /* prepared on: the day it was validated, or NULL */
	char *delivery_date;          /* planned: the date the customer asked for */
	char *delivered_on;           /* the last delivery's date, or NULL */
	char *comment;
	int64_t total_ht_cents;
} order_tracking;
void order_tracking_free(order_tracking *t);

/* ---------------------------------------------------------------- deliveries */

typedef struct {
	int lineno;               /* the order's line */
	int64_t qty_milli;
	int64_t stock_units;      /* taken from the stock by this delivery: stock is
				   * counted in units, so a line's fractions take a unit
				   * once (set when a delivery is made, 0 when read) */
} delivery_line;

typedef struct {
	int64_t id;
	char *number;             /* BL0001 */
	char *date;               /* ISO date */
	char *who;
	GArray *lines;            /* delivery_line */
	char *invoice_number;     /* the invoice that took it ("" for a draft), or NULL */
} order_delivery;
order_delivery *order_delivery_new(void);
void order_delivery_free(order_delivery *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(order_delivery, order_delivery_free)

/* ---------------------------------------------------------------- invoices */

typedef enum {
	INVOICE_DRAFT,
	INVOICE_POSTED,
	INVOICE_PARTIALLY_PAID,
	INVOICE_PAID,
} invoice_state;
const char *invoice_state_name(invoice_state s);
const char *invoice_state_fr(invoice_state s);
gboolean invoice_state_parse(const char *name, invoice_state *s_r);

typedef struct {
	int lineno;
	int order_lineno;
	char *product_ref, *description, *unit;
	int64_t qty_milli;
	int64_t unit_price_cents;
	int vat_rate_bp;
	int64_t line_total_cents;
} invoice_line;

typedef struct {
	int rate_bp;
	int64_t base_cents, vat_cents;
} invoice_vat;

typedef struct {
	int64_t id;
	char *number;             /* FA2026-0001; NULL while a draft */
	invoice_state state;
	int64_t order_id;
	char *order_number;
	char *customer_ref, *customer_name, *account;
	char *date, *due_date;    /* ISO dates */
	char *payment_terms;      /* as printed: "30 jours fin de mois" */
	int64_t total_ht_cents, total_vat_cents, total_ttc_cents, paid_cents;
	GPtrArray *lines;         /* invoice_line*, owned */
	GArray *vat;              /* invoice_vat, by rate */
	GPtrArray *deliveries;    /* their numbers (char*), owned */
	char *file;               /* its FAC, relative to the archive, or NULL */
	char *posted_at;          /* ISO instant, or NULL */
	char *created_at;
} invoice;
invoice *invoice_new(void);
void invoice_free(invoice *inv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(invoice, invoice_free)

/* ---------------------------------------------------------------- outbox */

typedef enum {
	OUTBOX_QUEUED,
	OUTBOX_SENT,
	OUTBOX_FAILED,            /* a temporary failure: tried again later */
	OUTBOX_DEAD,              /* refused for good, or not sent in time */
	OUTBOX_BOUNCED,           /* a bounce came back for it */
} outbox_state;
const char *outbox_state_name(outbox_state s);
const char *outbox_state_fr(outbox_state s);
gboolean outbox_state_parse(const char *name, outbox_state *s_r);

typedef enum {
	MAIL_ACKNOWLEDGMENT,
	MAIL_QUARANTINE_NOTICE,
	MAIL_CONFIRMATION,
	MAIL_REJECTION,
	MAIL_DELIVERY,
	MAIL_INVOICE,
	MAIL_REMINDER,
	MAIL_CREDIT_NOTE,
} mail_kind;
const char *mail_kind_name(mail_kind k);
const char *mail_kind_fr(mail_kind k);

/* A mail of the outbox. */
typedef struct {
	int64_t id;
	outbox_state state;
	mail_kind kind;
	char *order_number;       /* the order it is about, or NULL */
	char **to;                /* NULL-ended */
	char *bcc;                /* or NULL */
	char *envelope_from;
	char *subject;
	char *message_id;         /* without angle brackets */
	char **attachments;       /* their names, NULL-ended */
	GBytes *raw;              /* the whole message (db_outbox_get only) */
	char *queued_at, *sent_at;
	int tries;
	char *last_error;
} outbox_mail;
outbox_mail *outbox_mail_new(void);
void outbox_mail_free(outbox_mail *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(outbox_mail, outbox_mail_free)

/* A line of the journal of accounting entries. */
typedef struct {
	char *journal;            /* VT */
	char *date;
	char *piece;              /* FA2026-0001 */
	char *account, *label;
	int64_t debit_cents, credit_cents;
	char *lettering;          /* NULL until matched with a payment */
} journal_entry;
void journal_entry_free(journal_entry *e);

#endif
