/* money.c: fixed-point parsing, formatting and rounding (see money.h).
 *
 * Everything is int64_t; products that could leave 64 bits are split so
 * that no intermediate overflows, and the few results that cannot fit
 * saturate instead of wrapping.
 */
#include "lib/money.h"

#include "lib/text.h"

#include <limits.h>
#include <string.h>

#define MONEY_MAX_UNITS 1000000000000000LL  /* 10^15, as money.h promises */
#define MONEY_MAX_SCALE 18                   /* 10^18 still fits in int64_t */

/* Length of the space ending at end (start <= end), or 0. */
static size_t space_len_before(const char *start, const char *end)
{
	size_t avail = (size_t)(end - start);

	for (size_t n = 1; n <= 3 && n <= avail; n++) {
		if (text_space_len(end - n) == n)
			return n;
	}
	return 0;
}

static int64_t pow10_or_max(int n)
{
	int64_t v = 1;

	while (n-- > 0) {
		if (__builtin_mul_overflow(v, 10, &v))
			return INT64_MAX;
	}
	return v;
}

/* The separators money.h describes for a text whose marks are known.  A
 * single mark followed by exactly three digits is grouping only when it
 * could be: nothing else groups the digits and 1 to 3 digits, not starting
 * with 0, precede it ("1.234"); otherwise it is decimal ("0,500",
 * "1234.567", "1 234,567"). */
static void guess_separators(const char *digits, const char *end, gboolean has_space,
			     char *decimal_r, char *thousands_r)
{
	const char *dot = NULL, *comma = NULL;
	int ndot = 0, ncomma = 0;
	const char *mark;
	size_t before, after;

	for (const char *q = digits; q < end; q++) {
		if (*q == '.') {
			dot = q;
			ndot++;
		} else if (*q == ',') {
			comma = q;
			ncomma++;
		}
	}
	*decimal_r = 0;
	*thousands_r = 0;
	if (dot != NULL && comma != NULL) {
		*decimal_r = dot > comma ? '.' : ',';
		*thousands_r = dot > comma ? ',' : '.';
		return;
	}
	if (dot == NULL && comma == NULL)
		return;
	mark = dot != NULL ? dot : comma;
	if (ndot + ncomma > 1) {
		/* "1.234.567"; a last group other than three digits is refused
		 * by the walk, as "1,2,3" must be */
		*thousands_r = *mark;
		return;
	}
	before = (size_t)(mark - digits);
	after = (size_t)(end - mark - 1);
	if (!has_space && after == 3 && before >= 1 && before <= 3 && digits[0] != '0')
		*thousands_r = *mark;
	else
		*decimal_r = *mark;
}

