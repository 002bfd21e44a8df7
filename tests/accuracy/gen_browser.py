#!/usr/bin/env python3
"""Kind 4 of issue 16: purchase orders printed from a browser.

    TOOLS=build/tools python3 tests/accuracy/gen_browser.py OUTDIR [--count N] [--seed S]

Each document is a customer's ERP screen or admin page as Chromium prints it
(emulated with mkpdf): the print header (date and time top left, page title
top centre) and footer (URL bottom left, "1/2" bottom right), the
application's menus, side bar and buttons in the text layer, header labels
wrapped over two lines, the customer's own article code before ours (in its
own column, or before our reference in the same cell), long designations
wrapped in their cell, and a table that goes on over a second page with its
header repeated (Chromium repeats a <thead>).

Writes OUTDIR/browser-NN.pdf and OUTDIR/browser-NN.json (the truth).
"""
import datetime
import random
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import acclib_gen2 as L  # noqa: E402

PAGE_W, PAGE_H = 595, 842


class Flow:
    """Pages being laid out; the browser's print header and footer are
    added at the end, when the number of pages is known."""

    def __init__(self, top, bottom):
        self.pages = [L.Spec()]
        self.top, self.bottom = top, bottom
        self.y = top

    @property
    def s(self):
        return self.pages[-1]

    def new_page(self):
        self.pages.append(L.Spec())
        self.y = self.top

    def spec(self, chrome):
        out = L.Spec()
        for n, p in enumerate(self.pages):
            if n:
                out.page()
            chrome(p, n + 1, len(self.pages))
            out.cmds += p.cmds
        return out


def money(v, fmt):
    s = L.fmt_num(v, 2, fmt["dec"], fmt["thou"])
    return s + fmt["cur"]


def chromium_chrome(rng, title, url, printed, size_hf, us):
    if us:
        h = printed.hour % 12 or 12
        stamp = "%d/%d/%02d, %d:%02d %s" % (printed.month, printed.day, printed.year % 100, h,
                                          printed.minute, "PM" if printed.hour >= 12 else "AM")
    else:
        stamp = printed.strftime("%d/%m/%Y %H:%M")

    def chrome(p, n, total):
        hf = L.Spec()
        hf.text(22, 20, stamp, size_hf)
        hf.ctext(PAGE_W / 2 + 30, 20, L.fit(title, 300, size_hf), size_hf)
        hf.text(22, 832, L.fit(url, 420, size_hf), size_hf)
        hf.rtext(573, 832, "%d/%d" % (n, total), size_hf)
        p.cmds[:0] = hf.cmds
        p.size = None
    return chrome


def number_format(rng, p_dot=0.2):
    if rng.random() < p_dot:
        return {"dec": ".", "thou": rng.choice(["", ","]), "cur": rng.choice(["", "", " €"])}
    return {"dec": ",", "thou": rng.choice(["", " ", "\u00a0"]), "cur": rng.choice(["", "", " €", " €"])}


def draw_table(fl, rng, cols, rows, size, row_h, header_lines, rules, on_new_page):
    """cols: (header lines, x0, x1, align); rows: lists of cell line lists.
    The header is drawn again at the top of each new page."""
    lead = size + 2

    def header():
        y = fl.y
        hh = lead * header_lines + 4
        if rules:
            fl.s.line(cols[0][1] - 4, y - size - 3, cols[-1][2] + 4, y - size - 3)
        for head, x0, x1, align in cols:
            for k, h in enumerate(head):
                yy = y + k * lead
                if align == "r":
                    fl.s.rtext(x1, yy, h, size)
                else:
                    fl.s.text(x0, yy, h, size)
        fl.s.line(cols[0][1] - 4, y + hh - size, cols[-1][2] + 4, y + hh - size)
        fl.y = y + hh + 6

    header()
    for cells in rows:
        height = max(len(c) for c in cells)
        need = row_h + (height - 1) * lead
        if fl.y + need > fl.bottom:
            fl.new_page()
            on_new_page()
            header()
        for (head, x0, x1, align), lines in zip(cols, cells):
            for k, t in enumerate(lines):
                if align == "r":
                    fl.s.rtext(x1, fl.y + k * lead, t, size)
                else:
                    fl.s.text(x0, fl.y + k * lead, t, size)
        if rules:
            fl.s.line(cols[0][1] - 4, fl.y + need - size - 2, cols[-1][2] + 4, fl.y + need - size - 2)
        fl.y += need


