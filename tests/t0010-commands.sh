#!/usr/bin/env bash
# The commands without a mail server: exit codes, init, imports, reading.
. "$(dirname "$0")/lib.sh"
t_init

cat >mailorder.conf <<'CONF'
[storage]
database = var/mailorder.db
archive = var/archive
CONF

mo --help >out 2>&1
t_is "$?" 0 "--help exits 0"
t_like "$(cat out)" "poll" "--help lists the commands"
mo frobnicate >/dev/null 2>err
t_is "$?" 2 "an unknown command exits 2"
t_like "$(cat err)" "commande inconnue « frobnicate »" "and says which"
"$MAILORDER" -c nowhere.conf init >/dev/null 2>err
t_is "$?" 2 "a missing config file exits 2"
t_like "$(cat err)" "nowhere.conf : fichier de configuration introuvable \(donné par -c\)" "and names the file, and where it came from"
printf '[imap]\ntls = nope\n' >bad.conf
"$MAILORDER" -c bad.conf init >/dev/null 2>err
t_is "$?" 2 "a bad config value exits 2"
t_like "$(cat err)" "bad.conf:2: \[imap\] tls : « nope » n'est ni imaps, ni starttls, ni none" "naming file, line, section, key"

mo drafts >/dev/null 2>err
t_is "$?" 1 "drafts before init fails"
t_like "$(cat err)" "n'existe pas encore : lancez d'abord « mailorder -c $T_DIR/mailorder.conf init »" "and says to run init, with the -c given"
t_ok "no database file was created by a reading command" test ! -e var/mailorder.db

mo init >out
t_is "$?" 0 "init exits 0"
t_like "$(cat out)" "créée \(schéma version [0-9]+\)" "init says it created the database"
mo init >out
t_like "$(cat out)" "à jour \(schéma" "init again changes nothing"
t_is "$(sqlite3 var/mailorder.db 'PRAGMA journal_mode')" "wal" "the database is in WAL mode"
t_ok "the archive folder exists" test -d var/archive

# A database of schema 1, as the first release made it: refused until init
# migrates it, then it has what schemas 2 and 3 added.
sqlite3 var/mailorder.db "$(t_undo_schema7_sql) ALTER TABLE messages DROP COLUMN intake_attempts;
	DROP TABLE learned_senders; DROP TABLE learned_products;
	ALTER TABLE orders DROP COLUMN printed_ht_cents; ALTER TABLE orders DROP COLUMN printed_ttc_cents;
	ALTER TABLE messages DROP COLUMN ocr_pending; DROP TABLE customer_history; DROP TABLE customer_contacts;
	ALTER TABLE customers DROP COLUMN bic; ALTER TABLE customers DROP COLUMN tags; DROP TABLE accounts;
	ALTER TABLE documents DROP COLUMN page_model;
	PRAGMA user_version = 1;"
mo drafts >/dev/null 2>err
t_is "$?" 1 "an older schema is refused"
t_like "$(cat err)" "est au schéma version 1, ce programme veut la [0-9]+ : elle est à mettre à jour : lancez d'abord « mailorder -c .* init »" "saying to run init"
mo init >out
t_like "$(cat out)" "du schéma version 1 à [0-9]+" "init migrates it"
t_is "$(sqlite3 var/mailorder.db "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'intake_attempts'")" \
	"1" "with the column schema 2 added"
t_is "$(sqlite3 var/mailorder.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE name LIKE 'learned_%' ORDER BY name)")" \
	"learned_layouts learned_products learned_senders" "and the tables schemas 3 and 13 added"
t_is "$(sqlite3 var/mailorder.db "SELECT count(*) FROM pragma_table_info('documents') WHERE name = 'page_model'")" \
	"1" "and where schema 6 keeps each document's reading"
mo drafts >/dev/null 2>&1
t_is "$?" 0 "and the commands work again"

MAILORDER_CONFIG=$T_DIR/mailorder.conf "$MAILORDER" drafts >out 2>&1
t_is "$?" 0 "\$MAILORDER_CONFIG names the config"
(cd "$T_DIR" && "$MAILORDER" drafts >/dev/null 2>&1)
t_is "$?" 0 "./mailorder.conf is the default"

