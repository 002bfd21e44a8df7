#include "lib/config.h"

#include "lib/error.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/money.h"
#include "lib/validate.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <stddef.h>
#include <string.h>

#define CONFIG_MAX_BYTES (256 * 1024)
#define SECRET_MAX_BYTES 4096

typedef enum {
	K_TEXT,
	K_PATH,        /* resolved against the config folder */
	K_INT,
	K_TLS_IMAP,
	K_TLS_SMTP,
	K_SIRET,
	K_VAT,
	K_IBAN,
	K_BIC,
	K_EMAIL,
	K_POSTCODE,
	K_SECRET,
	K_SECRET_FILE,
	K_FROM,        /* "Name <addr>" or "addr" */
	K_AMOUNT,      /* euros, to the cent: "10000", "10 000,50" */
	K_ACCOUNT,     /* an account of the chart: digits, then letters or digits */
	K_VAT_ACCOUNTS,/* "5.5:445711, 10:445712" */
	K_BOOL,        /* yes | no */
	K_LISTEN,      /* ADDRESS:PORT */
} key_kind;

typedef struct {
	config_key_info info;   /* section, key, and what they are for */
	key_kind kind;
	size_t offset;   /* into config */
	int min, max;    /* K_INT */
} key_def;

#define AT(field) offsetof(config, field)

static void clear_vat_account(gpointer p)
{
	g_free(((config_vat_account *)p)->account);
}

/* Each key is described here and nowhere else: `mailorder help config`,
 * the manual and the README's reference are made from this table. */
