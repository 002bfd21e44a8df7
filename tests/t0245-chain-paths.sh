#!/usr/bin/env bash
# The chain's other paths: a draft with no line, then one added; one
# product on two lines against its stock; a decimal quantity delivered in
# three parts; an order invoiced in two parts (--partial, then the rest);
# an order cancelled after a partial delivery, its delivered part
# invoiced; a copy, a rejection; the lists and their filters.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
year=$(date +%Y)
stock() { mo product show "$1" --json | jq .stock; }
state() { mo show "$1" --json | jq -r .state; }

mkpdf_po po.pdf LEA-990 25/11/2026 "Bon de commande" "" "BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72"
mkeml --from "lea@jardins-de-lea.fr" --id "<p01@lea>" --attach po.pdf LEA-990.pdf application/pdf >p01.eml
dove_deliver p01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
t_is "$(state SO0001)" "draft" "an order from Léa"
copy() { mo copy "$1" 2>/dev/null | grep -o '^SO[0-9]*'; }

# A draft with no line: refused; one added: it validates.
a=$(copy SO0001)
mo correct "$a" --remove-line 1 >/dev/null 2>&1
mo validate "$a" >out 2>err
t_like "$?:$(cat err)" "^1:.*ne peut pas être validée : la commande n'a aucune ligne" "a draft with no line cannot be validated"
mo correct "$a" --add-line BIO-2007 1,5 >/dev/null 2>&1
mo validate "$a" --accept-warnings >out 2>err
t_is "$?:$(state "$a")" "0:confirmed" "  a line added, it validates"

# 1,5 kg of almonds in three deliveries of 0,5: the stock (in units) gives
# 2 units, not 3.
almonds=$(stock BIO-2007)
for i in 1 2 3; do mo deliver "$a" --line 1=0,5 >/dev/null 2>err || echo "delivery $i: $(cat err)" >>dl.err; done
t_is "$(cat dl.err 2>/dev/null)" "" "three deliveries of 0,5 kg"
t_is "$(stock BIO-2007)" "$((almonds - 2))" "  take 2 units from the stock, each unit once"
t_is "$(state "$a")" "delivered" "  and deliver the line in full"

# One product on two lines, more than its stock together (48 bottles).
b=$(copy SO0001)
mo correct "$b" --remove-line 1 >/dev/null 2>&1
mo correct "$b" --add-line BIO-2006 30 >/dev/null 2>&1
mo correct "$b" --add-line BIO-2006 30 >/dev/null 2>&1
mo validate "$b" >out 2>err
t_like "$?:$(cat err)" "^1:.*stock insuffisant pour BIO-2006 : 60 commandé\(s\), 48 en stock" \
	"two lines of one product, 60 against a stock of 48: stock_short"
mo validate "$b" --accept-warnings >out 2>err
conf=$(sed -n 's/^confirmation : //p' out)
t_like "$(pdftotext -layout "$conf" - | grep 'livrable maintenant')" "60 +48, le reste dès" \
	"  the confirmation says 48 can ship now"
mo deliver "$b" >/dev/null 2>&1
t_is "$(stock BIO-2006):$(state "$b")" "0:partially_delivered" "  48 shipped, the rest waits"

# Invoiced in two parts: what is delivered (--partial), then the rest.
c=$(copy SO0001)
mo correct "$c" --add-line BIO-2008 5 >/dev/null 2>&1
mo validate "$c" --accept-warnings >/dev/null 2>&1
mo deliver "$c" >/dev/null 2>&1
t_is "$(state "$c")" "partially_delivered" "kombucha: 3 of 5 shipped"
mo invoice "$c" >out 2>err
t_like "$?:$(cat err)" "^1:.*livrée en partie.*--partial" "invoice waits for the whole order"
mo invoice "$c" --partial >/dev/null 2>&1 && mo invoice post "$c" >out 2>&1
t_like "$(cat out)" "^FA$year-0001 : facture de $c validée" "--partial: what is delivered, invoiced and posted"
t_is "$(state "$c")" "partially_delivered" "  the order is not invoiced yet"
t_is "$(mo invoice show "FA$year-0001" --json | jq -c '[.deliveries, .total_ht, .total_ttc]')" '[["BL0005"],"13.74","14.81"]' \
	"  its delivery and its totals (2 × 3,36 at 5.5 % + 3 × 2,34 at 10 %: Léa's 2.5 % off each)"
mo product edit BIO-2008 --stock 10 >/dev/null 2>&1
mo deliver "$c" >/dev/null 2>&1
mo invoice "$c" >/dev/null 2>&1 && mo invoice post "$c" >out 2>&1
t_like "$(cat out)" "^FA$year-0002 : facture de $c validée" "the rest, delivered, is the second invoice"
t_is "$(state "$c")" "invoiced" "  and now the order is invoiced"
t_is "$(mo invoice show "FA$year-0002" --json | jq -c '[.deliveries, .total_ht]')" '[["BL0006"],"4.68"]' \
	"  of the second delivery only (2 × 2,34)"

