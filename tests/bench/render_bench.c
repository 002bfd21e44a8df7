/* render_bench: documents/render's throughput and memory (make bench).
 *
 *   render_bench TEMPLATES_DIR [--threads N] [--count N] [--logo FILE]
 *       renders 1000 invoices of 10 lines (--count), then a tenth as many
 *       of 60 lines, with N threads sharing the templates (default 1), a
 *       logo or not, and prints one line
 *       each: documents a second, PDF size, resident memory after the
 *       first tenth and at the end, peak (getrusage);
 *   render_bench TEMPLATES_DIR --troff
 *       prints the 10-line invoice as troff + tbl, for the reference
 *       (groff), on standard output.
 *
 * Each invoice has its own number and values built afresh, as the order
 * chain would.
 */
#include "documents/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *const descriptions[] = {
	"Jus de pomme bio pressé, bouteille 1 L",
	"Farine de blé T65 bio, sac 5 kg",
	"Huile d'olive vierge extra bio, bidon de 3 L — récolte 2026, première pression à froid",
	"Miel de châtaignier du Périgord, pot 500 g",
	"Lentilles vertes bio, 1 kg",
	"Chocolat noir 70 % bio équitable, tablette 100 g",
	"Café moulu pur arabica bio, 250 g",
	"Œufs bio calibre moyen, boîte de 6",
	"Riz basmati complet bio, 1 kg",
	"Pâtes fusilli au blé complet bio, 500 g",
};

static const char *logo;

