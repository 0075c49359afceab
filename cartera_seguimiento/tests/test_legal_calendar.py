# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each invoice's legal calendar (issue 26, item 6), on hand-computed
dates.

Colombia's calendar: 2022-12-08 and 2025-12-08 (Inmaculada Concepción)
are holidays, 2022-12-09 a Friday; 2026-02-15 a Sunday, 2026-02-16 a
Monday; 2026-03-20 a Friday, 2026-03-21 a Saturday (a business day).

The plan is test_dunning_run's: L4 (prelegal) the prior notice of Ley
1266, L5 (legal) the report to the credit bureaus."""
from datetime import timedelta

import xlrd
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError

from ..tools import legal_terms
from .test_dunning_run import SMALL, DunningCase


class TestLegalTerms(DunningCase):
    """The rules themselves, on the issue's own examples."""

    def test_prescription_moves_off_a_holiday(self):
        # 2022-12-08 + 3 years = 2025-12-08, a holiday: the 9th.
        self.assertEqual(str(legal_terms.prescription_date("2022-12-08")),
                         "2025-12-09")
        # A business day stays: 2022-12-09 + 3 years = Tuesday 2025-12-09.
        self.assertEqual(str(legal_terms.prescription_date("2022-12-09")),
                         "2025-12-09")
        # 2023-03-05 + 3 years = Thursday 2026-03-05.
        self.assertEqual(str(legal_terms.prescription_date("2023-03-05")),
                         "2026-03-05")
        # The bound SQL compares with: the last business day up to a day.
        self.assertEqual(str(legal_terms.prescribed_bound("2025-12-08")),
                         "2025-12-06")
        self.assertEqual(str(legal_terms.prescribed_bound("2025-12-09")),
                         "2025-12-09")

    def test_mora_start(self):
        # Monday 2026-02-16: mora from the 17th; due Sunday the 15th moves
        # to Monday, and mora starts on the 17th as well.
        self.assertEqual(str(legal_terms.mora_start("2026-02-16")),
                         "2026-02-17")
        self.assertEqual(str(legal_terms.mora_start("2026-02-15")),
                         "2026-02-17")
        # Paid on 2026-03-17: 12 days of February and 17 of March.
        self.assertEqual(legal_terms.mora_days("2026-02-16", "2026-03-17"),
                         29)
        self.assertEqual(legal_terms.mora_days("2026-02-16", "2026-02-16"),
                         0)

    def test_bureau_permanence(self):
        # 100 days of mora paid on 2026-06-30: 200 days, 2027-01-16.
        self.assertEqual(str(legal_terms.bureau_until_paid(
            "2026-06-30", 100)), "2027-01-16")
        # 1,000 days would be 2,000: four years from the payment at most.
        self.assertEqual(str(legal_terms.bureau_until_paid(
            "2026-06-30", 1000)), "2030-06-30")
        # Paid without mora: nothing negative to keep.
        self.assertIsNone(legal_terms.bureau_until("2026-06-30",
                                                   "2026-06-30"))
        # Never paid: eight years from the start of mora (2022-12-10).
        self.assertEqual(str(legal_terms.bureau_until("2022-12-08")),
                         "2030-12-10")


class LegalCase(DunningCase):

    @classmethod
    def setUpClass(cls):
        super(LegalCase, cls).setUpClass()
        cls.Report = cls.env["cartera.ar.report"]
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        cls.big = cls._customer("Cliente jurídico")

    @classmethod
    def _line(cls, invoice, level, date, state="sent", date_sent=None):
        """A level the item reached on ``date`` (what a run and its
        sending write)."""
        run = cls.env["cartera.dunning.run"].sudo()._run_for(
            date, cls.company, cls.manager)
        return cls.env["cartera.dunning.line"].sudo().create({
            "run_id": run.id, "company_id": cls.company.id,
            "move_line_id": cls._item(invoice).id,
            "invoice_id": invoice.id, "partner_id": invoice.partner_id.id,
            "level_id": level.id, "date": date, "state": state,
            "date_sent": date_sent, "date_due": invoice.date_due,
            "amount_due": invoice.residual})

    def _row(self, rows, invoice):
        found = [row for row in rows
                 if row["move_line_id"] == self._item(invoice).id]
        self.assertEqual(len(found), 1, rows)
        return found[0]

    def _pay(self, invoice, amount, date):
        vals = invoice._prepare_payment_vals(self.bank, amount, date)
        self.env["account.payment"].create(vals).post()


