#!/usr/bin/env bash
# Scans, as the order desk receives them: a PO printed, then scanned
# (image only, turned a little, grey, dusty; made here by tools/mkscan)
# becomes a draft like any other, its values read by OCR and said so; a
# scan with nothing to read stays no_text, still filed for the clerk.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

"$TOOLS/mkpdf" --standard-font po.pdf <<'SPEC'
size 16
text 40 50 BIO & VRAC
size 11
text 40 75 14 rue Thiers, 24000 Périgueux
text 330 110 Commande N° BV-2026-31
text 330 128 Date : 23/11/2026
text 40 200 Réf.
text 120 200 Désignation
rtext 390 200 Qté
rtext 470 200 P.U. HT
rtext 555 200 Montant HT
text 40 222 BIO-2001
text 120 222 Farine de blé T65 1 kg
rtext 390 222 20
rtext 470 222 3,28
rtext 555 222 65,60
text 40 244 BIO-2002
text 120 244 Riz basmati complet 1 kg
rtext 390 244 8
rtext 470 244 4,94
rtext 555 244 39,52
text 40 266 BIO-2005
text 120 266 Savon de Marseille 100 g
rtext 390 266 12
rtext 470 266 3,71
rtext 555 266 44,52
text 330 300 Total HT
rtext 555 300 149,64
SPEC
"$TOOLS/mkscan" po.pdf scan.pdf --angle 1.8 --specks 600 --seed 7 || { echo "Bail out! mkscan"; exit 1; }
printf 'line 40 40 500 40\n' | "$TOOLS/mkpdf" blank.pdf
"$TOOLS/mkscan" po.pdf scan2.pdf --angle -1.2 --seed 3 || { echo "Bail out! mkscan"; exit 1; }
"$TOOLS/mkscan" blank.pdf blank-scan.pdf --angle 0.5 --specks 300 || { echo "Bail out! mkscan"; exit 1; }
t_is "$(pdffonts scan.pdf 2>/dev/null | tail -n +3 | wc -l)" 0 "the scan has no font: image only"

mo rules check scan.pdf >rc.out 2>rc.err
t_like "$(cat rc.out)" "OCR       : 1 page\(s\) numérisée\(s\), [0-9]+ mots lus, confiance moyenne [0-9]+ %" \
	"rules check says the page was read by OCR, and how surely"
t_like "$(cat rc.out)" "réf. BIO-2002 \| Riz basmati complet 1 kg \| qté 8 \| P.U. 4,94 \| montant 39,52" \
	"rules check shows what OCR read, as for any PDF"

# Two pages, the table's header repeated on the second (each sheet
# turned its own way by the scanner).
"$TOOLS/mkpdf" --standard-font two.pdf <"$SRCDIR/tests/data/layouts/two-pages.spec"
"$TOOLS/mkscan" two.pdf two-scan.pdf --angle -0.8 --seed 11 || { echo "Bail out! mkscan"; exit 1; }
mo rules check two-scan.pdf >rc2.out 2>&1
t_like "$(cat rc2.out)" "OCR       : 2 page\(s\) numérisée\(s\)" "a two-page scan: both pages read"
t_like "$(cat rc2.out)" "Lignes    : 3" "its three lines, across the page break"

mkeml --from contact@bio-et-vrac.fr --id "<s1@bv>" --attach scan.pdf SCAN_0042.pdf application/pdf >s1.eml
mkeml --from contact@bio-et-vrac.fr --id "<s2@bv>" --attach blank-scan.pdf SCAN_0043.pdf application/pdf >s2.eml
dove_deliver s1.eml s2.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll.out 2>poll.err
t_is "$?" 0 "poll succeeds"
mo drafts --json >d.json
t_is "$(jq length d.json)" 1 "the scan of a PO becomes a draft"
t_is "$(jq -r '.[0] | [.customer.ref, .customer_order_ref, .order_date] | join(" ")' d.json)" \
	"CLI103 BV-2026-31 2026-11-23" "its customer, PO number and date"
