/* Unit tests of csv.c.  Every input is parsed whole, byte by byte and in
 * random pieces (with empty feeds in between), and the records, their line
 * numbers and the outcome must be the same each time. */
#include "lib/csv.h"
#include "lib/error.h"
#include "tap.h"

#include <string.h>

#define SEEDS 5

typedef struct {
	GString *out;
	int stop_after;   /* return -1 on this record (1-based), 0 for never */
	int seen;
} collect;

/* "LINE/N:f1|f2\n", with \r \n | \\ escaped and long fields summarised,
 * so that the expected values stay readable. */
static int on_record(guint line, char **fields, guint n, void *ctx)
{
	collect *c = ctx;

	g_string_append_printf(c->out, "%u/%u:", line, n);
	for (guint i = 0; i < n; i++) {
		size_t len;

		/* as the import reads them: what the export neutralised, back */
		csv_cell_unescape(fields[i]);
		len = strlen(fields[i]);

		if (i > 0)
			g_string_append_c(c->out, '|');
		if (len > 64) {
			g_string_append_printf(c->out, "[%zu bytes]", len);
			continue;
		}
		for (const char *f = fields[i]; *f != '\0'; f++) {
			switch (*f) {
			case '\r': g_string_append(c->out, "\\r"); break;
			case '\n': g_string_append(c->out, "\\n"); break;
			case '|': g_string_append(c->out, "\\|"); break;
			case '\\': g_string_append(c->out, "\\\\"); break;
			default: g_string_append_c(c->out, *f); break;
			}
		}
	}
	g_string_append_c(c->out, '\n');
	/* the callback may change its fields in place: the parser must cope */
	if (n > 0)
		g_strstrip(fields[0]);
	return ++c->seen == c->stop_after ? -1 : 0;
}

enum { WHOLE = -2, BYTES = -1 };

/* Parses data fed in pieces: WHOLE, BYTES, or random sizes from a seed.
 * Returns the records then "ok", "stopped" or "error: MESSAGE". */
static char *parse(const char *data, size_t len, int how, int stop_after)
{
	collect c = { g_string_new(NULL), stop_after, 0 };
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)(how < 0 ? 1 : how));
	g_autoptr(GError) err = NULL;
	csv_parser *p = csv_parser_new(on_record, &c);
	size_t off = 0;
	int rc = 0;

	while (rc == 0 && off < len) {
		size_t n = how == WHOLE ? len : how == BYTES ? 1 : (size_t)g_rand_int_range(rand, 0, 18);

		n = MIN(n, len - off);
		rc = csv_parser_feed(p, data + off, n, &err);
		off += n;
	}
	if (rc == 0)
		rc = csv_parser_finish(p, &err);
	csv_parser_free(p);
	if (rc == 0)
		g_string_append(c.out, "ok");
	else if (err == NULL)
		g_string_append(c.out, "stopped");
	else if (!g_error_matches(err, MO_ERROR, MO_ERROR_INVALID))
		g_string_append_printf(c.out, "unexpected error code %d: %s", err->code, err->message);
	else
		g_string_append_printf(c.out, "error: %s", err->message);
	return g_string_free(c.out, FALSE);
}

/* The same result however the input is cut. */
static void check_len(const char *name, const char *data, size_t len, int stop_after,
		      const char *want)
{
	g_autofree char *whole = parse(data, len, WHOLE, stop_after);
	g_autofree char *bytes = parse(data, len, BYTES, stop_after);
	int same = 1;

	is_str(whole, want, "%s: whole", name);
	is_str(bytes, want, "%s: byte by byte", name);
	for (int seed = 1; seed <= SEEDS; seed++) {
		g_autofree char *pieces = parse(data, len, seed, stop_after);

		if (strcmp(pieces, want) != 0) {
			if (same)
				tap_diag("seed %d gives: %s", seed, pieces);
			same = 0;
		}
	}
	ok(same, "%s: random pieces (%d seeds)", name, SEEDS);
}

