/* Unit tests of config.c: the contract's file reads; each bad key or value
 * gives one line naming file, line, section, key and why. */
#include "lib/config.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

static char *dir;

static char *write_file(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
	return path;
}

/* Loads text; returns the error message (owned) or NULL when it loaded. */
static char *load_error(const char *text, config **cfg_r)
{
	g_autofree char *path = write_file("t.conf", text);
	GError *err = NULL;
	config *cfg = config_load(path, &err);
	char *msg = err ? g_strdup(err->message) : NULL;

	g_clear_error(&err);
	if (cfg_r)
		*cfg_r = cfg;
	else
		config_free(cfg);
	return msg;
}

static const char contract_example[] =
	"[company]            ; the seller, printed on every document\n"
	"name = Sweetie Bio\n"
	"address = Zone Industrielle La Ballastière\n"
	"postcode = 33500\n"
	"city = Libourne\n"
	"siret = 12656292500092\n"
	"vat = FR38126562925\n"
	"iban = FR7616959000017788869762403\n"
	"bic = AGRIFRPPAGN\n"
	"bank = Crédit Agricole\n"
	"email = contact@sweetiebio.fr\n"
	"website = www.sweetiebio.fr\n"
	"\n"
	"[imap]\n"
	"host = 127.0.0.1\n"
	"port = 993\n"
	"tls = imaps            ; imaps | starttls | none (none only allowed for loopback hosts)\n"
	"user = commandes@sweetiebio.fr\n"
	"password_file = secrets/imap.pass   ; or: password = ...\n"
	"mailbox = INBOX\n"
	"poll_interval = 60     ; seconds, for `mailorder poll` without --once\n"
	"ca_file =              ; optional: trust this CA (private servers, tests)\n"
	"\n"
	"[smtp]\n"
	"host = 127.0.0.1\n"
	"port = 465\n"
	"tls = smtps            ; smtps | starttls | none (none only for loopback)\n"
	"user =\n"
	"password_file =\n"
	"from = Sweetie Bio <commandes@sweetiebio.fr>\n"
	"ca_file =\n"
	"\n"
	"[storage]\n"
	"database = var/mailorder.db\n"
	"archive = var/archive\n"
	"max_attachment_mb = 25 ; larger parts are quarantined `too_large`\n";

static void test_contract_example(void)
{
	g_autofree char *secret_dir = g_build_filename(dir, "secrets", NULL);
	g_autofree char *secret = NULL;
	g_autofree char *err = NULL;
	g_autofree char *want_db = g_build_filename(dir, "var/mailorder.db", NULL);
	config *cfg = NULL;

	g_mkdir(secret_dir, 0700);
	secret = write_file("secrets/imap.pass", "s3cret; with # odd chars\n");
	g_chmod(secret, 0600);   /* else a warning says anyone can read it */
	err = load_error(contract_example, &cfg);
	is_str(err, NULL, "the contract's example loads, inline ; comments and all");
	if (cfg == NULL)
		return;
	is_str(cfg->company.name, "Sweetie Bio", "company name");
	is_str(cfg->company.bank, "Crédit Agricole", "accents kept");
	is_str(cfg->imap.host, "127.0.0.1", "imap host");
	is_int(cfg->imap.port, 993, "imap port");
	ok(cfg->imap.tls == CONFIG_TLS_IMPLICIT, "imap tls imaps");
	ok(cfg->imap.password == NULL, "the password file is not read at load");
	{
		GError *e = NULL;

		ok(config_require_imap(cfg, &e) == 0, "the poller's settings are there");
		g_clear_error(&e);
	}
	is_str(cfg->imap.password, "s3cret; with # odd chars", "password from its file, first line");
	is_int(cfg->imap.poll_interval, 60, "poll_interval");
	ok(cfg->imap.ca_file == NULL, "an empty ca_file is no ca_file");
	is_str(cfg->smtp_from, "Sweetie Bio <commandes@sweetiebio.fr>", "smtp from");
	ok(cfg->smtp.user == NULL, "an empty user is no user");
	is_str(cfg->storage.database, want_db, "database relative to the config folder");
	is_str(cfg->storage.archive_shown, "var/archive", "archive as written, for output");
	is_int(cfg->storage.max_attachment_bytes, 25 * 1024 * 1024, "max attachment in bytes");
	/* the order chain's sections, absent: the contract's defaults */
	is_str(cfg->accounting.sales_account, "707000", "sales_account's default");
	is_str(config_vat_account_of(cfg, 550), "445711", "the VAT account of 5.5 %% by default");
	is_str(config_vat_account_of(cfg, 210), "445714", "and of 2.1 %%");
	ok(config_vat_account_of(cfg, 700) == NULL, "a rate without an account has none");
	ok(cfg->outbound.acknowledge && cfg->outbound.notify_quarantine, "[outbound] yes by default");
	is_str(cfg->web_listen, "127.0.0.1:8080", "[web] listen's default");
	{
		GError *e = NULL;

		ok(config_require_company(cfg, FALSE, &e) < 0 && e != NULL &&
			   strstr(e->message, "il manque legal_form, capital, rcs,") != NULL,
		   "a document needs the company's legal mentions: those missing are named");
		if (e != NULL)
			tap_diag("%s", e->message);
		g_clear_error(&e);
	}
	config_free(cfg);
}

