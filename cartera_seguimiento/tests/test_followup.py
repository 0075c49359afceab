# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import CarteraCase


def days_from_today(days):
    return fields.Date.to_string(
        fields.Date.from_string(fields.Date.today()) + timedelta(days=days))


class TestFollowupDefaults(CarteraCase):

    def test_defaults_from_customer_and_user(self):
        followup = self._followup(user=self.collector1)
        self.assertEqual(followup.partner_id, self.customer1)
        self.assertEqual(followup.user_id, self.collector1)
        self.assertEqual(followup.responsible_id, self.collector1)
        self.assertEqual(followup.company_id, self.company)
        self.assertEqual(followup.task_state, "none")
        self.assertTrue(followup.name.startswith("SEG/"))
        now = fields.Datetime.from_string(fields.Datetime.now())
        self.assertLess(
            abs((fields.Datetime.from_string(followup.date) - now).total_seconds()),
            120)

    def test_collector_without_email_can_capture_with_chatter(self):
        self.collector1.email = False
        followup = self.env["cartera.followup"].with_context(
            tracking_disable=False, mail_create_nolog=False,
            mail_notrack=False).sudo(self.collector1).create({
                "partner_id": self.customer1.id, "type_id": self.type_call.id})
        followup.write({"type_id": self.type_visit.id})
        self.assertTrue(followup.message_ids)

    def test_chatter_of_a_capture(self):
        # Another collector records a follow-up of collector1's customer.
        followup = self.env["cartera.followup"].with_context(
            tracking_disable=False, mail_notrack=False,
            mail_create_nolog=False).sudo(self.collector2).create({
                "partner_id": self.customer1.id,
                "type_id": self.type_call.id})
        self.assertEqual(followup.user_id, self.collector1)
        # One creation log, with the first values of the tracked fields.
        logs = followup.message_ids
        self.assertEqual(len(logs), 1)
        self.assertIn(self.customer1.display_name,
                      logs.sudo().tracking_value_ids.mapped("new_value_char"))
        # The salesperson follows it, and is not mailed "you have been
        # assigned" for a follow-up that assigns him nothing.
        self.assertIn(self.collector1.partner_id,
                      followup.message_partner_ids)
        self.assertFalse(self.env["mail.mail"].search([
            ("model", "=", "cartera.followup"),
            ("res_id", "=", followup.id)]))
        followup.sudo(self.collector2).write({"user_id": self.manager.id})
        self.assertIn(self.manager.partner_id, followup.message_partner_ids)
        self.assertFalse(self.env["mail.mail"].search([
            ("model", "=", "cartera.followup"),
            ("res_id", "=", followup.id)]))

    def test_contact_of_customer_becomes_commercial_partner(self):
        followup = self._followup(partner_id=self.customer1_contact.id)
        self.assertEqual(followup.partner_id, self.customer1)
        self.assertEqual(followup.user_id, self.collector1)

    def test_explicit_salesperson_is_kept(self):
        followup = self._followup(user_id=self.collector2.id)
        self.assertEqual(followup.user_id, self.collector2)

    def test_invoice_snapshot_taken_at_capture(self):
        followup = self._followup(invoice_id=self.invoice1.id,
                                  amount_due=1.0, date_due="2000-01-01")
        self.assertEqual(followup.invoice_number, self.invoice1.number)
        self.assertEqual(followup.journal_id, self.invoice1.journal_id)
        self.assertEqual(followup.move_id, self.invoice1.move_id)
        # A caller cannot forge the snapshot: it comes from the document.
        self.assertEqual(followup.amount_due, 1000.0)
        self.assertEqual(followup.date_due, self.invoice1.date_due)
        self.assertEqual(followup.invoice_currency_id, self.invoice1.currency_id)

    def test_snapshot_does_not_follow_later_payments(self):
        followup = self._followup(invoice_id=self.invoice1.id)
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1)
        self.invoice1.pay_and_reconcile(journal, 400.0)
        self.assertEqual(self.invoice1.residual, 600.0)
        followup.invalidate_cache()
        self.assertEqual(followup.amount_due, 1000.0)
        second = self._followup(invoice_id=self.invoice1.id)
        self.assertEqual(second.amount_due, 600.0)

    def test_defaults_hold_without_onchange_over_create_and_write(self):
        followup = self.env["cartera.followup"].sudo(self.manager).create({
            "partner_id": self.customer2.id, "type_id": self.type_call.id})
        self.assertEqual(followup.user_id, self.collector2)
        self.assertEqual(followup.responsible_id, self.manager)
        followup.write({"invoice_id": self.invoice2.id})
        self.assertEqual(followup.amount_due, 2500.0)
        followup.write({"invoice_id": False})
        self.assertEqual(followup.amount_due, 0.0)
        self.assertFalse(followup.date_due)

    def test_onchange_partner_sets_salesperson_and_clears_foreign_document(self):
        followup = self.env["cartera.followup"].new({
            "partner_id": self.customer1.id, "invoice_id": self.invoice2.id})
        followup._onchange_partner_id()
        self.assertEqual(followup.user_id, self.collector1)
        self.assertFalse(followup.invoice_id)

    def test_day_search_uses_user_time_zone(self):
        # 23:30 in Bogotá on a day is 04:30 UTC of the next day.
        followup = self._followup(date="2026-03-11 04:30:00")
        model = self.env["cartera.followup"].with_context(tz="America/Bogota")
        self.assertIn(followup, model.search([("day", "=", "2026-03-10")]))
        self.assertNotIn(followup, model.search([("day", "=", "2026-03-11")]))
        self.assertIn(followup, model.search([("day", ">=", "2026-03-10")]))
        self.assertNotIn(followup, model.search([("day", "<", "2026-03-10")]))
        self.assertEqual(followup.with_context(tz="America/Bogota").day,
                         "2026-03-10")


