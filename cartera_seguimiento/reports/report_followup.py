# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ReportFollowup(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_followup"
    _inherit = "cartera.report.qweb"
    _description = "Follow-up Report"

    _wizard_model = "cartera.followup.report.wizard"


class ReportFollowupXlsx(models.AbstractModel):
    _name = "report.cartera_seguimiento.report_followup_xlsx"
    _inherit = "cartera.report.xlsx"
    _description = "Follow-up Report (XLSX)"
