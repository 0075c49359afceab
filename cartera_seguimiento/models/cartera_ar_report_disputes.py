# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disputed amounts (reclamos) in the reports, and the dispute report.

**As of a date D**, a dispute is open when it was opened on or before D,
not resolved on or before D (``date_resolved`` > D, or none) and not past
its expiry (``date_expiry`` >= D, or none): a dispute accepted on D no
longer counts on D, one expiring on D still does (it expires the next
day, ``cartera_dispute_resolve.py``), whatever its state today.

**Disputed amount** of an invoice at D: the sum of its disputes open at D,
at most what is still open of the invoice at D (the aging's own open
items: a dispute never makes more disputed than there is due). A
customer's is the sum over their invoices; it is part of their balance,
shown apart: collectable = balance - disputed. Its overdue part is at most
the invoice's part overdue at D (the claim is against what is being
collected first).
"""
from psycopg2 import sql

from odoo import api, fields, models


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _dispute_open_at(self, date_at):
        """The condition that dispute ``d`` is open at ``date_at`` (an SQL
        expression of a date)."""
        return sql.SQL(
            "d.date_open <= {date}"
            " AND (d.date_resolved IS NULL OR d.date_resolved > {date})"
            " AND (d.date_expiry IS NULL OR d.date_expiry >= {date})"
        ).format(date=date_at)

    @api.model
    def _disputed_scope(self, scope, first, last):
        """``scope`` restricted to the receivable items of the invoices
        with a dispute open on some day from ``first`` to ``last`` (SQL
        expressions of dates) in the company (bound ``company_id``): the
        open items of those alone are read, by their ids, through the
        entries' index (journal items have none on their invoice). Without
        any such dispute, PostgreSQL skips the reading altogether (the
        uncorrelated EXISTS is a one-time filter)."""
        disputes = sql.SQL("""
            d.company_id = %(company_id)s AND d.date_open <= {last}
            AND (d.date_resolved IS NULL OR d.date_resolved > {first})
            AND (d.date_expiry IS NULL OR d.date_expiry >= {first})
        """).format(first=first, last=last)
        return scope + sql.SQL("""
       AND EXISTS (SELECT 1 FROM cartera_dispute d WHERE {disputes})
       AND l.id IN (SELECT ml.id FROM cartera_dispute d
                      JOIN account_invoice inv ON inv.id = d.invoice_id
                      JOIN account_move_line ml ON ml.move_id = inv.move_id
                     WHERE {disputes})
""").format(disputes=disputes)

    @api.model
    def _disputed_query(self, items):
        """Per date (``period``, ``date_at``) and disputed invoice, its
        customer's ``disputed`` and ``disputed_overdue`` amounts, from
        ``items``: the open items of ``_open_items`` with
        ``_disputed_scope``."""
        return sql.SQL("""
    SELECT o.period, o.partner_id, LEAST(s.amount, o.amount) AS disputed,
           GREATEST(LEAST(s.amount, o.overdue), 0) AS disputed_overdue
      FROM (SELECT i.period, i.date_at, i.partner_id, ml.invoice_id,
                   sum(i.amount) AS amount,
                   COALESCE(sum(i.amount) FILTER (
                       WHERE i.date_at - i.due > 0), 0) AS overdue
              FROM ({items}) i
              JOIN account_move_line ml ON ml.id = i.line_id
             GROUP BY 1, 2, 3, 4) o
     CROSS JOIN LATERAL (
           SELECT sum(d.amount) AS amount FROM cartera_dispute d
            WHERE d.invoice_id = o.invoice_id AND {open_at}) s
     WHERE s.amount > 0 AND o.amount > 0
