#!/usr/bin/env bash
# `mailorder rules check`: which rule reads a document and what it reads,
# so that a clerk can write a rule for a new layout; a bad rule is refused
# with its file and line.
. "$(dirname "$0")/lib.sh"
t_init
mo_config_offline
mkdir rules
"$TOOLS/mkpdf" po.pdf <<'SPEC'
size 14
text 40 50 BIO LANDES
size 10
text 360 70 Commande N° BP-2026-118
text 360 85 Date : 20/11/2026
text 40 200 Réf.
text 110 200 Désignation
rtext 360 200 Qté
rtext 440 200 P.U. HT
rtext 540 200 Montant HT
text 40 215 BIO-1019
text 110 215 Farine de blé T65 1 kg
rtext 360 215 6
rtext 440 215 2,10
rtext 540 215 12,60
text 40 230 BIO-1002
text 110 230 Huile d'olive vierge extra 75 cl
rtext 360 230 12
rtext 440 230 9,80
rtext 540 230 117,60
text 330 260 Total HT
rtext 540 260 130,20
SPEC
cat >rules/bio-landes.yaml <<'RULE'
issuer: Bio Landes
keywords: ['BIO LANDES']
fields:
  customer_order_ref: 'Commande N°\s*(\S+)'
  order_date: 'Date\s*:\s*(\S+)'
  total_ht: 'Total HT\s{2,}(\S+)'
lines:
  start: '^Réf\.\s{2,}Désignation'
  end: 'Total HT'
  line: '^(?P<ref>BIO-\d+)\s{2,}(?P<description>.+?)\s{2,}(?P<qty>\d+)\s{2,}(?P<unit_price>[\d,]+)\s{2,}(?P<line_total>[\d,]+)$'
options:
  decimal_separator: ','
RULE

mo rules check >out 2>err
t_is "$?" 0 "rules check without a document lists the rules"
t_like "$(cat out)" "4 règle\(s\) dans $T_DIR/rules puis $SRCDIR/rules" \
	"from the rules folder beside the config, then those shipped with mailorder"
t_like "$(cat out)" "$SRCDIR/rules/bio-perigord.yaml : Bio Périgord" "the shipped ones are listed too"
mo rules check po.pdf >out 2>err
t_is "$?" 0 "rules check on a document"
t_like "$(cat out)" "Règle     : $T_DIR/rules/bio-landes.yaml \(Bio Landes\)" "names the rule that fits"
t_like "$(cat out)" "customer_order_ref +: BP-2026-118" "and what it reads: the PO number"
t_like "$(cat out)" "order_date +: 20/11/2026 → 20 novembre 2026" "the date, and the date intake takes"
t_like "$(cat out)" "total_ht +: 130,20" "the total"
t_like "$(cat out)" "Lignes    : 2" "two lines"
t_like "$(cat out)" "réf. BIO-1002 \| Huile d'olive vierge extra 75 cl \| qté 12 \| P.U. 9,80 \| montant 117,60" \
	"each with its cells"

printf 'issuer: Autre\nkeywords: [AUTRE CLIENT]\n' >rules/autre.yaml
mo rules check --text po.pdf >out 2>err
t_like "$(cat out)" "Texte vu par les règles" "--text shows the text the regexes see"
sed -i 's/BIO LANDES/BIO DORDOGNE/' rules/bio-landes.yaml
mo rules check po.pdf >out 2>err
t_like "$(cat out)" "aucune ne correspond : lecture générique" "a document no rule fits is said so"
t_like "$(cat out)" "réf. BIO-1019 \\| Farine de blé T65 1 kg \\| qté 6 \\| P.U. 2,10 \\| montant 12,60" "and read by the generic reader"
t_like "$(cat out)" "customer_order_ref +: BP-2026-118" "its order number too"

