#!/usr/bin/env bash
# Hostile files (issue "Intake under hostile input"): a config with a NUL
# byte, invalid UTF-8 or a FIFO; a password file others can read; the
# database's mode and path; CSV cells a spreadsheet would run; a 10 KB PDF
# of nested forms that poppler would read for minutes and gigabytes; the
# OCR helper outliving a killed parent; the helper under the sanitizer.
. "$(dirname "$0")/lib.sh"
t_init
H() { perl "$SRCDIR/tests/tools/mkhostile.pl" "$@"; }

# ---------------------------------------------------------------- config
mo_config_offline
mo init >/dev/null 2>&1
t_is "$(stat -c %a var/mailorder.db)" 600 "the database is created readable by its owner only"
printf '[imap]\nhost = 127.0.0.1\x00\n[storage]\ndatabase = var/other.db\nmax_attachment_mb = 99999\nfoo = 1\n' >nul.conf
"$MAILORDER" -c nul.conf drafts >out 2>err
t_is "$?" 2 "a NUL byte in the config is an error"
t_like "$(cat err)" "nul.conf:2: un octet NUL en colonne 17" "  naming its line"
printf '[storage]\ndatabase = var/mailorder.db\n# r\xe9serv\xe9\narchive = var/archive\n' >latin.conf
"$MAILORDER" -c latin.conf drafts >out 2>err
t_is "$?" 2 "invalid UTF-8 in the config is an error"
t_like "$(cat err)" "latin.conf:3: l'octet 0xE9 en colonne 4 n'est pas de l'UTF-8" "  naming its line"
mkfifo fifo.conf
t0=$(date +%s)
timeout -s KILL 20 "$MAILORDER" -c fifo.conf drafts >out 2>err
t_is "$?" 2 "a FIFO as config is refused"
t_ok "  at once" test $(($(date +%s) - t0)) -lt 5
t_like "$(cat err)" "impossible de lire fifo.conf : ce n'est pas un fichier" "  saying why"
printf '[storage]\ndatabase = /dev/null\n' >devnull.conf
journal_before=$(test -e /dev/null-journal && echo yes)
"$MAILORDER" -c devnull.conf init >out 2>err
t_is "$?" 2 "a database path that is not a regular file is refused"
t_like "$(cat err)" "base de données /dev/null : ce n'est pas un fichier" "  saying why"
t_is "$(test -e /dev/null-journal && echo yes)" "$journal_before" "  and nothing is written beside it"
mkdir -p secrets
printf 'secret\n' >secrets/open.pass
chmod 644 secrets/open.pass
printf '[imap]\nhost = 127.0.0.1\nport = 9\ntls = none\nuser = u\npassword_file = secrets/open.pass\n[storage]\ndatabase = var/mailorder.db\n' >open.conf
"$MAILORDER" -c open.conf init >/dev/null 2>&1
# poll reads the secret, then finds no server on port 9 (exit 1)
"$MAILORDER" -c open.conf poll --once >out 2>err
t_is "$?" 1 "a password file others can read is accepted (poll goes on to the server)"
t_like "$(cat err)" "attention : .*secrets/open.pass : le fichier du mot de passe est lisible par d'autres utilisateurs \(mode 0644\) : chmod 600" \
	"  with a warning saying what to do"
chmod 600 secrets/open.pass
"$MAILORDER" -c open.conf poll --once >out 2>err
t_unlike "$(cat err)" "lisible par d'autres" "  and none once it is 0600"
# Only the commands that talk to the server read the secret: a clerk's
# account that cannot read it still reads the queue.
chmod 000 secrets/open.pass
"$MAILORDER" -c open.conf drafts >out 2>err
t_is "$?:$(cat err)" "0:" "a reading command does not need the password file"
if [ "$(id -u)" != 0 ]; then
	"$MAILORDER" -c open.conf poll --once >out 2>err
	t_is "$?" 2 "  poll does, and says so"
else
	t_ok "  (poll's refusal of an unreadable secret: not testable as root)" true
fi
chmod 600 secrets/open.pass

# ---------------------------------------------------------------- CSV
cat >formulas.csv <<'CSV'
ref,name,email,phone,contact,billing_city
CLI901,"=cmd|' /C calc'!A0",a@exemple.fr,+33 5 56 00 00 00,@SUM(1+1),-2+3
CLI902,"=HYPERLINK(""http://evil.example/"",""clic"")",b@exemple.fr,,"+SUM(A1)",Libourne
CLI903,'=déjà,c@exemple.fr,,-5,Paris
CSV
mo import customers formulas.csv >out 2>err
t_is "$?" 0 "formula-like values are imported"
t_is "$(mo customer show CLI901 --json | jq -r '.name')" "=cmd|' /C calc'!A0" "  and kept as given"
mo export customers export.csv >/dev/null
row() { grep "^$1," export.csv; }
t_like "$(row CLI901)" "^CLI901,\"'=cmd\|' /C calc'!A0\"" "export: a formula is written as text (')"
t_like "$(row CLI901)" "\"'@SUM\(1\+1\)\"" "  @"
t_like "$(row CLI901)" "\"'-2\+3\"" "  -"
t_like "$(row CLI902)" "^CLI902,\"'=HYPERLINK\(\"\"http" "  =HYPERLINK"
t_like "$(row CLI902)" "\"'\+SUM\(A1\)\"" "  +"
t_is "$(mo customer show CLI903 --json | jq -r '.name')" "=déjà" \
	"a value written '=... is read as a spreadsheet reads it: text, without the '"
