# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger a collector reads, other companies, and users who do not use
the addon (issue 23, points 3, 9 and 10).

A collector (*Cobrador* alone) reads the receivable items, entries, customer
invoices and reconciliations of their own customers and nothing else: not
another collector's customers, not a supplier bill, not a bank entry. A
billing user keeps Odoo's access whatever else they are. A manager of one
company reads nothing of another, in any model or report. An accountant, a
salesperson or a portal user reads partners, users and invoices without a
field list."""
import json

from lxml import etree

from odoo.exceptions import AccessError, UserError

from .common import CarteraCase

DATE = "2026-03-02"
# A stored field of each model, to read a record (read(["id"]) alone does
# not go to the database).
READ_FIELD = {"account.move.line": "name", "account.move": "ref",
              "account.invoice": "number", "account.partial.reconcile":
              "amount", "account.invoice.line": "name",
              "account.invoice.tax": "name", "cartera.followup": "name",
              "cartera.promise": "amount", "cartera.agenda": "partner_id",
              "cartera.kpi.month": "month", "cartera.closing": "date_from",
              "cartera.statement.run": "date_at",
              "cartera.statement.run.line": "partner_id"}


class LedgerCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(LedgerCase, cls).setUpClass()
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        cls.misc = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "general")],
            limit=1)
        cls.bill = cls._create_invoice(cls.supplier, 800.0, "in_invoice")
        cls.invoice1b = cls._create_invoice(cls.customer1, 300.0)
        # A payment of each customer, reconciled with their invoice.
        cls._pay(cls.invoice1, 400.0)
        cls._pay(cls.invoice2, 900.0)
        # A bank entry of no customer (a payroll, a bank fee).
        cls.bank_move = cls.env["account.move"].create({
            "journal_id": cls.misc.id, "date": DATE, "ref": "Nomina",
            "line_ids": [
                (0, 0, {"name": "Nomina", "account_id": cls.expense_account.id,
                        "debit": 700.0, "credit": 0.0}),
                (0, 0, {"name": "Nomina",
                        "account_id":
                            cls.bank.default_credit_account_id.id,
                        "debit": 0.0, "credit": 700.0}),
            ]})
        cls.bank_move.post()
        cls.billing = cls._create_user(
            "facturacion", "Cobrador Facturador", cls.group_user)
        # A collector with no customer of their own, who is also a billing
        # user.
        cls.billing.groups_id |= cls.env.ref("account.group_account_invoice")

    @classmethod
    def _pay(cls, invoice, amount):
        vals = invoice._prepare_payment_vals(cls.bank, amount, DATE)
        vals["currency_id"] = invoice.currency_id.id
        cls.env["account.payment"].create(vals).post()

    def _lines(self, *records):
        return self.env["account.move.line"].browse().union(
            *[r.mapped("move_id.line_ids") if r._name != "account.move"
              else r.line_ids for r in records])

    def _receivable(self, invoice):
        return invoice.move_id.line_ids.filtered(
            lambda l: l.account_id == invoice.account_id)


class TestCollectorLedger(LedgerCase):

    def _visible(self, model, user, records):
        """``records`` that ``user`` finds by searching, and checks that
        reading the others is refused."""
        Model = self.env[model].sudo(user)
        found = Model.search([("id", "in", records.ids)])
        for record in records - found.sudo():
            with self.assertRaises(AccessError):
                Model.browse(record.id).read([READ_FIELD[model]])
        return found.sudo()

    def test_move_lines(self):
        own = self._receivable(self.invoice1)
        own_payment = own.mapped(
            "matched_credit_ids.credit_move_id")
        self.assertTrue(own_payment)
        others = (self._lines(self.invoice2, self.bill, self.bank_move)
                  | self.invoice1.move_id.line_ids - own
                  | own_payment.move_id.line_ids - own_payment)
        visible = self._visible("account.move.line", self.collector1,
                                own | own_payment | others)
        self.assertEqual(visible, own | own_payment)
        # Searching everything finds only receivables of their customers.
        everything = self.env["account.move.line"].sudo(
            self.collector1).search([])
        self.assertEqual(
            set(everything.sudo().mapped("account_id.internal_type")),
            {"receivable"})
        self.assertEqual(
            everything.sudo().mapped("partner_id.commercial_partner_id"),
            self.customer1)

    def test_moves(self):
        own = self.invoice1.move_id | self._receivable(
            self.invoice1).mapped("matched_credit_ids.credit_move_id.move_id")
        others = (self.invoice2.move_id | self.bill.move_id | self.bank_move
                  | self._receivable(self.invoice2).mapped(
                      "matched_credit_ids.credit_move_id.move_id"))
        self.assertEqual(len(own), 2)
        self.assertEqual(len(others), 4)
        visible = self._visible("account.move", self.collector1,
                                own | others)
        self.assertEqual(visible, own)
        self.assertEqual(
            self.env["account.move"].sudo(self.collector2).search(
                [("id", "in", (own | others).ids)]).sudo(),
            self.invoice2.move_id | self._receivable(self.invoice2).mapped(
                "matched_credit_ids.credit_move_id.move_id"))

    def test_invoices(self):
        invoices = self.invoice1 | self.invoice1b | self.invoice2 | self.bill
        visible = self._visible("account.invoice", self.collector1, invoices)
        self.assertEqual(visible, self.invoice1 | self.invoice1b)
        # Their lines and taxes too (any employee reads invoice lines in
        # Odoo 11).
        tax = self.env["account.tax"].search([
            ("company_id", "=", self.company.id),
            ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
            ("amount", ">", 0)], limit=1)
        for invoice in invoices:
            invoice.invoice_line_ids.write(
                {"invoice_line_tax_ids": [(6, 0, tax.ids)]})
            invoice.compute_taxes()
        lines = invoices.mapped("invoice_line_ids")
        self.assertEqual(
            self._visible("account.invoice.line", self.collector1, lines),
            visible.mapped("invoice_line_ids"))
        taxes = invoices.mapped("tax_line_ids")
        if tax:
            self.assertTrue(taxes)
        self.assertEqual(
            self._visible("account.invoice.tax", self.collector1, taxes),
            visible.mapped("tax_line_ids"))
        # A manager: those of every customer invoice, no supplier bill's.
        self.assertEqual(
            self._visible("account.invoice.line", self.manager, lines),
            lines - self.bill.invoice_line_ids)

    def test_partial_reconciles(self):
        own = self._receivable(self.invoice1).mapped("matched_credit_ids")
        other = self._receivable(self.invoice2).mapped("matched_credit_ids")
        self.assertTrue(own and other)
        visible = self._visible("account.partial.reconcile",
                                self.collector1, own | other)
        self.assertEqual(visible, own)

    def test_collector_with_billing_reads_all(self):
        for model, records in (
                ("account.move.line", self._lines(
                    self.invoice2, self.bill, self.bank_move)),
                ("account.move", self.invoice2.move_id | self.bill.move_id
                 | self.bank_move),
                ("account.invoice", self.invoice2 | self.bill),
                ("account.partial.reconcile", self._receivable(
                    self.invoice2).mapped("matched_credit_ids"))):
            self.assertEqual(
                self.env[model].sudo(self.billing).search(
                    [("id", "in", records.ids)]).sudo(), records, model)

    def test_manager_reads_the_receivable_side(self):
        receivables = self._receivable(self.invoice1) | self._receivable(
            self.invoice2)
        Line = self.env["account.move.line"].sudo(self.manager)
        self.assertEqual(
            Line.search([("id", "in", receivables.ids)]).sudo(), receivables)
        self.assertFalse(Line.search([("id", "in", self._lines(
            self.bill, self.bank_move).ids)]))
        Invoice = self.env["account.invoice"].sudo(self.manager)
        self.assertEqual(Invoice.search([("id", "in", (
            self.invoice1 | self.invoice2 | self.bill).ids)]).sudo(),
            self.invoice1 | self.invoice2)
        Move = self.env["account.move"].sudo(self.manager)
        self.assertFalse(Move.search([("id", "in", (
            self.bill.move_id | self.bank_move).ids)]))
        partials = receivables.mapped("matched_credit_ids")
        self.assertEqual(self.env["account.partial.reconcile"].sudo(
            self.manager).search([("id", "in", partials.ids)]).sudo(),
            partials)

    def test_invoice_form_as_collector(self):
        Invoice = self.env["account.invoice"].sudo(self.collector1)
        view = Invoice.fields_view_get(
            view_id=self.env.ref("account.invoice_form").id,
            view_type="form")
        invoice = Invoice.browse(self.invoice1.id)
        values = invoice.read(list(view["fields"]))[0]
        self.assertEqual(values["residual"], 600.0)
        self.assertEqual(values["move_id"][0], self.invoice1.move_id.id)
        # The sub-views of the lines, as the web client reads them.
        for name in ("invoice_line_ids", "tax_line_ids"):
            subview = view["fields"][name].get("views", {}).get("tree")
            if subview and values[name]:
                self.env[view["fields"][name]["relation"]].sudo(
                    self.collector1).browse(values[name]).read(
                        list(subview["fields"]))
        extra = invoice.read([
            "cartera_payments_widget", "residual", "move_id",
            "payment_move_line_ids", "cartera_followup_count"])[0]
        self.assertIn("cartera_payments_widget", view["fields"])
        # A collector who is also a billing user sees Odoo's widget alone.
        arch = self.env["account.invoice"].sudo(self.billing).fields_view_get(
            view_id=self.env.ref("account.invoice_form").id,
            view_type="form")["arch"]
        node = etree.fromstring(arch).xpath(
            "//field[@name='cartera_payments_widget']")[0]
        self.assertTrue(json.loads(node.get("modifiers"))["invisible"])
        node = etree.fromstring(arch).xpath(
            "//field[@name='payments_widget']")[0]
        self.assertFalse(json.loads(node.get("modifiers", "{}")).get(
            "invisible"))
        payments = json.loads(extra["cartera_payments_widget"])["content"]
        self.assertEqual([p["amount"] for p in payments], [400.0])
        self.assertEqual(extra["cartera_payments_widget"],
                         self.invoice1.payments_widget)
        # Odoo's own widgets stay Billing's (the outstanding credits' one
        # reconciles: not a collector's job).
        for name in ("payments_widget", "outstanding_credits_debits_widget"):
            self.assertNotIn(name, view["fields"])
            with self.assertRaises(AccessError):
                invoice.read([name])
        # Another collector's invoice: refused, widget included.
        with self.assertRaises(AccessError):
            Invoice.browse(self.invoice2.id).read(["cartera_payments_widget"])
        self.assertEqual(len(extra["payment_move_line_ids"]), 1)
        self.assertEqual(self.env["account.invoice"].sudo(
            self.collector1).search_count([]), 2)

    def test_reports_still_see_the_portfolio(self):
        Report = self.env["cartera.ar.report"].sudo(self.collector1)
        rows = Report.aging("2026-12-31")
        self.assertEqual({r["partner_id"] for r in rows}, {self.customer1.id})
        self.assertEqual(sum(r["total"] for r in rows), 900.0)


class TestOtherCompany(LedgerCase):

    @classmethod
    def setUpClass(cls):
        super(TestOtherCompany, cls).setUpClass()
        cls.company2 = cls.env["res.company"].create({
            "name": "Otra Compania", "currency_id": cls.company.currency_id.id})
        cls.manager2 = cls.env["res.users"].create({
            "login": "jefe2", "name": "Jefe Otra", "password": "jefe2",
            "email": "jefe2@example.com",
            "company_id": cls.company2.id,
            "company_ids": [(6, 0, [cls.company2.id])],
            "groups_id": [(6, 0, [cls.group_manager.id])]})
        # Something of company 1 in every model of the addon.
        cls.customer1.email = "cliente1@example.com"
        followup = cls._followup(cls, user=cls.collector1, date=DATE + " 10:00:00")
        cls.promise = cls.env["cartera.promise"].sudo(cls.collector1).create({
            "followup_id": followup.id, "amount": 100.0,
            "date": "2026-03-10"})
        cls._followup(cls, user=cls.collector1, date="2026-01-15 10:00:00")
        cls.env["cartera.closing"].sudo(cls.manager)._close_followups(
            "2026-01-01", "2026-01-31")
        cls.env["cartera.kpi.month"].sudo(cls.manager).refresh("2026-07-15")
        cls.env["cartera.statement.wizard"].sudo(cls.collector1).create({
            "date_at": "2026-07-15",
            "partner_ids": [(6, 0, cls.customer1.ids)]}).action_send()

    def test_models_of_company1_exist(self):
        for model in self._models():
            self.assertTrue(self.env[model].sudo(self.manager).search([]),
                            model)

    def _models(self):
        return ["cartera.followup", "cartera.promise", "cartera.agenda",
                "cartera.kpi.month", "cartera.closing",
                "cartera.statement.run", "cartera.statement.run.line"]

    def test_other_manager_reads_nothing(self):
        for model in self._models():
            Model = self.env[model].sudo(self.manager2)
            self.assertFalse(Model.search([]), model)
            # Not even by id.
            record = self.env[model].sudo(self.manager).search([], limit=1)
            with self.assertRaises(AccessError):
                Model.browse(record.id).read([READ_FIELD[model]])
        for model in ("account.move.line", "account.move",
                      "account.invoice", "account.partial.reconcile"):
            self.assertFalse(self.env[model].sudo(self.manager2).search([]),
                             model)

    def test_other_manager_reports_nothing(self):
        Report = self.env["cartera.ar.report"].sudo(self.manager2)
        self.assertEqual(Report.aging("2026-12-31"), [])
        self.assertEqual(Report.movement("2026-01-01", "2026-12-31"), [])
        Followup = self.env["cartera.followup"].sudo(self.manager2)
        self.assertEqual(Followup.listing("2026-01-01", "2026-12-31"), [])
        self.assertEqual(Followup.task_listing("2026-01-01", "2026-12-31"),
                         [])
        self.assertEqual(Report.promises("2026-01-01", "2026-12-31"), [])
        kpis = Report.kpis("2026-01-01", "2026-12-31")
        self.assertEqual((kpis["invoiced"], kpis["closing"]), (0.0, 0.0))
        self.assertFalse(Report.kpi_months("2026-12-31",
                                           by_salesperson=True))
        # The same calls as company 1's manager do find company 1's.
        Report1 = self.env["cartera.ar.report"].sudo(self.manager)
        self.assertTrue(Report1.aging("2026-12-31"))
        self.assertTrue(Report1.movement("2026-01-01", "2026-12-31"))
        self.assertTrue(Report1.kpi_months("2026-12-31",
                                           by_salesperson=True))
        self.assertTrue(self.env["cartera.followup"].sudo(
            self.manager).listing("2026-01-01", "2026-12-31"))
        self.assertTrue(Report1.promises("2026-01-01", "2026-12-31"))
        for method, args in (("history", ([self.customer1.id],)),
                             ("statements", ("2026-12-31",
                                             [self.customer1.id]))):
            with self.assertRaises(UserError):
                getattr(Report, method)(*args)
        self.assertFalse(self.env["cartera.agenda"].sudo(
            self.manager2).search([]))


class TestOutsiders(LedgerCase):
    """Users who do not use the addon read partners, users and invoices
    without a field list, and see its forms."""

    @classmethod
    def setUpClass(cls):
        super(TestOutsiders, cls).setUpClass()
        cls.salesperson = cls._create_user(
            "cartera_vendedor", "Vendedor", cls.env.ref("base.group_user"))
        salesman = cls.env.ref("sales_team.group_sale_salesman",
                               raise_if_not_found=False)
        if salesman:
            cls.salesperson.groups_id |= salesman
        # Odoo 11's accountant is a Billing (or Billing Manager) user.
        cls.biller = cls._create_user(
            "cartera_contador", "Contador Facturacion",
            cls.env.ref("account.group_account_manager"))
        cls.portal = cls._create_user(
            "cartera_portal", "Portal", cls.env.ref("base.group_portal"))
        cls.portal.partner_id.parent_id = cls.customer1

    def _read_all(self, model, user, ids):
        """read() without a field list as ``user``; where Odoo itself
        refuses it (account's partner fields are Billing's), the fields
        refused, none of which may be the addon's."""
        records = self.env[model].sudo(user).browse(ids)
        try:
            return records.read()
        except AccessError:
            pass
        refused = []
        for name in records.fields_get():
            try:
                records.read([name])
            except AccessError:
                refused.append(name)
            records.invalidate_cache()
        self.assertTrue(refused)
        self.assertFalse([n for n in refused if n.startswith("cartera_")],
                         (model, user.login))
        return records.read([n for n in records.fields_get()
                             if n not in refused])

    def test_partners_and_users_read_without_field_list(self):
        values = self.env["res.partner"].sudo(self.biller).browse(
            (self.biller.partner_id | self.customer1).ids).read()
        self.assertNotIn("cartera_promise_ids", values[0])
        self.assertNotIn("cartera_followup_count", values[0])
        self.env["res.users"].sudo(self.biller).browse(
            self.biller.id).read()
        # Odoo 11 itself refuses a bare employee (and one with "Show Full
        # Accounting Features" alone) some partner fields (journal items,
        # invoices) and a portal user the bank accounts: none of the
        # addon's.
        for user in (self.salesperson, self.accountant, self.portal):
            partners = user.partner_id
            if user != self.portal:
                partners |= self.customer1
            values = self._read_all("res.partner", user, partners.ids)
            self.assertNotIn("cartera_promise_state", values[0])
            self._read_all("res.users", user, user.ids)

    def test_invoice_read_without_field_list(self):
        # A bare employee reads no invoice in Odoo 11 (account's ACL).
        for user in (self.biller, self.accountant, self.salesperson):
            Invoice = self.env["account.invoice"].sudo(user)
            if not Invoice.check_access_rights("read", False):
                continue
            values = Invoice.browse(self.invoice1.id).read()[0]
            self.assertNotIn("cartera_followup_count", values)
            self.assertNotIn("cartera_payments_widget", values)

    def test_forms_render_for_an_accountant(self):
        for model, view in (("res.partner", "base.view_partner_form"),
                            ("account.invoice", "account.invoice_form")):
            arch = self.env[model].sudo(self.biller).fields_view_get(
                view_id=self.env.ref(view).id, view_type="form")
            self.assertNotIn("cartera_followup_count", arch["fields"])
            self.assertNotIn("cartera_followup_count", arch["arch"])
            self.assertNotIn("cartera_payments_widget", arch["arch"])
