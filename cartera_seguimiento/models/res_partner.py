# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cartera_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_cartera_followup_stats")
    cartera_last_followup_date = fields.Datetime(
        string="Last Follow-up", compute="_compute_cartera_followup_stats")
    cartera_next_task_date = fields.Date(
        string="Next Follow-up Task", compute="_compute_cartera_followup_stats")

    @api.multi
    def _compute_cartera_followup_stats(self):
        stats = self.env["cartera.followup"]._followup_stats(
            "partner_id", self.mapped("commercial_partner_id").ids)
        for partner in self:
            values = stats.get(partner.commercial_partner_id.id, {})
            partner.cartera_followup_count = values.get("count", 0)
            partner.cartera_last_followup_date = values.get("last_date")
            partner.cartera_next_task_date = values.get("next_date")

    @api.multi
    def action_cartera_followups(self):
        self.ensure_one()
        return self.env["cartera.followup"]._action_for_document(
            self.commercial_partner_id, "partner_id")

    @api.multi
    def action_cartera_new_followup(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return self.env["cartera.followup"]._action_new({
            "default_partner_id": commercial.id,
            "default_user_id": commercial.user_id.id,
        })
