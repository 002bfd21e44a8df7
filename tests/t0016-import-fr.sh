#!/usr/bin/env bash
# The customer file and the catalogue as a French office makes them: a
# spreadsheet's "CSV" with ';' between columns, a BOM, column names in
# French, decimal commas; or an older one's Windows-1252 (Latin-1).
. "$(dirname "$0")/lib.sh"
t_init
cat >mailorder.conf <<'CONF'
[storage]
database = var/mailorder.db
archive = var/archive
CONF
mo init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }

printf '\xEF\xBB\xBFR\xC3\xA9f\xC3\xA9rence;D\xC3\xA9signation;Prix unitaire HT;Taux de TVA;Stock;Unit\xC3\xA9\r\n' >produits.csv
printf 'BIO-3001;Huile d'"'"'olive vierge 1 L;11,90;5,5;40;bouteille\r\n' >>produits.csv
printf 'BIO-3002;"Savon ; lavande";3,71;20;120;pi\xC3\xA8ce\r\n' >>produits.csv
mo import products produits.csv >out 2>err
t_is "$?" 0 "a ';' file with a BOM and French column names imports"
t_like "$(cat out)" "colonnes séparées par « ; »" "  saying it saw the ';'"
t_like "$(cat out)" "2 produit\(s\) importé\(s\)" "  both rows"
t_is "$(sqlite3 var/mailorder.db "SELECT ref || ' ' || name || ' ' || unit_price_cents || ' ' || vat_rate_bp FROM products ORDER BY ref" | tr '\n' '|')" \
	"BIO-3001 Huile d'olive vierge 1 L 1190 550|BIO-3002 Savon ; lavande 371 2000|" \
	"  each value in its column, decimal commas read"

# The catalogue, read and changed as the customer file is.
mo product list >pl.out 2>&1
t_like "$(sed -n 3p pl.out)" "^Réf\. +Désignation +Prix HT +TVA % +Stock +Unité$" "product list: a table with its headers"
t_like "$(cat pl.out)" "BIO-3002 +Savon ; lavande +3,71 € +20 +120 +pièce" "  prices in French"
mo product edit BIO-3001 --stock 12 --unit-price 12,10 >pe.out 2>&1
t_is "$?" 0 "product edit: stock and price"
t_like "$(cat pe.out)" "BIO-3001 : Stock : 40 → 12" "  says what changed"
t_is "$(mo product show BIO-3001 --json | jq -c '[.unit_price, .vat_rate, .stock]')" '["12.10","5.5",12]' \
	"  saved; JSON money as decimal strings"
mo product edit BIO-3001 --vat-rate 7 --stock 99 >pe.out 2>pe.err
t_is "$?" 1 "a VAT rate France does not have is refused"
t_like "$(cat pe.err)" "^mailorder : erreur : --vat-rate : « 7 » : le taux de TVA est" "  naming the option"
t_is "$(mo product show BIO-3001 --json | jq .stock)" 12 "  nothing written"
mo product show NOPE >/dev/null 2>pe.err
t_is "$?" 1 "an unknown product"
t_like "$(cat pe.err)" "NOPE : aucun produit de cette référence \(mailorder -c .* product list les liste\)" "  saying where to look"

# A catalogue price has one decimal mark: three decimals are refused, never
# read as thousands (3.456 is not 3 456).
mo product edit BIO-3001 --unit-price 3.456 >pe.out 2>pe.err
t_is "$?" 1 "a price of three decimals is refused"
t_is "$(mo product show BIO-3001 --json | jq -r .unit_price)" "12.10" "  and the price stays"
printf 'ref;name;unit_price;vat_rate\r\nBIO-3003;Miel;11,905;5,5\r\n' >p3.csv
mo import products p3.csv >out 2>err
t_is "$?" 1 "  in an import too"

# Windows-1252: é is one byte, 0xE9.
printf 'Code client;Raison sociale;Code postal facturation;Ville facturation\r\n' >clients.csv
printf 'CLI201;\xC9picerie de l\x92Isle;24000;P\xE9rigueux\r\n' >>clients.csv
mo import customers clients.csv >out 2>err
t_is "$?" 0 "a Windows-1252 file imports"
t_like "$(cat out)" "lu en Windows-1252 \(Latin-1\), pas en UTF-8" "  saying how it was read"
t_is "$(mo customer show CLI201 --json | jq -r '"\(.name) \(.billing_city)"')" "Épicerie de l’Isle Périgueux" \
	"  its accents and apostrophe right"

# What is not a column is still an error, under the name it was given.
printf 'Référence;Couleur\r\nBIO-1;rouge\r\n' >bad.csv
mo import products bad.csv >out 2>err
t_is "$?" 1 "an unknown column is still refused"
t_like "$(cat err)" "bad.csv:1: colonne inconnue « Couleur »" "  named as typed"

# A bad value under a French header: the error names the contract's column
# (scripts read it) and the column as the file names it (the clerk looks
# for that one).
printf 'Code client;Raison sociale;CP facturation\r\nCLI202;Bio Test;2400\r\n' >cp.csv
mo import customers cp.csv >out 2>err
t_is "$?" 1 "a bad postcode under a French header"
t_like "$(cat err)" "^cp.csv:2: billing_postcode: .*\(colonne « CP facturation » du fichier\)$" \
	"  names both the column and the file's header"
# The labels mailorder prints are headers it reads back: a table copied
# from `customer show` or `product list` into a spreadsheet.
printf 'Réf.;Nom;N° de TVA;Code postal (facturation);Ville (facturation)\r\nCLI203;Bio Test;;33500;Libourne\r\n' >labels.csv
mo import customers labels.csv >out 2>err
t_is "$?:$(mo customer show CLI203 --json | jq -r .billing_city)" "0:Libourne" \
	"the labels customer show prints are read as column names"
printf 'Réf.;Désignation;Prix HT;TVA %%;Stock;Unité\r\nBIO-5001;Tisane;2,50;5,5;3;boîte\r\n' >plabels.csv
mo import products plabels.csv >out 2>err
t_is "$?:$(mo product show BIO-5001 --json | jq -r .unit_price)" "0:2.50" \
	"and the headers of product list"
printf 'Nom;Raison sociale;ref\r\nA;B;CLI204\r\n' >dup.csv
mo import customers dup.csv >out 2>err
t_like "$(cat err)" "colonne « name » en double : « Nom » et « Raison sociale »" \
	"two headers for one column: both named"

# UTF-8 with one stray Windows-1252 byte is not read as Latin-1 whole (its
# accents would all turn to Ã©): the stray byte's line is named.
printf 'ref;name;unit_price;vat_rate\r\nBIO-4001;Thé vert;4,10;5,5\r\nBIO-4002;L\x92huile;3,00;5,5\r\n' >mixed.csv
mo import products mixed.csv >out 2>err
t_is "$?" 1 "UTF-8 with a stray byte is refused"
t_like "$(cat err)" "mixed.csv:3: " "  naming the stray byte's line"
t_unlike "$(cat out)" "Windows-1252" "  not taken for Latin-1"
# A small Latin-1 file whose only accent ends it.
printf 'ref;name;unit_price;vat_rate\r\nBIO-4003;Vend\xe9e;1,00;5,5' >small.csv
mo import products small.csv >out 2>err
t_is "$?" 0 "a small Latin-1 file, its accent at its very end"
t_is "$(mo product show BIO-4003 --json | jq -r .name)" "Vendée" "  read right"
t_done
