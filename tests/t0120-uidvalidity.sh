#!/usr/bin/env bash
# UIDVALIDITY: the mailbox is re-created (new UIDVALIDITY, UIDs from 1)
# and every message delivered again: nothing is taken twice, the new ones
# are taken in.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog
for i in 1 2 3 4 5 6; do
	mkpdf_order p$i.pdf "Commande U-$i"
	mkeml --from commandes@epicerie-du-marche.fr --id "<u$i@x>" --subject "U-$i" \
		--attach p$i.pdf "U-$i.pdf" application/pdf >m$i.eml
done
doveadm -c "$DOVE_CONF" mailbox create -u "$DOVE_USER" INBOX 2>/dev/null
doveadm -c "$DOVE_CONF" mailbox update -u "$DOVE_USER" --min-next-uid 1001 INBOX
dove_deliver m1.eml m2.eml m3.eml
uv0=$(dove_status uidvalidity)
mo poll --once >/dev/null 2>&1
t_is "$(mo drafts --json | jq length)" "3" "the first three are taken in (UIDs from 1001)"
t_is "$(sql 'SELECT last_uid FROM mailboxes')" "1003" "last UID recorded"

mv "$DOVE_MAILDIR" "$DOVE_MAILDIR.old"
uv1=$(dove_status uidvalidity)
if [ "$uv1" = "$uv0" ]; then
	doveadm -c "$DOVE_CONF" mailbox update -u "$DOVE_USER" --uid-validity $((uv0 + 1)) INBOX
	uv1=$(dove_status uidvalidity)
fi
t_ok "UIDVALIDITY changed ($uv0 -> $uv1)" test "$uv1" != "$uv0"
dove_deliver m1.eml m2.eml m3.eml m4.eml m5.eml m6.eml
mo poll --once >out 2>err
t_is "$?" 0 "poll after the reset succeeds"
t_like "$(cat err)" "UIDVALIDITY passé de" "and says what happened"
t_is "$(mo drafts --json | jq length)" "6" "the three new ones are taken in, the old ones not again"
t_is "$(sql 'SELECT count(*) FROM messages')" "6" "six messages recorded, not nine"
t_is "$(mo quarantine --json | jq length)" "0" "and no duplicate entry for the re-delivered ones"
t_is "$(dove_count_flag '$MailorderTaken')" "6" "all six flagged in the new mailbox"
t_is "$(sql 'SELECT uidvalidity FROM mailboxes')" "$uv1" "the new UIDVALIDITY is recorded"
mo poll --once >/dev/null 2>&1
t_is "$(sql 'SELECT count(*) FROM messages')" "6" "another poll adds nothing"
t_done
