# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A statement's mail (see cartera_statement_run.py): queued in Odoo's mail
queue with its PDF, to its customer alone; its delivery followed; the
follow-up that records it once sent.

A line learns its mail's outcome from Odoo's mail queue itself, as it
sends (``_postprocess_sent_message``, models/mail_mail.py); the run's cron
then records the follow-ups of the lines sent and finishes the run."""
import base64
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

from ..tools import money as amounts
from .cartera_statement_mail import STATEMENT_FOLLOWUP_KEY

_logger = logging.getLogger(__name__)


class CarteraStatementRun(models.Model):
    _inherit = "cartera.statement.run"

    @api.multi
    def _sync_mail_states(self):
        """Lines follow their mails, the follow-ups of those sent are
        recorded, then the run's state follows its lines.

        Odoo's mail queue marks most lines as it sends. The mails whose
        state it writes without that hook are followed here: a mail server
        it cannot reach (``send`` marks the whole batch failed), a mail
        cancelled, failed or deleted by an administrator. Their queued
        lines are few once the hook has marked the rest."""
        Line = self.env["cartera.statement.run.line"]
        for run in self:
            run._lines("queued")._follow_mails()
            # The follow-ups are recorded here rather than in the mail
            # queue's hook: each is a record with its tracking, written
            # once per mail, which would slow Odoo's mail queue for every
            # other mail of the database.
            Line.search([("run_id", "=", run.id), ("state", "=", "sent"),
                         ("followup_id", "=", False),
                         ("error", "=", False)])._record_followups()
            run._update_state()


class CarteraStatementRunLine(models.Model):
    _inherit = "cartera.statement.run.line"

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.multi
    def _queue_mail(self, pdf, total, recipients):
        """Queue this line's mail with its statement attached, to
        ``recipients`` ([(partner id, e-mail)]) alone."""
        self.ensure_one()
        run = self.run_id
        partner = self.partner_id
        lang = self._lang()
        filename = "%s.pdf" % partner.with_context(
            lang=lang)._cartera_statement_file_name(run.date_at)
        mail = self._create_mail(self._prepare_mail_values(
            total, lang, recipients))
        attachment = self.env["ir.attachment"].sudo().create({
            "name": filename, "datas_fname": filename, "type": "binary",
            "datas": base64.b64encode(pdf), "res_model": "mail.message",
            "res_id": mail.mail_message_id.id})
        mail.write({"attachment_ids": [(4, attachment.id)]})
        self.sudo().write({
            "state": "queued",
            "email": ", ".join(email for _pid, email in recipients),
            "amount_total": total,
            "mail_id": mail.id,
            "message_id": mail.mail_message_id.id,
            "error": False,
        })

    @api.multi
    def _prepare_mail_values(self, total, lang, recipients):
        """The mail.mail of this line's statement: the run's template's
        subject, body and sender rendered for the customer as the current
        (the run's) user, who is its author; its recipients are
        ``recipients`` ([(partner id, e-mail)], the customer's statement
        addresses) and nobody else: the template's To, Cc, partners and
        reply-to are not read, whatever an employee typed there.

        The message is filed under no document (a private message: its
        author and, once sent, the follow-up that records it read it): the
        customer's chatter is read by every employee. Never deleted after
        sending: it is the follow-up's copy."""
        self.ensure_one()
        template = self.run_id.template_id.with_context(
            **self._prepare_template_context(total, lang))
        values = template.generate_email(
            self.partner_id.id, fields=["subject", "body_html", "email_from"])
        email_from = values.get("email_from")
        if not email_from:
            raise UserError(_(
                "Neither %s nor the company has an e-mail address to send "
                "the statements from.") % self.env.user.name)
        return dict(
            self._recipient_values(recipients, email_from),
            subject=values.get("subject"),
            body_html=values.get("body_html"),
            body=values.get("body"),
            email_from=email_from,
            author_id=self.env.user.partner_id.id,
            mail_server_id=values.get("mail_server_id") or False,
            attachment_ids=[(6, 0, values.get("attachment_ids") or [])],
            auto_delete=False,
            model=False,
            res_id=False,
            message_type="email",
        )

    @api.model
    def _recipient_values(self, recipients, email_from):
        """The values of a statement's mail that say who receives it: its
        customer's ``recipients`` alone, replies to its sender."""
        return {
            "recipient_ids": [(6, 0, [pid for pid, _email in recipients])],
            "email_to": False,
            "email_cc": False,
            "reply_to": email_from,
            "headers": False,
        }

    @api.multi
    def _create_mail(self, values):
        """The mail in Odoo's queue, created as superuser: mail.mail is
        the administrators' model; the template was rendered as the
        collector."""
        return self.env["mail.mail"].sudo().create(values)

    @api.multi
    def _prepare_template_context(self, total, lang):
        """What the template reads from ``ctx``: the as-of date and the
        total due, written as the customer's language writes them."""
        run = self.run_id
        money = amounts.amount_formatter(self.env, lang)
        return {
            "lang": lang,
            "cartera_statement_date": format_date(
                self.env, run.date_at, lang_code=lang),
            "cartera_statement_total": "%s %s" % (
                run.currency_id.name, money(total)),
        }

    # ------------------------------------------------------------------
    # Delivery: what Odoo's mail queue calls (models/mail_mail.py)
    # ------------------------------------------------------------------
    @api.model
    def _check_mail_recipients(self, mails):
        """Before Odoo's mail queue sends ``mails``: those of statements
        still to send go to their customer's statement addresses alone, as
        they are now; anything else written on them since they were
        queued (a Cc, a To, a reply-to, headers) is dropped, and a mail
        whose customer has no address any more is not sent."""
        self._reset_lines_recipients(
            self.search([("mail_id", "in", mails.ids)]))

    @api.model
    def _reset_lines_recipients(self, lines):
        """The mails still to send of ``lines`` (any lines with a
        ``mail_id`` to their customer ``partner_id``: statements, the
        collection runs') go to their customers' addresses alone, each
        mail checked once (a customer's lines may share one)."""
        lines = lines.filtered(lambda l: l.mail_id.state == "outgoing")
        if not lines:
            return
        recipients = lines.mapped(
            "partner_id")._cartera_statement_recipients()
        checked = set()
        for line in lines:
            if line.mail_id.id in checked:
                continue
            checked.add(line.mail_id.id)
            self._reset_recipients(line.mail_id, line.partner_id,
                                   recipients[line.partner_id.id])

    @api.model
    def _reset_recipients(self, mail, partner, allowed):
        """``mail`` (to ``partner``, still to send) goes to ``allowed``
        ([(partner id, e-mail)], the customer's addresses now) alone:
        anything else written on it is dropped; with no address left, it
        is not sent."""
        if not allowed:
            mail.write({"state": "exception", "failure_reason": _(
                "The customer has no e-mail address for statements.")})
            return
        wanted = self._recipient_values(allowed, mail.email_from)
        if (set(mail.recipient_ids.ids) != set(
                wanted["recipient_ids"][0][2])
                or mail.email_to or mail.email_cc or mail.headers
                or mail.reply_to != mail.email_from):
            _logger.warning(
                "The mail %s to partner %s was sent to %s, copied to %s: "
                "reset to the customer's addresses %s.",
                mail.id, partner.id, mail.recipient_ids.ids or mail.email_to,
                mail.email_cc, [email for _pid, email in allowed])
            mail.write(wanted)

    @api.model
    def _follow_sent_mails(self, mails):
        """After Odoo's mail queue sent ``mails``, or failed to: their
        queued lines follow them. Bookkeeping that must not fail the
        mail: an error here (a line written at the same moment by a
        resume) leaves the lines queued for the run's cron to follow."""
        lines = self.search([("mail_id", "in", mails.ids),
                             ("state", "=", "queued")])
        if not lines:
            return
        try:
            with self.env.cr.savepoint():
                lines._follow_mails()
        except Exception:  # pylint: disable=broad-except
            _logger.exception("The statement lines %s did not follow their "
                              "mails: left to the run's cron", lines.ids)

    @api.multi
    def _follow_mails(self):
        """These queued lines follow their mails, one write per outcome:
        sent (a mail deleted since counts as sent: it was deleted after
        sending), or failed with the mail's reason. Those whose mail is
        still in the queue stay queued."""
        sent = self.filtered(
            lambda l: not l.mail_id or l.mail_id.state == "sent")
        failed = {}
        for line in self.filtered(
                lambda l: l.mail_id.state in ("exception", "cancel")):
            reason = line.mail_id.failure_reason or _(
                "The mail server refused the message.")
            failed[reason] = failed.get(reason, self.browse()) | line
        for reason, lines in failed.items():
            lines.write({"state": "failed", "error": reason})
        if sent:
            sent.write({"state": "sent"})

    # ------------------------------------------------------------------
    # The follow-up of a statement sent
    # ------------------------------------------------------------------
    @api.multi
    def _record_followups(self):
        """A follow-up of the e-mail type for each statement sent, in the
        name of the user who sent it and in their language, with the
        statement's copy (the message and its PDF) filed on it: whoever
        may see the follow-up (its collector, the customer's salesperson,
        a manager) reads it, nobody else. It completes nobody's task."""
        email_type = self.env["cartera.followup.type"]._email_type()
        if not email_type:
            return
        for line in self:
            user = line.run_id.user_id
            try:
                with self.env.cr.savepoint():
                    followup = self.env["cartera.followup"].sudo(
                        user).with_context(**{
                            STATEMENT_FOLLOWUP_KEY: True}).create(
                        line.with_context(
                            lang=user.lang)._prepare_followup_values(
                            email_type))
                    line._file_copy(followup)
            except Exception as error:  # pylint: disable=broad-except
                # The statement was sent all the same: the line keeps it,
                # with why no follow-up records it (an unexpected error
                # too: the next refresh must not stop on it).
                if not isinstance(error, (AccessError, UserError,
                                          ValidationError)):
                    _logger.exception("No follow-up for the statement of "
                                      "line %s", line.id)
                line.sudo().error = getattr(error, "name", None) or str(
                    error)
                continue
            line.sudo().followup_id = followup

    @api.multi
    def _file_copy(self, followup):
        """File this line's sent message and its PDF on ``followup``:
        until then they were private to their sender."""
        self.ensure_one()
        message = self.sudo().message_id
        if not message:
            return
        message.write({"model": followup._name, "res_id": followup.id,
                       "record_name": followup.name})
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "mail.message"),
            ("res_id", "=", message.id)]).write({
                "res_model": followup._name, "res_id": followup.id})

    @api.multi
    def _prepare_followup_values(self, followup_type):
        self.ensure_one()
        run = self.run_id
        money = amounts.amount_formatter(self.env, self._context.get("lang"))
        return {
            "partner_id": self.partner_id.id,
            "type_id": followup_type.id,
            "notes": _("Statement of account sent (as of %s): total due "
                       "%s %s.") % (format_date(self.env, run.date_at),
                                    run.currency_id.name,
                                    money(self.amount_total)),
        }
