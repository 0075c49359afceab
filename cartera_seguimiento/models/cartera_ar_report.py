# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Receivable figures computed set-based in SQL.

Every public method runs a fixed number of queries, whatever the number of
customers or journal items, and returns plain JSON-serialisable data: the
PDF, HTML and XLSX reports, other modules and RPC clients all read from here.
Amounts are in the company currency (``balance`` / ``amount_residual``),
from posted entries on receivable accounts only.
"""
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

PERIOD_COUNT = 4

# Journal items the receivable reports stand on; the scope conditions of
# ``_scope_sql`` are appended after it. Only constant text, values are bound.
_LINES_FROM = """
      FROM account_move_line l
      JOIN account_move m ON m.id = l.move_id
      JOIN account_account a ON a.id = l.account_id
      JOIN res_partner rp ON rp.id = l.partner_id
     WHERE m.state = 'posted'
       AND a.internal_type = 'receivable'
       AND l.company_id = %(company_id)s
"""

# Aging: the open amount of each line at the as-of date D, in two equivalent
# ways. "history": balance minus the partial reconciliations dated (max_date)
# on or before D, the way Odoo's aged balance does it; it reads every line
# and partial up to D. "residual": the stored amount_residual plus the
# partials dated after D; it only reads open lines and the few partials after
# D, which is far cheaper when D is recent and the history is long.
_AGING_HISTORY = """
    SELECT l.partner_id, COALESCE(l.date_maturity, l.date) AS due,
           l.balance - COALESCE(pd.amount, 0) + COALESCE(pc.amount, 0)
               AS amount
    """ + _LINES_FROM.replace("     WHERE", """
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
     WHERE""", 1) + """
       AND l.date <= %(date_at)s AND l.balance <> 0 {scope}
"""

_AGING_RESIDUAL = """
    SELECT l.partner_id, COALESCE(l.date_maturity, l.date) AS due,
           l.amount_residual AS amount
    """ + _LINES_FROM + """
       AND l.date <= %(date_at)s AND l.balance <> 0
       AND l.amount_residual <> 0 {scope}
    UNION ALL
    SELECT l.partner_id, COALESCE(l.date_maturity, l.date), v.amount
      FROM account_partial_reconcile p
     CROSS JOIN LATERAL (VALUES (p.debit_move_id, p.amount),
                                (p.credit_move_id, -p.amount)) v (line_id, amount)
      JOIN account_move_line l ON l.id = v.line_id
      JOIN account_move m ON m.id = l.move_id
      JOIN account_account a ON a.id = l.account_id
      JOIN res_partner rp ON rp.id = l.partner_id
     WHERE p.max_date > %(date_at)s AND p.company_id = %(company_id)s
       AND m.state = 'posted' AND a.internal_type = 'receivable'
       AND l.company_id = %(company_id)s
       AND l.date <= %(date_at)s AND l.balance <> 0 {scope}
"""

# Bucket 0 is "not due" (due on or after D, as in Odoo's aged balance),
# 1..4 the periods of P days, 5 older.
_AGING_TOTALS = """
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
"""

# Whether the "residual" way pays off: the partials dated after D are less
# than half of all partials (it then reads them and the open items instead of
# every item and partial up to D). The count stops at that threshold, so
# deciding never costs more than reading that many index entries.
_AGING_CHOOSE = """
    WITH t AS (
        SELECT GREATEST(1000, reltuples::bigint / 2) AS lim
          FROM pg_class WHERE oid = 'account_partial_reconcile'::regclass
    )
    SELECT count(*) < (SELECT lim FROM t)
      FROM (SELECT 1 FROM account_partial_reconcile
             WHERE max_date > %(date_at)s
             LIMIT (SELECT lim FROM t)) s
"""

_MOVEMENT = """
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
    """ + _LINES_FROM + """
       AND l.date <= %(date_to)s {scope}
      GROUP BY l.partner_id, rp.name, rp.vat, rp.user_id, sp.name
     HAVING round(COALESCE(sum(l.balance) FILTER (
                WHERE l.date < %(date_from)s), 0), 2) <> 0
         OR round(COALESCE(sum(abs(l.balance)) FILTER (
                WHERE l.date >= %(date_from)s), 0), 2) <> 0
     ORDER BY upper(rp.name), l.partner_id
