# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Files of follow-ups (see cartera_followup_seal.py).

Odoo 11's ir.attachment asks the document it is attached to, but a write of
``res_id`` alone (without ``res_model``) moves a file into another record
without asking that one. Here every attachment of a follow-up, before and
after the write, asks the seal."""
from odoo import api, models

from .cartera_followup_seal import FOLLOWUP_MODEL, followup_ids, \
    seal_targets


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def create(self, values):
        context = self.env.context
        self.env[FOLLOWUP_MODEL].browse(followup_ids([(
            values.get("res_model", context.get("default_res_model")),
            values.get("res_id", context.get("default_res_id")))]))\
            ._check_not_sealed("attach")
        return super(IrAttachment, self).create(values)

    @api.multi
    def write(self, vals):
        self.env[FOLLOWUP_MODEL].browse(followup_ids(
            seal_targets(self, vals)))._check_not_sealed("attach")
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self.env[FOLLOWUP_MODEL].browse(followup_ids(
            seal_targets(self)))._check_not_sealed("attach")
        return super(IrAttachment, self).unlink()
