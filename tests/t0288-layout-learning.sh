#!/usr/bin/env bash
# A layout learned from corrections (issue "Intake IV"): a sender whose
# listing no rule describes and the generic reader cannot read (its
# columns named "Nb" and "Px", numbers with three decimals, no total);
# the clerk adds its lines once, and the sender's next PO is read right,
# line for line, by the columns and the decimal mark that taught.  Another
# sender's PO of the same look is not; what was learned is listed and can
# be forgotten.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

# listing OUT NUMBER LINE...: a legacy listing in Courier; LINE is
# "REF|NAME|QTY|PRICE", printed as they come.
listing() {
	local out=$1 number=$2 y=200 line ref name qty price
	shift 2
	{
		echo "font courier"
		echo "size 10"
		echo "text 40 50 EPICERIE DU MARCHE - EDITION DES COMMANDES"
		echo "text 40 70 NUMERO : $number"
		echo "text 300 70 DATE : 20.11.2026"
		echo "text 40 180 Code"
		echo "text 110 180 Article"
		echo "rtext 400 180 Nb"
		echo "rtext 480 180 Px"
		for line in "$@"; do
			IFS='|' read -r ref name qty price <<<"$line"
			echo "text 40 $y $ref"
			echo "text 110 $y $name"
			echo "rtext 400 $y $qty"
			echo "rtext 480 $y $price"
			y=$((y + 15))
		done
	} | "$TOOLS/mkpdf" "$out"
}
listing first.pdf EM-5001 "BIO-2001|Farine de blé T65 1 kg|24.000|3.450" \
	"BIO-2002|Riz basmati complet 1 kg|10.000|5.200" "BIO-2003|Huile d'olive vierge extra 75 cl|6.000|11.900"
listing second.pdf EM-5002 "BIO-2003|Huile d'olive vierge extra 75 cl|12.000|11.900" \
	"BIO-2005|Savon de Marseille 100 g|1 200.000|3.900" "BIO-2001|Farine de blé T65 1 kg|2.500|3.450"
listing other.pdf LJ-77 "BIO-2001|Farine de blé T65 1 kg|24.000|3.450"

mkeml --from commandes@epicerie-du-marche.fr --id "<l1@em>" --attach first.pdf EM-5001.pdf application/pdf >l1.eml
dove_deliver l1.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll1.out 2>&1
t_is "$?" 0 "poll succeeds"
mo drafts --json >d1.json
t_is "$(jq -r '.[0].lines | length' d1.json)" 0 "the generic reader reads no line of this listing"
n1=$(jq -r '.[0].number' d1.json)
mo correct "$n1" --add-line BIO-2001 24 --price 3,45 >c1.out 2>&1
t_is "$?" 0 "the clerk adds the first line"
t_like "$(cat c1.out)" "retenu pour les prochains bons de commandes@epicerie-du-marche.fr : la mise en page \(quantités vers x = [0-9]+, prix vers x = [0-9]+, point décimal\), d'après 1 ligne" \
	"what is learned of the sender's layout, said"
mo correct "$n1" --add-line BIO-2002 10 --price 5,20 >c2.out 2>&1
mo correct "$n1" --add-line BIO-2003 6 --price 11,90 >c3.out 2>&1
t_like "$(cat c3.out)" "d'après 3 lignes" "each line added teaches again, from all of them"
mo learned list --json >learned.json
t_is "$(jq -r '[.[] | select(.kind == "layout") | .key] | join(" ")' learned.json)" \
	"layout:commandes@epicerie-du-marche.fr" "learned list shows the layout, by sender"

mkeml --from commandes@epicerie-du-marche.fr --id "<l2@em>" --attach second.pdf EM-5002.pdf application/pdf >l2.eml
mkeml --from lea@jardins-de-lea.fr --id "<l3@lj>" --attach other.pdf LJ-77.pdf application/pdf >l3.eml
dove_deliver l2.eml l3.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll2.out 2>&1
mo drafts --json >d2.json
t_is "$(jq -r '.[] | select(.customer_order_ref == "EM-5002") | [.lines[] | "\(.product_ref) \(.qty) \(.unit_price)"] | join(", ")' d2.json)" \
	"BIO-2003 12 11.90, BIO-2005 1200 3.90, BIO-2001 2.5 3.45" \
	"the sender's next PO: every line right, by the columns learned (1 200.000 is 1200, 2.500 is 2.5)"
t_is "$(jq -r '.[] | select(.customer_order_ref == "EM-5002") | [.lines[].confidence] | map(. >= 0.7) | all' d2.json)" \
	true "read surely enough to need no second look"
t_is "$(jq -r '.[] | select(.customer_order_ref == "LJ-77") | .lines | length' d2.json)" 0 \
	"another sender's PO of the same look: not read by what this one taught"
mo rules check --explain --from commandes@epicerie-du-marche.fr second.pdf >explain.out 2>&1
t_like "$(cat explain.out)" "lignes lues par les colonnes apprises d'une correction" \
	"rules check --explain --from: read as intake reads that sender's"

id=$(jq -r '.[] | select(.kind == "layout") | .id' learned.json)
mo learned remove "$id" >rm.out 2>&1
t_like "$(cat rm.out)" "oublié : la mise en page de commandes@epicerie-du-marche.fr ; ses bons seront lus comme ceux d'un inconnu" \
	"learned remove forgets it"
mo rules check --explain --from commandes@epicerie-du-marche.fr second.pdf >explain2.out 2>&1
t_like "$(cat explain2.out)" "Lignes    : 0" "and the sender's POs are read as before"
mo rules check --from commandes@epicerie-du-marche.fr second.pdf >from.out 2>&1
t_is "$?" 2 "--from without --explain: a usage error"
t_like "$(cat from.out)" "--from va avec --explain" "  saying so"
t_done
