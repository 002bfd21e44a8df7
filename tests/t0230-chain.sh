#!/usr/bin/env bash
# The order chain through the real mailbox: an order taken in from
# Dovecot, corrected, validated (its confirmation lists the differences
# from the PO), delivered in two parts as the stock allows, invoiced and
# posted; each PDF read back with pdftotext; what the database refuses.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
pdftext() { pdftotext -layout "$1" - 2>/dev/null; }

# Léa (2.5 % off, 45 jours) orders 5 products at two VAT rates (5.5 % and
# the soap's 20 %); her PO prices the oil at the old price, and the juice
# (BIO-2004) has no stock.
mkpdf_po po.pdf LEA-900 25/11/2026 "Bon de commande" "" \
	"BIO-2001|Farine de blé T65 1 kg|12|3,36|40,32" \
	"BIO-2003|Huile d'olive vierge extra 75 cl|4|11,00|44,00" \
	"BIO-2002|Riz basmati complet 1 kg|5|5,07|25,35" \
	"BIO-2004|Jus de pomme 1 L|6|2,88|17,28" \
	"BIO-2005|Savon de Marseille 100 g|3|3,80|11,40"
mkeml --from "lea@jardins-de-lea.fr" --id "<c01@lea>" --attach po.pdf LEA-900.pdf application/pdf >c01.eml
dove_deliver c01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>poll.err
t_is "$?" 0 "the order is taken in"
t_is "$(mo show SO0001 --json | jq -r '.state + " " + .customer.ref')" "draft CLI102" "  as a draft of Léa's"

