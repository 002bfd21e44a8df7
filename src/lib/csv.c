/* csv.c: the incremental RFC 4180 reader (see csv.h).
 *
 * A byte-at-a-time state machine, so that the way the input is cut into
 * pieces can never change the result: every piece of state that spans two
 * bytes (CRLF, a UTF-8 sequence, the BOM, a "" escape) lives in the parser.
 * Fields are GStrings reused from record to record; memory is bounded by
 * CSV_MAX_FIELDS * CSV_MAX_FIELD.
 */
#include "lib/csv.h"

#include "lib/error.h"

#include <string.h>

static const char bom[] = "\xEF\xBB\xBF";

typedef enum {
	CSV_RECORD_START, /* nothing of the current record seen yet */
	CSV_FIELD_START,  /* just after a comma */
	CSV_UNQUOTED,
	CSV_QUOTED,
	CSV_QUOTE,        /* a '"' inside quotes: "" or the closing one */
} csv_state;

typedef enum {
	CSV_RUNNING,
	CSV_STOPPED,      /* the callback said so: -1 with no GError */
	CSV_FAILED,
	CSV_FINISHED,
} csv_status;

struct csv_parser {
	csv_record_fn *fn;
	void *ctx;
	char sep;                 /* ',' or ';' */
	csv_state state;
	csv_status status;
	GPtrArray *cells;         /* GString *, grown up to CSV_MAX_FIELDS */
	guint n;                  /* fields of the current record, the last open */
	char *argv[CSV_MAX_FIELDS + 1];
	guint line;               /* line of the byte being read */
	guint record_line;
	guint field_line;         /* where the open field started (for quotes) */
	gboolean prev_cr;         /* so that the LF of a CRLF is not a second line */
	guint bom_matched;        /* leading bytes that matched the BOM so far */
	gboolean bom_done;
	guint utf8_need;          /* continuation bytes still due */
	guchar utf8_lo, utf8_hi;  /* range allowed for the next one */
	guint error_line;         /* of the first error, 0 if none */
	char *error_why;
};

void csv_parser_set_separator(csv_parser *p, char sep)
{
	p->sep = sep;
}

char csv_guess_separator(const char *data, size_t len)
{
	size_t commas = 0, semicolons = 0;
	gboolean quoted = FALSE;

	/* the first record: a header, where a separator is between names */
	for (size_t i = 0; i < len; i++) {
		char c = data[i];

		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			commas++;
		else if (!quoted && c == ';')
			semicolons++;
	}
	return semicolons > commas ? ';' : ',';
}

csv_parser *csv_parser_new(csv_record_fn *fn, void *ctx)
{
	csv_parser *p = g_new0(csv_parser, 1);

	p->fn = fn;
	p->ctx = ctx;
	p->sep = ',';
	p->state = CSV_RECORD_START;
	p->status = CSV_RUNNING;
	p->cells = g_ptr_array_new();
	p->line = 1;
	return p;
}

void csv_parser_free(csv_parser *p)
{
	if (p == NULL)
		return;
	for (guint i = 0; i < p->cells->len; i++)
		g_string_free(g_ptr_array_index(p->cells, i), TRUE);
	g_ptr_array_unref(p->cells);
	g_free(p->error_why);
	g_free(p);
}

const char *csv_parser_error(const csv_parser *p, guint *line_r)
{
	if (line_r != NULL)
		*line_r = p->error_line;
	return p->error_why;
}

G_GNUC_PRINTF(4, 5)
static int fail(csv_parser *p, guint line, GError **error, const char *fmt, ...)
{
	g_autofree char *why = NULL;
	va_list ap;

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "ligne %u : %s", line, why);
	p->status = CSV_FAILED;
	p->error_line = line;
	g_free(p->error_why);
	p->error_why = g_steal_pointer(&why);
	return -1;
}

