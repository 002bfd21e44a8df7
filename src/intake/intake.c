#include "intake/intake.h"

#include "lib/crashpoint.h"
#include "lib/digest.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/text.h"
#include "mail/mime.h"
#include "orders/drafts.h"
#include "orders/filing.h"
#include "orders/mailing.h"
#include "orders/numbering.h"
#include "reading/document.h"
#include "reading/filetype.h"
#include "reading/ocr.h"
#include "reading/pdf.h"
#include "store/db_catalog.h"
#include "store/db_intake.h"
#include "store/db_order.h"
#include "store/db_outbox.h"
#include "store/model.h"
#include "store/naming.h"

#include <stdio.h>
#include <string.h>

#define SNIFF_BYTES FILETYPE_SNIFF_BYTES
#define WHO_INTAKE "mailorder"

struct intake {
	const config *cfg;
	db *d;
	archive *a;
	filetype *ft;
	pdf_reader *pdf;
	rule_set *rules;          /* the site's, then the shipped ones */
	gboolean ocr_stage;       /* reads the messages with scans, by OCR */
	int ocr_pages_left;       /* of the message being read (OCR_MAX_PAGES) */
	int readings_kept;        /* intake_stats' */
	int documents;            /* PDFs read since the last batch's stats */
	gint64 reading_us;
	guard *guard;             /* watches each message's reading, or NULL */
	int guard_slot;
	GHashTable *batch_shas;   /* documents of the batch being planned, by SHA-256:
				   * a copy among them is not read either */
	intake_claims *claims;    /* the OCR stage's, shared by its intakes; NULL in the first */
};

struct intake_claims {
	GMutex lock;
	GHashTable *ids;          /* messages' database ids being read */
};

intake_claims *intake_claims_new(void)
{
	intake_claims *c = g_new0(intake_claims, 1);

	g_mutex_init(&c->lock);
	c->ids = g_hash_table_new(g_int64_hash, g_int64_equal);
	return c;
}

void intake_claims_free(intake_claims **cp)
{
	intake_claims *c = *cp;

	if (c == NULL)
		return;
	*cp = NULL;
	g_hash_table_unref(c->ids);
	g_mutex_clear(&c->lock);
	g_free(c);
}

/* Keeps in batch the first message no other intake has claimed, claimed
 * now (its id is the key); empties batch when all are. */
static void claim_first(intake_claims *c, GPtrArray *batch)
{
	g_mutex_lock(&c->lock);
	for (guint i = 0; i < batch->len; i++) {
		message_record *m = batch->pdata[i];

		if (g_hash_table_contains(c->ids, &m->id))
			continue;
		g_hash_table_add(c->ids, &m->id);
		/* the one claimed to the front, the rest dropped */
		batch->pdata[i] = batch->pdata[0];
		batch->pdata[0] = m;
		g_ptr_array_set_size(batch, 1);
		g_mutex_unlock(&c->lock);
		return;
	}
	g_ptr_array_set_size(batch, 0);
	g_mutex_unlock(&c->lock);
}

static void unclaim(intake_claims *c, const message_record *m)
{
	g_mutex_lock(&c->lock);
	g_hash_table_remove(c->ids, &m->id);
	g_mutex_unlock(&c->lock);
}

intake *intake_new(const config *cfg, db *d, archive *a, intake_claims *ocr, GError **error)
{
	intake *in = g_new0(intake, 1);

	in->ocr_stage = ocr != NULL;
	in->claims = ocr;
	in->cfg = cfg;
	in->d = d;
	in->a = a;
	in->ft = filetype_new(error);
	if (in->ft == NULL) {
		g_free(in);
		return NULL;
	}
	in->pdf = pdf_reader_new();
	in->batch_shas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* A bad rule refuses the start. */
	in->rules = rules_load_standard(cfg->dir, error);
	if (in->rules == NULL) {
		intake_free(&in);
		return NULL;
	}
	return in;
}

void intake_free(intake **inp)
{
	intake *in = *inp;

	if (in == NULL)
		return;
	*inp = NULL;
	filetype_free(&in->ft);
	pdf_reader_free(&in->pdf);
	g_clear_pointer(&in->rules, rule_set_free);
	g_clear_pointer(&in->batch_shas, g_hash_table_unref);
	g_free(in);
}

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

char *intake_partner_for(db *d, const char *from_addr, GError **error)
{
	char *name = NULL;
	int found;

	if (from_addr == NULL)
		return g_strdup(NAMING_UNKNOWN_PARTNER);
	found = db_customer_name_by_email(d, from_addr, &name, error);
	if (found < 0)
		return NULL;
	return found && name != NULL ? name : g_strdup(NAMING_UNKNOWN_PARTNER);
}

/* ---------------------------------------------------------------- decoding */

/* Collects a decoded part: its hash and size always, its bytes up to max. */
typedef struct {
	digest *sum;
	size_t size;
	GByteArray *bytes;
	size_t max;
	gboolean over;         /* more than max bytes */
	gboolean prefix_only;  /* stop after max bytes (sniffing) */
} collector;

static int collect_chunk(const void *chunk, size_t len, void *ctx)
{
	collector *c = ctx;

	if (c->sum != NULL)
		digest_update(c->sum, chunk, len);
	c->size += len;
	if (!c->over) {
		size_t room = c->max - c->bytes->len;

		g_byte_array_append(c->bytes, chunk, (guint)MIN(room, len));
		if (len > room) {
			c->over = TRUE;
			/* Keep nothing of a part that is too large: only its hash matters. */
			if (!c->prefix_only)
				g_byte_array_set_size(c->bytes, 0);
		}
	}
	return c->prefix_only && c->over ? 1 : 0;
}

static GByteArray *decode_prefix(const mime_part *p, size_t n)
{
	collector c = { .bytes = g_byte_array_new(), .max = n, .prefix_only = TRUE };

	mime_part_decode_each(p, collect_chunk, &c);
	return c.bytes;
}

/* ---------------------------------------------------------------- plans
 *
 * A batch is read in two steps.  First, outside any transaction, each
 * message is parsed, its parts decoded, hashed and checked, and the PDFs
 * that may become drafts are written to staging files: a plan.  Then, in
 * one short transaction, the plans are applied: duplicates found, numbers
 * given, staged files renamed into the archive, rows written.  The
 * poller's own transactions only wait for the second step.
 */

typedef enum {
	PLAN_QUARANTINE,   /* reason and detail are known */
	PLAN_DOCUMENT,     /* a readable PDF: a draft, unless it is a duplicate */
	PLAN_DEFER_OCR,    /* a scan: the whole message is for the OCR stage */
	PLAN_COPY,         /* the bytes of a document taken in before: not read */
} plan_kind;

