/* confidence.h: how sure intake is of what it read on a purchase order,
 * line by line and field by field (0-100, shown 0 to 1 in the order's
 * JSON), and the `low_confidence` checks naming what a clerk must look
 * at, with why (issue "Intake IV").
 *
 * A line's confidence is that of its numbers (how the row was read, the
 * OCR's confidence in them, whether quantity × price gives the total it
 * prints) times that of what it names (our product found in the
 * catalogue, or not), less when its price is not the catalogue's or the
 * lines do not add up to the printed total.  The sum of the lines equal
 * to the printed total vouches for every line's numbers; our product
 * found vouches for what the line names, however OCR read it.  A check
 * is raised once per line, and only for a doubt no other check already
 * tells (an unknown product, a price that differs have their own).
 */
#ifndef MO_CONFIDENCE_H
#define MO_CONFIDENCE_H

#include "lib/money.h"
#include "reading/reader.h"
#include "store/model.h"

#include <glib.h>

/* Below this, a line or a field is one a clerk must look at. */
#define CONFIDENCE_LOW 70

/* OCR reads most words of an office scan with a confidence of 90 or
 * more; below this a value is worth a second look. */
#define OCR_CONFIDENCE_MIN 80

/* The cells of a line, in reader_cell_confidence's order. */
#define CONFIDENCE_CELLS READER_CELLS

/* How sure (0-100) a way of reading a line is, before what the draft
 * checks (the arithmetic, the catalogue, the totals). */
int confidence_how_sureness(reader_how how);
/* The clerk's words for it ("par la règle de cette mise en page"...),
 * static. */
const char *confidence_how_fr(reader_how how);

/* What reading a line says of it, before the catalogue. */
typedef struct {
	int numbers;            /* how sure of its quantity, price and total */
	int names;              /* how sure of its reference and description */
	char *numbers_why;      /* French, "; "-separated; NULL for no doubt */
	char *names_why;
} confidence_line;

/* cl for the line l made of rl's cells (what the document prints:
 * line_total as printed, absent when not); ocr: reader_cell_confidence's,
 * or NULL for a document with no OCR. */
void confidence_line_read(confidence_line *cl, const reader_line *rl, const order_line *l,
			  maybe_amount printed_total, const int *ocr);
void confidence_line_clear(confidence_line *cl);

/* How sure of a field read as value: the way it was found (sureness,
 * why: reader_note's), the OCR's confidence in it (100 without OCR).
 * Owned. */
field_confidence *confidence_field_read(const char *field, const char *value, int sureness,
					const char *why, int ocr);

/* The draft o's confidence: each line's reading (l->confidence and
 * l->doubt: what no other check tells; from lines, one per line of o, and
 * products: the product found for each line, or NULL), the total's; then
 * a low_confidence check for each line and each field of o->confidence
 * below CONFIDENCE_LOW.  Call once the catalogue and total checks are
 * made. */
void confidence_of_draft(order *o, const confidence_line *lines, const product *const *products);

/* How sure of line l of o as it stands (0-100; -1 for none: a clerk's
 * line): its reading's confidence, less for what o's checks say of it
 * now (an unknown product, its arithmetic, a price not the catalogue's,
 * lines not making the printed total), so that a correction that clears
 * a check raises it; *why_r (owned, NULL when nothing, may be NULL):
 * every reason, French. */
int confidence_shown(const order *o, const order_line *l, char **why_r);

/* A line a clerk corrected (lineno from 1), or a field ("delivery_date",
 * "customer"...): nothing left to doubt; its low_confidence check goes. */
void confidence_line_corrected(order *o, int lineno);
void confidence_field_corrected(order *o, const char *field);

#endif
