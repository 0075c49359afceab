# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Statements of account on a hand-computed ledger.

Cliente Estado (collector 1), as of D = 2026-06-30, in the company's
currency (the rates of ArReportCase: the foreign currency at 4000 until
June 10th, then 5000):

===========  ==========  ==========  =====  ========  =========================
document     date        due         days   original  open at D
===========  ==========  ==========  =====  ========  =========================
S4           2026-01-01  2026-01-31  150    4,000     4,000 (over 120)
S3           2026-03-01  2026-03-31  91     3,000     3,000 (91-120; 1,000 paid
                                                      on July 10th, after D)
F1 (100 FC)  2026-05-01  2026-05-31  30     400,000   150,000 = 50 FC (1-30;
                                                      50 FC paid June 15th)
S2           2026-05-01  2026-06-10  20     2,000     1,500 (1-30; 500 paid
                                                      June 20th)
R1 (credit)  2026-06-25  2026-06-25  5      -300      -300 (1-30)
S1           2026-06-01  2026-07-15  0      1,000     1,000 (not due)
===========  ==========  ==========  =====  ========  =========================

Not due 1,000; 1-30 151,200; 91-120 3,000; over 120 4,000; total 159,200.
A cancelled invoice (5,000) and a draft one (6,000) are left out. Movement
of June: opening 409,000 (S2, F1, S3, S4), invoiced 1,000 (S1), payments
250,500 (500 + 250,000), credit notes 300, closing 159,200.
"""
import base64
from unittest.mock import patch

from odoo import tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import SPANISH
from .test_ar_report import D, ArReportCase

JUNE = ("2026-06-01", "2026-06-30")


class StatementCase(ArReportCase):

    @classmethod
    def setUpClass(cls):
        super(StatementCase, cls).setUpClass()
        # English for the customers who read it: our Colombian database
        # has it inactive (rolled back with the test).
        cls.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "en_US")]).active = True
        inv = cls._create_invoice
        cls.customer3 = cls.env["res.partner"].create({
            "name": "Cliente Estado", "customer": True, "is_company": True,
            "user_id": cls.collector1.id, "email": "estado@example.com",
            "lang": SPANISH})
        c = cls.customer3
        cls.s4 = inv(c, 4000, date_invoice="2026-01-01",
                     date_due="2026-01-31")
        cls.s3 = inv(c, 3000, date_invoice="2026-03-01",
                     date_due="2026-03-31")
        cls.f1 = inv(c, 100, date_invoice="2026-05-01",
                     date_due="2026-05-31", currency=cls.usd)
        cls.s2 = inv(c, 2000, date_invoice="2026-05-01",
                     date_due="2026-06-10")
        cls.s1 = inv(c, 1000, date_invoice="2026-06-01",
                     date_due="2026-07-15")
        cls.r1 = inv(c, 300, "out_refund", date_invoice="2026-06-25",
                     date_due="2026-06-25")
        cls._pay(cls.s3, 1000, "2026-07-10")
        cls._pay(cls.f1, 50, "2026-06-15")
        cls._pay(cls.s2, 500, "2026-06-20")
        cls.cancelled = inv(c, 5000, date_invoice="2026-06-05",
                            date_due="2026-06-05")
        cls.cancelled.journal_id.update_posted = True
        cls.cancelled.action_invoice_cancel()
        cls.draft = inv(c, 6000, date_invoice="2026-06-05",
                        date_due="2026-06-05", post=False)
        cls.engine_manager = cls.engine.sudo(cls.manager)

    def _statement(self, partner, user=None, **kwargs):
        engine = self.engine.sudo(user) if user else self.engine_manager
        rows = engine.statements(D, partner.ids, **kwargs)
        self.assertEqual(len(rows), 1)
        return rows[0]


class TestStatementFigures(StatementCase):

    def test_documents_hand_computed(self):
        for method in ("history", "residual"):
            statement = self.engine_manager.with_context(
                cartera_aging_method=method).statements(
                    D, self.customer3.ids)[0]
            documents = [(d["document"], d["kind"], d["date"], d["date_due"],
                          d["days_overdue"], d["amount"], d["amount_open"])
                         for d in statement["documents"]]
            self.assertEqual(documents, [
                (self.s4.number, "invoice", "2026-01-01", "2026-01-31", 150,
                 4000.0, 4000.0),
                (self.s3.number, "invoice", "2026-03-01", "2026-03-31", 91,
                 3000.0, 3000.0),
                (self.f1.number, "invoice", "2026-05-01", "2026-05-31", 30,
                 400000.0, 150000.0),
                (self.s2.number, "invoice", "2026-05-01", "2026-06-10", 20,
                 2000.0, 1500.0),
                (self.r1.number, "refund", "2026-06-25", "2026-06-25", 5,
                 -300.0, -300.0),
                (self.s1.number, "invoice", "2026-06-01", "2026-07-15", 0,
                 1000.0, 1000.0),
            ], method)
            foreign = statement["documents"][2]
            self.assertEqual(
                (foreign["currency"], foreign["amount_currency"],
                 foreign["amount_currency_open"]),
                (self.usd.name, 100.0, 50.0), method)
            self.assertFalse(any(d["currency"] for i, d in enumerate(
                statement["documents"]) if i != 2), method)
            self.assertEqual(statement["not_due"], 1000.0, method)
            self.assertEqual(statement["periods"],
                             [151200.0, 0.0, 0.0, 3000.0, 4000.0], method)
            self.assertEqual(statement["overdue"], 158200.0, method)
            self.assertEqual(statement["total"], 159200.0, method)

    def test_cancelled_and_draft_left_out(self):
        self.assertEqual(self.cancelled.state, "cancel")
        self.assertEqual(self.draft.state, "draft")
        numbers = {d["document"] for d in self._statement(
            self.customer3)["documents"]}
        self.assertEqual(len(numbers), 6)
        self.assertNotIn(self.cancelled.move_name, numbers)
        movement = self._statement(
            self.customer3, date_from=JUNE[0], date_to=JUNE[1])["movement"]
        self.assertEqual(movement["debit"], 1000.0)

    def test_movement_hand_computed(self):
        movement = self._statement(
            self.customer3, date_from=JUNE[0], date_to=JUNE[1])["movement"]
        self.assertEqual(
            [movement[key] for key in ("opening", "debit", "payments",
                                       "refunds", "closing")],
            [409000.0, 1000.0, 250500.0, 300.0, 159200.0])
        self.assertFalse(self._statement(self.customer3)["movement"])
        # A period without anything: zeros, not a missing row.
        movement = self._statement(
            self.customer3, date_from="2025-01-01",
            date_to="2025-01-31")["movement"]
        self.assertEqual(movement["closing"], 0.0)

    def test_totals_equal_aging_to_the_cent(self):
        """Every customer's strip and total equal aging(), and its
        documents add up to it, whatever the method."""
        for method in ("history", "residual"):
            engine = self.engine_manager.with_context(
                cartera_aging_method=method)
            for date_at in (D, "2026-07-31", "2026-12-31"):
                aging = engine.aging(date_at)
                self.assertTrue(aging)
                ids = [row["partner_id"] for row in aging]
                statements = {s["partner_id"]: s for s in engine.statements(
                    date_at, ids)}
                for row in aging:
                    mine = statements[row["partner_id"]]
                    key = (method, date_at, row["partner_name"])
                    self.assertEqual(mine["total"], row["total"], key)
                    self.assertEqual(mine["not_due"], row["not_due"], key)
                    self.assertEqual(mine["periods"], row["periods"], key)
                    self.assertEqual(round(sum(
                        d["amount_open"] for d in mine["documents"]), 2),
                        round(row["total"], 2), key)

    def test_order_and_contacts(self):
        """Contacts print their company's statement, once, in the order
        asked for."""
        rows = self.engine_manager.statements(D, [
            self.customer3.id, self.customer1_contact.id, self.customer1.id])
        self.assertEqual([r["partner_id"] for r in rows],
                         [self.customer3.id, self.customer1.id])

    def test_collector_scope(self):
        # Their own customer...
        self.assertEqual(self._statement(
            self.customer3, user=self.collector1)["total"], 159200.0)
        # ... never another collector's, by any path.
        with self.assertRaises(AccessError):
            self.engine.sudo(self.collector1).statements(
                D, self.customer2.ids)
        with self.assertRaises(AccessError):
            self.env.ref(
                "cartera_seguimiento.cartera_statement_report").sudo(
                self.collector1).render_qweb_html(self.customer2.ids)
        with self.assertRaises(AccessError):
            self.engine.sudo(self.accountant).statements(
                D, self.customer3.ids)

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self.engine_manager.statements("2026-02-30", self.customer3.ids)
        with self.assertRaises(UserError):
            self.engine_manager.statements(D, self.customer3.ids,
                                           date_from="2026-06-30",
                                           date_to="2026-06-01")
        self.assertEqual(self.engine_manager.statements(D, []), [])

    def test_query_count_does_not_grow(self):
        report = self.env.ref(
            "cartera_seguimiento.cartera_statement_report").sudo(
            self.manager)
        data = {"date_at": D, "date_from": JUNE[0], "date_to": JUNE[1]}

        def customers(count, start):
            partners = self.env["res.partner"]
            for n in range(start, start + count):
                partner = self.env["res.partner"].create({
                    "name": "Cliente EC%02d" % n, "customer": True,
                    "is_company": True, "user_id": self.collector1.id,
                    "lang": SPANISH if n % 2 else "en_US"})
                self._create_invoice(partner, 100.0 + n,
                                     date_invoice="2026-05-01",
                                     date_due="2026-05-31")
                partners |= partner
            return partners

        def figures(partners):
            # The second of two calls after its own warm-up: under Odoo's
            # runner the first one may fill has_group()'s cache again.
            engine = self.engine_manager
            engine.statements(D, partners.ids, *JUNE)
            counts = []
            for _run in range(2):
                engine.invalidate_cache()
                before = self.env.cr.sql_log_count
                engine.statements(D, partners.ids, *JUNE)
                counts.append(self.env.cr.sql_log_count - before)
            return counts[-1]

        def printed(partners):
            # After a print, as the one before it was.
            report.render_qweb_html(many.ids, data=data)
            report.invalidate_cache()
            before = self.env.cr.sql_log_count
            html = report.render_qweb_html(partners.ids, data=data)[0]
            self.assertEqual(html.count(b"cartera-statement\""),
                             len(partners))
            return self.env.cr.sql_log_count - before

        few = customers(5, 0)
        many = few | customers(45, 5)
        # Warmed up on all of them, twice: the first print of a fresh
        # database builds the report's asset bundles, which empties the
        # template caches, and each language compiles its templates once.
        for _warm_up in range(2):
            self.engine_manager.statements(D, many.ids, *JUNE)
            report.render_qweb_html(many.ids, data=data)
        self.assertEqual(figures(many), figures(few))
        # The print: the same, but for the one query of each customer's
        # page header, Odoo's own web.external_layout (its contact widget
        # checks that the company's partner exists).
        print_5, print_50 = printed(few), printed(many)
        self.assertEqual(print_50, print_5 + 45)


class TestStatementRendering(StatementCase):

    def _html(self, partners, **data):
        data.setdefault("date_at", D)
        return self.env.ref(
            "cartera_seguimiento.cartera_statement_report").sudo(
            self.manager).render_qweb_html(
                partners.ids, data=data)[0].decode("utf-8")

    def test_spanish_and_english(self):
        english = self.env["res.partner"].create({
            "name": "English Customer", "customer": True, "is_company": True,
            "lang": "en_US", "user_id": self.collector1.id})
        self._create_invoice(english, 1234.5, date_invoice="2026-06-01",
                             date_due="2026-06-15")
        html = self._html(self.customer3 | english, date_from=JUNE[0],
                          date_to=JUNE[1])
        # One page block per customer, in the order asked for.
        _head, spanish, english_part = html.split('cartera-statement"')
        self.assertIn("Cliente Estado", spanish)
        self.assertIn("English Customer", english_part)
        # Spanish: its words, its amounts (159.200,00) and its dates.
        self.assertIn("Estado de cuenta", spanish)
        self.assertIn("Documentos abiertos", spanish)
        self.assertIn("159.200,00", spanish)
        self.assertIn("Saldo inicial", spanish)
        self.assertIn("409.000,00", spanish)
        self.assertIn("En moneda del documento", spanish)
        self.assertIn("50,00 / 100,00", spanish)
        self.assertNotIn("Statement of Account", spanish)
        # English: the other customer, in the same PDF.
        self.assertIn("Statement of Account", english_part)
        self.assertIn("Open documents", english_part)
        self.assertIn("1,234.50", english_part)
        self.assertNotIn("Estado de cuenta", english_part)

    def test_default_date_and_print_menu(self):
        """The customer form's Print menu prints as of today, no period."""
        action = self.env.ref(
            "cartera_seguimiento.cartera_statement_report")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        html = self._html(self.customer3, date_at=False)
        self.assertIn("Cliente Estado", html)
        self.assertNotIn("Saldo inicial", html)


