# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "cartera.followup.stats.mixin"]

    @api.multi
    def _cartera_followup_target(self):
        # Follow-ups belong to the commercial partner; its contacts show them.
        return "partner_id", self.commercial_partner_id

    @api.multi
    def _cartera_followup_defaults(self):
        commercial = self.commercial_partner_id
        return {
            "default_partner_id": commercial.id,
            "default_user_id": commercial.user_id.id,
        }
