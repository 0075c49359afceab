# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a user may see of the portfolio, defined once.

The follow-ups' record rules evaluate ``_followup_domain`` and the report
engine turns ``_customer_domain`` into SQL, so that a collector's lists,
reports and figures can never disagree about whose customers they are. A
module that assigns portfolios otherwise (by team, by zone) overrides these
two methods and every screen follows.
"""
from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression

MANAGER_GROUP = "cartera_seguimiento.group_cartera_manager"
COLLECTOR_GROUP = "cartera_seguimiento.group_cartera_user"


class CarteraScope(models.AbstractModel):
    _name = "cartera.scope"
    _description = "Receivables Scope of a User"

    @api.model
    def _is_manager(self, user=None):
        user = user or self.env.user
        return user._is_superuser() or user.has_group(MANAGER_GROUP)

    @api.model
    def _check_access(self):
        if not (self._is_manager() or self.env.user.has_group(
                COLLECTOR_GROUP)):
            raise AccessError(_(
                "Only collectors and receivable managers can read the "
                "receivable reports."))

    @api.model
    def _customer_domain(self, user):
        """Domain on commercial partners: the customers ``user`` collects,
        those whose salesperson they are. None for a manager (all)."""
        if self._is_manager(user):
            return None
        return [("user_id", "=", user.id)]

    @api.model
    def _followup_domain(self, user):
        """Domain on follow-ups that ``user`` may read and capture: those
        of the customers they collect, and those they record or are the
        salesperson of (a colleague helping on a customer sees their own
        follow-ups). The collectors' record rule is this domain."""
        customers = self._customer_domain(user)
        if customers is None:
            return []
        return expression.OR([
            [("user_id", "=", user.id)],
            [("responsible_id", "=", user.id)],
            self._prefix_domain(customers, "partner_id."),
        ])

    @api.model
    def _promise_domain(self, user):
        """Domain on payment promises: those of the follow-ups ``user``
        may see, and those they are responsible for."""
        followups = self._followup_domain(user)
        if not followups:
            return []
        return expression.OR([
            [("responsible_id", "=", user.id)],
            self._prefix_domain(followups, "followup_id."),
        ])

    @api.model
    def _customer_rows_domain(self, user):
        """Domain on the models whose rows belong to a customer through
        ``partner_id`` (the collection agenda, the collection run lines:
        an item's level history): the rows of the customers ``user``
        collects."""
        customers = self._customer_domain(user)
        if customers is None:
            return []
        return self._prefix_domain(customers, "partner_id.")

    @api.model
    def _kpi_domain(self, user):
        """Domain on the indicators dashboard (``cartera.kpi.month``),
        whose rows are per salesperson of the customers: a collector's own
        row. A module that assigns portfolios otherwise overrides this
        with ``_customer_domain``."""
        if self._customer_domain(user) is None:
            return []
        return [("salesperson_id", "=", user.id)]

    @api.model
    def _statement_run_domain(self, user):
        """Domain on statement sending runs: a collector's own runs (the
        statements they sent, all of their customers)."""
        if self._is_manager(user):
            return []
        return [("user_id", "=", user.id)]

    @api.model
    def _dunning_run_domain(self, user):
        """Domain on collection runs: a collector's own runs (which cover
        their customers only); a manager's, all."""
        if self._is_manager(user):
            return []
        return [("user_id", "=", user.id)]

    @api.model
    def _dispute_domain(self, user):
        """Domain on disputes: those of the customers ``user`` collects
        and those they are responsible for."""
        customers = self._customer_domain(user)
        if customers is None:
            return []
        return expression.OR([
            [("user_id", "=", user.id)],
            self._prefix_domain(customers, "partner_id."),
        ])

    # ------------------------------------------------------------------
    # The ledger a collector reads (journal items, entries, invoices,
    # reconciliations): only the receivable side, and for a collector only
    # that of their customers. The record rules of group_cartera_user on
    # account.* evaluate these; Billing users and up keep Odoo's own access
    # through their [(1, '=', 1)] rules (rules of different groups are
    # OR'ed). A manager reads the receivable side of the whole company (what
    # every report stands on), not bank, payroll or supplier items: for those
    # they need an accounting group.
    # ------------------------------------------------------------------
    @api.model
    def _move_line_domain(self, user):
        """Domain on journal items that ``user`` may read: items on
        receivable accounts, of the customers they collect (every customer
        of the company for a manager)."""
        domain = [("account_id.internal_type", "=", "receivable")]
        customers = self._customer_domain(user)
        if customers is None:
            return domain
        return expression.AND([domain, self._prefix_domain(
            customers, "partner_id.commercial_partner_id.")])

    @api.model
    def _move_domain(self, user):
        """Domain on journal entries: those with a journal item of
        ``_move_line_domain`` (``account.move.cartera_scope_uid``)."""
        return [("cartera_scope_uid", "=", user.id)]

    @api.model
    def _partial_reconcile_domain(self, user):
        """Domain on partial reconciliations: those between two journal
        items of ``_move_line_domain``
        (``account.partial.reconcile.cartera_scope_uid``)."""
        return [("cartera_scope_uid", "=", user.id)]

    @api.model
    def _invoice_domain(self, user):
        """Domain on invoices: customer invoices and credit notes of the
        customers ``user`` collects (all the company's for a manager)."""
        domain = [("type", "in", ("out_invoice", "out_refund"))]
        customers = self._customer_domain(user)
        if customers is None:
            return domain
        return expression.AND([domain, self._prefix_domain(
            customers, "commercial_partner_id.")])

    @api.model
    def _invoice_part_domain(self, user):
        """Domain on invoice lines and taxes: those of the invoices of
        ``_invoice_domain`` (``cartera_scope_uid`` of each model)."""
        return [("cartera_scope_uid", "=", user.id)]

    @api.model
    def _invoice_subquery(self, user):
        """SQL selecting the ids of the invoices of ``_invoice_domain(user)``
        in the user's companies, and its parameters (see
        ``_move_line_subquery``)."""
        Invoice = self.env["account.invoice"].sudo()
        company = ["|", ("company_id", "=", False),
                   ("company_id", "child_of", [user.company_id.id])]
        query = Invoice._where_calc(expression.AND([
            self._invoice_domain(user), company]), active_test=False)
        from_clause, where_clause, params = query.get_sql()
        return ('SELECT "account_invoice".id FROM %s WHERE %s' % (
            from_clause, where_clause or "TRUE"), params)

    @api.model
    def _move_line_subquery(self, user, column):
        """SQL selecting ``column`` of the journal items of
        ``_move_line_domain(user)``, and its parameters, for the
        ``inselect`` leaves of the entries' and reconciliations' rules.

        Odoo 11 resolves a domain through a one2many or many2one path by
        searching the ids first: for a manager that would be every
        receivable item of the company, read into Python on every access.
        A subquery lets PostgreSQL do the join. ``column`` is one of our
        own constants, never user input."""
        Line = self.env["account.move.line"].sudo()
        # The items' own multi-company rule (account's), which a subquery
        # does not get: reconciliations have no company rule in Odoo 11.
        company = ["|", ("company_id", "=", False),
                   ("company_id", "child_of", [user.company_id.id])]
        query = Line._where_calc(expression.AND([
            self._move_line_domain(user), company]), active_test=False)
        from_clause, where_clause, params = query.get_sql()
        return ('SELECT "account_move_line"."%s" FROM %s WHERE %s' % (
            column, from_clause, where_clause or "TRUE"), params)

    @api.model
    def _prefix_domain(self, domain, prefix):
        """``domain`` with every leaf's field path behind ``prefix``."""
        return [("%s%s" % (prefix, term[0]),) + tuple(term[1:])
                if expression.is_leaf(term) and not expression.is_operator(
                    term) else term
                for term in domain]

    @api.model
    def _customer_condition(self, column):
        """SQL condition restricting ``column`` (a composable naming a
        partner id) to the customers of the current user, or None for a
        manager. Built from ``_customer_domain`` through the ORM's own
        query compiler, with the values bound by psycopg2."""
        domain = self._customer_domain(self.env.user)
        if domain is None:
            return None
        Partner = self.env["res.partner"].sudo()
        query = Partner._where_calc(domain, active_test=False)
        from_clause, where_clause, params = query.get_sql()
        subquery = self.env.cr.mogrify(
            'SELECT "res_partner".id FROM %s WHERE %s' % (
                from_clause, where_clause or "TRUE"), params).decode()
        return sql.SQL("{column} IN ({subquery})").format(
            column=column, subquery=sql.SQL(subquery))
