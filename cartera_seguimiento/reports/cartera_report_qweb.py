# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..tools import money


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
            "money": money.amount_formatter(self.env, lang_code),
        }
