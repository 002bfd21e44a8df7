#!/usr/bin/env bash
# How sure a draft is of what it read (issue "Intake IV"): a confidence
# from 0 to 1 for each line and each field in the order's JSON, a
# low_confidence check naming what a clerk must look at and why (once,
# and not for what another check already says), taken away by the
# clerk's correction; rules check --explain says why each field and
# line was read as it was; an older database's OCR doubts become
# low_confidence.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

# No rule knows this layout.  It has no order date, only a delivery date
# (the first date of the document, taken for the order's, unsure); its second row prints a
# total that is not quantity × price; its total is the sum of the totals
# it prints.
"$TOOLS/mkpdf" po.pdf <<'SPEC'
size 14
text 40 50 BIO & VRAC
size 10
text 360 70 N° de commande : BV-2026-77
text 360 85 À livrer avant le 23/11/2026
text 40 200 Réf.
text 110 200 Désignation
rtext 360 200 Qté
rtext 440 200 P.U. HT
rtext 540 200 Montant HT
text 40 215 BIO-2001
text 110 215 Farine de blé T65 1 kg
rtext 360 215 12
rtext 440 215 3,45
rtext 540 215 41,40
text 40 230 BIO-2002
text 110 230 Riz basmati complet 1 kg
rtext 360 230 10
rtext 440 230 5,20
rtext 540 230 55,00
text 40 245 BIO-2005
text 110 245 Savon de Marseille 100 g
rtext 360 245 4
rtext 440 245 3,90
rtext 540 245 15,60
text 330 275 Total HT
rtext 540 275 112,00
SPEC
mkeml --from contact@bio-et-vrac.fr --id "<c1@bv>" --attach po.pdf BC-77.pdf application/pdf >c1.eml
dove_deliver c1.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll.out 2>&1
t_is "$?" 0 "poll succeeds"
mo drafts --json >d.json
t_is "$(jq length d.json)" 1 "one draft"
t_is "$(jq -r '[.[0].lines[].confidence | type] | join(" ")' d.json)" "number number number" \
	"each line has a confidence, a number"
t_is "$(jq -r '[.[0].lines[] | .confidence >= 0 and .confidence <= 1] | all' d.json)" true \
	"from 0 to 1"
t_is "$(jq -r '.[0].lines[0].confidence' d.json)" 1 \
	"line 1: its numbers multiply, the product is ours: sure"
t_ok "line 2: quantity × price is not its total: unsure ($(jq -r '.[0].lines[1].confidence' d.json))" \
	test "$(jq -r '.[0].lines[1].confidence < 0.7' d.json)" = true
t_is "$(jq -r '.[0].checks[] | select(.code == "total_mismatch" and .line == 2) | .code' d.json)" \
	total_mismatch "which total_mismatch says, on its line"
t_is "$(jq -r '[.[0].checks[] | select(.code == "low_confidence" and .line != null)] | length' d.json)" 0 \
	"and no low_confidence says it again"
t_is "$(jq -r '.[0].confidence | [.customer, .customer_order_ref, .order_date] | map(tostring) | join(" ")' d.json)" \
	"1 0.9 0.5" "the fields' confidences: the sender's customer, a PO number after its label, the first date of the page, a delivery's"
t_is "$(jq -r '.[0].confidence.total' d.json)" 1 "the printed total, which the lines make"
t_is "$(jq -r '[.[0].checks[] | select(.code == "low_confidence")] | length' d.json)" 1 \
	"one low_confidence: the date"
t_like "$(jq -r '.[0].checks[] | select(.code == "low_confidence") | .message' d.json)" \
	"^la date de commande « 2026-11-23 » lue sans certitude \(confiance 50 %\) : la première date du document, sur une ligne de livraison" \
	"it says what, how sure and why"
t_is "$(jq -r '.[0].checks[] | select(.code == "low_confidence") | .severity' d.json)" warning \
	"a warning: the clerk accepts it or corrects"
number=$(jq -r '.[0].number' d.json)
mo show "$number" >show.out
t_like "$(cat show.out)" "Lecture" "show: a column of how sure each line was read"
t_like "$(cat show.out)" "41,40 +100 %" "  line 1 at 100 %"

# rules check --explain: why, and the draft as intake would make it.
mo rules check --explain --from contact@bio-et-vrac.fr po.pdf >explain.out 2>&1
t_is "$?" 0 "rules check --explain runs"
t_like "$(cat explain.out)" "customer_order_ref : « BV-2026-77 » après un libellé de n° de commande" \
	"each field: what was read and after which wording"
