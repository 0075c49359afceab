# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cartera_promise_grace_days = fields.Integer(
        related="company_id.cartera_promise_grace_days",
        string="Grace Days of Payment Promises")
    # issue 25: collection plans.
    cartera_dunning_plan_id = fields.Many2one(
        related="company_id.cartera_dunning_plan_id",
        string="Default Collection Plan")
    cartera_minimum_wage = fields.Monetary(
        related="company_id.cartera_minimum_wage",
        string="Monthly Legal Minimum Wage", currency_field="currency_id")
    # issue 26: late-payment interest.
    cartera_interest_policy = fields.Selection(
        related="company_id.cartera_interest_policy",
        string="Late-Payment Interest")
    cartera_interest_rate = fields.Float(
        related="company_id.cartera_interest_rate",
        string="Agreed Interest Rate (EA %)")
    cartera_interest_days = fields.Selection(
        related="company_id.cartera_interest_days",
        string="Interest Day Convention")
