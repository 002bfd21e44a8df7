#!/bin/sh
# Quick self-check of the generators of kinds 4-6 (issue 16): three documents
# of each kind, each PDF opens, its truth is complete and consistent, and the
# current reader reads something (rules check --summary).  Readability only:
# no accuracy is measured here.
#
#   tests/accuracy/selfcheck_gen2.sh [OUTDIR]     (default /tmp/wt-gen2-out)
#
# Needs `make && make tools` (build/mailorder, build/tools/mkpdf, mkscan).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/wt-gen2-out}
TOOLS=${TOOLS:-$top/build/tools}
export TOOLS
rm -rf "$out"
mkdir -p "$out"
# mailorder wants a regular file as its configuration: an empty one
conf="$out/empty.conf"
: >"$conf"
fail=0
for kind in browser form scan; do
	python3 "$top/tests/accuracy/gen_$kind.py" "$out" --count 3 --seed 7
	# deterministic for a seed
	python3 "$top/tests/accuracy/gen_$kind.py" "$out/again" --count 3 --seed 7
	for i in 01 02 03; do
		f="$out/$kind-$i.pdf"
		if ! pdfinfo "$f" >/dev/null 2>&1; then
			echo "FAIL $f: pdfinfo cannot open it"; fail=1; continue
		fi
		if ! cmp -s "$out/$kind-$i.json" "$out/again/$kind-$i.json"; then
			echo "FAIL $f: another truth for the same seed"; fail=1
		fi
		python3 - "$out/$kind-$i.json" "$top/tests/accuracy" <<'EOF' || fail=1
import csv, json, sys
from decimal import Decimal
t = json.load(open(sys.argv[1], encoding="utf-8"))
d = sys.argv[2]
refs = {r["ref"] for r in csv.DictReader(open(d + "/products.csv", encoding="utf-8"))}
custs = {r["email"]: r["ref"] for r in csv.DictReader(open(d + "/customers.csv", encoding="utf-8"))}
bad = []
for k in ("kind", "producer", "sender", "customer", "customer_order_ref", "order_date",
          "delivery_date", "lines", "total_ht"):
    if k not in t:
        bad.append("no " + k)
if custs.get(t["sender"]) != t["customer"]:
    bad.append("sender/customer")
if not 3 <= len(t["lines"]) <= 30:
    bad.append("%d lines" % len(t["lines"]))
for l in t["lines"]:
    if l["product_ref"] not in refs:
        bad.append(l["product_ref"])
    Decimal(l["qty"]), Decimal(l["unit_price"])
if t["total_ht"] is not None:
    s = sum(Decimal(l["qty"]) * Decimal(l["unit_price"]) for l in t["lines"])
    if abs(s - Decimal(t["total_ht"])) > Decimal("0.05") * len(t["lines"]):
        bad.append("total %s != %s" % (t["total_ht"], s))
if bad:
    print("FAIL %s: %s" % (sys.argv[1], ", ".join(bad)))
    sys.exit(1)
EOF
		printf '%s (%s, %s lines): ' "$f" \
			"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["producer"])' "$out/$kind-$i.json")" \
			"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["lines"]))' "$out/$kind-$i.json")"
		if ! "$top/build/mailorder" -c "$conf" rules check --summary "$f" >"$out/$kind-$i.summary" 2>&1; then
			echo "FAIL: rules check"; cat "$out/$kind-$i.summary"; fail=1; continue
		fi
		sed 's/^[^:]*: //' "$out/$kind-$i.summary"
	done
done
rm -rf "$out/again"
[ $fail = 0 ] && echo "selfcheck: OK" || { echo "selfcheck: FAILED"; exit 1; }
