# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disputes (reclamos): a customer contests part of an invoice.

While a dispute is open the invoice's receivable items carry Odoo's own
``blocked`` flag and do not climb the collection ladder; the disputed
amount is shown apart in the reports, the rest stays collectable.
"""
from odoo import fields, models

DISPUTE_STATES = [
    ("open", "Open"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]
REASONS = [
    ("price", "Price"),
    ("quantity", "Quantity"),
    ("quality", "Quality or damage"),
    ("not_received", "Not received"),
    ("duplicate", "Billed twice"),
    ("other", "Other"),
]
RESOLUTIONS = [
    ("credit_note", "Credit note"),
    ("rejected", "Rejected"),
    ("paid", "Paid"),
]


class CarteraDispute(models.Model):
    _name = "cartera.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread"]
    _order = "date_open desc, id desc"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    invoice_id = fields.Many2one(
        "account.invoice", string="Invoice", required=True, index=True,
        ondelete="restrict",
        domain="[('type', '=', 'out_invoice'), ('state', '=', 'open')]")
    partner_id = fields.Many2one(
        related="invoice_id.commercial_partner_id", string="Customer",
        store=True, readonly=True, index=True)
    company_id = fields.Many2one(
        related="invoice_id.company_id", string="Company", store=True,
        readonly=True, index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    amount = fields.Monetary(
        string="Disputed Amount", required=True,
        help="At most the invoice's amount due; the rest stays "
             "collectable.")
    reason = fields.Selection(REASONS, string="Reason", required=True,
                              default="other")
    note = fields.Text(string="Details")
    date_open = fields.Date(
        string="Opened", required=True, index=True,
        default=fields.Date.context_today)
    date_expiry = fields.Date(
        string="Expires", index=True,
        help="If still open on this day, the dispute expires and the "
             "invoice climbs the collection ladder again.")
    date_resolved = fields.Date(string="Resolved", readonly=True)
    resolution = fields.Selection(RESOLUTIONS, string="Result",
                                  readonly=True)
    state = fields.Selection(
        DISPUTE_STATES, string="Status", required=True, readonly=True,
        default="open", index=True, copy=False,
        track_visibility="onchange")
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True,
        default=lambda self: self.env.user, ondelete="restrict")
