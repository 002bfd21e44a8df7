#include "mail/mime.h"

#include "lib/b64.h"

#include "lib/error.h"

#include <libetpan/libetpan.h>
#include <string.h>

#define DECODE_CHUNK (64 * 1024)

/* ---------------------------------------------------------------- text */

/* Valid UTF-8 from whatever a header held: mail software that sends raw
 * 8-bit headers almost always means Windows-1252. */
static char *to_utf8(const char *s, gssize len)
{
	if (len < 0)
		len = (gssize)strlen(s);
	if (g_utf8_validate(s, len, NULL))
		return g_strndup(s, (gsize)len);
	char *conv = g_convert(s, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

	return conv ? conv : g_utf8_make_valid(s, len);
}

/* Unfolds a header value: line breaks go, the blank after them stays. */
static void unfold(char *s)
{
	char *w = s;

	for (const char *r = s; *r != '\0'; r++) {
		if (*r != '\r' && *r != '\n')
			*w++ = *r;
	}
	*w = '\0';
}

/* Decodes RFC 2047 encoded words into UTF-8.  Raw 8-bit text around them
 * is made UTF-8 first (Windows-1252 when it is not UTF-8 already, as mail
 * clients read it): libetpan would turn each such byte into a '?'. */
static char *decode_words(const char *raw_text)
{
	size_t idx = 0;
	char *decoded = NULL;
	char *out;
	g_autofree char *raw = NULL;

	if (raw_text == NULL)
		return NULL;
	raw = to_utf8(raw_text, -1);
	if (mailmime_encoded_phrase_parse("utf-8", raw, strlen(raw), &idx, "utf-8", &decoded) ==
		    MAILIMF_NO_ERROR &&
	    decoded != NULL) {
		out = to_utf8(decoded, -1);
		free(decoded);
	} else {
		out = to_utf8(raw, -1);
	}
	unfold(out);
	return g_strstrip(out);
}

/* ---------------------------------------------------------------- headers */

static GDateTime *date_from_imf(const struct mailimf_date_time *dt)
{
	int zone = dt->dt_zone;   /* +0100 is 100 */
	int sign = zone < 0 ? -1 : 1;
	int hours = (sign * zone) / 100, minutes = (sign * zone) % 100;
	g_autoptr(GTimeZone) tz = NULL;

	if (hours > 14 || minutes > 59)
		return NULL;
	tz = g_time_zone_new_offset(sign * (hours * 3600 + minutes * 60));
	if (dt->dt_year < 1970 || dt->dt_year > 9999)
		return NULL;
	return g_date_time_new(tz, dt->dt_year, dt->dt_month, dt->dt_day, dt->dt_hour,
			       dt->dt_min, dt->dt_sec);
}

/* The first thing that looks like an address in text. */
static char *address_from_raw(const char *value)
{
	g_autoptr(GRegex) re = g_regex_new("[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
					   0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;

	if (re != NULL && g_regex_match(re, value, 0, &mi))
		return g_match_info_fetch(mi, 0);
	return NULL;
}

/* The sender's address read from the raw header block (start, len): the
 * part in <...> if any, else the first address-like word.  libetpan is
 * lenient in ways that lose the address ("Jean Dupont jean@x.fr" becomes
 * "jeandupontjean@x.fr"), so the raw text has the last word. */
static char *raw_from_address(const char *start, size_t len)
{
	g_autoptr(GString) value = NULL;
	const char *p = start, *end = start + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (n == 0 || (n == 1 && p[0] == '\r'))
			break;  /* end of the header block */
		if (value != NULL && (p[0] == ' ' || p[0] == '\t')) {
			g_string_append_len(value, p, (gssize)n);
		} else if (value != NULL) {
			break;
		} else if (n > 5 && g_ascii_strncasecmp(p, "From:", 5) == 0) {
			value = g_string_new_len(p + 5, (gssize)n - 5);
		}
		p = eol ? eol + 1 : end;
	}
	if (value == NULL || value->len > 4096)
		return NULL;
	const char *lt = strrchr(value->str, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;

	if (lt != NULL && gt != NULL) {
		g_autofree char *inside = g_strndup(lt + 1, (gsize)(gt - lt - 1));
		char *addr = address_from_raw(inside);

		if (addr != NULL)
			return addr;
	}
	return address_from_raw(value->str);
}

/* The Message-IDs of list (char*), appended to refs once each. */
static void add_refs(GPtrArray *refs, clist *list)
{
	for (clistiter *it = list ? clist_begin(list) : NULL; it != NULL; it = clist_next(it)) {
		char *id = to_utf8(clist_content(it), -1);

		if (id == NULL || id[0] == '\0' || refs->len >= MIME_MAX_REFS ||
		    g_ptr_array_find_with_equal_func(refs, id, g_str_equal, NULL))
			g_free(id);
		else
			g_ptr_array_add(refs, id);
	}
}

/* RFC 3834, 3.1: the headers by which a program says it wrote the message,
 * and the ones mailing lists add; "Auto-Submitted: no" is a person's. */
static const char *automatic_field(const char *name, const char *value)
{
	g_autofree char *v = g_ascii_strdown(value, -1);

	g_strstrip(v);
	if (g_ascii_strcasecmp(name, "Auto-Submitted") == 0)
		return g_str_has_prefix(v, "no") && (v[2] == '\0' || v[2] == ';' || v[2] == ' ')
			       ? NULL
			       : "Auto-Submitted";
	if (g_ascii_strcasecmp(name, "Precedence") == 0 && strcmp(v, "auto_reply") == 0)
		return "Precedence: auto_reply";
	if (g_ascii_strcasecmp(name, "Precedence") == 0)
		return strcmp(v, "bulk") == 0 || strcmp(v, "list") == 0 || strcmp(v, "junk") == 0
			       ? "Precedence"
			       : NULL;
	if (g_ascii_strcasecmp(name, "List-Id") == 0 ||
	    g_ascii_strcasecmp(name, "List-Unsubscribe") == 0 ||
	    g_ascii_strcasecmp(name, "List-Post") == 0)
		return "List-Id (une liste de diffusion)";
	if (g_ascii_strcasecmp(name, "X-Autoreply") == 0 ||
	    g_ascii_strcasecmp(name, "X-Autorespond") == 0)
		return "X-Autoreply";
	/* Exchange's way of asking for no automatic answer */
	if (g_ascii_strcasecmp(name, "X-Auto-Response-Suppress") == 0)
		return strstr(v, "all") || strstr(v, "autoreply") || strstr(v, "oof")
			       ? "X-Auto-Response-Suppress"
			       : NULL;
	return NULL;
}

gboolean mime_address_automatic(const char *addr)
{
	static const char *const locals[] = {
		"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply", "donotreply",
		"do-not-reply", "do_not_reply", "nepasrepondre", "ne-pas-repondre", "ne_pas_repondre",
		"bounce", "bounces",
	};
	const char *at = addr ? strchr(addr, '@') : NULL;

	if (at == NULL)
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(locals); i++) {
		size_t n = strlen(locals[i]);

		if ((size_t)(at - addr) >= n && g_ascii_strncasecmp(addr, locals[i], n) == 0 &&
		    (addr + n == at || addr[n] == '+' || addr[n] == '-' || addr[n] == '='))
			return TRUE;
	}
	return FALSE;
}

static void headers_from_imf(const struct mailimf_fields *fields, const char *raw,
			     size_t raw_len, mime_headers *h)
{
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func(g_free);

	if (raw != NULL) {
		g_autofree char *addr = raw_from_address(raw, raw_len);

		if (addr != NULL)
			h->from_addr = g_ascii_strdown(addr, -1);
	}
	if (fields == NULL)
		return;
	for (clistiter *it = clist_begin(fields->fld_list); it != NULL; it = clist_next(it)) {
		struct mailimf_field *f = clist_content(it);

		switch (f->fld_type) {
		case MAILIMF_FIELD_FROM:
			if (h->from_name == NULL && f->fld_data.fld_from != NULL &&
			    f->fld_data.fld_from->frm_mb_list != NULL) {
				clistiter *first = clist_begin(f->fld_data.fld_from->frm_mb_list->mb_list);
				struct mailimf_mailbox *mb = first ? clist_content(first) : NULL;

				if (mb != NULL && mb->mb_addr_spec != NULL) {
					g_autofree char *spec = to_utf8(mb->mb_addr_spec, -1);

					if (h->from_addr == NULL)
						h->from_addr = g_utf8_strdown(spec, -1);
					h->from_name = decode_words(mb->mb_display_name);
				}
			}
			break;
		case MAILIMF_FIELD_SUBJECT:
			if (h->subject == NULL && f->fld_data.fld_subject != NULL)
				h->subject = decode_words(f->fld_data.fld_subject->sbj_value);
			break;
		case MAILIMF_FIELD_MESSAGE_ID:
			if (h->message_id == NULL && f->fld_data.fld_message_id != NULL)
				h->message_id = to_utf8(f->fld_data.fld_message_id->mid_value, -1);
			break;
		case MAILIMF_FIELD_ORIG_DATE:
			if (h->date == NULL && f->fld_data.fld_orig_date != NULL)
				h->date = date_from_imf(f->fld_data.fld_orig_date->dt_date_time);
			break;
		case MAILIMF_FIELD_REPLY_TO:
			if (h->reply_to == NULL && f->fld_data.fld_reply_to != NULL &&
			    f->fld_data.fld_reply_to->rt_addr_list != NULL) {
				clistiter *first =
					clist_begin(f->fld_data.fld_reply_to->rt_addr_list->ad_list);
				struct mailimf_address *a = first ? clist_content(first) : NULL;

				if (a != NULL && a->ad_type == MAILIMF_ADDRESS_MAILBOX &&
				    a->ad_data.ad_mailbox != NULL &&
				    a->ad_data.ad_mailbox->mb_addr_spec != NULL) {
					g_autofree char *spec = to_utf8(a->ad_data.ad_mailbox->mb_addr_spec, -1);

					if (spec != NULL && strchr(spec, '@') != NULL && strlen(spec) <= 254)
						h->reply_to = g_utf8_strdown(spec, -1);
				}
			}
			break;
		case MAILIMF_FIELD_IN_REPLY_TO:
			if (f->fld_data.fld_in_reply_to != NULL)
				add_refs(refs, f->fld_data.fld_in_reply_to->mid_list);
			break;
		case MAILIMF_FIELD_REFERENCES:
			if (f->fld_data.fld_references != NULL)
				add_refs(refs, f->fld_data.fld_references->mid_list);
			break;
		case MAILIMF_FIELD_RETURN_PATH:
			/* "Return-Path: <>": a bounce or a report (RFC 5321, 4.5.5) */
			if (f->fld_data.fld_return_path != NULL &&
			    f->fld_data.fld_return_path->ret_path != NULL &&
			    (f->fld_data.fld_return_path->ret_path->pt_addr_spec == NULL ||
			     f->fld_data.fld_return_path->ret_path->pt_addr_spec[0] == '\0')) {
				if (h->automatic == NULL)
					h->automatic = "Return-Path vide";
				h->auto_reply = TRUE;
			}
			break;
		case MAILIMF_FIELD_OPTIONAL_FIELD:
			if (f->fld_data.fld_optional_field != NULL) {
				const char *why = automatic_field(f->fld_data.fld_optional_field->fld_name,
								  f->fld_data.fld_optional_field->fld_value);

				if (h->automatic == NULL)
					h->automatic = why;
				/* what a program's reply says of itself, not a list's
				 * or a sender's name: a report on our mail may be one */
				h->auto_reply |= why != NULL && (g_str_has_prefix(why, "Auto-Submitted") ||
								 g_str_has_prefix(why, "X-Autoreply") ||
								 g_str_has_prefix(why, "Precedence: auto"));
			}
			break;
		default:
			break;
		}
	}
	if (h->automatic == NULL && mime_address_automatic(h->from_addr))
		h->automatic = "expéditeur automatique (mailer-daemon, no-reply…)";
	if (refs->len > 0 && h->refs == NULL) {
		g_ptr_array_add(refs, NULL);
		h->refs = (char **)g_ptr_array_free(g_steal_pointer(&refs), FALSE);
	}
}

void mime_headers_clear(mime_headers *h)
{
	g_free(h->message_id);
	g_free(h->from_addr);
	g_free(h->from_name);
	g_free(h->reply_to);
	g_free(h->subject);
	g_strfreev(h->refs);
	if (h->date != NULL)
		g_date_time_unref(h->date);
	memset(h, 0, sizeof(*h));
}

static void mime_headers_free(mime_headers *h)
{
	mime_headers_clear(h);
	g_free(h);
}

/* The bytes of data up to MIME_MAX_HEADER, ending at a line end when
 * there is one: what of a header block is read. */
static size_t header_extent(const char *data, size_t len)
{
	const char *nl;

	if (len <= MIME_MAX_HEADER)
		return len;
	nl = memrchr(data, '\n', MIME_MAX_HEADER);
	return nl ? (size_t)(nl - data) + 1 : MIME_MAX_HEADER;
}

void mime_parse_headers(const char *data, size_t len, mime_headers *h)
{
	struct mailimf_fields *fields = NULL;
	size_t idx = 0;

	len = header_extent(data, len);
	memset(h, 0, sizeof(*h));
	if (mailimf_fields_parse(data, len, &idx, &fields) == MAILIMF_NO_ERROR) {
		headers_from_imf(fields, data, len, h);
		mailimf_fields_free(fields);
	}
}

/* ---------------------------------------------------------------- parameters */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = g_ascii_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void percent_decode_into(GByteArray *out, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		int hi, lo;

		if (*p == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
			guint8 b = (guint8)(hi * 16 + lo);

			g_byte_array_append(out, &b, 1);
			p += 2;
		} else {
			g_byte_array_append(out, (const guint8 *)p, 1);
		}
	}
}