t_like "$(row CLI903)" "^CLI903,\"'=déjà\"" "  and written back so"
t_like "$(row CLI903)" ",-5," "  a plain number stays a number"
cells=$(tail -n +2 export.csv | grep -cP '(^|,)"?[=+@\t-](?![0-9]+([.,][0-9]+)?("|,|\r|$))')
t_is "$cells" 0 "no exported cell, quoted or not, starts with = + - @ or a tab"
before=$(mo customer list --json | jq -S '[.[] | select(.ref >= "CLI901") | {ref, name, phone, contact, billing_city}]')
mo import customers export.csv >/dev/null 2>&1
after=$(mo customer list --json | jq -S '[.[] | select(.ref >= "CLI901") | {ref, name, phone, contact, billing_city}]')
t_is "$after" "$before" "export then import gives the values back unchanged"

# ---------------------------------------------------------------- nested forms
H forms 18 >forms.pdf
t_ok "the nested-forms PDF is small ($(stat -c %s forms.pdf) bytes)" test "$(stat -c %s forms.pdf)" -lt 10240
t0=$(date +%s)
MAILORDER_READ_LIMIT_S=3 MAILORDER_READ_LIMIT_MB=4000 timeout -s KILL 120 \
	"$MAILORDER" -c "$T_DIR/mailorder.conf" rules check forms.pdf >out 2>err
t_is "$?" 1 "rules check on it stops, exit 1"
t_ok "  at its time limit" test $(($(date +%s) - t0)) -lt 30
t_like "$(cat err)" "forms.pdf : lecture arrêtée après 3 s : document piégé ou trop complexe" "  saying which and why"
H forms 16 20 >forms-wide.pdf
t0=$(date +%s)
MAILORDER_READ_LIMIT_MB=400 timeout -s KILL 120 \
	"$MAILORDER" -c "$T_DIR/mailorder.conf" rules check --summary forms-wide.pdf >out 2>err
t_is "$?" 1 "one that grows fast stops at its memory limit"
t_like "$(cat err)" "forms-wide.pdf : lecture arrêtée à 400 Mo de mémoire" "  saying so"

# ---------------------------------------------------------------- through the poll
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
rm -f var/mailorder.db*
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
mkpdf_order good.pdf "Bon de commande BON-1"
mkeml --from lea@jardins-de-lea.fr --id "<forms@hostile>" --attach forms.pdf "BC.pdf" application/pdf >f1.eml
mkeml --from lea@jardins-de-lea.fr --id "<good@hostile>" --attach good.pdf "BON-1.pdf" application/pdf >f2.eml
dove_deliver f1.eml f2.eml || { echo "Bail out! delivery failed"; exit 1; }
for run in 1 2 3; do
	(MAILORDER_READ_LIMIT_S=3 timeout -s KILL 120 "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once \
		>p.$run 2>e.$run; echo $? >rc) 2>/dev/null
	[ "$(cat rc)" = 0 ] && break
done
t_like "$(cat e.1)" "toujours en lecture après 3 s : arrêt ; il ne sera pas relu" \
	"the poll's guard stops the nested-forms message"
t_is "$(cat rc)" 0 "the next poll succeeds"
t_is "$(mo quarantine --json | jq -r '.[] | .message_id + " " + .reason')" "<forms@hostile> unreadable_message" \
	"  and quarantines it unread"
t_is "$(mo drafts --json | jq -r '.[].source.message_id')" "<good@hostile>" "  the other message is a draft"

# ---------------------------------------------------------------- OCR helper
printf 'size 14\ntext 40 50 BIO et VRAC\ntext 40 100 BIO-2001 Farine 20\n' | "$TOOLS/mkpdf" --standard-font page.pdf
"$TOOLS/mkscan" page.pdf scan.pdf --seed 5 || { echo "Bail out! mkscan"; exit 1; }
"$MAILORDER" ocr-page 0 30 <scan.pdf >ocr.out 2>ocr.err
t_is "$?" 0 "the OCR helper reads a scan and exits 0 (in the sanitizer build too)"
t_like "$(cat ocr.out)" $'\tFarine$' "  with its words"
t_is "$(cat ocr.err)" "" "  and nothing on stderr"
mkeml --from contact@bio-et-vrac.fr --id "<hang@hostile>" --attach scan.pdf "SCAN.pdf" application/pdf >f3.eml
dove_deliver f3.eml || { echo "Bail out! delivery failed"; exit 1; }
MAILORDER_HANG_OCR=1 "$MAILORDER" -c "$T_DIR/mailorder.conf" poll --once >hang.out 2>hang.err &
poll_pid=$!
T_PIDS+=("$poll_pid")
helper=
for _ in $(seq 1 200); do
	helper=$(pgrep -f -P "$poll_pid" 'ocr-page' | head -1)
	[ -n "$helper" ] && break
	sleep 0.1
done
t_like "$helper" "^[0-9]+$" "a poll's OCR helper runs"
exec 3>&2 2>/dev/null   # not the shell's "Killed" notice
kill -9 "$poll_pid"
wait "$poll_pid"
exec 2>&3 3>&-
gone=no
for _ in $(seq 1 30); do
	kill -0 "$helper" 2>/dev/null || { gone=yes; break; }
	sleep 0.1
done
t_is "$gone" yes "killed with its parent"
t_done
