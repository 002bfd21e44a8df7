#!/usr/bin/env bash
# tests/accuracy/score.py, the measure of make accuracy: a line is right
# only with our reference, its quantity and its price; a line read where
# the document has none is invented; a field is right only when equal; a
# document that made no draft scores nothing; a line under 0.7 of
# confidence is flagged, rightly when it is wrong.
. "$(dirname "$0")/lib.sh"
t_init
mkdir docs
cat >docs/erp-01.json <<'J'
{"kind": "erp", "sender": "a@b.fr", "customer": "CLI201", "customer_order_ref": "BC-1",
 "order_date": "2026-11-20", "delivery_date": null, "total_ht": null,
 "lines": [{"product_ref": "BIO-1001", "qty": "12", "unit_price": "3.45"},
           {"product_ref": "BIO-1002", "qty": "1200", "unit_price": "1.5"},
           {"product_ref": "BIO-1003", "qty": "5.2", "unit_price": "10"}]}
J
cat >docs/erp-02.json <<'J'
{"kind": "erp", "sender": "a@b.fr", "customer": "CLI201", "customer_order_ref": "BC-2",
 "order_date": "2026-11-21", "delivery_date": null, "total_ht": null,
 "lines": [{"product_ref": "BIO-1001", "qty": "1", "unit_price": "3.45"}]}
J
cat >docs/scan-01.json <<'J'
{"kind": "scan", "sender": "a@b.fr", "customer": "CLI202", "customer_order_ref": "S-1",
 "order_date": "2026-11-22", "delivery_date": "2026-11-30", "total_ht": null,
 "lines": [{"product_ref": "BIO-1004", "qty": "30", "unit_price": "4.95"}]}
J
cat >drafts.json <<'J'
[{"source": {"message_id": "<erp-01@accuracy>"}, "customer": {"ref": "CLI201"},
  "customer_order_ref": "BC-1", "order_date": "2026-11-20", "delivery_date": null,
  "lines": [{"product_ref": "BIO-1001", "qty": "12", "unit_price": "3.450", "confidence": 1},
            {"product_ref": "BIO-1002", "qty": "1.2", "unit_price": "1.50", "confidence": 0.5},
            {"product_ref": "BIO-1003", "qty": "5.200", "unit_price": "10.00", "confidence": 0.69},
            {"product_ref": null, "qty": "1", "unit_price": "2.00", "confidence": 0.7}]},
 {"source": {"message_id": "<scan-01@accuracy>"}, "customer": {"ref": "CLI202"},
  "customer_order_ref": "S-1", "order_date": "2026-11-22", "delivery_date": null,
  "lines": [{"product_ref": "BIO-1004", "qty": "30", "unit_price": "14.95"}]}]
J
echo '[{"message_id": "<erp-02@accuracy>", "reason": "no_text"}]' >quarantine.json
/usr/bin/python3 "$SRCDIR/tests/accuracy/score.py" docs drafts.json quarantine.json --details >out 2>&1
t_is "$?" 0 "score.py runs"
t_like "$(cat out)" "^\| erp \| 2 \| 1 \| 4/8 \(50 %\) \| 2/4 \(50 %\) \| 1 \| 1/2 \(50 %\) \| 1/2 \(50 %\) \|$" \
	"erp: one draft of two; 1.2 for 1200 is wrong, 5.200 for 5.2 right; the extra line invented; of the two wrong, the one at 0.5 flagged (0.7 is not); of the two right, the one at 0.69"
t_like "$(cat out)" "^\| scan \| 1 \| 1 \| 3/4 \(75 %\) \| 0/1 \(0 %\) \| 0 \| 0/1 \(0 %\) \| 0/0 \|$" \
	"scan: the delivery date missed, 14.95 for 4.95 wrong and not invented, and not flagged (no confidence)"
t_like "$(cat out)" "^\| ensemble \| 3 \| 2 \| 7/12 \(58 %\) \| 2/5 \(40 %\) \| 1 \| 1/3 \(33 %\) \| 1/2 \(50 %\) \|$" "the whole"
t_like "$(cat out)" "erp-02 : pas de brouillon \(no_text\)" "--details: a document that made no draft, and why"
t_like "$(cat out)" "ligne BIO-1002 1200 × 1.5 : lue 1.2 × 1.50" "  a line misread, as read"
t_done
