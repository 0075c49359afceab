# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Late-payment interest (issue 26) on hand-computed fixtures: the
certified rates and their legal maximum, both day conventions, partial
payments, holidays, a missing month, an agreed rate above the cap, an
exempt customer, billed days and the collectors' scope; the base of every
day equals the aging's amount due.

The hand-checked example of the issue: $10.000.000 due Monday 2026-02-16,
paid on 2026-03-17. Mora from 2026-02-17: 12 days of February (17 to 28)
and 17 of March (1 to 17, the payment day included), at the caps 25,23 %
(February, 1.5 x 16,82 %) and 25,52 % (March, 1.5 x 17,01 = 25,515 rounded
half-up):

    365: day rate (1 + EA)^(1/365) - 1
         February 1.2523^(1/365) - 1 = 0.000616579 x 12 x 10.000.000
                  = 73.989,44
         March    1.2552^(1/365) - 1 = 0.000622920 x 17 x 10.000.000
                  = 105.896,36
         total 179.885,80
    360: day rate ((1 + EA)^(1/12) - 1) / 30
         February (1.2523^(1/12) - 1) / 30 = 0.000630845 x 12 x 10.000.000
                  = 75.701,38
         March    (1.2552^(1/12) - 1) / 30 = 0.000637392 x 17 x 10.000.000
                  = 108.356,68
         total 184.058,06
