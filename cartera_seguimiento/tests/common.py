# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Real users with only the groups they need, customers with salespeople and
posted invoices: the ground every test of the addon stands on.

The tests run on any Odoo 11 database with the addon: ours (Colombian chart,
COP, Spanish) and a plain one (any chart and currency, English only). Accounts
and journals are taken from the company's chart by type, and Spanish, which
the collectors speak, is loaded by the tests themselves where it is missing."""
from odoo.tests.common import SavepointCase

from ..models.cartera_digest import DIGEST_DATE_KEY

SPANISH = "es_CO"


def load_spanish(env):
    """Make es_CO active with the addon's Spanish terms, if the database has
    not got it (a plain database is English only). Inside the test's
    transaction: rolled back with it."""
    if not env["res.lang"].search([("code", "=", SPANISH)]):
        # Creates and activates the language, then loads the addon's es.po
        # (es_CO is read over es): what Odoo does for an installed module.
        env["ir.translation"].load_module_terms(
            ["cartera_seguimiento"], [SPANISH])
    return SPANISH


class CarteraCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(CarteraCase, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, mail_create_nolog=True,
            mail_notrack=True, no_reset_password=True, lang="en_US"))
        load_spanish(cls.env)
        # The administrator works in Bogotá, as the collectors do (a plain
        # database has another time zone, or none).
        cls.env.user.tz = "America/Bogota"
        cls.company = cls.env.ref("base.main_company")
        # The agenda's today is the company's (its address's time zone).
        cls.company.partner_id.tz = "America/Bogota"
        # Whether a server already sent today's digest is no business of
        # these tests: each may send its own.
        cls.env["ir.config_parameter"].set_param(DIGEST_DATE_KEY, False)
        cls.company = cls.env.ref("base.main_company")
        cls.group_user = cls.env.ref("cartera_seguimiento.group_cartera_user")
        cls.group_manager = cls.env.ref(
            "cartera_seguimiento.group_cartera_manager")
        cls.collector1 = cls._create_user("cob1", "Cobrador Uno", cls.group_user)
        cls.collector2 = cls._create_user("cob2", "Cobrador Dos", cls.group_user)
        cls.manager = cls._create_user("jefe", "Jefe Cartera", cls.group_manager)
        cls.accountant = cls._create_user(
            "conta", "Contador", cls.env.ref("account.group_account_user"))
        cls.accountant.groups_id |= cls.env.ref("base.group_user")
        Partner = cls.env["res.partner"]
        cls.customer1 = Partner.create({
            "name": "Cliente Uno", "customer": True, "user_id": cls.collector1.id,
            "is_company": True})
        cls.customer1_contact = Partner.create({
            "name": "Contacto de Cliente Uno", "parent_id": cls.customer1.id})
        cls.customer2 = Partner.create({
            "name": "Cliente Dos", "customer": True, "user_id": cls.collector2.id,
            "is_company": True})
        cls.supplier = Partner.create({
            "name": "Proveedor", "supplier": True, "is_company": True})
        cls.type_call = cls.env.ref("cartera_seguimiento.followup_type_call")
        cls.type_visit = cls.env.ref("cartera_seguimiento.followup_type_visit")
        cls.type_promise = cls.env.ref("cartera_seguimiento.followup_type_promise")
        cls.income_account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id", "=", cls.env.ref(
                "account.data_account_type_revenue").id)], limit=1)
        cls.expense_account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id", "=", cls.env.ref(
                "account.data_account_type_expenses").id)], limit=1)
        cls.invoice1 = cls._create_invoice(cls.customer1, 1000.0)
        cls.invoice2 = cls._create_invoice(cls.customer2, 2500.0)

    @classmethod
    def _create_user(cls, login, name, group):
        return cls.env["res.users"].create({
            "login": login, "name": name, "email": "%s@example.com" % login,
            "password": login,
            "company_id": cls.env.ref("base.main_company").id,
            "company_ids": [(6, 0, [cls.env.ref("base.main_company").id])],
            "groups_id": [(6, 0, [group.id])],
            "lang": SPANISH, "tz": "America/Bogota",
        })

    @classmethod
    def _unposted_entry(cls, partner, amount, date, journal=None):
        """A draft journal entry on the customer's receivable account:
        ``amount`` > 0 a debit (as an invoice), < 0 a credit (as a payment
        in ``journal``). No report or judgement may count it."""
        journal = journal or cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "sale")],
            limit=1)
        receivable = partner.property_account_receivable_id
        debit, credit = (amount, 0.0) if amount > 0 else (0.0, -amount)
        move = cls.env["account.move"].create({
            "journal_id": journal.id, "date": date, "ref": "Borrador",
            "line_ids": [
                (0, 0, {"name": "Borrador", "partner_id": partner.id,
                        "account_id": receivable.id, "debit": debit,
                        "credit": credit, "date_maturity": date}),
                (0, 0, {"name": "Borrador", "partner_id": partner.id,
                        "account_id": cls.income_account.id,
                        "debit": credit, "credit": debit}),
            ]})
        assert move.state == "draft", move.state
        return move

    @classmethod
    def _create_invoice(cls, partner, amount, inv_type="out_invoice",
                        date_invoice=None, date_due=None, post=True,
                        currency=None):
        account = cls.income_account
        if inv_type in ("in_invoice", "in_refund"):
            account = cls.expense_account
        vals = {
            "partner_id": partner.id,
            "type": inv_type,
            "date_invoice": date_invoice,
            "date_due": date_due,
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": amount,
                "account_id": account.id})],
        }
        if currency:
            vals["currency_id"] = currency.id
        invoice = cls.env["account.invoice"].create(vals)
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(5, 0, 0)]})
        invoice.compute_taxes()
        if post:
            invoice.action_invoice_open()
        return invoice

    def _followup(self, user=None, **vals):
        values = {
            "partner_id": self.customer1.id,
            "type_id": self.type_call.id,
            "notes": "Llamada para cobro de factura",
        }
        values.update(vals)
        model = self.env["cartera.followup"]
        if user:
            model = model.sudo(user)
        return model.create(values)
