/* reader.h: from a document's page model (pdf.h) to what a purchase order
 * says: its fields and its lines, as written (strings: numbers and dates
 * are parsed by the caller, with the rule's separators).
 *
 * The text a rule's regexes see is the page model laid out again: one line
 * of text per line of words, words separated by one space, or by two or
 * more where a gap in the page separates columns (so that "\s{2,}" splits
 * table cells), pages one after the other with a line holding only a form
 * feed ("\f") between them.
 */
#ifndef MO_READER_H
#define MO_READER_H

#include "reading/page.h"
#include "reading/rules.h"

#include <glib.h>

/* How a line was read, surest first: what its confidence starts from
 * (orders/confidence.h). */
typedef enum {
	READ_BY_RULE,           /* the regex of a rule written for the layout */
	READ_BY_ARITHMETIC,     /* a row whose quantity times price is the total it prints */
	READ_BY_LEARNED,        /* numbers under the columns learned from a clerk's
				 * corrections of this sender's earlier PO */
	READ_BY_COLUMNS,        /* cells under the columns a header names */
	READ_BY_DOCUMENT_TOTAL, /* a quantity and a price alone, the rows adding up
				 * to the document's printed total */
	READ_BY_HEADER,         /* a quantity and a price alone, under a header naming them */
	READ_BY_PROSE,          /* a letter's sentence: a quantity and a reference, no price */
} reader_how;

typedef struct {
	char *ref, *description, *qty, *unit_price, *line_total;   /* NULL when absent */
	int page;               /* from 0 */
	char *text;             /* the whole line, for the clerk */
	reader_how how;
	gboolean two_lines;     /* a row printed over two lines, joined */
} reader_line;

/* How a field was found: how sure (0-100) that way is, and the clerk's
 * words for it ("après « N° de commande »"). */
typedef struct {
	int sureness;
	char *why;
} reader_note;

typedef struct {
	const rule *rule;       /* borrowed; NULL when no rule was used */
	GHashTable *fields;     /* field name -> value (owned strings) */
	GHashTable *notes;      /* field name -> reader_note*, for each field found */
	GPtrArray *lines;       /* reader_line* */
	GPtrArray *generic;     /* reader_read: names (static) of the fields the
				 * generic reader gave, "lines" for the lines */
	char *lines_choice;     /* the generic reader: which of its two readings of
				 * the lines it kept, and why (French); NULL otherwise */
	char decimal_mark;      /* ',' or '.' when a learned layout says it; 0 */
} reading;

/* A sender's layout, learned from a clerk's corrections: the centres
 * (points from the page's left) of its quantity and price columns, its
 * decimal mark (',' or '.'; 0 unknown). */
typedef struct {
	double qty_x, price_x;
	char decimal_mark;
} reader_columns;

void reading_free(reading *r);
/* Whether name ("order_date", "lines"...) is what the generic reader
 * read: rd has no rule, or its rule left it to the generic reader. */
gboolean reading_by_generic(const reading *rd, const char *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(reading, reading_free)

/* The document laid out once (its lines, their cells, its text) for
 * the rules and the generic reader both. */
typedef struct reader_layout reader_layout;

reader_layout *reader_layout_new(const page_content *c);
void reader_layout_free(reader_layout *lay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(reader_layout, reader_layout_free)
/* The text, laid out as above (borrowed). */
const char *reader_layout_text(const reader_layout *lay);

/* Where the row holding key (a reference or description as printed)
 * and the numbers qty and price (their values: a clerk's) has them, in
 * *found; FALSE when no line of lay holds all three. */
gboolean reader_find_row(const reader_layout *lay, const char *key, double qty, double price,
			 reader_columns *found);

/* The document as text (owned), laid out as above. */
char *reader_text(const page_content *c);

/* What rule r reads in c (text as given by reader_text). */
reading *reader_apply_rule(const rule *r, const page_content *c, const char *text);

/* What the generic reader finds where no rule fits: the table from its
 * header words (Réf., Désignation, Qté, P.U., Montant...) and the
 * columns' positions, each row's cells by the column they sit under (a
 * description carried over to the next line joins its row), until a
 * "Total" line; the order number, date and total by the usual French
 * wordings.  reading->rule is NULL. */
reading *reader_generic(const page_content *c);

/* text (the layout's) without the rows rd read as order lines (owned). */
char *reader_text_but_lines(const char *text, const reading *rd);

/* A date field's value as "YYYY-MM-DD" (owned), or NULL: by the rule's
 * date_formats when r has some, else in any form French orders use
 * (dates.h). */
char *reader_date(const rule *r, const char *value);

/* How sure the OCR was of a value read from lay (a field's): the least
 * confidence (0-100) of the words that make it up; 100 for words of a
 * text layer or a form field, or a value not found as such. */
int reader_field_confidence(const reader_layout *lay, const char *value);
/* The same for each cell of an order line, into conf: 0 ref,
 * 1 description, 2 qty, 3 unit_price, 4 line_total (100 for a cell
 * absent); a row printed on two lines is looked for on both. */
#define READER_CELLS 5
void reader_cell_confidence(const reader_layout *lay, const reader_line *rl,
			    int conf[READER_CELLS]);

/* What a document says: the first rule of set (NULL: none) that fits
 * reads it, and the generic reader reads what the rule does not: the
 * fields it has no regex for or found nothing with, the lines when it
 * found none (so that a rule written for a customer's layout never reads
 * less than no rule would).  rd->generic lists what came from the generic
 * reader.  learned (NULL: none): the sender's layout, learned; where the
 * generic reader reads the lines, rows with a number under each of its
 * columns are read instead when they are no fewer, and its decimal mark
 * holds. */
reading *reader_read(const rule_set *set, const page_content *c, const reader_layout *lay,
		     const reader_columns *learned);

#endif
