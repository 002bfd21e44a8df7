/* config.h: the configuration file (CONTRACT.md, "Config file").
 *
 * An INI file read with GKeyFile, after a first pass of our own that keeps
 * line numbers, accepts the contract's "; comment" after a value, and
 * refuses unknown sections, unknown keys and keys given twice.  Every bad
 * key or value is reported, each on its own line of the GError message:
 *   mailorder.conf:14: [imap] tls: 'imap' is not one of imaps, starttls, none
 * Relative paths are resolved against the config file's folder.  Passwords
 * come from password_file (read when needed: config_require_imap) or
 * password; they are never logged.
 * The caller owns the returned config (config_free).
 */
#ifndef MO_CONFIG_H
#define MO_CONFIG_H

#include <glib.h>
#include <stdint.h>

typedef enum {
	CONFIG_TLS_IMPLICIT, /* imaps / smtps: TLS from the first byte */
	CONFIG_TLS_STARTTLS,
	CONFIG_TLS_NONE,     /* only for loopback hosts */
} config_tls;

typedef struct {
	char *name, *address, *postcode, *city, *siret, *vat, *iban, *bic, *bank, *email,
	     *website;
	char *legal_form;    /* SAS, SARL… */
	int64_t capital_cents;  /* -1 when not set */
	char *rcs;           /* the town of its registry: "Libourne" */
	char *late_penalty;  /* the late payment penalty rate, as invoices print it */
	char *logo;          /* absolute path of a PNG or JPEG, or NULL */
} config_company;

/* A VAT rate's account: 5.5 % -> 445711. */
typedef struct {
	int rate_bp;
	char *account;
} config_vat_account;

/* [accounting]: the accounts of the journal entries. */
typedef struct {
	char *sales_account;                 /* 707000 */
	char *bank_account;                  /* 512000 */
	char *cheques_to_deposit_account;    /* 511200 */
	GArray *vat_accounts;                /* config_vat_account, by rate */
} config_accounting;

/* [outbound]: what mailorder sends of its own accord. */
typedef struct {
	gboolean acknowledge;
	gboolean notify_quarantine;
	int max_auto_replies_per_hour;   /* automatic mails to one sender, at most */
	char *bcc;           /* an address, or NULL */
} config_outbound;

typedef struct {
	gboolean present;    /* the section is in the file */
	char *host;
	int port;
	config_tls tls;
	char *user;
	char *password;      /* password, or password_file's once read
			      * (config_require_imap); NULL until then */
	char *password_file; /* absolute path, or NULL */
	char *mailbox;
	int poll_interval;   /* seconds */
	char *ca_file;       /* absolute path, or NULL */
} config_server;

typedef struct {
	char *database;      /* absolute paths */
	char *archive;
	char *archive_shown; /* archive as written in the file, for output */
	int64_t max_attachment_bytes;
	int ocr_timeout_s;   /* OCR of one page, at most (ocr_timeout_s, default 30) */
} config_storage;

typedef struct {
	char *path;          /* the file read */
	char *dir;           /* its folder: base of relative paths */
	config_company company;
	config_server imap;
	config_server smtp;  /* mailbox and poll_interval unused; from in smtp_from */
	char *smtp_from;
	config_storage storage;
	config_accounting accounting;
	config_outbound outbound;
	char *web_listen;    /* [web] listen: "127.0.0.1:8080" */
} config;

/* A key the file may hold, and what it is for (French): each key is
 * described once, in config.c, for `mailorder help config`, the manual
 * and the README. */
typedef struct {
	const char *section, *key;
	const char *value;   /* what is written: "FICHIER", "imaps | starttls | none" */
	const char *def;     /* the default, or NULL */
	const char *doc;
} config_key_info;
/* Key i, in the file's order; NULL beyond the last. */
const config_key_info *config_key(size_t i);

/* Which file to read: explicit (-c), else $MAILORDER_CONFIG, else
 * ./mailorder.conf.  Owned. */
char *config_locate(const char *explicit_path);

/* Reads and checks the whole file.  NULL with MO_ERROR_INVALID (one line
 * per problem) or MO_ERROR_FAILED (cannot read it). */
config *config_load(const char *path, GError **error);
void config_free(config *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(config, config_free)

/* The [imap] settings the poller needs are all there (host, user, and
 * the password, read from password_file now): else MO_ERROR_INVALID
 * naming what is missing.  Only the commands that talk to the server
 * call it, so that the others need no access to the secret. */
int config_require_imap(config *cfg, GError **error);
/* The [smtp] settings sending needs (host, from; the password from
 * password_file when a user is set): else MO_ERROR_INVALID naming what is
 * missing.  Only the commands that send call it. */
int config_require_smtp(config *cfg, GError **error);
/* The same, the password file not read: what init checks. */
int config_check_imap(const config *cfg, GError **error);

/* The [company] keys a document we send must print (CONTRACT.md,
 * "Invoices"): name, address, postcode, city, siret, vat, legal_form,
 * capital, rcs, and for an invoice late_penalty too; else
 * MO_ERROR_INVALID naming every one missing. */
int config_require_company(const config *cfg, gboolean invoice, GError **error);
/* The account of a VAT rate (basis points), or NULL when [accounting]
 * vat_accounts has none. */
const char *config_vat_account_of(const config *cfg, int rate_bp);

/* True for 127.0.0.0/8, ::1 and "localhost". */
gboolean config_host_is_loopback(const char *host);

#endif
