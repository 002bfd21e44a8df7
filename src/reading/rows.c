/* rows.c: a table's rows read by their numbers, a letter's sentences,
 * the columns learned from corrections (rows.h). */
#include "reading/rows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A table no header names well (a header glued, wrapped over two lines,
 * in words this reader does not know) is still read by its rows: a row
 * is text followed by numbers among which the quantity times the unit
 * price gives the line's total, whatever the columns are called or
 * where they stand (issue "Intake IV").  Only rows whose arithmetic holds
 * are taken: no line is invented from a row that merely has numbers. */

/* Numbers on one line beyond which it is no row (the search for a
 * quantity, a price and their total costs the cube of them). */
#define ROW_MAX_NUMBERS 40

typedef enum { TOK_WORD, TOK_CODE, TOK_NUM, TOK_PACK } token_kind;

typedef struct {
	token_kind kind;
	char *text;
	double x0, x1;
	double v[2];            /* TOK_NUM: its value with its last mark a decimal one,
				 * and, when three digits follow it, a thousands one */
	int nv;
	int decimals;           /* TOK_NUM: digits after its last mark, 0 without */
	char *alt;              /* OCR's: the number without a leading "1" that may be a
				 * table's rule ("14,95" for "| 4,95"), or NULL */
} token;

static void token_clear(token *t)
{
	g_free(t->text);
	g_free(t->alt);
}

/* "1 200", "3,45", "14 280,00 €", "5.200": a number as printed, its
 * values under either reading of its last mark when three digits follow
 * it (the draft reads it again with the document's own mark). */
static gboolean number_token(const char *s, token *t)
{
	g_autofree char *digits = g_strdup(s);
	g_autoptr(GString) dec = g_string_new(NULL);
	g_autoptr(GString) whole = g_string_new(NULL);
	const char *last = NULL;
	size_t len = strlen(digits);

	if (g_str_has_suffix(digits, "€"))
		digits[len -= strlen("€")] = '\0';
	if (len == 0 || len > 24 || !g_ascii_isdigit(digits[0]) || !g_ascii_isdigit(digits[len - 1]))
		return FALSE;
	for (const char *p = digits; *p; p++) {
		if (*p == '.' || *p == ',')
			last = p;
		else if (*p != ' ' && !g_ascii_isdigit(*p))
			return FALSE;
	}
	for (const char *p = digits; *p; p++) {
		if (g_ascii_isdigit(*p)) {
			g_string_append_c(dec, *p);
			g_string_append_c(whole, *p);
		} else if (p == last) {
			g_string_append_c(dec, '.');
		}
	}
	t->decimals = last ? (int)strlen(last + 1) : 0;
	t->v[0] = g_ascii_strtod(dec->str, NULL);
	t->nv = 1;
	if (last != NULL && t->decimals == 3 && !(last == digits + 1 && digits[0] == '0'))
		t->v[t->nv++] = g_ascii_strtod(whole->str, NULL);
	return TRUE;
}

/* A product code: letters and digits, a hyphen or a minus sign between
 * ("BIO-1029", "BIO1003", "EP0373", "BIO−1007"), no more. */
static gboolean code_token(const char *s)
{
	gboolean letter = FALSE, digit = FALSE;
	size_t n = 0, lead = strspn(s, "0123456789");

	/* "4x125", "6x1L": a pack of sizes in a description, no code */
	if (lead > 0 && (s[lead] == 'x' || s[lead] == 'X') && g_ascii_isdigit(s[lead + 1]))
		return FALSE;

	for (const char *p = s; *p; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x80 && g_ascii_isalpha((char)c))
			letter = TRUE;
		else if (c < 0x80 && g_ascii_isdigit((char)c))
			digit = TRUE;
		else if (c != '-' && c != 0x2212 && c != '/' && c != '.')
			return FALSE;
	}
	return letter && digit && n >= 4 && n <= 24;
}

