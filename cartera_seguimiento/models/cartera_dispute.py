# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disputes (reclamos): a customer contests part of an invoice.

While a dispute is open the invoice's receivable items carry Odoo's own
``blocked`` flag and do not climb the collection ladder; the disputed
amount is shown apart in the reports, the rest stays collectable.

This file holds the fields, what a user may create and change, and the
constraints; ``cartera_dispute_resolve.py`` the resolutions, the expiry and
the ``blocked`` flag.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import values

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
# Set by the resolutions and the expiry alone (action_accept,
# action_reject, action_paid, _cron_expire): ignored on create, where a
# dispute is born open, and refused on write.
RESOLUTION_FIELDS = ("name", "state", "resolution", "date_resolved")
# Those of the invoice (related fields): ignored on create, refused on
# write, where Odoo would write them into the invoice through their
# inverse.
INVOICE_FIELDS = ("partner_id", "company_id", "currency_id")
# What a closed dispute keeps as it was.
CLOSED_FIELDS = ("invoice_id", "amount", "date_open", "date_expiry")
# Half a cent: amounts are compared in the company currency's cents.
EPSILON = 0.005


class CarteraDispute(models.Model):
    _name = "cartera.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread"]
    _order = "date_open desc, id desc"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    invoice_id = fields.Many2one(
        "account.invoice", string="Invoice", required=True, index=True,
        ondelete="restrict", track_visibility="onchange",
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
        track_visibility="onchange",
        help="At most the invoice's amount due; the rest stays "
             "collectable.")
    reason = fields.Selection(REASONS, string="Reason", required=True,
                              default="other")
    note = fields.Text(string="Details")
    date_open = fields.Date(
        string="Opened", required=True, index=True,
        default=fields.Date.context_today)
    date_expiry = fields.Date(
        string="Expires", index=True, track_visibility="onchange",
        help="If still open on this day, the dispute expires and the "
             "invoice climbs the collection ladder again.")
    date_resolved = fields.Date(string="Resolved", readonly=True)
    resolution = fields.Selection(RESOLUTIONS, string="Result",
                                  readonly=True,
                                  track_visibility="onchange")
    state = fields.Selection(
        DISPUTE_STATES, string="Status", required=True, readonly=True,
        default="open", index=True, copy=False,
        track_visibility="onchange")
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True,
        default=lambda self: self.env.user, ondelete="restrict",
        track_visibility="onchange")

    _sql_constraints = [
        ("amount_positive", "CHECK (amount > 0)",
         "The disputed amount must be greater than zero."),
    ]

    # ------------------------------------------------------------------
    # Capture
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        vals = dict(vals, state="open", resolution=False,
                    date_resolved=False)
        for name in INVOICE_FIELDS + ("name",):
            vals.pop(name, None)
        values.check_values(self, vals)
        self._check_amount_value(vals)
        self._check_invoice_access(vals.get("invoice_id"))
        # Checked before the row exists (the constraints check again).
        invoice = self.env["account.invoice"].sudo().browse(
            vals.get("invoice_id"))
        if invoice:
            # Without one, the ORM says the invoice is required.
            self._check_invoice_of(invoice)
            self._check_amount_due_of(
                invoice, float(vals.get("amount") or 0.0))
        vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
            "cartera.dispute") or "/"
        dispute = super(CarteraDispute, self).create(vals)
        dispute._sync_blocked(invoice)
        return dispute

    @api.multi
    def write(self, vals):
        if set(RESOLUTION_FIELDS) & set(vals):
            raise UserError(_(
                "The status of a dispute changes through its buttons only "
                "(accept, reject, paid) or when it expires."))
        if set(INVOICE_FIELDS) & set(vals):
            raise UserError(_(
                "The customer and the company of a dispute are those of "
                "its invoice."))
        values.check_values(self, vals)
        self._check_amount_value(vals)
        if set(CLOSED_FIELDS) & set(vals) and any(
                dispute.state != "open" for dispute in self):
            raise UserError(_(
                "A dispute that is no longer open keeps its invoice, "
                "amount and dates."))
        invoices = self.sudo().mapped("invoice_id")
        if "invoice_id" in vals:
            self._check_invoice_access(vals["invoice_id"])
        result = super(CarteraDispute, self).write(vals)
        if "invoice_id" in vals or "amount" in vals:
            self._check_amount_due()
        if "invoice_id" in vals:
            self._sync_blocked(invoices | self.sudo().mapped("invoice_id"))
        return result

    @api.multi
    def _write_resolution(self, vals):
        """Write the fields write() refuses to callers (the ORM's own
        write, with its tracking), as superuser: after the caller's right
        was checked (``_resolve``), or from the cron. Defined here, where
        super() passes over the refusal."""
        return super(CarteraDispute, self.sudo()).write(vals)

    @api.multi
    def unlink(self):
        invoices = self.sudo().mapped("invoice_id")
        result = super(CarteraDispute, self).unlink()
        self._sync_blocked(invoices)
        return result

    @api.model
    def _check_invoice_access(self, invoice_id):
        """The caller disputes only invoices they read: a collector, those
        of their customers (the invoices' record rules, cartera.scope)."""
        if not invoice_id:
            return
        invoice = self.env["account.invoice"].browse(invoice_id)
        try:
            invoice.check_access_rights("read")
            invoice.check_access_rule("read")
        except AccessError:
            raise AccessError(_(
                "You may only open disputes on the invoices of your own "
                "customers."))

    @api.multi
    def _check_amount_due(self):
        """The open disputes of an invoice add up to at most its amount
        due when they are opened or changed: the rest stays collectable."""
        for invoice in self.sudo().mapped("invoice_id"):
            self._check_amount_due_of(invoice)

    @api.model
    def _check_amount_due_of(self, invoice, new_amount=0.0):
        """The open disputes of ``invoice`` and ``new_amount`` (a dispute
        about to be opened) add up to at most its amount due. Read as
        superuser after the caller's right on the invoice was checked (a
        collector reads no residual of other documents)."""
        invoice = invoice.sudo()
        open_disputes = invoice.cartera_dispute_ids.filtered(
            lambda dispute: dispute.state == "open")
        disputed = sum(open_disputes.mapped("amount")) + new_amount
        due = invoice.residual_company_signed
        if disputed - due > EPSILON:
            raise ValidationError(_(
                "The disputed amount (%s) exceeds the amount due of "
                "invoice %s (%s).") % (
                self._format_amount(disputed, invoice),
                invoice.number or invoice.display_name,
                self._format_amount(due, invoice)))

    @api.model
    def _format_amount(self, amount, invoice):
        currency = invoice.company_id.currency_id
        return "%s %s" % (currency.name, "{:,.{prec}f}".format(
            amount, prec=currency.decimal_places))

    @api.model
    def _check_amount_value(self, vals):
        """A clear error before PostgreSQL's CHECK refuses the row."""
        if "amount" in vals and float(vals["amount"] or 0.0) <= 0:
            raise ValidationError(_(
                "The disputed amount must be greater than zero."))

    @api.constrains("amount")
    def _check_amount(self):
        for dispute in self:
            if dispute.amount <= 0:
                raise ValidationError(_(
                    "The disputed amount must be greater than zero."))

    @api.constrains("invoice_id")
    def _check_invoice(self):
        for dispute in self.sudo():
            self._check_invoice_of(dispute.invoice_id)

    @api.model
    def _check_invoice_of(self, invoice):
        """A dispute is on an open customer invoice of the user's
        company."""
        invoice = invoice.sudo()
        if not invoice or invoice.type != "out_invoice" or \
                invoice.state != "open":
            raise ValidationError(_(
                "Document %s is not an open customer invoice.") % (
                invoice.number or invoice.display_name))
        if invoice.company_id != self.env.user.company_id:
            raise ValidationError(_(
                "Invoice %s belongs to another company.") % (
                invoice.number or invoice.display_name))

    @api.constrains("date_open", "date_expiry")
    def _check_dates(self):
        for dispute in self:
            if dispute.date_expiry and dispute.date_expiry < \
                    dispute.date_open:
                raise ValidationError(_(
                    "A dispute cannot expire (%s) before it was opened "
                    "(%s).") % (dispute.date_expiry, dispute.date_open))
