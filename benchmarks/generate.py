"""Build the benchmark database: customers, posted invoices, credit notes,
payments, partial and full reconciliations and follow-ups, as Odoo itself
would hold them, inserted with COPY.

    BENCH_SCALE=tiny|small|large [BENCH_DB=...] python benchmarks/generate.py

The rows are computed in Python from a seeded generator (deterministic for a
given seed and scale) and written with COPY in one transaction; a marker
table records the scale, seed and generator version, and a database that
already carries the right marker is reused as it is.
"""
import io
import os
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    COLLECTOR_LOGIN, DB, END_DATE, GENERATOR_VERSION, PGHOST, ROOT,
    SALESPERSON_LOGIN, SCALE, SCALES, SEED, YEARS, connect)

MARKER = "cartera_bench_marker"


def log(msg, *args):
    print("generate: " + (msg % args if args else msg), flush=True)


def pg(dbname="postgres"):
    return connect(dbname)


def db_exists(name):
    with pg() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return bool(cr.fetchone())


def marker(name):
    """The marker row of ``name``, or None when absent or incomplete."""
    if not db_exists(name):
        return None
    conn = pg(name)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass(%s)", (MARKER,))
            if not cr.fetchone()[0]:
                return None
            cr.execute("SELECT scale, seed, version, rows FROM %s" % MARKER)
            row = cr.fetchone()
            return row and {"scale": row[0], "seed": row[1],
                            "version": row[2], "rows": row[3]}
    finally:
        conn.close()


def run(cmd):
    log("$ %s", " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=str(ROOT))


def template():
    """The base template (account + l10n_co + es_CO, no demo) that
    scripts/db_ensure.sh builds once; built through it when missing."""
    with pg() as conn, conn.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE "
                   "'cartera\\_base\\_%%\\_d0' ORDER BY oid DESC LIMIT 1")
        row = cr.fetchone()
    return row and row[0]


def build_base(name):
    """A fresh database with the addon and OCA's reports, without demo
    data (db_ensure's own install of the addon loads the demo data)."""
    run(["dropdb", "--if-exists", name])
    base = template()
    if not base:
        run(["bash", "scripts/db_ensure.sh", name, "--fresh",
             "--without-demo"])
        run(["dropdb", "--if-exists", name])
        base = template()
    run(["createdb", "-T", base, name])
    # The filestore goes with the database (web assets live there).
    store = os.path.join(os.environ.get("ODOO_DATA_DIR") or os.path.expanduser(
        "~/.local/share/Odoo"), "filestore")
    shutil.rmtree(os.path.join(store, name), ignore_errors=True)
    if os.path.isdir(os.path.join(store, base)):
        shutil.copytree(os.path.join(store, base), os.path.join(store, name))
    run([str(ROOT / ".venv/bin/python"), "scripts/odoo-bin",
         "--addons-path=%s" % ROOT, "--db_host=%s" % PGHOST, "-d", name,
         "-i", "cartera_seguimiento,account_financial_report",
         "--without-demo=all", "--stop-after-init", "--log-level=warn"])


