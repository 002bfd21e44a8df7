/* text.h: small facts about UTF-8 text typed by people, and text from
 * outside made safe to show. */
#ifndef MO_TEXT_H
#define MO_TEXT_H

#include <glib.h>
#include <stddef.h>

/* Length in bytes of the space at p (NUL-terminated), or 0.  Spreadsheets
 * and French locales group digits with U+00A0 (no-break space) or U+202F
 * (narrow no-break space) as well as plain spaces and tabs. */
size_t text_space_len(const char *p);

/* How text_shown treats the line breaks and tabs of s. */
typedef enum {
	TEXT_ONE_LINE,       /* escaped too: a value inside a line of ours */
	TEXT_KEEP_LINES,     /* \n and \t kept: a whole text of ours */
} text_lines;

/* s as a terminal or a log may show it: what a terminal would act on or
 * what hides or reorders text is written as an escape, so that a file
 * name or a subject can neither move the cursor, ring, split a log line
 * nor show "facture" U+202E "fdp.exe" as "factureexe.pdf": control characters
 * (C0, DEL, C1: "\r", "\n", "\t", else "\x1B"), Unicode format
 * characters (bidi overrides and isolates, zero-width characters:
 * "\u202E"), line and paragraph separators, and bytes that are not UTF-8
 * ("\xFF").  Once max bytes are written (0: no limit), the rest is
 * left out and "…" ends it (a few bytes more at most).  s may be NULL
 * (then "").  Owned. */
char *text_shown(const char *s, text_lines lines, size_t max);

/* "la page 2", "les pages 1, 3 et 4", "les pages 6 à 12": pages (int,
 * counted from 0) as a French sentence says them; NULL for none.  Owned. */
char *text_pages_fr(const GArray *pages);

#endif
