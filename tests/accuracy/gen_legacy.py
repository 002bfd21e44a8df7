#!/usr/bin/env python3
"""Kind 2 of issue 16: fixed-width listings from legacy software, printed to
PDF (monospaced, one text run per printed line, no table rules).

    TOOLS=build/tools python3 tests/accuracy/gen_legacy.py OUTDIR [--count N] [--seed S]

writes OUTDIR/legacy-01.pdf, legacy-01.json (the truth), ...

Producers (drawn in turn, then their variations at random):
  as400    Courier capitals without accents, "NUMERO : BCF004512", a page
           header repeated with "PAGE :", rules of dashes, columns code,
           designation, unit, quantity, unit price, amount
  cobol    Courier, a line number first, quantity before the unit, "=" rules,
           a short date "20.11.26" on the edition line and the long one in
           the header, "NO COMMANDE :" or "NUMERO CDE :"
  unix     DejaVu Sans Mono (embedded), mixed case with accents, some
           references with U+2212 for their hyphen ("BIO−1003"), no amount
           column at times
Variations: sizes and leading, designation field width and its overflow
(truncated, or running into the next column and shifting it), references
with or without their hyphen, three-decimal quantities and prices with a dot
("24.000", "5.200" kg, "4.950"), amounts with two or three decimals, units
(UN, PCE, U, KG), lines per page (1 to 3 pages), total or not, delivery date
or not.
"""
import math
import sys
from decimal import Decimal

sys.path.insert(0, __import__("os").path.dirname(__file__))
import acclib_gen1 as L  # noqa: E402

KIND = "legacy"

SUPPLIERS = ["COMPTOIR BIO DU SUD-OUEST", "LES VERGERS BIO SARL", "DISTRIBIO AQUITAINE"]