static const key_def keys[] = {
	{ { "company", "name", "NOM", NULL,
	    "le nom de l'entreprise, imprimé sur chaque document" },
	  K_TEXT, AT(company.name), 0, 0 },
	{ { "company", "address", "RUE", NULL, "son adresse (la rue)" },
	  K_TEXT, AT(company.address), 0, 0 },
	{ { "company", "postcode", "CODE", NULL, "son code postal (5 chiffres)" },
	  K_POSTCODE, AT(company.postcode), 0, 0 },
	{ { "company", "city", "VILLE", NULL, "sa ville" }, K_TEXT, AT(company.city), 0, 0 },
	{ { "company", "siret", "SIRET", NULL, "son SIRET (14 chiffres, clé de Luhn vérifiée)" },
	  K_SIRET, AT(company.siret), 0, 0 },
	{ { "company", "vat", "TVA", NULL,
	    "son numéro de TVA intracommunautaire (FR, la clé, le SIREN : vérifié)" },
	  K_VAT, AT(company.vat), 0, 0 },
	{ { "company", "iban", "IBAN", NULL, "son IBAN, pour les factures (clé vérifiée)" },
	  K_IBAN, AT(company.iban), 0, 0 },
	{ { "company", "bic", "BIC", NULL, "son BIC (8 ou 11 caractères)" },
	  K_BIC, AT(company.bic), 0, 0 },
	{ { "company", "bank", "NOM", NULL, "sa banque" }, K_TEXT, AT(company.bank), 0, 0 },
	{ { "company", "email", "ADRESSE", NULL, "son adresse e-mail" },
	  K_EMAIL, AT(company.email), 0, 0 },
	{ { "company", "website", "SITE", NULL, "son site web" },
	  K_TEXT, AT(company.website), 0, 0 },
	{ { "company", "legal_form", "FORME", NULL,
	    "sa forme juridique (SAS, SARL…), imprimée sur chaque document" },
	  K_TEXT, AT(company.legal_form), 0, 0 },
	{ { "company", "capital", "MONTANT", NULL, "son capital social, en euros (10000)" },
	  K_AMOUNT, AT(company.capital_cents), 0, 0 },
	{ { "company", "rcs", "VILLE", NULL,
	    "la ville de son immatriculation au registre du commerce (RCS Libourne)" },
	  K_TEXT, AT(company.rcs), 0, 0 },
	{ { "company", "late_penalty", "TEXTE", NULL,
	    "le taux des pénalités de retard, tel que les factures l'impriment (« trois fois le "
	    "taux d'intérêt légal »)" },
	  K_TEXT, AT(company.late_penalty), 0, 0 },
	{ { "company", "logo", "FICHIER", NULL,
	    "un logo PNG ou JPEG pour l'en-tête des documents (facultatif)" },
	  K_PATH, AT(company.logo), 0, 0 },

	{ { "imap", "host", "SERVEUR", NULL, "le serveur IMAP de la boîte des commandes" },
	  K_TEXT, AT(imap.host), 0, 0 },
	{ { "imap", "port", "PORT", "993 (imaps), 143 (starttls, none)", "son port" },
	  K_INT, AT(imap.port), 1, 65535 },
	{ { "imap", "tls", "imaps | starttls | none", "imaps",
	    "le chiffrement ; none seulement vers la machine elle-même (127.0.0.1, ::1, "
	    "localhost). Le certificat est toujours vérifié (autorités du système, ca_file, "
	    "nom du serveur) avant l'envoi du mot de passe" },
	  K_TLS_IMAP, AT(imap.tls), 0, 0 },
	{ { "imap", "user", "UTILISATEUR", NULL, "l'identifiant de la boîte" },
	  K_TEXT, AT(imap.user), 0, 0 },
	{ { "imap", "password", "MOT-DE-PASSE", NULL,
	    "le mot de passe écrit ici ; mieux vaut password_file" },
	  K_SECRET, AT(imap.password), 0, 0 },
	{ { "imap", "password_file", "FICHIER", NULL,
	    "un fichier dont la première ligne est le mot de passe (chmod 600 ; sinon un "
	    "avertissement) ; seules les commandes qui relèvent le courrier le lisent" },
	  K_SECRET_FILE, AT(imap.password_file), 0, 0 },
	{ { "imap", "mailbox", "BOÎTE", "INBOX",
	    "la boîte des commandes, écrite comme les employés la voient (« Commandes reçues »)" },
	  K_TEXT, AT(imap.mailbox), 0, 0 },
	{ { "imap", "poll_interval", "SECONDES", "60",
	    "l'intervalle entre deux relèves quand le serveur n'a pas IDLE (5 à 86400)" },
	  K_INT, AT(imap.poll_interval), 5, 86400 },
	{ { "imap", "ca_file", "FICHIER", NULL,
	    "une autorité de certification de plus, au format PEM (un serveur privé)" },
	  K_PATH, AT(imap.ca_file), 0, 0 },

	{ { "smtp", "host", "SERVEUR", NULL,
	    "le serveur d'envoi des courriels aux clients (mailorder send) ; son mot de passe "
	    "n'est lu qu'à l'envoi. Le certificat est vérifié comme celui d'IMAP" },
	  K_TEXT, AT(smtp.host), 0, 0 },
	{ { "smtp", "port", "PORT", "465 (smtps), 587 (starttls, none)", "son port" },
	  K_INT, AT(smtp.port), 1, 65535 },
	{ { "smtp", "tls", "smtps | starttls | none", "smtps",
	    "le chiffrement ; none seulement vers la machine elle-même" },
	  K_TLS_SMTP, AT(smtp.tls), 0, 0 },
	{ { "smtp", "user", "UTILISATEUR", NULL, "l'identifiant d'envoi, s'il en faut un" },
	  K_TEXT, AT(smtp.user), 0, 0 },
	{ { "smtp", "password", "MOT-DE-PASSE", NULL, "son mot de passe ; mieux vaut password_file" },
	  K_SECRET, AT(smtp.password), 0, 0 },
	{ { "smtp", "password_file", "FICHIER", NULL,
	    "un fichier dont la première ligne est le mot de passe (chmod 600)" },
	  K_SECRET_FILE, AT(smtp.password_file), 0, 0 },
	{ { "smtp", "from", "Nom <adresse>", NULL,
	    "l'expéditeur des courriels envoyés (« Sweetie Bio <commandes@sweetiebio.fr> »)" },
	  K_FROM, AT(smtp_from), 0, 0 },
	{ { "smtp", "ca_file", "FICHIER", NULL, "une autorité de certification de plus (PEM)" },
	  K_PATH, AT(smtp.ca_file), 0, 0 },

	{ { "storage", "database", "FICHIER", "var/mailorder.db",
	    "la base de données SQLite (créée en 0600 par init)" },
	  K_PATH, AT(storage.database), 0, 0 },
	{ { "storage", "archive", "DOSSIER", "var/archive",
	    "l'archive : chaque message reçu et chaque document classé" },
	  K_PATH, AT(storage.archive), 0, 0 },
	{ { "storage", "max_attachment_mb", "MO", "25",
	    "la taille maximale d'une pièce jointe (1 à 2048) ; au-delà, quarantaine too_large ; "
	    "un message de plus de quatre fois cette taille n'est pas lu" },
	  K_INT, 0, 1, 2048 },
	{ { "storage", "ocr_timeout_s", "SECONDES", "30",
	    "le temps maximal de l'OCR d'une page numérisée (1 à 3600)" },
	  K_INT, AT(storage.ocr_timeout_s), 1, 3600 },
	{ { "accounting", "sales_account", "COMPTE", "707000",
	    "le compte des ventes de marchandises, crédité du HT de chaque facture" },
	  K_ACCOUNT, AT(accounting.sales_account), 0, 0 },
	{ { "accounting", "vat_accounts", "TAUX:COMPTE, …", "5.5:445711, 10:445712, 20:445713, 2.1:445714",
	    "le compte de TVA collectée de chaque taux" },
	  K_VAT_ACCOUNTS, 0, 0, 0 },
	{ { "accounting", "bank_account", "COMPTE", "512000", "le compte de la banque" },
	  K_ACCOUNT, AT(accounting.bank_account), 0, 0 },
	{ { "accounting", "cheques_to_deposit_account", "COMPTE", "511200",
	    "le compte des chèques reçus, pas encore remis en banque" },
	  K_ACCOUNT, AT(accounting.cheques_to_deposit_account), 0, 0 },
	{ { "outbound", "acknowledge", "yes | no", "yes",
	    "envoyer à chaque expéditeur un accusé de réception de ce qui a été lu (jamais à un "
	    "message automatique, ni à nos propres adresses ; un client peut le refuser : "
	    "customer edit --acknowledge non)" },
	  K_BOOL, AT(outbound.acknowledge), 0, 0 },
	{ { "outbound", "notify_quarantine", "yes | no", "yes",
	    "prévenir l'expéditeur d'une pièce jointe illisible" },
	  K_BOOL, AT(outbound.notify_quarantine), 0, 0 },
	{ { "outbound", "max_auto_replies_per_hour", "NOMBRE", "5",
	    "au plus ce nombre d'accusés et d'avis automatiques à une même adresse en une "
	    "heure (0 : aucun)" },
	  K_INT, AT(outbound.max_auto_replies_per_hour), 0, 1000 },
	{ { "outbound", "bcc", "ADRESSE", NULL, "une copie cachée de chaque courriel envoyé" },
	  K_EMAIL, AT(outbound.bcc), 0, 0 },
	{ { "web", "listen", "ADRESSE:PORT", "127.0.0.1:8080",
	    "où la file de vérification web écoute (elle viendra avec serve)" },
	  K_LISTEN, AT(web_listen), 0, 0 },
};

