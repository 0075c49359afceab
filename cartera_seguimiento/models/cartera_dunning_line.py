# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A line of a collection run: one open item reaching one level on one
day, and what became of it (the communication, the follow-up that records
it, the proof of a prior notice). An item's lines are its level history.

Lines are the addon's bookkeeping: users read them (within their scope);
only the run's methods write them, after checking the caller's right.
"""
from odoo import fields, models

from .cartera_dunning_level import STAGES

LINE_STATES = [
    ("draft", "To Review"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("printed", "Printed"),
    ("cancelled", "Cancelled"),
]
CHANNELS = [("email", "E-mail"), ("letter", "Letter")]


class CarteraDunningLine(models.Model):
    _name = "cartera.dunning.line"
    _description = "Collection Run Line"
    _order = "date desc, id desc"

    run_id = fields.Many2one(
        "cartera.dunning.run", string="Run", required=True, readonly=True,
        index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True,
        index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    move_line_id = fields.Many2one(
        "account.move.line", string="Journal Item", required=True,
        readonly=True, index=True, ondelete="restrict")
    invoice_id = fields.Many2one(
        "account.invoice", string="Document", readonly=True, index=True,
        ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True,
        index=True, ondelete="restrict")
    user_id = fields.Many2one(
        "res.users", string="Collector", readonly=True, index=True,
        ondelete="set null",
        help="The customer's salesperson when the line was created.")
    level_id = fields.Many2one(
        "cartera.dunning.level", string="Level", required=True,
        readonly=True, index=True, ondelete="restrict")
    plan_id = fields.Many2one(
        related="level_id.plan_id", string="Plan", store=True,
        readonly=True)
    stage = fields.Selection(
        STAGES, related="level_id.stage", string="Stage", store=True,
        readonly=True)
    date = fields.Date(string="Date", required=True, readonly=True,
                       index=True)
    date_sent = fields.Date(
        string="Sent On", readonly=True, index=True,
        help="The day the communication left (a line reviewed before "
             "sending leaves after its date): the 20 days of a prior "
             "notice of Ley 1266 count from it.")
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(string="Days Overdue", readonly=True)
    amount_due = fields.Monetary(
        string="Amount Due", readonly=True,
        help="The item's amount due on the line's date, in the company "
             "currency.")
    state = fields.Selection(
        LINE_STATES, string="Status", required=True, readonly=True,
        default="draft", index=True, copy=False)
    channel = fields.Selection(
        CHANNELS, string="Channel", readonly=True,
        help="How the communication reached the customer.")
    followup_id = fields.Many2one(
        "cartera.followup", string="Follow-up", readonly=True,
        ondelete="set null",
        help="The follow-up that records the communication.")
    mail_id = fields.Many2one(
        "mail.mail", string="E-mail", readonly=True, ondelete="set null")
    attachment_id = fields.Many2one(
        "ir.attachment", string="Document Sent", readonly=True,
        ondelete="set null",
        help="The letter or the e-mail's attachment, kept as the proof of "
             "the communication.")
    bureau_notice = fields.Boolean(
        related="level_id.bureau_notice", string="Prior Notice",
        store=True, readonly=True)
    bureau_report = fields.Boolean(
        related="level_id.bureau_report", string="Bureau Report",
        store=True, readonly=True)
