# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 25's screens on a hand-computed ladder: the agenda's stage, level,
next escalation date and disputed amount, the customer's plan written by
managers only, a run's counts and lines, the daily digest's collection
section.

The plan (levels in order): Preventivo -5; Administrativo 1; Administrativo
30 (10 days after the previous); Prejurídico 60 (the Ley 1266 notice, by
letter); Jurídico 90 (report, 21 days after the notice). T is the agenda's
today.

- Cliente Escalera (collector 1, the plan on their form):
  A 1,000 due T-40, reached level 1 on T-39: next level 30 on
  max(T-40+30, T-39+10) = T-10. B 2,000 due T-65, levels 30 on T-35 and
  60 on T-5, in dispute (blocked): its level counts, it has no next (else
  90 on max(T-65+90, T-5+21) = T+25). C 500 due T+3, no level (its only
  line cancelled): the first level on T+3-5 = T-2. D 700 due T-100 at
  level 90, paid: not open, not counted.
  Most advanced current level: Prejurídico 60 (B); next escalation T-10;
  disputed 300 (open; a rejected one of 100 on A left out).
  (Out of dispute, with A and C at the last level, B's report waits for
  the Ley 1266 gate: ``test_agenda_honours_the_run_rules``.)
- Cliente Sin Plan (collector 2, the company's default plan): 800 due T-3,
  no level: T-3-5 = T-8; no stage.
"""
from datetime import timedelta

from lxml import etree, html

from odoo import fields
from odoo.exceptions import AccessError

from ..tools.money import amount_formatter
from .common import CarteraCase


class TestDunningScreens(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestDunningScreens, cls).setUpClass()
        cls.env.cr.execute(
            "SELECT (now() AT TIME ZONE 'America/Bogota')::date")
        cls.today = fields.Date.from_string(cls.env.cr.fetchone()[0])
        cls.plan = cls.env["cartera.dunning.plan"].create({
            "name": "Plan de prueba", "company_id": cls.company.id,
            "sequence": 1, "partner_domain": "[('id', '=', 0)]",
            "level_ids": [
                (0, 0, {"sequence": seq, "name": name, "stage": stage,
                        "days": days, "min_days_since_previous": since,
                        "print_letter": True, "bureau_notice": notice,
                        "bureau_report": report})
                for seq, name, stage, days, since, notice, report in (
                    (1, "Preventivo", "preventive", -5, 0, False, False),
                    (2, "Primer aviso", "administrative", 1, 0, False,
                     False),
                    (3, "Segundo aviso", "administrative", 30, 10, False,
                     False),
                    (4, "Aviso Ley 1266", "prelegal", 60, 0, True, False),
                    (5, "Reporte", "legal", 90, 21, False, True))]})
        (cls.level_pre, cls.level_1, cls.level_30, cls.level_60,
         cls.level_90) = cls.plan.level_ids
        cls.company.cartera_dunning_plan_id = cls.plan
        Partner = cls.env["res.partner"]
        cls.ladder = Partner.create({
            "name": "Cliente Escalera", "customer": True, "is_company": True,
            "user_id": cls.collector1.id,
            "cartera_dunning_plan_id": cls.plan.id})
        cls.no_plan = Partner.create({
            "name": "Cliente Sin Plan", "customer": True,
            "is_company": True, "user_id": cls.collector2.id})
        cls.inv_a = cls._invoice(cls.ladder, 1000.0, -40)
        cls.inv_b = cls._invoice(cls.ladder, 2000.0, -65)
        cls.inv_c = cls._invoice(cls.ladder, 500.0, 3)
        cls.inv_d = cls._invoice(cls.ladder, 700.0, -100)
        cls.inv_e = cls._invoice(cls.no_plan, 800.0, -3)
        cls.dunning_run = cls.env["cartera.dunning.run"].create({
            "name": "COB/TEST", "date": cls._day(0),
            "company_id": cls.company.id, "user_id": cls.manager.id,
            "state": "done"})
        cls.line_a = cls._line(cls.inv_a, cls.level_1, -39)
        cls._line(cls.inv_b, cls.level_30, -35)
        cls.line_b = cls._line(cls.inv_b, cls.level_60, -5)
        cls._line(cls.inv_c, cls.level_1, -1, state="cancelled")
        cls._line(cls.inv_d, cls.level_90, -10)
        bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        vals = cls.inv_d._prepare_payment_vals(bank, 700.0, cls._day(-2))
        vals["currency_id"] = cls.inv_d.currency_id.id
        cls.env["account.payment"].create(vals).post()
        Dispute = cls.env["cartera.dispute"]
        Dispute.create({"invoice_id": cls.inv_b.id, "amount": 300.0,
                        "reason": "price"})
        Dispute.create({"invoice_id": cls.inv_a.id, "amount": 100.0,
                        "reason": "quantity"}).action_reject()

    @classmethod
    def _day(cls, offset):
        return fields.Date.to_string(cls.today + timedelta(days=offset))

    @classmethod
    def _invoice(cls, partner, amount, due):
        return cls._create_invoice(partner, amount,
                                   date_invoice=cls._day(min(due, 0) - 30),
                                   date_due=cls._day(due))

    @classmethod
    def _item(cls, invoice):
        return invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")

    @classmethod
    def _line(cls, invoice, level, day, state="sent"):
        return cls.env["cartera.dunning.line"].create({
            "run_id": cls.dunning_run.id, "company_id": cls.company.id,
            "move_line_id": cls._item(invoice).id,
            "invoice_id": invoice.id,
            "partner_id": invoice.commercial_partner_id.id,
            "user_id": invoice.commercial_partner_id.user_id.id,
            "level_id": level.id, "date": cls._day(day),
            "date_due": invoice.date_due,
            "amount_due": invoice.residual, "state": state})

    def _agenda(self, user, partner):
        rows = self.env["cartera.agenda"].sudo(user).search_read(
            [("partner_id", "=", partner.id)],
            ["dunning_stage", "dunning_level_id", "next_escalation_date",
             "amount_disputed", "amount_due"])
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_agenda_level_and_next_escalation(self):
        row = self._agenda(self.collector1, self.ladder)
        self.assertEqual(row["amount_due"], 3500.0)
        self.assertEqual(row["dunning_stage"], "prelegal")
        self.assertEqual(row["dunning_level_id"][0], self.level_60.id)
        self.assertEqual(row["next_escalation_date"], self._day(-10))
        self.assertEqual(row["amount_disputed"], 300.0)
        # Without the item at level 1, the next is the first level of the
        # unlined item C (T-2); B's own comes on T+25.
        self.line_a.sudo().write({"state": "cancelled"})
        self.env["cartera.agenda"].invalidate_cache()
        row = self._agenda(self.collector1, self.ladder)
        # A has no level now: the plan's first (-5) from T-45, the
        # earliest of all.
        self.assertEqual(row["next_escalation_date"], self._day(-40 - 5))
        # Excluded from collection for 30 days: the day after.
        self.ladder.cartera_collection_excluded_until = self._day(30)
        self.env["cartera.agenda"].invalidate_cache()
        row = self._agenda(self.collector1, self.ladder)
        self.assertEqual(row["next_escalation_date"], self._day(31))
        # Out of dispute, B's own comes on T+25; with A and C cancelled
        # and paid, it is the customer's.
        self._item(self.inv_b).write({"blocked": False})
        self.ladder.cartera_collection_excluded_until = False
        self.env["cartera.dunning.line"].search(
            [("move_line_id", "in", (self._item(self.inv_a)
                                     | self._item(self.inv_c)).ids)]).write(
            {"state": "cancelled"})
        self._line(self.inv_a, self.level_90, -1)
        self._line(self.inv_c, self.level_90, -1)
        self.env["cartera.agenda"].invalidate_cache()
        # The debt (3,500) is small without a minimum wage set: B's report
        # needs two notices and it has one, so the notice repeats the day
        # after it (T-5 + 1), as the run would do.
        self.company.cartera_minimum_wage = 0.0
        row = self._agenda(self.collector1, self.ladder)
        self.assertEqual(row["next_escalation_date"], self._day(-4))
        # A minimum wage of 10,000 (15 %: 1,500): one notice is enough.
        self.company.cartera_minimum_wage = 10000.0
        self.env["cartera.agenda"].invalidate_cache()
        row = self._agenda(self.collector1, self.ladder)
        self.assertEqual(row["next_escalation_date"], self._day(25))

    def test_agenda_honours_the_run_rules(self):
        """The next escalation date follows the run's gates. A plan of two
        levels: Aviso (notice, 1 day), Reporte (report, 5 days). Cliente
        Reglas owes F 1,000 due T-30, its notice sent on T-10:

        - one notice needed (minimum wage 1,000, 15 %: 150): the report on
          max(T-30+5, T-10+1, T-10+21) = T+11, the 21st day after the
          notice (not the 20th);
        - two needed (minimum wage 100,000, 15 %: 15,000): the notice
          repeats on max(T-30+1, T-10+1) = T-9; sent then, the report on
          T-9+21 = T+12;
        - the report's minimum 5,000 above F's 1,000: no date;
        - a pending promise on F dated T+20, 3 grace days: held through
          T+23, the report on T+24 (one on another invoice holds F not)."""
        plan = self.env["cartera.dunning.plan"].create({
            "name": "Plan de reglas", "company_id": self.company.id,
            "sequence": 2, "partner_domain": "[('id', '=', 0)]",
            "level_ids": [
                (0, 0, {"sequence": 1, "name": "Aviso", "stage": "prelegal",
                        "days": 1, "bureau_notice": True,
                        "print_letter": True}),
                (0, 0, {"sequence": 2, "name": "Reporte", "stage": "legal",
                        "days": 5, "bureau_report": True})]})
        notice, report = plan.level_ids
        customer = self.env["res.partner"].create({
            "name": "Cliente Reglas", "customer": True, "is_company": True,
            "user_id": self.collector1.id,
            "cartera_dunning_plan_id": plan.id})
        invoice = self._invoice(customer, 1000.0, -30)
        self._line(invoice, notice, -10)
        self.company.write({"cartera_minimum_wage": 1000.0,
                            "cartera_promise_grace_days": 3})
        Agenda = self.env["cartera.agenda"]

        def next_date():
            Agenda.invalidate_cache()
            return self._agenda(self.manager, customer)[
                "next_escalation_date"]
        self.assertEqual(next_date(), self._day(11))
        # Two notices needed: the notice repeats, then the report counts
        # from the second.
        self.company.cartera_minimum_wage = 100000.0
        self.assertEqual(next_date(), self._day(-9))
        second = self._line(invoice, notice, -9)
        self.assertEqual(next_date(), self._day(12))
        second.write({"state": "cancelled"})
        self.company.cartera_minimum_wage = 1000.0
        # The minimum amount not met: the run never reports it.
        report.min_amount = 5000.0
        self.assertFalse(next_date())
        report.min_amount = 0.0
        # A pending promise pauses the items it names to its date + grace:
        # one on another invoice G (500 due T+40, its first level on T+41)
        # leaves F alone; one on F holds it through T+23.
        other = self._invoice(customer, 500.0, 40)
        self._promise(customer, other)
        self.assertEqual(next_date(), self._day(11))
        self._promise(customer, invoice)
        self.assertEqual(next_date(), self._day(24))

    def _promise(self, customer, invoice):
        followup = self._followup(
            user=self.collector1, partner_id=customer.id,
            type_id=self.type_promise.id,
            date=fields.Datetime.to_string(
                fields.Datetime.from_string(fields.Datetime.now())
                - timedelta(hours=1)))
        return self.env["cartera.promise"].sudo(self.collector1).create({
            "followup_id": followup.id, "amount": invoice.residual,
            "date": self._day(20), "invoice_ids": [(6, 0, invoice.ids)]})

    def test_agenda_default_plan(self):
        row = self._agenda(self.manager, self.no_plan)
        self.assertFalse(row["dunning_stage"])
        self.assertFalse(row["dunning_level_id"])
        self.assertEqual(row["next_escalation_date"], self._day(-8))
        self.assertEqual(row["amount_disputed"], 0.0)
        # On the last level, or with no plan at all: no date.
        self.company.cartera_dunning_plan_id = False
        self.env["cartera.agenda"].invalidate_cache()
        self.assertFalse(
            self._agenda(self.manager, self.no_plan)["next_escalation_date"])

    def test_agenda_last_level_has_no_next(self):
        self.env["cartera.dunning.line"].search(
            [("partner_id", "=", self.ladder.id)]).write(
                {"state": "cancelled"})
        for invoice in (self.inv_a, self.inv_b, self.inv_c):
            self._line(invoice, self.level_90, -1)
        self.env["cartera.agenda"].invalidate_cache()
        row = self._agenda(self.manager, self.ladder)
        self.assertEqual(row["dunning_stage"], "legal")
        self.assertEqual(row["dunning_level_id"][0], self.level_90.id)
        self.assertFalse(row["next_escalation_date"])

    def test_partner_plan_managers_only(self):
        """A collector reads the customer's plan and exclusion, and cannot
        change them, through the ORM as over RPC; a manager can."""
        Partner = self.env["res.partner"]
        # Even one who may edit contacts (Odoo's Contact Creation).
        self.collector1.groups_id |= self.env.ref(
            "base.group_partner_manager")
        as_collector = self.ladder.sudo(self.collector1)
        as_collector.write({"phone": "+57 601 000 0000"})
        self.assertEqual(as_collector.cartera_dunning_plan_id, self.plan)
        for vals in ({"cartera_dunning_plan_id": False},
                     {"cartera_collection_excluded_until": self._day(30)},
                     {"name": "Otro", "cartera_dunning_plan_id": False}):
            with self.assertRaises(AccessError) as error:
                as_collector.write(vals)
            self.assertIn("managers", str(error.exception))
        with self.assertRaises(AccessError):
            Partner.sudo(self.collector1).create({
                "name": "Nuevo", "cartera_dunning_plan_id": self.plan.id})
        self.assertEqual(self.ladder.cartera_dunning_plan_id, self.plan)
        self.assertEqual(self.ladder.name, "Cliente Escalera")
        self.ladder.sudo(self.manager).write({
            "cartera_dunning_plan_id": False,
            "cartera_collection_excluded_until": self._day(30)})
        self.assertFalse(self.ladder.cartera_dunning_plan_id)
        self.assertEqual(self.ladder.cartera_collection_excluded_until,
                         self._day(30))
        # The manager (without Contact Creation) writes these two fields,
        # nothing else of the customer.
        self.assertFalse(self.manager.has_group("base.group_partner_manager"))
        with self.assertRaises(AccessError):
            self.ladder.sudo(self.manager).write({"name": "Otro"})
        # A manager of another company: neither this company's customer
        # nor its plan.
        other = self.env["res.company"].create({"name": "Otra Empresa"})
        other_manager = self._create_user("jefe2", "Jefe Otra",
                                          self.group_manager)
        other_manager.write({"company_ids": [(4, other.id)],
                             "company_id": other.id})
        other_manager.write({"company_ids": [(3, self.company.id)]})
        with self.assertRaises(AccessError):
            self.ladder.sudo(other_manager).write(
                {"cartera_collection_excluded_until": self._day(9)})
        self.assertEqual(self.ladder.cartera_collection_excluded_until,
                         self._day(30))
        # ... also from the plan's form (its customers assigned).
        self.plan.sudo(self.manager).write(
            {"partner_ids": [(4, self.ladder.id)]})
        self.assertEqual(self.ladder.cartera_dunning_plan_id, self.plan)
        with self.assertRaises(AccessError):
            self.plan.sudo(self.collector1).write(
                {"partner_ids": [(3, self.ladder.id)]})

    def _partner_form_fields(self, user):
        arch = etree.fromstring(self.env["res.partner"].sudo(
            user).fields_view_get(view_type="form")["arch"])
        return {name: arch.xpath("//field[@name='%s']" % name)[0]
                for name in ("cartera_dunning_plan_id",
                             "cartera_collection_excluded_until",
                             "cartera_dunning_line_ids")}

    def test_partner_form_readonly_for_collectors(self):
        for user, readonly in ((self.collector1, True),
                               (self.manager, False)):
            nodes = self._partner_form_fields(user)
            for name in ("cartera_dunning_plan_id",
                         "cartera_collection_excluded_until"):
                self.assertEqual(
                    '"readonly": true' in nodes[name].get("modifiers"),
                    readonly, (user.login, name))

    def test_level_history(self):
        """The customer's and the invoice's lines, under the reader's
        rules: a collector of another customer sees none."""
        history = self.ladder.sudo(self.collector1).cartera_dunning_line_ids
        self.assertEqual(len(history), 5)
        self.assertEqual(
            self.inv_b.sudo(self.collector1).cartera_dunning_line_ids
            .mapped("level_id"), self.level_60 | self.level_30)
        self.assertFalse(self.env["cartera.dunning.line"].sudo(
            self.collector2).search([("partner_id", "=", self.ladder.id)]))

    def test_run_counts_and_lines(self):
        self._line(self.inv_e, self.level_pre, 0, state="draft")
        self.dunning_run.invalidate_cache()
        self.assertEqual(
            (self.dunning_run.sudo(self.manager).line_count,
             self.dunning_run.sudo(self.manager).line_draft_count), (6, 1))
        action = self.dunning_run.sudo(self.manager).with_context(
            search_default_to_review=1).action_open_lines()
        self.assertEqual(action["res_model"], "cartera.dunning.line")
        self.assertEqual(
            self.env["cartera.dunning.line"].search(action["domain"]),
            self.dunning_run.line_ids)
        self.assertEqual(action["context"], {
            "search_default_group_level": 1, "search_default_to_review": 1})
        self.assertEqual(self.line_b.display_name, "Cliente Escalera - %s - "
                         "Aviso Ley 1266" % self.inv_b.number)

    def test_digest_lists_the_run(self):
        """Collector 1's digest: what the day's run sent for their
        customers (2 lines, 1,500) and what waits for validation (1 line,
        500, whatever its date); collector 2's: nothing sent, 1 line of 800
        to review. Yesterday's and cancelled lines are not counted."""
        # Dated each user's today (Bogotá, the agenda's here).
        self._line(self.inv_a, self.level_30, 0)
        self._line(self.inv_c, self.level_pre, 0)
        self._line(self.inv_c, self.level_pre, -3, state="draft")
        self._line(self.inv_e, self.level_pre, -1, state="draft")
        self._line(self.inv_e, self.level_pre, 0, state="cancelled")
        figures = self.env["cartera.digest"]._dunning_by_user()
        [one] = figures[self.collector1]
        self.assertEqual(
            (one["company"], one["sent_count"], one["sent_amount"],
             one["draft_count"], one["draft_amount"]),
            (self.company, 2, 1500.0, 1, 500.0))
        [two] = figures[self.collector2]
        self.assertEqual(
            (two["sent_count"], two["draft_count"], two["draft_amount"]),
            (0, 1, 800.0))
        self.env["cartera.digest"]._cron_notify_pending_tasks()
        message = self.env["mail.message"].search([
            ("model", "=", False),
            ("partner_ids", "in", self.collector1.partner_id.ids)],
            order="id desc", limit=1)
        # Its row: company, sent, amount, to review, amount (the mail's
        # sanitizer drops classes).
        body = html.fromstring(message.body)
        [row] = [row for row in body.xpath("//tr[td]") if row.xpath(
            "td")[0].text_content().strip() == self.company.name]
        money = amount_formatter(self.env, self.collector1.lang)
        currency = self.company.currency_id.name
        self.assertEqual(
            [cell.text_content().strip() for cell in row.xpath("td")[1:]],
            ["2", "%s %s" % (money(1500.0), currency),
             "1", "%s %s" % (money(500.0), currency)])
        review = self.env.ref(
            "cartera_seguimiento.cartera_dunning_line_action_review")
        self.assertTrue(body.xpath(
            "//a[contains(@href, 'action=%d&')]" % review.id))
