/* Unit tests of mime.c: the shapes customers' mail takes. */
#include "mail/mime.h"
#include "tap.h"

#include <string.h>

static mime_message *parse(const char *text)
{
	g_autoptr(GError) err = NULL;
	mime_message *m = mime_parse(text, strlen(text), &err);

	if (m == NULL)
		tap_diag("parse error: %s", err->message);
	return m;
}

static char *decoded(const mime_part *p)
{
	gboolean truncated;
	GBytes *b = mime_part_decode(p, 1 << 20, &truncated);
	gsize len;
	const char *data = g_bytes_get_data(b, &len);
	char *s = g_strndup(data, len);

	g_bytes_unref(b);
	return s;
}

static const mime_part *part(const mime_message *m, guint i)
{
	return i < m->parts->len ? m->parts->pdata[i] : NULL;
}

static int count_chunk(const void *chunk, size_t len, void *ctx)
{
	(void)chunk;
	*(size_t *)ctx += len;
	return 0;
}

static void test_rfc2231_and_2047(void)
{
	const char *msg =
		"From: =?utf-8?q?=C3=89milie?= Roux <Boutique@Naturelles-Bergerac.FR>\r\n"
		"Subject: Commande =?utf-8?b?bsKwNDcg4oCTIHLDqWFzc29ydA==?=\r\n"
		"Message-ID: <abc.123@example.fr>\r\n"
		"Date: Fri, 20 Nov 2026 13:25:29 +0100\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
		"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n"
		"--XX\r\nContent-Type: application/pdf;\r\n"
		" name*0*=utf-8''Bon%20de%20commande%20n%C2%B047%20%E2%80%93%20Cocon%20des;\r\n"
		" name*1*=%20Sens.pdf\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"Content-Disposition: attachment;\r\n"
		" filename*0*=utf-8''Bon%20de%20commande%20n%C2%B047%20%E2%80%93%20Cocon%20des;\r\n"
		" filename*1*=%20Sens.pdf\r\n\r\n"
		"JVBERi0xLjQK\r\n"
		"--XX\r\nContent-Type: application/pdf\r\n"
		"Content-Disposition: attachment; filename*=iso-8859-1''Cr%E9dit.pdf\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
		"--XX\r\nContent-Type: application/pdf; name=\"=?utf-8?q?=C3=A9t=C3=A9.pdf?=\"\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
		"--XX--\r\n";
	g_autoptr(mime_message) m = parse(msg);
	g_autofree char *body = NULL;
	g_autofree char *date = NULL;

	if (!ok(m != NULL, "RFC 2231 message parses"))
		return;
	is_str(m->headers.from_addr, "boutique@naturelles-bergerac.fr", "From address, lower case");
	is_str(m->headers.from_name, "Émilie Roux", "From name, RFC 2047 Q");
	is_str(m->headers.subject, "Commande n°47 – réassort", "Subject, RFC 2047 B");
	is_str(m->headers.message_id, "abc.123@example.fr", "Message-ID without brackets");
	date = m->headers.date ? g_date_time_format_iso8601(m->headers.date) : NULL;
	is_str(date, "2026-11-20T13:25:29+01", "Date with its zone");
	is_int(m->parts->len, 4, "four leaf parts");
	ok(part(m, 0)->is_body_text, "the text part is the body");
	is_str(part(m, 1)->filename, "Bon de commande n°47 – Cocon des Sens.pdf",
	       "RFC 2231 continued, percent-encoded UTF-8 file name");
	ok(part(m, 1)->attachment, "disposition attachment");
	is_str(part(m, 1)->path, "2", "part path");
	body = decoded(part(m, 1));
	is_str(body, "%PDF-1.4\n", "base64 body decoded");
	is_str(part(m, 2)->filename, "Crédit.pdf", "RFC 2231 single, ISO-8859-1 converted");
	is_str(part(m, 3)->filename, "été.pdf", "RFC 2047 in a quoted name (common, if wrong)");
	ok(part(m, 1)->envelope == &m->headers, "the envelope of a part is the message's");
}

