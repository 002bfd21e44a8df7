/* confidence.c: how sure intake is of what it read (confidence.h). */
#include "orders/confidence.h"

#include <string.h>

/* The cells' names as the clerk reads them, in reader_cell_confidence's
 * order. */
static const char *const cell_fr[CONFIDENCE_CELLS] = {
	"la référence", "la désignation", "la quantité", "le prix unitaire", "le montant",
};

static void add_why(char **why, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void add_why(char **why, const char *fmt, ...)
{
	g_autofree char *one = NULL;
	char *both;
	va_list ap;

	va_start(ap, fmt);
	one = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	both = *why ? g_strdup_printf("%s ; %s", *why, one) : g_strdup(one);
	g_free(*why);
	*why = both;
}

int confidence_how_sureness(reader_how how)
{
	static const int sure[] = {
		[READ_BY_RULE] = 100,
		[READ_BY_ARITHMETIC] = 97,
		[READ_BY_LEARNED] = 92,
		[READ_BY_COLUMNS] = 90,
		[READ_BY_DOCUMENT_TOTAL] = 90,
		[READ_BY_HEADER] = 75,
		[READ_BY_PROSE] = 75,
	};

	return sure[how];
}

const char *confidence_how_fr(reader_how how)
{
	static const char *const fr[] = {
		[READ_BY_RULE] = "par la règle de cette mise en page",
		[READ_BY_ARITHMETIC] = "par ses nombres : quantité × prix = montant imprimé",
		[READ_BY_LEARNED] = "par les colonnes apprises en corrigeant un bon précédent de cet "
				    "expéditeur",
		[READ_BY_COLUMNS] = "par les colonnes que nomme l'en-tête du tableau",
		[READ_BY_DOCUMENT_TOTAL] = "par ses nombres : quantité et prix sans montant, "
					   "les lignes faisant le total imprimé",
		[READ_BY_PROSE] = "dans le texte d'une lettre : une quantité et une référence, sans "
				  "prix (celui du catalogue)",
		[READ_BY_HEADER] = "par ses nombres : quantité et prix sans montant, sous un "
				   "en-tête qui les nomme",
	};

	return fr[how];
}

/* a × b / 100, the product of two sureties */
static int times(int a, int b)
{
	return a * b / 100;
}

/* What OCR's confidence c in a value costs: nothing from
 * OCR_CONFIDENCE_MIN up, in proportion below. */
static int ocr_factor(int c)
{
	return c >= OCR_CONFIDENCE_MIN ? 100 : MAX(c, 0) * 100 / OCR_CONFIDENCE_MIN;
}

void confidence_line_read(confidence_line *cl, const reader_line *rl, const order_line *l,
			  maybe_amount printed_total, const int *ocr)
{
	const char *cells[CONFIDENCE_CELLS] = { rl->ref, rl->description, rl->qty, rl->unit_price,
						rl->line_total };
	gboolean holds = FALSE;

	memset(cl, 0, sizeof(*cl));
	cl->numbers = confidence_how_sureness(rl->how);
	cl->names = 100;
	if (l->unit_price_cents.known && printed_total.known)
		holds = money_line_total(l->unit_price_cents.value, l->qty_milli) ==
			printed_total.value;
	if (holds) {
		/* three numbers that agree are read right, whoever read them */
		cl->numbers = MAX(cl->numbers, confidence_how_sureness(READ_BY_ARITHMETIC));
	} else if (cl->numbers < 100) {
		add_why(&cl->numbers_why, "ligne lue %s", confidence_how_fr(rl->how));
	}
	if (rl->two_lines) {
		cl->numbers = times(cl->numbers, 95);
		add_why(&cl->numbers_why, "ligne imprimée sur deux lignes, réunies");
	}
	for (int c = 0; ocr != NULL && c < CONFIDENCE_CELLS; c++) {
		gboolean number = c >= 2;

		if (cells[c] == NULL || ocr[c] >= OCR_CONFIDENCE_MIN || (number && holds))
			continue;
		if (number) {
			cl->numbers = times(cl->numbers, ocr_factor(ocr[c]));
			add_why(&cl->numbers_why, "%s « %s » lu%s par OCR à %d %%", cell_fr[c],
				cells[c], c == 2 ? "e" : "", ocr[c]);
		} else {
			cl->names = times(cl->names, ocr_factor(ocr[c]));
			add_why(&cl->names_why, "%s « %s » lue par OCR à %d %%", cell_fr[c],
				cells[c], ocr[c]);
		}
	}
}

void confidence_line_clear(confidence_line *cl)
{
	g_clear_pointer(&cl->numbers_why, g_free);
	g_clear_pointer(&cl->names_why, g_free);
}

field_confidence *confidence_field_read(const char *field, const char *value, int sureness,
					const char *why, int ocr)
{
	g_autofree char *said = g_strdup(why);
	int conf = sureness;

	if (ocr < OCR_CONFIDENCE_MIN) {
		conf = times(conf, ocr_factor(ocr));
		add_why(&said, "« %s » lu par OCR à %d %%", value, ocr);
	}
	return field_confidence_new(field, conf, said);
}

static gboolean has_check(const order *o, check_code code, int line)
{
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		if (k->code == code && k->line == line)
			return TRUE;
	}
	return FALSE;
}