def make(rng, i, products, customers):
    producer = ["as400", "cobol", "unix"][(i - 1) % 3]
    cust = rng.choice(customers)
    n = rng.choice([3, 4, 6, 8, 10, 12, 14, 17, 20, 24, 28, 33, 38, 45])
    lines = L.pick_lines(rng, products, n, kg_ok=True, big_qty=0.05, negotiated=0.3)
    if not any(l["p"]["unit"] == "kg" for l in lines) and rng.random() < 0.6:
        kg = [p for p in products if p["unit"] == "kg"][0]
        lines[rng.randrange(len(lines))] = L.pick_lines(rng, [kg], 1)[0]
    num = rng.randrange(1000, 999999)
    number = rng.choice(["BCF%06d" % num, "CF%06d" % num, "%07d" % num, "BC%06d" % num])
    odate = L.random_date(rng)
    ddate = odate + L.datetime.timedelta(days=rng.randrange(1, 15)) if rng.random() < 0.55 else None
    mono = producer == "unix"
    font = "mono" if mono else rng.choice(["courier", "courier", "courier-bold"])
    fs = rng.choice([7.5, 8, 8.5, 9, 9.5])
    lead = fs + rng.choice([1.5, 2, 3, 4])
    cw = fs * 0.6
    caps = not mono or rng.random() < 0.3
    dw = rng.choice([18, 20, 22, 24, 26, 30])
    overflow = rng.choice(["truncate", "overflow", "overflow", "fit"])
    if overflow == "fit":
        dw = 33
    hyphen = rng.choice(["none", "none", "mixed", "all"])
    minus = mono and rng.random() < 0.75
    amount_dec = rng.choice([2, 3])
    show_amount = not (producer == "unix" and rng.random() < 0.4)
    show_total = show_amount and rng.random() < 0.75
    unit_of = rng.choice(["UN", "PCE", "U"])
    per_page = rng.choice([15, 20, 25, 30, 40, 50])
    while math.ceil(n / per_page) > 3:
        per_page += 5
    maxrows = int((800 - 60) / lead) - 18
    per_page = min(per_page, maxrows)
    while math.ceil(n / per_page) > 3:
        lead -= 0.5
        maxrows = int((800 - 60) / lead) - 18
        per_page = maxrows
    npages = math.ceil(n / per_page)

    def up(s):
        return L.strip_accents(s).upper() if caps else s

    def ref_of(p):
        r = p["ref"]
        if minus and rng.random() < 0.5:
            return r.replace("-", L.MINUS)
        if hyphen == "none" or (hyphen == "mixed" and rng.random() < 0.5):
            return r.replace("-", "")
        return r

    def desc_field(name):
        s = up(name)
        if overflow == "truncate" or len(s) <= dw:
            return s[:dw].ljust(dw)
        return s  # runs into the next column: the rest of the line shifts

    def d3(d, places=3):
        return L.num(d, places, ".", "")

    dstyle = "dmy."
    label = {"as400": rng.choice(["NUMERO : ", "NUMERO     : "]),
             "cobol": rng.choice(["NO COMMANDE : ", "NUMERO CDE : ", "NUMERO : "]),
             "unix": rng.choice(["NUMERO : ", "Numéro : " if not caps else "NUMERO : "])}[producer]
    sep = {"as400": "-", "cobol": "=", "unix": rng.choice(["-", "—" if mono else "-"])}[producer]
    sp = L.Spec()
    sp.font(font)
    sp.size(fs)
    width = 84
    left = rng.choice([24, 30, 36])
    y = [0.0]

    def out(s):
        stripped = s.lstrip(" ")
        if stripped:
            sp.text(left + (len(s) - len(stripped)) * cw, y[0], stripped.rstrip())
        y[0] += lead

    if producer == "cobol":
        cols = [("LIG", 4, "r"), ("REFERENCE", 10, "l"), ("DESIGNATION", dw, "l"),
                ("QUANTITE", 10, "r"), ("UN", 3, "l"), ("P.U. HT", 10, "r"), ("MONTANT HT", 12, "r")]
    else:
        cols = [("CODE ART" if producer == "as400" else up("Référence"), 10, "l"),
                (up("Désignation"), dw, "l"), ("UN" if producer == "as400" else up("Unité"), 5, "l"),
                (up("Quantité"), 10, "r"), ("PRIX UNIT." if caps else "Prix unit.", 11, "r"),
                ("MONTANT" if caps else "Montant", 12, "r")]
    if not show_amount:
        cols = cols[:-1]

    def row(cells):
        s = ""
        for (h, w, al), c in zip(cols, cells):
            if al == "l":
                s += c.ljust(w) if len(c) <= w else c
                s += " "
            else:
                s += c.rjust(w) + " "
        return s.rstrip()

    def page_header(pno):
        y[0] = 40
        who = up(cust["name"])
        out(who.ljust(width - 28) + ("EDITION DU " if caps else "Édité le ") + L.fdate(odate, "dmy.2" if producer == "cobol" else "dmy."))
        out(" " * (width - 12) + ("PAGE : " if caps else "Page : ") + "%3d" % pno)
        out("")
        out(" " * 20 + ("BON DE COMMANDE FOURNISSEUR" if caps else "Bon de commande fournisseur"))
        out("")
        if pno == 1:
            out(label + number + " " * 8 + ("DATE : " if caps else "Date : ") + L.fdate(odate, dstyle))
            out(("FOURNISSEUR : " if caps else "Fournisseur : ") + "%05d " % rng.randrange(100000) + rng.choice(SUPPLIERS))
            if ddate:
                out(("LIVRAISON : " if caps else "Livraison : ") + L.fdate(ddate, dstyle))
            if rng.random() < 0.5:
                out(up("Adresse de livraison : ") + up(rng.choice(["12 rue des Tanneurs 33000 Bordeaux", "ZA du Port 24100 Bergerac"])))
        else:
            out(label + number + up(" (suite)"))
        out("")
        out(sep * width)
        out(row([h for h, w, al in cols]))
        out(sep * width)

    cum = Decimal(0)
    for pno in range(1, npages + 1):
        if pno > 1:
            sp.page()
            sp.font(font)
            sp.size(fs)
        page_header(pno)
        for k, l in enumerate(lines[(pno - 1) * per_page: pno * per_page]):
            idx = (pno - 1) * per_page + k + 1
            p = l["p"]
            unit = "KG" if p["unit"] == "kg" else unit_of
            amount = L.line_total(l)
            cum += amount
            if producer == "cobol":
                cells = ["%d" % idx, ref_of(p), desc_field(p["name"]), d3(l["qty"]), unit,
                         d3(l["price"]), d3(amount, amount_dec)]
            else:
                cells = [ref_of(p), desc_field(p["name"]), unit, d3(l["qty"]),
                         d3(l["price"]), d3(amount, amount_dec)]
            out(row(cells[:len(cols)]))
        out(sep * width)
        if pno < npages:
            if show_amount and producer == "as400":
                out(" " * 40 + "A REPORTER : " + d3(cum, amount_dec).rjust(14))
            out(" " * 30 + up("Suite page suivante"))
    if show_total:
        out("")
        out(" " * 36 + up("Total commande H.T. : ") + d3(cum, amount_dec).rjust(14))
    out("")
    out(up(rng.choice(["Merci de rappeler notre numero de commande sur vos BL et factures.",
                       "Horaires de reception : 7h-12h du lundi au vendredi.",
                       "Commande a confirmer par retour de mail."])))
    t = L.truth(KIND, producer, cust, number, odate, ddate, lines, cum if show_total else None)
    return sp, t


def main():
    L.run(KIND, make)


if __name__ == "__main__":
    main()
