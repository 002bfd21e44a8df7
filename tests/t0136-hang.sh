#!/usr/bin/env bash
# A message whose reading never ends (a parser caught in a loop) must not
# stop the mailbox: a watchdog stops the program after the read limit,
# records the message as one not to read again, and the next poll
# quarantines it unread.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
for i in 1 2 3; do
	mkpdf_order p$i.pdf "Commande H-$i"
	mkeml --from lea@jardins-de-lea.fr --id "<h$i@lea>" --attach p$i.pdf "H-$i.pdf" application/pdf >m$i.eml
done
dove_deliver m1.eml m2.eml m3.eml || { echo "Bail out! delivery failed"; exit 1; }

stopped=0
for run in $(seq 1 8); do
	(MAILORDER_HANG_READING="h2@lea" MAILORDER_READ_LIMIT_S=1 \
		timeout -s KILL 60 "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once \
		>out.$run 2>err.$run; echo $? >rc) 2>/dev/null
	rc=$(cat rc)
	[ "$rc" = 137 ] && grep -q "toujours en lecture après" err.$run && stopped=$((stopped + 1))
	[ "$rc" = 0 ] && break
done
t_is "$stopped" 1 "the watchdog stopped the hung reading once, then the mailbox went on"
t_is "$rc" 0 "and the next poll succeeded"
t_is "$(mo drafts --json | jq -r '[.[].source.message_id] | sort | join(" ")')" "<h1@lea> <h3@lea>" \
	"the other messages are drafts"
t_is "$(mo quarantine --json | jq -r '.[] | .message_id + " " + .reason')" "<h2@lea> unreadable_message" \
	"the hanging one is quarantined"
t_done
