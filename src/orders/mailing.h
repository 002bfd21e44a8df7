/* mailing.h: the mails we send a customer about an order: written from
 * their text (templates/mails/<kind>.txt, a site's own beside its config
 * first), composed with their PDFs attached under their filed names
 * (mail/mime.h), and queued in the outbox in the caller's transaction,
 * so that a mail exists exactly when the change it reports is committed.
 * Sending is the outbox's.
 */
#ifndef MO_MAILING_H
#define MO_MAILING_H

#include "orders/filing.h"

#include <glib.h>

/* Queues the mail of kind (MAIL_CONFIRMATION with the CONF, MAIL_INVOICE
 * with the FAC and its BLs) about order o of customer c (inv: the
 * invoice, or NULL), attaching the filed documents files (relative to the
 * archive, NULL-ended).  To the address the order came from, else the
 * customer file's first; In-Reply-To the customer's message.
 * 1 and *why_r (static, French) when no mail can be made (no address to
 * write to, no sender address in the config): the caller says so; 0
 * queued, *message_id_r (owned) its Message-ID; -1 on error. */
int mailing_queue(const filing *f, mail_kind kind, const customer *c, const order *o,
		  const invoice *inv, const char *const *files, char **message_id_r,
		  const char **why_r, GError **error);

/* A message received, as intake took it in: what its automatic answer
 * tells. */
typedef struct {
	const message_record *m;
	const char *automatic;      /* why it is automatic mail (mime.h), or NULL */
	const GPtrArray *orders;    /* order*: the drafts made from it, with their lines */
	const customer *c;          /* the customer of the first, else the sender's, or NULL */
	const GPtrArray *problems;  /* quarantine_entry*: what it gave the quarantine */
	int sent_files;             /* files its sender attached (not a signature's picture) */
} mailing_received;

/* Automatic answers in an hour, to all senders together: a flood of
 * messages with forged senders is not answered (backscatter). */
#define MAILING_MAX_ANSWERS_PER_HOUR 500

/* Queues r's automatic answer (RFC 3834: Auto-Submitted: auto-replied, in
 * reply to it) in the caller's transaction: the acknowledgment of what
 * was read when it gave drafts ([outbound] acknowledge), else a notice of
 * what the sender can do about attachments we could not take in
 * ([outbound] notify_quarantine).  None to automatic mail, to our own
 * addresses (a sender forged to be us), to a customer who refused them,
 * nor beyond [outbound] max_auto_replies_per_hour to one address nor
 * MAILING_MAX_ANSWERS_PER_HOUR in all; a notice only to a sender the
 * customer file knows; the database refuses a second answer to one
 * message.  0 queued; 1 when none is sent, with *why_r (owned, French;
 * NULL when there was nothing to say); 2 when the mail could not be
 * written (a site's template), with *why_r; -1 on a database error. */
int mailing_answer(const filing *f, const mailing_received *r, char **why_r, GError **error);

#endif