static void test_forwarded(void)
{
	const char *msg =
		"From: Julie Martin <julie.martin@sweetiebio.fr>\r\n"
		"Subject: TR: Commande\r\nMessage-ID: <outer@sweetiebio.fr>\r\n"
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"A\"\r\n\r\n"
		"--A\r\nContent-Type: text/plain\r\n\r\nVoir ci-dessous\r\n"
		"--A\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
		"From: Claire <contact@cocondessens.fr>\r\nSubject: Commande 49\r\n"
		"Message-ID: <inner@cocondessens.fr>\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
		"--B\r\nContent-Type: multipart/alternative; boundary=\"C\"\r\n\r\n"
		"--C\r\nContent-Type: text/plain\r\n\r\ntexte\r\n"
		"--C\r\nContent-Type: text/html\r\n\r\n<p>texte</p>\r\n--C--\r\n"
		"--B\r\nContent-Type: application/octet-stream\r\n"
		"Content-Disposition: attachment; filename=\"bc49.pdf\"\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n"
		"--A--\r\n";
	g_autoptr(mime_message) m = parse(msg);
	const mime_part *pdf = NULL;

	if (!ok(m != NULL, "forwarded message parses"))
		return;
	for (guint i = 0; i < m->parts->len; i++) {
		if (g_strcmp0(part(m, i)->filename, "bc49.pdf") == 0)
			pdf = part(m, i);
	}
	if (!ok(pdf != NULL, "the PDF inside the forwarded message is found"))
		return;
	is_str(pdf->envelope->from_addr, "contact@cocondessens.fr",
	       "its envelope is the inner message's sender");
	is_str(pdf->envelope->message_id, "inner@cocondessens.fr", "and the inner Message-ID");
	is_int(m->inner->len, 1, "one forwarded message listed");
	is_str(m->headers.from_addr, "julie.martin@sweetiebio.fr", "outer sender kept");
	is_int(m->parts->len, 4, "text, text, html and the PDF");
}

static void test_odd_shapes(void)
{
	const char *msg =
		"From: a@b.fr\r\nSubject: scan\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/related; boundary=\"R\"\r\n\r\n"
		"--R\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
		"--R\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: quoted-printable\r\n"
		"Content-Disposition: attachment; filename=\"C:\\\\Users\\\\x\\\\bc.pdf\"\r\n\r\n"
		"%PDF-1.4 caf=C3=A9 soft=\r\nbreak =3D end\r\n"
		"--R\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		"RnJvbTogeEB5LmZyDQpNZXNzYWdlLUlEOiA8ZW5jQHkuZnI+DQpDb250ZW50LVR5cGU6IGFwcGxp\r\n"
		"Y2F0aW9uL3BkZg0KQ29udGVudC1EaXNwb3NpdGlvbjogYXR0YWNobWVudDsgZmlsZW5hbWU9ImIu\r\n"
		"cGRmIg0KDQolUERGLTEuNAo=\r\n"
		"--R--\r\n";
	g_autoptr(mime_message) m = parse(msg);
	g_autofree char *qp = NULL;
	g_autofree char *inline_body = NULL;
	const mime_part *last;

	if (!ok(m != NULL, "odd shapes parse"))
		return;
	is_int(m->parts->len, 3, "three leaves (the encoded forward opened)");
	ok(!part(m, 0)->attachment && part(m, 0)->filename == NULL, "an inline part with no name");
	inline_body = decoded(part(m, 0));
	is_str(inline_body, "%PDF-1.4\n", "its content, whatever its declared type");
	is_str(part(m, 1)->filename, "bc.pdf", "a Windows path in a file name is cut");
	qp = decoded(part(m, 1));
	is_str(qp, "%PDF-1.4 café softbreak = end", "quoted-printable decoded, soft breaks joined");
	last = part(m, 2);
	is_str(last ? last->filename : NULL, "b.pdf", "a base64 message/rfc822 is opened");
	is_str(last && last->envelope ? last->envelope->message_id : NULL, "enc@y.fr",
	       "with its own headers");
}

static void test_not_mime(void)
{
	g_autoptr(GError) err = NULL;
	const char *plain = "From: someone@example.com\nSubject: question\n\nJust text.\n";
	g_autoptr(mime_message) m = parse(plain);
	GString *deep = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n");
	mime_message *d;

	ok(m != NULL && m->parts->len == 1 && part(m, 0)->is_body_text,
	   "a plain message is one body part");
	ok(mime_parse("", 0, &err) == NULL && err != NULL, "an empty message is refused");

	for (int i = 0; i < 40; i++)
		g_string_append_printf(deep, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n"
					     "--b%d\r\n", i, i);
	g_string_append(deep, "Content-Type: text/plain\r\n\r\nbottom\r\n");
	d = mime_parse(deep->str, deep->len, NULL);
	ok(d != NULL && d->limit == MIME_LIMIT_NONE && d->parts->len == 1,
	   "40 levels of nesting are followed to the bottom");
	mime_message_free(d);
	g_string_free(deep, TRUE);
}

