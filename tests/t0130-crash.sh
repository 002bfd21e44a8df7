#!/usr/bin/env bash
# Crash safety: the poller killed (SIGKILL) at every crash point, then at
# random moments, many times; then a normal poll.  Every message must be
# accounted for exactly once, and the archive must hold no stray or
# half-written file.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none

N=30
mkpdf_order same.pdf "Commande répétée"
for i in $(seq 1 $N); do
	case $((i % 6)) in
	0) mkeml --from contact@bio-et-vrac.fr --id "<c$i@x>" --body "question $i" >m$i.eml ;;
	1) mkeml --from commandes@epicerie-du-marche.fr --id "<c$i@x>" \
		--attach same.pdf same.pdf application/pdf >m$i.eml ;;
	*) mkpdf_order p$i.pdf "Commande C-$i"
	   mkeml --from lea@jardins-de-lea.fr --id "<c$i@x>" --attach p$i.pdf "C-$i.pdf" application/pdf >m$i.eml ;;
	esac
done
dove_deliver $(for i in $(seq 1 $N); do echo m$i.eml; done)

fresh() { rm -rf var; mo_init_catalog; }

# Exactly once: every Message-ID has entries, none twice; the archive holds
# exactly the recorded files, each with its recorded hash.
check() {
	local label=$1 ids missing=0 dup=0 bad=0 extra
	mo drafts --json >d.json && mo quarantine --json >q.json || { t_ok "$label: listings" false; return; }
	for i in $(seq 1 $N); do
		n=$(jq --arg m "<c$i@x>" '[.[] | select(.source.message_id == $m)] | length' d.json)
		q=$(jq --arg m "<c$i@x>" '[.[] | select(.message_id == $m)] | length' q.json)
		[ $((n + q)) -ge 1 ] || missing=$((missing + 1))
		[ "$n" -le 1 ] && [ "$q" -le 1 ] || dup=$((dup + 1))
	done
	while IFS='|' read -r file sha; do
		[ "$(sha256sum "var/archive/$file" 2>/dev/null | cut -d' ' -f1)" = "$sha" ] || bad=$((bad + 1))
	done < <(sql 'SELECT path, sha256 FROM files')
	extra=$(( $(find var/archive -type f | wc -l) - $(sql 'SELECT count(*) FROM files') ))
	t_is "$missing/$dup/$bad/$extra/$(sql 'SELECT count(*) FROM messages')" "0/0/0/0/$N" \
		"$label: lost/duplicated/bad files/stray files/messages"
}

for point in after-fetch before-sync before-commit after-commit after-flag \
	intake-before-sync intake-before-commit intake-after-commit; do
	fresh
	MAILORDER_CRASHPOINT=$point mo poll --once >/dev/null 2>&1
	rc=$?
	t_is "$rc" 137 "killed at $point"
	mo poll --once >/dev/null 2>poll.err
	t_is "$?" 0 "the next poll after $point succeeds"
	mo poll --once >/dev/null 2>&1
	check "$point"
done

# Random kills, as a power cut or the OOM killer would.
fresh
RANDOM=4242
for k in $(seq 1 15); do
	ms=$((5 + RANDOM % 300))
	"$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $ms)"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
mo poll --once >/dev/null 2>&1
t_is "$?" 0 "a normal poll after 15 random kills succeeds"
mo poll --once >/dev/null 2>&1
check "random kills"
t_is "$(find var/tmp -type f | wc -l)" "0" "staging is empty after a normal poll"
t_is "$(dove_count_flag '$MailorderTaken')" "$N" "every message is flagged on the server"
t_done