class TestFollowupValidation(CarteraCase):

    def assertRefused(self, message_part, **vals):
        count = self.env["cartera.followup"].search_count([])
        with self.assertRaises(ValidationError) as error:
            with self.env.cr.savepoint():
                self._followup(**vals)
        self.assertIn(message_part, error.exception.name)
        self.assertEqual(self.env["cartera.followup"].search_count([]), count)

    def test_invoice_of_another_customer(self):
        self.assertRefused("not to the customer", invoice_id=self.invoice2.id)

    def test_supplier_invoice(self):
        bill = self._create_invoice(self.customer1, 50.0, inv_type="in_invoice")
        self.assertRefused("not a customer invoice", invoice_id=bill.id)

    def test_draft_invoice(self):
        draft = self._create_invoice(self.customer1, 50.0, post=False)
        self.assertRefused("draft or cancelled", invoice_id=draft.id)

    def test_cancelled_invoice(self):
        cancelled = self._create_invoice(self.customer1, 50.0)
        cancelled.journal_id.update_posted = True
        cancelled.action_invoice_cancel()
        self.assertEqual(cancelled.state, "cancel")
        self.assertRefused("draft or cancelled", invoice_id=cancelled.id)

    def test_credit_note_and_paid_invoice_are_accepted(self):
        refund = self._create_invoice(self.customer1, 100.0, inv_type="out_refund")
        self.assertEqual(self._followup(invoice_id=refund.id).invoice_id, refund)
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1)
        self.invoice1.pay_and_reconcile(journal, 1000.0)
        self.assertEqual(self.invoice1.state, "paid")
        paid = self._followup(invoice_id=self.invoice1.id)
        self.assertEqual(paid.amount_due, 0.0)

    def test_next_date_before_followup_date(self):
        self.assertRefused("before the follow-up date",
                           date="2026-05-10 15:00:00", next_date="2026-05-09",
                           next_type_id=self.type_call.id)

    def test_next_date_same_local_day_is_accepted(self):
        # 02:00 UTC on the 11th is still the 10th in Bogotá.
        followup = self._followup(
            date="2026-05-11 02:00:00", next_date="2026-05-10",
            next_type_id=self.type_call.id)
        self.assertEqual(followup.task_state, "pending")

    def test_next_date_without_type(self):
        self.assertRefused("has a date but no type", next_date=days_from_today(3))

    def test_next_type_without_date(self):
        self.assertRefused("has a type but no date", next_type_id=self.type_call.id)

    def test_customer_of_another_company(self):
        other = self.env["res.company"].create({"name": "Otra Compañía S.A.S."})
        partner = self.env["res.partner"].create({
            "name": "Cliente Ajeno", "customer": True, "company_id": other.id})
        self.assertRefused("belongs to the company", partner_id=partner.id)

    @mute_logger("odoo.sql_db")
    def test_missing_required_fields(self):
        with self.assertRaises(Exception):
            with self.env.cr.savepoint():
                self.env["cartera.followup"].create({"partner_id": self.customer1.id})

    def test_error_message_in_spanish(self):
        with self.assertRaises(ValidationError) as error:
            with self.env.cr.savepoint():
                self.env["cartera.followup"].with_context(lang="es_CO").create({
                    "partner_id": self.customer1.id, "type_id": self.type_call.id,
                    "next_date": days_from_today(2)})
        self.assertIn("tiene fecha pero no tipo", error.exception.name)

    def test_field_named_in_the_users_language_without_context(self):
        # An RPC call carries no language: the label follows the user's
        # language, like the sentence around it.
        Followup = self.env["cartera.followup"].with_context(lang=None)
        with self.assertRaises(UserError) as error:
            Followup.sudo(self.collector1).create({
                "partner_id": self.customer1.id,
                "type_id": self.type_call.id,
                "next_date": "2026-13-45", "next_type_id": self.type_call.id})
        self.assertEqual(
            error.exception.name,
            "Fecha próxima tarea: '2026-13-45' no es una fecha válida "
            "(años 1900 a 2200).")

    def test_dates_mean_dates(self):
        for vals in ({"next_date": "2026-01-01xyz"},
                     {"next_date": "2026-01-01 10:00:00"},
                     {"date": "2026-01-01 10:00:00xyz"},
                     {"date": "2026-01-01T10:00:00"}):
            vals.setdefault("next_type_id", self.type_call.id)
            with self.assertRaisesRegex(UserError, "not a valid date"):
                with self.env.cr.savepoint():
                    self._followup(**vals)


