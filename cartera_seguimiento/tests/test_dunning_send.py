# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending a collection run (issue 25): lines made by hand, as the run's
selection makes them, then ``action_send``.

The plan, run on D = 2026-06-30:

=========  ===============  =====  ==========================================
level      stage            days   actions
=========  ===============  =====  ==========================================
Reminder   administrative   1      e-mail (administrative template)
Notice     pre-legal        60     e-mail (pre-legal template), letter, prior
                                   notice of Ley 1266, activity (manager)
Report     legal            90     letter, report to the bureaus, activity
                                   (collector)
=========  ===============  =====  ==========================================

Cliente Cobro (collector 1, Spanish, statements to its contact
cobro@example.com): X of 1,234,567.89 due 2026-04-21 (70 days) reaches
Notice, Y of 500 due 2026-06-25 (5 days) reaches Reminder: one e-mail
listing both (the pre-legal template, the highest), one letter (Notice
prints one) with both items, two follow-ups. Customer Without Mail
(collector 1, English, no address): Z of 2,000 due 2026-03-30 (92 days)
reaches Report: a letter in English, the item reportable.
"""
import base64
import io
import os
import shutil
import subprocess
import tempfile
from datetime import datetime

import openpyxl
import pytz
from PyPDF2 import PdfFileReader

from odoo import SUPERUSER_ID, api, registry, tools
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import TransactionCase, at_install, post_install
from odoo.tools import config, mute_logger

from ..models.cartera_dunning_letter import join_pdf_files
from ..reports.pdf_split import split_by_outline
from .common import SPANISH, CarteraCase
from . import test_xlsx_text

D = "2026-06-30"


class DunningSendCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(DunningSendCase, cls).setUpClass()
        cls.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "en_US")]).active = True
        Partner = cls.env["res.partner"]
        cls.company.email = "cartera@example.com"
        cls.bank_account = cls.env["res.partner.bank"].create({
            "acc_number": "ACC-0001-777",
            "partner_id": cls.company.partner_id.id,
            "company_id": cls.company.id,
            "bank_id": cls.env["res.bank"].create(
                {"name": "Banco de Prueba"}).id,
        })
        cls.customer = Partner.create({
            "name": "Cliente Cobro", "customer": True, "is_company": True,
            "user_id": cls.collector1.id, "email": "empresa@example.com",
            "lang": SPANISH, "vat": "900123456"})
        cls.contact = Partner.create({
            "name": "Tesorería Cliente Cobro", "parent_id": cls.customer.id,
            "email": "cobro@example.com", "cartera_statement_contact": True})
        cls.customer_en = Partner.create({
            "name": "Customer Without Mail", "customer": True,
            "is_company": True, "user_id": cls.collector1.id,
            "lang": "en_US", "street": "1 Main Street"})
        inv = cls._create_invoice
        cls.inv_x = inv(cls.customer, 1234567.89, date_invoice="2026-03-21",
                        date_due="2026-04-21")
        cls.inv_y = inv(cls.customer, 500, date_invoice="2026-06-01",
                        date_due="2026-06-25")
        cls.inv_z = inv(cls.customer_en, 2000, date_invoice="2026-03-01",
                        date_due="2026-03-30")
        cls.plan = cls.env["cartera.dunning.plan"].create({
            "name": "Plan de prueba", "company_id": cls.company.id})
        Level = cls.env["cartera.dunning.level"]
        ref = cls.env.ref
        cls.reminder = Level.create({
            "plan_id": cls.plan.id, "sequence": 10, "name": "Reminder",
            "stage": "administrative", "days": 1, "send_email": True,
            "mail_template_id": ref("cartera_seguimiento."
                                    "cartera_dunning_mail_template_"
                                    "administrative").id})
        cls.notice = Level.create({
            "plan_id": cls.plan.id, "sequence": 20, "name": "Notice",
            "stage": "prelegal", "days": 60, "send_email": True,
            "mail_template_id": ref("cartera_seguimiento."
                                    "cartera_dunning_mail_template_"
                                    "prelegal").id,
            "print_letter": True, "bureau_notice": True,
            "create_activity": True, "activity_user": "manager",
            "activity_summary": "Call before the report"})
        cls.report_level = Level.create({
            "plan_id": cls.plan.id, "sequence": 30, "name": "Report",
            "stage": "legal", "days": 90, "print_letter": True,
            "bureau_report": True, "create_activity": True,
            "activity_user": "collector"})
        cls.Run = cls.env["cartera.dunning.run"]
        cls.Line = cls.env["cartera.dunning.line"]

    def setUp(self):
        super(DunningSendCase, self).setUp()
        # As Odoo's own test runner has it: reports render as HTML rather
        # than through wkhtmltopdf (real PDFs: test_letters_are_real_pdfs).
        test_enable = tools.config["test_enable"]
        tools.config["test_enable"] = True
        self.addCleanup(tools.config.__setitem__, "test_enable", test_enable)

    @classmethod
    def _run(cls, user, lines, state="queued", day=D):
        """A computed run of ``user`` on ``day`` (one a day: the runs'
        unique key) with ``lines`` [(invoice, level, days overdue)], as the
        selection makes them."""
        run = cls.Run.sudo().create({
            "date": day, "company_id": cls.company.id, "user_id": user.id,
            "state": "computed"})
        for invoice, level, days in lines:
            item = invoice.move_id.line_ids.filtered(
                lambda l: l.account_id == invoice.account_id)
            cls.Line.sudo().create({
                "run_id": run.id, "company_id": cls.company.id,
                "move_line_id": item.id, "invoice_id": invoice.id,
                "partner_id": invoice.commercial_partner_id.id,
                "user_id": invoice.commercial_partner_id.user_id.id,
                "level_id": level.id, "date": day,
                "date_due": invoice.date_due, "days_overdue": days,
                "amount_due": invoice.residual, "state": state})
        return run

    def _standard_run(self, user=None):
        return self._run(user or self.manager, [
            (self.inv_x, self.notice, 70), (self.inv_y, self.reminder, 5),
            (self.inv_z, self.report_level, 92)])

    def _send(self, run, user):
        """The Send button as ``user``, then the cron that sends."""
        run.sudo(user).action_send()
        self.Run._cron_send()

    def _lines(self, run, invoice):
        return run.line_ids.filtered(lambda l: l.invoice_id == invoice)

    def _mails(self, partners):
        return self.env["mail.mail"].sudo().search([
            ("recipient_ids", "in", partners.ids)])


class TestDunningSend(DunningSendCase):

    def test_one_mail_per_customer_listing_each_item_at_its_level(self):
        run = self._standard_run()
        # With the chatter's tracking (its followers), as in production.
        run.sudo(self.manager).action_send()
        self.Run.with_context(
            tracking_disable=False, mail_notrack=False)._cron_send()
        x, y = self._lines(run, self.inv_x), self._lines(run, self.inv_y)
        # One mail for the customer, in Odoo's queue (not sent), to its
        # statement contact alone.
        mails = self._mails(self.customer | self.contact)
        self.assertEqual(len(mails), 1)
        mail = mails
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertFalse(mail.email_to or mail.email_cc)
        self.assertEqual(y.mail_id, mail)
        # The pre-legal template (the highest level that e-mails), in
        # Spanish, listing both items at their levels, amounts written
        # the Spanish way.
        self.assertIn("prejurídico", mail.subject)
        body = mail.body_html
        for text in (self.inv_x.number, self.inv_y.number, "Notice",
                     "Reminder", "1.234.567,89", "500,00",
                     "1.235.067,89", "Ley 1266"):
            self.assertIn(text, body)
        self.assertLess(body.index(self.inv_x.number),
                        body.index(self.inv_y.number))
        self.assertEqual(mail.author_id, self.manager.partner_id)
        # Lines: Y by e-mail, X (its level prints) by letter; both
        # recorded as follow-ups of the two types, with their documents.
        self.assertEqual((y.state, y.channel), ("sent", "email"))
        self.assertEqual((x.state, x.channel), ("printed", "letter"))
        email_followup, letter_followup = y.followup_id, x.followup_id
        self.assertEqual(email_followup.type_id.code, "dunning_email")
        self.assertEqual(letter_followup.type_id.code, "dunning_letter")
        for followup in (email_followup, letter_followup):
            self.assertEqual(followup.partner_id, self.customer)
            self.assertEqual(followup.responsible_id, self.manager)
            self.assertFalse(followup.invoice_id)
            self.assertIn(self.inv_x.number, followup.notes)
            self.assertIn(self.inv_y.number, followup.notes)
        self.assertIn("Notice", letter_followup.notes)
        # Followed by the customer's salesperson, not by the superuser
        # who created it for the run.
        followers = letter_followup.message_partner_ids
        self.assertIn(self.collector1.partner_id, followers)
        self.assertNotIn(self.env.ref("base.user_root").partner_id,
                         followers)
        # The mail is filed on its follow-up, which Seguimiento shows.
        self.assertEqual((mail.model, mail.res_id),
                         ("cartera.followup", email_followup.id))
        self.assertEqual(
            (y.attachment_id.res_model, y.attachment_id.res_id),
            ("cartera.followup", email_followup.id))
        self.assertEqual(
            (x.attachment_id.res_model, x.attachment_id.res_id),
            ("cartera.followup", letter_followup.id))
        letter = base64.b64decode(x.attachment_id.datas).decode("utf-8")
        for text in (self.inv_x.number, self.inv_y.number,
                     "ACC-0001-777", "Banco de Prueba", "1.234.567,89"):
            self.assertIn(text, letter)
        # The Ley 1266 notice's proof: its date, channel and document.
        self.assertTrue(x.bureau_notice)
        self.assertEqual((x.date, x.channel), (D, "letter"))
        self.assertTrue(x.attachment_id.datas)
        self.assertEqual(run.state, "done")

    def test_send_button_queues_the_run_for_the_cron(self):
        cron = self.env.ref("cartera_seguimiento.cartera_dunning_send_cron")
        cron.nextcall = "2999-01-01 00:00:00"
        run = self._standard_run()
        followups = self.env["cartera.followup"].search_count([])
        run.sudo(self.manager).action_send()
        # Queued, nothing sent in the request: no mail, no follow-up, the
        # lines still queued; the cron woken (its next call now).
        self.assertTrue(run.send_queued)
        self.assertEqual(set(run.line_ids.mapped("state")), {"queued"})
        self.assertFalse(self._mails(self.customer | self.contact))
        self.assertEqual(self.env["cartera.followup"].search_count([]),
                         followups)
        self.assertEqual(run.state, "computed")
        cron.invalidate_cache()
        self.assertLess(cron.nextcall, "2999-01-01 00:00:00")
        self.env.cr.execute("SELECT nextcall <= now() at time zone 'UTC' "
                            "FROM ir_cron WHERE id = %s", (cron.id,))
        self.assertTrue(self.env.cr.fetchone()[0])
        # Pressed again before the cron: queued once.
        run.sudo(self.manager).action_send()
        self.assertEqual(len(run.message_ids.filtered(
            lambda m: "Queued for sending" in (m.body or ""))), 1)
        # The cron sends them and takes the run off its queue.
        self.Run._cron_send()
        self.assertEqual(sorted(run.line_ids.mapped("state")),
                         ["printed", "printed", "sent"])
        self.assertEqual(len(self._mails(self.customer | self.contact)), 1)
        self.assertEqual(self.env["cartera.followup"].search_count([]),
                         followups + 3)
        self.assertFalse(run.send_queued)
        self.assertEqual(run.state, "done")
        # A cron call out of time leaves the run queued, unsent.
        run2 = self._run(self.manager, [(self.inv_y, self.reminder, 5)],
                         day="2026-07-01")
        run2.sudo(self.manager).action_send()
        self.Run._cron_send(time_budget=-1)
        self.assertTrue(run2.send_queued)
        self.assertEqual(run2.line_ids.state, "queued")

    def test_customer_without_address_gets_a_letter_in_english(self):
        run = self._standard_run()
        self._send(run, self.manager)
        z = self._lines(run, self.inv_z)
        self.assertEqual((z.state, z.channel), ("printed", "letter"))
        self.assertFalse(self._mails(self.customer_en))
        letter = base64.b64decode(z.attachment_id.datas).decode("utf-8")
        self.assertIn("Legal Collection Notice", letter)
        self.assertIn("How to pay", letter)
        self.assertIn("ACC-0001-777", letter)
        self.assertIn("2,000.00", letter)
        # Sent today (the run's user's day), reportable from then; one
        # follow-up of the letter type with the item as its document (its
        # only one).
        tz = run.user_id.tz or self.company.partner_id.tz or "UTC"
        today = datetime.now(pytz.timezone(tz)).date().isoformat()
        self.assertEqual(z.date_sent, max(today, D))
        self.assertEqual(z.reportable_date, z.date_sent)
        self.assertEqual(z.followup_id.type_id.code, "dunning_letter")
        self.assertEqual(z.followup_id.invoice_id, self.inv_z)
        # The run's letters, one PDF (HTML under the test runner) holding
        # both customers' letters.
        joined = base64.b64decode(run.letter_attachment_id.datas)
        self.assertIn(b"Customer Without Mail", joined)
        self.assertIn(b"Cliente Cobro", joined)
        action = run.sudo(self.manager).action_print_letters()
        self.assertIn(str(run.letter_attachment_id.id), action["url"])

    def test_activities(self):
        run = self._standard_run()
        self._send(run, self.manager)
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"),
            ("res_id", "in", (self.customer | self.customer_en).ids)])
        self.assertEqual(
            sorted((a.res_id, a.user_id.id, a.summary) for a in activities),
            sorted([(self.customer.id, self.manager.id,
                     "Call before the report"),
                    (self.customer_en.id, self.collector1.id, "Report")]))
        # A collector's run: the company's first manager other than the
        # administrator.
        manager = self._run(self.collector1, [])._dunning_manager()
        self.assertTrue(manager.has_group(
            "cartera_seguimiento.group_cartera_manager"))
        self.assertNotEqual(manager, self.env.ref("base.user_root"))

    def test_second_send_sends_nothing(self):
        run = self._standard_run()
        self._send(run, self.manager)
        followups = self.env["cartera.followup"].search_count([])
        mails = self.env["mail.mail"].sudo().search_count([])
        attachment = run.letter_attachment_id
        self._send(run, self.manager)
        self.assertEqual(self.env["cartera.followup"].search_count([]),
                         followups)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]),
                         mails)
        self.assertEqual(run.letter_attachment_id, attachment)
        self.assertEqual(run.state, "done")

    def test_collector_refused_on_another_collectors_run(self):
        run = self._run(self.collector1, [(self.inv_y, self.reminder, 5)])
        with self.assertRaises(AccessError):
            run.sudo(self.collector2).action_send()
        self.assertEqual(run.line_ids.state, "queued")
        with self.assertRaises(AccessError):
            run.line_ids.sudo(self.collector2).action_cancel()
        with self.assertRaises(UserError):
            self.Run.browse(["1; DROP"]).sudo(self.manager).action_send()
        # Their own: sent, in their name.
        self._send(run, self.collector1)
        self.assertEqual(run.line_ids.state, "sent")
        self.assertEqual(run.line_ids.followup_id.responsible_id,
                         self.collector1)
        self.assertEqual(run.line_ids.mail_id.author_id,
                         self.collector1.partner_id)

    def test_queue_checks_the_recipients_again(self):
        run = self._run(self.collector1, [(self.inv_y, self.reminder, 5)])
        self._send(run, self.collector1)
        mail = run.line_ids.mail_id
        # Someone adds a copy and another recipient since it was queued.
        mail.sudo().write({"email_cc": "spy@example.com",
                           "recipient_ids": [(4, self.customer2.id)]})
        self.env["mail.mail"].sudo().process_email_queue([mail.id])
        self.assertFalse(mail.email_cc)
        self.assertEqual(mail.recipient_ids, self.contact)
        # A customer without any address left: not sent at all.
        run2 = self._run(self.collector1, [(self.inv_x, self.reminder, 70)],
                         day="2026-07-01")
        self._send(run2, self.collector1)
        mail2 = run2.line_ids.mail_id
        (self.customer | self.contact).write({"email": False})
        self.env["mail.mail"].sudo().process_email_queue([mail2.id])
        self.assertEqual(mail2.state, "exception")


class TestDunningTemplates(DunningSendCase):

    def test_templates_edited_by_managers_only(self):
        """What the collection mails say in the company's name: the
        addon's templates and those a level uses are the managers' (an
        employee writes the other templates, as in Odoo)."""
        own = self.env["mail.template"].create({
            "name": "Plantilla de un nivel", "model_id": self.env.ref(
                "base.model_res_partner").id, "subject": "Cobro"})
        other = own.copy({"name": "Otra plantilla"})
        self.reminder.mail_template_id = own
        for template in (own, self.env.ref(
                "cartera_seguimiento.cartera_dunning_mail_template_legal")):
            with self.assertRaises(AccessError):
                template.sudo(self.collector1).write({"subject": "Otro"})
            template.sudo(self.manager).write({"subject": "Nuevo"})
            self.assertEqual(template.subject, "Nuevo")
        other.sudo(self.collector1).write({"subject": "Libre"})
        self.assertEqual(other.subject, "Libre")


class TestDunningValidation(DunningSendCase):

    def test_validate_then_send(self):
        self.plan.validate_lines = True
        run = self._run(self.manager, [(self.inv_y, self.reminder, 5),
                                       (self.inv_z, self.report_level, 92)],
                        state="draft")
        y, z = self._lines(run, self.inv_y), self._lines(run, self.inv_z)
        # Drafts wait: the send skips them and the run waits for them.
        self._send(run, self.manager)
        self.assertEqual((y.state, z.state), ("draft", "draft"))
        self.assertFalse(y.followup_id)
        self.assertEqual(run.state, "computed")
        # A collector sees their customer's lines but does not validate
        # those of a plan reviewed before sending; they may cancel.
        with self.assertRaises(AccessError):
            y.sudo(self.collector1).action_validate()
        z.sudo(self.collector1).action_cancel()
        self.assertEqual(z.state, "cancelled")
        with self.assertRaises(UserError):
            z.sudo(self.manager).action_validate()
        y.sudo(self.manager).action_validate()
        self.assertEqual(y.state, "queued")
        self._send(run, self.manager)
        self.assertEqual((y.state, z.state), ("sent", "cancelled"))
        self.assertEqual(run.state, "done")
        with self.assertRaises(UserError):
            y.sudo(self.manager).action_cancel()
        self.assertFalse(z.followup_id)
        # A plan without review: a collector validates their own.
        self.plan.validate_lines = False
        run2 = self._run(self.collector1, [(self.inv_x, self.reminder, 70)],
                         state="draft")
        run2.line_ids.sudo(self.collector1).action_validate()
        self.assertEqual(run2.line_ids.state, "queued")


class TestDunningResume(DunningSendCase):

    def test_interrupted_run_resumes_without_duplicates(self):
        self.env["ir.config_parameter"].set_param(
            "cartera_seguimiento.dunning_batch_size", "1")
        run = self._standard_run()
        # A worker stopped after its first batch (one customer).
        self.assertTrue(run.sudo()._send(deadline=1))
        sent = run.line_ids.filtered(lambda l: l.state != "queued")
        self.assertEqual(len(sent.mapped("partner_id")), 1)
        self.assertEqual(run.state, "sending")
        followups = sent.mapped("followup_id")
        # The next send goes on with the other customer only.
        self._send(run, self.manager)
        self.assertFalse(run.line_ids.filtered(
            lambda l: l.state == "queued"))
        self.assertEqual(sent.mapped("followup_id"), followups)
        self.assertEqual(len(self._mails(self.customer | self.contact)), 1)
        self.assertEqual(len(run.line_ids.mapped("followup_id")), 3)
        self.assertEqual(run.state, "done")

    def test_failed_customer_is_sent_once_later(self):
        # Nobody to send the e-mail from: that customer fails alone, its
        # lines left queued without mail nor follow-up.
        self.collector1.email = False
        self.company.email = False
        run = self._run(self.collector1, [
            (self.inv_y, self.reminder, 5),
            (self.inv_z, self.report_level, 92)])
        before = self.env["cartera.followup"].search_count([])
        with mute_logger("odoo.addons.cartera_seguimiento.models."
                         "cartera_dunning_communication"):
            self._send(run, self.collector1)
        y, z = self._lines(run, self.inv_y), self._lines(run, self.inv_z)
        self.assertEqual((y.state, z.state), ("queued", "printed"))
        self.assertFalse(y.followup_id or y.mail_id)
        self.assertEqual(self.env["cartera.followup"].search_count([]),
                         before + 1)
        self.assertEqual(run.state, "sending")
        self.assertIn("Cliente Cobro", "".join(run.message_ids.mapped(
            "body")))
        self.collector1.email = "cob1@example.com"
        self._send(run, self.collector1)
        self.assertEqual(y.state, "sent")
        self.assertEqual(len(self._mails(self.customer | self.contact)), 1)
        self.assertEqual(self.env["cartera.followup"].search_count([]),
                         before + 2)
        self.assertEqual(run.state, "done")


class TestBureauExport(DunningSendCase):

    def test_export_reportable_items_as_text(self):
        self.customer_en.name = "=1+1"
        self.customer_en.vat = "+57-800"
        run = self._standard_run()
        self._send(run, self.manager)
        action = self.Line.sudo(self.manager).action_export_bureau()
        self.assertEqual(action["report_type"], "xlsx")
        report = self.env["ir.actions.report"]._get_report_from_name(
            action["report_name"])
        content, kind = report.sudo(self.manager).render_xlsx(
            self._lines(run, self.inv_z).ids, {})
        self.assertEqual(kind, "xlsx")
        test_xlsx_text.TestXlsxText._assert_no_code(self, content)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        row = [r for r in rows if r[1] == "=1+1"][0]
        self.assertEqual(row[0], "+57-800")
        self.assertEqual(row[2], self.inv_z.number)
        self.assertEqual(row[5], 2000.0)
        # The items not reportable are not listed; an item paid since is
        # not either.
        self.assertFalse([r for r in rows if r[1] == "Cliente Cobro"])
        cells = {cell.value: cell for r in sheet.iter_rows() for cell in r}
        for text in ("=1+1", "+57-800"):
            self.assertEqual(cells[text].data_type, "s")
        # A collector exports their customers only.
        self.assertFalse(self.Line.sudo(
            self.collector2)._bureau_reportable())
        self.assertTrue(self.Line.sudo(
            self.collector1)._bureau_reportable())


class TestLetterPdf(DunningSendCase):
    """The letters as wkhtmltopdf prints them (Spanish and English), one
    call for both customers split by the outline, as a run prints them."""

    def test_letters_are_real_pdfs(self):
        report = self.env.ref(
            "cartera_seguimiento.cartera_dunning_letter_report")
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed")
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        run = self._standard_run()
        partners = self.customer | self.customer_en
        # The HTML a run prints (without committing asset bundles, which
        # Odoo's render_qweb_pdf does), printed by one wkhtmltopdf call.
        html = report.render_qweb_html(
            partners.ids, data={"line_ids": run.line_ids.ids})[0]
        bodies, _ids, header, footer, paper = report._prepare_html(
            html.decode("utf-8"))
        self.assertEqual(len(bodies), 2)
        pdf = report._run_wkhtmltopdf(bodies, header=header, footer=footer,
                                      specific_paperformat_args=paper)
        letters = split_by_outline(pdf, 2)
        self.assertEqual(len(letters), 2)
        spanish, english = [self._text(letter) for letter in letters]
        for text in ("Aviso de cobro prejur", "Cómo pagar",
                     "ACC-0001-777", "1.234.567,89", "Ley 1266",
                     self.inv_x.number, self.inv_y.number):
            self.assertIn(text, spanish)
        for text in ("Legal Collection Notice", "How to pay",
                     "ACC-0001-777", "2,000.00", self.inv_z.number):
            self.assertIn(text, english)
        self.assertNotIn(self.inv_z.number, spanish)

    @staticmethod
    def _text(pdf):
        PdfFileReader(io.BytesIO(pdf))
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, check=True,
            stdout=subprocess.PIPE).stdout.decode("utf-8")


def _text_pdf(pages):
    """A PDF of one page per text of ``pages`` (Helvetica), written by
    hand with its cross-reference table: a letter as wkhtmltopdf would
    print it, without wkhtmltopdf."""
    count = len(pages)
    kids = " ".join("%d 0 R" % (4 + 2 * n) for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        ("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number, text in enumerate(pages):
        stream = ("BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text).encode()
        objects.append((
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (5 + 2 * number)).encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (
            len(stream), stream))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n"
              b"%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _page_texts(pdf):
    reader = PdfFileReader(io.BytesIO(pdf))
    return [reader.getPage(n).extractText().strip()
            for n in range(reader.getNumPages())]


class TestLetterJoin(DunningSendCase):
    """The run's one PDF joined on disk from the customers' letters (real
    PDFs made by hand: the test runner prints HTML)."""

    def _print(self, run, invoices, pages):
        """The lines of ``invoices`` printed with one letter of ``pages``
        (texts), as a send records them."""
        proof = self.env["ir.attachment"].create({
            "name": "letter.pdf", "datas_fname": "letter.pdf",
            "datas": base64.b64encode(_text_pdf(pages)),
            "mimetype": "application/pdf"})
        for invoice in invoices:
            self._lines(run, invoice).write(
                {"state": "printed", "attachment_id": proof.id})

    def test_run_pdf_holds_each_letter_in_order(self):
        run = self._standard_run().sudo()
        self._print(run, self.inv_x | self.inv_y,
                    ["Cliente Cobro 1 of 2", "Cliente Cobro 2 of 2"])
        self._print(run, self.inv_z, ["Customer Without Mail 1 of 1"])
        run._attach_letters()
        joined = base64.b64decode(run.letter_attachment_id.datas)
        self.assertTrue(joined.startswith(b"%PDF"))
        # Three pages: the customers in the order of their ids, each
        # letter once although two of its lines print it.
        self.assertEqual(_page_texts(joined), [
            "Cliente Cobro 1 of 2", "Cliente Cobro 2 of 2",
            "Customer Without Mail 1 of 1"])
        self.assertEqual(run.letter_attachment_id.mimetype,
                         "application/pdf")
        # A later letter: the PDF is joined again, the old one removed.
        old = run.letter_attachment_id
        self._print(run, self.inv_y, ["Cliente Cobro again"])
        run._attach_letters()
        self.assertNotEqual(run.letter_attachment_id, old)
        self.assertFalse(old.exists())
        self.assertEqual(len(_page_texts(base64.b64decode(
            run.letter_attachment_id.datas))), 4)

    def test_join_in_batches_on_disk(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for number in range(7):
                path = os.path.join(tmp, "in-%d.pdf" % number)
                with open(path, "wb") as handle:
                    handle.write(_text_pdf(
                        ["Letter %d page %d" % (number, page)
                         for page in range(1 + number % 2)]))
                paths.append(path)
            output = os.path.join(tmp, "out.pdf")
            # Two at a time: intermediate files joined again (7, 4, 2).
            join_pdf_files(paths, output, tmp, batch_size=2)
            with open(output, "rb") as handle:
                texts = _page_texts(handle.read())
        self.assertEqual(texts, [
            "Letter %d page %d" % (number, page) for number in range(7)
            for page in range(1 + number % 2)])


# Two transactions: the run must be committed for a second one to lock it.
def _db():
    return config["db_name"] if isinstance(config["db_name"], str) else \
        config["db_name"][0]


def _commit_run():
    with registry(_db()).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["cartera.dunning.run"].with_context(
            mail_create_nolog=True, tracking_disable=True).create({
                "date": D, "state": "computed"}).id


def _delete_run(run_id):
    with registry(_db()).cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["cartera.dunning.run"].browse(
            run_id).exists().unlink()


@at_install(False)
@post_install(True)
class TestDunningTwoWorkers(TransactionCase):
    """Two workers sending one run at the same moment: the second finds
    the run claimed (or sent since it began) and sends nothing, at once,
    without waiting; no customer is contacted twice."""

    def setUp(self):
        # Committed before this test's transaction takes its snapshot, and
        # removed after it has ended (cleanups run last first).
        self.run_id = _commit_run()
        self.addCleanup(_delete_run, self.run_id)
        super(TestDunningTwoWorkers, self).setUp()
        test_enable = tools.config["test_enable"]
        tools.config["test_enable"] = True
        self.addCleanup(tools.config.__setitem__, "test_enable", test_enable)
        env = self.env
        self.customer = env["res.partner"].create({
            "name": "Cliente Dos Servidores", "customer": True,
            "is_company": True, "email": "dos@example.com"})
        income = env["account.account"].search([
            ("company_id", "=", env.user.company_id.id),
            ("user_type_id", "=", env.ref(
                "account.data_account_type_revenue").id)], limit=1)
        invoice = env["account.invoice"].create({
            "partner_id": self.customer.id, "date_invoice": "2026-05-01",
            "date_due": "2026-05-31", "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": 800.0,
                "account_id": income.id})]})
        invoice.action_invoice_open()
        plan = env["cartera.dunning.plan"].create({"name": "Dos"})
        level = env["cartera.dunning.level"].create({
            "plan_id": plan.id, "name": "Reminder", "days": 1,
            "send_email": True, "mail_template_id": env.ref(
                "cartera_seguimiento."
                "cartera_dunning_mail_template_administrative").id})
        self.run = env["cartera.dunning.run"].browse(self.run_id)
        item = invoice.move_id.line_ids.filtered(
            lambda l: l.account_id == invoice.account_id)
        self.line = env["cartera.dunning.line"].create({
            "run_id": self.run.id, "company_id": self.run.company_id.id,
            "move_line_id": item.id, "invoice_id": invoice.id,
            "partner_id": self.customer.id, "level_id": level.id,
            "date": D, "date_due": "2026-05-31", "days_overdue": 30,
            "amount_due": 800.0, "state": "queued"})

    def _mails(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)])

    def test_run_claimed_by_another_worker(self):
        with registry(_db()).cursor() as other:
            # The other worker, sending the run right now.
            other.execute("SELECT id FROM cartera_dunning_run WHERE id = %s "
                          "FOR NO KEY UPDATE NOWAIT", (self.run_id,))
            self.assertFalse(self.run._send())
            # The button leaves it to that worker: not queued again.
            self.run.action_send()
            self.assertFalse(self.run.send_queued)
            self.assertEqual(self.line.state, "queued")
            self.assertFalse(self._mails())
            other.rollback()
        # Once the other one has let it go, this one sends it, once.
        self.run.action_send()
        self.run._cron_send()
        self.assertEqual(self.line.state, "sent")
        self.assertEqual(len(self._mails()), 1)
        self.run.action_send()
        self.run._cron_send()
        self.assertEqual(len(self._mails()), 1)

    def test_run_sent_by_another_worker_since(self):
        # This transaction has begun (its snapshot is taken); the other
        # worker sends a batch of the run and commits.
        self.assertEqual(self.line.state, "queued")
        with registry(_db()).cursor() as other:
            other.execute("UPDATE cartera_dunning_run SET state = 'sending' "
                          "WHERE id = %s", (self.run_id,))
        # This worker's view of the lines is older than that batch: it
        # must not send them again.
        self.assertFalse(self.run._send())
        self.assertEqual(self.line.state, "queued")
        self.assertFalse(self._mails())
