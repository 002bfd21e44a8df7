#!/usr/bin/env python3
"""Kind 1 of issue 16: multi-page tables from a wholesaler's own ERP.

    TOOLS=build/tools python3 tests/accuracy/gen_erp.py OUTDIR [--count N] [--seed S]

writes OUTDIR/erp-01.pdf, erp-01.json (the truth), ...

Producers (drawn in turn, then their variations at random):
  gescom   row number, reference, designation, packaging, quantity, unit price,
           amount; "À reporter" at a page's foot and "Report" at the next
           page's head; "Page 1/3"
  cegid    line numbers by tens, the packaging column after the quantity,
           "Sous-total page" under each page's rows, "Folio 1 / 3"
  ebp      the customer's own code and our reference in two columns (our
           reference sometimes without its hyphen), packaging in words
           ("Colis de 12"), "Report" only, "Page 2 sur 3"
Variations: fonts and sizes, header wording and two-line headers, column
order, row height and rows per page (1 to 3 pages), 3 to 45 lines,
quantities in the thousands ("1 200"), thousands separator (space,
no-break space, dot), date formats, order number labels and shapes,
delivery date or not, totals or not, designations in capitals.
"""
import math
import sys
from decimal import Decimal

sys.path.insert(0, __import__("os").path.dirname(__file__))
import acclib_gen1 as L  # noqa: E402

KIND = "erp"

HEADERS = {
    "no": ["N°", "Lig.", "#", "Ligne", "L."],
    "code": ["Code", "Notre code", "Code int.", "Art. interne"],
    "ref": ["Référence", "Réf.", "Code article", "Article", "Réf. art.", "Réf. fourn."],
    "desc": ["Désignation", "Libellé", "Description", "Désignation article", "Libellé article"],
    "pack": ["Cond.", "Colisage", "Condt", "UC", "Emb.", "Conditionnement"],
    "qty": ["Qté", "Quantité", "Qté cdée", "Qté commandée", "Qte"],
    "pu": ["P.U. HT", "Prix unit. HT", "PU net", "Prix HT", "P.U.H.T.", "Prix net"],
    "amount": ["Montant HT", "Total HT", "Montant", "Mt HT", "Total ligne"],
}
WRAPPED = {  # the same headers over two lines
    "pu": [("Prix unit.", "HT"), ("Prix net", "H.T."), ("P.U.", "HT")],
    "amount": [("Montant", "HT"), ("Total", "H.T."), ("Montant", "net HT")],
    "qty": [("Qté", "cdée"), ("Quantité", "commandée")],
    "pack": [("Cond.", "vente"), ("Unité", "cond.")],
}
WIDTH = {"no": 24, "code": 52, "ref": 58, "pack": 46, "qty": 48, "pu": 54, "amount": 64}
RIGHT = {"no", "qty", "pu", "amount"}

SUPPLIERS = ["Comptoir Bio du Sud-Ouest", "Les Vergers Bio SARL", "Distribio Aquitaine"]
STREETS = ["12 rue des Tanneurs", "ZA de la Gare, 4 allée des Chênes", "8 place du Marché",
           "Parc d'activités Mérignac, bât. C", "27 avenue Thiers"]
CITIES = ["33000 Bordeaux", "24100 Bergerac", "33500 Libourne", "47000 Agen", "33800 Bordeaux"]


def order_number(rng, producer):
    n = rng.randrange(1000, 99999)
    return rng.choice({
        "gescom": ["BCF%06d" % n, "CF%06d" % n, "BC-%05d" % n],
        "cegid": ["CF26-%05d" % n, "CDE-2026-%04d" % (n % 10000), "A26/%05d" % n],
        "ebp": ["PO %06d" % n, "BC%05d" % n, "CMD-%05d" % n],
    }[producer])


def pack_cell(rng, producer):
    if producer == "ebp":
        return rng.choice(["Colis de 12", "Colis de 6", "Carton 24", "Unité", "", "Colis."])
    return rng.choice(["x12", "x6", "x24", "Colis.", "", "x1", "CT12", "x6"])


