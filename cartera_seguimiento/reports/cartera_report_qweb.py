# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import api, fields, models
from odoo.addons.base.res.res_lang import intersperse
from odoo.tools.safe_eval import safe_eval
from odoo.tools.misc import format_date


class CarteraReportQweb(models.AbstractModel):
    """QWeb values of a receivable report: the wizards' filters and the
    figures of ``cartera.ar.report``, read as the printing user."""
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
        """Amounts as the report's language writes them (1.234.567,89),
        as res.lang.format() would, with its settings read once: QWeb's
        float widget and res.lang.format() evaluate the language's grouping
        for every cell, most of the time of a long report."""
        lang = self.env["res.lang"]._lang_get(lang_code or "en_US")
        grouping, thousands_sep, decimal_point = lang._data_get(False)
        counts = safe_eval(grouping)

        def money(value):
            integer, fraction = ("%.2f" % (value or 0.0)).split(".")
            return intersperse(integer, counts, thousands_sep)[0] + \
                decimal_point + fraction
        return money
