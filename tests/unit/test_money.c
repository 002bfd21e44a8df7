/* Unit tests of money.c: parsing as people write numbers, formatting, and
 * rounding half away from zero without overflow. */
#include "lib/money.h"
#include "tap.h"

#include <limits.h>
#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

typedef struct {
	const char *in;
	int scale;
	char dec, th;
	int64_t want;   /* only when the parse must succeed */
} parse_case;

static const parse_case good[] = {
	{ "1 234,50", 2, 0, 0, 123450 },
	{ "1" NBSP "234,50", 2, 0, 0, 123450 },
	{ "1" NNBSP "234,50", 2, 0, 0, 123450 },
	{ "1.234,50", 2, 0, 0, 123450 },
	{ "1,234.50", 2, 0, 0, 123450 },
	{ "4,80", 2, 0, 0, 480 },
	{ "3.45", 2, 0, 0, 345 },
	{ "12", 2, 0, 0, 1200 },
	{ "-2", 2, 0, 0, -200 },
	{ "+7", 2, 0, 0, 700 },
	{ "0,5", 2, 0, 0, 50 },
	{ "-0,05", 2, 0, 0, -5 },
	{ "  11,90 ", 2, 0, 0, 1190 },
	{ NBSP "8.90" NNBSP, 2, 0, 0, 890 },
	{ "1.234", 2, 0, 0, 123400 },          /* one mark, three digits: grouping */
	{ "1,234,567", 2, 0, 0, 123456700 },
	{ "1.234.567,8", 2, 0, 0, 123456780 },
	{ "12 345 678", 2, 0, 0, 1234567800 },
	{ "0,500", 3, 0, 0, 500 },             /* a group cannot start with 0 */
	{ "1234.567", 3, 0, 0, 1234567 },      /* nor have four digits */
	{ "1 234,567", 3, 0, 0, 1234567 },     /* spaces already group */
	{ "2,5", 3, 0, 0, 2500 },
	{ "12", 3, 0, 0, 12000 },
	{ "5.5", 2, 0, 0, 550 },
	{ "20", 2, 0, 0, 2000 },
	{ "007", 0, 0, 0, 7 },
	{ "-0", 2, 0, 0, 0 },
	{ "1000000000000000", 2, 0, 0, 100000000000000000LL },   /* 10^15 units */
	{ "-1 000 000 000 000 000,00", 2, 0, 0, -100000000000000000LL },
	/* explicit separators */
	{ "1.234", 2, ',', '.', 123400 },
	{ "1.234", 3, '.', ',', 1234 },
	{ "1,234", 3, ',', 0, 1234 },
	{ "1,234", 2, '.', 0, 123400 },
	{ "1 234.5", 2, 0, ' ', 123450 },
	{ "1 234,5", 2, 0, ' ', 123450 },
	{ "1.234,5", 2, 0, '.', 123450 },
	{ "1 234,5", 2, ',', '.', 123450 },    /* spaces always group */
};

static const parse_case bad[] = {
	{ "", 2, 0, 0, 0 },
	{ "   ", 2, 0, 0, 0 },
	{ NBSP, 2, 0, 0, 0 },
	{ "abc", 2, 0, 0, 0 },
	{ "12abc", 2, 0, 0, 0 },
	{ "12 €", 2, 0, 0, 0 },
	{ "1,2,3", 2, 0, 0, 0 },
	{ "1.2.3,4,5", 2, 0, 0, 0 },
	{ "1.234.56", 2, 0, 0, 0 },
	{ "1234.567,8", 2, 0, 0, 0 },           /* first group of four */
	{ "1 2 3", 2, 0, 0, 0 },
	{ "12 34", 2, 0, 0, 0 },
	{ "1,5 000", 2, 0, 0, 0 },
	{ "-", 2, 0, 0, 0 },
	{ "+", 2, 0, 0, 0 },
	{ "--5", 2, 0, 0, 0 },
	{ "5-", 2, 0, 0, 0 },
	{ ".", 2, 0, 0, 0 },
	{ ",5", 2, 0, 0, 0 },
	{ "5.", 2, 0, 0, 0 },
	{ "1,,5", 2, 0, 0, 0 },
	{ "1.23.4", 2, 0, 0, 0 },
	{ "4,805", 2, ',', 0, 0 },              /* too many decimals */
	{ "3.451", 2, '.', ',', 0 },
	{ "0,500", 2, 0, 0, 0 },
	{ "2,5", 0, 0, 0, 0 },
	{ "1000000000000001", 2, 0, 0, 0 },     /* beyond 10^15 units */
	{ "1000000000000000,01", 2, 0, 0, 0 },
	{ "-1000000000000000,01", 2, 0, 0, 0 },
	{ "99999999999999999999999999", 2, 0, 0, 0 },
	{ "9223372036854775808", 0, 0, 0, 0 },
	{ "1.234", 2, '.', '.', 0 },            /* bad arguments */
	{ "1", 2, 'x', 0, 0 },
	{ "1", 19, 0, 0, 0 },
	{ "1", -1, 0, 0, 0 },
	{ "1,5", 2, '.', ' ', 0 },
	{ "1.234,5", 2, '.', ',', 0 },
};

