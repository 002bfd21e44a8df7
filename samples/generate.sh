#!/usr/bin/env bash
# samples/generate.sh [BUILD_DIR]: rebuilds the sample customer e-mails of
# this folder (used by `make demo` and the README walkthrough) from the
# descriptions below, with the project's own PDF writer (tests/tools/mkpdf).
# The .eml files are committed; run this only to change them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
mkpdf=$build/tools/mkpdf
[ -x "$mkpdf" ] || { echo "generate.sh: build $mkpdf first (make tools)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# po OUT.pdf CUSTOMER ADDRESS PO_NUMBER DATE "REF|DESIGNATION|QTY|PU|TOTAL" ...
# A purchase order as a customer's own software prints it.
po() {
	local out=$1 who=$2 addr=$3 num=$4 date=$5 y=250 line ref des qty pu tot
	shift 5
	{
		echo "size 16"; echo "text 50 60 $who"
		echo "size 9"; echo "text 50 76 $addr"
		echo "size 14"; echo "text 330 110 BON DE COMMANDE"
		echo "size 10"; echo "text 330 130 Commande N° $num"; echo "text 330 145 Date : $date"
		echo "text 50 150 Fournisseur : Sweetie Bio, ZI La Ballastière, 33500 Libourne"
		echo "size 9"
		echo "line 50 220 545 220"
		echo "text 52 232 Réf."; echo "text 120 232 Désignation"; echo "rtext 390 232 Qté"
		echo "rtext 460 232 P.U. HT"; echo "rtext 540 232 Montant HT"
		echo "line 50 238 545 238"
		for line in "$@"; do
			IFS='|' read -r ref des qty pu tot <<<"$line"
			echo "text 52 $y $ref"; echo "text 120 $y $des"; echo "rtext 390 $y $qty"
			echo "rtext 460 $y $pu"; echo "rtext 540 $y $tot"
			y=$((y + 16))
		done
		echo "line 50 $((y - 8)) 545 $((y - 8))"
	} >"$work/spec"
	"$mkpdf" "$out" <"$work/spec"
}

# eml OUT FROM SUBJECT MESSAGE-ID DATE BODY [PDF NAME TYPE]
eml() {
	local out=$1 from=$2 subject=$3 id=$4 date=$5 body=$6 pdf=${7:-} name=${8:-} type=${9:-application/pdf}
	{
		printf 'From: %s\r\nTo: Sweetie Bio Commandes <commandes@sweetiebio.fr>\r\n' "$from"
		printf 'Subject: %s\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n' "$subject" "$date" "$id"
		if [ -z "$pdf" ]; then
			printf 'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n' "$body"
		else
			printf 'Content-Type: multipart/mixed; boundary="=_sample"\r\n\r\n'
			printf -- '--=_sample\r\nContent-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n' "$body"
			printf -- '--=_sample\r\nContent-Type: %s; name="%s"\r\nContent-Transfer-Encoding: base64\r\n' "$type" "$name"
			printf 'Content-Disposition: attachment; filename="%s"\r\n\r\n' "$name"
			base64 -w 76 "$pdf" | sed 's/$/\r/'
			printf -- '--=_sample--\r\n'
		fi
	} >"$out"
}

po "$work/em-118.pdf" "Épicerie du Marché" "2 place du Marché, 33000 Bordeaux" "EM-2026-118" "20/11/2026" \
	"BIO-2001|Farine de blé T65 1 kg|12|3,45|41,40" \
	"BIO-2003|Huile d'olive vierge extra 75 cl|6|11,90|71,40" \
	"BIO-2006|Vin rouge Bordeaux 75 cl|4|8,90|35,60"
eml "$here/01-epicerie-du-marche.eml" "Anne Roux <commandes@epicerie-du-marche.fr>" "Commande EM-2026-118" \
	"<sample01.em118@epicerie-du-marche.fr>" "Fri, 20 Nov 2026 09:12:00 +0100" \
	"Bonjour, veuillez trouver ci-joint notre commande. Cordialement, Anne Roux" \
	"$work/em-118.pdf" "EM-2026-118.pdf"

po "$work/lea-47.pdf" "Les Jardins de Léa" "8 chemin des Vignes, 33500 Libourne" "JL-047" "21/11/2026" \
	"BIO-2002|Riz basmati complet 1 kg|10|5,07|50,70" \
	"BIO-2007|Amandes décortiquées vrac|2,5|18,04|45,10" \
	"BIO-2008|Kombucha gingembre 33 cl|24|2,34|56,16"
eml "$here/02-jardins-de-lea.eml" "=?utf-8?q?L=C3=A9a?= Martin <lea@jardins-de-lea.fr>" \
	"=?utf-8?q?Commande_n=C2=B047?=" "<sample02.jl047@jardins-de-lea.fr>" \
	"Sat, 21 Nov 2026 10:30:00 +0100" "Bonjour, voici la commande de la semaine. Léa" \
	"$work/lea-47.pdf" "Commande JL-047.pdf" application/octet-stream

po "$work/new-1.pdf" "Au Panier Gourmand" "5 rue des Halles, 24100 Bergerac" "APG-001" "23/11/2026" \
	"BIO-2001|Farine de blé T65 1 kg|6|3,45|20,70" \
	"BIO-2005|Savon de Marseille 100 g|12|3,90|46,80"
eml "$here/03-nouveau-client.eml" "Au Panier Gourmand <contact@aupaniergourmand.fr>" \
	"Ouverture de compte et première commande" "<sample03.apg001@aupaniergourmand.fr>" \
	"Mon, 23 Nov 2026 14:05:00 +0100" "Bonjour, nous souhaitons ouvrir un compte. Première commande jointe." \
	"$work/new-1.pdf" "Commande APG-001.pdf"

eml "$here/04-question.eml" "Paul Henry <contact@bio-et-vrac.fr>" "Livraison samedi ?" \
	"<sample04.question@bio-et-vrac.fr>" "Mon, 23 Nov 2026 16:40:00 +0100" \
	"Bonjour, livrez-vous le samedi matin à Périgueux ? Merci, Paul"

printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82' >"$work/photo.png"
eml "$here/05-photo-nommee-pdf.eml" "Paul Henry <contact@bio-et-vrac.fr>" "commande" \
	"<sample05.photo@bio-et-vrac.fr>" "Tue, 24 Nov 2026 08:02:00 +0100" \
	"Ma commande en photo." "$work/photo.png" "commande.pdf"

eml "$here/06-renvoi.eml" "Anne Roux <commandes@epicerie-du-marche.fr>" "RE: Commande EM-2026-118" \
	"<sample06.resend@epicerie-du-marche.fr>" "Tue, 24 Nov 2026 09:00:00 +0100" \
	"Je vous renvoie la commande de vendredi, l'avez-vous reçue ?" \
	"$work/em-118.pdf" "EM-2026-118.pdf"
echo "generate.sh: wrote $(ls "$here"/*.eml | wc -l) messages in $here"
