# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportPromise(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_promise"
    _inherit = "cartera.report.qweb"
    _description = "Payment Promises Report"

    _wizard_model = "cartera.promise.report.wizard"


class ReportPromiseXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_promise_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Payment Promises Report (XLSX)"
