#!/usr/bin/env bash
# `mailorder poll` as a daemon: IDLE brings new mail in at once, a lost
# server is waited for and reconnected to, SIGTERM stops it cleanly, and a
# second poller is refused.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
sed -i 's/^poll_interval = .*/poll_interval = 30/' mailorder.conf
mo_init_catalog
for i in 1 2 3; do
	mkpdf_order p$i.pdf "Commande D-$i"
	mkeml --from lea@jardins-de-lea.fr --id "<d$i@x>" --attach p$i.pdf "D-$i.pdf" application/pdf >m$i.eml
done

wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
	local end=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	return 1
}
drafts_are() { [ "$(mo drafts --json 2>/dev/null | jq length)" = "$1" ]; }

# Not through the mo function: $! must be mailorder itself, for kill -TERM.
"$MAILORDER" -c "$T_DIR/mailorder.conf" poll >daemon.log 2>&1 &
daemon=$!
T_PIDS+=("$daemon")
sleep 1
dove_deliver m1.eml
t_ok "a message delivered to a running poller becomes a draft (IDLE, well under poll_interval)" \
	wait_for 10 drafts_are 1

mo poll --once >/dev/null 2>err
t_is "$?" 1 "a second poller is refused"
t_like "$(cat err)" "un autre « mailorder poll » tourne déjà" "and says why"

dove_deliver m2.eml
t_ok "a second message too" wait_for 10 drafts_are 2

dove_stop
sleep 2
t_ok "the poller survives the server going away" kill -0 $daemon
dove_restart || { echo "Bail out! Dovecot did not restart"; exit 1; }
dove_deliver m3.eml
t_ok "it reconnects and takes the next message in" wait_for 40 drafts_are 3
t_like "$(cat daemon.log)" "nouvel essai dans" "the lost connection was logged with its back-off"

kill -TERM $daemon
if wait_for 10 bash -c "! kill -0 $daemon 2>/dev/null"; then
	wait $daemon
	t_is "$?" 0 "SIGTERM stops it cleanly (exit 0)"
else
	t_ok "SIGTERM stops it within 10 s" false
fi
t_is "$(sql 'SELECT count(*) FROM messages')" "3" "three messages, each once"
t_is "$(sql "SELECT count(*) FROM messages WHERE state = 'fetched'")" "0" "none left half-done"
t_done
