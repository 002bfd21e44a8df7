/* csv.h: an incremental RFC 4180 reader.
 *
 * Comma-separated (or semicolon: csv_parser_set_separator), fields
 * optionally in double quotes ("" is a quote inside them, quoted fields
 * may span lines), records end with CRLF or LF.  Input
 * must be UTF-8; a leading BOM is skipped.  The parser may be fed its input
 * in pieces of any size (even one byte); records are delivered to a callback
 * with the line number on which they start.  Blank lines are skipped.
 * Bounded: a field over CSV_MAX_FIELD bytes (and the one ' that
 * csv_append_field may add) or a record over CSV_MAX_FIELDS
 * fields is an error.
 */
#ifndef MO_CSV_H
#define MO_CSV_H

#include <glib.h>

#define CSV_MAX_FIELD  (64 * 1024)
#define CSV_MAX_FIELDS 256

/* Called once per record.  fields[0..n-1] are NUL-terminated UTF-8,
 * borrowed until the callback returns.  Return 0 to go on, -1 to stop
 * (csv_parser_feed/finish then return -1 with no GError set). */
typedef int csv_record_fn(guint line, char **fields, guint n, void *ctx);

typedef struct csv_parser csv_parser;

csv_parser *csv_parser_new(csv_record_fn *fn, void *ctx);
void csv_parser_free(csv_parser *p);
/* The separator of fields: ',' (the default, RFC 4180) or ';' (what a
 * French spreadsheet writes).  Before the first byte is fed. */
void csv_parser_set_separator(csv_parser *p, char sep);
/* The separator a file's start uses: ';' when its first line has more
 * semicolons than commas outside quotes, else ','. */
char csv_guess_separator(const char *data, size_t len);

/* Feed more bytes.  Errors (bad quoting, invalid UTF-8, NUL byte, limits)
 * come back as MO_ERROR_INVALID with a message "ligne N : why". */
int csv_parser_feed(csv_parser *p, const char *data, size_t len, GError **error);
/* End of input: delivers the last record; an open quoted field is an error. */
int csv_parser_finish(csv_parser *p, GError **error);

/* After a failed feed or finish: the line and the reason (in French, for
 * the person who made the file) of the error; NULL if there was none. */
const char *csv_parser_error(const csv_parser *p, guint *line_r);

/* Appends a field for output, quoted when it holds a comma, quote, CR or
 * LF.  A field that a spreadsheet would run as a formula (it starts with
 * = + - @, a tab or a CR, and is not a plain number such as -12 or 41,40)
 * is written quoted with a ' before it, which makes it text there
 * (OWASP's rule against CSV injection); so is one that starts with ' and
 * then reads as such ("'=x" becomes "''=x").  Every CSV we write goes
 * through here. */
void csv_append_field(GString *out, const char *field);
/* The inverse, for a field read back (in place): the one ' that
 * csv_append_field put before a formula-like field is removed; any other
 * field is left exactly as it is.  Export then import gives the values
 * back unchanged. */
void csv_cell_unescape(char *field);

#endif
