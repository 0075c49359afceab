# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportKpi(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_kpi"
    _inherit = "cartera.report.qweb"
    _description = "Receivable Indicators Report"

    _wizard_model = "cartera.kpi.report.wizard"
