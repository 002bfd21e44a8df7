#!/usr/bin/env bash
# Kinds of documents the generated set does not hold (issue "Intake IV"):
# a PO in English and one in German (their wordings, dates and number
# conventions), and a letter with no table; each read line for line
# through intake.  A letter whose numbers count nothing gives no line.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

"$TOOLS/mkpdf" en.pdf <<'SPEC'
size 14
text 40 50 EPICERIE DU MARCHE - EXPORT DESK
size 10
text 360 70 Purchase Order No. GL-40412
text 360 85 Date: November 20, 2026
text 360 100 Requested delivery: December 2, 2026
text 40 200 Item
text 110 200 Description
rtext 360 200 Qty
rtext 440 200 Unit price
rtext 540 200 Amount
text 40 215 BIO-2001
text 110 215 Wheat flour T65 1 kg
rtext 360 215 12
rtext 440 215 3.45
rtext 540 215 41.40
text 40 230 BIO-2002
text 110 230 Brown basmati rice 1 kg
rtext 360 230 1,200
rtext 440 230 5.20
rtext 540 230 6,240.00
text 330 260 Subtotal
rtext 540 260 6,281.40
SPEC
"$TOOLS/mkpdf" de.pdf <<'SPEC'
size 14
text 40 50 LES JARDINS DE LEA - FILIALE BADEN
size 10
text 360 70 Bestell-Nr.: BM-2026-0815
text 360 85 Datum: 20. November 2026
text 360 100 Liefertermin: 02.12.2026
text 40 200 Art.-Nr.
text 110 200 Bezeichnung
rtext 360 200 Menge
rtext 440 200 Einzelpreis
rtext 540 200 Gesamt
text 40 215 BIO-2001
text 110 215 Weizenmehl T65 1 kg
rtext 360 215 10
rtext 440 215 3,36
rtext 540 215 33,60
text 40 230 BIO-2002
text 110 230 Basmatireis 1 kg
rtext 360 230 1.200
rtext 440 230 5,07
rtext 540 230 6.084,00
text 330 260 Summe netto
rtext 540 260 6.117,60
SPEC
"$TOOLS/mkpdf" letter.pdf <<'SPEC'
size 12
text 40 50 Bio & Vrac
size 10
text 40 65 14 rue Thiers, 24000 Périgueux - Tél. 05 53 00 11 22
text 360 100 Périgueux, le 20 novembre 2026
text 40 140 Objet : commande n° BV-LETTRE-12
text 40 170 Madame, Monsieur,
text 40 190 Merci de nous livrer pour le 27/11/2026 :
text 60 210 - 12 x BIO-2001 Farine de blé T65 1 kg
text 60 225 - 6 cartons de BIO-2005 Savon de Marseille 100 g
text 60 240 - BIO-2003 Huile d'olive vierge extra 75 cl : 4
text 40 270 Nous restons à votre disposition au 05 53 00 11 22.
text 40 290 Cordialement, Paul Henry
SPEC
# a letter that orders nothing a line can say: no number counts a product
# (a reference after a label is a field's, a date no count)
"$TOOLS/mkpdf" vague.pdf <<'SPEC'
size 10
text 40 50 Bio & Vrac
text 40 80 Objet : commande n° BV-LETTRE-13
text 40 95 Référence : BV-2026-44    Date : 21.11.2026
text 40 110 Comme la semaine 47, la même chose que la commande BV-2026-31,
text 40 125 avec 2 ou 3 cartons de plus si possible (BIO-2001 surtout).
SPEC
mkeml --from commandes@epicerie-du-marche.fr --id "<k1@x>" --attach en.pdf PO-GL-40412.pdf application/pdf >k1.eml
mkeml --from lea@jardins-de-lea.fr --id "<k2@x>" --attach de.pdf Bestellung.pdf application/pdf >k2.eml
mkeml --from contact@bio-et-vrac.fr --id "<k3@x>" --attach letter.pdf lettre.pdf application/pdf >k3.eml
mkeml --from contact@bio-et-vrac.fr --id "<k4@x>" --attach vague.pdf lettre2.pdf application/pdf >k4.eml
dove_deliver k1.eml k2.eml k3.eml k4.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll.out 2>&1
t_is "$?" 0 "poll succeeds"
mo drafts --json >d.json
draft() { jq -c --arg ref "$1" '.[] | select(.customer_order_ref == $ref)' d.json; }
lines() { draft "$1" | jq -r '[.lines[] | "\(.product_ref) \(.qty) \(.unit_price)"] | join(", ")'; }

t_is "$(draft GL-40412 | jq -r '[.order_date, .delivery_date] | join(" ")')" "2026-11-20 2026-12-02" \
	"English: 'Purchase Order No.', 'November 20, 2026', 'Requested delivery'"
t_is "$(lines GL-40412)" "BIO-2001 12 3.45, BIO-2002 1200 5.20" "  its lines, 1,200 a thousand two hundred"
t_is "$(draft BM-2026-0815 | jq -r '[.order_date, .delivery_date] | join(" ")')" "2026-11-20 2026-12-02" \
	"German: 'Bestell-Nr.', '20. November 2026', 'Liefertermin'"
t_is "$(lines BM-2026-0815)" "BIO-2001 10 3.36, BIO-2002 1200 5.07" \
	"  its lines under 'Menge', 'Einzelpreis', 1.200 a thousand two hundred"
t_is "$(draft BV-LETTRE-12 | jq -r '[.order_date, .delivery_date] | join(" ")')" "2026-11-20 2026-11-27" \
	"a letter: its date and the delivery it asks"
t_is "$(lines BV-LETTRE-12)" "BIO-2001 12 null, BIO-2005 6 null, BIO-2003 4 null" \
	"  a line per sentence that counts a reference (no price: the catalogue's)"
t_is "$(draft BV-LETTRE-12 | jq -r '[.lines[].description] | join(" | ")')" \
	"Farine de blé T65 1 kg | Savon de Marseille 100 g | Huile d'olive vierge extra 75 cl" \
	"  each description without the count's words"
t_is "$(draft BV-LETTRE-13 | jq -r '.lines | length')" 0 \
	"a letter whose numbers count no reference: no line invented"
t_is "$(draft BV-LETTRE-13 | jq -r '[.checks[].code] | index("no_lines") != null')" true \
	"  and the draft says it has none"
t_done
