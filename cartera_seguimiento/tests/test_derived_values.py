# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read-only means read-only over RPC too (issue 23, point 5): what the
forms show read-only and the addon derives is ignored on create or refused
on write, for a collector and for a manager, whatever they send; and a
payment promise is always judged against its follow-up's customer's
payments, never another customer's."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import CarteraCase
from .test_promise import FOLLOWUP_DAY, PromiseCase

# A closed range of days long past (see test_closing.py).
CLOSED_DAY = "2001-01-10"
CLOSED_MOMENT = "2001-01-10 15:00:00"


def in_days(days):
    return fields.Date.to_string(
        fields.Date.from_string(fields.Date.today()) + timedelta(days=days))


class DerivedCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(DerivedCase, cls).setUpClass()
        cls.other_company = cls.env["res.company"].create(
            {"name": "Otra Empresa Derivada"})
        cls.foreign_currency = cls.env.ref(
            "base.EUR" if cls.company.currency_id == cls.env.ref("base.USD")
            else "base.USD")
        # Another user's activity, on another customer.
        cls.other_activity = cls.env["mail.activity"].create({
            "res_model_id": cls.env["ir.model"]._get_id("res.partner"),
            "res_id": cls.customer2.id, "summary": "Ajena",
            "user_id": cls.collector2.id,
            "activity_type_id": cls.env.ref(
                "mail.mail_activity_data_todo").id})
        # A customer shared by every company: no constraint of the customer
        # keeps its follow-ups in one company.
        cls.shared = cls.env["res.partner"].create({
            "name": "Cliente Compartido", "customer": True,
            "is_company": True, "user_id": cls.collector1.id,
            "company_id": False})

    def _closed_followup(self):
        followup = self._followup(user=self.collector1, date=CLOSED_MOMENT)
        self.env["cartera.closing"].sudo(self.manager)._close_followups(
            CLOSED_DAY, CLOSED_DAY, partner=self.customer1)
        followup.invalidate_cache()
        self.assertEqual(followup.state, "closed")
        return followup


