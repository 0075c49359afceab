# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


def _month_start(wizard):
    return fields.Date.context_today(wizard)[:8] + "01"


class CarteraMovementReportWizard(models.TransientModel):
    _name = "cartera.movement.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Receivable Movement Wizard"

    _report_qweb = "cartera_seguimiento.cartera_movement_report"
    _report_xlsx = "cartera_seguimiento.cartera_movement_report_xlsx"

    date_from = fields.Date(string="From", required=True, default=_month_start)
    date_to = fields.Date(string="To", required=True,
                          default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople")
    detail = fields.Boolean(
        string="Show Detail",
        help="List the invoices, credit notes and payments of the period "
             "under each customer.")

    @api.multi
    def _title(self):
        return _("Receivable Movement")

    @api.multi
    def _filters(self):
        return self._period_filters()

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        rows = self.env["cartera.ar.report"].movement(
            self.date_from, self.date_to, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None, detail=self.detail)
        totals = {key: sum(row[key] for row in rows)
                  for key in ("opening", "debit", "payments", "refunds",
                              "credit", "closing")}
        for row in rows:
            for line in row.get("lines", []):
                line["kind_label"] = self._kind_label(line["kind"])
        return {"rows": rows, "totals": totals, "detail": self.detail}

    @api.multi
    def _xlsx_sheets(self):
        values = self._report_values()
        amounts = ("opening", "debit", "payments", "refunds", "closing")
        sheets = [self._xlsx_sheet(
            values, _("Movement"),
            [(_("Customer"), "text"), (self._tax_id_label(), "text"),
             (_("Salesperson"), "text"), (_("Opening balance"), "amount"),
             (_("Invoiced"), "amount"), (_("Paid"), "amount"),
             (_("Credited"), "amount"), (_("Closing balance"), "amount")],
            [[r["partner_name"], r["partner_vat"], r["salesperson_name"]]
             + [r[k] for k in amounts] for r in values["rows"]],
            totals=[_("Total"), "", ""] + [
                values["totals"][k] for k in amounts])]
        if values["detail"]:
            sheets.append(self._xlsx_sheet(
                values, _("Detail"),
                [(_("Customer"), "text"), (_("Date"), "date"),
                 (_("Document"), "text"), (_("Type"), "text"),
                 (_("Due date"), "date"), (_("Debit"), "amount"),
                 (_("Credit"), "amount"), (_("Balance"), "amount")],
                [[r["partner_name"], line["date"], line["document"],
                  line["kind_label"], line["date_maturity"], line["debit"],
                  line["credit"], line["balance"]]
                 for r in values["rows"] for line in r["lines"]]))
        return sheets