/* The parameters of a header, whatever libetpan made of them. */
typedef struct {
	const char *name;
	const char *value;
} param;

/* RFC 2231: name*=charset'lang'%xx.., or name*0*=.. name*1=.. continued;
 * else a plain name="..", possibly with RFC 2047 words (common, if wrong). */
static char *param_value(GArray *params, const char *base)
{
	size_t blen = strlen(base);
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_autofree char *charset = NULL;
	const char *plain = NULL;
	gboolean extended = FALSE;

	for (int seg = 0; seg < 64; seg++) {
		gboolean found = FALSE;

		for (guint i = 0; i < params->len; i++) {
			const param *p = &g_array_index(params, param, i);
			const char *rest;
			char *end;
			long n;

			if (g_ascii_strncasecmp(p->name, base, blen) != 0 || p->name[blen] != '*')
				continue;
			rest = p->name + blen + 1;
			if (rest[0] == '\0') {
				/* name*= : one extended segment, only as segment 0 */
				if (seg != 0)
					continue;
				n = 0;
				end = (char *)rest;
			} else {
				n = strtol(rest, &end, 10);
				if (end == rest || (*end != '\0' && strcmp(end, "*") != 0) || n != seg)
					continue;
			}
			gboolean encoded = rest[0] == '\0' || strcmp(end, "*") == 0;
			const char *v = p->value;

			if (encoded && seg == 0) {
				const char *q1 = strchr(v, '\'');
				const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;

				if (q1 != NULL && q2 != NULL) {
					charset = g_strndup(v, (gsize)(q1 - v));
					v = q2 + 1;
				}
			}
			if (encoded)
				percent_decode_into(bytes, v);
			else
				g_byte_array_append(bytes, (const guint8 *)v, (guint)strlen(v));
			extended = TRUE;
			found = TRUE;
			if (rest[0] == '\0')
				seg = 64;  /* no continuation after name*= */
			break;
		}
		if (!found)
			break;
	}
	if (extended && bytes->len == 0)
		return NULL;   /* filename*=utf-8'' : no name given (make fuzz) */
	if (extended) {
		const char *cs = charset && charset[0] ? charset : "UTF-8";
		char *conv = g_convert((const char *)bytes->data, (gssize)bytes->len, "UTF-8", cs,
				       NULL, NULL, NULL);

		if (conv == NULL)
			conv = to_utf8((const char *)bytes->data, (gssize)bytes->len);
		return conv;
	}
	for (guint i = 0; i < params->len; i++) {
		const param *p = &g_array_index(params, param, i);

		if (g_ascii_strcasecmp(p->name, base) == 0)
			plain = p->value;
	}
	return plain ? decode_words(plain) : NULL;
}

