# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aging (análisis de cartera): the open receivable of each customer as of a
date, not due and by periods of overdue days."""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .cartera_ar_report import POSTED_ONLY

PERIOD_COUNT = 4

# The open amount of each line at the as-of date D, in two equivalent ways.
# "history": balance minus the partial reconciliations dated (max_date) on or
# before D, the way Odoo's aged balance does it; it reads every line and
# partial up to D. "residual": the stored amount_residual plus the partials
# dated after D; it only reads open lines and the few partials after D, which
# is far cheaper when D is recent and the history is long. Both carry the
# item's id: the statement lists the open items these amounts add up to.
PARTIALS_UP_TO_DATE = sql.SQL("""
      LEFT JOIN (SELECT debit_move_id AS line_id, sum(amount) AS amount
                   FROM account_partial_reconcile
                  WHERE max_date <= %(date_at)s
                    AND company_id = %(company_id)s
                  GROUP BY debit_move_id) pd ON pd.line_id = l.id
      LEFT JOIN (SELECT credit_move_id AS line_id, sum(amount) AS amount
                   FROM account_partial_reconcile
                  WHERE max_date <= %(date_at)s
                    AND company_id = %(company_id)s
                  GROUP BY credit_move_id) pc ON pc.line_id = l.id
""")

AMOUNTS_HISTORY = sql.SQL("""
    SELECT l.id AS line_id, l.partner_id,
           COALESCE(l.date_maturity, l.date) AS due,
           l.balance - COALESCE(pd.amount, 0) + COALESCE(pc.amount, 0)
               AS amount
    {lines}
       AND l.date <= %(date_at)s AND l.balance <> 0
""")

# The open receivable items as of a day D, the "residual" way, for the aging,
# the statements and the agenda's view alike: {date} is D (a bound parameter
# here, CURRENT_DATE in the view), {company} the condition on the item's
# company, {partners} the join of the customers that {scope} (the conditions
# of ``_scope``) may need. {posted} is POSTED_ONLY.
RESIDUAL_ITEMS = sql.SQL("""
    SELECT l.id AS line_id, l.company_id, l.partner_id,
           COALESCE(l.date_maturity, l.date) AS due,
           l.amount_residual AS amount
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      {partners}
     WHERE a.internal_type = 'receivable' AND l.partner_id IS NOT NULL
       AND {posted} AND {company} AND l.date <= {date} AND l.balance <> 0
       AND l.amount_residual <> 0 {scope}
    UNION ALL
    SELECT l.id, l.company_id, l.partner_id, COALESCE(l.date_maturity, l.date),
           v.amount
      FROM account_partial_reconcile p
     CROSS JOIN LATERAL (VALUES (p.debit_move_id, p.amount),
                                (p.credit_move_id, -p.amount)) v (line_id, amount)
      JOIN account_move_line l ON l.id = v.line_id
      JOIN account_move m ON m.id = l.move_id
      JOIN account_account a ON a.id = l.account_id
      {partners}
     WHERE p.max_date > {date} AND p.company_id = l.company_id
       AND m.state = 'posted' AND a.internal_type = 'receivable'
       AND l.partner_id IS NOT NULL
       AND {company} AND l.date <= {date} AND l.balance <> 0 {scope}
