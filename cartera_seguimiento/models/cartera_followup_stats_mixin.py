# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CarteraFollowupStatsMixin(models.AbstractModel):
    """Follow-up figures of a record that follow-ups point to (a customer, a
    document), for its smart button, and the actions that open them."""
    _name = "cartera.followup.stats.mixin"
    _description = "Follow-up figures of a customer or document"

    # Collectors' fields only: a customer or invoice read without a field
    # list by someone who does not use the addon (an accountant, a
    # salesperson, a portal user) must not ask for follow-ups.
    cartera_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_last_followup_date = fields.Datetime(
        string="Last Follow-up", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_next_task_date = fields.Date(
        string="Next Follow-up Task", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")

    @api.multi
    def _cartera_followup_target(self):
        """The follow-up field pointing here, and the record it points to."""
        raise NotImplementedError()

    @api.multi
    def _cartera_followup_defaults(self):
        """Defaults of a new follow-up recorded from this record."""
        raise NotImplementedError()

    @api.multi
    def _compute_cartera_followup_stats(self):
        field_name = self[:1]._cartera_followup_target()[0] if self else None
        targets = {rec: rec._cartera_followup_target()[1] for rec in self}
        stats = self.env["cartera.followup"]._followup_stats(
            field_name, [target.id for target in targets.values()])
        for rec, target in targets.items():
            values = stats.get(target.id, {})
            rec.cartera_followup_count = values.get("count", 0)
            rec.cartera_last_followup_date = values.get("last_date")
            rec.cartera_next_task_date = values.get("next_date")

    @api.multi
    def action_cartera_followups(self):
        self.ensure_one()
        field_name, target = self._cartera_followup_target()
        return self.env["cartera.followup"]._action_for_document(
            target, field_name)

    @api.multi
    def action_cartera_new_followup(self):
        self.ensure_one()
        return self.env["cartera.followup"]._action_new(
            self._cartera_followup_defaults())