/* The file name as sent, reduced to its last path component. */
static char *clean_filename(char *name)
{
	char *slash;

	if (name == NULL)
		return NULL;
	slash = strrchr(name, '/');
	if (slash == NULL)
		slash = strrchr(name, '\\');
	if (slash != NULL)
		memmove(name, slash + 1, strlen(slash + 1) + 1);
	g_strstrip(name);
	if (name[0] == '\0') {
		g_free(name);
		return NULL;
	}
	return name;
}

/* ---------------------------------------------------------------- tree */

struct mime_message_priv {
	mime_message pub;
	GPtrArray *owned;         /* GBytes: decoded forwards the trees point into */
	GPtrArray *roots;         /* struct mailmime*: the message's, then decoded forwards' */
	/* the scan of the lines, all the message's texts together (the
	 * decoded forwards too) */
	GPtrArray *boundaries;    /* scan_boundary*: the multipart boundaries declared so far */
	guint encoded;            /* forwards sent encoded, decoded */
	int containers;           /* Content-Type headers of multiparts and messages */
	int delimiters;           /* lines that start or end a part */
	guint64 work;             /* bytes scanned, each times the containers before it */
	mime_limit scan_limit;    /* where the scan stopped libetpan */
	int related;              /* multipart/related being walked, around the leaf */
};

/* What libetpan is given at most.  Each level of nesting needs a
 * Content-Type header of a multipart or a message (or, two levels, one
 * of a digest): a few more than the depth limit allows.  Each part needs
 * a delimiter line, its end one too: twice and more the part limit.  And
 * libetpan reads again, at each level, the bytes below it: depth times
 * size is bounded (a 25 MB PDF, base64, under 60 levels passes; 94 MB
 * under 128, 20 s of parsing, does not). */
#define SCAN_MAX_CONTAINERS (MIME_MAX_DEPTH + 16)
#define SCAN_MAX_DELIMITERS (4 * MIME_MAX_PARTS)
#define SCAN_MAX_WORK ((guint64)2 << 30)
#define SCAN_MAX_BOUNDARIES (2 * SCAN_MAX_CONTAINERS)
/* as mime_limit_fr says them */
G_STATIC_ASSERT(SCAN_MAX_CONTAINERS == 80);
G_STATIC_ASSERT(SCAN_MAX_DELIMITERS == 4000);

