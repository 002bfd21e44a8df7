#!/usr/bin/env bash
# A server without IDLE: `mailorder poll` looks again every poll_interval.
. "$(dirname "$0")/lib.sh"
t_init
DOVE_EXTRA="imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE UIDPLUS"
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
sed -i 's/^poll_interval = .*/poll_interval = 5/' mailorder.conf
mo_init_catalog
mkpdf_order p1.pdf "Commande N-1"
mkeml --from lea@jardins-de-lea.fr --id "<n1@x>" --attach p1.pdf "N-1.pdf" application/pdf >m1.eml

wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
	local end=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	return 1
}
drafts_are() { [ "$(mo drafts --json 2>/dev/null | jq length)" = "$1" ]; }

MAILORDER_LOG=debug "$MAILORDER" -c "$T_DIR/mailorder.conf" poll >daemon.log 2>&1 &
daemon=$!
T_PIDS+=("$daemon")
sleep 1
dove_deliver m1.eml
t_ok "without IDLE, a new message is taken in at the next poll_interval" wait_for 15 drafts_are 1
t_like "$(cat daemon.log)" "n'a pas IDLE : relève toutes les" "the log says why it polls"
kill -TERM $daemon
wait $daemon
t_is "$?" 0 "SIGTERM stops it cleanly"
t_done
