# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment promises report: per collector (the promises'
responsible), the promised, paid and broken amounts, the count per state
and the kept rate of the promises dated in a period, in one query."""
from psycopg2 import sql

from odoo import _, api, models

from .cartera_promise import DECIDED, STATES

PROMISE_FIGURES = sql.SQL("""
    SELECT p.responsible_id, rp.name,
           sum(p.amount), sum(coalesce(p.paid_amount, 0)),
           sum(CASE WHEN p.state IN ('broken', 'partial')
                    THEN p.amount - coalesce(p.paid_amount, 0)
                    ELSE 0 END),
           {counts}
      FROM cartera_promise p
      LEFT JOIN res_users u ON u.id = p.responsible_id
      LEFT JOIN res_partner rp ON rp.id = u.partner_id
     WHERE p.company_id = %(company_id)s {scope}
     GROUP BY p.responsible_id, rp.name
     ORDER BY upper(rp.name), p.responsible_id
""")


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def promises(self, date_from, date_to, responsible_ids=None,
                 partner_ids=None):
        """Per collector, the payment promises dated from ``date_from`` to
        ``date_to`` (either may be empty) of the customers the user may
        see: ``promised``, ``paid`` and ``broken_amount`` (what broken and
        partly kept promises lack), ``counts`` per state, ``count`` and
        ``kept_rate`` (kept over decided, in percent, None when none is
        decided). States and paid amounts are those of the last
        evaluation. One query whatever the number of promises."""
        date_from, date_to = self._check_range(date_from, date_to)
        self._check_access()
        responsible_ids = self._check_ids(responsible_ids, _("Collectors"))
        conditions = []
        params = {"company_id": self.env.user.company_id.id}
        if date_from:
            conditions.append(sql.SQL("p.date >= %(date_from)s"))
            params["date_from"] = date_from
        if date_to:
            conditions.append(sql.SQL("p.date <= %(date_to)s"))
            params["date_to"] = date_to
        if responsible_ids:
            conditions.append(sql.SQL(
                "p.responsible_id IN %(responsible_ids)s"))
            params["responsible_ids"] = tuple(responsible_ids)
        if partner_ids:
            commercial_ids = self._commercial_partners(partner_ids)
            conditions.append(sql.SQL("p.partner_id IN %(partner_ids)s"))
            params["partner_ids"] = tuple(commercial_ids) or (0,)
        visible = self.env["cartera.scope"]._customer_condition(
            sql.SQL("p.partner_id"))
        if visible is not None:
            conditions.append(visible)
        states = [state for state, _label in STATES]
        counts = sql.SQL(", ").join(
            sql.SQL("count(*) FILTER (WHERE p.state = {state})").format(
                state=sql.Literal(state)) for state in states)
        query = PROMISE_FIGURES.format(
            counts=counts, scope=sql.SQL("").join(
                sql.SQL(" AND ") + condition for condition in conditions))
        rows = []
        for record in self._execute(query, params):
            row = {
                "responsible_id": record[0] or False,
                "responsible_name": record[1] or "",
                "promised": round(float(record[2] or 0.0), 2),
                "paid": round(float(record[3] or 0.0), 2),
                "broken_amount": round(float(record[4] or 0.0), 2),
                "counts": dict(zip(states, record[5:])),
            }
            rows.append(self._promise_rates(row))
        return rows

    @api.model
    def promise_totals(self, rows):
        """The figures of ``promises`` rows added up, the kept rate
        recomputed on the sums."""
        totals = {"promised": 0.0, "paid": 0.0, "broken_amount": 0.0,
                  "counts": {state: 0 for state, _label in STATES}}
        for row in rows:
            for key in ("promised", "paid", "broken_amount"):
                totals[key] += row[key]
            for state, count in row["counts"].items():
                totals["counts"][state] += count
        for key in ("promised", "paid", "broken_amount"):
            totals[key] = round(totals[key], 2)
        return self._promise_rates(totals)

    @api.model
    def _promise_rates(self, row):
        counts = row["counts"]
        decided = sum(counts[state] for state in DECIDED)
        row["count"] = sum(counts.values())
        row["decided"] = decided
        row["kept_rate"] = round(100.0 * counts["kept"] / decided, 2) \
            if decided else None
        return row