typedef struct {
	char *text;
	gboolean closed;          /* its closing delimiter ("--B--") was seen */
} scan_boundary;

static void scan_boundary_free(scan_boundary *b)
{
	g_free(b->text);
	g_free(b);
}

const char *mime_limit_fr(mime_limit limit)
{
	switch (limit) {
	case MIME_LIMIT_NONE:
		return "aucune limite atteinte";
	case MIME_LIMIT_HEADER:
		return "en-tête du message de plus de " G_STRINGIFY(MIME_MAX_HEADER_MIB) " Mio";
	case MIME_LIMIT_PART_HEADER:
		return "en-tête d'une partie ou d'un message transféré de plus de "
		       G_STRINGIFY(MIME_MAX_HEADER_MIB) " Mio";
	case MIME_LIMIT_DEPTH:
		return "plus de " G_STRINGIFY(MIME_MAX_DEPTH)
		       " niveaux d'imbrication (messages transférés, parties multiples)";
	case MIME_LIMIT_PARTS:
		return "plus de " G_STRINGIFY(MIME_MAX_PARTS) " parties";
	case MIME_LIMIT_ENCODED:
		return "plus de " G_STRINGIFY(MIME_MAX_ENCODED) " messages transférés encodés";
	case MIME_LIMIT_CONTAINERS:
		return "plus de 80 parties multiples ou messages joints";
	case MIME_LIMIT_LINES:
		return "plus de 4000 lignes de séparation de parties";
	case MIME_LIMIT_WORK:
		return "imbrication trop profonde pour sa taille (plus de 2 Gio à relire, "
		       "niveau par niveau)";
	}
	return "limite inconnue";
}

static void reach(mime_message *m, mime_limit limit)
{
	if (m->limit == MIME_LIMIT_NONE)
		m->limit = limit;
}

static gboolean starts_with_ci(const char *line, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && g_ascii_strncasecmp(line, word, w) == 0;
}

/* Where word is in line[0..n), case aside, or NULL. */
static const char *find_ci(const char *line, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++) {
		if (g_ascii_strncasecmp(line + i, word, w) == 0)
			return line + i;
	}
	return NULL;
}

/* The boundary parameters in line[0..n) (a Content-Type header or one of
 * its continuation lines), remembered as libetpan would read them:
 * boundary = "value" or boundary = token. */
static void remember_boundaries(struct mime_message_priv *mp, const char *line, size_t n)
{
	const char *end = line + n;
	const char *p = line;

	while ((p = find_ci(p, (size_t)(end - p), "boundary")) != NULL) {
		const char *v = p + strlen("boundary");
		const char *v_end;

		p = v;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= end || *v != '=')
			continue;
		v++;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (v < end && *v == '"') {
			v++;
			v_end = memchr(v, '"', (size_t)(end - v));
			if (v_end == NULL)
				v_end = end;
		} else {
			v_end = v;
			while (v_end < end && *v_end != ';' && *v_end != ' ' && *v_end != '\t')
				v_end++;
		}
		if (v_end > v && mp->boundaries->len < SCAN_MAX_BOUNDARIES) {
			scan_boundary *b = g_new0(scan_boundary, 1);

			b->text = g_strndup(v, (gsize)(v_end - v));
			g_ptr_array_add(mp->boundaries, b);
		}
	}
}

/* line[0..n) is "--" and a boundary declared so far: a part starts or
 * ends there (the boundary's end is noted). */
static gboolean delimiter_line(struct mime_message_priv *mp, const char *line, size_t n)
{
	if (n < 3 || line[0] != '-' || line[1] != '-')
		return FALSE;
	for (guint i = mp->boundaries->len; i-- > 0;) {
		scan_boundary *b = mp->boundaries->pdata[i];
		size_t blen = strlen(b->text);

		if (n - 2 >= blen && memcmp(line + 2, b->text, blen) == 0) {
			if (n - 2 >= blen + 2 && line[2 + blen] == '-' && line[3 + blen] == '-')
				b->closed = TRUE;
			return TRUE;
		}
	}
	return FALSE;
}

/* How much of data (a message, or a decoded forward) libetpan may parse:
 * all of it, or the lines before the first limit that a scan of the lines
 * finds (*limit_r).  The scan does not parse MIME; it counts what bounds
 * libetpan's work: the Content-Type headers of multiparts and messages
 * (whatever their spelling: "message /rfc822" is one for libetpan), the
 * lines that start or end a part (the boundaries declared so far), the
 * bytes times the nesting they may be under, and the length of the header
 * blocks it can tell (the message's, each part's, a forward's after its
 * part's). */
static size_t parse_extent(struct mime_message_priv *mp, const char *data, size_t len,
			   mime_limit *limit_r)
{
	size_t pos = 0, header_start = 0, part_start = 0;
	gboolean in_header = TRUE, header_is_top = TRUE;
	gboolean in_content_type = FALSE, counted = FALSE, message_inside = FALSE;

	*limit_r = MIME_LIMIT_NONE;
	while (pos < len) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) + 1 : len - pos;
		size_t text = n - (nl != NULL);

		if (text > 0 && line[text - 1] == '\r')
			text--;
		mp->work += (guint64)(mp->containers + 1) * n;
		if (mp->work > SCAN_MAX_WORK) {
			*limit_r = MIME_LIMIT_WORK;
			return pos;
		}
		if (in_header && text == 0) {
			/* a part that holds a message: its header block follows */
			in_header = message_inside;
			header_start = pos + n;
			message_inside = in_content_type = FALSE;
		} else if (in_header && pos + n - header_start > MIME_MAX_HEADER) {
			*limit_r = header_is_top ? MIME_LIMIT_HEADER : MIME_LIMIT_PART_HEADER;
			return header_is_top ? 0 : part_start;
		}
		if (delimiter_line(mp, line, text)) {
			if (++mp->delimiters > SCAN_MAX_DELIMITERS) {
				*limit_r = MIME_LIMIT_LINES;
				return pos;
			}
			part_start = pos;
			in_header = TRUE;
			header_is_top = FALSE;
			header_start = pos + n;
			in_content_type = message_inside = FALSE;
		} else if (text > 0 && line[0] != ' ' && line[0] != '\t') {
			in_content_type = starts_with_ci(line, text, "content-type");
			counted = FALSE;
		}
		if (in_content_type) {
			gboolean message = find_ci(line, text, "message") != NULL;

			remember_boundaries(mp, line, text);
			message_inside |= message;
			if (!counted && (message || find_ci(line, text, "multipart") != NULL)) {
				counted = TRUE;
				/* cut before this header line: the part it would make
				 * a multipart is an empty text part for libetpan (cut
				 * before the part's delimiter, the multipart above
				 * would have no part, and libetpan's whole tree
				 * would be lost) */
				if (++mp->containers > SCAN_MAX_CONTAINERS) {
					*limit_r = MIME_LIMIT_CONTAINERS;
					return pos;
				}
			}
		}
		pos += n;
	}
	return len;
}

