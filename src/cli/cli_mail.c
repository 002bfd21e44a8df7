/* The mails we send: outbox (store/db_outbox.h holds them). */
#include "cli/cli.h"

#include "lib/log.h"

#include "lib/jsonw.h"
#include "mail/outbox.h"
#include "store/db_outbox.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void string_list(jsonw *w, const char *key, char *const *list)
{
	jsonw_key(w, key);
	jsonw_array_begin(w);
	for (guint i = 0; list != NULL && list[i] != NULL; i++)
		jsonw_string(w, list[i]);
	jsonw_array_end(w);
}

static int outbox_run(cli_ctx *ctx, const cli_args *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) mails = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const char *state = cli_opt(args, "--state");
	outbox_state s;
	int rc = CLI_OK;
	db *d;

	if (state != NULL && !outbox_state_parse(state, &s))
		return cli_usage("outbox : --state « %s » : queued, sent, failed, dead ou bounced", state);
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	mails = db_outbox_list(d, state, &err);
	db_close(&d);
	if (mails == NULL)
		return cli_report(err);
	if (cli_flag(args, "--json")) {
		jsonw w;

		jsonw_init(&w, out);
		jsonw_array_begin(&w);
		for (guint i = 0; i < mails->len; i++) {
			const outbox_mail *m = mails->pdata[i];
			g_autofree char *id = g_strdup_printf("<%s>", m->message_id);

			jsonw_object_begin(&w);
			jsonw_member_int(&w, "id", m->id);
			jsonw_member_string(&w, "state", outbox_state_name(m->state));
			jsonw_member_string(&w, "kind", mail_kind_name(m->kind));
			jsonw_member_string(&w, "order", m->order_number);
			string_list(&w, "to", m->to);
			jsonw_member_string(&w, "subject", m->subject);
			jsonw_member_string(&w, "message_id", id);
			string_list(&w, "attachments", m->attachments);
			jsonw_member_string(&w, "queued_at", m->queued_at);
			jsonw_member_string(&w, "sent_at", m->sent_at);
			jsonw_member_int(&w, "tries", m->tries);
			jsonw_member_string(&w, "last_error", m->last_error);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		fputs(out->str, stdout);
		return CLI_OK;
	}
	if (mails->len == 0) {
		cli_put("Aucun courriel.\n");
		return CLI_OK;
	}
	{
		static const char *const headers[] = { "N°", "Préparé le", "Sorte", "Commande", "À",
						       "État", "Objet" };
		cli_table *t = cli_table_new(headers, "rlllLlL");

		for (guint i = 0; i < mails->len; i++) {
			const outbox_mail *m = mails->pdata[i];
			g_autofree char *no = g_strdup_printf("%" G_GINT64_FORMAT, (gint64)m->id);
			g_autofree char *when = cli_time_fr(m->queued_at);
			g_autofree char *to = g_strjoinv(", ", m->to);
			const char *cells[] = { no, when, mail_kind_fr(m->kind), m->order_number, to,
						outbox_state_fr(m->state), m->subject };

			cli_table_add(t, cells);
		}
		cli_table_print(t, out);
	}
	cli_put(out->str);
	return CLI_OK;
}

