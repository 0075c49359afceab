# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection letter's values (QWeb, reports/cartera_dunning_letter.xml)
and the credit bureaus' XLSX export."""
from datetime import datetime

from odoo import _, api, fields, models

from ..models.cartera_dunning_level import STAGES
from ..tools import money

STAGE_RANK = {stage: rank for rank, (stage, _label) in enumerate(STAGES)}


def level_rank(level):
    """Where a level stands among every level: its stage first (a legal
    level outranks any administrative one), then its place in its plan."""
    return (STAGE_RANK.get(level.stage, 0), level.sequence, level.days,
            level.id)


class ReportDunningLetter(models.AbstractModel):
    """A collection letter per customer (commercial partners, several in
    one PDF): the items of the run's lines given in ``data["line_ids"]``,
    each at its level, the wording of the customer's highest stage, the
    prior notice of Ley 1266 when a level is one, and the company's bank
    accounts to pay into."""
    _name = "report.cartera_seguimiento.report_dunning_letter"
    _description = "Collection Letter"

    @api.model
    def get_report_values(self, docids, data=None):
        data = data or {}
        Line = self.env["cartera.dunning.line"]
        line_ids = data.get("line_ids") or \
            data.get("context", {}).get("cartera_dunning_line_ids") or []
        lines = Line.browse(line_ids).exists()
        partners = self.env["res.partner"].browse(docids).exists() or \
            lines.mapped("partner_id")
        company = lines[:1].company_id or self.env.user.company_id
        fallback = self._context.get("lang") or self.env.user.lang or \
            "en_US"
        langs = set(partners.mapped("lang")) | {fallback}
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "letters": {partner.id: self._letter(
                lines.filtered(lambda l, p=partner: l.partner_id == p))
                for partner in partners},
            "moneys": {lang: money.amount_formatter(self.env, lang)
                       for lang in langs if lang},
            "fallback_lang": fallback,
            "company": company,
            "currency": company.currency_id,
            # The company's own bank accounts, printed on every letter: read as
            # superuser (a collector may not read bank accounts).
            "banks": company.sudo().bank_ids,
            "printed_on": fields.Datetime.context_timestamp(
                self, datetime.now()).date(),
        }

    @api.model
    def _letter(self, lines):
        """One customer's letter: its items by days overdue (most
        overdue first), its highest level and whether a level is the prior
        notice of Ley 1266."""
        lines = lines.sorted(lambda l: (-l.days_overdue, l.id))
        top = max(lines.mapped("level_id"), key=level_rank) \
            if lines else self.env["cartera.dunning.level"]
        return {
            "lines": lines,
            "stage": top.stage or "administrative",
            "level": top,
            "notice": any(lines.mapped("bureau_notice")),
            "report": any(lines.mapped("bureau_report")),
            "total": sum(lines.mapped("amount_due")),
            "date": lines[:1].date,
        }


class ReportDunningBureauXlsx(models.AbstractModel):
    """The items reportable to the credit bureaus, one row each: what the
    company sends them (or types into their portal)."""
    _name = "report.cartera_seguimiento.report_dunning_bureau_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Items Reportable to the Credit Bureaus (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        Line = self.env["cartera.dunning.line"]
        lines = Line._bureau_reportable()
        if objs and objs._name == Line._name:
            lines = lines.filtered(
                lambda l: l.move_line_id in objs.mapped("move_line_id"))
        today = fields.Date.context_today(self)
        company = self.env.user.company_id
        sheet = {
            "name": _("Credit Bureaus"),
            "title": _("Items reportable to the credit bureaus"),
            "filters": [(_("As of"), today)],
            "columns": [
                (_("Tax ID"), "text"), (_("Customer"), "text"),
                (_("Document"), "text"), (_("Due Date"), "date"),
                (_("Days Overdue"), "integer"), (_("Amount Due"), "amount"),
                (_("Reportable Since"), "date"),
            ],
            "rows": lines._bureau_rows(today),
        }
        formats = self._formats(workbook)
        self._write_sheet(workbook.add_worksheet(sheet["name"][:31]), sheet,
                          formats, company.name)