/* A message nested n levels deep (multiparts), a PDF part at the bottom. */
static GString *nested(int n)
{
	GString *m = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n");

	for (int i = 0; i < n; i++)
		g_string_append_printf(m, "Content-Type: multipart/mixed; boundary=\"n%d\"\r\n\r\n"
					  "--n%d\r\n", i, i);
	g_string_append(m, "Content-Type: application/pdf; name=\"po.pdf\"\r\n\r\n%PDF-1.4\r\n");
	for (int i = n - 1; i >= 0; i--)
		g_string_append_printf(m, "--n%d--\r\n", i);
	return m;
}

/* A PO forwarded n times, each forward a message/rfc822 part after a text. */
static GString *forwarded(int n)
{
	GString *m = g_string_new("From: client@x.fr\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: multipart/mixed; boundary=\"in\"\r\n\r\n"
				  "--in\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n\r\n"
				  "%PDF-1.4\r\n--in--\r\n");

	for (int i = 0; i < n; i++) {
		g_autofree char *inner = g_string_free(m, FALSE);

		m = g_string_new(NULL);
		g_string_append_printf(m, "From: f%d@x.fr\r\nMIME-Version: 1.0\r\n"
					  "Content-Type: multipart/mixed; boundary=\"f%d\"\r\n\r\n"
					  "--f%d\r\nContent-Type: text/plain\r\n\r\nTR\r\n"
					  "--f%d\r\nContent-Type: message/rfc822\r\n\r\n%s--f%d--\r\n",
				       i, i, i, i, inner, i);
	}
	return m;
}

/* n parts of the given kind, then a PDF part (none when pdf_at < 0, else
 * after pdf_at of them). */
static GString *many_parts(int n, const char *kind, int pdf_at)
{
	GString *m = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n");

	for (int i = 0; i < n; i++) {
		if (i == pdf_at)
			g_string_append(m, "--B\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n"
					   "\r\n%PDF-1.4\r\n");
		g_string_append_printf(m, "--B\r\n%s\r\n\r\npart %d\r\n", kind, i);
	}
	if (pdf_at >= n)
		g_string_append(m, "--B\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n"
				   "\r\n%PDF-1.4\r\n");
	g_string_append(m, "--B--\r\n");
	return m;
}

static gboolean has_po(const mime_message *m)
{
	for (guint i = 0; m != NULL && i < m->parts->len; i++) {
		if (g_strcmp0(part(m, i)->filename, "po.pdf") == 0)
			return TRUE;
	}
	return FALSE;
}

/* Limits on the work a message costs: reached, they are said
 * (m->limit), and what lies before them is still listed. */