t_like "$(cat explain.out)" "order_date +: « 2026-11-23 » la première date du document, sur une ligne de livraison .*\(sûreté 50 %\)" \
	"the date: why unsure"
t_like "$(cat explain.out)" "lignes +: lignes lues par" "which of the two line readings was kept, and why"
t_like "$(cat explain.out)" "1  lue par .* page 1 :" "each line: how it was read, and where"
t_like "$(cat explain.out)" "« BIO-2002 +Riz basmati complet 1 kg +10 +5,20 +55,00 »" "  with its text"
t_like "$(cat explain.out)" "Client +: CLI103 Bio & Vrac" "the draft: its customer, by the sender given"
t_like "$(cat explain.out)" "2  BIO-2002 10 × 5,20 € : confiance [0-9]+ % : quantité × prix ne fait pas le montant imprimé" \
	"each line's product and confidence, and why"
t_like "$(cat explain.out)" "\(low_confidence\)" "its checks"
t_is "$(jq length <(mo drafts --json))" 1 "nothing recorded"
mo rules check --explain --text po.pdf >/dev/null 2>&1
t_is "$?" 2 "--explain and --text exclude each other"

# The same PO from Bio & Vrac whose lines do not make its total.
"$TOOLS/mkpdf" po2.pdf <<'SPEC'
size 10
text 360 70 N° de commande : BV-2026-78
text 360 85 Date : 24/11/2026
text 40 200 Réf.
text 110 200 Désignation
rtext 360 200 Qté
rtext 440 200 P.U. HT
rtext 540 200 Montant HT
text 40 215 BIO-2001
text 110 215 Farine de blé T65 1 kg
rtext 360 215 12
rtext 440 215 3,45
rtext 540 215 41,40
text 330 245 Total HT
rtext 540 245 50,00
SPEC
mo rules check --explain --from contact@bio-et-vrac.fr po2.pdf >explain2.out 2>&1
t_like "$(cat explain2.out)" "total +: confiance 40 % \(la somme des lignes ne le fait pas\)" \
	"a printed total the lines do not make: unsure"
t_like "$(cat explain2.out)" "1  BIO-2001 12 × 3,45 € : confiance 82 % : les lignes ne font pas le total imprimé" \
	"and every line a little less sure"
t_like "$(cat explain2.out)" "order_date +: confiance 90 % \(sur une ligne qui dit « date »" \
	"a date on a line that says so: sure enough"

# The clerk corrects line 2: nothing left to doubt on it.
mo correct "$number" --line 2 --qty 10 --price 5,50 >corr.out 2>&1
t_is "$?" 0 "correct line 2"
mo show "$number" --json >s.json
t_is "$(jq -r '.lines[1].confidence' s.json)" null "a corrected line: confidence null"
t_is "$(jq -r '.lines[0].confidence' s.json)" 1 "the others keep theirs"
mo correct "$number" --delivery-date 30/11/2026 >/dev/null 2>&1
mo show "$number" --json >s2.json
t_is "$(jq -r '.confidence | has("delivery_date")' s2.json)" false "a date the clerk typed has no confidence"
t_is "$(jq -r '[.checks[] | select(.code == "low_confidence")] | length' s2.json)" 1 \
	"the order date's check stays until the clerk looks at it"

# A database of schema 11 whose OCR doubts had their own code.
sql "UPDATE order_checks SET code = 'ocr_low_confidence' WHERE code = 'low_confidence'"
sqlite3 var/mailorder.db "DROP TABLE learned_layouts; DROP TABLE order_confidence;
	ALTER TABLE order_lines DROP COLUMN confidence;
	ALTER TABLE order_lines DROP COLUMN doubt; PRAGMA user_version = 11;"
mo drafts >/dev/null 2>&1
t_is "$?" 1 "schema 11: refused until init"
mo init >/dev/null 2>&1
t_is "$?" 0 "init migrates it"
mo show "$number" --json >m.json
t_is "$?" 0 "the draft reads again"
t_is "$(jq -r '[.checks[] | select(.code == "low_confidence")] | length' m.json)" 1 \
	"its ocr_low_confidence is now low_confidence"
t_is "$(jq -r '[.lines[].confidence] | map(tostring) | join(" ")' m.json)" "null null null" \
	"lines read before: no confidence (null), none made up"
t_done
