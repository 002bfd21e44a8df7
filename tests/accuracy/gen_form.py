#!/usr/bin/env python3
"""Kind 5 of issue 16: Sweetie Bio's own order form, filled in digitally.

    python3 tests/accuracy/gen_form.py OUTDIR [--count N] [--seed S]

The form is an AcroForm PDF written here directly (libharu cannot write
form fields): the static labels and the grid in the page content
(Helvetica), one text field (a widget with /T, /V, /Rect and an appearance
stream, so that viewers and poppler show the value) per value.  Three
editions of the form, each with its own field names and column order:

  form-2026  one page, 20 rows: client, code_client, num_commande, date,
             date_livraison, ref_N, des_N, qte_N, pu_N, total_N, total_ht...
  form-2024  two pages (16 + 20 rows), older names: Client, NumCde, DateCde,
             DateLiv, Qte1, Ref1, Desig1, PU1, Montant1, TotalHT...
  form-acro  one page, 22 rows, names as Acrobat's field detection makes
             them: "Raison sociale", "N° de commande", "Référence 3",
             "Quantité 3", "Prix unitaire HT 3", "Montant HT 3"...

Values as customers type them: dot decimals (3.20, 3.2, 12.5) in most
documents, comma in a few; now and then a designation, a line amount, the
delivery date or the totals left empty; a reference typed BIO1043 or
bio-1043.  The truth's unit_price is the value typed.

Writes OUTDIR/form-NN.pdf and OUTDIR/form-NN.json (the truth).
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import acclib_gen2 as L  # noqa: E402

PAGE_W, PAGE_H = 595.0, 842.0


def lit(b):
    """A PDF literal string of bytes."""
    out = bytearray(b"(")
    for c in b:
        if c in b"()\\":
            out += b"\\" + bytes([c])
        elif c < 32:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out + b")")


def winansi(s):
    return s.replace("\u202f", " ").encode("cp1252", "replace")


def text_string(s):
    """A PDF text string (field names and values): PDFDocEncoding when
    ASCII, else UTF-16BE with its BOM."""
    try:
        return lit(s.encode("ascii"))
    except UnicodeEncodeError:
        return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


class Writer:
    def __init__(self):
        self.objs = {}
        self.n = 0

    def reserve(self):
        self.n += 1
        return self.n

    def set(self, num, body):
        self.objs[num] = body

    def add(self, body):
        num = self.reserve()
        self.set(num, body)
        return num

    def stream(self, dict_body, data, num=None):
        body = b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        if num is None:
            return self.add(body)
        self.set(num, body)
        return num

    def write(self, path, root, info):
        out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for num in range(1, self.n + 1):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objs[num] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n" % (self.n + 1)
        out += b"0000000000 65535 f \n"
        for num in range(1, self.n + 1):
            out += b"%010d 00000 n \n" % offsets[num]
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            self.n + 1, root, info, xref)
        with open(path, "wb") as f:
            f.write(out)


class Page:
    """A page's content (y from the top, as mkpdf) and its fields."""

    def __init__(self):
        self.ops = []
        self.fields = []

    def text(self, x, y, s, size=9, bold=False):
        self.ops.append(b"BT /%s %g Tf %.2f %.2f Td %s Tj ET" % (
            b"F2" if bold else b"F1", size, x, PAGE_H - y, lit(winansi(s))))

    def rtext(self, x, y, s, size=9, bold=False):
        self.text(x - L.text_width(s, size) * (1.05 if bold else 1), y, s, size, bold)

    def line(self, x1, y1, x2, y2, w=0.5):
        self.ops.append(b"%.2f w %.2f %.2f m %.2f %.2f l S" % (w, x1, PAGE_H - y1, x2, PAGE_H - y2))

    def fill(self, x1, y1, x2, y2, grey):
        self.ops.append(b"%.2f g %.2f %.2f %.2f %.2f re f 0 g" % (grey, x1, PAGE_H - y2, x2 - x1, y2 - y1))

    def field(self, name, value, x1, y1, x2, y2, align=0, size=9):
        """A text field over the box (x1, y1)-(x2, y2), y from the top."""
        self.fields.append((name, value, x1, PAGE_H - y2, x2, PAGE_H - y1, align, size))


