# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Followers of follow-ups (see cartera_followup_seal.py).

Odoo 11 lets any employee create and write mail.followers rows for any
document, and message_subscribe/message_unsubscribe, which ask the document,
are only one way to them. Here every row of a follow-up asks the seal, and a
row created or written asks whether the user may read the follow-ups it
follows, before and after: a follower is mailed the conversation."""
from odoo import api, models

from .cartera_followup_seal import FOLLOWUP_MODEL, followup_ids


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def create(self, vals):
        context = self.env.context
        followups = self.env[FOLLOWUP_MODEL].browse(followup_ids([(
            vals.get("res_model", context.get("default_res_model")),
            vals.get("res_id", context.get("default_res_id")))]))
        if followups:
            followups._check_not_sealed("follow")
            followups._check_can_follow([vals.get("partner_id")])
        return super(MailFollowers, self).create(vals)

    @api.multi
    def write(self, vals):
        followups = self.env[FOLLOWUP_MODEL].browse(followup_ids(
            self._seal_targets(vals)))
        if followups:
            followups._check_not_sealed("follow")
            # A change of subtypes brings no new follower; a new partner or
            # document does.
            followups._check_can_follow(
                [vals.get("partner_id")] + self.mapped("partner_id").ids
                if {"partner_id", "res_model", "res_id"} & set(vals)
                else None)
        return super(MailFollowers, self).write(vals)

    @api.multi
    def unlink(self):
        self.env[FOLLOWUP_MODEL].browse(followup_ids(
            self._seal_targets()))._check_not_sealed("follow")
        return super(MailFollowers, self).unlink()

    @api.multi
    def _seal_targets(self, vals=None):
        """Pairs (model, res_id) of the documents these rows follow and,
        for ``vals`` written, will follow; read with one query."""
        if not self.ids:
            return []
        self.env.cr.execute(
            "SELECT res_model, res_id FROM mail_followers WHERE id IN %s",
            (tuple(self.ids),))
        vals = vals or {}
        targets = []
        for model, res_id in self.env.cr.fetchall():
            targets.append((model, res_id))
            if "res_model" in vals or "res_id" in vals:
                targets.append((vals.get("res_model", model),
                                vals.get("res_id", res_id)))
        return targets
