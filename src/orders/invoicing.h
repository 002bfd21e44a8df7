/* invoicing.h: invoices from what was delivered, and their posting.
 *
 * A draft invoice takes the deliveries of an order not yet invoiced, at
 * the prices confirmed; its VAT is computed per rate and rounded once per
 * rate; its due date follows the customer's payment terms (terms.h).
 * Posting gives it the next number of its year (FA2026-0001) in the same
 * transaction as the journal entry (journal VT: the customer's 411
 * account debited with the TTC, sales and each rate's VAT credited) and
 * the invoice FAC filed: gapless, never reused, whatever crashes; from
 * then on the database refuses any change to it.  The arithmetic and the
 * entry are ledger.h's.
 */
#ifndef MO_INVOICING_H
#define MO_INVOICING_H

#include "orders/filing.h"

#include <glib.h>

/* A draft invoice of order number for its deliveries not yet invoiced.
 * Without partial, only once the order is delivered in full (or
 * cancelled, what was delivered).  date: ISO, NULL for today; not later
 * than today, not earlier than the deliveries it takes nor than the last
 * invoice posted this year (numbers follow dates).  redo: the order's
 * draft, if it has one, is made again (at another date, after a
 * correction of the customer file).  A customer without an account
 * (411…), a SIRET or a billing address cannot be invoiced. */
int order_invoice(const filing *f, const char *number, gboolean partial, gboolean redo,
		  const char *date, const char *by, char **said_r, GError **error);
/* Posts the draft invoice of an order (ref: SO0001), or names an
 * invoice (FA2026-0001: already posted, said so).  *said_r: its number,
 * totals, the FAC's path. */
int invoice_post(const filing *f, const char *ref, const char *by, char **said_r,
		 GError **error);


#endif
