/* render: the three documents from the shipped templates, read back with
 * pdftotext (poppler): their values, their pages, the table split across
 * pages, the copy's stamp, French characters, the same output twice; and
 * templates, fonts and logos that are wrong in every way we could think
 * of, each said with its file and line, none a crash.
 *
 * RENDER_SAMPLES=DIR also writes the sample PDFs there (to look at). */
#include "documents/render.h"
#include "tap.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;          /* scratch */
static const char *shipped; /* templates/ of the source tree */

/* ---------------------------------------------------------------- values */

static const char *const descriptions[] = {
	"Jus de pomme bio pressé, bouteille 1 L",
	"Farine de blé T65 bio, sac 5 kg",
	"Huile d'olive vierge extra bio, bidon de 3 L — récolte 2026, première pression à froid",
	"Crème « fraîche » d’Isigny, pot de 20 cl",
	"Lentilles vertes bio, 1 kg",
	"Chocolat noir 70 % bio équitable, tablette 100 g",
	"Café moulu pur arabica bio, 250 g",
	"Œufs bio calibre moyen, boîte de 6",
	"Riz basmati complet bio, 1 kg",
	"Pâtes fusilli au blé complet bio, 500 g",
};

static void set_common(doc_values *v)
{
	static const char *const fixed[][2] = {
		{ "company.name", "Sweetie Bio" }, { "company.address", "12 avenue de la Gare" },
		{ "company.postcode", "33500" }, { "company.city", "Libourne" },
		{ "company.siret", "123 456 789 00012" }, { "company.siren", "123 456 789" },
		{ "company.vat", "FR12 123456789" }, { "company.iban", "FR76 3000 4000 0500 0012 3456 789" },
		{ "company.bic", "BNPAFRPPXXX" }, { "company.bank", "BNP Paribas Libourne" },
		{ "company.email", "commandes@sweetiebio.fr" }, { "company.phone", "05 57 00 00 00" },
		{ "company.website", "www.sweetiebio.fr" }, { "company.legal_form", "SAS" },
		{ "company.capital", "10\u202f000" }, { "company.rcs", "Libourne" },
		{ "company.late_penalty", "trois fois le taux d'intérêt légal" }, { "company.logo", "" },
		{ "customer.ref", "C0042" }, { "customer.name", "Épicerie du Marché" },
		{ "customer.siren", "987 654 321" }, { "customer.vat", "FR45 987654321" },
		{ "customer.billing_address", "3 place de la Clautre" },
		{ "customer.billing_postcode", "24000" }, { "customer.billing_city", "Périgueux" },
		{ "customer.delivery_address", "Zone artisanale des Séguinots, quai 4" },
		{ "customer.delivery_postcode", "24430" }, { "customer.delivery_city", "Marsac-sur-l'Isle" },
		{ "customer.discount", "2,5 %" },
		{ "order.number", "SO0001" }, { "order.date", "18/11/2026" },
		{ "order.customer_order_ref", "BC-2026-1187" }, { "order.order_date", "17/11/2026" },
		{ "order.delivery_date", "24/11/2026" }, { "document.date", "20/11/2026" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(fixed); i++)
		doc_values_set(v, fixed[i][0], fixed[i][1]);
}

static void add_lines(doc_values *v, int n, gboolean priced)
{
	for (int i = 0; i < n; i++) {
		char no[16], ref[16], qty[16], total[32], left[16];
		const char *priced_cells[] = { "lineno", no, "ref", ref, "description", descriptions[i % 10],
					       "qty", qty, "unit", i % 3 ? "u" : "kg", "unit_price",
					       "4,20\u00a0€", "vat_rate", "5,5\u00a0%", "total", total, NULL };
		const char *delivery_cells[] = { "lineno", no, "ref", ref, "description", descriptions[i % 10],
						 "unit", i % 3 ? "u" : "kg", "ordered", qty, "delivered_before",
						 "0", "delivered", qty, "remaining", left, NULL };

		g_snprintf(no, sizeof(no), "%d", i + 1);
		g_snprintf(ref, sizeof(ref), "BIO-%04d", 1001 + i);
		g_snprintf(qty, sizeof(qty), "%d", (i % 7 + 1) * 3);
		g_snprintf(total, sizeof(total), "%d,%02d\u00a0€", (i % 7 + 1) * 12, (i * 37) % 100);
		g_snprintf(left, sizeof(left), "%d", i % 4 ? 0 : 2);
		doc_values_add_row(v, "lines", priced ? priced_cells : delivery_cells);
	}
}

static void add_totals(doc_values *v)
{
	const char *a[] = { "rate", "5,5\u00a0%", "base", "1\u202f155,10\u00a0€", "amount", "63,53\u00a0€", NULL };
	const char *b[] = { "rate", "20\u00a0%", "base", "28,00\u00a0€", "amount", "5,60\u00a0€", NULL };

	doc_values_add_row(v, "vat", a);
	doc_values_add_row(v, "vat", b);
	doc_values_set(v, "totals.ht", "1\u202f183,10\u00a0€");
	doc_values_set(v, "totals.vat", "66,10\u00a0€");
	doc_values_set(v, "totals.ttc", "1\u202f249,20\u00a0€");
}

static doc_values *invoice(int lines)
{
	doc_values *v = doc_values_new();

	set_common(v);
	doc_values_set(v, "invoice.number", "FA2026-0001");
	doc_values_set(v, "invoice.date", "20/11/2026");
	doc_values_set(v, "invoice.due_date", "20/12/2026");
	doc_values_set(v, "invoice.payment_terms", "30 jours nets");
	doc_values_set(v, "invoice.deliveries", "BL0001, BL0002");
	doc_values_set(v, "invoice.delivery_dates", "18/11/2026, 19/11/2026");
	doc_values_set(v, "invoice.amount_words", "mille deux cent quarante-neuf euros et vingt centimes");
	doc_values_set(v, "invoice.discount", "");
	add_lines(v, lines, TRUE);
	add_totals(v);
	return v;
}

static doc_values *confirmation(gboolean differences)
{
	doc_values *v = doc_values_new();

	set_common(v);
	add_lines(v, 6, TRUE);
	add_totals(v);
	doc_values_set(v, "differences.any", differences ? "oui" : "");
	if (differences) {
		const char *a[] = { "line", "3", "ref", "BIO-1003", "what", "Prix du catalogue", "theirs",
				    "11,90\u00a0€", "ours", "12,40\u00a0€", NULL };
		const char *b[] = { "line", "5", "ref", "BIO-1005", "what", "Quantité livrable maintenant",
				    "theirs", "40", "ours", "30 (10 en reliquat)", NULL };

		doc_values_add_row(v, "differences", a);
		doc_values_add_row(v, "differences", b);
	}
	return v;
}

static doc_values *delivery_note(gboolean remaining)
{
	doc_values *v = doc_values_new();

	set_common(v);
	doc_values_set(v, "delivery.number", "BL0001");
	doc_values_set(v, "delivery.date", "19/11/2026");
	doc_values_set(v, "delivery.remaining_any", remaining ? "oui" : "");
	add_lines(v, 8, FALSE);
	return v;
}

/* ---------------------------------------------------------------- reading back */

static char *write_file(const char *name, const void *data, gsize len)
{
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, data, (gssize)len, NULL);
	return path;
}