def make(rng, i, products, customers):
    producer = ["gescom", "cegid", "ebp"][(i - 1) % 3]
    cust = rng.choice(customers)
    n = rng.choice([3, 4, 5, 7, 9, 12, 15, 18, 22, 26, 30, 35, 40, 45])
    lines = L.pick_lines(rng, products, n, kg_ok=False, big_qty=0.12)
    number = order_number(rng, producer)
    odate = L.random_date(rng)
    ddate = odate + L.datetime.timedelta(days=rng.randrange(2, 20)) if rng.random() < 0.6 else None
    dstyle = rng.choice(["dmy/", "dmy/", "dmy/2", "dmy.", "iso", "long"])
    thou = rng.choice([" ", " ", L.NBSP, "."])
    caps = rng.random() < 0.3
    font = rng.choice(["helvetica", "helvetica", "times", "sans"])
    bold = {"helvetica": "helvetica-bold", "times": "helvetica-bold", "sans": "sans-bold"}[font]
    fs = rng.choice([7.5, 8, 8.5, 9, 9.5])
    rowh = fs + rng.choice([3, 4, 5, 6])
    show_amount = rng.random() < 0.85
    show_total = show_amount and rng.random() < 0.8
    wrapped = rng.random() < 0.3
    ref_nohyphen = producer == "ebp" and rng.random() < 0.5
    numbering = 10 if producer == "cegid" and rng.random() < 0.7 else 1

    cols = {"gescom": ["no", "ref", "desc", "pack", "qty", "pu", "amount"],
            "cegid": ["no", "ref", "desc", "qty", "pack", "pu", "amount"],
            "ebp": ["no", "code", "ref", "desc", "pack", "qty", "pu", "amount"]}[producer]
    if rng.random() < 0.25:  # price before quantity
        a, b = cols.index("qty"), cols.index("pu")
        cols[a], cols[b] = cols[b], cols[a]
    if not show_amount:
        cols.remove("amount")
    left, right = rng.choice([(36, 559), (40, 555), (30, 565)])
    fixed = sum(WIDTH[c] for c in cols if c != "desc")
    x = left
    geo = {}
    for c in cols:
        w = (right - left - fixed) if c == "desc" else WIDTH[c]
        geo[c] = (x, w)
        x += w
    head = {}
    for c in cols:
        if wrapped and c in WRAPPED and rng.random() < 0.7:
            head[c] = rng.choice(WRAPPED[c])
        else:
            head[c] = (rng.choice(HEADERS[c]),)

    def money(d):
        return L.num(d, 2, ",", thou)

    def qtyfmt(d):
        return L.num(d, 0, ",", " " if thou == "." else thou)

    sp = L.Spec()
    sp.font(font)
    supplier = rng.choice(SUPPLIERS)
    label = rng.choice({"gescom": ["BON DE COMMANDE N°", "Bon de commande n°", "COMMANDE FOURNISSEUR N°"],
                        "cegid": ["Commande fournisseur n°", "N° de commande :", "Commande n°"],
                        "ebp": ["Notre commande n°", "Réf. commande :", "Bon de commande"]}[producer])
    dlabel = rng.choice(["Date :", "Date de commande :", "Du", "Date commande :", "Le"])
    dellabel = rng.choice(["Date de livraison :", "Livraison souhaitée le", "Délai :", "Livrer le :"])

    def page_head(pno, first):
        sp.font(bold)
        sp.size(fs + 5)
        sp.text(left, 50, L.strip_accents(cust["name"]).upper() if caps else cust["name"])
        sp.font(font)
        sp.size(fs)
        if first:
            sp.text(left, 66, rng.choice(STREETS))
            sp.text(left, 66 + fs + 3, rng.choice(CITIES))
            sp.text(left, 66 + 2 * (fs + 3), "Tél. 05 56 %02d %02d %02d" % (rng.randrange(100), rng.randrange(100), rng.randrange(100)))
            sp.text(left, 66 + 3 * (fs + 3), "SIRET %d %03d %03d %05d" % (rng.randrange(300, 999), rng.randrange(1000), rng.randrange(1000), rng.randrange(100000)))
            sp.font(bold)
            sp.size(fs + 3)
            sp.text(330, 66, "%s %s" % (label, number))
            sp.font(font)
            sp.size(fs + 1)
            sp.text(330, 66 + fs + 6, "%s %s" % (dlabel, L.fdate(odate, dstyle)))
            if ddate:
                sp.text(330, 66 + 2 * (fs + 6), "%s %s" % (dellabel, L.fdate(ddate, dstyle)))
            sp.size(fs)
            sp.text(330, 130, "Fournisseur :")
            sp.text(330, 130 + fs + 3, supplier)
            sp.text(330, 130 + 2 * (fs + 3), rng.choice(STREETS))
            sp.text(330, 130 + 3 * (fs + 3), rng.choice(CITIES))
            if rng.random() < 0.5:
                sp.text(left, 180, "Conditions de règlement : %s" % (cust["payment_terms"] or "30 jours"))
            return 205
        sp.size(fs + 1)
        sp.text(330, 50, "%s %s (suite)" % (label, number))
        sp.size(fs)
        return 80

    def table_head(y):
        sp.font(bold)
        sp.size(fs)
        two = any(len(h) == 2 for h in head.values())
        sp.line(left, y - fs - 2, right, y - fs - 2)
        for c in cols:
            x0, w = geo[c]
            for k, h in enumerate(head[c]):
                yy = y + k * (fs + 1)
                if c in RIGHT:
                    sp.rtext(x0 + w - 3, yy, h)
                else:
                    sp.text(x0 + 3, yy, h)
        sp.font(font)
        y += (fs + 1) * (2 if two else 1) + 1
        sp.line(left, y - fs + 1, right, y - fs + 1)
        return y + rowh - fs + 3

    # Rows per page: the ERP's own setting, so that the pages are 1 to 3.
    rpp = rng.choice([12, 15, 18, 20, 25, 30, 40])
    while math.ceil(n / rpp) > 3:
        rpp += 5
    rpp = min(rpp, int((770 - 240) / rowh) - 5)  # 5: the totals' room
    while math.ceil(n / rpp) > 3:
        rowh -= 1
        rpp = int((770 - 240) / rowh) - 5
    npages = math.ceil(n / rpp)
    carry_style = {"gescom": "reporter", "cegid": "subtotal", "ebp": "report"}[producer]
    if not show_amount:
        carry_style = None
    footer = rng.choice({"gescom": ["Page %d/%d"], "cegid": ["Folio %d / %d", "Page %d / %d"],
                         "ebp": ["Page %d sur %d", "%d/%d"]}[producer])
    cum = Decimal(0)
    for pno in range(1, npages + 1):
        if pno > 1:
            sp.page()
        y = page_head(pno, pno == 1)
        y = table_head(y)
        if pno > 1 and carry_style in ("reporter", "report"):
            sp.font(bold)
            sp.text(geo["desc"][0] + 3, y, rng.choice(["Report", "Report :", "Report page précédente"]))
            sp.rtext(geo["amount"][0] + geo["amount"][1] - 3, y, money(cum))
            sp.font(font)
            y += rowh
        chunk = lines[(pno - 1) * rpp: pno * rpp]
        page_sum = Decimal(0)
        for k, l in enumerate(chunk):
            idx = (pno - 1) * rpp + k + 1
            p = l["p"]
            cells = {
                "no": str(idx * numbering),
                "code": "%s%04d" % (rng.choice(["A", "EP", "C"]), rng.randrange(10000)),
                "ref": p["ref"].replace("-", "") if ref_nohyphen else p["ref"],
                "desc": L.strip_accents(p["name"]).upper() if caps else p["name"],
                "pack": pack_cell(rng, producer),
                "qty": qtyfmt(l["qty"]),
                "pu": money(l["price"]),
                "amount": money(L.line_total(l)),
            }
            for c in cols:
                x0, w = geo[c]
                if c in RIGHT:
                    sp.rtext(x0 + w - 3, y, cells[c])
                else:
                    sp.text(x0 + 3, y, cells[c])
            page_sum += L.line_total(l)
            y += rowh
        cum += page_sum
        sp.line(left, y - rowh + 4, right, y - rowh + 4)
        if pno < npages and carry_style:
            sp.font(bold)
            if carry_style == "reporter":
                sp.text(geo["desc"][0] + 3, y + 2, rng.choice(["À reporter", "A reporter :", "Total à reporter"]))
                sp.rtext(geo["amount"][0] + geo["amount"][1] - 3, y + 2, money(cum))
            elif carry_style == "subtotal":
                sp.text(geo["desc"][0] + 3, y + 2, "Sous-total page")
                sp.rtext(geo["amount"][0] + geo["amount"][1] - 3, y + 2, money(page_sum))
            else:
                sp.text(geo["desc"][0] + 3, y + 2, "Report")
                sp.rtext(geo["amount"][0] + geo["amount"][1] - 3, y + 2, money(cum))
            sp.font(font)
        elif pno == npages and carry_style == "subtotal" and npages > 1:
            sp.font(bold)
            sp.text(geo["desc"][0] + 3, y + 2, "Sous-total page")
            sp.rtext(geo["amount"][0] + geo["amount"][1] - 3, y + 2, money(page_sum))
            sp.font(font)
            y += rowh
        if pno == npages:
            y += rowh
            xr = right - 3
            xl = right - 200
            if show_total:
                total = cum
                sp.font(bold)
                sp.text(xl, y, rng.choice(["Total HT", "Total H.T. :", "Montant total HT", "TOTAL HT"]))
                sp.rtext(xr, y, money(total) + rng.choice(["", "", " €", " EUR"]))
                sp.font(font)
                if rng.random() < 0.6:
                    vat = sum((L.q2(L.line_total(x) * Decimal(x["p"]["vat_rate"]) / 100) for x in lines), Decimal(0))
                    sp.text(xl, y + rowh, "TVA")
                    sp.rtext(xr, y + rowh, money(vat))
                    sp.text(xl, y + 2 * rowh, "Total TTC")
                    sp.rtext(xr, y + 2 * rowh, money(total + vat))
            if rng.random() < 0.5:
                sp.text(left, min(y + 4 * rowh, 770), rng.choice([
                    "Merci de nous confirmer la bonne réception de cette commande.",
                    "Livraison en matinée uniquement, quai n° 2.",
                    "Toute livraison incomplète doit être signalée sous 48 h."]))
        sp.size(fs - 1)
        sp.rtext(right, 815, footer % (pno, npages))
        sp.text(left, 815, "%s - %s" % (cust["name"], rng.choice(["Édité le", "Imprimé le"]) + " " + L.fdate(odate, "dmy/")))
        sp.size(fs)
    t = L.truth(KIND, producer, cust, number, odate, ddate, lines, cum if show_total else None)
    return sp, t, font in ("helvetica", "times")


def main():
    L.run(KIND, make)


if __name__ == "__main__":
    main()
