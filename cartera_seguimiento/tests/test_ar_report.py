# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The receivable engine on hand-computed data: partial payments, credit
notes, payments after the as-of date, backdated entries, bucket edges and a
foreign-currency invoice; equality with Odoo's own aged receivable."""
import logging

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import CarteraCase

_logger = logging.getLogger(__name__)
D = "2026-06-30"


class ArReportCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(ArReportCase, cls).setUpClass()
        cls.engine = cls.env["cartera.ar.report"]
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        # The foreign currency: USD, or EUR where USD is the company's.
        cls.usd = cls.env.ref("base.EUR" if cls.company.currency_id == cls.env.ref(
            "base.USD") else "base.USD")
        cls.usd.active = True
        Rate = cls.env["res.currency.rate"]
        # Only the rates below (a database's own, e.g. Odoo's demo rates of
        # USD, would change the figures).
        Rate.search([("currency_id", "in", (
            cls.company.currency_id | cls.usd).ids)]).unlink()
        # COP is the company currency: rate 1 from 2026; USD at 4000 COP
        # until June 10th, then at 5000 COP.
        for currency, day, rate in (
                (cls.company.currency_id, "2026-01-01", 1.0),
                (cls.usd, "2026-01-01", 0.00025),
                (cls.usd, "2026-06-10", 0.0002)):
            Rate.create({"currency_id": currency.id, "name": day,
                         "rate": rate, "company_id": cls.company.id})
        inv = cls._create_invoice
        a = cls.customer1
        # Not due on D (due on D itself) and 1 day overdue.
        cls.a1 = inv(a, 1000, date_invoice="2026-04-01", date_due=D)
        cls.a2 = inv(a, 2000, date_invoice="2026-04-01",
                     date_due="2026-06-29")
        # 30 days overdue (last day of 1-30) and 31 (first day of 31-60).
        cls.a3 = inv(a, 3000, date_invoice="2026-03-01",
                     date_due="2026-05-31")
        cls.a4 = inv(a, 4000, date_invoice="2026-03-01",
                     date_due="2026-05-30")
        # 121 days overdue (older) and 120 (last day of 91-120).
        cls.a5 = inv(a, 5000, date_invoice="2026-01-01",
                     date_due="2026-03-01")
        cls.a6 = inv(a, 6000, date_invoice="2026-01-01",
                     date_due="2026-03-02")
        # Backdated into the period, not due on D.
        cls.a9 = inv(a, 300, date_invoice="2026-06-01",
                     date_due="2026-07-31")
        # After D: never in the figures as of D.
        cls.a10 = inv(a, 999, date_invoice="2026-07-05",
                      date_due="2026-07-05")
        # Partial payment before D; payments after D (partial and full).
        cls._pay(cls.a2, 500, "2026-06-10")
        cls._pay(cls.a3, 1000, "2026-07-15")
        cls._pay(cls.a6, 6000, "2026-07-01")
        # A credit note applied to A4, and one left open.
        cls.a7 = inv(a, 700, "out_refund", date_invoice="2026-06-20",
                     date_due="2026-06-20")
        (cls.a4.move_id.line_ids | cls.a7.move_id.line_ids).filtered(
            lambda l: l.account_id.internal_type == "receivable").reconcile()
        cls.a8 = inv(a, 200, "out_refund", date_invoice="2026-06-25",
                     date_due="2026-06-25")
        # Customer 2: 100 USD at 4000 (400,000 COP), 46 days overdue on D,
        # half paid on June 15th at 5000: 250,000 COP applied.
        cls.b1 = inv(cls.customer2, 100, date_invoice="2026-05-01",
                     date_due="2026-05-15", currency=cls.usd)
        cls._pay(cls.b1, 50, "2026-06-15")

    @classmethod
    def _pay(cls, invoice, amount, date):
        vals = invoice._prepare_payment_vals(cls.bank, amount, date)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    def _row(self, rows, partner):
        found = [r for r in rows if r["partner_id"] == partner.id]
        self.assertEqual(len(found), 1, rows)
        return found[0]

    def _core(self, date_at, period_length=30):
        res, _total, _lines = self.env[
            "report.account.report_agedpartnerbalance"]._get_partner_move_lines(
            ["receivable"], date_at, "posted", period_length)
        return {r["partner_id"]: r for r in res if r["partner_id"]}