static void test_parse(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		const parse_case *c = &good[i];
		const char *why = NULL;
		int64_t v = -424242;
		int rc = money_parse(c->in, c->scale, c->dec, c->th, &v, &why);

		if (!is_int(rc, 0, "parse '%s' scale %d sep '%c' '%c'", c->in, c->scale,
			    c->dec ? c->dec : '0', c->th ? c->th : '0'))
			tap_diag("why: %s", why ? why : "(none)");
		is_int(v, c->want, "  value of '%s'", c->in);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		const parse_case *c = &bad[i];
		const char *why = NULL;
		int64_t v = -424242;
		int rc = money_parse(c->in, c->scale, c->dec, c->th, &v, &why);

		is_int(rc, -1, "refuse '%s' scale %d sep '%c' '%c'", c->in, c->scale,
		       c->dec ? c->dec : '0', c->th ? c->th : '0');
		ok(why != NULL && why[0] != '\0', "  with a reason (%s)", why ? why : "NULL");
		if (rc == 0)
			tap_diag("parsed as %" G_GINT64_FORMAT, (gint64)v);
	}
	{
		const char *why = NULL;
		int64_t v;

		is_int(money_parse(NULL, 2, 0, 0, &v, &why), -1, "refuse NULL");
		is_str(why, "valeur vide", "  as empty");
		money_parse("4,805", 2, ',', 0, &v, &why);
		is_str(why, "trop de décimales", "why of '4,805' with ',' decimal");
		money_parse("1000000000000001", 2, 0, 0, &v, &why);
		is_str(why, "nombre trop grand", "why of 10^15 + 1");
		money_parse("abc", 2, 0, 0, &v, &why);
		is_str(why, "ce n'est pas un nombre", "why of 'abc'");
	}
}

static void test_shorthands(void)
{
	const char *why = NULL;
	int64_t v = 0;
	int bp = 0;

	ok(money_parse_cents("11,90", &v, &why) == 0 && v == 1190, "cents '11,90' = 1190");
	ok(money_parse_cents("0,125", &v, &why) == -1, "cents refuse '0,125'");
	ok(money_parse_qty("2,5", &v, &why) == 0 && v == 2500, "qty '2,5' = 2500");
	ok(money_parse_qty("0,125", &v, &why) == 0 && v == 125, "qty '0,125' = 125");
	ok(money_parse_qty("12", &v, &why) == 0 && v == 12000, "qty '12' = 12000");
	ok(money_parse_rate("5.5", &bp, &why) == 0 && bp == 550, "rate '5.5' = 550");
	ok(money_parse_rate("5,5", &bp, &why) == 0 && bp == 550, "rate '5,5' = 550");
	ok(money_parse_rate("2.1", &bp, &why) == 0 && bp == 210, "rate '2.1' = 210");
	ok(money_parse_rate("20", &bp, &why) == 0 && bp == 2000, "rate '20' = 2000");
	ok(money_parse_rate("0", &bp, &why) == 0 && bp == 0, "rate '0' = 0");
	ok(money_parse_rate("5.55", &bp, &why) == 0 && bp == 555, "rate '5.55' = 555");
	ok(money_parse_rate("5.5555", &bp, &why) == -1, "rate refuse '5.5555'");
	/* money.h's rule, even for a rate: one mark, three digits is grouping */
	ok(money_parse_rate("5.555", &bp, &why) == 0 && bp == 555500, "rate '5.555' = 5555 %%");
	ok(money_parse_rate("21474836.47", &bp, &why) == 0 && bp == INT_MAX, "rate INT_MAX fits");
	ok(money_parse_rate("21474836.48", &bp, &why) == -1, "rate refuse beyond an int");
	is_str(why, "nombre trop grand", "  as too large");
}

