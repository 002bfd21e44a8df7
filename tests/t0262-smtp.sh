#!/usr/bin/env bash
# mailorder send against Debian's aiosmtpd on loopback (tests/tools/smtpd.py
# gives it the behaviours below): AUTH over STARTTLS and over SMTPS, a
# password refused, no AUTH offered in clear; a server that defers (4xx),
# one that drops the connection in the middle of the data, a crash right
# after the 250; pipelining on and off, a recipient refused while the
# server waits for the data; the server's SIZE and our own ceiling; each
# mail received read back with python3's email module.
. "$(dirname "$0")/lib.sh"
t_init
trap 'smtp_stop; t_cleanup' EXIT
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# smtp_conf PORT TLS [USER]: the [smtp] section (a From with accents, an
# RFC 2047 phrase once composed) and [outbound].
from="Sweetie Bio — Épicerie fine <commandes@sweetiebio.fr>"
smtp_conf() {
	sed -i '/^\[smtp\]/,$d' mailorder.conf
	printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = %s\nfrom = %s\nca_file = %s\n' \
		"$1" "$2" "$from" "$T_DIR/smtp-cert.pem" >>mailorder.conf
	[ -n "${3:-}" ] && printf 'user = %s\npassword_file = secrets/smtp.pass\n' "$3" >>mailorder.conf
	# the mails a clerk's commands send; the acknowledgments have t0265
	printf '\n[outbound]\nacknowledge = no\nbcc = %s\n' "${BCC:-}" >>mailorder.conf
}
# every mail due again, the server's Maildir and events emptied
requeue() {
	sql "UPDATE outbox SET state = 'queued', tries = 0, next_try_at = NULL, last_error = NULL, sent_at = NULL $*"
	rm -f smtp-maildir/new/* && : >smtp-events
}
states() { mo outbox --json | jq -r '[.[] | .state] | join(" ")'; }
received_ids() {  # the Message-IDs the server took, one a line, sorted
	local f
	for f in $(smtp_received); do sed -n 's/^Message-ID: *//Ip' "$f" | head -1 | tr -d '\r'; done | sort
}
ev() { grep -c "^$1" smtp-events; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout smtp-key.pem -out smtp-cert.pem >/dev/null 2>&1
printf 'le-bon-mot-de-passe\n' >secrets/smtp.pass
chmod 600 secrets/smtp.pass
smtp_conf 9 none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

# Three mails: the confirmation of an order, its invoice (the FAC and the
# BL attached), the confirmation of a copy.
mkpdf_po po.pdf LEA-710 25/11/2026 "Bon de commande" "" "BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72"
mkeml --from "lea@jardins-de-lea.fr" --id "<s62@lea>" --attach po.pdf LEA-710.pdf application/pdf >s62.eml
dove_deliver s62.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
mo validate SO0001 --accept-warnings >/dev/null 2>&1 &&
	mo deliver SO0001 >/dev/null 2>&1 && mo invoice SO0001 >/dev/null 2>&1 &&
	mo invoice post SO0001 >/dev/null 2>&1 && mo copy SO0001 >/dev/null 2>&1 &&
	mo validate SO0002 --accept-warnings >/dev/null 2>&1
t_is "$(mo outbox --json | jq -r '[.[] | .kind + ":" + .state] | join(" ")')" \
	"confirmation:queued invoice:queued confirmation:queued" "three mails queued (confirmation, invoice, confirmation)"
dove_stop

# ---------------------------------------------------------------- AUTH
# STARTTLS, a password refused: the mails fail (the server is right, our
# configuration is not), said in French; then the right one.
smtp_start --tlscert smtp-cert.pem --tlskey smtp-key.pem --auth commandes:le-bon-mot-de-passe ||
	{ echo "Bail out! aiosmtpd did not start"; exit 1; }
printf 'un-mauvais\n' >secrets/smtp.pass
smtp_conf "$SMTP_PORT" starttls commandes
mo send --once >out 2>err
t_like "$?:$(cat err)" "^1:.*authentification refusée \(vérifiez \[smtp\] user et password_file\) : 535" \
	"STARTTLS, a wrong password: send fails, saying so in French with the server's words"
t_is "$(states)" "failed failed failed" "  every mail failed, to be tried again"
t_like "$(mo outbox --json | jq -r '.[0].last_error')" "authentification refusée" "  last_error says why"
t_is "$(ev 'AUTH commandes refused'):$(smtp_received | wc -l)" "1:0" "  one AUTH tried, nothing sent"
printf 'le-bon-mot-de-passe\n' >secrets/smtp.pass
requeue
mo send --once >out 2>err
t_like "$?:$(cat out)" "^0:3 envoyé" "STARTTLS, the right password: the three mails sent"
t_is "$(ev 'AUTH commandes ok'):$(ev EHLO):$(smtp_received | wc -l)" "1:2:3" \
	"  one session (EHLO before and after STARTTLS), one AUTH, three mails"
# RFC 5321 4.1.1.1: EHLO names a fully qualified domain, or gives an
# address literal (Postfix's reject_non_fqdn_helo_hostname): a bare
# hostname, as in a container, gives way to our address on the connection.
case "$(uname -n)" in
*.*) helo=$(uname -n) ;;
*) helo="[127.0.0.1]" ;;
esac
t_is "$(sed -n 's/^EHLO //p' smtp-events | sort -u)" "$helo" "  EHLO $helo: a domain name or an address literal, never a bare hostname"
smtp_stop

