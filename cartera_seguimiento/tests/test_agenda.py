# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection agenda (cartera.agenda) on a hand-computed ledger.

Days are counted from the database's today (T), the agenda's today:

- Cliente Uno (collector 1): the common invoice of 1,000 due T; 3,000 due
  T-100; 2,000 due T-10 paid 500 on T-20 (before the follow-up, so not
  given to the promise); 700 due T+5. Due 6,200, overdue 4,500 (oldest
  100 days), due within 7 days 1,700. Followed up (a call) on T-10 with a
  promise of 400 for T-8, broken by T (grace 3 days).
  Priority: weighted overdue 3,000 x (1 + 100/30) + 1,500 x (1 + 10/30)
  = 15,000; plus 2 x 400 broken; times 1 + 10/90 = 17,555.56.
- Cliente Dos (collector 2): the common invoice of 2,500 due T; 800 due
  T-40. Due 3,300, overdue 800 (40 days). Never contacted: priority
  800 x (1 + 40/30) x 2 = 3,733.33.
- Cliente Tres (collector 2): nothing owed, a visit on T-45 with a task
  due T-1: a row for the task, priority 0.
- Cliente Cuatro (collector 1): a paid invoice and a call without task:
  no row.
"""
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tools.safe_eval import safe_eval

from .common import CarteraCase

LIST_FIELDS = [
    "partner_id", "user_id", "amount_due", "amount_overdue", "days_overdue",
    "amount_due_7d", "last_followup_date", "last_type_id", "next_task_date",
    "promise_amount_pending", "promise_state", "priority", "priority_level",
    "company_id",
    "currency_id",
]


class TestAgenda(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestAgenda, cls).setUpClass()
        cls.Agenda = cls.env["cartera.agenda"]
        # The view's today: the company's, in Bogotá (tests/common.py), not
        # the database's UTC one. Odoo's cursor reads dates as strings.
        cls.env.cr.execute(
            "SELECT (now() AT TIME ZONE 'America/Bogota')::date")
        cls.today = fields.Date.from_string(cls.env.cr.fetchone()[0])
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        cls.company.cartera_promise_grace_days = 3
        Partner = cls.env["res.partner"]
        cls.customer3 = Partner.create({
            "name": "Cliente Tres", "customer": True, "is_company": True,
            "user_id": cls.collector2.id})
        cls.customer4 = Partner.create({
            "name": "Cliente Cuatro", "customer": True, "is_company": True,
            "user_id": cls.collector1.id})
        # Cliente Uno
        cls._create_invoice(cls.customer1, 3000.0,
                            date_invoice=cls._day(-130),
                            date_due=cls._day(-100))
        invoice_b = cls._create_invoice(cls.customer1, 2000.0,
                                        date_invoice=cls._day(-40),
                                        date_due=cls._day(-10))
        cls._pay(invoice_b, 500.0, cls._day(-20))
        cls._create_invoice(cls.customer1, 700.0,
                            date_invoice=cls._day(-25),
                            date_due=cls._day(5))
        followup = cls.env["cartera.followup"].sudo(cls.collector1).create({
            "partner_id": cls.customer1.id, "type_id": cls.type_call.id,
            "date": cls._day(-10) + " 15:00:00", "notes": "Promete pagar"})
        cls.env["cartera.promise"].sudo(cls.collector1).create({
            "followup_id": followup.id, "amount": 400.0,
            "date": cls._day(-8)})
        cls.env["cartera.promise"].sudo(cls.manager).evaluate(cls._day(0))
        # Cliente Dos
        cls._create_invoice(cls.customer2, 800.0,
                            date_invoice=cls._day(-70),
                            date_due=cls._day(-40))
        # Cliente Tres
        cls.env["cartera.followup"].sudo(cls.collector2).create({
            "partner_id": cls.customer3.id, "type_id": cls.type_visit.id,
            "date": cls._day(-45) + " 15:00:00", "notes": "Visita",
            "next_date": cls._day(-1), "next_type_id": cls.type_call.id})
        # Cliente Cuatro
        paid = cls._create_invoice(cls.customer4, 900.0,
                                   date_invoice=cls._day(-30),
                                   date_due=cls._day(-30))
        cls._pay(paid, 900.0, cls._day(-29))
        cls.env["cartera.followup"].sudo(cls.collector1).create({
            "partner_id": cls.customer4.id, "type_id": cls.type_call.id,
            "date": cls._day(-29) + " 15:00:00", "notes": "Pagó"})
        cls.ours = (cls.customer1 | cls.customer2 | cls.customer3
                    | cls.customer4)

    @classmethod
    def _day(cls, offset):
        return (cls.today + timedelta(days=offset)).strftime("%Y-%m-%d")

    @classmethod
    def _pay(cls, invoice, amount, day):
        vals = invoice._prepare_payment_vals(cls.bank, amount, day)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    def _rows(self, user, domain=None):
        rows = self.Agenda.sudo(user).search_read(
            [("partner_id", "in", self.ours.ids)] + (domain or []),
            LIST_FIELDS)
        return {row["partner_id"][0]: row for row in rows}

    def test_figures(self):
        rows = self._rows(self.manager)
        self.assertEqual(set(rows), {
            self.customer1.id, self.customer2.id, self.customer3.id})
        one = rows[self.customer1.id]
        self.assertEqual(
            [one[name] for name in (
                "amount_due", "amount_overdue", "amount_due_7d",
                "days_overdue", "promise_amount_pending", "promise_state")],
            [6200.0, 4500.0, 1700.0, 100, 400.0, "broken"])
        self.assertEqual(one["user_id"][0], self.collector1.id)
        self.assertEqual(one["last_type_id"][0], self.type_call.id)
        self.assertEqual(one["last_followup_date"],
                         self._day(-10) + " 15:00:00")
        self.assertFalse(one["next_task_date"])
        self.assertAlmostEqual(one["priority"], 17555.56, places=2)
        # Overdue 100 days (and a broken promise): urgent.
        self.assertEqual(one["priority_level"], "3")
        two = rows[self.customer2.id]
        self.assertEqual(
            [two[name] for name in (
                "amount_due", "amount_overdue", "amount_due_7d",
                "days_overdue", "promise_amount_pending", "promise_state",
                "last_followup_date")],
            [3300.0, 800.0, 2500.0, 40, 0.0, False, False])
        self.assertAlmostEqual(two["priority"], 3733.33, places=2)
        # Overdue 40 days, no promise: high.
        self.assertEqual(two["priority_level"], "2")
        three = rows[self.customer3.id]
        self.assertEqual(
            [three[name] for name in (
                "amount_due", "amount_overdue", "days_overdue",
                "next_task_date", "priority")],
            [0.0, 0.0, 0, self._day(-1), 0.0])
        # Nothing owed, a task due yesterday: medium.
        self.assertEqual(three["priority_level"], "1")
        self.assertEqual(three["last_type_id"][0], self.type_visit.id)

    def test_amounts_equal_aging_per_customer(self):
        """Every customer's figures, for each user, equal the aging's as
        of the database's today, to the cent (demo customers included)."""
        for user in (self.collector1, self.collector2, self.manager):
            aging = self.env["cartera.ar.report"].sudo(user).aging(
                self._day(0))
            agenda = {
                row["partner_id"][0]: row
                for row in self.Agenda.sudo(user).search_read(
                    [("company_id", "=", user.company_id.id)], LIST_FIELDS)}
            self.assertTrue(aging)
            for row in aging:
                mine = agenda.get(row["partner_id"])
                self.assertTrue(mine, row["partner_name"])
                self.assertEqual(
                    round(mine["amount_due"], 2), round(row["total"], 2),
                    row["partner_name"])
                self.assertEqual(
                    round(mine["amount_overdue"], 2),
                    round(sum(row["periods"]), 2), row["partner_name"])
            in_aging = {row["partner_id"] for row in aging}
            for partner_id, row in agenda.items():
                if partner_id not in in_aging:
                    self.assertEqual(round(row["amount_due"], 2), 0.0)

    def test_record_rules(self):
        self.assertEqual(set(self._rows(self.collector1)),
                         {self.customer1.id})
        self.assertEqual(set(self._rows(self.collector2)),
                         {self.customer2.id, self.customer3.id})
        # Not even by id.
        other = self.Agenda.search([("partner_id", "=", self.customer2.id)])
        self.assertFalse(self.Agenda.sudo(self.collector1).search(
            [("id", "in", other.ids)]))
        # A collector sees exactly the customers of cartera.scope.
        scope = self.env["cartera.scope"]._customer_domain(self.collector1)
        visible = self.Agenda.sudo(self.collector1).search([])
        self.assertEqual(
            visible.mapped("partner_id"),
            self.env["res.partner"].search(scope) & visible.mapped(
                "partner_id"))
        self.assertTrue(all(p.user_id == self.collector1
                            for p in visible.mapped("partner_id")))
        self.assertEqual(
            len(self._rows(self.manager)), 3)

    def test_priority_order(self):
        rows = self.Agenda.sudo(self.manager).search(
            [("partner_id", "in", self.ours.ids)])
        self.assertEqual(rows.mapped("partner_id"),
                         self.customer1 | self.customer2 | self.customer3)
        self.assertEqual(
            [r.partner_id for r in rows],
            [self.customer1, self.customer2, self.customer3])
        # Highest first over the whole agenda too.
        priorities = self.Agenda.sudo(self.manager).search([]).mapped(
            "priority")
        self.assertEqual(priorities, sorted(priorities, reverse=True))

    def _filter_domain(self, name, user):
        view = self.Agenda.sudo(user).fields_view_get(
            view_id=self.env.ref(
                "cartera_seguimiento.cartera_agenda_view_search").id,
            view_type="search")
        node = etree.fromstring(view["arch"]).xpath(
            "//filter[@name='%s']" % name)[0]
        return safe_eval(node.get("domain"), {
            "uid": user.id, "relativedelta": relativedelta,
            "context_today": lambda: date(
                self.today.year, self.today.month, self.today.day)})

    def test_filters(self):
        expected = {
            "mine": (self.collector1, {self.customer1}),
            "tasks_due": (self.manager, {self.customer3}),
            "broken_promises": (self.manager, {self.customer1}),
            "no_contact_30": (self.manager, {self.customer2, self.customer3}),
            "overdue_90": (self.manager, {self.customer1}),
        }
        for name, (user, customers) in expected.items():
            rows = self._rows(user, self._filter_domain(name, user))
            self.assertEqual(set(rows), {c.id for c in customers}, name)
        # Mine, for the other collector.
        rows = self._rows(self.collector2,
                          self._filter_domain("mine", self.collector2))
        self.assertEqual(set(rows), {self.customer2.id, self.customer3.id})

    def test_group_by_salesperson(self):
        groups = self.Agenda.sudo(self.manager).read_group(
            [("partner_id", "in", self.ours.ids)],
            ["user_id", "amount_due", "amount_overdue"], ["user_id"])
        by_user = {g["user_id"][0]: g for g in groups}
        self.assertEqual(by_user[self.collector1.id]["user_id_count"], 1)
        self.assertEqual(by_user[self.collector2.id]["user_id_count"], 2)
        self.assertEqual(by_user[self.collector2.id]["amount_due"], 3300.0)
        self.assertEqual(by_user[self.collector1.id]["amount_overdue"],
                         4500.0)

    def test_row_actions(self):
        row = self.Agenda.sudo(self.collector1).search(
            [("partner_id", "=", self.customer1.id)])
        action = row.action_new_followup()
        self.assertEqual(action["res_model"], "cartera.followup")
        self.assertEqual(action["context"]["default_partner_id"],
                         self.customer1.id)
        self.assertEqual(action["context"]["default_user_id"],
                         self.collector1.id)
        action = row.action_history()
        self.assertEqual(action["res_model"], "cartera.history.report.wizard")
        wizard = self.env[action["res_model"]].sudo(
            self.collector1).with_context(action["context"]).create({})
        self.assertEqual(wizard.partner_ids, self.customer1)

    def test_first_menu_entry(self):
        menus = self.env["ir.ui.menu"].search([(
            "parent_id", "=",
            self.env.ref("cartera_seguimiento.cartera_menu_followup").id)])
        self.assertEqual(
            menus[:1], self.env.ref("cartera_seguimiento.cartera_agenda_menu"))

    def _first_page_queries(self, user):
        Agenda = self.Agenda.sudo(user)
        Agenda.search_read([], LIST_FIELDS, limit=80)  # warm the caches
        Agenda.invalidate_cache()
        before = self.env.cr.sql_log_count
        rows = Agenda.search_read([], LIST_FIELDS, limit=80)
        return self.env.cr.sql_log_count - before, len(rows)

    def test_query_count_does_not_grow(self):
        collector = self._create_user("cob_q", "Cobradora Q",
                                      self.group_user)

        def add_customers(count, start):
            for n in range(start, start + count):
                partner = self.env["res.partner"].create({
                    "name": "Cliente Q%02d" % n, "customer": True,
                    "is_company": True, "user_id": collector.id})
                # Every row the same fields set (a field left empty on all
                # rows reads no names): a call with a task, and for the
                # first five an invoice.
                self.env["cartera.followup"].sudo(collector).create({
                    "partner_id": partner.id,
                    "type_id": self.type_call.id,
                    "date": self._day(-3) + " 15:00:00",
                    "notes": "Llamada", "next_date": self._day(n % 5),
                    "next_type_id": self.type_call.id})
                if n < 5:
                    self._create_invoice(partner, 100.0 + n,
                                         date_invoice=self._day(-20),
                                         date_due=self._day(-n))

        add_customers(5, 0)
        queries_5, rows_5 = self._first_page_queries(collector)
        add_customers(45, 5)
        queries_50, rows_50 = self._first_page_queries(collector)
        self.assertEqual((rows_5, rows_50), (5, 50))
        self.assertEqual(queries_5, queries_50)
        manager_5 = self._first_page_queries(self.manager)[0]
        add_customers(5, 50)
        self.assertEqual(self._first_page_queries(self.manager)[0],
                         manager_5)