class TestAging(ArReportCase):

    def test_aging_hand_computed(self):
        for method in ("history", "residual"):
            rows = self.engine.with_context(
                cartera_aging_method=method).aging(D)
            row = self._row(rows, self.customer1)
            self.assertEqual(row["not_due"], 1300.0, method)
            # 1-30: 2000-500 + 3000 (paid after D) - 200 open credit note.
            self.assertEqual(row["periods"],
                             [4300.0, 3300.0, 0.0, 6000.0, 5000.0], method)
            self.assertEqual(row["total"], 19900.0, method)
            self.assertEqual(row["partner_name"], "Cliente Uno")
            usd = self._row(rows, self.customer2)
            self.assertEqual(usd["periods"], [0.0, 150000.0, 0, 0, 0], method)
            self.assertEqual(usd["total"], 150000.0, method)

    def test_aging_today(self):
        today = fields.Date.context_today(self.engine)
        for method in ("history", "residual"):
            rows = self.engine.with_context(
                cartera_aging_method=method).aging(today)
            # 19900 - 1000 - 6000 paid after D + 999 + 1000 (today's).
            self.assertEqual(self._row(rows, self.customer1)["total"],
                             14899.0, method)
            self.assertEqual(self._row(rows, self.customer2)["total"],
                             2500.0 + 150000.0, method)

    def test_aging_period_length(self):
        rows = self.engine.aging(D, period_length=60)
        row = self._row(rows, self.customer1)
        self.assertEqual(row["periods"],
                         [7600.0, 6000.0, 5000.0, 0.0, 0.0])
        self.assertEqual(self.engine.aging_periods(60),
                         ["1-60", "61-120", "121-180", "181-240", "+240"])

    def test_aging_period_count(self):
        # The number of periods is a parameter (4 by default): two periods
        # of 30 days and "older" hold what the five did.
        for method in ("history", "residual"):
            engine = self.engine.with_context(cartera_aging_method=method)
            row = self._row(engine.aging(D, 30, period_count=2),
                            self.customer1)
            self.assertEqual(row["not_due"], 1300.0, method)
            self.assertEqual(row["periods"], [4300.0, 3300.0, 11000.0],
                             method)
            self.assertEqual(row["total"], 19900.0, method)
            row = self._row(engine.aging(D, 30, None, None, 6),
                            self.customer1)
            self.assertEqual(len(row["periods"]), 7)
            self.assertEqual(row["periods"][:4], [4300.0, 3300.0, 0.0,
                                                  6000.0], method)
            self.assertEqual(sum(row["periods"][4:]), 5000.0, method)
        self.assertEqual(self.engine.aging_periods(30, period_count=2),
                         ["1-30", "31-60", "+60"])
        self.assertEqual(self.engine.aging_periods(30),
                         ["1-30", "31-60", "61-90", "91-120", "+120"])
        for bad in (0, -1, "x", None, 100):
            with self.assertRaises(UserError):
                self.engine.aging(D, 30, period_count=bad)

    def test_aging_equals_odoo_core(self):
        today = fields.Date.context_today(self.engine)
        for date_at in (D, "2026-05-31", "2026-06-15", "2026-07-01", today):
            for plen in (30, 15, 45):
                core = self._core(date_at, plen)
                for method in ("history", "residual"):
                    rows = self.engine.with_context(
                        cartera_aging_method=method).aging(date_at, plen)
                    mine = {r["partner_id"]: r for r in rows}
                    self.assertEqual(set(mine), set(core),
                                     (date_at, plen, method))
                    for pid, row in mine.items():
                        ref = core[pid]
                        expected = [ref["direction"]] + [
                            ref[str(i)] for i in (4, 3, 2, 1, 0)]
                        got = [row["not_due"]] + row["periods"]
                        for mine_amount, core_amount in zip(got, expected):
                            self.assertAlmostEqual(
                                mine_amount, core_amount, places=2,
                                msg=(date_at, plen, method, pid))
                        self.assertAlmostEqual(row["total"], ref["total"],
                                               places=2)

    def test_aging_method_choice(self):
        # As of today nearly nothing was reconciled later: the cheap way.
        today = fields.Date.context_today(self.engine)
        self.assertEqual(self.engine._aging_method(today), "residual")

    def test_scope_is_the_record_rule(self):
        # One definition: the collectors' record rule is cartera.scope's
        # follow-up domain, and the engine's customers are its customers.
        scope = self.env["cartera.scope"]
        rule = self.env.ref("cartera_seguimiento.cartera_followup_rule_collector")
        self.assertIn("cartera.scope", rule.domain_force)
        Followup = self.env["cartera.followup"]
        mine = self._followup(partner_id=self.customer1.id)
        helped = Followup.sudo(self.collector2).create({
            "partner_id": self.customer1.id, "type_id": self.type_call.id})
        for user in (self.collector1, self.collector2):
            by_rule = Followup.sudo(user).search([("id", "in", (mine | helped).ids)])
            by_scope = Followup.search(
                [("id", "in", (mine | helped).ids)]
                + scope._followup_domain(user))
            self.assertEqual(by_rule, by_scope)
        self.assertEqual(scope._customer_domain(self.collector1),
                         [("user_id", "=", self.collector1.id)])
        self.assertIsNone(scope._customer_domain(self.manager))
        self.assertEqual(scope._followup_domain(self.manager), [])

    def test_aging_scope(self):
        rows = self.engine.sudo(self.collector1).aging(D)
        self.assertEqual({r["partner_id"] for r in rows},
                         {self.customer1.id})
        rows = self.engine.sudo(self.collector2).aging(D)
        self.assertEqual({r["partner_id"] for r in rows},
                         {self.customer2.id})
        # Asking for another collector's customer yields nothing.
        self.assertEqual(self.engine.sudo(self.collector2).aging(
            D, partner_ids=[self.customer1.id]), [])
        rows = self.engine.sudo(self.manager).aging(
            D, salesperson_ids=[self.collector1.id])
        self.assertEqual({r["partner_id"] for r in rows},
                         {self.customer1.id})
        # A contact stands for its company.
        rows = self.engine.aging(D, partner_ids=[self.customer1_contact.id])
        self.assertEqual([r["partner_id"] for r in rows], [self.customer1.id])
        with self.assertRaises(AccessError):
            self.engine.sudo(self.accountant).aging(D)

    def test_bad_filters(self):
        with self.assertRaises(UserError):
            self.engine.aging(D, 0)
        with self.assertRaises(UserError):
            self.engine.aging(D, -5)
        with self.assertRaises(UserError):
            self.engine.aging("2026-13-45")
        # Anything after the date is as wrong as an impossible date.
        for bad in ("2020-01-01xyz", "2020-01-01 00:00:00", 20200101):
            with self.assertRaisesRegex(UserError, "not a valid date"):
                self.engine.aging(bad)
            with self.assertRaisesRegex(UserError, "not a valid date"):
                self.engine.movement("2020-01-01", bad)
        with self.assertRaises(UserError):
            self.engine.movement("2026-07-01", "2026-06-01")
        with self.assertRaises(UserError):
            self.engine.history([self.customer1.id], "2026-07-01",
                                "2026-06-01")
        other = self.env["res.company"].create({"name": "Otra Empresa"})
        stranger = self.env["res.partner"].create({
            "name": "Cliente Ajeno", "customer": True,
            "company_id": other.id})
        for call in (lambda: self.engine.aging(D, 30, [stranger.id]),
                     lambda: self.engine.movement(D, D, [stranger.id]),
                     lambda: self.engine.history([stranger.id])):
            with self.assertRaises(UserError):
                call()