# ---------------------------------------------------------------- imports
mo import customers "$SRCDIR/tests/data/customers.csv" >out 2>err
t_is "$?" 0 "customers import"
t_like "$(cat out)" "3 client\(s\) importé\(s\) \(3 nouveau\(x\), 0 mis à jour\)" "three new customers"
t_is "$(sql "SELECT siret FROM customers WHERE ref='CLI101'")" "26197306970249" "spaces removed from the SIRET"
t_is "$(sql "SELECT iban FROM customers WHERE ref='CLI101'")" "FR2722337579310679802274964" "and from the IBAN"
t_is "$(sql "SELECT group_concat(email, ' ') FROM customer_emails e JOIN customers c ON c.id = e.customer_id WHERE ref='CLI101'")" \
	"commandes@epicerie-du-marche.fr compta@epicerie-du-marche.fr" "two e-mail addresses"
t_is "$(sql "SELECT discount_bp FROM customers WHERE ref='CLI102'")" "250" "discount 2.5 % as 250 bp"
mo import customers "$SRCDIR/tests/data/customers.csv" >out 2>err
t_like "$(cat out)" "\(0 nouveau\(x\), 3 mis à jour\)" "importing again updates, adds nothing"
t_is "$(sql 'SELECT count(*) FROM customers')" "3" "still three customers"

mo import products "$SRCDIR/tests/data/products.csv" >out 2>err
t_is "$?" 0 "products import"
t_is "$(sql "SELECT unit_price_cents FROM products WHERE ref='BIO-2003'")" "1190" "a decimal comma price: 11,90 -> 1190 cents"
t_is "$(sql "SELECT vat_rate_bp FROM products WHERE ref='BIO-2008'")" "1000" "VAT 10 % as 1000 bp"

# A file with bad rows: nothing imported, every bad row named.
cat >bad.csv <<'CSV'
ref,name,email,siret,vat,iban,discount_pct
CLI200,Bonne Ligne,ok@example.fr,,,,
CLI201,Mauvais SIRET,x@example.fr,926 000 365 00064,,,
CLI202,Mauvaise TVA,,,FR00123456789,,
CLI203,Mauvais IBAN,,,,FR761695900001778886976243,
C204,Mauvaise ref,,,,,
CLI205,,,,,,
CLI206,Mauvais mail,pas-un-mail,,,,
CLI200,Doublon,,,,,
CLI207,Remise,,,,,150
CLI208,"Ligne, courte"
CSV
mo import customers bad.csv >out 2>err
t_is "$?" 1 "a file with bad rows fails"
t_is "$(sql "SELECT count(*) FROM customers WHERE ref >= 'CLI200'")" "0" "and nothing of it is imported"
for want in "bad.csv:3: siret:.*Luhn" "bad.csv:4: vat:" "bad.csv:5: iban:" "bad.csv:6: ref:" \
	"bad.csv:7: name:" "bad.csv:8: email:" "bad.csv:9: ref:.*ligne 2" "bad.csv:10: discount_pct:" \
	"bad.csv:11: 2 champs, mais l'en-tête a 7 colonnes"; do
	t_like "$(cat err)" "$want" "reported: $want"
done
t_like "$(cat err)" "9 problèmes, rien n'est importé" "the count of problems"

printf 'ref,name,colour\nCLI300,X,blue\n' >cols.csv
mo import customers cols.csv >/dev/null 2>err
t_like "$(cat err)" "cols.csv:1: colonne inconnue « colour »" "an unknown column is an error"
printf 'ref,name,unit_price,vat_rate,stock\nP-1,Truc,"1,5,0",7,2.5\n' >p.csv
mo import products p.csv >/dev/null 2>err
t_like "$(cat err)" "p.csv:2: unit_price:" "a bad price is named"
t_like "$(cat err)" "p.csv:2: vat_rate:.*0 ; 2,1 ; 5,5 ; 10 ou 20" "a VAT rate not in the list"
t_like "$(cat err)" "p.csv:2: stock:" "a stock that is not an integer"
printf 'ref,name\n"CLI301,Unterminated\n' >q.csv
mo import customers q.csv >/dev/null 2>err
t_is "$?" 1 "an unterminated quote fails"
mo import customers >/dev/null 2>&1
t_is "$?" 2 "import without a file is a usage error"

# ---------------------------------------------------------------- reading
mo drafts >out
t_like "$(cat out)" "Aucune commande à vérifier" "an empty review queue says so"
t_is "$(mo drafts --json | tr -d ' \n')" "[]" "an empty review queue in JSON is []"
t_is "$(mo quarantine --json | tr -d ' \n')" "[]" "an empty quarantine in JSON is []"
mo show SO9999 >/dev/null 2>err
t_is "$?" 1 "show of an unknown order fails"
t_like "$(cat err)" "SO9999 : aucune commande de ce numéro" "and says so"
t_done
