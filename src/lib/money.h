/* money.h: exact decimal arithmetic for money, rates and quantities.
 *
 * Money is integer cents (int64_t), VAT rates are basis points (5.5 % = 550),
 * quantities are thousandths (2.5 kg = 2500).  Never a double.
 * Strings returned are owned by the caller (g_free).
 */
#ifndef MO_MONEY_H
#define MO_MONEY_H

#include <glib.h>
#include <stdint.h>

/* A fixed-point value that may be absent: a price or a total a PO does
 * not print, a VAT rate not known yet.  Absent is said, not coded in the
 * value, so that every value, a negative one too (a credit note, a
 * return), is a value. */
typedef struct {
	int64_t value;
	gboolean known;
} maybe_amount;

#define AMOUNT_ABSENT ((maybe_amount){ 0, FALSE })
static inline maybe_amount amount_of(int64_t value)
{
	return (maybe_amount){ value, TRUE };
}

/* Scales of the fixed-point values. */
#define MONEY_CENTS 2   /* money */
#define MONEY_BP    2   /* rates in percent: 5.5 -> 550 */
#define MONEY_MILLI 3   /* quantities */

/* Parses a decimal number as people write it ("1 234,50", "1.234,50",
 * "1,234.50", "3.45", "4,80", "-2", "+7") into an integer scaled by
 * 10^scale.  decimal_sep is '.' or ',', or 0 to guess from the text (the
 * last separator followed by other than exactly three digits is the decimal
 * one); thousands_sep is ' ', '.', ',', or 0 to guess (spaces, including
 * U+00A0 and U+202F, are always accepted as thousands separators).
 * Leading/trailing spaces are ignored.  Refuses (returns -1, *why_r set to a
 * static English phrase) empty strings, stray characters, more decimals
 * than scale, and values beyond +-10^15 units. */
int money_parse(const char *s, int scale, char decimal_sep, char thousands_sep,
		int64_t *value_r, const char **why_r);

/* The number in a cell of a printed order: its first run of digits,
 * separators and spaces (no-break ones too), whatever comes before or
 * after ("1 234,50 €", "€ 3,45", "12 pièces", "2,5 kg", "6 u."), parsed
 * as above.  -1 when there is none or it does not parse. */
int money_parse_printed(const char *s, int scale, char decimal_sep, char thousands_sep,
			int64_t *value_r);
/* A number as a person types it in a field (a catalogue price): a single
 * '.' or ',' is its decimal mark, never a thousands one ("3.456" has
 * three decimals, refused at scale 2), spaces may group thousands; with
 * both marks, the last is the decimal one. */
int money_parse_typed(const char *s, int scale, int64_t *value_r, const char **why_r);
/* Shorthands with guessed separators. */
int money_parse_cents(const char *s, int64_t *cents_r, const char **why_r);
int money_parse_qty(const char *s, int64_t *milli_r, const char **why_r);
int money_parse_rate(const char *s, int *bp_r, const char **why_r);

/* "41.40", "-0.05": always two decimals, '.' separator, no grouping. */
char *money_format_cents(int64_t cents);
/* As a French reader writes it: "1 234,50" (narrow no-break space
 * between thousands, decimal comma). */
char *money_format_cents_fr(int64_t cents);
/* The same with its euro sign: "1 234,50 €". */
char *money_format_euros_fr(int64_t cents);
/* A quantity or rate with a decimal comma: 2500 -> "2,5". */
char *money_format_scaled_fr(int64_t value, int scale);
/* The amount in French words, as an invoice says it in full, in the
 * traditional spelling (hyphens below a hundred only): "mille deux cent
 * quarante-neuf euros", "quarante-trois euros et soixante-huit centimes",
 * "un euro", "zéro euro", "quatre-vingts euros", "deux cent un euros",
 * "un million deux cent mille euros", "deux millions d'euros", "cinquante
 * centimes", "moins trois euros".  Up to 999 999 999 999,99 either way;
 * NULL beyond. */
char *money_words_fr(int64_t cents);

/* A scaled value with trailing zeros (and a trailing '.') removed:
 * qty 12000 -> "12", 2500 -> "2.5"; rate 550 -> "5.5", 2000 -> "20". */
char *money_format_scaled(int64_t value, int scale);

/* base * rate, rounded half away from zero to the cent. */
int64_t money_apply_rate(int64_t base_cents, int rate_bp);
/* a + b, held at INT64_MAX or INT64_MIN instead of wrapping: a hostile
 * document's huge values give a huge total, never a negative one. */
int64_t money_add(int64_t a, int64_t b);
/* The largest quantity (thousandths: 1 000 000 units) and unit price
 * (cents: 10 000 000 €) a clerk may type: a line's total then fits in
 * int64 with room for many lines. */
#define MONEY_QTY_MAX_MILLI ((int64_t)1000000 * 1000)
#define MONEY_PRICE_MAX_CENTS ((int64_t)10000000 * 100)
/* unit price * quantity (thousandths), rounded half away from zero. */
int64_t money_line_total(int64_t unit_cents, int64_t qty_milli);

#endif
