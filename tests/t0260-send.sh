#!/usr/bin/env bash
# Sending the outbox to a real SMTP server (Debian's aiosmtpd) on
# loopback: the confirmation arrives whole, its PDF byte for byte; sent
# once; a server that refuses (5xx: no such recipient), one that is down,
# one whose certificate is not trusted: the right state each time, nothing
# sent twice (more in t0262-smtp.sh).
. "$(dirname "$0")/lib.sh"
t_init
trap 'smtp_stop; t_cleanup' EXIT
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
mo_config none
# this test follows the confirmation; the acknowledgments have t0265
printf '\n[outbound]\nacknowledge = no\n' >>mailorder.conf
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3

mkpdf_po po.pdf LEA-700 25/11/2026 "Bon de commande" "" "BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72"
mkeml --from "lea@jardins-de-lea.fr" --id "<s01@lea>" --attach po.pdf LEA-700.pdf application/pdf >s01.eml
dove_deliver s01.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >/dev/null 2>&1
mo validate SO0001 --accept-warnings >out 2>&1
conf=$(sed -n 's/^confirmation : //p' out)
t_is "$(mo outbox --json | jq -r '.[0].state')" "queued" "validate queued the confirmation"

smtp_conf() {  # smtp_conf PORT TLS [CA]
	sed -i '/^\[smtp\]/,$d' mailorder.conf
	printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\ntls = %s\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' \
		"$1" "$2" >>mailorder.conf
	[ -n "${3:-}" ] && printf 'ca_file = %s\n' "$3" >>mailorder.conf
	return 0
}

# Without [smtp]: said before anything.
mo send --once >out 2>err
t_like "$?:$(cat err)" "^2:.*pas de section \[smtp\]" "send without [smtp]: a config error"

# A server that is down: failed, a try counted, a next try set.
down=$("$TOOLS/freeport")
smtp_conf "$down" none
mo send --once >out 2>err
t_is "$?" 1 "the server is down: send fails"
t_is "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.tries)"')" "failed 1" "  the mail failed, one try"
t_like "$(mo outbox --json | jq -r '.[0].last_error')" "connexion" "  with why"
mo send --once >out 2>err
t_is "$(mo outbox --json | jq -r '.[0].tries')" 1 "  not tried again before its next try"

# Given up on by age, as mail servers do, not by a count of tries: a relay
# down for a night loses nothing.  Tried 12 times but queued an hour ago:
# tried again, and 6 hours later at most.
now_plus() { sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '$1')"; }
sql "UPDATE outbox SET tries = 12, next_try_at = '2000-01-01T00:00:00Z', queued_at = '$(now_plus '-1 hours')'"
mo send --once >out 2>err
t_is "$?:$(mo outbox --json | jq -r '.[0] | "\(.state) \(.tries)"')" "1:failed 13" \
	"13 tries, queued an hour ago: failed, not dead"
t_is "$(sql "SELECT next_try_at > '$(now_plus '+359 minutes')' AND next_try_at <= '$(now_plus '+361 minutes')' FROM outbox")" 1 \
	"  its next try in 6 hours, the longest wait"
# Near the end, the last try falls at 48 hours, not up to 6 hours after.
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z', queued_at = '$(now_plus '-47 hours')'"
mo send --once >out 2>err
t_is "$(sql "SELECT state || ' ' || (next_try_at = strftime('%Y-%m-%dT%H:%M:%SZ', queued_at, '+48 hours')) FROM outbox")" \
	"failed 1" "queued 47 hours ago: failed, its last try when it is 48 hours old"
# Still not sent 48 hours after it was queued: its next failure is its end,
# said in French with the last error.
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z', queued_at = '$(now_plus '-49 hours')'"
mo send --once >out 2>err
t_like "$?:$(cat err)" "^1:.*courriel 1 .*: abandonné : pas envoyé en 48 heures ; dernière erreur : SMTP " \
	"queued 49 hours ago, the server still down: given up on, said in the log"
t_like "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.tries) \(.last_error)"')" \
	"^dead 15 abandonné : pas envoyé en 48 heures ; dernière erreur : SMTP 127\.0\.0\.1:$down : connexion" \
	"  dead, saying why, with the last error"
mo send --once >out 2>err
t_is "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.tries)"')" "dead 15" "  and not tried again"
sql "UPDATE outbox SET state = 'failed', tries = 1, last_error = NULL, queued_at = '$(now_plus '+0 seconds')'"
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z'"

# A server that refuses it for good (550, no such recipient): dead at once.
smtp_start --refuse-rcpt lea@jardins-de-lea.fr || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
mo send --once >out 2>err
t_like "$(cat out)" "0 envoyé\(s\), 0 en échec .*, 1 abandonné" "a 5xx: the mail is dead at once"
t_like "$(mo outbox --json | jq -r '.[0] | "\(.state) \(.last_error)"')" "^dead RCPT TO:<lea@jardins-de-lea.fr> : 550 " \
	"  with the server's words"
t_is "$(smtp_received | wc -l)" 0 "  and nothing was received"
smtp_stop

# A server that takes it: sent, received whole.
sql "UPDATE outbox SET state = 'queued', next_try_at = NULL"
smtp_start || { echo "Bail out! aiosmtpd did not start"; exit 1; }
smtp_conf "$SMTP_PORT" none
mo send --once >out 2>err
t_like "$?:$(cat out)" "^0:1 envoyé" "send --once: one mail sent"
t_is "$(mo outbox --json | jq -r '.[0].state')" "sent" "  marked sent"
t_is "$(smtp_received | wc -l)" 1 "  and received by the server"
"$py" - "$(smtp_received | head -1)" "$conf" >mail.txt 2>&1 <<'PY'
import email, email.policy, hashlib, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
att = list(m.iter_attachments())
print(m["To"], "|", m["In-Reply-To"], "|", att[0].get_filename(), "|",
      hashlib.sha256(att[0].get_content()).hexdigest() == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest())
PY
t_is "$(cat mail.txt)" "lea@jardins-de-lea.fr | <s01@lea> | $(basename "$conf") | True" \
	"the mail arrives to the customer, in reply to the PO, the CONF byte for byte"
mo send --once >out 2>err
t_is "$(smtp_received | wc -l)" 1 "sent once: a second send sends nothing"
smtp_stop

# STARTTLS: a certificate we trust (ca_file) is taken; one we do not, refused.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout smtp-key.pem -out smtp-cert.pem >/dev/null 2>&1
mo copy SO0001 >/dev/null 2>&1
mo validate SO0002 --accept-warnings >/dev/null 2>&1
smtp_start --tlscert smtp-cert.pem --tlskey smtp-key.pem || { echo "Bail out! aiosmtpd (TLS) did not start"; exit 1; }
smtp_conf "$SMTP_PORT" starttls
mo send --once >out 2>err
t_like "$(mo outbox --state failed --json | jq -r '.[0].last_error')" "certificat|certificate" \
	"STARTTLS to a certificate not trusted: refused, said"
t_is "$(smtp_received | wc -l)" 1 "  nothing sent"
sql "UPDATE outbox SET next_try_at = '2000-01-01T00:00:00Z' WHERE state = 'failed'"
smtp_conf "$SMTP_PORT" starttls "$T_DIR/smtp-cert.pem"
mo send --once >out 2>err
t_like "$?:$(cat out)" "^0:1 envoyé" "STARTTLS with the CA in ca_file: sent"
t_is "$(smtp_received | wc -l)" 2 "  received"
t_done
