/* mailing.c: the mails about an order, written and queued (mailing.h). */
#include "orders/mailing.h"

#include "lib/dates.h"
#include "lib/error.h"
#include "lib/money.h"
#include "lib/fsutil.h"
#include "mail/mime.h"
#include "store/db_outbox.h"

#include <string.h>

#ifndef MO_TEMPLATES_SHIPPED_DIR
#define MO_TEMPLATES_SHIPPED_DIR "templates"
#endif

#define MAIL_TEXT_MAX (64 * 1024)

/* The text of kind's mail: the site's, else the shipped one.  Owned, with
 * its path in *path_r. */
static char *mail_text(const config *cfg, mail_kind kind, char **path_r, GError **error)
{
	g_autofree char *name = g_strdup_printf("%s.txt", mail_kind_name(kind));
	char *site = g_build_filename(cfg->dir, "templates", "mails", name, NULL);
	char *text = NULL;
	size_t len = 0;

	*path_r = g_file_test(site, G_FILE_TEST_EXISTS)
			  ? site
			  : (g_free(site), g_build_filename(MO_TEMPLATES_SHIPPED_DIR, "mails", name, NULL));
	if (fsutil_read_file(*path_r, MAIL_TEXT_MAX, &text, &len, error) < 0)
		return NULL;
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s : pas de l'UTF-8", *path_r);
		g_free(text);
		return NULL;
	}
	return text;
}

/* text with its {name} and {name|default} replaced from values; -1 with
 * FILE:LINE: why for a name values lacks or a brace left open. */
static int fill(const char *text, GHashTable *values, const char *path, int line_base,
		GString *out, GError **error)
{
	int line = line_base;

	for (const char *p = text; *p != '\0'; p++) {
		const char *q, *bar = NULL;
		int depth = 0;

		if (*p == '\n')
			line++;
		if (*p != '{') {
			g_string_append_c(out, *p);
			continue;
		}
		for (q = p + 1; *q != '\0'; q++) {
			if (*q == '{')
				depth++;
			else if (*q == '}' && depth-- == 0)
				break;
			else if (*q == '|' && depth == 0 && bar == NULL)
				bar = q;
		}
		if (*q != '}') {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s:%d: « { » sans « } »", path, line);
			return -1;
		}
		{
			g_autofree char *name = g_strndup(p + 1, (gsize)((bar ? bar : q) - p - 1));
			const char *value = g_hash_table_lookup(values, g_strstrip(name));

			if (!g_hash_table_contains(values, name)) {
				g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
					    "%s:%d: valeur inconnue {%s}", path, line, name);
				return -1;
			}
			if ((value == NULL || value[0] == '\0') && bar != NULL) {
				g_autofree char *dflt = g_strndup(bar + 1, (gsize)(q - bar - 1));

				if (fill(dflt, values, path, line, out, error) < 0)
					return -1;
			} else if (value != NULL) {
				g_string_append(out, value);
			}
		}
		p = q;
	}
	return 0;
}

/* "Sweetie Bio <commandes@sweetiebio.fr>" -> name and address (owned). */
static void split_from(const char *from, char **name_r, char **addr_r)
{
	const char *lt = from ? strchr(from, '<') : NULL;
	const char *gt = lt ? strchr(lt, '>') : NULL;

	*name_r = *addr_r = NULL;
	if (from == NULL)
		return;
	if (lt == NULL || gt == NULL) {
		*addr_r = g_strstrip(g_strdup(from));
		return;
	}
	*addr_r = g_strndup(lt + 1, (gsize)(gt - lt - 1));
	*name_r = g_strstrip(g_strndup(from, (gsize)(lt - from)));
	if ((*name_r)[0] == '\0')
		g_clear_pointer(name_r, g_free);
}

/* The address a mail leaves from: [smtp] from, else the company's. */
static int sender_of(const config *cfg, char **name_r, char **addr_r, const char **why_r)
{
	split_from(cfg->smtp_from, name_r, addr_r);
	if (*addr_r == NULL && cfg->company.email != NULL) {
		*addr_r = g_strdup(cfg->company.email);
		g_free(*name_r);
		*name_r = g_strdup(cfg->company.name);
	}
	if (*addr_r == NULL) {
		*why_r = "pas d'adresse d'expéditeur ([smtp] from, ou [company] email)";
		return 1;
	}
	return 0;
}

