/* numbering.c: our numbers (numbering.h). */
#include "orders/numbering.h"

/* Each kind's sequence in the database, which is also its prefix. */
static const char *const prefixes[] = {
	[NUMBER_MESSAGE] = "M",
	[NUMBER_ORDER] = "SO",
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
