#!/usr/bin/env bash
# The automatic answers (CONTRACT "Mails we send", RFC 3834) and the
# bounces, through a real Dovecot and a real SMTP server (aiosmtpd):
# an acknowledgment of what was read, a notice for an attachment we could
# not take in; none to a list, an automatic mail, a bounce, our own
# address, a sender forged to be us, a customer who refused them, nor
# beyond the hourly ceiling; one a message, even read twice after a
# crash.  A DSN or an automatic reply to one of our mails marks it
# bounced, and is neither a draft nor a quarantine entry.
. "$(dirname "$0")/lib.sh"
t_init
trap 'smtp_stop; t_cleanup' EXIT
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
MAX_MB=1 mo_config none
printf '\n[outbound]\nmax_auto_replies_per_hour = 2\n' >>mailorder.conf
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3

po() {  # po FILE NUMBER: a small PO of one line
	mkpdf_po "$1" "$2" 25/11/2026 "Bon de commande" "" "BIO-2001|Farine de blé T65 1 kg|2|3,36|6,72"
}
# answers: "kind state to" of each mail in the outbox, one a line
answers() { mo outbox --json | jq -r '.[] | "\(.kind) \(.state) \(.to | join(","))"'; }
poll() { mo poll --once >/dev/null 2>&1; }

# A customer's PO: an acknowledgment; an attachment that is no PDF: a notice.
po p1.pdf LEA-801
mkeml --from "Léa <lea@jardins-de-lea.fr>" --id "<a01@lea>" --subject "Commande LEA-801" \
	--attach p1.pdf LEA-801.pdf application/pdf >a01.eml
printf 'PK\003\004 not really a document' >order.docx
mkeml --from "lea@jardins-de-lea.fr" --id "<a02@lea>" --subject "Commande en Word" \
	--attach order.docx commande.docx application/msword >a02.eml
dove_deliver a01.eml a02.eml
poll
t_is "$(answers)" "acknowledgment queued lea@jardins-de-lea.fr
quarantine_notice queued lea@jardins-de-lea.fr" "a PO: an acknowledgment; a Word file: a notice"
t_is "$(mo outbox --json | jq -r '.[0].order')" "SO0001" "  the acknowledgment names its order"

# None to automatic mail, lists, a mailer-daemon, ourselves, a forged us:
# each from a sender of its own, that nothing else would stop.
n=3
for h in "Auto-Submitted: auto-generated" "Precedence: bulk" "List-Id: <achats.lists.example.com>" \
	"X-Auto-Response-Suppress: All"; do
	po "p$n.pdf" "AUTO-$n"
	mkeml --from "achats$n@client$n.example.com" --id "<a0$n@lea>" --header "$h" \
		--attach "p$n.pdf" "AUTO-$n.pdf" application/pdf >"a0$n.eml"
	dove_deliver "a0$n.eml"
	n=$((n + 1))
done
po p7.pdf DAEMON-7
mkeml --from "MAILER-DAEMON@mx.example.com" --id "<a07@mx>" --attach p7.pdf x.pdf application/pdf >a07.eml
po p8.pdf SELF-8
mkeml --from "Sweetie Bio <contact@sweetiebio.fr>" --id "<a08@forged>" --attach p8.pdf x.pdf application/pdf >a08.eml
mkeml --from "noreply@shop.example.com" --id "<a09@shop>" --attach order.docx a.docx application/msword >a09.eml
dove_deliver a07.eml a08.eml a09.eml
mo poll --once -v >out 2>&1
t_is "$(mo drafts --json | jq -r 'length')" 7 "the automatic mails' orders are drafts all the same"
t_is "$(answers | wc -l)" 2 "  but none of them is answered"
t_is "$(grep -c 'pas de réponse automatique : message automatique (Auto-Submitted)' out):$(grep -c 'message automatique (Precedence)' out):$(grep -c 'message automatique (List-Id' out):$(grep -c 'message automatique (X-Auto-Response-Suppress)' out)" \
	"1:1:1:1" "  each for what it is: Auto-Submitted, Precedence, List-Id, X-Auto-Response-Suppress"
