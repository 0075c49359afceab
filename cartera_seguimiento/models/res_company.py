# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
