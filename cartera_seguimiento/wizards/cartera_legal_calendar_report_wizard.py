# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class CarteraLegalCalendarReportWizard(models.TransientModel):
    """Informe de vencimientos legales: each item's legal calendar
    (``cartera.ar.report.legal_calendar``) by customer, as of a date."""
    _name = "cartera.legal.calendar.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Legal Deadlines Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_legal_calendar_report"
    _report_xlsx = "cartera_seguimiento.cartera_legal_calendar_report_xlsx"

    date_at = fields.Date(
        string="As of", required=True, default=fields.Date.context_today,
        help="The items open on this date, and those paid whose report "
             "may still stay in the credit bureaus on it.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople")

    @api.multi
    def _title(self):
        return _("Legal Deadlines Report")

    @api.multi
    def _filters(self):
        return [
            (_("As of"), self._date_label(self.date_at)),
            (_("Customers"), self._names(self.partner_ids)),
            (_("Salespeople"), self._names(self.salesperson_ids)),
            (_("Currency"), self.company_id.currency_id.name),
        ]

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        rows = self.env["cartera.ar.report"].legal_calendar(
            self.date_at, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None)
        for row in rows:
            row["notices_label"] = ", ".join(
                self._date_label(day) for day in row["notices"])
        return {
            "groups": self._group_rows(rows),
            "count": len(rows),
            "amount_due": round(sum(row["amount_due"] for row in rows), 2),
            "prescribed": len([row for row in rows if row["prescribed"]]),
        }

    @api.multi
    def _group_key(self, row):
        return row["partner_id"]

    @api.multi
    def _prepare_group(self, row):
        return {"name": row["partner_name"], "vat": row["partner_vat"],
                "salesperson": row["salesperson_name"], "amount_due": 0.0}

    @api.multi
    def _add_to_group(self, group, row):
        super(CarteraLegalCalendarReportWizard, self)._add_to_group(
            group, row)
        group["amount_due"] = round(group["amount_due"] + row["amount_due"],
                                    2)

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        columns = [
            (_("Customer"), "text"), (self._tax_id_label(), "text"),
            (_("Salesperson"), "text"), (_("Document"), "text"),
            (_("Due Date"), "date"), (_("Amount Due"), "amount"),
            (_("Mora From"), "date"), (_("Days of Mora"), "integer"),
            (_("Notices Sent"), "text"), (_("Report Allowed From"), "date"),
            (_("Reported"), "date"), (_("Paid On"), "date"),
            (_("In Bureaus Until"), "date"), (_("Prescribes"), "date"),
            (_("Days to Prescription"), "integer")]
        rows = [[row["partner_name"], row["partner_vat"],
                 row["salesperson_name"], row["document"], row["date_due"],
                 row["amount_due"], row["mora_from"], row["days_mora"],
                 ", ".join(row["notices"]), row["report_from"],
                 row["reported"], row["date_paid"], row["bureau_until"],
                 row["prescription_date"], row["days_to_prescription"]]
                for group in values["groups"] for row in group["rows"]]
        return [self._xlsx_sheet(
            values, _("Legal Deadlines"), columns, rows,
            totals=[_("Total"), "", "", "", "", values["amount_due"]]
            + [""] * 9)]
