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
    def _report_values(self):
        self.ensure_one()
        rows = self.env["cartera.ar.report"].tasks(
            self.date_from, self.date_to, self.responsible_ids.ids or None,
            self.partner_ids.ids or None)
        groups = []
        index = {}
        for row in sorted(rows, key=lambda r: (
                r["responsible_name"], r["next_date"], r["id"])):
            key = row["responsible_id"]
            if key not in index:
                index[key] = {"name": row["responsible_name"], "rows": [],
                              "overdue": 0}
                groups.append(index[key])
            index[key]["rows"].append(row)
            index[key]["overdue"] += row["overdue"] and 1 or 0
        return {
            "title": self._title(),
            "filters": self._filters(),
            "groups": groups,
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
        return [{
            "name": _("Tasks"),
            "title": values["title"],
            "filters": values["filters"],
            "columns": [(_("Contact"), "text"), (_("Date"), "date"),
                        (_("Type"), "text"), (_("Customer"), "text"),
                        (_("Document"), "text"), (_("Notes"), "text"),
                        (_("Follow-up"), "text"), (_("Status"), "text"),
                        (_("Days overdue"), "integer")],
            "rows": rows,
        }]
