#!/usr/bin/env bash
# Drafts a clerk can trust: each check of the contract raised on the line
# it concerns (price_mismatch with the customer's discount, stock_short,
# total_mismatch, duplicate_order_ref), and the customer found in the
# document when the sender is not in the customer file.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

# po OUT NUMBER HEADER_TEXT TOTAL_HT LINE...: mkpdf_po dated 24/11/2026.
po() { mkpdf_po "$1" "$2" 24/11/2026 "$3" "$4" "${@:5}"; }

# Les Jardins de Léa have 2.5 % off and print net prices: 3,45 -> 3,36,
# 11,90 -> 11,60.  Jus de pomme is out of stock.
po lea.pdf LEA-2026-01 "LES JARDINS DE LÉA" "129,28" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,36|33,60" \
	"BIO-2003|Huile d'olive vierge extra 75 cl|8|11,60|92,80" \
	"BIO-2004|Jus de pomme 1 L|1|2,88|2,88"
# Épicerie du Marché: an old price, a line total wrong, a total that is
# not the lines' sum.
po marche.pdf EM-77 "ÉPICERIE DU MARCHÉ" "200,00" \
	"BIO-2001|Farine de blé T65 1 kg|12|3,30|39,60" \
	"BIO-2002|Riz basmati complet 1 kg|10|5,20|55,00"
# The same PO number again, in another file (a corrected PO sent again).
po marche2.pdf EM-77 "ÉPICERIE DU MARCHÉ" "93,40" \
	"BIO-2001|Farine de blé T65 1 kg|12|3,45|41,40" \
	"BIO-2002|Riz basmati complet 1 kg|10|5,20|52,00"
# From addresses not in the customer file: the PO names its customer by
# our customer code, by SIRET, by name; and one names nobody we know.
# (Bio & Vrac have 5 % off: 3,45 -> 3,28)
po code.pdf BV-5 "BIO & VRAC — Notre code client : CLI103" "44,70" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,28|32,80" \
	"|Huile olive vierge extra 75 cl bouteille|1|11,90|11,90"
po siret.pdf EM-78 "Épicerie — SIRET 261 973 069 70249" "34,50" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,45|34,50"
po name.pdf LEA-2026-02 "Les Jardins de Léa, 8 chemin des Vignes" "33,60" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,36|33,60"
po nobody.pdf X-1 "Le Panier Voisin — SIRET 926 000 365 00064" "34,50" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,45|34,50"

# Our own order form, filled in by a known customer whose phone changed.
cat >form.spec <<'SPEC'
size 14
text 40 40 Sweetie Bio
text 380 40 BON DE COMMANDE
size 10
text 40 80 Raison sociale
text 150 80 Bio & Vrac
text 330 80 Votre n° de commande
text 460 80 BV-9
text 40 95 Adresse
text 150 95 14 rue Thiers
text 40 110 Code postal / Ville
text 150 110 24000 Périgueux
text 40 125 Contact / Tél.
text 150 125 Paul Henry - 05 53 00 11 99
text 40 200 Réf.
text 110 200 Désignation
rtext 380 200 Qté
rtext 460 200 Prix unit. HT
rtext 550 200 Montant HT
text 40 215 BIO-2001
text 110 215 Farine de blé T65 1 kg
rtext 380 215 10
rtext 460 215 3,28
rtext 550 215 32,80
SPEC
"$TOOLS/mkpdf" --standard-font form.pdf <form.spec

M=messages; mkdir -p $M
mkeml --from "lea@jardins-de-lea.fr" --id "<c01@lea>" --attach lea.pdf LEA-2026-01.pdf application/pdf >$M/c01.eml
mkeml --from "commandes@epicerie-du-marche.fr" --id "<c02@marche>" --attach marche.pdf EM-77.pdf application/pdf >$M/c02.eml
mkeml --from "commandes@epicerie-du-marche.fr" --id "<c03@marche>" --attach marche2.pdf EM-77-v2.pdf application/pdf >$M/c03.eml
mkeml --from "paul.henry@gmail.example" --id "<c04@vrac>" --attach code.pdf BV-5.pdf application/pdf >$M/c04.eml
mkeml --from "stagiaire@epicerie-du-marche.example" --id "<c05@marche>" --attach siret.pdf EM-78.pdf application/pdf >$M/c05.eml
mkeml --from "lea.martin@orange.example" --id "<c06@lea>" --attach name.pdf LEA-2026-02.pdf application/pdf >$M/c06.eml
mkeml --from "contact@panier-voisin.example" --id "<c07@panier>" --attach nobody.pdf X-1.pdf application/pdf >$M/c07.eml
# A customer's name in a product's description names no customer.
po product-name.pdf PV-2 "Le Panier Voisin" "3,90" \
	"|Confiture Les Jardins de Léa 250 g|1|3,90|3,90"
