#!/usr/bin/env bash
# Intake through a real Dovecot: every MIME shape and quarantine reason,
# files named by the contract, repeated polls adding nothing.
. "$(dirname "$0")/lib.sh"
t_init
dove_start || { echo "Bail out! Dovecot did not start"; exit 1; }
MAX_MB=1 mo_config none
mo_init_catalog || { echo "Bail out! init failed"; exit 1; }

mkpdf_order a.pdf "Bon de commande A-1"
mkpdf_order b.pdf "Bon de commande B-2"
mkpdf_order c.pdf "Bon de commande C-3"
mkpdf_order d.pdf "Bon de commande D-4"
mkpdf_order e.pdf "Bon de commande E-5"
mkpdf_order f.pdf "Bon de commande F-6"
mkpdf_order h.pdf "Bon de commande H-8"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82' >logo.png
{ printf '%%PDF-1.4\n'; head -c 1500000 /dev/urandom; } >big.pdf

M=messages; mkdir -p $M
mkeml --from "Anne Roux <commandes@epicerie-du-marche.fr>" --subject "Commande A-1" --id "<m01@epicerie>" \
	--body "Bonjour, ci-joint notre commande." --attach a.pdf "A-1.pdf" application/pdf >$M/m01.eml
mkeml --from "inconnu@nouveau-client.fr" --subject "Première commande" --id "<m02@nouveau>" \
	--attach b.pdf "commande.pdf" application/pdf >$M/m02.eml
mkeml --from "lea@jardins-de-lea.fr" --subject "Re: commande" --id "<m03@lea>" \
	--attach logo.png "Commande Léa.pdf" application/pdf >$M/m03.eml
mkeml --from "contact@bio-et-vrac.fr" --subject "Question" --id "<m04@vrac>" \
	--body "Livrez-vous le samedi ?" >$M/m04.eml
mkeml --from "commandes@epicerie-du-marche.fr" --subject "RE: Commande A-1" --id "<m05@epicerie>" \
	--attach a.pdf "A-1.pdf" application/pdf >$M/m05.eml
mkeml --from "contact@bio-et-vrac.fr" --subject "scan" --id "<m06@vrac>" \
	--inline c.pdf application/octet-stream >$M/m06.eml
# RFC 2231 file name and RFC 2047 subject, as a French mail client writes them
{
	printf 'From: =?utf-8?q?L=C3=A9a?= Martin <lea@jardins-de-lea.fr>\r\n'
	printf 'Subject: =?utf-8?b?Q29tbWFuZGUgbsKwNDcg4oCTIHLDqWFzc29ydA==?=\r\n'
	printf 'Message-ID: <m07@lea>\r\nDate: Sat, 21 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/mixed; boundary="B7"\r\n\r\n'
	printf -- '--B7\r\nContent-Type: multipart/alternative; boundary="A7"\r\n\r\n'
	printf -- '--A7\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n'
	printf -- '--A7\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bonjour</p>\r\n--A7--\r\n'
	printf -- '--B7\r\nContent-Type: application/pdf;\r\n name*0*=utf-8'"''"'Bon%%20de%%20commande%%20n%%C2%%B047;\r\n name*1*=%%20%%E2%%80%%93%%20L%%C3%%A9a.pdf\r\n'
	printf 'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n'
	printf " filename*0*=utf-8''Bon%%20de%%20commande%%20n%%C2%%B047;\r\n filename*1*=%%20%%E2%%80%%93%%20L%%C3%%A9a.pdf\r\n\r\n"
	base64 -w 76 d.pdf | sed 's/$/\r/'
	printf -- '--B7--\r\n'
} >$M/m07.eml
# A colleague forwards the customer's mail as message/rfc822
{
	printf 'From: Julie <julie@sweetiebio.fr>\r\nSubject: TR: commande\r\nMessage-ID: <m08@sweetiebio>\r\n'
	printf 'Date: Sat, 21 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="F8"\r\n\r\n'
	printf -- '--F8\r\nContent-Type: text/plain\r\n\r\nvoir ci-dessous\r\n'
	printf -- '--F8\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n'
	mkeml --from "lea@jardins-de-lea.fr" --subject "Commande" --id "<m08-inner@lea>" --attach e.pdf "E-5.pdf" application/pdf
	printf -- '--F8--\r\n'
} >$M/m08.eml
mkeml --from "commandes@epicerie-du-marche.fr" --subject "Deux commandes" --id "<m09@epicerie>" \
	--attach h.pdf "H-8.pdf" application/pdf --attach f.pdf "F-6.pdf" application/pdf >$M/m09.eml