class TestMovementHistory(ArReportCase):

    def test_movement(self):
        rows = self.engine.movement("2026-06-01", D, detail=True)
        row = self._row(rows, self.customer1)
        self.assertEqual(row["opening"], 21000.0)
        self.assertEqual(row["debit"], 300.0)
        self.assertEqual(row["credit"], 1400.0)
        self.assertEqual(row["refunds"], 900.0)
        self.assertEqual(row["payments"], 500.0)
        self.assertEqual(row["closing"], 19900.0)
        self.assertEqual([(line["date"], line["kind"], line["debit"],
                           line["credit"]) for line in row["lines"]],
                         [("2026-06-01", "invoice", 300.0, 0.0),
                          ("2026-06-10", "payment", 0.0, 500.0),
                          ("2026-06-20", "refund", 0.0, 700.0),
                          ("2026-06-25", "refund", 0.0, 200.0)])
        self.assertEqual(row["lines"][-1]["balance"], 19900.0)
        usd = self._row(rows, self.customer2)
        self.assertEqual((usd["opening"], usd["debit"], usd["credit"],
                          usd["closing"]),
                         (400000.0, 0.0, 250000.0, 150000.0))
        # The closing balance of a period is the aging total at its end.
        aging = self._row(self.engine.aging(D), self.customer1)
        self.assertEqual(row["closing"], aging["total"])

    def test_unposted_entries_left_out(self):
        """Draft entries on the receivable account, an invoice-like debit
        and a payment-like credit in the period and before it, change no
        figure of the aging, the movement, the history or the indicators."""
        def figures():
            aging = self._row(self.engine.aging(D), self.customer1)
            movement = self._row(self.engine.movement(
                "2026-06-01", D, detail=True), self.customer1)
            history = self.engine.history(self.customer1.ids, "2026-06-01", D)
            kpis = self.engine.kpis("2026-06-01", D, self.customer1.ids)
            return (aging, movement, history, kpis)
        before = figures()
        self._unposted_entry(self.customer1, 12345.0, "2026-06-15")
        self._unposted_entry(self.customer1, 777.0, "2026-02-15")
        self._unposted_entry(self.customer1, -4321.0, "2026-06-16",
                             journal=self.bank)
        self.assertEqual(figures(), before)
        self.assertEqual(before[1]["closing"], 19900.0)

    def test_history(self):
        self._followup(partner_id=self.customer1.id,
                       invoice_id=self.a2.id, date="2026-06-12 15:00:00")
        rows = self.engine.history([self.customer1.id])
        self.assertEqual({r["partner_id"] for r in rows}, {self.customer1.id})
        kinds = [r["kind"] for r in rows]
        self.assertEqual(kinds.count("followup"), 1)
        self.assertEqual(kinds.count("refund"), 2)
        self.assertEqual(kinds.count("payment"), 3)
        self.assertEqual(rows[-1]["balance"], 14899.0)
        followup = [r for r in rows if r["kind"] == "followup"][0]
        self.assertEqual(followup["date"], "2026-06-12")
        self.assertEqual(followup["document"], self.a2.number)
        # Opening 21000 + 300 invoiced - 500 paid on June 10th.
        self.assertEqual(followup["balance"], 20800.0)
        previous = rows[rows.index(followup) - 1]
        self.assertEqual((previous["date"], previous["kind"]),
                         ("2026-06-10", "payment"))
        # A window keeps the running balance from the whole history.
        rows = self.engine.history([self.customer1.id], "2026-06-15", D)
        self.assertEqual([(r["date"], r["balance"]) for r in rows],
                         [("2026-06-20", 20100.0), ("2026-06-25", 19900.0)])