t_is "$(jq -r '[.[0].lines[] | "\(.product_ref) \(.qty) \(.unit_price) \(.line_total)"] | join(", ")' d.json)" \
	"BIO-2001 20 3.28 65.60, BIO-2002 8 4.94 39.52, BIO-2005 12 3.71 44.52" \
	"every line: product, quantity, price, total (the customer's 5 % net prices)"
t_is "$(jq -r '[.[0].checks[] | select(.severity != "info") | .code] | join(" ")' d.json)" \
	"" "nothing to check: prices and totals agree, which confirms what OCR read"
t_is "$(jq -r '[.[0].lines[].confidence] | map(. >= 0.9) | all' d.json)" true \
	"every line sure: its arithmetic and the printed total vouch for it"
t_like "$(jq -r '.[0].checks[] | select(.code == "ocr_read") | .message' d.json)" "la page 1 lue par OCR" \
	"the clerk is told the values were read by OCR"
t_like "$(mo rules check --explain scan.pdf 2>&1)" "lue par .*\(sûreté [0-9]+ %\)" \
	"rules check --explain on a scan: how each line was read"

# What intake read is kept with the document: customer from-draft reads
# the scan's PO from it, with no OCR again (the helper killed at once
# changes nothing).  The order is made a stranger's for a while, so that
# from-draft shows all it read of the customer.
scan_order=$(jq -r '.[0].number' d.json)
t_is "$(sql "SELECT count(*) FROM documents WHERE page_model IS NOT NULL AND state = 'drafted'")" 1 \
	"the scan's reading is kept with its document"
cp var/mailorder.db before.db
sql "UPDATE orders SET customer_id = NULL WHERE number = '$scan_order'"
mo customer from-draft "$scan_order" >fd.out 2>fd.err
t_is "$?" 0 "customer from-draft on the scan's order"
t_like "$(cat fd.out)" "Nom +BIO & VRAC" "shows the name OCR read on the scan"
MAILORDER_CRASHPOINT=ocr-page mo customer from-draft "$scan_order" >fd2.out 2>fd2.err
t_is "$?" 0 "the same with the OCR helper dying at once"
t_is "$(cat fd2.out)" "$(cat fd.out)" "says the same: the kept reading, no OCR"
sql "UPDATE documents SET page_model = NULL"
mo customer from-draft "$scan_order" >fd3.out 2>&1
t_is "$(cat fd3.out)" "$(cat fd.out)" \
	"a document without its reading kept (an older database): the PDF is read again, the same"
MAILORDER_CRASHPOINT=ocr-page mo customer from-draft "$scan_order" >fd4.out 2>&1
t_unlike "$(cat fd4.out)" "Nom +BIO & VRAC" \
	"and then by OCR again: with the helper dying, the name is not read"
cp before.db var/mailorder.db
rm -f var/mailorder.db-wal var/mailorder.db-shm

mo quarantine --json >q.json
t_is "$(jq -r '.[] | select(.message_id == "<s2@bv>") | .reason' q.json)" "no_text" \
	"a scan with nothing to read stays no_text"
t_like "$(jq -r '.[] | select(.message_id == "<s2@bv>") | .document' q.json)" '_BC_M[0-9]{4}_' \
	"and is filed, for the clerk to see"
t_like "$(jq -r '.[] | select(.message_id == "<s2@bv>") | .detail' q.json)" "OCR" \
	"the reason says OCR found nothing to read"
t_like "$(grep 'PDF lu' poll.err)" "2 PDF lu\(s\)" "the poll counts the scans it read"