int money_parse(const char *s, int scale, char decimal_sep, char thousands_sep,
		int64_t *value_r, const char **why_r)
{
	const char *p, *end;
	gboolean negative = FALSE, has_space = FALSE, grouped = FALSE, in_decimals = FALSE;
	int group_len = 0, decimals = 0;
	int64_t value = 0, limit;

	if (scale < 0 || scale > MONEY_MAX_SCALE) {
		*why_r = "échelle non prise en charge";
		return -1;
	}
	if ((decimal_sep != 0 && decimal_sep != '.' && decimal_sep != ',') ||
	    (thousands_sep != 0 && thousands_sep != ' ' && thousands_sep != '.' &&
	     thousands_sep != ',') ||
	    (decimal_sep != 0 && decimal_sep == thousands_sep)) {
		*why_r = "séparateurs non pris en charge";
		return -1;
	}
	if (s == NULL) {
		*why_r = "valeur vide";
		return -1;
	}
	p = s;
	end = s + strlen(s);
	for (size_t n; (n = text_space_len(p)) > 0;)
		p += n;
	for (size_t n; p < end && (n = space_len_before(p, end)) > 0;)
		end -= n;
	if (p == end) {
		*why_r = "valeur vide";
		return -1;
	}
	if (*p == '-' || *p == '+') {
		negative = *p == '-';
		p++;
	}
	if (p == end) {
		*why_r = "aucun chiffre";
		return -1;
	}

	/* First pass: only digits, marks and spaces may follow the sign. */
	for (const char *q = p; q < end; q++) {
		size_t n = text_space_len(q);

		if (n > 0) {
			has_space = TRUE;
			q += n - 1;
		} else if (!g_ascii_isdigit(*q) && *q != '.' && *q != ',') {
			*why_r = "ce n'est pas un nombre";
			return -1;
		}
	}

	if (decimal_sep == 0 && thousands_sep == 0) {
		guess_separators(p, end, has_space, &decimal_sep, &thousands_sep);
	} else if (decimal_sep == 0) {
		if (thousands_sep != ' ')
			decimal_sep = thousands_sep == '.' ? ',' : '.';
		else  /* spaces group: a '.' or ',' can only be decimal */
			decimal_sep = memchr(p, ',', (size_t)(end - p)) != NULL ? ',' : '.';
	} else if (thousands_sep == 0) {
		thousands_sep = decimal_sep == ',' ? '.' : ',';
	}

	limit = pow10_or_max(scale);
	if (limit != INT64_MAX && __builtin_mul_overflow(limit, MONEY_MAX_UNITS, &limit))
		limit = INT64_MAX;

	/* Second pass: groups of three after each thousands mark, at most one
	 * decimal mark, digits on both sides of it. */
	for (const char *q = p; q < end; q++) {
		size_t n = text_space_len(q);

		if (g_ascii_isdigit(*q)) {
			if (in_decimals)
				decimals++;
			else
				group_len++;
			if (__builtin_mul_overflow(value, 10, &value) ||
			    __builtin_add_overflow(value, *q - '0', &value) || value > limit) {
				*why_r = "nombre trop grand";
				return -1;
			}
		} else if (n > 0 || *q == thousands_sep) {
			if (in_decimals || group_len == 0 || (grouped && group_len != 3) ||
			    (!grouped && group_len > 3)) {
				*why_r = "séparateur de milliers mal placé";
				return -1;
			}
			grouped = TRUE;
			group_len = 0;
			q += n > 0 ? n - 1 : 0;
		} else if (*q == decimal_sep) {
			if (in_decimals) {
				*why_r = "plus d'un séparateur décimal";
				return -1;
			}
			if (group_len == 0) {
				*why_r = "aucun chiffre avant le séparateur décimal";
				return -1;
			}
			if (grouped && group_len != 3) {
				*why_r = "séparateur de milliers mal placé";
				return -1;
			}
			in_decimals = TRUE;
		} else {
			*why_r = "séparateur mal placé";
			return -1;
		}
	}
	if (in_decimals && decimals == 0) {
		*why_r = "aucun chiffre après le séparateur décimal";
		return -1;
	}
	if (!in_decimals && grouped && group_len != 3) {
		*why_r = "séparateur de milliers mal placé";
		return -1;
	}
	if (decimals > scale) {
		*why_r = "trop de décimales";
		return -1;
	}
	for (; decimals < scale; decimals++) {
		if (__builtin_mul_overflow(value, 10, &value) || value > limit) {
			*why_r = "nombre trop grand";
			return -1;
		}
	}
	*value_r = negative ? -value : value;
	return 0;
}

int money_parse_typed(const char *s, int scale, int64_t *value_r, const char **why_r)
{
	size_t dots = 0, commas = 0;

	for (const char *q = s; *q != '\0'; q++) {
		dots += *q == '.';
		commas += *q == ',';
	}
	if (dots + commas == 1)
		return money_parse(s, scale, dots ? '.' : ',', ' ', value_r, why_r);
	return money_parse(s, scale, 0, 0, value_r, why_r);
}

int money_parse_cents(const char *s, int64_t *cents_r, const char **why_r)
{
	return money_parse(s, MONEY_CENTS, 0, 0, cents_r, why_r);
}

int money_parse_qty(const char *s, int64_t *milli_r, const char **why_r)
{
	return money_parse(s, MONEY_MILLI, 0, 0, milli_r, why_r);
}

int money_parse_rate(const char *s, int *bp_r, const char **why_r)
{
	int64_t v;

	if (money_parse(s, MONEY_BP, 0, 0, &v, why_r) < 0)
		return -1;
	if (v > INT_MAX || v < INT_MIN) {
		*why_r = "nombre trop grand";
		return -1;
	}
	*bp_r = (int)v;
	return 0;
}