# SMTPS: TLS from the first byte, then AUTH.
smtp_start --smtpscert smtp-cert.pem --smtpskey smtp-key.pem --auth commandes:le-bon-mot-de-passe ||
	{ echo "Bail out! aiosmtpd (SMTPS) did not start"; exit 1; }
requeue
smtp_conf "$SMTP_PORT" smtps commandes
mo send --once >out 2>err
t_like "$?:$(cat out)" "^0:3 envoyé" "SMTPS with AUTH: sent"
t_is "$(ev 'AUTH commandes ok'):$(smtp_received | wc -l)" "1:3" "  authenticated once, three mails"
smtp_stop

# In clear (loopback only): the server offers AUTH after TLS only, so
# no password is sent; said.
smtp_start --auth commandes:le-bon-mot-de-passe || { echo "Bail out! aiosmtpd did not start"; exit 1; }
requeue
smtp_conf "$SMTP_PORT" none commandes
mo send --once >out 2>err
t_like "$?:$(cat err)" "^1:.*ne propose pas d'authentification sur une connexion en clair : mettez \[smtp\] tls = starttls ou smtps" \
	"no TLS: AUTH not offered, send fails and says what to change"
t_is "$(ev AUTH):$(smtp_received | wc -l):$(states)" "0:0:failed failed failed" \
	"  no password sent, nothing sent, the mails wait"
smtp_stop

# ---------------------------------------------------------------- failures
# A server that defers the first mail (451): that one fails and waits its
# next try, the others go in the same session; then it goes, once.
smtp_start --defer 1 || { echo "Bail out! aiosmtpd did not start"; exit 1; }
requeue
smtp_conf "$SMTP_PORT" none
mo send --once >out 2>err
t_like "$(cat out)" "^2 envoyé\(s\), 1 en échec" "a 451: that mail fails, the two others are sent"
t_is "$(states):$(ev EHLO)" "failed sent sent:1" "  in the same session"
t_like "$(mo outbox --json | jq -r '.[0] | "\(.tries) \(.last_error)"')" "^1 fin des données : 451 4.7.1 Greylisted" \
	"  with the server's words, one try"
t_like "$(sql "SELECT next_try_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM outbox WHERE id = 1")" "^1$" \
	"  its next try later"
mo send --once >out 2>err
t_is "$(smtp_received | wc -l)" 2 "  not sent again before its next try"
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z' WHERE state = 'failed'"
mo send --once >out 2>err
t_is "$(states):$(smtp_received | wc -l)" "sent sent sent:3" "  at its next try: sent"
t_is "$(received_ids | uniq -d)" "" "  each mail received once"
smtp_stop

# A connection dropped in the middle of the data: failed, the round
# stops there; the next round sends it, with the same Message-ID.
smtp_start --drop 1 || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
requeue
mo send --once >out 2>err
t_like "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.last_error)"')" "^failed .*connexion perdue" \
	"the connection dropped mid-DATA: the mail failed, said"
t_is "$(states):$(ev 'DATA dropped'):$(smtp_received | wc -l)" "failed queued queued:1:0" \
	"  nothing received, the others wait for the next round"
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z' WHERE state = 'failed'"
mo send --once >out 2>err
t_is "$(states):$(smtp_received | wc -l)" "sent sent sent:3" "the next round: the three sent"
t_is "$(received_ids)" "$(sql "SELECT '<' || message_id || '>' FROM outbox ORDER BY 1")" \
	"  each once, with the Message-ID it was queued with"
smtp_stop

# A crash right after the 250, before it is recorded: sent again on the
# next round with the same Message-ID, the only duplicate.
smtp_start || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
requeue
MAILORDER_CRASHPOINT=outbox-sent mo send --once >out 2>err
t_is "$?:$(states):$(smtp_received | wc -l)" "137:queued queued queued:1" \
	"killed after the server took the first mail: nothing recorded"
mo send --once >out 2>err
t_like "$?:$(cat out)" "^0:3 envoyé" "the next round sends the three"
t_is "$(received_ids | uniq -d)" "<$(sql 'SELECT message_id FROM outbox WHERE id = 1')>" \
	"  the first one twice, with the same Message-ID"
t_is "$(smtp_received | wc -l)" 4 "  exactly one duplicate"
smtp_stop

