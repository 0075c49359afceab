# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models


def _in_30_days(wizard):
    today = fields.Date.from_string(fields.Date.context_today(wizard))
    return fields.Date.to_string(today + timedelta(days=30))


class CarteraTaskReportWizard(models.TransientModel):
    _name = "cartera.task.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Task Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_task_report"
    _report_xlsx = "cartera_seguimiento.cartera_task_report_xlsx"

    date_from = fields.Date(
        string="From", help="Leave empty to include every overdue task.")
    date_to = fields.Date(string="To", required=True, default=_in_30_days)
    responsible_ids = fields.Many2many(
        "res.users", string="Contacts",
        help="Users the tasks are assigned to.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain())

    @api.multi
    def _title(self):
        return _("Pending Tasks")

    @api.multi
    def _filters(self):
        return [
            (_("From"), self._date_label(self.date_from) or _("All overdue")),
            (_("To"), self._date_label(self.date_to)),
            (_("Contacts"), self._names(self.responsible_ids)),
            (_("Customers"), self._names(self.partner_ids)),
        ]

    @api.multi
    def _group_key(self, row):
        return row["responsible_id"]

    @api.multi
    def _prepare_group(self, row):
        return {"name": row["responsible_name"], "overdue": 0}

    @api.multi
    def _add_to_group(self, group, row):
        super(CarteraTaskReportWizard, self)._add_to_group(group, row)
        group["overdue"] += row["overdue"] and 1 or 0

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        rows = self.env["cartera.followup"].task_listing(
            self.date_from, self.date_to, self.responsible_ids.ids or None,
            self.partner_ids.ids or None)
        return {
            "groups": self._group_rows(sorted(rows, key=lambda r: (
                r["responsible_name"], r["next_date"], r["id"]))),
            "count": len(rows),
            "overdue": sum(1 for row in rows if row["overdue"]),
        }

    @api.multi
    def _xlsx_sheets(self):
        values = self._report_values()
        rows = [[group["name"], row["next_date"], row["next_type_name"],
                 row["partner_name"], row["document"], row["next_note"],
                 row["name"], row["overdue"] and _("Overdue") or "",
                 row["days_overdue"]]
                for group in values["groups"] for row in group["rows"]]
        return [self._xlsx_sheet(
            values, _("Tasks"),
            [(_("Contact"), "text"), (_("Date"), "date"),
             (_("Type"), "text"), (_("Customer"), "text"),
             (_("Document"), "text"), (_("Notes"), "text"),
             (_("Follow-up"), "text"), (_("Status"), "text"),
             (_("Days overdue"), "integer")],
            rows)]
