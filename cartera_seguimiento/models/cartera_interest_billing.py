# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Billing the late-payment interest (issue 26, item 5): which days of
which item an interest invoice charged, so that billing again never
charges a day twice. An item's days are billed up to the last ``date_to``
of its billings whose invoice is not cancelled: cancelling the invoice
releases them, and deleting it (a draft or cancelled invoice) deletes its
billings with it.

The days billed of an item are one date (what the engine's
``billed_until`` takes), not a set of periods: releasing an earlier
invoice's days while a later invoice of the same item stands would leave
a hole that billing again could not fill without charging the later days
twice. So an interest invoice is cancelled or deleted only when no later
interest invoice of its items stands (``_check_interest_release``): the
later ones first."""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    cartera_interest_product_id = fields.Many2one(
        "product.product", string="Late-payment Interest Product",
        ondelete="restrict",
        help="The product of the late-payment interest invoices' lines; "
             "its taxes apply.")
    cartera_interest_account_id = fields.Many2one(
        "account.account", string="Late-payment Interest Income Account",
        ondelete="restrict",
        help="The income account of the late-payment interest invoices' "
             "lines.")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cartera_interest_product_id = fields.Many2one(
        related="company_id.cartera_interest_product_id",
        string="Late-payment Interest Product")
    cartera_interest_account_id = fields.Many2one(
        related="company_id.cartera_interest_account_id",
        string="Late-payment Interest Income Account")


class CarteraInterestBilling(models.Model):
    """One item's days of mora charged by one interest invoice's line.
    Written by the billing wizard alone (after checking the caller is a
    manager); read by managers."""
    _name = "cartera.interest.billing"
    _description = "Late-payment Interest Billed"
    _order = "date_to desc, id desc"
    _rec_name = "move_line_id"

    move_line_id = fields.Many2one(
        "account.move.line", string="Item", required=True, readonly=True,
        index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True,
        index=True, ondelete="restrict")
    source_invoice_id = fields.Many2one(
        "account.invoice", string="Invoice in Arrears", readonly=True,
        ondelete="set null")
    date_from = fields.Date(string="From", required=True, readonly=True,
                            help="First day of mora billed.")
    date_to = fields.Date(string="To", required=True, readonly=True,
                          help="Last day of mora billed (included).")
    days = fields.Integer(string="Days", readonly=True)
    amount = fields.Monetary(string="Interest", readonly=True,
                             currency_field="currency_id")
    invoice_id = fields.Many2one(
        "account.invoice", string="Interest Invoice", required=True,
        readonly=True, index=True, ondelete="cascade")
    invoice_line_id = fields.Many2one(
        "account.invoice.line", string="Invoice Line", readonly=True,
        ondelete="cascade")
    state = fields.Selection(
        related="invoice_id.state", string="Status", readonly=True,
        store=True,
        help="The interest invoice's status: a cancelled one releases its "
             "days.")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True,
        index=True, default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)

    @api.model
    def _billed_until(self, move_line_ids=None):
        """{item id: the last day of mora billed} of the user's company,
        from the billings whose invoice is not cancelled: what the engine
        takes as ``billed_until``. One query."""
        condition = sql.SQL("")
        params = {"company_id": self.env.user.company_id.id}
        if move_line_ids is not None:
            condition = sql.SQL(" AND b.move_line_id IN %(ids)s")
            params["ids"] = tuple(move_line_ids) or (0,)
        self.env.cr.execute(sql.SQL("""
    SELECT b.move_line_id, max(b.date_to)
      FROM cartera_interest_billing b
      JOIN account_invoice i ON i.id = b.invoice_id
     WHERE b.company_id = %(company_id)s AND i.state <> 'cancel'{condition}
     GROUP BY b.move_line_id
""").format(condition=condition), params)
        return dict(self.env.cr.fetchall())


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.multi
    def _interest_billed_elsewhere(self, condition):
        """[(one of these invoices, another interest invoice not cancelled
        and not among these)] billing the same items, the other's billing
        ``other`` standing to this one's ``mine`` as ``condition`` (SQL)
        says. One query."""
        if not self.ids:
            return []
        self.env.cr.execute(sql.SQL("""
            SELECT DISTINCT mine.invoice_id, other.invoice_id
              FROM cartera_interest_billing mine
              JOIN cartera_interest_billing other
                ON other.move_line_id = mine.move_line_id AND {condition}
              JOIN account_invoice i ON i.id = other.invoice_id
             WHERE mine.invoice_id IN %s AND other.invoice_id NOT IN %s
               AND i.state <> 'cancel'
        """).format(condition=sql.SQL(condition)),
            (tuple(self.ids), tuple(self.ids)))
        return self.env.cr.fetchall()

    @api.multi
    def _interest_refuse(self, found, message):
        if found:
            raise UserError(message % (
                ", ".join(self.browse([row[0] for row in found]).mapped(
                    self._interest_invoice_label)),
                ", ".join(self.browse([row[1] for row in found]).mapped(
                    self._interest_invoice_label))))

    @api.model
    def _interest_invoice_label(self, invoice):
        return invoice.number or "%s, %s (%s)" % (
            invoice.partner_id.name, invoice.origin or "", invoice.id)

    @api.multi
    def _check_interest_release(self):
        """Refuse to cancel or delete an interest invoice while a later
        interest invoice bills the same items (see the module's
        docstring)."""
        self._interest_refuse(
            self._interest_billed_elsewhere("other.date_from > mine.date_to"),
            _("The late-payment interest of %s was billed again later, by "
              "%s: cancel or delete that invoice first."))

    @api.multi
    def _check_interest_reopen(self):
        """Refuse to set back to draft a cancelled interest invoice whose
        days another interest invoice billed since: they would be charged
        twice."""
        self._interest_refuse(
            self._interest_billed_elsewhere(
                "other.date_from <= mine.date_to"
                " AND other.date_to >= mine.date_from"),
            _("The days of late-payment interest of %s were billed again "
              "by %s: it cannot be set back to draft."))

    @api.multi
    def action_invoice_draft(self):
        self._check_interest_reopen()
        return super(AccountInvoice, self).action_invoice_draft()

    @api.multi
    def action_invoice_cancel(self):
        self._check_interest_release()
        return super(AccountInvoice, self).action_invoice_cancel()

    @api.multi
    def unlink(self):
        self._check_interest_release()
        return super(AccountInvoice, self).unlink()