# ---------------------------------------------------------------- pipelining
# With PIPELINING, MAIL FROM, RCPT TO and DATA go together; without, one
# after the other.  Each mail arrives whole either way.
for mode in on off; do
	opt=()
	[ "$mode" = on ] && opt=(--pipelining)
	smtp_start "${opt[@]}" || { echo "Bail out! aiosmtpd did not start"; exit 1; }
	smtp_conf "$SMTP_PORT" none
	requeue
	mo send --once >out 2>err
	t_like "$?:$(cat out)" "^0:3 envoyé" "pipelining $mode: three mails sent"
	if [ "$mode" = on ]; then
		t_is "$(ev 'MAIL pipelined'):$(ev 'MAIL alone')" "3:0" "  each MAIL FROM sent with its RCPT TO and DATA"
	else
		t_is "$(ev 'MAIL pipelined'):$(ev 'MAIL alone')" "0:3" "  each command after the reply to the one before"
	fi
	t_is "$(received_ids)" "$(sql "SELECT '<' || message_id || '>' FROM outbox ORDER BY 1")" \
		"  each received once"
	# the mails as the server took them: the PDFs byte for byte, the
	# encoded headers decoded back, the thread, no Auto-Submitted on a
	# clerk's mail
	"$py" - "$T_DIR/var/archive" $(smtp_received) >mails.txt 2>&1 <<'PY'
import email, email.policy, hashlib, os, sys
archive = sys.argv[1]
filed = {}
for root, _, files in os.walk(archive):
    for f in files:
        filed[f] = hashlib.sha256(open(os.path.join(root, f), "rb").read()).hexdigest()
for path in sorted(sys.argv[2:], key=lambda p: open(p, "rb").read().count(b"_FAC_")):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    atts = list(m.iter_attachments())
    same = all(filed.get(a.get_filename()) == hashlib.sha256(a.get_content()).hexdigest() for a in atts)
    print(m["From"].addresses[0].display_name, "|", m["To"], "|", m["In-Reply-To"], "|",
          m["References"], "|", m["Auto-Submitted"], "|", str(m["Subject"]).split(" ")[0], "|",
          " ".join(a.get_filename().split("_")[1] for a in atts), "|", same)
PY
	t_is "$(LC_ALL=C sort mails.txt)" \
"Sweetie Bio — Épicerie fine | lea@jardins-de-lea.fr | <s62@lea> | <s62@lea> | None | Confirmation | CONF | True
Sweetie Bio — Épicerie fine | lea@jardins-de-lea.fr | <s62@lea> | <s62@lea> | None | Facture | FAC BL | True
Sweetie Bio — Épicerie fine | lea@jardins-de-lea.fr | None | None | None | Confirmation | CONF | True" \
		"  read back: From's name and Subject (RFC 2047) decoded, in reply to the PO (not the copy's), no Auto-Submitted, the PDFs byte for byte"
	smtp_stop
done

# A recipient refused (the bcc) while the server takes the others and
# waits for the data: nobody gets that mail (the connection is cut before
# it), dead with the server's words; the next mail goes through a new one.
smtp_start --pipelining --refuse-rcpt archives@sweetiebio.fr || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
requeue ", bcc = CASE id WHEN 1 THEN 'archives@sweetiebio.fr' END"
mo send --once >out 2>err
t_like "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.last_error)"')" \
	"^dead RCPT TO:<archives@sweetiebio.fr> : 550 5.1.1" "pipelined, the bcc refused: the mail is dead, with the server's words"
t_is "$(states):$(smtp_received | wc -l):$(ev EHLO)" "dead sent sent:2:2" \
	"  nobody received it; the two others sent after a new connection"
t_unlike "$(cat smtp-maildir/new/* | grep -i '^Message-ID')" "$(sql 'SELECT message_id FROM outbox WHERE id = 1')" \
	"  and not the first"
smtp_stop

# ---------------------------------------------------------------- SIZE
# A server that takes 30 000 bytes at most: the invoice's mail (two PDFs)
# is dead before a word about it, the confirmations go.
smtp_start -s 30000 || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
requeue ", bcc = NULL"
inv_size=$(sql "SELECT length(raw) FROM outbox WHERE kind = 'invoice'")
mo send --once >out 2>err
t_like "$(cat out)" "^2 envoyé\(s\), 0 en échec .*, 1 abandonné" "SIZE 30000: two sent, one dead"
t_is "$(mo outbox --json | jq -r '.[1] | "\(.kind) \(.state) \(.last_error)"')" \
	"invoice dead courriel trop gros pour le serveur : $inv_size octets, il en accepte au plus 30000 (SIZE)" \
	"  the invoice's mail, too large, with why in French"
t_is "$(ev MAIL):$(smtp_received | wc -l)" "2:2" "  not a command for it; the two others received"
smtp_stop

# Our own ceiling (35 MB), whatever the server says, even a server down.
requeue "WHERE id = 3"
sql "UPDATE outbox SET raw = zeroblob(36000000) WHERE id = 3"
smtp_conf "$("$TOOLS/freeport")" none
mo send --once >out 2>err
t_is "$?:$(mo outbox --json | jq -r '.[2] | "\(.state) \(.last_error)"')" \
	"0:dead courriel trop gros : 36000000 octets, mailorder n'envoie pas plus de 35 Mo" \
	"over 35 MB: dead before any connection"
t_done
