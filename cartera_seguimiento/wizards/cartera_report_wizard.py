# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools.misc import format_date

from ..tools import dates, ids as id_checks, values


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
        # XML-RPC cannot carry None (report_action's "data"): other modules
        # and RPC clients call these buttons too (test_stress_access.py).
        return {key: value for key, value in action.items()
                if value is not None}

    @api.model
    def create(self, vals):
        self._check_filter_values(vals)
        # The figures are always the user's company's (the engine reads
        # it): a caller's company is ignored, or the report would print
        # another company's name above them.
        vals = dict(vals, company_id=self.env.user.company_id.id)
        return super(CarteraReportWizard, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_filter_values(vals)
        vals = dict(vals)
        vals.pop("company_id", None)
        return super(CarteraReportWizard, self).write(vals)

    @api.model
    def _check_filter_values(self, vals):
        """Dates that exist (``tools.dates``: years 1900 to 2200) and ids
        that are integers, with a clear error instead of PostgreSQL's or an
        OverflowError."""
        def label(field):
            return values.field_label(self, field)
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not value:
                continue
            if field.type == "date":
                if not dates.is_valid(value):
                    raise dates.date_error(self.env, label(field), value)
            elif field.type == "many2many":
                if not (isinstance(value, (list, tuple)) and all(
                        self._valid_command(command) for command in value)):
                    raise id_checks.value_error(self.env, label(field), value)

    @api.multi
    def _print_file_name(self):
        """Name of the printed file (``print_report_name``), in the user's
        language: the report's title and the day it was printed."""
        self.ensure_one()
        return "%s - %s" % (self._title(), fields.Date.context_today(self))

    @api.multi
    def _tax_id_label(self):
        """What the company's country calls the customers' tax id (NIT in
        Colombia, RUT in Chile...)."""
        return self.company_id.country_id.vat_label or _("Tax ID")

    @api.model
    def _valid_command(self, command):
        is_id = id_checks.is_id
        if is_id(command):
            return True
        if not isinstance(command, (list, tuple)) or not command:
            return False
        if command[0] == 6:
            return len(command) == 3 and all(is_id(i) for i in command[2])
        if command[0] in (3, 4):
            return len(command) >= 2 and is_id(command[1])
        return command[0] == 5

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
    def _period_filters(self, *people):
        """The header of a report over a period (``date_from``,
        ``date_to``): its dates, then each of ``people`` ((label, records)
        pairs; by default the customers and the salespeople chosen), then
        the currency."""
        if not people:
            people = ((_("Customers"), self.partner_ids),
                      (_("Salespeople"), self.salesperson_ids))
        return [
            (_("From"), self._date_label(self.date_from)),
            (_("To"), self._date_label(self.date_to)),
        ] + [(label, self._names(records)) for label, records in people] + [
            (_("Currency"), self.company_id.currency_id.name),
        ]

    @api.multi
    def _report_values(self):
        """Values of the QWeb template (and of the XLSX sheets): the title,
        the filters and the currency, and the report's own
        (``_prepare_report_values``)."""
        self.ensure_one()
        values = {
            "title": self._title(),
            "filters": self._filters(),
            "currency": self.company_id.currency_id,
        }
        values.update(self._prepare_report_values())
        return values

    @api.multi
    def _prepare_report_values(self):
        """The report's own values: its rows, groups and totals."""
        return {}

    # Groups of rows: the rows of a report under the same ``_group_key``
    # form a group (in the order they come), which ``_prepare_group``
    # starts from its first row and ``_add_to_group`` adds each row to
    # (its totals).
    @api.multi
    def _group_key(self, row):
        """The group ``row`` is printed under."""
        return None

    @api.multi
    def _prepare_group(self, row):
        """A new group (``name`` and totals), from its first ``row``."""
        return {"name": False}

    @api.multi
    def _add_to_group(self, group, row):
        group["rows"].append(row)

    @api.multi
    def _group_rows(self, rows):
        """``rows`` in groups: dicts of ``_prepare_group`` with their
        ``rows``."""
        groups, by_key = [], {}
        for row in rows:
            key = self._group_key(row)
            group = by_key.get(key)
            if group is None:
                group = by_key[key] = dict(self._prepare_group(row), rows=[])
                groups.append(group)
            self._add_to_group(group, row)
        return groups

    @api.multi
    def _xlsx_sheets(self):
        """Sheets of the XLSX export: dicts with ``name``, ``columns``
        (label, kind) where kind is text, date, amount, integer or percent,
        ``rows`` (lists of values) and optional ``totals``."""
        return []

    @api.model
    def _xlsx_sheet(self, values, name, columns, rows, **extra):
        """One sheet of ``_xlsx_sheets``, under the report's title and
        filters (``values``: ``_report_values``)."""
        return dict(extra, name=name, title=values["title"],
                    filters=values["filters"], columns=columns, rows=rows)

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
        return domain + (self.env["cartera.scope"]._customer_domain(
            self.env.user) or [])