static void test_format(void)
{
	static const struct {
		int64_t v;
		const char *want;
	} cents[] = {
		{ 4140, "41.40" }, { -5, "-0.05" }, { 0, "0.00" }, { 7, "0.07" },
		{ 100, "1.00" }, { -123450, "-1234.50" }, { 100000000000000000LL, "1000000000000000.00" },
		{ INT64_MAX, "92233720368547758.07" }, { INT64_MIN, "-92233720368547758.08" },
	};
	static const struct {
		int64_t v;
		int scale;
		const char *want;
	} scaled[] = {
		{ 12000, 3, "12" }, { 2500, 3, "2.5" }, { 2550, 3, "2.55" }, { 1, 3, "0.001" },
		{ 550, 2, "5.5" }, { 2000, 2, "20" }, { 210, 2, "2.1" }, { 0, 2, "0" },
		{ -2500, 3, "-2.5" }, { -1, 3, "-0.001" }, { 42, 0, "42" }, { 1005, 2, "10.05" },
		{ INT64_MIN, 3, "-9223372036854775.808" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cents); i++) {
		g_autofree char *s = money_format_cents(cents[i].v);

		is_str(s, cents[i].want, "format cents %" G_GINT64_FORMAT, (gint64)cents[i].v);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(scaled); i++) {
		g_autofree char *s = money_format_scaled(scaled[i].v, scaled[i].scale);

		is_str(s, scaled[i].want, "format %" G_GINT64_FORMAT " scale %d",
		       (gint64)scaled[i].v, scaled[i].scale);
	}
	/* what is formatted parses back to the same value */
	for (size_t i = 0; i < G_N_ELEMENTS(cents) - 2; i++) {
		g_autofree char *s = money_format_cents(cents[i].v);
		const char *why = NULL;
		int64_t v = -1;

		ok(money_parse(s, MONEY_CENTS, '.', 0, &v, &why) == 0 && v == cents[i].v,
		   "'%s' parses back", s);
	}
}

static void test_rounding(void)
{
	static const struct {
		int64_t base;
		int bp;
		int64_t want;
	} rates[] = {
		{ 4140, 550, 228 },      /* 2.277 -> 2.28 */
		{ -4140, 550, -228 },
		{ 10000, 2000, 2000 },
		{ 1, 5000, 1 },          /* 0.5 cent: away from zero */
		{ -1, 5000, -1 },
		{ 3, 5000, 2 },          /* 1.5 -> 2 */
		{ -3, 5000, -2 },
		{ 1, 4999, 0 },
		{ -1, 4999, 0 },
		{ 999, 550, 55 },        /* 54.945 -> 55 */
		{ 990, 550, 54 },        /* 54.45 -> 54 */
		{ 1000, 210, 21 },
		{ 12345, 0, 0 },
		{ 0, 2000, 0 },
		{ 4140, -550, -228 },
		{ INT64_MAX, 10000, INT64_MAX },
		{ INT64_MIN, 10000, INT64_MIN },
		{ INT64_MAX, 20000, INT64_MAX },          /* saturates, does not wrap */
		{ INT64_MIN, 20000, INT64_MIN },
		{ INT64_MAX, -20000, INT64_MIN },
		{ 100000000000000000LL, 2000, 20000000000000000LL },
	};
	static const struct {
		int64_t unit;
		int64_t qty;
		int64_t want;
	} lines[] = {
		{ 345, 12000, 4140 },    /* 3.45 * 12 = 41.40 */
		{ 210, 2500, 525 },      /* 2.10 * 2.5 kg = 5.25 */
		{ 333, 1500, 500 },      /* 4.995 -> 5.00 */
		{ -333, 1500, -500 },
		{ 333, -1500, -500 },
		{ -333, -1500, 500 },
		{ 1, 500, 1 },           /* 0.5 cent */
		{ 1, 499, 0 },
		{ -1, 500, -1 },
		{ 1850, 333, 616 },      /* 6.1605 -> 6.16 */
		{ 1, 1, 0 },
		{ 0, 1000, 0 },
		{ INT64_MAX, 1000, INT64_MAX },
		{ INT64_MAX, 2000, INT64_MAX },
		{ INT64_MIN, 1000, INT64_MIN },
		{ INT64_MIN, -1000, INT64_MAX },
		{ 100000000000000000LL, 1000000000000000000LL, INT64_MAX },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rates); i++)
		is_int(money_apply_rate(rates[i].base, rates[i].bp), rates[i].want,
		       "apply rate %" G_GINT64_FORMAT " cents at %d bp", (gint64)rates[i].base,
		       rates[i].bp);
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++)
		is_int(money_line_total(lines[i].unit, lines[i].qty), lines[i].want,
		       "line total %" G_GINT64_FORMAT " cents x %" G_GINT64_FORMAT " milli",
		       (gint64)lines[i].unit, (gint64)lines[i].qty);
}

