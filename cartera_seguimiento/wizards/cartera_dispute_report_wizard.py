# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .cartera_promise_report_wizard import _month_end, _month_start


class CarteraDisputeReportWizard(models.TransientModel):
    _name = "cartera.dispute.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Dispute Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_dispute_report"
    _report_xlsx = "cartera_seguimiento.cartera_dispute_report_xlsx"

    date_from = fields.Date(
        string="From", required=True, default=_month_start,
        help="Disputes open on some day from this date (opened before, "
             "or resolved after it).")
    date_to = fields.Date(
        string="To", required=True, default=_month_end,
        help="The as-of date: disputes still open on it are open in the "
             "report, their age counted up to it.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople")

    @api.multi
    def _title(self):
        return _("Dispute Report")

    @api.multi
    def _filters(self):
        return self._period_filters()

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        engine = self.env["cartera.ar.report"]
        rows = engine.disputes(
            self.date_from, self.date_to, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None)
        return {"rows": rows, "totals": engine.dispute_totals(rows)}

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        columns = [
            (_("Dispute"), "text"), (_("Customer"), "text"),
            (self._tax_id_label(), "text"), (_("Invoice"), "text"),
            (_("Amount"), "amount"), (_("Reason"), "text"),
            (_("Details"), "text"), (_("Opened"), "date"),
            (_("Expires"), "date"), (_("Resolved"), "date"),
            (_("Status"), "text"), (_("Result"), "text"),
            (_("Responsible"), "text"), (_("Age (days)"), "integer"),
            (_("Days to resolve"), "integer")]
        rows = [[row["name"], row["partner_name"], row["partner_vat"],
                 row["invoice"], row["amount"], row["reason_label"],
                 row["note"], row["date_open"], row["date_expiry"],
                 row["date_resolved"], row["state_label"],
                 row["resolution_label"], row["responsible_name"],
                 row["age"], "" if row["days_to_resolve"] is None
                 else row["days_to_resolve"]]
                for row in values["rows"]]
        totals = values["totals"]
        average = totals["avg_days_to_resolve"]
        return [self._xlsx_sheet(
            values, _("Disputes"), columns, rows,
            totals=[_("Total"), "", "", "", totals["amount"]]
            + [""] * 9 + ["" if average is None else average])]
