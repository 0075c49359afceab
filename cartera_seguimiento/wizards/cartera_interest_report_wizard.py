# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The *Liquidación de intereses de mora* (issue 26, item 4): each
customer's late-payment interest as of a date, item by item and month by
month, with the rates, the day convention and the legal basis, from the
engine ``cartera.ar.report.interest``."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..models.cartera_interest_blocks import WITH_INTEREST_KEY


def daily_rate(annual_rate, convention):
    """The daily rate (a fraction) of an effective annual rate in
    percent: (1 + EA)^(1/365) - 1 under *365*, the monthly effective rate
    (1 + EA)^(1/12) - 1 divided by 30 under *360*."""
    annual = 1.0 + (annual_rate or 0.0) / 100.0
    if str(convention) == "360":
        return (annual ** (1.0 / 12.0) - 1.0) / 30.0
    return annual ** (1.0 / 365.0) - 1.0


class CarteraInterestReportWizard(models.TransientModel):
    _name = "cartera.interest.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Late-payment Interest Liquidation Wizard"

    _report_qweb = "cartera_seguimiento.cartera_interest_report"
    _report_xlsx = "cartera_seguimiento.cartera_interest_report_xlsx"

    date_at = fields.Date(
        string="As of", required=True, default=fields.Date.context_today,
        help="The interest is counted up to this day, included; payments "
             "after it do not count.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for all the customers you may see.")

    @api.model
    def default_get(self, fields_list):
        values = super(CarteraInterestReportWizard, self).default_get(
            fields_list)
        context = self._context
        if context.get("active_model") == "res.partner" and \
                context.get("active_ids"):
            partners = self.env["res.partner"].browse(context["active_ids"])
            values["partner_ids"] = [(6, 0, partners.mapped(
                "commercial_partner_id").ids)]
        return values

    @api.multi
    def _title(self):
        return _("Late-payment Interest Liquidation")

    @api.multi
    def _filters(self):
        return [
            (_("As of"), self._date_label(self.date_at)),
            (_("Customers"), self._names(self.partner_ids)),
            (_("Rate"), self._policy_label(self.company_id)),
            (_("Day convention"), self._convention_label(self.company_id)),
            (_("Currency"), self.company_id.currency_id.name),
        ]

    # ------------------------------------------------------------------
    # The company's policy, in words
    # ------------------------------------------------------------------
    @api.model
    def _policy_label(self, company):
        policy = company.cartera_interest_policy
        if policy == "legal":
            return _("The legal maximum (1.5 times the certified current "
                     "banking interest rate of each month)")
        if policy == "agreed":
            return _("The agreed rate of %s %% effective annual, at most "
                     "each month's legal maximum") % self._percent(
                company.cartera_interest_rate)
        return _("No interest")

    @api.model
    def _convention_label(self, company):
        if str(company.cartera_interest_days) == "360":
            return _("360 days: each day at the monthly effective rate "
                     "(1 + EA)^(1/12) - 1 divided by 30")
        return _("365 days: each day at (1 + EA)^(1/365) - 1 of the "
                 "month's rate")

    @api.model
    def _percent(self, value):
        return formatLang(self.env, value or 0.0, digits=2)

    @api.model
    def _legal_basis(self):
        """The law the liquidation stands on, printed under it (the
        lawyer's references)."""
        return _(
            "Late-payment interest is owed in every commercial obligation "
            "from the day after its due date (Ley 45 de 1990, art. 65), at "
            "a rate of at most one and a half times the current banking "
            "interest rate certified by the Superintendencia Financiera for "
            "each month; above that cap the creditor loses the interest "
            "(Código de Comercio, art. 884). It is simple interest on the "
            "capital due on each day, never on interest (Código de "
            "Comercio, art. 886). A due date falling on a Sunday or a "
            "public holiday moves to the next business day (Código de "
            "Comercio, art. 829). The day of the payment counts as a day "
            "of mora.")

    @api.model
    def _check_policy(self, company):
        if (company.cartera_interest_policy or "none") == "none":
            raise UserError(_(
                "Your company charges no late-payment interest: choose the "
                "legal maximum or an agreed rate in the settings first."))

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        # A company without interest gets an empty liquidation saying so
        # (its rate: "No interest"), as any report without figures.
        rows = self.env["cartera.ar.report"].interest(
            self.date_at, self.partner_ids.ids or None)
        customers = self._liquidation(rows, self.company_id)
        return {
            "customers": customers,
            "total": self.company_id.currency_id.round(
                sum(c["interest"] for c in customers)),
            "item_count": sum(len(c["items"]) for c in customers),
            "policy": self._policy_label(self.company_id),
            "convention": self._convention_label(self.company_id),
            "legal_basis": self._legal_basis(),
            "date_at": self.date_at,
        }

    @api.model
    def _liquidation(self, rows, company):
        """The engine's rows (one per customer) with what the printed
        liquidation names: the customers' names and tax ids, each item's
        document, each month's daily rate; customers by name. Reads the
        customers and items of all the rows at once."""
        convention = company.cartera_interest_days
        partners = self.env["res.partner"].browse(
            [row["partner_id"] for row in rows])
        partner_values = {p["id"]: p for p in partners.read(["name", "vat"])}
        lines = self.env["account.move.line"].browse(
            [item["move_line_id"] for row in rows for item in row["items"]])
        documents = {}
        for line in lines:
            documents[line.id] = {
                "document": line.invoice_id.number or line.move_id.name or
                line.name or "",
                "amount": line.balance,
            }
        customers = []
        for row in rows:
            partner = partner_values.get(row["partner_id"], {})
            items = []
            for item in row["items"]:
                months = []
                for month in item.get("months") or []:
                    rate = daily_rate(month.get("rate"), convention)
                    months.append(dict(
                        month, daily_rate=rate,
                        daily_rate_label=formatLang(
                            self.env, rate * 100.0, digits=6),
                        capped=bool(month.get("capped"))))
                items.append(dict(
                    item, months=months,
                    capped=bool(item.get("capped")) or any(
                        m["capped"] for m in months),
                    **documents.get(item["move_line_id"],
                                    {"document": "", "amount": 0.0})))
            customers.append({
                "partner_id": row["partner_id"],
                "name": partner.get("name") or "",
                "vat": partner.get("vat") or "",
                "interest": row["interest"],
                "items": items,
                "capped": any(item["capped"] for item in items),
            })
        customers.sort(key=lambda c: ((c["name"] or "").upper(),
                                      c["partner_id"]))
        return customers

    @api.multi
    def _xlsx_sheets(self):
        self.ensure_one()
        values = self._report_values()
        items_columns = [
            (_("Customer"), "text"), (self._tax_id_label(), "text"),
            (_("Document"), "text"), (_("Due Date"), "date"),
            (_("Mora From"), "date"), (_("Days"), "integer"),
            (_("Interest"), "amount"), (_("Capped"), "text")]
        months_columns = [
            (_("Customer"), "text"), (self._tax_id_label(), "text"),
            (_("Document"), "text"), (_("Month"), "text"),
            (_("Days"), "integer"), (_("Legal Maximum (% EA)"), "percent"),
            (_("Rate Applied (% EA)"), "percent"),
            (_("Daily Rate (%)"), "text"), (_("Interest"), "amount"),
            (_("Capped"), "text")]
        yes = _("Yes")
        item_rows, month_rows = [], []
        for customer in values["customers"]:
            for item in customer["items"]:
                item_rows.append([
                    customer["name"], customer["vat"], item["document"],
                    item["date_due"], item["mora_from"], item["days"],
                    item["interest"], yes if item["capped"] else ""])
                for month in item["months"]:
                    month_rows.append([
                        customer["name"], customer["vat"], item["document"],
                        month["month"], month["days"], month["max_rate"],
                        month["rate"], round(month["daily_rate"] * 100, 6),
                        month["interest"], yes if month["capped"] else ""])
        return [
            self._xlsx_sheet(values, _("Interest by Item"), items_columns,
                             item_rows, totals=[_("Total")] + [""] * 5 + [
                                 values["total"], ""]),
            self._xlsx_sheet(values, _("Interest by Month"), months_columns,
                             month_rows),
            self._xlsx_sheet(values, _("Legal Basis"), [(_("Text"), "text")],
                             [[values["policy"]], [values["convention"]],
                              [values["legal_basis"]]]),
        ]


class CarteraStatementWizard(models.TransientModel):
    """The statements' optional late-payment interest block."""
    _inherit = "cartera.statement.wizard"

    with_interest = fields.Boolean(
        string="Include Late-payment Interest",
        help="Add a table of each item's late-payment interest as of the "
             "date (when the company charges it).")

    @api.multi
    def _prepare_report_data(self, partners):
        data = super(CarteraStatementWizard, self)._prepare_report_data(
            partners)
        data["with_interest"] = self.with_interest
        return data

    @api.multi
    def action_send(self):
        return super(CarteraStatementWizard, self.with_context(**{
            WITH_INTEREST_KEY: self.with_interest})).action_send()