""")
CUSTOMER_JOIN = sql.SQL("JOIN res_partner rp ON rp.id = l.partner_id")

# Bucket 0 is "not due" (due on or after D, as in Odoo's aged balance),
# 1..4 the periods of P days, 5 older.
AGING_TOTALS = sql.SQL("""
    WITH amounts AS ({amounts}), bucketed AS (
        SELECT partner_id, amount,
               CASE WHEN %(date_at)s::date - due <= 0 THEN 0
                    WHEN %(date_at)s::date - due > %(periods)s * %(plen)s
                        THEN %(periods)s + 1
                    ELSE (%(date_at)s::date - due - 1) / %(plen)s + 1
               END AS bucket
          FROM amounts
    ), totals AS (
        SELECT partner_id,
               COALESCE(sum(amount) FILTER (WHERE bucket = 0), 0) AS b0,
               COALESCE(sum(amount) FILTER (WHERE bucket = 1), 0) AS b1,
               COALESCE(sum(amount) FILTER (WHERE bucket = 2), 0) AS b2,
               COALESCE(sum(amount) FILTER (WHERE bucket = 3), 0) AS b3,
               COALESCE(sum(amount) FILTER (WHERE bucket = 4), 0) AS b4,
               COALESCE(sum(amount) FILTER (WHERE bucket = 5), 0) AS b5
          FROM bucketed GROUP BY partner_id
    )
    SELECT t.partner_id, rp.name, rp.vat, rp.user_id, sp.name,
           t.b0, t.b1, t.b2, t.b3, t.b4, t.b5
      FROM totals t
      JOIN res_partner rp ON rp.id = t.partner_id
      LEFT JOIN res_users su ON su.id = rp.user_id
      LEFT JOIN res_partner sp ON sp.id = su.partner_id
     WHERE round(t.b0, 2) <> 0 OR round(t.b1, 2) <> 0 OR round(t.b2, 2) <> 0
        OR round(t.b3, 2) <> 0 OR round(t.b4, 2) <> 0 OR round(t.b5, 2) <> 0
     ORDER BY upper(rp.name), t.partner_id
""")

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
    def aging_periods(self, period_length=30):
        """Labels of ``periods`` in the aging rows, most recent first."""
        plen = int(period_length)
        labels = ["%d-%d" % (i * plen + 1, (i + 1) * plen)
                  for i in range(PERIOD_COUNT)]
        labels.append("+%d" % (PERIOD_COUNT * plen))
        return labels

    @api.model
    def _aging_method(self, date_at):
        forced = self._context.get("cartera_aging_method")
        if forced in ("history", "residual"):
            return forced
        self._cr.execute(AGING_CHOOSE, {"date_at": date_at})
        return "residual" if self._cr.fetchone()[0] else "history"

    @api.model
    def _aging_amounts(self, method, scope):
        if method == "residual":
            return self._residual_items(
                sql.SQL("%(date_at)s"),
                sql.SQL("l.company_id = %(company_id)s"), scope,
                partners=CUSTOMER_JOIN)
        return AMOUNTS_HISTORY.format(
            lines=self._lines_from(scope, joins=PARTIALS_UP_TO_DATE))

    @api.model
    def _residual_items(self, date, company, scope, partners=None):
        """Company, customer, due date and open amount of the open
        receivable items as of ``date`` (composed SQL); ``partners`` joins
        the customers as ``rp`` for ``scope``."""
        return RESIDUAL_ITEMS.format(date=date, company=company, scope=scope,
                                     partners=partners or sql.SQL(""),
                                     posted=POSTED_ONLY)

    @api.model
    def aging(self, date_at, period_length=30, partner_ids=None,
              salesperson_ids=None):
        """Open receivable per customer as of ``date_at``: not due, the
        periods of ``period_length`` days (most recent first, the last one
        being "older") and the total."""
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
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(date_at=date_at, plen=plen, periods=PERIOD_COUNT)
        self._no_jit()
        query = AGING_TOTALS.format(amounts=self._aging_amounts(
            self._aging_method(date_at), scope))
        rows = []
        for (partner_id, name, vat, user_id, user_name,
             b0, b1, b2, b3, b4, b5) in self._execute(query, params):
            buckets = [float(b) for b in (b0, b1, b2, b3, b4, b5)]
            row = self._customer_values(partner_id, name, vat, user_id,
                                        user_name)
            rows.append(dict(row, **{
                "not_due": buckets[0],
                "periods": buckets[1:],
                "total": round(sum(buckets), 2),
            }))
        return rows
