"""Shared helpers of the generators of kinds 4-6 (browser, form, scan) of
issue 16: the catalogue and the customers, random order contents, numbers
and dates as documents print them, mkpdf/mkscan, the truth files.

Standard library only.  Every random choice goes through the random.Random
the generator seeds, so that a seed gives the same documents.
"""
import argparse
import csv
import datetime
import json
import os
import subprocess
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
CENT = Decimal("0.01")

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
          "août", "septembre", "octobre", "novembre", "décembre"]
MONTHS_ABBR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
               "août", "sept.", "oct.", "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def parse_args(kind, default_count):
    p = argparse.ArgumentParser(description="generated %s documents and their truth" % kind)
    p.add_argument("outdir")
    p.add_argument("--count", type=int, default=default_count)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    return a


def tools_dir():
    t = os.environ.get("TOOLS")
    if not t:
        t = os.path.join(HERE, "..", "..", "build", "tools")
    return t


def load_products():
    with open(os.path.join(HERE, "products.csv"), encoding="utf-8") as f:
        return [(r["ref"], r["name"], Decimal(r["unit_price"]), r["unit"], Decimal(r["vat_rate"]))
                for r in csv.DictReader(f)]


def load_customers():
    with open(os.path.join(HERE, "customers.csv"), encoding="utf-8") as f:
        return [(r["ref"], r["name"], r["email"]) for r in csv.DictReader(f)]


def pick_lines(rng, n, price_change=0.2, bulk_ok=True):
    """n distinct products with a quantity and the unit price the customer
    prints (the catalogue's, or now and then its own agreed price).
    Returns dicts: ref, name, unit, vat, qty (Decimal), pu (Decimal), total."""
    products = load_products()
    if not bulk_ok:
        products = [p for p in products if p[3] != "kg"]
    chosen = rng.sample(products, n)
    out = []
    for ref, name, price, unit, vat in chosen:
        if unit == "kg":
            qty = Decimal(rng.choice(["2.5", "5", "10", "12.5", "7.5", "25"]))
        else:
            qty = Decimal(rng.choice([1, 2, 3, 4, 5, 6, 6, 10, 12, 12, 12, 18, 20, 24, 24,
                                      30, 36, 48, 50, 60, 72, 100, 120, 144, 200, 240]))
        pu = price
        if rng.random() < price_change:
            pu = (price * Decimal(rng.choice(["0.9", "0.95", "1.05", "0.92", "1.1"]))).quantize(CENT, ROUND_HALF_UP)
        out.append({"ref": ref, "name": name, "unit": unit, "vat": vat, "qty": qty, "pu": pu,
                    "total": (qty * pu).quantize(CENT, ROUND_HALF_UP)})
    return out


