/* fuzz_csv.c: libFuzzer target for the CSV reader (src/lib/csv.h).
 *
 * The first byte of the input says how the rest is cut into pieces for
 * csv_parser_feed(), its two high bits the way:
 *   00  all at once          01  one byte at a time
 *   10  pieces of (low 6 bits + 1) bytes
 *   11  pieces of 1 to 64 bytes, sizes drawn from the low 6 bits as a seed
 * so that the fuzzer reaches every place where a piece may end.
 *
 * Each record delivered is checked against csv.h (1 to CSV_MAX_FIELDS
 * fields, each UTF-8 and at most CSV_MAX_FIELD bytes), then written back
 * with csv_append_field(), read again and passed to csv_cell_unescape():
 * the fields must come back the same (csv.h: "export then import gives
 * the values back unchanged").  Two shapes are read back differently by
 * design, and accounted for: a record of one empty field is a blank line
 * (skipped), and a BOM at the very start of a file is skipped, so the line
 * read back starts with one.
 * A record that is the one field STOP makes the callback stop the parser,
 * which must then refuse more input without an error of its own.
 */
#include "lib/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	GPtrArray *records;  /* GStrv, the fields of each record read back */
} readback;

static int keep_record(guint line, char **fields, guint n, void *ctx)
{
	readback *rb = ctx;
	GStrv copy = g_new0(char *, n + 1);

	(void)line;
	for (guint i = 0; i < n; i++)
		copy[i] = g_strdup(fields[i]);
	g_ptr_array_add(rb->records, copy);
	return 0;
}

static void round_trip(char **fields, guint n)
{
	/* A BOM first: the line is read as if it were inside a file. */
	GString *line = g_string_new("\xEF\xBB\xBF");
	readback rb = { g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev) };
	csv_parser *p = csv_parser_new(keep_record, &rb);
	GError *err = NULL;
	gboolean lone_empty = n == 1 && fields[0][0] == '\0';

	for (guint i = 0; i < n; i++) {
		if (i > 0)
			g_string_append_c(line, ',');
		csv_append_field(line, fields[i]);
	}
	g_string_append(line, "\r\n");
	if (csv_parser_feed(p, line->str, line->len, &err) < 0 ||
	    csv_parser_finish(p, &err) < 0)
		abort();  /* what csv_append_field wrote does not read back */
	if (rb.records->len != (lone_empty ? 0u : 1u))
		abort();
	if (!lone_empty) {
		char **got = rb.records->pdata[0];

		if (g_strv_length(got) != n)
			abort();
		for (guint i = 0; i < n; i++) {
			csv_cell_unescape(got[i]);
			if (strcmp(got[i], fields[i]) != 0)
				abort();
		}
	}
	csv_parser_free(p);
	g_ptr_array_unref(rb.records);
	g_string_free(line, TRUE);
}

typedef struct {
	size_t total;
	gboolean stopped;
} reading;

static int on_record(guint line, char **fields, guint n, void *ctx)
{
	reading *r = ctx;

	if (line == 0 || n == 0 || n > CSV_MAX_FIELDS)
		abort();
	for (guint i = 0; i < n; i++) {
		size_t len = strlen(fields[i]);
		char *copy = g_strndup(fields[i], len);

		if (len > CSV_MAX_FIELD || !g_utf8_validate(fields[i], (gssize)len, NULL))
			abort();
		r->total += len;
		g_free(copy);
	}
	round_trip(fields, n);
	if (n == 1 && strcmp(fields[0], "STOP") == 0) {
		r->stopped = TRUE;
		return -1;
	}
	return 0;
}

/* The next piece size for mode 3: a xorshift, 1 to 64 bytes. */
static size_t next_piece(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return (*state % 64) + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reading r = { 0 };
	csv_parser *p;
	GError *err = NULL;
	const char *in;
	unsigned mode, low;
	uint32_t state;
	size_t off = 0, len;
	int rc = 0;

	if (size == 0)
		return 0;
	mode = data[0] >> 6;
	low = data[0] & 0x3f;
	state = 0x9E3779B9u ^ low;
	in = (const char *)data + 1;
	len = size - 1;

	p = csv_parser_new(on_record, &r);
	if (csv_parser_feed(p, in, 0, &err) < 0)
		abort();  /* an empty piece is no error */
	while (off < len && rc == 0) {
		size_t piece = mode == 0   ? len
			       : mode == 1 ? 1
			       : mode == 2 ? low + 1
					   : next_piece(&state);

		piece = MIN(piece, len - off);
		rc = csv_parser_feed(p, in + off, piece, &err);
		off += piece;
	}
	if (rc == 0)
		rc = csv_parser_finish(p, &err);
	if (r.stopped) {
		/* csv.h: -1 with no GError, and no error to tell; a stopped
		 * parser takes no more input */
		if (rc != -1 || err != NULL || csv_parser_error(p, NULL) != NULL ||
		    csv_parser_feed(p, "x\n", 2, &err) != -1)
			abort();
	} else if ((rc < 0) != (err != NULL)) {
		abort();  /* a failure has its GError */
	} else if (rc < 0) {
		guint line = 0;

		if (csv_parser_error(p, &line) == NULL || line == 0)
			abort();
	}
	g_clear_error(&err);
	csv_parser_free(p);
	return 0;
}
