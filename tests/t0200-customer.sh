#!/usr/bin/env bash
# The customer file kept by the order desk: mailorder customer add, edit,
# show, list, history.  Every value checked on the way in (a refused one
# writes nothing and says field, value and rule), every change recorded
# with who made it.
. "$(dirname "$0")/lib.sh"
t_init
mo_config_offline
mo init >/dev/null && mo import customers "$SRCDIR/tests/data/customers.csv" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# The new customer in the order desk's inbox, with the SIRET as written on
# its PO: it fails its checksum.
mo customer add --name "AMANDINE Epicerie Fine" --siret "926 000 365 00064" >out 2>err
t_is "$?" 1 "a SIRET that fails its checksum is refused"
t_is "$(cat err)" "mailorder : erreur : --siret : « 926 000 365 00064 » : la clé de contrôle (Luhn) du SIRET est fausse" \
	"saying the field, the value and the rule"
t_is "$(mo customer list --json | jq length)" 3 "and nothing is written"

mo customer add --name "AMANDINE Epicerie Fine" --siret "828 148 932 00019" --vat FR67828148932 \
	--email "Contact@Amandine-EpicerieFine.fr; achats@amandine-epiceriefine.fr" \
	--phone "+33 5 56 48 12 90" --billing-address "12 cours de l'Intendance" \
	--billing-postcode 33000 --billing-city Bordeaux --payment-terms "30 jours fin de mois" \
	--discount-pct 2,5 --by claire >out 2>err
t_is "$?" 0 "a customer with good values is created"
t_is "$(cat out)" "CLI104" "it takes the next number after the highest (CLI103)"
mo customer show CLI104 --json >c.json
t_is "$(jq -r '.account' c.json)" "411AMA00" "its account: 411, three letters of its name, 00"
t_is "$(jq -r '.phone' c.json)" "05 56 48 12 90" "its phone number normalised"
t_is "$(jq -r '.siret + " " + .vat' c.json)" "82814893200019 FR67828148932" "SIRET and VAT without spaces"
t_is "$(jq -r '.emails | join(" ")' c.json)" "contact@amandine-epiceriefine.fr achats@amandine-epiceriefine.fr" \
	"its two addresses, lower-cased"
t_is "$(jq -r '.discount_pct' c.json)" "2.5" "its discount"

mo customer edit CLI104 --bic agrifrppagn --tags "Bio, Épicerie fine; bio" --by claire >out 2>err
t_is "$?" 0 "the BIC and tags, which the CSV has no column for"
t_is "$(mo customer show CLI104 --json | jq -r '.bic + " " + .tags')" "AGRIFRPPAGN bio,epicerie-fine" \
	"the BIC upper-cased, the tags as slugs, once each"
mo customer edit CLI104 --bic "AGRI FR" >out 2>err
t_is "$?" 1 "a bad BIC is refused"
t_like "$(cat err)" "^mailorder : erreur : --bic : « AGRI FR » : " "naming it"

mo customer add --name "Amandine Primeurs" --by claire >out 2>err
t_is "$(mo customer show "$(cat out)" --json | jq -r .account)" "411AMA01" "a second AMA account takes 01"

for bad in "--vat FR67828148933" "--iban FR7616959000017788869762404" "--email nobody@" \
	   "--billing-postcode 3300" "--phone 05-56" "--discount-pct 120"; do
	# shellcheck disable=SC2086
	mo customer add --name "Mauvais" $bad >out 2>err
	t_is "$?" 1 "refused: $bad"
	t_like "$(cat err)" "^mailorder : erreur : ${bad%% *} : " "  naming the field"
done
mo customer add --name "Mauvais" --siret "828 148 932 00019" --vat FR22424761419 >out 2>err
t_like "$(cat err)" "le SIREN du numéro de TVA n'est pas celui du SIRET" "a VAT number of another SIREN than the SIRET's"
t_is "$(mo customer list --json | jq length)" 5 "none of the refused ones written"

