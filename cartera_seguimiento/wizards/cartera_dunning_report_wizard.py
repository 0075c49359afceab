# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .cartera_promise_report_wizard import _month_end, _month_start


class CarteraDunningReportWizard(models.TransientModel):
    """The dispute report's filters (a period, customers, salespeople) on
    the collection runs' lines."""
    _name = "cartera.dunning.report.wizard"
    _inherit = "cartera.dispute.report.wizard"
    _description = "Collection Management Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_dunning_report"
    _report_xlsx = "cartera_seguimiento.cartera_dunning_report_xlsx"

    date_from = fields.Date(
        string="From", required=True, default=_month_start,
        help="First day of the collection runs' lines.")
    date_to = fields.Date(
        string="To", required=True, default=_month_end,
        help="Last day of the collection runs' lines.")

    @api.multi
    def _title(self):
        return _("Collection Management Report")

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        return self.env["cartera.ar.report"].dunning(
            self.date_from, self.date_to, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None)

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        columns = [
            (_("Stage"), "text"), (_("Level"), "text"), (_("Plan"), "text"),
            (_("Items"), "integer"), (_("Customers"), "integer"),
            (_("Amount due"), "amount"), (_("Sent"), "integer"),
            (_("Printed"), "integer"), (_("Pending"), "integer"),
            (_("Paid since"), "amount")]

        def figures(row):
            return [row["items"], row["customers"], row["amount_due"],
                    row["sent"], row["printed"], row["pending"],
                    row["paid"]]

        rows = []
        for stage in values["stages"]:
            for level in stage["levels"]:
                rows.append([stage["stage_label"], level["level_name"],
                             level["plan_name"]] + figures(level))
            rows.append([stage["stage_label"], _("Subtotal"), ""]
                        + figures(stage["totals"]))
        return [self._xlsx_sheet(
            values, _("Collection"), columns, rows,
            totals=[_("Total"), "", ""] + figures(values["totals"]))]