typedef struct {
	plan_kind kind;
	char *label;              /* file name, else MIME path: for the log */
	document_record *doc;
	quarantine_reason reason; /* PLAN_QUARANTINE */
	char *detail;
	archive_stage *staged;    /* PLAN_DOCUMENT: the PDF's bytes */
	gboolean forwarded;       /* inside a message the message carries (a forward, a
				   * DSN's returned message) */
	draft_source *source;     /* PLAN_DOCUMENT: what the document says (drafts.h) */
} plan_part;

typedef struct {
	const message_record *m;
	GPtrArray *parts;         /* plan_part* */
	gboolean whole;           /* the message itself is quarantined, for whole_reason */
	quarantine_reason whole_reason;
	char *whole_detail;
	char *ignored;            /* "name (type), ..." of attachments not orders */
	mime_limit limit;         /* the MIME limit reached: parts beyond it unread */
	gboolean had_parts;
	gboolean defer_ocr;       /* holds a scan: left to the OCR stage */
	const char *automatic;    /* why it is automatic mail (mime.h), or NULL */
	char **refs;              /* the Message-IDs it refers to, or NULL */
	char *report;             /* what it reports of a mail it refers to: a delivery
				   * status, an automatic reply's subject; NULL: none */
	gboolean failure;         /* that report says the mail was not delivered */
	gboolean dsn;             /* a delivery status notification: it brings no order */
	char *failed_recipient;   /* the DSN's Final-Recipient, lower case, or NULL */
	int sent_files;           /* files the sender attached (not a signature's picture,
				   * a vCard, a signature): what a notice may speak of */
	gboolean no_answer;       /* read too little of it to answer it safely */
} message_plan;

static void plan_part_free(plan_part *pp)
{
	g_free(pp->label);
	document_record_free(pp->doc);
	g_free(pp->detail);
	archive_stage_free(&pp->staged);
	draft_source_free(pp->source);
	g_free(pp);
}

static void message_plan_free(message_plan *mp)
{
	g_ptr_array_unref(mp->parts);
	g_free(mp->whole_detail);
	g_free(mp->ignored);
	g_strfreev(mp->refs);
	g_free(mp->report);
	g_free(mp->failed_recipient);
	g_free(mp);
}