const config_key_info *config_key(size_t i)
{
	return i < G_N_ELEMENTS(keys) ? &keys[i].info : NULL;
}


/* What the first pass learnt about the file. */
typedef struct {
	const char *file;
	GString *clean;       /* the text GKeyFile reads: comments out, same lines */
	GHashTable *lines;    /* "section\nkey" -> line number */
	GArray *problems;     /* problem_line, reported in file order */
} scan;

typedef struct {
	int line;
	char *text;
} problem_line;

G_GNUC_PRINTF(4, 5)
static void problem(scan *sc, int line, const char *where, const char *fmt, ...)
{
	GString *text = g_string_new(NULL);
	problem_line p;
	va_list ap;

	if (line > 0)
		g_string_append_printf(text, "%s:%d: ", sc->file, line);
	else
		g_string_append_printf(text, "%s: ", sc->file);
	if (where != NULL)
		g_string_append_printf(text, "%s : ", where);
	va_start(ap, fmt);
	g_string_append_vprintf(text, fmt, ap);
	va_end(ap);
	p.line = line;
	p.text = g_string_free(text, FALSE);
	g_array_append_val(sc->problems, p);
}

static gint cmp_problem_line(gconstpointer a, gconstpointer b)
{
	const problem_line *pa = a, *pb = b;

	return (pa->line > pb->line) - (pa->line < pb->line);
}

/* All problems, one per line, in the order of the file (g_array_sort is
 * stable, so problems of one line keep their order). */
static char *problems_text(scan *sc)
{
	GString *out = g_string_new(NULL);

	g_array_sort(sc->problems, cmp_problem_line);
	for (guint i = 0; i < sc->problems->len; i++) {
		if (i > 0)
			g_string_append_c(out, '\n');
		g_string_append(out, g_array_index(sc->problems, problem_line, i).text);
	}
	return g_string_free(out, FALSE);
}

static void clear_problem_line(gpointer p)
{
	g_free(((problem_line *)p)->text);
}

static const key_def *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (strcmp(keys[i].info.section, section) == 0 && strcmp(keys[i].info.key, key) == 0)
			return &keys[i];
	}
	return NULL;
}