/* libetpan's tree of what parse_extent allows of data (a forward's, when
 * forward); NULL when it cannot parse it.  The tree is kept in mp->roots. */
static struct mailmime *parse_bounded(struct mime_message_priv *mp, const char *data, size_t len,
				      gboolean forward)
{
	struct mailmime *root = NULL;
	mime_limit limit;
	size_t extent = parse_extent(mp, data, len, &limit), idx = 0;

	/* a forward's own header is a part's, for the clerk */
	if (forward && limit == MIME_LIMIT_HEADER)
		limit = MIME_LIMIT_PART_HEADER;
	/* The walk names a limit better (a depth rather than a count of
	 * containers); the scan's is the message's only when the walk
	 * reaches none. */
	if (mp->scan_limit == MIME_LIMIT_NONE)
		mp->scan_limit = limit;
	if (extent == 0)
		return NULL;
	if (extent < len) {
		/* Cut: what is open is closed, a part's header by a blank line
		 * and each multipart by its closing delimiter, innermost first;
		 * else libetpan reads the multiparts left open as half as many
		 * levels, and the depth they reach goes unseen.  The copy is
		 * what the tree points into. */
		GByteArray *cut = g_byte_array_sized_new((guint)extent + 64);
		GBytes *bytes;

		g_byte_array_append(cut, (const guint8 *)data, (guint)extent);
		g_byte_array_append(cut, (const guint8 *)"\r\n\r\n", 4);
		for (guint i = mp->boundaries->len; i-- > 0;) {
			scan_boundary *b = mp->boundaries->pdata[i];

			if (b->closed)
				continue;
			g_byte_array_append(cut, (const guint8 *)"--", 2);
			g_byte_array_append(cut, (const guint8 *)b->text, (guint)strlen(b->text));
			g_byte_array_append(cut, (const guint8 *)"--\r\n", 4);
			b->closed = TRUE;
		}
		bytes = g_byte_array_free_to_bytes(cut);
		g_ptr_array_add(mp->owned, bytes);
		data = g_bytes_get_data(bytes, &extent);
	}
	if (mailmime_parse(data, extent, &idx, &root) != MAILIMF_NO_ERROR)
		return NULL;
	g_ptr_array_add(mp->roots, root);
	return root;
}

static char *content_type_string(const struct mailmime_content *ct)
{
	const char *type = "text";
	g_autofree char *lower = NULL;

	if (ct == NULL || ct->ct_type == NULL)
		return g_strdup("text/plain");
	if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		const struct mailmime_discrete_type *d = ct->ct_type->tp_data.tp_discrete_type;

		switch (d->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT: type = "text"; break;
		case MAILMIME_DISCRETE_TYPE_IMAGE: type = "image"; break;
		case MAILMIME_DISCRETE_TYPE_AUDIO: type = "audio"; break;
		case MAILMIME_DISCRETE_TYPE_VIDEO: type = "video"; break;
		case MAILMIME_DISCRETE_TYPE_APPLICATION: type = "application"; break;
		default: type = d->dt_extension ? d->dt_extension : "application"; break;
		}
	} else {
		const struct mailmime_composite_type *c = ct->ct_type->tp_data.tp_composite_type;

		type = c->ct_type == MAILMIME_COMPOSITE_TYPE_MESSAGE     ? "message"
		       : c->ct_type == MAILMIME_COMPOSITE_TYPE_MULTIPART ? "multipart"
		       : c->ct_token ? c->ct_token : "application";
	}
	lower = g_strdup_printf("%s/%s", type, ct->ct_subtype ? ct->ct_subtype : "octet-stream");
	return g_ascii_strdown(lower, -1);
}

static void collect_content_params(const struct mailmime_content *ct, GArray *params)
{
	if (ct == NULL || ct->ct_parameters == NULL)
		return;
	for (clistiter *it = clist_begin(ct->ct_parameters); it; it = clist_next(it)) {
		struct mailmime_parameter *p = clist_content(it);
		param v = { p->pa_name, p->pa_value };

		if (p->pa_name != NULL && p->pa_value != NULL)
			g_array_append_val(params, v);
	}
}

/* Disposition, transfer encoding and disposition parameters of a part. */
static void read_fields(const struct mailmime_fields *fields, gboolean *attachment,
			int *encoding, GArray *params)
{
	if (fields == NULL)
		return;
	for (clistiter *it = clist_begin(fields->fld_list); it; it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);

		if (f->fld_type == MAILMIME_FIELD_TRANSFER_ENCODING && f->fld_data.fld_encoding) {
			*encoding = f->fld_data.fld_encoding->enc_type;
		} else if (f->fld_type == MAILMIME_FIELD_DISPOSITION && f->fld_data.fld_disposition) {
			struct mailmime_disposition *d = f->fld_data.fld_disposition;

			if (d->dsp_type != NULL)
				*attachment = d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
			for (clistiter *pi = clist_begin(d->dsp_parms); pi; pi = clist_next(pi)) {
				struct mailmime_disposition_parm *dp = clist_content(pi);
				param v = { 0 };

				if (dp->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME) {
					v.name = "filename";
					v.value = dp->pa_data.pa_filename;
				} else if (dp->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER &&
					   dp->pa_data.pa_parameter != NULL) {
					v.name = dp->pa_data.pa_parameter->pa_name;
					v.value = dp->pa_data.pa_parameter->pa_value;
				}
				if (v.name != NULL && v.value != NULL)
					g_array_append_val(params, v);
			}
		}
	}
}

