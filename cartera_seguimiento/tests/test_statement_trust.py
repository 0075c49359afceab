# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 23, the statements and the broken promises' queue: a statement
goes to its customer and nobody else, whatever the template says; runs and
the statement's template are not a collector's to write; a statement sent
is a follow-up that completes nobody's task, with its copy readable by
those who see the customer; a poisoned batch stops neither queue."""
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .test_promise import PromiseCase
from .test_statement import SendingCase

TEMPLATE = "cartera_seguimiento.cartera_statement_mail_template"
# The loggers of a run's lines, their rendering and their mails.
LINE_MODELS = tuple(
    "odoo.addons.cartera_seguimiento.models.cartera_statement_" + name
    for name in ("run_line", "render", "send"))
PROMISE_MODEL = "odoo.addons.cartera_seguimiento.models.cartera_promise"
NOTIFY_MODEL = PROMISE_MODEL + "_notify"
# As production runs: follow-ups tracked, their followers and authors set.
TRACKING_ON = {"tracking_disable": False, "mail_notrack": False,
               "mail_create_nolog": False}


class StatementTrustCase(SendingCase):
    """The sending case of test_statement.py (customers 3 and 4 with an
    address, customer 1 without; batches of one), with a plain employee,
    tracking on."""

    def setUp(self):
        super(StatementTrustCase, self).setUp()
        self.env = self.env(context=dict(self.env.context, **TRACKING_ON))
        self.Run = self.env["cartera.statement.run"]

    @classmethod
    def setUpClass(cls):
        super(StatementTrustCase, cls).setUpClass()
        cls.employee = cls._create_user(
            "emp", "Empleado", cls.env.ref("base.group_user"))
        cls.template = cls.env.ref(TEMPLATE)

    def _mails(self, run):
        return run.line_ids.mapped("mail_id")

    def _readers(self, model, ids):
        """Who, of the users of the case, finds and reads ``ids``."""
        found = {}
        for user in (self.collector1, self.collector2, self.manager,
                     self.employee):
            records = self.env[model].sudo(user).search([("id", "in", ids)])
            found[user.login] = sorted(records.ids) == sorted(ids)
            if not found[user.login]:
                with self.assertRaises(AccessError):
                    self.env[model].sudo(user).browse(ids).read(["id"])
            else:
                records.read(["id"])
        return found


class TestStatementRecipients(StatementTrustCase):

    def test_tampered_template_reaches_the_customer_only(self):
        # An employee may no longer do this (test_template_rights); a
        # manager's mistake, or a template changed before this fix, must
        # not copy anyone all the same.
        self.template.write({
            "email_to": "spy-to@example.com",
            "email_cc": "spy@example.com",
            "partner_to": "%s,${object.id}" % self.employee.partner_id.id,
            "reply_to": "spy-reply@example.com",
        })
        run = self._send(partners=self.customer3).run_id
        self._process()
        mail = self._mails(run)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer3)
        self.assertFalse(mail.email_to)
        self.assertFalse(mail.email_cc)
        self.assertEqual(mail.reply_to, mail.email_from)
        self.assertNotIn("spy", mail.reply_to)
        self.assertEqual(run.line_ids.email, "estado@example.com")
        # What goes out: to the customer, nobody copied.
        sent = self._deliver_captured(run)
        self.assertEqual(sent, [["estado@example.com"]])

    def _deliver_captured(self, run):
        """Deliver the run's mails through Odoo's queue, and return the
        envelope recipients of each message handed to the SMTP layer."""
        MailServer = type(self.env["ir.mail_server"])
        original = MailServer.send_email
        envelopes = []

        def send_email(server, message, *args, **kwargs):
            addresses = []
            for header in ("To", "Cc", "Bcc"):
                addresses.extend(
                    address.strip().split("<")[-1].rstrip(">")
                    for address in (message[header] or "").split(",")
                    if address.strip())
            envelopes.append(sorted(addresses))
            return original(server, message, *args, **kwargs)

        with patch.object(MailServer, "send_email", send_email):
            self._deliver(run)
        return envelopes

    def test_queue_hook_resets_a_changed_mail(self):
        """Whatever was written on the queued mail since (a Cc, another
        partner, headers), Odoo's mail queue sends it to the customer."""
        run = self._send(partners=self.customer3).run_id
        self._process()
        mail = self._mails(run)
        mail.write({
            "email_cc": "spy@example.com", "email_to": "spy2@example.com",
            "recipient_ids": [(4, self.employee.partner_id.id)],
            "headers": repr({"Bcc": "spy3@example.com"}),
        })
        mail.mail_message_id.reply_to = "spy-reply@example.com"
        with mute_logger(*LINE_MODELS):
            sent = self._deliver_captured(run)
        self.assertEqual(sent, [["estado@example.com"]])
        self.assertEqual(mail.recipient_ids, self.customer3)
        self.assertFalse(mail.email_cc or mail.email_to or mail.headers)
        self.assertEqual(mail.state, "sent")

    def test_statement_contacts_then_invoice_address(self):
        Partner = self.env["res.partner"]
        invoice = Partner.create({
            "name": "Facturación Cuatro", "type": "invoice",
            "parent_id": self.customer4.id,
            "email": "facturas@example.com"})
        Partner.create({
            "name": "Otro contacto", "type": "contact",
            "parent_id": self.customer4.id, "email": "otro@example.com"})
        recipients = (self.customer3 | self.customer4)\
            ._cartera_statement_recipients()
        self.assertEqual(recipients[self.customer3.id],
                         [(self.customer3.id, "estado@example.com")])
        # The invoice address, not the company's own.
        self.assertEqual(recipients[self.customer4.id],
                         [(invoice.id, "facturas@example.com")])
        # The contacts marked for statements, when some are.
        marked = Partner.create({
            "name": "Tesorería Cuatro", "parent_id": self.customer4.id,
            "email": "tesoreria@example.com",
            "cartera_statement_contact": True})
        run = self._send(partners=self.customer4).run_id
        self._process()
        mail = self._mails(run)
        self.assertEqual(mail.recipient_ids, marked)
        self.assertEqual(run.line_ids.email, "tesoreria@example.com")
        # A customer without any address is skipped.
        self.assertEqual(
            self.customer1._cartera_statement_recipients(),
            {self.customer1.id: []})

    def test_contact_flag_is_for_collectors(self):
        field = self.env["res.partner"]._fields["cartera_statement_contact"]
        self.assertEqual(field.groups,
                         "cartera_seguimiento.group_cartera_user")
        # Not among an accountant's fields: their reads without a field
        # list do not ask for it.
        self.assertNotIn("cartera_statement_contact", self.env[
            "res.partner"].sudo(self.accountant).fields_get())
        self.assertIn("cartera_statement_contact", self.env[
            "res.partner"].sudo(self.collector1).fields_get())