t_like "$(cat out)" "M0007 : pas de réponse automatique : message automatique \(expéditeur automatique" "  a mailer-daemon"
t_like "$(cat out)" "M0008 : pas de réponse automatique : contact@sweetiebio.fr est notre propre adresse" "  a sender forged to be us"
mo quarantine --json >q.json
t_is "$(jq -r '[.[] | select(.message_id == "<a09@shop>")] | length' q.json)" 1 "  a no-reply's Word file is in the quarantine, unanswered"

# A plain message with no attachment, or with the logo of its signature
# (multipart/related, as Outlook writes it): for a clerk, no notice.
mkeml --from "lea@jardins-de-lea.fr" --id "<a10@lea>" --body "Pouvez-vous me rappeler ?" >a10.eml
printf '\211PNG\r\n\032\n not really a picture' >logo.png
{
	printf 'From: contact@bio-et-vrac.fr\r\nTo: commandes@sweetiebio.fr\r\nSubject: Question\r\n'
	printf 'Message-ID: <a16@vrac>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="R"\r\n\r\n'
	printf -- '--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Livrez-vous le samedi ?</p><img src="cid:logo">\r\n'
	printf -- '--R\r\nContent-Type: image/png; name="image001.png"\r\nContent-ID: <logo>\r\n'
	printf 'Content-Disposition: inline; filename="image001.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
	base64 logo.png; printf -- '--R--\r\n'
} >a16.eml
dove_deliver a10.eml a16.eml
poll
t_is "$(answers | wc -l)" 2 "a message without attachment, or with its signature's logo: no notice"
t_is "$(mo quarantine --json | jq -r '[.[] | select(.message_id == "<a10@lea>" or .message_id == "<a16@vrac>") | .reason] | join(" ")')" \
	"no_order_document no_order_document" "  both in the quarantine, for a clerk"

# The hourly ceiling (2 here): Lea had two already; a third is not sent.
po p11.pdf LEA-811
mkeml --from "lea@jardins-de-lea.fr" --id "<a11@lea>" --attach p11.pdf LEA-811.pdf application/pdf >a11.eml
dove_deliver a11.eml
mo poll --once -v >out 2>&1
t_is "$(answers | wc -l)" 2 "at most max_auto_replies_per_hour answers to one address an hour"
t_like "$(cat out)" "déjà 2 réponse\(s\) automatique\(s\) à lea@jardins-de-lea.fr" "  the log says why"

# A customer who refused them.
mo customer edit CLI103 --acknowledge non >/dev/null 2>&1
t_like "$(mo customer show CLI103)" "Accusés de réception automatiques.*non" "customer edit --acknowledge non: shown"
mo customer edit CLI103 --acknowledge peut-être >out 2>err
t_like "$?:$(cat err)" "^1:.*oui ou non" "  a value other than oui or non is refused"
po p12.pdf VRAC-12
mkeml --from "contact@bio-et-vrac.fr" --id "<a12@vrac>" --attach p12.pdf V.pdf application/pdf >a12.eml
po p13.pdf EPI-13
mkeml --from "commandes@epicerie-du-marche.fr" --id "<a13@epi>" --attach p13.pdf E.pdf application/pdf >a13.eml
dove_deliver a12.eml a13.eml
poll
t_is "$(answers | sed -n '3,$p')" "acknowledgment queued commandes@epicerie-du-marche.fr" \
	"a customer who refused them gets none; another does"

# A crash after the answer was written, before the commit: read again,
# one answer still.
po p14.pdf EPI-14
mkeml --from "compta@epicerie-du-marche.fr" --id "<a14@epi>" --attach p14.pdf E14.pdf application/pdf >a14.eml
dove_deliver a14.eml
MAILORDER_CRASHPOINT=intake-before-commit mo poll --once >/dev/null 2>&1
poll
t_is "$(sql "SELECT count(*) FROM outbox o JOIN messages m ON m.id = o.message_ref WHERE m.message_id = 'a14@epi'")" 1 \
	"killed before the commit, read again: one acknowledgment"
t_ok "  the database refuses a second answer to one message" \
	bash -c "! sqlite3 var/mailorder.db \"INSERT INTO outbox (state, kind, message_ref, recipients, envelope_from, subject, message_id, raw, queued_at) SELECT 'queued', 'acknowledgment', message_ref, recipients, envelope_from, subject, 'x@y', raw, queued_at FROM outbox WHERE kind = 'acknowledgment' LIMIT 1\" 2>/dev/null"

