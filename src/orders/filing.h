/* filing.h: the documents we send a customer (the confirmation CONF, the
 * delivery note BL, the invoice FAC), made from what the caller's
 * transaction holds: their values written as a French reader reads them,
 * the PDF rendered from the templates (documents/render.h), filed in the
 * archive under the naming convention, and recorded with the values they
 * were made from, so that a copy prints the same text even after the
 * customer file or the config changed.
 *
 * The file enters the archive by rename before the caller commits; the
 * caller syncs the archive (archive_sync) before its commit, and on
 * rollback removes the file (archive_remove of *rel_r).
 */
#ifndef MO_FILING_H
#define MO_FILING_H

#include "documents/render.h"
#include "lib/config.h"
#include "store/archive.h"
#include "store/db.h"
#include "store/model.h"

#include <glib.h>

typedef struct {
	db *d;
	archive *a;
	const config *cfg;
	doc_templates *templates;
} filing;

/* The templates for cfg: the site's (templates/ beside the config file)
 * before the shipped ones.  NULL with the reasons (FILE:LINE: why). */
doc_templates *filing_templates_load(const config *cfg, GError **error);

/* A difference between what the customer's PO asked and what we confirm. */
typedef struct {
	int line;                 /* our line; 0 for a PO line removed */
	char *ref;                /* our product, or the customer's reference */
	char *what;               /* "prix", "quantité livrable", "produit", "ligne retirée" */
	char *theirs, *ours;      /* as printed */
} order_difference;
void order_difference_free(order_difference *x);

/* The confirmation of order o (confirmed) for customer c: filed as
 * <partner>_CONF_<number>_<date>.pdf dated date (ISO); *rel_r owned. */
int filing_confirmation(const filing *f, const customer *c, const order *o,
			const GPtrArray *differences, const char *date, char **rel_r,
			GError **error);
/* The delivery note of delivery dl of order o (its lines' delivered_milli
 * already counting dl). */
int filing_delivery_note(const filing *f, const customer *c, const order *o,
			 const order_delivery *dl, char **rel_r, GError **error);
/* The invoice inv (posted) of order o; deliveries: the order's
 * (order_delivery*), for the delivery dates. */
int filing_invoice(const filing *f, const customer *c, const order *o, const invoice *inv,
		   const GPtrArray *deliveries, char **rel_r, GError **error);

/* The values a mail about order o (and invoice inv, or NULL) may name,
 * as the documents write them ("order.number" -> "SO0001", "totals.ttc"
 * -> "116,31 €"): name -> text, owned.  c and o may be NULL (a mail about
 * a message received: the company's values then, and the customer's when
 * known). */
GHashTable *filing_mail_values(const filing *f, const customer *c, const order *o,
			       const invoice *inv);

/* A filed document again (number: SO0001 for its confirmation, BL0001,
 * FA2026-0001): the filed PDF as it is, or with stamp DOC_COPY rendered
 * again from its recorded values with "COPIE" on each page.  *name_r:
 * its file name (owned). */
int filing_print(const filing *f, const char *number, doc_stamp stamp, GBytes **pdf_r,
		 char **name_r, GError **error);

#endif