"""

_DOCUMENTS = """
    SELECT l.id, l.partner_id, l.date, l.date_maturity,
           COALESCE(inv.number, m.name) AS document, inv.type, m.ref,
           l.debit, l.credit
    """ + _LINES_FROM + """
       AND l.date >= %(date_from)s AND l.date <= %(date_to)s {scope}
     ORDER BY l.partner_id, l.date, l.id
"""

_HISTORY = """
    SELECT * FROM (
        SELECT l.id, l.partner_id, rp.name AS partner_name, l.date,
               l.date_maturity, COALESCE(inv.number, m.name) AS document,
               inv.type, m.ref, l.debit, l.credit,
               sum(l.balance) OVER (PARTITION BY l.partner_id
                                    ORDER BY l.date, l.id) AS running
        """ + _LINES_FROM + """
           AND l.date <= %(date_to)s {scope}
    ) h
     WHERE h.date >= %(date_from)s
     ORDER BY upper(h.partner_name), h.partner_id, h.date, h.id
"""

_HISTORY_OPENING = """
    SELECT l.partner_id, sum(l.balance)
    """ + _LINES_FROM + """
       AND l.date < %(date_from)s {scope}
     GROUP BY l.partner_id
"""

_FAR_PAST = "1900-01-01"
_FAR_FUTURE = "9999-12-31"


def _join_invoice(sql):
    """Add the invoice and salesperson joins the detail queries need."""
    return sql.replace(
        "JOIN res_partner rp ON rp.id = l.partner_id\n",
        "JOIN res_partner rp ON rp.id = l.partner_id\n"
        "      LEFT JOIN account_invoice inv ON inv.id = l.invoice_id\n"
        "      LEFT JOIN res_users su ON su.id = rp.user_id\n"
        "      LEFT JOIN res_partner sp ON sp.id = su.partner_id\n", 1)


class CarteraArReport(models.AbstractModel):
    _name = "cartera.ar.report"
    _description = "Receivable Reports Engine"

    @api.model_cr_context
    def init(self):
        # The "residual" aging reads open receivable items and the partial
        # reconciliations dated after the as-of date: without these two
        # indexes both are sequential scans of the largest tables.
        self._cr.execute("""
            CREATE INDEX IF NOT EXISTS cartera_aml_open_idx
                ON account_move_line (account_id, partner_id)
             WHERE amount_residual <> 0
        """)
        self._cr.execute("""
            CREATE INDEX IF NOT EXISTS cartera_apr_max_date_idx
                ON account_partial_reconcile (max_date)
        """)

    @api.model
    def _no_jit(self):
        """Turn PostgreSQL's JIT off for the rest of the transaction: these
        statements have costs far above ``jit_above_cost`` yet run in a
        fraction of a second, and compiling them took longer than running
        them (measured: 7.3 s instead of 4.1 s at a million items)."""
        if self._cr._cnx.server_version >= 110000:
            self._cr.execute("SET LOCAL jit = off")

    # ------------------------------------------------------------------
    # Scope: company, customers, salespeople and what the user may see
    # ------------------------------------------------------------------
    @api.model
    def _is_manager(self):
        return self.env.user._is_superuser() or self.env.user.has_group(
            "cartera_seguimiento.group_cartera_manager")

    @api.model
    def _check_access(self):
        if not (self._is_manager() or self.env.user.has_group(
                "cartera_seguimiento.group_cartera_user")):
            raise AccessError(_(
                "Only collectors and receivable managers can read the "
                "receivable reports."))

    @api.model
    def _check_date(self, value, label):
        if not value:
            return False
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, str):
            value = fields.Date.to_string(value)
        try:
            fields.Date.from_string(value)
        except ValueError:
            raise UserError(_("%s is not a valid date: %s") % (label, value))
        return value[:10]

    @api.model
    def _check_range(self, date_from, date_to):
        date_from = self._check_date(date_from, _("Start date"))
        date_to = self._check_date(date_to, _("End date"))
        if date_from and date_to and date_from > date_to:
            raise UserError(_(
                "The start date (%s) is after the end date (%s).")
                % (date_from, date_to))
        return date_from, date_to

    @api.model
    def _check_ids(self, ids, label):
        """A filter of record ids as a list of integers; anything else (text,
        SQL, nested lists) is a clear error rather than a PostgreSQL one.
        Found by tests/test_stress_badinput.py."""
        if not ids:
            return []
        if isinstance(ids, int) and not isinstance(ids, bool):
            return [ids]
        if not isinstance(ids, (list, tuple)) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise UserError(_("%s: invalid value %s.") % (
                label, repr(ids)[:80]))
        return list(ids)

    @api.model
    def _commercial_partners(self, partner_ids):
        """The customers asked for, as commercial partners of the user's
        company; a customer of another company is an error."""
        if not partner_ids:
            return []
        partner_ids = self._check_ids(partner_ids, _("Customers"))
        partners = self.env["res.partner"].sudo().browse(
            list(partner_ids)).exists()
        company = self.env.user.company_id
        others = partners.filtered(
            lambda p: p.company_id and p.company_id != company)
        if others:
            raise UserError(_(
                "The customer %s belongs to another company (%s): the "
                "reports only cover %s.") % (
                others[0].display_name, others[0].company_id.name,
                company.name))
        return partners.mapped("commercial_partner_id").ids

    @api.model
    def _scope(self, partner_ids=None, salesperson_ids=None):
        """SQL conditions on ``l`` (journal item) and ``rp`` (its customer)
        and their parameters: the customers asked for, their salespeople,
        and, for collectors, only the customers whose salesperson they are
        (what the follow-up record rules let them see)."""
        self._check_access()
        conditions, params = [], {
            "company_id": self.env.user.company_id.id}
        commercial_ids = self._commercial_partners(partner_ids)
        if partner_ids:
            conditions.append("l.partner_id IN %(partner_ids)s")
            params["partner_ids"] = tuple(commercial_ids) or (0,)
        if salesperson_ids:
            salesperson_ids = self._check_ids(salesperson_ids,
                                              _("Salespeople"))
            conditions.append("rp.user_id IN %(salesperson_ids)s")
            params["salesperson_ids"] = tuple(salesperson_ids)
        if not self._is_manager():
            conditions.append("rp.user_id = %(scope_uid)s")
            params["scope_uid"] = self.env.uid
        scope = "".join(" AND " + cond for cond in conditions)
        return scope, params

    # ------------------------------------------------------------------
    # Aging (análisis de cartera)
    # ------------------------------------------------------------------
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
        self._cr.execute(_AGING_CHOOSE, {"date_at": date_at})
        return "residual" if self._cr.fetchone()[0] else "history"

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
        method = self._aging_method(date_at)
        amounts = (_AGING_RESIDUAL if method == "residual"
                   else _AGING_HISTORY).format(scope=scope)
        # Only constant SQL fragments are formatted in; values are bound.
        query = _AGING_TOTALS.format(amounts=amounts)
        self._cr.execute(query, params)  # pylint: disable=sql-injection
        rows = []
        for (partner_id, name, vat, user_id, user_name,
             b0, b1, b2, b3, b4, b5) in self._cr.fetchall():
            buckets = [float(b) for b in (b0, b1, b2, b3, b4, b5)]
            rows.append({
                "partner_id": partner_id,
                "partner_name": name,
                "partner_vat": vat or "",
                "salesperson_id": user_id or False,
                "salesperson_name": user_name or "",
                "not_due": buckets[0],
                "periods": buckets[1:],
                "total": round(sum(buckets), 2),
            })
        return rows

    # ------------------------------------------------------------------
    # Movement (movimiento de cartera)
    # ------------------------------------------------------------------
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
        query = _join_invoice(_MOVEMENT).format(scope=scope)
        self._cr.execute(query, params)  # pylint: disable=sql-injection
        rows = []
        for (partner_id, name, vat, user_id, user_name, opening, debit,
             credit, refunds) in self._cr.fetchall():
            opening, debit, credit, refunds = (
                float(opening), float(debit), float(credit), float(refunds))
            rows.append({
                "partner_id": partner_id,
                "partner_name": name,
                "partner_vat": vat or "",
                "salesperson_id": user_id or False,
                "salesperson_name": user_name or "",
                "opening": opening,
                "debit": debit,
                "credit": credit,
                "refunds": refunds,
                "payments": round(credit - refunds, 2),
                "closing": round(opening + debit - credit, 2),
            })
        if detail and rows:
            by_partner = {row["partner_id"]: row for row in rows}
            for row in rows:
                row["lines"] = []
            query = _join_invoice(_DOCUMENTS).format(scope=scope)
            self._cr.execute(query, params)  # pylint: disable=sql-injection
            running = {pid: row["opening"] for pid, row in by_partner.items()}
            for (_line_id, partner_id, date, date_maturity, document,
                 inv_type, ref, debit, credit) in self._cr.fetchall():
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
        return rows

    @api.model
    def _kind(self, invoice_type):
        return {"out_invoice": "invoice",
                "out_refund": "refund"}.get(invoice_type, "payment")

    # ------------------------------------------------------------------
    # History (histórico de cartera)
    # ------------------------------------------------------------------
    @api.model
    def history(self, partner_ids, date_from=None, date_to=None):
        """Every receivable document of the customers over time with its
        running balance, interleaved with their follow-ups (current and,
        when the history model is installed, closed)."""
        date_from, date_to = self._check_range(date_from, date_to)
        scope, params = self._scope(partner_ids)
        params.update(date_from=date_from or _FAR_PAST,
                      date_to=date_to or _FAR_FUTURE)
        self._no_jit()
        query = _join_invoice(_HISTORY).format(scope=scope)
        self._cr.execute(query, params)  # pylint: disable=sql-injection
        docs = self._cr.fetchall()
        openings = {}
        if date_from:
            self._cr.execute(  # pylint: disable=sql-injection
                _HISTORY_OPENING.format(scope=scope), params)
            openings = {pid: float(amount)
                        for pid, amount in self._cr.fetchall()}
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
        for followup in self._followup_records(
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

    # ------------------------------------------------------------------
    # Follow-ups and tasks (read through the ORM: record rules apply)
    # ------------------------------------------------------------------
    @api.model
    def _utc_bounds(self, date_from, date_to):
        """UTC datetimes bounding the user's local days."""
        tz = pytz.timezone(self._context.get("tz") or self.env.user.tz
                           or "UTC")

        def utc_start(day):
            moment = tz.localize(datetime.combine(
                fields.Date.from_string(day), time.min))
            return fields.Datetime.to_string(
                moment.astimezone(pytz.utc).replace(tzinfo=None))

        start = date_from and utc_start(date_from)
        end = date_to and utc_start(fields.Date.to_string(
            fields.Date.from_string(date_to) + timedelta(days=1)))
        return start, end

    @api.model
    def _followup_models(self, include_closed):
        models_ = [("cartera.followup", False)]
        if include_closed and "cartera.followup.history" in self.env:
            models_.append(("cartera.followup.history", True))
        return models_

    @api.model
    def _followup_records(self, date_from=None, date_to=None, partner_ids=None,
                          salesperson_ids=None, responsible_ids=None,
                          type_ids=None, include_closed=False):
        salesperson_ids = self._check_ids(salesperson_ids, _("Salespeople"))
        responsible_ids = self._check_ids(responsible_ids, _("Contacts"))
        type_ids = self._check_ids(type_ids, _("Types"))
        start, end = self._utc_bounds(date_from, date_to)
        domain = [("company_id", "=", self.env.user.company_id.id)]
        if start:
            domain.append(("date", ">=", start))
        if end:
            domain.append(("date", "<", end))
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        if salesperson_ids:
            domain.append(("user_id", "in", list(salesperson_ids)))
        if responsible_ids:
            domain.append(("responsible_id", "in", list(responsible_ids)))
        if type_ids:
            domain.append(("type_id", "in", list(type_ids)))
        if not self._is_manager():
            # The same customers as the receivable figures.
            domain.append(("partner_id.user_id", "=", self.env.uid))
        result = []
        for model_name, closed in self._followup_models(include_closed):
            model = self.env[model_name]
            if closed and not model.check_access_rights(
                    "read", raise_exception=False):
                continue
            records = model.search(domain, order="date, id")
            result.extend(self._followup_values(records, closed))
        result.sort(key=lambda r: (r["date"], r["id"]))
        return result

    @api.model
    def _followup_values(self, records, closed):
        values = []
        for rec in records:
            moment = fields.Datetime.context_timestamp(
                rec, fields.Datetime.from_string(rec.date))
            values.append({
                "id": rec.id,
                "model": rec._name,
                "closed": closed,
                "name": rec.name or "",
                "date": fields.Datetime.to_string(moment),
                "day": fields.Date.to_string(moment),
                "partner_id": rec.partner_id.id,
                "partner_name": rec.partner_id.name,
                "salesperson_name": rec.user_id.name or "",
                "type_id": rec.type_id.id,
                "type_name": rec.type_id.name,
                "responsible_id": rec.responsible_id.id,
                "responsible_name": rec.responsible_id.name,
                "document": rec.invoice_number or "",
                "amount_due": rec.amount_due,
                "date_due": rec.date_due or False,
                "notes": rec.notes or "",
                "next_date": rec.next_date or False,
                "next_type_name": rec.next_type_id.name or "",
                "next_note": rec.next_note or "",
                "task_state": rec.task_state,
            })
        return values

    @api.model
    def followups(self, date_from=None, date_to=None, partner_ids=None,
                  salesperson_ids=None, responsible_ids=None, type_ids=None,
                  include_closed=False):
        """Follow-ups of a day or a range (local days), optionally closed
        ones too, with the counts per type."""
        date_from, date_to = self._check_range(date_from, date_to)
        self._check_access()
        partners = self._commercial_partners(partner_ids)
        rows = self._followup_records(
            date_from, date_to, partners or None, salesperson_ids,
            responsible_ids, type_ids, include_closed)
        return rows

    @api.model
    def followup_counts(self, rows):
        """Counts per type of ``followups`` rows, by type name."""
        counts = defaultdict(int)
        for row in rows:
            counts[row["type_name"]] += 1
        return [{"type_name": name, "count": count}
                for name, count in sorted(counts.items())]

    @api.model
    def tasks(self, date_from=None, date_to=None, responsible_ids=None,
              partner_ids=None, salesperson_ids=None):
        """Pending next tasks due in the range (all overdue ones when no
        start date), the overdue ones marked."""
        date_from, date_to = self._check_range(date_from, date_to)
        self._check_access()
        domain = [("company_id", "=", self.env.user.company_id.id),
                  ("task_state", "=", "pending")]
        if date_from:
            domain.append(("next_date", ">=", date_from))
        if date_to:
            domain.append(("next_date", "<=", date_to))
        responsible_ids = self._check_ids(responsible_ids, _("Contacts"))
        salesperson_ids = self._check_ids(salesperson_ids, _("Salespeople"))
        if responsible_ids:
            domain.append(("responsible_id", "in", list(responsible_ids)))
        partners = self._commercial_partners(partner_ids)
        if partners:
            domain.append(("partner_id", "in", partners))
        if salesperson_ids:
            domain.append(("user_id", "in", list(salesperson_ids)))
        records = self.env["cartera.followup"].search(
            domain, order="next_date, id")
        today = fields.Date.context_today(self)
        rows = []
        for value in self._followup_values(records, False):
            overdue = value["next_date"] < today
            value["overdue"] = overdue
            value["days_overdue"] = (
                fields.Date.from_string(today)
                - fields.Date.from_string(value["next_date"])).days \
                if overdue else 0
            rows.append(value)
        return rows