mkeml --from "contact@panier-voisin.example" --id "<c08@panier>" --attach product-name.pdf PV-2.pdf application/pdf >$M/c08.eml
mkeml --from "contact@bio-et-vrac.fr" --id "<c09@vrac>" --attach form.pdf BV-9.pdf application/pdf >$M/c09.eml
# The same form from a shop we do not know yet.
sed -e 's/Bio & Vrac/Épicerie Nouvelle/' -e 's/14 rue Thiers/3 rue Neuve/' -e 's/24000 Périgueux/33000 Bordeaux/' \
	-e 's/Paul Henry - 05 53 00 11 99/Marie Dupuis - 05 56 00 11 22/' -e 's/BV-9/EN-1/' form.spec |
	"$TOOLS/mkpdf" --standard-font newform.pdf
mkeml --from "marie@epicerie-nouvelle.example" --id "<c10@nouvelle>" --attach newform.pdf EN-1.pdf application/pdf >$M/c10.eml
dove_deliver $M/c*.eml || { echo "Bail out! delivery failed"; exit 1; }

mo poll --once >poll.out 2>poll.err
t_is "$?" 0 "poll succeeds"
mo drafts --json >d.json
t_is "$(jq length d.json)" 10 "ten drafts"

# of MESSAGE-ID JQ: a jq expression on the draft of that message
of() { jq -r --arg m "$1" ".[] | select(.source.message_id == \$m) | $2" d.json; }
# checks MESSAGE-ID: "code@line ..." of its warnings and errors (line 0:
# the whole order), as the draft lists them: by line
checks() { of "$1" '[.checks[] | select(.severity != "info") | "\(.code)@\(.line // 0)"] | join(" ")'; }

t_is "$(checks '<c01@lea>')" "stock_short@3" \
	"c01: net prices at the customer's 2.5 % discount agree; the product out of stock is named"
t_is "$(of '<c01@lea>' '.lines[2].unit_price')" "2.88" "c01: the price read is kept as printed"
t_is "$(checks '<c02@marche>')" "total_mismatch@0 price_mismatch@1 total_mismatch@2" \
	"c02: an old price, a line total, the PO's total"
t_like "$(of '<c02@marche>' '.checks[] | select(.code == "price_mismatch") | .message')" \
	'3,30 €.*3,45 €' "c02: the price check says both prices"
t_like "$(of '<c02@marche>' '.checks[] | select(.code == "total_mismatch" and .line == null) | .message')" \
	'200,00 €.*94,60 €' "c02: the total check says the PO's total and the lines' sum"
n2=$(of '<c02@marche>' .number)
t_is "$(checks '<c03@marche>')" "duplicate_order_ref@0" "c03: the same PO number again"
t_like "$(of '<c03@marche>' '.checks[] | select(.code == "duplicate_order_ref") | .message')" \
	"EM-77.*$n2" "c03: the check names the first order"

t_is "$(of '<c04@vrac>' .customer.ref)" "CLI103" "c04: unknown sender, our customer code in the PO"
t_is "$(checks '<c04@vrac>')" "unknown_product@2" "c04: a line in other words than our catalogue's"
t_like "$(of '<c04@vrac>' '.checks[] | select(.code == "unknown_product") | .message')" \
	"le plus proche : BIO-2003 Huile d'olive vierge extra 75 cl \\(à confirmer\\)" \
	"c04: the clerk is shown the closest product, not given it"
t_is "$(of '<c04@vrac>' '.lines[1].product_ref')" "null" "c04: the guess is not set on the line"
t_is "$(of '<c05@marche>' .customer.ref)" "CLI101" "c05: unknown sender, the customer's SIRET in the PO"
t_is "$(of '<c06@lea>' .customer.ref)" "CLI102" "c06: unknown sender, the customer's name in the PO"
t_is "$(checks '<c06@lea>')" "customer_from_document@0" \
	"c06: its discount applies (no price_mismatch); found by its name only, the clerk is asked to look"
