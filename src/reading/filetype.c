#include "reading/filetype.h"

#include "lib/error.h"

#include <errno.h>
#include <magic.h>
#include <string.h>

struct filetype {
	magic_t cookie;
};

filetype *filetype_new(GError **error)
{
	filetype *ft = g_new0(filetype, 1);

	/* MAGIC_NO_CHECK_COMPRESS: never decompress hostile input to look inside. */
	ft->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
	if (ft->cookie == NULL || magic_load(ft->cookie, NULL) != 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED, "impossible de charger la base de libmagic : %s",
			    ft->cookie ? magic_error(ft->cookie) : mo_strerror(errno));
		filetype_free(&ft);
		return NULL;
	}
	return ft;
}

void filetype_free(filetype **ftp)
{
	filetype *ft = *ftp;

	if (ft == NULL)
		return;
	*ftp = NULL;
	if (ft->cookie != NULL)
		magic_close(ft->cookie);
	g_free(ft);
}

char *filetype_detect(filetype *ft, const void *data, size_t len)
{
	const char *type;

	if (len == 0)
		return g_strdup("application/x-empty");
	type = magic_buffer(ft->cookie, data, MIN(len, (size_t)FILETYPE_SNIFF_BYTES));
	return g_strdup(type ? type : "application/octet-stream");
}

gboolean filetype_has_pdf_header(const void *data, size_t len)
{
	size_t n = MIN(len, (size_t)1024);

	return n >= 5 && memmem(data, n, "%PDF-", 5) != NULL;
}

const char *filetype_extension(const char *mime_type)
{
	static const struct {
		const char *type, *ext;
	} table[] = {
		{ "application/pdf", "pdf" },
		{ "image/png", "png" },
		{ "image/jpeg", "jpg" },
		{ "image/tiff", "tif" },
		{ "image/gif", "gif" },
		{ "text/plain", "txt" },
		{ "text/html", "html" },
		{ "message/rfc822", "eml" },
		{ "application/zip", "zip" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
		if (mime_type != NULL && strcmp(mime_type, table[i].type) == 0)
			return table[i].ext;
	}
	return "bin";
}
