# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aging (análisis de cartera): the open receivable of each customer as of a
date, not due and by periods of overdue days."""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The periods of overdue days of the aging, the last one being "older":
# the default of ``aging()`` and ``aging_periods()``.
PERIOD_COUNT = 4

# Whether the "residual" way pays off: the partials dated after D are less
# than half of all partials (it then reads them and the open items instead of
# every item and partial up to D). The count stops at that threshold, so
# deciding never costs more than reading that many index entries.
AGING_CHOOSE = """
    WITH t AS (
        SELECT GREATEST(1000, reltuples::bigint / 2) AS lim
          FROM pg_class WHERE oid = 'account_partial_reconcile'::regclass
    )
    SELECT count(*) < (SELECT lim FROM t)
      FROM (SELECT 1 FROM account_partial_reconcile
             WHERE max_date > %(date_at)s
             LIMIT (SELECT lim FROM t)) s
"""


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _check_period_count(self, period_count):
        try:
            count = int(period_count)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= 24:
            raise UserError(_(
                "The number of periods must be from 1 to 24 (got %s).")
                % (period_count,))
        return count

    @api.model
    def aging_periods(self, period_length=30, period_count=PERIOD_COUNT):
        """Labels of ``periods`` in the aging rows, most recent first."""
        plen = int(period_length)
        count = self._check_period_count(period_count)
        labels = ["%d-%d" % (i * plen + 1, (i + 1) * plen)
                  for i in range(count)]
        labels.append("+%d" % (count * plen))
        return labels

    @api.model
    def _aging_method(self, date_at):
        """"residual" or "history" (see ``_open_items``) for ``date_at``;
        the context's ``cartera_aging_method`` forces one."""
        forced = self._context.get("cartera_aging_method")
        if forced in ("history", "residual"):
            return forced
        self._cr.execute(AGING_CHOOSE, {"date_at": date_at})
        return "residual" if self._cr.fetchone()[0] else "history"

    @api.model
    def _aging_amounts(self, date_at, scope):
        """The open items as of the bound ``date_at`` (``_open_items``),
        by the cheaper method for that date."""
        return self._open_items(sql.Placeholder("date_at"), scope,
                                self._aging_method(date_at))

    # ------------------------------------------------------------------
    # The aging's statement, in parts that an addon may extend: the
    # bucket of each amount, the sums by customer, and the customer's
    # columns (``_aging_select`` / ``_aging_from`` / ``_aging_where``).
    # ------------------------------------------------------------------
    @api.model
    def _aging_bucket(self, date_at=None):
        """The bucket of an open item (``due``) at ``date_at`` (an SQL
        expression of a date; the bound ``date_at`` by default): 0 "not
        due" (due on or after the date, as in Odoo's aged balance),
        1..``periods`` the periods of ``plen`` days, ``periods`` + 1
        older (bound parameters)."""
        return sql.SQL("""
            CASE WHEN {date} - due <= 0 THEN 0
                 WHEN {date} - due > %(periods)s * %(plen)s
                     THEN %(periods)s + 1
                 ELSE ({date} - due - 1) / %(plen)s + 1
            END""").format(date=date_at or sql.SQL("%(date_at)s::date"))

    @api.model
    def _aging_select(self, period_count):
        """The columns of each row: the customer's, then ``b0`` (not due)
        to ``b<period_count + 1>`` (older), then ``disputed``."""
        buckets = [sql.Identifier("b%d" % i) for i in range(period_count + 2)]
        return self._totals_customer_select() + sql.SQL(", ") + sql.SQL(
            ", ").join(sql.SQL("t.{}").format(bucket) for bucket in buckets) \
            + sql.SQL(", COALESCE(dsp.disputed, 0) AS disputed")

    @api.model
    def _aging_from(self):
        """The customers' totals ``t`` and what the columns read: their
        disputed amounts ``dsp`` (from ``disputed_amounts``, see
        ``cartera_ar_report_disputes.py``)."""
        return self._totals_customer_from() + sql.SQL("""
      LEFT JOIN (SELECT partner_id, sum(disputed) AS disputed
                   FROM disputed_amounts GROUP BY partner_id) dsp
             ON dsp.partner_id = t.partner_id""")

    @api.model
    def _aging_where(self, period_count):
        """Customers with something open in a bucket (to the cent)."""
        return sql.SQL(" OR ").join(
            sql.SQL("round(t.{}, 2) <> 0").format(
                sql.Identifier("b%d" % i)) for i in range(period_count + 2))

    @api.model
    def _aging_query(self, amounts, period_count, disputed_items=None):
        """The aging's statement on ``amounts`` (``_open_items``), the
        disputed amounts on ``disputed_items`` (the same with
        ``_disputed_scope``; none when not given)."""
        if disputed_items is None:
            disputed = sql.SQL(
                "SELECT NULL::integer AS partner_id,"
                " NULL::numeric AS disputed WHERE FALSE")
        else:
            disputed = self._disputed_query(disputed_items)
        sums = sql.SQL(", ").join(
            sql.SQL("COALESCE(sum(amount) FILTER (WHERE bucket = {}), 0)"
                    " AS {}").format(sql.Literal(i),
                                     sql.Identifier("b%d" % i))
            for i in range(period_count + 2))
        return sql.SQL("""
    WITH amounts AS ({amounts}), disputed_amounts AS ({disputed}),
    bucketed AS (
        SELECT partner_id, amount, {bucket} AS bucket FROM amounts
    ), totals AS (
        SELECT partner_id, {sums} FROM bucketed GROUP BY partner_id
    )
    SELECT {select} {from_} WHERE {where}
     ORDER BY upper(rp.name), t.partner_id
""").format(amounts=amounts, disputed=disputed,
            bucket=self._aging_bucket(), sums=sums,
            select=self._aging_select(period_count),
            from_=self._aging_from(), where=self._aging_where(period_count))

    @api.model
    def _prepare_aging_row(self, values, period_count):
        """The dict of ``aging()`` for one customer, from the columns of
        its row (``_aging_select``)."""
        buckets = [float(values["b%d" % i]) for i in range(period_count + 2)]
        row = self._customer_values(
            values["partner_id"], values["partner_name"],
            values["partner_vat"], values["salesperson_id"],
            values["salesperson_name"])
        total = round(sum(buckets), 2)
        disputed = round(float(values["disputed"]), 2)
        return dict(row, **{
            "not_due": buckets[0],
            "periods": buckets[1:],
            "total": total,
            # Part of the total, shown apart; the rest is collectable.
            "disputed": disputed,
            "collectable": round(total - disputed, 2),
        })

    @api.model
    def aging(self, date_at, period_length=30, partner_ids=None,
              salesperson_ids=None, period_count=PERIOD_COUNT):
        """Open receivable per customer as of ``date_at``: not due, the
        ``period_count`` periods of ``period_length`` days (most recent
        first) and one more for older items, and the total; of it,
        ``disputed`` (open disputes at ``date_at``, see
        ``cartera_ar_report_disputes.py``) and ``collectable`` (total -
        disputed)."""
        date_at = self._check_date(date_at, _("As of date")) or \
            fields.Date.context_today(self)
        try:
            plen = int(period_length)
        except (TypeError, ValueError):
            plen = 0
        if plen < 1:
            raise UserError(_(
                "The period length must be at least one day (got %s).")
                % (period_length,))
        count = self._check_period_count(period_count)
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(date_at=date_at, plen=plen, periods=count)
        self._no_jit()
        method = self._aging_method(date_at)
        date = sql.Placeholder("date_at")
        query = self._aging_query(
            self._open_items(date, scope, method), count,
            self._open_items(date, self._disputed_scope(scope, date, date),
                             method))
        return [self._prepare_aging_row(values, count)
                for values in self._execute_dicts(query, params)]
