# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Informe de gestión de cobro, on hand-computed figures.

Lines of June 2026 (created directly: the runs are another test's):
  item A (Cliente X, 1.000.000): Aviso 1 on 06-05 sent; Prejurídico on
         06-20 printed
  item B (Cliente X,   500.000): Aviso 1 on 06-05 sent
  item C (Cliente Y,   300.000): Aviso 1 on 06-10 queued; 100.000 paid
         since
  item D (Cliente Y,   200.000): Aviso 1 on 06-12 cancelled -> out
  item A on 07-01 -> out of the period
Administrative / Aviso 1: 3 lines, 3 items, 2 customers, 1.800.000;
  sent 2, printed 0, pending 1, paid since 100.000.
Pre-legal / Prejurídico: 1 line, 1 item, 1 customer, 1.000.000; printed 1.
Total: 4 lines, 3 items, 2 customers, 2.800.000; sent 2, printed 1,
  pending 1, paid 100.000.
Cobrador Dos (Cliente Y only): 1 item, 1 customer, 300.000, pending 1,
  paid 100.000.
"""
from odoo.exceptions import UserError

from .common import CarteraCase

PERIOD = ("2026-06-01", "2026-06-30")


class TestDunningReport(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestDunningReport, cls).setUpClass()
        Partner = cls.env["res.partner"]
        cls.x = Partner.create({"name": "Cliente X", "customer": True,
                                "is_company": True,
                                "user_id": cls.collector1.id})
        cls.y = Partner.create({"name": "Cliente Y", "customer": True,
                                "is_company": True,
                                "user_id": cls.collector2.id})
        invoices = {}
        for key, partner, amount in (("a", cls.x, 1000000.0),
                                     ("b", cls.x, 500000.0),
                                     ("c", cls.y, 300000.0),
                                     ("d", cls.y, 200000.0)):
            invoices[key] = cls._create_invoice(
                partner, amount, date_invoice="2026-05-01",
                date_due="2026-05-20")
        cls.invoices = invoices
        cls.plan = cls.env["cartera.dunning.plan"].create({
            "name": "Plan Informe", "company_id": cls.company.id})
        Level = cls.env["cartera.dunning.level"]
        cls.notice1 = Level.create({
            "plan_id": cls.plan.id, "name": "Aviso 1", "sequence": 10,
            "stage": "administrative", "days": 1})
        cls.prelegal = Level.create({
            "plan_id": cls.plan.id, "name": "Prejurídico", "sequence": 20,
            "stage": "prelegal", "days": 30})
        cls.dunning_run = cls.env["cartera.dunning.run"].sudo().create({
            "date": "2026-06-05", "company_id": cls.company.id})
        for key, level, day, state in (
                ("a", cls.notice1, "2026-06-05", "sent"),
                ("a", cls.prelegal, "2026-06-20", "printed"),
                ("b", cls.notice1, "2026-06-05", "sent"),
                ("c", cls.notice1, "2026-06-10", "queued"),
                ("d", cls.notice1, "2026-06-12", "cancelled"),
                ("a", cls.prelegal, "2026-07-01", "sent")):
            cls._line(invoices[key], level, day, state)
        bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        vals = invoices["c"]._prepare_payment_vals(bank, 100000.0,
                                                   "2026-06-25")
        cls.env["account.payment"].create(vals).post()

    @classmethod
    def _line(cls, invoice, level, day, state):
        item = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")
        return cls.env["cartera.dunning.line"].sudo().create({
            "run_id": cls.dunning_run.id, "company_id": cls.company.id,
            "move_line_id": item.id, "invoice_id": invoice.id,
            "partner_id": invoice.commercial_partner_id.id,
            "level_id": level.id, "date": day,
            "amount_due": invoice.amount_total, "state": state})

    @staticmethod
    def _figures(row):
        return (row["lines"], row["items"], row["customers"],
                row["amount_due"], row["sent"], row["printed"],
                row["pending"], row["paid"])

    def test_figures(self):
        engine = self.env["cartera.ar.report"].sudo(self.manager)
        report = engine.dunning(*PERIOD, partner_ids=[self.x.id, self.y.id])
        self.assertEqual(
            [(s["stage"], [(level["level_name"], level["plan_name"],
                            self._figures(level)) for level in s["levels"]],
              self._figures(s["totals"])) for s in report["stages"]],
            [("administrative",
              [("Aviso 1", "Plan Informe",
                (3, 3, 2, 1800000.0, 2, 0, 1, 100000.0))],
              (3, 3, 2, 1800000.0, 2, 0, 1, 100000.0)),
             ("prelegal",
              [("Prejurídico", "Plan Informe",
                (1, 1, 1, 1000000.0, 0, 1, 0, 0.0))],
              (1, 1, 1, 1000000.0, 0, 1, 0, 0.0))])
        self.assertEqual(self._figures(report["totals"]),
                         (4, 3, 2, 2800000.0, 2, 1, 1, 100000.0))

    def test_collector_scope(self):
        engine = self.env["cartera.ar.report"].sudo(self.collector2)
        report = engine.dunning(*PERIOD)
        self.assertEqual(self._figures(report["totals"]),
                         (1, 1, 1, 300000.0, 0, 0, 1, 100000.0))
        with self.assertRaises(UserError):
            engine.dunning(PERIOD[1], PERIOD[0])
        with self.assertRaises(UserError):
            engine.dunning(False, PERIOD[1])

    def test_outputs(self):
        wizard = self.env["cartera.dunning.report.wizard"].sudo(
            self.manager).with_context(lang="es_CO").create({
                "date_from": PERIOD[0], "date_to": PERIOD[1],
                "partner_ids": [(6, 0, [self.x.id, self.y.id])]})
        report = self.env.ref("cartera_seguimiento.cartera_dunning_report")
        html = report.sudo(self.manager).with_context(
            lang="es_CO").render_qweb_html(wizard.ids)[0].decode("utf-8")
        for text in ("Aviso 1", "Prejurídico", "2.800.000,00",
                     "1.800.000,00", "100.000,00"):
            self.assertIn(text, html)
        sheet = wizard._xlsx_sheets()[0]
        self.assertEqual(sheet["rows"][0][1:],
                         ["Aviso 1", "Plan Informe", 3, 2, 1800000.0, 2, 0,
                          1, 100000.0])
        self.assertEqual(sheet["totals"][3:],
                         [3, 2, 2800000.0, 2, 1, 1, 100000.0])
        self.assertEqual(wizard.action_print_pdf()["report_type"],
                         "qweb-pdf")
