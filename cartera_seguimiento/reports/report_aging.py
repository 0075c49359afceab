# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportAging(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_aging"
    _inherit = "cartera.report.qweb"
    _description = "Aging Report"

    _wizard_model = "cartera.aging.report.wizard"


class ReportAgingXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_aging_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Aging Report (XLSX)"