class TestStatementRights(StatementTrustCase):

    def test_runs_are_not_written_by_users(self):
        run = self._send(partners=self.customer3).run_id
        Run = self.Run.sudo(self.collector1)
        with self.assertRaises(AccessError):
            Run.create({"date_at": "2026-06-30", "user_id": self.manager.id,
                        "template_id": self.template.id, "state": "done"})
        for values in ({"state": "done"}, {"user_id": self.manager.id},
                       {"template_id": self.template.id},
                       {"line_ids": [(5, 0, 0)]}):
            for user in (self.collector1, self.manager):
                with self.assertRaises(AccessError):
                    run.sudo(user).write(values)
        with self.assertRaises(AccessError):
            run.line_ids.sudo(self.collector1).write({"state": "sent"})
        self.assertEqual((run.user_id, run.state, run.template_id),
                         (self.collector1, "queued", self.template))
        # The sender and template are the wizard's: its user, the
        # statement's template.
        self.assertTrue(run.message_follower_ids.filtered(
            lambda f: f.partner_id == self.collector1.partner_id))
        # Another collector's run: no button of theirs acts on it.
        for method in ("action_resume", "action_refresh"):
            with self.assertRaises(AccessError):
                getattr(run.sudo(self.collector2), method)()
        # Its own user still posts in its chatter.
        note = "Nota del cobrador"
        run.sudo(self.collector1).message_post(body=note)

    def test_template_rights(self):
        template = self.template
        for user in (self.employee, self.collector1):
            with self.assertRaises(AccessError):
                template.sudo(user).write({"email_cc": "spy@example.com"})
            with self.assertRaises(AccessError):
                template.sudo(user).unlink()
            # Translations of its texts too.
            with self.assertRaises(AccessError):
                template.sudo(user).with_context(lang="es_CO").write(
                    {"subject": "Otro asunto"})
        self.assertFalse(template.email_cc)
        # Other templates are still theirs to edit.
        other = self.env["mail.template"].sudo(self.employee).create({
            "name": "Plantilla del empleado",
            "model_id": self.env.ref("base.model_res_partner").id})
        other.write({"subject": "Hola"})
        # Receivable managers and administrators edit it.
        template.sudo(self.manager).write({"subject": "Estado de cuenta"})
        admin = self._create_user("adm", "Administrador",
                                  self.env.ref("base.group_system"))
        template.sudo(admin).write({"subject": "Estado de cuenta 2"})
        self.assertEqual(template.subject, "Estado de cuenta 2")