def vat_total(lines):
    return sum((l["total"] * l["vat"] / 100 for l in lines), Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def line_count(rng, lo=3, hi=30):
    """3-30 lines, a third of them long enough for a second page."""
    r = rng.random()
    if r < 0.4:
        return rng.randint(lo, min(hi, 10))
    if r < 0.7:
        return rng.randint(min(hi, 11), min(hi, 20))
    return rng.randint(min(hi, 21), hi)


def code_style(rng):
    """How a customer numbers its own articles (one style per customer)."""
    return rng.choice(["EP%04d", "ART-%04d", "%06d", "A%05d", "SB%03d", "%05d"])


def customer_code(rng, used, style):
    """The customer's own code for a product (EP0373, ART-2231, 004512...)."""
    while True:
        c = style % rng.randrange(1, 999 if style == "SB%03d" else 9999)
        if c not in used:
            used.add(c)
            return c


def dec_str(d):
    """The truth's decimal string: '12', '12.5', '3.45' (no trailing zeros
    on quantities beyond what they have; prices keep two decimals)."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def price_str(d):
    return format(d.quantize(CENT), "f")


def fmt_num(d, decimals=2, dec=",", thou="", trim=False):
    """A number as a document prints it: fmt_num(1249, 2, ',', ' ') is
    '1 249,00'; trim drops useless decimals ('12' for 12.00, '12,5')."""
    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    d = Decimal(d).quantize(q, ROUND_HALF_UP)
    s = format(d, "f")
    ip, _, fp = s.partition(".")
    neg = ip.startswith("-")
    ip = ip.lstrip("-")
    if thou:
        groups = []
        while len(ip) > 3:
            groups.insert(0, ip[-3:])
            ip = ip[:-3]
        groups.insert(0, ip)
        ip = thou.join(groups)
    if trim and fp:
        fp = fp.rstrip("0")
    s = ip + (dec + fp if fp else "")
    return ("-" if neg else "") + s


def fmt_qty(q, dec=",", thou=""):
    """A quantity: '12', '1 200', '12,5'."""
    if q == q.to_integral_value():
        return fmt_num(q, 0, dec, thou)
    return fmt_num(q, 3, dec, thou, trim=True)


def fmt_date(d, style):
    if style == "dmy":
        return d.strftime("%d/%m/%Y")
    if style == "dmy2":
        return d.strftime("%d/%m/%y")
    if style == "iso":
        return d.isoformat()
    if style == "dot":
        return d.strftime("%d.%m.%Y")
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    if style == "long":
        return "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)
    if style == "abbr":
        return "%d %s %d" % (d.day, MONTHS_ABBR[d.month - 1], d.year)
    if style == "weekday":
        return "%s %d %s %d" % (WEEKDAYS[d.weekday()], d.day, MONTHS[d.month - 1], d.year)
    raise ValueError(style)


def order_dates(rng, delivery_p=0.7):
    d = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(0, 350))
    dl = None
    if rng.random() < delivery_p:
        dl = d + datetime.timedelta(days=rng.randrange(2, 21))
    return d, dl


def truth(kind, producer, customer, ref, order_date, delivery_date, lines, total_ht):
    return {
        "kind": kind,
        "producer": producer,
        "sender": customer[2],
        "customer": customer[0],
        "customer_order_ref": ref,
        "order_date": order_date.isoformat(),
        "delivery_date": delivery_date.isoformat() if delivery_date else None,
        "lines": [{"product_ref": l["ref"], "qty": dec_str(l["qty"]),
                   "unit_price": price_str(l["pu"])} for l in lines],
        "total_ht": price_str(total_ht) if total_ht is not None else None,
    }


def write_truth(path, t):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, indent=1)
        f.write("\n")


# Helvetica widths (per 1000), enough to right-align, wrap and truncate
# in the generators' own layout decisions; mkpdf measures for real.
_HELV = {}
for _chars, _w in (("il.,:;'|!", 278), ("jfrtI/()-[] ", 300), ("*\"", 389),
                   ("cksvxyzJ", 500), ("abdeghnopquL_0123456789$#?+<>=~éèêàâôûùç", 556),
                   ("FTZ", 611), ("ABEKPSVXY&", 667), ("CDHNRUwÉ", 722),
                   ("GOQ", 778), ("mM%", 833), ("W", 944), ("Œœ", 1000)):
    for _c in _chars:
        _HELV[_c] = _w


def text_width(s, size, dejavu=False):
    w = sum(_HELV.get(c, 556) for c in s) * size / 1000.0
    return w * 1.1 if dejavu else w


def fit(s, width, size, dejavu=False):
    """s cut (with an ellipsis) to fit width points."""
    if text_width(s, size, dejavu) <= width:
        return s
    while s and text_width(s + "…", size, dejavu) > width:
        s = s[:-1]
    return s.rstrip() + "…"


def wrap(s, width, size, dejavu=False):
    """s as lines of at most width points (words kept whole)."""
    out, cur = [], ""
    for w in s.split():
        t = (cur + " " + w) if cur else w
        if cur and text_width(t, size, dejavu) > width:
            out.append(cur)
            cur = w
        else:
            cur = t
    if cur:
        out.append(cur)
    return out or [""]


class Spec:
    """A mkpdf description being written."""

    def __init__(self):
        self.cmds = []
        self.size = None

    def page(self):
        self.cmds.append("page")
        self.size = None

    def font(self, size):
        if size != self.size:
            self.cmds.append("size %g" % size)
            self.size = size

    def text(self, x, y, s, size=None):
        if size is not None:
            self.font(size)
        s = s.replace("\n", " ")
        if s.strip():
            self.cmds.append("text %.1f %.1f %s" % (x, y, s))

    def rtext(self, x, y, s, size=None):
        if size is not None:
            self.font(size)
        s = s.replace("\n", " ")
        if s.strip():
            self.cmds.append("rtext %.1f %.1f %s" % (x, y, s))

    def ctext(self, x, y, s, size, dejavu=False):
        """Centred on x."""
        self.text(x - text_width(s, size, dejavu) / 2, y, s, size)

    def line(self, x1, y1, x2, y2):
        self.cmds.append("line %.1f %.1f %.1f %.1f" % (x1, y1, x2, y2))

    def box(self, x1, y1, x2, y2):
        self.line(x1, y1, x2, y1)
        self.line(x2, y1, x2, y2)
        self.line(x2, y2, x1, y2)
        self.line(x1, y2, x1, y1)

    def write(self, out, standard_font):
        cmd = [os.path.join(tools_dir(), "mkpdf"), out]
        if standard_font:
            cmd.append("--standard-font")
        subprocess.run(cmd, input="\n".join(self.cmds) + "\n", text=True, check=True)


def mkscan(src, out, angle, specks, dpi, seed, jpeg=None):
    cmd = [os.path.join(tools_dir(), "mkscan"), src, out, "--angle", "%.2f" % angle,
           "--specks", str(specks), "--dpi", str(dpi), "--seed", str(seed)]
    if jpeg:
        cmd += ["--jpeg", str(jpeg)]
    subprocess.run(cmd, check=True)
