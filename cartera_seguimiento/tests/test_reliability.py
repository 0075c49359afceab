# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixes found by the live reliability tests (tests/test_stress_*.py),
each pinned here at the level of the model."""
from .common import CarteraCase


class TestReliability(CarteraCase):

    def test_task_completed_by_collector_without_email(self):
        """Found by test_stress_load: a collector without an e-mail address
        recording the follow-up that completes another user's task got
        "Unable to send email" (action_feedback posts through the mail
        composer, whose default sender needs the user's address)."""
        # The task is completed as superuser (whoever recorded it): neither
        # may have an address.
        self.collector2.email = False
        self.env.ref("base.user_root").email = False
        first = self._followup(
            user=self.collector1, next_date="2026-01-15",
            date="2026-01-10 15:00:00", next_type_id=self.type_call.id)
        # collector2 records the next follow-up of collector1's customer.
        self._followup(user=self.collector2, date="2026-01-15 16:00:00",
                       responsible_id=self.collector2.id)
        self.assertEqual(first.task_state, "done")
        self.assertFalse(first.task_activity_id.exists())
