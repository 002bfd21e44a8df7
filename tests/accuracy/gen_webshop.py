#!/usr/bin/env python3
"""Kind 3 of issue 16: a web shop's back-office order page printed to PDF.

    TOOLS=build/tools python3 tests/accuracy/gen_webshop.py OUTDIR [--count N] [--seed S]

writes OUTDIR/webshop-01.pdf, webshop-01.json (the truth), ...

Producers (drawn in turn, then their variations at random):
  presta   "Référence : KXJQZPLMT" (nine letters) or "#WEB-10482", products
           with "Réf. fournisseur : BIO-1012" on the line under the name,
           columns product, unit price, quantity, total
  woo      "Commande n° 10482", "Passée le 21 nov. 2026 à 14:32", quantity
           as "× 12" before the price, "SKU : BIO-1012" under the name
  shopify  "Commande #1482", the date in full or abbreviated, quantity
           and price on the line under the name ("12 × 3,45 €")
Every producer: shop header and footer clutter (shop name, address, opening
hours, "Merci pour votre commande", shipping and payment method), some
lines without a reference whose name is exactly the catalogue's, thousands
separated by a narrow no-break space U+202F (DejaVu Sans, embedded) or a
no-break space (Helvetica), totals with shipping and VAT (the HT total
printed or not), delivery date or not, several pages when the lines are
many.
"""
import math
import sys
from decimal import Decimal

sys.path.insert(0, __import__("os").path.dirname(__file__))
import acclib_gen1 as L  # noqa: E402

KIND = "webshop"

SHOPS = ["Panier Bio Express", "Ô Marché Vert", "La Cagette en ligne", "BioMalin.fr"]
SHIPPING = [("Colissimo", "9,90"), ("Livraison transporteur (palette)", "45,00"),
            ("Retrait au dépôt", "0,00"), ("Chronopost 24h", "14,50")]
PAYMENT = ["Virement bancaire", "Carte bancaire (Stripe)", "Paiement à 30 jours",
           "Prélèvement SEPA", "Chèque"]