""").format(items=items, open_at=self._dispute_open_at(
            sql.SQL("o.date_at")))

    # ------------------------------------------------------------------
    # The dispute report
    # ------------------------------------------------------------------
    @api.model
    def disputes(self, date_from, date_to, partner_ids=None,
                 salesperson_ids=None):
        """The disputes of the customers the user may see that were open
        at some day from ``date_from`` to ``date_to`` (opened on or before
        ``date_to``, not resolved before ``date_from``), oldest first:
        ``name``, customer, ``invoice``, ``amount``, ``reason`` (and its
        label), ``note``, dates, ``open`` (still open at ``date_to``),
        ``state`` and ``resolution`` (as of ``date_to``: an open one has
        none), ``age`` in days (an open one up to ``date_to``, a closed one
        up to its resolution) and ``days_to_resolve`` (closed ones; None
        for open ones). One query whatever the number of disputes."""
        date_from, date_to = self._check_range(date_from, date_to)
        date_to = date_to or fields.Date.context_today(self)
        date_from = date_from or "1900-01-01"
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(date_from=date_from, date_to=date_to)
        query = sql.SQL("""
    SELECT d.id, d.name, d.partner_id, rp.name, rp.vat, rp.user_id,
           sp.name, COALESCE(inv.number, inv.reference, ''), d.amount,
           d.reason, d.note, d.date_open, d.date_expiry,
           CASE WHEN {open_at} THEN NULL
                ELSE LEAST(d.date_resolved, d.date_expiry + 1) END,
           d.state, d.resolution, {open_at}, ru.name
      FROM cartera_dispute d
      JOIN res_partner rp ON rp.id = d.partner_id
      JOIN account_invoice inv ON inv.id = d.invoice_id
      LEFT JOIN res_users su ON su.id = rp.user_id
      LEFT JOIN res_partner sp ON sp.id = su.partner_id
      LEFT JOIN res_users u ON u.id = d.user_id
      LEFT JOIN res_partner ru ON ru.id = u.partner_id
      -- The scope's conditions read the item "l": the dispute's customer.
      CROSS JOIN LATERAL (SELECT d.partner_id) l
     WHERE d.company_id = %(company_id)s
       AND d.date_open <= %(date_to)s
       AND (d.date_resolved IS NULL OR d.date_resolved >= %(date_from)s)
       AND (d.date_expiry IS NULL OR d.date_expiry + 1 >= %(date_from)s)
       {scope}
     ORDER BY d.date_open, d.id
""").format(open_at=self._dispute_open_at(sql.Placeholder("date_to")),
            scope=scope)
        reasons = dict(self.env["cartera.dispute"]._fields[
            "reason"]._description_selection(self.env))
        states = dict(self.env["cartera.dispute"]._fields[
            "state"]._description_selection(self.env))
        resolutions = dict(self.env["cartera.dispute"]._fields[
            "resolution"]._description_selection(self.env))
        as_of = fields.Date.from_string(date_to)
        rows = []
        for (dispute_id, name, partner_id, partner_name, vat, user_id,
             user_name, invoice, amount, reason, note, date_open,
             date_expiry, date_closed, state, resolution, is_open,
             responsible) in self._execute(query, params):
            opened = fields.Date.from_string(date_open)
            closed = date_closed and fields.Date.from_string(date_closed)
            row = self._customer_values(partner_id, partner_name, vat,
                                        user_id, user_name)
            if is_open:
                state, resolution = "open", False
            row.update({
                "dispute_id": dispute_id,
                "name": name,
                "invoice": invoice,
                "amount": round(float(amount), 2),
                "reason": reason,
                "reason_label": reasons.get(reason, reason),
                "note": note or "",
                "date_open": date_open,
                "date_expiry": date_expiry or False,
                "date_resolved": date_closed or False,
                "open": bool(is_open),
                "state": state,
                "state_label": states.get(state, state),
                "resolution": resolution or False,
                "resolution_label": resolutions.get(resolution, "") if
                resolution else "",
                "responsible_name": responsible or "",
                "age": ((as_of if is_open else closed) - opened).days,
                "days_to_resolve": None if is_open else (
                    closed - opened).days,
            })
            rows.append(row)
        return rows

    @api.model
    def dispute_totals(self, rows):
        """Count and amount of the open and the closed ``disputes`` rows,
        and the average days to resolve the closed ones (None if none)."""
        totals = {"count": len(rows), "amount": 0.0, "open_count": 0,
                  "open_amount": 0.0, "closed_count": 0,
                  "closed_amount": 0.0, "avg_days_to_resolve": None}
        days = []
        for row in rows:
            kind = "open" if row["open"] else "closed"
            totals[kind + "_count"] += 1
            totals[kind + "_amount"] += row["amount"]
            totals["amount"] += row["amount"]
            if not row["open"]:
                days.append(row["days_to_resolve"])
        for key in ("amount", "open_amount", "closed_amount"):
            totals[key] = round(totals[key], 2)
        if days:
            totals["avg_days_to_resolve"] = round(
                float(sum(days)) / len(days), 2)
        return totals