static void walk(struct mime_message_priv *mp, struct mailmime *node, const char *path,
		 int depth, const mime_headers *envelope);

static void add_leaf(struct mime_message_priv *mp, struct mailmime *node, const char *path,
		     int depth, const mime_headers *envelope)
{
	mime_message *m = &mp->pub;
	g_autoptr(GArray) dparams = g_array_new(FALSE, FALSE, sizeof(param));
	g_autoptr(GArray) cparams = g_array_new(FALSE, FALSE, sizeof(param));
	struct mailmime_data *body = node->mm_data.mm_single;
	mime_part *p;
	gboolean attachment = FALSE;
	int encoding = MAILMIME_MECHANISM_8BIT;
	char *type = content_type_string(node->mm_content_type);

	read_fields(node->mm_mime_fields, &attachment, &encoding, dparams);
	collect_content_params(node->mm_content_type, cparams);

	if (m->parts->len >= MIME_MAX_PARTS) {
		reach(m, MIME_LIMIT_PARTS);
		g_free(type);
		return;
	}
	/* A forwarded message that libetpan left whole because it was encoded:
	 * decode it and go inside (its own text is bounded as the message's
	 * was, and counts with it). */
	if (g_str_equal(type, "message/rfc822") && body != NULL &&
	    body->dt_type == MAILMIME_DATA_TEXT &&
	    (encoding == MAILMIME_MECHANISM_BASE64 ||
	     encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE)) {
		if (mp->encoded >= MIME_MAX_ENCODED || depth >= MIME_MAX_DEPTH) {
			reach(m, mp->encoded >= MIME_MAX_ENCODED ? MIME_LIMIT_ENCODED
								 : MIME_LIMIT_DEPTH);
			g_free(type);
			return;
		}
		mime_part tmp = { .body = body->dt_data.dt_text.dt_data,
				  .body_len = body->dt_data.dt_text.dt_length,
				  .encoding = encoding };
		/* decoded, it is smaller than its encoding */
		GBytes *inner = mime_part_decode(&tmp, tmp.body_len, NULL);
		gsize ilen;
		const char *idata = g_bytes_get_data(inner, &ilen);
		struct mailmime *root;

		g_ptr_array_add(mp->owned, inner);
		mp->encoded++;
		root = parse_bounded(mp, idata, ilen, TRUE);
		if (root != NULL) {
			g_free(type);
			walk(mp, root, path, depth + 1, envelope);
			return;
		}
	}

	p = g_new0(mime_part, 1);
	p->path = g_strdup(path);
	p->declared_type = type;
	p->attachment = attachment;
	p->envelope = envelope;
	p->encoding = encoding;
	p->filename = clean_filename(param_value(dparams, "filename"));
	if (p->filename == NULL)
		p->filename = clean_filename(param_value(cparams, "name"));
	p->in_related = mp->related > 0;
	p->is_body_text = p->filename == NULL && !attachment &&
			  (g_str_equal(type, "text/plain") || g_str_equal(type, "text/html"));
	if (body != NULL && body->dt_type == MAILMIME_DATA_TEXT) {
		p->body = body->dt_data.dt_text.dt_data;
		p->body_len = body->dt_data.dt_text.dt_length;
	}
	g_ptr_array_add(m->parts, p);
}

static void walk(struct mime_message_priv *mp, struct mailmime *node, const char *path,
		 int depth, const mime_headers *envelope)
{
	mime_message *m = &mp->pub;

	if (node == NULL)
		return;
	if (depth > MIME_MAX_DEPTH) {
		reach(m, MIME_LIMIT_DEPTH);
		return;
	}
	switch (node->mm_type) {
	case MAILMIME_SINGLE:
		add_leaf(mp, node, path[0] ? path : "1", depth, envelope);
		break;
	case MAILMIME_MULTIPLE: {
		int i = 1;
		gboolean related = node->mm_content_type != NULL &&
				   node->mm_content_type->ct_subtype != NULL &&
				   g_ascii_strcasecmp(node->mm_content_type->ct_subtype, "related") == 0;

		for (clistiter *it = clist_begin(node->mm_data.mm_multipart.mm_mp_list); it;
		     it = clist_next(it), i++) {
			g_autofree char *sub = path[0] ? g_strdup_printf("%s.%d", path, i)
						       : g_strdup_printf("%d", i);

			mp->related += related;
			walk(mp, clist_content(it), sub, depth + 1, envelope);
			mp->related -= related;
		}
		break;
	}
	case MAILMIME_MESSAGE: {
		const mime_headers *env = envelope;

		/* The top of the tree is the message itself; below, a forward. */
		if (envelope != NULL) {
			mime_headers *h = g_new0(mime_headers, 1);

			headers_from_imf(node->mm_data.mm_message.mm_fields, node->mm_mime_start,
					 node->mm_length, h);
			g_ptr_array_add(m->inner, h);
			env = h;
		}
		walk(mp, node->mm_data.mm_message.mm_msg_mime, path, depth + 1,
		     env ? env : &m->headers);
		break;
	}
	default:
		break;
	}
}

mime_message *mime_parse(const char *data, size_t len, GError **error)
{
	struct mime_message_priv *mp;
	struct mailmime *root;

	if (len == 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_PERMANENT, "message vide");
		return NULL;
	}
	mp = g_new0(struct mime_message_priv, 1);
	mp->pub.parts = g_ptr_array_new();
	mp->pub.inner = g_ptr_array_new_with_free_func((GDestroyNotify)mime_headers_free);
	mp->owned = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	mp->roots = g_ptr_array_new();
	mp->boundaries = g_ptr_array_new_with_free_func((GDestroyNotify)scan_boundary_free);
	root = parse_bounded(mp, data, len, FALSE);
	if (root == NULL && mp->scan_limit == MIME_LIMIT_HEADER) {
		/* its headers as far as they are read; no part */
		reach(&mp->pub, MIME_LIMIT_HEADER);
		mime_parse_headers(data, len, &mp->pub.headers);
		return &mp->pub;
	}
	if (root == NULL) {
		mime_message_free(&mp->pub);
		g_set_error(error, MO_ERROR, MO_ERROR_PERMANENT, "ce n'est pas un message MIME");
		return NULL;
	}
	if (root->mm_type == MAILMIME_MESSAGE) {
		headers_from_imf(root->mm_data.mm_message.mm_fields, data, len, &mp->pub.headers);
		walk(mp, root->mm_data.mm_message.mm_msg_mime, "", 1, &mp->pub.headers);
	} else {
		walk(mp, root, "", 1, &mp->pub.headers);
	}
	reach(&mp->pub, mp->scan_limit);
	return &mp->pub;
}

