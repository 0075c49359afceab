# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class CarteraAgingReportWizard(models.TransientModel):
    _name = "cartera.aging.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Receivable Analysis (Aging) Wizard"

    _report_qweb = "cartera_seguimiento.cartera_aging_report"
    _report_xlsx = "cartera_seguimiento.cartera_aging_report_xlsx"

    date_at = fields.Date(
        string="As of", required=True, default=fields.Date.context_today,
        help="Payments and reconciliations after this date do not count.")
    period_length = fields.Integer(
        string="Period Length (days)", required=True, default=30)
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople")
    group_by = fields.Selection(
        [("partner", "Customer"), ("salesperson", "Salesperson")],
        string="Group by", required=True, default="partner")

    @api.multi
    def _title(self):
        return _("Receivable Analysis")

    @api.multi
    def _rows(self):
        self.ensure_one()
        return self.env["cartera.ar.report"].aging(
            self.date_at, self.period_length, self.partner_ids.ids or None,
            self.salesperson_ids.ids or None)

    @api.multi
    def _filters(self):
        return [
            (_("As of"), self._date_label(self.date_at)),
            (_("Period length"), _("%d days") % self.period_length),
            (_("Customers"), self._names(self.partner_ids)),
            (_("Salespeople"), self._names(self.salesperson_ids)),
            (_("Currency"), self.company_id.currency_id.name),
        ]

    @api.model
    def _sum(self, rows):
        periods = len(rows[0]["periods"]) if rows else 5
        totals = {"not_due": 0.0, "periods": [0.0] * periods, "total": 0.0,
                  "disputed": 0.0, "collectable": 0.0, "count": len(rows)}
        for row in rows:
            for key in ("not_due", "total", "disputed", "collectable"):
                totals[key] += row[key]
            for index, amount in enumerate(row["periods"]):
                totals["periods"][index] += amount
        totals["overdue"] = sum(totals["periods"])
        return totals

    @api.multi
    def _group_key(self, row):
        if self.group_by == "salesperson":
            return row["salesperson_id"]
        return None

    @api.multi
    def _prepare_group(self, row):
        if self.group_by == "salesperson":
            return {"name": row["salesperson_name"] or _("No salesperson")}
        return {"name": False}

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        rows = self._rows()
        if self.group_by == "salesperson":
            rows = sorted(rows, key=lambda r: (
                (r["salesperson_name"] or "").upper(),
                r["partner_name"].upper()))
        groups = self._group_rows(rows)
        for group in groups:
            group["totals"] = self._sum(group["rows"])
        totals = self._sum(rows)
        grand = totals["total"]

        def percent(amount):
            return grand and 100.0 * amount / grand or 0.0

        return {
            "labels": self.env["cartera.ar.report"].aging_periods(
                self.period_length),
            "groups": groups,
            "totals": totals,
            "percents": {
                "not_due": percent(totals["not_due"]),
                "periods": [percent(a) for a in totals["periods"]],
                "overdue": percent(totals["overdue"]),
                "total": grand and 100.0 or 0.0,
                "disputed": percent(totals["disputed"]),
                "collectable": percent(totals["collectable"]),
            },
        }

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        columns = [(_("Customer"), "text"), (self._tax_id_label(), "text"),
                   (_("Salesperson"), "text"), (_("Not due"), "amount")]
        columns += [(label, "amount") for label in values["labels"]]
        columns += [(_("Total"), "amount"), (_("Disputed"), "amount"),
                    (_("Collectable"), "amount")]
        rows = []
        for group in values["groups"]:
            for row in group["rows"]:
                rows.append([row["partner_name"], row["partner_vat"],
                             row["salesperson_name"], row["not_due"]]
                            + row["periods"] + [row["total"], row["disputed"],
                                                row["collectable"]])
        totals = values["totals"]
        percents = values["percents"]
        return [self._xlsx_sheet(
            values, _("Aging"), columns, rows,
            totals=[_("Total"), "", "", totals["not_due"]]
            + totals["periods"] + [totals["total"], totals["disputed"],
                                   totals["collectable"]],
            percents=[_("%"), "", "", percents["not_due"]]
            + percents["periods"] + [percents["total"], percents["disputed"],
                                     percents["collectable"]])]