/* The fields a clerk is told of here (the customer and the total have
 * checks of their own), with their names in French. */
static const struct {
	const char *field, *fr, *read;
} told_fields[] = {
	{ "customer_order_ref", "le n° de commande", "lu" },
	{ "order_date", "la date de commande", "lue" },
	{ "delivery_date", "la date de livraison", "lue" },
};

static field_confidence *find_field(order *o, const char *field)
{
	for (guint i = 0; i < o->confidence->len; i++) {
		field_confidence *f = o->confidence->pdata[i];

		if (strcmp(f->field, field) == 0)
			return f;
	}
	return NULL;
}

static const char *field_value(const order *o, const char *field)
{
	if (strcmp(field, "customer_order_ref") == 0)
		return o->customer_order_ref;
	if (strcmp(field, "order_date") == 0)
		return o->order_date;
	return o->delivery_date;
}

/* Whether o's lines, all with their total, miss the HT total it prints
 * (a TTC alone says as much of the fees and VAT as of the lines). */
static gboolean ht_missed(const order *o)
{
	if (!o->printed_ht_cents.known || o->lines->len == 0)
		return FALSE;
	for (guint i = 0; i < o->lines->len; i++) {
		if (!((const order_line *)o->lines->pdata[i])->line_total_cents.known)
			return FALSE;
	}
	return o->printed_ht_cents.value != o->total_ht_cents;
}