class TestFollowupTasks(CarteraCase):

    def _activity_of(self, followup):
        return self.env["mail.activity"].search([
            ("res_model", "=", "cartera.followup"), ("res_id", "=", followup.id)])

    def test_next_task_schedules_activity(self):
        followup = self._followup(
            user=self.collector1, invoice_id=self.invoice1.id,
            next_date=days_from_today(5), next_type_id=self.type_visit.id,
            next_note="Visitar al cliente\ny cobrar <b>todo</b>")
        activity = self._activity_of(followup)
        self.assertEqual(len(activity), 1)
        self.assertEqual(followup.task_activity_id, activity)
        self.assertEqual(followup.task_state, "pending")
        self.assertEqual(activity.user_id, self.collector1)
        self.assertEqual(activity.date_deadline, days_from_today(5))
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("mail.mail_activity_data_meeting"))
        # In the responsible user's language (es_CO), whoever captured it.
        self.assertEqual(activity.summary, "Visita")
        self.assertIn("&lt;b&gt;todo&lt;/b&gt;", activity.note)

    def test_changing_next_task_moves_activity(self):
        followup = self._followup(next_date=days_from_today(5),
                                  next_type_id=self.type_visit.id)
        activity = followup.task_activity_id
        followup.write({"next_date": days_from_today(9),
                        "next_type_id": self.type_call.id,
                        "responsible_id": self.collector2.id})
        self.assertEqual(followup.task_activity_id, activity)
        self.assertEqual(activity.date_deadline, days_from_today(9))
        self.assertEqual(activity.user_id, self.collector2)
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(len(self._activity_of(followup)), 1)

    def test_removing_next_task_drops_activity(self):
        followup = self._followup(next_date=days_from_today(5),
                                  next_type_id=self.type_visit.id)
        activity = followup.task_activity_id
        followup.write({"next_date": False, "next_type_id": False})
        self.assertFalse(activity.exists())
        self.assertEqual(followup.task_state, "none")

    def test_next_followup_completes_earlier_task(self):
        first = self._followup(
            user=self.collector1, invoice_id=self.invoice1.id,
            date="2026-01-10 15:00:00", next_date="2026-01-15",
            next_type_id=self.type_call.id)
        other_doc = self._followup(
            user=self.collector1, date="2026-01-10 15:00:00",
            next_date="2026-01-15", next_type_id=self.type_call.id)
        activity = first.task_activity_id
        # Recorded by another user: the earlier task is completed all the same.
        self._followup(user=self.manager, invoice_id=self.invoice1.id,
                       date="2026-01-15 16:00:00")
        self.assertEqual(first.task_state, "done")
        self.assertFalse(activity.exists())
        self.assertEqual(other_doc.task_state, "pending")
        feedback = self.env["mail.message"].search([
            ("model", "=", "cartera.followup"), ("res_id", "=", first.id),
            ("mail_activity_type_id", "!=", False)])
        self.assertTrue(feedback)

    def test_earlier_dated_followup_does_not_complete_later_task(self):
        later = self._followup(date="2026-02-10 15:00:00", next_date="2026-02-20",
                               next_type_id=self.type_call.id)
        self._followup(date="2026-02-01 15:00:00")
        self.assertEqual(later.task_state, "pending")

    def test_activity_done_from_chatter_completes_task(self):
        followup = self._followup(next_date=days_from_today(1),
                                  next_type_id=self.type_call.id)
        followup.task_activity_id.action_feedback("Cliente pagó")
        self.assertEqual(followup.task_state, "done")
        # A done task is not re-opened by later edits of the note.
        followup.write({"next_note": "otra nota"})
        self.assertEqual(followup.task_state, "done")
        self.assertFalse(self._activity_of(followup))

    def test_mark_task_done_button(self):
        followup = self._followup(next_date=days_from_today(1),
                                  next_type_id=self.type_call.id)
        followup.action_mark_task_done()
        self.assertEqual(followup.task_state, "done")
        self.assertFalse(self._activity_of(followup))