class TestStatementWizard(StatementCase):

    def _wizard(self, user, **vals):
        vals.setdefault("date_at", D)
        return self.env["cartera.statement.wizard"].sudo(user).with_context(
            lang=SPANISH).create(vals)

    def test_print_selected_and_filters(self):
        wizard = self._wizard(self.manager, partner_ids=[
            (6, 0, (self.customer3 | self.customer1).ids)])
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"],
                         "cartera_seguimiento.report_statement")
        self.assertEqual(action["data"]["partner_ids"],
                         [self.customer3.id, self.customer1.id])
        self.assertEqual(action["data"]["date_at"], D)
        # Everyone the collector may see who owes something at D.
        wizard = self._wizard(self.collector1)
        partners = wizard._selected_partners()
        self.assertIn(self.customer3, partners)
        self.assertNotIn(self.customer2, partners)
        # Minimum balance and overdue only.
        wizard = self._wizard(self.manager, min_balance=100000,
                              partner_ids=[(6, 0, (
                                  self.customer3 | self.customer1).ids)])
        self.assertEqual(wizard._selected_partners(), self.customer3)
        wizard = self._wizard(self.manager, overdue_only=True,
                              date_at="2026-06-15", partner_ids=[(6, 0, (
                                  self.customer3 | self.customer1).ids)])
        self.assertIn(self.customer3, wizard._selected_partners())
        # Nothing matches: said so.
        wizard = self._wizard(self.manager, min_balance=10 ** 9)
        with self.assertRaises(UserError):
            wizard.action_print_pdf()
        # A movement needs its dates.
        wizard = self._wizard(self.manager, with_movement=True,
                              partner_ids=[(6, 0, self.customer3.ids)])
        wizard.write({"date_from": False, "date_to": False})
        with self.assertRaises(UserError):
            wizard.action_print_pdf()

    def test_defaults_from_customer_and_agenda(self):
        action = self.customer1_contact.sudo(
            self.collector1).action_cartera_statement()
        wizard = self.env[action["res_model"]].sudo(
            self.collector1).with_context(action["context"]).create({})
        self.assertEqual(wizard.partner_ids, self.customer1)
        agenda = self.env["cartera.agenda"].sudo(self.collector1).search(
            [("partner_id", "in", (self.customer1 | self.customer3).ids)])
        self.assertEqual(len(agenda), 2)
        wizard = self.env["cartera.statement.wizard"].sudo(
            self.collector1).with_context(
                active_model="cartera.agenda", active_ids=agenda.ids).create(
                    {})
        self.assertEqual(wizard.partner_ids, self.customer1 | self.customer3)
        action = agenda.action_print_statement()
        self.assertEqual(action["report_name"],
                         "cartera_seguimiento.report_statement")
        self.assertEqual(set(action["context"]["active_ids"]),
                         set((self.customer1 | self.customer3).ids))

    def test_collector_cannot_pick_others(self):
        wizard = self._wizard(self.collector1, partner_ids=[
            (6, 0, self.customer2.ids)])
        with self.assertRaises(AccessError):
            wizard.action_print_pdf()
        with self.assertRaises(AccessError):
            wizard.action_send()