/* |v| without the undefined -INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

char *money_format_cents(int64_t cents)
{
	uint64_t m = magnitude(cents);

	return g_strdup_printf("%s%" G_GUINT64_FORMAT ".%02u", cents < 0 ? "-" : "",
			       (guint64)(m / 100), (unsigned)(m % 100));
}

char *money_format_scaled(int64_t value, int scale)
{
	uint64_t m = magnitude(value), unit = 1, frac;
	GString *out;

	g_return_val_if_fail(scale >= 0 && scale <= MONEY_MAX_SCALE, NULL);
	for (int i = 0; i < scale; i++)
		unit *= 10;
	out = g_string_new(value < 0 ? "-" : "");
	g_string_append_printf(out, "%" G_GUINT64_FORMAT, (guint64)(m / unit));
	frac = m % unit;
	if (frac != 0) {
		int width = scale;

		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		g_string_append_printf(out, ".%0*" G_GUINT64_FORMAT, width, (guint64)frac);
	}
	return g_string_free(out, FALSE);
}

int money_parse_printed(const char *s, int scale, char decimal_sep, char thousands_sep,
			int64_t *value_r)
{
	g_autoptr(GString) clean = g_string_new(NULL);
	const char *why = NULL;
	const char *p;

	/* a '-' is a sign only at a word's start, right before the digits
	 * ("Réf-2" has none) */
	for (p = s; *p && !g_ascii_isdigit(*p) &&
		    !(*p == '-' && g_ascii_isdigit(p[1]) && (p == s || p[-1] == ' '));
	     p++)
		;
	while (*p) {
		if (g_ascii_isdigit(*p) || *p == ',' || *p == '.' || *p == ' ' ||
		    (*p == '-' && clean->len == 0)) {
			g_string_append_c(clean, *p++);
		} else if (g_str_has_prefix(p, "\u00a0") || g_str_has_prefix(p, "\u202f")) {
			/* no-break spaces between thousands */
			g_string_append_c(clean, ' ');
			p += strlen(g_str_has_prefix(p, "\u00a0") ? "\u00a0" : "\u202f");
		} else {
			break;
		}
	}
	while (clean->len > 0 && strchr(" .,", clean->str[clean->len - 1]))
		g_string_truncate(clean, clean->len - 1);
	if (clean->len == 0)
		return -1;
	return money_parse(clean->str, scale, decimal_sep, thousands_sep, value_r, &why);
}

char *money_format_cents_fr(int64_t cents)
{
	g_autofree char *plain = money_format_cents(cents);
	const char *dot = strchr(plain, '.');
	const char *digits = plain[0] == '-' ? plain + 1 : plain;
	size_t ndigits = (size_t)(dot - digits);
	GString *out = g_string_new(plain[0] == '-' ? "-" : "");

	for (size_t i = 0; i < ndigits; i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			g_string_append(out, "\u202f");
		g_string_append_c(out, digits[i]);
	}
	g_string_append_c(out, ',');
	g_string_append(out, dot + 1);
	return g_string_free(out, FALSE);
}

char *money_format_euros_fr(int64_t cents)
{
	g_autofree char *n = money_format_cents_fr(cents);

	return g_strdup_printf("%s €", n);
}

char *money_format_scaled_fr(int64_t value, int scale)
{
	return g_strdelimit(money_format_scaled(value, scale), ".", ',');
}

/* ---------------------------------------------------------------- in words */

static const char *const units_fr[20] = {
	"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
	"onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
};
/* tens 2 to 9; seventy and ninety are sixty and eighty plus ten to nineteen */
static const char *const tens_fr[10] = {
	NULL, NULL, "vingt", "trente", "quarante", "cinquante", "soixante", "soixante",
	"quatre-vingt", "quatre-vingt",
};

static void add_word(GString *out, const char *w)
{
	if (out->len > 0 && out->str[out->len - 1] != '-')
		g_string_append_c(out, ' ');
	g_string_append(out, w);
}

/* 1 to 99.  last: nothing follows but a noun (euros, millions), so that
 * "quatre-vingts" takes its s. */