static void test_order_chain_keys(void)
{
	g_autofree char *err = NULL;
	config *cfg = NULL;
	GError *e = NULL;

	err = load_error("[company]\nname = Sweetie Bio\naddress = ZI\npostcode = 33500\n"
			 "city = Libourne\nsiret = 12656292500092\nvat = FR38126562925\n"
			 "legal_form = SAS\ncapital = 10 000\nrcs = Libourne\n"
			 "[accounting]\nsales_account = 707100\nvat_accounts = 5,5:445715, 20:445716\n"
			 "[outbound]\nacknowledge = no\nbcc = copie@sweetiebio.fr\n"
			 "[web]\nlisten = 0.0.0.0:8443\n", &cfg);
	is_str(err, NULL, "the order chain's keys load");
	if (cfg == NULL)
		return;
	is_int(cfg->company.capital_cents, 1000000, "capital in cents, its thousands space read");
	is_str(cfg->accounting.sales_account, "707100", "sales_account");
	is_str(config_vat_account_of(cfg, 550), "445715", "a rate given replaces its default");
	is_str(config_vat_account_of(cfg, 2000), "445716", "another");
	ok(config_vat_account_of(cfg, 1000) == NULL, "the file's list is the whole list");
	ok(!cfg->outbound.acknowledge, "acknowledge = no");
	is_str(cfg->outbound.bcc, "copie@sweetiebio.fr", "bcc");
	is_str(cfg->web_listen, "0.0.0.0:8443", "listen");
	ok(config_require_company(cfg, FALSE, &e) == 0, "a confirmation can be printed");
	g_clear_error(&e);
	ok(config_require_company(cfg, TRUE, &e) < 0 && strstr(e->message, "il manque late_penalty") != NULL,
	   "an invoice needs late_penalty too");
	g_clear_error(&e);
	config_free(cfg);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *want, *why;
	} cases[] = {
		{ "[imap]\nhost = mail.example.com\ntls = none\n",
		  "t.conf:3: [imap] tls : « none » envoie le mot de passe en clair", "none on a remote host" },
		{ "[imap]\ntls = imap\n", "t.conf:2: [imap] tls : « imap » n'est ni imaps, ni starttls, ni none",
		  "a bad tls value" },
		{ "[imap]\nport = 99999\n", "t.conf:2: [imap] port : « 99999 » n'est pas un nombre entier de 1 à 65535",
		  "a port out of range" },
		{ "[imap]\nfeilds = x\n", "t.conf:2: [imap] feilds : clé inconnue (connues : host, port, tls, user, password, password_file, mailbox, poll_interval, ca_file ; mailorder help config les décrit)", "a misspelt key, the known ones named" },
		{ "[imapp]\n", "t.conf:1: section inconnue [imapp]", "an unknown section" },
		{ "[storage]\nmax_attachment_mb = lots\n",
		  "t.conf:2: [storage] max_attachment_mb : « lots » n'est pas un nombre entier", "not a number" },
		{ "[company]\nsiret = 92600036500064\n", "t.conf:2: [company] siret : « 92600036500064 » : ",
		  "a SIRET failing Luhn" },
		{ "[imap]\npassword = a\npassword_file = b\n", "t.conf:3: [imap] password_file : password ou password_file, pas les deux",
		  "two passwords" },
		{ "[imap]\nhost = a\nhost = b\n", "t.conf:3: [imap] host : donnée deux fois (la première en ligne 2)",
		  "a key given twice" },
		{ "host = a\n", "t.conf:1: « host » avant toute [section]", "a key outside sections" },
		{ "[imap]\njust words\n", "t.conf:2: pas une ligne « clé = valeur »", "a line without =" },
		{ "[imap]\nca_file = /no/such/ca.pem\n", "t.conf:2: [imap] ca_file : /no/such/ca.pem : fichier introuvable",
		  "a missing ca_file" },
		{ "[smtp]\nfrom = nobody\n", "t.conf:2: [smtp] from : « nobody » n'est pas une adresse", "a bad from" },
		{ "[company]\ncapital = dix mille\n", "t.conf:2: [company] capital : « dix mille » n'est pas un montant",
		  "a capital that is no amount" },
		{ "[accounting]\nsales_account = ventes\n", "t.conf:2: [accounting] sales_account : « ventes » n'est pas un compte",
		  "an account that is none" },
		{ "[accounting]\nvat_accounts = 5.5=445711\n", "t.conf:2: [accounting] vat_accounts : « 5.5=445711 » : écrivez TAUX:COMPTE",
		  "vat_accounts miswritten" },
		{ "[outbound]\nacknowledge = peut-être\n", "t.conf:2: [outbound] acknowledge : « peut-être » n'est ni yes, ni no",
		  "a yes/no that is neither" },
		{ "[web]\nlisten = 8080\n", "t.conf:2: [web] listen : « 8080 » : écrivez ADRESSE:PORT", "listen without its address" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *err = load_error(cases[i].text, NULL);
		g_autofree char *path = g_build_filename(dir, "t.conf", NULL);
		g_autofree char *want = g_strdup_printf("%s/%s", dir, cases[i].want);

		/* Messages name the file as it was given: here, its full path. */
		ok(err != NULL && g_str_has_prefix(err, want), "%s is refused", cases[i].why);
		if (err == NULL || !g_str_has_prefix(err, want))
			tap_diag("got: %s", err ? err : "(loaded)");
	}
	{
		g_autofree char *err = load_error("[imap]\ntls = imap\nport = 0\n[storage]\nx = 1\n", NULL);
		g_auto(GStrv) lines = err ? g_strsplit(err, "\n", -1) : NULL;

		is_int(lines ? g_strv_length(lines) : 0, 3, "three problems, three lines");
		ok(lines && g_strv_length(lines) == 3 && strstr(lines[0], "t.conf:2:") &&
			   strstr(lines[1], "t.conf:3:") && strstr(lines[2], "t.conf:5:"),
		   "in the order of the file");
	}
	{
		g_autofree char *err = load_error("[imap\nhost = x\n[storage]\nmax_attachment_mb = lots\n",
						  NULL);
		g_auto(GStrv) lines = err ? g_strsplit(err, "\n", -1) : NULL;

		is_int(lines ? g_strv_length(lines) : 0, 2,
		       "a broken section header does not hide the problems after it");
		ok(lines && strstr(lines[0], "t.conf:1: en-tête de section sans « ] »") != NULL,
		   "the broken header is named with its line");
	}
	{
		g_autofree char *err = load_error("[imap]\npassword = hunter2\nport = x\n", NULL);

		ok(err != NULL && strstr(err, "hunter2") == NULL, "a password never appears in errors");
	}
}

