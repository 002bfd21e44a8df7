#!/usr/bin/env bash
# kill -9 in the middle of a delivery and of a posting, at each point
# where it hurts, then two postings at once: the numbers (BL, FA) stay
# gapless and unique, the stock is never negative nor taken twice, no
# file is recorded half-made, and what was killed can be done again.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

year=$(date +%Y)
mkpdf_po po.pdf LEA-950 25/11/2026 "Bon de commande" "" \
	"BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72" "BIO-2003|Huile d'olive vierge extra 75 cl|1|11,60|11,60"
mkeml --from "lea@jardins-de-lea.fr" --id "<k01@lea>" --attach po.pdf LEA-950.pdf application/pdf >k01.eml
dove_deliver k01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
mo validate SO0001 --accept-warnings >/dev/null 2>err || { echo "Bail out! validate: $(cat err)"; exit 1; }
# eight more confirmed orders like it
for _ in 1 2 3 4 5 6 7 8; do
	n=$(mo copy SO0001 2>/dev/null | grep -o '^SO[0-9]*')
	mo validate "$n" --accept-warnings >/dev/null 2>&1 || { echo "Bail out! validate $n"; exit 1; }
done
t_is "$(mo orders --state confirmed --json | jq length)" 9 "nine confirmed orders"

stock() { mo product show "$1" --json | jq .stock; }
files() { find var/archive -name "*_$1_*" | wc -l | tr -d ' '; }
flour=$(stock BIO-2001)
oil=$(stock BIO-2003)

# A delivery killed after the stock is taken, then after its note is
# filed: nothing of it stays; done again, it is BL0001.
for point in deliver-stock deliver-filed; do
	MAILORDER_CRASHPOINT=$point mo deliver SO0001 >/dev/null 2>&1
	rc=$?
	[ "$rc" = 137 ] || echo "$point: exit $rc" >>crash.log
	[ "$(stock BIO-2001)" = "$flour" ] || echo "$point: stock $(stock BIO-2001)" >>crash.log
	[ "$(mo show SO0001 --json | jq -r .state)" = confirmed ] || echo "$point: state" >>crash.log
	[ "$(sql 'SELECT count(*) FROM deliveries')" = 0 ] || echo "$point: a delivery recorded" >>crash.log
done
t_is "$(cat crash.log 2>/dev/null)" "" "a delivery killed at each point leaves nothing: stock, state, delivery"
mo deliver SO0001 >out 2>err
t_like "$?:$(cat out)" "^0:BL0001 : livraison de SO0001" "done again, it is BL0001: no number lost"
t_is "$(stock BIO-2001)" "$((flour - 2))" "  the stock taken once"
t_is "$(sql "SELECT count(*) FROM files WHERE path LIKE '%\_BL\_%' ESCAPE '\\'")" 1 "  one BL recorded"
t_is "$(files BL)" 1 "  and one on disk (the killed run's file replaced, not kept beside it)"

for n in $(seq 2 9); do
	mo deliver "SO000$n" >/dev/null 2>&1 || echo "deliver SO000$n failed" >>deliver.log
	mo invoice "SO000$n" >/dev/null 2>&1 || echo "invoice SO000$n failed" >>deliver.log
done
mo invoice SO0001 >/dev/null 2>&1 || echo "invoice SO0001 failed" >>deliver.log
t_is "$(cat deliver.log 2>/dev/null)" "" "nine orders delivered and invoiced (drafts)"
t_is "$(stock BIO-2003)" "$((oil - 9))" "the stock taken once per order"

# A posting killed after its number, then after its invoice is filed.
for point in post-numbered post-filed; do
	MAILORDER_CRASHPOINT=$point mo invoice post SO0001 >/dev/null 2>&1
	rc=$?
	[ "$rc" = 137 ] || echo "$point: exit $rc" >>post.log
	[ "$(sql "SELECT count(*) FROM invoices WHERE state != 'draft'")" = 0 ] || echo "$point: posted" >>post.log
	[ "$(sql 'SELECT count(*) FROM entries')" = 0 ] || echo "$point: entries" >>post.log
done
t_is "$(cat post.log 2>/dev/null)" "" "a posting killed at each point leaves no number, no entry"
mo invoice post SO0001 >out 2>err
t_like "$?:$(cat out)" "^0:FA$year-0001 : " "done again, it is FA$year-0001"
t_is "$(files FAC)" 1 "  one invoice on disk"

