# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The receivable indicators on a hand-computed ledger (June 2026, 30 days,
D = 2026-06-30; grace of promises 3 days).

Cliente Uno (Cobrador Uno):
  before June: A 10,000.00 (due 03-01: 121 days overdue at D), B 6,000.00
  (due 05-15) of which P1 2,500.00 paid on 05-20, G 700.00 (due 04-01: 90
  days, not "more than 90"), H 300.00 (due 03-31: 91 days).
  opening 14,500.00.
  June: C 8,000.00 (06-05, due 07-05); P2 3,500.00 on 06-10 (B paid);
  P3 1,000.50 on 06-20 to A; credit note R 1,200.25 on 06-25 applied to C.
  invoiced 8,000.00, collected 5,700.75, closing 16,799.25.
  at D: C 6,799.75 not due; A 8,999.50 + H 300.00 overdue +90 = 9,299.50.
  After June: P4 2,000.00 on 07-10 to C (a partial after D), E 5,000.00
  invoiced on 07-02.
  Promises: 2,500 due 05-25 kept (P1); June: 3,500 due 06-12 kept (P2),
  2,000 due 06-22 partially kept (P3), 500 due 06-24 broken, 700 due 06-29
  pending (within the grace); 300 due 07-20 pending.
Cliente Dos (Cobrador Dos):
  June: F 4,000.00 (06-01, due 06-15), 1,000.00 paid on 06-28; promise of
  1,000 due 06-27 kept. closing 3,000.00, 15 days overdue.