# A PDF above max_attachment_mb (1 here) from a customer: a notice; from
# a sender the customer file does not know: none (it may be forged).
{ printf '%%PDF-1.4\n'; head -c 1300000 /dev/urandom | base64; } >big.pdf
mkeml --from "compta@epicerie-du-marche.fr" --id "<a15@epi>" --attach big.pdf "Bon de commande.pdf" application/pdf >a15.eml
mkeml --from "achats@nouveau-client.fr" --id "<a17@new>" --attach order.docx a.docx application/msword >a17.eml
dove_deliver a15.eml a17.eml
mo poll --once -v >out 2>&1
t_is "$(answers | tail -1)" "quarantine_notice queued compta@epicerie-du-marche.fr" "a PDF too large, from a customer: a notice"
t_like "$(cat out)" "achats@nouveau-client.fr n'est pas au fichier clients : pas d'avis" "  a Word file from a stranger: no notice"

# Everything queued goes to the SMTP server; read back.
smtp_start || { echo "Bail out! aiosmtpd did not start"; exit 1; }
printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\nfrom = Sweetie Bio <commandes@sweetiebio.fr>\n' "$SMTP_PORT" >>mailorder.conf
mo send --once >out 2>&1
t_like "$(cat out)" "^5 envoyé" "send: the five answers sent"
"$py" - $(smtp_received) >mails.txt 2>&1 <<'PY'
import email, email.policy, sys
for f in sys.argv[1:]:
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    body = m.get_body(("plain",)).get_content()
    print(m["To"], "|", m["Auto-Submitted"], "|", m["In-Reply-To"], "|", m["Subject"], "|",
          len(list(m.iter_attachments())), "|", " ".join(body.split()))
PY
t_like "$(grep '<a01@lea>' mails.txt)" "^lea@jardins-de-lea.fr \| auto-replied \| <a01@lea> \| Accusé de réception de votre commande — notre n° SO0001 \| 0 \|" \
	"the acknowledgment arrives: Auto-Submitted, In-Reply-To, its subject decoded"
t_like "$(grep '<a01@lea>' mails.txt)" "Notre commande n° SO0001, votre bon de commande n° LEA-801 du 25/11/2026.*1\. BIO-2001 — Farine de blé T65 1 kg : 2 × 3,36 € HT = 6,72 € HT.*en cours de traitement" \
	"  it gives our number, their PO number, the lines, and that it is being processed"
t_like "$(grep '<a02@lea>' mails.txt)" "auto-replied \| <a02@lea> \| Votre message du [0-9/]* : nous n'avons pas pu lire votre commande \| 0 \|.*au format PDF" \
	"the notice arrives: please resend as PDF"
t_like "$(grep '<a15@epi>' mails.txt)" "« Bon de commande.pdf » est trop volumineux \(nous acceptons 1 Mo au plus\)" \
	"  and the one for a PDF too large says so, with the ceiling"

# A bounce of our acknowledgment (RFC 3464, the original's headers
# returned): the mail is bounced, with the status and the server's words.
ack_id=$(mo outbox --json | jq -r '.[0].message_id')
{
	printf 'From: Mail Delivery System <MAILER-DAEMON@mx.jardins-de-lea.fr>\r\nTo: commandes@sweetiebio.fr\r\n'
	printf 'Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b01@mx>\r\nAuto-Submitted: auto-replied\r\n'
	printf 'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
	printf -- '--B\r\nContent-Type: text/plain\r\n\r\nI am sorry to have to inform you that your message could not be delivered.\r\n'
	printf -- '--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.jardins-de-lea.fr\r\n\r\n'
	printf 'Final-Recipient: rfc822; lea@jardins-de-lea.fr\r\nAction: failed\r\nStatus: 5.1.1\r\n'
	printf 'Diagnostic-Code: smtp; 550 5.1.1 <lea@jardins-de-lea.fr>: Recipient address rejected\r\n\r\n'
	printf -- '--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: commandes@sweetiebio.fr\r\nMessage-ID: %s\r\nSubject: x\r\n\r\n' "$ack_id"
	printf -- '--B--\r\n'
} >b01.eml
# An out-of-office reply to the notice.
notice_id=$(mo outbox --json | jq -r '.[1].message_id')
mkeml --from "lea@jardins-de-lea.fr" --id "<b02@lea>" --subject "Absente jusqu'au 4 janvier" \
	--header "Auto-Submitted: auto-replied" --header "In-Reply-To: $notice_id" \
	--body "Je suis absente." >b02.eml