static gboolean known_section(const char *section)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (strcmp(keys[i].info.section, section) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Cuts a "; comment" that follows whitespace; a ';' glued to text is data. */
static void strip_inline_comment(char *s)
{
	for (char *p = s; *p != '\0'; p++) {
		if (*p == ';' && p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	g_strchomp(s);
}

/* Every line is UTF-8 text without a NUL byte.  Checked on the bytes as
 * read: a NUL would end the text for every string function after it, and
 * the rest of the file (the database path, a wrong key) would silently
 * not count. */
static gboolean text_is_clean(scan *sc, const char *text, size_t len)
{
	gboolean clean = TRUE;
	int lineno = 1;

	for (const char *line = text, *end = text + len; line < end; lineno++) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t n = eol ? (size_t)(eol - line) : (size_t)(end - line);
		const char *nul = memchr(line, '\0', n);
		const char *bad = NULL;

		if (nul != NULL) {
			problem(sc, lineno, NULL, "un octet NUL en colonne %d : ce n'est pas un fichier texte",
				(int)(nul - line) + 1);
			clean = FALSE;
		} else if (!g_utf8_validate(line, (gssize)n, &bad)) {
			problem(sc, lineno, NULL,
				"l'octet 0x%02X en colonne %d n'est pas de l'UTF-8 (enregistrez le fichier en UTF-8)",
				(guchar)*bad, (int)(bad - line) + 1);
			clean = FALSE;
		}
		line = eol ? eol + 1 : end;
	}
	return clean;
}

/* First pass: structure, line numbers, comments. */
static void scan_text(scan *sc, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *section = NULL;

	for (int i = 0; lines[i] != NULL; i++) {
		int lineno = i + 1;
		char *line = g_strstrip(lines[i]);
		char *eq;

		if (line[0] == '\0' || line[0] == '#' || line[0] == ';') {
			g_string_append_c(sc->clean, '\n');
			continue;
		}
		if (line[0] == '[') {
			char *end = strchr(line, ']');

			if (end == NULL) {
				problem(sc, lineno, NULL, "en-tête de section sans « ] »");
				/* Its keys belong to no section we know: reported once,
				 * here, and kept out of the known sections. */
				g_free(section);
				section = g_strdup("mailorder-unreadable-section");
			} else {
				*end = '\0';
				strip_inline_comment(end + 1);
				if (end[1] != '\0')
					problem(sc, lineno, NULL, "du texte après l'en-tête de section");
				g_free(section);
				section = g_strdup(g_strstrip(line + 1));
				if (!known_section(section))
					problem(sc, lineno, NULL,
						"section inconnue [%s] (connues : company, imap, smtp, "
						"storage, accounting, outbound, web)",
						section);
			}
			g_string_append_printf(sc->clean, "[%s]\n", section);
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL) {
			problem(sc, lineno, NULL, "pas une ligne « clé = valeur » : « %s »", line);
			g_string_append_c(sc->clean, '\n');
			continue;
		}
		*eq = '\0';
		char *key = g_strstrip(line);
		char *value = eq + 1;

		strip_inline_comment(value);
		value = g_strstrip(value);
		if (section == NULL) {
			problem(sc, lineno, NULL, "« %s » avant toute [section]", key);
			g_string_append_c(sc->clean, '\n');
			continue;
		}
		if (known_section(section) && find_key(section, key) == NULL) {
			g_autoptr(GString) known = g_string_new(NULL);

			for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
				if (strcmp(keys[k].info.section, section) == 0)
					g_string_append_printf(known, "%s%s", known->len ? ", " : "",
							       keys[k].info.key);
			}
			problem(sc, lineno, NULL, "[%s] %s : clé inconnue (connues : %s ; mailorder help "
				"config les décrit)", section, key, known->str);
			g_string_append_c(sc->clean, '\n');
			continue;
		}
		char *id = g_strdup_printf("%s\n%s", section, key);

		if (g_hash_table_contains(sc->lines, id)) {
			problem(sc, lineno, NULL, "[%s] %s : donnée deux fois (la première en ligne %d)", section,
				key, GPOINTER_TO_INT(g_hash_table_lookup(sc->lines, id)));
			g_free(id);
			g_string_append_c(sc->clean, '\n');
			continue;
		}
		g_hash_table_insert(sc->lines, id, GINT_TO_POINTER(lineno));
		/* g_key_file_get_value() hands values back as written (no unescaping). */
		g_string_append_printf(sc->clean, "%s=%s\n", key, value);
	}
}

static int line_of(scan *sc, const char *section, const char *key)
{
	g_autofree char *id = g_strdup_printf("%s\n%s", section, key);

	return GPOINTER_TO_INT(g_hash_table_lookup(sc->lines, id));
}

static char *read_secret_file(const char *path, const char **why_r)
{
	g_autoptr(GError) err = NULL;
	char *data = NULL;
	size_t len = 0;
	GStatBuf st;

	if (fsutil_read_file(path, SECRET_MAX_BYTES, &data, &len, &err) < 0) {
		*why_r = "ne peut pas être lu";
		return NULL;
	}
	/* Said at each start until it is mended: anyone on the machine who
	 * can read the file can read the mailbox. */
	if (g_stat(path, &st) == 0 && (st.st_mode & 0077) != 0)
		log_warn("%s : le fichier du mot de passe est lisible par d'autres utilisateurs "
			 "(mode %04o) : chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
	/* The first line, without its end: "secret\n" is what `echo` writes. */
	data[strcspn(data, "\r\n")] = '\0';
	if (data[0] == '\0') {
		*why_r = "est vide";
		g_free(data);
		return NULL;
	}
	return data;
}

static gboolean parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long long v;

	if (s[0] == '\0')
		return FALSE;
	v = g_ascii_strtoll(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return FALSE;
	*out = (int)v;
	return TRUE;
}

static gboolean parse_tls(const char *s, gboolean imap, config_tls *out)
{
	if (strcmp(s, imap ? "imaps" : "smtps") == 0)
		*out = CONFIG_TLS_IMPLICIT;
	else if (strcmp(s, "starttls") == 0)
		*out = CONFIG_TLS_STARTTLS;
	else if (strcmp(s, "none") == 0)
		*out = CONFIG_TLS_NONE;
	else
		return FALSE;
	return TRUE;
}

typedef char *validator_fn(const char *input, const char **why_r);

/* An account of the French chart: its class (a digit 1 to 7) first, then
 * 2 to 15 digits or capitals (411BIO00). */
static gboolean account_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 16 || s[0] < '1' || s[0] > '7')
		return FALSE;
	for (size_t i = 1; i < n; i++) {
		if (!g_ascii_isalnum(s[i]))
			return FALSE;
	}
	return TRUE;
}