static void mime_part_free(mime_part *p)
{
	g_free(p->path);
	g_free(p->filename);
	g_free(p->declared_type);
	g_free(p);
}

void mime_message_free(mime_message *m)
{
	struct mime_message_priv *mp = (struct mime_message_priv *)m;

	if (m == NULL)
		return;
	for (guint i = 0; i < m->parts->len; i++)
		mime_part_free(m->parts->pdata[i]);
	g_ptr_array_unref(m->parts);
	g_ptr_array_unref(m->inner);
	mime_headers_clear(&m->headers);
	/* The trees point into the decoded buffers: free them first. */
	for (guint i = mp->roots->len; i-- > 0;)
		mailmime_free(mp->roots->pdata[i]);
	g_ptr_array_unref(mp->roots);
	g_ptr_array_unref(mp->owned);
	g_ptr_array_unref(mp->boundaries);
	g_free(mp);
}

/* ---------------------------------------------------------------- decoding */

typedef struct {
	mime_chunk_fn *fn;
	void *ctx;
	guint8 buf[DECODE_CHUNK];
	size_t len;
	gboolean stopped;
} sink;

static void sink_put(sink *s, const guint8 *data, size_t len)
{
	while (len > 0 && !s->stopped) {
		size_t n = MIN(len, sizeof(s->buf) - s->len);

		memcpy(s->buf + s->len, data, n);
		s->len += n;
		data += n;
		len -= n;
		if (s->len == sizeof(s->buf)) {
			s->stopped = s->fn(s->buf, s->len, s->ctx) != 0;
			s->len = 0;
		}
	}
}

static void sink_flush(sink *s)
{
	if (s->len > 0 && !s->stopped)
		s->stopped = s->fn(s->buf, s->len, s->ctx) != 0;
	s->len = 0;
}

static void decode_base64(sink *s, const char *in, size_t len)
{
	guint8 out[DECODE_CHUNK];
	b64_state state = B64_STATE_INIT;
	/* 3 bytes out per 4 in: a slice that cannot overflow out */
	const size_t slice = (sizeof(out) / 3) * 4 - 4;

	for (size_t off = 0; off < len && !s->stopped; off += slice) {
		size_t n = MIN(slice, len - off);
		size_t got = b64_decode_step(&state, in + off, n, out);

		sink_put(s, out, got);
	}
}

static void decode_qp(sink *s, const char *in, size_t len)
{
	for (size_t i = 0; i < len && !s->stopped; i++) {
		guint8 c = (guint8)in[i];
		int hi, lo;

		if (c != '=') {
			sink_put(s, &c, 1);
			continue;
		}
		if (i + 2 < len && (hi = hex_value(in[i + 1])) >= 0 &&
		    (lo = hex_value(in[i + 2])) >= 0) {
			guint8 b = (guint8)(hi * 16 + lo);

			sink_put(s, &b, 1);
			i += 2;
			continue;
		}
		/* A soft line break: "=" then optional blanks then the line end. */
		size_t j = i + 1;

		while (j < len && (in[j] == ' ' || in[j] == '\t'))
			j++;
		if (j < len && in[j] == '\r')
			j++;
		if (j < len && in[j] == '\n') {
			i = j;
			continue;
		}
		if (j >= len) {
			i = j;
			continue;
		}
		sink_put(s, &c, 1);  /* a lone '=': keep it, as readers do */
	}
}

int mime_part_decode_each(const mime_part *p, mime_chunk_fn *fn, void *ctx)
{
	sink *s = g_new0(sink, 1);
	int stopped;

	s->fn = fn;
	s->ctx = ctx;
	if (p->body != NULL) {
		switch (p->encoding) {
		case MAILMIME_MECHANISM_BASE64:
			decode_base64(s, p->body, p->body_len);
			break;
		case MAILMIME_MECHANISM_QUOTED_PRINTABLE:
			decode_qp(s, p->body, p->body_len);
			break;
		default:
			sink_put(s, (const guint8 *)p->body, p->body_len);
			break;
		}
	}
	sink_flush(s);
	stopped = s->stopped;
	g_free(s);
	return stopped ? 1 : 0;
}

typedef struct {
	GByteArray *out;
	size_t max;
	gboolean truncated;
} bounded;

static int bounded_chunk(const void *chunk, size_t len, void *ctx)
{
	bounded *b = ctx;
	size_t room = b->max - b->out->len;

	g_byte_array_append(b->out, chunk, (guint)MIN(room, len));
	if (len > room) {
		b->truncated = TRUE;
		return 1;
	}
	return 0;
}

GBytes *mime_part_decode(const mime_part *p, size_t max, gboolean *truncated_r)
{
	bounded b = { .out = g_byte_array_new(), .max = max };

	mime_part_decode_each(p, bounded_chunk, &b);
	if (truncated_r)
		*truncated_r = b.truncated;
	return g_byte_array_free_to_bytes(b.out);
}

/* ---------------------------------------------------------------- composing */

static gboolean is_plain_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((guchar)*s < 0x20 || (guchar)*s > 0x7e)
			return FALSE;
	}
	return TRUE;
}

/* A header text as RFC 2047 words when it is not plain ASCII: base64
 * words of at most 30 bytes of UTF-8 each (52 characters encoded: the
 * first fits on the header's own line, so libetpan does not fold before
 * it), never cutting a character.  Owned (malloc: libetpan frees it). */
