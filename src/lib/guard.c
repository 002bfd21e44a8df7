#include "lib/guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* How often the guard looks: a runaway reading grows by at most this
 * much time's worth past the memory limit. */
#define GUARD_TICK_US (G_USEC_PER_SEC / 5)
#define WHAT_MAX 128

typedef struct {
	gboolean active;
	char what[WHAT_MAX];
	gint64 counted_us;   /* reading time before the last pause */
	gint64 since;        /* monotonic µs of the last start or resume; 0 while paused */
} slot_state;

struct guard {
	GMutex lock;
	GCond wake;
	gboolean quit;
	GThread *thread;
	guard_trip_fn *trip;
	void *ctx;
	gint64 time_limit_us;
	gint64 memory_limit;
	int n;
	slot_state *slots;
};

/* The slot the calling thread reads in, for guard_pause/guard_resume. */
static _Thread_local guard *current_guard;
static _Thread_local int current_slot = -1;

static gint64 env_limit(const char *name, gint64 fallback)
{
	const char *v = g_getenv(name);
	gint64 n;
	char *end;

	if (v == NULL || v[0] == '\0')
		return fallback;
	n = g_ascii_strtoll(v, &end, 10);
	return *end == '\0' && n > 0 ? n : fallback;
}

gint64 guard_resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "re");
	long long size = 0, resident = 0;
	int got;

	if (f == NULL)
		return 0;
	got = fscanf(f, "%lld %lld", &size, &resident);
	fclose(f);
	if (got != 2)
		return 0;
	return (gint64)resident * sysconf(_SC_PAGESIZE);
}

static gint64 elapsed_locked(const slot_state *s, gint64 now)
{
	if (!s->active)
		return 0;
	return s->counted_us + (s->since != 0 ? now - s->since : 0);
}

static void trip_now(guard *g, int slot, guard_why why)
{
	char what[WHAT_MAX];

	g_strlcpy(what, g->slots[slot].what, sizeof(what));
	g_mutex_unlock(&g->lock);
	g->trip(slot, what, why,
		why == GUARD_TIME ? g->time_limit_us / G_USEC_PER_SEC : g->memory_limit >> 20,
		g->ctx);
	_exit(1);
}

static gpointer guard_main(gpointer data)
{
	guard *g = data;

	g_mutex_lock(&g->lock);
	while (!g->quit) {
		gint64 now = g_get_monotonic_time();
		int first = -1;

		for (int i = 0; i < g->n; i++) {
			gint64 e = elapsed_locked(&g->slots[i], now);

			if (g->slots[i].active && e > g->time_limit_us)
				trip_now(g, i, GUARD_TIME);
			if (g->slots[i].active && first < 0)
				first = i;
		}
		/* memory is the process's: which reading made it grow is not
		 * known; the lowest slot reading is named */
		if (first >= 0 && guard_resident_bytes() > g->memory_limit)
			trip_now(g, first, GUARD_MEMORY);
		g_cond_wait_until(&g->wake, &g->lock, g_get_monotonic_time() + GUARD_TICK_US);
	}
	g_mutex_unlock(&g->lock);
	return NULL;
}

guard *guard_start(int slots, guard_trip_fn *trip, void *ctx, GError **error)
{
	guard *g = g_new0(guard, 1);

	g_mutex_init(&g->lock);
	g_cond_init(&g->wake);
	g->trip = trip;
	g->ctx = ctx;
	g->n = slots;
	g->slots = g_new0(slot_state, slots);
	g->time_limit_us = env_limit("MAILORDER_READ_LIMIT_S", GUARD_TIME_LIMIT_S) * G_USEC_PER_SEC;
	g->memory_limit = env_limit("MAILORDER_READ_LIMIT_MB", GUARD_MEMORY_LIMIT_MB) << 20;
	g->thread = g_thread_try_new("guard", guard_main, g, error);
	if (g->thread == NULL) {
		g_mutex_clear(&g->lock);
		g_cond_clear(&g->wake);
		g_free(g->slots);
		g_free(g);
		return NULL;
	}
	return g;
}

void guard_stop(guard **gp)
{
	guard *g = *gp;

	if (g == NULL)
		return;
	*gp = NULL;
	g_mutex_lock(&g->lock);
	g->quit = TRUE;
	g_cond_signal(&g->wake);
	g_mutex_unlock(&g->lock);
	g_thread_join(g->thread);
	g_mutex_clear(&g->lock);
	g_cond_clear(&g->wake);
	g_free(g->slots);
	g_free(g);
}

gint64 guard_time_limit_s(const guard *g)
{
	return g->time_limit_us / G_USEC_PER_SEC;
}

gint64 guard_memory_limit_mb(const guard *g)
{
	return g->memory_limit >> 20;
}

void guard_begin(guard *g, int slot, const char *what)
{
	g_return_if_fail(slot >= 0 && slot < g->n);
	g_mutex_lock(&g->lock);
	g->slots[slot].active = TRUE;
	g_strlcpy(g->slots[slot].what, what ? what : "?", WHAT_MAX);
	g->slots[slot].counted_us = 0;
	g->slots[slot].since = g_get_monotonic_time();
	g_mutex_unlock(&g->lock);
	current_guard = g;
	current_slot = slot;
}

void guard_end(guard *g, int slot)
{
	g_return_if_fail(slot >= 0 && slot < g->n);
	g_mutex_lock(&g->lock);
	g->slots[slot].active = FALSE;
	g_mutex_unlock(&g->lock);
	current_guard = NULL;
	current_slot = -1;
}

gint64 guard_reading(guard *g, int slot, char *what, size_t size)
{
	gint64 e;

	g_mutex_lock(&g->lock);
	e = elapsed_locked(&g->slots[slot], g_get_monotonic_time());
	if (e > 0 && what != NULL)
		g_strlcpy(what, g->slots[slot].what, size);
	g_mutex_unlock(&g->lock);
	return e;
}

/* Stops (paused) or starts again the calling thread's clock, if it reads. */
static void set_paused(gboolean paused)
{
	guard *g = current_guard;
	slot_state *s;
	gint64 now = g_get_monotonic_time();

	if (g == NULL)
		return;
	g_mutex_lock(&g->lock);
	s = &g->slots[current_slot];
	if (s->active && paused && s->since != 0) {
		s->counted_us += now - s->since;
		s->since = 0;
	} else if (s->active && !paused && s->since == 0) {
		s->since = now;
	}
	g_mutex_unlock(&g->lock);
}

void guard_pause(void)
{
	set_paused(TRUE);
}

void guard_resume(void)
{
	set_paused(FALSE);
}
