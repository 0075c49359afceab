# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The five report wizards: defaults, the three outputs, the figures they
print (HTML inside a test: real PDFs are checked on a live server) and the
XLSX export read back."""
from odoo import fields

from .test_ar_report import D, ArReportCase

import xlrd


class TestReportWizards(ArReportCase):

    @classmethod
    def setUpClass(cls):
        super(TestReportWizards, cls).setUpClass()
        cls.followup = cls.env["cartera.followup"].create({
            "partner_id": cls.customer1.id, "type_id": cls.type_call.id,
            "invoice_id": cls.a2.id, "date": "2026-06-12 15:00:00",
            "notes": "Llamada para cobro de factura",
            "next_date": "2026-06-20", "next_type_id": cls.type_visit.id,
            "next_note": "Visitar al cliente"})

    def _wizard(self, model, user=None, **vals):
        env = self.env(user=user.id) if user else self.env
        return env[model].with_context(lang="es_CO").create(vals)

    def _html(self, wizard):
        action = wizard.action_print_html()
        self.assertEqual(action["report_type"], "qweb-html")
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        html = report.with_context(lang="es_CO").render_qweb_html(
            wizard.ids)[0]
        return html.decode("utf-8")

    def _xlsx(self, wizard):
        action = wizard.action_export_xlsx()
        self.assertEqual(action["report_type"], "xlsx")
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        content, kind = report.with_context(lang="es_CO").render_xlsx(
            wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        book = xlrd.open_workbook(file_contents=content)
        return {sheet.name: [sheet.row_values(i) for i in range(sheet.nrows)]
                for sheet in book.sheets()}

    def test_defaults(self):
        today = fields.Date.context_today(self.env["cartera.ar.report"])
        aging = self.env["cartera.aging.report.wizard"].create({})
        self.assertEqual((aging.date_at, aging.period_length),
                         (today, 30))
        movement = self.env["cartera.movement.report.wizard"].create({})
        self.assertEqual((movement.date_from, movement.date_to),
                         (today[:8] + "01", today))
        followups = self.env["cartera.followup.report.wizard"].create({})
        self.assertEqual(followups.date_to, today)
        history = self.env["cartera.history.report.wizard"].with_context(
            active_model="cartera.followup",
            active_ids=self.followup.ids).create({})
        self.assertEqual(history.partner_ids, self.customer1)
        pdf = aging.action_print_pdf()
        self.assertEqual((pdf["type"], pdf["report_type"]),
                         ("ir.actions.report", "qweb-pdf"))

    def test_aging_outputs(self):
        wizard = self._wizard("cartera.aging.report.wizard", date_at=D,
                              partner_ids=[(6, 0, [self.customer1.id])])
        html = self._html(wizard)
        self.assertIn("19.900,00", html)
        self.assertIn("Cliente Uno", html)
        self.assertIn("1-30", html)
        sheets = self._xlsx(wizard)
        rows = list(sheets.values())[0]
        customer = [r for r in rows if r and r[0] == "Cliente Uno"][0]
        # ... the total, then of it nothing disputed: all collectable.
        self.assertEqual(customer[3:], [1300.0, 4300.0, 3300.0, 0.0, 6000.0,
                                        5000.0, 19900.0, 0.0, 19900.0])

    def test_aging_by_salesperson(self):
        wizard = self._wizard("cartera.aging.report.wizard", date_at=D,
                              group_by="salesperson")
        values = wizard._report_values()
        names = [g["name"] for g in values["groups"]]
        self.assertIn("Cobrador Uno", names)
        self.assertAlmostEqual(sum(g["totals"]["total"]
                                   for g in values["groups"]),
                               values["totals"]["total"], places=2)
        self.assertAlmostEqual(values["percents"]["not_due"] + sum(
            values["percents"]["periods"]), 100.0, places=6)

    def test_movement_outputs(self):
        wizard = self._wizard(
            "cartera.movement.report.wizard", date_from="2026-06-01",
            date_to=D, detail=True,
            partner_ids=[(6, 0, [self.customer1.id])])
        html = self._html(wizard)
        for figure in ("21.000,00", "300,00", "500,00", "900,00",
                       "19.900,00"):
            self.assertIn(figure, html)
        sheets = self._xlsx(wizard)
        self.assertEqual(len(sheets), 2)
        rows = list(sheets.values())[0]
        customer = [r for r in rows if r and r[0] == "Cliente Uno"][0]
        self.assertEqual(customer[3:], [21000.0, 300.0, 500.0, 900.0,
                                        19900.0])

    def test_history_outputs(self):
        wizard = self._wizard("cartera.history.report.wizard",
                              partner_ids=[(6, 0, [self.customer1.id])])
        html = self._html(wizard)
        self.assertIn(self.a2.number, html)
        self.assertIn("Llamada para cobro de factura", html)
        self.assertIn("14.899,00", html)
        rows = list(self._xlsx(wizard).values())[0]
        self.assertEqual(rows[-1][-1], 14899.0)

    def test_followup_and_task_outputs(self):
        wizard = self._wizard("cartera.followup.report.wizard",
                              date_from="2026-06-01", date_to=D)
        values = wizard._report_values()
        self.assertEqual(values["count"], 1)
        self.assertEqual(values["counts"][0]["count"], 1)
        html = self._html(wizard)
        self.assertIn(self.followup.name, html)
        self.assertIn("Llamada para cobro de factura", html)
        sheets = self._xlsx(wizard)
        self.assertEqual(len(sheets), 2)
        tasks = self._wizard("cartera.task.report.wizard",
                             responsible_ids=[(6, 0, [self.env.uid])])
        values = tasks._report_values()
        self.assertEqual(values["count"], 1)
        self.assertEqual(values["overdue"], 1)
        html = self._html(tasks)
        self.assertIn("Visitar al cliente", html)
        rows = list(self._xlsx(tasks).values())[0]
        self.assertTrue([r for r in rows if "Visitar al cliente" in r])

    def test_collector_sees_own_customers(self):
        wizard = self._wizard("cartera.aging.report.wizard",
                              user=self.collector2, date_at=D)
        values = wizard._report_values()
        self.assertEqual([r["partner_id"] for g in values["groups"]
                          for r in g["rows"]], [self.customer2.id])
        html = self._html(wizard)
        self.assertIn("Cliente Dos", html)
        self.assertNotIn("Cliente Uno", html)

    def test_reachable_from_capture(self):
        model = self.env["ir.model"]._get("cartera.followup")
        bound = self.env["ir.actions.act_window"].search([
            ("binding_model_id", "=", model.id),
            ("res_model", "like", "report.wizard")])
        # The five receivable reports and the payment promises report.
        self.assertEqual(len(bound), 6)
        arch = self.env["cartera.followup"].fields_view_get(
            view_type="form")["arch"]
        for xmlid in ("cartera_aging_wizard_action",
                      "cartera_history_wizard_action"):
            action = self.env.ref("cartera_seguimiento." + xmlid)
            self.assertIn('name="%d"' % action.id, arch)
        menu = self.env.ref("cartera_seguimiento.cartera_menu_reports")
        self.assertEqual(menu.parent_id, self.env.ref(
            "cartera_seguimiento.cartera_menu_followup"))
        # The six reports, the indicators' dashboard and PDF, the
        # statements of account, the disputes and the collection
        # management reports, the legal deadlines (issue 26); the
        # impairment's report, cut-offs and entry (issue 27); the
        # liquidation of late-payment interest (issue 26).
        self.assertEqual(len(menu.child_id), 16)


class TestReportNames(ArReportCase):

    def test_file_names_translated(self):
        from odoo.tools.safe_eval import safe_eval
        today = fields.Date.context_today(self.env.user)
        for xmlid, model, spanish in (
                ("cartera_aging_report", "cartera.aging.report.wizard",
                 "Análisis de cartera"),
                ("cartera_aging_report_xlsx", "cartera.aging.report.wizard",
                 "Análisis de cartera")):
            report = self.env.ref("cartera_seguimiento.%s" % xmlid)
            wizard = self.env[model].with_context(lang="es_CO").create(
                {"date_at": D})
            name = safe_eval(report.print_report_name,
                             {"object": wizard, "time": __import__("time")})
            self.assertEqual(name, "%s - %s" % (spanish, today))
            english = safe_eval(report.print_report_name, {
                "object": wizard.with_context(lang="en_US"),
                "time": __import__("time")})
            self.assertEqual(english, "Receivable Analysis - %s" % today)

    def test_tax_id_label_from_the_company_country(self):
        wizard = self.env["cartera.aging.report.wizard"].with_context(
            lang="es_CO").create({"date_at": D})
        country = self.env.ref("base.cl")
        country.vat_label = "RUT"
        wizard.company_id.country_id = country
        self.assertEqual(wizard._xlsx_sheets()[0]["columns"][1][0], "RUT")
        wizard.company_id.country_id = False
        self.assertEqual(wizard._xlsx_sheets()[0]["columns"][1][0],
                         "Identificación tributaria")
