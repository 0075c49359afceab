# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CarteraFollowupHistory(models.Model):
    """Closed follow-ups, exactly as they were when a closing moved them.

    The fields carry the names of ``cartera.followup`` so that reports and
    the follow-up file read either model alike. A history row keeps the id
    of the follow-up it comes from: ids of both tables come from the
    follow-up sequence, so they never collide, and the chatter messages,
    followers and attachments only change their model when moved.
    """
    _name = "cartera.followup.history"
    _description = "Closed Receivable Follow-up"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, index=True)
    followup_id = fields.Integer(
        string="Original Follow-up ID", readonly=True,
        help="Identifier the follow-up had in the current file.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, index=True,
        ondelete="restrict",
    )
    date = fields.Datetime(readonly=True, index=True)
    type_id = fields.Many2one(
        "cartera.followup.type", string="Type", readonly=True,
        ondelete="restrict",
    )
    responsible_id = fields.Many2one(
        "res.users", string="Contact", readonly=True, index=True,
        ondelete="restrict",
    )
    invoice_id = fields.Many2one(
        "account.invoice", string="Document", readonly=True, index=True,
        ondelete="restrict",
    )
    # Plain copies, not related fields: a later change of the invoice must
    # not rewrite the history.
    invoice_number = fields.Char(string="Document Number", readonly=True)
    journal_id = fields.Many2one(
        "account.journal", string="Transaction", readonly=True,
        ondelete="restrict",
    )
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True,
        ondelete="restrict",
    )
    invoice_currency_id = fields.Many2one(
        "res.currency", string="Document Currency", readonly=True,
        ondelete="restrict",
    )
    amount_due = fields.Monetary(
        string="Amount Due at Capture", readonly=True,
        currency_field="invoice_currency_id",
    )
    date_due = fields.Date(string="Due Date at Capture", readonly=True)
    notes = fields.Text(readonly=True)
    next_date = fields.Date(string="Next Task Date", readonly=True)
    next_type_id = fields.Many2one(
        "cartera.followup.type", string="Next Task Type", readonly=True,
        ondelete="restrict",
    )
    next_note = fields.Text(string="Next Task Note", readonly=True)
    task_state = fields.Selection(
        [("none", "No task"), ("pending", "Pending"), ("done", "Done")],
        string="Task Status", readonly=True,
        help="Status of the next task when the follow-up was closed.",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, ondelete="restrict",
    )
    closing_id = fields.Many2one(
        "cartera.closing", string="Closing", readonly=True, index=True,
        ondelete="restrict",
    )
    # Read from the closing rather than copied on every row: each stored
    # many2one costs a foreign-key check per row moved.
    closed_on = fields.Datetime(
        related="closing_id.date", string="Closed On", readonly=True)
    closed_by = fields.Many2one(
        related="closing_id.user_id", string="Closed By", readonly=True)

    # ------------------------------------------------------------------
    # Immutability: no caller, group, context key or superuser gets
    # through, hence no super() call; the closing service inserts with SQL.
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_(
            "Closed follow-ups cannot be created: only a closing moves "
            "follow-ups into the history."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Closed follow-ups cannot be modified."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Closed follow-ups cannot be deleted."))
