# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportMovement(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_movement"
    _inherit = "cartera.report.qweb"
    _description = "Movement Report"

    _wizard_model = "cartera.movement.report.wizard"


class ReportMovementXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_movement_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Movement Report (XLSX)"