class TestStatementFollowup(StatementTrustCase):

    def test_statement_followup_completes_no_task(self):
        task = self._followup(
            user=self.collector1, partner_id=self.customer3.id,
            next_date="2099-01-01", next_type_id=self.type_call.id)
        self.assertEqual(task.task_state, "pending")
        run = self._send(user=self.manager, partners=self.customer3).run_id
        self._process()
        self._deliver(run)
        self._process()
        followup = run.line_ids.followup_id
        self.assertTrue(followup)
        self.assertEqual(followup.responsible_id, self.manager)
        self.assertEqual(followup.create_uid, self.manager)
        task.invalidate_cache()
        self.assertEqual(task.task_state, "pending")
        self.assertTrue(task.task_activity_id)
        # The statement's PDF is attached to the follow-up.
        attachments = self.env["ir.attachment"].search([
            ("res_model", "=", "cartera.followup"),
            ("res_id", "=", followup.id)])
        self.assertEqual(len(attachments), 1)
        self.assertTrue(attachments.name.endswith(".pdf"))

    def test_copy_readable_by_those_who_see_the_customer(self):
        # Sent by the manager to collector 1's customer.
        run = self._send(user=self.manager, partners=self.customer3).run_id
        self._process()
        mail = self._mails(run)
        message = mail.mail_message_id
        attachment = mail.attachment_ids
        # Queued: its sender's alone.
        self.assertEqual(self._readers("mail.message", message.ids), {
            "cob1": False, "cob2": False, "jefe": True, "emp": False})
        self._deliver(run)
        self._process()
        self.assertEqual(run.line_ids.state, "sent")
        for model, ids in (("mail.message", message.ids),
                           ("ir.attachment", attachment.ids)):
            self.assertEqual(self._readers(model, ids), {
                "cob1": True, "cob2": False, "jefe": True, "emp": False},
                model)
        # Nothing of it on the customer, whom every employee reads.
        self.assertFalse(self.env["mail.message"].sudo(self.employee).search(
            [("model", "=", "res.partner"),
             ("res_id", "=", self.customer3.id),
             ("body", "ilike", "159.200")]))


