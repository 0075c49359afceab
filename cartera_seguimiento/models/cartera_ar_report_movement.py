# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Movement (movimiento de cartera): per customer over a period, the opening
balance, what was invoiced, paid and credited, and the closing balance."""
from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import UserError


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    # ------------------------------------------------------------------
    # The movement's statement, in parts that an addon may extend: the
    # sums of each customer's items (``_movement_sums``), the customer's
    # columns (``_movement_select`` / ``_movement_from``) and which
    # customers show (``_movement_where``).
    # ------------------------------------------------------------------
    @api.model
    def _movement_sums(self, scope):
        """Each customer's sums over the receivable items up to
        ``date_to``: the opening balance, debits, credits, credit notes
        (credits of out_refund invoices) and what moved in the period.
        Grouped by the customer alone (its name and salesperson are read
        afterwards, once per customer, not once per item); the invoices
        joined are the credit notes only."""
        return sql.SQL("""
    SELECT l.partner_id,
           COALESCE(sum(l.balance) FILTER (
               WHERE l.date < %(date_from)s), 0) AS opening,
           COALESCE(sum(l.debit) FILTER (
               WHERE l.date >= %(date_from)s), 0) AS debit,
           COALESCE(sum(l.credit) FILTER (
               WHERE l.date >= %(date_from)s), 0) AS credit,
           COALESCE(sum(l.credit) FILTER (
               WHERE l.date >= %(date_from)s AND inv.id IS NOT NULL), 0)
               AS refunds,
           COALESCE(sum(abs(l.balance)) FILTER (
               WHERE l.date >= %(date_from)s), 0) AS moved
    {items}
       AND l.date <= %(date_to)s
     GROUP BY l.partner_id
""").format(items=self._receivable_items(scope, joins=sql.SQL(
            "LEFT JOIN account_invoice inv ON inv.id = l.invoice_id"
            " AND inv.type = 'out_refund'")))

    @api.model
    def _movement_select(self):
        return self._totals_customer_select() + sql.SQL(
            ", t.opening, t.debit, t.credit, t.refunds")

    @api.model
    def _movement_from(self):
        return self._totals_customer_from()

    @api.model
    def _movement_where(self):
        """Customers with an opening balance or a movement (to the cent)."""
        return sql.SQL(
            "round(t.opening, 2) <> 0 OR round(t.moved, 2) <> 0")

    @api.model
    def _movement_query(self, scope):
        return sql.SQL("""
    WITH totals AS ({sums})
    SELECT {select} {from_} WHERE {where}
     ORDER BY upper(rp.name), t.partner_id
""").format(sums=self._movement_sums(scope), select=self._movement_select(),
            from_=self._movement_from(), where=self._movement_where())

    @api.model
    def _prepare_movement_row(self, values):
        """The dict of ``movement()`` for one customer, from the columns
        of its row (``_movement_select``)."""
        opening, debit, credit, refunds = (
            float(values[key]) for key in ("opening", "debit", "credit",
                                           "refunds"))
        row = self._customer_values(
            values["partner_id"], values["partner_name"],
            values["partner_vat"], values["salesperson_id"],
            values["salesperson_name"])
        return dict(row, **{
            "opening": opening,
            "debit": debit,
            "credit": credit,
            "refunds": refunds,
            "payments": round(credit - refunds, 2),
            "closing": round(opening + debit - credit, 2),
        })

    @api.model
    def movement(self, date_from, date_to, partner_ids=None,
                 salesperson_ids=None, detail=False):
        """Per customer over the period: opening balance, debits (invoiced),
        credits (paid and credited), closing balance; with ``detail`` the
        journal items of the period under ``lines``."""
        date_from, date_to = self._check_range(date_from, date_to)
        if not date_from or not date_to:
            raise UserError(_("The movement report needs a start and an end "
                              "date."))
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(date_from=date_from, date_to=date_to)
        self._no_jit()
        rows = [self._prepare_movement_row(values) for values in
                self._execute_dicts(self._movement_query(scope), params)]
        if detail and rows:
            self._add_movement_lines(rows, scope, params)
        return rows

    @api.model
    def _movement_lines_query(self, scope):
        return sql.SQL("""
    SELECT l.id, l.partner_id, l.date, l.date_maturity,
           COALESCE(inv.number, m.name) AS document, inv.type, m.ref,
           l.debit, l.credit
    {items}
       AND l.date >= %(date_from)s AND l.date <= %(date_to)s
     ORDER BY l.partner_id, l.date, l.id
""").format(items=self._receivable_items(
            scope, self._document_joins(), customers=True))

    @api.model
    def _add_movement_lines(self, rows, scope, params):
        """The journal items of the period under each row's ``lines``,
        with the customer's running balance."""
        by_partner = {row["partner_id"]: row for row in rows}
        running = {pid: row["opening"] for pid, row in by_partner.items()}
        for row in rows:
            row["lines"] = []
        for (_line_id, partner_id, date, date_maturity, document,
             inv_type, ref, debit, credit) in self._execute(
                self._movement_lines_query(scope), params):
            if partner_id not in by_partner:
                continue
            running[partner_id] += float(debit) - float(credit)
            by_partner[partner_id]["lines"].append({
                "date": date, "date_maturity": date_maturity or False,
                "document": document, "ref": ref or "",
                "kind": self._kind(inv_type),
                "debit": float(debit), "credit": float(credit),
                "balance": round(running[partner_id], 2),
            })