class SendingCase(StatementCase):
    """Customers 3 and 4 with an address, customer 1 without; batches of
    one; the helpers that send, process and deliver a run."""

    @classmethod
    def setUpClass(cls):
        super(SendingCase, cls).setUpClass()
        cls.customer1.email = False
        cls.customer4 = cls.env["res.partner"].create({
            "name": "Cliente Cuatro", "customer": True, "is_company": True,
            "user_id": cls.collector1.id, "email": "cuatro@example.com",
            "lang": "en_US"})
        cls._create_invoice(cls.customer4, 700, date_invoice="2026-06-01",
                            date_due="2026-06-15")
        cls.env["ir.config_parameter"].set_param(
            "cartera_seguimiento.statement_batch_size", "1")
        cls.Run = cls.env["cartera.statement.run"]

    def setUp(self):
        super(SendingCase, self).setUp()
        # As Odoo's own test runner has it: reports render as HTML rather
        # than through wkhtmltopdf (real PDFs: tests/test_statement_live.py).
        test_enable = tools.config["test_enable"]
        tools.config["test_enable"] = True
        self.addCleanup(tools.config.__setitem__, "test_enable", test_enable)

    def _send(self, user=None, partners=None):
        partners = partners or (
            self.customer3 | self.customer1 | self.customer4)
        wizard = self.env["cartera.statement.wizard"].sudo(
            user or self.collector1).with_context(lang=SPANISH).create({
                "date_at": D, "partner_ids": [(6, 0, partners.ids)]})
        action = wizard.action_send()
        self.assertEqual((action["res_model"], action["res_id"]),
                         (wizard._name, wizard.id))
        return wizard

    def _process(self):
        """What the cron does, as the cron's user."""
        self.Run.sudo()._cron_process()
        self.Run.invalidate_cache()

    def _deliver(self, run):
        """What Odoo's mail queue does (in tests, it sends nothing out)."""
        mails = run.line_ids.mapped("mail_id").filtered(
            lambda m: m.state == "outgoing")
        self.env["mail.mail"].sudo().process_email_queue(mails.ids)


