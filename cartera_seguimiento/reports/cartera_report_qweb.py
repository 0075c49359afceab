# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_date, formatLang


class CarteraReportQweb(models.AbstractModel):
    """QWeb values of a receivable report: the wizards' filters and the
    figures of ``cartera.ar.report``, read as the printing user. Each
    report's model (``report.<report name>``) is this one with the wizard
    it prints (``_wizard_model``): see cartera_report_models.py."""
    _name = "cartera.report.qweb"
    _description = "Receivable Report (QWeb)"

    _wizard_model = None

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env[self._wizard_model].browse(docids)
        now = fields.Datetime.context_timestamp(self, datetime.now())
        lang_code = self._context.get("lang") or self.env.user.lang
        return {
            "printed_at": "%s %s" % (format_date(self.env, now.date()),
                                     now.strftime("%H:%M")),
            "doc_ids": docids,
            "doc_model": self._wizard_model,
            "docs": docs,
            "reports": {doc.id: doc._report_values() for doc in docs},
            "lang": lang_code,
            "money": self._amount_formatter(lang_code),
        }

    @api.model
    def _amount_formatter(self, lang_code):
        """A function writing an amount with two decimals as ``formatLang``
        writes it in the language ``lang_code`` (1.234.567,89). formatLang
        evaluates the language's grouping anew for every amount, most of
        the time of a long report: a language grouping by thousands
        (nearly all) gets Python's own grouping with its separators
        instead, the same text."""
        env = self.with_context(lang=lang_code or "en_US").env
        lang = env["res.lang"].search([("code", "=", env.context["lang"])])
        try:
            by_thousands = ast.literal_eval(lang.grouping or "") == [3, 0]
        except (ValueError, SyntaxError):
            by_thousands = False
        if not (by_thousands and lang.thousands_sep and lang.decimal_point):
            # Another grouping, or a language not installed (formatLang
            # falls back to another one).
            return lambda value: formatLang(env, value or 0.0, digits=2)
        separators = {ord(","): lang.thousands_sep,
                      ord("."): lang.decimal_point}

        def money(value):
            return format(value or 0.0, ",.2f").translate(separators)
        return money
