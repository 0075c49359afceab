# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools.misc import format_date


class CarteraReportWizard(models.AbstractModel):
    """What the five report wizards share: the three outputs, the filters
    printed in the header and the plain data the PDF, HTML and XLSX read.
    The figures themselves come from ``cartera.ar.report``."""
    _name = "cartera.report.wizard"
    _description = "Receivable Report Wizard"

    # XML ids of the QWeb (PDF/HTML) and XLSX report actions.
    _report_qweb = None
    _report_xlsx = None

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        default=lambda self: self.env.user.company_id)

    @api.multi
    def _report(self, xmlid, report_type=None):
        self.ensure_one()
        action = self.env.ref(xmlid).report_action(self, config=False)
        if report_type:
            action["report_type"] = report_type
        return action

    @api.multi
    def action_print_pdf(self):
        return self._report(self._report_qweb)

    @api.multi
    def action_print_html(self):
        return self._report(self._report_qweb, "qweb-html")

    @api.multi
    def action_export_xlsx(self):
        return self._report(self._report_xlsx)

    # ------------------------------------------------------------------
    # Data for the outputs
    # ------------------------------------------------------------------
    @api.multi
    def _title(self):
        return ""

    @api.multi
    def _filters(self):
        """(label, value) pairs printed in the report header."""
        return []

    @api.multi
    def _report_values(self):
        """Values of the QWeb template."""
        return {}

    @api.multi
    def _xlsx_sheets(self):
        """Sheets of the XLSX export: dicts with ``name``, ``columns``
        (label, kind) where kind is text, date, amount, integer or percent,
        ``rows`` (lists of values) and optional ``totals``."""
        return []

    @api.model
    def _date_label(self, value):
        return value and format_date(self.env, value) or ""

    @api.model
    def _names(self, records):
        return ", ".join(records.mapped("display_name")) or _("All")

    @api.model
    def _kind_label(self, kind):
        return {
            "invoice": _("Invoice"),
            "refund": _("Credit note"),
            "payment": _("Payment"),
            "followup": _("Follow-up"),
        }.get(kind, kind)

    @api.model
    def _visible_customers_domain(self):
        domain = [("customer", "=", True), ("parent_id", "=", False)]
        if not self.env["cartera.ar.report"]._is_manager():
            domain.append(("user_id", "=", self.env.uid))
        return domain