static void add_vat_account(GArray *to, int rate_bp, const char *account)
{
	config_vat_account v = { rate_bp, g_strdup(account) };

	for (guint i = 0; i < to->len; i++) {
		config_vat_account *have = &g_array_index(to, config_vat_account, i);

		if (have->rate_bp == rate_bp) {
			g_free(have->account);
			have->account = v.account;
			return;
		}
	}
	g_array_append_val(to, v);
}

/* "5.5:445711, 10:445712": each rate's account, replacing the defaults.
 * A rate may have a decimal comma ("5,5:445711"): the pairs are found by
 * their shape, not by splitting at commas. */
static void set_vat_accounts(config *cfg, scan *sc, int line, const char *where,
			     const char *value)
{
	g_autoptr(GRegex) pair = g_regex_new("\\G\\s*([0-9]{1,2}(?:[.,][0-9]{1,2})?)\\s*:\\s*"
					     "([0-9A-Za-z]+)\\s*(?:[,;]|$)",
					     G_REGEX_OPTIMIZE, 0, NULL);
	g_autoptr(GArray) accounts = g_array_new(FALSE, FALSE, sizeof(config_vat_account));
	size_t at = 0, len = strlen(value);

	g_array_set_clear_func(accounts, clear_vat_account);
	while (at < len && accounts->len < 16) {
		g_autoptr(GMatchInfo) m = NULL;
		g_autofree char *rate = NULL;
		g_autofree char *account = NULL;
		const char *why = NULL;
		int bp, end = 0;

		if (!g_regex_match_full(pair, value, (gssize)len, (gint)at, 0, &m, NULL))
			break;
		rate = g_match_info_fetch(m, 1);
		account = g_match_info_fetch(m, 2);
		g_match_info_fetch_pos(m, 0, NULL, &end);
		if (money_parse_rate(rate, &bp, &why) < 0 || !account_valid(account))
			break;
		add_vat_account(accounts, bp, account);
		at = (size_t)end;
	}
	if (at < len || accounts->len == 0) {
		problem(sc, line, where, "« %s » : écrivez TAUX:COMPTE, séparés par des virgules "
			"(5.5:445711, 20:445713)", value);
		return;
	}
	g_array_unref(cfg->accounting.vat_accounts);
	cfg->accounting.vat_accounts = g_steal_pointer(&accounts);
}