/* Bytes that end C strings or are not text: every line is checked, and
 * what follows them is never silently dropped. */
static void test_bytes(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *want, *why;
	} cases[] = {
		{ "[storage]\ndatabase = a\0b\nmax_attachment_mb = 99999\n",
		  sizeof("[storage]\ndatabase = a\0b\nmax_attachment_mb = 99999\n") - 1,
		  "t.conf:2: un octet NUL en colonne 13", "a NUL byte in a value" },
		{ "\0", 1, "t.conf:1: un octet NUL en colonne 1", "a file that is one NUL" },
		{ "[imap]\n# caf\xe9\n", 14, "t.conf:2: l'octet 0xE9 en colonne 6 n'est pas de l'UTF-8",
		  "Latin-1 in a comment" },
		{ "[imap]\nhost = \xff\n", 15, "t.conf:2: l'octet 0xFF en colonne 8 n'est pas de l'UTF-8",
		  "a byte no text has" },
		{ "[imap]\nhost = \xc3\n", 15, "t.conf:2: l'octet 0xC3 en colonne 8 n'est pas de l'UTF-8",
		  "a cut UTF-8 sequence" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_build_filename(dir, "t.conf", NULL);
		g_autofree char *want = g_strdup_printf("%s/%s", dir, cases[i].want);
		g_autoptr(GError) err = NULL;
		config *cfg;

		g_file_set_contents(path, cases[i].text, (gssize)cases[i].len, NULL);
		cfg = config_load(path, &err);
		ok(cfg == NULL && err != NULL && g_str_has_prefix(err->message, want),
		   "%s is refused, with its line", cases[i].why);
		if (cfg != NULL || err == NULL || !g_str_has_prefix(err->message, want))
			tap_diag("got: %s", err ? err->message : "(loaded)");
		config_free(cfg);
	}
	{
		g_autofree char *path = g_build_filename(dir, "fifo.conf", NULL);
		g_autoptr(GError) err = NULL;
		config *cfg = NULL;

		/* opening a FIFO for reading waits for a writer: never here (and
		 * if it did, the alarm ends the test instead of hanging it) */
		alarm(10);
		if (mkfifo(path, 0600) == 0)
			cfg = config_load(path, &err);
		alarm(0);
		ok(cfg == NULL && err != NULL && strstr(err->message, "ce n'est pas un fichier") != NULL,
		   "a FIFO is refused at once");
		config_free(cfg);
	}
}

