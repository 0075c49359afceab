# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Receivable figures computed set-based in SQL.

Every public method runs a fixed number of queries, whatever the number of
customers or journal items, and returns plain JSON-serialisable data: the
PDF, HTML and XLSX reports, other modules and RPC clients all read from here.
Amounts are in the company currency (``balance`` / ``amount_residual``),
from posted entries on receivable accounts only.

This file holds what the reports share: the journal items they stand on,
the filter checks and the scope of the user. Each report adds its method
from its own file (``cartera_ar_report_<report>.py``).
"""
from psycopg2 import sql

from odoo import _, api, models, tools
from odoo.exceptions import UserError

from ..tools import dates, ids as id_checks

FAR_PAST = "1900-01-01"
FAR_FUTURE = "9999-12-31"


class CarteraArReport(models.AbstractModel):
    _name = "cartera.ar.report"
    _description = "Receivable Reports Engine"

    @api.model_cr_context
    def init(self):
        # The "residual" aging reads open receivable items and the partial
        # reconciliations dated after the as-of date: without these two
        # indexes both are sequential scans of the largest tables.
        # The open items' index carries the columns the aging and the
        # agenda read, so that PostgreSQL answers from the index alone
        # instead of fetching each item from the table.
        # It replaced the plain cartera_aml_open_idx of 11.0.2.0.0, which
        # migrations/11.0.4.1.0 drops. Partial indexes are written by hand:
        # Odoo 11's tools.create_index has no WHERE nor INCLUDE.
        include = sql.SQL("")
        if self._cr._cnx.server_version >= 110000:
            include = sql.SQL(
                "INCLUDE (id, company_id, date, date_maturity, "
                "amount_residual, balance, move_id)")
        self._cr.execute(sql.SQL("""
            CREATE INDEX IF NOT EXISTS cartera_aml_open_cover_idx
                ON account_move_line (account_id, partner_id) {include}
             WHERE amount_residual <> 0
        """).format(include=include).as_string(self._cr._obj))
        tools.create_index(self._cr, "cartera_apr_max_date_idx",
                           "account_partial_reconcile", ["max_date"])
        # An aging as of an earlier day reaches the items settled since
        # through the partials dated after it, one item per side: this
        # index answers each of those lookups (and leaves out the many
        # items dated after that day) without reading the table.
        if self._cr._cnx.server_version >= 110000:
            self._cr.execute("""
                CREATE INDEX IF NOT EXISTS cartera_aml_id_cover_idx
                    ON account_move_line (id)
                    INCLUDE (company_id, partner_id, account_id, move_id,
                             date, date_maturity, balance)
                 WHERE partner_id IS NOT NULL
            """)
        # The unposted entries, which the open items leave out (a handful
        # in a live ledger: the index stays tiny).
        self._cr.execute("""
            CREATE INDEX IF NOT EXISTS cartera_move_unposted_idx
                ON account_move (id) WHERE state <> 'posted'
        """)

    @api.model
    def _no_jit(self):
        """Turn PostgreSQL's JIT off for the rest of the transaction: these
        statements have costs far above ``jit_above_cost`` yet run in a
        fraction of a second, and compiling them takes longer than running
        them."""
        if self._cr._cnx.server_version >= 110000:
            self._cr.execute("SET LOCAL jit = off")

    @api.model
    def _execute(self, query, params):
        """Run a composed statement and return its rows."""
        self._cr.execute(query.as_string(self._cr._obj), params)
        return self._cr.fetchall()

    @api.model
    def _execute_dicts(self, query, params):
        """Run a composed statement and return its rows as dicts by column
        name. Not the cursor's dictfetchall, which asks psycopg2 for the
        columns' description again for every row: a tenth of a report of
        thousands of customers."""
        self._cr.execute(query.as_string(self._cr._obj), params)
        names = [column[0] for column in self._cr.description]
        return [dict(zip(names, row)) for row in self._cr.fetchall()]

    # ------------------------------------------------------------------
    # The journal items every report stands on (one definition each)
    # ------------------------------------------------------------------
    @api.model
    def _posted(self):
        """The condition on a journal item ``l`` that its entry is posted,
        for every query of items: an anti-join on the few unposted entries
        (``cartera_move_unposted_idx``), never a join of every item's
        entry, which the reports reading all items up to a day would pay
        for each of them."""
        return sql.SQL(
            "NOT EXISTS (SELECT 1 FROM account_move um"
            " WHERE um.id = l.move_id AND um.state <> 'posted')")

    @api.model
    def _receivable(self):
        """The condition on a journal item ``l`` and its account ``a`` that
        it is a customer's receivable item of a posted entry: the one
        predicate of ``_receivable_items`` and ``_open_items``."""
        return sql.SQL(
            "a.internal_type = 'receivable' AND l.partner_id IS NOT NULL"
            " AND {posted}").format(posted=self._posted())

    @api.model
    def _has_conditions(self, scope):
        """Whether ``scope`` (composed SQL) holds any condition."""
        return bool(scope.as_string(self._cr._obj).strip())

    @api.model
    def _receivable_items(self, scope, joins=None, customers=None):
        """FROM and WHERE of the receivable items of posted entries of the
        user's company (composed SQL): the items ``l`` with a customer,
        their account ``a``, ``joins`` (composed SQL) added, and ``scope``
        (``_scope``'s conditions, each starting with AND). The customer is
        joined as ``rp`` when ``customers`` is true or, by default, when
        the scope has conditions (they read it): a report over the whole
        portfolio does not pay a lookup of the customer per item. Bound
        parameter: ``company_id``."""
        if customers is None:
            customers = self._has_conditions(scope)
        return sql.SQL("""
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      {customers}
      {joins}
     WHERE {receivable} AND l.company_id = %(company_id)s {scope}
""").format(joins=joins or sql.SQL(""), scope=scope,
            receivable=self._receivable(), customers=sql.SQL(
                "JOIN res_partner rp ON rp.id = l.partner_id"
                if customers else ""))

    @api.model
    def _invoice_joins(self):
        """The document (``inv``) and the salesperson (``su``, ``sp``) of
        each item ``l`` of customer ``rp``."""
        return sql.SQL("""
      LEFT JOIN account_invoice inv ON inv.id = l.invoice_id
      LEFT JOIN res_users su ON su.id = rp.user_id
      LEFT JOIN res_partner sp ON sp.id = su.partner_id
""")

    @api.model
    def _document_joins(self):
        """``_invoice_joins`` and the entry ``m`` (its number and
        reference), for the reports that list documents."""
        return sql.SQL("JOIN account_move m ON m.id = l.move_id {}").format(
            self._invoice_joins())

    @api.model
    def _open_items(self, dates, scope=None, method="residual"):
        """The open receivable items as of each of ``dates`` (composed
        SQL), the one definition the aging, the statements, the agenda and
        the indicators read. Columns: ``period`` (the date's number, from
        1), ``date_at``, ``line_id``, ``company_id``, ``partner_id``,
        ``due`` (``COALESCE(date_maturity, date)``) and ``amount``; an
        item may have several rows for a date, which add up to its open
        amount at that date.

        ``dates``: one date as an SQL expression (``sql.Placeholder``
        of a bound parameter, ``CURRENT_DATE``), or a list of date
        strings in increasing order (the indicators' period ends).
        ``scope``: ``_scope``'s conditions; with it the items are those of
        the user's company (bound ``company_id``), the customer joined as
        ``rp`` when it has conditions; without it (the agenda's view)
        every company's.
        ``method`` (see ``_aging_method``): "residual", the stored
        ``amount_residual`` of the items still open plus the partial
        reconciliations dated after the date (the items settled since
        then are reached through them), or "history", the balance of
        every item dated up to the date minus the partials dated up to
        it, as Odoo's aged balance computes it. Both give the same
        figures."""
        if isinstance(dates, sql.Composable):
            one, many = dates, None
        else:
            one = None
            many = sql.SQL(
                "unnest({}::date[]) WITH ORDINALITY AS d (date_at, period)"
            ).format(sql.Literal(list(dates)))
            first, last = sql.Literal(dates[0]), sql.Literal(dates[-1])
        if one is not None:
            # One date: plain conditions, no join of dates.
            columns = sql.SQL("1 AS period, {}::date AS date_at").format(one)
            item_dates = partial_dates = sql.SQL("")
            on_item = sql.SQL("AND l.date <= {}").format(one)
            if method == "residual":
                on_partial = sql.SQL("AND p.max_date > {}").format(one)
            else:
                on_partial = sql.SQL("AND p.max_date <= {}").format(one)
        else:
            columns = sql.SQL("d.period::integer AS period, d.date_at")
            item_dates = sql.SQL("JOIN {} ON d.date_at >= l.date").format(
                many)
            on_item = sql.SQL("")
            if method == "residual":
                partial_dates = sql.SQL(
                    "JOIN {} ON d.date_at >= l.date AND d.date_at < p.max_date"
                ).format(many)
                on_partial = sql.SQL("AND p.max_date > {}").format(first)
            else:
                partial_dates = sql.SQL(
                    "JOIN {} ON d.date_at >= l.date"
                    " AND d.date_at >= p.max_date").format(many)
                on_partial = sql.SQL("AND p.max_date <= {}").format(last)
        customers = company = sql.SQL("")
        if scope is None:
            scope = sql.SQL("")
        else:
            company = sql.SQL("AND l.company_id = %(company_id)s")
            # The customers only for the scope's conditions: without any
            # (a manager's whole portfolio), joining them cost a lookup per
            # open item.
            if self._has_conditions(scope):
                customers = sql.SQL(
                    "JOIN res_partner rp ON rp.id = l.partner_id")
        if method == "residual":
            # What the partials after the date took from each side.
            item_amount = sql.SQL("l.amount_residual")
            still_open = sql.SQL("AND l.amount_residual <> 0")
            sides = sql.SQL("(p.debit_move_id, p.amount),"
                            " (p.credit_move_id, -p.amount)")
        else:
            item_amount, still_open = sql.SQL("l.balance"), sql.SQL("")
            sides = sql.SQL("(p.debit_move_id, -p.amount),"
                            " (p.credit_move_id, p.amount)")
        return sql.SQL("""
    SELECT {columns}, l.id AS line_id, l.company_id, l.partner_id,
           COALESCE(l.date_maturity, l.date) AS due, {item_amount} AS amount
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      {customers} {item_dates}
     WHERE {receivable} {company} {on_item} AND l.balance <> 0
       {still_open} {scope}
    UNION ALL
    SELECT {columns}, l.id, l.company_id, l.partner_id,
           COALESCE(l.date_maturity, l.date), v.amount
      FROM account_partial_reconcile p
     CROSS JOIN LATERAL (VALUES {sides}) v (line_id, amount)
      JOIN account_move_line l ON l.id = v.line_id
      JOIN account_account a ON a.id = l.account_id
      {customers} {partial_dates}
     WHERE p.company_id = l.company_id {on_partial}
       AND {receivable} {company} {on_item} AND l.balance <> 0 {scope}
""").format(columns=columns, item_amount=item_amount, customers=customers,
            item_dates=item_dates, partial_dates=partial_dates,
            receivable=self._receivable(), company=company, on_item=on_item,
            still_open=still_open, scope=scope, sides=sides,
            on_partial=on_partial)

    # ------------------------------------------------------------------
    # Filter checks: every report argument goes through these, so that bad
    # input gets the same clear error from every report and entry point.
    # ------------------------------------------------------------------
    @api.model
    def _check_date(self, value, label):
        """``value`` as a date string, or False when empty. Only a whole
        date of a year from 1900 to 2200 is accepted (``tools.dates``):
        "2020-01-01xyz" is as wrong as "2020-13-45" or "9999-12-31"."""
        return dates.check_date(self.env, value, label)

    @api.model
    def _check_range(self, date_from, date_to):
        return dates.check_range(self.env, date_from, date_to)

    @api.model
    def _check_month_count(self, months):
        """A number of months (of the indicators, of the roll rates' window)
        from 1 to 120, as an integer."""
        try:
            count = int(months)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= 120:
            raise UserError(_(
                "The number of months must be from 1 to 120 (got %s).")
                % (months,))
        return count

    @api.model
    def _check_ids(self, ids, label):
        """A filter of record ids as a list of integers; anything else (text,
        SQL, nested lists) is a clear error rather than a PostgreSQL one."""
        return id_checks.check_ids(self.env, ids, label)

    @api.model
    def _commercial_partners(self, partner_ids):
        """The customers asked for, as commercial partners of the user's
        company; a customer of another company is an error."""
        return id_checks.commercial_partners(self.env, partner_ids)

    # ------------------------------------------------------------------
    # Scope: company, customers, salespeople and what the user may see
    # ------------------------------------------------------------------
    @api.model
    def _is_manager(self):
        return self.env["cartera.scope"]._is_manager()

    @api.model
    def _check_access(self):
        self.env["cartera.scope"]._check_access()

    @api.model
    def _scope(self, partner_ids=None, salesperson_ids=None):
        """SQL conditions on ``l`` (journal item) and ``rp`` (its customer)
        and their parameters: the customers asked for, their salespeople,
        and the customers the user may see (``cartera.scope``)."""
        self._check_access()
        conditions, params = [], {
            "company_id": self.env.user.company_id.id}
        if partner_ids:
            commercial_ids = self._commercial_partners(partner_ids)
            conditions.append(sql.SQL("l.partner_id IN %(partner_ids)s"))
            params["partner_ids"] = tuple(commercial_ids) or (0,)
        if salesperson_ids:
            salesperson_ids = self._check_ids(salesperson_ids,
                                              _("Salespeople"))
            conditions.append(sql.SQL("rp.user_id IN %(salesperson_ids)s"))
            params["salesperson_ids"] = tuple(salesperson_ids)
        visible = self.env["cartera.scope"]._customer_condition(
            sql.SQL("rp.id"))
        if visible is not None:
            conditions.append(visible)
        scope = sql.SQL("").join(
            sql.SQL(" AND ") + condition for condition in conditions)
        return scope, params

    @api.model
    def _totals_customer_select(self):
        """The customer columns of a per-customer report, read from its
        totals ``t`` and what ``_totals_customer_from`` joins."""
        return sql.SQL(
            "t.partner_id, rp.name AS partner_name, rp.vat AS partner_vat,"
            " rp.user_id AS salesperson_id, sp.name AS salesperson_name")

    @api.model
    def _totals_customer_from(self):
        """The customers' totals ``t``, their customer and salesperson."""
        return sql.SQL("""
      FROM totals t
      JOIN res_partner rp ON rp.id = t.partner_id
      LEFT JOIN res_users su ON su.id = rp.user_id
      LEFT JOIN res_partner sp ON sp.id = su.partner_id""")

    @api.model
    def _customer_values(self, partner_id, name, vat, user_id, user_name):
        """The customer columns every per-customer report row starts with."""
        return {
            "partner_id": partner_id,
            "partner_name": name,
            "partner_vat": vat or "",
            "salesperson_id": user_id or False,
            "salesperson_name": user_name or "",
        }

    @api.model
    def _kind(self, invoice_type):
        return {"out_invoice": "invoice",
                "out_refund": "refund"}.get(invoice_type, "payment")
