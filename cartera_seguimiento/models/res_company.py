# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    cartera_promise_grace_days = fields.Integer(
        string="Grace Days of Payment Promises", default=3,
        help="Days after its date before an unpaid payment promise is "
             "judged broken.")
    cartera_dunning_plan_id = fields.Many2one(
        "cartera.dunning.plan", string="Default Collection Plan",
        ondelete="set null",
        help="The plan of the customers no other plan is for.")
    cartera_minimum_wage = fields.Monetary(
        string="Monthly Legal Minimum Wage", currency_field="currency_id",
        help="This year's monthly legal minimum wage: a debt of at most "
             "15 % of it needs two prior notices of Ley 1266 before a "
             "report to the credit bureaus.")
    # issue 26: late-payment interest (intereses de mora).
    cartera_interest_policy = fields.Selection([
        ("none", "No Interest"),
        ("legal", "Legal Maximum"),
        ("agreed", "Agreed Rate"),
    ], string="Late-Payment Interest", default="none", required=True,
        help="No interest; each month's legal maximum (1.5 times the "
             "certified bank rate, Código de Comercio art. 884); or an "
             "agreed effective annual rate, applied at the month's legal "
             "maximum when above it.")
    cartera_interest_rate = fields.Float(
        string="Agreed Interest Rate (EA %)", digits=(16, 2),
        help="The late-payment interest agreed with customers, effective "
             "annual %.")
    cartera_interest_days = fields.Selection([
        ("365", "365 days (daily effective rate)"),
        ("360", "360 days (monthly rate / 30)"),
    ], string="Interest Day Convention", default="365", required=True,
        help="365: each day at (1 + EA)^(1/365) - 1 of the month's rate. "
             "360: each day at the monthly effective rate "
             "(1 + EA)^(1/12) - 1 divided by 30.")

    @api.constrains("cartera_interest_policy", "cartera_interest_rate")
    def _check_cartera_interest_rate(self):
        for company in self:
            if company.cartera_interest_policy == "agreed" and not \
                    0 < company.cartera_interest_rate < 1000:
                raise ValidationError(_(
                    "An agreed late-payment interest needs its effective "
                    "annual rate, above zero (got %s).")
                    % company.cartera_interest_rate)
