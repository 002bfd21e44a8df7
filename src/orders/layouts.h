/* layouts.h: the layout of a sender's POs, learned from a clerk's
 * corrections (issue "Intake IV").  When the generic reader read a
 * draft's lines and a clerk corrected them, where each line as the clerk
 * left it (its reference or description, quantity and price) stands in
 * the document tells where the sender prints its quantities and prices
 * and how it writes numbers; intake then reads the sender's next PO by
 * those columns (reader.h, reader_read's learned).
 */
#ifndef MO_LAYOUTS_H
#define MO_LAYOUTS_H

#include "lib/config.h"
#include "lib/guard.h"
#include "store/db.h"

#include <glib.h>

/* What draft number, as corrected, teaches of its sender's layout,
 * remembered for the sender (in a transaction of its own) when its lines
 * were the generic reader's and enough of the lines a clerk corrected or
 * added are found in its document.  0 with *said_r (owned): what was learned, or why nothing
 * was, French lines for the clerk; NULL when there is nothing to say (a
 * rule read its lines). */
int layouts_learn(const config *cfg, db *d, const char *number, guard *g, char **said_r,
		  GError **error);

#endif