/* "x12", "×6", "CT12", "UC6": a packaging, no number of the row's. */
static gboolean pack_token(const char *s)
{
	const char *p = s;

	if (g_str_has_prefix(p, "×"))
		p += strlen("×");
	else if (*p == 'x' || *p == 'X')
		p++;
	else if (g_ascii_strncasecmp(p, "CT", 2) == 0 || g_ascii_strncasecmp(p, "UC", 2) == 0 ||
		 g_ascii_strncasecmp(p, "PK", 2) == 0)
		p += 2;
	else
		return FALSE;
	if (*p == '\0')
		return FALSE;
	for (; *p; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* The line's words as tokens, a number's groups of thousands joined
 * ("1" "200" -> "1 200"). */
static GArray *line_tokens(const laid_line *l)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(token));

	g_array_set_clear_func(out, (GDestroyNotify)token_clear);
	for (guint i = 0; i < l->words->len; i++) {
		const page_word *w = l->words->pdata[i];
		double height = MAX(w->y1 - w->y0, 1.0);
		const char *text = w->text;
		token t;

		/* OCR reads a table's rule before a number as a mark: ".30", "|12" */
		if (w->source == PAGE_WORD_OCR && strchr(".,:;|'`!", text[0]) != NULL && text[0] != '\0' &&
		    g_ascii_isdigit(text[1]))
			text++;
		t = (token){ TOK_WORD, g_strdup(text), w->x0, w->x1, { 0, 0 }, 0, 0, NULL };
		if (w->source == PAGE_WORD_OCR && text[0] == '1' && g_ascii_isdigit(text[1]))
			t.alt = g_strdup(text + 1);

		/* a group of three digits right after a number: its thousands */
		if (out->len > 0) {
			token *prev = &g_array_index(out, token, out->len - 1);
			size_t n = strlen(w->text);
			gboolean group = n >= 3 && g_ascii_isdigit(w->text[0]) &&
					 g_ascii_isdigit(w->text[1]) && g_ascii_isdigit(w->text[2]) &&
					 (n == 3 || w->text[3] == ',' || w->text[3] == '.' ||
					  g_str_has_prefix(w->text + 3, "€"));
			size_t plen = strlen(prev->text);
			gboolean prev_int = plen > 0 && plen <= 3 + 4 * 3 && g_ascii_isdigit(prev->text[0]) &&
					    strspn(prev->text, "0123456789 ") == plen;

			if (group && prev_int && w->x0 - prev->x1 < 0.6 * height) {
				char *joined = g_strdup_printf("%s %s", prev->text, w->text);

				g_free(prev->text);
				prev->text = joined;
				prev->x1 = w->x1;
				token_clear(&t);
				continue;
			}
		}
		g_array_append_val(out, t);
	}
	for (guint i = 0; i < out->len; i++) {
		token *t = &g_array_index(out, token, i);

		if (number_token(t->text, t))
			t->kind = TOK_NUM;
		else if (pack_token(t->text))
			t->kind = TOK_PACK;
		else if (code_token(t->text))
			t->kind = TOK_CODE;
	}
	return out;
}