void confidence_of_draft(order *o, const confidence_line *lines, const product *const *products)
{
	gboolean printed = o->printed_ht_cents.known;
	/* a line without its total leaves the sum unchecked (order_check_totals) */
	gboolean totals_known = o->lines->len > 0;
	gboolean adds_up;

	for (guint i = 0; i < o->lines->len; i++)
		totals_known &= ((const order_line *)o->lines->pdata[i])->line_total_cents.known;
	adds_up = printed && totals_known && !ht_missed(o);

	for (guint i = 0; i < o->lines->len; i++) {
		order_line *l = o->lines->pdata[i];
		const confidence_line *cl = &lines[i];
		/* the printed total vouches for every quantity and price; our
		 * catalogue, for what a line names */
		int numbers = adds_up ? 100 : cl->numbers;
		int names = products[i] != NULL ? 100 : cl->names;
		g_autofree char *own = NULL;

		if (!adds_up && cl->numbers_why != NULL)
			add_why(&own, "%s", cl->numbers_why);
		if (products[i] == NULL && cl->names_why != NULL)
			add_why(&own, "%s", cl->names_why);
		/* what the doubts no other check tells leave of it: kept, the
		 * others' part made from the checks as they stand (confidence_shown) */
		l->confidence = times(numbers, names);
		g_free(l->doubt);
		l->doubt = g_steal_pointer(&own);
		if (l->confidence < CONFIDENCE_LOW && l->doubt != NULL)
			g_ptr_array_add(o->checks,
					order_check_new(CHECK_LOW_CONFIDENCE, CHECK_WARNING, l->lineno,
							"ligne lue sans certitude (lecture sûre à %d %%) : "
							"%s ; à comparer au document",
							l->confidence, l->doubt));
	}
	if (printed && totals_known)
		g_ptr_array_add(o->confidence,
				field_confidence_new("total", adds_up ? 100 : 40,
						     adds_up ? "la somme des lignes le confirme"
							     : "la somme des lignes ne le fait pas"));
	for (size_t k = 0; k < G_N_ELEMENTS(told_fields); k++) {
		const field_confidence *f = find_field(o, told_fields[k].field);
		const char *v = field_value(o, told_fields[k].field);

		if (f == NULL || v == NULL || f->confidence >= CONFIDENCE_LOW)
			continue;
		g_ptr_array_add(o->checks,
				order_check_new(CHECK_LOW_CONFIDENCE, CHECK_WARNING, 0,
						"%s « %s » %s sans certitude (confiance %d %%) : %s ; "
						"à comparer au document",
						told_fields[k].fr, v, told_fields[k].read, f->confidence,
						f->why ? f->why : "?"));
	}
}

int confidence_shown(const order *o, const order_line *l, char **why_r)
{
	g_autofree char *others = NULL;
	int told = 100;

	if (why_r != NULL)
		*why_r = NULL;
	if (l->confidence < 0)
		return -1;
	if (l->product_ref == NULL) {
		told = times(told, 50);
		add_why(&others, "produit non reconnu");
	}
	if (has_check(o, CHECK_TOTAL_MISMATCH, l->lineno)) {
		told = times(told, 50);
		add_why(&others, "quantité × prix ne fait pas le montant imprimé");
	}
	if (has_check(o, CHECK_PRICE_MISMATCH, l->lineno)) {
		told = times(told, 85);
		add_why(&others, "prix différent du catalogue");
	}
	if (ht_missed(o)) {
		told = times(told, 85);
		add_why(&others, "les lignes ne font pas le total imprimé");
	}
	if (why_r != NULL)
		*why_r = l->doubt && others ? g_strdup_printf("%s ; %s", l->doubt, others)
					    : g_strdup(l->doubt ? l->doubt : others);
	return times(l->confidence, told);
}

void confidence_line_corrected(order *o, int lineno)
{
	if (lineno < 1 || (guint)lineno > o->lines->len)
		return;
	{
		order_line *l = o->lines->pdata[lineno - 1];

		l->confidence = -1;
		g_clear_pointer(&l->doubt, g_free);
	}
	for (guint i = 0; i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		if (k->code == CHECK_LOW_CONFIDENCE && k->line == lineno)
			g_ptr_array_remove_index(o->checks, i--);
	}
}

void confidence_field_corrected(order *o, const char *field)
{
	const char *fr = NULL;

	for (guint i = 0; i < o->confidence->len; i++) {
		if (strcmp(((field_confidence *)o->confidence->pdata[i])->field, field) == 0)
			g_ptr_array_remove_index(o->confidence, i--);
	}
	for (size_t k = 0; k < G_N_ELEMENTS(told_fields); k++) {
		if (strcmp(told_fields[k].field, field) == 0)
			fr = told_fields[k].fr;
	}
	for (guint i = 0; fr != NULL && i < o->checks->len; i++) {
		const order_check *k = o->checks->pdata[i];

		if (k->code == CHECK_LOW_CONFIDENCE && k->line == 0 &&
		    g_str_has_prefix(k->message, fr))
			g_ptr_array_remove_index(o->checks, i--);
	}
}
