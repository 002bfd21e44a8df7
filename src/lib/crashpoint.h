/* crashpoint.h: named places where a test may kill the program.
 *
 * MAILORDER_CRASHPOINT="NAME" or "NAME:N" makes the N-th (default first)
 * pass through crashpoint("NAME") die at once with SIGKILL: no clean-up,
 * no atexit, as a power cut or the OOM killer would.  The tests loop over
 * every point and check that nothing is lost or taken twice.
 * Without the variable, a crashpoint costs one branch.
 * Some points count an event instead ("pdf-read": each PDF this program
 * opens, so that "pdf-read:2" proves a PDF is not opened twice).
 */
#ifndef MO_CRASHPOINT_H
#define MO_CRASHPOINT_H

void crashpoint(const char *name);

/* MAILORDER_CRASH_READING="MESSAGE-ID" (without angle brackets): dies each
 * time intake starts reading that message, as a message that crashes a
 * parser would, every time; "ocr:MESSAGE-ID": in the OCR stage only. */
void crashpoint_reading(const char *message_id, int ocr_stage);

/* MAILORDER_HANG_READING="MESSAGE-ID" (or "ocr:MESSAGE-ID"): reading that
 * message never ends, as a parser caught in a loop. */
void crashpoint_hang(const char *message_id, int ocr_stage);

/* MAILORDER_HANG_OCR=1: the OCR helper (ocr.h) never ends, as a
 * recognition caught in a loop. */
void crashpoint_hang_ocr(void);

#endif
