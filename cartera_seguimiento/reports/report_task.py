# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportTask(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_task"
    _inherit = "cartera.report.qweb"
    _description = "Task Report"

    _wizard_model = "cartera.task.report.wizard"


class ReportTaskXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_task_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Task Report (XLSX)"
