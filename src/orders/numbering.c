/* numbering.c: our numbers (numbering.h). */
#include "orders/numbering.h"

/* Each kind's sequence in the database, which is also its prefix. */
static const char *const prefixes[] = {
	[NUMBER_MESSAGE] = "M",
	[NUMBER_ORDER] = "SO",
	[NUMBER_DELIVERY] = "BL",
};

char *numbering_format(number_kind kind, int64_t n)
{
	return g_strdup_printf("%s%04" G_GINT64_FORMAT, prefixes[kind], (gint64)n);
}

int numbering_next(db *d, number_kind kind, char **number_r, GError **error)
{
	int64_t n;

	*number_r = NULL;
	if (db_next_number(d, prefixes[kind], &n, error) < 0)
		return -1;
	*number_r = numbering_format(kind, n);
	return 0;
}

int numbering_next_invoice(db *d, int year, char **number_r, GError **error)
{
	g_autofree char *series = g_strdup_printf("FA%04d", year);
	int64_t n;

	*number_r = NULL;
	if (db_next_number(d, series, &n, error) < 0)
		return -1;
	*number_r = g_strdup_printf("%s-%04" G_GINT64_FORMAT, series, (gint64)n);
	return 0;
}