/* The text of pdf's page (0: all), as pdftotext gives it, its no-break
 * spaces as spaces. */
static char *pdf_text(GBytes *pdf, int page)
{
	gsize len;
	const void *data = g_bytes_get_data(pdf, &len);
	g_autofree char *path = write_file("read.pdf", data, len);
	g_autofree char *first = g_strdup_printf("%d", page);
	const char *argv_all[] = { "pdftotext", "-q", "-enc", "UTF-8", path, "-", NULL };
	const char *argv_page[] = { "pdftotext", "-q", "-enc", "UTF-8", "-f", first, "-l", first, path, "-", NULL };
	char *out = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, (char **)(page ? argv_page : argv_all), NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			  NULL, NULL, &out, NULL, &status, NULL) ||
	    !g_spawn_check_wait_status(status, NULL)) {
		g_free(out);
		return g_strdup("");
	}
	/* poppler gives U+00A0 or a space depending on its version */
	{
		GString *s = g_string_new(NULL);

		for (const char *p = out; *p != '\0'; p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);

			g_string_append_unichar(s, c == 0xA0 || c == 0x202F ? ' ' : c);
		}
		g_free(out);
		return g_string_free(s, FALSE);
	}
}

static int pages_of(GBytes *pdf)
{
	g_autofree char *all = pdf_text(pdf, 0);
	int n = 0;

	for (const char *p = all; *p != '\0'; p++)
		n += *p == '\f';
	return n;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static doc_templates *load(const char *d, GError **err)
{
	const char *dirs[] = { d, NULL };

	return doc_templates_load(dirs, err);
}

static GBytes *render(const doc_templates *t, const char *kind, const doc_values *v, doc_stamp stamp)
{
	g_autoptr(GError) err = NULL;
	GBytes *pdf = NULL;

	if (doc_render(t, kind, v, stamp, &pdf, &err) < 0) {
		tap_diag("%s", err->message);
		return NULL;
	}
	return pdf;
}

static void sample(GBytes *pdf, const char *name)
{
	const char *out = g_getenv("RENDER_SAMPLES");
	g_autofree char *path = NULL;

	if (out == NULL || out[0] == '\0' || pdf == NULL)
		return;
	g_mkdir_with_parents(out, 0755);
	path = g_build_filename(out, name, NULL);
	g_file_set_contents(path, g_bytes_get_data(pdf, NULL), (gssize)g_bytes_get_size(pdf), NULL);
}

/* ---------------------------------------------------------------- the documents */

static void test_invoice(const doc_templates *t)
{
	g_autoptr(doc_values) v = invoice(10);
	g_autoptr(GBytes) pdf = render(t, "invoice", v, DOC_ORIGINAL);
	g_autoptr(GBytes) again = NULL;
	g_autofree char *text = NULL, *text2 = NULL;
	static const char *const wanted[] = {
		/* the seller: name, address, SIREN/SIRET, VAT, legal form, capital, RCS */
		"Sweetie Bio", "12 avenue de la Gare", "33500 Libourne", "SIRET 123 456 789 00012",
		"N° TVA FR12 123456789", "SAS au capital de 10 000 €", "RCS Libourne 123 456 789",
		/* the customer: name, billing address, SIREN, VAT, delivery address */
		"Épicerie du Marché", "3 place de la Clautre", "24000 Périgueux", "SIREN 987 654 321",
		"N° TVA FR45 987654321", "Zone artisanale des Séguinots, quai 4", "24430 Marsac-sur-l'Isle",
		/* number, dates, references */
		"FACTURE", "FA2026-0001", "20/11/2026", "20/12/2026", "BC-2026-1187", "BL0001, BL0002",
		"18/11/2026, 19/11/2026", "30 jours nets",
		/* the lines' header, totals */
		"Désignation", "P.U. HT", "Total HT", "Total TVA", "Total TTC", "1 183,10 €", "66,10 €",
		"1 249,20 €", "5,5 %", "63,53 €",
		/* the words and the legal mentions */
		"mille deux cent quarante-neuf euros et vingt centimes",
		"Pas d'escompte pour paiement anticipé", "trois fois le taux d'intérêt légal",
		"Indemnité forfaitaire pour frais de recouvrement : 40 €",
		"Catégorie de l'opération : livraison de biens",
		/* French characters the font must embed, and the euro sign */
		"Crème « fraîche » d’Isigny", "Œufs bio", "Pâtes", "€",
		"1/1",
	};

	ok(pdf != NULL, "invoice of 10 lines rendered");
	if (pdf == NULL)
		return;
	sample(pdf, "invoice.pdf");
	ok(g_str_has_prefix(g_bytes_get_data(pdf, NULL), "%PDF-1."), "  it is a PDF");
	text = pdf_text(pdf, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(wanted); i++) {
		if (!ok(strstr(text, wanted[i]) != NULL, "  says « %s »", wanted[i]))
			tap_diag("%s", text);
	}
	for (int i = 0; i < 10; i++) {
		g_autofree char *ref = g_strdup_printf("BIO-%04d", 1001 + i);

		is_int(count(text, ref), 1, "  line %s once", ref);
	}
	is_int(pages_of(pdf), 1, "  one page");
	ok(strstr(text, "COPIE") == NULL, "  no COPIE on the original");
	/* the same values, the same document: text and bytes */
	again = render(t, "invoice", v, DOC_ORIGINAL);
	text2 = again ? pdf_text(again, 0) : g_strdup("");
	is_str(text2, text, "  the same text twice");
	ok(again != NULL && g_bytes_equal(again, pdf), "  the same bytes twice");
	{
		g_autoptr(doc_values) v2 = invoice(10);
		g_autoptr(GBytes) third = NULL;

		doc_values_set(v2, "invoice.discount", "Escompte de 2 % pour paiement sous 8 jours");
		third = render(t, "invoice", v2, DOC_ORIGINAL);
		g_free(text2);
		text2 = third ? pdf_text(third, 0) : g_strdup("");
		ok(strstr(text2, "Escompte de 2 % pour paiement sous 8 jours") != NULL &&
		   strstr(text2, "Pas d'escompte") == NULL, "  a discount granted replaces « Pas d'escompte »");
	}
}

/* 60 lines: three pages, each numbered, each with the table's header,
 * every line once and in order. */
static void test_long_invoice(const doc_templates *t)
{
	g_autoptr(doc_values) v = invoice(60);
	g_autoptr(GBytes) pdf = render(t, "invoice", v, DOC_ORIGINAL);
	g_autoptr(GBytes) copy = render(t, "invoice", v, DOC_COPY);
	g_autoptr(GString) order = g_string_new(NULL);
	g_autoptr(GString) want = g_string_new(NULL);
	int n;

	ok(pdf != NULL && copy != NULL, "invoice of 60 lines rendered, and its copy");
	if (pdf == NULL || copy == NULL)
		return;
	sample(pdf, "invoice-60.pdf");
	sample(copy, "invoice-60-copie.pdf");
	n = pages_of(pdf);
	is_int(n, 3, "  on three pages");
	for (int p = 1; p <= n; p++) {
		g_autofree char *text = pdf_text(pdf, p);
		g_autofree char *ctext = pdf_text(copy, p);
		g_autofree char *number = g_strdup_printf("%d/%d", p, n);

		ok(strstr(text, number) != NULL, "  page %d says %s", p, number);
		is_int(count(text, "Désignation"), 1, "  page %d has the table's header", p);
		ok(strstr(ctext, "COPIE") != NULL, "  page %d of the copy says COPIE", p);
		ok(strstr(text, "COPIE") == NULL, "  page %d of the original does not", p);
		if (p > 1)
			ok(strstr(text, "Facture FA2026-0001 (suite)") != NULL, "  page %d says whose it is", p);
		/* the refs of the page, in the order they come */
		for (const char *s = strstr(text, "BIO-"); s != NULL; s = strstr(s + 1, "BIO-"))
			g_string_append_printf(order, "%.8s ", s);
	}
	for (int i = 0; i < 60; i++)
		g_string_append_printf(want, "BIO-%04d ", 1001 + i);
	is_str(order->str, want->str, "  every line once, in order, across the pages");
	{
		g_autofree char *last = pdf_text(pdf, n);

		ok(strstr(last, "Total TTC") != NULL && strstr(last, "Catégorie de l'opération") != NULL,
		   "  the totals and the mentions end the last page");
	}
}

static void test_confirmation(const doc_templates *t)
{
	g_autoptr(doc_values) with = confirmation(TRUE);
	g_autoptr(doc_values) without = confirmation(FALSE);
	g_autoptr(GBytes) a = render(t, "confirmation", with, DOC_ORIGINAL);
	g_autoptr(GBytes) b = render(t, "confirmation", without, DOC_ORIGINAL);
	g_autofree char *ta = NULL, *tb = NULL;

	ok(a != NULL && b != NULL, "confirmation rendered, with and without differences");
	if (a == NULL || b == NULL)
		return;
	sample(a, "confirmation.pdf");
	ta = pdf_text(a, 0);
	tb = pdf_text(b, 0);
	ok(strstr(ta, "CONFIRMATION DE") != NULL && strstr(ta, "SO0001") != NULL, "  title and number");
	ok(strstr(ta, "Différences avec votre bon de commande") != NULL, "  the differences' title");
	ok(strstr(ta, "Prix du catalogue") != NULL && strstr(ta, "30 (10 en reliquat)") != NULL,
	   "  the differences' rows");
	ok(strstr(tb, "Différences") == NULL, "  none when there are none (when: differences.any)");
	ok(strstr(ta, "Livraison souhaitée") != NULL && strstr(ta, "24/11/2026") != NULL, "  the date asked");
	ok(strstr(ta, "1 249,20 €") != NULL, "  the total");
}

static void test_delivery_note(const doc_templates *t)
{
	g_autoptr(doc_values) with = delivery_note(TRUE);
	g_autoptr(doc_values) without = delivery_note(FALSE);
	g_autoptr(GBytes) a = render(t, "delivery_note", with, DOC_ORIGINAL);
	g_autoptr(GBytes) b = render(t, "delivery_note", without, DOC_ORIGINAL);
	g_autofree char *ta = NULL, *tb = NULL;

	ok(a != NULL && b != NULL, "delivery note rendered, with and without a backorder");
	if (a == NULL || b == NULL)
		return;
	sample(a, "delivery_note.pdf");
	ta = pdf_text(a, 0);
	tb = pdf_text(b, 0);
	ok(strstr(ta, "BON DE LIVRAISON") != NULL && strstr(ta, "BL0001") != NULL, "  title and number");
	ok(strstr(ta, "Commandé") != NULL && strstr(ta, "Déjà") != NULL && strstr(ta, "Reste") != NULL,
	   "  its columns");
	/* the only euro sign: the capital, in the footer */
	ok(count(ta, "€") == 1 && strstr(ta, "4,20") == NULL && strstr(ta, "P.U.") == NULL, "  no price");
	ok(strstr(ta, "Reliquat") != NULL, "  the backorder note");
	ok(strstr(tb, "Reliquat") == NULL, "  none when all is delivered");
	ok(strstr(ta, "Signature") != NULL, "  the reception box");
	ok(strstr(ta, "Zone artisanale des Séguinots") != NULL, "  delivered to the delivery address");
	{
		g_autoptr(doc_values) same = delivery_note(FALSE);
		g_autoptr(GBytes) c = NULL;
		g_autofree char *tc = NULL;

		doc_values_set(same, "customer.delivery_address", "");
		doc_values_set(same, "customer.delivery_postcode", "");
		doc_values_set(same, "customer.delivery_city", "");
		c = render(t, "delivery_note", same, DOC_ORIGINAL);
		tc = c ? pdf_text(c, 0) : g_strdup("");
		ok(strstr(tc, "3 place de la Clautre") != NULL, "  or to the billing address when the same");
	}
}

/* Characters outside Windows-1252 switch the document to the UTF-8 fonts;
 * characters no font has are replaced. */
static void test_characters(const doc_templates *t)
{
	g_autoptr(doc_values) v = invoice(3);
	g_autoptr(GBytes) pdf = NULL;
	g_autofree char *text = NULL;

	doc_values_set(v, "customer.name", "Łódź Spółka – Ελλάδα, ệ, 😀, e\u0301");
	pdf = render(t, "invoice", v, DOC_ORIGINAL);
	ok(pdf != NULL, "a customer named in Polish and Greek");
	if (pdf == NULL)
		return;
	sample(pdf, "invoice-utf8.pdf");
	text = pdf_text(pdf, 0);
	ok(strstr(text, "Łódź Spółka – Ελλάδα, e, ?, é") != NULL, "  drawn (ệ as e, the emoji as ?, e + accent as é)");
	ok(strstr(text, "Épicerie") == NULL && strstr(text, "Périgueux") != NULL && strstr(text, "1 249,20 €") != NULL,
	   "  the rest as before");
}

/* ---------------------------------------------------------------- errors */

static const char common_yaml[] =
	"page:\n"
	"  font_size: 9\n"
	"fonts:\n"
	"  regular: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n"
	"  bold: /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf\n"
	"colors:\n"
	"  accent: \"#1f5f3f\"\n"
	"footer:\n"
	"  - type: text\n"
	"    text: \"{page}/{pages}\"\n";

static const char invoice_yaml[] =
	"name: \"Facture {invoice.number}\"\n"
	"blocks:\n"
	"  - type: image\n"
	"    value: company.logo\n"
	"  - type: text\n"
	"    text: \"Facture {invoice.number} du {invoice.date}\"\n"
	"    color: accent\n"
	"  - type: table\n"
	"    table: lines\n"
	"    columns:\n"
	"      - {header: Réf., value: \"{ref}\", width: 30}\n"
	"      - {header: Désignation, value: \"{description}\"}\n";

/* A folder of templates: common.yaml and invoice.yaml as given (NULL:
 * the good ones). */
static char *folder(const char *name, const char *common, const char *inv)
{
	char *d = g_build_filename(dir, name, NULL);
	g_autofree char *c = g_build_filename(d, "common.yaml", NULL);
	g_autofree char *i = g_build_filename(d, "invoice.yaml", NULL);

	g_mkdir_with_parents(d, 0755);
	g_file_set_contents(c, common ? common : common_yaml, -1, NULL);
	g_file_set_contents(i, inv ? inv : invoice_yaml, -1, NULL);
	return d;
}

/* The error loading the folder, or NULL when it loads. */
static char *load_error(const char *name, const char *common, const char *inv)
{
	g_autofree char *d = folder(name, common, inv);
	g_autoptr(GError) err = NULL;
	g_autoptr(doc_templates) t = load(d, &err);

	return t ? NULL : g_strdup(err->message);
}

/* Whether msg is "DIR/FILE:LINE: ..." and says why. */
static gboolean says(const char *msg, const char *name, const char *file, int line, const char *why)
{
	g_autofree char *start = g_strdup_printf("%s/%s/%s:%d: ", dir, name, file, line);
	gboolean good = msg != NULL && strstr(msg, start) != NULL && strstr(msg, why) != NULL;

	if (!good)
		tap_diag("want « %s…%s », got « %s »", start, why, msg ? msg : "(loaded)");
	return good;
}

static void test_load_errors(void)
{
	g_autofree char *m = NULL;
	g_autofree char *huge = NULL, *deep = NULL, *bomb = NULL, *blocks = NULL;
	static const char *const cases[][4] = {
		/* folder, invoice.yaml, line, why */
		{ "syntax", "name: \"Facture\nblocks: [\n", "3", "YAML" },
		{ "tab", "name: x\nblocks:\n\t- type: text\n", "3", "tabulation" },
		{ "key", "name: x\nblocks:\n  - type: text\n    text: bonjour\n    colour: accent\n", "5",
		  "clé inconnue « colour » (attendu : type, when, unless, space_before, text, size, bold, color" },
		{ "type", "name: x\nblocks:\n  - type: txt\n    text: a\n", "3", "type de bloc inconnu « txt »" },
		{ "number", "name: x\nblocks:\n  - type: text\n    text: a\n    size: grand\n", "5",
		  "size : un nombre de 4 à 72 est attendu, pas « grand »" },
		{ "color", "name: x\nblocks:\n  - type: text\n    text: a\n    color: vert\n", "5",
		  "couleur inconnue « vert »" },
		{ "list", "name: x\nblocks:\n  type: text\n", "3", "une liste de blocs est attendue" },
		{ "placeholder", "name: x\nblocks:\n  - type: text\n    text: \"N° {invoice.numbr}\"\n", "4",
		  "valeur inconnue {invoice.numbr}" },
		{ "cell", "name: x\nblocks:\n  - type: table\n    table: lines\n    columns:\n"
			  "      - {header: Q, value: \"{quantity}\"}\n", "6", "cellule inconnue {quantity}" },
		{ "brace", "name: x\nblocks:\n  - type: text\n    text: \"{invoice.date\"\n", "4",
		  "accolade « { » non fermée" },
		{ "page", "name: x\nblocks:\n  - type: text\n    text: \"page {page}\"\n", "4",
		  "{page} n'a de sens que dans footer:" },
		{ "wide", "name: x\nblocks:\n  - type: table\n    table: lines\n    columns:\n"
			  "      - {value: \"{ref}\", width: 120}\n      - {value: \"{qty}\", width: 90}\n", "3",
		  "colonnes trop larges : 210 mm pour 180 mm" },
		{ "include", "name: x\nblocks:\n  - include: societe\n", "3", "partie inconnue « societe »" },
		{ "table", "name: x\nblocks:\n  - type: table\n    table: lignes\n    columns:\n"
			   "      - {value: \"{ref}\"}\n", "3", "tableau inconnu « lignes »" },
		{ "noname", "blocks: []\n", "1", "il manque name:" },
		{ "alias", "name: &n x\nblocks:\n  - type: text\n    text: *n\n", "4", "alias" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = load_error(cases[i][0], NULL, cases[i][1]);

		ok(says(msg, cases[i][0], "invoice.yaml", atoi(cases[i][2]), cases[i][3]), "load error: %s",
		   cases[i][0]);
	}
	/* common.yaml: fonts that are missing or not fonts */
	m = load_error("nofont", "fonts:\n  regular: /nulle/part/Police.ttf\n", NULL);
	ok(says(m, "nofont", "common.yaml", 2, "police illisible : impossible d'ouvrir /nulle/part/Police.ttf"),
	   "load error: missing font");
	g_free(m);
	m = load_error("notfont", "fonts:\n  bold: invoice.yaml\n", NULL);
	ok(says(m, "notfont", "common.yaml", 2, "ce n'est pas une police TrueType"), "load error: a font that is no font");
	g_free(m);
	m = load_error("colors", "colors:\n  accent: vert\n", NULL);
	ok(says(m, "colors", "common.yaml", 2, "une couleur #rrggbb est attendue"), "load error: a colour in common.yaml");
	g_free(m);
	m = load_error("commonkey", "marges: 3\n", NULL);
	ok(says(m, "commonkey", "common.yaml", 1, "clé inconnue « marges »"), "load error: common.yaml's key");
	/* hostile: too big, too deep, too many */
	huge = g_strnfill(300 * 1024, '#');
	g_free(m);
	m = load_error("huge", NULL, huge);
	ok(says(m, "huge", "invoice.yaml", 1, "plus que les 262144 permis"), "load error: a template of 300 KB");
	{
		GString *s = g_string_new("name: x\nblocks: ");

		for (int i = 0; i < 100000; i++)
			g_string_append_c(s, '[');
		deep = g_string_free(s, FALSE);
	}
	g_free(m);
	m = load_error("deep", NULL, deep);
	ok(says(m, "deep", "invoice.yaml", 2, "imbrication trop profonde"), "load error: nested 100000 deep");
	{
		GString *s = g_string_new("name: x\nblocks:\n");

		for (int i = 0; i < 400; i++)
			g_string_append(s, "  - {type: space}\n");
		blocks = g_string_free(s, FALSE);
	}
	g_free(m);
	m = load_error("blocks", NULL, blocks);
	ok(says(m, "blocks", "invoice.yaml", 303, "plus de 300 blocs"), "load error: 400 blocks");
	{
		GString *s = g_string_new("name: x\nblocks:\n  - type: text\n    text: \"");

		for (int i = 0; i < 70; i++)
			g_string_append(s, "{invoice.date}");
		g_string_append(s, "\"\n");
		bomb = g_string_free(s, FALSE);
	}
	g_free(m);
	m = load_error("pieces", NULL, bomb);
	ok(says(m, "pieces", "invoice.yaml", 4, "trop de valeurs"), "load error: 70 values in one text");
	g_free(m);
	m = load_error("good", NULL, NULL);
	ok(m == NULL, "the test's own templates load");
	if (m != NULL)
		tap_diag("%s", m);
}

/* A PNG of w x h grey pixels, made here: its chunks and CRCs by hand,
 * the pixels by GLib's zlib. */
static guint32 crc_of(const guint8 *p, gsize n)
{
	guint32 c = 0xFFFFFFFFu;

	for (gsize i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

static void chunk(GByteArray *png, const char *type, const guint8 *data, guint32 n)
{
	guint8 be[4] = { (guint8)(n >> 24), (guint8)(n >> 16), (guint8)(n >> 8), (guint8)n };
	g_autoptr(GByteArray) body = g_byte_array_new();
	guint32 crc;

	g_byte_array_append(png, be, 4);
	g_byte_array_append(body, (const guint8 *)type, 4);
	if (n > 0)
		g_byte_array_append(body, data, n);
	crc = crc_of(body->data, body->len);
	g_byte_array_append(png, body->data, body->len);
	be[0] = (guint8)(crc >> 24);
	be[1] = (guint8)(crc >> 16);
	be[2] = (guint8)(crc >> 8);
	be[3] = (guint8)crc;
	g_byte_array_append(png, be, 4);
}

/* A PNG of w x h grey pixels, each row with filter (0: none), Adam7
 * interlaced or not, an extra ancillary chunk or not (a colour profile
 * that is no profile: libpng would warn). */
static GByteArray *make_png(guint w, guint h, guint8 filter, gboolean interlaced, gboolean extra)
{
	static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const guint sx[7] = { 0, 4, 0, 2, 0, 1, 0 }, sy[7] = { 0, 0, 4, 0, 2, 0, 1 };
	static const guint dx[7] = { 8, 8, 4, 4, 2, 2, 1 }, dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
	guint8 ihdr[13] = { 0, 0, 0, (guint8)w, 0, 0, 0, (guint8)h, 8, 0, 0, 0, (guint8)interlaced };
	g_autoptr(GByteArray) raw = g_byte_array_new();
	g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
	guint8 out[65536];
	gsize read = 0, written = 0;
	GByteArray *png = g_byte_array_new();

	for (guint pass = 0; pass < (interlaced ? 7u : 1u); pass++) {
		guint x0 = interlaced ? sx[pass] : 0, y0 = interlaced ? sy[pass] : 0;
		guint stepx = interlaced ? dx[pass] : 1, stepy = interlaced ? dy[pass] : 1;

		if (x0 >= w || y0 >= h)
			continue;
		for (guint y = y0; y < h; y += stepy) {
			g_byte_array_append(raw, &filter, 1);
			for (guint x = x0; x < w; x += stepx) {
				guint8 grey = (guint8)(x * 255 / w);

				g_byte_array_append(raw, &grey, 1);
			}
		}
	}
	g_converter_convert(G_CONVERTER(z), raw->data, raw->len, out, sizeof(out), G_CONVERTER_INPUT_AT_END, &read,
			    &written, NULL);
	g_byte_array_append(png, sig, 8);
	chunk(png, "IHDR", ihdr, 13);
	if (extra)
		chunk(png, "iCCP", (const guint8 *)"profil\0\0xx", 10);
	chunk(png, "IDAT", out, (guint32)written);
	chunk(png, "IEND", NULL, 0);
	return png;
}

static void test_render_errors(void)
{
	g_autofree char *d = folder("render", NULL, NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(doc_templates) t = load(d, &err);
	g_autoptr(GByteArray) png = make_png(40, 20, 0, FALSE, FALSE);
	g_autoptr(GByteArray) bad_filter = make_png(40, 20, 9, FALSE, FALSE);
	g_autoptr(GByteArray) odd = make_png(37, 19, 2, FALSE, TRUE);
	g_autoptr(GByteArray) interlaced = make_png(37, 19, 0, TRUE, FALSE);
	g_autofree char *png_path = write_file("logo.png", png->data, png->len);
	g_autofree char *filter_path = write_file("filter.png", bad_filter->data, bad_filter->len);
	g_autofree char *odd_path = write_file("odd.png", odd->data, odd->len);
	g_autofree char *interlaced_path = write_file("interlaced.png", interlaced->data, interlaced->len);
	g_autofree char *crc_path = NULL, *short_path = NULL, *text_path = NULL, *name_path = NULL;
	static const struct {
		const char *name, *why;
	} logos[] = {
		{ "/nulle/part/logo.png", "image illisible (company.logo) : impossible d'ouvrir /nulle/part/logo.png" },
		{ "filter.png", "filtre de ligne inconnu" },
		{ "crc.png", "somme de contrôle fausse" },
		{ "name.png", "nom de partie invalide" },
		{ "interlaced.png", "PNG entrelacé, que libharu ne lit pas" },
		{ "short.png", "fichier PNG tronqué" },
		{ "text.png", "ni une image PNG ni une image JPEG" },
	};

	ok(t != NULL, "render errors: templates load");
	if (t == NULL) {
		tap_diag("%s", err->message);
		return;
	}
	/* a logo, drawn; then logos that are missing or damaged */
	{
		g_autoptr(doc_values) v = invoice(2);
		g_autoptr(GBytes) pdf = NULL;
		g_autofree char *text = NULL;

		doc_values_set(v, "company.logo", png_path);
		pdf = render(t, "invoice", v, DOC_ORIGINAL);
		ok(pdf != NULL, "a PNG logo is drawn");
		text = pdf ? pdf_text(pdf, 0) : g_strdup("");
		ok(strstr(text, "Facture FA2026-0001 du 20/11/2026") != NULL, "  with the rest");
	}
	/* with a chunk libpng would warn about, and odd sizes */
	{
		g_autoptr(doc_values) v = invoice(2);
		g_autoptr(GBytes) pdf = NULL;

		doc_values_set(v, "company.logo", odd_path);
		pdf = render(t, "invoice", v, DOC_ORIGINAL);
		ok(pdf != NULL, "a PNG with a broken colour profile is drawn (the profile left out)");
	}
	png->data[50] ^= 0x55;   /* inside IDAT's data: its CRC no longer matches */
	crc_path = write_file("crc.png", png->data, png->len);
	png->data[50] ^= 0x55;
	png->data[38] = '#';     /* IDAT's name */
	name_path = write_file("name.png", png->data, png->len);
	short_path = write_file("short.png", png->data, 50);
	text_path = write_file("text.png", "bonjour\n", 8);
	for (gsize i = 0; i < G_N_ELEMENTS(logos); i++) {
		g_autoptr(doc_values) v = invoice(2);
		g_autoptr(GError) e = NULL;
		g_autofree char *path = logos[i].name[0] == '/' ? g_strdup(logos[i].name)
								: g_build_filename(dir, logos[i].name, NULL);
		GBytes *pdf = NULL;

		doc_values_set(v, "company.logo", path);
		ok(doc_render(t, "invoice", v, DOC_ORIGINAL, &pdf, &e) < 0 && pdf == NULL, "logo %s refused",
		   logos[i].name);
		ok(e != NULL && says(e->message, "render", "invoice.yaml", 3, logos[i].why), "  said with file and line");
	}
	/* a value the program did not give */
	{
		g_autoptr(doc_values) v = doc_values_new();
		g_autoptr(GError) e = NULL;
		const char *row[] = { "ref", "A1", "description", "a", NULL };
		GBytes *pdf = NULL;

		set_common(v);
		doc_values_set(v, "invoice.number", "FA1");
		doc_values_add_row(v, "lines", row);
		ok(doc_render(t, "invoice", v, DOC_ORIGINAL, &pdf, &e) < 0, "a value not given: refused");
		ok(e != NULL && says(e->message, "render", "invoice.yaml", 6, "valeur inconnue {invoice.date}"),
		   "  said with file and line");
	}
	/* a row without a cell the template shows */
	{
		g_autoptr(doc_values) v = doc_values_new();
		g_autoptr(GError) e = NULL;
		const char *row[] = { "ref", "A1", NULL };
		GBytes *pdf = NULL;

		set_common(v);
		doc_values_set(v, "invoice.number", "FA1");
		doc_values_set(v, "invoice.date", "1/1/2026");
		doc_values_add_row(v, "lines", row);
		ok(doc_render(t, "invoice", v, DOC_ORIGINAL, &pdf, &e) < 0, "a row without its description: refused");
		ok(e != NULL && says(e->message, "render", "invoice.yaml", 12, "cellule inconnue {description}"),
		   "  said with file and line");
	}
	/* no template of that kind */
	{
		g_autoptr(doc_values) v = invoice(1);
		g_autoptr(GError) e = NULL;
		GBytes *pdf = NULL;

		ok(doc_render(t, "avoir", v, DOC_ORIGINAL, &pdf, &e) < 0 && e != NULL &&
		   strstr(e->message, "pas de modèle de document « avoir » (modèles : invoice)") != NULL,
		   "an unknown kind: refused, the kinds named");
		ok(!doc_templates_have(t, "avoir") && doc_templates_have(t, "invoice"), "doc_templates_have");
	}
	/* hostile values: a word longer than a line, a description of 2000
	 * lines, 3000 rows; all laid out, none lost */
	{
		g_autoptr(doc_values) v = invoice(0);
		g_autoptr(GBytes) pdf = NULL;
		g_autofree char *word = g_strnfill(5000, 'x');
		g_autoptr(GString) tall = g_string_new(NULL);
		g_autofree char *text = NULL;

		for (int i = 0; i < 2000; i++)
			g_string_append(tall, "ligne\n");
		{
			const char *a[] = { "ref", "LONG", "description", word, NULL };
			const char *b[] = { "ref", "TALL", "description", tall->str, NULL };

			doc_values_add_row(v, "lines", a);
			doc_values_add_row(v, "lines", b);
		}
		for (int i = 0; i < 3000; i++) {
			char ref[16];
			const char *c[] = { "ref", ref, "description", "x", NULL };

			g_snprintf(ref, sizeof(ref), "R%05d", i);
			doc_values_add_row(v, "lines", c);
		}
		pdf = render(t, "invoice", v, DOC_ORIGINAL);
		ok(pdf != NULL, "hostile values: a 5000-letter word, a 2000-line cell, 3000 rows");
		text = pdf ? pdf_text(pdf, 0) : g_strdup("");
		ok(strstr(text, "R00000") != NULL && strstr(text, "R02999") != NULL && strstr(text, "TALL") != NULL,
		   "  every row drawn");
		ok(strstr(text, "…") != NULL, "  the cell too high for a page cut, with …");
	}
}

static void rm_rf(const char *path)
{
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(path, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			rm_rf(p);
		else
			g_unlink(p);
	}
	g_rmdir(path);
}

/* Two threads render from the same templates at once. */
typedef struct {
	const doc_templates *t;
	GBytes *first;
	int different, failed;
} race;

static gpointer racer(gpointer data)
{
	race *r = data;

	for (int i = 0; i < 15; i++) {
		g_autoptr(doc_values) v = invoice(12);
		g_autoptr(GBytes) pdf = render(r->t, "invoice", v, DOC_ORIGINAL);

		if (pdf == NULL)
			r->failed++;
		else if (!g_bytes_equal(pdf, r->first))
			r->different++;
	}
	return NULL;
}

static void test_threads(const doc_templates *t)
{
	g_autoptr(doc_values) v = invoice(12);
	race r[2] = { { t, NULL, 0, 0 }, { t, NULL, 0, 0 } };
	GThread *th[2];

	r[0].first = r[1].first = render(t, "invoice", v, DOC_ORIGINAL);
	for (int i = 0; i < 2; i++)
		th[i] = g_thread_new("racer", racer, &r[i]);
	for (int i = 0; i < 2; i++)
		g_thread_join(th[i]);
	ok(r[0].failed + r[1].failed == 0 && r[0].different + r[1].different == 0,
	   "two threads at once: 30 documents, each the same");
	g_bytes_unref(r[0].first);
}

int main(void)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(doc_templates) t = NULL;
	g_autofree char *templates = NULL;

	dir = g_dir_make_tmp("test_render-XXXXXX", NULL);
	templates = g_build_filename(g_getenv("SRCDIR") ? g_getenv("SRCDIR") : ".", "templates", NULL);
	shipped = templates;
	t = load(shipped, &err);
	ok(t != NULL, "the shipped templates load");
	if (t == NULL) {
		tap_diag("%s", err->message);
		return tap_done();
	}
	ok(doc_templates_have(t, "invoice") && doc_templates_have(t, "confirmation") &&
	   doc_templates_have(t, "delivery_note"), "  invoice, confirmation, delivery_note");
	test_invoice(t);
	test_long_invoice(t);
	test_confirmation(t);
	test_delivery_note(t);
	test_characters(t);
	test_threads(t);
	test_load_errors();
	test_render_errors();
	rm_rf(dir);
	g_free(dir);
	return tap_done();
}
