# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Collection runs: which open items reach which level, on hand-computed
cases.

The plan has five levels: L1 at -5 days (preventive), L2 at 1, L3 at 30
(minimum amount 500), L4 at 60, the prior notice of Ley 1266 (5 days
since the previous level, so a second notice comes 5 days after the first
at the earliest), L5 at 90, the report to the credit bureaus. The minimum
wage is 1.750.905: a debt of at most 262.635,75 is small (two notices).

Sending is not this module's part (``action_send``): a test that needs a
level's communication to have left marks its lines ``sent`` as superuser,
which is what sending does to them; the run leaves them ``queued``."""
import threading
import time
from datetime import timedelta
from unittest import mock

import psycopg2

from odoo import SUPERUSER_ID, api, fields, registry
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import (
    TransactionCase, at_install, get_db_name, post_install)
from odoo.tools import mute_logger

from .common import CarteraCase

WAGE = 1750905.0
SMALL = 262635.75  # 15 % of WAGE


def make_plan(env, name="Plan de prueba", **values):
    """The five-level plan of the module's docstring."""
    levels = [
        ("L1 Recordatorio", "preventive", -5, 0, 0.0, {}),
        ("L2 Primer cobro", "administrative", 1, 3, 0.0, {}),
        ("L3 Segundo cobro", "administrative", 30, 0, 500.0, {}),
        ("L4 Aviso Ley 1266", "prelegal", 60, 5, 0.0,
         {"bureau_notice": True, "print_letter": True}),
        ("L5 Reporte a centrales", "legal", 90, 0, 0.0,
         {"bureau_report": True}),
    ]
    return env["cartera.dunning.plan"].create(dict({
        "name": name, "sequence": 1, "partner_domain": "[]",
        "level_ids": [(0, 0, dict({
            "sequence": (index + 1) * 10, "name": level_name,
            "stage": stage, "days": days,
            "min_days_since_previous": gap, "min_amount": amount,
        }, **extra)) for index, (level_name, stage, days, gap, amount, extra)
            in enumerate(levels)],
    }, **values))


class DunningCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(DunningCase, cls).setUpClass()
        cls.Run = cls.env["cartera.dunning.run"]
        cls.Line = cls.env["cartera.dunning.line"]
        cls.company.cartera_minimum_wage = WAGE
        cls.company.cartera_promise_grace_days = 3
        cls.plan = make_plan(cls.env)
        cls.L1, cls.L2, cls.L3, cls.L4, cls.L5 = cls.plan.level_ids.sorted(
            "sequence")
        # The customers of common.py follow this plan too (their own
        # plan wins over any other of the database).
        (cls.customer1 | cls.customer2).write(
            {"cartera_dunning_plan_id": cls.plan.id})

    @classmethod
    def _customer(cls, name, user=None):
        return cls.env["res.partner"].create({
            "name": name, "customer": True, "is_company": True,
            "user_id": (user or cls.collector1).id,
            "cartera_dunning_plan_id": cls.plan.id})

    @classmethod
    def _invoice(cls, partner, amount, date_invoice, date_due):
        return cls._create_invoice(partner, amount, date_invoice=date_invoice,
                                   date_due=date_due)

    @staticmethod
    def _item(invoice):
        return invoice.move_id.line_ids.filtered(
            lambda l: l.account_id == invoice.account_id)

    def _run(self, date, user=None):
        """The user's (the manager's) run of ``date``, computed; its
        lines."""
        run = self.Run.sudo(user or self.manager)._start(date)
        run.action_compute()
        return run.sudo().line_ids

    def _levels(self, lines, *invoices):
        """{invoice: level} of ``lines`` for ``invoices``."""
        result = {}
        for invoice in invoices:
            mine = lines.filtered(lambda l: l.move_line_id == self._item(
                invoice))
            self.assertLessEqual(len(mine), 1)
            result[invoice] = mine.level_id
        return result

    def _level(self, lines, invoice):
        return self._levels(lines, invoice)[invoice]

    def _sent(self, lines):
        # What action_send does to a line whose communication left.
        lines.sudo().write({"state": "sent"})


