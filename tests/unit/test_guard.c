/* Unit tests of guard.c: a reading past its time or memory limit trips
 * the guard, which names it; time paused is not counted; a reading that
 * ends in time trips nothing.  Each case runs in a child process, since
 * a trip ends the process. */
#include "lib/guard.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int trip_pipe = -1;

static void on_trip(int slot, const char *what, guard_why why, gint64 limit, void *ctx)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%d %s %s %" G_GINT64_FORMAT, slot, what,
			 why == GUARD_TIME ? "time" : "memory", limit);

	(void)ctx;
	if (write(trip_pipe, line, (size_t)n) < 0)
		_exit(3);
	_exit(42);
}

typedef void scenario_fn(guard *g);

/* Runs fn in a child with the given limits; returns its exit code, and
 * what the trip said in said[size] ("" when none). */
static int run(scenario_fn *fn, const char *limit_s, const char *limit_mb, char *said, size_t size)
{
	int fds[2];
	int status = 0;
	pid_t pid;
	ssize_t n;

	said[0] = '\0';
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		g_autoptr(GError) err = NULL;
		guard *g;

		close(fds[0]);
		trip_pipe = fds[1];
		g_setenv("MAILORDER_READ_LIMIT_S", limit_s, TRUE);
		g_setenv("MAILORDER_READ_LIMIT_MB", limit_mb, TRUE);
		g = guard_start(2, on_trip, NULL, &err);
		if (g == NULL)
			_exit(2);
		fn(g);
		guard_stop(&g);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], said, size - 1);
	said[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void hangs(guard *g)
{
	guard_begin(g, 1, "M0042");
	for (;;)
		g_usleep(G_USEC_PER_SEC / 10);
}

static void ends_in_time(guard *g)
{
	guard_begin(g, 0, "M0001");
	g_usleep(G_USEC_PER_SEC / 5);
	guard_end(g, 0);
	/* nothing read now: no time counts */
	g_usleep(3 * G_USEC_PER_SEC / 2);
}

static void waits_paused(guard *g)
{
	guard_begin(g, 0, "scan.pdf");
	guard_pause();
	g_usleep(3 * G_USEC_PER_SEC / 2);   /* an OCR helper: its own limit */
	guard_resume();
	g_usleep(G_USEC_PER_SEC / 5);
	guard_end(g, 0);
}

/* Grows the process by 200 MB, resident (a byte of each page written),
 * and waits for the guard. */
static void grow_memory(void)
{
	volatile char *big = malloc(200u << 20);

	if (big == NULL)
		_exit(4);
	for (size_t i = 0; i < (200u << 20); i += 4096)
		big[i] = 1;
	for (;;)
		g_usleep(G_USEC_PER_SEC / 10);
}

static void grows(guard *g)
{
	guard_begin(g, 0, "forms.pdf");
	grow_memory();
}

/* slot 1 reads and grows; slot 0 reads nothing */
static void grows_in_slot_1(guard *g)
{
	guard_begin(g, 1, "M0007");
	grow_memory();
}

/* both read when the process grows: the lowest slot is named */
static void grows_in_both(guard *g)
{
	guard_begin(g, 1, "M0008");
	guard_begin(g, 0, "M0009");
	grow_memory();
}

static gpointer reader_thread(gpointer data)
{
	guard *g = data;

	/* this thread's reading: its pause is its own */
	guard_begin(g, 1, "other-thread");
	g_usleep(3 * G_USEC_PER_SEC / 2);
	guard_end(g, 1);
	return NULL;
}

/* a pause on one thread stops no other thread's clock */
static void pause_is_per_thread(guard *g)
{
	GThread *t = g_thread_new("reader", reader_thread, g);

	guard_begin(g, 0, "paused-here");
	guard_pause();
	g_thread_join(t);
	guard_resume();
	guard_end(g, 0);
}

int main(void)
{
	char said[256];
	gint64 t0 = g_get_monotonic_time();
	int rc;

	rc = run(hangs, "1", "100000", said, sizeof(said));
	is_int(rc, 42, "a reading past its time trips the guard");
	is_str(said, "1 M0042 time 1", "  which names the slot, what it read and the limit");
	ok(g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC, "  soon after the limit");

	rc = run(ends_in_time, "1", "100000", said, sizeof(said));
	is_int(rc, 0, "a reading that ends in time trips nothing, nor does the time after it");
	is_str(said, "", "  nothing said");

	rc = run(waits_paused, "1", "100000", said, sizeof(said));
	is_int(rc, 0, "time paused (a helper with its own limit) is not counted");

	rc = run(grows, "1000", "150", said, sizeof(said));
	is_int(rc, 42, "a process grown past the memory limit during a reading trips it");
	is_str(said, "0 forms.pdf memory 150", "  naming the reading and the limit");

	rc = run(grows_in_slot_1, "1000", "150", said, sizeof(said));
	(void)rc;
	is_str(said, "1 M0007 memory 150", "memory: the one slot reading is named");

	rc = run(grows_in_both, "1000", "150", said, sizeof(said));
	is_str(said, "0 M0009 memory 150", "memory: with two reading, the lowest slot is named");

	rc = run(pause_is_per_thread, "1", "100000", said, sizeof(said));
	is_int(rc, 42, "a pause on one thread leaves another thread's reading counted");
	is_str(said, "1 other-thread time 1", "  that reading is the one named");

	ok(guard_resident_bytes() > 0, "the resident memory can be read");
	return tap_done();
}