/* What a mail is about: the rest is the template's. */
typedef struct {
	mail_kind kind;
	GHashTable *values;
	const char *to;
	const char *in_reply_to;      /* the customer's message, or NULL */
	gboolean auto_replied;        /* RFC 3834: an answer no person wrote */
	archive *a;                   /* where files are, when there are */
	const char *const *files;     /* relative to the archive, NULL-ended, or NULL */
	int64_t order_id, message_ref;
} mail_request;

/* Writes r's mail from its template, composes it and queues it in the
 * caller's transaction; as mailing_queue.  *db_failed_r: whether a -1
 * came from the database (else from writing the mail). */
static int compose_and_queue(const config *cfg, db *d, const mail_request *r,
			     char **message_id_r, const char **why_r, gboolean *db_failed_r,
			     GError **error)
{
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	g_autofree char *from_name = NULL;
	g_autofree char *from_addr = NULL;
	g_autofree char *message_id = NULL;
	g_autoptr(GString) body = g_string_new(NULL);
	g_autoptr(GString) subject = g_string_new(NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) attachments = g_array_new(FALSE, TRUE, sizeof(mime_attachment));
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(outbox_mail) m = outbox_mail_new();
	const char *recipients[2] = { r->to, NULL };
	const char *newline, *domain;
	mime_mail mail = { 0 };

	*db_failed_r = FALSE;
	if (sender_of(cfg, &from_name, &from_addr, why_r) != 0)
		return 1;
	text = mail_text(cfg, r->kind, &path, error);
	if (text == NULL)
		return -1;
	newline = strchr(text, '\n');
	if (!g_str_has_prefix(text, "Objet :") || newline == NULL) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "%s:1: la première ligne donne l'objet : « Objet : … »", path);
		return -1;
	}
	{
		g_autofree char *first = g_strndup(text + strlen("Objet :"),
						   (gsize)(newline - text - strlen("Objet :")));

		if (fill(g_strstrip(first), r->values, path, 1, subject, error) < 0 ||
		    fill(newline + 1, r->values, path, 2, body, error) < 0)
			return -1;
	}
	for (guint i = 0; r->files != NULL && r->files[i] != NULL; i++) {
		g_autoptr(GMappedFile) map = archive_map(r->a, r->files[i], error);
		mime_attachment at = { 0 };

		if (map == NULL)
			return -1;
		g_ptr_array_add(names, g_path_get_basename(r->files[i]));
		g_ptr_array_add(kept, g_mapped_file_get_bytes(map));
		at.name = names->pdata[names->len - 1];
		at.content_type = "application/pdf";
		at.data = kept->pdata[kept->len - 1];
		g_array_append_val(attachments, at);
	}
	domain = strchr(from_addr, '@');
	message_id = mime_message_id_new(domain ? domain + 1 : NULL);
	mail.from_name = from_name;
	mail.from_addr = from_addr;
	mail.to = recipients;
	mail.subject = subject->str;
	mail.text = body->str;
	mail.message_id = message_id;
	mail.in_reply_to = r->in_reply_to;
	mail.auto_replied = r->auto_replied;
	mail.date = now;
	mail.attachments = (const mime_attachment *)attachments->data;
	mail.n_attachments = attachments->len;
	m->raw = mime_compose(&mail, error);
	if (m->raw == NULL)
		return -1;
	m->kind = r->kind;
	m->to = g_strdupv((char **)recipients);
	m->bcc = g_strdup(cfg->outbound.bcc);
	m->envelope_from = g_strdup(from_addr);
	m->subject = g_strdup(subject->str);
	m->message_id = g_strdup(message_id);
	g_ptr_array_add(names, NULL);
	m->attachments = g_strdupv((char **)names->pdata);
	if (db_outbox_queue(d, m, r->order_id, r->message_ref, error) < 0) {
		*db_failed_r = TRUE;
		return -1;
	}
	if (message_id_r != NULL)
		*message_id_r = g_steal_pointer(&message_id);
	return 0;
}

