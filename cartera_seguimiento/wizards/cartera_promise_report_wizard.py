# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar

from odoo import _, api, fields, models


def _month_start(wizard):
    return fields.Date.context_today(wizard)[:8] + "01"


def _month_end(wizard):
    today = fields.Date.from_string(fields.Date.context_today(wizard))
    last = calendar.monthrange(today.year, today.month)[1]
    return fields.Date.to_string(today.replace(day=last))


class CarteraPromiseReportWizard(models.TransientModel):
    _name = "cartera.promise.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Payment Promises Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_promise_report"
    _report_xlsx = "cartera_seguimiento.cartera_promise_report_xlsx"

    date_from = fields.Date(
        string="From", required=True, default=_month_start,
        help="First promised date of the period.")
    date_to = fields.Date(
        string="To", required=True, default=_month_end,
        help="Last promised date of the period.")
    responsible_ids = fields.Many2many(
        "res.users", string="Collectors",
        help="Users responsible for the promises. Leave empty for all.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")

    @api.multi
    def _title(self):
        return _("Payment Promises")

    @api.multi
    def _filters(self):
        return self._period_filters(
            (_("Collectors"), self.responsible_ids),
            (_("Customers"), self.partner_ids))

    @api.multi
    def _state_labels(self):
        """(state, label) in the order of the report's columns."""
        return self.env["cartera.promise"]._fields[
            "state"]._description_selection(self.env)

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        engine = self.env["cartera.ar.report"]
        rows = engine.promises(
            self.date_from, self.date_to, self.responsible_ids.ids or None,
            self.partner_ids.ids or None)
        for row in rows:
            row["responsible_name"] = row["responsible_name"] or _(
                "No collector")
        return {
            "states": self._state_labels(),
            "rows": rows,
            "totals": engine.promise_totals(rows),
        }

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        states = values["states"]

        def line(row, name):
            rate = row["kept_rate"]
            return ([name, row["promised"], row["paid"],
                     row["broken_amount"]]
                    + [row["counts"][state] for state, _label in states]
                    + [row["count"], "—" if rate is None else rate])

        columns = [(_("Collector"), "text"), (_("Promised"), "amount"),
                   (_("Paid"), "amount"), (_("Broken amount"), "amount")]
        columns += [(label, "integer") for _state, label in states]
        columns += [(_("Promises"), "integer"),
                    (_("Kept rate (%)"), "percent")]
        return [self._xlsx_sheet(
            values, _("Promises"), columns,
            [line(row, row["responsible_name"]) for row in values["rows"]],
            totals=line(values["totals"], _("Total")))]
