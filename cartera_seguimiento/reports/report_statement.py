# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..tools import money


class ReportStatement(models.AbstractModel):
    """QWeb values of the statement of account: the customers printed
    (commercial partners, several in one PDF) and their figures from
    ``cartera.ar.report.statements``, all of them in one set of queries.
    The as-of date and the period come in ``data`` (the wizard), default
    today without a period (the customer form's Print menu)."""
    _name = "report.cartera_seguimiento.report_statement"
    _inherit = "cartera.report.qweb"
    _description = "Statement of Account"

    @api.model
    def get_report_values(self, docids, data=None):
        data = data or {}
        # The web client sends the ids in the data when it sends options.
        ids = docids or data.get("partner_ids") or \
            data.get("context", {}).get("active_ids") or []
        values = self._prepare_statement_data(data)
        partners = self.env["res.partner"].browse(ids).mapped(
            "commercial_partner_id")
        statements = self.env["cartera.ar.report"].statements(
            values["date_at"], partners.ids, values["date_from"],
            values["date_to"])
        langs = set(partners.mapped("lang")) | {self._fallback_lang()}
        now = fields.Datetime.context_timestamp(self, datetime.now())
        return dict(values, **{
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": {s["partner_id"]: s for s in statements},
            "moneys": {lang: money.amount_formatter(self.env, lang)
                       for lang in langs if lang},
            "fallback_lang": self._fallback_lang(),
            "printed_on": now.date(),
            "currency": self.env.user.company_id.currency_id,
            "period_labels": self.env["cartera.ar.report"].aging_periods(
                30)[:-1],
        })

    @api.model
    def _fallback_lang(self):
        return self._context.get("lang") or self.env.user.lang or "en_US"

    @api.model
    def _prepare_statement_data(self, data):
        """As-of date and optional period of the print, from ``data``."""
        return {
            "date_at": data.get("date_at") or fields.Date.context_today(
                self),
            "date_from": data.get("date_from") or False,
            "date_to": data.get("date_to") or False,
        }

    @api.model
    def _format_date(self, value, lang):
        return value and format_date(self.env, value, lang_code=lang) or ""