/* The exact answer, through 128 bits, for values whose result fits. */
static int64_t reference(int64_t a, int64_t b, int64_t d)
{
	__int128 prod = (__int128)a * b;
	__int128 q = prod / d, r = prod % d;

	if (2 * (r < 0 ? -r : r) >= d)
		q += prod < 0 ? -1 : 1;
	return (int64_t)q;
}

static void test_rounding_random(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20261124);
	int bad_rate = 0, bad_line = 0;

	for (int i = 0; i < 200000; i++) {
		/* magnitudes from cents to 10^15 euros, either sign */
		int64_t a = (int64_t)(g_rand_int(rand) % 1000000) *
			    (int64_t)(1 + g_rand_int_range(rand, 0, 100000000));
		int64_t q = g_rand_int_range(rand, -10000000, 10000000);
		int bp = g_rand_int_range(rand, -20000, 20000);

		if (g_rand_boolean(rand))
			a = -a;
		if (money_apply_rate(a, bp) != reference(a, bp, 10000) && bad_rate++ == 0)
			tap_diag("rate: %" G_GINT64_FORMAT " x %d", (gint64)a, bp);
		if (money_line_total(a, q) != reference(a, q, 1000) && bad_line++ == 0)
			tap_diag("line: %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT, (gint64)a,
				 (gint64)q);
	}
	is_int(bad_rate, 0, "apply_rate matches 128-bit arithmetic on 200000 random values");
	is_int(bad_line, 0, "line_total matches 128-bit arithmetic on 200000 random values");
}

