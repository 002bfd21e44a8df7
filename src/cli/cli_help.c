/* cli_help.c: what `mailorder help`, `--help` and `-h` print, from the
 * commands' own descriptions (cli.h), so that the help cannot drift from
 * what the commands accept. */
#include "cli/cli.h"

#include <string.h>

/* The options every command takes (main.c reads them wherever they are). */
static const cli_option global_options[] = {
	{ "-c, --config", "FICHIER",
	  "le fichier de configuration (sinon $MAILORDER_CONFIG, sinon ./mailorder.conf)" },
	{ "-v, --verbose", NULL, "plus de détails dans le journal (comme MAILORDER_LOG=debug)" },
	{ "-h, --help", NULL, "l'aide de la commande, sans rien exécuter" },
	{ NULL, NULL, NULL },
};

/* The words of text from column col (where the cursor is), wrapped at
 * width columns, each new line after indent spaces; a paragraph break
 * ("\n\n") kept.  Columns are characters: an accent counts one. */
static void put_words(FILE *out, const char *text, long col, int indent, int width)
{
	g_auto(GStrv) paragraphs = g_strsplit(text, "\n\n", -1);

	for (int p = 0; paragraphs[p] != NULL; p++) {
		g_auto(GStrv) words = g_strsplit_set(paragraphs[p], " \n", -1);
		gboolean line_empty = TRUE;

		if (p > 0) {
			fprintf(out, "\n\n%*s", indent, "");
			col = indent;
		}
		for (int i = 0; words[i] != NULL; i++) {
			long w = g_utf8_strlen(words[i], -1);

			if (w == 0)
				continue;
			if (!line_empty && col + 1 + w > width) {
				fprintf(out, "\n%*s", indent, "");
				col = indent;
				line_empty = TRUE;
			}
			if (!line_empty) {
				fputc(' ', out);
				col++;
			}
			fputs(words[i], out);
			col += w;
			line_empty = FALSE;
		}
	}
	fputc('\n', out);
}

#define HELP_WIDTH 100
#define HELP_COLUMN 26