def common(rng):
    cust = rng.choice(L.load_customers())
    order_date, delivery = L.order_dates(rng)
    lines = L.pick_lines(rng, L.line_count(rng))
    printed = datetime.datetime.combine(order_date, datetime.time(rng.randrange(8, 19), rng.randrange(60))) \
        + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2]))
    domain = re.sub(r".*@", "", cust[2])
    return cust, order_date, delivery, lines, printed, domain


def ref_print(rng, ref, p_nohyphen):
    return ref.replace("-", "") if rng.random() < p_nohyphen else ref


# ------------------------------------------------------------------ producers

def erp_screen(rng, i):
    """A purchasing ERP screen: top menu, a left column of menu items beside
    the header fields and the table, buttons, the customer's code and
    designation in one column and our reference in another."""
    cust, od, dl, lines, printed, domain = common(rng)
    app = rng.choice(["GestPro", "MonERP", "Axelor", "OpenGest", "ProGiciel"])
    num = rng.choice(["BCF", "CF", "PO", "CA"]) + rng.choice(["-", "", "-2026-"]) + "%04d" % rng.randrange(1, 9999)
    oid = rng.randrange(1000, 99999)
    dfmt = rng.choice(["dmy", "dmy", "iso", "long", "abbr"])
    fmt = number_format(rng)
    size = rng.choice([7.5, 8, 8.5, 9])
    dejavu = rng.random() < 0.4
    fl = Flow(60, rng.choice([780, 790, 800]))
    s = fl.s
    # application bar
    s.text(30, 50, app, 12)
    x = 110
    for m in ["Accueil", "Ventes", "Achats", "Stock", "Comptabilité", "Rapports"]:
        s.text(x, 50, m, 8.5)
        x += L.text_width(m, 8.5) + 16
    s.rtext(570, 50, rng.choice(["M. Durand", "Claire L.", "admin", "Sophie Martin"]) + "  |  Déconnexion", 8)
    s.line(20, 58, 575, 58)
    # side bar
    y = 84
    for m in rng.sample(["Tableau de bord", "Commandes", "Demandes de prix", "Fournisseurs", "Réceptions",
                         "Factures fournisseurs", "Articles", "Inventaire", "Mouvements", "Paramètres",
                         "Aide"], 8):
        s.text(26, y, m, 8)
        y += 20
    s.line(118, 62, 118, 780)
    mx = 130
    s.text(mx, 78, "Achats  >  Commandes fournisseurs  >  " + num, 7.5)
    title = rng.choice(["Commande fournisseur ", "Bon de commande ", "Commande d'achat "])
    s.text(mx, 100, title + num, 14)
    bx = mx
    for b in rng.sample(["Imprimer", "Modifier", "Envoyer par e-mail", "Annuler", "Dupliquer", "Valider"], 4):
        w = L.text_width(b, 8) + 14
        s.box(bx, 110, bx + w, 126)
        s.text(bx + 7, 121, b, 8)
        bx += w + 8
    s.text(mx + 330, 121, "Statut : " + rng.choice(["Validée", "Envoyée", "Confirmée"]), 8)
    # header fields, some labels wrapped over two lines
    label_ref = rng.choice(["N° de commande", "Référence", "N° commande", "Numéro"])
    fields = [
        ([label_ref], num),
        (["Fournisseur"], "Sweetie Bio"),
        (["Date de", "commande"] if rng.random() < 0.6 else ["Date de commande"], L.fmt_date(od, dfmt)),
        (["Date de", "livraison"] if rng.random() < 0.7 else ["Livraison prévue"],
         L.fmt_date(dl, dfmt) if dl else ""),
        (["Acheteur"], rng.choice(["M. Durand", "Claire Lefèvre", "Service achats"])),
        (["Entrepôt de", "livraison"], rng.choice(["Magasin principal", "Dépôt " + cust[1][:18]])),
    ]
    y0 = 150
    for k, (lab, val) in enumerate(fields):
        cx = mx if k % 2 == 0 else mx + 225
        yy = y0 + (k // 2) * 30
        for j, t in enumerate(lab):
            s.text(cx, yy + j * 10, t, 8)
        s.text(cx + 80, yy, val, 9)
    fl.y = y0 + 3 * 30 + 18
    used = set()
    style = L.code_style(rng)
    own_names = rng.random() < 0.3
    rows = []
    colw = 175
    for l in lines:
        code = L.customer_code(rng, used, style)
        name = l["name"].upper() if own_names else l["name"]
        art = L.wrap(code + " - " + name, colw - 6, size, dejavu)
        rows.append([art, [ref_print(rng, l["ref"], 0.15)], [L.fmt_qty(l["qty"], fmt["dec"], fmt["thou"])],
                     [money(l["pu"], fmt)], [money(l["total"], fmt)]])
    cols = [(["Article"], mx, mx + colw, "l"),
            (["Réf.", "fournisseur"] if rng.random() < 0.6 else ["Réf. fourn."], mx + colw + 4, mx + colw + 70, "l"),
            (["Qté"] if rng.random() < 0.5 else ["Quantité"], 0, mx + colw + 120, "r"),
            (["Prix unitaire", "HT"], 0, mx + colw + 185, "r"),
            (["Montant", "HT"] if rng.random() < 0.5 else ["Total HT"], 0, 570, "r")]
    hl = max(len(c[0]) for c in cols)
    draw_table(fl, rng, cols, rows, size, rng.choice([20, 22, 24, 26]), hl, True, lambda: None)
    total = sum(l["total"] for l in lines)
    show_total = rng.random() < 0.85
    if fl.y + 60 > fl.bottom:
        fl.new_page()
    if show_total:
        fl.y += 10
        vat = L.vat_total(lines)
        for lab, v in (("Total HT", total), ("TVA", vat), ("Total TTC", total + vat)):
            fl.s.text(mx + 250, fl.y, lab, 9)
            fl.s.rtext(570, fl.y, money(v, fmt), 9)
            fl.y += 14
    fl.y += 10
    fl.s.text(mx, min(fl.y, fl.bottom), "%s v%d.%d  -  © 2026" % (app, rng.randrange(2, 9), rng.randrange(10)), 7)
    url = "https://%s/%s?id=%d" % (rng.choice(["erp." + domain, domain + "/erp", "gestion." + domain]),
                                  rng.choice(["achats/commande", "purchase/order", "app/achats/bc"]), oid)
    pt = "%s - %s" % (num, app) if rng.random() < 0.5 else "%s | %s" % (title.strip(), app)
    spec = fl.spec(chromium_chrome(rng, pt, url, printed, 8, rng.random() < 0.15))
    return spec, not dejavu, L.truth("browser", "erp-screen", cust, num, od, dl, lines,
                                      total if show_total else None)


def admin_page(rng, i):
    """A back office page ("Administration"): a black top band of menus, a
    side bar with counters, the customer's code, our reference and the
    designation all in one cell, two-line column headings."""
    cust, od, dl, lines, printed, domain = common(rng)
    num = rng.choice(["#", "", "PO-", "CMD"]) + "%d" % rng.randrange(1000, 99999)
    fmt = number_format(rng, 0.3)
    dfmt = rng.choice(["dmy", "abbr", "long", "iso", "dmy2"])
    size = rng.choice([7, 7.5, 8, 8.5])
    dejavu = rng.random() < 0.4
    fl = Flow(rng.choice([56, 64]), rng.choice([785, 795]))
    s = fl.s
    s.text(24, 44, rng.choice(["Administration", "Back-office", "Espace pro"]), 10)
    x = 140
    for m in rng.sample(["Tableau de bord", "Catalogue", "Commandes", "Clients", "Fournisseurs",
                         "Statistiques", "Modules"], 5):
        s.text(x, 44, m, 8)
        x += L.text_width(m, 8) + 14
    s.rtext(572, 44, "Aide   Déconnexion", 8)
    s.line(20, 52, 575, 52)
    side = [("Commandes", rng.randrange(3, 40)), ("Bons de commande", None), ("Réapprovisionnement", None),
            ("Fournisseurs", rng.randrange(5, 60)), ("Produits", None), ("Stock", None), ("Retours", rng.randrange(0, 5)),
            ("Paramètres", None)]
    y = 78
    for m, n in side:
        s.text(24, y, m + (" (%d)" % n if n is not None else ""), 7.5)
        y += 17
    s.line(122, 56, 122, 600)
    mx = 134
    lab = rng.choice(["Bon de commande fournisseur", "Commande fournisseur n°", "Réapprovisionnement",
                      "Commande d'achat"])
    if lab.endswith("n°"):
        s.text(mx, 80, lab + " " + num, 13)
    else:
        s.text(mx, 80, lab, 13)
        s.text(mx, 96, rng.choice(["Référence : ", "N° de commande : ", "Commande n° "]) + num, 9)
    s.rtext(570, 80, "Imprimer   Exporter PDF   Retour à la liste", 8)
    s.text(mx, 116, "Fournisseur : Sweetie Bio - commandes@sweetiebio.fr", 8)
    s.text(mx, 130, rng.choice(["Date de commande : ", "Passée le ", "Créée le "]) + L.fmt_date(od, dfmt), 8)
    if dl:
        s.text(mx + 220, 130, rng.choice(["Livraison souhaitée : ", "Date de livraison : ", "À livrer le "])
               + L.fmt_date(dl, dfmt), 8)
    s.text(mx, 144, "Livrer à : " + cust[1], 8)
    s.text(mx + 220, 144, "Statut : " + rng.choice(["En attente", "Envoyée au fournisseur", "Validée"]), 8)
    fl.y = 172
    used = set()
    style = L.code_style(rng)
    together = rng.choice(["code ref name", "code - name (ref)", "code ref - name"])
    colw = rng.choice([200, 215, 230])
    rows = []
    for l in lines:
        code = L.customer_code(rng, used, style)
        r = ref_print(rng, l["ref"], 0.1)
        if together == "code ref name":
            t = "%s %s %s" % (code, r, l["name"])
        elif together == "code - name (ref)":
            t = "%s - %s (%s)" % (code, l["name"], r)
        else:
            t = "%s %s - %s" % (code, r, l["name"])
        rows.append([L.wrap(t, colw - 6, size, dejavu), [L.fmt_qty(l["qty"], fmt["dec"], fmt["thou"])],
                     [money(l["pu"], fmt)], [money(l["total"], fmt)]])
    right = 570
    cols = [(["Produit"], mx, mx + colw, "l"),
            (["Quantité", "commandée"], 0, mx + colw + 60, "r"),
            (["Prix", "unitaire HT"] if rng.random() < 0.5 else ["P.U.", "HT"], 0, mx + colw + 130, "r"),
            (["Total", "HT"], 0, right, "r")]
    draw_table(fl, rng, cols, rows, size, rng.choice([19, 21, 23, 25]), 2, rng.random() < 0.7,
               lambda: None)
    total = sum(l["total"] for l in lines)
    show_total = rng.random() < 0.8
    if fl.y + 50 > fl.bottom:
        fl.new_page()
    fl.y += 8
    if show_total:
        fl.s.text(mx + colw, fl.y, rng.choice(["Total HT", "Total HT :", "Sous-total HT"]), 9)
        fl.s.rtext(right, fl.y, money(total, fmt), 9)
        fl.y += 14
        if rng.random() < 0.5:
            fl.s.text(mx + colw, fl.y, "Frais de port", 9)
            fl.s.rtext(right, fl.y, money(0, fmt), 9)
            fl.y += 14
    fl.s.text(mx, fl.y + 10, rng.choice(["Commentaire : livraison par l'arrière du magasin.",
                                         "Merci de confirmer la date de livraison.", ""]) or " ", 8)
    url = "https://%s/admin%d/index.php?controller=AdminSupplyOrders&id_supply_order=%d&token=%x" % (
        domain, rng.randrange(100, 999), rng.randrange(10, 9999), rng.getrandbits(64))
    if rng.random() < 0.5:
        url = "https://%s/wp-admin/admin.php?page=achats&commande=%d" % (domain, rng.randrange(100, 9999))
    pt = rng.choice(["Commandes fournisseurs • ", "Administration - ", ""]) + cust[1]
    spec = fl.spec(chromium_chrome(rng, pt, url, printed, rng.choice([7, 8]), rng.random() < 0.2))
    # "Sous-total HT" is still the order's total (no other line follows)
    return spec, not dejavu, L.truth("browser", "admin-page", cust, num, od, dl, lines,
                                      total if show_total else None)


def gestion_tabs(rng, i):
    """A small business suite's order card: tabs (Fiche, Contacts,
    Documents...), a right-hand panel of actions, the customer's code in its
    own column, our reference in another, a unit column, a VAT column."""
    cust, od, dl, lines, printed, domain = common(rng)
    year = od.year % 100
    num = rng.choice(["CF%02d%02d-%04d" % (year, od.month, rng.randrange(1, 999)),
                      "(PROV%d)" % rng.randrange(10, 999) if False else "SO%05d" % rng.randrange(1, 99999),
                      "%d/%d" % (od.year, rng.randrange(100, 9999))])
    fmt = number_format(rng, 0.25)
    dfmt = rng.choice(["dmy", "dmy", "weekday", "dash", "iso"])
    size = rng.choice([7, 7.5, 8])
    dejavu = rng.random() < 0.4
    fl = Flow(54, rng.choice([770, 790]))
    s = fl.s
    x = 24
    for m in ["Accueil", "Tiers", "Produits", "Commercial", "Facturation", "Banque", "Outils"]:
        s.text(x, 44, m, 8)
        x += L.text_width(m, 8) + 18
    s.rtext(572, 44, "Déconnexion", 8)
    s.line(20, 50, 575, 50)
    y = 74
    s.text(24, y, "Commandes fournisseurs", 8)
    for m in ["Nouvelle commande", "Liste", "Brouillon", "Validée", "Approuvée", "Envoyée", "Reçue", "Statistiques"]:
        y += 15
        s.text(32, y, m, 7.5)
    s.line(120, 56, 120, 215)
    mx = 128
    x = mx
    for t in ["Fiche", "Contacts/Adresses", "Fichiers joints", "Notes", "Historique"]:
        s.text(x, 72, t, 8)
        x += L.text_width(t, 8) + 14
    s.line(mx, 78, 575, 78)
    s.text(mx, 96, num, 13)
    s.text(mx, 110, "Sweetie Bio", 9)
    lab_ref = rng.choice(["Réf. commande", "Référence", "N° de commande"])
    rows_h = [([lab_ref], num),
              (["Date commande"] if rng.random() < 0.5 else ["Date de", "la commande"], L.fmt_date(od, dfmt)),
              (["Date de", "livraison prévue"] if rng.random() < 0.6 else ["Livraison"],
               L.fmt_date(dl, dfmt) if dl else ""),
              (["Conditions de", "règlement"], rng.choice(["30 jours fin de mois", "45 jours", "À réception"])),
              (["Mode de règlement"], rng.choice(["Virement", "Prélèvement", "LCR"]))]
    y = 132
    for lab, v in rows_h:
        for j, t in enumerate(lab):
            s.text(mx, y + j * 9, t, 8)
        s.text(mx + 95, y, v, 8.5)
        s.line(mx, y + 9 * len(lab) - 4, 420, y + 9 * len(lab) - 4)
        y += 9 * len(lab) + 9
    # right panel of actions
    px = 440
    s.text(px, 132, "Actions", 9)
    for k, a in enumerate(rng.sample(["Modifier", "Valider", "Envoyer par mail", "Cloner", "Annuler",
                                      "Supprimer", "Classer reçue", "Créer facture"], 5)):
        s.box(px, 140 + k * 20, 570, 154 + k * 20)
        s.text(px + 6, 150 + k * 20, a, 8)
    fl.y = max(y, 250) + 16
    used = set()
    style = L.code_style(rng)
    rows = []
    unit_col = rng.random() < 0.6
    for l in lines:
        code = L.customer_code(rng, used, style)
        r = [[code], L.wrap(l["name"], 150, size, dejavu), [ref_print(rng, l["ref"], 0.2)],
             [L.fmt_num(l["vat"], 1, fmt["dec"], trim=True) + " %"]]
        if unit_col:
            r.append(["KG" if l["unit"] == "kg" else rng.choice(["PCE", "U", "UN"])])
        r += [[L.fmt_qty(l["qty"], fmt["dec"], fmt["thou"])], [money(l["pu"], fmt)], [money(l["total"], fmt)]]
        rows.append(r)
    cols = [(["Code"], 26, 70, "l"),
            (["Désignation"], 78, 230, "l"),
            (["Réf.", "fournisseur"], 236, 300, "l"),
            (["TVA"], 0, 330, "r")]
    x = 330
    if unit_col:
        cols.append((["Unité"], 340, 370, "l"))
        x = 370
    cols += [(["Qté"], 0, x + 40, "r"),
             (["P.U. HT"] if rng.random() < 0.5 else ["Prix", "unitaire HT"], 0, x + 110, "r"),
             (["Total HT"] if rng.random() < 0.5 else ["Montant", "HT"], 0, 570, "r")]
    draw_table(fl, rng, cols, rows, size, rng.choice([17, 19, 21, 23]), 2, True, lambda: None)
    total = sum(l["total"] for l in lines)
    if fl.y + 60 > fl.bottom:
        fl.new_page()
    vat = L.vat_total(lines)
    fl.y += 10
    show_total = rng.random() < 0.9
    if show_total:
        for lab, v in (("Montant HT", total), ("Montant TVA", vat), ("Montant TTC", total + vat)):
            fl.s.text(400, fl.y, lab, 8.5)
            fl.s.rtext(570, fl.y, money(v, fmt), 8.5)
            fl.y += 13
    url = "https://%s/fourn/commande/card.php?id=%d&save_lastsearch_values=1" % (
        rng.choice(["gestion." + domain, domain + "/dolibarr", "erp." + domain]), rng.randrange(10, 9999))
    pt = rng.choice(["Commande fournisseur - ", "Fiche commande - "]) + num
    spec = fl.spec(chromium_chrome(rng, pt, url, printed, 8, rng.random() < 0.1))
    return spec, not dejavu, L.truth("browser", "gestion-tabs", cust, num, od, dl, lines,
                                      total if show_total else None)


PRODUCERS = [erp_screen, admin_page, gestion_tabs]


def main():
    a = L.parse_args("browser", 12)
    for i in range(1, a.count + 1):
        rng = random.Random("browser-%d-%d" % (a.seed, i))
        prod = PRODUCERS[(i - 1 + a.seed) % len(PRODUCERS)]
        spec, standard, t = prod(rng, i)
        base = "%s/browser-%02d" % (a.outdir, i)
        spec.write(base + ".pdf", standard)
        L.write_truth(base + ".json", t)


if __name__ == "__main__":
    main()