class TestLadder(DunningCase):

    @classmethod
    def setUpClass(cls):
        super(TestLadder, cls).setUpClass()
        cls.big = cls._customer("Cliente grande")
        # Due on 2025-12-01: L1 from 11-26, L2 from 12-02, L3 from
        # 12-31, L4 from 2026-01-30, L5 from 2026-03-01.
        cls.invoice = cls._invoice(cls.big, 1000000.0, "2025-11-01",
                                   "2025-12-01")

    def _climb_to_l3(self, *invoices):
        for date, level in (("2025-11-26", self.L1), ("2025-12-02", self.L2),
                            ("2025-12-31", self.L3)):
            lines = self._run(date)
            for invoice in invoices:
                self.assertEqual(self._level(lines, invoice), level, date)
            self._sent(lines)

    def test_one_level_per_run_and_the_notice_gate(self):
        # Five days before its due date: nothing the day before.
        self.assertFalse(self._level(self._run("2025-11-25"), self.invoice))
        lines = self._run("2025-11-26")
        line = lines.filtered(
            lambda l: l.move_line_id == self._item(self.invoice))
        self.assertEqual(line.level_id, self.L1)
        # What the line records.
        self.assertEqual(line.state, "queued")
        self.assertEqual(line.date, "2025-11-26")
        self.assertEqual(line.date_due, "2025-12-01")
        self.assertEqual(line.days_overdue, -5)
        self.assertEqual(line.amount_due, 1000000.0)
        self.assertEqual(line.partner_id, self.big)
        self.assertEqual(line.user_id, self.collector1)
        self.assertEqual(line.invoice_id, self.invoice)
        self.assertEqual(line.company_id, self.company)
        self.assertEqual(line.plan_id, self.plan)
        self.assertEqual(line.stage, "preventive")
        # Pending (not sent yet): the item gets nothing more.
        self.assertFalse(self._level(self._run("2025-12-05"), self.invoice))
        self._sent(line)
        # The same day again: the same run, nothing new.
        run = self.Run.sudo(self.manager)._start("2025-11-26")
        self.assertEqual(run, line.run_id)
        run.action_compute()
        self.assertEqual(len(run.sudo().line_ids.filtered(
            lambda l: l.move_line_id == self._item(self.invoice))), 1)
        # 2025-12-05 (4 days overdue) once sent: L2.
        # 2026-01-15 (45 days): L3 only, one level a run, not L4.
        # 2026-03-02 (91 days): L4, the notice, not the report.
        for date, level in (("2025-12-05", self.L2), ("2026-01-15", self.L3),
                            ("2026-03-02", self.L4)):
            lines = self._run(date)
            self.assertEqual(self._level(lines, self.invoice), level, date)
            self._sent(lines)
        # Notice sent on 2026-03-02: the report from 2026-03-23, not
        # 2026-03-22 (20 calendar days must pass).
        for date in ("2026-03-03", "2026-03-22"):
            self.assertFalse(self._level(self._run(date), self.invoice), date)
        lines = self._run("2026-03-23")
        self.assertEqual(self._level(lines, self.invoice), self.L5)
        self.assertTrue(lines.filtered("bureau_report"))
        self._sent(lines)
        # The top of the ladder: nothing more.
        self.assertFalse(self._level(self._run("2026-06-01"), self.invoice))

    def test_notice_counts_from_the_day_it_left(self):
        # A notice reviewed before sending leaves after its line's date:
        # the 20 days count from the day it was sent.
        self._climb_to_l3(self.invoice)
        lines = self._run("2026-03-02")
        self.assertEqual(self._level(lines, self.invoice), self.L4)
        lines.sudo().write({"state": "sent", "date_sent": "2026-03-05"})
        for date in ("2026-03-23", "2026-03-25"):
            self.assertFalse(self._level(self._run(date), self.invoice), date)
        self.assertEqual(self._level(self._run("2026-03-26"), self.invoice),
                         self.L5)

    def test_notice_not_sent_holds_the_report(self):
        self._climb_to_l3(self.invoice)
        lines = self._run("2026-03-02")
        self.assertEqual(self._level(lines, self.invoice), self.L4)
        # The notice waits for validation or sending (pending), then is
        # cancelled: no notice left, the report is never reached; the
        # item is at L3 again and reaches the notice anew.
        self.assertFalse(self._level(self._run("2026-04-01"), self.invoice))
        lines.sudo().write({"state": "cancelled"})
        lines = self._run("2026-04-02")
        self.assertEqual(self._level(lines, self.invoice), self.L4)

    def test_days_since_previous_level_and_minimum_amount(self):
        late = self._invoice(self.big, 300.0, "2025-11-01", "2025-12-01")
        # L1 first reached on the due date: L2 (3 days since the
        # previous level) on 12-04, not 12-02 nor 12-03.
        lines = self._run("2025-12-01")
        self.assertEqual(self._level(lines, late), self.L1)
        self._sent(lines)
        for date in ("2025-12-02", "2025-12-03"):
            self.assertFalse(self._level(self._run(date), late), date)
        lines = self._run("2025-12-04")
        self.assertEqual(self._level(lines, late), self.L2)
        self._sent(lines)
        # 300 is under L3's minimum of 500: it stays at L2, as long as
        # it is open (the big invoice climbs).
        lines = self._run("2026-01-15")
        self.assertFalse(self._level(lines, late))
        self.assertEqual(self._level(lines, self.invoice), self.L3)

    def test_small_debt_needs_two_notices(self):
        # 262.635,75 is 15 % of the minimum wage: a small debt. One cent
        # more is not.
        small = self._invoice(self._customer("Deuda pequeña"), SMALL,
                              "2025-11-01", "2025-12-01")
        above = self._invoice(self._customer("Deuda no tan pequeña"),
                              SMALL + 0.01, "2025-11-01", "2025-12-01")
        self._climb_to_l3(small, above)
        lines = self._run("2026-03-02")
        self.assertEqual(self._levels(lines, small, above),
                         {small: self.L4, above: self.L4})
        self._sent(lines)
        # The notice level repeats for the small debt, 5 days (its days
        # since the previous level) after the first notice.
        lines = self._run("2026-03-06")
        self.assertEqual(self._levels(lines, small, above),
                         {small: self.Line.level_id, above: self.Line.level_id})
        lines = self._run("2026-03-07")
        self.assertEqual(self._levels(lines, small, above),
                         {small: self.L4, above: self.Line.level_id})
        self._sent(lines)
        # The report: 21 days after the first notice for the larger debt,
        # after the second for the small one (2026-03-28).
        lines = self._run("2026-03-23")
        self.assertEqual(self._levels(lines, small, above),
                         {small: self.Line.level_id, above: self.L5})
        self.assertFalse(self._level(self._run("2026-03-27"), small))
        lines = self._run("2026-03-28")
        self.assertEqual(self._level(lines, small), self.L5)
        history = self.Line.sudo().search(
            [("move_line_id", "=", self._item(small).id)], order="date")
        self.assertEqual(history.mapped("level_id").ids, [
            self.L1.id, self.L2.id, self.L3.id, self.L4.id, self.L5.id])
        self.assertEqual(history.mapped("date"), [
            "2025-11-26", "2025-12-02", "2025-12-31", "2026-03-02",
            "2026-03-07", "2026-03-28"])

    def test_small_debt_is_the_customers_whole_debt(self):
        # Two small invoices, 400.000 together: not a small debt, one
        # notice is enough.
        customer = self._customer("Dos facturas pequeñas")
        first = self._invoice(customer, 200000.0, "2025-11-01", "2025-12-01")
        self._invoice(customer, 200000.0, "2026-02-01", "2026-12-01")
        self._climb_to_l3(first)
        lines = self._run("2026-03-02")
        self.assertEqual(self._level(lines, first), self.L4)
        self._sent(lines)
        self.assertEqual(self._level(self._run("2026-03-23"), first), self.L5)

    def test_two_items_of_one_customer_each_at_its_level(self):
        customer = self._customer("Dos facturas")
        old = self._invoice(customer, 800000.0, "2025-11-01", "2026-01-01")
        # L1 on 12-27, L2 on 2026-01-02, L3 on 01-31.
        for date, level in (("2025-12-27", self.L1), ("2026-01-02", self.L2),
                            ("2026-01-31", self.L3)):
            lines = self._run(date)
            self.assertEqual(self._level(lines, old), level)
            self._sent(lines)
        recent = self._invoice(customer, 150000.0, "2026-02-15", "2026-03-07")
        # 2026-03-12: the old one 70 days overdue, the recent one 5.
        lines = self._run("2026-03-12")
        self.assertEqual(self._levels(lines, old, recent),
                         {old: self.L4, recent: self.L1})
        mine = lines.filtered(lambda l: l.partner_id == customer)
        self.assertEqual(len(mine), 2)
        self.assertEqual(sorted(mine.mapped("days_overdue")), [5, 70])

    def test_paid_item_reaches_nothing(self):
        paid = self._invoice(self.big, 5000.0, "2025-11-01", "2025-12-01")
        bank = self.env["account.journal"].search([
            ("company_id", "=", self.company.id), ("type", "=", "bank")],
            limit=1)
        vals = paid._prepare_payment_vals(bank, 5000.0, "2025-11-20")
        vals["currency_id"] = paid.currency_id.id
        self.env["account.payment"].create(vals).post()
        lines = self._run("2025-11-26")
        self.assertFalse(self._level(lines, paid))
        self.assertEqual(self._level(lines, self.invoice), self.L1)
        # The payment's credit item is no collectable item either.
        self.assertFalse(lines.filtered(lambda l: l.amount_due <= 0))


