# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One customer's communication in a collection run (see
cartera_dunning_send.py): the e-mail put into Odoo's mail queue, the
letter's proof, the follow-up recording each, the activities its levels
ask for, and its lines marked in the same transaction."""
import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, except_orm
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from ..reports.report_dunning import level_rank
from ..tools import money as amounts
from .cartera_statement_mail import STATEMENT_FOLLOWUP_KEY

_logger = logging.getLogger(__name__)


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    @api.multi
    def _send_customers(self):
        """Send these queued lines (one run, a batch of customers): one
        communication per customer. Returns the ids of the customers that
        failed, whose lines stay queued, without mail nor follow-up."""
        run = self.mapped("run_id")
        run.ensure_one()
        partners = self.mapped("partner_id")
        recipients = partners._cartera_statement_recipients()
        by_partner = {}
        for line in self:
            by_partner.setdefault(line.partner_id.id, self.browse())
            by_partner[line.partner_id.id] |= line
        channels = {}
        for partner in partners:
            levels = by_partner[partner.id].mapped("level_id")
            email = bool(levels.filtered("send_email")) and bool(
                recipients[partner.id])
            # A customer an e-mail cannot reach gets the letter instead.
            letter = bool(levels.filtered("print_letter")) or bool(
                levels.filtered("send_email") and not email)
            channels[partner.id] = (email, letter)
        pdfs = self.filtered(
            lambda l: channels[l.partner_id.id][1])._render_letters()
        failed = []
        for partner in partners:
            lines = by_partner[partner.id]
            email, letter = channels[partner.id]
            try:
                with self.env.cr.savepoint():
                    lines._send_customer(email, letter, pdfs.get(partner.id),
                                         recipients[partner.id])
            except Exception as error:  # pylint: disable=broad-except
                # One customer's failure (a template error, a printing
                # error) must not stop the others: the run says why.
                _logger.exception("Collection run %s: customer %s not sent",
                                  run.id, partner.id)
                run._post_send_note(_("Customer %s not sent: %s") % (
                    partner.display_name, error.name if isinstance(
                        error, except_orm) else str(error)))
                failed.append(partner.id)
        return failed

    @api.multi
    def _send_customer(self, email, letter, pdf, recipients):
        """One customer's communication for these lines (one run): the
        e-mail and/or the letter, their follow-ups and documents, the
        activities, and the lines marked in the same transaction."""
        run = self.mapped("run_id")
        values = {line.id: {} for line in self}
        if email:
            followup = self._record_followup("dunning_email")
            mail, proof = self._queue_mail(followup, recipients)
            for line in self:
                values[line.id].update({
                    "state": "sent", "channel": "email",
                    "followup_id": followup.id, "mail_id": mail.id,
                    "attachment_id": proof.id})
        if letter:
            if isinstance(pdf, Exception) or not pdf:
                raise pdf or UserError(_("The letter was not printed."))
            followup = self._record_followup("dunning_letter")
            proof = self._attach_letter(followup, pdf)
            for line in self:
                if email and not line.level_id.print_letter:
                    continue
                values[line.id].update({
                    "state": "printed", "channel": "letter",
                    "followup_id": followup.id, "attachment_id": proof.id})
        self._schedule_activities()
        sent_on = self._sending_day(run)
        for line in self:
            # A customer whose levels neither e-mail nor print (an
            # activity, a report to the bureaus) has nothing to send: the
            # lines are done all the same, without a channel.
            line_values = values[line.id] or {"state": "sent"}
            line_values["date_sent"] = sent_on
            if line.level_id.bureau_report:
                line_values["reportable_date"] = sent_on
            line.write(line_values)

    @api.model
    def _sending_day(self, run):
        """The day a communication leaves: today for the run's user (the
        company's time zone when they have none), never before the run's
        own date."""
        tz = run.user_id.tz or run.company_id.partner_id.tz or "UTC"
        today = fields.Date.context_today(self.with_context(tz=tz))
        return max(today, run.date)

    # ------------------------------------------------------------------
    # The follow-up and its document
    # ------------------------------------------------------------------
    @api.multi
    def _record_followup(self, code):
        """The follow-up of type ``code`` recording this customer's
        communication, in the name of the run's user and in their
        language; it completes nobody's task (a run's communication is not
        the work a collector's task asked for)."""
        run = self.mapped("run_id")
        user = run.user_id
        followup_type = self.env["cartera.followup.type"].with_context(
            active_test=False).search([("code", "=", code)], limit=1)
        if not followup_type:
            raise UserError(_(
                "The follow-up type of code %s was deleted: update the "
                "addon to create it again.") % code)
        invoices = self.mapped("invoice_id")
        lines = self.with_context(lang=user.lang)
        # Created as superuser (the caller's right was checked by the
        # run): the superuser does not follow it; the salesperson does.
        return self.env["cartera.followup"].with_context(**{
            STATEMENT_FOLLOWUP_KEY: True,
            "mail_create_nosubscribe": True}).create({
                "partner_id": self[0].partner_id.id,
                "type_id": followup_type.id,
                "responsible_id": user.id,
                "invoice_id": invoices.id if len(invoices) == 1 else False,
                "notes": lines._followup_notes(code),
            })

    @api.multi
    def _followup_notes(self, code):
        """The items sent, each at its level, in the context's language."""
        lang = self._context.get("lang")
        money = amounts.amount_formatter(self.env, lang)
        run = self.mapped("run_id")
        head = _("Collection e-mail sent by the run %s:") if \
            code == "dunning_email" else \
            _("Collection letter printed by the run %s:")
        rows = [head % run.name]
        for line in self.sorted(lambda l: (-l.days_overdue, l.id)):
            rows.append(_("- %s, due %s, %d day(s) overdue: %s %s (level: "
                          "%s)") % (
                line._document_name(),
                format_date(self.env, line.date_due, lang_code=lang)
                if line.date_due else "",
                line.days_overdue, run.currency_id.name,
                money(line.amount_due),
                line.level_id.with_context(lang=lang).name))
        return "\n".join(rows)

    @api.multi
    def _document_name(self):
        self.ensure_one()
        return self.invoice_id.number or self.move_line_id.move_id.name \
            or self.move_line_id.name or ""

    @api.multi
    def _attach_letter(self, followup, pdf):
        """The customer's letter, filed on the follow-up: its proof."""
        partner = self[0].partner_id
        name = "%s - %s.pdf" % (self.mapped("run_id").name,
                                partner.name or partner.id)
        return self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "type": "binary",
            "datas": base64.b64encode(pdf), "mimetype": "application/pdf",
            "res_model": followup._name, "res_id": followup.id})

    # ------------------------------------------------------------------
    # The e-mail
    # ------------------------------------------------------------------
    @api.multi
    def _queue_mail(self, followup, recipients):
        """Put this customer's mail into Odoo's mail queue, filed on the
        follow-up that records it, to ``recipients`` alone; returns the
        mail and its proof (the message as sent, attached to the
        follow-up)."""
        values = self._prepare_mail_values(recipients)
        values.update(model=followup._name, res_id=followup.id,
                      record_name=followup.name)
        mail = self.env["mail.mail"].create(values)
        name = "%s - %s.html" % (self.mapped("run_id").name,
                                 self[0].partner_id.name)
        proof = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "type": "binary",
            "mimetype": "text/html",
            "datas": base64.b64encode((values.get("body_html") or "").encode(
                "utf-8")),
            "res_model": followup._name, "res_id": followup.id})
        return mail, proof

    @api.multi
    def _prepare_mail_values(self, recipients):
        """The mail.mail of this customer: the template of its highest
        level that e-mails, rendered for the customer as the run's user
        (its author and sender), listing every item of these lines; to
        ``recipients`` ([(partner id, e-mail)]) and nobody else, as the
        statements' (the template's To, Cc, partners and reply-to are not
        read)."""
        run = self.mapped("run_id")
        partner = self[0].partner_id
        lang = partner.lang or run.user_id.lang or "en_US"
        level = max(self.mapped("level_id").filtered("send_email"),
                    key=level_rank)
        template = level.mail_template_id.sudo(run.user_id).with_context(
            **self._prepare_template_context(lang))
        rendered = template.generate_email(
            partner.id, fields=["subject", "body_html", "email_from"])
        email_from = rendered.get("email_from")
        if not email_from:
            raise UserError(_(
                "Neither %s nor the company has an e-mail address to send "
                "the collection e-mails from.") % run.user_id.name)
        return dict(
            self.env["cartera.statement.run.line"]._recipient_values(
                recipients, email_from),
            subject=rendered.get("subject"),
            body_html=rendered.get("body_html"),
            email_from=email_from,
            author_id=run.user_id.partner_id.id,
            mail_server_id=rendered.get("mail_server_id") or False,
            auto_delete=False,
            message_type="email",
        )

    @api.multi
    def _prepare_template_context(self, lang):
        """What the templates read from ``ctx``: the items (document, due
        date, days overdue, amount and level, written as the customer's
        language writes them), their total and whether one is the prior
        notice of Ley 1266."""
        run = self.mapped("run_id")
        money = amounts.amount_formatter(self.env, lang)
        currency = run.currency_id.name
        items = []
        for line in self.sorted(lambda l: (-l.days_overdue, l.id)):
            items.append({
                "document": line._document_name(),
                "date_due": format_date(self.env, line.date_due,
                                        lang_code=lang)
                if line.date_due else "",
                "days": line.days_overdue,
                "amount": "%s %s" % (currency, money(line.amount_due)),
                "level": line.level_id.with_context(lang=lang).name,
            })
        return {
            "lang": lang,
            "cartera_dunning_items": items,
            "cartera_dunning_total": "%s %s" % (
                currency, money(sum(self.mapped("amount_due")))),
            "cartera_dunning_date": format_date(self.env, run.date,
                                                lang_code=lang),
            "cartera_dunning_notice": any(self.mapped("bureau_notice")),
        }

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------
    @api.multi
    def _schedule_activities(self):
        """One activity on the customer per user the levels of these
        lines ask for one: the collector (the customer's salesperson) or
        the receivables manager."""
        run = self.mapped("run_id")
        partner = self[0].partner_id
        by_user = {}
        for line in self.filtered("level_id.create_activity"):
            level = line.level_id
            if level.activity_user == "manager":
                user = run._dunning_manager()
            else:
                user = partner.user_id or run.user_id
            by_user.setdefault(user, self.browse())
            by_user[user] |= line
        model = self.env["ir.model"]._get("res.partner")
        todo = self.env.ref("mail.mail_activity_data_todo",
                            raise_if_not_found=False)
        for user, lines in by_user.items():
            level = max(lines.mapped("level_id"), key=level_rank)
            activity_type = level.activity_type_id or todo
            lines = lines.with_context(lang=user.lang)
            self.env["mail.activity"].create({
                "res_model_id": model.id,
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "summary": level.with_context(lang=user.lang).activity_summary
                or level.with_context(lang=user.lang).name,
                "note": "<br/>".join(
                    html_escape(row) for row in lines._followup_notes(
                        "activity").split("\n")[1:]),
                "date_deadline": run.date,
                "user_id": user.id,
            })
