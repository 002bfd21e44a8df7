/* filetype.h: what a file is, decided by its content (libmagic), never by
 * its name or declared type.
 *
 * One filetype per thread (libmagic cookies are not shared).
 */
#ifndef MO_FILETYPE_H
#define MO_FILETYPE_H

#include <glib.h>
#include <stddef.h>

/* Bytes looked at: magic rules for our formats sit in the first kilobytes. */
#define FILETYPE_SNIFF_BYTES (16 * 1024)

typedef struct filetype filetype;

filetype *filetype_new(GError **error);
void filetype_free(filetype **ft);

/* The MIME type of data ("application/pdf", "image/png", ...), owned;
 * "application/octet-stream" when unknown.  Looks at most at the first
 * FILETYPE_SNIFF_BYTES. */
char *filetype_detect(filetype *ft, const void *data, size_t len);

/* "%PDF-" within the first 1024 bytes: every PDF rule of libmagic's, and
 * the junk-before-header tolerance of PDF readers. */
gboolean filetype_has_pdf_header(const void *data, size_t len);

/* A file name extension for a MIME type ("pdf", "png", "bin"). */
const char *filetype_extension(const char *mime_type);

#endif