class TestPauses(DunningCase):

    @classmethod
    def setUpClass(cls):
        super(TestPauses, cls).setUpClass()
        cls.customer = cls._customer("Cliente en pausa")
        # Due 2026-01-01: L1 on 12-27, L2 on 01-02, L3 from 01-31.
        cls.invoice = cls._invoice(cls.customer, 1000000.0, "2025-11-01",
                                   "2026-01-01")
        cls.other = cls._invoice(cls.customer, 900000.0, "2025-11-01",
                                 "2026-01-01")

    def setUp(self):
        super(TestPauses, self).setUp()
        for date in ("2025-12-27", "2026-01-02"):
            self._sent(self._run(date))

    def _promise(self, date, invoices=None):
        followup = self._followup(
            user=self.collector1, date="2026-02-01 15:00:00",
            partner_id=self.customer.id, type_id=self.type_promise.id)
        values = {"followup_id": followup.id, "amount": 100000.0,
                  "date": date}
        if invoices:
            values["invoice_ids"] = [(6, 0, invoices.ids)]
        return self.env["cartera.promise"].sudo(self.collector1).create(
            values)

    def test_promise_pauses_until_its_date_and_grace(self):
        promise = self._promise("2026-02-10", self.invoice)
        # Held up to 02-13 (3 grace days); the invoice it does not name
        # climbs.
        lines = self._run("2026-02-05")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.Line.level_id,
                          self.other: self.L3})
        self.assertFalse(self._level(self._run("2026-02-13"), self.invoice))
        # Broken (nothing paid): the ladder resumes where it stopped.
        self.env["cartera.promise"].sudo(self.manager).evaluate("2026-02-14")
        promise.invalidate_cache()
        self.assertEqual(promise.state, "broken")
        self.assertEqual(self._level(self._run("2026-02-14"), self.invoice),
                         self.L3)

    def test_promise_without_documents_holds_every_item(self):
        self._promise("2026-02-10")
        lines = self._run("2026-02-05")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.Line.level_id,
                          self.other: self.Line.level_id})
        # After its date and grace, even before the evaluation judges it.
        lines = self._run("2026-02-14")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.L3, self.other: self.L3})

    def test_dispute_pauses_until_it_expires(self):
        dispute = self.env["cartera.dispute"].create({
            "invoice_id": self.invoice.id, "amount": 200000.0,
            "reason": "price", "date_open": "2026-01-20",
            "date_expiry": "2026-03-31"})
        lines = self._run("2026-02-05")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.Line.level_id,
                          self.other: self.L3})
        # Expired: what the disputes' own expiry does (its state, and
        # the invoice's items unblocked), written here in SQL so as not
        # to depend on those methods.
        self.env.cr.execute(
            "UPDATE cartera_dispute SET state = 'expired' WHERE id = %s",
            (dispute.id,))
        self.env.cr.execute(
            "UPDATE account_move_line SET blocked = FALSE "
            "WHERE invoice_id = %s", (self.invoice.id,))
        self.env.cache.invalidate()
        self.assertEqual(self._level(self._run("2026-02-06"), self.invoice),
                         self.L3)

    def test_blocked_item_does_not_climb(self):
        self._item(self.invoice).write({"blocked": True})
        lines = self._run("2026-02-05")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.Line.level_id,
                          self.other: self.L3})
        self._item(self.invoice).write({"blocked": False})
        self.assertEqual(self._level(self._run("2026-02-06"), self.invoice),
                         self.L3)

    def test_customer_excluded_until_a_day(self):
        # The contact's commercial partner decides.
        self.customer.cartera_collection_excluded_until = "2026-02-05"
        lines = self._run("2026-02-05")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.Line.level_id,
                          self.other: self.Line.level_id})
        lines = self._run("2026-02-06")
        self.assertEqual(self._levels(lines, self.invoice, self.other),
                         {self.invoice: self.L3, self.other: self.L3})