# Two clerks posting at once, four each: every number once, none skipped.
( for n in 2 3 4 5; do mo invoice post "SO000$n" >/dev/null 2>>post-a.err; done ) &
( for n in 6 7 8 9; do mo invoice post "SO000$n" >/dev/null 2>>post-b.err; done ) &
wait
t_is "$(cat post-a.err post-b.err)" "" "two posting processes at once: no failure"
t_is "$(sql "SELECT group_concat(number, ' ') FROM (SELECT number FROM invoices ORDER BY number)")" \
	"$(for i in 1 2 3 4 5 6 7 8 9; do printf 'FA%s-000%d ' "$year" "$i"; done | sed 's/ $//')" \
	"the numbers: gapless, each once"
t_is "$(files FAC)" 9 "nine invoices on disk"
t_is "$(sql "SELECT count(DISTINCT piece) FROM entries")" 9 "nine entries in the journal"
t_is "$(sql "SELECT sum(debit_cents) - sum(credit_cents) FROM entries")" 0 "  balanced"
t_is "$(sql "SELECT count(*) FROM products WHERE stock < 0")" 0 "no stock below zero"

# Many rounds: two clerks post at once and one of them is killed at a
# point drawn at random, while a third delivers and is killed too; then
# both posts are done again.  After every round: numbers gapless and
# unique, as many FAC files as posted invoices, the stock never below zero
# and equal to what the deliveries took, the journal balanced.
rounds=${T_CRASH_ROUNDS:-8}
points=(post-numbered post-filed)
bad=
for r in $(seq "$rounds"); do
	o1=$(mo copy SO0001 2>/dev/null | grep -o '^SO[0-9]*')
	o2=$(mo copy SO0001 2>/dev/null | grep -o '^SO[0-9]*')
	o3=$(mo copy SO0001 2>/dev/null | grep -o '^SO[0-9]*')
	for o in "$o1" "$o2" "$o3"; do mo validate "$o" --accept-warnings >/dev/null 2>&1; done
	mo deliver "$o1" >/dev/null 2>&1 && mo invoice "$o1" >/dev/null 2>&1
	mo deliver "$o2" >/dev/null 2>&1 && mo invoice "$o2" >/dev/null 2>&1
	point=${points[$((RANDOM % 2))]}
	MAILORDER_CRASHPOINT=$point mo invoice post "$o1" >/dev/null 2>&1 &
	mo invoice post "$o2" >/dev/null 2>>round.err &
	MAILORDER_CRASHPOINT=deliver-$([ $((RANDOM % 2)) = 0 ] && echo stock || echo filed) \
		mo deliver "$o3" >/dev/null 2>&1 &
	wait
	mo invoice post "$o1" >/dev/null 2>>round.err
	mo deliver "$o3" >/dev/null 2>>round.err
	posted=$(sql "SELECT count(*) FROM invoices WHERE state = 'posted'")
	numbers=$(sql "SELECT count(DISTINCT number) || ' ' || max(CAST(substr(number, 8) AS INTEGER)) FROM invoices WHERE state = 'posted'")
	[ "$numbers" = "$posted $posted" ] || bad="$bad [round $r: $posted posted, numbers $numbers]"
	[ "$(files FAC)" = "$posted" ] || bad="$bad [round $r: $(files FAC) FAC for $posted]"
	[ "$(files BL)" = "$(sql 'SELECT count(*) FROM deliveries')" ] || bad="$bad [round $r: BL files]"
	[ "$(sql 'SELECT count(*) FROM products WHERE stock < 0')" = 0 ] || bad="$bad [round $r: stock < 0]"
	[ "$(sql 'SELECT sum(debit_cents) - sum(credit_cents) FROM entries')" = 0 ] || bad="$bad [round $r: entries]"
done
t_is "$bad$(cat round.err 2>/dev/null)" "" "$rounds rounds of kills at random points with posts and a delivery at once: every invariant holds"
t_is "$(stock BIO-2003)" "$((oil - $(sql "SELECT (sum(qty_milli) + 999) / 1000 FROM delivery_lines dl JOIN products p ON p.id = dl.product_id WHERE p.ref = 'BIO-2003'")))" \
	"the oil's stock is what the deliveries took, no more"
t_done
