# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..models.cartera_ar_report_impairment import BUCKETS

# The figures of each row, its previous cut-off's and their movement.
COMPARED = ("balance", "tax", "accounting", "difference")


class CarteraImpairmentReportWizard(models.TransientModel):
    _name = "cartera.impairment.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Impairment Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_impairment_report"
    _report_xlsx = "cartera_seguimiento.cartera_impairment_report_xlsx"

    date_at = fields.Date(string="Cut-off Date", required=True,
                          default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=[("customer", "=", True), ("parent_id", "=", False)],
        help="Leave empty for all the customers.")

    @api.multi
    def _title(self):
        return _("Receivables Impairment")

    @api.multi
    def _previous_cutoff(self):
        return self.env["cartera.impairment.cutoff"]._previous(self.date_at)

    @api.multi
    def _filters(self):
        previous = self._previous_cutoff()
        company = self.company_id
        methods = dict(company._fields[
            "cartera_impairment_method"]._description_selection(self.env))
        tax_methods = dict(company._fields[
            "cartera_impairment_tax_method"]._description_selection(
                self.env))
        return [
            (_("Cut-off Date"), self._date_label(self.date_at)),
            (_("Previous cut-off"), self._date_label(previous.date)
             if previous else _("None")),
            (_("Customers"), self._names(self.partner_ids)),
            (_("Accounting method"),
             methods.get(company.cartera_impairment_method, "")),
            (_("Tax method"),
             tax_methods.get(company.cartera_impairment_tax_method, "")),
            (_("Currency"), company.currency_id.name),
        ]

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        engine = self.env["cartera.ar.report"]
        partner_ids = self.partner_ids.ids or None
        rows = engine.impairment(self.date_at, partner_ids)
        previous = {}
        for line in self._previous_cutoff().line_ids:
            if partner_ids is None or line.partner_id.id in partner_ids:
                previous[line.partner_id.id] = line
        seen = set()
        for row in rows:
            seen.add(row["partner_id"])
            self._add_previous(row, previous.get(row["partner_id"]))
        # Customers of the previous cut-off with nothing open now: their
        # figures went to zero, a movement of their own.
        for partner_id, line in previous.items():
            if partner_id in seen:
                continue
            partner = line.partner_id
            row = engine._customer_values(
                partner.id, partner.name, partner.vat, partner.user_id.id,
                partner.user_id.name)
            row.update(dict.fromkeys(
                ("balance", "tax_general", "tax_individual", "tax",
                 "accounting", "difference"), 0.0),
                buckets=[0.0] * BUCKETS, related_party=line.related_party)
            self._add_previous(row, line)
            rows.append(row)
        groups = self._group_rows(sorted(
            rows, key=lambda row: (row["related_party"],
                                   (row["partner_name"] or "").upper())))
        totals = engine.impairment_totals(rows)
        for key in COMPARED:
            totals["all"]["previous_" + key] = round(sum(
                row["previous_" + key] for row in rows), 2)
            totals["all"]["movement_" + key] = round(
                totals["all"][key] - totals["all"]["previous_" + key], 2)
        return {"rows": rows, "groups": groups, "totals": totals["all"],
                "bucket_labels": engine._impairment_bucket_labels(),
                "has_previous": bool(self._previous_cutoff())}

    @api.model
    def _add_previous(self, row, line):
        for key in COMPARED:
            row["previous_" + key] = line[key] if line else 0.0
            row["movement_" + key] = round(
                row[key] - row["previous_" + key], 2)

    @api.multi
    def _group_key(self, row):
        return row["related_party"]

    @api.multi
    def _prepare_group(self, row):
        name = _("Related parties (excluded from the tax impairment)") \
            if row["related_party"] else _("Customers")
        return {"name": name, "totals": dict.fromkeys(
            ("balance", "tax_general", "tax_individual", "accounting",
             "difference", "previous_accounting", "movement_accounting"),
            0.0), "buckets": [0.0] * BUCKETS}

    @api.multi
    def _add_to_group(self, group, row):
        super(CarteraImpairmentReportWizard, self)._add_to_group(group, row)
        for key in group["totals"]:
            group["totals"][key] = round(group["totals"][key] + row[key], 2)
        group["buckets"] = [round(total + amount, 2) for total, amount in
                            zip(group["buckets"], row["buckets"])]

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        columns = [(_("Customer"), "text"), (self._tax_id_label(), "text"),
                   (_("Related party"), "text")]
        columns += [(label, "amount") for label in values["bucket_labels"]]
        columns += [(_("Balance"), "amount"), (_("Tax (general)"), "amount"),
                    (_("Tax (individual)"), "amount"),
                    (_("Accounting allowance"), "amount"),
                    (_("Difference (deferred tax base)"), "amount"),
                    (_("Previous allowance"), "amount"),
                    (_("Allowance movement"), "amount"),
                    (_("Previous tax"), "amount"),
                    (_("Tax movement"), "amount")]
        rows = [[row["partner_name"], row["partner_vat"],
                 _("Yes") if row["related_party"] else ""]
                + row["buckets"]
                + [row["balance"], row["tax_general"], row["tax_individual"],
                   row["accounting"], row["difference"],
                   row["previous_accounting"], row["movement_accounting"],
                   row["previous_tax"], row["movement_tax"]]
                for group in values["groups"] for row in group["rows"]]
        total = values["totals"]
        return [self._xlsx_sheet(
            values, _("Impairment"), columns, rows,
            totals=[_("Total"), "", ""] + total["buckets"]
            + [total["balance"], total["tax_general"],
               total["tax_individual"], total["accounting"],
               total["difference"], total["previous_accounting"],
               total["movement_accounting"], total["previous_tax"],
               total["movement_tax"]])]
