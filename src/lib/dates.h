/* dates.h: the dates written on French purchase orders.
 *
 * "20/11/2026", "20/11/26", "20-11-2026", "20.11.2026", "2026-11-20",
 * "20 novembre 2026", "20 nov. 2026", "1er décembre 2026", "lundi 20
 * novembre 2026"; month names with or without accents, any case.  A
 * two-digit year is 20yy.  Day first always: a French order never writes
 * the month first.
 */
#ifndef MO_DATES_H
#define MO_DATES_H

#include <glib.h>

/* The first date found in text (a whole field or a line around it), as
 * "YYYY-MM-DD" (owned), or NULL when none is there or it does not exist
 * (31/02/2026). */
char *date_find(const char *text);

/* text read with a rule's date format (options.date_formats): %d or %e
 * (day, "1er" too), %m, %Y, %y (20yy), %B or %b (a month's name, French or
 * English, any case, accents or not), %%, other characters as they are,
 * a space for one or more; from the start of text, anything may follow.
 * "YYYY-MM-DD" (owned), or NULL when text does not fit or the date does
 * not exist. */
char *date_parse_format(const char *text, const char *format);

/* A date a person typed as a value, the whole text and nothing else:
 * "20/11/2026", "20-11-2026", "20.11.2026" (day first, four-digit year)
 * or "2026-11-20"; spaces around it aside.  "YYYY-MM-DD" (owned), or NULL
 * when the text is anything else or the date does not exist. */
char *date_parse_exact(const char *text);

/* "2026-11-20" as a French reader writes it, "20/11/2026" (the date part
 * of an ISO instant too); "" for NULL; any other text as it is.  Owned. */
char *date_fr(const char *iso);

#endif