class TestPlans(DunningCase):

    def test_validate_lines_makes_drafts(self):
        customer = self._customer("Cliente con revisión")
        plan = make_plan(self.env, "Con revisión", validate_lines=True)
        customer.cartera_dunning_plan_id = plan
        invoice = self._invoice(customer, 1000.0, "2025-11-01", "2025-12-01")
        line = self._run("2025-11-26").filtered(
            lambda l: l.partner_id == customer)
        self.assertEqual(line.level_id, plan.level_ids.sorted("sequence")[0])
        self.assertEqual(line.state, "draft")
        self.assertEqual(line.invoice_id, invoice)

    def test_default_plan_and_archived_plan(self):
        customer = self._customer("Cliente sin plan")
        customer.cartera_dunning_plan_id = False
        invoice = self._invoice(customer, 1000.0, "2025-11-01", "2025-12-01")
        # No other plan in the way: the company's default.
        self.env["cartera.dunning.plan"].search(
            [("id", "!=", self.plan.id)]).write({"active": False})
        self.plan.partner_domain = "[('id', '=', 0)]"
        self.company.cartera_dunning_plan_id = self.plan
        self.assertEqual(self._level(self._run("2025-11-26"), invoice),
                         self.L1)
        # An archived plan's levels are not reached.
        self._sent(self.Line.sudo().search([("partner_id", "=", customer.id)]))
        self.plan.active = False
        self.assertFalse(self._level(self._run("2025-12-05"), invoice))

    def test_query_count_does_not_grow_with_items(self):
        customer = self._customer("Pocas facturas")
        for _index in range(2):
            self._invoice(customer, 1000.0, "2025-05-01", "2025-06-01")
        many = [self._customer("Muchas facturas %d" % index)
                for index in range(10)]
        for partner in many:
            for _index in range(3):
                self._invoice(partner, 1000.0, "2025-07-01", "2025-08-01")
        # Warm the caches (groups, sequences, the rules).
        self._run("2025-04-01")

        def queries(date):
            run = self.Run.sudo(self.manager)._start(date)
            self.env.cache.invalidate()
            before = self.env.cr.sql_log_count
            run.action_compute()
            return self.env.cr.sql_log_count - before, len(
                run.sudo().line_ids.filtered(
                    lambda l: l.partner_id in many or l.partner_id ==
                    customer))

        small = queries("2025-05-28")
        large = queries("2025-07-28")
        self.assertEqual(small[1], 2)
        self.assertEqual(large[1], 30)
        self.assertEqual(small[0], large[0])
        # The selection is 10 of them; the rest the run's chatter line.
        self.assertLess(large[0], 60)


