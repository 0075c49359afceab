# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CarteraFollowupType(models.Model):
    # A catalogue shared by every company (call, visit, promise...), as
    # Odoo's own mail.activity.type is: no company field and no company
    # rule. Its records say nothing about any customer; only managers edit
    # them (access rights).
    _name = "cartera.followup.type"
    _description = "Follow-up Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity Type",
        help="Activity scheduled for the responsible user when this type is "
             "chosen as the next task of a follow-up.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a follow-up type must be unique."),
    ]

    @api.model
    def _email_type(self):
        """The e-mail type, by its code (unique, and kept when an
        administrator renames the type or its xml id is lost), archived or
        not; the data's record when nothing has that code."""
        return self.with_context(active_test=False).search(
            [("code", "=", "email")], limit=1) or self.env.ref(
            "cartera_seguimiento.followup_type_email",
            raise_if_not_found=False) or self.browse()
