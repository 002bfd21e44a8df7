#!/usr/bin/env bash
# Layouts no rule is written for (tests/data/layouts/): through Dovecot,
# the generic reader makes each a draft with its number, dates and every
# line, matched to the catalogue, and checks that have no reason to fire
# stay quiet.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

L=$SRCDIR/tests/data/layouts
for f in code-article qty-first article-only two-pages; do
	"$TOOLS/mkpdf" --standard-font $f.pdf <"$L/$f.spec" || { echo "Bail out! mkpdf $f"; exit 1; }
done
mkeml --from commandes@epicerie-du-marche.fr --id "<l1@em>" --attach code-article.pdf EM-2026-0457.pdf application/pdf >l1.eml
mkeml --from contact@bio-et-vrac.fr --id "<l2@bv>" --attach qty-first.pdf BV-77.pdf application/pdf >l2.eml
mkeml --from lea@jardins-de-lea.fr --id "<l3@lea>" --attach article-only.pdf commande.pdf application/pdf >l3.eml
mkeml --from commandes@epicerie-du-marche.fr --id "<l4@em>" --attach two-pages.pdf EM-2026-0460.pdf application/pdf >l4.eml
dove_deliver l1.eml l2.eml l3.eml l4.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll.out 2>poll.err
t_is "$?" 0 "poll succeeds"
mo drafts --json >d.json
t_is "$(jq length d.json)" 4 "four drafts"

of() { jq -r --arg m "$1" ".[] | select(.source.message_id == \$m) | $2" d.json; }
fields() { of "$1" '[.customer.ref, .customer_order_ref, .order_date, (.delivery_date // "-")] | join(" ")'; }
lines() { of "$1" '[.lines[] | "\(.product_ref // "?") \(.qty) \(.unit_price)"] | join(", ")'; }
checks() { of "$1" '[.checks[] | select(.severity != "info") | "\(.code)@\(.line // 0)"] | join(" ")'; }

t_is "$(fields '<l1@em>')" "CLI101 EM-2026-0457 2026-11-24 -" "code-article: number and date"
t_is "$(lines '<l1@em>')" "BIO-2001 120 3.45, BIO-2003 1200 11.90, BIO-2006 6 8.90" \
	"code-article: lines under 'Code article / Libellé / Quantité / Prix unitaire / Montant', thousands read"
t_is "$(checks '<l1@em>')" "stock_short@2" "code-article: totals HT and TTC agree; 1 200 bottles are more than the stock"
t_is "$(of '<l1@em>' '.total_ht + " " + .total_ttc')" "14747.40 15566.25" "code-article: totals"

t_is "$(fields '<l2@bv>')" "CLI103 BV/2026/77 2026-11-23 2026-11-30" \
	"qty-first: 'Référence commande', a date in words, the delivery date"
t_is "$(lines '<l2@bv>')" "BIO-2001 10 3.28, BIO-2007 2.5 17.58" "qty-first: quantity first, a unit column, 2,5 kg"
t_is "$(checks '<l2@bv>')" "" "qty-first: net prices at the customer's 5 % agree"

t_is "$(fields '<l3@lea>')" "CLI102 LEA-88 2026-11-22 -" "article-only: 'Commande du … - n° …'"
t_is "$(lines '<l3@lea>')" "BIO-2003 6 11.60, BIO-2005 24 3.80, ? 3 4.10" \
	"article-only: products found by their description; one not in the catalogue"
t_is "$(checks '<l3@lea>')" "unknown_product@3" "article-only: only the unknown product to check"

t_is "$(fields '<l4@em>')" "CLI101 EM-2026-0460 2026-11-26 -" "two-pages: number and date"
t_is "$(lines '<l4@em>')" "BIO-2001 12 3.45, BIO-2002 10 5.20, BIO-2007 2.5 18.50" \
	"two-pages: every line across the page break, quantities with their unit"
t_is "$(checks '<l4@em>')" "" "two-pages: nothing to check"
t_like "$(of '<l4@em>' '.checks[] | select(.code == "generic_reader") | .message')" \
	"lecture générique .*n° de commande, date de commande, total HT, 3 lignes" \
	"the clerk is told what the generic reader read"
t_done