static void set_value(config *cfg, scan *sc, const key_def *k, const char *value,
		      gboolean *secret_seen)
{
	char **slot = (char **)((char *)cfg + k->offset);
	int line = line_of(sc, k->info.section, k->info.key);
	g_autofree char *where = g_strdup_printf("[%s] %s", k->info.section, k->info.key);
	validator_fn *check = NULL;
	const char *why = NULL;

	switch (k->kind) {
	case K_TEXT:
		*slot = g_strdup(value);
		return;
	case K_PATH:
		*slot = fsutil_resolve(cfg->dir, value);
		return;
	case K_INT: {
		int v;

		if (!parse_int(value, k->min, k->max, &v)) {
			problem(sc, line, where, "« %s » n'est pas un nombre entier de %d à %d", value,
				k->min, k->max);
			return;
		}
		if (strcmp(k->info.key, "max_attachment_mb") == 0)
			cfg->storage.max_attachment_bytes = (int64_t)v * 1024 * 1024;
		else
			*(int *)((char *)cfg + k->offset) = v;
		return;
	}
	case K_TLS_IMAP:
	case K_TLS_SMTP:
		if (!parse_tls(value, k->kind == K_TLS_IMAP, (config_tls *)((char *)cfg + k->offset)))
			problem(sc, line, where, "« %s » n'est ni %s, ni starttls, ni none", value,
				k->kind == K_TLS_IMAP ? "imaps" : "smtps");
		return;
	case K_SECRET:
	case K_SECRET_FILE:
		if (*secret_seen) {
			problem(sc, line, where, "password ou password_file, pas les deux");
			return;
		}
		*secret_seen = TRUE;
		/* the file is read by the command that talks to the server
		 * (config_require_imap): a clerk's account that cannot read it
		 * still reads the queue */
		*slot = k->kind == K_SECRET ? g_strdup(value) : fsutil_resolve(cfg->dir, value);
		return;
	case K_FROM: {
		const char *lt = strchr(value, '<');
		g_autofree char *addr = NULL;

		if (lt != NULL) {
			const char *gt = strchr(lt, '>');

			addr = gt ? g_strndup(lt + 1, (size_t)(gt - lt - 1)) : NULL;
		} else {
			addr = g_strdup(value);
		}
		g_autofree char *ok = addr ? validate_email(addr, &why) : NULL;

		if (ok == NULL)
			problem(sc, line, where, "« %s » n'est pas une adresse (« Nom <utilisateur@domaine> ») : %s",
				value, why ? why : "il manque « > »");
		else
			*slot = g_strdup(value);
		return;
	}
	case K_AMOUNT: {
		int64_t cents;
		const char *why_amount = NULL;

		if (money_parse_typed(value, 2, &cents, &why_amount) < 0 || cents < 0)
			problem(sc, line, where, "« %s » n'est pas un montant en euros%s%s", value,
				why_amount ? " : " : "", why_amount ? why_amount : "");
		else
			*(int64_t *)((char *)cfg + k->offset) = cents;
		return;
	}
	case K_ACCOUNT:
		if (!account_valid(value))
			problem(sc, line, where, "« %s » n'est pas un compte : des chiffres, la classe "
				"d'abord (707000), puis des chiffres ou des lettres", value);
		else
			*slot = g_ascii_strup(value, -1);
		return;
	case K_VAT_ACCOUNTS:
		set_vat_accounts(cfg, sc, line, where, value);
		return;
	case K_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "oui") == 0)
			*(gboolean *)((char *)cfg + k->offset) = TRUE;
		else if (strcmp(value, "no") == 0 || strcmp(value, "non") == 0)
			*(gboolean *)((char *)cfg + k->offset) = FALSE;
		else
			problem(sc, line, where, "« %s » n'est ni yes, ni no", value);
		return;
	case K_LISTEN: {
		const char *colon = strrchr(value, ':');
		int port;

		if (colon == NULL || colon == value || !parse_int(colon + 1, 1, 65535, &port))
			problem(sc, line, where, "« %s » : écrivez ADRESSE:PORT (127.0.0.1:8080)", value);
		else
			*slot = g_strdup(value);
		return;
	}
	case K_SIRET: check = validate_siret; break;
	case K_VAT: check = validate_vat; break;
	case K_IBAN: check = validate_iban; break;
	case K_BIC: check = validate_bic; break;
	case K_EMAIL: check = validate_email; break;
	case K_POSTCODE: check = validate_postcode_fr; break;
	}
	*slot = check(value, &why);
	if (*slot == NULL)
		problem(sc, line, where, "« %s » : %s", value, why);
}

static void set_defaults(config *cfg)
{
	cfg->imap.port = 0;
	cfg->imap.tls = CONFIG_TLS_IMPLICIT;
	cfg->imap.poll_interval = 60;
	cfg->smtp.port = 0;
	cfg->smtp.tls = CONFIG_TLS_IMPLICIT;
	cfg->storage.max_attachment_bytes = (int64_t)25 * 1024 * 1024;
	cfg->storage.ocr_timeout_s = 30;
	cfg->company.capital_cents = -1;
	cfg->accounting.vat_accounts = g_array_new(FALSE, FALSE, sizeof(config_vat_account));
	g_array_set_clear_func(cfg->accounting.vat_accounts, clear_vat_account);
	add_vat_account(cfg->accounting.vat_accounts, 550, "445711");
	add_vat_account(cfg->accounting.vat_accounts, 1000, "445712");
	add_vat_account(cfg->accounting.vat_accounts, 2000, "445713");
	add_vat_account(cfg->accounting.vat_accounts, 210, "445714");
	cfg->outbound.acknowledge = TRUE;
	cfg->outbound.notify_quarantine = TRUE;
	cfg->outbound.max_auto_replies_per_hour = 5;
}

/* The defaults of what the file leaves out, once it is read. */
static void set_later_defaults(config *cfg)
{
	if (cfg->accounting.sales_account == NULL)
		cfg->accounting.sales_account = g_strdup("707000");
	if (cfg->accounting.bank_account == NULL)
		cfg->accounting.bank_account = g_strdup("512000");
	if (cfg->accounting.cheques_to_deposit_account == NULL)
		cfg->accounting.cheques_to_deposit_account = g_strdup("511200");
	if (cfg->web_listen == NULL)
		cfg->web_listen = g_strdup("127.0.0.1:8080");
}