static void check(const char *name, const char *data, const char *want)
{
	check_len(name, data, strlen(data), 0, want);
}

static void test_records(void)
{
	check("empty input", "", "ok");
	check("simple", "a,b,c\n1,2,3\n", "1/3:a|b|c\n2/3:1|2|3\nok");
	check("CRLF", "a,b\r\n1,2\r\n", "1/2:a|b\n2/2:1|2\nok");
	check("CR alone (old Mac Excel)", "a,b\rc,d\r", "1/2:a|b\n2/2:c|d\nok");
	check("no final newline", "a,b\n1,2", "1/2:a|b\n2/2:1|2\nok");
	check("no final newline after a quote", "a,\"b\"", "1/2:a|b\nok");
	check("quoted commas", "\"Dupont, Jean\",x\n", "1/2:Dupont, Jean|x\nok");
	check("quote escapes", "\"say \"\"hi\"\"\",\"\"\"\"\n", "1/2:say \"hi\"|\"\nok");
	check("quoted empty next to empty", "\"\",,\"\"\n", "1/3:||\nok");
	check("embedded LF, next record's line",
	      "ref,address\nCLI1,\"2 rue X\nBP 5\"\nCLI2,y\n",
	      "1/2:ref|address\n2/2:CLI1|2 rue X\\nBP 5\n4/2:CLI2|y\nok");
	check("embedded CRLF", "a,\"x\r\ny\"\r\nb,c\r\n", "1/2:a|x\\r\\ny\n3/2:b|c\nok");
	check("embedded blank lines", "\"a\n\nb\"\nc\n", "1/1:a\\n\\nb\n4/1:c\nok");
	check("embedded lone CR", "\"a\rb\",c\nd\n", "1/2:a\\rb|c\n3/1:d\nok");
	check("a field of only a line end", "\"\r\n\"\nz\n", "1/1:\\r\\n\n3/1:z\nok");
	check("empty fields", "a,,c\n,,\n", "1/3:a||c\n2/3:||\nok");
	check("a lone comma", ",\n", "1/2:|\nok");
	check("trailing comma at EOF", "a,", "1/2:a|\nok");
	check("one empty field", "\"\"\nx\n", "1/1:\n2/1:x\nok");
	check("blank lines skipped", "\na,b\n\n\r\n\nc,d\n\n", "2/2:a|b\n6/2:c|d\nok");
	check("CR then CRLF", "a\r\r\nb", "1/1:a\n3/1:b\nok");
	check("LF then CR", "a\n\rb", "1/1:a\n3/1:b\nok");
	check("spaces kept", " a , b \n", "1/2: a | b \nok");
	check("UTF-8 text", "Épicerie,Périgueux,日本,😀\n",
	      "1/4:Épicerie|Périgueux|日本|😀\nok");
	check("BOM skipped", "\xEF\xBB\xBFref,name\nA,B\n", "1/2:ref|name\n2/2:A|B\nok");
	check("BOM then a quote", "\xEF\xBB\xBF\"ref\",name\n", "1/2:ref|name\nok");
	check("BOM alone", "\xEF\xBB\xBF", "ok");
	check("BOM then CRLF", "\xEF\xBB\xBF\r\nx\r\n", "2/1:x\nok");
	check("only the first BOM", "\xEF\xBB\xBF\xEF\xBB\xBFx\n", "1/1:\xEF\xBB\xBFx\nok");
	check("almost a BOM is data", "\xEF\xBB\xBE,x\n", "1/2:\xEF\xBB\xBE|x\nok");
	check("backslashes and pipes are data", "a\\b,c|d\n", "1/2:a\\\\b|c\\|d\nok");
}

