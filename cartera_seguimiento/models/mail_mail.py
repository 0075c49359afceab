# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's mail queue and the statements of account it sends (see
cartera_statement_send.py): checked before sending, followed after; the
collection runs' mails are checked the same way before sending."""
from odoo import api, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.multi
    def send(self, auto_commit=False, raise_exception=False):
        # Odoo's mail queue sends through here: a statement's mail goes to
        # its customer's addresses only, whatever was written on it since
        # it was queued (its message's reply-to is its author's to edit).
        self.env["cartera.statement.run.line"].sudo()._check_mail_recipients(
            self)
        # A collection run's mail too (cartera_dunning_line_actions.py).
        self.env["cartera.dunning.line"].sudo()._check_mail_recipients(self)
        return super(MailMail, self).send(
            auto_commit=auto_commit, raise_exception=raise_exception)

    @api.multi
    def _postprocess_sent_message(self, mail_sent=True):
        # Called by the mail queue after each mail it sent or failed to
        # send, before it deletes an auto-deleted one: the statements'
        # lines follow their mails now. Whoever sends the mail (the queue's
        # cron, an administrator) writes the lines: the addon's
        # bookkeeping, which no user writes.
        self.env["cartera.statement.run.line"].sudo()._follow_sent_mails(
            self)
        return super(MailMail, self)._postprocess_sent_message(
            mail_sent=mail_sent)
