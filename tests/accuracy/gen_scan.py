#!/usr/bin/env python3
"""Kind 6 of issue 16: scans of printed purchase orders and paper forms.

    TOOLS=build/tools python3 tests/accuracy/gen_scan.py OUTDIR [--count N] [--seed S]

Each document is first written with mkpdf (a table with its rules, a
total), then turned into an image-only scan by mkscan: dust specks
(200-900), a small angle (0.3-2.5 degrees either way), 200-300 dpi, JPEG
now and then.  The documents where OCR reads specks and table rules as
characters ("30 |4,95", ".30 14,95").  Producers:

  po-grid     a customer's PO with a full grid (vertical and horizontal
              rules), our reference in the first column
  po-rules    a PO with horizontal rules only, the customer's own code and
              our reference in two columns, a unit column
  paper-form  Sweetie Bio's paper order form, printed, filled by
              typewriter-like typing and scanned (empty rows of the grid)

Writes OUTDIR/scan-NN.pdf and OUTDIR/scan-NN.json (the truth; "scan"
holds mkscan's settings).  Each document costs seconds of OCR to read.
"""
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import acclib_gen2 as L  # noqa: E402


def nums(rng):
    if rng.random() < 0.15:
        return {"dec": ".", "thou": ""}
    return {"dec": ",", "thou": rng.choice(["", " ", "\u00a0"])}


def money(v, f, cur=""):
    return L.fmt_num(v, 2, f["dec"], f["thou"]) + cur


def company_block(s, rng, cust, size):
    s.text(40, 50, cust[1], size + 5)
    s.text(40, 66, rng.choice(["12 place du Marché", "4 rue des Halles", "Zone artisanale, lot 7",
                               "27 avenue de la Gare"]), size)
    s.text(40, 78, "%05d %s" % (rng.choice([33000, 33500, 24100, 47000, 33300]),
                                rng.choice(["Bordeaux", "Libourne", "Bergerac", "Agen", "Bordeaux"])), size)
    s.text(40, 90, "Tél. 05 %02d %02d %02d %02d  -  %s" % (rng.randrange(100), rng.randrange(100),
                                                           rng.randrange(100), rng.randrange(100), cust[2]), size - 1)


def header_row(s, xs, heads, y, row_h, size):
    """The grid's header row at y, ruled above and below (repeated on each
    page); the y under it."""
    s.line(xs[0], y, xs[-1], y)
    for k, h in enumerate(heads):
        if k >= 2:
            s.rtext(xs[k + 1] - 4, y + 13, h, size)
        else:
            s.text(xs[k] + 4, y + 13, h, size)
    y += row_h
    s.line(xs[0], y, xs[-1], y)
    return y


def po_grid(rng, cust, od, dl, lines):
    f = nums(rng)
    size = rng.choice([9, 9.5, 10, 10.5])
    s = L.Spec()
    company_block(s, rng, cust, size)
    num = rng.choice(["BC", "PO", "CDE"]) + rng.choice(["-", ""]) + "%05d" % rng.randrange(1, 99999)
    lab = rng.choice(["BON DE COMMANDE N° ", "Bon de commande n° ", "COMMANDE N° "])
    s.text(330, 120, lab + num, size + 2)
    dfmt = rng.choice(["dmy", "dmy", "long", "dot"])
    s.text(330, 138, rng.choice(["Date : ", "Date de commande : ", "Le "]) + L.fmt_date(od, dfmt), size)
    if dl:
        s.text(330, 152, rng.choice(["Livraison souhaitée : ", "À livrer le : ", "Date de livraison : "])
               + L.fmt_date(dl, dfmt), size)
    s.text(40, 130, "Fournisseur :", size)
    s.text(40, 144, "Sweetie Bio", size)
    s.text(40, 156, "33500 Libourne", size)
    xs = [40, 110, 330, 385, 460, 555]
    heads = ["Réf.", "Désignation", "Qté", "P.U. HT", "Montant HT"]
    y = 185
    row_h = rng.choice([18, 20, 22])
    y = header_row(s, xs, heads, y, row_h, size)
    top = 185
    pages = 1
    for l in lines:
        if y + row_h > 740:
            for x in xs:
                s.line(x, top, x, y)
            s.page()
            pages += 1
            y = top = 60
            y = header_row(s, xs, heads, y, row_h, size)
        cells = [l["ref"], L.fit(l["name"], 214, size, True), L.fmt_qty(l["qty"], f["dec"], f["thou"]),
                 money(l["pu"], f), money(l["total"], f)]
        for k, c in enumerate(cells):
            if k >= 2:
                s.rtext(xs[k + 1] - 4, y + row_h - 6, c, size)
            else:
                s.text(xs[k] + 4, y + row_h - 6, c, size)
        y += row_h
        s.line(xs[0], y, xs[-1], y)
    for x in xs:
        s.line(x, top, x, y)
    total = sum(l["total"] for l in lines)
    s.box(385, y + 10, 555, y + 30)
    s.line(460, y + 10, 460, y + 30)
    s.text(390, y + 24, "Total HT", size)
    s.rtext(551, y + 24, money(total, f, rng.choice(["", " €"])), size)
    s.text(40, y + 60, rng.choice(["Bon pour accord", "Signature du responsable", "Cachet de l'entreprise"]), size)
    return s, num, total, pages


