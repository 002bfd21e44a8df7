#!/usr/bin/env bash
# What stops the order chain, each with one clear line and nothing
# written: a site template with a syntax error, a font or a logo that
# cannot be read, a legal mention missing from the config, a customer
# without an account, an order in the wrong state.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
mkpdf_po po.pdf EP-77 25/11/2026 "Bon de commande" "" \
	"BIO-2001|Farine de blé T65 1 kg|3|3,45|10,35"
mkeml --from "commandes@epicerie-du-marche.fr" --id "<b01@ep>" --attach po.pdf EP-77.pdf application/pdf >b01.eml
dove_deliver b01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
t_is "$(mo show SO0001 --json | jq -r '.state + " " + .customer.ref')" "draft CLI101" "a draft to work on"
nothing_written() {
	[ "$(mo show SO0001 --json | jq -r .state)" = draft ] &&
		[ "$(find var/archive -name '*_CONF_*' | wc -l)" = 0 ] &&
		[ "$(sql 'SELECT count(*) FROM filed_documents')" = 0 ]
}

# A product gone from the catalogue after the order (a database edited by
# hand: the program itself never deletes a product an order names).
mkpdf_po po2.pdf EP-78 25/11/2026 "Bon de commande" "" \
	"BIO-2002|Riz basmati complet 1 kg|2|5,20|10,40"
mkeml --from "commandes@epicerie-du-marche.fr" --id "<b02@ep>" --attach po2.pdf EP-78.pdf application/pdf >b02.eml
dove_deliver b02.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
sqlite3 var/mailorder.db "DELETE FROM products WHERE ref = 'BIO-2002'"
mo validate SO0002 --accept-warnings >out 2>err
t_like "$?:$(cat err)" "^1:.*SO0002 ne peut pas être validée : ligne 1 : produit absent du catalogue.*\(unknown_product\)" \
	"a product gone from the catalogue after the order: validation refused, naming the line"
t_is "$(mo show SO0002 --json | jq -r .state)" "draft" "  the order stays a draft"

# A legal mention missing: said before anything is done.
cp mailorder.conf good.conf
sed -i '/^rcs = /d; /^capital = /d' mailorder.conf
mo validate SO0001 >out 2>err
t_is "$?" 2 "a config without the legal mentions: a config error"
t_like "$(cat err)" "\[company\] : il manque capital, rcs, que les documents envoyés aux clients doivent porter" \
	"  naming each one missing"
t_ok "  nothing written" nothing_written
cp good.conf mailorder.conf

# The site's own template (templates/ beside the config) with a YAML error.
mkdir -p templates
printf 'name: "Confirmation"\nblocks:\n  - type: text\n    text: "ouvert\n  - [\n' >templates/confirmation.yaml
mo validate SO0001 >out 2>err
t_is "$?" 2 "a site template with a syntax error"
t_like "$(cat err)" "templates/confirmation.yaml:[0-9]+:" "  said with its file and line"
t_ok "  nothing written" nothing_written
printf 'name: "Confirmation"\nblocks:\n  - type: text\n    txet: "x"\n' >templates/confirmation.yaml
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^2:.*templates/confirmation.yaml:4:.*txet" "an unknown key, named with its line"
rm -r templates

# A font that is not there.
mkdir -p templates
sed 's#/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf#/nonexistent/Police.ttf#' \
	"$SRCDIR/templates/common.yaml" >templates/common.yaml
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^2:.*/nonexistent/Police.ttf" "a font that cannot be read is named"
t_ok "  nothing written" nothing_written
rm -r templates

# A logo that is not there, then one that is not an image.
sed -i '/^late_penalty = /a logo = absent.png' mailorder.conf
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^[12]:.*absent.png" "a logo that is not there is named"
t_ok "  nothing written" nothing_written
echo "pas une image" >absent.png
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^[12]:.*absent.png" "a logo that is not an image is named"
t_ok "  nothing written" nothing_written
cp good.conf mailorder.conf

# Now it validates; then the states that cannot follow.
mo validate SO0001 --accept-warnings >out 2>err
t_is "$?" 0 "with all that right, it validates"
mo validate SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:mailorder : erreur : SO0001 est confirmée : elle ne peut pas être validée$" \
	"validated twice: one line"
mo reject SO0001 --reason x >out 2>err
t_like "$?:$(cat err)" "^1:.*SO0001 est confirmée : elle ne peut pas être rejetée" "a confirmed order is not rejected"
mo correct SO0001 --line 1 --qty 2 >out 2>err
t_like "$?:$(cat err)" "^1:.*n'est plus un brouillon" "nor corrected"
mo invoice SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*rien n'est livré.*mailorder deliver" "nothing delivered, nothing to invoice"
mo deliver SO0001 --line 1=5 >out 2>err
t_like "$?:$(cat err)" "^1:.*--line 1 : 5 demandé\(s\), mais il n'en reste que 3 à livrer" "more than ordered is refused"
mo deliver SO0001 --line 1=abc >out 2>err
t_is "$?" 2 "a quantity that is none: usage"
mo deliver SO0001 --line 9=1 >out 2>err
t_like "$?:$(cat err)" "^2:.*--line 9 : SO0001 a 1 ligne" "a line that is not there"
mo deliver SO0001 >/dev/null 2>&1
# A customer without an account cannot be invoiced.
sql "UPDATE customers SET account = NULL WHERE ref = 'CLI101'"
mo invoice SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*CLI101 Épicerie du Marché n'a pas de compte client \(411…\).*mailorder customer edit CLI101 --account" \
	"a customer without a 411 account: refused, saying how to give one"
t_is "$(sql 'SELECT count(*) FROM invoices')" 0 "  nothing written"
mo customer edit CLI101 --account 411EPIMA >/dev/null 2>&1
mo invoice SO0001 >out 2>err
t_is "$?" 0 "with its account, it is invoiced"
mo invoice SO0001 >out 2>err
t_like "$?:$(cat err)" "^1:.*a déjà une facture en brouillon : validez-la \(mailorder invoice post SO0001\)" \
	"a second draft is refused, naming the next step"
mo cancel SO0001 --reason "" >out 2>err
t_is "$?" 2 "cancel without a reason: usage"
t_done