# ---------------------------------------------------------------------------
# Odoo-side set-up: the few records that are configuration, not volume, are
# made through the ORM so that they are complete (users, groups, journals).
# ---------------------------------------------------------------------------
def setup_config(env, params):
    company = env.user.company_id
    receivable = env["ir.property"].get(
        "property_account_receivable_id", "res.partner")
    income = env["account.account"].search([
        ("company_id", "=", company.id),
        ("user_type_id", "=", env.ref("account.data_account_type_revenue").id),
    ], limit=1)
    sale_journal = env["account.journal"].search([
        ("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    bank_journal = env["account.journal"].search([
        ("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    method = env.ref("account.account_payment_method_manual_in")
    group_user = env.ref("cartera_seguimiento.group_cartera_user")
    group_sales = env.ref("base.group_user")
    users = env["res.users"]
    for i in range(params["salespeople"]):
        login = SALESPERSON_LOGIN % (i + 1)
        user = users.search([("login", "=", login)])
        if not user:
            user = users.create({
                "name": "Vendedor %02d" % (i + 1), "login": login,
                "password": login, "company_id": company.id,
                "groups_id": [(6, 0, [group_sales.id, group_user.id])],
            })
        users |= user
    collector = env["res.users"].search([("login", "=", COLLECTOR_LOGIN)])
    if not collector:
        # The collector of the capture-list measure is the first
        # salesperson's colleague: record rules limit them to their own
        # customers (as salesperson) and follow-ups (as responsible).
        collector = env["res.users"].create({
            "name": "Cobrador Benchmark", "login": COLLECTOR_LOGIN,
            "password": COLLECTOR_LOGIN, "company_id": company.id,
            "groups_id": [(6, 0, [group_sales.id, group_user.id])],
        })
    types = env["cartera.followup.type"].search([])
    assert types, "no follow-up types"
    # The closing that sealed the closed follow-ups: its reference from the
    # closings' own sequence, so that the next closing follows it.
    closing_name = env["ir.sequence"].next_by_code("cartera.closing")
    everyone = users | collector | env.user
    return {
        "company": company.id, "currency": company.currency_id.id,
        "receivable": receivable.id,
        "receivable_type": receivable.user_type_id.id,
        "income": income.id, "income_type": income.user_type_id.id,
        "bank_account": bank_journal.default_debit_account_id.id,
        "bank_type": bank_journal.default_debit_account_id.user_type_id.id,
        "sale_journal": sale_journal.id, "bank_journal": bank_journal.id,
        "method": method.id, "salespeople": users.ids,
        "collector": collector.id, "types": types.ids,
        "uid": env.uid,
        # What the chatter of a follow-up needs (see generate()).
        "user_partner": {user.id: user.partner_id.id for user in everyone},
        "activity_type": {
            t.id: (t.activity_type_id or env.ref(
                "mail.mail_activity_data_todo")).id for t in types},
        "activity_name": {
            t.id: (t.activity_type_id or env.ref(
                "mail.mail_activity_data_todo")).name for t in types},
        "followup_model": env["ir.model"]._get("cartera.followup").id,
        "subtype_note": env.ref("mail.mt_note").id,
        "subtype_activities": env.ref("mail.mt_activities").id,
        "closing_name": closing_name,
    }


# ---------------------------------------------------------------------------
# The volume, computed in Python (amounts in integer cents: no float drift).
# ---------------------------------------------------------------------------
class Ids:
    def __init__(self, cr, tables):
        self.next = {}
        for table in tables:
            cr.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM %s" % table)
            self.next[table] = cr.fetchone()[0]

    def take(self, table):
        value = self.next[table]
        self.next[table] += 1
        return value


def cents(value):
    return str(Decimal(value) / 100)


class Book:
    """Rows of every table, as lists of tuples in COPY column order."""

    def __init__(self, cr, cfg):
        self.cfg = cfg
        self.ids = Ids(cr, ["res_partner", "account_move", "account_move_line",
                            "account_invoice", "account_invoice_line",
                            "account_payment", "account_partial_reconcile",
                            "account_full_reconcile", "cartera_followup",
                            "cartera_closing", "mail_message", "cartera_promise",
                            "mail_followers", "mail_activity"])
        self.rows = defaultdict(list)
        self.seq = defaultdict(int)
        self.lines = {}   # line id -> [date, signed balance, residual, ...]

    def number(self, prefix, day):
        key = (prefix, day.year)
        self.seq[key] += 1
        return "%s/%d/%06d" % (prefix, day.year, self.seq[key])

    def move(self, name, day, journal, partner, amount, ref):
        move_id = self.ids.take("account_move")
        self.rows["account_move"].append([
            move_id, name, ref, day, journal, "posted", self.cfg["company"],
            self.cfg["currency"], partner, cents(amount), 0.0])
        return move_id

    def line(self, move_id, name, day, maturity, journal, partner, account,
             account_type, debit, credit, invoice=None, payment=None,
             receivable=False):
        line_id = self.ids.take("account_move_line")
        balance = debit - credit
        row = [line_id, name, move_id, account, partner, journal,
               self.cfg["company"], self.cfg["currency"], day, maturity,
               cents(debit), cents(credit), cents(balance), cents(debit),
               cents(credit), cents(balance), cents(0),
               cents(balance if receivable else 0), cents(0), False, None,
               invoice, payment, account_type, True, 1.0, name, False]
        self.rows["account_move_line"].append(row)
        if receivable:
            # [row, residual] updated by the reconciliations below.
            self.lines[line_id] = row
        return line_id

    def reconcile(self, debit_id, credit_id, amount):
        """A partial reconciliation of ``amount`` cents between a receivable
        debit line and a receivable credit line."""
        debit, credit = self.lines[debit_id], self.lines[credit_id]
        max_date = max(debit[8], credit[8])
        partial_id = self.ids.take("account_partial_reconcile")
        # Odoo stamps create_date when the user matches the lines, which is
        # never before the later of the two; core's aged balance keys on it.
        created = "%s 15:00:00" % max_date
        self.rows["account_partial_reconcile"].append([
            partial_id, debit_id, credit_id, cents(amount), cents(0), None,
            self.cfg["company"], None, max_date, created, created,
            self.cfg["uid"], self.cfg["uid"]])
        debit[17] = cents(Decimal(debit[17]) * 100 - amount)
        credit[17] = cents(Decimal(credit[17]) * 100 + amount)
        return partial_id


def generate(cr, cfg, params, rng):
    book = Book(cr, cfg)
    start = END_DATE - timedelta(days=365 * YEARS)
    span = (END_DATE - start).days
    uid = cfg["uid"]
    now = "%s 12:00:00" % END_DATE

    # Customers: a few big ones, many small (skewed invoice counts).
    partners = []
    for i in range(params["customers"]):
        pid = book.ids.take("res_partner")
        user = cfg["salespeople"][i % len(cfg["salespeople"])]
        name = "Cliente Bench %05d S.A.S." % (i + 1)
        # Every tenth customer without an address: statements skip them.
        email = None if i % 10 == 9 else "cartera%05d@bench.example.com" % (
            i + 1)
        book.rows["res_partner"].append([
            pid, name, name, pid, True, False, True, True, "contact",
            cfg["company"], user, "es_CO", "Bogotá", "%09d" % (800000000 + i),
            now, now, uid, uid, True, 0, "no-message", email])
        partners.append((pid, user))
    weights = [1.0 / (1 + (i % 97)) ** 0.7 for i in range(len(partners))]

    n_invoices = max(20, int(params["items"] / 3.74))
    invoices = []
    for _ in range(n_invoices):
        pid, user = rng.choices(partners, weights)[0]
        day = start + timedelta(days=rng.randrange(span + 1))
        amount = rng.randrange(500, 50000) * 10000  # 50,000 to 5M COP
        term = rng.choice((0, 30, 30, 60, 90))
        invoices.append((day, pid, user, amount, term))
    invoices.sort()

    # Invoices with their moves: receivable debit + income credit.
    inv_rows = []
    for day, pid, user, amount, term in invoices:
        number = book.number("INV", day)
        inv_id = book.ids.take("account_invoice")
        maturity = day + timedelta(days=term)
        move_id = book.move(number, day, cfg["sale_journal"], pid, amount,
                            number)
        rec = book.line(move_id, number, day, maturity, cfg["sale_journal"],
                        pid, cfg["receivable"], cfg["receivable_type"],
                        amount, 0, invoice=inv_id, receivable=True)
        book.line(move_id, "Venta %s" % number, day, maturity,
                  cfg["sale_journal"], pid, cfg["income"], cfg["income_type"],
                  0, amount, invoice=inv_id)
        inv_rows.append({"id": inv_id, "type": "out_invoice", "day": day,
                         "maturity": maturity, "partner": pid, "user": user,
                         "amount": amount, "number": number,
                         "move": move_id, "line": rec, "payments": [],
                         "counterparts": []})

    def payment(pid, day, amount, refs):
        number = book.number("BNK1", day)
        pay_id = book.ids.take("account_payment")
        move_id = book.move(number, day, cfg["bank_journal"], pid, amount,
                            refs)
        book.line(move_id, number, day, day, cfg["bank_journal"], pid,
                  cfg["bank_account"], cfg["bank_type"], amount, 0,
                  payment=pay_id)
        line = book.line(move_id, number, day, day, cfg["bank_journal"], pid,
                         cfg["receivable"], cfg["receivable_type"], 0,
                         amount, payment=pay_id, receivable=True)
        book.rows["account_payment"].append([
            pay_id, number, "inbound", "customer", pid, cents(amount), day,
            cfg["bank_journal"], "posted",
            cfg["method"], cfg["currency"], cfg["company"], number, refs,
            "open", now, now, uid, uid])
        return pay_id, line

    def credit_note(inv, day, amount):
        number = book.number("RINV", day)
        ref_id = book.ids.take("account_invoice")
        move_id = book.move(number, day, cfg["sale_journal"], inv["partner"],
                            amount, number)
        line = book.line(move_id, number, day, day, cfg["sale_journal"],
                         inv["partner"], cfg["receivable"],
                         cfg["receivable_type"], 0, amount, invoice=ref_id,
                         receivable=True)
        book.line(move_id, "Devolución %s" % number, day, day,
                  cfg["sale_journal"], inv["partner"], cfg["income"],
                  cfg["income_type"], amount, 0, invoice=ref_id)
        inv_rows.append({"id": ref_id, "type": "out_refund", "day": day,
                         "maturity": day, "partner": inv["partner"],
                         "user": inv["user"], "amount": amount,
                         "number": number, "move": move_id, "line": line,
                         "payments": [], "counterparts": [],
                         "origin": inv["number"]})
        return line

    # Settlement of each invoice, in date order per customer so that a
    # payment may cover two consecutive invoices of the same customer.
    groups = []   # receivable line ids of each reconciliation component
    by_partner = defaultdict(list)
    for inv in list(inv_rows):
        by_partner[inv["partner"]].append(inv)
    for pid in sorted(by_partner):
        queue = by_partner[pid]
        i = 0
        while i < len(queue):
            inv = queue[i]
            i += 1
            component = [inv["line"]]
            due = inv["amount"]
            if rng.random() < 0.06:    # a credit note, full or partial
                day = inv["day"] + timedelta(days=rng.randrange(1, 60))
                if day <= END_DATE:
                    amount = due if rng.random() < 0.4 else \
                        due * rng.randrange(10, 50) // 100
                    line = credit_note(inv, day, amount)
                    book.reconcile(inv["line"], line, amount)
                    inv["counterparts"].append(line)
                    component.append(line)
                    due -= amount
            outcome = rng.random()
            pay_day = inv["day"] + timedelta(days=rng.randrange(5, 150))
            if due == 0 or pay_day > END_DATE or outcome < 0.17:
                pass                                  # unpaid (or settled)
            elif outcome < 0.25 and i < len(queue) and \
                    queue[i]["day"] <= pay_day:       # one payment, two inv.
                nxt = queue[i]
                i += 1
                total = due + nxt["amount"]
                pay_id, line = payment(pid, pay_day, total,
                                       "%s %s" % (inv["number"],
                                                  nxt["number"]))
                book.reconcile(inv["line"], line, due)
                book.reconcile(nxt["line"], line, nxt["amount"])
                for target in (inv, nxt):
                    target["payments"].append(pay_id)
                    target["counterparts"].append(line)
                component += [nxt["line"], line]
                due = 0
            elif outcome < 0.35:                      # two installments
                first = due * rng.randrange(20, 80) // 100
                pay_id, line = payment(pid, pay_day, first, inv["number"])
                book.reconcile(inv["line"], line, first)
                inv["payments"].append(pay_id)
                inv["counterparts"].append(line)
                component.append(line)
                due -= first
                day2 = pay_day + timedelta(days=rng.randrange(5, 90))
                if day2 <= END_DATE:
                    pay_id, line = payment(pid, day2, due, inv["number"])
                    book.reconcile(inv["line"], line, due)
                    inv["payments"].append(pay_id)
                    inv["counterparts"].append(line)
                    component.append(line)
                    due = 0
            elif outcome < 0.45:                      # partially paid
                part = due * rng.randrange(10, 90) // 100
                pay_id, line = payment(pid, pay_day, part, inv["number"])
                book.reconcile(inv["line"], line, part)
                inv["payments"].append(pay_id)
                inv["counterparts"].append(line)
                component.append(line)
                due -= part
            else:                                     # paid in full
                pay_id, line = payment(pid, pay_day, due, inv["number"])
                book.reconcile(inv["line"], line, due)
                inv["payments"].append(pay_id)
                inv["counterparts"].append(line)
                component.append(line)
                due = 0
            groups.append(component)
            if rng.random() < 0.01:   # an advance, left on account
                day = inv["day"] + timedelta(days=rng.randrange(1, 30))
                if day <= END_DATE:
                    payment(pid, day, rng.randrange(10, 500) * 10000,
                            "Anticipo")

    # Full reconciliations: components whose lines are all settled.
    partial_rows = book.rows["account_partial_reconcile"]
    partial_of = defaultdict(list)
    for row in partial_rows:
        partial_of[row[1]].append(row)
        partial_of[row[2]].append(row)
    for component in groups:
        if len(component) < 2 or any(
                Decimal(book.lines[x][17]) != 0 for x in component):
            continue
        full_id = book.ids.take("account_full_reconcile")
        book.rows["account_full_reconcile"].append([
            full_id, "A%d" % full_id, None, now, now, uid, uid])
        for line_id in component:
            book.lines[line_id][19] = True
            book.lines[line_id][20] = full_id
            for row in partial_of[line_id]:
                row[5] = full_id
    # A line with no residual left is reconciled even without a full
    # reconciliation (e.g. a payment matched against part of an invoice).
    for line_id, row in book.lines.items():
        if Decimal(row[17]) == 0:
            row[19] = True

    # The invoices themselves, with their residual and state.
    for inv in inv_rows:
        row = book.lines[inv["line"]]
        residual = abs(Decimal(row[17]))
        sign = 1 if inv["type"] == "out_invoice" else -1
        state = "paid" if residual == 0 else "open"
        amount = cents(inv["amount"])
        signed = cents(sign * inv["amount"])
        book.rows["account_invoice"].append([
            inv["id"], inv["number"], inv["number"], inv["number"],
            inv["type"], state, inv["day"], inv["maturity"], inv["day"],
            inv["partner"], inv["partner"], cfg["receivable"],
            cfg["sale_journal"], cfg["company"], cfg["currency"], inv["user"],
            inv["move"], "none", amount, signed, 0, amount, signed, signed,
            str(residual), str(sign * residual), str(sign * residual),
            residual == 0, "out_invoice" == inv["type"] and "" or
            inv.get("origin", ""), now, now, uid, uid])
        line_id = book.ids.take("account_invoice_line")
        book.rows["account_invoice_line"].append([
            line_id, "Mercancía", inv["id"], cfg["income"], inv["partner"],
            cfg["company"], cfg["currency"], amount, 1, 0, amount, amount,
            amount, 10, now, now, uid, uid])
        for pay_id in inv["payments"]:
            book.rows["account_invoice_payment_rel"].append(
                [pay_id, inv["id"]])
        for line in inv["counterparts"]:
            book.rows["account_invoice_account_move_line_rel"].append(
                [inv["id"], line])
    # Moves: matched_percentage of the receivable side.
    move_residual = {}
    for inv in inv_rows:
        move_residual[inv["move"]] = (inv["amount"], abs(Decimal(
            book.lines[inv["line"]][17]) * 100))
    for row in book.rows["account_move"]:
        amount, residual = move_residual.get(row[0], (None, None))
        if amount:
            row[10] = float(1 - residual / amount)

    # Follow-ups on the customers' documents.
    types = cfg["types"]
    docs = defaultdict(list)
    for inv in inv_rows:
        docs[inv["partner"]].append(inv)
    partner_user = dict(partners)
    doc_partners = sorted(docs)
    for n in range(params["followups"]):
        pid = rng.choice(doc_partners)
        inv = rng.choice(docs[pid])
        fu_id = book.ids.take("cartera_followup")
        offset = rng.randrange(max(1, (END_DATE - inv["day"]).days + 1))
        day = inv["day"] + timedelta(days=offset)
        moment = "%s %02d:%02d:00" % (day, rng.randrange(13, 23),
                                      rng.randrange(60))
        user = partner_user[pid]
        responsible = cfg["collector"] if rng.random() < 0.1 else user
        with_doc = rng.random() < 0.85
        residual = abs(Decimal(book.lines[inv["line"]][17]))
        name = "SEG/%06d" % (n + 1)
        # The next task: most recent follow-ups still have one pending,
        # older ones were completed by the follow-ups after them.
        draw = rng.random()
        recent = (END_DATE - day).days < 60
        state = ("pending" if draw < (0.6 if recent else 0.05) else
                 "done" if draw < 0.65 else "none")
        next_type = rng.choice(types) if state != "none" else None
        next_date = day + timedelta(days=rng.randrange(1, 21)) \
            if next_type else None
        activity = book.ids.take("mail_activity") \
            if state == "pending" else None
        book.rows["cartera_followup"].append([
            fu_id, name, pid, user, moment, rng.choice(types),
            responsible, with_doc and inv["id"] or None,
            with_doc and inv["number"] or None,
            with_doc and cfg["sale_journal"] or None,
            with_doc and inv["move"] or None,
            with_doc and cfg["currency"] or None,
            with_doc and str(residual) or None,
            with_doc and inv["maturity"] or None,
            "Llamada de cobro %d" % (n + 1), state, next_date, next_type,
            next_type and "Tarea %d" % (n + 1) or None, activity,
            cfg["company"], moment, moment, uid, uid, "open", None])
        chatter(book, cfg, fu_id, name, moment, user, responsible, state,
                next_type, next_date, activity)
    closed_followups(book, cfg, params, rng, start, partners)
    promises(book, cfg)
    return book


def promises(book, cfg):
    """One payment promise per open follow-up (100,000 at large), pending
    as captured: a share of the document's residual (or a round amount),
    due within two weeks of the follow-up. Drawn from their own generator,
    so that every other row stays as earlier generators made it."""
    rng = random.Random("%s-%s-promises" % (SEED, SCALE))
    uid = cfg["uid"]
    for fu in book.rows["cartera_followup"]:
        if fu[25] != "open":
            continue
        due = Decimal(fu[12]) if fu[12] else Decimal(0)
        amount = (due * Decimal(rng.randrange(30, 101)) / 100).quantize(
            Decimal("0.01")) if due > 0 else Decimal(
                rng.randrange(1, 50) * 100000)
        day = date(*map(int, fu[4][:10].split("-")))
        book.rows["cartera_promise"].append([
            book.ids.take("cartera_promise"), fu[0], fu[2], fu[6],
            cfg["company"], str(amount),
            day + timedelta(days=rng.randrange(0, 15)), "pending", 0,
            fu[21], fu[21], uid, uid])


def closed_followups(book, cfg, params, rng, start, partners):
    """Follow-ups of the year before the data, closed where they are by one
    closing of that year: state 'closed' and its closing_id, their
    conversation and followers under cartera.followup as a closing leaves
    them, their tasks done or none (a closing ends the pending ones). They
    refer to no document (the invoices start with the data). Drawn after
    the open ones, which stay as earlier generators made them."""
    count = params.get("closed", 0)
    if not count:
        return
    uid = cfg["uid"]
    types = cfg["types"]
    first = start - timedelta(days=365)
    closed_on = "%s 09:00:00" % start
    closing_id = book.ids.take("cartera_closing")
    book.rows["cartera_closing"].append([
        closing_id, cfg["closing_name"], first, start - timedelta(days=1),
        None, uid, closed_on, count, cfg["company"], closed_on, closed_on,
        uid, uid])
    for k in range(count):
        pid, user = rng.choice(partners)
        fu_id = book.ids.take("cartera_followup")
        day = first + timedelta(days=rng.randrange(365))
        moment = "%s %02d:%02d:00" % (day, rng.randrange(13, 23),
                                      rng.randrange(60))
        responsible = cfg["collector"] if rng.random() < 0.1 else user
        name = "SEG/%06d" % (params["followups"] + k + 1)
        state = "done" if rng.random() < 0.5 else "none"
        next_type = rng.choice(types) if state == "done" else None
        next_date = day + timedelta(days=rng.randrange(1, 21)) \
            if next_type else None
        book.rows["cartera_followup"].append([
            fu_id, name, pid, user, moment, rng.choice(types), responsible,
            None, None, None, None, None, 0, None,
            "Llamada de cobro cerrada %d" % (k + 1), state, next_date,
            next_type, next_type and "Tarea %d" % (k + 1) or None, None,
            cfg["company"], moment, closed_on, uid, uid, "closed",
            closing_id])
        chatter(book, cfg, fu_id, name, moment, user, responsible, state,
                next_type, next_date, None)


def chatter(book, cfg, fu_id, name, moment, user, responsible, state,
            next_type, next_date, activity):
    """What Odoo writes around a captured follow-up (tracking values
    aside, which nothing measured reads): its creation log, its followers
    (whoever recorded it, the salesperson, the responsible of the task),
    the activity of a pending task, the log of a task done."""
    author = cfg["user_partner"][cfg["uid"]]
    book.rows["mail_message"].append([
        book.ids.take("mail_message"), "", "cartera.followup", fu_id, name,
        "notification", cfg["subtype_note"], None, author, moment,
        moment, moment, cfg["uid"], cfg["uid"]])
    partners = {author, cfg["user_partner"][user]}
    if state != "none":
        partners.add(cfg["user_partner"][responsible])
    for partner in sorted(partners):
        book.rows["mail_followers"].append([
            book.ids.take("mail_followers"), "cartera.followup", fu_id,
            partner])
    if state == "pending":
        book.rows["mail_activity"].append([
            activity, fu_id, cfg["followup_model"], "cartera.followup", name,
            cfg["activity_type"][next_type],
            cfg["activity_name"][next_type], "<p>Tarea</p>", next_date,
            responsible, moment, moment, cfg["uid"], cfg["uid"]])
    elif state == "done":
        done = "%s 16:00:00" % next_date
        book.rows["mail_message"].append([
            book.ids.take("mail_message"), "<p>Tarea hecha</p>",
            "cartera.followup", fu_id, name, "notification",
            cfg["subtype_activities"], cfg["activity_type"][next_type],
            cfg["user_partner"][responsible], done, done, done, cfg["uid"],
            cfg["uid"]])


COLUMNS = {
    "res_partner": (
        "id, name, display_name, commercial_partner_id, customer, supplier, "
        "active, is_company, type, company_id, user_id, lang, city, vat, "
        "create_date, write_date, create_uid, write_uid, partner_share, "
        "message_bounce, invoice_warn, email"),
    "account_move": (
        "id, name, ref, date, journal_id, state, company_id, currency_id, "
        "partner_id, amount, matched_percentage"),
    "account_move_line": (
        "id, name, move_id, account_id, partner_id, journal_id, company_id, "
        "company_currency_id, date, date_maturity, debit, credit, balance, "
        "debit_cash_basis, credit_cash_basis, balance_cash_basis, "
        "amount_currency, amount_residual, amount_residual_currency, "
        "reconciled, full_reconcile_id, invoice_id, payment_id, "
        "user_type_id, tax_exigible, quantity, ref, blocked"),
    "account_partial_reconcile": (
        "id, debit_move_id, credit_move_id, amount, amount_currency, "
        "full_reconcile_id, company_id, currency_id, max_date, create_date, "
        "write_date, create_uid, write_uid"),
    "account_full_reconcile": (
        "id, name, exchange_move_id, create_date, write_date, create_uid, "
        "write_uid"),
    "account_payment": (
        "id, name, payment_type, partner_type, partner_id, amount, "
        "payment_date, journal_id, state, payment_method_id, currency_id, "
        "company_id, move_name, communication, payment_difference_handling, "
        "create_date, write_date, create_uid, write_uid"),
    "account_invoice": (
        "id, number, move_name, reference, type, state, date_invoice, "
        "date_due, date, partner_id, commercial_partner_id, account_id, "
        "journal_id, company_id, currency_id, user_id, move_id, reference_type, "
        "amount_untaxed, amount_untaxed_signed, amount_tax, amount_total, "
        "amount_total_signed, amount_total_company_signed, residual, "
        "residual_signed, residual_company_signed, reconciled, origin, "
        "create_date, write_date, create_uid, write_uid"),
    "account_invoice_line": (
        "id, name, invoice_id, account_id, partner_id, company_id, "
        "currency_id, price_unit, quantity, discount, price_subtotal, "
        "price_subtotal_signed, price_total, sequence, create_date, "
        "write_date, create_uid, write_uid"),
    "account_invoice_payment_rel": "payment_id, invoice_id",
    "account_invoice_account_move_line_rel": (
        "account_invoice_id, account_move_line_id"),
    "cartera_followup": (
        "id, name, partner_id, user_id, date, type_id, responsible_id, "
        "invoice_id, invoice_number, journal_id, move_id, "
        "invoice_currency_id, amount_due, date_due, notes, task_state, "
        "next_date, next_type_id, next_note, task_activity_id, "
        "company_id, create_date, write_date, create_uid, write_uid, state, "
        "closing_id"),
    "cartera_closing": (
        "id, name, date_from, date_to, partner_id, user_id, date, "
        "followup_count, company_id, create_date, write_date, create_uid, "
        "write_uid"),
    "mail_message": (
        "id, body, model, res_id, record_name, message_type, subtype_id, "
        "mail_activity_type_id, author_id, date, create_date, write_date, "
        "create_uid, write_uid"),
    "mail_followers": "id, res_model, res_id, partner_id",
    "cartera_promise": (
        "id, followup_id, partner_id, responsible_id, company_id, amount, "
        "date, state, paid_amount, create_date, write_date, create_uid, "
        "write_uid"),
    "mail_activity": (
        "id, res_id, res_model_id, res_model, res_name, activity_type_id, "
        "summary, note, date_deadline, user_id, create_date, write_date, "
        "create_uid, write_uid"),
}
# Foreign keys point forwards and backwards between these tables (invoice
# <-> move); all of them are deferred to the end of the transaction.
ORDER = ["res_partner", "account_full_reconcile", "account_move",
         "account_invoice", "account_payment", "account_move_line",
         "account_partial_reconcile", "account_invoice_line",
         "account_invoice_payment_rel",
         "account_invoice_account_move_line_rel", "mail_activity",
         "cartera_closing", "cartera_followup", "mail_message",
         "mail_followers", "cartera_promise"]


def copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace(
        "\n", " ")


def copy_rows(cr, table, rows):
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(copy_value(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    cr.copy_expert("COPY %s (%s) FROM STDIN" % (table, COLUMNS[table]), buf)


def write_book(conn, book):
    with conn.cursor() as cr:
        cr.execute("SET CONSTRAINTS ALL DEFERRED")
        # Foreign keys of Odoo are not deferrable: drop the triggers' work by
        # replicating as a replica for the load (the rows are consistent by
        # construction), then check the counts below.
        cr.execute("SET session_replication_role = replica")
        for table in ORDER:
            rows = book.rows.get(table, [])
            if rows:
                started = time.time()
                copy_rows(cr, table, rows)
                log("%-40s %9d rows %6.1f s", table, len(rows),
                    time.time() - started)
        cr.execute("SET session_replication_role = DEFAULT")
        for table in ORDER:
            if table.endswith("_rel"):
                continue
            cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
            seq = cr.fetchone()[0]
            cr.execute("SELECT setval(%%s, (SELECT MAX(id) FROM %s))"
                       % table, (seq,))


def check_integrity(cr):
    """The foreign keys skipped during the load, checked once, set-based."""
    checks = [
        ("lines without move", "SELECT count(*) FROM account_move_line l "
         "LEFT JOIN account_move m ON m.id = l.move_id WHERE m.id IS NULL"),
        ("unbalanced moves", "SELECT count(*) FROM (SELECT move_id FROM "
         "account_move_line GROUP BY move_id HAVING "
         "SUM(debit) <> SUM(credit)) s"),
        ("partials without lines", "SELECT count(*) FROM "
         "account_partial_reconcile p LEFT JOIN account_move_line d ON "
         "d.id = p.debit_move_id LEFT JOIN account_move_line c ON "
         "c.id = p.credit_move_id WHERE d.id IS NULL OR c.id IS NULL"),
        ("residuals off", "SELECT count(*) FROM account_move_line l "
         "JOIN account_account a ON a.id = l.account_id AND a.reconcile "
         "WHERE l.amount_residual <> l.balance - COALESCE((SELECT "
         "SUM(amount) FROM account_partial_reconcile WHERE debit_move_id = "
         "l.id), 0) + COALESCE((SELECT SUM(amount) FROM "
         "account_partial_reconcile WHERE credit_move_id = l.id), 0)"),
        ("invoices off", "SELECT count(*) FROM account_invoice i JOIN "
         "account_move_line l ON l.invoice_id = i.id AND l.account_id = "
         "i.account_id WHERE i.residual <> abs(l.amount_residual)"),
        ("follow-ups without customer", "SELECT count(*) FROM "
         "cartera_followup f LEFT JOIN res_partner p ON p.id = f.partner_id "
         "WHERE p.id IS NULL"),
        ("pending tasks without activity", "SELECT count(*) FROM "
         "cartera_followup f LEFT JOIN mail_activity a ON "
         "a.id = f.task_activity_id AND a.res_id = f.id WHERE "
         "(f.task_state = 'pending') <> (a.id IS NOT NULL)"),
        ("follow-ups closed without a closing, or open in one",
         "SELECT count(*) FROM cartera_followup f LEFT JOIN cartera_closing "
         "c ON c.id = f.closing_id WHERE (f.state = 'closed') <> "
         "(c.id IS NOT NULL) OR f.state NOT IN ('open', 'closed')"),
        ("closings miscounted", "SELECT count(*) FROM cartera_closing c "
         "WHERE c.followup_count <> (SELECT count(*) FROM cartera_followup "
         "f WHERE f.closing_id = c.id)"),
        ("closed follow-ups with a pending task", "SELECT count(*) FROM "
         "cartera_followup f WHERE f.state = 'closed' AND "
         "(f.task_state = 'pending' OR f.task_activity_id IS NOT NULL)"),
        ("follow-ups without creation log", "SELECT count(*) FROM "
         "cartera_followup f WHERE NOT EXISTS (SELECT 1 FROM mail_message m "
         "WHERE m.model = 'cartera.followup' AND m.res_id = f.id)"),
    ]
    for label, query in checks:
        cr.execute(query)
        count = cr.fetchone()[0]
        if count:
            raise RuntimeError("integrity: %d %s" % (count, label))
    log("integrity checks passed")


def main():
    params = SCALES[SCALE]
    found = marker(DB)
    if found and found["scale"] == SCALE and found["seed"] == SEED and \
            found["version"] == GENERATOR_VERSION and \
            not os.environ.get("BENCH_REBUILD"):
        log("reusing %s (%s, %d journal items)", DB, SCALE, found["rows"])
        return 0
    started = time.time()
    build_base(DB)
    import odoo
    odoo.tools.config.parse_config(
        ["--addons-path=%s" % ROOT, "--db_host=%s" % PGHOST, "-d", DB,
         "--log-level=warn"])
    rng = random.Random("%s-%s" % (SEED, SCALE))
    with odoo.api.Environment.manage(), \
            odoo.registry(DB).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cfg = setup_config(env, params)
        cr.commit()
        book = generate(cr, cfg, params, rng)
        log("computed rows in %.1f s", time.time() - started)
        conn = cr._cnx
        write_book(conn, book)
        check_integrity(cr)
        rows = len(book.rows["account_move_line"])
        cr.execute("CREATE TABLE %s (scale varchar, seed integer, "
                   "version integer, rows integer, cfg text)" % MARKER)
        cr.execute("INSERT INTO %s VALUES (%%s, %%s, %%s, %%s, %%s)" % MARKER,
                   (SCALE, SEED, GENERATOR_VERSION, rows, repr(cfg)))
        cr.commit()
    conn = pg(DB)
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE")
    conn.close()
    log("%s built in %.0f s: %d journal items, %d partials, %d follow-ups "
        "(%d closed)", DB, time.time() - started, rows,
        len(book.rows["account_partial_reconcile"]),
        len(book.rows["cartera_followup"]), params.get("closed", 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
