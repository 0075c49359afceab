# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models


def _days_ago(days):
    def default(wizard):
        today = fields.Date.from_string(fields.Date.context_today(wizard))
        return fields.Date.to_string(today - timedelta(days=days))
    return default


class CarteraFollowupReportWizard(models.TransientModel):
    _name = "cartera.followup.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Follow-up Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_followup_report"
    _report_xlsx = "cartera_seguimiento.cartera_followup_report_xlsx"

    date_from = fields.Date(string="From", required=True,
                            default=_days_ago(30))
    date_to = fields.Date(string="To", required=True,
                          default=fields.Date.context_today)
    type_ids = fields.Many2many("cartera.followup.type", string="Types")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain())
    salesperson_ids = fields.Many2many(
        "res.users", "cartera_followup_report_wizard_salesperson_rel",
        string="Salespeople")
    responsible_ids = fields.Many2many(
        "res.users", "cartera_followup_report_wizard_responsible_rel",
        string="Contacts", help="Users who did the follow-ups.")
    include_closed = fields.Boolean(
        string="Include Closed",
        help="Also list the follow-ups already sealed by a closing.")

    @api.multi
    def _title(self):
        return _("Follow-up Report")

    @api.multi
    def _filters(self):
        return [
            (_("From"), self._date_label(self.date_from)),
            (_("To"), self._date_label(self.date_to)),
            (_("Types"), self._names(self.type_ids)),
            (_("Customers"), self._names(self.partner_ids)),
            (_("Salespeople"), self._names(self.salesperson_ids)),
            (_("Contacts"), self._names(self.responsible_ids)),
            (_("Closed follow-ups"),
             self.include_closed and _("Included") or _("Not included")),
        ]

    @api.multi
    def _group_key(self, row):
        return row["type_name"]

    @api.multi
    def _prepare_group(self, row):
        return {"name": row["type_name"]}

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        Followup = self.env["cartera.followup"]
        rows = Followup.listing(
            self.date_from, self.date_to, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None,
            self.responsible_ids.ids or None, self.type_ids.ids or None,
            self.include_closed)
        return {
            "types": self._group_rows(sorted(
                rows, key=lambda r: (r["type_name"], r["date"]))),
            "counts": Followup.listing_counts(rows),
            "count": len(rows),
        }

    @api.multi
    def _xlsx_sheets(self):
        values = self._report_values()
        rows = [[group["name"], row["date"], row["name"],
                 row["partner_name"], row["salesperson_name"],
                 row["responsible_name"], row["document"], row["notes"],
                 row["next_date"], row["next_type_name"],
                 row["closed"] and _("Closed") or _("Current")]
                for group in values["types"] for row in group["rows"]]
        return [self._xlsx_sheet(
            values, _("Follow-ups"),
            [(_("Type"), "text"), (_("Date"), "text"),
             (_("Reference"), "text"), (_("Customer"), "text"),
             (_("Salesperson"), "text"), (_("Contact"), "text"),
             (_("Document"), "text"), (_("Notes"), "text"),
             (_("Next task"), "date"), (_("Next task type"), "text"),
             (_("Status"), "text")],
            rows,
        ), self._xlsx_sheet(
            values, _("Counts per type"),
            [(_("Type"), "text"), (_("Follow-ups"), "integer")],
            [[c["type_name"], c["count"]] for c in values["counts"]],
            totals=[_("Total"), values["count"]],
        )]