t_like "$(of '<c05@marche>' '.checks[] | select(.code == "customer_from_document") | .message')" \
	'SIRET.*stagiaire@epicerie-du-marche.example' \
	"c05: the clerk is told how the customer was found, and that the sender is not in the file"
t_is "$(of '<c07@panier>' .customer)" "null" "c07: a PO naming no known customer"
t_is "$(checks '<c07@panier>')" "unknown_customer@0" "c07: unknown_customer"
mo customer from-draft "$(of '<c07@panier>' .number)" >fd.out 2>fd.err
t_is "$?" 0 "customer from-draft on an unknown customer's order"
t_like "$(cat fd.out)" "Nom +Le Panier Voisin" "proposes its name, from the top of its PO"
t_like "$(cat fd.out)" "E-mail +contact@panier-voisin.example" "and its sender's address"
t_like "$(cat fd.out)" "--siret « 926 000 365 00064 » : la clé de contrôle \\(Luhn\\) du SIRET est fausse" \
	"the SIRET on the PO fails its checksum: the clerk is told plainly"
t_like "$(cat fd.out)" "mailorder -c $T_DIR/mailorder.conf customer add --name 'Le Panier Voisin' --email" \
	"and the command to create it (with the -c given), without the bad SIRET"
t_like "$(cat fd.out)" "mailorder -c $T_DIR/mailorder.conf correct $(of '<c07@panier>' .number) --customer RÉF" \
	"then the one that ties the order to it"
mo customer from-draft "$(of '<c10@nouvelle>' .number)" >fd.out 2>fd.err
t_like "$(cat fd.out)" "--name 'Épicerie Nouvelle' --email 'marie@epicerie-nouvelle.example' --billing-address '3 rue Neuve' --billing-postcode '33000' --billing-city 'Bordeaux' --contact 'Marie Dupuis' --phone '05 56 00 11 22'" \
	"our form from an unknown shop: its name, address, contact and phone proposed"
mo customer from-draft "$(of '<c01@lea>' .number)" >fd.out 2>fd.err
t_like "$(cat fd.out)" "dit comme la fiche client" "a known customer's PO that shows nothing else: nothing to report"
mo customer from-draft "$(of '<c07@panier>' .number)" --apply >fd.out 2>fd.err
t_is "$?" 1 "--apply on an unknown customer's order is refused"
t_is "$(of '<c08@panier>' .customer)" "null" "c08: a customer's name in a line's description does not make it theirs"
t_like "$(of '<c05@marche>' .source.file)" '^var/archive/2026/11/epicerie-du-marche_BC_SO[0-9]{4}_24-11-2026\.pdf$' \
	"c05: the file carries the customer found in the document"

# A known customer's PO that shows another phone than the file's.
t_is "$(checks '<c09@vrac>')" "customer_data_differs@0" "c09: the PO's phone differs from the file's"
t_like "$(of '<c09@vrac>' '.checks[] | select(.code == "customer_data_differs") | .message')" \
	"phone : fiche « 05 53 00 11 22 », bon de commande « 05 53 00 11 99 »" \
	"c09: the check says which field, the file's value and the PO's"
n9=$(of '<c09@vrac>' .number)
mo customer from-draft "$n9" >fd.out 2>fd.err
t_like "$(cat fd.out)" "Téléphone : fiche « 05 53 00 11 22 », bon de commande « 05 53 00 11 99 »" \
	"from-draft shows the difference"
t_is "$(mo customer show CLI103 --json | jq -r .phone)" "05 53 00 11 22" "and changes nothing by itself"
mo customer from-draft "$n9" --apply --by claire >fd.out 2>fd.err
t_is "$?" 0 "one command applies it"
t_is "$(mo customer show CLI103 --json | jq -r .phone)" "05 53 00 11 99" "the file has the PO's phone"
t_is "$(mo customer history CLI103 --json | jq -r '.[-1] | "\(.who) \(.field) \(.old) \(.new)"')" \
	"claire phone 05 53 00 11 22 05 53 00 11 99" "the change is in the history"
t_like "$(mo customer from-draft "$n9")" "dit comme la fiche client" "and nothing differs any more"