class TestFollowupDigest(CarteraCase):

    def _digest_messages(self, user):
        # A private message to the user (test_digest.py).
        return self.env["mail.message"].search([
            ("model", "=", False), ("partner_ids", "in", user.partner_id.ids)])

    def test_daily_digest(self):
        Followup = self.env["cartera.followup"]
        # Nothing else pending in the way: only this test's tasks count
        # (closed follow-ups are sealed, and their tasks are not digested).
        Followup.search([("task_state", "=", "pending"),
                         ("state", "=", "open")]).write(
            {"next_date": False, "next_type_id": False})
        overdue = self._followup(
            user=self.collector1, date="2026-01-02 15:00:00",
            next_date="2026-01-05", next_type_id=self.type_call.id,
            next_note="Llamar a tesorería", invoice_id=self.invoice1.id)
        # "Today" is the collector's, in Bogotá, whatever the server's.
        today = fields.Date.context_today(
            self.env["cartera.followup"].with_context(tz="America/Bogota"))
        # Another document: the later follow-up below must not complete it.
        other_invoice = self._create_invoice(self.customer1, 300.0)
        self._followup(user=self.collector1, next_date=today,
                       invoice_id=other_invoice.id,
                       next_type_id=self.type_visit.id, next_note="Visita hoy")
        self._followup(user=self.collector1, next_date=fields.Date.to_string(
            fields.Date.from_string(today) + timedelta(days=3)),
                       next_type_id=self.type_visit.id, next_note="Más adelante")
        self.env["cartera.followup"].sudo(self.collector2).create({
            "partner_id": self.customer2.id, "type_id": self.type_call.id})
        self.env.user.tz = False
        before1 = self._digest_messages(self.collector1)
        before2 = self._digest_messages(self.collector2)
        self.env["cartera.digest"]._cron_notify_pending_tasks()
        new1 = self._digest_messages(self.collector1) - before1
        self.assertEqual(len(new1), 1)
        body = new1.body
        # In the user's language (es_CO), listing due and overdue tasks only.
        self.assertIn("Hola Cobrador Uno", body)
        self.assertIn("vencida", body)
        self.assertIn("Llamar a tesorería", body)
        self.assertIn("Visita hoy", body)
        self.assertNotIn("Más adelante", body)
        self.assertIn(overdue.invoice_number, body)
        self.assertIn("2 tarea(s) pendiente(s)", new1.subject)
        self.assertEqual(self._digest_messages(self.collector2), before2)


