/* drafts.h: a draft order from what a purchase order says.  A document's
 * reading (reading/document.h) becomes the order's values: its fields and
 * lines as numbers and dates, and the values OCR was not sure of; then the
 * draft: its customer found (the sender, else the one the document names),
 * its lines matched to our products (with what clerks taught), and every
 * check the clerk reads, in French.  Intake numbers it, files the PO and
 * records it.
 */
#ifndef MO_DRAFTS_H
#define MO_DRAFTS_H

#include "lib/config.h"
#include "lib/money.h"
#include "orders/confidence.h"
#include "orders/match.h"
#include "reading/document.h"
#include "store/db.h"
#include "store/model.h"

#include <glib.h>

/* What a document says, as an order's values. */
typedef struct {
	char *customer_order_ref, *order_date, *delivery_date;   /* dates ISO */
	maybe_amount printed_ht, printed_ttc;   /* the PO's totals */
	GPtrArray *lines;         /* order_line*, product_ref not yet set; a row
				   * without a quantity is none */
	char *rule;               /* the rule's file name; NULL when none fitted */
	char *generic;            /* what the generic reader read, for the clerk; NULL for nothing */
	char *text;               /* the document's text but its order lines: it may
				   * name the customer (a product's name must not) */
	char *named;              /* the customer's name, SIRET, VAT number a rule read */
	GHashTable *customer_data; /* contact, phone, addresses the PO shows */
	int pages;                /* of the document, read or not (PAGE_MAX_PAGES are) */
	int ocr_pages;            /* pages read by OCR */
	int ocr_skipped;          /* scanned pages beyond the limit, not read */
	char *ocr_read;           /* "la page 1", "les pages 1 à 3": read by OCR; NULL for none */
	char *ocr_not_read;       /* the same, of the pages beyond the limit */
	char *ocr_problem;        /* a page OCR could not read, and why */
	GPtrArray *confidence;    /* field_confidence*: of the fields read */
	GArray *line_reads;       /* confidence_line, one per line of lines */
} draft_source;

draft_source *draft_source_new(const config *cfg, const document_reading *doc);
void draft_source_free(draft_source *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(draft_source, draft_source_free)

/* The draft numbered number for src, whose lines it takes: *o_r, and its
 * customer *c_r (NULL when unknown), both owned.  sender: the innermost
 * message's From; message_from: the message's (a colleague may forward a
 * customer's mail).  customers: the customer file, read at the first need
 * and kept for the caller's next drafts.  Reads the database in the
 * caller's transaction; writes nothing.  Once per src: it takes src's
 * lines and confidences, even when it fails. */
int draft_make(db *d, const match_catalogue *catalogue, match_customers **customers,
	       draft_source *src, const char *sender, const char *message_from, const char *number,
	       order **o_r, customer **c_r, GError **error);

/* The draft intake would make of doc, sent by sender (NULL: no sender,
 * the customer found in the document only), recorded nowhere: its lines
 * matched, its checks and confidences (rules check --explain).  *o_r
 * owned. */
int draft_preview(db *d, const config *cfg, const document_reading *doc, const char *sender,
		  order **o_r, GError **error);

#endif
