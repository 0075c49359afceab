# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cartera_promise_grace_days = fields.Integer(
        related="company_id.cartera_promise_grace_days",
        string="Grace Days of Payment Promises")