class TestAccess(DunningCase):

    @classmethod
    def setUpClass(cls):
        super(TestAccess, cls).setUpClass()
        # The collectors' today (Bogotá), as the runs compute it.
        cls.today = fields.Date.context_today(
            cls.env["cartera.dunning.run"].sudo(cls.collector1))
        # Due in 5 days: L1 today, for customer 1 (collector 1) and
        # customer 2 (collector 2).
        due = fields.Date.to_string(
            fields.Date.from_string(cls.today) + timedelta(days=5))
        cls.mine = cls._invoice(cls.customer1, 1000.0, cls.today, due)
        cls.theirs = cls._invoice(cls.customer2, 1000.0, cls.today, due)

    def test_collector_runs_their_customers_only(self):
        lines = self._run(self.today, self.collector1)
        self.assertEqual(self._levels(lines, self.mine, self.theirs),
                         {self.mine: self.L1, self.theirs: self.Line.level_id})
        self.assertFalse(lines.filtered(
            lambda l: l.partner_id.user_id != self.collector1))
        run = lines.mapped("run_id")
        self.assertEqual(run.user_id, self.collector1)
        # Collector 2 neither sees nor computes it.
        with self.assertRaises(AccessError):
            run.sudo(self.collector2).action_compute()
        with self.assertRaises(AccessError):
            run.sudo(self.collector2).read(["state"])
        # The manager's run the same day finds collector 2's item only.
        lines = self._run(self.today)
        self.assertEqual(self._levels(lines, self.mine, self.theirs),
                         {self.mine: self.Line.level_id,
                          self.theirs: self.L1})

    def test_collector_cannot_forge_a_run(self):
        Run = self.Run.sudo(self.collector1)
        for values in ({"date": self.today},
                       {"date": self.today, "user_id": self.collector2.id},
                       {"date": self.today, "state": "done"}):
            with self.assertRaises((AccessError, UserError)):
                Run.create(values)
        run = Run._start(self.today)
        for values in ({"user_id": self.collector2.id}, {"state": "done"},
                       {"date": "2026-01-01"}, {"company_id": 1}):
            with self.assertRaises((AccessError, UserError)):
                run.write(values)
        # Only today for a collector; never a day after today.
        with self.assertRaises(UserError):
            Run._start("2020-01-01")
        with self.assertRaises(UserError):
            self.Run.sudo(self.manager)._start("2200-01-01")
        with self.assertRaises(UserError):
            self.Run.sudo(self.manager)._start("2026-02-30")
        # An accountant is no collector.
        with self.assertRaises(AccessError):
            self.Run.sudo(self.accountant)._start(self.today)

    def test_wizard_computes_and_opens_the_run(self):
        wizard = self.env["cartera.dunning.run.wizard"].sudo(
            self.collector1).create({})
        self.assertEqual(wizard.date, self.today)
        action = wizard.action_run()
        run = self.Run.browse(action["res_id"])
        self.assertEqual(action["res_model"], "cartera.dunning.run")
        self.assertEqual(run.user_id, self.collector1)
        self.assertEqual(run.state, "computed")
        self.assertEqual(self._level(run.line_ids, self.mine), self.L1)
        # Again: the same run, nothing new.
        count = len(run.line_ids)
        again = self.env["cartera.dunning.run.wizard"].sudo(
            self.collector1).create({}).action_run()
        self.assertEqual(again["res_id"], run.id)
        run.invalidate_cache()
        self.assertEqual(len(run.line_ids), count)
        with self.assertRaises(UserError):
            self.env["cartera.dunning.run.wizard"].sudo(
                self.collector1).create({"date": "2026-13-01"})

    def test_run_killed_midway_resumes(self):
        # A failure after the lines were written (here: the chatter line)
        # takes them back with it; the next call computes the run whole.
        run = self.Run.sudo(self.manager)._start(self.today)
        with mock.patch.object(type(self.Run), "_post",
                               side_effect=RuntimeError("killed")):
            with self.assertRaises(RuntimeError):
                run.action_compute()
        run.invalidate_cache()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.sudo().line_ids)
        run.action_compute()
        self.assertEqual(run.state, "computed")
        self.assertEqual(self._level(run.sudo().line_ids, self.mine), self.L1)

    def test_sent_run_is_not_computed_again(self):
        run = self.Run.sudo(self.manager)._start(self.today)
        run.sudo().state = "done"
        with self.assertRaises(UserError):
            run.action_compute()

    def test_cron_makes_one_run_a_day(self):
        # The cron's compute only (the sending is action_send's part):
        # one run of today for the company, computed once.
        # The manager stands for the cron's user (a live server's cron
        # may have run today as the administrator already).
        Run = self.Run.sudo()
        run = Run._run_for(Run._company_today(self.company), self.company,
                           self.manager)
        run._compute()
        self.assertEqual(self._level(run.line_ids, self.mine), self.L1)
        self.assertEqual(Run._run_for(run.date, self.company, self.manager),
                         run)
        self.assertEqual(run._compute(), 0)


