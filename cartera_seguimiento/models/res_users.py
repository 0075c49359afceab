# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.multi
    def unlink(self):
        self.env["cartera.followup.history"]._check_history_references(self)
        return super(ResUsers, self).unlink()