"""
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import SPANISH, CarteraCase

# The certified bank rates (EA %) the tests type, and their maximum.
RATES = {
    "2026-01-01": 16.90,   # 25.35
    "2026-02-01": 16.82,   # 25.23
    "2026-03-01": 17.01,   # 25.515 -> 25.52
    "2026-04-01": 17.10,   # 25.65
    "2026-05-01": 17.05,   # 25.575 -> 25.58
    "2026-06-01": 16.24,   # 24.36
}
D = "2026-06-30"


class InterestCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(InterestCase, cls).setUpClass()
        cls.engine = cls.env["cartera.ar.report"]
        cls.Rate = cls.env["cartera.interest.rate"]
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        # Only the rates below (a database's demo rates would be the same
        # months).
        cls.Rate.search([("company_id", "=", cls.company.id)]).unlink()
        cls.rates = {day: cls.Rate.create({
            "date": day, "bank_rate": rate,
            "name": "Resolución de prueba %s" % day[:7]})
            for day, rate in RATES.items()}
        cls.company.write({"cartera_interest_policy": "legal",
                           "cartera_interest_days": "365",
                           "cartera_interest_rate": 0.0})
        Partner = cls.env["res.partner"]

        def customer(name, collector):
            return Partner.create({"name": name, "customer": True,
                                   "is_company": True,
                                   "user_id": collector.id})
        cls.monday = customer("Mora Lunes", cls.collector1)
        cls.sunday = customer("Mora Domingo", cls.collector2)
        cls.partial = customer("Mora Parcial", cls.collector1)
        cls.holiday = customer("Mora Festivo", cls.collector2)
        # The example, due on a Monday and on a Sunday.
        cls.inv_monday = cls._invoice(cls.monday, 10000000, "2026-02-16")
        cls._pay(cls.inv_monday, 10000000, "2026-03-17")
        cls.inv_sunday = cls._invoice(cls.sunday, 10000000, "2026-02-15")
        cls._pay(cls.inv_sunday, 10000000, "2026-03-17")
        # 1.000.000 due Wednesday 2026-04-15: 400.000 paid on the 20th,
        # the rest on Sunday 2026-05-10.
        cls.inv_partial = cls._invoice(cls.partial, 1000000, "2026-04-15")
        cls._pay(cls.inv_partial, 400000, "2026-04-20")
        cls._pay(cls.inv_partial, 600000, "2026-05-10")
        # Due on Maundy Thursday 2026-04-02; Good Friday is a holiday too,
        # Saturday a business day: mora from Sunday 2026-04-05. Paid on
        # 2026-04-30.
        cls.inv_holiday = cls._invoice(cls.holiday, 10000000, "2026-04-02")
        cls._pay(cls.inv_holiday, 10000000, "2026-04-30")
        cls.ours = cls.monday | cls.sunday | cls.partial | cls.holiday

    @classmethod
    def _invoice(cls, partner, amount, due):
        invoice_date = fields.Date.to_string(
            fields.Date.from_string(due) - timedelta(days=30))
        return cls._create_invoice(partner, amount, date_invoice=invoice_date,
                                   date_due=due)

    @classmethod
    def _pay(cls, invoice, amount, day):
        vals = invoice._prepare_payment_vals(cls.bank, amount, day)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    def _interest(self, date_at=D, partners=None, engine=None, **kwargs):
        partners = partners if partners is not None else self.ours
        # (A model without records is falsy: no "engine or ...".)
        engine = self.engine if engine is None else engine
        rows = engine.interest(date_at, partners.ids, **kwargs)
        return {row["partner_id"]: row for row in rows}

    def _item(self, rows, partner):
        row = rows[partner.id]
        self.assertEqual(len(row["items"]), 1, row)
        return row["items"][0]

    def _months(self, item):
        return [(m["month"], m["days"], m["max_rate"], m["rate"],
                 m["interest"]) for m in item["months"]]


class TestInterestRates(InterestCase):

    def test_max_rate_half_up(self):
        self.assertEqual(self.rates["2026-03-01"].max_rate, 25.52)
        self.assertEqual(self.rates["2026-02-01"].max_rate, 25.23)
        self.assertEqual(self.rates["2026-05-01"].max_rate, 25.58)
        self.assertEqual(self.rates["2026-06-01"].max_rate, 24.36)
        rate = self.rates["2026-06-01"]
        rate.bank_rate = 17.01
        self.assertEqual(rate.max_rate, 25.52)

    def test_first_of_month_unique(self):
        with self.assertRaises(ValidationError):
            self.Rate.create({"date": "2026-07-15", "bank_rate": 17.0,
                              "name": "Mal"})
        with self.assertRaises(ValidationError):
            self.Rate.create({"date": "2026-07-01", "bank_rate": 0.0,
                              "name": "Cero"})
        with self.assertRaises(IntegrityError), \
                mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Rate.create({"date": "2026-03-01", "bank_rate": 17.5,
                              "name": "Otra"})

    def test_managers_type_collectors_read(self):
        self.assertEqual(
            len(self.Rate.sudo(self.collector1).search(
                [("company_id", "=", self.company.id)])), len(RATES))
        with self.assertRaises(AccessError):
            self.Rate.sudo(self.collector1).create({
                "date": "2026-07-01", "bank_rate": 17.0, "name": "No"})
        with self.assertRaises(AccessError):
            self.rates["2026-03-01"].sudo(self.collector1).write(
                {"bank_rate": 10.0})
        rate = self.Rate.sudo(self.manager).create({
            "date": "2026-07-01", "bank_rate": 17.0, "name": "Sí"})
        self.assertEqual(rate.max_rate, 25.5)

    def test_exempt_is_managers_only(self):
        with self.assertRaises(AccessError):
            self.monday.sudo(self.collector1).write(
                {"cartera_interest_exempt": True})
        self.assertFalse(self.monday.cartera_interest_exempt)
        self.monday.sudo(self.manager).write(
            {"cartera_interest_exempt": True})
        self.assertTrue(self.monday.cartera_interest_exempt)

    def test_agreed_policy_needs_a_rate(self):
        with self.assertRaises(ValidationError):
            self.company.write({"cartera_interest_policy": "agreed",
                                "cartera_interest_rate": 0.0})


class TestInterest(InterestCase):

    def test_hand_checked_365(self):
        rows = self._interest()
        item = self._item(rows, self.monday)
        self.assertEqual(item["move_line_id"],
                         self.inv_monday.move_id.line_ids.filtered(
                             lambda l: l.debit > 0).id)
        self.assertEqual(item["invoice_id"], self.inv_monday.id)
        self.assertEqual(item["date_due"], "2026-02-16")
        self.assertEqual(item["mora_from"], "2026-02-17")
        self.assertEqual(item["days"], 29)
        self.assertEqual(self._months(item), [
            ("2026-02", 12, 25.23, 25.23, 73989.44),
            ("2026-03", 17, 25.52, 25.52, 105896.36)])
        self.assertEqual(item["interest"], 179885.80)
        self.assertFalse(item["capped"])
        self.assertEqual(rows[self.monday.id]["interest"], 179885.80)
        # Without the months: the same figures.
        totals = self._interest(detail=False)
        item_total = self._item(totals, self.monday)
        self.assertNotIn("months", item_total)
        self.assertEqual(item_total, {key: value for key, value in
                                      item.items() if key != "months"})
        self.assertEqual({row["partner_id"]: row["interest"]
                          for row in totals.values()},
                         {row["partner_id"]: row["interest"]
                          for row in rows.values()})

    def test_hand_checked_360(self):
        self.company.cartera_interest_days = "360"
        item = self._item(self._interest(), self.monday)
        self.assertEqual(self._months(item), [
            ("2026-02", 12, 25.23, 25.23, 75701.38),
            ("2026-03", 17, 25.52, 25.52, 108356.68)])
        self.assertEqual(item["interest"], 184058.06)

    def test_sunday_due_date(self):
        """Due Sunday 2026-02-15: the term ends on Monday the 16th, mora
        starts on the 17th as for the Monday invoice."""
        item = self._item(self._interest(), self.sunday)
        self.assertEqual(item["date_due"], "2026-02-15")
        self.assertEqual(item["mora_from"], "2026-02-17")
        self.assertEqual(item["days"], 29)
        self.assertEqual(item["interest"], 179885.80)

    def test_holiday_due_date(self):
        """Due Maundy Thursday 2026-04-02, Good Friday next: mora from
        Sunday 2026-04-05 to the payment on the 30th, 26 days at 25,65 %:
        10.000.000 x 26 x (1.2565^(1/365) - 1) = 162.696,97; under 360,
        x (1.2565^(1/12) - 1) / 30 = 166.483,92."""
        item = self._item(self._interest(), self.holiday)
        self.assertEqual(item["mora_from"], "2026-04-05")
        self.assertEqual(self._months(item), [
            ("2026-04", 26, 25.65, 25.65, 162696.97)])
        self.company.cartera_interest_days = "360"
        item = self._item(self._interest(), self.holiday)
        self.assertEqual(item["interest"], 166483.92)

    def test_partial_payments(self):
        """1.000.000 due Wednesday 2026-04-15, 400.000 paid on 04-20 and
        600.000 on 05-10. April: 16 to 20 on 1.000.000 (the payment day
        still on the whole amount), 21 to 30 on 600.000: 15 days,
        5 x 1.000.000 + 10 x 600.000 = 11.000.000 peso-days at 25,65 %;
        May: 1 to 10 on 600.000, 6.000.000 peso-days at 25,58 %.
        365: 11.000.000 x (1.2565^(1/365) - 1) = 6.883,33,
             6.000.000 x (1.2558^(1/365) - 1) = 3.745,38;
        360: 11.000.000 x (1.2565^(1/12) - 1) / 30 = 7.043,55,
             6.000.000 x (1.2558^(1/12) - 1) / 30 = 3.832,47."""
        item = self._item(self._interest(), self.partial)
        self.assertEqual(item["mora_from"], "2026-04-16")
        self.assertEqual(item["days"], 25)
        self.assertEqual(self._months(item), [
            ("2026-04", 15, 25.65, 25.65, 6883.33),
            ("2026-05", 10, 25.58, 25.58, 3745.38)])
        self.assertEqual(item["interest"], 10628.71)
        self.company.cartera_interest_days = "360"
        item = self._item(self._interest(), self.partial)
        self.assertEqual([m["interest"] for m in item["months"]],
                         [7043.55, 3832.47])
        self.assertEqual(item["interest"], 10876.02)
        # As of a day in the middle: up to and including that day.
        item = self._item(self._interest("2026-04-20"), self.partial)
        self.assertEqual(item["days"], 5)

    def test_base_equals_aging(self):
        """The amount bearing interest on each day is what aging() reports
        for the item as of the day before, on the payment days, the days
        after them and the days between."""
        segments = self.engine._interest_segments(D, self.partial.ids)
        line = self.inv_partial.move_id.line_ids.filtered(
            lambda l: l.debit > 0)
        self.assertEqual(list(segments), [line.id])
        day = fields.Date.from_string

        def base_on(when):
            for start, end, base in segments[line.id]:
                if start <= when <= end:
                    return base
            return 0.0
        for when in ("2026-04-16", "2026-04-20", "2026-04-21",
                     "2026-04-30", "2026-05-01", "2026-05-10",
                     "2026-05-11", "2026-06-15"):
            before = fields.Date.to_string(day(when) - timedelta(days=1))
            aging = self.engine.aging(before, 30, self.partial.ids)
            expected = aging[0]["total"] if aging else 0.0
            self.assertEqual(base_on(day(when)), expected, when)
        self.assertEqual(base_on(day("2026-04-20")), 1000000.0)
        self.assertEqual(base_on(day("2026-04-21")), 600000.0)
        self.assertEqual(base_on(day("2026-05-11")), 0.0)

    def test_missing_month(self):
        self.rates["2026-05-01"].unlink()
        # Up to April nothing needs May.
        self.assertTrue(self._interest("2026-04-30"))
        with self.assertRaisesRegex(UserError, "2026-05"):
            self._interest()
        # In the collectors' Spanish too.
        with self.assertRaisesRegex(UserError, "No hay tasa certificada .*"
                                    "2026-05"):
            self._interest(engine=self.engine.sudo(
                self.collector1).with_context(lang=SPANISH))

    def test_agreed_rate_capped(self):
        """2,5 % monthly is 1.025^12 - 1 = 34,49 % effective annual, above
        February's 25,23 % and March's 25,52 %: applied at the cap (the
        same figures as the legal maximum) and flagged."""
        self.company.write({"cartera_interest_policy": "agreed",
                            "cartera_interest_rate": 34.49})
        item = self._item(self._interest(), self.monday)
        self.assertTrue(item["capped"])
        self.assertEqual(self._months(item), [
            ("2026-02", 12, 25.23, 25.23, 73989.44),
            ("2026-03", 17, 25.52, 25.52, 105896.36)])
        self.assertTrue(all(m["capped"] for m in item["months"]))
        self.assertEqual(item["interest"], 179885.80)
        # Below the cap, the agreed rate: 20 % EA,
        # 10.000.000 x 12 x (1.20^(1/365) - 1) = 59.956,31 and
        # 10.000.000 x 17 x (1.20^(1/365) - 1) = 84.938,10.
        self.company.cartera_interest_rate = 20.0
        item = self._item(self._interest(), self.monday)
        self.assertFalse(item["capped"])
        self.assertEqual(self._months(item), [
            ("2026-02", 12, 25.23, 20.0, 59956.31),
            ("2026-03", 17, 25.52, 20.0, 84938.10)])
        self.assertEqual(item["interest"], 144894.41)

    def test_no_interest_policy_and_exempt(self):
        self.monday.cartera_interest_exempt = True
        rows = self._interest()
        self.assertNotIn(self.monday.id, rows)
        self.assertIn(self.sunday.id, rows)
        self.company.cartera_interest_policy = "none"
        self.assertEqual(self._interest(), {})

    def test_billed_until(self):
        line = self.inv_monday.move_id.line_ids.filtered(
            lambda l: l.debit > 0)
        # February billed: March's 17 days remain.
        item = self._item(self._interest(billed_until={
            line.id: "2026-02-28"}), self.monday)
        self.assertEqual(self._months(item), [
            ("2026-03", 17, 25.52, 25.52, 105896.36)])
        # Over XML-RPC a dict's keys are strings.
        item = self._item(self._interest(billed_until={
            str(line.id): "2026-03-10"}), self.monday)
        self.assertEqual(item["days"], 7)
        # Billed to the payment: nothing left.
        rows = self._interest(billed_until={line.id: "2026-03-17"})
        self.assertNotIn(self.monday.id, rows)
        with self.assertRaises(UserError):
            self._interest(billed_until={"x": "2026-03-10"})
        with self.assertRaises(UserError):
            self._interest(billed_until={line.id: "2026-02-30"})

    def test_open_item_up_to_date_at(self):
        """An item still open accrues up to and including the as-of day:
        the Monday invoice's twin left unpaid, as of 2026-03-17, has the
        same 29 days and figures as the paid one."""
        other = self.env["res.partner"].create({
            "name": "Mora Abierta", "customer": True, "is_company": True,
            "user_id": self.collector1.id})
        self._invoice(other, 10000000, "2026-02-16")
        item = self._item(self._interest("2026-03-17", other), other)
        self.assertEqual(item["days"], 29)
        self.assertEqual(item["interest"], 179885.80)
        # Not due yet, or due on the as-of day: nothing.
        self.assertEqual(self._interest("2026-02-16", other), {})

    def test_collector_scope(self):
        rows = self._interest(engine=self.engine.sudo(self.collector1))
        self.assertEqual(set(rows), {self.monday.id, self.partial.id})
        rows = self._interest(engine=self.engine.sudo(self.collector2))
        self.assertEqual(set(rows), {self.sunday.id, self.holiday.id})
        # A manager's: every customer, by name as in every report.
        rows = self.engine.sudo(self.manager).interest(D, self.ours.ids)
        self.assertEqual([row["partner_id"] for row in rows], [
            self.sunday.id, self.holiday.id, self.monday.id,
            self.partial.id])
        with self.assertRaises(AccessError):
            self.engine.sudo(self.accountant).interest(D)

    def test_query_count_does_not_grow(self):
        many = self.env["res.partner"].create({
            "name": "Mora Muchas", "customer": True, "is_company": True,
            "user_id": self.collector1.id})
        for index in range(8):
            invoice = self._invoice(many, 100000 + index, "2026-03-%02d"
                                    % (index + 2))
            self._pay(invoice, 50000, "2026-04-%02d" % (index + 10))

        def count(partners):
            self.engine.interest(D, partners.ids)
            before = self.env.cr.sql_log_count
            rows = self.engine.interest(D, partners.ids)
            return self.env.cr.sql_log_count - before, rows
        few_count, few = count(self.monday)
        many_count, rows = count(many)
        self.assertEqual(len(rows[0]["items"]), 8)
        self.assertEqual(len(few[0]["items"]), 1)
        self.assertEqual(few_count, many_count)
