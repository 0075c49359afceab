# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixes found by the live reliability tests (tests/test_stress_*.py),
each pinned here at the level of the model."""
from datetime import date, datetime

from odoo.exceptions import UserError

from ..models.cartera_followup import NOTE_MAX_LENGTH
from .common import CarteraCase


class TestReliability(CarteraCase):

    def test_task_completed_by_collector_without_email(self):
        """Found by test_stress_load: a collector without an e-mail address
        recording the follow-up that completes another user's task got
        "Unable to send email" (action_feedback posts through the mail
        composer, whose default sender needs the user's address)."""
        # The task is completed as the user who records the follow-up
        # (test_task_completion.py): neither they nor the one who left it
        # nor the superuser may have an address.
        self.collector1.email = False
        self.collector2.email = False
        self.env.ref("base.user_root").email = False
        # collector2 helps on collector1's customer and leaves a task...
        first = self._followup(
            user=self.collector2, next_date="2026-01-15",
            date="2026-01-10 15:00:00", next_type_id=self.type_call.id)
        # ...which collector1, the customer's salesperson, completes.
        self._followup(user=self.collector1, date="2026-01-15 16:00:00")
        self.assertEqual(first.task_state, "done")
        self.assertFalse(first.task_activity_id.exists())

    def test_wrong_types_are_refused_clearly(self):
        """Found by test_stress_badinput: wrong types reached the ORM and
        failed there (KeyError, PostgreSQL DataError) or were stored (a
        number as a date); now a UserError names the field."""
        Followup = self.env["cartera.followup"].sudo(self.collector1)
        before = Followup.search_count([])
        for values in ({"partner_id": "abc"}, {"partner_id": 1.5},
                       {"partner_id": [1, 2]}, {"type_id": {"id": 1}},
                       {"date": 20260101}, {"date": "2026-02-30 10:00:00"},
                       {"date": "2026-01-01 25:61:00"},
                       {"next_date": "2026-02-30",
                        "next_type_id": self.type_call.id},
                       {"notes": {"a": 1}}, {"notes": "x" * (1 << 20)}):
            with self.assertRaises(UserError):
                self._followup(user=self.collector1, **values)
        followup = self._followup(user=self.collector1)
        with self.assertRaises(UserError):
            followup.write({"date": [2026, 1, 1]})
        with self.assertRaises(UserError):
            followup.write({"next_note": "y" * (NOTE_MAX_LENGTH + 1)})
        self.assertEqual(Followup.search_count([]), before + 1)

    def test_valid_values_still_accepted(self):
        """Date objects and long-but-reasonable notes pass."""
        followup = self._followup(
            date=datetime(2026, 1, 10, 15, 0),
            next_date=date(2026, 1, 20), next_type_id=self.type_call.id,
            notes="n" * NOTE_MAX_LENGTH)
        self.assertEqual(followup.date, "2026-01-10 15:00:00")
        self.assertEqual(followup.next_date, "2026-01-20")