class TestStatementPoisonedBatch(StatementTrustCase):

    def setUp(self):
        super(TestStatementPoisonedBatch, self).setUp()
        self.env["ir.config_parameter"].set_param(
            "cartera_seguimiento.statement_batch_size", "20")
        self.addCleanup(self.env["ir.config_parameter"].clear_caches)
        self.env["ir.config_parameter"].clear_caches()

    def test_poisoned_batch_fails_alone_and_runs_go_on(self):
        Line = type(self.env["cartera.statement.run.line"])
        original = Line._render_and_queue
        seen = []
        errors = []
        customer3 = self.customer3

        def render_and_queue(lines):
            # The attempt is counted before the rendering.
            self.env.cr.execute(
                "SELECT attempts FROM cartera_statement_run_line "
                "WHERE id IN %s", (tuple(lines.ids),))
            attempts = sorted(row[0] for row in self.env.cr.fetchall())
            seen.append((lines.mapped("partner_id"), attempts))
            if customer3 in lines.mapped("partner_id"):
                # What a statement timeout does: the transaction breaks.
                try:
                    self.env.cr.execute("SELECT 1/0")
                except Exception as error:
                    # In the server's language: kept to compare.
                    errors.append(str(error).strip())
                    raise
            return original(lines)

        poisoned = self._send(
            partners=self.customer3 | self.customer4).run_id
        later = self._send(partners=self.customer4).run_id
        with patch.object(Line, "_render_and_queue", render_and_queue), \
                mute_logger(*LINE_MODELS, "odoo.sql_db"):
            # First call: the batch of both fails; the later run goes on.
            self._process()
            lines = {line.partner_id: line for line in poisoned.line_ids}
            self.assertEqual(
                [(line.state, line.attempts) for line in poisoned.line_ids],
                [("pending", 1), ("pending", 1)])
            self.assertIn(errors[0], lines[self.customer3].error)
            self.assertEqual(later.line_ids.state, "queued")
            # Then the customer that fails is tried alone, twice more, and
            # fails for good; the other one goes out.
            self._process()
            self._process()
            self.assertEqual(lines[self.customer3].state, "failed")
            self.assertIn("3", lines[self.customer3].error)
            self.assertIn(errors[-1], lines[self.customer3].error)
            self._process()
        self.assertEqual(lines[self.customer4].state, "queued")
        self.assertEqual(lines[self.customer4].attempts, 2)
        # Customer 4 comes first (by name): tried alone after the failed
        # batch, it goes out; customer 3 fails alone twice more.
        c3, c4 = self.customer3.id, self.customer4.id
        self.assertEqual(
            [(set(partners.ids), attempts) for partners, attempts in seen], [
                ({c3, c4}, [1, 1]),
                ({c4}, [1]),
                ({c4}, [2]),
                ({c3}, [2]),
                ({c3}, [3]),
            ])
        self.assertFalse(lines[self.customer3].mail_id)
        self.assertEqual(poisoned.state, "sending")

    def test_killed_worker_gives_up_after_the_last_attempt(self):
        run = self._send(partners=self.customer3 | self.customer4).run_id
        lines = {line.partner_id: line for line in run.line_ids}
        # A worker killed (time or memory limit) while rendering customer
        # 3 for the third time left the attempt committed, and the line
        # pending.
        self.env.cr.execute(
            "UPDATE cartera_statement_run_line SET attempts = 3 "
            "WHERE id = %s", (lines[self.customer3].id,))
        run.line_ids.invalidate_cache()
        with mute_logger(*LINE_MODELS):
            self._process()
        self.assertEqual(lines[self.customer3].state, "failed")
        self.assertIn("Given up after 3 attempts",
                      lines[self.customer3].error)
        self.assertFalse(lines[self.customer3].mail_id)
        self.assertEqual(lines[self.customer4].state, "queued")
        # A resume tries it again, with its attempts anew.
        run.sudo(self.collector1).action_resume()
        self.assertEqual((lines[self.customer3].state,
                          lines[self.customer3].attempts), ("pending", 0))


