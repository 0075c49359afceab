# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class CarteraHistoryReportWizard(models.TransientModel):
    _name = "cartera.history.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Receivable History Wizard"

    _report_qweb = "cartera_seguimiento.cartera_history_report"
    _report_xlsx = "cartera_seguimiento.cartera_history_report_xlsx"

    @api.model
    def _default_partners(self):
        """The customer of the record the wizard is opened from."""
        model = self._context.get("active_model")
        ids = self._context.get("active_ids") or []
        if model == "res.partner" and ids:
            return self.env[model].browse(ids).mapped("commercial_partner_id")
        if model in ("cartera.followup", "account.invoice") and ids:
            return self.env[model].browse(ids).mapped(
                "partner_id.commercial_partner_id")
        return self.env["res.partner"]

    # Required: the history of a whole portfolio is every journal item of
    # every customer, not a report anyone reads.
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", required=True,
        default=_default_partners,
        domain=lambda self: self._visible_customers_domain())
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")

    @api.multi
    def _title(self):
        return _("Receivable History")

    @api.multi
    def _filters(self):
        return [
            (_("Customers"), self._names(self.partner_ids)),
            (_("From"), self._date_label(self.date_from) or _("Beginning")),
            (_("To"), self._date_label(self.date_to) or _("Today")),
            (_("Currency"), self.company_id.currency_id.name),
        ]

    @api.multi
    def _group_key(self, row):
        return row["partner_id"]

    @api.multi
    def _prepare_group(self, row):
        return {"name": row["partner_name"], "debit": 0.0, "credit": 0.0}

    @api.multi
    def _add_to_group(self, group, row):
        super(CarteraHistoryReportWizard, self)._add_to_group(group, row)
        group["debit"] += row["debit"]
        group["credit"] += row["credit"]
        group["balance"] = row["balance"]

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        rows = self.env["cartera.ar.report"].history(
            self.partner_ids.ids or None, self.date_from, self.date_to)
        for row in rows:
            row["kind_label"] = self._kind_label(row["kind"])
        return {"partners": self._group_rows(rows)}

    @api.multi
    def _xlsx_sheets(self):
        values = self._report_values()
        rows = []
        for group in values["partners"]:
            for row in group["rows"]:
                detail = row.get("notes") or row.get("ref") or ""
                if row["kind"] == "followup":
                    detail = " - ".join(filter(None, [
                        row.get("type_name"), row.get("responsible_name"),
                        row.get("notes")]))
                rows.append([group["name"], row["date"], row["kind_label"],
                             row["document"], row["date_maturity"], detail,
                             row["debit"], row["credit"], row["balance"]])
        return [self._xlsx_sheet(
            values, _("History"),
            [(_("Customer"), "text"), (_("Date"), "date"),
             (_("Type"), "text"), (_("Document"), "text"),
             (_("Due date"), "date"), (_("Detail"), "text"),
             (_("Debit"), "amount"), (_("Credit"), "amount"),
             (_("Balance"), "amount")],
            rows)]