static void test_defaults_and_loopback(void)
{
	config *cfg = NULL;
	g_autofree char *err = load_error("[imap]\nhost = localhost\ntls = none\nuser = u\n"
					  "password = p\n", &cfg);
	GError *e = NULL;

	is_str(err, NULL, "none on localhost is allowed");
	if (cfg != NULL) {
		is_int(cfg->imap.port, 143, "default port for none is 143");
		is_str(cfg->imap.mailbox, "INBOX", "default mailbox");
		is_int(cfg->storage.max_attachment_bytes, 25 * 1024 * 1024, "default 25 MB");
		ok(config_require_imap(cfg, &e) == 0, "the poller has what it needs");
		config_free(cfg);
	}
	g_clear_error(&e);
	cfg = NULL;
	g_free(err);
	err = load_error("[imap]\nhost = 127.0.0.1\n", &cfg);
	ok(cfg != NULL && config_require_imap(cfg, &e) < 0 &&
		   strstr(e->message, "[imap] : il manque user, password_file (ou password)"),
	   "a missing user and password are named, together");
	g_clear_error(&e);
	config_free(cfg);
	cfg = NULL;
	g_free(err);
	err = load_error("[imap]\nhost = 127.0.0.1\nuser = u\npassword_file = nowhere.pass\n", &cfg);
	ok(cfg != NULL, "a missing password file does not stop the load (a clerk needs none)");
	ok(cfg != NULL && config_require_imap(cfg, &e) < 0 &&
		   strstr(e->message, "[imap] password_file : ") &&
		   strstr(e->message, "nowhere.pass ne peut pas être lu"),
	   "the poller's check names it");
	g_clear_error(&e);
	config_free(cfg);
	ok(config_host_is_loopback("127.0.0.1"), "127.0.0.1 is loopback");
	ok(config_host_is_loopback("127.8.9.10"), "127.8.9.10 is loopback");
	ok(config_host_is_loopback("::1"), "::1 is loopback");
	ok(!config_host_is_loopback("10.0.0.1"), "10.0.0.1 is not");
	ok(!config_host_is_loopback("localhost.evil.com"), "localhost.evil.com is not");
}

int main(void)
{
	g_autoptr(GError) err = NULL;

	dir = g_dir_make_tmp("mo-config-XXXXXX", &err);
	test_contract_example();
	test_order_chain_keys();
	test_errors();
	test_bytes();
	test_defaults_and_loopback();
	{
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			tap_diag("could not remove %s", dir);
	}
	g_free(dir);
	return tap_done();
}
