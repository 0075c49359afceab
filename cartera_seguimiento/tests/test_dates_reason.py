# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates within reason (issue 23, point 6): one check of the dates users
type (``tools/dates.py``: a whole date of a year from 1900 to 2200) with
one clear error everywhere; a follow-up dated no later than now; promises
judged as of today, an earlier day by managers only, never later, and a
decided promise never taken back to pending nor notified twice."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from ..tools import dates
from .common import CarteraCase
from .test_promise import PromiseCase

# Out of reason (9999-12-31 raised OverflowError) and impossible: all get
# the same error.
BAD_DATES = ("9999-12-31", "1899-12-31", "2201-01-01", "2020-02-30")
DATE_ERROR = r"is not a valid date \(years 1900 to 2200\)\."


def utc_in(**delta):
    return fields.Datetime.to_string(datetime.utcnow() + timedelta(**delta))


class TestDateHelpers(CarteraCase):

    def test_bounds(self):
        for value in ("1900-01-01", "2200-12-31", "2020-02-29"):
            self.assertTrue(dates.is_valid(value), value)
        for value in BAD_DATES + ("2020-01-01xyz", "2020-1-1", 20200101,
                                  None, False, "", "2020-01-01 10:00:00"):
            self.assertFalse(dates.is_valid(value), value)
        self.assertTrue(dates.is_valid("2200-12-31 23:59:59",
                                       with_time=True))
        self.assertFalse(dates.is_valid("9999-12-31 23:59:59",
                                        with_time=True))
        self.assertEqual(dates.check_date(
            self.env, datetime(2026, 3, 1, 10), "X"), "2026-03-01")
        self.assertFalse(dates.check_date(self.env, False, "X"))
        with self.assertRaises(UserError) as error:
            dates.check_date(self.env, "9999-12-31", "X")
        self.assertEqual(error.exception.name, "X: '9999-12-31' is not a "
                         "valid date (years 1900 to 2200).")

    def test_message_in_the_users_language_without_context(self):
        # An RPC call without context: the user's language, as the
        # messages of the models.
        Engine = self.env["cartera.ar.report"].sudo(
            self.collector1).with_context(lang=None)
        with self.assertRaises(UserError) as error:
            Engine.aging("9999-12-31")
        self.assertEqual(
            error.exception.name, "Fecha de corte: '9999-12-31' no es una "
            "fecha válida (años 1900 a 2200).")


class TestDatesEverywhere(CarteraCase):
    """Each place a user types a date refuses the same dates with the same
    error, instead of an OverflowError, a PostgreSQL error or storing
    1899."""

    def assertDateRefused(self, call, *args, **kwargs):
        with self.assertRaisesRegex(UserError, DATE_ERROR):
            with self.env.cr.savepoint():
                call(*args, **kwargs)

    def test_followup_fields(self):
        Followup = self.env["cartera.followup"].sudo(self.collector1)
        followup = self._followup(user=self.collector1)
        good = {"partner_id": self.customer1.id, "type_id": self.type_call.id}
        for bad in BAD_DATES:
            self.assertDateRefused(Followup.create, dict(
                good, date=bad + " 10:00:00"))
            self.assertDateRefused(Followup.create, dict(
                good, next_date=bad, next_type_id=self.type_call.id))
            self.assertDateRefused(Followup.create, dict(
                good, promise_amount=100.0, promise_date=bad))
            self.assertDateRefused(followup.write, {
                "next_date": bad, "next_type_id": self.type_call.id})
            self.assertDateRefused(followup.write, {"date": bad})
            self.assertDateRefused(Followup.search, [("day", "=", bad)])

    def test_promise_date(self):
        followup = self._followup(user=self.collector1)
        Promise = self.env["cartera.promise"].sudo(self.collector1)
        promise = Promise.create({"followup_id": followup.id,
                                  "amount": 10.0, "date": "2026-12-31"})
        for bad in BAD_DATES:
            self.assertDateRefused(Promise.create, {
                "followup_id": followup.id, "amount": 10.0, "date": bad})
            self.assertDateRefused(promise.write, {"date": bad})

    def test_report_closing_and_statement_wizards(self):
        wizards = {
            "cartera.followup.report.wizard": ("date_from", "date_to"),
            "cartera.task.report.wizard": ("date_from", "date_to"),
            "cartera.aging.report.wizard": ("date_at",),
            "cartera.movement.report.wizard": ("date_from", "date_to"),
            "cartera.history.report.wizard": ("date_from", "date_to"),
            "cartera.promise.report.wizard": ("date_from", "date_to"),
            "cartera.statement.wizard": ("date_at", "date_from", "date_to"),
            "cartera.closing.wizard": ("date_from", "date_to"),
        }
        for model, names in sorted(wizards.items()):
            user = self.manager if model == "cartera.closing.wizard" \
                else self.collector1
            Wizard = self.env[model].sudo(user)
            wizard = Wizard.create({name: "2001-01-10" for name in names})
            for name in names:
                for bad in BAD_DATES:
                    self.assertDateRefused(Wizard.create, {name: bad})
                    self.assertDateRefused(wizard.write, {name: bad})

    def test_report_engine(self):
        Engine = self.env["cartera.ar.report"].sudo(self.collector1)
        customers = self.customer1.ids
        for bad in BAD_DATES:
            for method, args in (
                    ("aging", [bad]),
                    ("movement", [bad, "2026-01-31"]),
                    ("movement", ["2026-01-01", bad]),
                    ("history", [customers, bad]),
                    ("history", [customers, None, bad]),
                    ("promises", [bad, "2026-01-31"]),
                    ("kpis", [bad, "2026-01-31"]),
                    ("kpi_months", [bad]),
                    ("statements", [bad, customers]),
                    ("statements", ["2026-01-31", customers, bad,
                                    "2026-01-31"])):
                self.assertDateRefused(getattr(Engine, method), *args)
        Followup = self.env["cartera.followup"].sudo(self.collector1)
        for bad in BAD_DATES:
            for method, args in (("listing", [bad]),
                                 ("listing", [None, bad]),
                                 ("task_listing", [bad]),
                                 ("task_listing", [None, bad])):
                self.assertDateRefused(getattr(Followup, method), *args)

    def test_evaluate(self):
        for bad in BAD_DATES:
            self.assertDateRefused(
                self.env["cartera.promise"].sudo(self.manager).evaluate, bad)


