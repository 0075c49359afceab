# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Followers of follow-ups (see cartera_followup_seal.py).

Odoo 11 lets any employee create and write mail.followers rows for any
document, and message_subscribe/message_unsubscribe, which ask the document,
are only one way to them. Here every row of a follow-up asks the seal, and a
row created or written asks whether the user may read the follow-ups it
follows, before and after: a follower is mailed the conversation."""
from odoo import api, models

from .cartera_followup_seal import FOLLOWUP_MODEL, followup_ids, \
    seal_targets


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
            seal_targets(self, vals)))
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
            seal_targets(self)))._check_not_sealed("follow")
        return super(MailFollowers, self).unlink()