class TestFollowupDerivedValues(DerivedCase):

    def test_create_ignores_derived_values(self):
        journal = self.env["account.journal"].search([
            ("company_id", "=", self.company.id), ("type", "=", "bank")],
            limit=1)
        Followup = self.env["cartera.followup"].sudo(
            self.collector1).with_context(default_task_state="done",
                                          default_name="CONTEXTO")
        followup = Followup.create({
            "partner_id": self.customer1.id, "type_id": self.type_call.id,
            "name": "FORJADO", "task_state": "done",
            "task_activity_id": self.other_activity.id, "state": "closed",
            "company_currency_id": self.foreign_currency.id,
            "invoice_id": self.invoice1.id, "invoice_number": "FALSO",
            "journal_id": journal.id, "move_id": self.invoice2.move_id.id,
            "invoice_currency_id": self.foreign_currency.id,
            "amount_due": 1.0, "date_due": "2000-01-01",
            "next_date": in_days(3), "next_type_id": self.type_visit.id})
        self.assertNotIn(followup.name, ("FORJADO", "CONTEXTO", "/"))
        self.assertEqual(followup.state, "open")
        # Its own task, not someone else's activity.
        self.assertEqual(followup.task_state, "pending")
        activity = followup.task_activity_id
        self.assertEqual((activity.res_model, activity.res_id),
                         ("cartera.followup", followup.id))
        self.assertEqual((self.other_activity.res_id,
                          self.other_activity.user_id,
                          self.other_activity.summary),
                         (self.customer2.id, self.collector2, "Ajena"))
        self.assertEqual(self.company.currency_id, followup.company_currency_id)
        self.assertNotEqual(self.company.currency_id, self.foreign_currency)
        # The document's snapshot comes from the document.
        self.assertEqual(
            (followup.invoice_number, followup.journal_id, followup.move_id,
             followup.invoice_currency_id, followup.amount_due,
             followup.date_due),
            (self.invoice1.number, self.invoice1.journal_id,
             self.invoice1.move_id, self.invoice1.currency_id, 1000.0,
             self.invoice1.date_due))

    def test_write_refuses_derived_values(self):
        for user in (self.collector1, self.manager):
            followup = self._followup(user=user, partner_id=self.shared.id)
            closing = self._closed_followup().closing_id
            before = followup.read()[0]
            for name, value in (
                    ("name", "FORJADO"),
                    ("company_id", self.other_company.id),
                    ("task_state", "done"),
                    ("task_activity_id", self.other_activity.id),
                    ("company_currency_id", self.foreign_currency.id),
                    ("closed_on", "2001-01-01 00:00:00"),
                    ("closed_by", self.collector1.id),
                    ("state", "closed"), ("closing_id", closing.id)):
                with self.assertRaises(UserError, msg=name):
                    with self.env.cr.savepoint():
                        followup.sudo(user).write({name: value})
            followup.invalidate_cache()
            self.assertEqual(followup.read()[0], before)
            self.assertNotEqual(self.company.currency_id,
                                self.foreign_currency)
            self.assertEqual(self.other_activity.res_id, self.customer2.id)

    def test_refused_write_says_which_field(self):
        followup = self._followup(user=self.collector1)
        with self.assertRaises(UserError) as error:
            followup.sudo(self.collector1).with_context(
                lang="es_CO").write({"task_state": "done"})
        self.assertIn("no se puede modificar", error.exception.name)

    def test_snapshot_written_is_ignored(self):
        followup = self._followup(user=self.collector1,
                                  invoice_id=self.invoice1.id)
        followup.sudo(self.collector1).write({
            "amount_due": 1.0, "invoice_number": "FALSO",
            "date_due": "2000-01-01", "notes": "Nota"})
        followup.invalidate_cache()
        self.assertEqual((followup.amount_due, followup.invoice_number,
                          followup.date_due, followup.notes),
                         (1000.0, self.invoice1.number,
                          self.invoice1.date_due, "Nota"))

    def test_created_in_the_users_company_only(self):
        for user in (self.collector1, self.manager):
            with self.assertRaises(AccessError):
                with self.env.cr.savepoint():
                    self._followup(user=user, partner_id=self.shared.id,
                                   company_id=self.other_company.id)

    def test_internal_methods_still_set_them(self):
        followup = self._followup(user=self.collector1,
                                  next_date=in_days(2),
                                  next_type_id=self.type_call.id)
        self.assertEqual(followup.task_state, "pending")
        followup.sudo(self.collector1).action_mark_task_done()
        self.assertEqual(followup.task_state, "done")
        self.assertFalse(followup.task_activity_id)