# A person who answers our acknowledgment with a new PO: an order, not a bounce.
po p15.pdf EPI-15
mkeml --from "commandes@epicerie-du-marche.fr" --id "<b03@epi>" \
	--header "In-Reply-To: $(mo outbox --json | jq -r '.[2].message_id')" \
	--attach p15.pdf E15.pdf application/pdf >b03.eml
# A DSN about a mail that is not ours: kept in the quarantine, unanswered.
sed 's/^Message-ID: <[^>]*@sweetiebio.fr>/Message-ID: <someone-else@example.com>/; s/<b01@mx>/<b04@mx>/' b01.eml >b04.eml
dove_deliver b01.eml b02.eml b03.eml b04.eml
poll
t_is "$(mo outbox --json | jq -r '.[0] | "\(.state) | \(.last_error)"')" \
	"bounced | non remis : 5.1.1 ; smtp; 550 5.1.1 <lea@jardins-de-lea.fr>: Recipient address rejected" \
	"a DSN for our acknowledgment: bounced, with the status and the server's words"
t_is "$(mo outbox --json | jq -r '.[1] | "\(.state) | \(.last_error)"')" \
	"bounced | réponse automatique : « Absente jusqu'au 4 janvier »" "an automatic reply to our notice: bounced, with its subject"
mo quarantine --json >q.json
t_is "$(jq -r '[.[] | select(.message_id == "<b01@mx>" or .message_id == "<b02@lea>")] | length' q.json)" 0 \
	"  neither is in the quarantine"
t_is "$(mo drafts --json | jq -r '[.[] | select(.source.message_id == "<b01@mx>" or .source.message_id == "<b02@lea>")] | length')" 0 \
	"  nor a draft"
t_is "$(sql "SELECT state FROM messages WHERE message_id IN ('b01@mx', 'b02@lea')" | sort -u)" "done" "  both messages done"
t_is "$(mo drafts --json | jq -r '[.[] | select(.source.message_id == "<b03@epi>")] | length')" 1 \
	"a person's reply to our mail with a PO: a draft"
t_is "$(jq -r '.[] | select(.message_id == "<b04@mx>") | .reason' q.json)" "no_order_document" \
	"a DSN about a mail not ours: in the quarantine"
t_is "$(answers | grep -c 'mx\|b04')" 0 "  and no answer to it"

# What is not a bounce: a customer who forwards a DSN with a new PO (a
# draft, and our mail stays sent); a person's reply through a list, with
# no PDF (for a clerk); a DSN for another recipient than the customer's
# (the copy in bcc): the mail stays sent.
conf_id=$(mo outbox --json | jq -r '.[2].message_id')
{
	printf 'From: commandes@epicerie-du-marche.fr\r\nTo: commandes@sweetiebio.fr\r\nSubject: TR: Undelivered Mail\r\n'
	printf 'Message-ID: <c01@epi>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="F"\r\n\r\n'
	printf -- '--F\r\nContent-Type: text/plain\r\n\r\nVoici le retour, et notre nouvelle commande.\r\n'
	printf -- '--F\r\nContent-Type: message/rfc822\r\n\r\n'
	cat b01.eml
	printf -- '\r\n--F\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n'
	printf 'Content-Disposition: attachment; filename="EPI-16.pdf"\r\n\r\n'
	po p16.pdf EPI-16 && base64 p16.pdf
	printf -- '--F--\r\n'
} >c01.eml
mkeml --from "lea@jardins-de-lea.fr" --id "<c02@lea>" --header "List-Id: <clients.sweetiebio.fr>" \
	--header "In-Reply-To: $conf_id" --body "Merci !" >c02.eml
sed 's/^Final-Recipient: rfc822; lea@jardins-de-lea.fr/Final-Recipient: rfc822; copie@sweetiebio.fr/; s/<b01@mx>/<c03@mx>/; s/^Message-ID: <[^>]*@sweetiebio.fr>/Message-ID: '"$conf_id"'/' b01.eml >c03.eml
dove_deliver c01.eml c02.eml c03.eml
mo poll --once -v >out 2>&1
t_is "$(mo drafts --json | jq -r '[.[] | select(.source.message_id == "<c01@epi>")] | length')" 1 \
	"a customer forwards a DSN with a new PO: a draft, not a bounce"
