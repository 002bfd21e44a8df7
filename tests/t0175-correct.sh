#!/usr/bin/env bash
# A clerk's corrections of a draft (mailorder correct): the customer, a
# line's product; the checks made again, the filed PO renamed for the
# customer, and what was taught remembered for the next order.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

# po OUT NUMBER LINE...: a PO naming no customer we could find, no total
# (mkpdf_po).
po() { mkpdf_po "$1" "$2" 25/11/2026 "Bon de commande" "" "${@:3}"; }
# Léa's new assistant writes from an address not in the file, with the
# shop's own references and words (2.5 % off: 11,90 -> 11,60, 3,45 -> 3,36).
po first.pdf LEA-301 "|Huile vierge bouteille verre|2|11,60|23,20" "LEA-77|Farine blanche sac|10|3,36|33,60"
po second.pdf LEA-302 "|Huile vierge bouteille verre|4|11,60|46,40" "LEA-77|Farine blanche sac|5|3,36|16,80"
mkeml --from "assistant@jardins-lea.example" --id "<k01@lea>" --attach first.pdf LEA-301.pdf application/pdf >k01.eml
mkeml --from "assistant@jardins-lea.example" --id "<k02@lea>" --attach second.pdf LEA-302.pdf application/pdf >k02.eml
dove_deliver k01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll1.out 2>poll1.err
t_is "$?" 0 "first poll"
codes() { mo show "$1" --json | jq -r '[.checks[] | select(.severity != "info") | "\(.code)@\(.line // 0)"] | join(" ")'; }
t_is "$(codes SO0001)" "unknown_customer@0 unknown_product@1 unknown_product@2" \
	"SO0001: a sender and lines we do not know"
old=$(mo show SO0001 --json | jq -r .source.file)
t_like "$old" '^var/archive/2026/11/inconnu_BC_SO0001_25-11-2026\.pdf$' "filed under 'inconnu'"

# show says what to do about each check, with the -c given; the PO opens
# from where the clerk is.
mo show SO0001 >show0.txt 2>&1
t_like "$(cat show0.txt)" "→ mailorder -c $T_DIR/mailorder.conf customer from-draft SO0001 montre le client" \
	"an unknown customer: the next command, with -c"
t_like "$(cat show0.txt)" "→ mailorder -c $T_DIR/mailorder.conf correct SO0001 --line 2 --product RÉF" \
	"an unknown product: the correction to make, naming its line"
t_like "$(grep '^Document' show0.txt)" "^Document +: $T_DIR/var/archive/2026/11/inconnu_BC_SO0001_25-11-2026\.pdf " \
	"the document's path is absolute"
MAILORDER_CONFIG=$T_DIR/mailorder.conf "$MAILORDER" show SO0001 >show1.txt 2>&1
t_like "$(cat show1.txt)" "→ mailorder customer from-draft SO0001 " "without -c, the next step has none"
(cd / && DISPLAY= WAYLAND_DISPLAY= "$MAILORDER" -c "$T_DIR/mailorder.conf" open SO0001 >"$T_DIR/open.out" 2>&1)
t_is "$(cat open.out)" "$T_DIR/var/archive/2026/11/inconnu_BC_SO0001_25-11-2026.pdf" \
	"open without a desktop prints the PO's path, from any folder"
t_like "$(sed -n '/^Historique :/,$p' show0.txt)" "Quand +Qui +État +Quoi" "show prints the history"

mo correct SO0001 --customer CLI102 --by claire >out 2>err
t_is "$?" 0 "correct --customer"
t_like "$(cat out)" "SO0001 : client CLI102 Les Jardins de Léa" "says what it did"
t_like "$(cat out)" "les prochains messages de assistant@jardins-lea.example iront à ce client" \
	"and what it will remember"
new=$(mo show SO0001 --json | jq -r .source.file)
t_is "$new" "var/archive/2026/11/les-jardins-de-lea_BC_SO0001_25-11-2026.pdf" \
	"the filed PO carries the customer's name now"
