#!/usr/bin/env bash
# make accuracy: how well the generic reader reads orders of layouts no
# rule describes (issue "Intake IV").  Each kind's generator
# (tests/accuracy/gen_KIND.py) writes documents with their truth; each
# goes by mail from its customer through a private Dovecot, one poll takes
# them in, and score.py compares the drafts with the truth: one table,
# per kind, of fields and lines right and lines invented.
#   ACCURACY_KINDS   the kinds (default: erp legacy webshop browser form scan)
#   ACCURACY_COUNT   documents a kind (default 12; scans: ACCURACY_SCANS, 6)
#   ACCURACY_SEED    the generators' seed (default 16)
#   ACCURACY_DETAILS=1  each document's misses, after the table
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export MAILORDER=${MAILORDER:-$top/build/mailorder} TOOLS=${TOOLS:-$top/build/tools} SRCDIR=$top
. "$top/tests/lib.sh"
t_init
trap 't_cleanup' EXIT
here=$top/tests/accuracy
kinds=${ACCURACY_KINDS:-erp legacy webshop browser form scan}
count=${ACCURACY_COUNT:-12}
seed=${ACCURACY_SEED:-16}

dove_start || { echo "accuracy : Dovecot n'a pas démarré" >&2; exit 1; }
mo_config none
mo init >/dev/null && mo import customers "$here/customers.csv" >/dev/null &&
	mo import products "$here/products.csv" >/dev/null || { echo "accuracy : init" >&2; exit 1; }

mkdir -p docs mails
for kind in $kinds; do
	gen=$here/gen_$kind.py
	if [ ! -f "$gen" ]; then
		echo "accuracy : pas de générateur pour $kind ($gen)" >&2
		continue
	fi
	n=$count
	[ "$kind" = scan ] && n=${ACCURACY_SCANS:-6}
	/usr/bin/python3 "$gen" docs --count "$n" --seed "$seed" >"gen-$kind.log" 2>&1 ||
		{ echo "accuracy : $gen a échoué (voir $T_DIR/gen-$kind.log)" >&2; KEEP=1; exit 1; }
done
for truth in docs/*.json; do
	name=$(basename "$truth" .json)
	sender=$(jq -r .sender "$truth")
	mkeml --from "$sender" --id "<$name@accuracy>" --subject "Commande $name" \
		--attach "docs/$name.pdf" "$name.pdf" application/pdf >"mails/$name.eml"
done
dove_deliver mails/*.eml || { echo "accuracy : dépôt dans Dovecot" >&2; exit 1; }
mo poll --once >poll.log 2>&1 || { echo "accuracy : poll a échoué (voir $T_DIR/poll.log)" >&2; KEEP=1; exit 1; }
mo drafts --json >drafts.json && mo quarantine --json >quarantine.json || exit 1
echo "== make accuracy : le lecteur générique sur des mises en page qu'aucune règle ne décrit (graine $seed)"
/usr/bin/python3 "$here/score.py" docs drafts.json quarantine.json ${ACCURACY_DETAILS:+--details}
