# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""History (histórico de cartera): every receivable document of the
customers over time with its running balance, interleaved with their
follow-ups, open and closed."""
from collections import defaultdict

from psycopg2 import sql

from odoo import api, models

from .cartera_ar_report import FAR_FUTURE, FAR_PAST


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _history_query(self, scope):
        """Each receivable document of the customers up to ``date_to``
        with the customer's running balance, those from ``date_from``."""
        return sql.SQL("""
    SELECT * FROM (
        SELECT l.id, l.partner_id, rp.name AS partner_name, l.date,
               l.date_maturity, COALESCE(inv.number, m.name) AS document,
               inv.type, m.ref, l.debit, l.credit,
               sum(l.balance) OVER (PARTITION BY l.partner_id
                                    ORDER BY l.date, l.id) AS running
        {items}
           AND l.date <= %(date_to)s
    ) h
     WHERE h.date >= %(date_from)s
     ORDER BY upper(h.partner_name), h.partner_id, h.date, h.id
""").format(items=self._receivable_items(
            scope, self._document_joins(), customers=True))

    @api.model
    def _history_opening_query(self, scope):
        """Each customer's balance before ``date_from``."""
        return sql.SQL("""
    SELECT l.partner_id, sum(l.balance)
    {items}
       AND l.date < %(date_from)s
     GROUP BY l.partner_id
""").format(items=self._receivable_items(scope))

    @api.model
    def history(self, partner_ids, date_from=None, date_to=None):
        """Every receivable document of the customers over time with its
        running balance, interleaved with their follow-ups (open and
        closed)."""
        date_from, date_to = self._check_range(date_from, date_to)
        scope, params = self._scope(partner_ids)
        params.update(date_from=date_from or FAR_PAST,
                      date_to=date_to or FAR_FUTURE)
        self._no_jit()
        docs = self._execute(self._history_query(scope), params)
        openings = {}
        if date_from:
            openings = {pid: float(amount) for pid, amount in self._execute(
                self._history_opening_query(scope), params)}
        entries = defaultdict(list)
        names = {}
        for (_line_id, partner_id, partner_name, date, date_maturity,
             document, inv_type, ref, debit, credit, running) in docs:
            names[partner_id] = partner_name
            entries[partner_id].append((date, 0, {
                "partner_id": partner_id,
                "partner_name": partner_name,
                "date": date,
                "date_maturity": date_maturity or False,
                "document": document,
                "ref": ref or "",
                "kind": self._kind(inv_type),
                "debit": float(debit),
                "credit": float(credit),
                "balance": round(float(running), 2),
            }))
        partners = list(partner_ids or []) and self._commercial_partners(
            partner_ids)
        for followup in self.env["cartera.followup"].listing(
                date_from, date_to, partner_ids=partners or None,
                include_closed=True):
            partner_id = followup["partner_id"]
            names.setdefault(partner_id, followup["partner_name"])
            entries[partner_id].append((followup["day"], 1, {
                "partner_id": partner_id,
                "partner_name": followup["partner_name"],
                "date": followup["day"],
                "date_maturity": followup["date_due"],
                "document": followup["document"] or followup["name"],
                "ref": followup["name"],
                "kind": "followup",
                "debit": 0.0,
                "credit": 0.0,
                "balance": 0.0,
                "type_name": followup["type_name"],
                "responsible_name": followup["responsible_name"],
                "notes": followup["notes"],
                "closed": followup["closed"],
            }))
        rows = []
        for partner_id in sorted(entries, key=lambda p: (
                (names.get(p) or "").upper(), p)):
            balance = openings.get(partner_id, 0.0)
            # Documents of a day come before the follow-ups of that day.
            for _date, _order, row in sorted(
                    entries[partner_id], key=lambda e: (e[0], e[1])):
                if row["kind"] == "followup":
                    row["balance"] = round(balance, 2)
                else:
                    balance = row["balance"]
                rows.append(row)
        return rows
