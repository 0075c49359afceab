# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Movement (movimiento de cartera): per customer over a period, the opening
balance, what was invoiced, paid and credited, and the closing balance."""
from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import UserError

from .cartera_ar_report import DOCUMENT_JOINS, INVOICE_JOINS

MOVEMENT = sql.SQL("""
    SELECT l.partner_id, rp.name, rp.vat, rp.user_id, sp.name,
           COALESCE(sum(l.balance) FILTER (
               WHERE l.date < %(date_from)s), 0) AS opening,
           COALESCE(sum(l.debit) FILTER (
               WHERE l.date >= %(date_from)s), 0) AS debit,
           COALESCE(sum(l.credit) FILTER (
               WHERE l.date >= %(date_from)s), 0) AS credit,
           COALESCE(sum(l.credit) FILTER (
               WHERE l.date >= %(date_from)s
                 AND inv.type = 'out_refund'), 0) AS refunds
    {lines}
       AND l.date <= %(date_to)s
      GROUP BY l.partner_id, rp.name, rp.vat, rp.user_id, sp.name
     HAVING round(COALESCE(sum(l.balance) FILTER (
                WHERE l.date < %(date_from)s), 0), 2) <> 0
         OR round(COALESCE(sum(abs(l.balance)) FILTER (
                WHERE l.date >= %(date_from)s), 0), 2) <> 0
     ORDER BY upper(rp.name), l.partner_id
""")

DOCUMENTS = sql.SQL("""
    SELECT l.id, l.partner_id, l.date, l.date_maturity,
           COALESCE(inv.number, m.name) AS document, inv.type, m.ref,
           l.debit, l.credit
    {lines}
       AND l.date >= %(date_from)s AND l.date <= %(date_to)s
     ORDER BY l.partner_id, l.date, l.id
""")


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

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
        lines = self._lines_from(scope, joins=INVOICE_JOINS)
        rows = []
        for (partner_id, name, vat, user_id, user_name, opening, debit,
             credit, refunds) in self._execute(
                MOVEMENT.format(lines=lines), params):
            opening, debit, credit, refunds = (
                float(opening), float(debit), float(credit), float(refunds))
            row = self._customer_values(partner_id, name, vat, user_id,
                                        user_name)
            rows.append(dict(row, **{
                "opening": opening,
                "debit": debit,
                "credit": credit,
                "refunds": refunds,
                "payments": round(credit - refunds, 2),
                "closing": round(opening + debit - credit, 2),
            }))
        if detail and rows:
            self._add_movement_lines(rows, self._lines_from(
                scope, joins=DOCUMENT_JOINS), params)
        return rows

    @api.model
    def _add_movement_lines(self, rows, lines, params):
        """The journal items of the period under each row's ``lines``,
        with the customer's running balance."""
        by_partner = {row["partner_id"]: row for row in rows}
        running = {pid: row["opening"] for pid, row in by_partner.items()}
        for row in rows:
            row["lines"] = []
        for (_line_id, partner_id, date, date_maturity, document,
             inv_type, ref, debit, credit) in self._execute(
                DOCUMENTS.format(lines=lines), params):
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
