/* mime.h: a received message taken apart (libetpan's MIME parser).
 *
 * The whole tree is walked, including message/rfc822 parts (a forwarded
 * mail) and nested multiparts.  Every leaf part is listed with what the
 * sender said about it (file name, declared type, disposition), decoded
 * names (RFC 2047 words, RFC 2231 continuations and charsets, all turned
 * into UTF-8) and the From of the innermost message that holds it (for a
 * forward, the original sender).  Part bodies stay where they are in the
 * caller's buffer until mime_part_decode() is asked for them, so a large
 * message costs no copy.
 *
 * The caller's buffer must outlive the mime_message.
 */
#ifndef MO_MIME_H
#define MO_MIME_H

#include <glib.h>
#include <stddef.h>

/* Limits on the work one message may cost.  No genuine order comes near
 * them (a PO forwarded ten times is about 30 levels deep); reaching one is
 * itself an outcome (mime_message.limit): what was found before it is
 * listed, what lies beyond is not read, and the caller says so. */
#define MIME_MAX_DEPTH 64          /* nesting of multiparts and messages */
#define MIME_MAX_PARTS 1000        /* leaf parts listed */
#define MIME_MAX_ENCODED 16        /* forwards sent encoded (base64, QP), decoded and read */
#define MIME_MAX_HEADER_MIB 1
#define MIME_MAX_HEADER (MIME_MAX_HEADER_MIB * 1024 * 1024) /* bytes of one header block */
#define MIME_MAX_REFS 64           /* Message-IDs kept from In-Reply-To and References */

typedef enum {
	MIME_LIMIT_NONE,
	MIME_LIMIT_HEADER,     /* the message's own header block is longer */
	MIME_LIMIT_PART_HEADER,/* a part's header block is longer */
	MIME_LIMIT_DEPTH,      /* nested deeper */
	MIME_LIMIT_PARTS,      /* more leaf parts */
	MIME_LIMIT_ENCODED,    /* more encoded forwards */
	MIME_LIMIT_CONTAINERS, /* more multiparts and messages than nesting needs */
	MIME_LIMIT_LINES,      /* more lines that start a part than parts need */
	MIME_LIMIT_WORK,       /* so deep for its size that parsing it costs too much */
} mime_limit;

typedef struct {
	char *message_id;       /* without angle brackets, or NULL */
	char *from_addr;        /* lower-case address, or NULL */
	char *from_name;        /* decoded display name, or NULL */
	char *reply_to;         /* the first address of Reply-To, lower-case, or NULL */
	char *subject;          /* decoded, or NULL */
	GDateTime *date;        /* Date header, or NULL when absent or unreadable */
	/* Why the message was sent by a program, not a person (RFC 3834, 3.1):
	 * "Auto-Submitted: auto-replied", "Precedence: bulk", "List-Id", a
	 * mailer-daemon or no-reply sender, an empty Return-Path; NULL when
	 * nothing says so.  Static. */
	const char *automatic;
	/* It says a program answered (Auto-Submitted other than no,
	 * X-Autoreply, Precedence: auto_reply, an empty Return-Path): what a
	 * report on a mail we sent says; a list's headers or a no-reply
	 * sender do not. */
	gboolean auto_reply;
	/* The Message-IDs it refers to (In-Reply-To, then References), without
	 * angle brackets; NULL-ended, or NULL when none. */
	char **refs;
} mime_headers;

typedef struct {
	char *path;             /* "1", "2.1", ...: position in the tree */
	char *filename;         /* decoded, or NULL when the sender gave none */
	char *declared_type;    /* "application/pdf", lower-case; "text/plain" if none */
	gboolean attachment;    /* Content-Disposition: attachment */
	gboolean is_body_text;  /* a text/plain or text/html part with no file name */
	gboolean in_related;    /* inside a multipart/related: a picture of the text
				 * (a signature's logo), not a document sent */
	const mime_headers *envelope; /* the innermost message holding this part */
	/* where the encoded body is, in the caller's buffer */
	const char *body;
	size_t body_len;
	int encoding;           /* private: libetpan's transfer encoding */
} mime_part;

typedef struct {
	mime_headers headers;   /* of the message itself */
	GPtrArray *parts;       /* mime_part*, in tree order */
	GPtrArray *inner;       /* mime_headers* of forwarded messages, outermost first */
	mime_limit limit;       /* the first limit reached: parts beyond it are not listed */
} mime_message;

/* What a limit means, in French, for the clerk: "plus de 64 niveaux
 * d'imbrication (…)".  Static. */
const char *mime_limit_fr(mime_limit limit);

/* Parses a raw message (RFC 5322 + MIME).  Never fails on odd input: what
 * cannot be parsed becomes one text part; NULL only when data is not a
 * message at all (MO_ERROR_PERMANENT).  Its cost is bounded whatever
 * data holds: libetpan, which parses a whole tree at once (recursively:
 * 30,000 levels overflow its stack), is only given the lines before the
 * first limit a cheap scan of the lines finds. */
mime_message *mime_parse(const char *data, size_t len, GError **error);
void mime_message_free(mime_message *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mime_message, mime_message_free)

/* Whether addr is one only programs write from (mailer-daemon, no-reply,
 * bounces...). */
gboolean mime_address_automatic(const char *addr);

/* Reads only the headers (cheap: for naming the archived message before its
 * parts are needed), at most MIME_MAX_HEADER bytes of them.  Fills h; the
 * caller frees it with mime_headers_clear. */
void mime_parse_headers(const char *data, size_t len, mime_headers *h);
void mime_headers_clear(mime_headers *h);

/* Receives decoded bytes, a chunk at a time; returns 0 to go on, 1 to stop. */
typedef int mime_chunk_fn(const void *chunk, size_t len, void *ctx);

/* Decodes a part's body (base64, quoted-printable, or as is) in chunks of
 * at most 64 KiB, so that a part of any size costs bounded memory.
 * Returns 1 if fn stopped it, else 0. */
int mime_part_decode_each(const mime_part *p, mime_chunk_fn *fn, void *ctx);

/* Decodes at most max bytes of a part: *truncated_r says whether there was
 * more.  Owned. */
GBytes *mime_part_decode(const mime_part *p, size_t max, gboolean *truncated_r);

/* ---------------------------------------------------------------- composing */

/* A file attached to a mail we send. */
typedef struct {
	const char *name;         /* as the customer will see it (UTF-8) */
	const char *content_type; /* "application/pdf" */
	GBytes *data;
} mime_attachment;

/* A mail we send, in UTF-8 throughout. */
typedef struct {
	const char *from_name, *from_addr;
	const char *const *to;    /* addresses, NULL-ended, at least one */
	const char *subject;
	const char *text;         /* the body, plain text */
	const char *message_id;   /* its Message-ID, without angle brackets */
	const char *in_reply_to;  /* the customer's Message-ID (no brackets), or NULL */
	gboolean auto_replied;    /* Auto-Submitted: auto-replied (RFC 3834) */
	GDateTime *date;          /* its Date */
	const mime_attachment *attachments;
	guint n_attachments;
} mime_mail;

/* The RFC 5322 message of m (MIME built with libetpan): headers that are
 * not ASCII encoded as RFC 2047 words, attachment names as RFC 2231
 * parameters when they are not ASCII, the text quoted-printable and the
 * attachments base64, lines of at most 78 characters.  Owned. */
GBytes *mime_compose(const mime_mail *m, GError **error);
/* A new Message-ID for a mail from domain: unique (time, random),
 * without angle brackets.  Owned. */
char *mime_message_id_new(const char *domain);

#endif