def build_pdf(path, pages, need_appearances, title):
    w = Writer()
    catalog, pages_num, acro = w.reserve(), w.reserve(), w.reserve()
    f1 = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    fonts = b"<< /F1 %d 0 R /F2 %d 0 R /Helv %d 0 R >>" % (f1, f2, f1)
    kids, all_fields = [], []
    for p in pages:
        pnum = w.reserve()
        kids.append(pnum)
        annots = []
        for name, value, x1, y1, x2, y2, align, size in p.fields:
            bw, bh = x2 - x1, y2 - y1
            txt = winansi(value)
            tw = L.text_width(value, size)
            tx = 2 if align == 0 else (bw - 2 - tw if align == 2 else (bw - tw) / 2)
            ty = (bh - size * 0.72) / 2
            ap_data = b"/Tx BMC\nq 1 1 %.2f %.2f re W n\nBT /Helv %g Tf 0 g %.2f %.2f Td %s Tj ET\nQ\nEMC" % (
                bw - 2, bh - 2, size, tx, ty, lit(txt)) if value else b"/Tx BMC\nEMC"
            ap = w.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font %s >>"
                          % (bw, bh, fonts), ap_data)
            a = w.add(b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /T %s /V %s /Rect [%.2f %.2f %.2f %.2f]"
                      b" /P %d 0 R /DA (/Helv %g Tf 0 g) /Q %d /MK << /BC [0.55 0.55 0.55] >>"
                      b" /AP << /N %d 0 R >> >>" % (text_string(name), text_string(value), x1, y1, x2, y2,
                                                    pnum, size, align, ap))
            annots.append(a)
        all_fields += annots
        content = w.stream(b"", b"\n".join(p.ops))
        w.set(pnum, b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                    b" /Resources << /Font %s >> /Annots [%s] >>"
              % (pages_num, content, fonts, b" ".join(b"%d 0 R" % a for a in annots)))
    w.set(pages_num, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    w.set(acro, b"<< /Fields [%s] /DR << /Font << /Helv %d 0 R >> >> /DA (/Helv 0 Tf 0 g)%s >>" % (
        b" ".join(b"%d 0 R" % f for f in all_fields), f1, b" /NeedAppearances true" if need_appearances else b""))
    w.set(catalog, b"<< /Type /Catalog /Pages %d 0 R /AcroForm %d 0 R >>" % (pages_num, acro))
    info = w.add(b"<< /Title %s /Author (Sweetie Bio) /Creator %s /Producer %s >>" % (
        text_string(title), text_string("Sweetie Bio - formulaire"), text_string("gen_form.py (mailorder tests)")))
    w.write(path, catalog, info)


# ------------------------------------------------------------------ values

class Typing:
    """How this customer types numbers and dates into the form."""

    def __init__(self, rng):
        self.dec = "," if rng.random() < 0.2 else "."
        self.trim = rng.random() < 0.35          # 3.2 rather than 3.20
        self.dfmt = rng.choice(["dmy", "dmy", "dmy", "iso", "dot", "dmy2"])
        self.ref_style = rng.choice(["BIO-1043"] * 6 + ["BIO1043", "bio-1043", "BIO 1043"])
        self.empty_totals = rng.random() < 0.3   # line amounts left to us
        self.no_total = rng.random() < 0.2
        self.no_desc = rng.random() < 0.15       # only the reference

    def money(self, v):
        return L.fmt_num(v, 2, self.dec, "", trim=self.trim)

    def qty(self, q):
        return L.fmt_qty(q, self.dec)

    def ref(self, r):
        n = r[4:]
        return {"BIO-1043": r, "BIO1043": "BIO" + n, "bio-1043": "bio-" + n, "BIO 1043": "BIO " + n}[self.ref_style]

    def date(self, d):
        return L.fmt_date(d, self.dfmt) if d else ""


def header(p, rng, subtitle):
    p.fill(30, 28, 565, 70, 0.88)
    p.text(40, 52, "Sweetie Bio — Bon de commande", 17, bold=True)
    p.text(40, 64, subtitle, 7.5)
    p.rtext(555, 44, "Grossiste en épicerie biologique", 8)
    p.rtext(555, 56, "commandes@sweetiebio.fr · 05 57 00 00 00", 8)


def filled(p, name, value, box, align=0, size=9):
    p.field(name, value, *box, align=align, size=size)


def grid(p, cols, y0, rows, row_h, names, values, head_size=8):
    """A grid of product lines: cols (label, x0, x1, align, key); names(i,
    key) the field name of row i; values[i][key] the typed value."""
    x_left, x_right = cols[0][1], cols[-1][2]
    p.fill(x_left, y0, x_right, y0 + 16, 0.92)
    for label, x0, x1, align, key in cols:
        if align == 2:
            p.rtext(x1 - 3, y0 + 11, label, head_size, bold=True)
        else:
            p.text(x0 + 3, y0 + 11, label, head_size, bold=True)
    p.line(x_left, y0, x_right, y0)
    y = y0 + 16
    p.line(x_left, y, x_right, y)
    for r in range(rows):
        for label, x0, x1, align, key in cols:
            v = values[r].get(key, "") if r < len(values) else ""
            filled(p, names(r, key), v, (x0 + 1, y + 1, x1 - 1, y + row_h - 1), align)
        y += row_h
        p.line(x_left, y, x_right, y, 0.3)
    for label, x0, x1, align, key in cols:
        p.line(x0, y0, x0, y)
    p.line(x_right, y0, x_right, y)
    return y


def line_values(t, lines):
    out = []
    for l in lines:
        out.append({"ref": t.ref(l["ref"]), "des": "" if t.no_desc else l["name"],
                    "qte": t.qty(l["qty"]), "pu": t.money(l["pu"]),
                    "total": "" if t.empty_totals else t.money(l["total"])})
    return out


def totals_block(p, t, lines, y, names, x_label=380, x1=475, x2=565):
    total = sum(l["total"] for l in lines)
    vat = L.vat_total(lines)
    vals = ["", "", ""] if t.no_total else [t.money(total), t.money(vat), t.money(total + vat)]
    for k, (lab, name) in enumerate(zip(["Total HT", "TVA", "Total TTC"], names)):
        yy = y + 8 + k * 18
        p.text(x_label, yy + 11, lab, 9, bold=(k != 1))
        filled(p, name, vals[k], (x1, yy, x2, yy + 15), 2)
        p.line(x1, yy + 15, x2, yy + 15, 0.3)
    return None if t.no_total else total


def footer(p, edition):
    p.line(30, 800, 565, 800, 0.3)
    p.text(30, 812, "Sweetie Bio SAS · Libourne · franco de port dès 250 € HT · prix hors taxes", 7)
    p.rtext(565, 812, edition, 7)


# ------------------------------------------------------------------ editions

def form_2026(rng, cust, od, dl, lines, t):
    p = Page()
    header(p, rng, "Formulaire client à remplir à l'écran et à renvoyer par e-mail")
    p.text(30, 92, "VOS COORDONNÉES", 9, bold=True)
    p.text(330, 92, "VOTRE COMMANDE", 9, bold=True)
    y = 100
    for lab, name, val in (("Raison sociale", "client", cust[1]),
                           ("Code client", "code_client", cust[0] if rng.random() < 0.6 else ""),
                           ("Contact", "contact", rng.choice(["M. Martin", "Julie Roux", "Service achats", ""])),
                           ("E-mail", "email", cust[2])):
        p.text(30, y + 11, lab, 8)
        filled(p, name, val, (100, y, 310, y + 15))
        p.line(100, y + 15, 310, y + 15, 0.3)
        y += 19
    y = 100
    for lab, name, val in (("Votre n° de commande", "num_commande", t.ref_no),
                           ("Date", "date", t.date(od)),
                           ("Livraison souhaitée", "date_livraison", t.date(dl))):
        p.text(330, y + 11, lab, 8)
        filled(p, name, val, (425, y, 565, y + 15))
        p.line(425, y + 15, 565, y + 15, 0.3)
        y += 19
    cols = [("Réf.", 30, 100, 0, "ref"), ("Désignation", 100, 330, 0, "des"), ("Qté", 330, 385, 2, "qte"),
            ("Prix unit. HT", 385, 475, 2, "pu"), ("Total HT", 475, 565, 2, "total")]
    y = grid(p, cols, 190, 20, 24, lambda r, k: "%s_%d" % (k, r + 1), line_values(t, lines))
    total = totals_block(p, t, lines, y, ["total_ht", "tva", "total_ttc"])
    p.text(30, y + 20, "Observations :", 8)
    filled(p, "observations", rng.choice(["", "", "Livraison le matin svp", "Merci !"]), (30, y + 24, 350, y + 52))
    footer(p, "Formulaire client — édition 2026")
    return [p], total


def form_2024(rng, cust, od, dl, lines, t):
    p1 = Page()
    header(p1, rng, "Bon de commande client — à compléter, enregistrer et joindre à votre e-mail")
    fields = [("Client", "Client", cust[1], 30, 100), ("N° commande client", "NumCde", t.ref_no, 310, 100),
              ("Code client", "CodeClient", cust[0] if rng.random() < 0.5 else "", 30, 120),
              ("Date", "DateCde", t.date(od), 310, 120),
              ("Téléphone", "Tel", rng.choice(["05 56 12 34 56", "", "06 11 22 33 44"]), 30, 140),
              ("Livraison le", "DateLiv", t.date(dl), 310, 140)]
    for lab, name, val, x, y in fields:
        p1.text(x, y + 11, lab + " :", 8)
        filled(p1, name, val, (x + 95, y, x + 255, y + 15))
        p1.line(x + 95, y + 15, x + 255, y + 15, 0.3)
    cols = [("Quantité", 30, 85, 2, "qte"), ("Réf. Sweetie", 85, 160, 0, "ref"), ("Désignation", 160, 390, 0, "des"),
            ("P.U. HT", 390, 470, 2, "pu"), ("Montant", 470, 565, 2, "total")]
    names = {"qte": "Qte%d", "ref": "Ref%d", "des": "Desig%d", "pu": "PU%d", "total": "Montant%d"}
    vals = line_values(t, lines)
    y = grid(p1, cols, 175, 16, 28, lambda r, k: names[k] % (r + 1), vals[:16])
    p1.text(30, y + 16, "Suite au verso →", 8)
    footer(p1, "Réf. formulaire SB-BC-2024 · page 1/2")
    p2 = Page()
    p2.text(30, 50, "Sweetie Bio — Bon de commande (suite)", 12, bold=True)
    p2.text(30, 64, "N° commande client :", 8)
    p2.text(120, 64, t.ref_no, 9)
    y = grid(p2, cols, 80, 20, 28, lambda r, k: names[k] % (r + 17), vals[16:])
    total = totals_block(p2, t, lines, y, ["TotalHT", "TVA", "TotalTTC"])
    p2.text(30, y + 30, "Date, cachet et signature", 8)
    footer(p2, "Réf. formulaire SB-BC-2024 · page 2/2")
    return [p1, p2], total


def form_acro(rng, cust, od, dl, lines, t):
    p = Page()
    header(p, rng, "Remplissez les zones grisées puis enregistrez le fichier (Adobe Reader, aperçu, navigateur)")
    y = 92
    for lab, name, val, x in (("Raison sociale", "Raison sociale", cust[1], 30),
                              ("N° de commande", "N° de commande", t.ref_no, 330)):
        p.text(x, y + 11, lab, 8)
        filled(p, name, val, (x + 80, y, x + 230, y + 15))
    y = 112
    for lab, name, val, x in (("Adresse e-mail", "Adresse e-mail", cust[2], 30),
                              ("Date de commande", "Date de commande", t.date(od), 330)):
        p.text(x, y + 11, lab, 8)
        filled(p, name, val, (x + 80, y, x + 230, y + 15))
    p.text(330, 143, "Date de livraison", 8)
    filled(p, "Date de livraison", t.date(dl), (410, 132, 560, 147))
    cols = [("Référence", 30, 105, 0, "ref"), ("Désignation", 105, 320, 0, "des"), ("Quantité", 320, 385, 2, "qte"),
            ("Prix unitaire HT", 385, 475, 2, "pu"), ("Montant HT", 475, 565, 2, "total")]
    names = {"ref": "Référence %d", "des": "Désignation %d", "qte": "Quantité %d", "pu": "Prix unitaire HT %d",
             "total": "Montant HT %d"}
    y = grid(p, cols, 165, 22, 24, lambda r, k: names[k] % (r + 1), line_values(t, lines))
    total = totals_block(p, t, lines, y, ["Total HT", "TVA", "Total TTC"])
    footer(p, "Bon de commande Sweetie Bio — modèle 2025")
    return [p], total


EDITIONS = [("form-2026", form_2026, 20), ("form-2024", form_2024, 30), ("form-acro", form_acro, 22)]


def main():
    a = L.parse_args("form", 12)
    for i in range(1, a.count + 1):
        rng = random.Random("form-%d-%d" % (a.seed, i))
        producer, edition, rows = EDITIONS[(i - 1 + a.seed) % len(EDITIONS)]
        cust = rng.choice(L.load_customers())
        od, dl = L.order_dates(rng, 0.6)
        lines = L.pick_lines(rng, L.line_count(rng, 3, rows), price_change=0.1)
        t = Typing(rng)
        t.ref_no = rng.choice(["%s-%03d" % ("".join(w[0] for w in cust[1].upper().replace("É", "E").split()[:2]),
                                          rng.randrange(1, 999)),
                               "BC%d" % rng.randrange(1000, 99999), "%d-%02d" % (od.year, rng.randrange(1, 99)),
                               "CMD%05d" % rng.randrange(1, 99999)])
        pages, total = edition(rng, cust, od, dl, lines, t)
        base = "%s/form-%02d" % (a.outdir, i)
        build_pdf(base + ".pdf", pages, rng.random() < 0.3, "Bon de commande Sweetie Bio - " + cust[1])
        tr = L.truth("form", producer, cust, t.ref_no, od, dl, lines, total)
        tr["decimal"] = t.dec
        L.write_truth(base + ".json", tr)


if __name__ == "__main__":
    main()