# ----------------------------------------------------------------------
# Two transactions at once: the world must be committed for both to see
# it. Created before the test's own transaction and removed afterwards.
# ----------------------------------------------------------------------
def _committed(function):
    with registry(get_db_name()).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        return function(env)


@at_install(False)
@post_install(True)
class TestTwoTransactions(TransactionCase):
    """Two servers computing at once: the second stops at once on the same
    run, and never writes a line the first wrote."""

    def setUp(self):
        self.world = _committed(self._build)
        self.addCleanup(_committed, self._remove)
        super(TestTwoTransactions, self).setUp()

    def _build(self, env):
        company = env.ref("base.main_company")
        plan = make_plan(env, "Plan concurrente")
        partner = env["res.partner"].create({
            "name": "Cliente concurrente", "customer": True,
            "is_company": True, "cartera_dunning_plan_id": plan.id})
        account = env["account.account"].search([
            ("company_id", "=", company.id), ("user_type_id", "=", env.ref(
                "account.data_account_type_revenue").id)], limit=1)
        invoice = env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_invoice",
            "date_invoice": "2000-11-01", "date_due": "2000-12-01",
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": 1000.0,
                "account_id": account.id, "invoice_line_tax_ids": []})]})
        invoice.action_invoice_open()
        # Two runs whose item reaches L1 (from 2000-11-26): the pending
        # line's index is what they meet on.
        Run = env["cartera.dunning.run"]
        runs = [Run.create({"date": date, "company_id": company.id,
                            "user_id": env.uid})
                for date in ("2000-11-26", "2000-11-27")]
        return {"plan": plan.id, "partner": partner.id,
                "invoice": invoice.id, "move": invoice.move_id.id,
                "runs": [run.id for run in runs]}

    def _remove(self, env):
        world, cr = self.world, env.cr
        cr.execute("DELETE FROM cartera_dunning_line WHERE run_id IN %s",
                   (tuple(world["runs"]),))
        cr.execute("DELETE FROM mail_followers WHERE res_model = "
                   "'cartera.dunning.run' AND res_id IN %s",
                   (tuple(world["runs"]),))
        cr.execute("DELETE FROM mail_message WHERE model = "
                   "'cartera.dunning.run' AND res_id IN %s",
                   (tuple(world["runs"]),))
        cr.execute("DELETE FROM cartera_dunning_run WHERE id IN %s",
                   (tuple(world["runs"]),))
        cr.execute("DELETE FROM account_invoice WHERE id = %s",
                   (world["invoice"],))
        cr.execute("DELETE FROM account_move WHERE id = %s", (world["move"],))
        cr.execute("DELETE FROM cartera_dunning_plan WHERE id = %s",
                   (world["plan"],))
        try:
            with cr.savepoint():
                cr.execute("DELETE FROM res_partner WHERE id = %s",
                           (world["partner"],))
        except psycopg2.IntegrityError:
            cr.execute("UPDATE res_partner SET active = FALSE "
                       "WHERE id = %s", (world["partner"],))

    def _lines(self):
        return _committed(lambda env: env["cartera.dunning.line"].search(
            [("move_line_id.invoice_id", "=", self.world["invoice"])]
        ).mapped(lambda l: (l.run_id.id, l.level_id.name, l.date)))

    def test_same_run_twice_stops_at_once(self):
        run_id = self.world["runs"][0]
        with registry(get_db_name()).cursor() as other:
            other.execute("SELECT id FROM cartera_dunning_run WHERE id = %s "
                          "FOR UPDATE", (run_id,))
            started = time.time()
            with self.assertRaises(UserError):
                self.env["cartera.dunning.run"].browse(run_id)._compute()
            self.assertLess(time.time() - started, 5)
            other.rollback()

    def test_two_runs_at_once_write_one_line(self):
        first_id, second_id = self.world["runs"]
        outcome = {}

        def second():
            # The other server: its transaction starts before the first
            # commits, then waits on the item's pending line.
            with api.Environment.manage(), \
                    registry(get_db_name()).cursor() as cr:
                outcome["pid"] = cr._cnx.get_backend_pid()
                env = api.Environment(cr, SUPERUSER_ID, {})
                run = env["cartera.dunning.run"].browse(second_id)
                # Its snapshot, taken by its first statement: before the
                # first commits.
                cr.execute("SELECT 1")
                try:
                    with mute_logger("odoo.sql_db"):
                        outcome["count"] = run._compute()
                    cr.commit()  # pylint: disable=invalid-commit
                except psycopg2.OperationalError as error:
                    outcome["error"] = error.pgcode
                    cr.rollback()
                    env.clear()
                    # What Odoo does with a serialization failure: the
                    # request again, in a new transaction.
                    outcome["retry"] = env["cartera.dunning.run"].browse(
                        second_id)._compute()
                    cr.commit()  # pylint: disable=invalid-commit

        with registry(get_db_name()).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["cartera.dunning.run"].browse(first_id)._compute(), 1)
            thread = threading.Thread(target=second)
            thread.start()
            # The second waits for the first's line (a lock), then the
            # first commits.
            deadline = time.time() + 30
            waiting = False
            while time.time() < deadline and not waiting:
                time.sleep(0.2)
                if "pid" in outcome:
                    waiting = _committed(lambda e: e.cr.execute(
                        "SELECT wait_event_type FROM pg_stat_activity "
                        "WHERE pid = %s", (outcome["pid"],)) or
                        e.cr.fetchone()[0] == "Lock")
            cr.commit()  # pylint: disable=invalid-commit
        thread.join(60)
        self.assertTrue(waiting)
        # One line, the first's: the second skipped it or failed on it
        # and, again, found nothing to write.
        self.assertEqual(self._lines(),
                         [(first_id, "L1 Recordatorio", "2000-11-26")])
        self.assertTrue(outcome.get("count") == 0 or (
            outcome.get("error") == "40001" and outcome.get("retry") == 0),
            outcome)