class TestFollowupSecurity(CarteraCase):

    def test_collectors_see_their_customers_only(self):
        mine = self._followup(user=self.collector1)
        theirs = self.env["cartera.followup"].sudo(self.collector2).create({
            "partner_id": self.customer2.id, "type_id": self.type_call.id})
        # Collector 2 is responsible of a follow-up of collector 1's customer.
        helped = self.env["cartera.followup"].sudo(self.collector2).create({
            "partner_id": self.customer1.id, "type_id": self.type_call.id})
        seen1 = self.env["cartera.followup"].sudo(self.collector1).search([])
        seen2 = self.env["cartera.followup"].sudo(self.collector2).search([])
        self.assertIn(mine, seen1)
        self.assertIn(helped, seen1)
        self.assertNotIn(theirs, seen1)
        self.assertIn(theirs, seen2)
        self.assertIn(helped, seen2)
        self.assertNotIn(mine, seen2)
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).read(["notes"])
        seen_manager = self.env["cartera.followup"].sudo(self.manager).search([])
        self.assertTrue({mine, theirs, helped} <= set(seen_manager))

    def test_collector_cannot_capture_for_foreign_customer_as_someone_else(self):
        with self.assertRaises(AccessError):
            with self.env.cr.savepoint():
                self.env["cartera.followup"].sudo(self.collector1).create({
                    "partner_id": self.customer2.id, "type_id": self.type_call.id,
                    "responsible_id": self.collector2.id})

    def test_collectors_cannot_delete_managers_can(self):
        followup = self._followup(user=self.collector1)
        with self.assertRaises(AccessError):
            followup.sudo(self.collector1).unlink()
        followup.sudo(self.manager).unlink()
        self.assertFalse(followup.exists())

    def test_accountant_without_cartera_groups_sees_nothing(self):
        self._followup()
        with self.assertRaises(AccessError):
            self.env["cartera.followup"].sudo(self.accountant).search([])
        # The customer form still opens for them: no stat computed, no error.
        partner = self.customer1.sudo(self.accountant)
        self.assertEqual(partner.cartera_followup_count, 0)
        menus = self.env["ir.ui.menu"].sudo(self.accountant)._visible_menu_ids()
        root = self.env.ref("cartera_seguimiento.cartera_menu_root")
        self.assertNotIn(root.id, menus)

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Filial S.A.S."})
        self.manager.write({"company_ids": [(4, other.id)]})
        followup = self._followup(user=self.manager)
        self.manager.company_id = other
        self.assertNotIn(followup, self.env["cartera.followup"].sudo(
            self.manager).search([]))


class TestSmartButtons(CarteraCase):

    def test_partner_and_invoice_stats(self):
        self._followup(user=self.collector1, invoice_id=self.invoice1.id,
                       date="2026-01-02 15:00:00")
        self._followup(user=self.collector1, date="2026-02-03 15:00:00",
                       next_date="2026-02-10", next_type_id=self.type_call.id)
        self.env["cartera.followup"].sudo(self.collector2).create({
            "partner_id": self.customer2.id, "type_id": self.type_call.id})
        partner = self.customer1.sudo(self.collector1)
        self.assertEqual(partner.cartera_followup_count, 2)
        self.assertEqual(partner.cartera_last_followup_date, "2026-02-03 15:00:00")
        self.assertEqual(partner.cartera_next_task_date, "2026-02-10")
        # The contact shows its company's follow-ups.
        self.assertEqual(
            self.customer1_contact.sudo(self.collector1).cartera_followup_count, 2)
        # Collector 2 sees none of collector 1's customer's follow-ups.
        self.assertEqual(
            self.customer1.sudo(self.collector2).cartera_followup_count, 0)
        invoice = self.invoice1.sudo(self.collector1)
        self.assertEqual(invoice.cartera_followup_count, 1)
        self.assertEqual(invoice.cartera_last_followup_date, "2026-01-02 15:00:00")

    def test_new_followup_buttons_prefill(self):
        action = self.customer1_contact.action_cartera_new_followup()
        self.assertEqual(action["context"]["default_partner_id"], self.customer1.id)
        self.assertEqual(action["context"]["default_user_id"], self.collector1.id)
        action = self.invoice1.action_cartera_new_followup()
        self.assertEqual(action["context"]["default_invoice_id"], self.invoice1.id)
        record = self.env["cartera.followup"].with_context(
            action["context"]).create({"type_id": self.type_call.id})
        self.assertEqual(record.partner_id, self.customer1)
        self.assertEqual(record.amount_due, 1000.0)
        listing = self.customer1.action_cartera_followups()
        self.assertEqual(listing["domain"], [("partner_id", "=", self.customer1.id)])