static void test_limits(void)
{
	static const struct {
		int depth;
		gboolean found;
		mime_limit limit;
	} depths[] = {
		{ 20, TRUE, MIME_LIMIT_NONE },
		{ 62, TRUE, MIME_LIMIT_NONE },
		{ 100, FALSE, MIME_LIMIT_DEPTH },
		{ 2000, FALSE, MIME_LIMIT_DEPTH },
		/* libetpan alone overflows its stack on this */
		{ 30000, FALSE, MIME_LIMIT_DEPTH },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(depths); i++) {
		GString *text = nested(depths[i].depth);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && has_po(m) == depths[i].found && m->limit == depths[i].limit,
		   "nested %d deep: the PO %s, limit %d", depths[i].depth,
		   depths[i].found ? "found" : "not reached", depths[i].limit);
		g_string_free(text, TRUE);
	}
	{
		GString *text = forwarded(8);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_NONE,
		   "a PO forwarded 8 times is found");
		is_str(m && m->parts->len ? part(m, m->parts->len - 1)->envelope->from_addr : NULL,
		       "client@x.fr", "  its sender is the innermost message's");
		g_string_free(text, TRUE);
	}
	{
		GString *text = forwarded(1000);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && !has_po(m) && m->limit == MIME_LIMIT_DEPTH && m->parts->len > 0,
		   "forwarded 1000 times: the depth limit, the forwards' texts before it listed");
		g_string_free(text, TRUE);
	}
	{
		GString *text = many_parts(300, "Content-Type: text/plain", 300);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_NONE && m->parts->len == 301,
		   "300 text parts then a PO: every part listed");
		g_string_free(text, TRUE);
	}
	{
		GString *text = many_parts(256, "Content-Type: application/pdf; name=\"f.pdf\"", 256);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_NONE,
		   "256 would-be PDFs then a PO: the PO listed");
		g_string_free(text, TRUE);
	}
	{
		GString *text = many_parts(1500, "Content-Type: text/plain", 700);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_PARTS &&
			   m->parts->len == MIME_MAX_PARTS,
		   "1500 parts, a PO at 700: the PO listed, and the part limit said");
		g_string_free(text, TRUE);
	}
	{
		gint64 t0 = g_get_monotonic_time();
		GString *text = many_parts(50000, "Content-Type: text/plain", 50000);
		g_autoptr(mime_message) m = mime_parse(text->str, text->len, NULL);

		ok(m != NULL && !has_po(m) && m->limit == MIME_LIMIT_PARTS &&
			   m->parts->len == MIME_MAX_PARTS,
		   "50,000 parts: %d listed, the part limit said", MIME_MAX_PARTS);
		tap_diag("50,000 parts parsed in %.0f ms", (g_get_monotonic_time() - t0) / 1e3);
		g_string_free(text, TRUE);
	}
	{
		/* 300 multiparts side by side: more containers than any nesting needs */
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
					     "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 300; i++)
			g_string_append_printf(text, "--B\r\nContent-Type: multipart/alternative; "
						     "boundary=\"a%d\"\r\n\r\n--a%d\r\n"
						     "Content-Type: text/plain\r\n\r\nt\r\n--a%d--\r\n",
					       i, i, i);
		g_string_append(text, "--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && m->limit == MIME_LIMIT_CONTAINERS && m->parts->len > 50 &&
			   m->parts->len < 300,
		   "300 multiparts side by side: those before the limit listed, the limit said");
		g_string_free(text, TRUE);
	}
	{
		/* 20 forwards sent base64-encoded, side by side */
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
					     "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n");
		const char *inner = "From: c@d.fr\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n"
				    "\r\n%PDF-1.4\r\n";
		g_autofree char *b64 = g_base64_encode((const guchar *)inner, strlen(inner));
		g_autoptr(mime_message) m = NULL;
		guint pdfs = 0;

		for (int i = 0; i < 20; i++)
			g_string_append_printf(text, "--B\r\nContent-Type: message/rfc822\r\n"
						     "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n",
					       b64);
		g_string_append(text, "--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		for (guint i = 0; m != NULL && i < m->parts->len; i++)
			pdfs += g_strcmp0(part(m, i)->filename, "po.pdf") == 0;
		ok(m != NULL && pdfs == MIME_MAX_ENCODED && m->limit == MIME_LIMIT_ENCODED,
		   "20 encoded forwards: %d opened, the limit said", MIME_MAX_ENCODED);
		g_string_free(text, TRUE);
	}
	{
		/* 1 MB of header lines before the structure */
		GString *text = g_string_new("From: Anne <anne@b.fr>\r\nSubject: x\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 10000; i++)
			g_string_append_printf(text, "X-Junk-%d: %0100d\r\n", i, 0);
		g_string_append(text, "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
				      "--B\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n\r\n"
				      "%PDF-1.4\r\n--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && m->limit == MIME_LIMIT_HEADER && m->parts->len == 0,
		   "a 1 MB header block: not parsed, the limit said");
		is_str(m ? m->headers.from_addr : NULL, "anne@b.fr", "  its first headers read");
		g_string_free(text, TRUE);
	}
	{
		/* a part whose header block is 1 MB, after a PO */
		GString *text = many_parts(0, "", 0);
		g_autoptr(mime_message) m = NULL;

		g_string_truncate(text, text->len - strlen("--B--\r\n"));
		g_string_append(text, "--B\r\nContent-Type: text/plain\r\n");
		for (int i = 0; i < 10000; i++)
			g_string_append_printf(text, "X-Junk-%d: %0100d\r\n", i, 0);
		g_string_append(text, "\r\nbody\r\n--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_PART_HEADER,
		   "a part with a 1 MB header: the PO before it listed, the limit said");
		g_string_free(text, TRUE);
	}
	for (int l = MIME_LIMIT_NONE; l <= MIME_LIMIT_WORK; l++)
		ok(strlen(mime_limit_fr((mime_limit)l)) > 10, "limit %d is said in French", l);
}

