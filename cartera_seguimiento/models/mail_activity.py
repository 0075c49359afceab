# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.multi
    def action_feedback(self, feedback=False):
        """Done from the chatter or the activity menu: the follow-up's task
        is done too (the activity itself is deleted by mail)."""
        if not self._context.get("cartera_skip_task_done"):
            followups = self.env["cartera.followup"].sudo().search(
                [("task_activity_id", "in", self.ids)])
            if followups:
                followups._mark_task_done_from_activity()
        return super(MailActivity, self).action_feedback(feedback=feedback)