int mailing_queue(const filing *f, mail_kind kind, const customer *c, const order *o,
		  const invoice *inv, const char *const *files, char **message_id_r,
		  const char **why_r, GError **error)
{
	g_autoptr(GHashTable) values = filing_mail_values(f, c, o, inv);
	/* where the sender asked answers to go; else who sent it, unless a
	 * program no one reads (a no-reply address): the customer file then */
	const char *to = o->source_reply_to ? o->source_reply_to
			 : o->source_from && !mime_address_automatic(o->source_from) ? o->source_from
			 : c->emails ? c->emails[0] : NULL;
	mail_request r = {
		.kind = kind, .values = values, .to = to, .in_reply_to = o->source_message_id,
		.a = f->a, .files = files, .order_id = o->id,
	};

	gboolean db_failed;

	*message_id_r = NULL;
	*why_r = NULL;
	if (to == NULL) {
		*why_r = "ni l'adresse d'où vient la commande, ni e-mail au fichier client";
		return 1;
	}
	return compose_and_queue(f->cfg, f->d, &r, message_id_r, why_r, &db_failed, error);
}

/* ---------------------------------------------------------------- automatic answers */

/* What the customer can do about an attachment we could not take in; NULL
 * when there is nothing to tell them (the clerk deals with it).
 * sent_files: the files the sender attached. */
static char *problem_text(const quarantine_entry *q, int max_mb, int sent_files)
{
	g_autofree char *name = q->attachment ? g_strdup_printf("« %s »", q->attachment)
					      : g_strdup("votre message");

	switch (q->reason) {
	case QR_NOT_PDF:
		return g_strdup_printf("%s n'est pas un PDF lisible : merci de nous renvoyer votre bon "
				       "de commande au format PDF.", name);
	case QR_UNREADABLE_PDF:
		return g_strdup_printf("%s est un PDF abîmé ou protégé par un mot de passe : merci de "
				       "nous le renvoyer sans protection.", name);
	case QR_NO_TEXT:
		return g_strdup_printf("%s : nous n'avons pu y lire aucun texte. Merci de nous envoyer "
				       "le PDF produit par votre logiciel, ou une numérisation plus "
				       "nette (300 points par pouce).", name);
	case QR_TOO_LARGE:
		return g_strdup_printf("%s est trop volumineux (nous acceptons %d Mo au plus) : merci "
				       "de nous le renvoyer en PDF plus léger.", name, max_mb);
	case QR_NOT_READ:
		return g_strdup_printf("%s compte trop de pages numérisées pour être lu "
				       "automatiquement : nous le saisirons à la main.", name);
	case QR_DUPLICATE:
		return g_strdup_printf("%s nous est déjà parvenu%s%s%s : il n'est pas enregistré une "
				       "seconde fois.", name,
				       q->duplicate_of ? " (" : "",
				       q->duplicate_of ? q->duplicate_of : "",
				       q->duplicate_of ? ")" : "");
	case QR_UNREADABLE_MESSAGE:
	case QR_TOO_COMPLEX:
		return g_strdup("Votre message n'a pas pu être lu en entier : merci de nous renvoyer "
				"votre bon de commande en PDF, joint à un message simple.");
	case QR_NO_ORDER_DOCUMENT:
		/* a message with no file attached (a question, a reply with the
		 * logo of a signature) is a person's, for a clerk */
		return sent_files > 0
			       ? g_strdup("Nous n'avons trouvé aucun bon de commande en PDF parmi les "
					  "pièces jointes : merci de nous le renvoyer au format PDF.")
			       : NULL;
	}
	return NULL;
}

/* What we read of o, for its sender to check. */
static void describe_order(GString *out, const order *o)
{
	g_autofree char *po_date = date_fr(o->order_date);
	g_autofree char *wanted = date_fr(o->delivery_date);

	g_string_append_printf(out, "Notre commande n° %s", o->number);
	if (o->customer_order_ref != NULL)
		g_string_append_printf(out, ", votre bon de commande n° %s", o->customer_order_ref);
	if (o->order_date != NULL)
		g_string_append_printf(out, " du %s", po_date);
	if (o->source_attachment != NULL)
		g_string_append_printf(out, " (fichier « %s »)", o->source_attachment);
	g_string_append(out, " :\n");
	if (o->lines->len == 0)
		g_string_append(out, "  aucune ligne n'a pu être lue : nous la saisirons à la main.\n");
	for (guint i = 0; i < o->lines->len; i++) {
		const order_line *l = o->lines->pdata[i];
		g_autofree char *q = money_format_scaled_fr(l->qty_milli, MONEY_MILLI);
		const char *ref = l->product_ref ? l->product_ref : l->customer_ref;

		g_string_append_printf(out, "  %u. %s%s%s", i + 1, ref ? ref : "", ref ? " — " : "",
				       l->description ? l->description : "");
		if (l->product_ref == NULL)
			g_string_append(out, " (produit non reconnu : nous le vérifierons)");
		g_string_append_printf(out, " : %s", q);
		if (l->unit_price_cents.known) {
			g_autofree char *pu = money_format_euros_fr(l->unit_price_cents.value);

			g_string_append_printf(out, " × %s HT", pu);
		}
		if (l->line_total_cents.known) {
			g_autofree char *t = money_format_euros_fr(l->line_total_cents.value);

			g_string_append_printf(out, " = %s HT", t);
		}
		g_string_append_c(out, '\n');
	}
	if (o->lines->len > 0) {
		g_autofree char *ht = money_format_euros_fr(o->total_ht_cents);

		g_string_append_printf(out, "  Total lu : %s HT\n", ht);
	}
	if (o->delivery_date != NULL)
		g_string_append_printf(out, "  Livraison souhaitée le %s\n", wanted);
}

