/* text.h: small facts about UTF-8 text typed by people. */
#ifndef MO_TEXT_H
#define MO_TEXT_H

#include <stddef.h>

/* Length in bytes of the space at p (NUL-terminated), or 0.  Spreadsheets
 * and French locales group digits with U+00A0 (no-break space) or U+202F
 * (narrow no-break space) as well as plain spaces and tabs. */
size_t text_space_len(const char *p);

#endif
