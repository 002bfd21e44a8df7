/* confirm.h: what becomes of a draft, and of an order not yet delivered:
 * validated (the confirmation CONF filed), rejected, cancelled, copied
 * into a new draft.  Each opens its own transaction; the CLI and the web
 * queue call the same functions.  0 with *said_r (owned): what was done,
 * French lines for the clerk; -1 with one French line saying why,
 * nothing changed.
 */
#ifndef MO_CONFIRM_H
#define MO_CONFIRM_H

#include "orders/filing.h"

#include <glib.h>

/* draft -> confirmed.  Refused while a check of severity error stands
 * (unknown customer or product, no lines), and while a warning stands
 * unless accept_warnings.  The checks are made again first (the stock or
 * the catalogue may have changed since the draft).  Each line's price
 * becomes the catalogue's net of the customer's discount, unless a clerk
 * set another; the confirmation lists every difference from the PO. */
int order_validate(const filing *f, const char *number, gboolean accept_warnings, const char *by,
		   char **said_r, GError **error);
/* draft -> rejected, reason recorded (the tracking table's comment);
 * notify: the customer's mail giving the reason queued in the same
 * transaction (to the address the order came from, in reply to it). */
int order_reject(const filing *f, const char *number, const char *reason, gboolean notify,
		 const char *by, char **said_r, GError **error);
/* confirmed or partially delivered -> cancelled: what is not delivered
 * will not be; what was delivered can still be invoiced. */
int order_cancel(db *d, const char *number, const char *reason, const char *by, char **said_r,
		 GError **error);
/* A new draft with the order's customer and lines (their prices as
 * confirmed, checked again); *new_number_r owned. */
int order_copy(db *d, const char *number, const char *by, char **new_number_r, char **said_r,
	       GError **error);

#endif