/* A row that carries no product: a total, a carried subtotal, a fee. */
static gboolean not_an_item(const char *first_word)
{
	static const char *const words[] = {
		"total", "soustotal", "report", "tva", "frais", "remise", "escompte", "net",
		"montant", "acompte", "port", "livraison", "sous", "cumul", "subtotal", "shipping",
		"summe", "zwischensumme", "versand", "importe", "totale", "spedizione",
		/* a footer's numbers are no order's */
		"tel", "telephone", "fax", "siret", "siren", "iban", "rcs", "ape", "naf", "capital",
		"page", "folio",
	};
	g_autofree char *sq = reader_squash(first_word);

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		if (strcmp(sq, words[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* a × b is c, to the cent, or to a hundredth of a percent on a large
 * total (a price kept with more decimals than printed), under some
 * reading of each. */
static gboolean product_holds(const token *a, const token *b, const token *c)
{
	for (int i = 0; i < a->nv; i++) {
		for (int j = 0; j < b->nv; j++) {
			for (int k = 0; k < c->nv; k++) {
				double p = a->v[i] * b->v[j], t = c->v[k];

				if (t > 0 && fabs(p - t) <= 0.011 + 0.0001 * t)
					return TRUE;
			}
		}
	}
	return FALSE;
}

/* Whether a word of l is a product code. */
static gboolean code_in_words(const laid_line *l)
{
	for (guint i = 0; i < l->words->len; i++) {
		if (code_token(((const page_word *)l->words->pdata[i])->text))
			return TRUE;
	}
	return FALSE;
}

/* Among the numbers after the text, a quantity and a price whose
 * product is a third number, the total: *qi_r, *pi_r, *ti_r (-1 when
 * none).  The total is the last such number after its factors; with
 * split, anywhere (a row printed on two lines: the total beside the
 * description, "12 × 14,50 €" under it).  qty_first: what a header says
 * of their order (1 quantity first, 0 price first, -1 nothing). */
static void find_product(GArray *toks, int first_text, gboolean split, int qty_first, int *qi_r,
			 int *pi_r, int *ti_r)
{
	*qi_r = *pi_r = *ti_r = -1;
	for (int k = (int)toks->len - 1; k > first_text; k--) {
		const token *c = &g_array_index(toks, token, k);

		if (c->kind != TOK_NUM)
			continue;
		for (int i = first_text + 1; i < (int)toks->len; i++) {
			const token *a = &g_array_index(toks, token, i);

			if (a->kind != TOK_NUM || i == k || (!split && i > k))
				continue;
			for (int j = i + 1; j < (int)toks->len; j++) {
				const token *b = &g_array_index(toks, token, j);

				if (b->kind != TOK_NUM || j == k || (!split && j > k) ||
				    !product_holds(a, b, c))
					continue;
				*ti_r = k;
				/* the price has the decimals of money; a quantity is
				 * whole, or weighed with other decimals; when the
				 * decimals say nothing, the header's order does */
				if ((a->decimals == 2 && b->decimals != 2) ||
				    (a->decimals == b->decimals && qty_first == 0)) {
					*pi_r = i;
					*qi_r = j;
				} else {
					*qi_r = i;
					*pi_r = j;
				}
				return;
			}
		}
	}
}

/* find_product again with one of OCR's other readings of a number (a
 * rule read as a "1" before it): the first that makes the arithmetic
 * hold is the number, its text replaced; the indices as find_product's. */
static void find_product_ocr(GArray *toks, int first_text, gboolean split, int qty_first,
			     int *qi_r, int *pi_r, int *ti_r)
{
	for (guint k = 0; k < toks->len && *ti_r < 0; k++) {
		token *t = &g_array_index(toks, token, k);
		token was;

		if (t->kind != TOK_NUM || t->alt == NULL)
			continue;
		was = *t;
		t->text = t->alt;
		t->alt = NULL;
		if (number_token(t->text, t))
			find_product(toks, first_text, split, qty_first, qi_r, pi_r, ti_r);
		if (*ti_r >= 0) {
			g_free(was.text);
			return;
		}
		/* back to what OCR read; its other reading, tried, is gone */
		g_free(t->text);
		*t = was;
		t->alt = NULL;
	}
}

/* A row's text token t into its reference (the first code) or its
 * description (the rest; a number inside it is of it: "500 g"). */
static void take_text(const token *t, GString *ref, GString *desc)
{
	if (t->kind == TOK_CODE && ref->len == 0) {
		g_string_append(ref, t->text);
	} else if (t->kind == TOK_WORD || t->kind == TOK_CODE ||
		   (t->kind == TOK_NUM && desc->len > 0)) {
		if (desc->len)
			g_string_append_c(desc, ' ');
		g_string_append(desc, t->text);
	}
}

/* Reads the row l as a line into *out (owned), or FALSE: text, then
 * numbers of which two multiply to a third; or, when pair_r is not NULL,
 * a quantity and a price alone (*pair_r set), for the caller to vouch
 * for. */
static gboolean row_line(const laid_line *l, gboolean split, int qty_first, reader_line **out,
			 gboolean *pair_r)
{
	g_autoptr(GArray) toks = line_tokens(l);
	g_autoptr(GString) desc = g_string_new(NULL);
	g_autoptr(GString) ref = g_string_new(NULL);
	int first_text = -1;
	int qi = -1, pi = -1, ti = -1;

	*out = NULL;
	for (guint i = 0; i < toks->len; i++) {
		token *t = &g_array_index(toks, token, i);

		if (t->kind == TOK_WORD || t->kind == TOK_CODE) {
			first_text = (int)i;
			break;
		}
	}
	if (first_text < 0 || first_text > 1)
		return FALSE;   /* a row number at most before the text */
	if (not_an_item(g_array_index(toks, token, first_text).text))
		return FALSE;
	{
		g_autofree char *sq = reader_squash(l->text);
		guint numbers = 0;

		for (guint i = 0; i < toks->len; i++)
			numbers += g_array_index(toks, token, i).kind == TOK_NUM;
		/* "À reporter"; and a line of more numbers than any row has,
		 * which the search below would spend its cube on */
		if (g_str_has_prefix(sq, "areporter") || numbers > ROW_MAX_NUMBERS)
			return FALSE;
	}
	find_product(toks, first_text, split, qty_first, &qi, &pi, &ti);
	if (ti < 0)
		find_product_ocr(toks, first_text, split, qty_first, &qi, &pi, &ti);
	if (ti < 0 && pair_r != NULL) {
		/* no total printed: the two numbers that end the row (a
		 * packaging between them and the text aside), the one with the
		 * two decimals of money the price; the caller decides whether
		 * the document's total or its header vouch for them */
		int last = (int)toks->len - 1, nums[2], n = 0;

		while (last > first_text &&
		       g_array_index(toks, token, last).kind == TOK_WORD &&
		       strcmp(g_array_index(toks, token, last).text, "€") == 0)
			last--;
		for (int i = last; i > first_text && n < 2; i--) {
			const token *t = &g_array_index(toks, token, i);

			if (t->kind == TOK_NUM)
				nums[n++] = i;
			else if (t->kind != TOK_PACK)
				break;
		}
		if (n == 2) {
			const token *a = &g_array_index(toks, token, nums[1]);
			const token *b = &g_array_index(toks, token, nums[0]);

			if (a->decimals == 2 && b->decimals != 2) {
				pi = nums[1];
				qi = nums[0];
			} else if (b->decimals == 2 && a->decimals != 2) {
				qi = nums[1];
				pi = nums[0];
			} else if (qty_first >= 0) {
				/* the decimals say nothing ("24.000 14.210"): the header's
				 * order does */
				qi = qty_first ? nums[1] : nums[0];
				pi = qty_first ? nums[0] : nums[1];
			}
		}
		if (qi < 0)
			return FALSE;
		*pair_r = TRUE;
	}
	if (qi < 0)
		return FALSE;
	for (int i = first_text; i < (int)toks->len; i++) {
		const token *t = &g_array_index(toks, token, i);

		if (i >= qi || i >= pi || (ti >= 0 && i >= ti)) {
			/* past the numbers: a code printed after them ("SKU :
			 * BIO-1012" under a row on two lines) is still its own */
			if (split && t->kind == TOK_CODE && ref->len == 0)
				g_string_append(ref, t->text);
			continue;
		}
		take_text(t, ref, desc);
	}
	if (desc->len == 0 && ref->len == 0)
		return FALSE;
	*out = g_new0(reader_line, 1);
	(*out)->ref = ref->len ? g_strdup(ref->str) : NULL;
	(*out)->description = desc->len ? g_strdup(desc->str) : NULL;
	(*out)->qty = g_strdup(g_array_index(toks, token, qi).text);
	(*out)->unit_price = g_strdup(g_array_index(toks, token, pi).text);
	(*out)->line_total = ti >= 0 ? g_strdup(g_array_index(toks, token, ti).text) : NULL;
	(*out)->page = l->page;
	(*out)->text = g_strdup(l->text);
	/* a pair's: its caller says what vouched for it */
	(*out)->how = READ_BY_ARITHMETIC;
	return TRUE;
}

/* A row printed on two lines (its description and total, then "12 ×
 * 14,50 €" and its reference under them), read as one; FALSE when the
 * two lines are not that. */
static gboolean row_on_two_lines(const laid_line *a, const laid_line *b, reader_line **out)
{
	laid_line both = { a->page, NULL, NULL, NULL };
	gboolean read;

	*out = NULL;
	if (a->page != b->page || b->words->len == 0 || b->words->len > 12 || a->words->len > 60)
		return FALSE;
	{
		/* the second line begins with its numbers, and is no row itself */
		token first = { 0 };
		reader_line *alone = NULL;

		if (!number_token(((const page_word *)b->words->pdata[0])->text, &first))
			return FALSE;
		if (row_line(b, FALSE, -1, &alone, NULL)) {
			reader_line_free(alone);
			return FALSE;
		}
	}
	both.words = g_ptr_array_new();
	for (guint i = 0; i < a->words->len; i++)
		g_ptr_array_add(both.words, a->words->pdata[i]);
	for (guint i = 0; i < b->words->len; i++)
		g_ptr_array_add(both.words, b->words->pdata[i]);
	both.text = g_strdup_printf("%s\n%s", a->text, b->text);
	read = row_line(&both, TRUE, -1, out, NULL);
	if (read)
		(*out)->two_lines = TRUE;
	g_ptr_array_unref(both.words);
	g_free(both.text);
	return read;
}

/* The total before tax the document prints ("Total HT 1 249,00"), its
 * readings in t; FALSE when none. */
static gboolean printed_total(const reader_layout *lay, token *t)
{
	for (guint i = lay->lines->len; i-- > 0;) {
		const laid_line *l = lay->lines->pdata[i];
		g_autofree char *sq = reader_squash(l->text);
		g_autoptr(GArray) toks = NULL;

		if (!(g_str_has_prefix(sq, "total") || g_str_has_prefix(sq, "montanttotal") ||
		      g_str_has_prefix(sq, "soustotal") || g_str_has_prefix(sq, "subtotal") ||
		      g_str_has_prefix(sq, "summe")) ||
		    strstr(sq, "ttc") != NULL)
			continue;
		toks = line_tokens(l);
		for (guint k = toks->len; k-- > 0;) {
			token *n = &g_array_index(toks, token, k);

			if (n->kind == TOK_NUM) {
				*t = *n;
				t->text = NULL;
				return TRUE;
			}
		}
	}
	return FALSE;
}

/* Whether the document's lines of quantity and price alone add up to its
 * printed total, under some reading of its numbers. */
static gboolean pairs_add_up(const reader_layout *lay, GArray *pairs)
{
	token total;
	double sums[2] = { 0, 0 };

	if (!printed_total(lay, &total))
		return FALSE;
	for (guint i = 0; i + 1 < pairs->len; i += 2) {
		const token *q = &g_array_index(pairs, token, i);
		const token *p = &g_array_index(pairs, token, i + 1);

		sums[0] += q->v[0] * p->v[0];
		sums[1] += q->v[q->nv - 1] * p->v[p->nv - 1];
	}
	for (int k = 0; k < total.nv; k++) {
		for (int j = 0; j < 2; j++) {
			if (fabs(sums[j] - total.v[k]) <= 0.011 * (double)(pairs->len / 2 + 1))
				return TRUE;
		}
	}
	return FALSE;
}

const char *reader_word_in(const char *sq, const char *const *words)
{
	for (; *words != NULL; words++) {
		const char *at = strstr(sq, *words);

		if (at != NULL)
			return at;
	}
	return NULL;
}

/* A table's header words, squashed: French, and a neighbour's
 * (English, German, Spanish, Italian). */
static const char *const qty_words[] = { "qte", "quantit", "qty", "menge", "anzahl", "cantidad",
					 "qta", NULL };
static const char *const price_words[] = { "prix", "pu", "tarif", "price", "preis", "precio",
					   "prezzo", NULL };
static const char *const amount_words[] = { "prix", "montant", "total", "amount", "betrag",
					    "gesamt", "importe", "importo", NULL };
static const char *const item_words[] = { "produit", "article", "designation", "libelle",
					  "description", "ref", "item", "product", "artikel",
					  "bezeichnung", "articulo", "descripcion", "articolo",
					  "descrizione", NULL };

/* The rows of the whole document read by their numbers; a line of words
 * alone right under a row (a description wrapped, "Réf. fournisseur :
 * BIO-1012") goes with it.  Rows of a quantity and a price alone are
 * taken only when there is no row with a total, and a header above them
 * names a quantity and a price or they add up to the total the document
 * prints. */
void rows_read(const reader_layout *lay, GPtrArray *out)
{
	g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);
	g_autoptr(GArray) pair_values = g_array_new(FALSE, TRUE, sizeof(token));
	reader_line *last = NULL;
	gboolean header_above = FALSE;
	gboolean in_table = FALSE;
	int qty_first = -1;   /* what the header says of their order: unknown */

	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		reader_line *rl = NULL;
		gboolean pair = FALSE;

		g_autofree char *sq = reader_squash(l->text);
		const char *qty_at = reader_word_in(sq, qty_words);
		const char *price_at = reader_word_in(sq, price_words);

		if (pairs->len == 0 && !header_above && qty_at != NULL && price_at != NULL) {
			/* a header that names a quantity and a price, however
			 * glued or worded: "ConditionnementQté PU net" */
			header_above = TRUE;
			qty_first = qty_at < price_at;
		}
		/* the table: from a line that heads it (a quantity, or a product
		 * and a price or total) to its total; a footer's numbers ("Tél.
		 * 04 72 12 48 90": 4 × 12 = 48) are no rows */
		if (g_str_has_prefix(sq, "total") || g_str_has_prefix(sq, "montanttotal") ||
		    g_str_has_prefix(sq, "netapayer") || g_str_has_prefix(sq, "subtotal") ||
		    g_str_has_prefix(sq, "summe") || g_str_has_prefix(sq, "zwischensumme"))
			in_table = FALSE;
		else if (qty_at != NULL || (reader_word_in(sq, amount_words) && reader_word_in(sq, item_words)))
			in_table = TRUE;
		if (!in_table) {
			last = NULL;
			continue;
		}
		if (row_line(l, FALSE, qty_first, &rl, &pair) ||
		    (i + 1 < lay->lines->len && row_on_two_lines(l, lay->lines->pdata[i + 1], &rl) &&
		     (i++, TRUE))) {
			if (pair) {
				token q = { 0 }, p = { 0 };

				if (number_token(rl->qty, &q) && number_token(rl->unit_price, &p)) {
					g_array_append_val(pair_values, q);
					g_array_append_val(pair_values, p);
				}
			}
			g_ptr_array_add(pair ? pairs : out, rl);
			last = rl;
			continue;
		}
		if (last != NULL && last->page == l->page && l->words->len <= 8 &&
		    strpbrk(l->text, "0123456789") != NULL && code_in_words(l)) {
			/* the reference under its description */
			char *joined = g_strdup_printf("%s %s", last->description ? last->description : "",
						       l->text);

			g_free(last->description);
			last->description = g_strstrip(joined);
		}
		last = NULL;
	}
	if (out->len == 0 && pairs->len > 0) {
		gboolean add_up = pairs_add_up(lay, pair_values);

		for (guint i = 0; (header_above || add_up) && i < pairs->len; i++) {
			reader_line *rl = g_steal_pointer(&pairs->pdata[i]);

			rl->how = add_up ? READ_BY_DOCUMENT_TOTAL : READ_BY_HEADER;
			g_ptr_array_add(out, rl);
		}
	}
}

/* ---------------------------------------------------------------- a letter's lines */

/* An order written as a letter or a mail's text, no table: "- 12 x
 * BIO-2001 Farine de blé T65", "6 cartons de BIO-2004 jus de pomme",
 * "BIO-2003 huile d'olive : 4".  A sentence is a line when it holds
 * exactly one reference and exactly one number that counts it (before
 * "x", a packaging word or the reference, or after ":", "x", "qté"); a
 * number followed by a unit of size ("1 kg", "75 cl") is the product's.
 * No price: the catalogue's applies. */

/* "Qté:" -> "qte:" (owned): a word as the lists below spell it. */
static char *lower_ascii(const char *w)
{
	g_autofree char *ascii = g_str_to_ascii(w, "C");

	return g_ascii_strdown(ascii, -1);
}

/* Whether w, in lower case ASCII, counts what follows it. */
static gboolean counting_word(const char *w)
{
	static const char *const words[] = {
		"x", "*", "carton", "cartons", "colis", "unite", "unites", "piece", "pieces", "pcs",
		"sac", "sacs", "bouteille", "bouteilles", "boite", "boites", "pot", "pots",
		"paquet", "paquets", "caisse", "caisses", "lot", "lots", "bidon", "bidons",
		"flacon", "flacons", "barquette", "barquettes", "sachet", "sachets", "fois", NULL,
	};

	return g_strv_contains(words, w);
}

/* Whether w is a unit of size: the number before it is the product's. */
static gboolean size_unit(const char *w)
{
	static const char *const units[] = { "g", "kg", "mg", "l", "cl", "ml", "dl", "cm", "mm",
					     "m", "%", NULL };

	return g_strv_contains(units, w);
}

/* The letter's line read from l, or NULL. */
static reader_line *prose_line(const laid_line *l)
{
	g_autoptr(GArray) toks = line_tokens(l);
	g_autoptr(GString) desc = g_string_new(NULL);
	int code = -1, qty = -1, codes = 0;
	const token *t = NULL;

	if (toks->len < 2 || toks->len > 30)
		return NULL;
	for (guint i = 0; i < toks->len; i++) {
		t = &g_array_index(toks, token, i);
		if (t->kind == TOK_CODE && strchr(t->text, '/') == NULL)
			code = (int)i, codes++;
	}
	if (codes != 1 || not_an_item(g_array_index(toks, token, 0).text))
		return NULL;
	if (code > 0) {
		/* "N° : BC-118", "commande BV-2026-31": a field's value, no product */
		g_autofree char *before = lower_ascii(g_array_index(toks, token, code - 1).text);
		static const char *const labels[] = { ":", "n", "no", "n.", "no.", "numero",
						      "commande", "cde", "#", "ref", "ref.", "ref:",
						      "reference", NULL };

		if (g_strv_contains(labels, before) || (g_str_has_suffix(before, ":") && code > 1))
			return NULL;
	}
	for (guint i = 0; i < toks->len; i++) {
		g_autofree char *next = NULL;
		g_autofree char *prev = NULL;
		gboolean counts;

		t = &g_array_index(toks, token, i);
		if (t->kind != TOK_NUM)
			continue;
		if (i + 1 < toks->len)
			next = lower_ascii(g_array_index(toks, token, i + 1).text);
		if (i > 0)
			prev = lower_ascii(g_array_index(toks, token, i - 1).text);
		if (next != NULL && size_unit(next))
			continue;   /* "1 kg": the product's size */
		if (strchr(t->text, '.') != strrchr(t->text, '.') ||
		    strchr(t->text, ',') != strrchr(t->text, ','))
			return NULL;   /* "20.11.2026": a date, no count */
		counts = (next != NULL && counting_word(next)) || (int)i + 1 == code ||
			 (prev != NULL && (g_str_has_suffix(prev, ":") || strcmp(prev, "x") == 0 ||
					   strcmp(prev, "qte") == 0 || strcmp(prev, "qte:") == 0 ||
					   strcmp(prev, "quantite") == 0 || strcmp(prev, "quantite:") == 0)) ||
			 (i == 0 && next != NULL) || (i == 1 && prev != NULL && (strcmp(prev, "-") == 0 ||
										 strcmp(prev, "•") == 0));
		if (!counts)
			return NULL;   /* a number that counts nothing: no sentence of an order */
		if (qty >= 0)
			return NULL;   /* two counts: which one? */
		qty = (int)i;
	}
	if (qty < 0)
		return NULL;
	for (guint i = 0, counted = 0; i < toks->len; i++) {
		g_autofree char *lower = NULL;

		t = &g_array_index(toks, token, i);
		lower = lower_ascii(t->text);
		/* "12 x", "6 cartons de": the count's words, not the product's */
		if ((int)i == qty + 1 && counting_word(lower)) {
			counted = i;
			continue;
		}
		if (counted > 0 && i == counted + 1 && (strcmp(lower, "de") == 0 || strcmp(lower, "d'") == 0))
			continue;
		if ((int)i == qty || (int)i == code || t->kind == TOK_PACK ||
		    (t->kind == TOK_WORD && strlen(t->text) <= 1 && !g_ascii_isalnum(t->text[0])) ||
		    strcmp(t->text, ":") == 0)
			continue;
		if (desc->len)
			g_string_append_c(desc, ' ');
		g_string_append(desc, t->text);
	}
	{
		reader_line *rl = g_new0(reader_line, 1);

		rl->ref = g_strdup(g_array_index(toks, token, code).text);
		rl->description = desc->len ? g_strdup(desc->str) : NULL;
		rl->qty = g_strdup(g_array_index(toks, token, qty).text);
		rl->page = l->page;
		rl->text = g_strdup(l->text);
		rl->how = READ_BY_PROSE;
		return rl;
	}
}

void rows_read_letter(const reader_layout *lay, GPtrArray *out)
{
	for (guint i = 0; i < lay->lines->len; i++) {
		reader_line *rl = prose_line(lay->lines->pdata[i]);

		if (rl != NULL)
			g_ptr_array_add(out, rl);
	}
}

/* ---------------------------------------------------------------- a layout learned */

/* Whether t reads as v, and as which of its readings (*k_r). */
static gboolean token_is(const token *t, double v, int *k_r)
{
	for (int k = 0; k < t->nv; k++) {
		if (fabs(t->v[k] - v) < 0.0005) {
			*k_r = k;
			return TRUE;
		}
	}
	return FALSE;
}

/* The decimal mark that reads t as its reading k: its last mark when
 * that is decimal (k 0), the other when it groups thousands; 0 without. */
static char mark_reading(const token *t, int k)
{
	const char *last = NULL;

	for (const char *p = t->text; *p; p++) {
		if (*p == '.' || *p == ',')
			last = p;
	}
	if (last == NULL)
		return 0;
	return k == 0 ? *last : *last == '.' ? ',' : '.';
}

gboolean reader_find_row(const reader_layout *lay, const char *key, double qty, double price,
			 reader_columns *found)
{
	g_autofree char *want = key ? g_utf8_casefold(key, -1) : NULL;

	if (want == NULL || strlen(want) < 3)
		return FALSE;
	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		g_autofree char *text = g_utf8_casefold(l->text, -1);
		g_autoptr(GArray) toks = NULL;
		int qi = -1, pi = -1, qk = 0, pk = 0;

		if (strstr(text, want) == NULL)
			continue;
		toks = line_tokens(l);
		/* the price: the first number that is it (a quantity of 1
		 * prints the total equal to it, after it); the quantity: the
		 * number that is it closest to the price, on either side (a
		 * description's "500 g" stands farther) */
		for (guint k = 0; k < toks->len && pi < 0; k++) {
			const token *t = &g_array_index(toks, token, k);

			if (t->kind == TOK_NUM && token_is(t, price, &pk))
				pi = (int)k;
		}
		for (guint k = 0; pi >= 0 && k < toks->len; k++) {
			const token *t = &g_array_index(toks, token, k);
			int kq;

			if (t->kind != TOK_NUM || (int)k == pi || !token_is(t, qty, &kq))
				continue;
			if (qi < 0 || abs((int)k - pi) < abs(qi - pi))
				qi = (int)k, qk = kq;
		}
		if (qi < 0 || pi < 0)
			continue;
		{
			const token *q = &g_array_index(toks, token, qi);
			const token *p = &g_array_index(toks, token, pi);
			char qmark = mark_reading(q, qk), pmark = mark_reading(p, pk);

			found->qty_x = (q->x0 + q->x1) / 2;
			found->price_x = (p->x0 + p->x1) / 2;
			found->decimal_mark = pmark ? pmark : qmark;
		}
		return TRUE;
	}
	return FALSE;
}

/* The number of toks standing in the column centred at x (-1: none):
 * the one whose extent, widened by a little, holds x, closest first
 * (numbers of one column are aligned left, right or centred). */
static int number_under(GArray *toks, double x, int but)
{
	int best = -1;
	double best_d = 0;

	for (guint i = 0; i < toks->len; i++) {
		const token *t = &g_array_index(toks, token, i);
		double mid = (t->x0 + t->x1) / 2, d = fabs(mid - x);

		if (t->kind != TOK_NUM || (int)i == but || x < t->x0 - 8 || x > t->x1 + 8)
			continue;
		if (best < 0 || d < best_d)
			best = (int)i, best_d = d;
	}
	return best;
}

/* The number toks[i] with the group of thousands a space apart before
 * it ("1" "200.000": a monospaced listing's space is wider than the
 * joining of line_tokens allows), owned. */
static char *thousands_before(GArray *toks, int i)
{
	const token *t = &g_array_index(toks, token, i);
	const token *prev = i > 0 ? &g_array_index(toks, token, i - 1) : NULL;
	size_t n = strlen(t->text), pn = prev ? strlen(prev->text) : 0;
	double char_width = n ? (t->x1 - t->x0) / (double)n : 0;

	if (prev != NULL && prev->kind == TOK_NUM && pn >= 1 && pn <= 3 &&
	    strspn(prev->text, "0123456789") == pn && strspn(t->text, "0123456789") == 3 &&
	    (n == 3 || t->text[3] == '.' || t->text[3] == ',') &&
	    t->x0 - prev->x1 <= 1.2 * char_width)
		return g_strdup_printf("%s %s", prev->text, t->text);
	return g_strdup(t->text);
}

/* The rows of lay read by the columns learned: a line with text, then a
 * number under the quantity's column and one under the price's; a
 * number right of both is the line's total. */
static void learned_lines(const reader_layout *lay, const reader_columns *cols, GPtrArray *out)
{
	for (guint i = 0; i < lay->lines->len; i++) {
		const laid_line *l = lay->lines->pdata[i];
		g_autoptr(GArray) toks = line_tokens(l);
		g_autoptr(GString) desc = g_string_new(NULL);
		g_autoptr(GString) ref = g_string_new(NULL);
		g_autofree char *sq = reader_squash(l->text);
		int qi = number_under(toks, cols->qty_x, -1);
		int pi = qi >= 0 ? number_under(toks, cols->price_x, qi) : -1;
		int first = MIN(qi, pi), last = MAX(qi, pi), ti = -1;
		reader_line *rl;

		if (qi < 0 || pi < 0 || g_str_has_prefix(sq, "total") ||
		    g_str_has_prefix(sq, "soustotal") || g_str_has_prefix(sq, "report") ||
		    g_str_has_prefix(sq, "areporter") || g_str_has_prefix(sq, "montanttotal") ||
		    g_str_has_prefix(sq, "netapayer"))
			continue;
		for (int k = 0; k < first; k++)
			take_text(&g_array_index(toks, token, k), ref, desc);
		if ((desc->len == 0 && ref->len == 0) ||
		    not_an_item(g_array_index(toks, token, 0).text))
			continue;
		for (int k = (int)toks->len - 1; k > last && ti < 0; k--) {
			if (g_array_index(toks, token, k).kind == TOK_NUM)
				ti = k;
		}
		rl = g_new0(reader_line, 1);
		rl->ref = ref->len ? g_strdup(ref->str) : NULL;
		rl->description = desc->len ? g_strdup(desc->str) : NULL;
		rl->qty = thousands_before(toks, qi);
		rl->unit_price = thousands_before(toks, pi);
		rl->line_total = ti >= 0 ? thousands_before(toks, ti) : NULL;
		rl->page = l->page;
		rl->text = g_strdup(l->text);
		rl->how = READ_BY_LEARNED;
		g_ptr_array_add(out, rl);
	}
}

/* The learned layout over what the generic reader read of the lines. */
void rows_apply_learned(const reader_layout *lay, const reader_columns *cols, reading *rd)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)reader_line_free);

	learned_lines(lay, cols, rows);
	/* another layout from the same sender: its own reading, its own marks */
	if (rows->len == 0 || rows->len < rd->lines->len)
		return;
	rd->decimal_mark = cols->decimal_mark;
	g_free(rd->lines_choice);
	rd->lines_choice = g_strdup_printf("lignes lues par les colonnes apprises d'une correction "
					   "(quantité vers x = %.0f, prix vers x = %.0f) : %u ligne%s, "
					   "contre %u par la lecture générique",
					   cols->qty_x, cols->price_x, rows->len,
					   rows->len > 1 ? "s" : "", rd->lines->len);
	g_ptr_array_set_size(rd->lines, 0);
	for (guint i = 0; i < rows->len; i++)
		g_ptr_array_add(rd->lines, g_steal_pointer(&rows->pdata[i]));
	g_ptr_array_set_size(rows, 0);
}
