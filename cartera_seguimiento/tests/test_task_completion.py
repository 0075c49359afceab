# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Other users' work is theirs: a follow-up completes the pending tasks of
the same customer and document only where its recorder may see them (their
collector, the customer's salesperson, a manager), never through a search
as superuser on their behalf; and a follow-up dated in the future completes
nothing. Built with tracking on, as production runs."""
from datetime import timedelta

from odoo import fields

from .common import CarteraCase

FOLLOWUP = "cartera.followup"


class TestTaskCompletionScope(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestTaskCompletionScope, cls).setUpClass()
        context = dict(cls.env.context)
        for key in ("tracking_disable", "mail_create_nolog", "mail_notrack"):
            context.pop(key, None)
        cls.env = cls.env(context=context)

    def setUp(self):
        super(TestTaskCompletionScope, self).setUp()
        # Collector A (collector 1, the salesperson of customer 1) leaves a
        # task on invoice 1.
        self.task = self._followup(
            user=self.collector1, invoice_id=self.invoice1.id,
            date="2026-01-10 15:00:00", next_date="2026-01-15",
            next_type_id=self.type_call.id, next_note="Llamar a tesorería")
        self.activity = self.task.task_activity_id
        self.assertEqual(self.task.task_state, "pending")
        self.assertTrue(self.activity)

    def _feedback(self):
        return self.env["mail.message"].search([
            ("model", "=", FOLLOWUP), ("res_id", "=", self.task.id),
            ("mail_activity_type_id", "!=", False)])

    def _assert_pending(self):
        self.task.invalidate_cache()
        self.assertEqual(self.task.task_state, "pending")
        self.assertTrue(self.activity.exists())
        self.assertFalse(self._feedback())

    def test_manager_completes_collectors_task(self):
        self._followup(user=self.manager, invoice_id=self.invoice1.id,
                       date="2026-01-15 16:00:00")
        self.task.invalidate_cache()
        self.assertEqual(self.task.task_state, "done")
        self.assertFalse(self.activity.exists())
        feedback = self._feedback()
        self.assertEqual(len(feedback), 1)
        # Marked done by the manager, as themself.
        self.assertEqual(feedback.author_id, self.manager.partner_id)

    def test_collector_who_cannot_see_it_completes_nothing(self):
        # Collector B (collector 2) records a follow-up of the same customer
        # and document, as its contact: theirs to see, A's task is not.
        Followup = self.env[FOLLOWUP].sudo(self.collector2)
        self.assertFalse(Followup.search([("id", "=", self.task.id)]))
        theirs = self._followup(
            user=self.collector2, invoice_id=self.invoice1.id,
            date="2026-01-15 16:00:00")
        self.assertEqual(theirs.responsible_id, self.collector2)
        self._assert_pending()

    def test_future_dated_followup_completes_nothing(self):
        # Recorded before the task (so it completes nothing), then dated
        # tomorrow behind the ORM's back: whatever refuses such a date on
        # capture, completion does not rely on it.
        later = self._followup(
            user=self.manager, invoice_id=self.invoice1.id,
            date="2026-01-09 15:00:00")
        self._assert_pending()
        tomorrow = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            + timedelta(days=1))
        self.env.cr.execute("UPDATE cartera_followup SET date = %s "
                            "WHERE id = %s", (tomorrow, later.id))
        later.invalidate_cache()
        later.sudo(self.manager)._complete_previous_tasks()
        self._assert_pending()
        # Dated now, it completes the task.
        self.env.cr.execute("UPDATE cartera_followup SET date = %s "
                            "WHERE id = %s",
                            (fields.Datetime.now(), later.id))
        later.invalidate_cache()
        later.sudo(self.manager)._complete_previous_tasks()
        self.task.invalidate_cache()
        self.assertEqual(self.task.task_state, "done")
        self.assertFalse(self.activity.exists())