static void finish_server(config *cfg, scan *sc, config_server *srv, const char *section,
			  int implicit_port, int starttls_port)
{
	if (srv->port == 0)
		srv->port = srv->tls == CONFIG_TLS_IMPLICIT ? implicit_port : starttls_port;
	if (srv->tls == CONFIG_TLS_NONE && srv->host != NULL && !config_host_is_loopback(srv->host))
		problem(sc, line_of(sc, section, "tls"), NULL,
			"[%s] tls : « none » envoie le mot de passe en clair ; ce n'est permis que "
			"vers la machine elle-même (127.0.0.1, ::1, localhost), pas vers « %s »",
			section, srv->host);
	if (srv->ca_file != NULL && !g_file_test(srv->ca_file, G_FILE_TEST_IS_REGULAR))
		problem(sc, line_of(sc, section, "ca_file"), NULL, "[%s] ca_file : %s : fichier introuvable",
			section, srv->ca_file);
	(void)cfg;
}

char *config_locate(const char *explicit_path)
{
	const char *env = g_getenv("MAILORDER_CONFIG");

	if (explicit_path != NULL)
		return g_strdup(explicit_path);
	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	return g_strdup("mailorder.conf");
}

config *config_load(const char *path, GError **error)
{
	g_autoptr(config) cfg = g_new0(config, 1);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) kf_error = NULL;
	g_autofree char *text = NULL;
	g_autofree char *archive_raw = NULL;
	gboolean imap_secret = FALSE, smtp_secret = FALSE;
	scan sc = { 0 };
	size_t len = 0;

	if (fsutil_read_file(path, CONFIG_MAX_BYTES, &text, &len, error) < 0)
		return NULL;
	cfg->path = g_canonicalize_filename(path, NULL);
	cfg->dir = g_path_get_dirname(cfg->path);
	set_defaults(cfg);

	sc.file = path;
	sc.clean = g_string_new(NULL);
	sc.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	sc.problems = g_array_new(FALSE, FALSE, sizeof(problem_line));
	g_array_set_clear_func(sc.problems, clear_problem_line);
	/* Lines the scan refused are blanked in sc.clean, so the values that
	 * remain are still checked: every problem of the file in one report. */
	gboolean loaded = text_is_clean(&sc, text, len);

	if (loaded)
		scan_text(&sc, text);

	if (loaded && !g_key_file_load_from_data(kf, sc.clean->str, sc.clean->len,
						 G_KEY_FILE_NONE, &kf_error)) {
		problem(&sc, 0, NULL, "%s", kf_error->message);
		loaded = FALSE;
	}

	if (loaded) {
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
			const key_def *k = &keys[i];
			g_autofree char *value = g_key_file_get_value(kf, k->info.section, k->info.key, NULL);

			if (g_key_file_has_group(kf, "imap"))
				cfg->imap.present = TRUE;
			if (g_key_file_has_group(kf, "smtp"))
				cfg->smtp.present = TRUE;
			/* An empty value means "not set", as in the contract's "user =". */
			if (value == NULL || value[0] == '\0')
				continue;
			if (strcmp(k->info.section, "storage") == 0 && strcmp(k->info.key, "archive") == 0)
				archive_raw = g_strdup(value);
			set_value(cfg, &sc, k, value,
				  strcmp(k->info.section, "imap") == 0 ? &imap_secret : &smtp_secret);
		}
		finish_server(cfg, &sc, &cfg->imap, "imap", 993, 143);
		finish_server(cfg, &sc, &cfg->smtp, "smtp", 465, 587);
		if (cfg->imap.mailbox == NULL)
			cfg->imap.mailbox = g_strdup("INBOX");
		if (cfg->storage.database == NULL)
			cfg->storage.database = fsutil_resolve(cfg->dir, "var/mailorder.db");
		if (cfg->storage.archive == NULL) {
			cfg->storage.archive = fsutil_resolve(cfg->dir, "var/archive");
			archive_raw = g_strdup("var/archive");
		}
		cfg->storage.archive_shown = g_steal_pointer(&archive_raw);
		set_later_defaults(cfg);
	}

	if (sc.problems->len > 0) {
		g_autofree char *all = problems_text(&sc);

		g_set_error_literal(error, MO_ERROR, MO_ERROR_INVALID, all);
		g_clear_pointer(&cfg, config_free);
	}
	g_string_free(sc.clean, TRUE);
	g_array_unref(sc.problems);
	g_hash_table_destroy(sc.lines);
	return g_steal_pointer(&cfg);
}

int config_check_imap(const config *cfg, GError **error)
{
	const config_server *s = &cfg->imap;
	g_autoptr(GString) missing = g_string_new(NULL);

	if (!s->present) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "%s : pas de section [imap] : il faut au moins host, user et "
			    "password_file (mailorder help config)",
			    cfg->path);
		return -1;
	}
	if (s->host == NULL)
		g_string_append(missing, "host");
	if (s->user == NULL)
		g_string_append_printf(missing, "%suser", missing->len ? ", " : "");
	if (s->password == NULL && s->password_file == NULL)
		g_string_append_printf(missing, "%spassword_file (ou password)",
				       missing->len ? ", " : "");
	if (missing->len > 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s : [imap] : il manque %s",
			    cfg->path, missing->str);
		return -1;
	}
	return 0;
}