# A message with a PO made by software and a scanned one: the first stage
# reads the first, leaves the message to the OCR stage, which starts from
# that reading (kept with its document) instead of reading it again.
mkpdf_order both.pdf "Bon de commande B-1"
"$TOOLS/mkscan" po.pdf scan5.pdf --angle 0.7 --seed 21 || { echo "Bail out! mkscan"; exit 1; }
mkeml --from contact@bio-et-vrac.fr --id "<s5@bv>" --attach both.pdf B-1.pdf application/pdf \
	--attach scan5.pdf SCAN_0045.pdf application/pdf >s5.eml
dove_deliver s5.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll5.out 2>poll5.err
t_is "$(mo drafts --json | jq '[.[] | select(.source.message_id == "<s5@bv>")] | length')" 2 \
	"a PO and a scanned PO in one message: two drafts"
t_like "$(grep "repris par l'étape OCR" poll5.err)" "poll : 2 d'entre eux" \
	"the OCR stage took both from the first stage's reading, not from the PDFs again"
t_is "$(sql "SELECT count(*) FROM documents d JOIN messages m ON m.id = d.message_id WHERE m.message_id = 's5@bv' AND d.page_model IS NOT NULL")" \
	2 "both readings kept with their documents"

# The OCR stage opens no PDF: it starts from the first stage's reading
# of the scan, its scanned page listed, and gives that page to the OCR
# helper (a second opening of a PDF by this program would kill it here).
"$TOOLS/mkscan" po.pdf scan6.pdf --angle -0.4 --seed 5 || { echo "Bail out! mkscan"; exit 1; }
mkeml --from contact@bio-et-vrac.fr --id "<s6@bv>" --attach scan6.pdf SCAN_0046.pdf application/pdf >s6.eml
dove_deliver s6.eml || { echo "Bail out! delivery failed"; exit 1; }
MAILORDER_CRASHPOINT=pdf-read:2 mo poll --once >poll6.out 2>poll6.err
t_is "$?" 0 "a scan read with one opening of its PDF, by the first stage"
t_is "$(mo drafts --json | jq -r '[.[] | select(.source.message_id == "<s6@bv>") | .lines | length] | join(" ")')" \
	3 "and its three lines read by OCR"

# OCR runs in a helper process: when it dies, that page is lost, not the
# poll; the other messages are read as ever.
mkeml --from contact@bio-et-vrac.fr --id "<s3@bv>" --attach scan2.pdf SCAN_0044.pdf application/pdf >s3.eml
mkpdf_order text.pdf "Bon de commande T-1"
mkeml --from contact@bio-et-vrac.fr --id "<s4@bv>" --attach text.pdf T-1.pdf application/pdf >s4.eml
dove_deliver s3.eml s4.eml || { echo "Bail out! delivery failed"; exit 1; }
MAILORDER_CRASHPOINT=ocr-page mo poll --once >poll2.out 2>poll2.err
t_is "$?" 0 "the OCR helper killed: the poll goes on"
mo quarantine --json >q2.json
t_is "$(jq -r '.[] | select(.message_id == "<s3@bv>") | .reason' q2.json)" "no_text" \
	"the scan whose OCR died is no_text"
t_like "$(jq -r '.[] | select(.message_id == "<s3@bv>") | .detail' q2.json)" "l'OCR s'est arrêté \\(signal 9\\)" \
	"saying what became of the OCR"
t_is "$(mo drafts --json | jq -r '.[] | select(.source.message_id == "<s4@bv>") | .customer.ref')" "CLI103" \
	"the other message of the poll is a draft as ever"
t_is "$(sql "SELECT intake_attempts || ' ' || state FROM messages WHERE message_id = 's3@bv'")" "1 quarantined" \
	"the helper's death is the page's: the message's one reading ended, counted once"

sed -i 's/^max_attachment_mb = .*/&\nocr_timeout_s = 0/' mailorder.conf
mo drafts >out 2>err
t_is "$?" 2 "ocr_timeout_s = 0 is a bad config"
t_like "$(cat err)" "ocr_timeout_s : « 0 » n'est pas un nombre entier de 1 à 3600" "saying why"
t_done
