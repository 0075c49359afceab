# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The liquidation of late-payment interest (issue 26, item 4) and its
block in the statement of account, on the issue's hand fixture:
$10.000.000 due Monday 2026-02-16, paid 2026-03-17, caps 25,23 %
(February, certified 16,82 %) and 25,52 % (March, 17,01 %): 12 days +
17 days of mora, $179.885,80 under 365 (73.989,44 + 105.896,36) and
$184.058,06 under 360 (75.701,38 + 108.356,68)."""
import io

import openpyxl

from .common import SPANISH, CarteraCase

AMOUNT = 10000000.0
DUE = "2026-02-16"
PAID = "2026-03-17"
# (month's first day, certified bank rate, legal maximum)
RATES = [("2026-02-01", 16.82, 25.23), ("2026-03-01", 17.01, 25.52)]
TOTAL_365 = 179885.80
TOTAL_360 = 184058.06
FEB_365, MAR_365 = 73989.44, 105896.36


class InterestCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(InterestCase, cls).setUpClass()
        cls.company.write({"cartera_interest_policy": "legal",
                           "cartera_interest_days": "365"})
        Rate = cls.env["cartera.interest.rate"]
        for day, bank_rate, _max in RATES:
            rate = Rate.search([("company_id", "=", cls.company.id),
                                ("date", "=", day)])
            if rate:
                rate.write({"bank_rate": bank_rate, "name": "Test"})
            else:
                Rate.create({"date": day, "bank_rate": bank_rate,
                             "name": "Test", "company_id": cls.company.id})
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        cls.debtor = cls.env["res.partner"].create({
            "name": "Deudor Mora", "customer": True, "is_company": True,
            "user_id": cls.collector1.id, "vat": "900123456",
            # Statements and letters print in the customer's language.
            "lang": SPANISH})
        cls.invoice = cls._create_invoice(
            cls.debtor, AMOUNT, date_invoice="2026-01-17", date_due=DUE)
        cls._pay(cls.invoice, AMOUNT, PAID)

    @classmethod
    def _pay(cls, invoice, amount, day):
        vals = invoice._prepare_payment_vals(cls.bank, amount, day)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    def _wizard(self, user=None, **vals):
        vals.setdefault("date_at", PAID)
        vals.setdefault("partner_ids", [(6, 0, self.debtor.ids)])
        return self.env["cartera.interest.report.wizard"].sudo(
            user or self.manager).with_context(lang="es_CO").create(vals)


class TestInterestReport(InterestCase):

    def test_liquidation_equals_engine(self):
        for days, total, feb in (("365", TOTAL_365, FEB_365),
                                 ("360", TOTAL_360, 75701.38)):
            self.company.cartera_interest_days = days
            wizard = self._wizard()
            values = wizard._report_values()
            engine = self.env["cartera.ar.report"].sudo(
                self.manager).interest(PAID, self.debtor.ids)
            self.assertEqual(len(values["customers"]), 1)
            customer = values["customers"][0]
            self.assertAlmostEqual(customer["interest"], total, places=2)
            self.assertAlmostEqual(engine[0]["interest"], total, places=2)
            self.assertAlmostEqual(values["total"], total, places=2)
            [item] = customer["items"]
            self.assertEqual(item["document"], self.invoice.number)
            self.assertEqual(item["amount"], AMOUNT)
            self.assertEqual((item["date_due"], item["mora_from"],
                              item["days"]), (DUE, "2026-02-17", 29))
            self.assertEqual(
                [(m["month"], m["days"], m["max_rate"], m["rate"])
                 for m in item["months"]],
                [("2026-02", 12, 25.23, 25.23), ("2026-03", 17, 25.52,
                                                 25.52)])
            self.assertAlmostEqual(item["months"][0]["interest"], feb,
                                   places=2)
            self.assertAlmostEqual(
                sum(m["interest"] for m in item["months"]), total, places=2)
            # The month's interest is its days at the daily rate printed.
            feb_month = item["months"][0]
            self.assertAlmostEqual(
                AMOUNT * 12 * feb_month["daily_rate"], feb, places=1)

    def test_html_prints_rates_convention_and_law(self):
        wizard = self._wizard()
        report = self.env.ref("cartera_seguimiento.cartera_interest_report")
        html = report.sudo(self.manager).with_context(
            lang="es_CO").render_qweb_html(wizard.ids)[0].decode("utf-8")
        for text in (self.invoice.number, "Deudor Mora", "900123456",
                     "179.885,80", "73.989,44", "105.896,36", "25,23",
                     "25,52", "Ley 45 de 1990", "art. 65", "884", "886",
                     "829", "(1 + EA)^(1/365) - 1"):
            self.assertIn(text, html)
        self.company.cartera_interest_days = "360"
        html = report.sudo(self.manager).with_context(
            lang="es_CO").render_qweb_html(wizard.ids)[0].decode("utf-8")
        self.assertIn("184.058,06", html)
        self.assertIn("(1 + EA)^(1/12) - 1", html)
        self.assertEqual(wizard.action_print_pdf()["report_type"],
                         "qweb-pdf")

    def test_xlsx_writes_text_as_text(self):
        self.debtor.name = '=HYPERLINK("http://evil","x")'
        wizard = self._wizard()
        action = wizard.action_export_xlsx()
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        content, kind = report.render_xlsx(wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        items, months = book.worksheets[0], book.worksheets[1]
        cells = [cell for sheet in book.worksheets
                 for row in sheet.iter_rows() for cell in row]
        self.assertFalse([cell.coordinate for cell in cells
                          if cell.data_type == "f" or cell.hyperlink])
        kinds = {cell.value: cell.data_type for cell in cells
                 if isinstance(cell.value, str)}
        for text in ('=HYPERLINK("http://evil","x")', self.invoice.number,
                     "900123456", "2026-02"):
            self.assertEqual(kinds.get(text), "s", text)
        # The amounts are numbers: the item's and the total.
        values = [cell.value for row in items.iter_rows() for cell in row]
        self.assertEqual(values.count(TOTAL_365), 2)
        month_values = [[cell.value for cell in row]
                        for row in months.iter_rows()]
        self.assertIn(FEB_365, month_values[-2])
        self.assertIn(MAR_365, month_values[-1])
        self.assertIn(25.23, month_values[-2])

    def test_collector_scope_and_no_policy(self):
        # Collector 2 does not see collector 1's customer.
        wizard = self._wizard(self.collector2, partner_ids=[(5,)])
        self.assertFalse([c for c in wizard._report_values()["customers"]
                          if c["partner_id"] == self.debtor.id])
        mine = self._wizard(self.collector1)
        self.assertAlmostEqual(
            mine._report_values()["total"], TOTAL_365, places=2)
        # A company without interest: an empty liquidation saying so.
        self.company.cartera_interest_policy = "none"
        values = mine._report_values()
        self.assertEqual((values["customers"], values["total"]), ([], 0.0))
        self.assertIn(("Tasa", "Sin intereses"), values["filters"])


class TestInterestBlock(InterestCase):

    def test_statement_block(self):
        report = self.env.ref(
            "cartera_seguimiento.cartera_statement_report").sudo(
            self.manager).with_context(lang="es_CO")
        data = {"date_at": PAID, "date_from": False, "date_to": False}
        # As of the payment day the invoice is paid: the interest of its
        # mora is still owed.
        html = report.render_qweb_html(
            self.debtor.ids, data=dict(data, with_interest=True))[0].decode(
            "utf-8")
        self.assertIn("179.885,80", html)
        self.assertIn(self.invoice.number, html)
        html = report.render_qweb_html(self.debtor.ids, data=data)[
            0].decode("utf-8")
        self.assertNotIn("179.885,80", html)
        # Not when the company charges no interest.
        self.company.cartera_interest_policy = "none"
        html = report.render_qweb_html(
            self.debtor.ids, data=dict(data, with_interest=True))[0].decode(
            "utf-8")
        self.assertNotIn("179.885,80", html)

    def test_statement_wizard_and_run(self):
        wizard = self.env["cartera.statement.wizard"].sudo(
            self.manager).create({
                "date_at": PAID, "with_interest": True,
                "partner_ids": [(6, 0, self.debtor.ids)]})
        self.assertTrue(wizard._prepare_report_data(
            self.debtor)["with_interest"])
        wizard.action_send()
        self.assertTrue(wizard.run_id.with_interest)
        self.assertTrue(wizard.run_id._report_data()["with_interest"])
        plain = self.env["cartera.statement.wizard"].sudo(
            self.manager).create({"date_at": PAID,
                                  "partner_ids": [(6, 0, self.debtor.ids)]})
        plain.action_send()
        self.assertFalse(plain.run_id._report_data()["with_interest"])

    def test_letter_block(self):
        """A level that includes the interest prints the customer's
        interest as of the line's date in its letter."""
        plan = self.env["cartera.dunning.plan"].create({
            "name": "Plan Mora", "company_id": self.company.id})
        level = self.env["cartera.dunning.level"].create({
            "plan_id": plan.id, "name": "Aviso Mora", "stage": "prelegal",
            "days": 10, "print_letter": True})
        run = self.env["cartera.dunning.run"].sudo().create({
            "date": PAID, "company_id": self.company.id})
        item = self.invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")
        line = self.env["cartera.dunning.line"].sudo().create({
            "run_id": run.id, "company_id": self.company.id,
            "move_line_id": item.id, "invoice_id": self.invoice.id,
            "partner_id": self.debtor.id, "level_id": level.id,
            "date": PAID, "amount_due": AMOUNT, "state": "printed"})
        report = self.env.ref(
            "cartera_seguimiento.cartera_dunning_letter_report").sudo(
            self.manager).with_context(lang="es_CO")

        def letter():
            return report.render_qweb_html(
                self.debtor.ids, data={"line_ids": line.ids})[0].decode(
                "utf-8")
        self.assertNotIn("179.885,80", letter())
        level.include_interest = True
        html = letter()
        self.assertIn("179.885,80", html)
        self.assertIn("Ley 45 de 1990", html)
        self.company.cartera_interest_policy = "none"
        self.assertNotIn("179.885,80", letter())