/* "  --by QUI      text", the text in a column, wrapped. */
static void put_option(FILE *out, const char *name, const char *value, const char *help)
{
	g_autofree char *left = value ? g_strdup_printf("%s %s", name, value) : g_strdup(name);
	long w = 2 + g_utf8_strlen(left, -1);

	fprintf(out, "  %s", left);
	if (w + 2 > HELP_COLUMN) {
		fprintf(out, "\n%*s", HELP_COLUMN, "");
	} else {
		fprintf(out, "%*s", (int)(HELP_COLUMN - w), "");
	}
	put_words(out, help, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
}

void cli_help_command(const cli_command *cmd, FILE *out)
{
	{
		/* a long usage wraps under itself, within the help's width */
		g_autofree char *usage = g_strdup_printf("mailorder %s%s%s", cmd->name,
							 cmd->synopsis[0] ? " " : "", cmd->synopsis);

		fputs("Usage : ", out);
		put_words(out, usage, 8, 18, HELP_WIDTH);
		fputc('\n', out);
	}
	{
		/* a sentence here, a list item in the list */
		gunichar first = g_utf8_get_char(cmd->summary);
		g_autofree char *sentence = NULL;
		char up[8] = { 0 };

		g_unichar_to_utf8(g_unichar_toupper(first), up);
		sentence = g_strdup_printf("%s%s.", up, g_utf8_next_char(cmd->summary));
		put_words(out, sentence, 0, 0, HELP_WIDTH);
	}
	if (cmd->details != NULL) {
		fputc('\n', out);
		put_words(out, cmd->details, 0, 0, HELP_WIDTH);
	}
	if (cmd->options != NULL && cmd->options[0].name != NULL) {
		fputs("\nOptions :\n", out);
		for (const cli_option *o = cmd->options; o->name != NULL; o++)
			put_option(out, o->name, o->value, o->help);
	}
	if (cmd->conflicts != NULL && cmd->conflicts[0] != NULL) {
		for (const char *const *c = cmd->conflicts; c[0] != NULL; c += 2)
			fprintf(out, "  (%s et %s s'excluent)\n", c[0], c[1]);
	}
	fputs("\nOptions communes à toutes les commandes :\n", out);
	for (const cli_option *o = global_options; o->name != NULL; o++)
		put_option(out, o->name, o->value, o->help);
	if (cmd->examples != NULL) {
		g_auto(GStrv) lines = g_strsplit(cmd->examples, "\n", -1);

		fputs("\nExemples :\n", out);
		for (int i = 0; lines[i] != NULL; i++) {
			if (lines[i][0] != '\0')
				fprintf(out, "  %s\n", lines[i]);
		}
	}
}

void cli_help_list(const char *prefix, FILE *out)
{
	size_t n = strlen(prefix);

	for (int i = 0; cli_commands[i] != NULL; i++) {
		const cli_command *cmd = cli_commands[i];
		long w;

		if (strncmp(cmd->name, prefix, n) != 0)
			continue;
		w = 2 + g_utf8_strlen(cmd->name, -1);
		fprintf(out, "  %s", cmd->name);
		if (w + 2 > HELP_COLUMN)
			fprintf(out, "\n%*s", HELP_COLUMN, "");
		else
			fprintf(out, "%*s", (int)(HELP_COLUMN - w), "");
		put_words(out, cmd->summary, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
	}
}

/* ---------------------------------------------------------------- topics
 * What a user needs besides the commands, written once here: `mailorder
 * help TOPIC`, the manual (help --man) and the README (help --markdown).
 * Markup: paragraphs apart by a blank line; a line of four spaces first is
 * shown as it is (an example); "- " starts an item. */

typedef struct {
	const char *name;
	const char *title;
	const char *text;         /* NULL: made (config) */
} help_topic;

static const help_topic topics[] = {
	{ "config", "Configuration", NULL },
	{ "csv", "Import et export CSV",
	  "mailorder import customers FICHIER.csv et mailorder import products FICHIER.csv "
	  "créent ou mettent à jour chaque ligne par sa référence (ref). Le fichier est "
	  "vérifié en entier d'abord : si une ligne est fausse, rien n'est importé et chaque "
	  "problème est dit sur sa ligne, FICHIER:LIGNE: champ: pourquoi.\n\n"
	  "- Encodage : UTF-8 (avec ou sans BOM) ; un fichier Windows-1252 (Latin-1) est lu "
	  "aussi, et l'import le dit.\n"
	  "- Séparateur : la virgule (RFC 4180), ou le point-virgule d'un tableur français, "
	  "reconnu à la ligne d'en-tête ; guillemets doubles autour d'une valeur qui contient "
	  "le séparateur.\n"
	  "- En-tête obligatoire, colonnes dans n'importe quel ordre, une colonne inconnue est "
	  "une erreur. Les noms français sont acceptés (Référence, Désignation, Prix unitaire "
	  "HT, Taux de TVA, Raison sociale, Code postal facturation…).\n\n"
	  "Clients : ref,name,email,siret,vat,iban,bank,contact,phone,billing_address,"
	  "billing_postcode,billing_city,delivery_address,delivery_postcode,delivery_city,"
	  "account,payment_terms,discount_pct\n\n"
	  "- ref (CLI suivi d'au moins 3 chiffres) et name sont obligatoires ; email peut "
	  "donner plusieurs adresses séparées par « ; ».\n"
	  "- siret (14 chiffres, Luhn), vat (FR, clé, SIREN), iban (modulo 97) sont vérifiés ; "
	  "les espaces sont permises et enlevées.\n"
	  "- payment_terms : par exemple « 30 jours fin de mois », « 45 jours », « comptant ».\n\n"
	  "Produits : ref,name,unit_price,vat_rate,stock,unit\n\n"
	  "- unit_price avec « . » ou « , » ; vat_rate 0, 2.1, 5.5, 10 ou 20 ; stock entier.\n\n"
	  "mailorder export customers FICHIER.csv écrit le fichier clients au format de "
	  "l'import : l'aller-retour par un tableur redonne les mêmes valeurs. Une cellule qui "
	  "commence par = + - @ (une formule pour un tableur) est écrite précédée d'une « ' », "
	  "que l'import enlève." },
	{ "json", "Sorties JSON",
	  "Avec --json, les commandes écrivent du JSON pour un script : montants et taux en "
	  "chaînes décimales avec un point (\"41.40\", \"5.5\"), jamais en nombres à virgule "
	  "flottante ; dates ISO AAAA-MM-JJ ; heures ISO 8601 en UTC.\n\n"
	  "Une commande (show --json, chaque élément de drafts --json) :\n\n"
	  "    {\"number\": \"SO0001\", \"state\": \"draft\",\n"
	  "     \"customer\": {\"ref\": \"CLI042\", \"name\": \"Bio Périgord\"},\n"
	  "     \"customer_order_ref\": \"BC-2026-118\", \"order_date\": \"2026-11-20\",\n"
	  "     \"delivery_date\": null,\n"
	  "     \"lines\": [{\"product_ref\": \"BIO-1001\", \"description\": \"Farine T65 1 kg\",\n"
	  "                \"qty\": \"12\", \"unit_price\": \"3.45\", \"vat_rate\": \"5.5\",\n"
	  "                \"line_total\": \"41.40\", \"confidence\": 1}],\n"
	  "     \"total_ht\": \"41.40\", \"total_vat\": \"2.28\", \"total_ttc\": \"43.68\",\n"
	  "     \"confidence\": {\"customer_order_ref\": 0.9, \"order_date\": 0.9,\n"
	  "                    \"customer\": 1, \"total\": 1},\n"
	  "     \"source\": {\"message_id\": \"<...>\", \"from\": \"achats@bio-perigord.fr\",\n"
	  "                \"subject\": \"...\", \"attachment\": \"BC-118.pdf\",\n"
	  "                \"file\": \"var/archive/2026/11/bio-perigord_BC_SO0001_20-11-2026.pdf\",\n"
	  "                \"sha256\": \"...\"},\n"
	  "     \"checks\": [{\"code\": \"stock_short\", \"severity\": \"warning\", \"line\": 1,\n"
	  "                 \"message\": \"...\"}],\n"
	  "     \"history\": [{\"at\": \"...\", \"who\": \"claire\", \"from\": \"draft\",\n"
	  "                  \"to\": \"draft\", \"note\": \"...\"}]}\n\n"
	  "- customer est null pour un client inconnu ; product_ref est null pour une ligne "
	  "sans produit du catalogue.\n"
	  "- history n'est que dans show --json.\n"
	  "- confidence : ce dont la lecture est sûre, de 0 à 1 ; pour chaque ligne (null pour "
	  "une ligne ajoutée ou corrigée par un employé), et pour chaque champ lu "
	  "(customer_order_ref, order_date, delivery_date, customer, total : le total "
	  "imprimé, sûr quand les lignes le font). Sous 0,7, un contrôle low_confidence dit "
	  "quoi regarder et pourquoi.\n"
	  "- Codes des contrôles : unknown_customer, unknown_product, price_mismatch, "
	  "stock_short, total_mismatch, duplicate_order_ref, no_lines, customer_from_document, "
	  "customer_data_differs, generic_reader, ocr_read, low_confidence, "
	  "pages_not_read ; gravité error, warning ou info.\n\n"
	  "La quarantaine (quarantine --json), une entrée par pièce refusée, ou par message "
	  "sans bon de commande :\n\n"
	  "    [{\"id\": 7, \"message\": \"M0042\", \"message_id\": \"<...>\", \"from\": \"...\",\n"
	  "      \"subject\": \"...\", \"received_at\": \"2026-11-23T09:14:02Z\",\n"
	  "      \"attachment\": \"scan.pdf\", \"sha256\": \"...\", \"reason\": \"not_pdf\",\n"
	  "      \"detail\": \"...\", \"duplicate_of\": null,\n"
	  "      \"file\": \"var/archive/2026/11/inconnu_EML_M0042_23-11-2026.eml\",\n"
	  "      \"document\": null}]\n\n"
	  "- reason : no_order_document, not_pdf, unreadable_pdf, no_text, duplicate, "
	  "too_large, unreadable_message, too_complex, not_read.\n\n"
	  "Les fiches (customer show --json, customer list --json, product show --json, "
	  "product list --json, customer history --json, learned list --json) donnent leurs "
	  "champs sous les noms des colonnes CSV, à une exception : l'e-mail d'un client est "
	  "une liste, emails (la colonne email en met plusieurs, séparés par « ; »). "
	  "customer show --json y ajoute account_type, account_lettering et contacts "
	  "(role, name, phone, email, address, postcode, city).\n\n"
	  "Les factures (invoices --json ; invoice show --json en donne une, sans crochets) :\n\n"
	  "    [{\"number\": \"FA2026-0001\", \"state\": \"posted\", \"order\": \"SO0001\",\n"
	  "      \"customer\": {\"ref\": \"CLI380\", \"name\": \"Bio Périgord\",\n"
	  "                   \"account\": \"411BIO00\"},\n"
	  "      \"date\": \"2026-11-20\", \"due_date\": \"2026-12-31\", \"deliveries\": [\"BL0001\"],\n"
	  "      \"total_ht\": \"41.40\", \"total_vat\": \"2.28\", \"total_ttc\": \"43.68\",\n"
	  "      \"vat\": [{\"rate\": \"5.5\", \"base\": \"41.40\", \"amount\": \"2.28\"}],\n"
	  "      \"paid\": \"0.00\",\n"
	  "      \"file\": \"var/archive/2026/11/bio-perigord_FAC_FA2026-0001_20-11-2026.pdf\"}]\n\n"
	  "- number est null tant que la facture est un brouillon ; state : draft, posted, "
	  "partially_paid, paid.\n\n"
	  "Le journal (entries --json), une ligne par compte mouvementé :\n\n"
	  "    [{\"journal\": \"VT\", \"date\": \"2026-11-20\", \"piece\": \"FA2026-0001\",\n"
	  "      \"account\": \"411BIO00\", \"label\": \"Bio Périgord FA2026-0001\",\n"
	  "      \"debit\": \"43.68\", \"credit\": \"0.00\", \"lettering\": null}]\n\n"
	  "Le suivi (orders --json) : number, order_date, customer ({ref, name} ou null), "
	  "state, prepared_on (le jour de la validation), planned_delivery (la date "
	  "demandée), delivered_on (la dernière livraison), comment, total_ht." },
	{ "fichiers", "Archive et noms des fichiers",
	  "Chaque message reçu et chaque document classé sont dans l'archive ([storage] "
	  "archive), sous AAAA/MM/ de la date du document, nommés :\n\n"
	  "    <partenaire>_<TYPE>_<numéro>_<jj-mm-aaaa>.<ext>\n"
	  "    var/archive/2026/11/bio-perigord_EML_M0001_20-11-2026.eml\n"
	  "    var/archive/2026/11/bio-perigord_BC_SO0001_20-11-2026.pdf\n\n"
	  "- partenaire : le nom du client en minuscules ASCII, accents enlevés, le reste "
	  "en « - » (Bio Périgord : bio-perigord) ; inconnu quand le client n'est pas connu.\n"
	  "- TYPE : EML le message tel que reçu, BC le bon de commande du client, CONF "
	  "notre confirmation, BL le bon de livraison, FAC la facture ; viendront AV "
	  "(avoir), ACPT (acompte), CHQ (chèque).\n"
	  "- numéro : le nôtre (SO0001, BL0001, FA2026-0001) ; un message a le sien "
	  "(M0042).\n"
	  "- date : celle du document (la validation pour une confirmation, la livraison, "
	  "la facture).\n"
	  "- Un nom déjà pris reçoit -2, -3… : rien n'est jamais écrasé. Chaque fichier est "
	  "enregistré dans la base avec son SHA-256." },
	{ "service", "Le service sous systemd",
	  "mailorder run est le service : la relève (IMAP IDLE) et l'envoi des courriels (SMTP) "
	  "dans un seul processus, fait pour systemd. make install pose le programme, cette "
	  "page de manuel, les règles et les modèles livrés (PREFIX/share/mailorder) et le "
	  "fichier mailorder.service (PREFIX/lib/systemd/system). Le service tourne sous un "
	  "utilisateur à lui, mailorder, lit /etc/mailorder/mailorder.conf (MAILORDER_CONFIG) "
	  "et n'écrit que dans /var/lib/mailorder : la base et l'archive y sont, écrites en "
	  "chemins absolus dans le fichier de configuration.\n\n"
	  "    make install PREFIX=/usr/local\n"
	  "    adduser --system --group --home /var/lib/mailorder mailorder\n"
	  "    install -d -m 750 -g mailorder /etc/mailorder\n"
	  "    install -m 640 -g mailorder mailorder.conf /etc/mailorder/\n"
	  "    runuser -u mailorder -- mailorder -c /etc/mailorder/mailorder.conf init\n"
	  "    systemctl daemon-reload\n"
	  "    systemctl enable --now mailorder\n\n"
	  "- [storage] database = /var/lib/mailorder/mailorder.db et archive = "
	  "/var/lib/mailorder/archive : le reste du système est en lecture seule pour le service "
	  "(ProtectSystem=strict).\n"
	  "- systemctl reload mailorder envoie SIGHUP : la configuration est relue, la relève se "
	  "reconnecte avec elle ; un fichier faux est dit au journal et l'ancienne configuration "
	  "reste en service.\n"
	  "- systemctl stop mailorder envoie SIGTERM : le message et le courriel en cours sont "
	  "finis, puis le service s'arrête. Restart=on-failure le relance après une panne locale "
	  "(disque plein, base illisible).\n"
	  "- Le journal : journalctl -u mailorder (-f pour le suivre) ; une ligne par message "
	  "reçu et par courriel, avec leurs numéros.\n"
	  "- Les commandes des employés (drafts, validate…) tournent à côté, sous l'utilisateur "
	  "du service (la base n'est lisible que par lui), avec -c, car sudo ne transmet pas "
	  "MAILORDER_CONFIG : sudo -u mailorder mailorder -c /etc/mailorder/mailorder.conf "
	  "drafts. "
	  "Un mailorder send lancé à la main n'envoie rien deux fois avec le service." },
	{ "codes", "Codes de sortie",
	  "- 0 : la commande a réussi.\n"
	  "- 1 : la commande a tourné, mais quelque chose a échoué (le message dit quoi : une "
	  "valeur refusée, un serveur injoignable, un numéro de commande inconnu…).\n"
	  "- 2 : mauvais usage ou mauvaise configuration (une option inconnue, un argument "
	  "manquant, une erreur dans le fichier de configuration).\n\n"
	  "Les erreurs vont sur la sortie d'erreur, une ligne chacune, « mailorder : erreur : "
	  "… », en nommant le fichier, la ligne, le champ ou la valeur en cause et ce qu'il "
	  "faut faire. Rien n'est à moitié écrit après une erreur." },
	{ "environnement", "Variables d'environnement",
	  "- MAILORDER_CONFIG : le fichier de configuration, quand -c n'est pas donné.\n"
	  "- MAILORDER_LOG : debug (ou détail), info (défaut), warn (ou attention), error "
	  "(ou erreur) : ce que le journal dit (sur la sortie d'erreur).\n"
	  "- MAILORDER_READ_LIMIT_S, MAILORDER_READ_LIMIT_MB : le temps (60 s) et la "
	  "mémoire (512 Mo) qu'une lecture de document peut prendre avant d'être arrêtée.\n"
	  "- TZ : le fuseau des heures affichées (en JSON, les heures sont en UTC).\n"
	  "- DISPLAY, WAYLAND_DISPLAY : un bureau, où mailorder open ouvre le document.\n"
	  "- MAILORDER_OCR_LANES : le nombre de fils OCR de la relève (un par cœur par "
	  "défaut)." },
	{ "conventions", "Conventions de la ligne de commande",
	  "- Chaque commande et sous-commande répond à --help et -h (aussi « mailorder help "
	  "COMMANDE »), sans configuration : usage, options, exemples.\n"
	  "- Les options communes (-c FICHIER, -v) se placent avant ou après la commande.\n"
	  "- Tout ce qu'une personne lit est en français : messages, aides, en-têtes ; les "
	  "noms des commandes, des clés de configuration et du JSON restent en anglais, "
	  "comme les scripts les attendent.\n"
	  "- Une valeur tapée peut l'être en français : --role livraison (delivery).\n"
	  "- Les dates et heures affichées sont locales et françaises (05/12/2026 19:05) ; le "
	  "JSON garde l'ISO et l'UTC.\n"
	  "- Les listes sont des tableaux alignés sous leurs en-têtes, d'au plus 100 colonnes ; "
	  "une valeur trop longue est coupée par « … ».\n"
	  "- Une erreur dit quoi faire ensuite, avec le -c donné ; les contrôles d'un "
	  "brouillon (show) donnent la commande à lancer.\n"
	  "- Les commandes qui ne font que lire (drafts, show, customer list…) n'ont pas besoin "
	  "du mot de passe IMAP : seules poll et run le lisent." },
};

#define INDENT_ITEM 4

/* A topic's text as a terminal shows it. */
/* How a marked text (see above) is written out: a manual, the README, a
 * terminal.  Each function writes its line whole, its end included. */
typedef struct {
	const char *between;          /* before each block but the first */
	const char *after;            /* after each block */
	const char *verbatim_open, *verbatim_close;
	void (*verbatim)(FILE *out, const char *line);   /* its four spaces taken off */
	void (*item)(FILE *out, const char *text);       /* its "- " taken off */
	void (*para)(FILE *out, const char *text);
} text_style;

static void put_marked(FILE *out, const char *text, const text_style *st)
{
	g_auto(GStrv) blocks = g_strsplit(text, "\n\n", -1);

	for (int b = 0; blocks[b] != NULL; b++) {
		g_auto(GStrv) lines = g_strsplit(blocks[b], "\n", -1);
		gboolean verbatim = FALSE;

		if (b > 0)
			fputs(st->between, out);
		for (int i = 0; lines[i] != NULL; i++) {
			gboolean v = g_str_has_prefix(lines[i], "    ");

			if (v != verbatim)
				fputs(v ? st->verbatim_open : st->verbatim_close, out);
			verbatim = v;
			if (v)
				st->verbatim(out, lines[i] + 4);
			else if (g_str_has_prefix(lines[i], "- "))
				st->item(out, lines[i] + 2);
			else
				st->para(out, lines[i]);
		}
		if (verbatim)
			fputs(st->verbatim_close, out);
		fputs(st->after, out);
	}
}

static void term_verbatim(FILE *out, const char *line)
{
	fprintf(out, "    %s\n", line);
}

static void term_item(FILE *out, const char *text)
{
	fputs("  - ", out);
	put_words(out, text, INDENT_ITEM, INDENT_ITEM, HELP_WIDTH);
}

static void term_para(FILE *out, const char *text)
{
	put_words(out, text, 0, 0, HELP_WIDTH);
}

static const text_style term_style = {
	"\n", "", "", "", term_verbatim, term_item, term_para,
};

/* The configuration, from config.h's description of each key. */
static char *config_text(void)
{
	GString *out = g_string_new(
		"Le fichier de configuration : mailorder -c FICHIER, sinon $MAILORDER_CONFIG, sinon "
		"./mailorder.conf. Un fichier INI en UTF-8 ; un commentaire commence par « ; » ou "
		"« # » en début de ligne, ou par « ; » après une valeur ; une valeur vide vaut "
		"« non donnée ». Les chemins relatifs partent du dossier du fichier. Chaque problème "
		"du fichier est dit, une ligne chacun (FICHIER:LIGNE: [section] clé : pourquoi), code "
		"de sortie 2 ; une section ou une clé inconnue, une clé donnée deux fois sont "
		"refusées.");
	const char *section = NULL;

	for (size_t i = 0; config_key(i) != NULL; i++) {
		const config_key_info *k = config_key(i);

		if (section == NULL || strcmp(section, k->section) != 0) {
			section = k->section;
			g_string_append_printf(out, "\n\n[%s]\n", section);
		} else {
			g_string_append_c(out, '\n');
		}
		g_string_append_printf(out, "- %s = %s : %s%s%s%s", k->key, k->value, k->doc,
				       k->def ? " (défaut : " : "", k->def ? k->def : "",
				       k->def ? ")" : "");
		if (strchr(k->doc, '.') == NULL || !g_str_has_suffix(out->str, "."))
			g_string_append_c(out, '.');
	}
	g_string_append(out, "\n\nExemple :\n\n"
			     "    [company]\n"
			     "    name = Sweetie Bio\n"
			     "    email = contact@sweetiebio.fr\n"
			     "    [imap]\n"
			     "    host = imap.example.fr\n"
			     "    user = commandes@sweetiebio.fr\n"
			     "    password_file = secrets/imap.pass\n"
			     "    [storage]\n"
			     "    database = var/mailorder.db\n"
			     "    archive = var/archive");
	return g_string_free(out, FALSE);
}

static char *topic_text(const help_topic *t)
{
	return t->text ? g_strdup(t->text) : config_text();
}

static const help_topic *topic_named(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
		if (strcmp(topics[i].name, name) == 0)
			return &topics[i];
	}
	return NULL;
}

/* ---------------------------------------------------------------- manual, README */

/* roff: a backslash doubled, a line starting with . or ' protected. */
static void roff_put(FILE *out, const char *text)
{
	if (text[0] == '.' || text[0] == '\'')
		fputs("\\&", out);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
}

static void roff_verbatim(FILE *out, const char *line)
{
	roff_put(out, line);
	fputc('\n', out);
}

static void roff_item(FILE *out, const char *text)
{
	fputs(".IP \\(bu 2\n", out);
	roff_verbatim(out, text);
}

static void roff_para(FILE *out, const char *text)
{
	fputs(".PP\n", out);
	roff_verbatim(out, text);
}

static const text_style roff_style = {
	"", "", ".PP\n.RS 4\n.nf\n", ".fi\n.RE\n", roff_verbatim, roff_item, roff_para,
};

static char *sentence_of(const char *summary)
{
	gunichar first = g_utf8_get_char(summary);
	char up[8] = { 0 };

	g_unichar_to_utf8(g_unichar_toupper(first), up);
	return g_strdup_printf("%s%s.", up, g_utf8_next_char(summary));
}

static void put_man(FILE *out)
{
	fputs("'\\\" -*- coding: UTF-8 -*-\n"
	      ".TH MAILORDER 1 \"\" \"mailorder\" \"Manuel de mailorder\"\n"
	      ".SH NOM\nmailorder \\- les bons de commande reçus par courriel, lus et mis en "
	      "brouillons de commande\n"
	      ".SH SYNOPSIS\n.B mailorder\n[\\-c \\fIFICHIER\\fR] [\\-v] \\fICOMMANDE\\fR "
	      "[\\fIARGUMENTS\\fR]\n"
	      ".SH DESCRIPTION\nmailorder relève une boîte IMAP, archive chaque message, lit "
	      "les bons de commande joints (PDF, formulaires, numérisations) et en fait des "
	      "brouillons de commande à vérifier ; il tient aussi le fichier clients et le "
	      "catalogue, fait les confirmations, bons de livraison et factures, et les envoie "
	      "aux clients par courriel.\n.PP\nEn service, \\fBmailorder run\\fR relève et "
	      "envoie dans un seul processus, sous systemd (voir LE SERVICE SOUS SYSTEMD). Le "
	      "fichier de configuration est celui de \\-c, sinon $MAILORDER_CONFIG, sinon "
	      "./mailorder.conf (voir CONFIGURATION) ; celui du service : "
	      "/etc/mailorder/mailorder.conf.\n.SH OPTIONS COMMUNES\n",
	      out);
	for (const cli_option *o = global_options; o->name != NULL; o++) {
		fputs(".TP\n.B ", out);
		roff_put(out, o->name);
		if (o->value != NULL) {
			fputs(" ", out);
			roff_put(out, o->value);
		}
		fputc('\n', out);
		roff_put(out, o->help);
		fputc('\n', out);
	}
	fputs(".TP\n.B \\-\\-version\nla version de mailorder\n.SH COMMANDES\n", out);
	for (int i = 0; cli_commands[i] != NULL; i++) {
		const cli_command *cmd = cli_commands[i];
		g_autofree char *sentence = sentence_of(cmd->summary);

		fputs(".SS \"mailorder ", out);
		roff_put(out, cmd->name);
		if (cmd->synopsis[0] != '\0') {
			fputc(' ', out);
			roff_put(out, cmd->synopsis);
		}
		fputs("\"\n", out);
		roff_put(out, sentence);
		fputc('\n', out);
		if (cmd->details != NULL)
			put_marked(out, cmd->details, &roff_style);
		for (const cli_option *o = cmd->options; o != NULL && o->name != NULL; o++) {
			fputs(".TP\n.B ", out);
			roff_put(out, o->name);
			if (o->value != NULL) {
				fputs(" ", out);
				roff_put(out, o->value);
			}
			fputc('\n', out);
			roff_put(out, o->help);
			fputc('\n', out);
		}
		if (cmd->examples != NULL) {
			g_auto(GStrv) lines = g_strsplit(cmd->examples, "\n", -1);

			fputs(".PP\nExemples :\n.RS 4\n.nf\n", out);
			for (int k = 0; lines[k] != NULL; k++) {
				roff_put(out, lines[k]);
				fputc('\n', out);
			}
			fputs(".fi\n.RE\n", out);
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
		g_autofree char *text = topic_text(&topics[i]);
		g_autofree char *title = g_utf8_strup(topics[i].title, -1);

		fputs(".SH ", out);
		roff_put(out, title);
		fputc('\n', out);
		put_marked(out, text, &roff_style);
	}
	fputs(".SH FICHIERS\n.TP\n/etc/mailorder/mailorder.conf\nla configuration du service\n"
	      ".TP\n/var/lib/mailorder\nla base et l'archive du service\n"
	      ".TP\nBASE.poll\\-lock, BASE.send\\-lock\nles verrous d'une seule relève et d'un seul "
	      "envoi à la fois, à côté de la base\n"
	      ".SH VOIR AUSSI\nsystemctl(1), journalctl(1), systemd.service(5) ; README.md, dans les "
	      "sources de mailorder.\n", out);
}

/* A line of Markdown with < and > written as entities: "Nom <adresse>"
 * is no HTML tag. */
static void put_markdown_line(FILE *out, const char *line)
{
	for (const char *p = line; *p != '\0'; p++) {
		if (*p == '<')
			fputs("&lt;", out);
		else if (*p == '>')
			fputs("&gt;", out);
		else
			fputc(*p, out);
	}
	fputc('\n', out);
}

static void md_verbatim(FILE *out, const char *line)
{
	fprintf(out, "%s\n", line);
}

static void md_item(FILE *out, const char *text)
{
	fputs("- ", out);
	put_markdown_line(out, text);
}

static const text_style markdown_style = {
	"", "\n", "```\n", "```\n", md_verbatim, md_item, put_markdown_line,
};

static void put_markdown(FILE *out)
{
	fputs("## Référence\n\n"
	      "Cette partie est faite par `mailorder help --markdown`, des mêmes textes que "
	      "l'aide (`mailorder help`, `--help`) et la page de manuel `mailorder(1)`.\n\n"
	      "### Commandes\n\n"
	      "Options communes à toutes les commandes, avant ou après la commande :\n\n",
	      out);
	for (const cli_option *o = global_options; o->name != NULL; o++)
		fprintf(out, "- `%s%s%s` : %s\n", o->name, o->value ? " " : "",
			o->value ? o->value : "", o->help);
	fputc('\n', out);
	for (int i = 0; cli_commands[i] != NULL; i++) {
		const cli_command *cmd = cli_commands[i];
		g_autofree char *sentence = sentence_of(cmd->summary);

		fprintf(out, "#### `mailorder %s%s%s`\n\n%s\n\n", cmd->name,
			cmd->synopsis[0] ? " " : "", cmd->synopsis, sentence);
		if (cmd->details != NULL)
			put_marked(out, cmd->details, &markdown_style);
		for (const cli_option *o = cmd->options; o != NULL && o->name != NULL; o++)
			fprintf(out, "- `%s%s%s` : %s\n", o->name, o->value ? " " : "",
				o->value ? o->value : "", o->help);
		if (cmd->options != NULL && cmd->options[0].name != NULL)
			fputc('\n', out);
		if (cmd->examples != NULL)
			fprintf(out, "```\n%s\n```\n\n", cmd->examples);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
		g_autofree char *text = topic_text(&topics[i]);

		fprintf(out, "### %s\n\n", topics[i].title);
		put_marked(out, text, &markdown_style);
	}
}

void cli_help_general(FILE *out)
{
	fputs("Usage : mailorder [-c FICHIER] [-v] COMMANDE [ARGUMENTS]\n\n"
	      "mailorder lit les bons de commande reçus par courriel, en fait des brouillons\n"
	      "de commande à vérifier, et tient le fichier clients.\n\n"
	      "Commandes :\n",
	      out);
	cli_help_list("", out);
	fputs("\nOptions communes à toutes les commandes :\n", out);
	for (const cli_option *o = global_options; o->name != NULL; o++)
		put_option(out, o->name, o->value, o->help);
	put_option(out, "--version", NULL, "la version de mailorder");
	fputs("\nSujets (mailorder help SUJET) :\n", out);
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
		long w = 2 + g_utf8_strlen(topics[i].name, -1);

		fprintf(out, "  %s%*s", topics[i].name, (int)(HELP_COLUMN - w), "");
		put_words(out, topics[i].title, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
	}
	fputs("\nL'aide d'une commande : mailorder help COMMANDE, ou mailorder COMMANDE --help.\n"
	      "Tout est aussi dans README.md et dans la page de manuel (man -l build/mailorder.1).\n",
	      out);
}

static int help_run(cli_ctx *ctx, const cli_args *a)
{
	g_autoptr(GString) words = g_string_new(NULL);

	(void)ctx;
	for (guint i = 0; cli_arg(a, i) != NULL; i++)
		g_string_append_printf(words, "%s%s", i ? " " : "", cli_arg(a, i));
	if (cli_flag(a, "--man") || cli_flag(a, "--markdown")) {
		if (words->len > 0)
			return cli_usage("help : --man et --markdown donnent tout, sans sujet");
		if (cli_flag(a, "--man"))
			put_man(stdout);
		else
			put_markdown(stdout);
		return CLI_OK;
	}
	if (words->len == 0) {
		cli_help_general(stdout);
		return CLI_OK;
	}
	if (topic_named(words->str) != NULL) {
		const help_topic *t = topic_named(words->str);
		g_autofree char *text = topic_text(t);

		printf("%s\n\n", t->title);
		put_marked(stdout, text, &term_style);
		return CLI_OK;
	}
	for (int i = 0; cli_commands[i] != NULL; i++) {
		if (strcmp(cli_commands[i]->name, words->str) == 0) {
			cli_help_command(cli_commands[i], stdout);
			return CLI_OK;
		}
	}
	{
		/* a family: "customer", "customer contact" */
		g_autofree char *prefix = g_strdup_printf("%s ", words->str);

		for (int i = 0; cli_commands[i] != NULL; i++) {
			if (g_str_has_prefix(cli_commands[i]->name, prefix)) {
				printf("Les commandes « %s » :\n", words->str);
				cli_help_list(prefix, stdout);
				printf("\nL'aide de chacune : mailorder help %s SOUS-COMMANDE\n",
				       words->str);
				return CLI_OK;
			}
		}
	}
	return cli_usage("help : aucune commande « %s » (mailorder help les liste)", words->str);
}

static const cli_option help_options[] = {
	{ "--man", NULL, "tout, en page de manuel (roff) : ce que make construit dans build/mailorder.1" },
	{ "--markdown", NULL, "tout, en Markdown : la référence de README.md" },
	{ NULL, NULL, NULL },
};

static const char *const help_conflicts[] = { "--man", "--markdown", NULL };

const cli_command cli_cmd_help = {
	.name = "help",
	.synopsis = "[COMMANDE [SOUS-COMMANDE] | SUJET] [--man | --markdown]",
	.summary = "l'aide : la liste des commandes, l'usage, les options et un exemple d'une "
		   "commande, ou un sujet (config, csv, json, fichiers, service, codes, "
		   "environnement, conventions)",
	.options = help_options,
	.conflicts = help_conflicts,
	.examples = "mailorder help\nmailorder help customer add\nmailorder help config\n"
		    "mailorder help --man > mailorder.1",
	.min_args = 0,
	.max_args = 3,
	.no_config = TRUE,
	.run = help_run,
};
