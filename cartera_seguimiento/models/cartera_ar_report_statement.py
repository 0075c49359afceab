# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Statement of account (estado de cuenta): per customer as of a date, the
open documents, the aging strip and the total due, optionally the movement
of a period.

The figures are the aging's and the movement's own: the documents are the
items ``aging()`` adds up (same amounts, same method), so the statement's
total is the aging's total to the cent. Every call runs a fixed number of
queries whatever the number of customers printed together.
"""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .cartera_ar_report_aging import PERIOD_COUNT


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _check_statement_partners(self, partner_ids):
        """The commercial partners of ``partner_ids``, which the user must
        all be allowed to see (``cartera.scope``): a statement is not a
        report filtered to one's customers, it is one customer's file."""
        commercial_ids = self._commercial_partners(partner_ids)
        self._check_access()
        domain = self.env["cartera.scope"]._customer_domain(self.env.user)
        if domain is not None and commercial_ids:
            visible = self.env["res.partner"].sudo().with_context(
                active_test=False).search(
                    domain + [("id", "in", commercial_ids)])
            hidden = set(commercial_ids) - set(visible.ids)
            if hidden:
                raise AccessError(_(
                    "You may only print the statements of your own "
                    "customers (not %s).") % self.env["res.partner"].sudo(
                    ).browse(sorted(hidden)[0]).display_name)
        return commercial_ids

    @api.model
    def _statement_documents_query(self, amounts):
        """The open items of the aging's amounts (``amounts``: the same
        subquery as ``aging()``, so both always agree) with their
        documents. The open amount in the document's currency at
        ``date_at`` is the stored residual in that currency plus what the
        partials dated after it took from it, converted as Odoo's
        ``_amount_residual`` converts them (the partial's own amount in
        that currency, or the item's rate)."""
        return sql.SQL("""
    WITH amounts AS ({amounts}), items AS (
        SELECT line_id, sum(amount) AS amount
          FROM amounts GROUP BY line_id
        HAVING round(sum(amount), 2) <> 0
    )
    SELECT l.id, l.partner_id,
           COALESCE(inv.number, m.name) AS document, inv.type,
           COALESCE(inv.date_invoice, l.date) AS date,
           COALESCE(l.date_maturity, l.date) AS due,
           l.balance, i.amount, l.currency_id, l.amount_currency,
           CASE WHEN l.currency_id IS NOT NULL THEN
               l.amount_residual_currency + COALESCE((
                   SELECT sum(CASE WHEN p.debit_move_id = l.id THEN 1
                                   ELSE -1 END
                              * CASE WHEN p.currency_id = l.currency_id
                                     THEN p.amount_currency
                                     WHEN l.balance <> 0 THEN round(
                                         p.amount * l.amount_currency
                                         / l.balance, 2)
                                     ELSE 0 END)
                     FROM account_partial_reconcile p
                    WHERE (p.debit_move_id = l.id OR p.credit_move_id = l.id)
                      AND p.max_date > %(date_at)s), 0)
           END AS amount_currency_open
      FROM items i
      JOIN account_move_line l ON l.id = i.line_id
      JOIN account_move m ON m.id = l.move_id
      LEFT JOIN account_invoice inv ON inv.id = l.invoice_id
     ORDER BY l.partner_id, COALESCE(l.date_maturity, l.date), l.id
""").format(amounts=amounts)

    @api.model
    def _statement_documents(self, date_at, partner_ids):
        """The open items as of ``date_at`` of each customer, by customer
        id: document, dates, days overdue, original and open amounts in
        the company's currency, and in the document's when it is another."""
        date_at = self._check_date(date_at, _("As of date")) or \
            fields.Date.context_today(self)
        partner_ids = self._check_statement_partners(partner_ids)
        result = {pid: [] for pid in partner_ids}
        if not partner_ids:
            return result
        scope, params = self._scope(partner_ids)
        params.update(date_at=date_at)
        self._no_jit()
        query = self._statement_documents_query(
            self._aging_amounts(date_at, scope))
        rows = self._execute(query, params)
        company_currency = self.env.user.company_id.currency_id
        currencies = self.env["res.currency"].browse(
            {row[8] for row in rows if row[8]} - {company_currency.id})
        names = {currency.id: currency.name for currency in currencies}
        as_of = fields.Date.from_string(date_at)
        for (line_id, partner_id, document, inv_type, date, due, balance,
             amount, currency_id, amount_currency,
             amount_currency_open) in rows:
            foreign = currency_id in names
            result.setdefault(partner_id, []).append({
                "line_id": line_id,
                "document": document,
                "kind": self._kind(inv_type),
                "date": date,
                "date_due": due,
                "days_overdue": max((as_of - fields.Date.from_string(due)).days, 0),
                "amount": float(balance),
                "amount_open": float(amount),
                "currency": names.get(currency_id, ""),
                "amount_currency": foreign and float(amount_currency) or 0.0,
                "amount_currency_open": foreign and float(
                    amount_currency_open or 0.0) or 0.0,
            })
        return result

    @api.model
    def statements(self, date_at, partner_ids, date_from=None, date_to=None):
        """One statement per customer (commercial partners of
        ``partner_ids``, in that order): ``documents``, the aging strip
        (``not_due``, ``periods``, ``total``, equal to ``aging()``, and of
        the total ``disputed`` and ``collectable``) and,
        with a period, its ``movement`` (opening, invoiced, payments,
        credit notes, closing; zeros when nothing moved), else False.
        Plain data, for RPC clients too."""
        date_at = self._check_date(date_at, _("As of date")) or \
            fields.Date.context_today(self)
        if date_from or date_to:
            date_from, date_to = self._check_range(date_from, date_to)
        checked = set(self._check_statement_partners(partner_ids))
        # In the order asked for (the ORM's reads return them by id).
        ordered = []
        for partner in self.env["res.partner"].sudo().browse(
                self._check_ids(partner_ids, _("Customers"))):
            commercial_id = partner.commercial_partner_id.id
            if commercial_id in checked and commercial_id not in ordered:
                ordered.append(commercial_id)
        partner_ids = ordered
        if not partner_ids:
            return []
        documents = self._statement_documents(date_at, partner_ids)
        aging = {row["partner_id"]: row for row in self.aging(
            date_at, 30, partner_ids)}
        movement = {}
        if date_from and date_to:
            movement = {row["partner_id"]: row for row in self.movement(
                date_from, date_to, partner_ids)}
        empty_movement = {"opening": 0.0, "debit": 0.0, "credit": 0.0,
                          "refunds": 0.0, "payments": 0.0, "closing": 0.0}
        result = []
        for partner_id in partner_ids:
            row = aging.get(partner_id, {})
            periods = row.get("periods", [0.0] * (PERIOD_COUNT + 1))
            values = {
                "partner_id": partner_id,
                "documents": documents.get(partner_id, []),
                "not_due": row.get("not_due", 0.0),
                "periods": periods,
                "overdue": round(sum(periods), 2),
                "total": row.get("total", 0.0),
                # Of the total, what open disputes hold (aging()'s).
                "disputed": row.get("disputed", 0.0),
                "collectable": row.get("collectable", 0.0),
                "movement": False,
            }
            if date_from and date_to:
                values["movement"] = dict(empty_movement, **{
                    key: value for key, value in movement.get(
                        partner_id, {}).items() if key in empty_movement})
            result.append(values)
        return result