/* What reads as MIME structure to the scan must be what libetpan reads:
 * neither less (it would parse unbounded) nor more (a PO dropped for a
 * limit it never reached). */
static void test_scan_matches_libetpan(void)
{
	{
		/* libetpan takes "message /rfc822" for a message too */
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 40000; i++)
			g_string_append(text, "Content-Type: message /rfc822\r\n\r\n");
		g_string_append(text, "Content-Type: text/plain\r\n\r\nfond\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && m->limit != MIME_LIMIT_NONE,
		   "40,000 levels of \"message /rfc822\": a limit, not a crash");
		g_string_free(text, TRUE);
	}
	{
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 40000; i++)
			g_string_append(text, "Content-Type: message\r\n\t/rfc822\r\n\r\n");
		g_string_append(text, "Content-Type: text/plain\r\n\r\nfond\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && m->limit != MIME_LIMIT_NONE, "  nor folded onto the next line");
		g_string_free(text, TRUE);
	}
	{
		/* a text body drawn with dashes, then the PO */
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
					     "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
					     "--B\r\nContent-Type: text/plain\r\n\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 4100; i++)
			g_string_append(text, "----+----+----\r\n| 12 | Farine |\r\n");
		g_string_append(text, "--B\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n\r\n"
				      "%PDF-1.4\r\n--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_NONE,
		   "4,100 lines of dashes in a body are no part lines: the PO after them listed");
		g_string_free(text, TRUE);
	}
	{
		/* a quoted-printable HTML body: a soft break puts "-->" at a line's
		 * start, then 1 MiB without a blank line */
		GString *text = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
					     "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
					     "--B\r\nContent-Type: text/html\r\n"
					     "Content-Transfer-Encoding: quoted-printable\r\n\r\n<!-- x =\r\n-->\r\n");
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 20000; i++)
			g_string_append(text, "<p>Commande de la semaine, ligne suivante</p>=\r\n");
		g_string_append(text, "\r\n--B\r\nContent-Type: application/pdf; name=\"po.pdf\"\r\n\r\n"
				      "%PDF-1.4\r\n--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_NONE,
		   "a body line starting \"-->\" starts no part header: the PO listed");
		g_string_free(text, TRUE);
	}
	{
		/* part lines that start no part: libetpan lists no leaf for
		 * them, the scan's limit is the message's */
		GString *text = many_parts(0, "", 0);
		g_autoptr(mime_message) m = NULL;

		for (int i = 0; i < 5000; i++)
			g_string_append(text, "--B--\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && has_po(m) && m->limit == MIME_LIMIT_LINES,
		   "5,000 closing lines: the PO before them listed, the line limit said");
		g_string_free(text, TRUE);
	}
	{
		/* deep and large: each level makes libetpan read it all again */
		GString *text = nested(70);
		g_autoptr(mime_message) m = NULL;
		gint64 t0 = g_get_monotonic_time();

		g_string_truncate(text, text->len - 70 * strlen("--nXX--\r\n"));
		for (int i = 0; i < 40 * 1024; i++)
			g_string_append(text, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx"
					      "MjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEy"
					      "MzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz"
					      "NDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0"
					      "NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1"
					      "Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2"
					      "Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3"
					      "ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4"
					      "OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5"
					      "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw"
					      "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx"
					      "MjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEy"
					      "\r\n");
		m = mime_parse(text->str, text->len, NULL);
		ok(m != NULL && (m->limit == MIME_LIMIT_WORK || m->limit == MIME_LIMIT_DEPTH),
		   "70 levels over 35 MB: bounded");
		tap_diag("70 levels over %.0f MB parsed in %.0f ms", text->len / 1e6,
			 (g_get_monotonic_time() - t0) / 1e3);
		g_string_free(text, TRUE);
	}
}

