/* fuzz_mime.c: libFuzzer target for the MIME walk (src/mail/mime.h).
 *
 * The input is a raw message.  It is taken apart with mime_parse(), every
 * leaf part is decoded twice (mime_part_decode_each and mime_part_decode,
 * which must agree), every name the sender gave is read, and the headers
 * are read again on their own with mime_parse_headers().  Besides the
 * sanitizers, the harness aborts where mime.h's promises are broken: chunks
 * of at most 64 KiB, names in UTF-8, declared types in lower case.
 * Only the fields of mime.h as it is are used (run by make fuzz).
 */
#include "mail/mime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DECODE_MAX (1 << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	size_t total;
	unsigned sum;  /* reads every byte, so ASan checks the whole chunk */
} counter;

static int count_chunk(const void *chunk, size_t len, void *ctx)
{
	counter *c = ctx;
	const unsigned char *b = chunk;

	if (len == 0 || len > 64 * 1024)
		abort();  /* mime.h: chunks of at most 64 KiB; an empty one is useless */
	for (size_t i = 0; i < len; i++)
		c->sum += b[i];
	c->total += len;
	return 0;
}

static void check_text(const char *s)
{
	if (s != NULL && !g_utf8_validate(s, -1, NULL))
		abort();  /* mime.h: decoded names are UTF-8 */
}

static void check_headers(const mime_headers *h)
{
	if (h == NULL)
		return;
	check_text(h->message_id);
	check_text(h->from_addr);
	check_text(h->from_name);
	check_text(h->subject);
	if (h->date != NULL)
		(void)g_date_time_to_unix(h->date);
}

static void check_part(const mime_part *p)
{
	counter c = { 0 };
	gboolean truncated = FALSE;
	GBytes *bytes;
	gsize len;

	if (p->path == NULL || p->path[0] == '\0' || p->declared_type == NULL)
		abort();
	(void)strlen(p->path);
	for (const char *t = p->declared_type; *t != '\0'; t++) {
		if (g_ascii_isupper(*t))
			abort();  /* mime.h: "application/pdf", lower-case */
	}
	if (p->filename != NULL && p->filename[0] == '\0')
		abort();  /* mime.h: NULL when the sender gave none */
	check_text(p->filename);
	check_headers(p->envelope);

	mime_part_decode_each(p, count_chunk, &c);
	bytes = mime_part_decode(p, DECODE_MAX, &truncated);
	(void)g_bytes_get_data(bytes, &len);
	/* Both decoders walk the same bytes: the bounded one is a prefix. */
	if (len != MIN(c.total, (size_t)DECODE_MAX) || truncated != (c.total > DECODE_MAX))
		abort();
	g_bytes_unref(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	GError *err = NULL;
	mime_message *m = mime_parse(text, size, &err);
	mime_headers h;

	if (m != NULL) {
		if (err != NULL)
			abort();
		check_headers(&m->headers);
		for (guint i = 0; i < m->parts->len; i++)
			check_part(m->parts->pdata[i]);
		for (guint i = 0; i < m->inner->len; i++)
			check_headers(m->inner->pdata[i]);
		mime_message_free(m);
	} else if (err == NULL) {
		abort();  /* NULL comes with its reason */
	}
	g_clear_error(&err);

	mime_parse_headers(text, size, &h);
	check_headers(&h);
	mime_headers_clear(&h);
	return 0;
}