mkeml --from "commandes@epicerie-du-marche.fr" --subject "gros fichier" --id "<m10@epicerie>" \
	--attach big.pdf "gros.pdf" application/pdf >$M/m10.eml
mkpdf_order g.pdf "Bon de commande G-7"
mkeml --from "contact@bio-et-vrac.fr" --subject "qp" --id "<m11@vrac>" --qp g.pdf "G-7.pdf" application/pdf >$M/m11.eml
mkeml --from "contact@bio-et-vrac.fr" --subject "logo" --id "<m12@vrac>" --attach logo.png "logo.png" image/png >$M/m12.eml
printf 'size 14\ntext 50 60 Commande secrète\n' | "$TOOLS/mkpdf" --password s3cret locked.pdf
{ printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog'; head -c 3000 /dev/urandom | base64; } >broken.pdf
mkeml --from "commandes@epicerie-du-marche.fr" --subject "protégé" --id "<m13@epicerie>" \
	--attach locked.pdf "locked.pdf" application/pdf >$M/m13.eml
mkeml --from "commandes@epicerie-du-marche.fr" --subject "abîmé" --id "<m14@epicerie>" \
	--attach broken.pdf "broken.pdf" application/pdf >$M/m14.eml
head -c 3300000 /dev/urandom >huge.bin
mkeml --from "commandes@epicerie-du-marche.fr" --subject "énorme" --id "<m15@epicerie>" \
	--attach huge.bin "archives.zip" application/zip >$M/m15.eml
mkeml --from "contact@bio-et-vrac.fr" --subject "format" --id "<m16@vrac>" \
	--body "Pouvez-vous lire un fichier %PDF-1.4 si je l'envoie ?" >$M/m16.eml
# A scan: a page with no text layer and no form field (a drawing only).
printf 'line 40 40 500 700\nline 40 700 500 40\n' | "$TOOLS/mkpdf" scan.pdf
mkeml --from "contact@bio-et-vrac.fr" --subject "scan commande" --id "<m17@vrac>" \
	--attach scan.pdf "SCAN_0001.pdf" application/pdf >$M/m17.eml
dove_deliver $M/m*.eml || { echo "Bail out! delivery failed"; exit 1; }

mo poll --once >poll1.out 2>poll1.err
t_is "$?" 0 "first poll succeeds"
mo drafts --json >d1.json
mo quarantine --json >q1.json
t_ok "drafts --json is JSON" jq -e 'type == "array"' d1.json
t_ok "quarantine --json is JSON" jq -e 'type == "array"' q1.json

drafts_of() { jq -r --arg m "$1" '[.[] | select(.source.message_id == $m) | .number] | join(" ")' d1.json; }
reasons_of() { jq -r --arg m "$1" '[.[] | select(.message_id == $m) | .reason] | join(" ")' q1.json; }

t_is "$(drafts_of '<m01@epicerie>')" "SO0001" "m01: a plain PDF attachment gives a draft"
t_is "$(jq -r '.[0].customer.ref' d1.json)" "CLI101" "m01: its customer, from the sender"
t_is "$(jq -r '.[0].source.file' d1.json)" "var/archive/2026/11/epicerie-du-marche_BC_SO0001_20-11-2026.pdf" \
	"m01: filed under the contract's name"
t_ok "m01: the filed file is there" test -f "var/archive/2026/11/epicerie-du-marche_BC_SO0001_20-11-2026.pdf"
t_is "$(jq -r '.[0].source.sha256' d1.json)" "$(sha256sum a.pdf | cut -d' ' -f1)" "m01: sha256 of the attachment"
t_is "$(cmp -s a.pdf var/archive/2026/11/epicerie-du-marche_BC_SO0001_20-11-2026.pdf && echo same)" "same" \
	"m01: filed bytes are the attachment's"
t_is "$(jq -r '.[0].lines | map(.product_ref + " " + .qty) | join(",")' d1.json)" "BIO-2001 12" \
	"m01: its line is read (the generic reader) and matched to our catalogue by description"
t_is "$(jq -r '.[0].checks | map(select(.severity != "info") | .code) | join(",")' d1.json)" "" \
	"m01: a known customer, a known product: nothing to check"
t_is "$(jq -r '.[0].checks | map(select(.severity == "info") | .code) | join(",")' d1.json)" "generic_reader" \
	"m01: the clerk is told no rule read it: the generic reader did"
t_is "$(jq -r '.[0].total_ht + " " + .[0].total_ttc' d1.json)" "0.00 0.00" "m01: totals are decimal strings"

n2=$(drafts_of '<m02@nouveau>')
t_like "$n2" "^SO[0-9]{4}$" "m02: an unknown sender still gives a draft"
t_is "$(jq -r --arg n "$n2" '.[] | select(.number == $n) | .customer' d1.json)" "null" "m02: customer is null"
t_like "$(jq -r --arg n "$n2" '.[] | select(.number == $n) | .checks | map(.code) | join(",")' d1.json)" \
	"unknown_customer" "m02: with the unknown_customer check"
t_like "$(jq -r --arg n "$n2" '.[] | select(.number == $n) | .source.file' d1.json)" "/inconnu_BC_$n2" \
	"m02: filed as inconnu"

t_is "$(reasons_of '<m03@lea>')" "not_pdf" "m03: PNG bytes named .pdf are not_pdf"
t_is "$(jq -r '.[] | select(.message_id == "<m03@lea>") | .attachment' q1.json)" "Commande Léa.pdf" \
	"m03: the attachment's name is given"
t_like "$(jq -r '.[] | select(.message_id == "<m03@lea>") | .detail' q1.json)" "image/png" "m03: the detail says what it is"
t_is "$(drafts_of '<m03@lea>')" "" "m03: and gives no draft"

t_is "$(reasons_of '<m04@vrac>')" "no_order_document" "m04: a question without attachment"
t_is "$(jq -r '.[] | select(.message_id == "<m04@vrac>") | .attachment' q1.json)" "null" \
	"m04: the entry is for the whole message"
t_like "$(jq -r '.[] | select(.message_id == "<m04@vrac>") | .file' q1.json)" "^var/archive/2026/11/bio-vrac_EML_M[0-9]{4}_" \
	"m04: it points at the archived message"

t_is "$(reasons_of '<m05@epicerie>')" "duplicate" "m05: the same PDF again is a duplicate"
t_is "$(jq -r '.[] | select(.message_id == "<m05@epicerie>") | .duplicate_of' q1.json)" "SO0001" \
	"m05: naming the order first taken in"
t_like "$(jq -r '.[] | select(.message_id == "<m05@epicerie>") | .detail' q1.json)" \
	"SO0001 \(message M0001, reçu le [0-9]{2}/[0-9]{2}/20[0-9]{2}\)" "m05: the detail names the first message and its day"

t_like "$(drafts_of '<m06@vrac>')" "^SO" "m06: an inline PDF with no name, declared octet-stream, is found"
t_like "$(drafts_of '<m07@lea>')" "^SO" "m07: RFC 2231 attachment in multipart/alternative+mixed"
t_is "$(jq -r '.[] | select(.source.message_id == "<m07@lea>") | .source.attachment' d1.json)" \
	"Bon de commande n°47 – Léa.pdf" "m07: its RFC 2231 name decoded"
t_is "$(jq -r '.[] | select(.source.message_id == "<m07@lea>") | .source.subject' d1.json)" \
	"Commande n°47 – réassort" "m07: its RFC 2047 subject decoded"
t_is "$(jq -r '.[] | select(.source.message_id == "<m08@sweetiebio>") | .customer.ref' d1.json)" "CLI102" \
	"m08: a forwarded message: the draft is for the original sender"
t_is "$(drafts_of '<m09@epicerie>' | wc -w)" "2" "m09: two PDFs, two drafts"
t_is "$(reasons_of '<m10@epicerie>')" "too_large" "m10: over max_attachment_mb is too_large"
t_is "$(jq -r '.[] | select(.message_id == "<m10@epicerie>") | .sha256' q1.json)" "$(sha256sum big.pdf | cut -d' ' -f1)" \
	"m10: with the attachment's sha256"
t_like "$(drafts_of '<m11@vrac>')" "^SO" "m11: a quoted-printable PDF"
t_is "$(cmp -s g.pdf "var/archive/$(jq -r '.[] | select(.source.message_id == "<m11@vrac>") | .source.file' d1.json | sed 's|^var/archive/||')" && echo same)" \
	"same" "m11: decoded byte for byte"
t_is "$(reasons_of '<m12@vrac>')" "no_order_document" "m12: only a logo: no order document"
t_like "$(jq -r '.[] | select(.message_id == "<m12@vrac>") | .detail' q1.json)" "logo.png \(image/png\)" \
	"m12: the detail lists what was there"

t_is "$(reasons_of '<m13@epicerie>')" "unreadable_pdf" "m13: a PDF encrypted with a user password is unreadable_pdf"
t_like "$(jq -r '.[] | select(.message_id == "<m13@epicerie>") | .detail' q1.json)" "mot de passe" \
	"m13: the detail says it is password-protected"
t_is "$(reasons_of '<m14@epicerie>')" "unreadable_pdf" "m14: a corrupt PDF is unreadable_pdf"
t_like "$(jq -r '.[] | select(.message_id == "<m13@epicerie>") | .document' q1.json)" \
	'^var/archive/2026/11/epicerie-du-marche_BC_M[0-9]{4}_20-11-2026\.pdf$' \
	"m13: the PDF no one could read is filed all the same, for the clerk to open"
t_is "$(sha256sum "$(jq -r '.[] | select(.message_id == "<m13@epicerie>") | .document' q1.json)" | cut -d' ' -f1)" \
	"$(sha256sum locked.pdf | cut -d' ' -f1)" "m13: the very bytes the customer sent"
t_like "$(jq -r '.[] | select(.message_id == "<m13@epicerie>") | .file' q1.json)" '_EML_M[0-9]{4}_' \
	"m13: the entry's file is still its message"
t_is "$(reasons_of '<m17@vrac>')" "no_text" "m17: a page with no text and no field is no_text"
t_like "$(jq -r '.[] | select(.message_id == "<m17@vrac>") | .document' q1.json)" \
	'^var/archive/2026/11/bio-vrac_BC_M[0-9]{4}_20-11-2026\.pdf$' "m17: the scan is filed, visible to the clerk"
qid=$(jq -r '.[] | select(.message_id == "<m17@vrac>") | .id' q1.json)
t_like "$(mo quarantine)" "^$qid +[0-9/]+ [0-9:]+ +rien à lire +M[0-9]{4} +" "quarantine lists it, its reason in French"
t_like "$(mo quarantine show "$qid")" "Document  : $T_DIR/var/archive/2026/11/bio-vrac_BC_M[0-9]{4}_20-11-2026\.pdf" \
	"quarantine show says where the scan is, from anywhere"
t_like "$(mo quarantine show "$qid")" "Pourquoi  : aucun texte ni champ de formulaire" "  and why, in full"

t_is "$(reasons_of '<m15@epicerie>')" "too_large" "m15: a message over four times max_attachment_mb is too_large whole"
t_is "$(jq -r '.[] | select(.message_id == "<m15@epicerie>") | .attachment' q1.json)" "null" \
	"m15: an entry for the whole message"

t_is "$(reasons_of '<m16@vrac>')" "no_order_document" "m16: a body that mentions %PDF- is still just text"

# Every message accounted for exactly once.
t_is "$(sql 'SELECT count(*) FROM messages')" "17" "17 messages recorded"
t_is "$(sql "SELECT count(*) FROM messages WHERE state = 'fetched'")" "0" "none left half-done"
t_is "$(jq 'length' d1.json)" "8" "eight drafts"
t_is "$(jq 'length' q1.json)" "10" "ten quarantine entries"
t_is "$(dove_count_flag '$MailorderTaken')" "17" "every message is flagged on the server"
t_is "$(doveadm -c "$DOVE_CONF" search -u "$DOVE_USER" mailbox INBOX SEEN | wc -l)" "0" \
	"and none was marked \\Seen by fetching"
ok_files=1
while IFS='|' read -r file sha; do
	[ "$(sha256sum "var/archive/$file" | cut -d' ' -f1)" = "$sha" ] || ok_files=0
done < <(sql 'SELECT path, sha256 FROM files')
t_is "$ok_files" 1 "every archived file matches its recorded sha256"
t_is "$(find var/archive -type f | wc -l)" "$(sql 'SELECT count(*) FROM files')" "and no file is unrecorded"
t_is "$(find var/tmp -type f | wc -l)" "0" "nothing left in staging"
t_is "$(cmp -s $M/m01.eml "var/archive/$(sql "SELECT file FROM messages WHERE message_id = 'm01@epicerie'")" && echo same)" \
	"same" "the raw message is archived byte for byte"

mo poll --once >poll2.out 2>poll2.err
t_is "$?" 0 "second poll succeeds"
t_is "$(mo drafts --json | jq length)" "8" "and adds no draft"
t_is "$(mo quarantine --json | jq length)" "10" "nor any quarantine entry"

mo show SO0001 >show.txt
t_like "$(cat show.txt)" "Commande SO0001 \(brouillon\)" "show prints the order in French"
t_like "$(cat show.txt)" "Client +: CLI101 Épicerie du Marché" "with its customer"
mo drafts >d.txt
t_like "$(cat d.txt)" "Commandes à vérifier : 8" "drafts prints the review queue in French"
t_like "$(grep "^$n2 " d.txt)" "client inconnu" "with what to look at, in words"
mo quarantine >q.txt
t_like "$(cat q.txt)" "En quarantaine : 10" "quarantine lists the entries"

# The fetch keeps a message's header block in memory as it streams past
# (up to 256 KB): a header block over that is read back from the file,
# and a message that is all header (no blank line) is whole in memory.
{
	for i in $(seq 3000); do
		printf 'Received: from relay%04d.example.net by mx.example.net; Fri, 20 Nov 2026 09:00:00 +0100 (CET)\r\n' "$i"
	done
	mkeml --from "Anne Roux <commandes@epicerie-du-marche.fr>" --subject "Commande longue" --id "<m18@epicerie>" \
		--attach a.pdf "A-18.pdf" application/pdf
} >$M/m18.eml
printf 'From: contact@bio-et-vrac.fr\r\nSubject: sans corps\r\nMessage-ID: <m19@vrac>\r\nDate: Fri, 20 Nov 2026 11:00:00 +0100\r\n' >$M/m19.eml
t_ok "m18 has over 256 KB of headers" test "$(sed '/^\r$/q' $M/m18.eml | wc -c)" -gt 270000
dove_deliver $M/m18.eml $M/m19.eml || { echo "Bail out! delivery failed"; exit 1; }
mo poll --once >poll3.out 2>poll3.err
t_is "$?" 0 "third poll succeeds"
t_is "$(sql "SELECT subject FROM messages WHERE message_id = 'm18@epicerie'")" "Commande longue" \
	"m18: its headers are read past 256 KB"
t_like "$(sql "SELECT file FROM messages WHERE message_id = 'm18@epicerie'")" "^2026/11/epicerie-du-marche_EML_M[0-9]{4}_20-11-2026\.eml$" \
	"m18: named after its sender"
t_is "$(cmp -s $M/m18.eml "var/archive/$(sql "SELECT file FROM messages WHERE message_id = 'm18@epicerie'")" && echo same)" \
	"same" "m18: archived byte for byte"
t_is "$(sql "SELECT subject FROM messages WHERE message_id = 'm19@vrac'")" "sans corps" "m19: a message all header is read"
t_like "$(sql "SELECT file FROM messages WHERE message_id = 'm19@vrac'")" "^2026/11/bio-vrac_EML_M[0-9]{4}_20-11-2026\.eml$" \
	"m19: named after its sender"
t_is "$(mo quarantine --json | jq -r '.[] | select(.message_id == "<m19@vrac>") | .reason')" "no_order_document" \
	"m19: no order document"
t_done