"""
import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import CarteraCase

_logger = logging.getLogger(__name__)
JUNE = ("2026-06-01", "2026-06-30")
D = JUNE[1]
FOLLOWUP_MAY = "2026-05-01 15:00:00"
FOLLOWUP_JUNE = "2026-06-01 15:00:00"


class KpiCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(KpiCase, cls).setUpClass()
        cls.engine = cls.env["cartera.ar.report"]
        cls.Promise = cls.env["cartera.promise"]
        # The database's own promises (demo data) would be judged too.
        cls.Promise.sudo().search([]).unlink()
        cls.company.cartera_promise_grace_days = 3
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        inv = cls._create_invoice
        one, two = cls.customer1, cls.customer2
        cls.inv_a = inv(one, 10000.0, date_invoice="2026-02-01",
                        date_due="2026-03-01")
        cls.inv_b = inv(one, 6000.0, date_invoice="2026-04-15",
                        date_due="2026-05-15")
        cls.inv_g = inv(one, 700.0, date_invoice="2026-03-01",
                        date_due="2026-04-01")
        cls.inv_h = inv(one, 300.0, date_invoice="2026-03-01",
                        date_due="2026-03-31")
        cls._pay(cls.inv_b, 2500.0, "2026-05-20")
        cls.inv_c = inv(one, 8000.0, date_invoice="2026-06-05",
                        date_due="2026-07-05")
        cls._pay(cls.inv_b, 3500.0, "2026-06-10")
        cls._pay(cls.inv_a, 1000.50, "2026-06-20")
        refund = inv(one, 1200.25, "out_refund", date_invoice="2026-06-25",
                     date_due="2026-06-25")
        (cls.inv_c.move_id.line_ids | refund.move_id.line_ids).filtered(
            lambda l: l.account_id.internal_type == "receivable").reconcile()
        cls._pay(cls.inv_c, 2000.0, "2026-07-10")
        inv(one, 5000.0, date_invoice="2026-07-02", date_due="2026-08-01")
        cls.inv_f = inv(two, 4000.0, date_invoice="2026-06-01",
                        date_due="2026-06-15")
        cls._pay(cls.inv_f, 1000.0, "2026-06-28")
        for amount, date, day in (
                (2500.0, "2026-05-25", FOLLOWUP_MAY),
                (3500.0, "2026-06-12", FOLLOWUP_JUNE),
                (2000.0, "2026-06-22", FOLLOWUP_JUNE),
                (500.0, "2026-06-24", FOLLOWUP_JUNE),
                (700.0, "2026-06-29", FOLLOWUP_JUNE),
                (300.0, "2026-07-20", FOLLOWUP_JUNE)):
            cls._promise(one, cls.collector1, amount, date, day)
        cls._promise(two, cls.collector2, 1000.0, "2026-06-27",
                     FOLLOWUP_JUNE)
        cls.Promise.sudo(cls.manager).evaluate(D)
        cls.Promise.invalidate_cache()
        cls.ours = [cls.collector1.id, cls.collector2.id]

    @classmethod
    def _pay(cls, invoice, amount, date):
        vals = invoice._prepare_payment_vals(cls.bank, amount, date)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    @classmethod
    def _promise(cls, partner, user, amount, date, followup_date):
        followup = cls.env["cartera.followup"].sudo(user).create({
            "partner_id": partner.id, "type_id": cls.type_call.id,
            "date": followup_date, "notes": "Compromiso"})
        return cls.Promise.sudo(user).create({
            "followup_id": followup.id, "amount": amount, "date": date})

    def _kpis(self, period=JUNE, user=None, **kwargs):
        engine = self.engine.sudo(user) if user else self.engine
        return engine.kpis(*period, **kwargs)


class TestKpiFigures(KpiCase):

    def test_collector_one(self):
        self.assertEqual(
            sorted(self.Promise.search([
                ("partner_id", "=", self.customer1.id)]).mapped(
                lambda p: (p.date, p.state))),
            [("2026-05-25", "kept"), ("2026-06-12", "kept"),
             ("2026-06-22", "partial"), ("2026-06-24", "broken"),
             ("2026-06-29", "pending"), ("2026-07-20", "pending")])
        for method in ("history", "residual"):
            k = self.engine.with_context(cartera_aging_method=method).kpis(
                *JUNE, salesperson_ids=[self.collector1.id])
            self.assertEqual(
                (k["opening"], k["invoiced"], k["collected"], k["closing"],
                 k["closing_not_due"], k["overdue_90"]),
                (14500.0, 8000.0, 5700.75, 16799.25, 6799.75, 9299.50),
                method)
            self.assertEqual(k["days"], 30)
            self.assertEqual(k["dso"], round(16799.25 / 8000.0 * 30, 2))
            self.assertEqual(k["dso"], 63.0)
            self.assertEqual(k["cei"], round(
                (14500.0 + 8000.0 - 16799.25)
                / (14500.0 + 8000.0 - 6799.75) * 100, 2))
            self.assertEqual(k["cei"], 36.31)
            self.assertEqual(k["overdue_90_pct"],
                             round(9299.50 / 16799.25 * 100, 2))
            self.assertEqual(k["overdue_90_pct"], 55.36)
            # Kept 1 of 3 decided (the pending one and May's left out).
            self.assertEqual((k["promises_kept"], k["promises_decided"],
                              k["promise_kept_pct"]), (1, 3, 33.33))

    def test_collector_two_and_total(self):
        k = self._kpis(salesperson_ids=[self.collector2.id])
        self.assertEqual(
            (k["opening"], k["invoiced"], k["collected"], k["closing"],
             k["closing_not_due"], k["overdue_90"]),
            (0.0, 4000.0, 1000.0, 3000.0, 0.0, 0.0))
        self.assertEqual((k["dso"], k["cei"], k["overdue_90_pct"],
                          k["promise_kept_pct"]), (22.5, 25.0, 0.0, 100.0))
        total = self._kpis(salesperson_ids=self.ours)
        self.assertEqual(
            (total["opening"], total["invoiced"], total["collected"],
             total["closing"], total["closing_not_due"]),
            (14500.0, 12000.0, 6700.75, 19799.25, 6799.75))
        self.assertEqual(total["dso"], round(19799.25 / 12000.0 * 30, 2))
        self.assertEqual(total["cei"], round(
            6700.75 / (26500.0 - 6799.75) * 100, 2))
        self.assertEqual(total["overdue_90_pct"],
                         round(9299.50 / 19799.25 * 100, 2))
        self.assertEqual(total["promise_kept_pct"], 50.0)
        # Two months: May's promise is kept too, 2 of 4.
        both = self._kpis(("2026-05-01", D),
                          salesperson_ids=[self.collector1.id])
        self.assertEqual((both["opening"], both["days"],
                          both["promise_kept_pct"]), (17000.0, 61, 50.0))
        # A contact stands for its company; a partner filter is a filter.
        by_contact = self._kpis(partner_ids=[self.customer1_contact.id])
        self.assertEqual(by_contact, self._kpis(
            salesperson_ids=[self.collector1.id]))

    def test_zero_denominators(self):
        empty = self._kpis(("2025-01-01", "2025-01-31"),
                           salesperson_ids=self.ours)
        self.assertEqual(
            (empty["opening"], empty["invoiced"], empty["closing"]),
            (0.0, 0.0, 0.0))
        for name in ("dso", "cei", "overdue_90_pct", "promise_kept_pct"):
            self.assertIsNone(empty[name], name)
        # July for Cliente Dos: a balance, nothing invoiced, no promise.
        july = self._kpis(("2026-07-01", "2026-07-31"),
                          salesperson_ids=[self.collector2.id])
        self.assertEqual((july["opening"], july["closing"]),
                         (3000.0, 3000.0))
        self.assertIsNone(july["dso"])
        self.assertEqual((july["cei"], july["overdue_90_pct"]), (0.0, 0.0))
        self.assertIsNone(july["promise_kept_pct"])

    def test_equals_movement_and_aging(self):
        for period in (JUNE, ("2026-05-01", D), ("2026-01-01", "2026-12-31"),
                       ("2026-03-31", "2026-04-01"), ("2026-07-01",
                                                      "2026-07-15")):
            for filters in ({"salesperson_ids": self.ours},
                            {"salesperson_ids": [self.collector1.id]},
                            {"partner_ids": [self.customer2.id]}, {}):
                k = self.engine.kpis(*period, **filters)
                moves = self.engine.movement(*period, **filters)
                for name, key in (("opening", "opening"),
                                  ("invoiced", "debit"),
                                  ("collected", "credit"),
                                  ("closing", "closing")):
                    self.assertAlmostEqual(
                        k[name], sum(r[key] for r in moves), places=2,
                        msg=(period, filters, name))
                for method in ("history", "residual"):
                    aging = self.engine.with_context(
                        cartera_aging_method=method).aging(
                            period[1], 30, **filters)
                    self.assertAlmostEqual(
                        k["closing_not_due"],
                        sum(r["not_due"] for r in aging), places=2)
                    self.assertAlmostEqual(
                        k["overdue_90"], sum(r["periods"][3] + r["periods"][4]
                                             for r in aging), places=2)
                    self.assertAlmostEqual(
                        k["closing"], sum(r["total"] for r in aging),
                        places=2, msg=(period, filters, method))

    def test_month_ends_equal_aging(self):
        # The indicators' month-end figures and aging() read one open-items
        # query (_open_items): the balance at each month end is the
        # aging's total on that day, by either method, per salesperson too.
        for method in ("history", "residual"):
            engine = self.engine.with_context(cartera_aging_method=method)
            for filters in ({"salesperson_ids": self.ours},
                            {"salesperson_ids": [self.collector1.id]},
                            {"partner_ids": [self.customer2.id]}):
                months = engine.kpi_months("2026-08-20", 7, **filters)
                self.assertEqual(len(months), 7)
                for month in months:
                    aging = engine.aging(month["date_to"], 30, **filters)
                    msg = (method, filters, month["date_to"])
                    self.assertAlmostEqual(
                        month["closing"], sum(r["total"] for r in aging),
                        places=2, msg=msg)
                    self.assertAlmostEqual(
                        month["closing_not_due"],
                        sum(r["not_due"] for r in aging), places=2, msg=msg)
                    self.assertAlmostEqual(
                        month["overdue_90"],
                        sum(r["periods"][3] + r["periods"][4]
                            for r in aging), places=2, msg=msg)
            grouped = engine.kpi_months("2026-07-31", 3,
                                        salesperson_ids=self.ours,
                                        by_salesperson=True)
            self.assertTrue(grouped)
            for month in grouped:
                aging = engine.aging(month["date_to"], 30, salesperson_ids=[
                    month["salesperson_id"]])
                self.assertAlmostEqual(
                    month["closing"], sum(r["total"] for r in aging),
                    places=2, msg=(method, month))
                self.assertAlmostEqual(
                    month["closing_not_due"],
                    sum(r["not_due"] for r in aging), places=2)
        # The hand-computed month: June's end.
        june = self.engine.kpi_months(D, 2, salesperson_ids=[
            self.collector1.id])[-1]
        self.assertEqual((june["closing"], june["closing_not_due"],
                          june["overdue_90"]), (16799.25, 6799.75, 9299.50))

    def test_one_open_items_query(self):
        # aging(), the statements and the indicators compose their open
        # items from _open_items: an addon extending it changes them all.
        Engine = type(self.engine)
        original = Engine._open_items
        calls = []

        def spy(engine, dates, scope=None, method="residual"):
            calls.append(dates)
            return original(engine, dates, scope, method)

        with patch.object(Engine, "_open_items", spy):
            # The open items, and those of the disputed invoices.
            self.engine.aging(D)
            self.assertEqual(len(calls), 2)
            self.engine.kpis(*JUNE)
            self.assertEqual(calls[-2:], [[D], [D]])
            self.engine.kpi_months(D, 3)
            self.assertEqual(calls[-1], ["2026-04-30", "2026-05-31", D])
            self.engine.statements(D, [self.customer1.id])
            # The statement's documents and its aging strip.
            self.assertEqual(len(calls), 9)

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self.engine.kpis("2026-07-01", "2026-06-01")
        with self.assertRaisesRegex(UserError, "not a valid date"):
            self.engine.kpis("2026-06-01", "2026-06-31")
        with self.assertRaises(UserError):
            self.engine.kpis(False, D)
        with self.assertRaises(UserError):
            self.engine.kpis(*JUNE, salesperson_ids="1; DROP")
        with self.assertRaises(UserError):
            self.engine.kpi_months(D, 0)
        with self.assertRaises(UserError):
            self.engine.kpi_months("2026-02-30")
        with self.assertRaises(AccessError):
            self.engine.sudo(self.accountant).kpis(*JUNE)


class TestKpiScope(KpiCase):

    def test_collectors_see_their_customers(self):
        mine = self._kpis(user=self.collector1)
        self.assertEqual(mine, self._kpis(
            salesperson_ids=[self.collector1.id]))
        self.assertEqual(self._kpis(user=self.collector2), self._kpis(
            salesperson_ids=[self.collector2.id]))
        # The other collector's customers give nothing.
        other = self._kpis(user=self.collector2,
                           partner_ids=[self.customer1.id])
        self.assertEqual((other["closing"], other["promise_kept_pct"]),
                         (0.0, None))
        manager = self._kpis(user=self.manager, salesperson_ids=self.ours)
        self.assertEqual(manager, self._kpis(salesperson_ids=self.ours))


class TestKpiDashboard(KpiCase):

    def setUp(self):
        super(TestKpiDashboard, self).setUp()
        self.Month = self.env["cartera.kpi.month"]
        self.Month.sudo(self.manager).refresh("2026-07-15")

    def _rows(self, user, salesperson=None):
        domain = [("salesperson_id", "=", salesperson.id)] \
            if salesperson else []
        return self.Month.sudo(user).search(domain, order="month")

    def test_rows_are_the_engine_figures(self):
        rows = self._rows(self.manager, self.collector1)
        self.assertEqual(rows.mapped("month"), [
            "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01",
            "2026-06-01", "2026-07-01"])
        june = rows.filtered(lambda r: r.month == "2026-06-01")
        k = self._kpis(salesperson_ids=[self.collector1.id])
        self.assertEqual(
            (june.opening, june.invoiced, june.collected, june.closing,
             june.closing_not_due, june.overdue_90, june.dso, june.cei,
             june.overdue_90_pct, june.promise_kept_pct, june.days),
            (k["opening"], k["invoiced"], k["collected"], k["closing"],
             k["closing_not_due"], k["overdue_90"], k["dso"], k["cei"],
             k["overdue_90_pct"], k["promise_kept_pct"], 30))
        july = rows.filtered(lambda r: r.month == "2026-07-01")
        k = self._kpis(("2026-07-01", "2026-07-15"),
                       salesperson_ids=[self.collector1.id])
        self.assertEqual((july.date_to, july.opening, july.invoiced,
                          july.collected, july.closing, july.dso),
                         ("2026-07-15", 16799.25, 5000.0, 2000.0, 19799.25,
                          k["dso"]))
        # Twelve months, August to July, and nothing after the day.
        months = set(self.Month.search([]).mapped("month"))
        self.assertTrue(months <= {"2025-%02d-01" % m for m in range(8, 13)}
                        | {"2026-%02d-01" % m for m in range(1, 8)}, months)

    def test_groups_compute_rates_from_sums(self):
        domain = [("salesperson_id", "in", self.ours),
                  ("month", "=", "2026-06-01")]
        fields = ["month", "dso", "cei", "overdue_90_pct",
                  "promise_kept_pct", "invoiced"]
        group, = self.Month.sudo(self.manager).read_group(
            domain, fields, ["month"])
        total = self._kpis(salesperson_ids=self.ours)
        for name in ("dso", "cei", "overdue_90_pct", "promise_kept_pct",
                     "invoiced"):
            self.assertEqual(group[name], total[name], name)
        self.assertNotIn("dso_weight", group)
        # Without a list of fields, every stored one: the rates still
        # from the sums.
        group, = self.Month.read_group(domain, [], ["month"])
        self.assertEqual((group["dso"], group["cei"]),
                         (total["dso"], total["cei"]))
        # A collector over May and June: the day-weighted DSO and the
        # promises of both months.
        group, = self.Month.read_group(
            [("salesperson_id", "=", self.collector1.id),
             ("month", "in", ("2026-05-01", "2026-06-01"))],
            fields + ["salesperson_id"], ["salesperson_id"])
        may = self._kpis(("2026-05-01", "2026-05-31"),
                         salesperson_ids=[self.collector1.id])
        june = self._kpis(salesperson_ids=[self.collector1.id])
        self.assertEqual(group["dso"], round(
            (may["closing"] * 31 + june["closing"] * 30)
            / (may["invoiced"] + june["invoiced"]), 2))
        self.assertEqual(group["promise_kept_pct"], 50.0)
        # Nothing to divide by: no rate.
        group, = self.Month.read_group(
            [("salesperson_id", "=", self.collector2.id),
             ("month", "=", "2026-07-01")], fields, ["month"])
        self.assertIsNone(group["dso"])
        self.assertIsNone(group["promise_kept_pct"])

    def test_record_rules(self):
        mine = self._rows(self.collector1)
        self.assertTrue(mine)
        self.assertEqual(set(mine.mapped("salesperson_id")),
                         {self.collector1})
        self.assertEqual(set(self._rows(self.collector2).mapped(
            "salesperson_id")), {self.collector2})
        everyone = self._rows(self.manager)
        self.assertTrue({self.collector1, self.collector2}
                        <= set(everyone.mapped("salesperson_id")))
        # A collector's read_group is their own portfolio.
        group, = self.Month.sudo(self.collector1).read_group(
            [("month", "=", "2026-06-01")], ["month", "dso"], ["month"])
        self.assertEqual(group["dso"], 63.0)
        with self.assertRaises(AccessError):
            self.Month.sudo(self.collector1).refresh()
        with self.assertRaises(AccessError):
            self.Month.sudo(self.accountant).search([])

    def test_refresh_when_stale(self):
        Month = self.Month.sudo(self.manager)
        self.env["ir.config_parameter"].set_param(
            "cartera_seguimiento.kpi_max_age_minutes", "10")
        # Just computed: opening the dashboard reads the rows as they are.
        self.assertFalse(Month._refresh_if_stale())
        action = Month.action_open_dashboard()
        self.assertEqual(action["res_model"], "cartera.kpi.month")
        self.env["ir.config_parameter"].set_param(
            "cartera_seguimiento.kpi_max_age_minutes", "0")
        self.assertTrue(Month._refresh_if_stale())
        # A collector opening it never recomputes the company's rows.
        self.assertFalse(self.Month.sudo(self.collector1)._refresh_if_stale())


class TestKpiQueryCount(KpiCase):

    def _customers(self, count):
        partners = self.env["res.partner"]
        for number in range(count):
            partner = self.env["res.partner"].create({
                "name": "Cliente Indicadores %02d" % number,
                "customer": True, "is_company": True,
                "user_id": (self.collector1 if number % 2
                            else self.collector2).id})
            self._create_invoice(partner, 100 + number,
                                 date_invoice="2026-05-01",
                                 date_due="2026-05-20")
            partners |= partner
        return partners

    def _count(self, call):
        call()
        self.env["res.partner"].invalidate_cache()
        before = self.env.cr.sql_log_count
        call()
        return self.env.cr.sql_log_count - before

    def test_query_counts_do_not_grow(self):
        counts = {}
        Month = self.env["cartera.kpi.month"].sudo(self.manager)
        partners = self.env["res.partner"]
        # 5 customers of our own, then 50: measured after each batch.
        for label, count in (("few", 5), ("many", 45)):
            partners |= self._customers(count)
            ids = partners.ids
            calls = {
                "kpis": lambda: self.engine.kpis(*JUNE, partner_ids=ids),
                "kpis_all": lambda: self.engine.kpis(*JUNE),
                "kpi_months": lambda: self.engine.kpi_months(
                    D, 12, partner_ids=ids, by_salesperson=True),
                "refresh": lambda: Month.refresh(D),
            }
            for name, call in calls.items():
                counts[(label, name)] = self._count(call)
        _logger.info("kpis query counts: %s", counts)
        for name in ("kpis", "kpis_all", "kpi_months", "refresh"):
            self.assertEqual(counts[("few", name)], counts[("many", name)],
                             (name, counts))
            self.assertLessEqual(counts[("many", name)], 12, (name, counts))


class TestKpiReport(KpiCase):
    """The one-page PDF's wizard and its figures (HTML in a test: the real
    PDF is checked on a live server, tests/test_kpis_live.py)."""

    def _wizard(self, user=None, **vals):
        env = self.env(user=user.id) if user else self.env
        return env["cartera.kpi.report.wizard"].with_context(
            lang="es_CO").create(dict({"month": "6", "year": 2026}, **vals))

    def test_values_and_html(self):
        wizard = self._wizard(salesperson_id=self.collector1.id)
        values = wizard._report_values()
        self.assertEqual(values["figures"], self._kpis(
            salesperson_ids=[self.collector1.id]))
        months = values["months"]
        self.assertEqual(len(months), 12)
        self.assertEqual((months[0]["date_from"], months[-1]["date_to"]),
                         ("2025-07-01", D))
        self.assertEqual(months[-1]["dso"], 63.0)
        self.assertIn("<svg", values["chart"])
        self.assertIn("DSO (días)", values["chart"])
        action = wizard.action_print_html()
        report = self.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        html = report.with_context(lang="es_CO").render_qweb_html(
            wizard.ids)[0].decode("utf-8")
        for text in ("Indicadores de cartera", "Junio 2026",
                     "Cobrador Uno", "16.799,25", "6.799,75", "9.299,50",
                     "63,00", "36,31", "55,36", "33,33", "<svg"):
            self.assertIn(text, html)
        self.assertEqual(wizard.action_print_pdf()["report_type"],
                         "qweb-pdf")

    def test_bad_months(self):
        # A year out of 1900-2200 is refused when the wizard is filled.
        for year in (2999, 12):
            with self.assertRaises(ValidationError), \
                    self.env.cr.savepoint():
                self._wizard(year=year)
        # A month still to come, when it is printed.
        with self.assertRaises(UserError):
            self._wizard(year=2199)._report_values()
        # A collector prints their own portfolio only.
        values = self._wizard(user=self.collector2)._report_values()
        self.assertEqual(values["figures"], self._kpis(
            salesperson_ids=[self.collector2.id]))
