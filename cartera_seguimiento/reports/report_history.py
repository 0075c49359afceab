# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportHistory(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_history"
    _inherit = "cartera.report.qweb"
    _description = "History Report"

    _wizard_model = "cartera.history.report.wizard"


class ReportHistoryXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_history_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "History Report (XLSX)"