# Not yet: a draft is neither delivered nor invoiced.
mo deliver SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*SO0001 est un brouillon : elle ne peut pas être livrée \(validez-la d'abord" \
	"a draft cannot be delivered, and the clerk is told what comes first"
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*avertissement\(s\) à accepter : .*price_mismatch.*--accept-warnings" \
	"validate stops on the warnings, naming them and the option"

mo correct SO0001 --remove-line 3 >/dev/null 2>&1
mo correct SO0001 --line 1 --qty 10 >/dev/null 2>&1
mo validate SO0001 --accept-warnings --by claire >out 2>err
t_is "$?" 0 "validate --accept-warnings"
t_like "$(cat out)" "SO0001 validée" "  says so"
conf=$(sed -n 's/^confirmation : //p' out)
t_like "$conf" "/var/archive/[0-9]{4}/[0-9]{2}/les-jardins-de-lea_CONF_SO0001_[0-9-]+\.pdf$" \
	"  its confirmation filed under the naming convention"
pdftext "$conf" >conf.txt
t_like "$(cat conf.txt)" "CONFIRMATION DE" "the CONF says what it is"
t_like "$(grep -c 'BIO-200' conf.txt)" "^[3-9]" "  with its lines"
t_like "$(cat conf.txt)" "11,60 €" "  the oil at the catalogue price less 2.5 % (11,90 → 11,60)"
t_like "$(cat conf.txt)" "LEA-900" "  the customer's PO number"
diffs=$(sed -n '/Différences/,$p' conf.txt)
t_like "$diffs" "11,00 €.*11,60 €" "  the price difference shown, theirs and ours"
t_like "$(grep 'quantité' conf.txt)" "BIO-2001 +quantité +12 +10" "  the quantity changed, 12 asked, 10 confirmed"
t_like "$diffs" "Riz basmati" "  the line removed"
t_like "$diffs" "BIO-2004" "  and what the stock cannot ship now (the juice)"
t_is "$(mo show SO0001 --json | jq -r .state)" "confirmed" "the order is confirmed"
t_is "$(mo show SO0001 --json | jq -r '.lines[1].unit_price')" "11.60" "  at the catalogue's net price"

# Delivery: what the stock allows; the juice waits.
stock_before=$(mo product show BIO-2001 --json | jq .stock)
mo deliver SO0001 >out 2>err
t_is "$?" 0 "deliver"
t_like "$(cat out)" "^BL0001 : livraison de SO0001" "  numbered BL0001"
t_like "$(cat out)" "BIO-2004 : 6 en attente de stock" "  the juice waits"
t_is "$(mo show SO0001 --json | jq -r .state)" "partially_delivered" "  the order is partially delivered"
t_is "$(mo product show BIO-2001 --json | jq .stock)" "$((stock_before - 10))" "  the stock taken"
bl=$(sed -n 's/^bon de livraison : //p' out)
pdftext "$bl" >bl.txt
t_like "$(cat bl.txt)" "BON DE LIVRAISON" "the BL says what it is"
t_like "$(cat bl.txt)" "BL0001" "  its number"
t_like "$(cat bl.txt)" "ZA du Pont" "  the delivery address"
t_unlike "$(grep -v 'au capital de' bl.txt)" "€" "  no prices"
mo deliver SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*rien ne peut être livré.*BIO-2004" "with nothing in stock, nothing is shipped and nothing numbered"
mo invoice SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*livrée en partie.*--partial" "invoice waits for the whole order, or --partial"

# The juice comes in; the rest ships.
mo product edit BIO-2004 --stock 20 >/dev/null 2>&1
mo deliver SO0001 >out 2>err
t_like "$?:$(cat out)" "^0:BL0002 : livraison de SO0001, 1 ligne\(s\) ; tout est livré" "the second delivery ships the rest"
bl2=$(sed -n 's/^bon de livraison : //p' out)
t_is "$(mo product show BIO-2004 --json | jq .stock)" 14 "  taking 6 from the stock"

# Invoice and post.
year=$(date +%Y)
today_fr=$(date +%d/%m/%Y)
due_fr=$(date -d "+45 days" +%d/%m/%Y)
mo invoice SO0001 --date "$(date -d tomorrow +%d/%m/%Y)" >out 2>err
t_like "$?:$(cat err)" "^2:.*une facture ne se date pas dans l'avenir" "an invoice dated tomorrow is refused"
mo invoice SO0001 --date "$(date -d '-30 days' +%d/%m/%Y)" >out 2>err
t_like "$?:$(cat err)" "^2:.*ne peut pas précéder sa livraison BL0001" "  and one dated before its deliveries"
mo invoice SO0001 >out 2>err
t_is "$?" 0 "invoice"
t_like "$(cat out)" "échéance $due_fr \(45 jours\)" "  due 45 days after"
t_is "$(mo invoices --json | jq -r '.[0] | "\(.number) \(.state)"')" "null draft" "  a draft, without a number"
mo invoice SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*déjà une facture en brouillon.*mailorder invoice SO0001 --redo" "a second draft: refused, saying how to redo it"
mo invoice SO0001 --redo >out 2>err
t_is "$?:$(mo invoices --json | jq length)" "0:1" "  --redo makes it again, still one"
mo invoice post SO0001 >out 2>err
t_is "$?" 0 "invoice post"
t_like "$(cat out)" "^FA$year-0001 : facture de SO0001 validée" "  numbered FA$year-0001"
inv=$(mo invoice show "FA$year-0001" --json)
ht=$(echo "$inv" | jq -r .total_ht)
vat=$(echo "$inv" | jq -r .total_vat)
ttc=$(echo "$inv" | jq -r .total_ttc)
# 10 × 3,36 (3,45 less 2.5 %) + 4 × 11,60 + 6 × 2,88 = 97,28 at 5.5 %;
# 3 × 3,80 (3,90 less 2.5 %) = 11,40 at 20 %
t_is "$ht" "108.68" "  HT to the cent"
t_is "$(echo "$inv" | jq -c '[.vat[] | [.rate, .base, .amount]]')" '[["5.5","97.28","5.35"],["20","11.40","2.28"]]' \
	"  VAT per rate, each rounded once (97,28 × 5,5 % = 5,3504; 11,40 × 20 % = 2,28)"
t_is "$vat" "7.63" "  VAT"
t_is "$ttc" "116.31" "  TTC"
t_is "$(echo "$inv" | jq -r '.deliveries | join(",")')" "BL0001,BL0002" "  both deliveries"
t_is "$(mo show SO0001 --json | jq -r .state)" "invoiced" "the order is invoiced"
t_is "$(mo entries --json | jq -r 'map("\(.account) \(.debit) \(.credit)") | join(" | ")')" \
	"411JARDI 116.31 0.00 | 707000 0.00 97.28 | 707000 0.00 11.40 | 445711 0.00 5.35 | 445713 0.00 2.28" \
	"the VT entry: 411 debited TTC, sales per rate and each rate's VAT credited"
t_is "$(mo entries --json | jq '[.[].debit | tonumber] | add * 100 | round')" \
	"$(mo entries --json | jq '[.[].credit | tonumber] | add * 100 | round')" "  debits equal credits"
fac=$(echo "$inv" | jq -r .file)
pdftext "$fac" >fac.txt
missing=
for mention in "FACTURE" "FA$year-0001" "Sweetie Bio" "SAS" "10 000 €" "RCS Libourne" "126562925" \
	"FR38126562925" "Les Jardins de Léa" "140260662" "FR72140260662" "8 chemin des Vignes" \
	"ZA du Pont" "$today_fr" "$due_fr" "trois fois le taux" "40 €" "escompte" \
	"livraison de biens" "108,68 €" "5,35 €" "2,28 €" "116,31 €" "5,5 %" "20 %" \
	"cent seize euros et trente et un centimes"; do
	grep -qF -- "$mention" fac.txt || missing="$missing [$mention]"
done
t_is "$missing" "" "the invoice carries every mention the law requires, the total in words"

# What is posted does not change: the commands say so, the database too.
mo invoice post "FA$year-0001" >out 2>err
t_like "$?:$(cat err)" "^1:.*FA$year-0001 est déjà validée : une facture validée ne change plus" "a posted invoice is not posted twice"
sql "UPDATE invoices SET total_ttc_cents = 1 WHERE number = 'FA$year-0001'" 2>err
t_like "$(cat err)" "facture validée : elle ne change plus" "the database refuses a change to a posted invoice"
sql "DELETE FROM invoice_lines WHERE invoice_id = (SELECT id FROM invoices WHERE number = 'FA$year-0001')" 2>err
t_like "$(cat err)" "ses lignes ne changent plus" "  or to its lines"
sql "UPDATE entries SET debit_cents = 0" 2>err
t_like "$(cat err)" "écriture comptable : elle ne change plus" "  or to its entry"
sql "INSERT INTO invoice_deliveries (invoice_id, delivery_id) SELECT id, 99 FROM invoices WHERE number = 'FA$year-0001'" 2>err
t_like "$(cat err)" "ses livraisons ne changent plus" "  or to its deliveries"
sql "UPDATE filed_documents SET file = 'x'" 2>err
t_like "$(cat err)" "document classé : il ne change plus" "  and a filed document's record stays"
t_is "$(mo invoice show "FA$year-0001" --json | jq -r .total_ttc)" "116.31" "  unchanged"
mo cancel SO0001 --reason test >out 2>err
t_like "$?:$(cat err)" "^1:.*SO0001 est facturée : elle ne peut pas être annulée" "an invoiced order is not cancelled"

# A copy, the clerk's paper copy, the tracking table.
mo print "FA$year-0001" --copy -o copie.pdf >out 2>err
t_is "$?" 0 "print --copy"
t_like "$(pdftext copie.pdf)" "COPIE" "  stamped COPIE"
t_is "$(pdftext copie.pdf | grep -v COPIE)" "$(pdftext "$fac" | grep -v COPIE)" "  the same text as the filed invoice"
mo print "FA$year-0001" -o orig.pdf >/dev/null 2>&1
t_ok "print without --copy gives the filed PDF, byte for byte" cmp -s orig.pdf "$fac"
mo print "FA$year-0001" -o - >stdout.pdf 2>/dev/null
t_ok "  -o - writes it to the standard output" cmp -s stdout.pdf "$fac"
mo orders --json >orders.json
t_is "$(jq -r '.[0] | "\(.number) \(.state) \(.customer.ref)"' orders.json)" "SO0001 invoiced CLI102" "orders: the tracking table"
t_like "$(jq -r '.[0].delivered_on' orders.json)" "^20[0-9]{2}-" "  with the delivery's date"

# The mails to the customer: queued with the change they report, whole,
# each PDF attached under its filed name and byte for byte.
mo outbox --json >outbox.json
t_is "$(jq -r 'map("\(.kind) \(.state) \(.order) \(.to | join(","))") | join(" | ")' outbox.json)" \
	"acknowledgment queued SO0001 lea@jardins-de-lea.fr | confirmation queued SO0001 lea@jardins-de-lea.fr | invoice queued SO0001 lea@jardins-de-lea.fr" \
	"validate and invoice post each queued a mail to the address the order came from"
t_is "$(jq -r '.[0].attachments | length' outbox.json)" 0 "  the acknowledgment, sent at intake, has no attachment"
t_is "$(jq -r '.[2].attachments | join(" ")' outbox.json)" \
	"$(basename "$fac") $(basename "$bl") $(basename "$bl2")" \
	"  the invoice's mail attaches the FAC and its delivery notes"
sql "SELECT writefile('conf.eml', raw) FROM outbox WHERE kind = 'confirmation'" >/dev/null
sql "SELECT writefile('inv.eml', raw) FROM outbox WHERE kind = 'invoice'" >/dev/null
sql "SELECT writefile('ack.eml', raw) FROM outbox WHERE kind = 'acknowledgment'" >/dev/null
python3 - >ack.txt 2>&1 <<'PY'
import email, email.policy
m = email.message_from_binary_file(open("ack.eml", "rb"), policy=email.policy.default)
print("auto:", m["Auto-Submitted"])
print("reply:", m["In-Reply-To"])
print("subject:", m["Subject"])
print(m.get_body(("plain",)).get_content())
PY
t_like "$(cat ack.txt)" "auto: auto-replied" "the acknowledgment: Auto-Submitted: auto-replied (RFC 3834)"
t_like "$(cat ack.txt)" "reply: <c01@lea>" "  in reply to the customer's message"
t_like "$(cat ack.txt)" "subject: Accusé de réception de votre commande — notre n° SO0001" "  its subject gives our number"
t_like "$(cat ack.txt)" "Notre commande n° SO0001, votre bon de commande n° LEA-900" "  the text: our number and their PO number"
t_like "$(cat ack.txt)" "en cours de traitement" "  and that it is being processed"
python3 - "$conf" "$fac" >mails.txt 2>&1 <<'PY'
import email, email.policy, hashlib, sys
conf_pdf, fac_pdf = sys.argv[1], sys.argv[2]
for eml, pdf in (("conf.eml", conf_pdf), ("inv.eml", fac_pdf)):
    m = email.message_from_binary_file(open(eml, "rb"), policy=email.policy.default)
    att = [p for p in m.iter_attachments()]
    first = att[0].get_content() if att else b""
    print(eml, "|", m["In-Reply-To"], "|", str(m["Subject"]), "|",
          att[0].get_filename() if att else None, "|",
          hashlib.sha256(first).hexdigest() == hashlib.sha256(open(pdf, "rb").read()).hexdigest())
PY
t_like "$(grep '^conf.eml' mails.txt)" "^conf.eml \| <c01@lea> \| Confirmation de votre commande LEA-900 — notre n° SO0001 \| $(basename "$conf") \| True$" \
	"the confirmation's mail: In-Reply-To the PO, its subject decoded, the CONF byte for byte"
t_like "$(grep '^inv.eml' mails.txt)" "^inv.eml \| <c01@lea> \| Facture FA$year-0001 — votre commande LEA-900 \| $(basename "$fac") \| True$" \
	"the invoice's mail: the FAC byte for byte"

# One page of each document as an image, kept for a person to look at
# (build/test-artefacts/, or $T_ARTEFACTS): a layout problem shows there
# before a customer sees it.
art=${T_ARTEFACTS:-$SRCDIR/build/test-artefacts}
mkdir -p "$art" && for pdf in "$conf" "$bl" "$fac" copie.pdf; do
	pdftoppm -r 60 -png -f 1 -l 1 "$pdf" "$art/t0230-$(basename "$pdf" .pdf)" || echo "$pdf" >>png.err
done
t_is "$(cat png.err 2>/dev/null)" "" "each document rendered to PNG in $art"
t_done
