# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Billing the late-payment interest (issue 26, item 5) on the issue's
hand fixture (test_interest_report.py): no day is ever billed twice.

Under 365, billed up to 2026-03-01 then up to 2026-03-17:
- first invoice: February's 12 days at 25,23 % (73.989,44) and March 1st
  at 25,52 % (10.000.000 × ((1,2552)^(1/365) - 1) = 6.229,20): 80.218,64;
- second: March 2nd to 17th, 16 days at 25,52 %: 99.667,16;
- together 179.885,80, the whole interest. Each invoice line is the
  item's interest of its days rounded to the cent (the engine rounds each
  month), so the invoices together differ from the whole by less than a
  cent per billing; here by none."""
from odoo.exceptions import AccessError, UserError

from .test_interest_report import PAID, TOTAL_365, InterestCase

FIRST, SECOND = 80218.64, 99667.16


class TestInterestBilling(InterestCase):

    @classmethod
    def setUpClass(cls):
        super(TestInterestBilling, cls).setUpClass()
        cls.product = cls.env["product.product"].create({
            "name": "Intereses de mora", "type": "service",
            "taxes_id": [(5,)], "company_id": cls.company.id})
        cls.company.write({
            "cartera_interest_product_id": cls.product.id,
            "cartera_interest_account_id": cls.income_account.id})
        cls.biller = cls._create_user("jefe_fact", "Jefe Facturación",
                                      cls.group_manager)
        cls.biller.groups_id |= cls.env.ref("account.group_account_invoice")

    def _bill(self, date_to, user=None):
        wizard = self.env["cartera.interest.billing.wizard"].sudo(
            user or self.biller).create({
                "date_to": date_to,
                "partner_ids": [(6, 0, self.debtor.ids)]})
        wizard.action_bill()
        self.assertEqual(wizard.state, "done")
        return wizard.invoice_ids.sudo()

    def _billings(self):
        return self.env["cartera.interest.billing"].search(
            [("partner_id", "=", self.debtor.id)])

    def test_bill_whole_then_nothing(self):
        invoice = self._bill(PAID)
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.type, invoice.state, invoice.partner_id),
                         ("out_invoice", "draft", self.debtor))
        [line] = invoice.invoice_line_ids
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.account_id, self.income_account)
        self.assertAlmostEqual(invoice.amount_total, TOTAL_365, places=2)
        self.assertIn(self.invoice.number, line.name)
        self.assertIn("29", line.name)
        [billing] = self._billings()
        self.assertEqual(
            (billing.move_line_id.invoice_id, billing.date_from,
             billing.date_to, billing.days, billing.invoice_id),
            (self.invoice, "2026-02-17", PAID, 29, invoice))
        # Billing again the same day, or later (the invoice is paid since
        # the 17th): nothing more.
        self.assertFalse(self._bill(PAID))
        self.assertFalse(self._bill("2026-04-30"))
        self.assertEqual(len(self._billings()), 1)

    def test_bill_later_bills_only_new_days(self):
        first = self._bill("2026-03-01")
        second = self._bill(PAID)
        self.assertAlmostEqual(first.amount_total, FIRST, places=2)
        self.assertAlmostEqual(second.amount_total, SECOND, places=2)
        self.assertLessEqual(
            abs(first.amount_total + second.amount_total - TOTAL_365),
            0.01)
        self.assertIn("13", first.invoice_line_ids.name)
        self.assertIn("16", second.invoice_line_ids.name)
        billings = self._billings().sorted("date_from")
        self.assertEqual(
            [(b.date_from, b.date_to, b.days) for b in billings],
            [("2026-02-17", "2026-03-01", 13), ("2026-03-02", PAID, 16)])
        item = self.invoice.move_id.line_ids.filtered(
            lambda l: l.account_id.internal_type == "receivable")
        self.assertEqual(self.env["cartera.interest.billing"].sudo(
            self.biller)._billed_until(item.ids), {item.id: PAID})

    def test_cancel_releases_days(self):
        first = self._bill("2026-03-01")
        second = self._bill(PAID)
        # An earlier invoice is not released while a later one stands: its
        # days could not be billed again without the later ones'.
        with self.assertRaises(UserError):
            first.sudo(self.biller).action_invoice_cancel()
        with self.assertRaises(UserError):
            first.sudo(self.biller).unlink()
        self.assertEqual(first.state, "draft")
        # The later one cancelled, its 16 days are billed again.
        second.sudo(self.biller).action_invoice_cancel()
        self.assertEqual(second.state, "cancel")
        again = self._bill(PAID)
        self.assertAlmostEqual(again.amount_total, SECOND, places=2)
        # Its days billed again, the cancelled one stays cancelled.
        with self.assertRaises(UserError):
            second.sudo(self.biller).action_invoice_draft()
        self.assertEqual(second.state, "cancel")
        # Deleting (a draft) releases as well: then the first can go too.
        again.sudo(self.biller).unlink()
        first.sudo(self.biller).unlink()
        self.assertEqual(self._billings().mapped("state"), ["cancel"])
        whole = self._bill(PAID)
        self.assertAlmostEqual(whole.amount_total, TOTAL_365, places=2)

    def test_collectors_cannot_bill(self):
        for user in (self.collector1, self.manager):
            # A collector; a manager without the Billing rights.
            with self.assertRaises(AccessError):
                self._bill(PAID, user)
        self.assertFalse(self._billings())
        self._bill(PAID)
        # Collectors read no billing; managers read them, write none.
        Billing = self.env["cartera.interest.billing"]
        with self.assertRaises(AccessError):
            Billing.sudo(self.collector1).search([])
        billing = Billing.sudo(self.manager).search(
            [("partner_id", "=", self.debtor.id)])
        self.assertEqual(len(billing), 1)
        with self.assertRaises(AccessError):
            billing.write({"date_to": "2026-03-01"})
        with self.assertRaises(AccessError):
            Billing.sudo(self.manager).create({
                "move_line_id": billing.move_line_id.id,
                "partner_id": self.debtor.id, "date_from": PAID,
                "date_to": "2026-12-31", "invoice_id":
                billing.invoice_id.id})

    def test_needs_configuration(self):
        self.company.cartera_interest_account_id = False
        with self.assertRaises(UserError):
            self._bill(PAID)
        self.company.cartera_interest_policy = "none"
        with self.assertRaises(UserError):
            self._bill(PAID)
