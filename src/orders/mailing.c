/* mailing.c: the mails about an order, written and queued (mailing.h). */
#include "orders/mailing.h"

#include "lib/error.h"
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

int mailing_queue(const filing *f, mail_kind kind, const customer *c, const order *o,
		  const invoice *inv, const char *const *files, char **message_id_r,
		  const char **why_r, GError **error)
{
	g_autoptr(GHashTable) values = filing_mail_values(f, c, o, inv);
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
	const char *to = o->source_from ? o->source_from : c->emails ? c->emails[0] : NULL;
	const char *recipients[2] = { to, NULL };
	const char *newline, *domain;
	mime_mail mail = { 0 };

	*message_id_r = NULL;
	*why_r = NULL;
	if (to == NULL) {
		*why_r = "ni l'adresse d'où vient la commande, ni e-mail au fichier client";
		return 1;
	}
	split_from(f->cfg->smtp_from, &from_name, &from_addr);
	if (from_addr == NULL && f->cfg->company.email != NULL) {
		from_addr = g_strdup(f->cfg->company.email);
		from_name = g_strdup(f->cfg->company.name);
	}
	if (from_addr == NULL) {
		*why_r = "pas d'adresse d'expéditeur ([smtp] from, ou [company] email)";
		return 1;
	}
	text = mail_text(f->cfg, kind, &path, error);
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

		if (fill(g_strstrip(first), values, path, 1, subject, error) < 0 ||
		    fill(newline + 1, values, path, 2, body, error) < 0)
			return -1;
	}
	for (guint i = 0; files != NULL && files[i] != NULL; i++) {
		g_autoptr(GMappedFile) map = archive_map(f->a, files[i], error);
		mime_attachment at = { 0 };

		if (map == NULL)
			return -1;
		g_ptr_array_add(names, g_path_get_basename(files[i]));
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
	mail.in_reply_to = o->source_message_id;
	mail.auto_replied = FALSE;
	mail.date = now;
	mail.attachments = (const mime_attachment *)attachments->data;
	mail.n_attachments = attachments->len;
	m->raw = mime_compose(&mail, error);
	if (m->raw == NULL)
		return -1;
	m->kind = kind;
	m->to = g_strdupv((char **)recipients);
	m->bcc = g_strdup(f->cfg->outbound.bcc);
	m->envelope_from = g_strdup(from_addr);
	m->subject = g_strdup(subject->str);
	m->message_id = g_strdup(message_id);
	g_ptr_array_add(names, NULL);
	m->attachments = g_strdupv((char **)names->pdata);
	if (db_outbox_queue(f->d, m, o->id, 0, error) < 0)
		return -1;
	*message_id_r = g_steal_pointer(&message_id);
	return 0;
}