static char *header_text(const char *utf8)
{
	GString *out;
	const char *p = utf8;

	if (is_plain_ascii(utf8))
		return strdup(utf8);
	out = g_string_new(NULL);
	while (*p != '\0') {
		const char *end = p;
		g_autofree char *b64 = NULL;

		while (*end != '\0' && end - p < 30) {
			const char *next = g_utf8_next_char(end);

			if (next - p > 30)
				break;
			end = next;
		}
		if (end == p)
			end = g_utf8_next_char(p);
		b64 = g_base64_encode((const guchar *)p, (gsize)(end - p));
		g_string_append_printf(out, "%s=?UTF-8?B?%s?=", out->len ? " " : "", b64);
		p = end;
	}
	{
		char *copy = strdup(out->str);

		g_string_free(out, TRUE);
		return copy;
	}
}

/* An RFC 2231 value: UTF-8'' then the bytes, those outside the token
 * characters as %XX.  Owned (malloc). */
static char *rfc2231_value(const char *utf8)
{
	GString *out = g_string_new("UTF-8''");
	char *copy;

	for (const guchar *p = (const guchar *)utf8; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p) || strchr("!#$&+-.^_`|~", *p) != NULL)
			g_string_append_c(out, (char)*p);
		else
			g_string_append_printf(out, "%%%02X", *p);
	}
	copy = strdup(out->str);
	g_string_free(out, TRUE);
	return copy;
}

static struct mailimf_fields *compose_headers(const mime_mail *m)
{
	struct mailimf_mailbox_list *from = mailimf_mailbox_list_new_empty();
	struct mailimf_address_list *to = mailimf_address_list_new_empty();
	struct mailimf_date_time *date;
	struct mailimf_fields *fields;
	clist *in_reply_to = NULL, *references = NULL;
	int offset_min = (int)(g_date_time_get_utc_offset(m->date) / G_TIME_SPAN_MINUTE);

	mailimf_mailbox_list_add(from, mailimf_mailbox_new(m->from_name ? header_text(m->from_name)
									 : NULL,
							   strdup(m->from_addr)));
	for (guint i = 0; m->to[i] != NULL; i++)
		mailimf_address_list_add_mb(to, NULL, strdup(m->to[i]));
	/* libetpan writes the zone as a number: +0100 is 100 */
	date = mailimf_date_time_new(g_date_time_get_day_of_month(m->date),
				     g_date_time_get_month(m->date), g_date_time_get_year(m->date),
				     g_date_time_get_hour(m->date), g_date_time_get_minute(m->date),
				     g_date_time_get_second(m->date),
				     (offset_min / 60) * 100 + offset_min % 60);
	if (m->in_reply_to != NULL) {
		in_reply_to = clist_new();
		clist_append(in_reply_to, strdup(m->in_reply_to));
		references = clist_new();
		clist_append(references, strdup(m->in_reply_to));
	}
	fields = mailimf_fields_new_with_data_all(date, from, NULL, NULL, to, NULL, NULL,
						  strdup(m->message_id), in_reply_to, references,
						  header_text(m->subject));
	if (m->auto_replied)
		mailimf_fields_add(fields, mailimf_field_new_custom(strdup("Auto-Submitted"),
								    strdup("auto-replied")));
	return fields;
}

static struct mailmime *compose_attachment(const mime_attachment *at)
{
	struct mailmime_mechanism *base64 = mailmime_mechanism_new(MAILMIME_MECHANISM_BASE64, NULL);
	struct mailmime_disposition *dsp =
		mailmime_disposition_new_with_data(MAILMIME_DISPOSITION_TYPE_ATTACHMENT,
						   is_plain_ascii(at->name) ? strdup(at->name) : NULL,
						   NULL, NULL, NULL, (size_t)-1);
	struct mailmime_fields *fields;
	struct mailmime_content *content = mailmime_content_new_with_str(at->content_type);
	struct mailmime *part;
	gsize len = 0;
	const char *data = g_bytes_get_data(at->data, &len);

	if (!is_plain_ascii(at->name))
		clist_append(dsp->dsp_parms,
			     mailmime_disposition_parm_new(MAILMIME_DISPOSITION_PARM_PARAMETER, NULL,
							   NULL, NULL, NULL, 0,
							   mailmime_parameter_new(strdup("filename*"),
										  rfc2231_value(at->name))));
	fields = mailmime_fields_new_with_data(base64, NULL, NULL, dsp, NULL);
	part = mailmime_new_empty(content, fields);
	/* not copied: at->data outlives the writing */
	mailmime_set_body_text(part, (char *)(data ? data : ""), len);
	return part;
}

GBytes *mime_compose(const mime_mail *m, GError **error)
{
	struct mailmime *message = mailmime_new_message_data(NULL);
	struct mailmime *mixed = mailmime_multiple_new("multipart/mixed");
	struct mailmime_content *text_type = mailmime_content_new_with_str("text/plain");
	struct mailmime *text;
	MMAPString *out = mmap_string_new("");
	GBytes *raw = NULL;
	int col = 0;
	int rc;

	mailmime_set_imf_fields(message, compose_headers(m));
	char charset[] = "charset", utf8[] = "utf-8";  /* copied by libetpan */

	clist_append(text_type->ct_parameters, mailmime_param_new_with_data(charset, utf8));
	text = mailmime_new_empty(text_type,
				  mailmime_fields_new_encoding(MAILMIME_MECHANISM_QUOTED_PRINTABLE));
	mailmime_set_body_text(text, (char *)m->text, strlen(m->text));
	rc = mailmime_smart_add_part(mixed, text);
	for (guint i = 0; rc == MAILIMF_NO_ERROR && i < m->n_attachments; i++)
		rc = mailmime_smart_add_part(mixed, compose_attachment(&m->attachments[i]));
	if (rc == MAILIMF_NO_ERROR)
		rc = mailmime_smart_add_part(message, mixed);
	if (rc == MAILIMF_NO_ERROR)
		rc = mailmime_write_mem(out, &col, message);
	if (rc == MAILIMF_NO_ERROR)
		raw = g_bytes_new(out->str, out->len);
	else
		g_set_error(error, MO_ERROR, MO_ERROR_FAILED,
			    "courriel : composition impossible (libetpan, code %d)", rc);
	mmap_string_free(out);
	mailmime_free(message);
	return raw;
}

char *mime_message_id_new(const char *domain)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%d%H%M%S");

	return g_strdup_printf("%s.%08x%08x@%s", stamp, g_random_int(), g_random_int(),
			       domain && domain[0] ? domain : "mailorder.invalid");
}
