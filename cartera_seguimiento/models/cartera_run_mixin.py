# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the addon's runs share (statement sending runs, collection runs):
the user they act as, their company and its currency. Each run names the
user its own way (``string`` and ``help`` only: the columns stay as they
were)."""
from odoo import fields, models


class CarteraRunMixin(models.AbstractModel):
    _name = "cartera.run.mixin"
    _description = "Receivable Run"

    user_id = fields.Many2one(
        "res.users", string="User", required=True, readonly=True,
        index=True, default=lambda self: self.env.user, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True,
        index=True, default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