class TestLegalCalendar(LegalCase):

    def test_prescription_and_never_paid(self):
        invoice = self._invoice(self.big, 1000000.0, "2022-11-08",
                                "2022-12-08")
        row = self._row(self.Report.sudo(self.manager).legal_calendar(
            "2025-12-08"), invoice)
        self.assertEqual(row["date_due"], "2022-12-08")
        # Due on a holiday: mora from the day after Friday the 9th.
        self.assertEqual(row["mora_from"], "2022-12-10")
        self.assertEqual(row["prescription_date"], "2025-12-09")
        self.assertFalse(row["prescribed"])
        self.assertEqual(row["days_to_prescription"], 1)
        self.assertEqual(row["bureau_until"], "2030-12-10")
        self.assertFalse(row["date_paid"])
        self.assertEqual(row["amount_due"], 1000000.0)
        self.assertEqual(row["document"], invoice.number)
        row = self._row(self.Report.sudo(self.manager).legal_calendar(
            "2025-12-09"), invoice)
        self.assertTrue(row["prescribed"])
        self.assertEqual(row["days_to_prescription"], 0)

    def test_paid_item(self):
        # Due Friday 2026-03-20, mora from Saturday the 21st, paid on
        # 2026-06-30: 11 days of March, 30 + 31 + 30: 102 days of mora;
        # the report may stay 204 days: 2026-06-30 + 204 = 2027-01-20.
        invoice = self._invoice(self.big, 500000.0, "2026-02-20",
                                "2026-03-20")
        self._pay(invoice, 500000.0, "2026-06-30")
        Report = self.Report.sudo(self.manager)
        row = self._row(Report.legal_calendar_items(
            self._item(invoice).ids, "2026-07-01"), invoice)
        self.assertEqual(row["date_paid"], "2026-06-30")
        self.assertEqual(row["days_mora"], 102)
        self.assertEqual(row["bureau_until"], "2027-01-20")
        self.assertEqual(row["amount_due"], 0.0)
        # Before the payment it was open: never paid (2026-03-21 + 8y).
        row = self._row(Report.legal_calendar_items(
            self._item(invoice).ids, "2026-06-29"), invoice)
        self.assertFalse(row["date_paid"])
        self.assertEqual(row["bureau_until"], "2034-03-21")
        self.assertEqual(row["days_mora"], 101)
        # Settled and never reported: not in the calendar of the date.
        self.assertFalse([r for r in Report.legal_calendar("2026-07-01")
                          if r["move_line_id"] == self._item(invoice).id])
        # Reported: listed while its permanence lasts, and not after.
        self._line(invoice, self.L5, "2026-06-01").sudo().write(
            {"reportable_date": "2026-06-01"})
        row = self._row(Report.legal_calendar("2027-01-20"), invoice)
        self.assertEqual(row["reported"], "2026-06-01")
        self.assertFalse([r for r in Report.legal_calendar("2027-01-21")
                          if r["move_line_id"] == self._item(invoice).id])

    def test_notice_of_march_2nd(self):
        # A debt above 15 % of the minimum wage: one notice, the report
        # from the 21st day after it.
        invoice = self._invoice(self.big, 1000000.0, "2025-11-01",
                                "2025-12-01")
        Report = self.Report.sudo(self.manager)
        row = self._row(Report.legal_calendar("2026-03-01"), invoice)
        self.assertEqual(row["notices"], [])
        self.assertEqual(row["notices_needed"], 1)
        self.assertFalse(row["report_from"])
        # Dated 2026-02-27, left on 2026-03-02: counted from when it left.
        self._line(invoice, self.L4, "2026-02-27", date_sent="2026-03-02")
        row = self._row(Report.legal_calendar("2026-03-02"), invoice)
        self.assertEqual(row["notices"], ["2026-03-02"])
        self.assertEqual(row["report_from"], "2026-03-23")
        # A notice still queued is no notice.
        other = self._invoice(self.big, 1000000.0, "2025-11-01",
                              "2025-12-01")
        self._line(other, self.L4, "2026-03-02", state="queued")
        row = self._row(Report.legal_calendar("2026-03-10"), other)
        self.assertEqual(row["notices"], [])
        self.assertFalse(row["report_from"])

    def test_small_debt_needs_two_notices(self):
        small = self._customer("Cliente pequeño")
        invoice = self._invoice(small, SMALL, "2025-11-01", "2025-12-01")
        Report = self.Report.sudo(self.manager)
        self._line(invoice, self.L4, "2026-03-02")
        row = self._row(Report.legal_calendar("2026-03-05"), invoice)
        self.assertEqual(row["notices_needed"], 2)
        self.assertEqual(row["notices"], ["2026-03-02"])
        self.assertFalse(row["report_from"])
        # The second, on another day: 21 days from it.
        self._line(invoice, self.L4, "2026-03-09")
        row = self._row(Report.legal_calendar("2026-03-10"), invoice)
        self.assertEqual(row["notices"], ["2026-03-02", "2026-03-09"])
        self.assertEqual(row["report_from"], "2026-03-30")
        # One peso more than 15 % of the minimum wage: one notice is
        # enough, the first counts.
        self._invoice(small, 1.0, "2026-03-01", "2026-04-01")
        row = self._row(Report.legal_calendar("2026-03-10"), invoice)
        self.assertEqual(row["notices_needed"], 1)
        self.assertEqual(row["report_from"], "2026-03-23")

    def test_not_in_mora_yet(self):
        invoice = self._invoice(self.big, 1000.0, "2026-03-01", "2026-03-31")
        row = self._row(self.Report.sudo(self.manager).legal_calendar(
            "2026-03-31"), invoice)
        self.assertEqual((row["mora_from"], row["days_mora"]),
                         ("2026-04-01", 0))
        self.assertFalse(row["bureau_until"])

    def test_fixed_query_count(self):
        Report = self.Report.sudo(self.manager)
        Report.legal_calendar("2026-03-01")
        counts = []
        for number in (1, 6):
            for index in range(number):
                customer = self._customer("Cliente %d-%d" % (number, index))
                self._invoice(customer, 1000.0, "2026-01-01", "2026-02-01")
            self.Report.invalidate_cache()
            before = self.env.cr.sql_log_count
            rows = Report.legal_calendar("2026-03-01")
            counts.append((self.env.cr.sql_log_count - before, len(rows)))
        self.assertEqual(counts[0][0], counts[1][0], counts)
        self.assertEqual(counts[1][1] - counts[0][1], 6)

    def test_scope(self):
        mine = self._invoice(self.big, 1000.0, "2026-01-01", "2026-02-01")
        theirs = self._invoice(self._customer(
            "Cliente de otro", self.collector2), 1000.0, "2026-01-01",
            "2026-02-01")
        items = (self._item(mine) | self._item(theirs)).ids
        for user, seen, unseen in ((self.collector1, mine, theirs),
                                   (self.collector2, theirs, mine)):
            Report = self.Report.sudo(user)
            rows = Report.legal_calendar("2026-03-01")
            self._row(rows, seen)
            ids = {row["move_line_id"] for row in rows}
            self.assertNotIn(self._item(unseen).id, ids)
            ids = {row["move_line_id"] for row in
                   Report.legal_calendar_items(items, "2026-03-01")}
            self.assertEqual(ids, set(self._item(seen).ids))
        # A manager sees both.
        ids = {row["move_line_id"] for row in self.Report.sudo(
            self.manager).legal_calendar_items(items, "2026-03-01")}
        self.assertEqual(ids, set(items))


