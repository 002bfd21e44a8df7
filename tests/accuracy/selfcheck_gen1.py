#!/usr/bin/env python3
"""Self-check of gen_erp.py, gen_legacy.py and gen_webshop.py: each makes
--count 3 documents into OUTDIR (default /tmp/wt-gen1-out); every PDF must
open with pdftotext and its text layer hold the truth's order number, each
line's product (reference, printed with or without its hyphen, or its exact
name), quantity and unit price, and the total when there is one.

    TOOLS=build/tools python3 tests/accuracy/selfcheck_gen1.py [OUTDIR]
"""
import glob
import json
import os
import re
import subprocess
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
import acclib_gen1 as L  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/wt-gen1-out"
names = {p["ref"]: p["name"] for p in L.load_products()}
bad = 0
for kind in ("erp", "legacy", "webshop"):
    subprocess.run([sys.executable, os.path.join(L.HERE, "gen_%s.py" % kind), out,
                    "--count", "3", "--seed", "7"], check=True)
    for js in sorted(glob.glob(os.path.join(out, kind + "-*.json"))):
        t = json.load(open(js, encoding="utf-8"))
        r = subprocess.run(["pdftotext", "-layout", js[:-5] + ".pdf", "-"],
                           capture_output=True, encoding="utf-8")
        if r.returncode != 0:
            print("not ok - %s: pdftotext: %s" % (js, r.stderr.strip()))
            bad += 1
            continue
        text = r.stdout
        flat = re.sub(r"[\s\u00a0\u202f]", "", text)
        miss = []

        def has(*forms):
            return any(re.sub(r"\s", "", f) in flat for f in forms)

        if not has(t["customer_order_ref"]):
            miss.append("number " + t["customer_order_ref"])
        for l in t["lines"]:
            ref = l["product_ref"]
            if not (has(ref, ref.replace("-", ""), ref.replace("-", L.MINUS)) or
                    names[ref].upper() in text.upper() or
                    L.strip_accents(names[ref]).upper()[:18] in text.upper()):
                miss.append("product " + ref)
            q, p = Decimal(l["qty"]), Decimal(l["unit_price"])
            if not has(L.num(q, 0, ",", ""), L.num(q, 3, ".", ""), L.num(q, 3, ",", "")):
                miss.append("qty %s of %s" % (l["qty"], ref))
            if not has(L.num(p, 2, ",", ""), L.num(p, 3, ".", "")):
                miss.append("price %s of %s" % (l["unit_price"], ref))
        if t["total_ht"] is not None:
            tot = Decimal(t["total_ht"])
            if not has(L.num(tot, 2, ",", ""), L.num(tot, 2, ",", "."), L.num(tot, 3, ".", ""),
                       L.num(tot, 2, ".", "")):
                miss.append("total " + t["total_ht"])
        name = os.path.basename(js)[:-5]
        if miss:
            bad += 1
            print("not ok - %s: missing %s" % (name, ", ".join(miss)))
        else:
            print("ok - %s (%s, %d lines)" % (name, t["producer"], len(t["lines"])))
sys.exit(1 if bad else 0)
