#!/usr/bin/env bash
# tests/demo.sh: what `make demo` runs.  A loopback Dovecot receives the
# sample e-mails of samples/, then mailorder takes them in as a clerk's
# day would start: init, imports, one poll, the review queue.
# Everything lives in build/demo/ (MAILORDER_DEMO_DIR elsewhere) and stays
# there to look at afterwards; a second `make demo` keeps its database
# (the customers and corrections a newcomer made) and says so; `make
# demo-reset` starts again from nothing.  The mail server is stopped at
# the end.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export MAILORDER=${MAILORDER:-$top/build/mailorder} TOOLS=${TOOLS:-$top/build/tools} SRCDIR=$top
. "$top/tests/lib.sh"

demo=${MAILORDER_DEMO_DIR:-$top/build/demo}
kept=
[ -e "$demo/var/mailorder.db" ] && kept=1
mkdir -p "$demo"
chmod 755 "$demo"
T_DIR=$demo
KEEP=1
# The mail server's files go to /tmp: Dovecot's own users could not read
# them under a project in /root (mode 700).
DOVE_BASE=$(mktemp -d "${TMPDIR:-/tmp}/mailorder-demo-imap.XXXXXX") || exit 1
trap 'smtp_stop; dove_stop; rm -rf "$DOVE_BASE"' EXIT
cd "$demo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ mailorder %s\n' "$*"; "$MAILORDER" -c "$demo/mailorder.conf" "$@"; }

if [ -n "$kept" ]; then
	say "la démonstration précédente est gardée : $demo/var (ses clients, ses corrections)"
	echo "pour repartir de zéro : make demo-reset (ou rm -rf $demo)"
fi
say "un serveur IMAP privé sur 127.0.0.1 (Dovecot), les courriels d'exemple dans sa boîte"
dove_start || { echo "démo : Dovecot n'a pas démarré (voir $demo/dovecot/dovecot.log)" >&2; exit 1; }
dove_deliver "$top"/samples/*.eml || exit 1
echo "IMAPS sur 127.0.0.1:$DOVE_IMAPS_PORT, $(ls "$top"/samples/*.eml | wc -l) courriels déposés"
say "un serveur SMTP privé sur 127.0.0.1 (aiosmtpd) : il dépose ce qu'il reçoit dans une boîte, celle des clients"
smtp_start || { echo "démo : le serveur SMTP n'a pas démarré (voir $demo/smtp.log)" >&2; exit 1; }
echo "SMTP sur 127.0.0.1:$SMTP_PORT, boîte : $demo/smtp-maildir"
mo_config imaps
sed -i 's/^max_attachment_mb = .*/max_attachment_mb = 25/' mailorder.conf
printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none      ; seulement vers 127.0.0.1\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' \
	"$SMTP_PORT" >>mailorder.conf
echo "configuration : $demo/mailorder.conf"

if [ -z "$kept" ]; then
	say "la base de données, le fichier clients et le catalogue"
	run init || exit 1
	run import customers "$top/samples/customers.csv" || exit 1
	run import products "$top/samples/products.csv" || exit 1
else
	say "la base de données gardée, mise à jour s'il le faut (le fichier clients n'est pas réimporté)"
	run init || exit 1
fi

say "la relève du courrier (un passage ; « mailorder poll » sans --once veille)"
run poll --once || exit 1

say "la file de revue"
run drafts || exit 1
say "ce qui n'est pas devenu un brouillon, et pourquoi"
run quarantine || exit 1
say "un brouillon en entier"
run show SO0001 || exit 1

# The chain after the draft, on the first draft no error blocks: validated
# (its confirmation), delivered (its delivery note), invoiced and posted
# (its invoice and accounting entry).
next=
[ -z "$kept" ] && next=$("$MAILORDER" -c "$demo/mailorder.conf" drafts --json |
	jq -r '[.[] | select(all(.checks[]; .severity != "error"))][0].number // empty')
if [ -n "$next" ]; then
	say "la suite de $next : validée, livrée, facturée"
	run validate "$next" --accept-warnings --by demo || exit 1
	run deliver "$next" --by demo || exit 1
	run invoice "$next" --partial --by demo || exit 1
	run invoice post "$next" --by demo || exit 1
	run entries || exit 1
	say "les documents faits pour le client (PDF)"
	find "$demo/var/archive" -type f \( -name "*_CONF_*" -o -name "*_BL_*" -o -name "*_FAC_*" \) | sort
elif [ -n "$kept" ]; then
	say "la suite d'une commande (validée, livrée, facturée) : faite à la première démonstration"
	run orders || exit 1
else
	say "aucun brouillon sans erreur à valider"
fi

# The mails to the customers, sent to a private SMTP server whose mailbox
# (a Maildir) stands for the customers': the acknowledgment of a sample
# order, as its sender reads it.
say "les courriels aux clients : accusés de réception, avis, confirmation, facture"
run outbox || exit 1
say "leur envoi (« mailorder run » les envoie au fil de l'eau)"
run send --once || exit 1
ack=$(grep -l "^Auto-Submitted: auto-replied" $(smtp_received) /dev/null 2>/dev/null | head -1)
if [ -n "$ack" ]; then
	say "un accusé de réception, tel que le client le lit ($ack)"
	/usr/bin/python3 - "$ack" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for h in ("From", "To", "Subject", "Date", "In-Reply-To", "Auto-Submitted"):
    print(f"{h}: {m[h]}")
print()
print(m.get_body(("plain",)).get_content().rstrip())
PY
fi
smtp_stop

cat <<TXT

La base et l'archive restent dans $demo :
  find $demo/var/archive -type f
  $MAILORDER -c $demo/mailorder.conf drafts --json
  $MAILORDER -c $demo/mailorder.conf help
Un second « make demo » les garde ; « make demo-reset » repart de zéro.
TXT
