# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exports are data, never code (issue 23, point 4): notes, names and
labels that look like a formula or a link come out of every XLSX export as
text cells holding exactly that text, with no formula and no link in the
file. ``worksheet.write()`` turned them into formulas and hyperlinks."""
import io
import re
import zipfile

import openpyxl

from .common import CarteraCase

EVIL_TEXTS = [
    '=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)",
    "http://evil.example", "https://evil.example/x", "ftp://evil.example",
    "mailto:evil@example.com", "external:c:\\x", "internal:Sheet1!A1",
]
EVIL_CUSTOMER = "=1+1"
EVIL_COLLECTOR = "=2+2"
EVIL_COMPANY = "=3+3"
# The follow-ups' days (past, fixed) and the reports' period around them.
DAY = "2026-06-10"
PERIOD = ("2026-06-01", "2026-06-30")
NEXT_DAY = "2026-06-20"


class TestXlsxText(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestXlsxText, cls).setUpClass()
        cls.company.name = EVIL_COMPANY
        cls.collector = cls._create_user("cob_evil", EVIL_COLLECTOR,
                                         cls.group_user)
        cls.customer = cls.env["res.partner"].create({
            "name": EVIL_CUSTOMER, "customer": True, "is_company": True,
            "user_id": cls.collector.id})
        cls.invoice = cls._create_invoice(
            cls.customer, 1000.0, date_invoice="2026-06-05",
            date_due="2026-06-15")
        Followup = cls.env["cartera.followup"].sudo(cls.collector)
        cls.followups = Followup.browse()
        # Each earlier than the one before: a later follow-up of the same
        # customer and document would complete the earlier ones' tasks,
        # and the task report lists pending tasks only.
        for number, text in enumerate(EVIL_TEXTS):
            cls.followups |= Followup.create({
                "partner_id": cls.customer.id, "type_id": cls.type_call.id,
                "date": "%s %02d:00:00" % (DAY, 20 - number),
                "notes": text, "next_date": NEXT_DAY,
                "next_type_id": cls.type_visit.id, "next_note": text})
        cls.env["cartera.promise"].sudo(cls.collector).create({
            "followup_id": cls.followups[0].id, "amount": 100.0,
            "date": "2026-06-25"})

    def _export(self, model, **vals):
        """The XLSX of a report wizard, exported by the collector: the
        file's bytes and its workbook read back with openpyxl."""
        vals.setdefault("partner_ids", [(6, 0, self.customer.ids)])
        user = vals.pop("user", self.collector)
        wizard = self.env[model].sudo(user).create(vals)
        action = wizard.action_export_xlsx()
        self.assertEqual(action["report_type"], "xlsx")
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        content, kind = report.render_xlsx(wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        return content, openpyxl.load_workbook(io.BytesIO(content))

    def _assert_no_code(self, content):
        """No formula and no link anywhere in the file."""
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                data = archive.read(name).decode("utf-8", "replace")
                if name.startswith("xl/worksheets/_rels/"):
                    self.assertFalse("hyperlink" in data, "link in " + name)
                if re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                    self.assertFalse(re.search(r"<f[ >]", data),
                                     "formula in " + name)
                    self.assertFalse("<hyperlink" in data, "link in " + name)

    def _assert_texts(self, content, book, texts):
        """Each of ``texts`` is the exact value of a text cell."""
        self._assert_no_code(content)
        cells = {}
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", cell.coordinate)
                    self.assertIsNone(cell.hyperlink, cell.coordinate)
                    if cell.value is not None:
                        cells.setdefault(cell.value, cell)
        for text in texts:
            self.assertIn(text, cells, "%r missing from the export" % text)
            self.assertEqual(cells[text].data_type, "s", text)
        # The company's name and the customer filter, above every table.
        for text in (EVIL_COMPANY, EVIL_CUSTOMER):
            self.assertEqual(cells[text].data_type, "s", text)

    def test_followup_report(self):
        content, book = self._export(
            "cartera.followup.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        self._assert_texts(content, book, EVIL_TEXTS + [
            EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_task_report(self):
        content, book = self._export(
            "cartera.task.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        self._assert_texts(content, book, EVIL_TEXTS + [
            EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_aging_report(self):
        content, book = self._export(
            "cartera.aging.report.wizard", date_at=PERIOD[1])
        self._assert_texts(content, book, [EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_movement_report(self):
        content, book = self._export(
            "cartera.movement.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1], detail=True)
        self._assert_texts(content, book, [EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_history_report(self):
        content, book = self._export(
            "cartera.history.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        # A follow-up's detail: its type, contact and notes.
        details = [" - ".join([self.type_call.with_context(
            lang="es_CO").name, EVIL_COLLECTOR, text]) for text in EVIL_TEXTS]
        self._assert_texts(content, book, [EVIL_CUSTOMER] + details)

    def test_promise_report(self):
        content, book = self._export(
            "cartera.promise.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        self._assert_texts(content, book, [EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_dispute_report(self):
        self.env["cartera.dispute"].sudo(self.collector).create({
            "invoice_id": self.invoice.id, "amount": 100.0,
            "date_open": DAY, "note": EVIL_TEXTS[0]})
        content, book = self._export(
            "cartera.dispute.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        self._assert_texts(content, book, [
            EVIL_CUSTOMER, EVIL_COLLECTOR, EVIL_TEXTS[0]])

    def test_dunning_report(self):
        plan = self.env["cartera.dunning.plan"].create({
            "name": EVIL_TEXTS[1], "company_id": self.company.id})
        level = self.env["cartera.dunning.level"].create({
            "plan_id": plan.id, "name": EVIL_TEXTS[2], "days": 1})
        run = self.env["cartera.dunning.run"].sudo().create({
            "date": DAY, "company_id": self.company.id})
        item = self.invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")
        self.env["cartera.dunning.line"].sudo().create({
            "run_id": run.id, "company_id": self.company.id,
            "move_line_id": item.id, "invoice_id": self.invoice.id,
            "partner_id": self.customer.id, "level_id": level.id,
            "date": DAY, "amount_due": 1000.0, "state": "sent"})
        content, book = self._export(
            "cartera.dunning.report.wizard", date_from=PERIOD[0],
            date_to=PERIOD[1])
        self._assert_texts(content, book, [EVIL_TEXTS[1], EVIL_TEXTS[2]])

    def test_legal_calendar_report(self):
        content, book = self._export(
            "cartera.legal.calendar.report.wizard", date_at=PERIOD[1])
        self._assert_texts(content, book, [EVIL_CUSTOMER, EVIL_COLLECTOR])

    def test_impairment_report(self):
        # Managers' and accountants' (issue 27).
        content, book = self._export(
            "cartera.impairment.report.wizard", date_at=PERIOD[1],
            user=self.manager)
        self._assert_texts(content, book, [EVIL_CUSTOMER, EVIL_COMPANY])

    def test_every_xlsx_report_is_covered(self):
        """A new XLSX report of the addon gets a test here too."""
        reports = self.env["ir.actions.report"].search([
            ("report_type", "=", "xlsx"),
            ("report_name", "=like", "cartera_seguimiento.%")])
        self.assertEqual(sorted(reports.mapped("model")), sorted([
            "cartera.followup.report.wizard", "cartera.task.report.wizard",
            "cartera.aging.report.wizard", "cartera.movement.report.wizard",
            "cartera.history.report.wizard",
            "cartera.promise.report.wizard",
            "cartera.dispute.report.wizard",
            "cartera.dunning.report.wizard",
            "cartera.legal.calendar.report.wizard",
            "cartera.impairment.report.wizard",
            # The credit bureaus' export: test_dunning_send.py.
            "cartera.dunning.line",
            # The liquidation of late-payment interest:
            # test_interest_report.py (test_xlsx_writes_text_as_text).
            "cartera.interest.report.wizard"]))