static const cli_option outbox_options[] = {
	{ "--state", "ÉTAT", "seulement ceux dans cet état : queued (en attente), sent, failed, dead, "
			     "bounced" },
	{ "--json", NULL, "en JSON (mailorder help json)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_outbox = {
	.name = "outbox",
	.synopsis = "[--state ÉTAT] [--json]",
	.summary = "les courriels aux clients : en attente, envoyés, en échec",
	.details = "Chaque courriel est préparé entier (son Message-ID, ses PDF joints sous leur "
		   "nom classé) dans la même transaction que ce qu'il annonce : un message reçu "
		   "(l'accusé de réception de ce qui a été lu, ou l'avis d'une pièce jointe "
		   "illisible), la validation d'une commande (sa confirmation), son rejet avec "
		   "--notify, une facture (la facture et ses bons de livraison). Il est adressé "
		   "au Reply-To du message de la commande, sinon à son expéditeur, en réponse à "
		   "ce message. Les réponses "
		   "automatiques suivent la RFC 3834 : aucune à un message automatique (liste de "
		   "diffusion, répondeur, avis de non-remise), à nos propres adresses, à un client "
		   "qui les refuse (customer edit --acknowledge non), ni au-delà de [outbound] "
		   "max_auto_replies_per_hour par adresse et par heure (500 en tout) ; l'avis "
		   "d'une pièce non lue ne va qu'à une adresse du fichier clients. Un avis de "
		   "non-remise ou "
		   "une réponse automatique à l'un de nos courriels le marque revenu (bounced), "
		   "avec la raison. mailorder send les envoie ; ceux qui échouent restent ici, "
		   "avec la raison (last_error) et le nombre d'essais (tries) : en échec (failed) "
		   "ils sont réessayés, jusqu'à 6 heures entre deux essais, pendant 48 heures ; "
		   "abandonnés (dead) après un refus définitif du serveur ou 48 heures sans être "
		   "partis.",
	.options = outbox_options,
	.examples = "mailorder outbox\nmailorder outbox --state queued --json",
	.min_args = 0,
	.max_args = 0,
	.run = outbox_run,
};

/* ---------------------------------------------------------------- send */

#define SEND_INTERVAL_S 30
#define BUSY_WAIT_US (200 * 1000)

static volatile sig_atomic_t send_stop;

static void on_stop(int sig)
{
	(void)sig;
	send_stop = 1;
}

static int send_run(cli_ctx *ctx, const cli_args *args)
{
	gboolean once = cli_flag(args, "--once");
	gboolean said_busy = FALSE;
	int rc = CLI_OK;
	db *d;

	{
		g_autoptr(GError) err = NULL;

		/* what sending needs, said before anything is done */
		if (config_require_smtp(ctx->cfg, &err) < 0)
		{
			cli_report(err);
			return CLI_USAGE;
		}
	}
	d = cli_open_db(ctx, &rc);
	if (d == NULL)
		return rc;
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	for (;;) {
		g_autoptr(GError) err = NULL;
		outbox_round round;

		if (outbox_send_due(d, ctx->cfg, &send_stop, &round, &err) < 0) {
			if (once) {
				rc = cli_report(err);
				break;
			}
			cli_errorf("%s (nouvel essai dans %d s)", err->message, SEND_INTERVAL_S);
		} else if (round.busy && once) {
			/* another sender (mailorder run) is in a round: --once
			 * waits for its end, then sends what it left */
			if (!said_busy)
				log_info("un autre envoi est en cours sur %s (mailorder run ?) : "
					 "attente de sa fin", ctx->cfg->storage.database);
			said_busy = TRUE;
			if (send_stop)
				break;
			g_usleep(BUSY_WAIT_US);
			continue;
		} else if (once || round.sent + round.failed + round.dead > 0) {
			cli_printf("%u envoyé(s), %u en échec (réessayé(s) plus tard), %u abandonné(s)\n",
				   round.sent, round.failed, round.dead);
		}
		if (once)
			break;
		for (int i = 0; !send_stop && i < SEND_INTERVAL_S; i++)
			g_usleep(G_USEC_PER_SEC);
		if (send_stop)
			break;
	}
	db_close(&d);
	return rc;
}

static const cli_option send_options[] = {
	{ "--once", NULL, "un passage, puis s'arrête (sinon un passage toutes les 30 secondes, "
			  "jusqu'à SIGTERM)" },
	{ NULL, NULL, NULL },
};

const cli_command cli_cmd_send = {
	.name = "send",
	.synopsis = "[--once]",
	.summary = "envoie les courriels en attente par le serveur SMTP de [smtp]",
	.details = "Une seule connexion pour tout ce qui est à envoyer ; si le serveur le "
		   "propose (PIPELINING), les commandes d'un courriel partent ensemble. Un "
		   "courriel est marqué envoyé après la réponse 250 du serveur ; un échec passager "
		   "(4xx, connexion perdue, serveur injoignable, TLS) est réessayé plus tard, avec "
		   "un délai qui double (1 minute, 2, 4… jusqu'à 6 heures entre deux essais), "
		   "pendant 48 heures : un courriel toujours pas parti 48 heures après sa mise en "
		   "attente est abandonné, avec la dernière erreur (comme le fait un serveur de "
		   "courrier : une panne d'une nuit ne perd rien) ; un refus "
		   "(5xx, un destinataire refusé : personne ne le reçoit) l'abandonne tout de "
		   "suite, avec les mots du serveur (mailorder outbox --state dead), comme un "
		   "courriel plus gros que ce que le serveur annonce accepter (SIZE) ou que 35 Mo. "
		   "Le certificat du serveur est vérifié comme celui d'IMAP ; le mot de passe "
		   "([smtp] user) n'est donné qu'à un serveur qui propose l'authentification. Un "
		   "seul envoi à la fois par base, mailorder run compris (le verrou "
		   "BASE.send-lock) : --once attend la fin d'un envoi en cours, puis envoie ce "
		   "qu'il a laissé.",
	.options = send_options,
	.examples = "mailorder send --once",
	.min_args = 0,
	.max_args = 0,
	.run = send_run,
};