class TestStatementSending(SendingCase):
    """The run: queued by the wizard at once, processed by the cron in
    batches, the mails in Odoo's queue, their outcome followed."""

    def test_queue_returns_at_once(self):
        before = self.env["mail.mail"].search_count([])
        wizard = self._send()
        run = wizard.run_id
        self.assertEqual(wizard.skipped_partner_ids, self.customer1)
        self.assertEqual(wizard.queued_count, 2)
        self.assertEqual(run.user_id, self.collector1)
        self.assertEqual(run.state, "queued")
        self.assertEqual(
            {(line.partner_id, line.state) for line in run.line_ids},
            {(self.customer3, "pending"), (self.customer1, "skipped"),
             (self.customer4, "pending")})
        self.assertEqual((run.count_total, run.count_pending,
                          run.count_skipped), (3, 2, 1))
        # Nothing rendered nor mailed in the request.
        self.assertEqual(self.env["mail.mail"].search_count([]), before)
        self.assertIn("3", run.message_ids[0].body)

    def test_send_follow_up_and_chatter(self):
        wizard = self._send()
        run = wizard.run_id
        self._process()
        lines = {line.partner_id: line for line in run.line_ids}
        line = lines[self.customer3]
        self.assertEqual((line.state, line.error), ("queued", False))
        self.assertEqual(line.amount_total, 159200.0)
        mail = line.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.customer3)
        # In the customer's language (Spanish), the PDF attached.
        self.assertIn("Estado de cuenta al", mail.subject)
        self.assertIn("159.200,00", mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(mail.attachment_ids.name.endswith(".pdf"))
        self.assertIn(b"159.200,00",
                      base64.b64decode(mail.attachment_ids.datas))
        english = lines[self.customer4].mail_id
        self.assertIn("Statement of account as of", english.subject)
        # By the collector, private to them until sent: not in the
        # customer's chatter, which every employee reads.
        self.assertEqual((mail.model, mail.res_id), (False, False))
        self.assertNotIn(mail.mail_message_id, self.customer3.message_ids)
        self.assertEqual(mail.author_id, self.collector1.partner_id)
        self._deliver(run)
        self._process()
        self.assertEqual(line.state, "sent")
        self.assertEqual(run.state, "done")
        self.assertEqual((run.count_sent, run.count_skipped,
                          run.count_failed), (2, 1, 0))
        followup = line.followup_id
        self.assertEqual(followup.type_id,
                         self.env["cartera.followup.type"]._email_type())
        self.assertEqual(followup.type_id.code, "email")
        self.assertEqual(followup.responsible_id, self.collector1)
        self.assertEqual(followup.partner_id, self.customer3)
        self.assertIn("Estado de cuenta enviado", followup.notes)
        self.assertIn("159.200,00", followup.notes)
        self.assertFalse(lines[self.customer1].followup_id)
        # The copy (the message and its PDF) is filed on the follow-up.
        self.assertEqual((mail.model, mail.res_id),
                         ("cartera.followup", followup.id))
        self.assertIn(mail.mail_message_id, followup.message_ids)
        self.assertEqual(
            (mail.attachment_ids.res_model, mail.attachment_ids.res_id),
            ("cartera.followup", followup.id))

    def test_resume_without_duplicates(self):
        wizard = self._send()
        run = wizard.run_id
        # An interrupted run: one batch (of one) done, the worker gone.
        run.sudo()._process(deadline=0)
        self.Run.invalidate_cache()
        self.assertEqual(run.count_queued, 1)
        self.assertEqual(run.count_pending, 1)
        first = run.line_ids.filtered(lambda l: l.state == "queued")
        first_mail = first.mail_id
        # The next call goes on with the rest, and not the first again.
        self._process()
        self.assertEqual(run.count_queued, 2)
        self.assertEqual(first.mail_id, first_mail)
        mails = self.env["mail.mail"].search([
            ("recipient_ids", "in", run.line_ids.mapped("partner_id").ids)])
        self.assertEqual(len(mails), 2)
        # A mail the server refused: failed, with its reason; resumed,
        # the same mail goes back to the queue, nothing rendered again.
        first_mail.sudo().write({"state": "exception",
                                 "failure_reason": "550 mailbox full"})
        self._process()
        self.assertEqual(first.state, "failed")
        self.assertEqual(first.error, "550 mailbox full")
        other = run.line_ids.filtered(
            lambda l: l.state == "queued").mail_id
        other.sudo().write({"state": "sent"})
        self._process()
        self.assertEqual(run.state, "failed")
        run.sudo(self.collector1).action_resume()
        self.assertEqual(first.state, "queued")
        self.assertEqual(first_mail.state, "outgoing")
        self.assertEqual(run.state, "sending")
        self._deliver(run)
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(self.env["mail.mail"].search_count([
            ("recipient_ids", "in", run.line_ids.mapped("partner_id").ids)]),
            2)
        self.assertEqual(len(run.line_ids.mapped("followup_id")), 2)

    def test_lines_follow_the_mail_queue(self):
        """Odoo's mail queue marks the lines as it sends (its hook
        _postprocess_sent_message), before the run's cron comes back; the
        cron records the follow-ups and finishes the run. A mail server
        that cannot be reached marks the mails failed without that hook:
        the cron follows those."""
        run = self._send(partners=self.customer3 | self.customer4).run_id
        self._process()
        lines = {line.partner_id: line for line in run.line_ids}
        sent, unreachable = lines[self.customer3], lines[self.customer4]
        Mail = self.env["mail.mail"].sudo()
        Mail.process_email_queue(sent.mail_id.ids)
        self.assertEqual(sent.state, "sent")
        self.assertFalse(sent.followup_id)
        self.assertEqual(run.state, "sending")
        MailServer = type(self.env["ir.mail_server"])
        with patch.object(MailServer, "connect", side_effect=OSError(
                111, "Connection refused")), \
                mute_logger("odoo.addons.mail.models.mail_mail"):
            Mail.process_email_queue(unreachable.mail_id.ids)
        self.assertEqual(unreachable.mail_id.state, "exception")
        self.assertEqual(unreachable.state, "queued")
        self._process()
        self.assertTrue(sent.followup_id)
        self.assertEqual(unreachable.state, "failed")
        self.assertIn("Connection refused", unreachable.error)
        self.assertFalse(unreachable.followup_id)
        self.assertEqual(run.state, "failed")

    def test_queue_hook_never_fails_a_sent_mail(self):
        """An error while a line follows its mail leaves the mail sent and
        the line queued, for the run's cron to follow."""
        run = self._send(partners=self.customer3).run_id
        self._process()
        line = run.line_ids
        Line = type(self.env["cartera.statement.run.line"])
        with patch.object(Line, "_follow_mails", side_effect=ValueError(
                "boom")), mute_logger(
                    "odoo.addons.cartera_seguimiento.models."
                    "cartera_statement_send"):
            self._deliver(run)
        self.assertEqual(line.mail_id.state, "sent")
        self.assertEqual(line.state, "queued")
        self._process()
        self.assertEqual(line.state, "sent")
        self.assertTrue(line.followup_id)
        self.assertEqual(run.state, "done")

    def test_nobody_with_an_address(self):
        """Found by the browser test: a run of skipped customers only."""
        run = self._send(partners=self.customer1).run_id
        self.assertEqual(run.line_ids.mapped("state"), ["skipped"])
        # Finished when the wizard returns: the collector does not see it
        # queued at 100 % until the cron's next call.
        self.assertEqual(run.state, "done")
        # "Finished: 0 sent, 0 failed, 1 skipped." in the user's language.
        self.assertRegex(run.message_ids[0].body, r"\b0\D+0\D+1\b")
        self._process()
        self.assertEqual(run.state, "done")
        self.assertFalse(run.line_ids.mapped("mail_id"))

    def test_batch_size_setting(self):
        key = "cartera_seguimiento.statement_batch_size"
        Param = self.env["ir.config_parameter"].sudo()
        Param.search([("key", "=", key)]).unlink()
        self.assertEqual(self.Run._batch_size(), 20)
        Param.set_param(key, "7")
        self.assertEqual(self.Run._batch_size(), 7)
        for wrong in ("many", "0", "-3"):
            Param.set_param(key, wrong)
            self.assertEqual(self.Run._batch_size(),
                             20 if wrong == "many" else 1)

    def test_render_failure_is_one_line(self):
        """A customer whose statement cannot be rendered fails alone; the
        resume renders it again."""
        wizard = self._send()
        run = wizard.run_id
        # The collector loses the customer before the cron renders it.
        self.customer4.user_id = self.collector2
        self._process()
        lines = {line.partner_id: line for line in run.line_ids}
        self.assertEqual(lines[self.customer4].state, "failed")
        self.assertFalse(lines[self.customer4].mail_id)
        self.assertTrue(lines[self.customer4].error)
        self.assertEqual(lines[self.customer3].state, "queued")
        self.customer4.user_id = self.collector1
        run.sudo(self.collector1).action_resume()
        self.assertEqual(lines[self.customer4].state, "pending")
        self._process()
        self.assertEqual(lines[self.customer4].state, "queued")

    def test_runs_record_rules(self):
        mine = self._send().run_id
        other = self._send(user=self.manager).run_id
        Run = self.Run.sudo(self.collector1)
        self.assertEqual(Run.search([("id", "in", (mine | other).ids)]),
                         mine)
        self.assertEqual(
            self.Run.sudo(self.manager).search(
                [("id", "in", (mine | other).ids)]), mine | other)
        Line = self.env["cartera.statement.run.line"]
        self.assertEqual(
            Line.sudo(self.collector1).search(
                [("run_id", "in", (mine | other).ids)]).mapped("run_id"),
            mine)
        with self.assertRaises(AccessError):
            self.Run.sudo(self.accountant).search([])