static GString *open_field(csv_parser *p)
{
	GString *cell;

	if (p->n == p->cells->len)
		g_ptr_array_add(p->cells, g_string_sized_new(32));
	cell = g_ptr_array_index(p->cells, p->n);
	/* truncate also restores the NUL the callback may have moved */
	g_string_truncate(cell, 0);
	p->n++;
	p->field_line = p->line;
	return cell;
}

static int next_field(csv_parser *p, GError **error)
{
	if (p->n >= CSV_MAX_FIELDS)
		return fail(p, p->line, error, "plus de %d colonnes", CSV_MAX_FIELDS);
	open_field(p);
	p->state = CSV_FIELD_START;
	return 0;
}

static int end_record(csv_parser *p)
{
	guint n = p->n;

	for (guint i = 0; i < n; i++)
		p->argv[i] = ((GString *)g_ptr_array_index(p->cells, i))->str;
	p->argv[n] = NULL;
	p->n = 0;
	p->state = CSV_RECORD_START;
	if (p->fn(p->record_line, p->argv, n, p->ctx) < 0) {
		p->status = CSV_STOPPED;
		return -1;
	}
	return 0;
}

static int append(csv_parser *p, char c, GError **error)
{
	GString *cell = g_ptr_array_index(p->cells, p->n - 1);

	/* one byte more: the ' our export puts before a formula-like field
	 * of the longest length (csv_append_field) */
	if (cell->len >= CSV_MAX_FIELD + 1)
		return fail(p, p->line, error, "champ de plus de %d octets", CSV_MAX_FIELD);
	g_string_append_c(cell, c);
	return 0;
}

/* One step of a UTF-8 validator: rejects overlong forms, surrogates and
 * code points beyond U+10FFFF (the table of RFC 3629, section 4). */
static gboolean utf8_ok(csv_parser *p, guchar c)
{
	if (p->utf8_need > 0) {
		if (c < p->utf8_lo || c > p->utf8_hi)
			return FALSE;
		p->utf8_need--;
		p->utf8_lo = 0x80;
		p->utf8_hi = 0xBF;
		return TRUE;
	}
	if (c < 0x80)
		return TRUE;
	p->utf8_lo = 0x80;
	p->utf8_hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		p->utf8_need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		p->utf8_need = 2;
		if (c == 0xE0)
			p->utf8_lo = 0xA0;
		else if (c == 0xED)
			p->utf8_hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		p->utf8_need = 3;
		if (c == 0xF0)
			p->utf8_lo = 0x90;
		else if (c == 0xF4)
			p->utf8_hi = 0x8F;
	} else {
		return FALSE;
	}
	return TRUE;
}

static int step(csv_parser *p, char c, GError **error)
{
	gboolean eol = c == '\r' || c == '\n';

	switch (p->state) {
	case CSV_RECORD_START:
		if (eol)
			return 0;  /* a blank line, or the LF of a CRLF */
		p->record_line = p->line;
		open_field(p);
		p->state = CSV_FIELD_START;
		G_GNUC_FALLTHROUGH;
	case CSV_FIELD_START:
		if (c == '"') {
			p->state = CSV_QUOTED;
			return 0;
		}
		p->state = CSV_UNQUOTED;
		G_GNUC_FALLTHROUGH;
	case CSV_UNQUOTED:
		if (c == p->sep)
			return next_field(p, error);
		if (eol)
			return end_record(p);
		if (c == '"')
			return fail(p, p->line, error, "guillemet au milieu d'un champ qui ne commence pas par un guillemet");
		return append(p, c, error);
	case CSV_QUOTED:
		if (c == '"') {
			p->state = CSV_QUOTE;
			return 0;
		}
		return append(p, c, error);
	case CSV_QUOTE:
		if (c == '"') {
			p->state = CSV_QUOTED;
			return append(p, c, error);
		}
		if (c == p->sep)
			return next_field(p, error);
		if (eol)
			return end_record(p);
		return fail(p, p->line, error, "texte après le guillemet fermant d'un champ");
	}
	g_assert_not_reached();
}

