/* jsonw.h: a JSON writer into a GString.
 *
 * Strings are written as valid UTF-8 (invalid bytes become U+FFFD) with
 * control characters, quotes and backslashes escaped; NULL strings are
 * written as null.  Numbers are integers only: money and rates are decimal
 * strings in our formats (CONTRACT.md), never JSON numbers.  Output is
 * indented by two spaces, one member per line.
 */
#ifndef MO_JSONW_H
#define MO_JSONW_H

#include <glib.h>
#include <stdint.h>

#define JSONW_MAX_DEPTH 32

typedef struct {
	GString *out;
	int depth;
	gboolean first[JSONW_MAX_DEPTH]; /* nothing written yet at this depth */
	gboolean after_key;
} jsonw;

void jsonw_init(jsonw *w, GString *out);
void jsonw_object_begin(jsonw *w);
void jsonw_object_end(jsonw *w);
void jsonw_array_begin(jsonw *w);
void jsonw_array_end(jsonw *w);
void jsonw_key(jsonw *w, const char *key);
void jsonw_string(jsonw *w, const char *s);
void jsonw_int(jsonw *w, int64_t v);
void jsonw_bool(jsonw *w, gboolean v);
void jsonw_null(jsonw *w);
/* v hundredths as a JSON number: 97 -> 0.97, 50 -> 0.5, 100 -> 1 (a
 * confidence, which is no money: a number, not a string). */
void jsonw_hundredths(jsonw *w, int v);

/* key + value shorthands */
void jsonw_member_string(jsonw *w, const char *key, const char *s);
void jsonw_member_int(jsonw *w, const char *key, int64_t v);

#endif
