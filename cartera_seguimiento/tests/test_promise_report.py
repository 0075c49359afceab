# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment promises report, on hand-computed figures.

Judged as of 2026-03-31 (grace 3 days), March promises:

Cobrador Uno (Cliente Uno; payments of 400 on 03-04 and 100 on 03-12):
  400 due 03-05 -> kept, 400 paid
  300 due 03-10 -> partial, 100 paid (lacks 200)
  250 due 03-20 -> broken, nothing paid (lacks 250)
  150 due 04-10 -> pending (out of a March period)
  promised 950, paid 500, broken 450; kept 1 of 3 decided: 33.33 %.
Cobrador Dos (Cliente Dos; payment of 1000 on 03-03):
  1000 due 03-05 -> kept; 500 due 03-28 -> pending (within the grace)
  promised 1500, paid 1000, broken 0; kept 1 of 1: 100 %.
"""
from odoo.exceptions import UserError

from .common import CarteraCase
from .test_promise import PromiseCase

import xlrd

PERIOD = ("2026-03-01", "2026-03-31")


class TestPromiseReport(PromiseCase):

    @classmethod
    def setUpClass(cls):
        super(TestPromiseReport, cls).setUpClass()
        cls.invoice_two = cls._create_invoice(
            cls.customer2, 3000.0, date_invoice="2026-02-01",
            date_due="2026-02-28")

    def setUp(self):
        super(TestPromiseReport, self).setUp()
        for amount, date in ((400.0, "2026-03-05"), (300.0, "2026-03-10"),
                             (250.0, "2026-03-20"), (150.0, "2026-04-10")):
            self._promise(amount, date)
        for amount, date in ((1000.0, "2026-03-05"), (500.0, "2026-03-28")):
            self._promise(amount, date, partner=self.customer2,
                          user=self.collector2)
        self._pay(400.0, "2026-03-04")
        self._pay(100.0, "2026-03-12")
        self._pay(1000.0, "2026-03-03", invoice=self.invoice_two)
        self._evaluate("2026-03-31")

    def _rows(self, user=None, **kwargs):
        engine = self.env["cartera.ar.report"].sudo(user or self.manager)
        return {row["responsible_name"]: row
                for row in engine.promises(*PERIOD, **kwargs)}

    def _wizard(self, user=None, **vals):
        vals = dict({"date_from": PERIOD[0], "date_to": PERIOD[1]}, **vals)
        return self.env["cartera.promise.report.wizard"].sudo(
            user or self.manager).with_context(lang="es_CO").create(vals)

    def _report(self, action):
        return self.env["ir.actions.report"]._get_report_from_name(
            action["report_name"]).sudo(self.manager).with_context(
            lang="es_CO")

    def test_figures_per_collector(self):
        rows = self._rows()
        self.assertEqual(sorted(rows), ["Cobrador Dos", "Cobrador Uno"])
        one, two = rows["Cobrador Uno"], rows["Cobrador Dos"]
        self.assertEqual(
            (one["promised"], one["paid"], one["broken_amount"]),
            (950.0, 500.0, 450.0))
        self.assertEqual(one["counts"], {"pending": 0, "kept": 1,
                                         "partial": 1, "broken": 1})
        self.assertEqual((one["count"], one["kept_rate"]), (3, 33.33))
        self.assertEqual(
            (two["promised"], two["paid"], two["broken_amount"]),
            (1500.0, 1000.0, 0.0))
        self.assertEqual(two["counts"], {"pending": 1, "kept": 1,
                                         "partial": 0, "broken": 0})
        self.assertEqual(two["kept_rate"], 100.0)
        totals = self.env["cartera.ar.report"].promise_totals(
            list(rows.values()))
        self.assertEqual(
            (totals["promised"], totals["paid"], totals["broken_amount"],
             totals["count"], totals["kept_rate"]),
            (2450.0, 1500.0, 450.0, 5, 50.0))

    def test_filters_and_no_decided(self):
        # April: only the pending 150, none decided: no kept rate.
        engine = self.env["cartera.ar.report"].sudo(self.manager)
        april = engine.promises("2026-04-01", "2026-04-30")
        self.assertEqual(len(april), 1)
        self.assertEqual((april[0]["promised"], april[0]["kept_rate"]),
                         (150.0, None))
        rows = self._rows(responsible_ids=[self.collector2.id])
        self.assertEqual(list(rows), ["Cobrador Dos"])
        rows = self._rows(partner_ids=[self.customer1.id])
        self.assertEqual(list(rows), ["Cobrador Uno"])
        with self.assertRaises(UserError):
            engine.promises("2026-03-31", "2026-03-01")
        with self.assertRaises(UserError):
            engine.promises(*PERIOD, responsible_ids="1; DROP")

    def test_collector_sees_own_customers_only(self):
        rows = self._rows(user=self.collector1)
        self.assertEqual(list(rows), ["Cobrador Uno"])
        self.assertEqual(rows["Cobrador Uno"]["promised"], 950.0)
        rows = self._rows(user=self.collector2)
        self.assertEqual(list(rows), ["Cobrador Dos"])
        # Asking for the other's customer gives nothing.
        self.assertFalse(self._rows(user=self.collector2,
                                    partner_ids=[self.customer1.id]))

    def test_one_query_whatever_the_promises(self):
        engine = self.env["cartera.ar.report"].sudo(self.manager)
        engine.promises(*PERIOD)
        start = self.env.cr.sql_log_count
        engine.promises(*PERIOD)
        few = self.env.cr.sql_log_count - start
        for _index in range(20):
            self._promise(10.0, "2026-03-15")
        start = self.env.cr.sql_log_count
        engine.promises(*PERIOD)
        self.assertEqual(self.env.cr.sql_log_count - start, few)

    def test_html_in_spanish(self):
        wizard = self._wizard()
        action = wizard.action_print_html()
        self.assertEqual(action["report_type"], "qweb-html")
        html = self._report(action).render_qweb_html(
            wizard.ids)[0].decode("utf-8")
        for text in ("Compromisos de pago", "Cobrador Uno", "Cobrador Dos",
                     "950,00", "450,00", "1.500,00", "<span>33,33</span> %",
                     "<span>100,00</span> %", "Cumplido parcialmente", "Incumplido",
                     "Tasa de cumplimiento", "Prometido"):
            self.assertIn(text, html)
        self.assertEqual(wizard.action_print_pdf()["report_type"],
                         "qweb-pdf")

    def test_xlsx_read_back(self):
        wizard = self._wizard()
        action = wizard.action_export_xlsx()
        content, kind = self._report(action).render_xlsx(wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        sheet = xlrd.open_workbook(file_contents=content).sheets()[0]
        rows = [sheet.row_values(i) for i in range(sheet.nrows)]
        header = [r for r in rows if r and r[0] == "Cobrador"][0]
        self.assertEqual(header[1:4], ["Prometido", "Pagado",
                                       "Monto incumplido"])
        one = [r for r in rows if r and r[0] == "Cobrador Uno"][0]
        self.assertEqual(one[1:], [950.0, 500.0, 450.0, 0.0, 1.0, 1.0, 1.0,
                                   3.0, 33.33])
        two = [r for r in rows if r and r[0] == "Cobrador Dos"][0]
        self.assertEqual(two[1:], [1500.0, 1000.0, 0.0, 1.0, 1.0, 0.0, 0.0,
                                   2.0, 100.0])
        total = [r for r in rows if r and r[0] == "Total"][0]
        self.assertEqual(total[1:], [2450.0, 1500.0, 450.0, 1.0, 2.0, 1.0,
                                     1.0, 5.0, 50.0])

    def test_wizard_defaults(self):
        wizard = self.env["cartera.promise.report.wizard"].create({})
        self.assertEqual(wizard.date_from[8:], "01")
        self.assertGreater(wizard.date_to, wizard.date_from)


class TestPromiseDemo(CarteraCase):

    def test_demo_has_kept_partial_and_broken_promises(self):
        if not self.env.ref("cartera_seguimiento.demo_promise_kept",
                            raise_if_not_found=False):
            self.skipTest("demo data not installed")
        states = set(self.env["cartera.promise"].search([]).mapped("state"))
        self.assertTrue({"kept", "partial", "broken"} <= states)