static gboolean named_or_declared_pdf(const mime_part *p)
{
	static const char *const pdf_types[] = {
		"application/pdf", "application/x-pdf", "application/acrobat", "applications/vnd.pdf",
		"text/pdf", "text/x-pdf",
	};

	if (p->filename != NULL) {
		g_autofree char *lower = g_utf8_strdown(p->filename, -1);

		if (g_str_has_suffix(lower, ".pdf"))
			return TRUE;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(pdf_types); i++) {
		if (g_strcmp0(p->declared_type, pdf_types[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static char *human_size(size_t n)
{
	return g_format_size_full(n, G_FORMAT_SIZE_IEC_UNITS);
}

static GDateTime *document_date(const message_record *m, const order *o)
{
	const char *candidates[] = { o ? o->order_date : NULL, m->date, m->received_at };

	for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
		g_autoptr(GDateTime) t = NULL;

		if (candidates[i] == NULL)
			continue;
		if (strlen(candidates[i]) == 10) {
			int y, mo, d;

			if (sscanf(candidates[i], "%4d-%2d-%2d", &y, &mo, &d) == 3) {
				GDateTime *day = g_date_time_new_local(y, mo, d, 12, 0, 0);

				if (day != NULL)
					return day;
			}
			continue;
		}
		t = g_date_time_new_from_iso8601(candidates[i], NULL);
		if (t != NULL)
			return g_date_time_to_local(t);
	}
	return g_date_time_new_now_local();
}

/* ---------------------------------------------------------------- step 1: plan */

static plan_part *plan_quarantine(const mime_part *p, document_record *doc, quarantine_reason reason,
				  char *detail)
{
	plan_part *pp = g_new0(plan_part, 1);

	pp->kind = PLAN_QUARANTINE;
	pp->label = g_strdup(p->filename ? p->filename : p->path);
	pp->doc = doc;
	pp->reason = reason;
	pp->detail = detail;
	return pp;
}

/* Why a PDF gave nothing to read, for the clerk; *reason_r is no_text,
 * or not_read when scanned pages were left unread (the OCR limit of the
 * message): then nothing says the document is empty. */
static char *no_text_why(const page_content *c, quarantine_reason *reason_r)
{
	g_autofree char *not_read = text_pages_fr(c->ocr_not_read);
	g_autofree char *read = text_pages_fr(c->ocr_read);

	*reason_r = QR_NO_TEXT;
	if (not_read != NULL) {
		GString *why = g_string_new(NULL);

		*reason_r = QR_NOT_READ;
		g_string_printf(why, "document numérisé %s : OCR limité à %d pages par message, %s non "
				     "lue%s",
				read ? "lu en partie" : "non lu", OCR_MAX_PAGES, not_read,
				c->ocr_not_read->len > 1 ? "s" : "");
		if (read != NULL)
			g_string_append_printf(why, " ; %s lue%s sans rien d'utilisable", read,
					       c->ocr_read->len > 1 ? "s" : "");
		if (c->ocr_problem != NULL)
			g_string_append_printf(why, " ; %s", c->ocr_problem);
		else if (read == NULL)
			g_string_append_printf(why, " ; les %d ont été lues avant lui dans ce message",
					       OCR_MAX_PAGES);
		g_string_append(why, " (le document est classé tel quel, à lire ou à renvoyer)");
		return g_string_free(why, FALSE);
	}
	if (c->ocr_problem != NULL)
		return g_strdup_printf("aucun texte ni champ de formulaire, et l'OCR n'a pas pu le "
				       "lire : %s", c->ocr_problem);
	if (c->ocr_read->len > 0)
		return g_strdup_printf("aucun texte ni champ de formulaire, et l'OCR n'a rien lu "
				       "d'utilisable sur %s (numérisation vide ou illisible)",
				       c->ocr_read->len > 1 ? "ses pages" : "sa page");
	return g_strdup("aucun texte ni champ de formulaire, et rien à lire par OCR");
}

/* The document's bytes staged, to be filed when the plan is applied. */
static int stage_bytes(intake *in, plan_part *pp, const GByteArray *bytes, GError **error)
{
	pp->staged = archive_stage_new(in->a, FALSE, error);  /* hash known */
	if (pp->staged == NULL || archive_stage_write(pp->staged, bytes->data, bytes->len, error) < 0 ||
	    archive_stage_finish(pp->staged, error) < 0)
		return -1;
	return 0;
}

/* 1 when doc's bytes were taken in before: earlier in the batch being
 * planned, or by a document recorded before it (in the OCR stage, doc->id
 * is set to its own record: the first stage recorded it unread). */
static int already_taken_in(intake *in, document_record *doc, GError **error)
{
	g_autofree char *first = NULL;
	g_autofree char *first_message = NULL;

	if (g_hash_table_contains(in->batch_shas, doc->sha256))
		return 1;
	if (in->ocr_stage && db_document_of(in->d, doc->message_db_id, doc->part, &doc->id, error) < 0)
		return -1;
	return db_document_find_sha(in->d, doc->sha256, doc->id, &first, &first_message, error);
}

/* The attachments that are no order, named in a quarantine detail up to
 * about this much. */
#define IGNORED_SHOWN_BYTES 1000

/* What to do with one part: NULL when it is not a candidate order (then
 * *ignored gets its name and type, for a body's text nothing). */
static plan_part *plan_part_for(intake *in, const message_record *m, const mime_part *p,
				GString *ignored, GError **error)
{
	size_t max = (size_t)in->cfg->storage.max_attachment_bytes;
	/* A body's text is sniffed only for a PDF header at its very start (a
	 * mail client's body; libmagic is slow on text: it tries every text
	 * rule).  Anything else: its first bytes, decoded once, tell. */
	g_autoptr(GByteArray) head = decode_prefix(p, p->is_body_text ? 5 : SNIFF_BYTES);
	g_autofree char *detected = NULL;
	gboolean is_pdf;
	g_autoptr(GByteArray) bytes = NULL;
	g_autofree char *why = NULL;
	document_record *doc;
	collector all = { 0 };
	plan_part *pp;

	if (p->is_body_text) {
		is_pdf = head->len == 5 && memcmp(head->data, "%PDF-", 5) == 0;
	} else {
		is_pdf = filetype_has_pdf_header(head->data, head->len);
		if (!is_pdf) {
			detected = filetype_detect(in->ft, head->data, head->len);
			is_pdf = strcmp(detected, "application/pdf") == 0;
		}
	}
	if (!is_pdf && !named_or_declared_pdf(p)) {
		/* the first ones name them well enough */
		if (!p->is_body_text && ignored->len < IGNORED_SHOWN_BYTES)
			g_string_append_printf(ignored, "%s%s (%s)", ignored->len ? ", " : "",
					       p->filename ? p->filename : "sans nom", detected);
		else if (!p->is_body_text && !g_str_has_suffix(ignored->str, ", …"))
			g_string_append(ignored, ", …");
		return NULL;
	}

	all.sum = digest_sha256_new();
	all.bytes = g_byte_array_new();
	all.max = max;
	mime_part_decode_each(p, collect_chunk, &all);
	bytes = all.bytes;
	doc = document_record_new();
	doc->message_db_id = m->id;
	doc->part = g_strdup(p->path);
	doc->filename = g_strdup(p->filename);
	doc->declared_type = g_strdup(p->declared_type);
	if (is_pdf)
		doc->detected_type = g_strdup("application/pdf");
	else
		doc->detected_type = detected ? g_steal_pointer(&detected)
					      : filetype_detect(in->ft, head->data, head->len);
	doc->size = (int64_t)all.size;
	doc->sha256 = digest_finish(g_steal_pointer(&all.sum));
	doc->sender = g_strdup(p->envelope ? p->envelope->from_addr : NULL);
	doc->state = DOCUMENT_QUARANTINED;

	/* A copy of a document taken in before (a customer who sends again,
	 * a flood, the same file twice in one message) costs its hash, not a
	 * reading: decided here, before poppler or OCR, and again in the
	 * transaction (apply_part). */
	if (is_pdf && !all.over) {
		switch (already_taken_in(in, doc, error)) {
		case -1:
			document_record_free(doc);
			return NULL;
		case 1:
			pp = g_new0(plan_part, 1);
			pp->kind = PLAN_COPY;
			pp->label = g_strdup(p->filename ? p->filename : p->path);
			pp->doc = doc;
			return pp;
		}
	}
	/* whatever becomes of it, it is recorded (apply_message) */
	g_hash_table_add(in->batch_shas, g_strdup(doc->sha256));
	if (all.over) {
		g_autofree char *size = human_size(all.size);

		return plan_quarantine(p, doc, QR_TOO_LARGE,
				       g_strdup_printf("%s, plus que max_attachment_mb = %" G_GINT64_FORMAT
						       " Mo", size,
						       (gint64)(in->cfg->storage.max_attachment_bytes >> 20)));
	}
	if (!is_pdf)
		return plan_quarantine(p, doc, QR_NOT_PDF,
				       g_strdup_printf("annoncé comme PDF, mais le contenu est %s",
						       doc->detected_type));
	{
		pdf_status status;
		gint64 t0 = g_get_monotonic_time();
		g_autoptr(page_content) content = NULL;
		g_autoptr(GBytes) kept = NULL;

		/* The OCR stage starts from what the first stage read: a text
		 * PDF is not read again, a scan's pages are read by OCR only
		 * (a kept reading that does not load is read again, whole). */
		if (in->ocr_stage && doc->id > 0) {
			kept = db_document_page_model(in->d, doc->id, doc->sha256, error);
			if (kept == NULL && error != NULL && *error != NULL) {
				document_record_free(doc);
				return NULL;
			}
			content = kept ? page_content_load(kept, NULL) : NULL;
		}
		if (content == NULL) {
			g_clear_pointer(&kept, g_bytes_unref);
			content = pdf_read(in->pdf, bytes->data, bytes->len, &status, &why);
		} else {
			in->readings_kept++;
		}
		if (content != NULL && page_content_ocr_pending(content)) {
			/* A scan: the message goes to the OCR stage whole, with
			 * this first part of its reading (apply_message). */
			if (!in->ocr_stage) {
				pp = g_new0(plan_part, 1);
				pp->kind = PLAN_DEFER_OCR;
				pp->label = g_strdup(p->filename ? p->filename : p->path);
				doc->page_model = page_content_save(content);
				pp->doc = doc;
				return pp;
			}
			ocr_read_scans(bytes->data, bytes->len, content,
				       in->cfg->storage.ocr_timeout_s, &in->ocr_pages_left);
			g_clear_pointer(&kept, g_bytes_unref);   /* no longer what was read */
		}
		if (content != NULL)
			in->documents++;
		if (content == NULL)
			pp = plan_quarantine(p, doc, QR_UNREADABLE_PDF, g_steal_pointer(&why));
		else if (content->words->len == 0) {
			quarantine_reason reason;
			char *why_empty = no_text_why(content, &reason);

			pp = plan_quarantine(p, doc, reason, why_empty);
		} else
			pp = NULL;
		if (pp != NULL) {
			in->reading_us += g_get_monotonic_time() - t0;
			/* Filed all the same, for the clerk to open (a password
			 * the customer gives, a scan to retype). */
			if (stage_bytes(in, pp, bytes, error) < 0) {
				plan_part_free(pp);
				return NULL;
			}
			return pp;
		}
		{
			/* the layout a clerk's corrections taught for this sender */
			learned_layout taught;
			reader_columns cols;
			int known = db_learned_layout(in->d, doc->sender ? doc->sender : m->from_addr,
						      &taught, error);
			g_autoptr(document_reading) doc_read = NULL;

			if (known < 0) {
				document_record_free(doc);
				return NULL;
			}
			cols = (reader_columns){ taught.qty_x, taught.price_x, taught.decimal_mark };
			pp = g_new0(plan_part, 1);
			doc->page_model = kept ? g_bytes_ref(kept) : page_content_save(content);
			doc_read = document_read_content(in->rules, g_steal_pointer(&content),
							 known ? &cols : NULL);
			pp->source = draft_source_new(in->cfg, doc_read);
		}
		in->reading_us += g_get_monotonic_time() - t0;
	}
	pp->kind = PLAN_DOCUMENT;
	pp->label = g_strdup(p->filename ? p->filename : p->path);
	pp->doc = doc;
	if (stage_bytes(in, pp, bytes, error) < 0) {
		plan_part_free(pp);
		return NULL;
	}
	return pp;
}

/* Messages larger than this are not parsed: room for three attachments at
 * the limit, base64-encoded (4/3), and their text. */
#define MESSAGE_LIMIT_FACTOR 4

static int64_t message_limit(const intake *in)
{
	return in->cfg->storage.max_attachment_bytes * MESSAGE_LIMIT_FACTOR;
}

/* A message whose reading never finished, INTAKE_MAX_ATTEMPTS times: the
 * program died reading it (a parser crash, or the machine each time).
 * Quarantined unread, so that the rest of the mailbox goes on. */
static message_plan *plan_given_up(const message_record *m)
{
	message_plan *mp = g_new0(message_plan, 1);

	mp->m = m;
	mp->parts = g_ptr_array_new_with_free_func((GDestroyNotify)plan_part_free);
	mp->whole = TRUE;
	mp->no_answer = TRUE;   /* nothing of it is read: not even who wrote it, safely */
	mp->whole_reason = QR_UNREADABLE_MESSAGE;
	mp->whole_detail = g_strdup(
		"la lecture de ce message arrêtait le programme, ou ne finissait pas : il n'est "
		"plus relu ; le message est archivé tel quel");
	log_warn("%s : sa lecture arrêtait le programme ou ne finissait pas (%d fois) : mis en "
		 "quarantaine sans être lu",
		 m->number, m->intake_attempts);
	return mp;
}

#define REPORT_PART_MAX (64 * 1024)

/* "Status: 5.1.1" -> "5.1.1": the value of field in a report's text, or
 * NULL.  Owned. */
static char *report_field(const char *text, const char *field)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", 2000);

	for (guint i = 0; lines[i] != NULL; i++) {
		size_t n = strlen(field);

		if (g_ascii_strncasecmp(lines[i], field, n) == 0 && lines[i][n] == ':') {
			char *v = g_strstrip(g_strdup(lines[i] + n + 1));

			if (!g_utf8_validate(v, -1, NULL) || v[0] == '\0' || strlen(v) > 300) {
				g_free(v);
				return NULL;
			}
			return v;
		}
	}
	return NULL;
}

#define REPORT_SUBJECT_MAX 200   /* characters of an automatic reply's subject kept */

/* "rfc822; Lea@Example.FR" -> "lea@example.fr" (owned), or NULL. */
static char *report_address(const char *value)
{
	const char *semi = value ? strchr(value, ';') : NULL;
	char *addr;

	if (semi == NULL)
		return NULL;
	addr = g_strstrip(g_ascii_strdown(semi + 1, -1));
	if (strchr(addr, '@') == NULL) {
		g_free(addr);
		return NULL;
	}
	return addr;
}

/* A report about a mail we may have sent: a delivery status notification
 * (RFC 3464: a part message/delivery-status of the message itself, not
 * of a message it forwards), a read receipt, or a program's reply (its
 * own headers say so: Auto-Submitted, X-Autoreply; a list's or a no-reply
 * sender's are not replies); and the Message-IDs it refers to, including
 * those of the message a DSN returns.  Whether it refers to one of ours
 * is for the transaction to say. */
static void plan_report(message_plan *mp, const mime_message *mime)
{
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func(g_free);

	mp->automatic = mime->headers.automatic;
	for (guint i = 0; mime->headers.refs != NULL && mime->headers.refs[i] != NULL; i++)
		g_ptr_array_add(refs, g_strdup(mime->headers.refs[i]));
	for (guint i = 0; i < mime->parts->len; i++) {
		const mime_part *p = mime->parts->pdata[i];
		gboolean own = p->envelope == &mime->headers;
		gboolean dsn = g_str_equal(p->declared_type, "message/delivery-status") ||
			       g_str_equal(p->declared_type, "message/global-delivery-status");
		gboolean headers = g_str_equal(p->declared_type, "text/rfc822-headers") ||
				   g_str_equal(p->declared_type, "message/rfc822-headers");
		g_autoptr(GBytes) bytes = NULL;
		g_autofree char *text = NULL;
		gsize len = 0;
		const char *data;

		if (!own)
			continue;
		if (g_str_equal(p->declared_type, "message/disposition-notification")) {
			g_free(mp->report);
			mp->report = g_strdup("accusé de lecture");
			continue;
		}
		if (!dsn && !headers)
			continue;
		bytes = mime_part_decode(p, REPORT_PART_MAX, NULL);
		data = g_bytes_get_data(bytes, &len);
		if (headers) {
			mime_headers h;

			mime_parse_headers(data, len, &h);
			if (h.message_id != NULL && refs->len < MIME_MAX_REFS)
				g_ptr_array_add(refs, g_strdup(h.message_id));
			mime_headers_clear(&h);
			continue;
		}
		text = g_strndup(data, len);
		{
			g_autofree char *action = report_field(text, "Action");
			g_autofree char *st = report_field(text, "Status");
			g_autofree char *diag = report_field(text, "Diagnostic-Code");
			g_autofree char *rcpt = report_field(text, "Final-Recipient");

			mp->dsn = TRUE;
			mp->failure = action == NULL || g_ascii_strncasecmp(action, "failed", 6) == 0;
			g_free(mp->failed_recipient);
			mp->failed_recipient = report_address(rcpt);
			g_free(mp->report);
			mp->report = g_strdup_printf("%s%s%s%s%s%s%s",
						     mp->failure ? "non remis" : "avis de remise",
						     action && !mp->failure ? " (" : "",
						     action && !mp->failure ? action : "",
						     action && !mp->failure ? ")" : "",
						     st ? " : " : "", st ? st : "",
						     st && diag ? " ; " : "");
			if (st != NULL && diag != NULL) {
				char *with = g_strconcat(mp->report, diag, NULL);

				g_free(mp->report);
				mp->report = with;
			}
		}
	}
	/* the message a DSN returns: its Message-ID is the mail's */
	for (guint i = 0; mp->dsn && i < mime->inner->len && refs->len < MIME_MAX_REFS; i++) {
		const mime_headers *h = mime->inner->pdata[i];

		if (h->message_id != NULL)
			g_ptr_array_add(refs, g_strdup(h->message_id));
	}
	if (mp->dsn && mp->automatic == NULL)
		mp->automatic = "avis de remise (RFC 3464)";
	if (mp->report == NULL && mime->headers.auto_reply) {
		/* an automatic reply (an absence, a ticket): its subject says what */
		const char *subject = mime->headers.subject;
		g_autofree char *cut = subject && g_utf8_strlen(subject, -1) > REPORT_SUBJECT_MAX
					       ? g_strconcat(g_utf8_substring(subject, 0, REPORT_SUBJECT_MAX),
							     "…", NULL)
					       : g_strdup(subject);

		mp->failure = TRUE;
		mp->report = g_strdup_printf("réponse automatique%s%s%s", cut ? " : « " : "",
					     cut ? cut : "", cut ? " »" : "");
	}
	if (refs->len > 0) {
		g_ptr_array_add(refs, NULL);
		mp->refs = (char **)g_ptr_array_free(g_steal_pointer(&refs), FALSE);
	}
}

/* A part its sender attached as a file, which a notice may speak of: not
 * the text, not a picture of the text (a signature's logo), not a vCard,
 * an invitation or a signature. */
static gboolean sent_file(const mime_part *p)
{
	static const char *const not_files[] = {
		"text/vcard", "text/x-vcard", "text/calendar", "application/ics",
		"application/pgp-signature", "application/pkcs7-signature",
		"application/x-pkcs7-signature", "application/pgp-keys",
		"message/delivery-status", "message/disposition-notification",
		"text/rfc822-headers",
	};

	if (p->is_body_text || p->in_related || (p->filename == NULL && !p->attachment))
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(not_files); i++) {
		if (g_str_equal(p->declared_type, not_files[i]))
			return FALSE;
	}
	return TRUE;
}

/* NULL only on a local failure (staging); what is wrong with the message
 * itself is in the plan. */
static message_plan *plan_message(intake *in, const message_record *m, GError **error)
{
	message_plan *mp = g_new0(message_plan, 1);
	g_autoptr(GError) map_err = NULL;
	g_autoptr(GMappedFile) map = NULL;
	g_autoptr(mime_message) mime = NULL;
	g_autoptr(GError) parse_err = NULL;
	g_autoptr(GString) ignored = g_string_new(NULL);

	mp->m = m;
	mp->parts = g_ptr_array_new_with_free_func((GDestroyNotify)plan_part_free);
	/* the OCR a message may cost, all its documents together, is what
	 * the watchdog allows */
	in->ocr_pages_left = OCR_MAX_PAGES;
	crashpoint_reading(m->message_id, in->ocr_stage);
	crashpoint_hang(m->message_id, in->ocr_stage);
	/* A message far larger than any order would cost its whole size in
	 * memory to parse. */
	if (m->size > message_limit(in)) {
		g_autofree char *size = human_size((size_t)m->size);

		mp->whole = TRUE;
		mp->whole_reason = QR_TOO_LARGE;
		mp->whole_detail = g_strdup_printf(
			"message de %s, plus que %d × max_attachment_mb = %" G_GINT64_FORMAT
			" Mo : il n'est pas lu",
			size, MESSAGE_LIMIT_FACTOR, (gint64)(message_limit(in) >> 20));
		/* its headers only (bounded), for whether to answer it */
		map = archive_map(in->a, m->file, NULL);
		if (map != NULL) {
			mime_headers h;

			mime_parse_headers(g_mapped_file_get_contents(map),
					   g_mapped_file_get_length(map), &h);
			mp->automatic = h.automatic;
			mime_headers_clear(&h);
		} else {
			mp->no_answer = TRUE;
		}
		return mp;
	}
	map = archive_map(in->a, m->file, &map_err);
	if (map == NULL) {
		/* Nothing will bring it back: say so instead of retrying forever. */
		mp->whole = TRUE;
		mp->whole_reason = QR_UNREADABLE_MESSAGE;
		mp->whole_detail = g_strdup(map_err->message);
		mp->no_answer = TRUE;
		return mp;
	}
	mime = mime_parse(g_mapped_file_get_contents(map), g_mapped_file_get_length(map),
			  &parse_err);
	if (mime == NULL) {
		mp->whole = TRUE;
		mp->whole_reason = QR_UNREADABLE_MESSAGE;
		mp->whole_detail = g_strdup(parse_err->message);
		mp->no_answer = TRUE;
		return mp;
	}
	for (guint i = 0; i < mime->parts->len; i++) {
		GError *err = NULL;
		plan_part *pp = plan_part_for(in, m, mime->parts->pdata[i], ignored, &err);

		if (err != NULL) {
			g_propagate_error(error, err);
			message_plan_free(mp);
			return NULL;
		}
		if (pp != NULL) {
			const mime_part *p = mime->parts->pdata[i];

			pp->forwarded = p->envelope != &mime->headers;
			mp->defer_ocr |= pp->kind == PLAN_DEFER_OCR;
			g_ptr_array_add(mp->parts, pp);
		}
		mp->sent_files += sent_file(mime->parts->pdata[i]);
	}
	plan_report(mp, mime);
	mp->had_parts = mime->parts->len > 0;
	mp->limit = mime->limit;
	mp->ignored = g_string_free(g_steal_pointer(&ignored), FALSE);
	return mp;
}

/* plan_message(), under the guard's watch. */
static message_plan *plan_timed(intake *in, const message_record *m, GError **error)
{
	message_plan *mp;

	if (in->guard != NULL)
		guard_begin(in->guard, in->guard_slot, m->number ? m->number : "?");
	mp = plan_message(in, m, error);
	if (in->guard != NULL)
		guard_end(in->guard, in->guard_slot);
	return mp;
}

void intake_set_guard(intake *in, guard *g, int slot)
{
	in->guard = g;
	in->guard_slot = slot;
}

/* ---------------------------------------------------------------- step 2: apply */

typedef struct {
	intake *in;
	const message_record *m;
	int drafts;
	int entries;
	const match_catalogue *catalogue;   /* read once per batch */
	match_customers **customers;        /* the customer file: read once per batch, when needed */
	GPtrArray *orders;                  /* order*: the drafts made, for the answer */
	customer *c;                        /* the first draft's customer, or NULL */
	GPtrArray *problems;                /* quarantine_entry*: for the answer */
} apply_ctx;

static int record_quarantine(apply_ctx *ac, const char *label, const document_record *doc,
			     quarantine_reason reason, const char *duplicate_of, const char *detail,
			     GError **error)
{
	g_autoptr(quarantine_entry) q = quarantine_entry_new();

	q->attachment = g_strdup(doc ? doc->filename : NULL);
	q->sha256 = g_strdup(doc ? doc->sha256 : NULL);
	q->reason = reason;
	q->detail = g_strdup(detail);
	q->duplicate_of = g_strdup(duplicate_of);
	q->file = NULL;   /* the message's: the document's is its own */
	if (db_quarantine_insert(ac->in->d, ac->m->id, doc ? doc->id : 0, q, error) < 0)
		return -1;
	ac->entries++;
	g_ptr_array_add(ac->problems, g_steal_pointer(&q));
	if (label != NULL)
		log_info("%s : %s : en quarantaine, %s (%s) : %s", ac->m->number, label,
			 quarantine_reason_label_fr(reason), quarantine_reason_name(reason), detail);
	else
		log_info("%s : en quarantaine, %s (%s) : %s", ac->m->number,
			 quarantine_reason_label_fr(reason), quarantine_reason_name(reason), detail);
	return 0;
}

/* A readable PDF not taken in before: filed, and made a draft. */
static int apply_draft(apply_ctx *ac, plan_part *pp, GError **error)
{
	intake *in = ac->in;
	document_record *doc = pp->doc;
	const char *sender = doc->sender ? doc->sender : ac->m->from_addr;
	g_autoptr(customer) c = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GDateTime) date = NULL;
	g_autofree char *number = NULL;

	if (numbering_next(in->d, NUMBER_ORDER, &number, error) < 0 ||
	    draft_make(in->d, ac->catalogue, ac->customers, pp->source, sender, ac->m->from_addr,
		       number, &o, &c, error) < 0)
		return -1;
	date = document_date(ac->m, o);
	if (archive_stage_commit(pp->staged, c ? c->name : NULL, "BC", number, date, "pdf",
				 file_taken, in->d, &doc->file, error) < 0)
		return -1;
	if (db_file_add(in->d, doc->file, doc->sha256, error) < 0)
		return -1;
	doc->state = DOCUMENT_DRAFTED;
	if (db_document_insert(in->d, doc, error) < 0)
		return -1;
	if (db_order_insert(in->d, o, c ? c->id : 0, doc->id, WHO_INTAKE, error) < 0)
		return -1;
	ac->drafts++;
	log_info("%s : %s : brouillon %s pour %s", ac->m->number, pp->label, number,
		 c ? c->ref : "un client inconnu");
	if (ac->c == NULL && c != NULL)
		ac->c = g_steal_pointer(&c);
	g_ptr_array_add(ac->orders, g_steal_pointer(&o));
	return 0;
}

/* A PDF nobody could read, filed as the customer's PO under its message's
 * number (no order number is given to what is no order yet); a copy of
 * one already filed is not filed twice. */
static int file_unread(apply_ctx *ac, plan_part *pp, GError **error)
{
	intake *in = ac->in;
	document_record *doc = pp->doc;
	g_autofree char *first = NULL;
	g_autofree char *first_message = NULL;
	g_autofree char *partner = NULL;
	g_autoptr(GDateTime) date = NULL;
	int found = db_document_find_sha(in->d, doc->sha256, doc->id, &first, &first_message, error);

	if (found != 0)
		return found < 0 ? -1 : 0;
	partner = intake_partner_for(in->d, doc->sender ? doc->sender : ac->m->from_addr, error);
	if (partner == NULL)
		return -1;
	date = document_date(ac->m, NULL);
	if (archive_stage_commit(pp->staged, partner, "BC", ac->m->number, date, "pdf", file_taken,
				 in->d, &doc->file, error) < 0)
		return -1;
	return db_file_add(in->d, doc->file, doc->sha256, error);
}

static int apply_part(apply_ctx *ac, plan_part *pp, GError **error)
{
	g_autofree char *first = NULL;
	g_autofree char *first_message = NULL;
	g_autofree char *detail = NULL;
	int found;

	if (pp->kind == PLAN_QUARANTINE) {
		if (pp->staged != NULL && file_unread(ac, pp, error) < 0)
			return -1;
		if (db_document_insert(ac->in->d, pp->doc, error) < 0)
			return -1;
		return record_quarantine(ac, pp->label, pp->doc, pp->reason, NULL, pp->detail, error);
	}
	/* In the transaction: an earlier message of this very batch counts. */
	found = db_document_find_sha(ac->in->d, pp->doc->sha256, pp->doc->id, &first, &first_message,
				     error);
	if (found < 0)
		return -1;
	if (found == 0 && pp->kind == PLAN_DOCUMENT)
		return apply_draft(ac, pp, error);
	if (found == 0)
		/* the plan saw it in the batch: what the transaction holds says
		 * otherwise only if this program is wrong; it is not read now,
		 * and stays in the quarantine to be looked at */
		log_warn("%s : %s : vu comme une copie, mais le premier n'est pas enregistré", ac->m->number,
			 pp->label);
	detail = found ? g_strdup_printf("document identique déjà reçu : %s (message %s)", first,
					 first_message)
		       : g_strdup("document identique déjà reçu dans ce lot");
	if (db_document_insert(ac->in->d, pp->doc, error) < 0)
		return -1;
	return record_quarantine(ac, pp->label, pp->doc, QR_DUPLICATE, first, detail, error);
}

/* A report on a mail we sent (mp->refs names it: mail_id): the mail is
 * marked bounced when it says the mail did not arrive; the message is
 * done, neither a draft nor a quarantine entry. */
static int apply_report(intake *in, message_plan *mp, int64_t mail_id, char **to,
			intake_stats *stats, GError **error)
{
	gboolean to_customer = mp->failed_recipient == NULL;

	/* a DSN for the copy ([outbound] bcc) is no bounce of the customer's mail */
	for (guint i = 0; !to_customer && to != NULL && to[i] != NULL; i++)
		to_customer = g_ascii_strcasecmp(to[i], mp->failed_recipient) == 0;
	if (!to_customer) {
		g_free(mp->report);
		mp->report = g_strdup_printf("non remis à %s, pas au client : le courriel reste envoyé",
					     mp->failed_recipient);
		mp->failure = FALSE;
	}
	if (mp->failure && db_outbox_bounce(in->d, mail_id, mp->m->id, mp->report, error) < 0)
		return -1;
	if (db_message_set_state(in->d, mp->m->id, MESSAGE_DONE, error) < 0)
		return -1;
	log_info("%s : revient sur notre courriel %" G_GINT64_FORMAT " : %s%s", mp->m->number,
		 (gint64)mail_id, mp->report, mp->failure ? " (marqué revenu)" : "");
	stats->messages++;
	return 0;
}

/* Whether mp may be a report on a mail of ours: it says it is one, and
 * brings nothing of its own: no file attached by its sender (a DSN's
 * returned message, with our own PDFs in it, is not its own; a program's
 * reply that carries a PO, readable or not, is an order). */
static gboolean plan_may_report(const message_plan *mp)
{
	if (mp->report == NULL || mp->refs == NULL)
		return FALSE;
	for (guint i = 0; i < mp->parts->len; i++) {
		const plan_part *pp = mp->parts->pdata[i];

		if (pp->doc != NULL && !(mp->dsn && pp->forwarded))
			return FALSE;
	}
	return mp->dsn || mp->sent_files == 0;
}

/* The automatic answer to the message just taken in (mailing.h says when
 * there is none).  A mail that cannot be written (a site's template
 * broken) is said in the log and does not hold up the intake; a database
 * error fails the batch, as any other. */
static int answer(apply_ctx *ac, const message_plan *mp, GError **error)
{
	filing f = { .d = ac->in->d, .a = ac->in->a, .cfg = ac->in->cfg };
	g_autoptr(customer) sender = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *why = NULL;
	mailing_received r = { .m = ac->m, .automatic = mp->automatic, .orders = ac->orders,
			       .c = ac->c, .problems = ac->problems, .sent_files = mp->sent_files };
	int rc;

	if (mp->no_answer) {
		log_info("%s : pas de réponse automatique : message illisible", ac->m->number);
		return 0;
	}
	if (r.c == NULL && ac->m->from_addr != NULL) {
		sender = db_customer_by_email(ac->in->d, ac->m->from_addr, &err);
		if (err != NULL) {
			g_propagate_error(error, g_steal_pointer(&err));
			return -1;
		}
		r.c = sender;
	}
	rc = mailing_answer(&f, &r, &why, &err);
	if (rc < 0) {
		g_propagate_error(error, g_steal_pointer(&err));
		return -1;
	}
	if (rc == 2)
		log_warn("%s : pas de réponse automatique : %s", ac->m->number, why);
	else if (rc == 0)
		log_info("%s : %s à %s, en attente d'envoi", ac->m->number,
			 ac->orders->len > 0 ? "accusé de réception" : "avis",
			 ac->m->reply_to ? ac->m->reply_to : ac->m->from_addr);
	else if (why != NULL)
		log_info("%s : pas de réponse automatique : %s", ac->m->number, why);
	return 0;
}

static int apply_message(intake *in, const match_catalogue *catalogue,
			 match_customers **customers, message_plan *mp, intake_stats *stats,
			 GError **error)
{
	g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func((GDestroyNotify)order_free);
	g_autoptr(GPtrArray) problems =
		g_ptr_array_new_with_free_func((GDestroyNotify)quarantine_entry_free);
	g_autoptr(customer) first_customer = NULL;
	apply_ctx ac = { .in = in, .m = mp->m, .catalogue = catalogue, .customers = customers,
			 .orders = orders, .problems = problems };
	int rc = 0;

	if (mp->m->message_id != NULL) {
		/* one of our own mails come back (the order mailbox in [outbound]
		 * bcc, a customer's forwarding): not an order, nor to be answered */
		char *own[] = { mp->m->message_id, NULL };
		int64_t mail_id = 0;
		g_auto(GStrv) to = NULL;
		int found = db_outbox_find_by_message_id(in->d, own, &mail_id, &to, error);

		if (found < 0)
			return -1;
		if (found > 0) {
			log_info("%s : notre propre courriel %" G_GINT64_FORMAT " revenu dans la boîte : "
				 "ni commande, ni réponse", mp->m->number, (gint64)mail_id);
			stats->messages++;
			return db_message_set_state(in->d, mp->m->id, MESSAGE_DONE, error);
		}
	}
	if (plan_may_report(mp)) {
		int64_t mail_id = 0;
		g_auto(GStrv) to = NULL;
		int found = db_outbox_find_by_message_id(in->d, mp->refs, &mail_id, &to, error);

		if (found < 0)
			return -1;
		if (found > 0)
			return apply_report(in, mp, mail_id, to, stats, error);
		if (mp->dsn) {
			/* about a mail that is not ours (or whose Message-ID a relay
			 * changed): what it returns is no order of a customer's */
			g_autofree char *detail = g_strdup_printf(
				"avis de remise d'un courriel que nous ne retrouvons pas parmi les nôtres "
				"(%s)", mp->report);

			if (record_quarantine(&ac, NULL, NULL, QR_NO_ORDER_DOCUMENT, NULL, detail,
					      error) < 0 ||
			    db_message_set_state(in->d, mp->m->id, MESSAGE_QUARANTINED, error) < 0)
				return -1;
			stats->messages++;
			stats->quarantined++;
			return 0;
		}
	}

	if (mp->defer_ocr && !mp->whole) {
		/* The OCR stage takes it whole.  Its documents are recorded now,
		 * not taken in yet, so that a copy in a later message is known
		 * as one at once (not read, not left to OCR); the OCR stage
		 * records them again in place, or forgets them if it cannot
		 * read the message. */
		for (guint i = 0; i < mp->parts->len; i++) {
			plan_part *pp = mp->parts->pdata[i];

			if (pp->doc == NULL || pp->kind == PLAN_COPY)
				continue;
			pp->doc->state = DOCUMENT_FILED;
			/* its reading goes with it (a scan's, its pages to OCR
			 * pending): the OCR stage starts from it */
			if (db_document_insert(in->d, pp->doc, error) < 0)
				return -1;
		}
		if (db_message_defer_ocr(in->d, mp->m->id, error) < 0)
			return -1;
		stats->deferred++;
		log_info("%s : contient une numérisation : laissé à l'étape OCR", mp->m->number);
		return 0;
	}
	if (mp->whole) {
		/* A message left to OCR and never read there: what its first
		 * stage recorded was not taken in, and a copy sent again must
		 * be read, not called a duplicate of it. */
		rc = db_documents_forget_unread(in->d, mp->m->id, error);
		if (rc == 0)
			rc = record_quarantine(&ac, NULL, NULL, mp->whole_reason, NULL,
					       mp->whole_detail, error);
	} else {
		for (guint i = 0; i < mp->parts->len && rc == 0; i++)
			rc = apply_part(&ac, mp->parts->pdata[i], error);
		/* What lay beyond a limit is not read: the message says so, beside
		 * what was found before it. */
		if (rc == 0 && mp->limit != MIME_LIMIT_NONE) {
			g_autofree char *detail = g_strdup_printf(
				"message trop complexe : %s ; %s (le message est archivé tel quel)",
				mime_limit_fr(mp->limit),
				mp->had_parts ? "les parties au-delà ne sont pas lues"
					      : "aucune partie n'est lue");

			rc = record_quarantine(&ac, NULL, NULL, QR_TOO_COMPLEX, NULL, detail, error);
		}
		if (rc == 0 && ac.drafts == 0 && ac.entries == 0) {
			g_autofree char *detail =
				mp->ignored == NULL || mp->ignored[0] == '\0'
					? g_strdup("aucune pièce jointe")
					: g_strdup_printf("aucun PDF parmi les pièces jointes : %s",
							  mp->ignored);

			rc = record_quarantine(&ac, NULL, NULL, QR_NO_ORDER_DOCUMENT, NULL, detail,
					       error);
		}
	}
	if (rc == 0)
		rc = answer(&ac, mp, error);
	first_customer = ac.c;
	if (rc == 0)
		rc = db_message_set_state(in->d, mp->m->id,
					  ac.drafts > 0 ? MESSAGE_DONE : MESSAGE_QUARANTINED, error);
	if (rc == 0) {
		stats->messages++;
		stats->drafts += ac.drafts;
		stats->quarantined += ac.entries;
	}
	return rc;
}

/* Reads batch (message_record*, not empty) and records it in one
 * transaction; how many messages, or -1. */
static int process_batch(intake *in, GPtrArray *batch, intake_stats *stats, GError **error)
{
	g_autoptr(GPtrArray) plans = NULL;
	g_autoptr(match_catalogue) catalogue = NULL;
	g_autoptr(match_customers) customers = NULL;
	GPtrArray *products;
	intake_stats st = { 0 };

	/* A message whose reading was cut short is read alone, so that
	 * a message that kills the reader takes no other down with it. */
	if (((const message_record *)batch->pdata[0])->intake_attempts > 0)
		g_ptr_array_set_size(batch, 1);
	/* Counted before the reading, committed: a reading that never
	 * ends (a crash, a kill) leaves its count.  The OCR stage allows
	 * twice as many: its lanes read beside the first stage, and a
	 * message that crashes the first stage each time counts against
	 * the scans being read then too. */
	if (db_messages_count_attempt(in->d, batch, error) < 0)
		return -1;
	plans = g_ptr_array_new_with_free_func((GDestroyNotify)message_plan_free);
	g_hash_table_remove_all(in->batch_shas);
	for (guint i = 0; i < batch->len; i++) {
		const message_record *m = batch->pdata[i];
		int max = in->ocr_stage ? INTAKE_MAX_OCR_ATTEMPTS : INTAKE_MAX_ATTEMPTS;
		message_plan *mp = m->intake_attempts >= max ? plan_given_up(m)
							      : plan_timed(in, m, error);

		if (mp == NULL)
			return -1;
		g_ptr_array_add(plans, mp);
	}
	if (db_begin(in->d, error) < 0)
		return -1;
	/* In the transaction: the catalogue the batch is matched against
	 * is the one its drafts are recorded with. */
	products = db_products_all(in->d, error);
	if (products == NULL) {
		db_rollback(in->d);
		return -1;
	}
	catalogue = match_catalogue_new(products);
	for (guint i = 0; i < plans->len; i++) {
		if (apply_message(in, catalogue, &customers, plans->pdata[i], &st, error) < 0) {
			db_rollback(in->d);
			return -1;
		}
	}
	crashpoint("intake-before-sync");
	/* Order is important: the filed documents are durable before the
	 * commit that records them. */
	if (archive_sync(in->a, error) < 0) {
		db_rollback(in->d);
		return -1;
	}
	crashpoint("intake-before-commit");
	if (db_commit(in->d, error) < 0)
		return -1;
	crashpoint("intake-after-commit");
	stats->messages += st.messages;
	stats->drafts += st.drafts;
	stats->quarantined += st.quarantined;
	stats->deferred += st.deferred;
	stats->documents += in->documents;
	stats->readings_kept += in->readings_kept;
	stats->reading_us += in->reading_us;
	in->documents = 0;
	in->readings_kept = 0;
	in->reading_us = 0;
	return (int)batch->len;
}

/* The OCR stage's next message, in a batch of one: the oldest left to
 * OCR that no other intake reads, claimed; an empty batch when there is
 * none. */
static GPtrArray *claim_next(intake *in, GError **error)
{
	for (;;) {
		GPtrArray *batch = db_messages_to_read(in->d, MESSAGE_FETCHED, TRUE,
						       INTAKE_MAX_CLAIMS + 1, error);
		int still;

		if (batch == NULL)
			return NULL;
		claim_first(in->claims, batch);
		if (batch->len == 0)
			return batch;
		/* The list was read before the claim: another intake may have
		 * read the message and let go of it in between. */
		still = db_message_still_fetched(in->d, ((message_record *)batch->pdata[0])->id,
						 error);
		if (still > 0)
			return batch;
		unclaim(in->claims, batch->pdata[0]);
		g_ptr_array_unref(batch);
		if (still < 0)
			return NULL;
	}
}

int intake_process_one(intake *in, intake_stats *stats, GError **error)
{
	g_autoptr(GPtrArray) batch = in->ocr_stage ? claim_next(in, error)
						   : db_messages_to_read(in->d, MESSAGE_FETCHED, FALSE,
									 INTAKE_BATCH, error);
	int rc;

	if (batch == NULL)
		return -1;
	if (batch->len == 0)
		return 0;
	rc = process_batch(in, batch, stats, error);
	if (in->ocr_stage)
		unclaim(in->claims, batch->pdata[0]);
	return rc;
}

int intake_process_pending(intake *in, intake_stats *stats, GError **error)
{
	int n;

	while ((n = intake_process_one(in, stats, error)) > 0)
		;
	return n;
}
