#include "intake.h"

#include "crashpoint.h"
#include "digest.h"
#include "error.h"
#include "filetype.h"
#include "log.h"
#include "mime.h"
#include "model.h"
#include "naming.h"
#include "order.h"
#include "pdf.h"

#include <stdio.h>
#include <string.h>

#define SNIFF_BYTES FILETYPE_SNIFF_BYTES
#define PDF_HEADER_BYTES 1024
#define WHO_INTAKE "mailorder"

struct intake {
	const config *cfg;
	db *d;
	archive *a;
	filetype *ft;
	pdf_reader *pdf;
};

intake *intake_new(const config *cfg, db *d, archive *a, GError **error)
{
	intake *in = g_new0(intake, 1);

	in->cfg = cfg;
	in->d = d;
	in->a = a;
	in->ft = filetype_new(error);
	if (in->ft == NULL) {
		g_free(in);
		return NULL;
	}
	in->pdf = pdf_reader_new();
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
	g_free(in);
}

static int file_taken(const char *rel, void *ctx, GError **error)
{
	return db_file_taken(ctx, rel, error);
}

char *intake_partner_for(db *d, const char *from_addr, GError **error)
{
	g_autoptr(customer) c = NULL;

	if (from_addr == NULL)
		return g_strdup(NAMING_UNKNOWN_PARTNER);
	c = db_customer_by_email(d, from_addr, error);
	if (c == NULL)
		return (error && *error) ? NULL : g_strdup(NAMING_UNKNOWN_PARTNER);
	return g_strdup(c->name);
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

/* ---------------------------------------------------------------- one message */

typedef struct {
	intake *in;
	const message_record *m;
	const mime_message *mime;
	int drafts;
	int entries;
	GString *ignored;      /* "name (type)" of attachments that are not orders */
} message_ctx;

static gboolean named_or_declared_pdf(const mime_part *p)
{
	static const char *const pdf_types[] = {
		"application/pdf", "application/x-pdf", "application/acrobat", "applications/vnd.pdf",
		"text/pdf", "text/x-pdf",
	};

	if (p->filename != NULL && g_str_has_suffix(p->filename, ".pdf"))
		return TRUE;
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

/* One quarantine entry for an attachment (document may be NULL). */
static int quarantine_part(message_ctx *mc, const mime_part *p, const document_record *doc,
			   const char *sha, const char *reason, const char *duplicate_of,
			   const char *detail, GError **error)
{
	g_autoptr(quarantine_entry) q = quarantine_entry_new();

	q->attachment = g_strdup(p->filename);
	q->sha256 = g_strdup(sha);
	q->reason = g_strdup(reason);
	q->detail = g_strdup(detail);
	q->duplicate_of = g_strdup(duplicate_of);
	q->file = doc && doc->file ? g_strdup(doc->file) : NULL;
	if (db_quarantine_insert(mc->in->d, mc->m->id, doc ? doc->id : 0, q, error) < 0)
		return -1;
	mc->entries++;
	log_info("%s: %s: quarantined %s (%s)", mc->m->number, p->filename ? p->filename : p->path,
		 reason, detail);
	return 0;
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

/* A PDF document that is not a duplicate: filed, and made a draft. */
static int draft_from_document(message_ctx *mc, const mime_part *p, document_record *doc,
			       GByteArray *bytes, GError **error)
{
	intake *in = mc->in;
	const char *sender = p->envelope && p->envelope->from_addr ? p->envelope->from_addr
								    : mc->m->from_addr;
	g_autoptr(customer) c = NULL;
	g_autoptr(order) o = NULL;
	g_autoptr(GDateTime) date = NULL;
	g_autofree char *number = NULL;
	int64_t n;

	c = sender ? db_customer_by_email(in->d, sender, error) : NULL;
	if (c == NULL && error && *error)
		return -1;
	/* A colleague forwarding a customer's mail: the outer sender may be known
	 * when the inner one is not; prefer the innermost known sender. */
	if (c == NULL && mc->m->from_addr != NULL && g_strcmp0(sender, mc->m->from_addr) != 0) {
		c = db_customer_by_email(in->d, mc->m->from_addr, error);
		if (c == NULL && error && *error)
			return -1;
	}
	if (db_next_number(in->d, "SO", &n, error) < 0)
		return -1;
	number = order_number_format(n);
	o = order_draft_new(number, c, sender);
	date = document_date(mc->m, o);
	if (archive_put(in->a, bytes->data, bytes->len, c ? c->name : NULL, "BC", number, date,
			"pdf", file_taken, in->d, &doc->file, error) < 0)
		return -1;
	if (db_file_add(in->d, doc->file, doc->sha256, error) < 0)
		return -1;
	doc->state = DOCUMENT_DRAFTED;
	if (db_document_insert(in->d, doc, error) < 0)
		return -1;
	if (db_order_insert(in->d, o, c ? c->id : 0, doc->id, WHO_INTAKE, error) < 0)
		return -1;
	mc->drafts++;
	log_info("%s: %s: draft %s for %s", mc->m->number, p->filename ? p->filename : p->path,
		 number, c ? c->ref : "an unknown customer");
	return 0;
}

static int process_part(message_ctx *mc, const mime_part *p, GError **error)
{
	intake *in = mc->in;
	size_t max = (size_t)in->cfg->storage.max_attachment_bytes;
	/* The PDF header is in the first kilobyte: decoding more than that of
	 * every part would decode most PDFs twice. */
	g_autoptr(GByteArray) head = decode_prefix(p, PDF_HEADER_BYTES);
	g_autoptr(document_record) doc = NULL;
	g_autofree char *detected = NULL;
	g_autofree char *first = NULL;
	/* A body's text cannot be an order; only a PDF header would make it one
	 * (and libmagic is slow on text: it tries every text rule). */
	gboolean is_pdf = p->is_body_text ? filetype_has_pdf_header(head->data, head->len)
					  : filetype_is_pdf(in->ft, head->data, head->len);
	collector all = { 0 };
	int found;

	if (!is_pdf && !named_or_declared_pdf(p)) {
		if (!p->is_body_text) {
			g_autoptr(GByteArray) sniff = decode_prefix(p, SNIFF_BYTES);

			detected = filetype_detect(in->ft, sniff->data, sniff->len);
			g_string_append_printf(mc->ignored, "%s%s (%s)", mc->ignored->len ? ", " : "",
					       p->filename ? p->filename : "sans nom", detected);
		}
		return 0;
	}

	all.sum = digest_sha256_new();
	all.bytes = g_byte_array_new();
	all.max = max;
	mime_part_decode_each(p, collect_chunk, &all);
	doc = document_record_new();
	doc->message_db_id = mc->m->id;
	doc->part = g_strdup(p->path);
	doc->filename = g_strdup(p->filename);
	doc->declared_type = g_strdup(p->declared_type);
	if (is_pdf) {
		doc->detected_type = g_strdup("application/pdf");
	} else if (all.bytes->len > 0) {
		doc->detected_type = filetype_detect(in->ft, all.bytes->data, all.bytes->len);
	} else {
		g_autoptr(GByteArray) sniff = decode_prefix(p, SNIFF_BYTES);  /* too large: not kept */

		doc->detected_type = filetype_detect(in->ft, sniff->data, sniff->len);
	}
	doc->size = (int64_t)all.size;
	doc->sha256 = digest_finish(g_steal_pointer(&all.sum));
	doc->sender = g_strdup(p->envelope ? p->envelope->from_addr : NULL);
	doc->state = DOCUMENT_QUARANTINED;

	if (all.over) {
		g_autofree char *size = human_size(all.size);
		g_autofree char *detail = g_strdup_printf(
			"%s, plus que max_attachment_mb = %" G_GINT64_FORMAT " Mo", size,
			(gint64)(in->cfg->storage.max_attachment_bytes >> 20));

		g_byte_array_unref(all.bytes);
		if (db_document_insert(in->d, doc, error) < 0)
			return -1;
		return quarantine_part(mc, p, doc, doc->sha256, QR_TOO_LARGE, NULL, detail, error);
	}
	if (!is_pdf) {
		g_autofree char *detail = g_strdup_printf(
			"annoncé comme PDF, mais le contenu est %s", doc->detected_type);

		g_byte_array_unref(all.bytes);
		if (db_document_insert(in->d, doc, error) < 0)
			return -1;
		return quarantine_part(mc, p, doc, doc->sha256, QR_NOT_PDF, NULL, detail, error);
	}
	found = db_document_find_sha(in->d, doc->sha256, 0, &first, error);
	if (found != 0) {
		g_autofree char *detail = NULL;

		g_byte_array_unref(all.bytes);
		if (found < 0)
			return -1;
		detail = g_strdup_printf("document identique déjà reçu : %s", first);
		if (db_document_insert(in->d, doc, error) < 0)
			return -1;
		return quarantine_part(mc, p, doc, doc->sha256, QR_DUPLICATE, first, detail, error);
	}
	{
		g_autofree char *why = NULL;

		if (pdf_check(in->pdf, all.bytes->data, all.bytes->len, NULL, &why) != PDF_READABLE) {
			g_byte_array_unref(all.bytes);
			if (db_document_insert(in->d, doc, error) < 0)
				return -1;
			return quarantine_part(mc, p, doc, doc->sha256, QR_UNREADABLE_PDF, NULL, why,
					       error);
		}
	}
	found = draft_from_document(mc, p, doc, all.bytes, error);
	g_byte_array_unref(all.bytes);
	return found;
}

static int quarantine_message(message_ctx *mc, const char *reason, const char *detail,
			      GError **error)
{
	g_autoptr(quarantine_entry) q = quarantine_entry_new();

	q->reason = g_strdup(reason);
	q->detail = g_strdup(detail);
	if (db_quarantine_insert(mc->in->d, mc->m->id, 0, q, error) < 0)
		return -1;
	mc->entries++;
	log_info("%s: quarantined %s (%s)", mc->m->number, reason, detail);
	return 0;
}

static int64_t message_limit(const intake *in)
{
	return in->cfg->storage.max_attachment_bytes * 2 + (1 << 20);
}

static int process_message(intake *in, const message_record *m, intake_stats *stats,
			   GError **error)
{
	g_autoptr(GError) map_err = NULL;
	g_autoptr(GMappedFile) map = NULL;
	g_autoptr(mime_message) mime = NULL;
	g_autoptr(GError) parse_err = NULL;
	message_ctx mc = { .in = in, .m = m, .ignored = g_string_new(NULL) };
	int rc = 0;

	/* Its attachments, base64-encoded, can be up to 4/3 of
	 * max_attachment_mb each: a message much larger than that is not an
	 * order, and would cost its whole size in memory to parse. */
	if (m->size > message_limit(in)) {
		g_autofree char *size = human_size((size_t)m->size);
		g_autofree char *detail = g_strdup_printf(
			"message de %s, plus que 2 × max_attachment_mb = %" G_GINT64_FORMAT
			" Mo : il n'est pas lu",
			size, (gint64)((in->cfg->storage.max_attachment_bytes >> 20) * 2));

		rc = quarantine_message(&mc, QR_TOO_LARGE, detail, error);
		goto done;
	}
	map = archive_map(in->a, m->file, &map_err);
	if (map == NULL) {
		/* Nothing will bring it back: say so instead of retrying forever. */
		rc = quarantine_message(&mc, QR_UNREADABLE_MESSAGE, map_err->message, error);
		goto done;
	}
	mime = mime_parse(g_mapped_file_get_contents(map), g_mapped_file_get_length(map),
			  &parse_err);
	if (mime == NULL) {
		rc = quarantine_message(&mc, QR_UNREADABLE_MESSAGE, parse_err->message, error);
		goto done;
	}
	for (guint i = 0; i < mime->parts->len && rc == 0; i++)
		rc = process_part(&mc, mime->parts->pdata[i], error);
	if (rc == 0 && mc.drafts == 0 && mc.entries == 0) {
		g_autofree char *detail =
			mc.ignored->len == 0
				? g_strdup(mime->parts->len > 0 && mime->truncated
						   ? "trop de parties MIME pour être lues"
						   : "aucune pièce jointe")
				: g_strdup_printf("aucun PDF parmi les pièces jointes : %s",
						  mc.ignored->str);

		rc = quarantine_message(&mc, QR_NO_ORDER_DOCUMENT, detail, error);
	}
done:
	if (rc == 0)
		rc = db_message_set_state(in->d, m->id,
					  mc.drafts > 0 ? MESSAGE_DONE : MESSAGE_QUARANTINED, error);
	if (rc == 0) {
		stats->messages++;
		stats->drafts += mc.drafts;
		stats->quarantined += mc.entries;
	}
	g_string_free(mc.ignored, TRUE);
	return rc;
}

int intake_process_pending(intake *in, intake_stats *stats, GError **error)
{
	for (;;) {
		g_autoptr(GPtrArray) batch = db_messages_in_state(in->d, MESSAGE_FETCHED, INTAKE_BATCH,
								  error);
		intake_stats st = { 0 };

		if (batch == NULL)
			return -1;
		if (batch->len == 0)
			return 0;
		if (db_begin(in->d, error) < 0)
			return -1;
		for (guint i = 0; i < batch->len; i++) {
			if (process_message(in, batch->pdata[i], &st, error) < 0) {
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
	}
}
