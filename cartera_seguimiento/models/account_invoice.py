# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    cartera_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_cartera_followup_stats")
    cartera_last_followup_date = fields.Datetime(
        string="Last Follow-up", compute="_compute_cartera_followup_stats")
    cartera_next_task_date = fields.Date(
        string="Next Follow-up Task", compute="_compute_cartera_followup_stats")

    @api.multi
    def _compute_cartera_followup_stats(self):
        stats = self.env["cartera.followup"]._followup_stats(
            "invoice_id", self.ids)
        for invoice in self:
            values = stats.get(invoice.id, {})
            invoice.cartera_followup_count = values.get("count", 0)
            invoice.cartera_last_followup_date = values.get("last_date")
            invoice.cartera_next_task_date = values.get("next_date")

    @api.multi
    def action_cartera_followups(self):
        self.ensure_one()
        return self.env["cartera.followup"]._action_for_document(
            self, "invoice_id")

    @api.multi
    def action_cartera_new_followup(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return self.env["cartera.followup"]._action_new({
            "default_partner_id": partner.id,
            "default_user_id": partner.user_id.id,
            "default_invoice_id": self.id,
        })