# A layout no rule reads: the letterhead, our address beside the delivery
# address.  From a known customer whose delivery address has moved, then
# from a shop we do not know.
letterhead() {  # letterhead OUT.pdf NAME STREET "POSTCODE CITY" DELIVERY-STREET "POSTCODE CITY" PO
	"$TOOLS/mkpdf" "$1" <<SPEC
size 14
text 40 40 $2
size 9
text 40 56 $3, $4
text 40 68 Tél. : 05 57 51 00 00 — Fax : 05 57 51 00 01
text 380 40 BON DE COMMANDE N° $7
text 380 54 Date : 24/11/2026
text 40 100 Fournisseur
text 300 100 Adresse de livraison
text 40 112 Sweetie Bio
text 300 112 $2
text 40 124 Zone Industrielle La Ballastière
text 300 124 $5
text 40 136 33500 Libourne
text 300 136 $6
text 40 150 Affaire suivie par : M. Olivier Brun
text 40 200 Réf.
text 110 200 Désignation
rtext 380 200 Qté
rtext 460 200 P.U. HT
rtext 550 200 Montant HT
text 40 215 BIO-2001
text 110 215 Farine de blé T65 1 kg
rtext 380 215 10
rtext 460 215 3,36
rtext 550 215 33,60
text 380 245 Total HT
rtext 550 245 33,60
SPEC
}
letterhead moved.pdf "Les Jardins de Léa" "8 chemin des Vignes" "33500 Libourne" "Entrepôt, 9 rue du Port" \
	"33500 Libourne" LEA-2026-09
letterhead stranger.pdf "Le Fournil d'Arthur" "21 avenue Foch" "24000 Périgueux" "Hangar B, 2 rue des Moulins" \
	"24750 Trélissac" FA-1
mkeml --from "lea@jardins-de-lea.fr" --id "<c11@lea>" --attach moved.pdf LEA-2026-09.pdf application/pdf >$M/c11.eml
mkeml --from "arthur@fournil.example" --id "<c12@fournil>" --attach stranger.pdf FA-1.pdf application/pdf >$M/c12.eml
dove_deliver $M/c11.eml $M/c12.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll2.out 2>poll2.err
mo drafts --json >d.json
t_like "$(of '<c11@lea>' '.checks[] | select(.code == "customer_data_differs") | .message')" \
	"delivery_address : fiche « ZA du Pont, 1 rue Neuve », bon de commande « Entrepôt, 9 rue du Port »" \
	"c11: a layout no rule reads: the PO's delivery address, beside ours, differs from the file's"
t_unlike "$(of '<c11@lea>' '.checks[] | select(.code == "customer_data_differs") | .message')" "billing" \
	"c11: its letterhead agrees with the file: not listed"
mo customer from-draft "$(of '<c12@fournil>' .number)" >fd.out 2>fd.err
t_like "$(cat fd.out)" "--billing-address '21 avenue Foch' --billing-postcode '24000' --billing-city 'Périgueux' --contact 'Olivier Brun' --phone '05 57 51 00 00' --delivery-address 'Hangar B, 2 rue des Moulins' --delivery-postcode '24750' --delivery-city 'Trélissac'" \
	"c12: from-draft on a layout no rule reads: addresses, contact and phone, not ours, not the fax"

# Negative numbers on a PO (a discount line, a return) are read as not
# printed, as intake has always read them: no negative price, total or
# quantity reaches a draft until the order chain says how to take one.
mkpdf_po neg.pdf LEA-9 24/11/2026 "LES JARDINS DE LÉA" "28,60" \
	"BIO-2001|Farine de blé T65 1 kg|10|3,36|33,60" \
	"|Remise fidélité|1|-5,00|-5,00" \
	"|Retour palette|-1|2,00|-2,00"
mkeml --from "lea@jardins-de-lea.fr" --id "<c13@lea>" --attach neg.pdf LEA-9.pdf application/pdf >$M/c13.eml
dove_deliver $M/c13.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll3.out 2>poll3.err
mo drafts --json >d.json
t_is "$(of '<c13@lea>' '[.lines[] | "\(.description) \(.qty) \(.unit_price) \(.line_total)"] | join(", ")')" \
	"Farine de blé T65 1 kg 10 3.36 33.60, Remise fidélité 1 null null" \
	"c13: a negative price or total is read as not printed; a line of a negative quantity is none"
t_is "$(of '<c13@lea>' '.total_ht')" "33.60" "c13: and the total is the lines' it has"

mo show "$n2" >show.txt
t_like "$(cat show.txt)" 'ligne 1 : prix du bon de commande 3,30 €, prix catalogue 3,45 €' \
	"show: the clerk reads each check with its line, in French"
t_done
