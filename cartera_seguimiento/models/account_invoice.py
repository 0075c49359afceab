# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class AccountInvoice(models.Model):
    _name = "account.invoice"
    _inherit = ["account.invoice", "cartera.followup.stats.mixin"]

    @api.multi
    def _cartera_followup_target(self):
        return "invoice_id", self

    @api.multi
    def _cartera_followup_defaults(self):
        partner = self.commercial_partner_id
        return {
            "default_partner_id": partner.id,
            "default_user_id": partner.user_id.id,
            "default_invoice_id": self.id,
        }