t_is "$(mo quarantine --json | jq -r '.[] | select(.message_id == "<c02@lea>") | .reason')" "no_order_document" \
	"a person's reply through a list, no PDF: in the quarantine, not a bounce"
t_is "$(mo outbox --json | jq -r '.[2].state')" "sent" "  our mail it answers stays sent"
t_like "$(cat out)" "revient sur notre courriel 3 : non remis à copie@sweetiebio.fr, pas au client" \
	"a DSN for the copy, not the customer: said, and the mail stays sent"

# One of our own mails back in the order mailbox (a bcc to it, a
# customer's forwarding), its PDF with it: neither an order nor answered.
mo validate SO0001 --accept-warnings >/dev/null 2>&1
mo send --once >/dev/null 2>&1
own=$(grep -l "_CONF_SO0001_" $(smtp_received) | head -1)
drafts_before=$(mo drafts --json | jq length)
answers_before=$(answers | wc -l)
dove_deliver "$own"
mo poll --once -v >out 2>&1
t_like "$(cat out)" "notre propre courriel [0-9]+ revenu dans la boîte" "our own confirmation come back: recognised"
t_is "$(mo drafts --json | jq length):$(answers | wc -l)" "$drafts_before:$answers_before" "  no draft from its CONF, no answer"

# Reply-To: where the sender wants answers.  A person's: the
# acknowledgment goes there; an ERP's no-reply sender: no acknowledgment
# (an automatic sender), but the confirmation goes to its Reply-To.
po p17.pdf ERP-17
mkeml --from "noreply@erp.bio-et-vrac.fr" --header "Reply-To: Achats <Achats@bio-et-vrac.fr>" \
	--id "<d01@erp>" --attach p17.pdf ERP-17.pdf application/pdf >d01.eml
po p18.pdf EPI-18
mkeml --from "Paul <paul.perso@gmail.example>" --header "Reply-To: achats2@epicerie-du-marche.fr" \
	--id "<d02@epi>" --attach p18.pdf EPI-18.pdf application/pdf >d02.eml
dove_deliver d01.eml d02.eml
poll
t_is "$(mo outbox --json | jq -r '[.[] | select(.kind == "acknowledgment") | .to[0]] | last')" \
	"achats2@epicerie-du-marche.fr" "a person's Reply-To: the acknowledgment goes there"
erp=$(mo drafts --json | jq -r '.[] | select(.source.message_id == "<d01@erp>") | .number')
t_is "$(mo outbox --json | jq -r '[.[] | select(.order == "'"$erp"'")] | length')" 0 "  an ERP's no-reply sender: no acknowledgment"
mo correct "$erp" --customer CLI103 >/dev/null 2>&1
mo validate "$erp" --accept-warnings >/dev/null 2>&1
t_is "$(mo outbox --json | jq -r '.[-1] | "\(.kind) \(.to[0])"')" "confirmation achats@bio-et-vrac.fr" \
	"  its confirmation goes to its Reply-To, not to the no-reply address"

# reject --notify: the customer is told why, in reply to the PO.
mo reject SO0002 --reason "Ce produit n'est plus vendu au détail." --notify >out 2>&1
t_like "$?:$(tail -1 out)" "^0:courriel au client préparé" "reject --notify queues a mail"
t_is "$(mo outbox --json | jq -r '.[-1] | "\(.kind) \(.order) \(.to[0])"')" "rejection SO0002 achats3@client3.example.com" \
	"  a rejection, about the order, to the address it came from"
sql "SELECT writefile('rej.eml', raw) FROM outbox WHERE kind = 'rejection'" >/dev/null
"$py" - >rej.txt 2>&1 <<'PY'
import email, email.policy
m = email.message_from_binary_file(open("rej.eml", "rb"), policy=email.policy.default)
print(m["In-Reply-To"], "|", m["Subject"], "|", " ".join(m.get_body(("plain",)).get_content().split()))
PY
t_like "$(cat rej.txt)" "^<a03@lea> \| Votre commande AUTO-3 n'est pas enregistrée \|.*Ce produit n'est plus vendu au détail\." \
	"  its text gives the reason"
mo reject SO0003 --reason "doublon" >out 2>&1
t_is "$(mo outbox --json | jq -r '[.[] | select(.kind == "rejection")] | length')" 1 "reject without --notify: no mail"
t_done
