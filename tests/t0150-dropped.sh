#!/usr/bin/env bash
# A connection cut in the middle of a poll, at many points (greeting, login,
# listing, in the middle of a message's literal, between messages), with FIN
# or RST: `poll --once` ends (exit 0 or 1, never a hang or a signal), and
# the next poll takes everything in, each message exactly once.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
for i in 1 2 3 4 5 6; do
	mkpdf_order p$i.pdf "Commande X-$i"
	mkeml --from lea@jardins-de-lea.fr --id "<x$i@lea>" --attach p$i.pdf "X-$i.pdf" application/pdf >m$i.eml
done
dove_deliver m1.eml m2.eml m3.eml m4.eml m5.eml m6.eml || { echo "Bail out! delivery failed"; exit 1; }
total=$(cat m*.eml | wc -c)

# cut_case BYTES MODE
cut_case() {
	local cut=$1 mode=$2 port proxy rc
	rm -rf var port.txt
	mo_config none
	mo_init_catalog || return 1
	"$TOOLS/cutproxy" port.txt "$DOVE_IMAP_PORT" "$cut" "$mode" 1 &
	proxy=$!
	T_PIDS+=("$proxy")
	for _ in $(seq 1 50); do [ -s port.txt ] && break; sleep 0.05; done
	port=$(cat port.txt)
	sed -i "s/^port = .*/port = $port/" mailorder.conf
	timeout -s KILL 60 "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >cut.out 2>cut.err
	rc=$?
	t_ok "cut at $cut bytes ($mode): poll --once ends with 0 or 1 (got $rc)" test "$rc" -le 1
	"$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >/dev/null 2>again.err
	t_is "$?" 0 "cut at $cut bytes ($mode): the next poll succeeds"
	t_is "$(sql 'SELECT count(*) FROM messages') $(sql 'SELECT count(DISTINCT sha256) FROM messages')" "6 6" \
		"cut at $cut bytes ($mode): six messages, each once"
	t_is "$(sql "SELECT count(*) FROM messages WHERE state = 'fetched'") $(mo drafts --json | jq length)" "0 6" \
		"cut at $cut bytes ($mode): each made its draft"
	kill -9 "$proxy" 2>/dev/null
	wait "$proxy" 2>/dev/null
}

for cut in 40 300 900 $((total / 5)) $((total / 2)) $((total - 2000)); do
	cut_case "$cut" fin
	cut_case "$cut" rst
done
t_done