class TestPromiseNotificationQueue(PromiseCase):

    def setUp(self):
        super(TestPromiseNotificationQueue, self).setUp()
        self.env = self.env(context=dict(self.env.context, **TRACKING_ON))
        self.Promise = self.env["cartera.promise"]

    @classmethod
    def setUpClass(cls):
        super(TestPromiseNotificationQueue, cls).setUpClass()
        cls.employee = cls._create_user(
            "emp", "Empleado", cls.env.ref("base.group_user"))

    def _notify_inline(self, customers):
        self.addCleanup(self.env["ir.config_parameter"].clear_caches)
        self.env["ir.config_parameter"].sudo().set_param(
            "cartera_seguimiento.promise_notify_inline", str(customers))

    def _poisoned(self, partner):
        """A patch making the notices of ``partner``'s promises raise."""
        Promise = type(self.Promise)
        original = Promise._send_failed_notices

        def send_failed_notices(promises):
            if partner in promises.sudo().mapped("partner_id"):
                raise RuntimeError("poisoned notice")
            return original(promises)
        return patch.object(Promise, "_send_failed_notices",
                            send_failed_notices)

    def _activities(self, customer):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", customer.id),
            ("activity_type_id", "=", self.env.ref(
                "cartera_seguimiento.mail_activity_promise_broken").id)])

    def test_poisoned_customer_leaves_the_queue_alone(self):
        self._notify_inline(0)
        mine = self._promise(300.0, "2026-03-05")
        other = self._promise(150.0, "2026-03-05", partner=self.customer2)
        self._evaluate("2026-03-09")
        self.assertTrue(mine.notify_pending and other.notify_pending)
        with self._poisoned(self.customer1), mute_logger(NOTIFY_MODEL):
            self.Promise._cron_notify()
            (mine | other).invalidate_cache()
            # The other customer is notified; this one waits, with why.
            self.assertFalse(other.notify_pending)
            self.assertTrue(self._activities(self.customer2))
            self.assertTrue(mine.notify_pending)
            self.assertEqual(mine.notify_attempts, 1)
            self.assertIn("poisoned notice", mine.notify_error)
            self.assertFalse(self._activities(self.customer1))
            self.Promise._cron_notify()
            self.Promise._cron_notify()
            mine.invalidate_cache()
        # Dropped after 3 attempts, with its error; the queue is empty.
        self.assertFalse(mine.notify_pending)
        self.assertIn("3", mine.notify_error)
        self.assertIn("poisoned notice", mine.notify_error)
        self.assertEqual(self.Promise._notify_queued(), 0)
        self.assertFalse(self._activities(self.customer1))
        with self.assertRaises(UserError):
            mine.sudo(self.manager).write({"notify_error": False})

    def test_killed_worker_and_inline_failure(self):
        promise = self._promise(300.0, "2026-03-05")
        # Notified by the evaluation itself (few customers): its error
        # does not fail the evaluation; the promise is left to the queue.
        with self._poisoned(self.customer1), mute_logger(NOTIFY_MODEL):
            self.assertEqual(self._evaluate("2026-03-09")["broken"], 1)
        promise.invalidate_cache()
        self.assertEqual(promise.state, "broken")
        self.assertTrue(promise.notify_pending)
        self.assertEqual(promise.notify_attempts, 1)
        self.assertIn("poisoned notice", promise.notify_error)
        # Two workers killed while notifying it later: dropped.
        self.env.cr.execute("UPDATE cartera_promise SET notify_attempts = 3 "
                            "WHERE id = %s", (promise.id,))
        promise.invalidate_cache()
        with mute_logger(NOTIFY_MODEL):
            self.assertEqual(self.Promise._notify_queued(), 0)
        promise.invalidate_cache()
        self.assertFalse(promise.notify_pending)
        self.assertIn("after 3 attempts", promise.notify_error)

    def test_broken_promise_note_readable_by_the_customers_readers(self):
        promise = self._promise(300.0, "2026-03-05")
        self._evaluate("2026-03-09")
        note = promise.followup_id.message_ids.filtered(
            lambda m: "Incumplido" in (m.body or ""))
        self.assertEqual(len(note), 1)
        readers = {}
        for user in (self.collector1, self.collector2, self.manager,
                     self.employee):
            found = self.env["mail.message"].sudo(user).search(
                [("id", "=", note.id)])
            readers[user.login] = bool(found)
            if not found:
                with self.assertRaises(AccessError):
                    note.sudo(user).read(["body"])
        self.assertEqual(readers, {"cob1": True, "cob2": False,
                                   "jefe": True, "emp": False})
        # Nothing on the customer, whom every employee reads.
        self.assertFalse(self.env["mail.message"].sudo(self.employee).search(
            [("model", "=", "res.partner"),
             ("res_id", "=", self.customer1.id),
             ("body", "ilike", "Incumplido")]))