def make(rng, i, products, customers):
    producer = ["presta", "woo", "shopify"][(i - 1) % 3]
    cust = rng.choice(customers)
    n = rng.choice([3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 27, 33, 40, 45])
    lines = L.pick_lines(rng, products, n, kg_ok=False, big_qty=0.1)
    num = rng.randrange(1000, 99999)
    if producer == "presta":
        number = rng.choice(["".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(9)),
                             "WEB-%d" % num])
        nlabel = "Référence : " + ("#" if number.startswith("WEB") else "") + number
    elif producer == "woo":
        number = str(num)
        nlabel = rng.choice(["Commande n° ", "Commande n°", "Commande N° "]) + number
    else:
        number = str(num)
        nlabel = rng.choice(["Commande #", "Référence de commande : #"]) + number
    odate = L.random_date(rng)
    ddate = odate + L.datetime.timedelta(days=rng.randrange(2, 12)) if rng.random() < 0.5 else None
    font = rng.choice(["sans", "sans", "helvetica"])
    bold = "sans-bold" if font == "sans" else "helvetica-bold"
    thou = L.NNBSP if font == "sans" else L.NBSP
    euro = rng.choice([" €", L.NBSP + "€", " EUR"]) if font == "helvetica" else rng.choice([" €", L.NNBSP + "€", L.NBSP + "€"])
    dstyle = rng.choice(["abbr", "abbr", "abbr", "long", "dmy/"])
    fs = rng.choice([8, 8.5, 9, 9.5, 10])
    noref_share = rng.choice([0, 0.15, 0.3])
    reflabel = {"presta": rng.choice(["Réf. fournisseur : ", "Référence : ", "Réf. : "]),
                "woo": rng.choice(["SKU : ", "UGS : ", "Réf. fournisseur : "]),
                "shopify": rng.choice(["SKU: ", "Réf. fournisseur : "])}[producer]
    show_ht = rng.random() < 0.7
    shop = rng.choice(SHOPS)
    ship = rng.choice(SHIPPING)
    pay = rng.choice(PAYMENT)

    def money(d):
        return L.num(d, 2, ",", thou) + euro

    left, right = 40, 555
    sp = L.Spec()
    sp.font(font)
    y = [0.0]

    def header(first, pno):
        sp.font(bold)
        sp.size(fs + 6)
        sp.text(left, 42, shop)
        sp.font(font)
        sp.size(fs - 1)
        sp.rtext(right, 38, rng.choice(["Tableau de bord", "Back-office"]) + "  >  Commandes  >  " + nlabel.split()[-1])
        sp.text(left, 56, rng.choice(["Épicerie fine et vrac bio", "Votre marché bio en ligne", "Produits bio et locaux"]))
        sp.line(left, 62, right, 62)
        sp.size(fs)
        y[0] = 80
        if not first:
            sp.text(left, y[0], nlabel + " (suite)")
            y[0] += 2 * fs
            return
        sp.font(bold)
        sp.size(fs + 4)
        sp.text(left, y[0], nlabel)
        sp.font(font)
        sp.size(fs)
        y[0] += fs + 8
        if producer == "woo":
            sp.text(left, y[0], "Passée le %s à %02d:%02d" % (L.fdate(odate, dstyle), rng.randrange(7, 22), rng.randrange(60)))
        else:
            sp.text(left, y[0], rng.choice(["Date : ", "Date de la commande : ", "Date de commande : "]) + L.fdate(odate, dstyle))
        sp.rtext(right, y[0], "Statut : " + rng.choice(["Paiement accepté", "En cours de préparation", "Validée"]))
        y[0] += fs + 4
        if ddate:
            sp.text(left, y[0], rng.choice(["Livraison estimée : ", "Date de livraison souhaitée : ", "Livraison prévue le "]) + L.fdate(ddate, dstyle))
            y[0] += fs + 4
        y[0] += 8
        # Two address blocks side by side.
        sp.font(bold)
        sp.text(left, y[0], "Adresse de facturation")
        sp.text(300, y[0], "Adresse de livraison")
        sp.font(font)
        for k, s in enumerate([cust["name"], rng.choice(["4 rue Sainte-Catherine", "18 cours de l'Intendance", "2 place Gambetta"]),
                               rng.choice(["33000 Bordeaux", "33500 Libourne", "24000 Périgueux"]), cust["email"]]):
            sp.text(left, y[0] + (k + 1) * (fs + 3), s)
            if k < 3:
                sp.text(300, y[0] + (k + 1) * (fs + 3), s)
        y[0] += 5 * (fs + 3) + 12

    # Columns: name at the left, then the numbers at the right.
    if producer == "presta":
        cols = [("Produit", left), ("Prix unitaire HT", 390), ("Quantité", 450), ("Total HT", right)]
    elif producer == "woo":
        cols = [("Article", left), ("Qté", 380), ("Prix unit. HT", 460), ("Total", right)]
    else:
        cols = [("Produit", left), ("Total HT", right)]

    def table_head():
        sp.font(bold)
        for k, (h, x) in enumerate(cols):
            (sp.text if k == 0 else sp.rtext)(x, y[0], h)
        sp.font(font)
        sp.line(left, y[0] + 4, right, y[0] + 4)
        y[0] += fs + 10

    per = (fs + 3) * 2 + 6
    pno = 1
    header(True, 1)
    table_head()
    total = Decimal(0)
    for k, l in enumerate(lines):
        if y[0] + per > (700 if k == len(lines) - 1 else 790):
            sp.size(fs - 1)
            sp.rtext(right, 822, "%d" % pno)
            sp.page()
            pno += 1
            sp.font(font)
            sp.size(fs)
            header(False, pno)
            table_head()
        p = l["p"]
        has_ref = rng.random() >= noref_share
        lt = L.line_total(l)
        total += lt
        sp.text(left, y[0], p["name"])
        sub = y[0] + fs + 3
        if producer == "shopify":
            sp.text(left + 10, sub, "%s × %s" % (L.num(l["qty"], 0, ",", thou), money(l["price"])))
            if has_ref:
                sp.text(left + 150, sub, reflabel + p["ref"])
            sp.rtext(right, y[0], money(lt))
        else:
            if has_ref:
                sp.size(fs - 1)
                sp.text(left + 8, sub, reflabel + p["ref"])
                sp.size(fs)
            q = L.num(l["qty"], 0, ",", thou)
            for h, x in cols[1:]:
                v = {"Prix unitaire HT": money(l["price"]), "Prix unit. HT": money(l["price"]),
                     "Quantité": q, "Qté": "× " + q, "Total HT": money(lt), "Total": money(lt)}[h]
                sp.rtext(x, y[0], v)
        y[0] += per
    sp.line(left, y[0] - 6, right, y[0] - 6)
    y[0] += 6
    xl = 340
    vat = sum((L.q2(L.line_total(x) * Decimal(x["p"]["vat_rate"]) / 100) for x in lines), Decimal(0))
    shipd = Decimal(ship[1].replace(",", "."))
    rows = []
    if show_ht:
        rows.append((rng.choice(["Sous-total HT", "Total produits HT", "Total HT"]), money(total)))
    else:
        rows.append(("Sous-total TTC", money(total + vat)))
    rows.append(("Livraison (" + ship[0] + ")", money(shipd)))
    rows.append(("TVA", money(vat + L.q2(shipd * Decimal("0.2")))))
    rows.append(("Total TTC", money(total + vat + shipd + L.q2(shipd * Decimal("0.2")))))
    for k, (a, b) in enumerate(rows):
        if k == len(rows) - 1:
            sp.font(bold)
        sp.text(xl, y[0], a)
        sp.rtext(right, y[0], b)
        y[0] += fs + 5
    sp.font(font)
    y[0] += 10
    sp.text(left, y[0], "Mode de livraison : " + ship[0])
    sp.text(left, y[0] + fs + 4, "Moyen de paiement : " + pay)
    if rng.random() < 0.5:
        sp.text(left, y[0] + 2 * (fs + 4), "Message du client : " + rng.choice(
            ["merci de livrer avant 10h", "Livraison par l'arrière de la boutique svp", "RAS"]))
    sp.size(fs - 1)
    sp.text(left, 800, "Merci pour votre commande !  %s — SAS au capital de 10 000 € — %s" % (shop, rng.choice(["contact@", "bonjour@"]) + shop.lower().replace(" ", "").replace("ô", "o").replace(".fr", "") + ".fr"))
    sp.text(left, 810, "Service client du lundi au vendredi, 9h-18h — CGV sur notre site")
    sp.rtext(right, 822, "%d" % pno if pno > 1 else "")
    t = L.truth(KIND, producer, cust, number, odate, ddate, lines, total if show_ht else None)
    return sp, t


def main():
    L.run(KIND, make)


if __name__ == "__main__":
    main()