static doc_values *invoice(int number, int lines)
{
	doc_values *v = doc_values_new();
	static const char *const fixed[][2] = {
		{ "company.name", "Sweetie Bio" }, { "company.address", "12 avenue de la Gare" },
		{ "company.postcode", "33500" }, { "company.city", "Libourne" },
		{ "company.siret", "123 456 789 00012" }, { "company.siren", "123 456 789" },
		{ "company.vat", "FR12 123456789" }, { "company.iban", "FR76 3000 4000 0500 0012 3456 789" },
		{ "company.bic", "BNPAFRPPXXX" }, { "company.bank", "BNP Paribas Libourne" },
		{ "company.email", "commandes@sweetiebio.fr" }, { "company.phone", "05 57 00 00 00" },
		{ "company.website", "www.sweetiebio.fr" }, { "company.legal_form", "SAS" },
		{ "company.capital", "10\u202f000" }, { "company.rcs", "Libourne" },
		{ "company.late_penalty", "trois fois le taux d'intérêt légal" },
		{ "customer.ref", "C0042" }, { "customer.name", "Épicerie du Marché" },
		{ "customer.siren", "987 654 321" }, { "customer.vat", "FR45 987654321" },
		{ "customer.billing_address", "3 place de la Clautre" },
		{ "customer.billing_postcode", "24000" }, { "customer.billing_city", "Périgueux" },
		{ "customer.delivery_address", "" }, { "customer.delivery_postcode", "" },
		{ "customer.delivery_city", "" }, { "customer.discount", "" }, { "order.number", "SO0001" }, { "order.date", "18/11/2026" },
		{ "order.customer_order_ref", "BC-2026-1187" }, { "order.order_date", "17/11/2026" },
		{ "order.delivery_date", "24/11/2026" }, { "document.date", "20/11/2026" },
		{ "invoice.date", "20/11/2026" }, { "invoice.due_date", "20/12/2026" },
		{ "invoice.payment_terms", "30 jours nets" }, { "invoice.deliveries", "BL0001, BL0002" },
		{ "invoice.delivery_dates", "18/11/2026, 19/11/2026" },
		{ "invoice.amount_words", "mille deux cent quarante-neuf euros et vingt centimes" },
		{ "invoice.discount", "" }, { "totals.ht", "1\u202f183,10\u00a0€" },
		{ "totals.vat", "66,10\u00a0€" }, { "totals.ttc", "1\u202f249,20\u00a0€" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(fixed); i++)
		doc_values_set(v, fixed[i][0], fixed[i][1]);
	doc_values_set(v, "company.logo", logo ? logo : "");
	doc_values_setf(v, "invoice.number", "FA2026-%04d", number);
	for (int i = 0; i < lines; i++) {
		char no[16], ref[16], qty[16], total[32];
		const char *cells[] = { "lineno", no, "ref", ref, "description", descriptions[i % 10],
					"qty", qty, "unit", i % 3 ? "u" : "kg", "unit_price", "4,20\u00a0€",
					"vat_rate", "5,5\u00a0%", "total", total, NULL };

		g_snprintf(no, sizeof(no), "%d", i + 1);
		g_snprintf(ref, sizeof(ref), "BIO-%04d", 1001 + i);
		g_snprintf(qty, sizeof(qty), "%d", (i % 7 + 1) * 3);
		g_snprintf(total, sizeof(total), "%d,%02d\u00a0€", (i % 7 + 1) * 12, (i * 37) % 100);
		doc_values_add_row(v, "lines", cells);
	}
	{
		const char *a[] = { "rate", "5,5\u00a0%", "base", "1\u202f155,10\u00a0€", "amount", "63,53\u00a0€", NULL };
		const char *b[] = { "rate", "20\u00a0%", "base", "28,00\u00a0€", "amount", "5,60\u00a0€", NULL };

		doc_values_add_row(v, "vat", a);
		doc_values_add_row(v, "vat", b);
	}
	return v;
}

/* Current resident memory, KB (/proc/self/statm). */
static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

typedef struct {
	const doc_templates *t;
	int first, count, lines;
	gsize bytes;
	int failed;
} job;

static gpointer run(gpointer data)
{
	job *j = data;

	for (int i = 0; i < j->count; i++) {
		g_autoptr(doc_values) v = invoice(j->first + i, j->lines);
		g_autoptr(GError) err = NULL;
		GBytes *pdf = NULL;

		if (doc_render(j->t, "invoice", v, DOC_ORIGINAL, &pdf, &err) < 0) {
			if (j->failed++ == 0)
				fprintf(stderr, "render_bench: %s\n", err->message);
			continue;
		}
		j->bytes += g_bytes_get_size(pdf);
		g_bytes_unref(pdf);
	}
	return NULL;
}

/* count invoices of lines lines over threads; one result line */
static int measure(const doc_templates *t, int count, int lines, int threads)
{
	GThread *th[16];
	job jobs[16];
	gint64 t0, t1;
	long rss_early = 0;
	gsize bytes = 0;
	int failed = 0;
	struct rusage ru;

	/* the first tenth alone: the pool and the caches fill up */
	{
		job warm = { t, 0, count / 10, lines, 0, 0 };

		t0 = g_get_monotonic_time();
		run(&warm);
		rss_early = rss_kb();
		bytes += warm.bytes;
		failed += warm.failed;
	}
	for (int i = 0; i < threads; i++) {
		int share = (count - count / 10) / threads + (i < (count - count / 10) % threads);

		jobs[i] = (job){ t, count / 10 + i * share, share, lines, 0, 0 };
		th[i] = g_thread_new("render", run, &jobs[i]);
	}
	for (int i = 0; i < threads; i++) {
		g_thread_join(th[i]);
		bytes += jobs[i].bytes;
		failed += jobs[i].failed;
	}
	t1 = g_get_monotonic_time();
	getrusage(RUSAGE_SELF, &ru);
	printf("render: %4d invoices of %2d lines, %d thread(s): %6.2f s, %6.0f documents/s, %5.1f KB a PDF | "
	       "RSS %5.1f MB after %d, %5.1f MB after %d, peak %5.1f MB%s\n",
	       count, lines, threads, (t1 - t0) / 1e6, count / ((t1 - t0) / 1e6), bytes / 1024.0 / count,
	       rss_early / 1024.0, count / 10, rss_kb() / 1024.0, count, ru.ru_maxrss / 1024.0,
	       failed ? " | FAILED" : "");
	return failed ? 1 : 0;
}

/* The 10-line invoice as troff + tbl (groff -t -Tps), for the reference:
 * the same texts, a table, no embedded font. */
static void troff(void)
{
	g_autoptr(doc_values) v = invoice(1, 10);

	(void)v;
	printf(".pl 29.7c\n.ll 18c\n.po 1.5c\n.ps 9\n.vs 11.7p\n.ft B\n.ps 14\nSweetie Bio\n.ps 9\n.ft R\n.br\n"
	       "12 avenue de la Gare\n.br\n33500 Libourne\n.sp\n.ad r\n.ft B\n.ps 22\nFACTURE\n.ps 9\n.ft R\n.br\n"
	       "Numéro FA2026-0001\n.br\nDate de facture 20/11/2026\n.br\nÉchéance 20/12/2026\n.ad l\n.sp\n"
	       "Épicerie du Marché\n.br\n3 place de la Clautre\n.br\n24000 Périgueux\n.sp\n"
	       ".TS\nbox;\nr l lw(6c) r l r r r.\nN°\tRéf.\tDésignation\tQté\tUnité\tP.U. HT\tTVA\tTotal HT\n_\n");
	for (int i = 0; i < 10; i++)
		printf("%d\tBIO-%04d\tT{\n%s\nT}\t%d\t%s\t4,20 €\t5,5 %%\t%d,%02d €\n", i + 1, 1001 + i,
		       descriptions[i % 10], (i % 7 + 1) * 3, i % 3 ? "u" : "kg", (i % 7 + 1) * 12, (i * 37) % 100);
	printf(".TE\n.sp\n.ad r\nTotal HT 1 183,10 €\n.br\nTotal TVA 66,10 €\n.br\n.ft B\nTotal TTC 1 249,20 €\n"
	       ".ft R\n.ad l\n.sp\nArrêtée la présente facture à la somme de mille deux cent quarante-neuf euros "
	       "et vingt centimes TTC.\n.sp\nPas d'escompte pour paiement anticipé. En cas de retard de paiement, "
	       "pénalités au taux de trois fois le taux d'intérêt légal. Indemnité forfaitaire pour frais de "
	       "recouvrement : 40 €. Catégorie de l'opération : livraison de biens.\n");
}

int main(int argc, char **argv)
{
	const char *dirs[2] = { NULL, NULL };
	g_autoptr(GError) err = NULL;
	g_autoptr(doc_templates) t = NULL;
	int threads = 1, rc = 0, n = 1000;

	if (argc < 2) {
		fprintf(stderr, "usage: render_bench TEMPLATES_DIR [--threads N] [--count N] [--logo FILE] | --troff\n");
		return 2;
	}
	dirs[0] = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--troff") == 0) {
			troff();
			return 0;
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			threads = atoi(argv[++i]);
			threads = CLAMP(threads, 1, 16);
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			n = atoi(argv[++i]);
			n = CLAMP(n, 10, 1000000);
		} else if (strcmp(argv[i], "--logo") == 0 && i + 1 < argc) {
			logo = argv[++i];
		}
	}
	t = doc_templates_load(dirs, &err);
	if (t == NULL) {
		fprintf(stderr, "render_bench: %s\n", err->message);
		return 1;
	}
	rc |= measure(t, n, 10, threads);
	rc |= measure(t, n / 10, 60, threads);
	return rc;
}
