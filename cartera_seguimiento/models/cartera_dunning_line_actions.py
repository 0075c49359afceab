# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What users do with a run's lines before it sends them (validate the
drafts of a plan reviewed before sending, cancel), what Odoo's mail queue
asks of the collection mails (their customer's addresses alone, as the
statements'), and the items reportable to the credit bureaus."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import ids as id_checks

# The stages of the collection templates the addon ships
# (data/cartera_dunning_data.xml).
DUNNING_TEMPLATE_STAGES = ("preventive", "administrative", "prelegal",
                           "legal")


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    # Indexed: Odoo's mail queue asks for the lines of every mail it
    # sends (models/mail_mail.py); and each mail or attachment deleted
    # anywhere in Odoo (mails sent are deleted, asset bundles replaced)
    # makes PostgreSQL look for the lines pointing at it.
    mail_id = fields.Many2one(index=True)
    attachment_id = fields.Many2one(index=True)
    reportable_date = fields.Date(
        string="Reportable Since", readonly=True, index=True, copy=False,
        help="The day a level reporting to the credit bureaus was reached "
             "for the item: from then on it is listed in the bureau "
             "export while it stays unpaid.")

    # ------------------------------------------------------------------
    # Review before sending
    # ------------------------------------------------------------------
    @api.multi
    def _check_line_caller(self):
        """The buttons are called over RPC with any ids: the caller must
        read these lines (their customers', or a manager all) before they
        change them as superuser."""
        bad = [value for value in self._ids if not id_checks.is_id(value)]
        if bad:
            raise id_checks.value_error(self.env, _("Collection run line"),
                                        bad[0])
        self.check_access_rights("read")
        self.check_access_rule("read")

    @api.multi
    def action_validate(self):
        """Draft lines (a plan reviewed before sending) go to the queue;
        the run's next send sends them. Only a receivables manager
        validates the lines of a plan that asks for the review."""
        self._check_line_caller()
        lines = self.sudo()
        if lines.filtered(lambda l: l.state != "draft"):
            raise UserError(_("Only lines to review can be validated."))
        if lines.filtered("plan_id.validate_lines") and not self.env[
                "cartera.scope"]._is_manager():
            raise AccessError(_(
                "Only a receivables manager validates the communications "
                "of a plan reviewed before sending."))
        lines.write({"state": "queued"})
        return True

    @api.multi
    def action_cancel(self):
        """Lines not sent yet are cancelled: the item does not reach the
        level by this run (a next run may select it again)."""
        self._check_line_caller()
        lines = self.sudo()
        if lines.filtered(lambda l: l.state not in ("draft", "queued")):
            raise UserError(_(
                "A line already sent or printed cannot be cancelled."))
        lines.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Odoo's mail queue (models/mail_mail.py)
    # ------------------------------------------------------------------
    @api.model
    def _check_mail_recipients(self, mails):
        """Before Odoo's mail queue sends ``mails``: a collection mail
        still to send goes to its customer's statement addresses alone, as
        they are now (the statements' rule); anything written on it since
        it was queued (a Cc, a To, a reply-to, headers) is dropped, and a
        mail whose customer has no address any more is not sent."""
        self.env["cartera.statement.run.line"]._reset_lines_recipients(
            self.search([("mail_id", "in", mails.ids)]))

    # ------------------------------------------------------------------
    # The credit bureaus' export
    # ------------------------------------------------------------------
    @api.model
    def _bureau_reportable(self, company=None):
        """The latest reportable line of each item of ``company`` (the
        user's by default) that is still unpaid, within the caller's
        scope (record rules): what the bureau export lists."""
        company = company or self.env.user.company_id
        lines = self.search([
            ("company_id", "=", company.id),
            ("reportable_date", "!=", False),
            ("state", "in", ("sent", "printed")),
            ("move_line_id.reconciled", "=", False),
        ], order="move_line_id, reportable_date desc, id desc")
        latest = self.browse()
        seen = set()
        for line in lines:
            item = line.move_line_id
            if item.id in seen or not item.amount_residual:
                continue
            seen.add(item.id)
            latest |= line
        return latest

    @api.multi
    def _bureau_rows(self, date):
        """The export's rows of these lines, as of ``date``: customer's
        tax id and name, document, due date, days overdue, amount due,
        reportable since."""
        rows = []
        for line in self.sorted(lambda l: (l.partner_id.name or "",
                                           l.date_due or "")):
            item = line.move_line_id
            due = item.date_maturity or line.date_due
            days = (fields.Date.from_string(date)
                    - fields.Date.from_string(due)).days if due else 0
            rows.append([
                line.partner_id.vat or "", line.partner_id.name,
                line.invoice_id.number or item.move_id.name or item.name,
                due, days, item.amount_residual, line.reportable_date,
            ])
        return rows

    @api.model
    def action_export_bureau(self):
        """The XLSX of the items reportable to the credit bureaus (the
        caller's customers, or all for a manager)."""
        self.env["cartera.scope"]._check_access()
        lines = self._bureau_reportable()
        return self.env.ref(
            "cartera_seguimiento.cartera_dunning_bureau_xlsx").report_action(
            lines)


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _cartera_protected_domain(self):
        # The collection templates go to customers in the company's name,
        # as the statement's: the addon's and those the levels use are
        # edited by managers and administrators alone.
        domain = super(MailTemplate, self)._cartera_protected_domain()
        ids = self.env["cartera.dunning.level"].sudo().with_context(
            active_test=False).search(
            [("mail_template_id", "!=", False)]).mapped(
            "mail_template_id").ids
        for stage in DUNNING_TEMPLATE_STAGES:
            template = self.env.ref(
                "cartera_seguimiento.cartera_dunning_mail_template_%s"
                % stage, raise_if_not_found=False)
            if template:
                ids.append(template.id)
        return domain + ([("id", "not in", ids)] if ids else [])
