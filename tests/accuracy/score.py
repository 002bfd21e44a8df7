#!/usr/bin/env python3
"""score.py DOCS DRAFTS.json QUARANTINE.json: how well the reader read the
generated documents of DOCS (each KIND-NN.pdf with its truth KIND-NN.json),
from what the intake made of them (mailorder drafts --json, quarantine
--json; each message's Message-ID is <KIND-NN@accuracy>).

Per kind: documents that became a draft, fields right (customer, their
order number, order date, delivery date), lines right (our reference,
quantity and unit price all three), lines invented (read where the
document has none); and how well the draft's confidence tells them
apart: of the lines read wrong (or invented), how many it flags (a
confidence under 0.7), and of the lines read right, how many it flags
for nothing.  --details prints each document's misses.
"""
import collections
import glob
import json
import os
import sys
from decimal import Decimal, InvalidOperation


def dec(s):
    if s is None:
        return None
    try:
        return Decimal(str(s))
    except InvalidOperation:
        return None


def same_line(d, t):
    return (d.get("product_ref") == t["product_ref"] and dec(d.get("qty")) == dec(t["qty"])
            and dec(d.get("unit_price")) == dec(t["unit_price"]))


LOW = Decimal("0.7")


def flagged(line):
    c = line.get("confidence")
    return c is not None and Decimal(str(c)) < LOW


def score_lines(draft_lines, truth_lines):
    """(right, invented, misses, used): each truth line right when a draft
    line not used yet has its reference, quantity and price (used[k]);
    the draft lines left beyond the truth lines left are invented."""
    used = [False] * len(draft_lines)
    right = 0
    misses = []
    left_truth = []
    for t in truth_lines:
        for k, d in enumerate(draft_lines):
            if not used[k] and same_line(d, t):
                used[k] = True
                right += 1
                break
        else:
            left_truth.append(t)
    left_draft = [d for k, d in enumerate(draft_lines) if not used[k]]
    for t in left_truth:
        near = next((d for d in left_draft if d.get("product_ref") == t["product_ref"]), None)
        misses.append("  ligne %s %s × %s : %s" % (
            t["product_ref"], t["qty"], t["unit_price"],
            "lue %s × %s" % (near.get("qty"), near.get("unit_price")) if near else "pas lue"))
    invented = max(0, len(left_draft) - len(left_truth))
    return right, invented, misses, used


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    details = "--details" in sys.argv
    docs, drafts_file, quarantine_file = args
    drafts = {d["source"]["message_id"]: d for d in json.load(open(drafts_file))}
    quarantined = collections.defaultdict(list)
    for q in json.load(open(quarantine_file)):
        quarantined[q["message_id"]].append(q["reason"])
    kinds = collections.OrderedDict()
    for truth_file in sorted(glob.glob(os.path.join(docs, "*.json"))):
        truth = json.load(open(truth_file))
        name = os.path.basename(truth_file)[:-5]
        k = kinds.setdefault(truth["kind"], collections.Counter())
        k["docs"] += 1
        d = drafts.get("<%s@accuracy>" % name)
        k["lines"] += len(truth["lines"])
        k["fields"] += 4
        if d is None:
            if details:
                print("%s : pas de brouillon (%s)" % (name, ", ".join(quarantined.get(
                    "<%s@accuracy>" % name, ["rien"]))))
            continue
        k["drafted"] += 1
        got = {
            "customer": (d.get("customer") or {}).get("ref"),
            "customer_order_ref": d.get("customer_order_ref"),
            "order_date": d.get("order_date"),
            "delivery_date": d.get("delivery_date"),
        }
        bad = [f for f in got if got[f] != truth.get(f)]
        k["fields_right"] += 4 - len(bad)
        lines = d.get("lines", [])
        right, invented, misses, used = score_lines(lines, truth["lines"])
        k["lines_right"] += right
        k["invented"] += invented
        for line, ok in zip(lines, used):
            k["right_read" if ok else "wrong_read"] += 1
            if flagged(line):
                k["right_flagged" if ok else "wrong_flagged"] += 1
        if details and (bad or misses or invented):
            print("%s (%s) :" % (name, truth.get("producer", "?")))
            for f in bad:
                print("  %s : lu %r, attendu %r" % (f, got[f], truth.get(f)))
            for m in misses:
                print(m)
            if invented:
                print("  %d ligne(s) inventée(s)" % invented)
    total = collections.Counter()
    print("| sorte | documents | brouillons | champs justes | lignes justes | lignes inventées "
          "| lignes fausses signalées | lignes justes signalées |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, k in kinds.items():
        total.update(k)
        print_row(kind, k)
    print_row("ensemble", total)


def print_row(kind, k):
    def pct(a, b):
        return "%d/%d (%.0f %%)" % (a, b, 100.0 * a / b) if b else "0/0"
    print("| %s | %d | %d | %s | %s | %d | %s | %s |" % (
        kind, k["docs"], k["drafted"], pct(k["fields_right"], k["fields"]),
        pct(k["lines_right"], k["lines"]), k["invented"],
        pct(k["wrong_flagged"], k["wrong_read"]), pct(k["right_flagged"], k["right_read"])))


if __name__ == "__main__":
    main()