static void words_below_100(GString *out, int n, gboolean last)
{
	int tens = n / 10, unit = n % 10;

	if (n < 20) {
		add_word(out, units_fr[n]);
		return;
	}
	if (tens == 7 || tens == 9)
		unit += 10;
	add_word(out, tens_fr[tens]);
	if (unit == 0) {
		if (tens == 8 && last)
			g_string_append_c(out, 's');
	} else if (unit == 1 && tens != 8) {
		add_word(out, "et");
		add_word(out, "un");
	} else if (unit == 11 && tens == 7) {
		add_word(out, "et");
		add_word(out, "onze");
	} else {
		g_string_append_c(out, '-');
		g_string_append(out, units_fr[unit]);
	}
}

/* 1 to 999; last as above ("deux cents", "deux cents millions", but
 * "deux cent mille", "deux cent un"). */
static void words_below_1000(GString *out, int n, gboolean last)
{
	int hundreds = n / 100, rest = n % 100;

	if (hundreds > 0) {
		if (hundreds > 1)
			add_word(out, units_fr[hundreds]);
		add_word(out, "cent");
		if (hundreds > 1 && rest == 0 && last)
			g_string_append_c(out, 's');
	}
	if (rest > 0)
		words_below_100(out, rest, last);
}

char *money_words_fr(int64_t cents)
{
	static const struct {
		int64_t size;
		const char *one, *many;   /* NULL: "mille", invariable, no "un" */
	} groups[] = {
		{ 1000000000, "milliard", "milliards" },
		{ 1000000, "million", "millions" },
		{ 1000, NULL, NULL },
	};
	uint64_t abs_cents = magnitude(cents);
	int64_t euros = (int64_t)(abs_cents / 100), rest;
	int cts = (int)(abs_cents % 100);
	GString *out;
	gboolean noun_last = FALSE;

	if (abs_cents > 99999999999999ULL)
		return NULL;
	out = g_string_new(cents < 0 ? "moins" : NULL);
	rest = euros;
	if (euros == 0 && cts == 0)
		add_word(out, "zéro");
	for (size_t i = 0; i < G_N_ELEMENTS(groups); i++) {
		int n = (int)(rest / groups[i].size);

		rest %= groups[i].size;
		if (n == 0)
			continue;
		if (groups[i].one == NULL) {
			if (n > 1)
				words_below_1000(out, n, FALSE);
			add_word(out, "mille");
		} else {
			words_below_1000(out, n, TRUE);
			add_word(out, n > 1 ? groups[i].many : groups[i].one);
		}
		noun_last = groups[i].one != NULL && rest == 0;
	}
	if (rest > 0)
		words_below_1000(out, (int)rest, TRUE);
	if (euros > 0 || cts == 0)
		add_word(out, noun_last ? "d'euros" : euros > 1 ? "euros" : "euro");
	if (cts > 0) {
		if (euros > 0)
			add_word(out, "et");
		words_below_100(out, cts, TRUE);
		add_word(out, cts > 1 ? "centimes" : "centime");
	}
	return g_string_free(out, FALSE);
}

/* a * b / d rounded half away from zero, d > 1 and d * d < 2^63, without
 * an intermediate overflow: with a = qa*d + ra and b = qb*d + rb,
 * a*b/d = qa*b + ra*qb + ra*rb/d.  C division truncates, so the three
 * terms share the sign of a*b (or are 0), and rounding the last one alone
 * rounds the sum.  A result beyond int64_t saturates. */
static int64_t mul_div_round(int64_t a, int64_t b, int64_t d)
{
	int64_t qa = a / d, ra = a % d, qb = b / d, rb = b % d;
	int64_t t = ra * rb, whole, part, q, r;
	int64_t saturated = (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;

	if (__builtin_mul_overflow(qa, b, &whole) || __builtin_mul_overflow(ra, qb, &part) ||
	    __builtin_add_overflow(whole, part, &whole))
		return saturated;
	q = t / d;
	r = t % d;
	if (2 * (r < 0 ? -r : r) >= d)
		q += t < 0 ? -1 : 1;
	if (__builtin_add_overflow(whole, q, &whole))
		return saturated;
	return whole;
}

int64_t money_apply_rate(int64_t base_cents, int rate_bp)
{
	/* rate_bp is hundredths of a percent: 5.5 % = 550 = 550 / 10000 */
	return mul_div_round(base_cents, rate_bp, 10000);
}

int64_t money_add(int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

int64_t money_line_total(int64_t unit_cents, int64_t qty_milli)
{
	return mul_div_round(unit_cents, qty_milli, 1000);
}
