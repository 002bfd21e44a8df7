/* naming.h: the names of filed documents (CONTRACT.md, "Naming convention").
 *
 *   <partner>_<TYPE>_<number>_<dd-mm-yyyy>[-N].<ext> under <yyyy>/<mm>/
 *
 * Every name the archive uses is built here, from parts that are reduced to
 * [a-z0-9-] (partner), [A-Z0-9-] (type, number) and [a-z0-9] (extension),
 * so that no input, however hostile, can yield a path that leaves the
 * archive: no "/", no "..", no leading dot, no control characters.
 * Returned strings are owned (g_free).
 */
#ifndef MO_NAMING_H
#define MO_NAMING_H

#include <glib.h>

#define NAMING_SLUG_MAX 48   /* bytes of a partner slug */
#define NAMING_PART_MAX 32   /* bytes of a type, number or extension */
#define NAMING_UNKNOWN_PARTNER "inconnu"

/* "Bio Périgord" -> "bio-perigord": lower-case ASCII, accents folded,
 * every run of other characters one "-", none at either end; NULL, empty or
 * nothing left -> "inconnu". */
char *naming_slug(const char *name);

/* The relative path of a document: "2026/11/bio-perigord_BC_SO0001_20-11-2026.pdf".
 * clash 0 or 1 gives no suffix, 2 gives "-2", and so on.  type, number and
 * ext are reduced to their safe alphabet (an empty one becomes "X");
 * date is the document's date (its local calendar day). */
char *naming_document_path(const char *partner_name, const char *type, const char *number,
			   GDateTime *date, const char *ext, int clash);

/* The same document under another partner's name: rel (as built above)
 * with its partner part replaced and its clash suffix set anew; NULL when
 * rel is not such a path. */
char *naming_with_partner(const char *rel, const char *partner_name, int clash);
/* True when rel is a path naming_document_path could have produced: the
 * check the archive applies before it opens anything. */
gboolean naming_path_is_safe(const char *rel);

#endif
