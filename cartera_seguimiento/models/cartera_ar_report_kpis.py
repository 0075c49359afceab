# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Indicadores de cartera: the portfolio's indicators over a period (DSO,
collection effectiveness, share overdue more than 90 days, promises kept),
on the very lines, scope and filters of ``movement()`` and ``aging()``.

The figures of several consecutive periods (the dashboard's last 12 months)
and per salesperson come from the same four statements as those of one
period: the movement of every period in one scan of the journal items, the
aging at every period end in one more (``_open_items`` at the period
ends), the promises in a third (and the aging's choice of method in a
fourth).
"""
from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .cartera_promise import DECIDED

# Overdue more than this many days: the last two periods of the aging with
# periods of 30 days (91-120 and +120).
OVERDUE_DAYS = 90

# The components every indicator is computed from.
COMPONENTS = ("opening", "invoiced", "collected", "closing",
              "closing_not_due", "overdue_90", "promises_kept",
              "promises_decided", "overdue", "disputed", "disputed_overdue")


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def kpis(self, date_from, date_to, partner_ids=None,
             salesperson_ids=None):
        """The portfolio's indicators from ``date_from`` to ``date_to``, on
        the items of ``movement()`` and ``aging()`` with the same filters:

        - ``opening``: the balance before ``date_from``; ``invoiced`` and
          ``collected``: the period's debits and credits; ``closing`` =
          opening + invoiced - collected (movement()'s totals);
        - ``closing_not_due``: the part not yet due at ``date_to``
          (aging()'s "not due");
        - ``dso`` = closing / invoiced x days in the period (both ends
          included);
        - ``cei`` = (opening + invoiced - closing) / (opening + invoiced -
          closing_not_due) x 100;
        - ``overdue_90_pct``: the part of the aging at ``date_to`` overdue
          more than 90 days over closing, x 100;
        - ``promise_kept_pct``: the kept promises due in the period over
          the decided ones (kept, partially kept, broken), x 100;
        - ``overdue``: the part of the aging at ``date_to`` overdue (one
          day or more); ``disputed``: the part held by disputes open at
          ``date_to``, ``disputed_overdue`` its overdue part
          (``cartera_ar_report_disputes.py``);
        - ``overdue_pct``: overdue over closing, x 100 (disputes
          included); ``overdue_undisputed_pct``: the same without the
          disputed amounts, (overdue - disputed_overdue) / (closing -
          disputed) x 100.

        Amounts in the company currency, rounded to it; rates and days to
        two decimals; None where a denominator is zero. A fixed number of
        queries whatever the customers and items."""
        date_from, date_to = self._check_range(date_from, date_to)
        if not date_from or not date_to:
            raise UserError(_("The indicators need a start and an end "
                              "date."))
        figures = self._kpi_figures([(date_from, date_to)], partner_ids,
                                    salesperson_ids)
        return self._prepare_kpi_values(
            figures.get((None, 1)) or self._kpi_zero(), date_from, date_to)

    @api.model
    def kpi_months(self, date_at, months=12, partner_ids=None,
                   salesperson_ids=None, by_salesperson=False):
        """The indicators of the ``months`` calendar months up to the one of
        ``date_at`` (that month up to ``date_at``), oldest first: a list of
        dicts with ``date_from``, ``date_to``, ``salesperson_id`` (with
        ``by_salesperson``: one row per salesperson of the customers and
        month, False for the customers without one; otherwise None) and
        the figures of ``kpis()``. Rows with nothing in them (no balance,
        no movement, no decided promise) are left out when grouped."""
        date_at = self._check_date(date_at, _("As of date")) or \
            fields.Date.context_today(self)
        months = self._check_month_count(months)
        periods = self._month_periods(date_at, months)
        figures = self._kpi_figures(periods, partner_ids, salesperson_ids,
                                    by_salesperson=by_salesperson)
        salespeople = sorted({key[0] for key in figures},
                             key=lambda uid: (uid is None, uid or 0))
        if not by_salesperson:
            salespeople = [None]
        rows = []
        for index, (date_from, date_to) in enumerate(periods, 1):
            for salesperson_id in salespeople:
                components = figures.get((salesperson_id, index))
                if components is None:
                    if by_salesperson:
                        continue
                    components = self._kpi_zero()
                values = self._prepare_kpi_values(components, date_from,
                                                  date_to)
                values.update(date_from=date_from, date_to=date_to,
                              salesperson_id=salesperson_id or (
                                  False if by_salesperson else None))
                rows.append(values)
        return rows

    @api.model
    def _month_periods(self, date_at, months):
        """(first day, last day) of ``months`` calendar months ending with
        the month of ``date_at``, that month ending on ``date_at``."""
        end = fields.Date.from_string(date_at)
        periods = []
        first = end.replace(day=1)
        for _index in range(months):
            periods.append((fields.Date.to_string(first),
                            fields.Date.to_string(end)))
            end = first - timedelta(days=1)
            first = end.replace(day=1)
        return list(reversed(periods))

    # ------------------------------------------------------------------
    # The components, set-based
    # ------------------------------------------------------------------
    @api.model
    def _kpi_zero(self):
        return dict.fromkeys(COMPONENTS, 0.0)

    @api.model
    def _kpi_figures(self, periods, partner_ids=None, salesperson_ids=None,
                     by_salesperson=False):
        """{(salesperson id or None, period number from 1): components} of
        consecutive ``periods`` [(date_from, date_to)], in four queries. A
        key is present when any of its components is not zero (and for
        every period of a salesperson with an opening balance)."""
        for (_from, end), (start, _to) in zip(periods, periods[1:]):
            if fields.Date.from_string(end) + timedelta(days=1) != \
                    fields.Date.from_string(start):
                raise UserError(_("The periods of the indicators must "
                                  "follow each other."))
        scope, params = self._scope(partner_ids, salesperson_ids)
        starts = [start for start, _end in periods]
        ends = [end for _start, end in periods]
        params.update(starts=starts, ends=ends, date_from=starts[0],
                      date_to=ends[-1], first_end=ends[0],
                      overdue_days=OVERDUE_DAYS, decided=DECIDED)
        salesperson = sql.SQL("rp.user_id") if by_salesperson else \
            sql.SQL("NULL::integer")
        self._no_jit()
        result = {}

        def add(key, values):
            row = result.setdefault(key, self._kpi_zero())
            for name, value in values.items():
                row[name] += float(value)

        # Movement: the opening of each period is the previous one's
        # closing, starting from the items before the first period.
        moved = {}
        for salesperson_id, period, balance, debit, credit in self._execute(
                self._kpi_movement_query(salesperson, scope,
                                         by_salesperson), params):
            moved.setdefault(salesperson_id, {})[period] = (
                float(balance), float(debit), float(credit))
        for salesperson_id, by_period in moved.items():
            balance = by_period.get(0, (0.0, 0.0, 0.0))[0]
            for period in range(1, len(periods) + 1):
                _balance, debit, credit = by_period.get(
                    period, (0.0, 0.0, 0.0))
                if balance or debit or credit:
                    add((salesperson_id, period), {
                        "opening": balance, "invoiced": debit,
                        "collected": credit,
                        "closing": balance + debit - credit})
                balance += debit - credit

        method = self._aging_method(ends[0])
        amounts = self._open_items(ends, scope, method)
        disputed = self._open_items(ends, self._disputed_scope(
            scope, sql.SQL("%(first_end)s::date"),
            sql.SQL("%(date_to)s::date")), method)
        for (salesperson_id, period, not_due, overdue_90, overdue,
             disputed_amount, disputed_overdue) in self._execute(
                self._kpi_aging_query(amounts, by_salesperson, disputed),
                params):
            if not_due or overdue_90 or overdue or disputed_amount:
                add((salesperson_id, period), {
                    "closing_not_due": not_due, "overdue_90": overdue_90,
                    "overdue": overdue, "disputed": disputed_amount,
                    "disputed_overdue": disputed_overdue})

        for salesperson_id, period, kept, decided in self._execute(
                self._kpi_promises_query(salesperson, scope), params):
            if decided:
                add((salesperson_id, period), {
                    "promises_kept": kept, "promises_decided": decided})
        return result

    @api.model
    def _kpi_movement_query(self, salesperson, scope, by_salesperson=False):
        """Movement of every period in one scan: width_bucket() gives 0 to
        the items before the first period (the opening balance) and k to
        those of the k-th."""
        return sql.SQL("""
    SELECT {salesperson} AS salesperson_id,
           width_bucket(l.date, %(starts)s::date[]) AS period,
           COALESCE(sum(l.balance), 0), COALESCE(sum(l.debit), 0),
           COALESCE(sum(l.credit), 0)
    {items}
       AND l.date <= %(date_to)s
     GROUP BY 1, 2
""").format(salesperson=salesperson, items=self._receivable_items(
            scope, customers=by_salesperson or None))

    @api.model
    def _kpi_aging_query(self, amounts, by_salesperson, disputed=None):
        """At each period end (``amounts``: ``_open_items`` of the ends),
        what is not due, what is overdue more than ``overdue_days`` and
        what is overdue at all; and what disputes hold of it and of its
        overdue part (``disputed``: the same items with
        ``_disputed_scope``, see ``_disputed_query``; none when not
        given)."""
        salesperson, customers = sql.SQL("NULL::integer"), sql.SQL("")
        if by_salesperson:
            salesperson = sql.SQL("rp.user_id")
            customers = sql.SQL("JOIN res_partner rp ON rp.id = i.partner_id")
        if disputed is None:
            disputed_rows = sql.SQL("")
        else:
            disputed_rows = sql.SQL("""
    UNION ALL
    SELECT x.partner_id, x.period, NULL::date, NULL::date, 0,
           x.disputed, x.disputed_overdue
      FROM ({}) x""").format(self._disputed_query(disputed))
        return sql.SQL("""
    SELECT {salesperson} AS salesperson_id, i.period,
           COALESCE(sum(i.amount) FILTER (WHERE i.date_at - i.due <= 0), 0),
           COALESCE(sum(i.amount) FILTER (
               WHERE i.date_at - i.due > %(overdue_days)s), 0),
           COALESCE(sum(i.amount) FILTER (WHERE i.date_at - i.due > 0), 0),
           COALESCE(sum(i.disputed), 0), COALESCE(sum(i.disputed_overdue), 0)
      FROM (SELECT a.partner_id, a.period, a.date_at, a.due, a.amount,
                   0 AS disputed, 0 AS disputed_overdue
              FROM ({amounts}) a {disputed_rows}) i {customers}
     GROUP BY 1, 2
""").format(salesperson=salesperson, amounts=amounts, customers=customers,
            disputed_rows=disputed_rows)

    @api.model
    def _kpi_promises_query(self, salesperson, scope):
        """Promises due (promised date) in each period. The promises are
        named "l" so that the scope's conditions (l.partner_id, rp) apply
        to them as they do to the journal items."""
        return sql.SQL("""
    SELECT {salesperson} AS salesperson_id,
           width_bucket(l.date, %(starts)s::date[]) AS period,
           count(*) FILTER (WHERE l.state = 'kept'),
           count(*) FILTER (WHERE l.state IN %(decided)s)
      FROM cartera_promise l
      JOIN res_partner rp ON rp.id = l.partner_id
     WHERE l.company_id = %(company_id)s
       AND l.date >= %(date_from)s AND l.date <= %(date_to)s {scope}
     GROUP BY 1, 2
""").format(salesperson=salesperson, scope=scope)

    # ------------------------------------------------------------------
    # The indicators, from the components
    # ------------------------------------------------------------------
    @api.model
    def _prepare_kpi_values(self, components, date_from, date_to):
        """The dict returned by ``kpis()`` for one period and its
        components; override to add or redefine an indicator."""
        money = {name: self._kpi_money(components[name])
                 for name in ("opening", "invoiced", "collected", "closing",
                              "closing_not_due")}
        days = (fields.Date.from_string(date_to)
                - fields.Date.from_string(date_from)).days + 1
        collectible = (money["opening"] + money["invoiced"]
                       - money["closing_not_due"])
        return dict(money, **{
            "days": days,
            "overdue_90": self._kpi_money(components["overdue_90"]),
            "promises_kept": int(components["promises_kept"]),
            "promises_decided": int(components["promises_decided"]),
            "dso": self._kpi_ratio(money["closing"] * days,
                                   money["invoiced"]),
            "cei": self._kpi_ratio(
                money["opening"] + money["invoiced"] - money["closing"],
                collectible, 100.0),
            "overdue_90_pct": self._kpi_ratio(
                components["overdue_90"], money["closing"], 100.0),
            "promise_kept_pct": self._kpi_ratio(
                components["promises_kept"],
                components["promises_decided"], 100.0),
            "overdue": self._kpi_money(components["overdue"]),
            "disputed": self._kpi_money(components["disputed"]),
            "disputed_overdue": self._kpi_money(
                components["disputed_overdue"]),
            "overdue_pct": self._kpi_ratio(
                components["overdue"], money["closing"], 100.0),
            "overdue_undisputed_pct": self._kpi_ratio(
                components["overdue"] - components["disputed_overdue"],
                money["closing"] - components["disputed"], 100.0),
        })

    @api.model
    def _kpi_money(self, amount):
        """``amount`` rounded to the company currency, as the float nearest
        to it: float_round() alone may give 1450000.8900000001."""
        currency = self.env.user.company_id.currency_id
        return round(currency.round(amount), currency.decimal_places)

    @api.model
    def _kpi_ratio(self, numerator, denominator, factor=1.0):
        """numerator / denominator x factor to two decimals; None when the
        denominator is zero (to the company currency's cent)."""
        currency = self.env.user.company_id.currency_id
        if currency.is_zero(denominator or 0.0):
            return None
        return round(float(numerator) / float(denominator) * factor, 2)
