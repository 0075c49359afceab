# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError

# A closing moves follow-ups into the history under the same ids but leaves
# their conversation (messages, followers) filed where Odoo wrote it:
# rewriting the model of every message and follower re-indexes each of those
# rows, which made up three quarters of a large closing. Odoo decides who
# reads a message from its document, so the messages of a closed follow-up
# are judged by the history record that now holds it.
CLOSED_THREAD_MODELS = {"cartera.followup": "cartera.followup.history"}


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _closed_thread_models(self):
        """{model a conversation is filed under: model that holds its
        records once closed, under the same ids}; a module that closes
        records the same way extends it."""
        return dict(CLOSED_THREAD_MODELS)

    @api.model
    def _closed_readable_messages(self, closed_model, doc_dict):
        """Ids of the messages of ``doc_dict`` ({res_id: message ids})
        whose record, closed into ``closed_model``, the user may read
        (access rights and record rules)."""
        closed = self.env[closed_model]
        if not doc_dict or not closed.check_access_rights(
                "read", raise_exception=False):
            return set()
        readable = set()
        for res_id in closed.search([("id", "in", list(doc_dict))]).ids:
            readable |= doc_dict[res_id]
        return readable

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        allowed = super(MailMessage, self)._find_allowed_model_wise(
            doc_model, doc_dict)
        closed_model = self._closed_thread_models().get(doc_model)
        if closed_model:
            # Open follow-ups were judged by Odoo already.
            undecided = {res_id: message_ids
                         for res_id, message_ids in doc_dict.items()
                         if not message_ids <= allowed}
            allowed |= self._closed_readable_messages(closed_model,
                                                      undecided)
        return allowed

    @api.multi
    def _readable_through_closed_records(self):
        """The messages of self whose document was closed and whose closed
        record the user may read."""
        models_map = self._closed_thread_models()
        if not self.ids or not models_map:
            return self.browse()
        self.env.cr.execute(
            "SELECT id, model, res_id FROM mail_message "
            "WHERE id IN %s AND model IN %s AND res_id IS NOT NULL",
            (tuple(self.ids), tuple(models_map)))
        by_model = defaultdict(lambda: defaultdict(set))
        for message_id, model, res_id in self.env.cr.fetchall():
            by_model[model][res_id].add(message_id)
        readable = set()
        for model, doc_dict in by_model.items():
            readable |= self._closed_readable_messages(models_map[model],
                                                       doc_dict)
        return self.browse(readable)

    @api.multi
    def check_access_rule(self, operation):
        try:
            # Every message read anywhere in Odoo comes through here: only
            # those Odoo refuses are looked up among the closed records.
            return super(MailMessage, self).check_access_rule(operation)
        except AccessError:
            # Only reading goes through the closed record: it is immutable,
            # so nobody writes, answers or deletes through it.
            if operation != "read":
                raise
            others = self - self._readable_through_closed_records()
            if others == self:
                raise
            return super(MailMessage, others).check_access_rule(operation)

    @api.multi
    def message_format(self):
        """Messages of a closed record point the web client (record links,
        answers) at the record that holds it now."""
        values = super(MailMessage, self).message_format()
        for model, closed_model in self._closed_thread_models().items():
            res_ids = {value["res_id"] for value in values
                       if value.get("model") == model and value.get("res_id")}
            if not res_ids:
                continue
            closed_ids = set(self.env[closed_model].sudo().browse(
                list(res_ids)).exists().ids)
            for value in values:
                if (value.get("model") == model
                        and value.get("res_id") in closed_ids):
                    value["model"] = closed_model
        return values
