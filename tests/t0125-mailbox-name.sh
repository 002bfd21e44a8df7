#!/usr/bin/env bash
# A mailbox with a French name, as clerks name their folders: found on the
# server (modified UTF-7 on the wire) and polled like INBOX.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
sed -i 's/^mailbox = .*/mailbox = Commandes reçues/' mailorder.conf
mo_init_catalog
doveadm -c "$DOVE_CONF" mailbox create -u "$DOVE_USER" "Commandes reçues" ||
	{ echo "Bail out! cannot create the mailbox"; exit 1; }
mkpdf_order p.pdf "Commande R-1"
mkeml --from lea@jardins-de-lea.fr --id "<r1@lea>" --attach p.pdf "R-1.pdf" application/pdf >m.eml
doveadm -c "$DOVE_CONF" save -u "$DOVE_USER" -m "Commandes reçues" <m.eml

mo poll --once >out 2>err
t_is "$?" 0 "poll --once on 'Commandes reçues' succeeds"
t_is "$(mo drafts --json | jq -r '.[0].source.message_id')" "<r1@lea>" "its message becomes a draft"
t_is "$(doveadm -c "$DOVE_CONF" search -u "$DOVE_USER" mailbox "Commandes reçues" KEYWORD '$MailorderTaken' | wc -l)" \
	"1" "and is flagged there"
sed -i 's/^mailbox = .*/mailbox = Pas de tel dossier/' mailorder.conf
mo poll --once >out 2>err
t_is "$?" 1 "a mailbox that does not exist fails the poll"
t_like "$(cat err)" "Pas de tel dossier" "naming the mailbox"
t_done
