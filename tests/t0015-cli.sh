#!/usr/bin/env bash
# The command line as a newcomer meets it: every command answers --help
# and -h in French, without a config; help COMMAND; --version; options
# before or after the command; usage errors that say what to do next.
. "$(dirname "$0")/lib.sh"
t_init
unset MAILORDER_CONFIG

# No config anywhere here: help needs none.
"$MAILORDER" help >help.out 2>help.err
t_is "$?" 0 "mailorder help without a config"
t_like "$(cat help.out)" "^Usage : mailorder \[-c FICHIER\]" "in French"
commands=$(awk '/^Commandes :/ { on = 1; next } on && /^$/ { exit }
	on && /^  [a-z]/ { sub(/^  /, ""); sub(/  .*/, ""); print }' help.out)
t_like "$(echo "$commands" | tr '\n' ' ')" "^init import customers .*customer contact remove .*rules check help $" \
	"it lists every command"
n=0 bad=
while IFS= read -r c; do
	[ -z "$c" ] && continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$MAILORDER" $c --help >h.out 2>h.err
	rc=$?
	# shellcheck disable=SC2086
	"$MAILORDER" $c -h >h2.out 2>&1
	# shellcheck disable=SC2086
	"$MAILORDER" help $c >h3.out 2>&1
	if [ "$rc" != 0 ] || [ -s h.err ] || ! grep -q "^Usage : mailorder $c" h.out ||
		! grep -q "^Options communes à toutes les commandes :" h.out ||
		! grep -q "^Exemples :" h.out || ! cmp -s h.out h2.out || ! cmp -s h.out h3.out; then
		bad="$bad [$c]"
	fi
	# 100 columns at most, an example's command line apart
	if perl -CSD -ne 'exit 1 if length($_) > 101 && !/^  (mailorder|xdg-open) /' h.out; then :; else
		bad="$bad [$c: wider than 100]"
	fi
	# no English left in the help: the usual words of an English help
	# (the command names are the contract's: "mailorder orders" is one)
	if sed 's/mailorder orders//g' h.out | grep -Eiq '\b(usage:|the|and|with|orders?|optional|default)\b'; then
		bad="$bad [$c: English]"
	fi
done <<<"$commands"
t_is "$bad" "" "each of the $n commands: --help, -h and help COMMAND print the same French usage, options and examples, exit 0, no config"
"$MAILORDER" help customer >fam.out 2>&1
t_like "$(cat fam.out)" "customer contact add" "help of a family lists its sub-commands"
"$MAILORDER" customer --help >fam2.out 2>&1
t_is "$(cat fam2.out)" "$(cat fam.out)" "and so does FAMILY --help"
"$MAILORDER" --version >v.out 2>&1
t_like "$(cat v.out)" "^mailorder [0-9]+\.[0-9]+\.[0-9]+$" "--version"

# The manual and the README's reference come from the help's own texts.
"$MAILORDER" help --markdown >ref.md 2>&1
awk '/^<!-- référence : début/ { on = 1; next } /^<!-- référence : fin/ { on = 0 } on' "$SRCDIR/README.md" >readme-ref.md
t_is "$(diff readme-ref.md ref.md | head -5)" "" "README.md's reference is what the help says now (else: make readme)"
"$MAILORDER" help --man >m.1 2>&1
t_like "$(grep -m1 '^\.TH' m.1)" '^\.TH MAILORDER 1 ' "help --man is a manual page"
t_like "$(head -1 m.1)" "coding: UTF-8" "  that says its encoding (groff reads the accents)"
missing=
while IFS= read -r c; do
	[ -z "$c" ] && continue
	grep -q "^\.SS \"mailorder $(printf '%s' "$c" | sed 's/-/\\\\-/g')" m.1 || missing="$missing [$c]"
	grep -q "^#### \`mailorder $c" ref.md || missing="$missing [$c in README]"
done <<<"$commands"
t_is "$missing" "" "the manual and the README describe every command"
"$MAILORDER" help config >config.txt 2>&1
t_is "$(awk '/^\[/ { s = $0 } /^  - [a-z_]* = / { print s, $2 }' config.txt | sort | uniq -d)$(grep -c '^  - [a-z_]* = ' config.txt)" 46 \
	"help config: every key of the file (46), once each"
t_like "$(grep -A2 '^  - password_file' config.txt | head -3 | tr '\n' ' ' | tr -s ' ')" "seules les commandes qui relèvent le courrier le lisent" \
	"  saying what each is for"
t_like "$(sed -n '/^\[smtp\]/,/^$/p' config.txt)" "mailorder send" "  [smtp]: what uses it"
for topic in "csv:point-virgule" 'json:"customer_order_ref"' "fichiers:<partenaire>_<TYPE>_<numéro>" \
	"codes:mauvais usage" "environnement:MAILORDER_CONFIG" "conventions:avant ou après la commande"; do
	"$MAILORDER" help "${topic%%:*}" >t.txt 2>&1 || missing="$missing [${topic%%:*}]"
	grep -qF -- "${topic#*:}" t.txt || missing="$missing [${topic%%:*}: ${topic#*:}]"
done
t_is "$missing" "" "each topic of the help answers, with what it is about"
"$MAILORDER" -h drafts >h4.out 2>&1
t_is "$?:$(head -1 h4.out)" "0:Usage : mailorder drafts [--json]" "-h before the command gives the command's help"

# Usage errors: exit 2, one line, in French, saying where the help is.
"$MAILORDER" drafts --frob >/dev/null 2>err
t_is "$?" 2 "an unknown option is bad usage"
t_is "$(cat err)" "mailorder : erreur d'utilisation : drafts : option inconnue « --frob » (voir : mailorder drafts --help)" \
	"saying which and where the help is"
"$MAILORDER" show >/dev/null 2>err
t_is "$?" 2 "a missing argument"
t_like "$(cat err)" "show : il manque un argument \(mailorder show COMMANDE \[--json\]\)" "shows the usage"
"$MAILORDER" customer >/dev/null 2>err
t_is "$?" 2 "a family without its sub-command"
t_like "$(cat err)" "customer : quelle sous-commande \? add, edit, show, list, history, contact, from-draft" \
	"lists them"
"$MAILORDER" rules check --text --summary x.pdf >/dev/null 2>err
t_is "$?" 2 "conflicting options are refused"
t_like "$(cat err)" "--text et --summary s'excluent" "saying which"
"$MAILORDER" correct SO0001 --customer CLI101 --line 1 >/dev/null 2>err
t_is "$?" 2 "correct: --customer with --line"
"$MAILORDER" frobnicate >/dev/null 2>err
t_like "$(cat err)" "commande inconnue « frobnicate » \(mailorder help les liste\)" "an unknown command"

# Without a config: the error says how to give one.
"$MAILORDER" drafts >/dev/null 2>err
t_is "$?" 2 "a command that needs a config, with none"
t_like "$(cat err)" "ni -c FICHIER, ni \\\$MAILORDER_CONFIG, ni ./mailorder.conf" "names both ways to give one"
MAILORDER_CONFIG=$T_DIR/absent.conf "$MAILORDER" drafts >/dev/null 2>err
t_like "$(cat err)" "absent.conf : fichier de configuration introuvable \(donné par \\\$MAILORDER_CONFIG\)" \
	"names the file \$MAILORDER_CONFIG gave"

# Options before or after the command.
cat >mailorder.conf <<'CONF'
[storage]
database = var/mailorder.db
archive = var/archive
CONF
"$MAILORDER" -c mailorder.conf init >/dev/null 2>&1
"$MAILORDER" drafts -c mailorder.conf >a.out 2>&1
t_is "$?" 0 "-c after the command"
"$MAILORDER" -c mailorder.conf drafts >b.out 2>&1
t_is "$(cat a.out)" "$(cat b.out)" "the same as before it"
"$MAILORDER" drafts --config=mailorder.conf --json >c.out 2>&1
t_is "$(cat c.out)" "[]" "--config=FILE, and command options beside it"
"$MAILORDER" drafts -cmailorder.conf >d.out 2>&1
t_is "$?:$(cat d.out)" "0:$(cat b.out)" "-cFILE, glued as getopt takes it"
"$MAILORDER" -c mailorder.conf customer add --name "Épicerie Test" --billing-city Libourne \
	--by -v >add.out 2>&1
"$MAILORDER" -c mailorder.conf customer history "$(grep -o 'CLI[0-9]*' add.out | head -1)" >hist.out 2>&1
t_like "$(cat hist.out)" " -v " "a command's option takes the next word as its value, even one like a global option (--by -v)"
: >empty.conf
"$MAILORDER" -c empty.conf init >empty.out 2>&1
t_is "$?" 0 "init on an empty config succeeds (the storage has defaults)"
t_like "$(cat empty.out)" "à compléter avant « mailorder -c empty.conf poll » : .*pas de section \[imap\]" \
	"  and says what poll will need"
"$MAILORDER" -c empty.conf poll --once >/dev/null 2>empty.err
t_is "$?:$(wc -l <empty.err)" "2:1" "poll on it: a usage error, one line, before anything else"
"$MAILORDER" -c mailorder.conf init >init.out 2>&1
t_like "$(cat init.out)" "à compléter avant « mailorder -c mailorder.conf poll » : .*\[imap\]" \
	"init says what poll will need, with the -c given"

# A poll that cannot reach its server: one line, no summary, exit 1.
cat >offline.conf <<'CONF'
[imap]
host = 127.0.0.1
port = 9
tls = none
user = commandes@sweetiebio.fr
password = not-used-here

[storage]
database = var/mailorder.db
archive = var/archive
CONF
"$MAILORDER" -c offline.conf poll --once >out 2>err
t_is "$?" 1 "poll with the server unreachable fails"
t_is "$(wc -l <err)" 1 "with one line"
t_like "$(cat err)" "^mailorder : erreur : IMAP 127.0.0.1:9 : connexion \(vérifiez \[imap\] host, port et tls\) : connexion refusée" \
	"saying why, in French, and what to check"
t_is "$(cat out)" "" "and no summary"

t_done
