/* intake.h: from an archived message to filed documents, drafts and
 * quarantine entries.
 *
 * Takes the messages the poller recorded in state "fetched", parses each
 * one (mime.h), finds its order documents by content (filetype.h), files
 * them in the archive and makes one draft order per document, or a
 * quarantine entry with a reason code per rejected attachment (or for the
 * whole message when it carries no order document).  Each batch of messages
 * is one database transaction, preceded by one archive sync: a crash
 * anywhere leaves the messages "fetched", to be taken again from the start.
 * Readings begun are counted first: a message whose reading was cut short
 * is then read alone, and after INTAKE_MAX_ATTEMPTS it is quarantined
 * unread (unreadable_message), so that one message that crashes a parser
 * cannot stop the mailbox.
 */
#ifndef MO_INTAKE_H
#define MO_INTAKE_H

#include "lib/config.h"
#include "lib/guard.h"
#include "store/archive.h"
#include "store/db.h"

#include <glib.h>

#define INTAKE_BATCH 64   /* messages per transaction */
/* Readings begun and never finished before a message is given up on;
 * the OCR stage allows more (intake.c says why), and a message given up
 * by the watchdog gets as many at once. */
#define INTAKE_MAX_ATTEMPTS 5
#define INTAKE_MAX_OCR_ATTEMPTS (2 * INTAKE_MAX_ATTEMPTS)
/* Intakes sharing claims, at most (intake_worker's OCR lanes). */
#define INTAKE_MAX_CLAIMS 64

typedef struct intake intake;

typedef struct {
	int messages;      /* processed */
	int drafts;        /* orders created */
	int quarantined;   /* quarantine entries created */
	int documents;     /* PDFs read (opened, laid out, rule or generic reader) */
	int readings_kept; /* of them, the OCR stage's from what the first stage read */
	gint64 reading_us; /* their reading time (make bench puts it beside pdftotext) */
	int deferred;      /* messages with scans left to the OCR stage */
} intake_stats;

/* The OCR stage's intakes (one a core) share their claims: each takes
 * the oldest message left to OCR that no other is reading. */
typedef struct intake_claims intake_claims;
intake_claims *intake_claims_new(void);
void intake_claims_free(intake_claims **c);

/* The caller keeps cfg, d, a (and ocr) alive while the intake lives.  Two
 * stages read messages: the first all of them but those that hold a scan
 * (a page with no text and no field), which it leaves to the second, the
 * OCR stage, one message at a time an intake: a long scan does not hold
 * up the messages after it.  ocr: NULL for the first stage; for the OCR
 * stage, the claims its intakes share. */
intake *intake_new(const config *cfg, db *d, archive *a, intake_claims *ocr, GError **error);
void intake_free(intake **in);

/* Processes every message in state "fetched" that is this stage's, oldest
 * first; adds to *stats. */
int intake_process_pending(intake *in, intake_stats *stats, GError **error);
/* One batch of them (for the OCR stage: one message); how many it read,
 * 0 when none was left, -1 on error. */
int intake_process_one(intake *in, intake_stats *stats, GError **error);

/* Each message is read under g's watch in slot (guard.h), named by its
 * number: a reading that runs away ends the process.  Without a guard
 * (the default) nothing watches. */
void intake_set_guard(intake *in, guard *g, int slot);

/* The name the archive files a customer's documents under: the customer's
 * name when the sender is known, else "inconnu".  Owned. */
char *intake_partner_for(db *d, const char *from_addr, GError **error);
#endif