mo customer edit CLI104 --phone "05 56 48 12 91" --delivery-city Mérignac --by paul >out 2>err
t_is "$?" 0 "edit"
t_like "$(cat out)" "Téléphone : 05 56 48 12 90 → 05 56 48 12 91" "edit says each change"
USER=lea LOGNAME=lea mo customer edit CLI104 --bank "Crédit Agricole" >/dev/null 2>&1
mo customer edit CLI104 --iban "FR00 BAD" >out 2>err
t_is "$?" 1 "a bad value in an edit is refused"
t_is "$(mo customer show CLI104 --json | jq -r .iban)" "null" "and changes nothing"
mo customer history CLI104 --json >h.json
t_is "$(jq -r '[.[] | select(.field == "phone") | "\(.who):\(.old // "-")>\(.new)"] | join(" ")' h.json)" \
	"claire:->05 56 48 12 90 paul:05 56 48 12 90>05 56 48 12 91" \
	"the history: who, old and new, for each change, creation included"
t_is "$(jq -r '.[] | select(.field == "bank") | .who' h.json)" "$(id -un)" "without --by, the OS user"
t_like "$(mo customer history CLI104)" "paul +Ville \\(livraison\\) +— +Mérignac" "history in French, as a table"
t_like "$(mo customer history CLI104 | sed -n 3p)" "^Quand +Qui +Champ +Avant +Après$" "  with its headers"
t_like "$(mo customer history CLI104 | sed -n 4p)" "^[0-3][0-9]/[01][0-9]/20[0-9]{2} [0-2][0-9]:[0-5][0-9]  " \
	"  its times local and French (JJ/MM/AAAA HH:MM), not ISO"
t_like "$(mo customer show CLI104)" "Compte comptable +411AMA00 \(compte client \(tiers\), lettrage autorisé\)" \
	"show in French, with the account's type"
t_is "$(mo customer show CLI104 --json | jq -c '[.account_type, .account_lettering]')" '["receivable",true]' \
	"the account is a receivable one, lettering allowed"
t_is "$(sql "SELECT type || ' ' || lettering || ' ' || label FROM accounts WHERE code = '411AMA00'")" \
	"receivable 1 AMANDINE Epicerie Fine" "in the chart of accounts, named after the customer"
mo customer edit CLI104 --account "706000" >out 2>err
t_is "$?" 1 "an account outside class 411 is refused"
t_like "$(cat err)" "^mailorder : erreur : --account : .*un compte client commence par 411" "saying why"
mo customer edit CLI104 --account "411AMA01" >out 2>err
t_is "$?" 1 "another customer's account is refused"
t_like "$(cat err)" "« 411AMA01 » est déjà le compte d'un autre client" "saying so"
t_is "$(mo customer show CLI104 --json | jq -r .account)" "411AMA00" "and the account stays"
t_like "$(mo customer list)" "CLI104 +AMANDINE Epicerie Fine" "list"
n_before=$(mo customer list --json | jq length)
mo customer add --name "Amandine épicerie fine" --email "$(mo customer show CLI104 --json | jq -r '.emails[0]')" >out 2>err
t_is "$?" 1 "a second entry of a customer (same name, same e-mail) is refused"
t_like "$(cat err)" "ce client est peut-être déjà dans le fichier : CLI104 AMANDINE Epicerie Fine \(même nom et même e-mail\) ; --force" \
	"  naming the one there and how to insist"
t_is "$(mo customer list --json | jq length)" "$n_before" "  nothing written"
mo customer add --name "Amandine épicerie fine" --email "$(mo customer show CLI104 --json | jq -r '.emails[0]')" --force >out 2>err
t_is "$?" 0 "  --force creates it all the same"
t_like "$(mo customer list | sed -n 3p)" "^Réf\\. +Nom +Ville +E-mail +Téléphone$" "  with its headers"
mo customer add --name "Société Coopérative Agricole des Producteurs Biologiques de la Vallée de l'Isle et de la Dordogne" \
	--email "approvisionnement.magasin-central@cooperative-producteurs-bio-isle-dordogne.fr" \
	--billing-city "Saint-Médard-de-Guizières" >/dev/null 2>&1
mo customer list >list.txt
t_is "$(perl -CSD -ne 'chomp; print "$.:", length($_), "\n" if length($_) > 100' list.txt)" "" \
	"  every line fits in 100 columns, accents counted once"
t_like "$(grep 'Société' list.txt)" "Société Coopérative.*… +Saint-Médard" "  a long name cut with …"
t_is "$(perl -CSD -ne 'print index($_, "Nom"), "\n" if $. == 3; print index($_, "Société"), "\n" if /Société/' list.txt | sort -u | wc -l)" 1 \
	"  columns aligned under their header"

# Contacts and addresses by role.
mo customer contact add CLI104 --role delivery --name "Luc Garnier" --phone "0556481300 poste 12" \
	--address "Entrepôt, 4 rue Lafaurie" --postcode 33000 --city Bordeaux --by claire >out 2>err
t_is "$?" 0 "a delivery contact with its address"
t_like "$(cat out)" "contact \(livraison\) ajouté : Luc Garnier, 05 56 48 13 00 poste 12, Entrepôt, 4 rue Lafaurie 33000 Bordeaux" \
	"the phone and its extension normalised"
mo customer contact add CLI104 --role purchasing --name "Nina" --email "achats@" >out 2>err
t_is "$?" 1 "a contact with a bad e-mail is refused"
t_like "$(cat err)" "^mailorder : erreur : --email : « achats@ » : " "naming it"
mo customer contact add CLI104 --role boss --name X >out 2>err
t_is "$?" 2 "an unknown role is bad usage"
t_like "$(cat err)" "--role : facturation \(billing\), livraison \(delivery\) ou achats \(purchasing\)" \
	"naming the roles, in French and as the contract has them"
t_is "$(mo customer show CLI104 --json | jq -r '[.contacts[] | .role + " " + .name] | join(", ")')" \
	"delivery Luc Garnier" "show lists the contacts added, none refused"
t_is "$(mo customer history CLI104 --json | jq -r '.[-1] | .who + " " + .field')" "claire contact delivery" \
	"the contact is in the history"
mo customer contact add CLI104 --role achats --name "Nina Petit" --phone "05 56 48 12 95" >/dev/null 2>&1
t_like "$(mo customer show CLI104)" "Contact 2 \(achats\) +Nina Petit, 05 56 48 12 95" "show numbers the contacts"
mo customer contact edit CLI104 1 --city "" >out 2>err
t_is "$?" 1 "an address without its city is refused"
t_like "$(cat err)" "^mailorder : erreur : --city : une adresse est une rue, un code postal et une ville : il manque la ville \(--city\)" \
	"saying what is missing"
mo customer contact add CLI104 --role livraison --name "Dépôt" --address "4 rue Lafaurie" >out 2>err
t_is "$?" 1 "a new address with a street only is refused"
t_like "$(cat err)" "il manque le code postal \(--postcode\) et la ville \(--city\)" "naming both"
# A contact an older version saved with a street only: its phone can still
# be changed; the address is checked when it is given.
sqlite3 var/mailorder.db "UPDATE customer_contacts SET address = '2 rue Thiers' WHERE role = 'purchasing'"
mo customer contact edit CLI104 2 --phone "05 56 48 12 96" >out 2>err
t_is "$?" 0 "a contact with an older partial address: its phone can be edited"
mo customer contact edit CLI104 2 --city "Libourne" >out 2>err
t_like "$?:$(cat err)" "^1:.*il manque le code postal \(--postcode\)$" "  its address, given, is checked whole"
mo customer contact edit CLI104 2 --phone "05 56 48 12 95" --address "" >out 2>err
t_is "$?" 0 "  and can be cleared"
mo customer contact edit CLI104 1 --phone "05 56 48 13 01" --address "" --postcode "" --city "" --by paul >out 2>err
t_is "$?" 0 "contact edit"
t_like "$(cat out)" "contact n° 1 \(livraison\) : Luc Garnier, 05 56 48 13 00 poste 12, Entrepôt.* → Luc Garnier, 05 56 48 13 01$" \
	"says what changes; an empty value clears a field"
t_is "$(mo customer history CLI104 --json | jq -r '.[-1] | "\(.who) \(.field) \(.new)"')" \
	"paul contact delivery Luc Garnier, 05 56 48 13 01" "the change is in the history, old and new"
mo customer contact edit CLI104 1 --phone "12" >out 2>err
t_is "$?" 1 "a bad phone in a contact edit is refused"
t_like "$(cat err)" "^mailorder : erreur : --phone : « 12 » : " "naming the value"
mo customer contact edit CLI104 2 --role billing >/dev/null 2>&1
t_is "$(mo customer history CLI104 --json | jq -r '.[-2:] | map("\(.field):\(.old // "-")>\(.new // "-")") | join(" ")')" \
	"contact purchasing:Nina Petit, 05 56 48 12 95>- contact billing:->Nina Petit, 05 56 48 12 95" \
	"a change of role leaves one role and joins the other in the history"
mo customer contact edit CLI104 3 --name X >out 2>err
t_is "$?" 1 "a contact number that does not exist"
t_like "$(cat err)" "CLI104 n'a pas de contact n° 3 \(2 contact" "is refused, saying how many there are"
mo customer contact edit CLI104 1 --name "" --phone "" >out 2>err
t_is "$?" 1 "a contact left empty is refused"
t_like "$(cat err)" "un contact sans nom, téléphone, e-mail ni adresse" "saying why"
mo customer contact edit CLI104 1 --phone "0556481301" >out 2>err
t_like "$(cat out)" "contact n° 1 : rien ne change" "the same value written otherwise changes nothing"
mo customer contact edit CLI104 1 --name "Luc Garnier, 05 56 48 13 01" --phone "" >/dev/null 2>&1
n_hist=$(mo customer history CLI104 --json | jq length)
mo customer contact edit CLI104 1 --name "Luc Garnier" --phone "05 56 48 13 01" >out 2>err
t_like "$(cat out)" "contact n° 1 \(livraison\) :" "a change of fields that reads the same is still a change"
t_is "$(mo customer show CLI104 --json | jq -r '.contacts[0] | "\(.name) \(.phone)"')" \
	"Luc Garnier 05 56 48 13 01" "and is saved"
t_is "$(mo customer history CLI104 --json | jq length)" "$((n_hist + 1))" "and in the history"
mo customer contact remove CLI104 2 --by claire >out 2>err
t_is "$?" 0 "contact remove"
t_like "$(cat out)" "contact n° 2 \(facturation\) enlevé : Nina Petit" "says which"
t_is "$(mo customer show CLI104 --json | jq -r '[.contacts[] | .role + " " + .name] | join(", ")')" \
	"delivery Luc Garnier" "the other contact stays"
t_is "$(mo customer history CLI104 --json | jq -r '.[-1] | "\(.who) \(.field) \(.old) \(.new)"')" \
	"claire contact billing Nina Petit, 05 56 48 12 95 null" "the removal is in the history"

# The file through a spreadsheet and back: export, import, export.
mo export customers all.csv >out 2>err
t_is "$?" 0 "export customers"
t_is "$(head -1 all.csv | tr -d '\r')" \
	"ref,name,email,siret,vat,iban,bank,contact,phone,billing_address,billing_postcode,billing_city,delivery_address,delivery_postcode,delivery_city,account,payment_terms,discount_pct" \
	"in the import's columns"
t_like "$(grep CLI104 all.csv)" '"12 cours de l.Intendance"|12 cours de l.Intendance' "with its rows"
n_history=$(mo customer history CLI104 --json | jq length)
mo import customers all.csv >out 2>err
t_is "$?" 0 "the export imports back"
t_is "$(mo customer history CLI104 --json | jq length)" "$n_history" "and changes nothing: no history"
t_is "$(mo customer show CLI104 --json | jq -r .bic)" "AGRIFRPPAGN" "an import leaves the BIC (not a column) as it was"
mo export customers again.csv >/dev/null 2>&1
t_ok "the same file again" cmp all.csv again.csv
sed -e 's/^CLI104,\(.*\),05 56 48 12 91,/CLI104,\1,05 56 48 12 99,/' all.csv >changed.csv
mo import customers changed.csv >/dev/null 2>&1
t_like "$(mo customer history CLI104 --json | jq -r '.[-1] | "\(.who) \(.field) \(.old) \(.new)"')" \
	"\(import\) phone 05 56 48 12 91 05 56 48 12 99" "a change made by an import is in the history too"
mkdir fresh && cd fresh && sed 's|var/|../fresh-var/|' ../mailorder.conf >mailorder.conf
"$MAILORDER" -c mailorder.conf init >/dev/null && "$MAILORDER" -c mailorder.conf import customers ../again.csv >/dev/null &&
	"$MAILORDER" -c mailorder.conf export customers ../fresh.csv >/dev/null
cd ..
t_ok "into a new database and out again: the same file" cmp again.csv fresh.csv

# Accounts: one customer's each, also through an import.
grep -v '^CLI104,' again.csv | sed 's/^\(CLI101,.*\),411EPIMA,/\1,411AMA00,/' >steal.csv
mo import customers steal.csv >out 2>err
t_is "$?" 1 "an import giving a customer another's account is refused"
t_like "$(cat err)" "« 411AMA00 » serait le compte de CLI101, CLI104" "naming both"
t_is "$(sql "SELECT account FROM customers WHERE ref = 'CLI101'")" "411EPIMA" "and nothing is imported"
{ head -1 again.csv; grep '^CLI101,' again.csv; grep '^CLI102,' again.csv | sed 's/,411JARDI,/,411EPIMA,/'; } >twice.csv
mo import customers twice.csv >out 2>err
t_is "$?" 1 "two rows with one account are refused"
t_like "$(cat err)" "account: « 411EPIMA » est déjà le compte de la ligne 2" "naming the first row"
# A database of schema 4, from before accounts were checked: one account
# shared, one lower-case, one outside class 411.  init puts them in the
# chart, writes them in capitals, and says which a clerk must change; an
# import that does not touch them still goes through.
sql "$(t_undo_schema7_sql) DROP TABLE accounts; ALTER TABLE documents DROP COLUMN page_model; PRAGMA user_version = 4;
	UPDATE customers SET account = '411jardi' WHERE ref = 'CLI102';
	UPDATE customers SET account = 'C1001' WHERE ref = 'CLI103';
	UPDATE customers SET account = '411AMA01' WHERE ref = 'CLI104';
	UPDATE customers SET account = '411EPI MA' WHERE ref = 'CLI101';"
mo init >out 2>err
t_is "$?" 0 "init upgrades a schema-4 database"
t_is "$(sql "SELECT count(*) FROM accounts WHERE type = 'receivable' AND lettering = 1")" \
	"$(sql "SELECT count(DISTINCT account) FROM customers WHERE account IS NOT NULL")" \
	"schema 5 makes every customer's account a receivable one"
t_is "$(sql "SELECT account FROM customers WHERE ref = 'CLI102'")" "411JARDI" "in capitals"
t_like "$(cat err)" "attention : CLI103 : compte « C1001 » : un compte client commence par 411" \
	"init names an account outside class 411"
t_like "$(cat err)" "le compte « 411AMA01 » est celui de CLI104, CLI" "and one two customers share"
t_like "$(cat err)" "CLI101 : compte « 411EPI.+MA » : à récrire sans espaces" "and one with a no-break space"
{ head -1 again.csv; grep '^CLI102,' again.csv; } >one.csv
mo import customers one.csv >out 2>err
t_is "$?" 0 "an import that gives neither account still goes through"

mo customer edit CLI999 --phone "05 56 48 12 91" >out 2>err
t_is "$?" 1 "an unknown customer"
mo customer add --name X --colour blue >out 2>err
t_is "$?" 2 "an unknown field is bad usage"
t_done