static gboolean same_address(const char *a, const char *b)
{
	return a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0;
}

/* One of the addresses mail leaves from or arrives at: we never answer
 * them, nor a message forged to come from them. */
static gboolean our_address(const config *cfg, const char *addr)
{
	g_autofree char *from_name = NULL;
	g_autofree char *from_addr = NULL;

	split_from(cfg->smtp_from, &from_name, &from_addr);
	return same_address(addr, from_addr) || same_address(addr, cfg->company.email) ||
	       same_address(addr, cfg->imap.user) || same_address(addr, cfg->smtp.user) ||
	       same_address(addr, cfg->outbound.bcc);
}

int mailing_answer(const filing *f, const mailing_received *r, char **why_r, GError **error)
{
	const config *cfg = f->cfg;
	const message_record *m = r->m;
	g_autoptr(GHashTable) values = NULL;
	g_autoptr(GString) orders = g_string_new(NULL);
	g_autoptr(GString) numbers = g_string_new(NULL);
	g_autoptr(GString) refs = g_string_new(NULL);
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(GDateTime) hour_ago = g_date_time_new_now_utc();
	g_autoptr(GDateTime) since = g_date_time_add_hours(hour_ago, -1);
	g_autofree char *since_iso = g_date_time_format(since, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *received = NULL;
	/* RFC 3834, 4: where the sender asked answers to go */
	const char *to = m->reply_to ? m->reply_to : m->from_addr;
	const char *static_why = NULL;
	gboolean all_copies = TRUE;   /* every problem: a document received before */
	gboolean db_failed = FALSE;
	mail_kind kind;
	int sent = 0;
	int rc;

	*why_r = NULL;
	for (guint i = 0; r->problems != NULL && i < r->problems->len; i++) {
		const quarantine_entry *q = r->problems->pdata[i];
		g_autofree char *t = problem_text(q, (int)(cfg->storage.max_attachment_bytes >> 20),
						  r->sent_files);

		if (t != NULL)
			g_string_append_printf(problems, "- %s\n", t);
		all_copies &= q->reason == QR_DUPLICATE;
	}
	if (r->orders != NULL && r->orders->len > 0) {
		kind = MAIL_ACKNOWLEDGMENT;
		if (!cfg->outbound.acknowledge) {
			*why_r = g_strdup("pas d'accusé de réception ([outbound] acknowledge = no)");
			return 1;
		}
	} else if (problems->len > 0) {
		kind = MAIL_QUARANTINE_NOTICE;
		if (!cfg->outbound.notify_quarantine) {
			*why_r = g_strdup("pas d'avis ([outbound] notify_quarantine = no)");
			return 1;
		}
	} else {
		return 1;   /* nothing the sender can act on: no answer, nothing to say */
	}
	if (to == NULL) {
		*why_r = g_strdup("pas d'adresse d'expéditeur");
		return 1;
	}
	if (r->automatic != NULL) {
		*why_r = g_strdup_printf("message automatique (%s) : pas de réponse", r->automatic);
		return 1;
	}
	if (our_address(cfg, m->from_addr) || our_address(cfg, to)) {
		*why_r = g_strdup_printf("%s est notre propre adresse : pas de réponse",
					 our_address(cfg, m->from_addr) ? m->from_addr : to);
		return 1;
	}
	if (kind == MAIL_QUARANTINE_NOTICE && r->c == NULL) {
		/* what a stranger attached is more often spam than an order: no
		 * answer to an address that may be forged */
		*why_r = g_strdup_printf("%s n'est pas au fichier clients : pas d'avis", to);
		return 1;
	}
	if (r->c != NULL && r->c->acknowledge != NULL && strcmp(r->c->acknowledge, "non") == 0) {
		*why_r = g_strdup_printf("%s refuse les réponses automatiques (customer edit %s "
					 "--acknowledge oui pour les lui envoyer)", r->c->ref, r->c->ref);
		return 1;
	}
	if (db_outbox_answers_to(f->d, to, since_iso, &sent, error) < 0)
		return -1;
	if (sent >= cfg->outbound.max_auto_replies_per_hour) {
		*why_r = g_strdup_printf("déjà %d réponse(s) automatique(s) à %s dans l'heure "
					 "([outbound] max_auto_replies_per_hour = %d)",
					 sent, to, cfg->outbound.max_auto_replies_per_hour);
		return 1;
	}
	if (db_outbox_answers_to(f->d, NULL, since_iso, &sent, error) < 0)
		return -1;
	if (sent >= MAILING_MAX_ANSWERS_PER_HOUR) {
		*why_r = g_strdup_printf("déjà %d réponses automatiques dans l'heure, à tous : plus "
					 "aucune avant la prochaine heure (un flot de messages aux "
					 "expéditeurs peut-être usurpés)", sent);
		return 1;
	}
	for (guint i = 0; r->orders != NULL && i < r->orders->len; i++) {
		const order *o = r->orders->pdata[i];

		if (i > 0)
			g_string_append_c(orders, '\n');
		describe_order(orders, o);
		g_string_append_printf(numbers, "%s%s", i == 0 ? "" : i + 1 == r->orders->len ? " et " : ", ",
				       o->number);
		if (o->customer_order_ref != NULL)
			g_string_append_printf(refs, "%s%s", refs->len ? ", " : "", o->customer_order_ref);
	}
	values = filing_mail_values(f, r->c, NULL, NULL);
	{
		g_autoptr(GDateTime) at = m->received_at ? g_date_time_new_from_iso8601(m->received_at, NULL)
							  : NULL;
		g_autoptr(GDateTime) local = at ? g_date_time_to_local(at) : NULL;

		received = local ? g_date_time_format(local, "%d/%m/%Y") : g_strdup("");
	}
	g_hash_table_replace(values, g_strdup("message.subject"),
			     m->subject && m->subject[0] ? g_strdup_printf(" (« %s »)", m->subject)
							 : g_strdup(""));
	g_hash_table_replace(values, g_strdup("message.date"), g_strdup(received));
	g_hash_table_replace(values, g_strdup("message.number"), g_strdup(m->number));
	g_hash_table_replace(values, g_strdup("orders"), g_strdup(orders->str));
	g_hash_table_replace(values, g_strdup("orders.numbers"), g_strdup(numbers->str));
	g_hash_table_replace(values, g_strdup("orders.customer_refs"), g_strdup(refs->str));
	g_hash_table_replace(values, g_strdup("problems"), g_strdup(problems->str));
	g_hash_table_replace(values, g_strdup("notice.subject"),
			     g_strdup(all_copies ? "commande déjà reçue"
						 : "nous n'avons pas pu lire votre commande"));
	g_hash_table_replace(values, g_strdup("notice.intro"),
			     g_strdup(all_copies ? ". Nous l'avions déjà reçu :"
						 : ", mais nous n'avons pas pu en lire la commande :"));
	g_hash_table_replace(values, g_strdup("problems.paragraph"),
			     problems->len == 0
				     ? g_strdup("")
				     : g_strdup_printf("Par ailleurs, nous n'avons pas pu prendre en "
						       "compte :\n%s\n", problems->str));
	{
		mail_request req = {
			.kind = kind, .values = values, .to = to,
			.in_reply_to = m->message_id, .auto_replied = TRUE, .message_ref = m->id,
			/* the outbox names the order it is about: the first */
			.order_id = r->orders && r->orders->len > 0
					    ? ((const order *)r->orders->pdata[0])->id : 0,
		};

		g_autoptr(GError) err = NULL;

		rc = compose_and_queue(cfg, f->d, &req, NULL, &static_why, &db_failed, &err);
		if (rc < 0 && !db_failed) {
			/* the mail could not be written: the intake goes on */
			*why_r = g_strdup(err->message);
			return 2;
		}
		if (rc < 0)
			g_propagate_error(error, g_steal_pointer(&err));
	}
	if (rc == 1)
		*why_r = g_strdup(static_why);
	return rc;
}
