# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disputes (reclamos), on hand-computed figures.

Cliente Reclamo (Cobrador Uno) owes, as of 2026-06-30 (D):
  FV big   1.000.000, due 2026-05-31 -> overdue 30 days
  FV small   500.000, due 2026-07-15 -> not due
  total 1.500.000, overdue 1.000.000.
A dispute of 200.000 on FV big opened 2026-06-10 leaves 800.000 of it
collectable: the customer's aging shows 200.000 disputed and 1.300.000
collectable, total unchanged.
"""
import importlib.util
import os

from odoo import fields
from odoo.modules.module import get_module_path
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import SPANISH, CarteraCase

D = "2026-06-30"
BIG, SMALL = 1000000.0, 500000.0


class DisputeCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(DisputeCase, cls).setUpClass()
        cls.Dispute = cls.env["cartera.dispute"]
        cls.engine = cls.env["cartera.ar.report"].sudo(cls.manager)
        cls.customer = cls.env["res.partner"].create({
            "name": "Cliente Reclamo", "customer": True,
            "is_company": True, "user_id": cls.collector1.id})
        cls.big = cls._create_invoice(
            cls.customer, BIG, date_invoice="2026-05-01",
            date_due="2026-05-31")
        cls.small = cls._create_invoice(
            cls.customer, SMALL, date_invoice="2026-06-15",
            date_due="2026-07-15")
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)

    def _dispute(self, amount, invoice=None, user=None, **vals):
        vals = dict({"invoice_id": (invoice or self.big).id,
                     "amount": amount, "date_open": "2026-06-10",
                     "reason": "price"}, **vals)
        return self.Dispute.sudo(user or self.collector1).create(vals)

    def _blocked(self, invoice):
        items = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")
        items.invalidate_cache()
        self.assertTrue(items)
        return set(items.mapped("blocked"))

    def _aging(self, date_at=D, user=None):
        engine = self.engine.sudo(user) if user else self.engine
        rows = engine.aging(date_at, 30, [self.customer.id])
        self.assertEqual(len(rows), 1)
        return rows[0]

    def _today(self):
        return fields.Date.context_today(self.env["cartera.dispute"].with_context(
            tz=self.company.partner_id.tz))


class TestDispute(DisputeCase):

    def test_dispute_leaves_rest_collectable_and_blocks(self):
        self.assertEqual(self._blocked(self.big), {False})
        dispute = self._dispute(200000.0)
        self.assertEqual(dispute.state, "open")
        self.assertTrue(dispute.name.startswith("REC/"), dispute.name)
        self.assertEqual(dispute.partner_id, self.customer)
        # The collector (no accounting rights) opened it: the invoice's
        # receivable items are blocked for Odoo's own overdue report too.
        self.assertEqual(self._blocked(self.big), {True})
        self.assertEqual(self._blocked(self.small), {False})
        self.assertEqual(self.big.sudo(
            self.collector1).cartera_disputed_amount, 200000.0)
        self.assertEqual(self.big.residual - self.big.sudo(
            self.collector1).cartera_disputed_amount, 800000.0)
        row = self._aging()
        self.assertEqual((row["total"], row["disputed"], row["collectable"]),
                         (1500000.0, 200000.0, 1300000.0))
        # The buckets and the total are those without the dispute.
        self.assertEqual((row["not_due"], row["periods"][0]),
                         (SMALL, BIG))
        # Before it was opened, nothing was disputed.
        self.assertEqual(self._aging("2026-06-09")["disputed"], 0.0)

    def test_amount_above_due_refused(self):
        with self.assertRaisesRegex(ValidationError, "exceeds the amount"):
            self._dispute(BIG + 1)
        with self.assertRaises(ValidationError):
            self._dispute(0.0)
        with self.assertRaises(ValidationError):
            self._dispute(-5.0)
        # After a partial payment the amount due is lower.
        vals = self.big._prepare_payment_vals(self.bank, 300000.0, D)
        self.env["account.payment"].create(vals).post()
        with self.assertRaises(ValidationError):
            self._dispute(700000.01)
        self.assertEqual(self._dispute(700000.0).amount, 700000.0)
        # Raising an open dispute's amount is checked again.
        dispute = self._dispute(100.0, invoice=self.small)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            dispute.sudo(self.collector1).write({"amount": SMALL + 1})
        dispute.invalidate_cache()
        self.assertEqual(dispute.amount, 100.0)

    def test_two_disputes(self):
        first = self._dispute(200000.0)
        second = self._dispute(300000.0, reason="quality")
        self.assertEqual(self.big.sudo(
            self.collector1).cartera_disputed_amount, 500000.0)
        # Together they may not exceed the amount due.
        with self.assertRaises(ValidationError):
            self._dispute(500000.01)
        row = self._aging()
        self.assertEqual((row["disputed"], row["collectable"]),
                         (500000.0, 1000000.0))
        # One rejected: the other still holds the invoice.
        first.sudo(self.collector1).action_reject()
        self.assertEqual(self._blocked(self.big), {True})
        second.sudo(self.collector1).action_paid()
        self.assertEqual((second.state, second.resolution),
                         ("rejected", "paid"))
        self.assertEqual(self._blocked(self.big), {False})
        self.assertEqual(self.big.sudo(
            self.collector1).cartera_disputed_amount, 0.0)

    def _items(self, invoice):
        return invoice.move_id.line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable")

    def test_resolution_keeps_a_block_set_by_hand(self):
        # Blocked by hand (Odoo's own flag, by an accountant) before any
        # dispute: the dispute finds it blocked and leaves it so.
        self._items(self.big).write({"blocked": True})
        dispute = self._dispute(200000.0)
        self.assertFalse(dispute.blocked_item_ids)
        dispute.sudo(self.collector1).action_reject()
        self.assertEqual(self._blocked(self.big), {True})
        # A dispute that blocked the items unblocks them when it ends,
        # only once no other open dispute holds the invoice.
        self._items(self.big).write({"blocked": False})
        first, second = self._dispute(100000.0), self._dispute(50000.0)
        self.assertEqual(self._blocked(self.big), {True})
        self.assertEqual(first.blocked_item_ids, self._items(self.big))
        first.sudo(self.collector1).action_reject()
        self.assertEqual(self._blocked(self.big), {True})
        second.sudo(self.collector1).action_paid()
        self.assertEqual(self._blocked(self.big), {False})
        self.assertFalse((first | second).mapped("blocked_item_ids"))

    def test_deleted_dispute_releases_its_items_only(self):
        self._items(self.small).write({"blocked": True})
        disputed = self._dispute(100000.0)
        by_hand = self._dispute(100.0, invoice=self.small)
        self.assertEqual(disputed.blocked_item_ids, self._items(self.big))
        (disputed | by_hand).sudo().unlink()
        self.assertEqual(self._blocked(self.big), {False})
        self.assertEqual(self._blocked(self.small), {True})
        # Nobody names the items a dispute blocked.
        with self.assertRaises(UserError):
            self._dispute(1000.0).sudo(self.collector1).write(
                {"blocked_item_ids": [(6, 0, self._items(self.small).ids)]})
        sneaky = self._dispute(
            1000.0, invoice=self.small,
            blocked_item_ids=[(6, 0, self._items(self.small).ids)])
        self.assertFalse(sneaky.blocked_item_ids)
        sneaky.sudo(self.collector1).action_reject()
        self.assertEqual(self._blocked(self.small), {True})

    def test_update_records_what_older_disputes_blocked(self):
        # A dispute opened before 11.0.6.0.0 kept no record of its items;
        # migrations/11.0.6.0.0 records its invoice's blocked items on the
        # invoice's first open dispute, so that ending the invoice's
        # disputes releases them as it always did.
        first, second = self._dispute(100000.0), self._dispute(50000.0)
        on_small = self._dispute(100.0, invoice=self.small)
        self._items(self.small).write({"blocked": True})
        self.env.cr.execute(
            "DELETE FROM cartera_dispute_blocked_item_rel "
            "WHERE dispute_id IN %s", (tuple((first | second | on_small).ids),))
        (first | second | on_small).invalidate_cache()
        path = os.path.join(get_module_path("cartera_seguimiento"),
                            "migrations", "11.0.6.0.0", "post-migrate.py")
        spec = importlib.util.spec_from_file_location("post_migrate", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        # The script's own function, without openupgradelib's wrapper that
        # reads the migration framework's frame.
        script.migrate.__wrapped__(self.env, "11.0.5.0.0")
        (first | second | on_small).invalidate_cache()
        self.assertEqual(first.blocked_item_ids, self._items(self.big))
        self.assertFalse(second.blocked_item_ids)
        self.assertEqual(on_small.blocked_item_ids, self._items(self.small))
        # Ending both releases the big invoice's items.
        first.sudo(self.collector1).action_reject()
        second.sudo(self.collector1).action_reject()
        self.assertEqual(self._blocked(self.big), {False})

    def test_expired_unblocks(self):
        dispute = self._dispute(200000.0, date_expiry="2026-06-20")
        self.assertEqual(self._blocked(self.big), {True})
        self.Dispute._cron_expire()
        dispute.invalidate_cache()
        # Open through its expiry day; expired the day after.
        self.assertEqual((dispute.state, dispute.date_resolved,
                          dispute.resolution),
                         ("expired", "2026-06-21", False))
        self.assertEqual(self._blocked(self.big), {False})
        self.assertEqual(self._aging("2026-06-20")["disputed"], 200000.0)
        self.assertEqual(self._aging("2026-06-21")["disputed"], 0.0)
        # A dispute expiring on the company's today is still open.
        today = self._today()
        later = self._dispute(100000.0, date_expiry=today)
        self.Dispute._cron_expire()
        self.assertEqual(later.state, "open")
        with self.assertRaisesRegex(ValidationError, "before it was opened"):
            self._dispute(1.0, date_expiry="2026-06-09")

    def test_accept_and_reject(self):
        dispute = self._dispute(200000.0)
        action = dispute.sudo(self.collector1).action_accept(
            open_credit_note=True)
        self.assertEqual(action["res_model"], "account.invoice.refund")
        self.assertEqual(action["context"]["active_id"], self.big.id)
        self.assertEqual(
            (dispute.state, dispute.resolution, dispute.date_resolved),
            ("accepted", "credit_note", self._today()))
        self.assertEqual(self._blocked(self.big), {False})
        with self.assertRaisesRegex(UserError, "not open"):
            dispute.sudo(self.collector1).action_reject()
        other = self._dispute(100000.0)
        other.sudo(self.collector1).action_reject()
        self.assertEqual((other.state, other.resolution),
                         ("rejected", "rejected"))
        # Resolved today: not disputed in today's aging.
        self.assertEqual(self._aging(self._today())["disputed"], 0.0)
        # A closed dispute keeps its figures.
        with self.assertRaises(UserError):
            other.sudo(self.collector1).write({"amount": 5.0})

    def test_status_refused_over_write(self):
        dispute = self._dispute(200000.0)
        for vals in ({"state": "accepted"}, {"resolution": "paid"},
                     {"date_resolved": D}, {"name": "X"},
                     {"partner_id": self.customer2.id},
                     {"company_id": self.company.id}):
            with self.assertRaises(UserError):
                dispute.sudo(self.manager).write(vals)
        self.assertEqual((dispute.state, dispute.name[:4]), ("open", "REC/"))
        # A state given on create is ignored: born open.
        created = self._dispute(1.0, state="accepted",
                                resolution="credit_note")
        self.assertEqual((created.state, created.resolution),
                         ("open", False))
        # Deleting the last open dispute unblocks the invoice.
        (dispute | created).sudo(self.manager).unlink()
        self.assertEqual(self._blocked(self.big), {False})

    def test_only_customer_invoices(self):
        refund = self._create_invoice(self.customer, 1000.0,
                                      inv_type="out_refund")
        with self.assertRaises(ValidationError):
            self._dispute(10.0, invoice=refund, user=self.manager)
        draft = self._create_invoice(self.customer, 1000.0, post=False)
        with self.assertRaises(ValidationError):
            self._dispute(10.0, invoice=draft, user=self.manager)

    def test_collector_only_own_customers(self):
        invoice2 = self._create_invoice(self.customer2, 1000.0)
        with self.assertRaises(AccessError):
            self._dispute(10.0, invoice=invoice2, user=self.collector1)
        theirs = self._dispute(10.0, invoice=invoice2, user=self.collector2)
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).read(["amount"])
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).write({"note": "x"})
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).action_reject()
        self.assertEqual(theirs.state, "open")
        # Nor moved onto another collector's customer's invoice.
        mine = self._dispute(10.0)
        with self.assertRaises(AccessError):
            mine.sudo(self.collector1).write({"invoice_id": invoice2.id})
        self.assertFalse(self.Dispute.sudo(self.collector1).search([
            ("id", "=", theirs.id)]))

    def test_invoice_buttons(self):
        invoice = self.big.sudo(self.collector1)
        action = invoice.action_cartera_new_dispute()
        self.assertEqual((action["res_model"], action["view_mode"]),
                         ("cartera.dispute", "form"))
        self.assertEqual(action["context"]["default_invoice_id"],
                         self.big.id)
        # The form opens with those defaults, for the collector.
        defaults = self.Dispute.sudo(self.collector1).with_context(
            action["context"]).default_get(["invoice_id", "amount",
                                            "state", "user_id"])
        self.assertEqual(
            (defaults["invoice_id"], defaults["amount"], defaults["state"],
             defaults["user_id"]),
            (self.big.id, BIG, "open", self.collector1.id))
        self.assertTrue(self.Dispute.sudo(self.collector1).fields_view_get(
            action["views"][0][0], "form")["arch"])
        self._dispute(200000.0)
        self._dispute(1000.0, invoice=self.small)
        self.big.invalidate_cache()
        self.assertEqual(invoice.cartera_dispute_count, 1)
        self.assertEqual(invoice.action_cartera_disputes()["domain"],
                         [("invoice_id", "=", self.big.id)])


class TestDisputedFigures(DisputeCase):

    def test_statement_disputed(self):
        self._dispute(200000.0)
        statement = self.engine.statements(D, [self.customer.id])[0]
        self.assertEqual(
            (statement["total"], statement["disputed"],
             statement["collectable"]), (1500000.0, 200000.0, 1300000.0))
        self.assertEqual(sum(d["amount_open"] for d in statement[
            "documents"]), 1500000.0)
        # The statement speaks its customer's language.
        self.customer.lang = SPANISH
        html = self.env.ref(
            "cartera_seguimiento.cartera_statement_report").with_context(
            lang="es_CO").render_qweb_html(
            self.customer.ids, {"date_at": D})[0].decode("utf-8")
        self.assertIn("200.000,00", html)
        self.assertIn("1.300.000,00", html)

    def test_disputed_capped_by_open_amount(self):
        # Paid down after the dispute was opened: only what is still
        # open can be disputed.
        self._dispute(800000.0)
        vals = self.big._prepare_payment_vals(self.bank, 600000.0, D)
        self.env["account.payment"].create(vals).post()
        row = self._aging()
        self.assertEqual((row["total"], row["disputed"], row["collectable"]),
                         (900000.0, 400000.0, 500000.0))
        self.assertEqual(self._aging("2026-06-29")["disputed"], 800000.0)

    def test_kpis_overdue_share(self):
        """Closing 1.500.000, overdue 1.000.000 (66,67 %). Disputes: 200.000
        on the overdue invoice, 250.000 on the one not due. Without
        disputes: (1.000.000 - 200.000) / (1.500.000 - 450.000) =
        800.000 / 1.050.000 = 76,19 %."""
        self._dispute(200000.0)
        self._dispute(250000.0, invoice=self.small, date_open="2026-06-20")
        kpis = self.engine.kpis("2026-06-01", D, [self.customer.id])
        self.assertEqual(
            (kpis["closing"], kpis["overdue"], kpis["disputed"],
             kpis["disputed_overdue"]),
            (1500000.0, 1000000.0, 450000.0, 200000.0))
        self.assertEqual(kpis["overdue_pct"], 66.67)
        self.assertEqual(kpis["overdue_undisputed_pct"], 76.19)
        # The existing indicators are unchanged.
        self.assertEqual(kpis["overdue_90"], 0.0)
        self.assertEqual(kpis["closing_not_due"], SMALL)
        # May: the invoice was not yet disputed.
        months = self.engine.kpi_months(D, 2, [self.customer.id])
        self.assertEqual([(m["disputed"], m["overdue_pct"],
                           m["overdue_undisputed_pct"]) for m in months],
                         [(0.0, 0.0, 0.0), (450000.0, 66.67, 76.19)])
        # The indicators' page shows both shares (Cobrador Uno's only
        # customer with June figures is this one).
        wizard = self.env["cartera.kpi.report.wizard"].sudo(
            self.manager).with_context(lang="es_CO").create({
                "month": "6", "year": 2026,
                "salesperson_id": self.collector1.id})
        html = self.env.ref(
            "cartera_seguimiento.cartera_kpi_report").sudo(
            self.manager).with_context(lang="es_CO").render_qweb_html(
            wizard.ids)[0].decode("utf-8")
        for text in ("450.000,00", "66,67</span> %", "76,19</span> %",
                     "Participación vencida sin reclamos"):
            self.assertIn(text, html)

    def test_aging_outputs(self):
        self._dispute(200000.0)
        wizard = self.env["cartera.aging.report.wizard"].sudo(
            self.collector1).with_context(lang="es_CO").create({
                "date_at": D, "partner_ids": [(6, 0, self.customer.ids)]})
        values = wizard._report_values()
        self.assertEqual((values["totals"]["total"],
                          values["totals"]["disputed"],
                          values["totals"]["collectable"]),
                         (1500000.0, 200000.0, 1300000.0))
        sheet = wizard._xlsx_sheets()[0]
        self.assertEqual(sheet["rows"][0][-3:],
                         [1500000.0, 200000.0, 1300000.0])
        self.assertEqual(sheet["columns"][-2][0], "En reclamo")


class TestDisputeReport(DisputeCase):
    """Period June 2026, as of D:
      A 200.000 opened 06-10, open -> age 20, no days to resolve
      B 100.000 opened 05-20 expiring 06-14 -> expired 06-15: 26 and 26
      C  50.000 (small) opened 06-05 accepted 06-25 -> 20 and 20
      E  10.000 opened 05-01 resolved 05-31 -> before the period: out
      F  10.000 opened 07-02 -> after the period: out
    Totals: 3 disputes, 350.000; open 1 (200.000), closed 2 (150.000),
    average days to resolve 23."""

    def setUp(self):
        super(TestDisputeReport, self).setUp()
        self.a = self._dispute(200000.0)
        self.b = self._dispute(100000.0, date_open="2026-05-20",
                               date_expiry="2026-06-14", reason="quality")
        self.Dispute._cron_expire()
        self.c = self._dispute(50000.0, invoice=self.small,
                               date_open="2026-06-05")
        self.c._write_resolution({"state": "accepted",
                                  "resolution": "credit_note",
                                  "date_resolved": "2026-06-25"})
        e = self._dispute(10000.0, date_open="2026-05-01")
        e._write_resolution({"state": "rejected", "resolution": "rejected",
                             "date_resolved": "2026-05-31"})
        self._dispute(10000.0, date_open="2026-07-02")

    def test_figures(self):
        engine = self.env["cartera.ar.report"].sudo(self.collector1)
        rows = engine.disputes("2026-06-01", D, [self.customer.id])
        self.assertEqual(
            [(r["name"], r["amount"], r["open"], r["state"], r["age"],
              r["days_to_resolve"]) for r in rows],
            [(self.b.name, 100000.0, False, "expired", 26, 26),
             (self.c.name, 50000.0, False, "accepted", 20, 20),
             (self.a.name, 200000.0, True, "open", 20, None)])
        totals = engine.dispute_totals(rows)
        self.assertEqual(
            (totals["count"], totals["amount"], totals["open_count"],
             totals["open_amount"], totals["closed_count"],
             totals["closed_amount"], totals["avg_days_to_resolve"]),
            (3, 350000.0, 1, 200000.0, 2, 150000.0, 23.0))
        # As of 06-20, C was still open (accepted on the 25th).
        rows = engine.disputes("2026-06-01", "2026-06-20",
                               [self.customer.id])
        self.assertEqual([(r["name"], r["open"], r["age"]) for r in rows],
                         [(self.b.name, False, 26), (self.c.name, True, 15),
                          (self.a.name, True, 10)])
        # Another collector sees none of them.
        self.assertEqual(self.env["cartera.ar.report"].sudo(
            self.collector2).disputes("2026-06-01", D), [])

    def test_outputs(self):
        wizard = self.env["cartera.dispute.report.wizard"].sudo(
            self.manager).with_context(lang="es_CO").create({
                "date_from": "2026-06-01", "date_to": D,
                "partner_ids": [(6, 0, self.customer.ids)]})
        report = self.env.ref("cartera_seguimiento.cartera_dispute_report")
        html = report.sudo(self.manager).with_context(
            lang="es_CO").render_qweb_html(wizard.ids)[0].decode("utf-8")
        for text in (self.a.name, "Cliente Reclamo", "350.000,00",
                     "Vencido", "23,00"):
            self.assertIn(text, html)
        sheet = wizard._xlsx_sheets()[0]
        self.assertEqual([row[0] for row in sheet["rows"]],
                         [self.b.name, self.c.name, self.a.name])
        self.assertEqual(sheet["rows"][2][13:], [20, ""])
        self.assertEqual(sheet["totals"][4], 350000.0)
        self.assertEqual(sheet["totals"][-1], 23.0)
        pdf = wizard.action_print_pdf()
        self.assertEqual(pdf["report_type"], "qweb-pdf")