int config_require_imap(config *cfg, GError **error)
{
	config_server *s = &cfg->imap;

	if (config_check_imap(cfg, error) < 0)
		return -1;
	if (s->password == NULL) {
		const char *why = NULL;

		/* The path may be shown; the content never is. */
		s->password = read_secret_file(s->password_file, &why);
		if (s->password == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "%s : [imap] password_file : %s %s", cfg->path, s->password_file,
				    why);
			return -1;
		}
	}
	return 0;
}

int config_require_company(const config *cfg, gboolean invoice, GError **error)
{
	const config_company *c = &cfg->company;
	const struct {
		const char *key;
		gboolean missing;
	} keys_needed[] = {
		{ "name", c->name == NULL },
		{ "address", c->address == NULL },
		{ "postcode", c->postcode == NULL },
		{ "city", c->city == NULL },
		{ "siret", c->siret == NULL },
		{ "vat", c->vat == NULL },
		{ "legal_form", c->legal_form == NULL },
		{ "capital", c->capital_cents < 0 },
		{ "rcs", c->rcs == NULL },
		{ "late_penalty", invoice && c->late_penalty == NULL },
	};
	g_autoptr(GString) missing = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(keys_needed); i++) {
		if (keys_needed[i].missing)
			g_string_append_printf(missing, "%s%s", missing->len ? ", " : "",
					       keys_needed[i].key);
	}
	if (missing->len == 0)
		return 0;
	g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
		    "%s : [company] : il manque %s, que les documents envoyés aux clients doivent "
		    "porter (mailorder help config)",
		    cfg->path, missing->str);
	return -1;
}

const char *config_vat_account_of(const config *cfg, int rate_bp)
{
	for (guint i = 0; i < cfg->accounting.vat_accounts->len; i++) {
		const config_vat_account *v =
			&g_array_index(cfg->accounting.vat_accounts, config_vat_account, i);

		if (v->rate_bp == rate_bp)
			return v->account;
	}
	return NULL;
}

int config_require_smtp(config *cfg, GError **error)
{
	config_server *s = &cfg->smtp;
	g_autoptr(GString) missing = g_string_new(NULL);

	if (!s->present) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
			    "%s : pas de section [smtp] : il faut au moins host et from pour envoyer "
			    "(mailorder help config)", cfg->path);
		return -1;
	}
	if (s->host == NULL)
		g_string_append(missing, "host");
	if (cfg->smtp_from == NULL)
		g_string_append_printf(missing, "%sfrom", missing->len ? ", " : "");
	if (missing->len > 0) {
		g_set_error(error, MO_ERROR, MO_ERROR_INVALID, "%s : [smtp] : il manque %s", cfg->path,
			    missing->str);
		return -1;
	}
	if (s->user != NULL && s->password == NULL && s->password_file != NULL) {
		const char *why = NULL;

		/* The path may be shown; the content never is. */
		s->password = read_secret_file(s->password_file, &why);
		if (s->password == NULL) {
			g_set_error(error, MO_ERROR, MO_ERROR_INVALID,
				    "%s : [smtp] password_file : %s %s", cfg->path, s->password_file, why);
			return -1;
		}
	}
	return 0;
}

gboolean config_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return TRUE;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return FALSE;
}

static void free_server(config_server *s)
{
	g_free(s->host);
	g_free(s->user);
	g_free(s->password_file);
	if (s->password != NULL) {
		/* Do not leave the secret in freed memory. */
		memset(s->password, 0, strlen(s->password));
		g_free(s->password);
	}
	g_free(s->mailbox);
	g_free(s->ca_file);
}

void config_free(config *cfg)
{
	config_company *c;

	if (cfg == NULL)
		return;
	c = &cfg->company;
	g_free(c->name);
	g_free(c->address);
	g_free(c->postcode);
	g_free(c->city);
	g_free(c->siret);
	g_free(c->vat);
	g_free(c->iban);
	g_free(c->bic);
	g_free(c->bank);
	g_free(c->email);
	g_free(c->website);
	g_free(c->legal_form);
	g_free(c->rcs);
	g_free(c->late_penalty);
	g_free(c->logo);
	g_free(cfg->accounting.sales_account);
	g_free(cfg->accounting.bank_account);
	g_free(cfg->accounting.cheques_to_deposit_account);
	if (cfg->accounting.vat_accounts != NULL)
		g_array_unref(cfg->accounting.vat_accounts);
	g_free(cfg->outbound.bcc);
	g_free(cfg->web_listen);
	free_server(&cfg->imap);
	free_server(&cfg->smtp);
	g_free(cfg->smtp_from);
	g_free(cfg->storage.database);
	g_free(cfg->storage.archive);
	g_free(cfg->storage.archive_shown);
	g_free(cfg->path);
	g_free(cfg->dir);
	g_free(cfg);
}
