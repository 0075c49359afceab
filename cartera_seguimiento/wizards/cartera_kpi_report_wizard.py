# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one-page "Receivable Indicators" PDF of a month: the month's figures
and a chart of the DSO and the CEI over the 12 months up to it."""
import calendar
from datetime import date, timedelta

import babel.dates

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from ..reports.kpi_chart import kpi_chart_svg
from ..tools import dates


def _previous_month(wizard):
    today = fields.Date.from_string(fields.Date.context_today(wizard))
    return today.replace(day=1) - timedelta(days=1)


class CarteraKpiReportWizard(models.TransientModel):
    _name = "cartera.kpi.report.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Receivable Indicators Report Wizard"

    _report_qweb = "cartera_seguimiento.cartera_kpi_report"
    _report_xlsx = None

    month = fields.Selection(
        lambda self: self._month_names(), string="Month", required=True,
        default=lambda self: str(_previous_month(self).month))
    year = fields.Integer(
        string="Year", required=True,
        default=lambda self: _previous_month(self).year)
    salesperson_id = fields.Many2one(
        "res.users", string="Collector",
        help="Salesperson of the customers. Leave empty for all the "
             "customers you may see.")

    @api.model
    def _month_names(self):
        """(number, name) of the months in the user's language."""
        lang = self._context.get("lang") or self.env.user.lang or "en_US"
        try:
            names = babel.dates.get_month_names("wide", locale=lang)
        except (ValueError, babel.UnknownLocaleError):
            names = babel.dates.get_month_names("wide", locale="en_US")
        return [(str(number), names[number].capitalize())
                for number in range(1, 13)]

    @api.constrains("year")
    def _check_year(self):
        """The years of every other date the addon takes (tools.dates),
        refused when the wizard is filled, not when its report renders."""
        for wizard in self:
            if not dates.MIN_YEAR <= wizard.year <= dates.MAX_YEAR:
                raise ValidationError(_(
                    "The year must be from %d to %d (got %s).") % (
                    dates.MIN_YEAR, dates.MAX_YEAR, wizard.year))

    @api.multi
    def _period(self):
        """First and last day of the month asked for; the current month
        ends today (the aging of a future day would be a guess)."""
        self.ensure_one()
        self._check_year()
        month = int(self.month)
        first = date(self.year, month, 1)
        last = date(self.year, month, calendar.monthrange(self.year,
                                                          month)[1])
        today = fields.Date.from_string(fields.Date.context_today(self))
        if first > today:
            raise UserError(_("The month %s is still to come.")
                            % self._month_label(first))
        return (fields.Date.to_string(first),
                fields.Date.to_string(min(last, today)))

    @api.model
    def _month_label(self, day, pattern="MMMM yyyy"):
        return format_date(self.env, fields.Date.to_string(day)
                           if isinstance(day, date) else day,
                           date_format=pattern)

    @api.multi
    def _title(self):
        return _("Receivable Indicators")

    @api.multi
    def _print_file_name(self):
        self.ensure_one()
        return "%s - %04d-%02d" % (self._title(), self.year, int(self.month))

    @api.multi
    def _filters(self):
        date_from, date_to = self._period()
        return [
            (_("Month"), self._month_label(date_from).capitalize()),
            (_("From"), self._date_label(date_from)),
            (_("To"), self._date_label(date_to)),
            (_("Collector"), self.salesperson_id.display_name or _("All")),
            (_("Currency"), self.company_id.currency_id.name),
        ]

    @api.multi
    def _prepare_report_values(self):
        self.ensure_one()
        date_from, date_to = self._period()
        engine = self.env["cartera.ar.report"]
        salespeople = self.salesperson_id.ids or None
        figures = engine.kpis(date_from, date_to,
                              salesperson_ids=salespeople)
        months = engine.kpi_months(date_to, 12, salesperson_ids=salespeople)
        for row in months:
            row["label"] = self._month_label(row["date_from"], "MMM yyyy")
        chart = kpi_chart_svg(
            [(self._month_label(row["date_from"], "MMM"),
              self._month_label(row["date_from"], "yyyy"),
              row["dso"], row["cei"]) for row in months],
            self._chart_labels())
        return {"figures": figures, "months": months, "chart": chart}

    @api.model
    def _chart_labels(self):
        return {
            "dso": _("DSO (days)"),
            "cei": _("CEI (%)"),
        }

    @api.multi
    def action_export_xlsx(self):
        raise UserError(_("The indicators are printed as PDF; their "
                          "figures per month and collector are in the "
                          "indicators dashboard."))