/* Cells of printed orders: the number, whatever surrounds it. */
static void test_printed(void)
{
	static const struct {
		const char *cell;
		int scale;
		char dec, thou;
		int rc;
		int64_t want;
	} cases[] = {
		{ "1 234,50 €", MONEY_CENTS, 0, 0, 0, 123450 },
		{ "1.234,50", MONEY_CENTS, ',', '.', 0, 123450 },
		{ "€ 3,45", MONEY_CENTS, 0, 0, 0, 345 },
		{ "14\u202f280,00\u00a0€", MONEY_CENTS, ',', ' ', 0, 1428000 },
		{ "3,45 € HT", MONEY_CENTS, ',', ' ', 0, 345 },
		{ "12 pièces", MONEY_MILLI, 0, 0, 0, 12000 },
		{ "2,5 kg", MONEY_MILLI, ',', ' ', 0, 2500 },
		{ "6 u.", MONEY_MILLI, 0, 0, 0, 6000 },
		{ "12 x 1 kg", MONEY_MILLI, 0, 0, 0, 12000 },
		{ "1 200", MONEY_MILLI, ',', ' ', 0, 1200000 },
		{ "—", MONEY_CENTS, 0, 0, -1, 0 },
		{ "", MONEY_CENTS, 0, 0, -1, 0 },
		{ "3,456", MONEY_CENTS, ',', ' ', -1, 0 },
		{ "-5,00 €", MONEY_CENTS, 0, 0, 0, -500 },
		{ "remise -5,00", MONEY_CENTS, 0, 0, 0, -500 },
		{ "lot-6", MONEY_MILLI, 0, 0, 0, 6000 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		int64_t v = 0;
		int rc = money_parse_printed(cases[i].cell, cases[i].scale, cases[i].dec,
					     cases[i].thou, &v);

		is_int(rc, cases[i].rc, "printed '%s': %s", cases[i].cell, rc == 0 ? "read" : "refused");
		if (rc == 0 && cases[i].rc == 0)
			is_int(v, cases[i].want, "  its value");
	}
}

/* A number typed in a field: one mark is decimal, never thousands. */
static void test_typed(void)
{
	static const struct {
		const char *s;
		int ok;
		int64_t want;
	} cases[] = {
		{ "3,45", 1, 345 },     { "3.45", 1, 345 },      { "12", 1, 1200 },
		{ "1 234,50", 1, 123450 }, { "1.234,50", 1, 123450 }, { "1,234.50", 1, 123450 },
		{ "3.456", 0, 0 },      { "11,905", 0, 0 },      { "1.234", 0, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		int64_t v = -1;
		const char *why = NULL;
		int rc = money_parse_typed(cases[i].s, MONEY_CENTS, &v, &why);

		if (cases[i].ok)
			ok(rc == 0 && v == cases[i].want, "typed '%s' = %" G_GINT64_FORMAT,
			   cases[i].s, cases[i].want);
		else
			ok(rc < 0 && why != NULL, "typed '%s' refused (three decimals, not thousands)",
			   cases[i].s);
	}
}

/* Amounts in words, traditional spelling: a table of cents and words. */
static void test_words(void)
{
	static const struct {
		int64_t cents;
		const char *want;
	} cases[] = {
		{ 0, "zéro euro" },
		{ 100, "un euro" },
		{ 200, "deux euros" },
		{ 1, "un centime" },
		{ 50, "cinquante centimes" },
		{ 4368, "quarante-trois euros et soixante-huit centimes" },
		{ 101, "un euro et un centime" },
		{ 124900, "mille deux cent quarante-neuf euros" },
		{ 124920, "mille deux cent quarante-neuf euros et vingt centimes" },
		{ 1700, "dix-sept euros" },
		{ 2100, "vingt et un euros" },
		{ 2200, "vingt-deux euros" },
		{ 3100, "trente et un euros" },
		{ 6100, "soixante et un euros" },
		{ 7000, "soixante-dix euros" },
		{ 7100, "soixante et onze euros" },
		{ 7200, "soixante-douze euros" },
		{ 7900, "soixante-dix-neuf euros" },
		{ 8000, "quatre-vingts euros" },
		{ 8100, "quatre-vingt-un euros" },
		{ 8800, "quatre-vingt-huit euros" },
		{ 9000, "quatre-vingt-dix euros" },
		{ 9100, "quatre-vingt-onze euros" },
		{ 9900, "quatre-vingt-dix-neuf euros" },
		{ 10000, "cent euros" },
		{ 10100, "cent un euros" },
		{ 18000, "cent quatre-vingts euros" },
		{ 20000, "deux cents euros" },
		{ 20100, "deux cent un euros" },
		{ 28000, "deux cent quatre-vingts euros" },
		{ 99999, "neuf cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes" },
		{ 100000, "mille euros" },
		{ 100100, "mille un euros" },
		{ 200000, "deux mille euros" },
		{ 8000000, "quatre-vingt mille euros" },
		{ 20000000, "deux cent mille euros" },
		{ 21100000, "deux cent onze mille euros" },
		{ 100000000, "un million d'euros" },
		{ 120000000, "un million deux cent mille euros" },
		{ 100000100, "un million un euros" },
		{ 200000000, "deux millions d'euros" },
		{ 200000050, "deux millions d'euros et cinquante centimes" },
		{ 8000000000LL, "quatre-vingts millions d'euros" },
		{ 20000000000LL, "deux cents millions d'euros" },
		{ 20100000000LL, "deux cent un millions d'euros" },
		{ 100000000000LL, "un milliard d'euros" },
		{ 300000000000LL, "trois milliards d'euros" },
		{ 300100000000LL, "trois milliards un million d'euros" },
		{ 300000100000LL, "trois milliards mille euros" },
		{ 99999999999999LL, "neuf cent quatre-vingt-dix-neuf milliards neuf cent quatre-vingt-dix-neuf "
				    "millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf "
				    "euros et quatre-vingt-dix-neuf centimes" },
		{ -300, "moins trois euros" },
		{ -50, "moins cinquante centimes" },
		{ -124900, "moins mille deux cent quarante-neuf euros" },
		{ -99999999999999LL, "moins neuf cent quatre-vingt-dix-neuf milliards neuf cent "
				     "quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf "
				     "cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *w = money_words_fr(cases[i].cents);

		is_str(w, cases[i].want, "words %" G_GINT64_FORMAT, (gint64)cases[i].cents);
	}
	ok(money_words_fr(100000000000000LL) == NULL, "words: 10^12 euros is beyond");
	ok(money_words_fr(-100000000000000LL) == NULL, "words: -10^12 euros is beyond");
	ok(money_words_fr(INT64_MIN) == NULL, "words: INT64_MIN is beyond");
	ok(money_words_fr(INT64_MAX) == NULL, "words: INT64_MAX is beyond");
}

int main(void)
{
	test_words();
	test_typed();
	test_printed();
	test_parse();
	test_shorthands();
	test_format();
	test_rounding();
	test_rounding_random();
	return tap_done();
}