static void test_latin1_headers(void)
{
	const char *msg = "From: Andr\xe9 Cr\xe8me <andre@x.fr>\r\n"
			  "Subject: Caf\xe9 cr\xe8me et =?utf-8?q?=C3=A9t=C3=A9?=\r\n\r\nbody";
	g_autoptr(mime_message) m = parse(msg);

	is_str(m ? m->headers.subject : NULL, "Café crème et été",
	       "raw Latin-1 in a Subject is read as mail clients read it");
	is_str(m ? m->headers.from_name : NULL, "André Crème", "and in a From");
}

static void test_big_part(void)
{
	size_t total = 0;

	{
		GString *big = g_string_new("From: a@b.fr\r\nMIME-Version: 1.0\r\n"
					    "Content-Type: application/pdf\r\n"
					    "Content-Transfer-Encoding: base64\r\n\r\n");
		g_autoptr(mime_message) bm = NULL;
		gboolean truncated = FALSE;
		GBytes *prefix;

		for (int i = 0; i < 50000; i++)
			g_string_append(big, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w\r\n");
		bm = mime_parse(big->str, big->len, NULL);
		if (ok(bm != NULL && bm->parts->len == 1, "a 2.8 MB part parses")) {
			mime_part_decode_each(part(bm, 0), count_chunk, &total);
			is_int(total, 50000 * 42, "decoded in chunks, every byte counted");
			prefix = mime_part_decode(part(bm, 0), 1000, &truncated);
			ok(truncated && g_bytes_get_size(prefix) == 1000, "a bounded decode stops at max");
			g_bytes_unref(prefix);
		}
		g_string_free(big, TRUE);
	}
}

static void test_headers_only(void)
{
	const char *msg = "From:\r\n =?utf-8?q?=C3=89milie?= Roux - Natur'Elles "
			  "<boutique@naturelles-bergerac.fr>\r\nSubject: commande\r\n"
			  "Date: Thu, 19 Nov 2026 08:23:05 +0100\r\n\r\nbody";
	const char *broken = "From: Jean Dupont jean@exemple.fr\r\nSubject: x\r\n\r\n";
	mime_headers h;

	mime_parse_headers(msg, strlen(msg), &h);
	is_str(h.from_addr, "boutique@naturelles-bergerac.fr", "folded From header");
	is_str(h.from_name, "Émilie Roux - Natur'Elles", "its name decoded");
	ok(h.date != NULL && g_date_time_get_day_of_month(h.date) == 19, "the date");
	mime_headers_clear(&h);
	mime_parse_headers(broken, strlen(broken), &h);
	is_str(h.from_addr, "jean@exemple.fr", "an address is found in a broken From");
	mime_headers_clear(&h);
}

/* An RFC 2231 name with nothing after its charset (make fuzz found it
 * made GLib complain). */
static void test_empty_extended_name(void)
{
	const char *msg = "From: a@b.fr\r\nMIME-Version: 1.0\r\n"
			  "Content-Type: application/pdf; name=\"repli.pdf\"\r\n"
			  "Content-Disposition: attachment; filename*=utf-8''\r\n\r\n%PDF-1.4\r\n";
	g_autoptr(mime_message) m = parse(msg);

	is_str(m && m->parts->len ? part(m, 0)->filename : NULL, "repli.pdf",
	       "filename*=utf-8'' (empty): the name= beside it is taken");
}

/* A mail we send, composed, then read back by our own parser: the
 * headers decoded, the attachment's bytes and name as they were. */
static void test_compose(void)
{
	static const char pdf_bytes[] = "%PDF-1.4\n\x00\x01\xff binary \r\n bytes\n%%EOF\n";
	g_autoptr(GBytes) pdf = g_bytes_new(pdf_bytes, sizeof(pdf_bytes) - 1);
	mime_attachment at[2] = {
		{ "les-jardins-de-lea_CONF_SO0001_06-12-2026.pdf", "application/pdf", pdf },
		{ "Bon de livraison épicerie — n°2.pdf", "application/pdf", pdf },
	};
	const char *to[] = { "lea@jardins-de-lea.fr", "compta@jardins-de-lea.fr", NULL };
	g_autoptr(GDateTime) date = g_date_time_new_utc(2026, 12, 6, 9, 30, 0);
	g_autofree char *id = mime_message_id_new("sweetiebio.fr");
	mime_mail m = {
		.from_name = "Sweetie Bio — service commandes",
		.from_addr = "commandes@sweetiebio.fr",
		.to = to,
		.subject = "Confirmation de votre commande LEA-900 : SO0001 — 116,31 € TTC, livrée dès réception des produits manquants",
		.text = "Bonjour,\n\nNous confirmons votre commande : voir le PDF joint.\nLigne très longue pour le quoted-printable, avec des accents éàüç et un euro € : 0123456789 0123456789 0123456789.\n",
		.message_id = id,
		.in_reply_to = "po-900@jardins-de-lea.fr",
		.auto_replied = TRUE,
		.date = date,
		.attachments = at,
		.n_attachments = 2,
	};
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) raw = mime_compose(&m, &err);
	gsize len = 0;
	const char *data = raw ? g_bytes_get_data(raw, &len) : NULL;
	g_autoptr(mime_message) back = NULL;
	gboolean ascii = TRUE, short_lines = TRUE;
	gsize line = 0;

	ok(raw != NULL, "a mail is composed");
	if (raw == NULL)
		return;
	ok(g_str_has_suffix(id, "@sweetiebio.fr") && strlen(id) > 20, "a Message-ID of our domain");
	for (gsize i = 0; i < len; i++) {
		ascii &= (guchar)data[i] < 0x80;
		line = data[i] == '\n' ? 0 : line + 1;
		short_lines &= line <= 998;
	}
	ok(ascii, "the whole message is ASCII (UTF-8 only inside encodings)");
	ok(short_lines, "no line over 998 characters");
	back = mime_parse(data, len, &err);
	ok(back != NULL, "our parser reads it");
	if (back == NULL)
		return;
	is_str(back->headers.subject, m.subject, "the subject, encoded and decoded (RFC 2047)");
	is_str(back->headers.from_name, m.from_name, "the sender's name too");
	is_str(back->headers.from_addr, "commandes@sweetiebio.fr", "the sender's address");
	is_str(back->headers.message_id, id, "the Message-ID");
	ok(g_strstr_len(data, (gssize)len, "\r\nAuto-Submitted: auto-replied\r\n") != NULL ||
		   g_strstr_len(data, (gssize)len, "\nAuto-Submitted: auto-replied") != NULL,
	   "Auto-Submitted: auto-replied (RFC 3834)");
	ok(g_strstr_len(data, (gssize)len, "In-Reply-To: <po-900@jardins-de-lea.fr>") != NULL,
	   "In-Reply-To the customer's message");
	ok(g_strstr_len(data, (gssize)len, "References: <po-900@jardins-de-lea.fr>") != NULL,
	   "and References");
	ok(g_strstr_len(data, (gssize)len, "compta@jardins-de-lea.fr") != NULL, "every recipient");
	is_int(back->parts->len, 3, "the text and two attachments");
	if (back->parts->len == 3) {
		const mime_part *t = back->parts->pdata[0];
		const mime_part *a = back->parts->pdata[1];
		const mime_part *b = back->parts->pdata[2];
		g_autoptr(GBytes) text = mime_part_decode(t, 1 << 20, NULL);
		g_autoptr(GBytes) bytes = mime_part_decode(a, 1 << 20, NULL);
		g_autoptr(GBytes) bytes2 = mime_part_decode(b, 1 << 20, NULL);
		g_autofree char *text_s = g_strndup(g_bytes_get_data(text, NULL), g_bytes_get_size(text));

		g_autoptr(GString) lf = g_string_new(text_s);

		/* a mail's lines end in CRLF; ours were LF */
		g_string_replace(lf, "\r\n", "\n", 0);
		is_str(lf->str, m.text, "the text, quoted-printable, comes back whole");
		is_str(a->filename, at[0].name, "the attachment's name");
		ok(a->attachment && strcmp(a->declared_type, "application/pdf") == 0,
		   "  an attachment, application/pdf");
		ok(g_bytes_equal(bytes, pdf), "  its bytes exactly (base64)");
		is_str(b->filename, at[1].name, "a name not in ASCII, as RFC 2231 writes it");
		ok(g_bytes_equal(bytes2, pdf), "  its bytes too");
	}
}


