#!/usr/bin/env bash
# A message that kills the program each time it is read (a parser crash)
# must not stop the mailbox: after INTAKE_MAX_ATTEMPTS (5) readings that
# never finished, it is quarantined unread, and every other message of its
# batch becomes a draft.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
for i in 1 2 3 4 5 6; do
	mkpdf_order p$i.pdf "Commande P-$i"
	mkeml --from lea@jardins-de-lea.fr --id "<p$i@lea>" --attach p$i.pdf "P-$i.pdf" application/pdf >m$i.eml
done
dove_deliver m1.eml m2.eml m3.eml m4.eml m5.eml m6.eml || { echo "Bail out! delivery failed"; exit 1; }

killed=0
for run in $(seq 1 8); do
	# In a subshell: the shell's "Killed" notice goes nowhere.
	(MAILORDER_CRASH_READING="p3@lea" "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once \
		>out.$run 2>err.$run; echo $? >rc) 2>/dev/null
	rc=$(cat rc)
	[ $rc = 137 ] && killed=$((killed + 1))
	[ $rc = 0 ] && break
done
t_is "$killed" 5 "the program died reading the message five times, then went on"
t_is "$rc" 0 "and the next poll succeeded"
t_is "$(mo drafts --json | jq -r '[.[].source.message_id] | sort | join(" ")')" \
	"<p1@lea> <p2@lea> <p4@lea> <p5@lea> <p6@lea>" "the other five messages are drafts"
t_is "$(mo quarantine --json | jq -r '.[] | .message_id + " " + .reason')" "<p3@lea> unreadable_message" \
	"the poisonous one is quarantined"
t_like "$(mo quarantine --json | jq -r '.[0].detail')" "arrêtait le programme, ou ne finissait pas" "saying why"
t_like "$(cat err.$run)" "arrêtait le programme ou ne finissait pas \(5 fois\)" "and the log says so"
t_is "$(sql "SELECT count(*) FROM messages WHERE state = 'fetched'")" "0" "nothing left half-read"
mo poll --once >/dev/null 2>&1
t_is "$(mo drafts --json | jq length) $(mo quarantine --json | jq length)" "5 1" "a later poll adds nothing"
t_done
