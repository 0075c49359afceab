# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A level of a collection plan: when an open item reaches it (days from
its due date, days since its previous level, amount) and what reaching it
does (mail, letter, activity, the prior notice of Ley 1266, the report to
the credit bureaus)."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

STAGES = [
    ("preventive", "Preventive"),
    ("administrative", "Administrative"),
    ("prelegal", "Pre-legal"),
    ("legal", "Legal"),
]
ACTIVITY_USERS = [
    ("collector", "Collector"),
    ("manager", "Receivables manager"),
]


class CarteraDunningLevel(models.Model):
    _name = "cartera.dunning.level"
    _description = "Collection Level"
    _order = "plan_id, sequence, days, id"

    plan_id = fields.Many2one(
        "cartera.dunning.plan", string="Plan", required=True, index=True,
        ondelete="cascade")
    company_id = fields.Many2one(
        related="plan_id.company_id", string="Company", store=True,
        readonly=True, index=True)
    sequence = fields.Integer(
        default=10, help="Items climb the levels in this order.")
    name = fields.Char(string="Name", required=True, translate=True)
    stage = fields.Selection(STAGES, string="Stage", required=True,
                             default="administrative")
    days = fields.Integer(
        string="Days from Due Date", required=True,
        help="Days after the item's due date from which it reaches this "
             "level; negative: before it is due (preventive reminders).")
    min_days_since_previous = fields.Integer(
        string="Days Since Previous Level",
        help="The item must have reached its previous level at least this "
             "many days before.")
    min_amount = fields.Monetary(
        string="Minimum Amount", currency_field="currency_id",
        help="Items whose amount due is lower do not reach this level.")
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    send_email = fields.Boolean(string="Send E-mail")
    mail_template_id = fields.Many2one(
        "mail.template", string="E-mail Template", ondelete="restrict",
        domain="[('model', '=', 'res.partner')]")
    print_letter = fields.Boolean(string="Print Letter")
    create_activity = fields.Boolean(string="Schedule Activity")
    activity_user = fields.Selection(
        ACTIVITY_USERS, string="Activity For", default="collector")
    activity_type_id = fields.Many2one(
        "mail.activity.type", string="Activity Type", ondelete="restrict")
    activity_summary = fields.Char(string="Activity Summary", translate=True)
    bureau_notice = fields.Boolean(
        string="Prior Notice (Ley 1266)",
        help="Reaching this level sends the customer the prior notice of "
             "Ley 1266 de 2008 art. 12 for the item; its proof (date, "
             "channel, document) is kept.")
    bureau_report = fields.Boolean(
        string="Report to Credit Bureaus",
        help="Reaching this level marks the item reportable to the credit "
             "bureaus; an item reaches it only 20 calendar days after its "
             "prior notice (two notices on different days for small "
             "debts).")

    @api.constrains("send_email", "mail_template_id", "bureau_notice",
                    "print_letter")
    def _check_actions(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(_(
                    "The level %s sends an e-mail: choose its template.")
                    % level.name)
            if level.bureau_notice and not (
                    level.send_email or level.print_letter):
                raise ValidationError(_(
                    "The level %s is the prior notice of Ley 1266: it must "
                    "reach the customer by e-mail or by letter.")
                    % level.name)

    @api.constrains("min_days_since_previous", "min_amount")
    def _check_not_negative(self):
        for level in self:
            if level.min_days_since_previous < 0 or level.min_amount < 0:
                raise ValidationError(_(
                    "The days since the previous level and the minimum "
                    "amount of the level %s cannot be negative.")
                    % level.name)