/* RFC 3834: what says a message is automatic, what says it is a
 * program's reply, and the Message-IDs it refers to. */
static void test_automatic(void)
{
	static const struct {
		const char *headers;
		const char *automatic;   /* a prefix of why, or NULL */
		gboolean reply;
	} cases[] = {
		{ "From: a@b.fr\r\n", NULL, FALSE },
		{ "From: a@b.fr\r\nAuto-Submitted: no\r\n", NULL, FALSE },
		{ "From: a@b.fr\r\nAuto-Submitted: auto-replied\r\n", "Auto-Submitted", TRUE },
		{ "From: a@b.fr\r\nAuto-Submitted: Auto-Generated\r\n", "Auto-Submitted", TRUE },
		{ "From: a@b.fr\r\nPrecedence: bulk\r\n", "Precedence", FALSE },
		{ "From: a@b.fr\r\nPrecedence: first-class\r\n", NULL, FALSE },
		{ "From: a@b.fr\r\nPrecedence: auto_reply\r\n", "Precedence: auto", TRUE },
		{ "From: a@b.fr\r\nList-Id: <x.lists.b.fr>\r\n", "List-Id", FALSE },
		{ "From: a@b.fr\r\nX-Autoreply: yes\r\n", "X-Autoreply", TRUE },
		{ "From: MAILER-DAEMON@mx.b.fr\r\n", "expéditeur automatique", FALSE },
		{ "From: no-reply@shop.fr\r\n", "expéditeur automatique", FALSE },
		{ "From: noreply+orders@shop.fr\r\n", "expéditeur automatique", FALSE },
		{ "From: norbert@shop.fr\r\n", NULL, FALSE },
		{ "Return-Path: <>\r\nFrom: a@b.fr\r\n", "Return-Path vide", TRUE },
		{ "Return-Path: <a@b.fr>\r\nFrom: a@b.fr\r\n", NULL, FALSE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = g_strdup_printf("%sSubject: x\r\n\r\nbody", cases[i].headers);
		g_autofree char *said = g_strstrip(g_strdelimit(g_strdup(cases[i].headers), "\r\n", ' '));
		mime_headers h;

		mime_parse_headers(msg, strlen(msg), &h);
		if (cases[i].automatic == NULL)
			ok(h.automatic == NULL, "not automatic: %s (%s)", said,
			   h.automatic ? h.automatic : "-");
		else
			ok(h.automatic != NULL && g_str_has_prefix(h.automatic, cases[i].automatic),
			   "automatic: %s (%s)", said, h.automatic ? h.automatic : "-");
		ok(h.auto_reply == cases[i].reply, "  a program's reply: %s", cases[i].reply ? "yes" : "no");
		mime_headers_clear(&h);
	}
	{
		const char *msg = "From: a@b.fr\r\nIn-Reply-To: <one@us.fr>\r\n"
				  "References: <zero@us.fr> <one@us.fr>\r\nSubject: x\r\n\r\nbody";
		mime_headers h;

		mime_parse_headers(msg, strlen(msg), &h);
		ok(h.refs != NULL && g_strv_length(h.refs) == 2 && strcmp(h.refs[0], "one@us.fr") == 0 &&
			   strcmp(h.refs[1], "zero@us.fr") == 0,
		   "In-Reply-To then References, each once, without brackets");
		mime_headers_clear(&h);
	}
}

/* A picture in a multipart/related is part of the text (a signature's
 * logo); the same picture attached is a file sent. */
static void test_related(void)
{
	const char *msg =
		"From: a@b.fr\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=M\r\n\r\n"
		"--M\r\nContent-Type: multipart/related; boundary=R\r\n\r\n"
		"--R\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:l\">\r\n"
		"--R\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=\"image001.png\"\r\n\r\nx\r\n"
		"--R--\r\n"
		"--M\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"bc.jpg\"\r\n\r\ny\r\n"
		"--M--\r\n";
	g_autoptr(mime_message) m = parse(msg);

	ok(m != NULL && m->parts->len == 3, "three parts");
	if (m == NULL || m->parts->len != 3)
		return;
	ok(part(m, 1)->in_related, "the logo is inside the multipart/related");
	ok(!part(m, 2)->in_related, "the attached picture is not");
}

int main(void)
{
	test_compose();
	/* a GLib critical (a precondition failed) is a bug here */
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	test_rfc2231_and_2047();
	test_forwarded();
	test_odd_shapes();
	test_not_mime();
	test_limits();
	test_scan_matches_libetpan();
	test_empty_extended_name();
	test_latin1_headers();
	test_big_part();
	test_headers_only();
	test_automatic();
	test_related();
	return tap_done();
}
