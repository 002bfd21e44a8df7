/* intake_worker.h: the intake stage on a thread of its own.
 *
 * While the poller fetches and archives the next batch, the worker reads
 * the messages already recorded (state "fetched") into drafts and
 * quarantine entries: a text lane reads them as they come, and OCR lanes
 * (one per core) the messages with scans it leaves them, each its own.
 * Each lane has its own database connection and archive handle; they and
 * the poller meet only in the database, whose transactions order them
 * (the worker takes only messages whose fetch was committed).  Crash
 * safety is intake's own: a message is "fetched" until its intake commits.
 */
#ifndef MO_INTAKE_WORKER_H
#define MO_INTAKE_WORKER_H

#include "lib/config.h"
#include "intake/intake.h"

#include <glib.h>

typedef struct intake_worker intake_worker;

/* OCR lanes at most, whatever the machine. */
#define INTAKE_WORKER_MAX_OCR_LANES 16

/* How many OCR lanes a worker runs: one per core (a scanned page is
 * seconds of Tesseract, in a helper process of its own), or
 * MAILORDER_OCR_LANES. */
int intake_worker_ocr_lanes(void);

/* Opens its own connections to cfg's database and archive (one a lane),
 * and starts. */
intake_worker *intake_worker_start(const config *cfg, GError **error);

/* There are new messages to read (or may be: it checks). */
void intake_worker_kick(intake_worker *w);

/* -1 with the worker's error once it has failed (a local failure: disk,
 * database); it stops at its first failure. */
int intake_worker_check(intake_worker *w, GError **error);

/* Reads what is pending (the scans too when drain; else the scan in
 * hand only: a stop does not wait for a backlog of OCR), stops, frees.
 * Adds its counts to *stats and its busy time to *busy_us; -1 with the
 * error if it failed at any point. */
int intake_worker_finish(intake_worker **w, gboolean drain, intake_stats *stats, gint64 *busy_us,
			 GError **error);

#endif