static int feed_byte(csv_parser *p, char c, GError **error)
{
	int rc;

	if (c == '\0')
		return fail(p, p->line, error, "octet nul : ce n'est pas un fichier texte");
	if (!utf8_ok(p, (guchar)c))
		return fail(p, p->line, error, "texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	rc = step(p, c, error);
	/* Order matters: the record and any error above belong to the line
	 * the byte is on; a CR, an LF or a CRLF then ends that line. */
	if (c == '\r' || (c == '\n' && !p->prev_cr))
		p->line++;
	p->prev_cr = c == '\r';
	return rc;
}

/* A BOM that turned out not to be one is data. */
static int flush_partial_bom(csv_parser *p, GError **error)
{
	p->bom_done = TRUE;
	for (guint k = 0; k < p->bom_matched; k++) {
		if (feed_byte(p, bom[k], error) < 0)
			return -1;
	}
	return 0;
}

static int check_running(csv_parser *p, GError **error)
{
	if (p->status == CSV_RUNNING)
		return 0;
	if (p->status != CSV_STOPPED)
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "csv parser used after an error or the end of input");
	return -1;
}

int csv_parser_feed(csv_parser *p, const char *data, size_t len, GError **error)
{
	size_t i = 0;

	if (check_running(p, error) < 0)
		return -1;
	while (!p->bom_done && i < len) {
		if (data[i] != bom[p->bom_matched]) {
			if (flush_partial_bom(p, error) < 0)
				return -1;
			break;
		}
		i++;
		if (++p->bom_matched == 3)
			p->bom_done = TRUE;
	}
	for (; i < len; i++) {
		if (feed_byte(p, data[i], error) < 0)
			return -1;
	}
	return 0;
}

int csv_parser_finish(csv_parser *p, GError **error)
{
	if (check_running(p, error) < 0)
		return -1;
	if (!p->bom_done && flush_partial_bom(p, error) < 0)
		return -1;
	if (p->utf8_need > 0)
		return fail(p, p->line, error, "texte non UTF-8 à la fin du fichier");
	if (p->state == CSV_QUOTED)
		return fail(p, p->field_line, error, "guillemet ouvert jamais fermé");
	p->status = CSV_FINISHED;
	if (p->state != CSV_RECORD_START && end_record(p) < 0) {
		p->status = CSV_STOPPED;
		return -1;
	}
	return 0;
}

/* A cell a spreadsheet would take for a formula (OWASP's CSV injection
 * rule): its first character is one of these. */
static gboolean formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* "-12", "+3,5", "41.40": a number, which no spreadsheet runs and which
 * must stay a number in it (a sum of amounts). */
static gboolean plain_number(const char *s)
{
	const char *p = s + (*s == '+' || *s == '-');
	gboolean digits = FALSE, separator = FALSE;

	for (; *p != '\0'; p++) {
		if (g_ascii_isdigit(*p)) {
			digits = TRUE;
		} else if ((*p == '.' || *p == ',') && digits && !separator && g_ascii_isdigit(p[1])) {
			separator = TRUE;
		} else {
			return FALSE;
		}
	}
	return digits;
}

/* A field written with a ' before it: a formula, or what reads as one
 * already neutralised ("'=x" is written "''=x", so that reading it back
 * removes one ' and gives "'=x" again). */
static gboolean needs_neutral(const char *field)
{
	const char *rest = field + strspn(field, "'");

	return formula_start(rest[0]) && !plain_number(rest);
}

void csv_append_field(GString *out, const char *field)
{
	gboolean neutral;

	if (field == NULL)
		return;
	neutral = needs_neutral(field);
	if (!neutral && strpbrk(field, ",\"\r\n") == NULL) {
		g_string_append(out, field);
		return;
	}
	g_string_append_c(out, '"');
	if (neutral)
		g_string_append_c(out, '\'');
	for (const char *c = field; *c != '\0'; c++) {
		if (*c == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *c);
	}
	g_string_append_c(out, '"');
}

void csv_cell_unescape(char *field)
{
	if (field[0] == '\'' && needs_neutral(field))
		memmove(field, field + 1, strlen(field));
}
