# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Billing the late-payment interest (issue 26, item 5): one draft customer
invoice per customer for the interest of the days not billed yet, up to a
date, one line per item; ``cartera.interest.billing`` remembers each
item's days so that billing again charges none twice."""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

from ..models import locks
from ..tools import dates


class CarteraInterestBillingWizard(models.TransientModel):
    _name = "cartera.interest.billing.wizard"
    _description = "Bill Late-payment Interest"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    date_to = fields.Date(
        string="Bill Up To", required=True,
        default=fields.Date.context_today,
        help="The interest of the days of mora up to this one (included) "
             "not billed yet.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=[("customer", "=", True), ("parent_id", "=", False)],
        help="Leave empty for every customer owing interest.")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")],
                             default="draft", readonly=True)
    invoice_ids = fields.Many2many(
        "account.invoice", string="Interest Invoices", readonly=True)

    @api.model
    def _check_caller(self):
        """Managers of the receivables with the right to create customer
        invoices (Odoo's *Billing*) bill the interest."""
        user = self.env.user
        if not user.has_group("cartera_seguimiento.group_cartera_manager"):
            raise AccessError(_(
                "Only receivable managers bill the late-payment interest."))
        if not user.has_group("account.group_account_invoice"):
            raise AccessError(_(
                "Billing the late-payment interest creates customer "
                "invoices: you need the Billing rights of Accounting."))

    @api.model
    def _check_configuration(self, company):
        self.env["cartera.interest.report.wizard"]._check_policy(company)
        if not company.cartera_interest_product_id or \
                not company.cartera_interest_account_id:
            raise UserError(_(
                "Choose the late-payment interest product and income "
                "account in the settings first."))

    @api.multi
    def action_bill(self):
        """The draft interest invoices of the days not billed yet up to
        ``date_to``; the wizard then lists them."""
        self.ensure_one()
        self._check_caller()
        company = self.env.user.company_id
        self._check_configuration(company)
        date_to = dates.check_date(self.env, self.date_to, _("Bill Up To"))
        # One billing per company at a time: two managers billing at once
        # would both read the same days as not billed.
        with locks.claim(self.env.cr, """
                SELECT id FROM res_company WHERE id = %s
                   FOR UPDATE NOWAIT""", (company.id,)) as rows:
            if rows is None:
                raise UserError(_(
                    "Another user is billing the late-payment interest "
                    "right now: try again in a moment."))
            invoices = self._bill(company, date_to)
        self.write({"state": "done", "invoice_ids": [(6, 0, invoices.ids)]})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Bill Late-payment Interest"),
        }

    @api.multi
    def _bill(self, company, date_to):
        """The invoices (and their billings) of the interest up to
        ``date_to`` not billed yet."""
        Billing = self.env["cartera.interest.billing"]
        billed_until = Billing._billed_until()
        rows = self.env["cartera.ar.report"].interest(
            date_to, self.partner_ids.ids or None, billed_until=billed_until,
            detail=False)
        invoices = self.env["account.invoice"]
        currency = company.currency_id
        billings = []
        for row in rows:
            items = [item for item in row["items"] if item["days"] > 0 and
                     not currency.is_zero(currency.round(item["interest"]))]
            if not items:
                continue
            invoice = self._create_invoice(company, row["partner_id"],
                                           date_to, items, billed_until)
            invoices |= invoice
            for item, line in zip(items, invoice.invoice_line_ids.sorted(
                    lambda l: (l.sequence, l.id))):
                billings.append(self._prepare_billing(
                    company, row["partner_id"], invoice, line, item,
                    billed_until, date_to))
        # Written by this wizard alone (the caller is a manager with the
        # Billing rights: checked in action_bill); users read them only.
        for values in billings:
            Billing.sudo().create(values)
        return invoices

    @api.model
    def _date_from(self, item, billed_until):
        """The first day of mora ``item`` is billed from: the day after
        the last one billed, or the start of its mora."""
        mora_from = fields.Date.from_string(item["mora_from"])
        last = billed_until.get(item["move_line_id"])
        if last:
            mora_from = max(mora_from, fields.Date.from_string(last) +
                            timedelta(days=1))
        return fields.Date.to_string(mora_from)

    @api.model
    def _create_invoice(self, company, partner_id, date_to, items,
                        billed_until):
        partner = self.env["res.partner"].browse(partner_id)
        product = company.cartera_interest_product_id
        account = company.cartera_interest_account_id
        fiscal_position = self.env["account.fiscal.position"].\
            get_fiscal_position(partner.id)
        fiscal_position = self.env["account.fiscal.position"].browse(
            fiscal_position)
        taxes = product.taxes_id.filtered(lambda t: t.company_id == company)
        if fiscal_position:
            taxes = fiscal_position.map_tax(taxes, product, partner)
        lines = self.env["account.move.line"].browse(
            [item["move_line_id"] for item in items])
        documents = {line.id: line.invoice_id.number or line.move_id.name
                     for line in lines}
        invoice_lines = []
        for sequence, item in enumerate(items, 1):
            invoice_lines.append((0, 0, {
                "sequence": sequence,
                "product_id": product.id,
                "name": self.with_context(
                    lang=partner.lang or self.env.user.lang)._line_name(
                    documents.get(item["move_line_id"]) or "", item,
                    self._date_from(item, billed_until), date_to),
                "account_id": account.id,
                "quantity": 1.0,
                "uom_id": product.uom_id.id,
                "price_unit": company.currency_id.round(item["interest"]),
                "invoice_line_tax_ids": [(6, 0, taxes.ids)],
            }))
        invoice = self.env["account.invoice"].create({
            "partner_id": partner.id,
            "type": "out_invoice",
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "fiscal_position_id": fiscal_position.id,
            "origin": _("Late-payment interest up to %s") % format_date(
                self.env, date_to, lang_code=partner.lang),
            "invoice_line_ids": invoice_lines,
        })
        invoice.compute_taxes()
        return invoice

    @api.model
    def _line_name(self, document, item, date_from, date_to):
        """The invoice line's description (in the context's language, the
        customer's): the invoice in arrears and the days billed."""
        env = self.env
        return _("Late-payment interest on %(document)s (due %(due)s): "
                 "%(days)d days of mora from %(from)s to %(to)s") % {
            "document": document,
            "due": format_date(env, item["date_due"]),
            "days": item["days"],
            "from": format_date(env, date_from),
            "to": format_date(env, date_to),
        }

    @api.model
    def _prepare_billing(self, company, partner_id, invoice, line, item,
                         billed_until, date_to):
        source = self.env["account.move.line"].browse(
            item["move_line_id"]).invoice_id
        return {
            "move_line_id": item["move_line_id"],
            "partner_id": partner_id,
            "source_invoice_id": item.get("invoice_id") or source.id or
            False,
            "date_from": self._date_from(item, billed_until),
            "date_to": date_to,
            "days": item["days"],
            "amount": line.price_unit,
            "invoice_id": invoice.id,
            "invoice_line_id": line.id,
            "company_id": company.id,
        }

    @api.multi
    def action_open_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action.pop("context", None)
        return action