t_ok "the file is there under its new name" test -f "$new"
t_ok "and no longer under the old one" test ! -e "$old"
t_is "$(sql "SELECT count(*) FROM files WHERE path = '${new#var/archive/}'")" 1 "the archive's record follows"
t_is "$(codes SO0001)" "unknown_product@1 unknown_product@2" "unknown_customer is gone"
t_is "$(mo show SO0001 --json | jq -r '.history | map("\(.who):\(.from // "-")>\(.to)") | join(" ")')" \
	"mailorder:->draft claire:draft>draft" "the history in the JSON: creation, then the correction and who"
t_like "$(mo show SO0001 --json | jq -r '.history[1].note')" "CLI102" "  with what was done"
t_like "$(mo show SO0001 | sed -n '/^Historique :/,$p')" "claire +brouillon +.*CLI102" "  and in the text"
t_is "$(sql "SELECT who || ': ' || note FROM order_history WHERE note IS NOT NULL")" \
	"claire: client : CLI102 Les Jardins de Léa (avant : inconnu)" "the history says who and what"

mo correct SO0001 --line 1 --product BIO-2003 >out 2>err
t_is "$?" 0 "correct --line 1 --product"
t_like "$(cat out)" "la désignation « Huile vierge bouteille verre » veut dire BIO-2003" "says what it will remember"
mo correct SO0001 --line 2 --product BIO-2001 >/dev/null 2>&1
t_is "$(codes SO0001)" "" "both lines known: their net prices agree with the discount, nothing left"
t_is "$(mo show SO0001 --json | jq -r '[.lines[] | .product_ref + " " + .vat_rate] | join(", ")')" \
	"BIO-2003 5.5, BIO-2001 5.5" "each line has its product and VAT rate"
t_is "$(mo show SO0001 --json | jq -r '.total_ht + " " + .total_vat + " " + .total_ttc')" \
	"56.80 3.12 59.92" "totals with VAT now that the rates are known"

dove_deliver k02.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll2.out 2>poll2.err
t_is "$(mo show SO0002 --json | jq -r .customer.ref)" "CLI102" \
	"the next order from that address goes to the customer"
t_is "$(mo show SO0002 --json | jq -r '[.lines[] | .product_ref] | join(" ")')" "BIO-2003 BIO-2001" \
	"its lines are the products the clerk said: by description, by the customer's reference"
t_is "$(codes SO0002)" "" "nothing left to check"

# Our own reference on a line beats what was taught for its description.
po third.pdf LEA-303 "BIO-2002|Huile vierge bouteille verre|1|5,07|5,07"
mkeml --from "assistant@jardins-lea.example" --id "<k03@lea>" --attach third.pdf LEA-303.pdf application/pdf >k03.eml
# An address of the customer file stays its customer's.
po fourth.pdf EM-9 "BIO-2001|Farine de blé T65 1 kg|2|3,28|6,56"
mkeml --from "commandes@epicerie-du-marche.fr" --id "<k04@em>" --attach fourth.pdf EM-9.pdf application/pdf >k04.eml
dove_deliver k03.eml k04.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll3.out 2>poll3.err
t_is "$(mo show SO0003 --json | jq -r '[.lines[] | .product_ref] | join(" ")')" "BIO-2002" \
	"our reference on the line wins over what was taught for its description"
t_is "$(mo show SO0004 --json | jq -r .customer.ref)" "CLI101" "SO0004: from an address of CLI101's"
mo correct SO0004 --customer CLI103 >out 2>err
t_is "$?" 0 "the clerk says this one is Bio & Vrac's (bought for them)"
t_like "$(cat out)" "l'adresse commandes@epicerie-du-marche.fr reste celle de CLI101" \
	"the address stays CLI101's, and the clerk is told"
t_is "$(codes SO0004)" "" "Bio & Vrac's 5 % discount: the net price agrees now"
t_is "$(sql "SELECT count(*) FROM learned_senders WHERE email = 'commandes@epicerie-du-marche.fr'")" 0 \
	"nothing learned for that address"
mo correct SO0004 --line 1 --product BIO-2001 --by claire >/dev/null 2>&1
t_is "$(mo show SO0004 --json | jq -r .customer.ref)" "CLI103" "a line's correction keeps the customer set"

# What was taught is seen, and a wrong teaching is forgotten.
mo learned list >ll.out 2>&1
t_like "$(sed -n 3p ll.out)" "^N° +Client +Reconnaît +Veut dire +Appris le +Sur$" "learned list: a table"
t_like "$(cat ll.out)" "E[0-9]+ +CLI102 +l'adresse assistant@jardins-lea\.example +client CLI102" \
	"  the sender tied to its customer"
t_like "$(cat ll.out)" "P[0-9]+ +CLI102 +la désignation « huile vierge bouteille verre » +produit BIO-2003" \
	"  a line's words tied to a product"
t_is "$(mo learned list --customer CLI103 --json | jq -r 'sort_by(.key) | [.[] | "\(.kind):\(.key):\(.product_ref)"] | join(" ")')" \
	"product:desc:farine de ble t 65 1 kg:BIO-2001 product:ref:bio2001:BIO-2001" \
	"  of one customer, in JSON: its reference and its words, each taught"
pid=$(mo learned list --json | jq -r '.[] | select(.key == "desc:huile vierge bouteille verre") | .id')
mo learned remove "$pid" >lr.out 2>&1
t_is "$?" 0 "learned remove"
t_like "$(cat lr.out)" "$pid oublié : pour CLI102 Les Jardins de Léa, la désignation « huile vierge bouteille verre » ne veut plus dire BIO-2003" \
	"  says what was forgotten"
t_is "$(mo learned list --json | jq "[.[] | select(.id == \"$pid\")] | length")" 0 "  and it is gone"
mo learned remove "$pid" >/dev/null 2>lr.err
t_is "$?" 1 "  forgetting it twice fails"
t_like "$(cat lr.err)" "rien d'appris sous ce numéro" "  saying so"
t_is "$(wc -l <lr.err)" 1 "  once"

# A correction that raises a price difference says so before it is
# learned; --no-learn corrects the draft alone.
po fifth.pdf LEA-304 "|Pot de miel toutes fleurs|1|2,00|2,00"
mkeml --from "assistant@jardins-lea.example" --id "<k05@lea>" --attach fifth.pdf LEA-304.pdf application/pdf >k05.eml
dove_deliver k05.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
n5=$(mo drafts --json | jq -r '.[] | select(.customer_order_ref == "LEA-304") | .number')
n_learned=$(mo learned list --json | jq length)
mo correct "$n5" --line 1 --product BIO-2003 --no-learn >out 2>err
t_is "$?" 0 "correct --no-learn"
t_like "$(cat out)" "rien n'est retenu pour les prochaines commandes \(--no-learn\)" "  nothing learned, and said"
t_is "$(mo learned list --json | jq length)" "$n_learned" "  the teachings unchanged"
mo correct "$n5" --line 1 --product BIO-2003 >out 2>err
t_like "$(cat out)" "attention : ligne 1 : .*\(price_mismatch\) ; est-ce le bon produit \?" \
	"a correction that makes the price differ: said at once"
t_like "$(cat out)" "rien n'est retenu tant que le prix diffère : si c'est bien ce produit, corrigez à nouveau avec --learn" \
	"  and not learned"
t_is "$(mo learned list --json | jq length)" "$n_learned" "  the teachings unchanged"
mo correct "$n5" --line 1 --product BIO-2003 --learn >out 2>err
t_like "$(cat out)" "retenu pour les prochaines commandes de Les Jardins de Léa : la désignation « Pot de miel toutes fleurs » veut dire BIO-2003" \
	"  with --learn, it is"
t_is "$(mo learned list --json | jq length)" "$((n_learned + 1))" "  one teaching more"

mo correct SO0009 --customer CLI102 >out 2>err
t_is "$?" 1 "an order that does not exist"
t_like "$(cat err)" "SO0009 : aucune commande de ce numéro" "says so"
mo correct SO0002 --line 3 --product BIO-2001 >out 2>err
t_is "$?" 1 "a line that does not exist"
t_like "$(cat err)" "--line 3 : SO0002 a 2 ligne" "says how many there are"
mo correct SO0002 --line 1 --product BIO-9999 >out 2>err
t_is "$?" 1 "a product not in the catalogue"
t_like "$(cat err)" "--product BIO-9999 : aucun produit" "says so"
mo correct SO0002 --customer CLI999 >out 2>err
t_is "$?" 1 "a customer not in the file"
mo correct SO0002 --customer CLI101 --line 1 >out 2>err
t_is "$?" 2 "--customer and --line together: usage"
t_is "$(mo show SO0002 --json | jq -r .customer.ref)" "CLI102" "a refused correction changes nothing"

# The draft's values: quantity, price, lines added and removed, the
# delivery date; each checked, the checks made again after.
lines() { mo show "$1" --json | jq -r '[.lines[] | "\(.product_ref // "-") \(.qty) \(.unit_price // "-") \(.line_total // "-")"] | join(" | ")'; }
before=$(lines SO0002)
mo correct SO0002 --line 1 --qty 7 --by paul >out 2>err
t_is "$?" 0 "correct --line 1 --qty 7"
t_like "$(cat out)" "SO0002 : ligne 1 : quantité [0-9,]+ → 7" "  says what changed"
t_like "$(lines SO0002)" "^[^ ]+ 7 " "  the quantity is 7"
t_like "$(mo show SO0002 --json | jq -r '.history[-1] | "\(.who) \(.note)"')" "^paul ligne 1 : quantité" "  in the history"
for bad in "--qty 0" "--qty -2" "--qty 1,2345" "--price 3,456" "--price -1" "--price abc"; do
	# shellcheck disable=SC2086
	mo correct SO0002 --line 1 $bad >out 2>err
	rc=$?
	[ "$rc" = 2 ] || echo "$bad: exit $rc" >>bad-values
done
t_is "$(cat bad-values 2>/dev/null)" "" "a quantity of 0 or less, or of 4 decimals, a price of 3 decimals or negative: refused (exit 2)"
t_like "$(mo correct SO0002 --line 1 --price 3,456 2>&1)" "prix « 3,456 » : un montant en euros, au centime" "  saying why"
t_like "$(lines SO0002)" "^[^ ]+ 7 " "  nothing changed"
mo correct SO0002 --line 1 --price 2,50 >out 2>err
t_is "$?" 0 "correct --line 1 --price 2,50"
t_like "$(lines SO0002)" "^[^ ]+ 7 2.50 17.50 " "  the price and the line's total"
t_like "$(cat out)" "prix 2,50 € \(gardé à la validation\)" "  kept at validation, it says"
mo correct SO0002 --add-line BIO-2001 3 >out 2>err
t_is "$?:$(mo show SO0002 --json | jq '.lines | length')" "0:3" "--add-line BIO-2001 3: a third line"
t_like "$(lines SO0002)" "BIO-2001 3 [0-9.]+ [0-9.]+$" "  at the catalogue's price"
mo correct SO0002 --add-line BIO-9999 1 >out 2>err
t_like "$?:$(cat err)" "^1:.*--add-line BIO-9999 : aucun produit du catalogue" "a product not in the catalogue cannot be added"
mo correct SO0002 --add-line BIO-2001 >out 2>err
t_is "$?" 2 "--add-line without its quantity: usage"
mo correct SO0002 --remove-line 3 >out 2>err
t_is "$?:$(mo show SO0002 --json | jq '.lines | length')" "0:2" "--remove-line 3"
mo correct SO0002 --remove-line 5 >out 2>err
t_like "$?:$(cat err)" "^1:.*--remove-line 5 : SO0002 a 2 ligne" "a line that is not there"
mo correct SO0002 --delivery-date 20/12/2026 >out 2>err
t_is "$?:$(mo show SO0002 --json | jq -r .delivery_date)" "0:2026-12-20" "--delivery-date"
mo correct SO0002 --delivery-date "" >out 2>err
t_is "$(mo show SO0002 --json | jq -r .delivery_date)" "null" "  an empty one clears it"
mo correct SO0002 --delivery-date "bientôt" >out 2>err
t_is "$?" 2 "  a date that is none is refused"
mo correct SO0002 --line 1 >out 2>err
t_is "$?" 2 "--line alone: usage"
t_done
