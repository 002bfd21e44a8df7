/* rows.h: the generic reader's lines where no header names the table well
 * (issue "Intake IV"), for reader.c, inside reading/ only: rows read by
 * their numbers (quantity × price = total), a letter's sentences, the
 * columns a clerk's corrections taught; and what the readers share of
 * the layout.
 */
#ifndef MO_ROWS_H
#define MO_ROWS_H

#include "reading/reader.h"

#include <glib.h>

/* A line laid out: its cells, and its text as the rules see it. */
typedef struct {
	int page;
	GPtrArray *cells;       /* cell* (reader.c's) */
	char *text;
	GPtrArray *words;       /* const page_word*, borrowed */
} laid_line;

struct reader_layout {
	GPtrArray *lines;       /* laid_line* */
	char *text;
};

void reader_line_free(reader_line *l);

/* "P.U. HT" -> "puht", "Désignation" -> "designation" (owned). */
char *reader_squash(const char *s);

/* Where in sq (a line squashed) the first of words (NULL-ended) stands,
 * or NULL. */
const char *reader_word_in(const char *sq, const char *const *words);

/* The rows of the whole document read by their numbers, into out
 * (reader_line*): text, then numbers among which the quantity times the
 * price is the total printed; a row printed on two lines; a reference on
 * the line under its row; rows of a quantity and a price alone only when
 * a header names them or they add up to the printed total.  Only between
 * a table's header and its total. */
void rows_read(const reader_layout *lay, GPtrArray *out);

/* A letter's lines, where there is no table: a sentence holding exactly
 * one reference and exactly one number that counts it. */
void rows_read_letter(const reader_layout *lay, GPtrArray *out);

/* The columns learned for the sender over rd's lines: its rows with a
 * number under each column, when they are no fewer; and its decimal
 * mark with them. */
void rows_apply_learned(const reader_layout *lay, const reader_columns *cols, reading *rd);

#endif
