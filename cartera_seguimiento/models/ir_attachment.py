# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Files of follow-ups (see cartera_followup_seal.py).

Odoo 11's ir.attachment asks the document it is attached to, but a write of
``res_id`` alone (without ``res_model``) moves a file into another record
without asking that one. Here every attachment of a follow-up, before and
after the write, asks the seal."""
from odoo import api, models

from .cartera_followup_seal import FOLLOWUP_MODEL, followup_ids


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
            self._seal_targets(vals)))._check_not_sealed("attach")
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self.env[FOLLOWUP_MODEL].browse(followup_ids(
            self._seal_targets()))._check_not_sealed("attach")
        return super(IrAttachment, self).unlink()

    @api.multi
    def _seal_targets(self, vals=None):
        """Pairs (model, res_id) of the records these files are attached
        to and, for ``vals`` written, will be; read with one query."""
        if not self.ids:
            return []
        self.env.cr.execute(
            "SELECT res_model, res_id FROM ir_attachment WHERE id IN %s",
            (tuple(self.ids),))
        vals = vals or {}
        targets = []
        for model, res_id in self.env.cr.fetchall():
            targets.append((model, res_id))
            if "res_model" in vals or "res_id" in vals:
                targets.append((vals.get("res_model", model),
                                vals.get("res_id", res_id)))
        return targets