class TestLegalStageRefused(LegalCase):
    """A prescribed item does not reach a level of the legal stage."""

    @classmethod
    def setUpClass(cls):
        super(TestLegalStageRefused, cls).setUpClass()
        # Two items at the notice level since 2025-11-01 (sent): the
        # report level (legal) is due for both from 2025-11-22. One
        # prescribes on 2025-12-09, the other on 2025-12-12 (Friday).
        cls.old = cls._invoice(cls.big, 1000000.0, "2022-11-08",
                               "2022-12-08")
        cls.young = cls._invoice(cls.big, 1000000.0, "2022-11-12",
                                 "2022-12-12")
        for invoice in (cls.old, cls.young):
            cls._line(invoice, cls.L4, "2025-11-01")

    def test_day_before_prescription_both_climb(self):
        # 2025-12-08, a holiday: the old one prescribes the next day.
        lines = self._run("2025-12-08")
        self.assertEqual(self._level(lines, self.old), self.L5)
        self.assertEqual(self._level(lines, self.young), self.L5)

    def test_prescribed_waits(self):
        lines = self._run("2025-12-09")
        self.assertFalse(self._level(lines, self.old))
        self.assertEqual(self._level(lines, self.young), self.L5)
        # And stays there: the next day's run does not take it either.
        self.assertFalse(self._level(self._run("2025-12-10"), self.old))

    def test_manual_line_refused(self):
        with self.assertRaisesRegex(UserError, "2025-12-09"):
            self._line(self.old, self.L5, "2025-12-09")
        # The day before it still could.
        self._line(self.old, self.L5, "2025-12-08")


