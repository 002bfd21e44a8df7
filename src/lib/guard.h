/* guard.h: a watchdog over the reading of hostile input.
 *
 * poppler can spend minutes and gigabytes on a 10 KB PDF built for it
 * (forms drawing forms, each twice), and nothing inside it can be
 * interrupted.  A guard watches, from a thread of its own, the readings
 * in progress (slots: one per thread that reads): when one has gone on
 * longer than its time limit, or the process has grown past the memory
 * limit while one is going on, it calls the trip function, which says
 * what was being read and ends the process (it must not return; if it
 * does, the guard ends the process with exit code 1).  Nothing is rolled
 * back by the trip: the caller's transactions and staging make an end at
 * any instant safe, as a crash would.
 *
 * The time counted is the reading's own: guard_pause() and
 * guard_resume() leave out what the thread waits for elsewhere (an OCR
 * helper, which has its own time limit).
 *
 * Limits: MAILORDER_READ_LIMIT_S (seconds, default GUARD_TIME_LIMIT_S)
 * and MAILORDER_READ_LIMIT_MB (resident memory, default
 * GUARD_MEMORY_LIMIT_MB) in the environment change them.
 */
#ifndef MO_GUARD_H
#define MO_GUARD_H

#include <glib.h>

#define GUARD_TIME_LIMIT_S 60
#define GUARD_MEMORY_LIMIT_MB 512

typedef struct guard guard;

typedef enum {
	GUARD_TIME,     /* a reading went on too long */
	GUARD_MEMORY,   /* the process grew too large during a reading */
} guard_why;

/* Called on the guard's thread with the slot and what it was reading
 * (as given to guard_begin), the limit passed and its value (seconds or
 * MB), then the process ends.  A time limit is a slot's own; memory is
 * the process's: the slot named is the lowest one reading then, and
 * others may be reading too (guard_reading tells). */
typedef void guard_trip_fn(int slot, const char *what, guard_why why, gint64 limit, void *ctx);

/* A guard of n slots, its limits read from the environment (see above),
 * its thread started; NULL with the reason when the thread cannot be
 * made. */
guard *guard_start(int slots, guard_trip_fn *trip, void *ctx, GError **error);
void guard_stop(guard **g);

/* The limits in force (seconds; MB). */
gint64 guard_time_limit_s(const guard *g);
gint64 guard_memory_limit_mb(const guard *g);

/* The calling thread reads what (a message number, a file name) in slot;
 * the clock starts.  guard_end: finished, the clock stops.  Any thread
 * may call guard_reading. */
void guard_begin(guard *g, int slot, const char *what);
void guard_end(guard *g, int slot);
/* How long (µs) slot has been reading, its what copied into what[size];
 * 0 when it reads nothing. */
gint64 guard_reading(guard *g, int slot, char *what, size_t size);

/* The calling thread's reading, if any (a no-op otherwise), stops its
 * clock while it waits for something that has its own limit, and starts
 * it again. */
void guard_pause(void);
void guard_resume(void);

/* The resident memory of this process, in bytes (0 if it cannot be read). */
gint64 guard_resident_bytes(void);

#endif
