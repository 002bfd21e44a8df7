"""Shared helpers of the generators of kinds erp, legacy and webshop
(gen_erp.py, gen_legacy.py, gen_webshop.py): the catalogue and the
customers, money and date formats, an mkpdf spec, the truth file.

Stdlib only. The generators are deterministic for a seed: every choice goes
through the random.Random they pass around.
"""
import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
A4_W, A4_H = 595.0, 842.0

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
             "août", "septembre", "octobre", "novembre", "décembre"]
MONTHS_FR_ABBR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
                  "août", "sept.", "oct.", "nov.", "déc."]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
           "dimanche"]

NBSP = "\u00a0"
NNBSP = "\u202f"
MINUS = "\u2212"


def load_products():
    with open(os.path.join(HERE, "products.csv"), newline="", encoding="utf-8") as f:
        return [dict(r, unit_price=Decimal(r["unit_price"])) for r in csv.DictReader(f)]


def load_customers():
    with open(os.path.join(HERE, "customers.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def args(kind):
    p = argparse.ArgumentParser(description="generate %s order PDFs and their truth" % kind)
    p.add_argument("outdir")
    p.add_argument("--count", type=int, default=12)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    return a


def random_mod(seed, kind):
    """The generator's random source: the same documents for a seed."""
    import random
    return random.Random("%s:%d" % (kind, seed))


def tools():
    t = os.environ.get("TOOLS")
    if not t:
        t = os.path.join(HERE, "..", "..", "build", "tools")
    return t


# ------------------------------------------------------------------ numbers
def q2(d):
    return Decimal(d).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def group(intpart, sep):
    s = str(intpart)
    if not sep:
        return s
    out = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return sep.join(out)


def num(d, decimals=2, point=",", thou=" ", minimum=None):
    """d formatted: `decimals` places, `point` and `thou` as separators;
    minimum: drop trailing zero decimals down to that many (12,5 for
    12,50 with minimum=1; 12 with minimum=0)."""
    d = Decimal(d).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = d < 0
    d = abs(d)
    s = "{:f}".format(d)
    ip, _, fp = s.partition(".")
    if minimum is not None:
        fp = fp.rstrip("0")
        if len(fp) < minimum:
            fp = fp + "0" * (minimum - len(fp))
    r = group(int(ip), thou) + (point + fp if fp else "")
    return ("-" if neg else "") + r


def fr(d, thou=" "):
    """French money: 1 249,00"""
    return num(d, 2, ",", thou)


def price_str(d):
    return "{:f}".format(q2(d))


def qty_str(d):
    d = Decimal(d)
    if d == d.to_integral_value():
        return str(int(d))
    return "{:f}".format(d.normalize())


# ------------------------------------------------------------------ dates
def fdate(d, style):
    if style == "dmy/":
        return d.strftime("%d/%m/%Y")
    if style == "dmy/2":
        return d.strftime("%d/%m/%y")
    if style == "dmy.":
        return d.strftime("%d.%m.%Y")
    if style == "dmy.2":
        return d.strftime("%d.%m.%y")
    if style == "dmy-":
        return d.strftime("%d-%m-%Y")
    if style == "iso":
        return d.isoformat()
    if style == "long":
        return "%d %s %d" % (d.day, MONTHS_FR[d.month - 1], d.year)
    if style == "longday":
        return "%s %d %s %d" % (DAYS_FR[d.weekday()], d.day, MONTHS_FR[d.month - 1], d.year)
    if style == "abbr":
        return "%d %s %d" % (d.day, MONTHS_FR_ABBR[d.month - 1], d.year)
    raise ValueError(style)


def random_date(rng):
    return datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(0, 700))


# ------------------------------------------------------------------ lines
def pick_lines(rng, products, n, kg_ok=True, big_qty=0.1, negotiated=0.25,
               qty_choices=(1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 24, 30, 36, 40,
                            48, 50, 60, 72, 100, 120, 144)):
    """n lines of distinct products: dicts with p (the product), qty, price
    (Decimals). big_qty: the share of quantities in the thousands;
    negotiated: the share of prices a little off the catalogue's."""
    pool = [p for p in products if kg_ok or p["unit"] != "kg"]
    chosen = rng.sample(pool, min(n, len(pool)))
    out = []
    for p in chosen:
        if p["unit"] == "kg":
            qty = Decimal(rng.choice([5, 10, 12, 25, 2, 3])) + \
                Decimal(rng.choice([0, 0, 200, 500, 250, 750])) / 1000
        elif p["unit_price"] <= 3 and rng.random() < big_qty * 4:
            qty = Decimal(rng.choice([1000, 1200, 1500, 2000, 2400, 3600, 1250, 5000]))
        else:
            qty = Decimal(rng.choice(qty_choices))
        price = p["unit_price"]
        if rng.random() < negotiated:
            price = q2(price * (1 - Decimal(rng.choice([2, 3, 5, 7, 8, 10])) / 100))
        out.append({"p": p, "qty": qty, "price": price})
    return out


def line_total(l):
    return q2(l["qty"] * l["price"])


def total_of(lines):
    return sum((line_total(l) for l in lines), Decimal(0))


def truth(kind, producer, customer, number, order_date, delivery_date, lines, total):
    return {
        "kind": kind,
        "producer": producer,
        "sender": customer["email"],
        "customer": customer["ref"],
        "customer_order_ref": number,
        "order_date": order_date.isoformat(),
        "delivery_date": delivery_date.isoformat() if delivery_date else None,
        "lines": [{"product_ref": l["p"]["ref"], "qty": qty_str(l["qty"]),
                   "unit_price": price_str(l["price"])} for l in lines],
        "total_ht": price_str(total) if total is not None else None,
    }


def strip_accents(s):
    import unicodedata
    s = s.replace("Œ", "OE").replace("œ", "oe")
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn")


# ------------------------------------------------------------------ spec
class Spec:
    """An mkpdf spec being written; y grows downwards, in points."""

    def __init__(self):
        self.cmds = []
        self.pages = 1
        self.cur_size = 10.0

    def page(self):
        self.cmds.append("page")
        self.pages += 1

    def size(self, n):
        self.cur_size = n
        self.cmds.append("size %g" % n)

    def font(self, name):
        self.cmds.append("font " + name)

    def text(self, x, y, s):
        if s != "":
            self.cmds.append("text %.1f %.1f %s" % (x, y, s))

    def rtext(self, x, y, s):
        if s != "":
            self.cmds.append("rtext %.1f %.1f %s" % (x, y, s))

    def line(self, x1, y1, x2, y2):
        self.cmds.append("line %.1f %.1f %.1f %.1f" % (x1, y1, x2, y2))

    def write(self, pdf, standard_font=False):
        cmd = [os.path.join(tools(), "mkpdf"), pdf]
        if standard_font:
            cmd.append("--standard-font")
        r = subprocess.run(cmd, input="\n".join(self.cmds) + "\n",
                           encoding="utf-8", capture_output=True)
        if r.returncode != 0:
            sys.exit("mkpdf failed for %s: %s" % (pdf, r.stderr.strip()))


def save(outdir, kind, i, spec, t, standard_font=False):
    base = os.path.join(outdir, "%s-%02d" % (kind, i))
    spec.write(base + ".pdf", standard_font)
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, indent=1)
        f.write("\n")


def run(kind, make):
    """A generator's whole run: its arguments, then each document that
    make(rng, i, products, customers) returns as (spec, truth) or (spec,
    truth, standard_font), saved."""
    a = args(kind)
    rng = random_mod(a.seed, kind)
    products, customers = load_products(), load_customers()
    for i in range(1, a.count + 1):
        save(a.outdir, kind, i, *make(rng, i, products, customers))


def approx_width(s, size, mono=False):
    """A rough width in points, to keep texts apart (Helvetica averages a
    little over half the size per character; Courier is 0.6)."""
    return len(s) * size * (0.6 if mono else 0.52)