class TestPromiseDerivedValues(PromiseCase):

    def _other_company(self):
        return self.env["res.company"].create({"name": "Otra Empresa P"})

    def test_create_ignores_customer_and_judgement(self):
        followup = self._followup(user=self.collector1, date=FOLLOWUP_DAY)
        activity = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.customer2.id, "summary": "Ajena",
            "user_id": self.collector2.id})
        promise = self.Promise.sudo(self.collector1).create({
            "followup_id": followup.id, "amount": 400.0,
            "date": "2026-03-05", "partner_id": self.customer2.id,
            "company_id": self._other_company().id, "state": "kept",
            "paid_amount": 400.0, "evaluated_on": "2026-03-05",
            "failed_activity_id": activity.id, "notify_pending": True})
        promise.invalidate_cache()
        followup.invalidate_cache()
        self.assertEqual(followup.partner_id, self.customer1)
        self.assertEqual((promise.partner_id, promise.company_id),
                         (self.customer1, self.company))
        self.assertEqual(
            (promise.state, promise.paid_amount, promise.evaluated_on,
             promise.failed_activity_id, promise.notify_pending),
            ("pending", 0.0, False, self.env["mail.activity"], False))
        # Customer 2 pays plenty; customer 1 nothing: broken.
        self._pay(2500.0, "2026-03-03", invoice=self.invoice2)
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_write_of_customer_or_company_refused(self):
        promise = self._promise(400.0, "2026-03-05")
        other = self._other_company()
        for user in (self.collector1, self.manager):
            for name, value in (("partner_id", self.customer2.id),
                                ("company_id", other.id),
                                ("currency_id", other.currency_id.id),
                                ("followup_state", "closed"),
                                ("failed_activity_id", False)):
                with self.assertRaises(UserError, msg=name):
                    with self.env.cr.savepoint():
                        promise.sudo(user).write({name: value})
        promise.invalidate_cache()
        self.assertEqual((promise.partner_id, promise.company_id,
                          promise.followup_id.partner_id),
                         (self.customer1, self.company, self.customer1))
        self._pay(2500.0, "2026-03-03", invoice=self.invoice2)
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_documents_stay_the_followups_customers(self):
        promise = self._promise(400.0, "2026-03-05")
        promise.sudo(self.collector1).write(
            {"invoice_ids": [(6, 0, self.invoice_big.ids)]})
        # The follow-up's customer cannot change under its promise's
        # documents.
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                promise.followup_id.sudo(self.manager).write(
                    {"partner_id": self.customer2.id})
        self.assertEqual(promise.followup_id.partner_id, self.customer1)

    def test_judged_promise_keeps_its_customer_and_followup(self):
        promise = self._promise(400.0, "2026-03-05")
        other_followup = self._followup(user=self.collector1,
                                        date=FOLLOWUP_DAY)
        self._pay(400.0, "2026-03-04")
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("kept", 400.0))
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                promise.followup_id.sudo(self.manager).write(
                    {"partner_id": self.customer2.id})
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                promise.sudo(self.manager).write(
                    {"followup_id": other_followup.id})
        # Written again with the same values (an import, the demo data's
        # update): nothing changes, nothing is refused.
        promise.followup_id.sudo(self.manager).write(
            {"partner_id": self.customer1.id})
        promise.sudo(self.manager).write(
            {"followup_id": promise.followup_id.id})
        self.assertEqual(promise.partner_id, self.customer1)

    def test_pending_promise_moves_to_writable_open_followups_only(self):
        promise = self._promise(400.0, "2026-03-05")
        theirs = self._followup(user=self.collector2, date=FOLLOWUP_DAY,
                                partner_id=self.customer2.id)
        with self.assertRaises(AccessError):
            with self.env.cr.savepoint():
                promise.sudo(self.collector1).write(
                    {"followup_id": theirs.id})
        closed = self._followup(user=self.collector1, date=CLOSED_MOMENT)
        self.env["cartera.closing"].sudo(self.manager)._close_followups(
            CLOSED_DAY, CLOSED_DAY, partner=self.customer1)
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                promise.sudo(self.collector1).write(
                    {"followup_id": closed.id})
        self.assertEqual(promise.partner_id, self.customer1)
        mine = self._followup(user=self.collector1, date=FOLLOWUP_DAY)
        promise.sudo(self.collector1).write({"followup_id": mine.id})
        self.assertEqual(promise.followup_id, mine)


class TestClosingReadOnly(DerivedCase):

    def test_closings_are_written_by_the_closing_only(self):
        closing = self._closed_followup().sudo().closing_id
        Closing = self.env["cartera.closing"]
        values = {
            "name": "FORJADO", "date_from": "2001-01-01",
            "date_to": "2001-01-31", "partner_id": self.customer2.id,
            "user_id": self.collector1.id, "date": "2001-01-01 00:00:00",
            "followup_count": 99, "company_id": self.other_company.id,
        }
        self.assertEqual(set(values) | {"followup_ids"}, {
            name for name, field in Closing._fields.items()
            if not field.automatic and name not in (
                "display_name", "__last_update")})
        for user in (self.collector1, self.manager):
            # No write, create or delete right at all (only managers read).
            for operation in ("write", "create", "unlink"):
                self.assertFalse(Closing.sudo(user).check_access_rights(
                    operation, raise_exception=False))
            for name, value in values.items():
                with self.assertRaises((AccessError, UserError), msg=name):
                    closing.sudo(user).write({name: value})
            with self.assertRaises((AccessError, UserError)):
                Closing.sudo(user).create(values)
            with self.assertRaises((AccessError, UserError)):
                closing.sudo(user).unlink()
        closing.invalidate_cache()
        self.assertEqual((closing.followup_count, closing.company_id),
                         (1, self.company))