# Cancelled after a partial delivery: the rest is not shipped, what was
# is invoiced.
d=$(copy SO0001)
mo correct "$d" --add-line BIO-2004 4 >/dev/null 2>&1
mo validate "$d" --accept-warnings >/dev/null 2>&1
mo deliver "$d" >/dev/null 2>&1
mo cancel "$d" --reason "le jus n'arrivera pas" >out 2>err
t_like "$?:$(cat out)" "^0:$d annulée : le jus n'arrivera pas" "a partially delivered order cancelled"
t_like "$(cat out)" "ligne 2 \(BIO-2004\) : 4 ne sera pas livré" "  saying what will not be shipped"
t_like "$(cat out)" "reste à facturer : mailorder invoice $d" "  and what to invoice"
mo deliver "$d" >out 2>err
t_like "$?:$(cat err)" "^1:.*$d est annulée" "  it is not delivered any more"
mo invoice "$d" >/dev/null 2>&1 && mo invoice post "$d" >out 2>&1
t_like "$(cat out)" "^FA$year-0003 : facture de $d validée" "  its delivered part is invoiced"
t_is "$(state "$d")" "cancelled" "  and it stays cancelled"
e=$(copy "$d")
t_is "$(state "$e")" "draft" "a cancelled order copied into a new draft"
mo reject "$e" --reason "doublon" >out 2>err
t_is "$?:$(state "$e")" "0:rejected" "a draft rejected"
t_like "$(mo orders --json | jq -r --arg n "$e" '.[] | select(.number == $n) | .comment')" "doublon" \
	"  its reason in the tracking table"

# The lists and their filters.
t_is "$(mo invoices --state posted --json | jq length)" 3 "invoices --state posted"
t_is "$(mo invoices --customer CLI101 --json | jq length)" 0 "invoices --customer of another customer: none"
t_is "$(mo entries --from "$(date +%d/%m/%Y)" --to "$(date +%d/%m/%Y)" --json | jq '[.[].piece] | unique | length')" 3 \
	"entries --from --to: today's three invoices"
t_is "$(mo entries --to 01/01/2000 --json | jq length)" 0 "  none before 2000"
t_is "$(mo orders --state invoiced --json | jq -r '.[].number')" "$c" "orders --state invoiced"
mo orders >orders.txt 2>&1
t_like "$(head -1 orders.txt)" "^Commande +Date +Client +État +Préparée le +Prévue le +Livrée le +Commentaire" \
	"orders: a table with its headers"
mo invoices >inv.txt 2>&1
t_like "$(cat inv.txt)" "FA$year-0001 +$c +CLI102 Les Jardins de Léa .*validée +14,81 €" "invoices: a table"
mo invoice show "FA$year-0001" >show.txt 2>&1
t_like "$(cat show.txt)" "TVA 5,5 % sur .* €" "invoice show: the VAT per rate"

# Decimals against a stock of one unit: 0,5 + 0,5 of one product on two
# lines take that unit once; the second half of an opened unit ships even
# with no stock left.
mo product edit BIO-2007 --stock 1 >/dev/null 2>&1
g=$(copy SO0001)
mo correct "$g" --remove-line 1 >/dev/null 2>&1
mo correct "$g" --add-line BIO-2007 0,5 >/dev/null 2>&1
mo correct "$g" --add-line BIO-2007 0,5 >/dev/null 2>&1
mo validate "$g" >out 2>err
t_is "$?" 0 "two lines of 0,5 kg against 1 kg in stock: no stock warning"
mo deliver "$g" >out 2>err
t_is "$?:$(state "$g"):$(stock BIO-2007)" "0:delivered:0" "  both shipped, one unit taken"
h=$(copy SO0001)
mo correct "$h" --remove-line 1 >/dev/null 2>&1
mo correct "$h" --add-line BIO-2007 1,5 >/dev/null 2>&1
mo product edit BIO-2007 --stock 1 >/dev/null 2>&1
mo validate "$h" --accept-warnings >/dev/null 2>&1
mo deliver "$h" --line 1=0,5 >/dev/null 2>&1
t_is "$(stock BIO-2007)" 0 "0,5 of 1,5 kg shipped: the one unit taken"
mo deliver "$h" --line 1=0,5 >out 2>err
t_is "$?:$(stock BIO-2007)" "0:0" "  the second 0,5 ships from the opened unit, with no stock left"
mo deliver "$h" >out 2>err
t_like "$?:$(cat err)" "^1:.*rien ne peut être livré.*0,5 en attente de stock" "  the last 0,5 waits for stock"

# An order whose invoice is posted and whose draft is not made yet: post
# says there is no draft, and how to make one.
mo invoice post "$c" >out 2>err
t_like "$?:$(cat err)" "^1:.*$c : pas de facture en brouillon à valider \(faites-la d'abord : mailorder invoice $c" \
	"invoice post of an order without a draft says what to do"
# A cancelled order with nothing delivered: nothing to invoice, said so.
i=$(copy SO0001)
mo validate "$i" --accept-warnings >/dev/null 2>&1
mo cancel "$i" --reason "plus besoin" >/dev/null 2>&1
mo invoice "$i" >out 2>err
t_like "$?:$(cat err)" "^1:.*$i : rien n'a été livré, rien à facturer" "a cancelled order with nothing delivered: nothing to invoice"
# A customer file without what an invoice must say of its customer.
j=$(copy SO0001)
mo validate "$j" --accept-warnings >/dev/null 2>&1
mo deliver "$j" >/dev/null 2>&1
sql "UPDATE customers SET vat = NULL, siret = NULL WHERE ref = 'CLI102'"
mo invoice "$j" >out 2>err
t_like "$?:$(cat err)" "^1:.*CLI102 Les Jardins de Léa : il manque à sa fiche, pour la facture, le SIRET \(--siret\), le n° de TVA \(--vat\)" \
	"a customer without SIRET or VAT number is not invoiced, the fields named"
t_done