class TestFollowupNotInTheFuture(CarteraCase):

    def test_dated_tomorrow_refused(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            with self.env.cr.savepoint():
                self._followup(user=self.collector1, date=utc_in(days=1))
        followup = self._followup(user=self.collector1)
        with self.assertRaisesRegex(ValidationError, "in the future"):
            with self.env.cr.savepoint():
                followup.sudo(self.collector1).write(
                    {"date": utc_in(hours=1)})

    def test_dated_now_accepted(self):
        # Now, and a minute ahead: a client's clock a little fast.
        for date in (fields.Datetime.now(), utc_in(minutes=1)):
            self.assertEqual(self._followup(
                user=self.collector1, date=date).date, date)
        # The default is now.
        self.assertTrue(self._followup(user=self.collector1).date)

    def test_next_task_tomorrow_accepted(self):
        tomorrow = fields.Date.to_string(fields.Date.from_string(
            fields.Date.context_today(self.env["cartera.followup"].sudo(
                self.collector1))) + timedelta(days=1))
        followup = self._followup(user=self.collector1, next_date=tomorrow,
                                  next_type_id=self.type_call.id)
        self.assertEqual(followup.task_state, "pending")

    def test_users_time_zone(self):
        # Where it is already tomorrow (UTC+14): the web client sends the
        # moment in UTC, which is compared with the UTC clock.
        self.collector1.tz = "Pacific/Kiritimati"
        now = fields.Datetime.now()
        self.assertEqual(self._followup(user=self.collector1, date=now).date,
                         now)
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self._followup(user=self.collector1, date=utc_in(hours=3))


class TestEvaluationDay(PromiseCase):

    def _today(self, user):
        return fields.Date.context_today(self.Promise.sudo(user))

    def _shift(self, day, days):
        return fields.Date.to_string(
            fields.Date.from_string(day) + timedelta(days=days))

    def test_never_later_than_today(self):
        self._promise(400.0, "2026-03-05")
        for user in (self.collector1, self.manager):
            tomorrow = self._shift(self._today(user), 1)
            with self.assertRaisesRegex(UserError, "future day"):
                self.Promise.sudo(user).evaluate(tomorrow)
        with self.assertRaisesRegex(UserError, "future day"):
            self.Promise.evaluate(self._shift(self._today(self.env.user), 1))

    def test_an_earlier_day_for_managers_only(self):
        promise = self._promise(400.0, "2026-03-05")
        yesterday = self._shift(self._today(self.collector1), -1)
        with self.assertRaisesRegex(UserError, "managers"):
            self.Promise.sudo(self.collector1).evaluate(yesterday)
        self.assertEqual(self._judged(promise), ("pending", 0.0))
        self.Promise.sudo(self.manager).evaluate(yesterday)
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_today_for_collectors(self):
        promise = self._promise(400.0, "2026-03-05")
        self.Promise.sudo(self.collector1).evaluate()
        self.assertEqual(self._judged(promise), ("broken", 0.0))
        self.Promise.sudo(self.collector1).evaluate(
            self._today(self.collector1))
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_decided_promise_not_back_to_pending_nor_notified_twice(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(100.0, "2026-03-02")

        def notices():
            activities = self.env["mail.activity"].search([
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer1.id),
                ("activity_type_id", "=", self.env.ref(
                    "cartera_seguimiento.mail_activity_promise_broken").id)])
            # The note is filed on the promise's follow-up (private to
            # those who see the customer), not on the customer.
            promise.followup_id.invalidate_cache()
            lines = promise.followup_id.message_ids.filtered(
                lambda m: "Cumplido parcialmente" in (m.body or ""))
            return len(activities), len(lines)

        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("partial", 100.0))
        self.assertEqual(notices(), (1, 1))
        # Judged again as of a day before its due date (and grace), then
        # as of the later day again: decided it stays, notified once.
        counts = self._evaluate("2026-03-04")
        self.assertEqual(self._judged(promise), ("partial", 100.0))
        self.assertEqual(counts["pending"], 0)
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("partial", 100.0))
        self.assertEqual(notices(), (1, 1))
        # The daily job, as of today, neither.
        self.Promise._cron_evaluate()
        self.Promise.invalidate_cache()
        self.assertEqual(self._judged(promise), ("partial", 100.0))
        self.assertEqual(notices(), (1, 1))

    def test_an_absurd_date_recorded_before_does_not_stop_the_judgement(self):
        # Recorded before dates were checked: 9999-12-31 plus the grace
        # days overflowed and stopped every promise's judgement.
        legacy = self._promise(400.0, "2026-03-05")
        other = self._promise(300.0, "2026-03-05")
        self.env.cr.execute(
            "UPDATE cartera_promise SET date = '9999-12-31' WHERE id = %s",
            (legacy.id,))
        self.Promise.invalidate_cache()
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(other), ("broken", 0.0))
        self.assertEqual(self._judged(legacy), ("pending", 0.0))