def po_rules(rng, cust, od, dl, lines):
    f = nums(rng)
    size = rng.choice([8.5, 9, 9.5])
    s = L.Spec()
    s.text(40, 48, rng.choice(["COMMANDE FOURNISSEUR", "Commande d'achat", "BON DE COMMANDE"]), size + 6)
    num = "%d%04d" % (od.year % 100, rng.randrange(1, 9999)) if rng.random() < 0.5 else \
        "A-%d-%03d" % (od.year, rng.randrange(1, 999))
    s.text(40, 68, rng.choice(["N° : ", "Numéro : ", "Commande n° "]) + num, size + 1)
    dfmt = rng.choice(["dmy", "dmy2", "dash", "long"])
    s.text(40, 82, "Date : " + L.fmt_date(od, dfmt), size)
    if dl:
        s.text(200, 82, rng.choice(["Livraison : ", "Livrer le "]) + L.fmt_date(dl, dfmt), size)
    s.text(350, 48, cust[1], size + 2)
    s.text(350, 62, cust[2], size)
    s.text(350, 90, "Destinataire : Sweetie Bio", size)
    s.text(350, 102, "Service commandes", size)
    cols = [(40, "Code", "l"), (95, "Réf. fourn.", "l"), (170, "Article", "l"), (380, "U.", "l"),
            (440, "Qté", "r"), (500, "Prix", "r"), (560, "Total", "r")]
    y = 135
    s.line(40, y - 12, 560, y - 12)
    for x, h, a in cols:
        (s.rtext if a == "r" else s.text)(x, y, h, size)
    s.line(40, y + 5, 560, y + 5)
    s.line(40, y + 7, 560, y + 7)
    row_h = rng.choice([16, 18, 20])
    y += 7 + row_h
    used = set()
    style = L.code_style(rng)
    pages = 1
    for l in lines:
        if y > 730:
            s.page()
            pages += 1
            y = 60
            for x, h, a in cols:
                (s.rtext if a == "r" else s.text)(x, y, h, size)
            s.line(40, y + 5, 560, y + 5)
            y += 5 + row_h
        cells = [L.customer_code(rng, used, style), l["ref"], L.fit(l["name"], 200, size, True),
                 "kg" if l["unit"] == "kg" else rng.choice(["pce", "u", "pce"]),
                 L.fmt_qty(l["qty"], f["dec"], f["thou"]), money(l["pu"], f), money(l["total"], f)]
        for (x, h, a), c in zip(cols, cells):
            (s.rtext if a == "r" else s.text)(x, y, c, size)
        s.line(40, y + 5, 560, y + 5)
        y += row_h
    total = sum(l["total"] for l in lines)
    s.line(380, y - row_h + 8, 560, y - row_h + 8)
    s.text(380, y + 4, rng.choice(["TOTAL HT", "Total HT", "Montant total HT"]), size + 1)
    s.rtext(560, y + 4, money(total, f), size + 1)
    vat = L.vat_total(lines)
    s.text(380, y + 20, "TVA", size)
    s.rtext(560, y + 20, money(vat, f), size)
    s.text(380, y + 36, "Total TTC", size + 1)
    s.rtext(560, y + 36, money(total + vat, f), size + 1)
    return s, num, total, pages


