/* delivery.h: shipping a confirmed order, in full or in part.  The stock
 * is checked and taken in the transaction that records the delivery and
 * gives its number (BL0001); what the stock cannot cover stays a
 * backorder, shipped by the next delivery; the delivery note BL is filed.
 * The CLI and the web queue call the same function.
 */
#ifndef MO_DELIVERY_H
#define MO_DELIVERY_H

#include "orders/filing.h"

#include <glib.h>

/* Ships order number: the lines and quantities of wanted (delivery_line;
 * NULL: every line, all that remains), each as far as the stock allows;
 * date: the delivery's (ISO; NULL: today).  0 with *said_r (owned, French
 * lines: what was shipped, what remains, the note's path); -1 with the
 * reason, nothing changed (nothing at all could be shipped is one). */
int order_deliver(const filing *f, const char *number, const GArray *wanted, const char *date,
		  const char *by, char **said_r, GError **error);

#endif
