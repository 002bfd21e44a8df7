#!/usr/bin/env bash
# make demo as a newcomer runs it, twice: the second run keeps what the
# newcomer did in between (a customer added) and says how to start again.
. "$(dirname "$0")/lib.sh"
t_init
demo=$T_DIR/demo
MAILORDER_DEMO_DIR=$demo bash "$SRCDIR/tests/demo.sh" >d1.out 2>&1
t_is "$?" 0 "the demo runs"
t_like "$(cat d1.out)" "Commandes à vérifier : [0-9]+" "and shows drafts"
t_unlike "$(cat d1.out)" "gardée" "the first time, nothing is kept"
"$MAILORDER" -c "$demo/mailorder.conf" customer add --name "Épicerie d'essai" --email essai@example.org >ref.out 2>&1
t_like "$(cat ref.out)" "^CLI[0-9]+$" "a newcomer adds a customer"
ref=$(cat ref.out)
MAILORDER_DEMO_DIR=$demo bash "$SRCDIR/tests/demo.sh" >d2.out 2>&1
t_is "$?" 0 "the demo runs again"
t_like "$(cat d2.out)" "la démonstration précédente est gardée : $demo/var" "saying it keeps the last one"
t_like "$(cat d2.out)" "pour repartir de zéro : make demo-reset" "and how to start again"
t_is "$("$MAILORDER" -c "$demo/mailorder.conf" customer show "$ref" --json | jq -r .name)" "Épicerie d'essai" \
	"the customer added is still there"
t_is "$("$MAILORDER" -c "$demo/mailorder.conf" orders --json | jq length)" \
	"$(grep -o 'Commandes à vérifier : [0-9]*' d1.out | grep -o '[0-9]*$')" \
	"the same orders, none taken in twice"
t_like "$(cat d1.out)" "FA[0-9]{4}-0001 : facture de SO[0-9]+ validée" "the first demo walks one order to its invoice"
for doc in CONF BL FAC; do
	grep -q "_${doc}_.*\.pdf$" d1.out || missing="${missing:-} $doc"
done
t_is "${missing:-}" "" "  and lists the PDFs it made (CONF, BL, FAC)"
t_like "$(cat d2.out)" "faite à la première démonstration" "the second one does not walk another"
t_like "$(cat d1.out)" "^Auto-Submitted: auto-replied$" "the demo shows an acknowledgment as it arrived in the customers' mailbox"
t_like "$(sed -n '/tel que le client le lit/,$p' d1.out)" "^Notre commande n° SO[0-9]+" "  with the order it read"
t_is "$(find "$demo/smtp-maildir/new" -type f | wc -l)" \
	"$("$MAILORDER" -c "$demo/mailorder.conf" outbox --json | jq '[.[] | select(.state == "sent")] | length')" \
	"  every mail sent is in that mailbox"
t_done
