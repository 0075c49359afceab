# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The conversation of a closed follow-up is sealed (see
cartera_followup_seal.py).

Odoo 11's mail.message asks the document before a message is created,
written or deleted only when nothing else lets the user through: the
superuser passes without asking, a follower or the recipient of the parent
message creates, the author writes. So the seal is asked here, of every
message of a follow-up, whoever the user is."""
from odoo import api, models

from .cartera_followup_seal import FOLLOWUP_MODEL, as_id, followup_ids, \
    seal_targets

# Fields Odoo writes on a message of a closed follow-up, legitimately, that
# change nothing of the file: who starred it (a user's own bookmark,
# toggle_message_starred and unstar_all write it as superuser after
# checking that the user reads the message) and who still has it in their
# inbox (mark_as_unread; set_message_done and mark_all_as_read delete
# mail.notification rows instead). The content, the document it belongs to,
# its recipients, parent and attachments stay sealed.
SEAL_FREE_FIELDS = frozenset(["starred_partner_ids", "needaction_partner_ids"])


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def create(self, values):
        context = self.env.context
        targets = [(values.get("model", context.get("default_model")),
                    values.get("res_id", context.get("default_res_id")))]
        parent_id = values.get("parent_id", context.get("default_parent_id"))
        if as_id(parent_id):
            # An answer to a message of a closed follow-up, filed anywhere,
            # would join its thread.
            targets += self.browse(as_id(parent_id))._seal_targets()
        self.env[FOLLOWUP_MODEL].browse(followup_ids(targets))._check_not_sealed(
            "post")
        return super(MailMessage, self).create(values)

    @api.multi
    def write(self, vals):
        if set(vals) - SEAL_FREE_FIELDS:
            targets = self._seal_targets(vals)
            if as_id(vals.get("parent_id")):
                # Made an answer to a message of a closed follow-up, it
                # would join its thread.
                targets += self.browse(as_id(vals["parent_id"]))\
                    ._seal_targets()
            self.env[FOLLOWUP_MODEL].browse(followup_ids(targets))\
                ._check_not_sealed("message")
        return super(MailMessage, self).write(vals)

    @api.multi
    def unlink(self):
        self.env[FOLLOWUP_MODEL].browse(followup_ids(
            self._seal_targets()))._check_not_sealed("message")
        return super(MailMessage, self).unlink()

    @api.multi
    def _seal_targets(self, vals=None):
        """Pairs (model, res_id) of the documents these messages belong to,
        and, for ``vals`` written, the documents they would belong to
        afterwards (``seal_targets``).

        The mail queue writes back the Message-Id of a message it has sent
        (mail.mail.send writes ``message_id`` through _inherits): the same
        value the message had, which changes nothing and may come after
        the follow-up was closed. Such a message is left out."""
        vals = vals or {}
        same_id_only = set(vals) - SEAL_FREE_FIELDS == {"message_id"}
        return seal_targets(self, vals, model_column="model",
                            unchanged_column="message_id" if same_id_only
                            else None)