static void test_errors(void)
{
	check("unterminated quote", "a,b\n\"c,d\ne\n",
	      "1/2:a|b\nerror: ligne 2 : guillemet ouvert jamais fermé");
	check("unterminated quote after a comma", "x,\"open\n\n",
	      "error: ligne 1 : guillemet ouvert jamais fermé");
	check("guillemet au milieu d'un champ qui ne commence pas par un guillemet", "x\na\"b,c\n",
	      "1/1:x\nerror: ligne 2 : guillemet au milieu d'un champ qui ne commence pas par un guillemet");
	check("text after a closing quote", "\"a\"b,c\n",
	      "error: ligne 1 : texte après le guillemet fermant d'un champ");
	check("space after a closing quote", "\"a\" ,b\n",
	      "error: ligne 1 : texte après le guillemet fermant d'un champ");
	check("error line after a multi-line field", "a\n\"x\ny\nz\",\"q\"w\n",
	      "1/1:a\nerror: ligne 4 : texte après le guillemet fermant d'un champ");
	check("invalid UTF-8", "ok\n\xC3\x28,x\n",
	      "1/1:ok\nerror: ligne 2 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("Latin-1", "caf\xE9,x\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("lone continuation byte", "\x80\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("overlong", "a,\xC0\xAF\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("overlong 3 bytes", "\xE0\x80\xAF\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("surrogate", "\xED\xA0\x80\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("beyond U+10FFFF", "\xF4\x90\x80\x80\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("byte 0xFF", "\xFF\xFE" "a\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("sequence cut by a line end", "a\xC3\nb\n",
	      "error: ligne 1 : texte non UTF-8 : enregistrer le fichier en « CSV UTF-8 »");
	check("sequence cut by the end", "a\n\xE2\x82",
	      "1/1:a\nerror: ligne 2 : texte non UTF-8 à la fin du fichier");
	check("half a BOM", "\xEF\xBB",
	      "error: ligne 1 : texte non UTF-8 à la fin du fichier");
	check_len("NUL byte", "a,b\nc\0d\n", 8, 0,
		  "1/2:a|b\nerror: ligne 2 : octet nul : ce n'est pas un fichier texte");
	check_len("NUL byte in quotes", "\"\0\"\n", 4, 0,
		  "error: ligne 1 : octet nul : ce n'est pas un fichier texte");
}

static void test_limits(void)
{
	g_autofree char *max_field = g_strnfill(CSV_MAX_FIELD, 'x');
	/* one byte more is the ' an export may add (below) */
	g_autofree char *long_field = g_strnfill(CSV_MAX_FIELD + 2, 'x');
	g_autofree char *commas = g_strnfill(CSV_MAX_FIELDS - 1, ',');
	g_autofree char *more_commas = g_strnfill(CSV_MAX_FIELDS, ',');
	g_autofree char *pipes = g_strdelimit(g_strdup(commas), ",", '|');
	g_autofree char *in = NULL;
	g_autofree char *want = NULL;

	in = g_strdup_printf("%s\nb\n", max_field);
	want = g_strdup_printf("1/1:[%d bytes]\n2/1:b\nok", CSV_MAX_FIELD);
	check("the longest field", in, want);
	g_free(in);
	in = g_strdup_printf("a\n%s\n", long_field);
	g_free(want);
	want = g_strdup_printf("1/1:a\nerror: ligne 2 : champ de plus de %d octets", CSV_MAX_FIELD);
	check("a field too long", in, want);
	g_free(in);
	in = g_strdup_printf("\"%s\"\n", long_field);
	g_free(want);
	want = g_strdup_printf("error: ligne 1 : champ de plus de %d octets", CSV_MAX_FIELD);
	check("a quoted field too long", in, want);

	{
		/* the longest field, formula-like: exported with its ', it
		 * reads back whole */
		g_autofree char *formula = g_strnfill(CSV_MAX_FIELD, 'x');
		GString *line = g_string_new(NULL);
		g_autofree char *want_back = g_strdup_printf("1/1:[%d bytes]\nok", CSV_MAX_FIELD);

		formula[0] = '=';
		csv_append_field(line, formula);
		g_string_append_c(line, '\n');
		check_len("the longest formula-like field, exported, reads back", line->str, line->len, 0,
			  want_back);
		g_string_free(line, TRUE);
	}
	g_free(in);
	in = g_strdup_printf("%s\n", commas);
	g_free(want);
	want = g_strdup_printf("1/%d:%s\nok", CSV_MAX_FIELDS, pipes);
	check("the most fields", in, want);
	g_free(in);
	in = g_strdup_printf("a\n%s\n", more_commas);
	g_free(want);
	want = g_strdup_printf("1/1:a\nerror: ligne 2 : plus de %d colonnes", CSV_MAX_FIELDS);
	check("too many fields", in, want);
}

static void test_stop(void)
{
	g_autoptr(GError) err = NULL;
	collect c = { g_string_new(NULL), 1, 0 };
	csv_parser *p;

	check_len("stop on the 2nd record", "a\nb\nc\n", 6, 2, "1/1:a\n2/1:b\nstopped");
	check_len("stop on the 1st record", "a\nb\nc\n", 6, 1, "1/1:a\nstopped");
	check_len("stop on the record finish delivers", "a\nb", 3, 2, "1/1:a\n2/1:b\nstopped");
	check_len("a stop after the last record", "a\nb\n", 4, 3, "1/1:a\n2/1:b\nok");

	/* after a stop, feed and finish keep saying -1, without an error */
	p = csv_parser_new(on_record, &c);
	is_int(csv_parser_feed(p, "a\nb\n", 4, &err), -1, "the callback's -1 stops feed");
	ok(err == NULL, "  with no GError");
	is_int(csv_parser_feed(p, "c\n", 2, &err), -1, "feed after a stop: -1");
	ok(err == NULL, "  with no GError");
	is_int(csv_parser_finish(p, &err), -1, "finish after a stop: -1");
	ok(err == NULL, "  with no GError");
	is_str(c.out->str, "1/1:a\n", "no record after the stop");
	csv_parser_free(p);

	/* after an error, the parser refuses to go on, and says so */
	g_string_truncate(c.out, 0);
	c.stop_after = 0;
	p = csv_parser_new(on_record, &c);
	is_int(csv_parser_feed(p, "a\"\n", 3, &err), -1, "a bad quote fails feed");
	ok(err != NULL, "  with a GError");
	g_clear_error(&err);
	is_int(csv_parser_feed(p, "b\n", 2, &err), -1, "feed after an error: -1");
	ok(err != NULL, "  with a GError");
	g_clear_error(&err);
	is_int(csv_parser_finish(p, &err), -1, "finish after an error: -1");
	ok(err != NULL, "  with a GError");
	is_str(c.out->str, "", "no record at all");
	csv_parser_free(p);
	g_string_free(c.out, TRUE);

	csv_parser_free(NULL);
	ok(1, "csv_parser_free(NULL) is harmless");
}

static void test_append_field(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ " spaced ", " spaced " },
		{ "Épicerie", "Épicerie" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\r", "\"cr\r\"" },
		{ "crlf\r\n", "\"crlf\r\n\"" },
		/* formulas a spreadsheet would run: text, with a ' (OWASP) */
		{ "=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"" },
		{ "@SUM(A1:A9)", "\"'@SUM(A1:A9)\"" },
		{ "+SUM(A1)", "\"'+SUM(A1)\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "\tx", "\"'\tx\"" },
		{ "\rx", "\"'\rx\"" },
		{ "+33 5 57 51 00 00", "\"'+33 5 57 51 00 00\"" },
		{ "-", "\"'-\"" },
		/* numbers stay numbers; a formula sign elsewhere is harmless */
		{ "-12", "-12" },
		{ "+3,5", "\"+3,5\"" },
		{ "41.40", "41.40" },
		{ "-0.5", "-0.5" },
		{ "a=b", "a=b" },
		{ "'=x", "\"''=x\"" },
		{ "'x", "'x" },
	};
	GString *out = g_string_new("x;");

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strescape(cases[i].in, "");

		g_string_truncate(out, 2);
		csv_append_field(out, cases[i].in);
		is_str(out->str + 2, cases[i].want, "append field \"%s\"", name);
		ok(strncmp(out->str, "x;", 2) == 0, "  after what was there");
	}
	g_string_truncate(out, 2);
	csv_append_field(out, NULL);
	is_str(out->str, "x;", "append NULL adds nothing");
	g_string_free(out, TRUE);
}

/* Random records written with csv_append_field read back the same. */
static void test_round_trip(void)
{
	static const char *const atoms[] = {
		"a", "Zoé", ",", "\"", "\r\n", "\n", "\r", " ", "x y", "日", "",
		"=", "+", "-", "@", "\t", "'", "1", ",5",
	};
	g_autoptr(GRand) rand = g_rand_new_with_seed(4180);
	GString *csv = g_string_new(NULL);
	GString *want = g_string_new(NULL);
	guint line = 1;

	for (int r = 0; r < 300; r++) {
		int nfields = g_rand_int_range(rand, 1, 7);
		guint start = line;
		GString *fields = g_string_new(NULL);

		for (int f = 0; f < nfields; f++) {
			GString *field = g_string_new(NULL);
			int natoms = g_rand_int_range(rand, 0, 5);

			for (int k = 0; k < natoms; k++)
				g_string_append(field, atoms[g_rand_int_range(rand, 0, G_N_ELEMENTS(atoms))]);
			/* a lone empty field would be a blank line: skipped by design */
			if (nfields == 1 && field->len == 0)
				g_string_append_c(field, 'e');
			if (f > 0) {
				g_string_append_c(csv, ',');
				g_string_append_c(fields, '|');
			}
			csv_append_field(csv, field->str);
			for (const char *c = field->str; *c != '\0'; c++) {
				if (*c == '\n' || (*c == '\r' && c[1] != '\n'))
					line++;
				if (*c == '\r')
					g_string_append(fields, "\\r");
				else if (*c == '\n')
					g_string_append(fields, "\\n");
				else
					g_string_append_c(fields, *c);
			}
			g_string_free(field, TRUE);
		}
		/* the first field is stripped by the callback only after printing */
		g_string_append_printf(want, "%u/%d:%s\n", start, nfields, fields->str);
		g_string_append(csv, g_rand_boolean(rand) ? "\r\n" : "\n");
		line++;
		g_string_free(fields, TRUE);
	}
	g_string_append(want, "ok");
	check_len("300 random records round-trip", csv->str, csv->len, 0, want->str);
	g_string_free(csv, TRUE);
	g_string_free(want, TRUE);
}

/* A French spreadsheet's file: ';' between fields, ',' in numbers. */
static void test_semicolons(void)
{
	static const char text[] = "ref;name;unit_price\r\nBIO-1;\"Pain; complet\";3,45\r\n";
	collect c = { .out = g_string_new(NULL) };
	g_autoptr(GError) err = NULL;
	csv_parser *p = csv_parser_new(on_record, &c);

	is_int(csv_guess_separator(text, sizeof(text) - 1), ';', "a header of semicolons: ';'");
	is_int(csv_guess_separator("ref,name;x\n", 11), ',', "more commas: ','");
	is_int(csv_guess_separator("\"a;b;c\",d\n", 10), ',', "semicolons in quotes do not count");
	is_int(csv_guess_separator("ref\nBIO;1;2\n", 13), ',', "only the first line counts");
	csv_parser_set_separator(p, ';');
	ok(csv_parser_feed(p, text, sizeof(text) - 1, &err) == 0 && csv_parser_finish(p, &err) == 0,
	   "a ';' file parses");
	is_str(c.out->str, "1/3:ref|name|unit_price\n2/3:BIO-1|Pain; complet|3,45\n",
	       "its fields split at ';', a quoted ';' kept, the decimal comma kept");
	csv_parser_free(p);
	g_string_free(c.out, TRUE);
}

int main(void)
{
	test_semicolons();
	test_records();
	test_errors();
	test_limits();
	test_stop();
	test_append_field();
	test_round_trip();
	return tap_done();
}