class TestQueryCount(ArReportCase):

    def _customers(self, count):
        partners = self.env["res.partner"]
        for number in range(count):
            partner = self.env["res.partner"].create({
                "name": "Cliente Volumen %02d" % number, "customer": True,
                "user_id": self.collector1.id, "is_company": True})
            self._create_invoice(partner, 100 + number,
                                 date_invoice="2026-05-01",
                                 date_due="2026-05-20")
            partners |= partner
        return partners

    def _count(self, call):
        # Warm the ormcache (groups, translations) so that only the report's
        # own queries are counted, then start from an empty record cache.
        call()
        self.env["res.partner"].invalidate_cache()
        before = self.env.cr.sql_log_count
        result = call()
        return self.env.cr.sql_log_count - before, result

    def test_query_counts_do_not_grow(self):
        few = self._customers(5)
        many = few | self._customers(45)
        counts = {}
        for label, partners in (("few", few), ("many", many)):
            ids = partners.ids
            calls = {
                "aging": lambda: self.engine.aging(D, 30, ids),
                "aging_history": lambda: self.engine.with_context(
                    cartera_aging_method="history").aging(D, 30, ids),
                "movement": lambda: self.engine.movement(
                    "2026-01-01", D, ids, detail=True),
                "history": lambda: self.engine.history(ids),
            }
            for name, call in calls.items():
                count, result = self._count(call)
                counts[(label, name)] = count
                self.assertTrue(result, name)
        _logger.info("cartera.ar.report query counts: %s", counts)
        for name in ("aging", "aging_history", "movement", "history"):
            self.assertEqual(counts[("few", name)], counts[("many", name)],
                             (name, counts))
            self.assertLessEqual(counts[("many", name)], 12, (name, counts))


class TestClosedFollowups(ArReportCase):
    """Closed follow-ups (sealed by a closing) are listed on request in the
    follow-up report and always in the receivable history."""

    def test_closed_followups(self):
        followup = self._followup(partner_id=self.customer1.id,
                                  invoice_id=self.a2.id,
                                  date="2026-06-12 15:00:00")
        name = followup.name
        self.env["cartera.closing"].sudo(self.manager)._close_followups(
            "2026-06-01", D, self.customer1)
        self.assertEqual(followup.state, "closed")
        Followup = self.env["cartera.followup"]
        rows = Followup.listing("2026-06-01", D, [self.customer1.id])
        self.assertEqual(rows, [])
        rows = Followup.listing("2026-06-01", D, [self.customer1.id],
                                include_closed=True)
        self.assertEqual([(r["name"], r["closed"], r["day"]) for r in rows],
                         [(name, True, "2026-06-12")])
        history = [r for r in self.engine.history([self.customer1.id])
                   if r["kind"] == "followup"]
        self.assertEqual([(r["ref"], r["closed"], r["balance"])
                          for r in history], [(name, True, 20800.0)])
        # A collector sees the closed follow-ups of their own customers.
        rows = Followup.sudo(self.collector1).listing(
            "2026-06-01", D, include_closed=True)
        self.assertEqual([r["name"] for r in rows], [name])
        self.assertEqual(Followup.sudo(self.collector2).listing(
            "2026-06-01", D, include_closed=True), [])