class TestLegalCalendarScreens(LegalCase):
    """The invoice's page, the customer's tab, the agenda's warning and
    the report's three outputs."""

    @classmethod
    def setUpClass(cls):
        super(TestLegalCalendarScreens, cls).setUpClass()
        cls.old = cls._invoice(cls.big, 1000000.0, "2022-11-08",
                               "2022-12-08")

    def test_invoice_and_customer(self):
        invoice = self.old.sudo(self.collector1)
        self.assertEqual(invoice.cartera_prescription_date, "2025-12-09")
        html = invoice.cartera_legal_calendar
        self.assertIn(self.old.number, html)
        self.assertIn("09-12-2025", html)  # es_CO
        # Another collector does not read the invoice at all; its own
        # customer's tab lists theirs only.
        html = self.big.sudo(self.collector1).cartera_legal_calendar
        self.assertIn(self.old.number, html)
        other = self._customer("Cliente vacío", self.collector2)
        self.assertNotIn(self.old.number, other.sudo(
            self.collector2).cartera_legal_calendar)

    def test_agenda_warning_thresholds(self):
        Agenda = self.env["cartera.agenda"]
        warning = Agenda._warning
        today = fields.Date.from_string("2026-03-01")
        for day, level in (("2026-03-02", "7"), ("2026-03-08", "7"),
                           ("2026-03-09", "30"), ("2026-03-31", "30"),
                           ("2026-04-01", "90"), ("2026-05-30", "90"),
                           ("2026-05-31", False)):
            self.assertEqual(
                warning(today, fields.Date.from_string(day)), level, day)

    def test_agenda_prescription(self):
        Agenda = self.env["cartera.agenda"].sudo(self.collector1)
        today = Agenda._agenda_today()
        customers = {}
        # Due three years before today + N days: prescribes on that day
        # or, off a holiday, at most a few days later.
        for name, days, level in (("A 5 días", 5, "7"),
                                  ("A 20 días", 20, "30"),
                                  ("A 60 días", 60, "90"),
                                  ("A 200 días", 200, False)):
            customer = self._customer(name)
            due = today + timedelta(days=days) - relativedelta(years=3)
            self._invoice(customer, 1000.0, str(due - timedelta(days=30)),
                          str(due))
            # A prescribed item does not hide the next one.
            self._invoice(customer, 1000.0, "2020-01-01", "2020-02-01")
            customers[customer] = (legal_terms.prescription_date(due),
                                   level)
        rows = Agenda.search([("partner_id", "in", [
            c.id for c in customers])])
        self.assertEqual(len(rows), 4)
        for row in rows:
            prescription, level = customers[row.partner_id]
            self.assertEqual(row.prescription_date, str(prescription))
            self.assertEqual(row.prescription_warning, level,
                             row.partner_id.name)
        near = Agenda.search([("partner_id", "in", [
            c.id for c in customers]), ("prescription_warning", "!=", False)])
        self.assertEqual(set(near.mapped("partner_id.name")),
                         {"A 5 días", "A 20 días", "A 60 días"})
        # Only a prescribed item: no next prescription.
        self.assertFalse(Agenda.search([
            ("partner_id", "=", self.big.id)]).prescription_date)
        # Another collector's agenda has none of them.
        self.assertFalse(self.env["cartera.agenda"].sudo(
            self.collector2).search([
                ("prescription_warning", "!=", False),
                ("partner_id", "in", [c.id for c in customers])]))

    def _wizard(self, user, **vals):
        return self.env["cartera.legal.calendar.report.wizard"].sudo(
            user).with_context(lang="es_CO").create(vals)

    def test_report_outputs(self):
        paid = self._invoice(self.big, 500000.0, "2026-02-20", "2026-03-20")
        self._pay(paid, 500000.0, "2026-06-30")
        self._line(paid, self.L5, "2026-06-01").sudo().write(
            {"reportable_date": "2026-06-01"})
        theirs = self._invoice(self._customer(
            "Cliente de otro", self.collector2), 1000.0, "2026-01-01",
            "2026-02-01")
        wizard = self._wizard(self.collector1, date_at="2026-07-01")
        action = wizard.action_print_html()
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        html = report.with_context(lang="es_CO").render_qweb_html(
            wizard.ids)[0].decode("utf-8")
        self.assertIn(self.old.number, html)
        self.assertIn(paid.number, html)
        self.assertNotIn(theirs.number, html)
        self.assertIn("09-12-2025", html)  # prescription, es_CO format
        self.assertIn("20-01-2027", html)  # paid: in the bureaus until
        action = wizard.action_export_xlsx()
        report = wizard.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        content, kind = report.with_context(lang="es_CO").render_xlsx(
            wizard.ids, {})
        book = xlrd.open_workbook(file_contents=content)
        rows = [book.sheet_by_index(0).row_values(i)
                for i in range(book.sheet_by_index(0).nrows)]
        documents = [row[3] for row in rows]
        self.assertIn(self.old.number, documents)
        self.assertIn(paid.number, documents)
        self.assertNotIn(theirs.number, documents)
        pdf = wizard.action_print_pdf()
        self.assertEqual(pdf["report_type"], "qweb-pdf")
