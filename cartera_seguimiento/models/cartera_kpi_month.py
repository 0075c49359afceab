# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The indicators dashboard: one row per company, month (the last 12) and
salesperson, read with the ORM in graph, pivot and list views.

Why a table filled on demand rather than a database view: an indicator of a
month needs the aging at that month's end, and a view would compute twelve
agings over every journal item at each read of the graph, the pivot and
each of their regroupings. ``refresh()`` computes all the rows of the
company in the four statements of ``cartera.ar.report.kpi_months`` and
replaces the old ones (one DELETE, one INSERT); the dashboard's action
refreshes them when they are older than a few minutes
(``cartera_seguimiento.kpi_max_age_minutes``, 10 by default, 0 to compute
at every opening) or of another day.

Rows are per salesperson of the customers (``res.partner.user_id``, the
collector of ``cartera.scope``); the totals are those of the views' groups:
``read_group`` adds the amounts up and computes each rate from the sums
(see ``_ratio_components``), so that a month's total is the company's
figure, never an average of the collectors'. The record rules give a
collector their own rows only (``cartera.scope._kpi_domain``).
"""
import zlib
from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import dates
from ..tools.sql import audit_values
from .system_parameters import int_parameter

MAX_AGE_KEY = "cartera_seguimiento.kpi_max_age_minutes"
MONTHS = 12
# Advisory lock of a company's refresh (a stable number: hash() is not).
LOCK_KEY = zlib.crc32(b"cartera.kpi.month") & 0x7fffffff

# Rate -> (numerator, denominator, factor), all summable fields: the rate
# of a group of rows is computed from their sums.
RATIOS = {
    "dso": ("dso_weight", "invoiced", 1.0),
    "cei": ("collected", "collectible", 100.0),
    "overdue_90_pct": ("overdue_90", "closing", 100.0),
    "promise_kept_pct": ("promises_kept", "promises_decided", 100.0),
}

STORED = ("company_id", "month", "date_to", "days", "salesperson_id",
          "opening", "invoiced", "collected", "closing", "closing_not_due",
          "overdue_90", "collectible", "dso_weight", "promises_kept",
          "promises_decided", "dso", "cei", "overdue_90_pct",
          "promise_kept_pct", "computed_at")


class CarteraKpiMonth(models.Model):
    _name = "cartera.kpi.month"
    _description = "Receivable Indicators per Month"
    _order = "month desc, salesperson_id"
    _rec_name = "month"

    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True,
        index=True, ondelete="cascade")
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    month = fields.Date(
        string="Month", required=True, readonly=True, index=True,
        help="First day of the month.")
    date_to = fields.Date(
        string="Until", readonly=True,
        help="Last day of the month, or the day of the computation for "
             "the current month.")
    days = fields.Integer(string="Days", readonly=True,
                          group_operator="max")
    salesperson_id = fields.Many2one(
        "res.users", string="Collector", readonly=True, index=True,
        ondelete="cascade",
        help="Salesperson of the customers; empty for the customers "
             "without one.")
    opening = fields.Monetary(
        string="Opening Balance", readonly=True,
        help="A balance: add it up over collectors, not over months.")
    invoiced = fields.Monetary(string="Invoiced", readonly=True)
    collected = fields.Monetary(
        string="Collected", readonly=True,
        help="Credits of the month: payments and credit notes.")
    closing = fields.Monetary(
        string="Closing Balance", readonly=True,
        help="A balance: add it up over collectors, not over months.")
    closing_not_due = fields.Monetary(
        string="Not Due", readonly=True,
        help="Part of the closing balance not yet due at the month's end.")
    overdue_90 = fields.Monetary(
        string="Overdue +90 Days", readonly=True,
        help="Part of the closing balance overdue more than 90 days.")
    collectible = fields.Monetary(
        string="Collectible", readonly=True,
        help="Opening balance plus invoiced minus the part not due at the "
             "month's end: what the CEI compares the collections with.")
    dso_weight = fields.Float(
        string="DSO Weight", readonly=True,
        help="Closing balance times days of the month.")
    promises_kept = fields.Integer(string="Promises Kept", readonly=True)
    promises_decided = fields.Integer(
        string="Promises Decided", readonly=True,
        help="Promises due in the month that were kept, partially kept or "
             "broken.")
    dso = fields.Float(
        string="DSO (days)", readonly=True, digits=(16, 2),
        help="Days sales outstanding: closing balance / invoiced x days. "
             "Over several months: the day-weighted closing balances over "
             "what was invoiced.")
    cei = fields.Float(
        string="CEI (%)", readonly=True, digits=(16, 2),
        help="Collection effectiveness index: collected / (opening + "
             "invoiced - not due) x 100.")
    overdue_90_pct = fields.Float(
        string="Overdue +90 Days (%)", readonly=True, digits=(16, 2),
        help="Overdue more than 90 days over the closing balance, x 100.")
    promise_kept_pct = fields.Float(
        string="Promises Kept (%)", readonly=True, digits=(16, 2),
        help="Kept promises due in the month over the decided ones, x 100.")
    computed_at = fields.Datetime(string="Computed On", readonly=True)

    # ------------------------------------------------------------------
    # Filling
    # ------------------------------------------------------------------
    @api.model
    def action_open_dashboard(self):
        """The dashboard's window action, after refreshing the rows of the
        user's company when they are stale."""
        self._refresh_if_stale()
        return self.env.ref(
            "cartera_seguimiento.cartera_kpi_month_action").read()[0]

    @api.model
    def action_refresh(self):
        """Compute the rows again now (the list's Action menu, RPC)."""
        self.refresh()
        return self.action_open_dashboard()

    @api.model
    def _refresh_if_stale(self):
        """Refresh the rows when a manager opens the dashboard and they
        are stale; a collector reads the rows as a manager last left
        them."""
        self.env["cartera.scope"]._check_access()
        if not self.env["cartera.scope"]._is_manager():
            return False
        company = self.env.user.company_id
        max_age = self._max_age_minutes()
        self.env.cr.execute(
            "SELECT max(computed_at) FROM cartera_kpi_month "
            "WHERE company_id = %s", (company.id,))
        last = self.env.cr.fetchone()[0]
        now = fields.Datetime.from_string(fields.Datetime.now())
        if last:
            last = fields.Datetime.from_string(last)
            today = fields.Date.context_today(self)
            last_day = fields.Date.to_string(fields.Datetime.context_timestamp(
                self, last).date())
            if last_day == today and now - last < timedelta(
                    minutes=max_age):
                return False
        self.refresh()
        return True

    @api.model
    def _max_age_minutes(self):
        return int_parameter(self.env, MAX_AGE_KEY, 10)

    @api.model
    def refresh(self, date_at=None):
        """The rows of the user's company for the 12 months up to
        ``date_at`` (today), for every salesperson, in place of the
        previous ones: the engine's four statements, one DELETE and one
        INSERT. The record rules then show each collector their own.

        Managers only: the rows cover every customer of the company, the
        manager's own scope (and company, which a superuser environment
        would not keep)."""
        if not self.env["cartera.scope"]._is_manager():
            raise AccessError(_("Only receivable managers can compute the "
                                "indicators of every collector."))
        company = self.env.user.company_id
        engine = self.env["cartera.ar.report"]
        date_at = dates.check_date(self.env, date_at, _("As of date")) or \
            fields.Date.context_today(self)
        rows = engine.kpi_months(date_at, MONTHS, by_salesperson=True)
        now = fields.Datetime.now()
        values = [self._prepare_kpi_month_values(company, row, now)
                  for row in rows]
        # Two managers opening the dashboard at once: the second waits
        # here, then Odoo retries its request on the serialization error
        # and finds the rows fresh.
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                            (LOCK_KEY, company.id))
        self._replace_rows(company, values)
        return len(values)

    @api.model
    def _replace_rows(self, company, values):
        """The rows of ``company`` replaced by ``values`` (dicts of the
        STORED columns), with the audit columns the ORM would write."""
        # Raw: create() inserts row by row, which outweighs the figures'
        # own statements for a company with many collectors.
        cr = self.env.cr
        cr.execute("DELETE FROM cartera_kpi_month WHERE company_id = %s",
                   (company.id,))
        self.invalidate_cache()
        if not values:
            return
        audit = audit_values(self.env)
        columns = sorted(audit)
        row = sql.SQL("({})").format(sql.SQL(", ").join(
            [sql.Placeholder()] * len(STORED)
            + [audit[column] for column in columns]))
        query = sql.SQL("INSERT INTO {} ({}) VALUES {}").format(
            sql.Identifier(self._table),
            sql.SQL(", ").join(map(sql.Identifier, STORED + tuple(columns))),
            sql.SQL(", ").join([row] * len(values)))
        cr.execute(query.as_string(cr._obj),
                   [vals[name] for vals in values for name in STORED])

    @api.model
    def _prepare_kpi_month_values(self, company, row, now):
        """Column values of one stored row from a row of
        ``cartera.ar.report.kpi_months``."""
        collectible = row["opening"] + row["invoiced"] - row[
            "closing_not_due"]
        return {
            "company_id": company.id,
            "month": row["date_from"],
            "date_to": row["date_to"],
            "days": row["days"],
            "salesperson_id": row["salesperson_id"] or None,
            "opening": row["opening"],
            "invoiced": row["invoiced"],
            "collected": row["collected"],
            "closing": row["closing"],
            "closing_not_due": row["closing_not_due"],
            "overdue_90": row["overdue_90"],
            "collectible": self.env["cartera.ar.report"]._kpi_money(
                collectible),
            "dso_weight": row["closing"] * row["days"],
            "promises_kept": row["promises_kept"],
            "promises_decided": row["promises_decided"],
            "dso": row["dso"],
            "cei": row["cei"],
            "overdue_90_pct": row["overdue_90_pct"],
            "promise_kept_pct": row["promise_kept_pct"],
            "computed_at": now,
        }

    # ------------------------------------------------------------------
    # Reading: the rates of a group from its sums
    # ------------------------------------------------------------------
    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Groups as usual, then each rate asked for computed from the
        sums of its components (see RATIOS) instead of summed: a month's
        group is the company's DSO, a collector's over the year its
        day-weighted DSO. None where the denominator is zero."""
        # No fields: Odoo reads every stored one, the rates included.
        fields = list(fields) if fields else [
            name for name, field in self._fields.items() if field.store]
        wanted = [name for name in RATIOS if name in fields]
        extra = []
        for name in wanted:
            extra += [component for component in RATIOS[name][:2]
                      if component not in fields and component not in extra]
        result = super(CarteraKpiMonth, self).read_group(
            domain, fields + extra, groupby, offset=offset,
            limit=limit, orderby=orderby, lazy=lazy)
        engine = self.env["cartera.ar.report"]
        for group in result:
            for name in wanted:
                numerator, denominator, factor = RATIOS[name]
                group[name] = engine._kpi_ratio(
                    group.get(numerator) or 0.0,
                    group.get(denominator) or 0.0, factor)
            for name in extra:
                group.pop(name, None)
        return result