def paper_form(rng, cust, od, dl, lines):
    f = nums(rng)
    size = 9
    s = L.Spec()
    s.text(40, 50, "Sweetie Bio — Bon de commande", 16)
    s.text(40, 64, "Grossiste en épicerie biologique · commandes@sweetiebio.fr", 8)
    s.box(35, 30, 560, 72)
    s.text(40, 95, "Raison sociale :", size)
    s.text(130, 95, cust[1], size + 1)
    s.line(128, 98, 320, 98)
    s.text(40, 113, "Code client :", size)
    if rng.random() < 0.5:
        s.text(130, 113, cust[0], size + 1)
    s.line(128, 116, 320, 116)
    num = rng.choice(["%d" % rng.randrange(100, 9999), "BC-%04d" % rng.randrange(1, 9999),
                      "%s/%02d" % (od.strftime("%m%y"), rng.randrange(1, 40))])
    s.text(340, 95, "Votre n° de commande :", size)
    s.text(450, 95, num, size + 1)
    s.line(448, 98, 560, 98)
    dfmt = rng.choice(["dmy", "dmy2", "dot"])
    s.text(340, 113, "Date :", size)
    s.text(450, 113, L.fmt_date(od, dfmt), size + 1)
    s.line(448, 116, 560, 116)
    s.text(340, 131, "Livraison souhaitée :", size)
    if dl:
        s.text(450, 131, L.fmt_date(dl, dfmt), size + 1)
    s.line(448, 134, 560, 134)
    xs = [35, 100, 320, 375, 465, 560]
    y = 155
    row_h = 22
    heads = ["Réf.", "Désignation", "Qté", "Prix unit. HT", "Total HT"]
    for k, h in enumerate(heads):
        s.text(xs[k] + 4, y + 14, h, 8.5)
    rows = max(20, len(lines))
    s.line(xs[0], y, xs[-1], y)
    y += row_h
    top = 155
    for r in range(rows):
        s.line(xs[0], y, xs[-1], y)
        if r < len(lines):
            l = lines[r]
            cells = [l["ref"], L.fit(l["name"], 214, size + 0.5, True), L.fmt_qty(l["qty"], f["dec"], f["thou"]),
                     money(l["pu"], f), money(l["total"], f)]
            for k, c in enumerate(cells):
                if k >= 2:
                    s.rtext(xs[k + 1] - 5, y + row_h - 7, c, size + 0.5)
                else:
                    s.text(xs[k] + 4, y + row_h - 7, c, size + 0.5)
        y += row_h
    s.line(xs[0], y, xs[-1], y)
    for x in xs:
        s.line(x, top, x, y)
    total = sum(l["total"] for l in lines)
    vat = L.vat_total(lines)
    shown = rng.random() < 0.85
    for k, (lab, v) in enumerate((("Total HT", total), ("TVA", vat), ("Total TTC", total + vat))):
        yy = y + 20 + k * 18
        s.text(380, yy, lab, size)
        s.line(465, yy + 3, 560, yy + 3)
        if shown:
            s.rtext(555, yy, money(v, f), size + 0.5)
    s.text(40, y + 30, "Date, cachet et signature :", 8)
    return s, num, total if shown else None, 1


PRODUCERS = [("po-grid", po_grid, 24), ("po-rules", po_rules, 30), ("paper-form", paper_form, 24)]


def main():
    a = L.parse_args("scan", 8)
    for i in range(1, a.count + 1):
        rng = random.Random("scan-%d-%d" % (a.seed, i))
        producer, make, hi = PRODUCERS[(i - 1 + a.seed) % len(PRODUCERS)]
        cust = rng.choice(L.load_customers())
        od, dl = L.order_dates(rng)
        n = L.line_count(rng, 3, hi) if rng.random() < 0.25 else rng.randint(3, 14)
        lines = L.pick_lines(rng, n)
        spec, num, total, pages = make(rng, cust, od, dl, lines)
        scan = {"angle": round(rng.uniform(0.3, 2.5) * rng.choice([1, -1]), 2),
                "specks": rng.randrange(200, 901), "dpi": rng.choice([200, 240, 300]),
                "seed": rng.randrange(1, 10 ** 6),
                "jpeg": rng.choice([None, None, 60, 75, 85])}
        base = "%s/scan-%02d" % (a.outdir, i)
        with tempfile.TemporaryDirectory() as tmp:
            clean = os.path.join(tmp, "clean.pdf")
            spec.write(clean, rng.random() < 0.5)
            L.mkscan(clean, base + ".pdf", scan["angle"], scan["specks"], scan["dpi"], scan["seed"], scan["jpeg"])
        t = L.truth("scan", producer, cust, num, od, dl, lines, total)
        t["scan"] = scan
        t["pages"] = pages
        L.write_truth(base + ".json", t)


if __name__ == "__main__":
    main()
