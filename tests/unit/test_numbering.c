/* numbering: our numbers' form, and their sequences in a database made
 * here (gapless, never reused once committed, untouched by a rollback). */
#include "orders/numbering.h"
#include "tap.h"

#include <glib.h>
#include <glib/gstdio.h>

int main(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-numbering-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "n.db", NULL);
	g_autoptr(GError) err = NULL;
	char *a = NULL, *b = NULL, *c = NULL, *m = NULL;
	int from = -1;
	db *d;

	{
		g_autofree char *so1 = numbering_format(NUMBER_ORDER, 1);
		g_autofree char *m42 = numbering_format(NUMBER_MESSAGE, 42);
		g_autofree char *big = numbering_format(NUMBER_ORDER, 123456);

		is_str(so1, "SO0001", "an order's number: SO and four digits");
		is_str(m42, "M0042", "a message's: M");
		is_str(big, "SO123456", "more digits once four are not enough");
	}
	d = db_open(path, TRUE, &err);
	ok(d != NULL && db_migrate(d, &from, &err) == 0, "a new database");
	ok(db_begin(d, &err) == 0 && numbering_next(d, NUMBER_ORDER, &a, &err) == 0 &&
		   numbering_next(d, NUMBER_ORDER, &b, &err) == 0 && db_commit(d, &err) == 0,
	   "two orders' numbers in a transaction");
	is_str(a, "SO0001", "the first is SO0001");
	is_str(b, "SO0002", "the next SO0002");
	ok(db_begin(d, &err) == 0 && numbering_next(d, NUMBER_ORDER, &c, &err) == 0,
	   "a third, not committed");
	db_rollback(d);
	g_free(c);
	c = NULL;
	ok(db_begin(d, &err) == 0 && numbering_next(d, NUMBER_ORDER, &c, &err) == 0 &&
		   numbering_next(d, NUMBER_MESSAGE, &m, &err) == 0 && db_commit(d, &err) == 0,
	   "again after the rollback");
	is_str(c, "SO0003", "a rolled-back number is given again: no gap");
	is_str(m, "M0001", "each kind has its own sequence");
	{
		/* invoices: a series a year, reset each year, each its own */
		char *fa[5] = { NULL };
		g_autofree char *bl = NULL;
		gboolean all = db_begin(d, &err) == 0;

		all = all && numbering_next_invoice(d, 2026, &fa[0], &err) == 0;
		all = all && numbering_next_invoice(d, 2026, &fa[1], &err) == 0;
		all = all && numbering_next_invoice(d, 2027, &fa[2], &err) == 0;
		all = all && numbering_next(d, NUMBER_DELIVERY, &bl, &err) == 0;
		all = all && db_commit(d, &err) == 0;
		ok(all, "invoice numbers of two years");
		is_str(fa[0], "FA2026-0001", "the first invoice of 2026");
		is_str(fa[1], "FA2026-0002", "the next");
		is_str(fa[2], "FA2027-0001", "2027 starts again at 0001");
		is_str(bl, "BL0001", "a delivery's number: BL");
		all = db_begin(d, &err) == 0 && numbering_next_invoice(d, 2026, &fa[3], &err) == 0;
		db_rollback(d);
		all = all && db_begin(d, &err) == 0 &&
		      numbering_next_invoice(d, 2026, &fa[4], &err) == 0 && db_commit(d, &err) == 0;
		ok(all, "one rolled back, one committed");
		is_str(fa[4], "FA2026-0003", "2026 goes on where it was, the rolled-back one given again");
		for (int i = 0; i < 5; i++)
			g_free(fa[i]);
	}
	if (err != NULL)
		tap_diag("%s", err->message);
	db_close(&d);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(m);
	g_unlink(path);
	{
		g_autofree char *wal = g_strconcat(path, "-wal", NULL);
		g_autofree char *shm = g_strconcat(path, "-shm", NULL);

		g_unlink(wal);
		g_unlink(shm);
	}
	g_rmdir(dir);
	return tap_done();
}
