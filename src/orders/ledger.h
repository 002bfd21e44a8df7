/* ledger.h: an invoice's arithmetic and its journal entry, with nothing
 * else around them (no database, no file): what invoicing.c posts and
 * what the unit tests check to the cent.
 */
#ifndef MO_LEDGER_H
#define MO_LEDGER_H

#include "lib/config.h"
#include "store/model.h"

#include <glib.h>

/* inv's VAT by rate (inv->vat, by increasing rate) and totals from its
 * lines: HT the sum of the lines, each rate's VAT computed on the sum of
 * its lines and rounded once (half away from zero), TTC = HT + VAT. */
void ledger_invoice_totals(invoice *inv);

/* The journal entry of posted invoice inv for the config's accounts
 * (journal VT): the customer's account (inv->account) debited with the
 * TTC; sales_account credited with the HT of each rate; each rate's VAT
 * account credited with its VAT (none for a VAT of zero).
 * journal_entry*, owned; NULL with why (MO_ERROR_INVALID) when a rate has
 * no account in [accounting] vat_accounts.  Debits equal credits, to the
 * cent, or it is a bug (MO_ERROR_FAILED). */
GPtrArray *ledger_invoice_entry(const config *cfg, const invoice *inv, GError **error);

#endif