# A layout a shipped rule reads (Bio Périgord's PO), no site rule for it.
"$TOOLS/mkpdf" bp.pdf <<'SPEC'
size 14
text 40 50 BIO PÉRIGORD
size 10
text 360 70 Commande N° BP-2026-130
text 360 85 Date : 27/11/2026
text 40 120 Livraison souhaitée le : 04/12/2026
size 9
text 40 66 14 rue Taillefer – 24000 Périgueux
text 40 78 Tél. 05 53 08 41 27 – achats@bio-perigord.fr
text 40 140 Fournisseur
text 300 140 Adresse de livraison
text 40 151 Sweetie Bio
text 300 151 Bio Périgord – réception marchandises
text 40 162 Zone Industrielle La Ballastière
text 300 162 Entrepôt Nord, 8 rue des Vergers
text 40 173 33500 Libourne
text 300 173 24430 Marsac-sur-l'Isle
size 10
text 40 200 Réf.
text 110 200 Désignation
rtext 360 200 Qté
rtext 440 200 P.U. HT
rtext 540 200 Montant HT
text 40 215 BIO-1019
text 110 215 Farine de blé T65 1 kg
rtext 360 215 6
rtext 440 215 2,10
rtext 540 215 12,60
text 110 230 Confiture maison (hors catalogue)
rtext 360 230 2
rtext 440 230 4,50
rtext 540 230 9,00
text 330 260 Total HT
rtext 540 260 21,60
SPEC
mo rules check bp.pdf >out 2>err
t_like "$(cat out)" "Règle     : $SRCDIR/rules/bio-perigord.yaml" "a shipped rule reads its layout"
t_like "$(cat out)" "delivery_date +: 04/12/2026 → 4 décembre 2026" "the delivery date"
t_like "$(cat out)" "réf. — \| Confiture maison \(hors catalogue\) \| qté 2 \| P.U. 4,50 \| montant 9,00" \
	"a line without our reference"
t_like "$(cat out)" "Lignes    : 2$" "both lines, by the rule itself"
t_like "$(cat out)" "billing_address +: 14 rue Taillefer" "the company's address"
t_like "$(cat out)" "billing_city +: Périgueux" "and its city"
t_like "$(cat out)" "phone +: 05 53 08 41 27" "its phone"
t_like "$(cat out)" "delivery_address +: Entrepôt Nord, 8 rue des Vergers" \
	"the delivery address, in the right-hand column beside ours"
t_like "$(cat out)" "delivery_postcode +: 24430" "its postcode"
t_like "$(cat out)" "delivery_city +: Marsac-sur-l'Isle" "its city"
# A customer whose software writes the month first: the rule says so.
"$TOOLS/mkpdf" us.pdf <<'SPEC'
size 14
text 40 50 US FOODS
size 10
text 360 70 Order no. US-5
text 360 85 Date : 11/05/2026
text 40 200 Réf.
text 110 200 Désignation
rtext 360 200 Qté
text 40 215 BIO-1019
text 110 215 Farine de blé T65 1 kg
rtext 360 215 6
SPEC
mkdir us-rules
printf "issuer: US Foods\nkeywords: ['US FOODS']\nfields:\n  order_date: 'Date : (\\S+)'\noptions:\n  date_formats: ['%%m/%%d/%%Y']\n" >us-rules/us.yaml
mo rules check --rules us-rules us.pdf >out 2>err
t_like "$(cat out)" "order_date +: 11/05/2026 → 5 novembre 2026" "a rule's date_formats: month first"

printf 'issuer: Cassé\nkeywords: [X]\nfeilds:\n  order_date: x\nfields:\n  order_date: "Date (\\\\d+"\n' >rules/casse.yaml
mo rules check po.pdf >out 2>err
t_is "$?" 1 "a bad rule stops the check"
t_like "$(cat err)" "casse.yaml:3: clé inconnue « feilds »" "naming its file, line and key"
t_like "$(cat err)" "casse.yaml:6: fields.order_date : expression régulière fausse" "and its bad regex"

mo init >/dev/null
mo poll --once >out 2>err
t_is "$?" 1 "a bad rule stops the poller at start"
t_like "$(cat err)" "casse.yaml:3: clé inconnue « feilds »" "saying which and why"

mo rules check --rules us-rules --summary us.pdf po.pdf >out 2>err
t_is "$?" 0 "rules check --summary on several documents"
t_is "$(cat out)" "us.pdf : us.yaml, n° US-5, date 05/11/2026, 1 ligne(s) (en partie par la lecture générique)
po.pdf : lecture générique, n° BP-2026-118, date 20/11/2026, 2 ligne(s)" "one line each: rule, number, date, lines"

mo rules check notapdf.pdf >out 2>err
t_is "$?" 1 "a missing document is an error"
t_done
