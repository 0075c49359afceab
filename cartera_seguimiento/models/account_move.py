# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the collectors' record rules on entries, reconciliations, invoice
lines and invoice taxes search.

The rules say "the entries having a journal item the user may read", "the
reconciliations between two such items" and "the lines and taxes of the
invoices they may read" (``cartera.scope``). Odoo 11 would resolve each
through a path by reading every matching item's or invoice's id into Python
first (for a manager, every receivable item or customer invoice of the
company, on every access), so each model gets a search-only field whose
search method answers with a subquery instead (``_move_line_subquery``,
``_invoice_subquery``)."""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CarteraScopeSearchMixin(models.AbstractModel):
    """The search-only field of the collectors' record rules: each model
    says, in ``_cartera_scope_subquery``, which of its ids a user reads."""
    _name = "cartera.scope.search.mixin"
    _description = "Records searched by a collector's scope"

    cartera_scope_uid = fields.Integer(
        string="Receivable Scope of", compute="_compute_cartera_scope_uid",
        search="_search_cartera_scope_uid",
        groups="cartera_seguimiento.group_cartera_user",
        help="Technical: searched by the collectors' record rule with a "
             "user's id; never read.")

    @api.multi
    def _compute_cartera_scope_uid(self):
        for record in self:
            record.cartera_scope_uid = 0

    @api.model
    def _search_cartera_scope_uid(self, operator, value):
        if operator != "=" or not isinstance(value, int) or isinstance(
                value, bool):
            raise UserError(_("Only the scope of one user can be searched."))
        return [("id", "inselect", self._cartera_scope_subquery(
            self.env["res.users"].browse(value)))]

    @api.model
    def _cartera_scope_subquery(self, user):
        """(SQL, params) selecting the ids of the records ``user`` reads."""
        raise NotImplementedError()


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "cartera.scope.search.mixin"]

    @api.model
    def _cartera_scope_subquery(self, user):
        return self.env["cartera.scope"]._move_line_subquery(user, "move_id")


class AccountPartialReconcile(models.Model):
    _name = "account.partial.reconcile"
    _inherit = ["account.partial.reconcile", "cartera.scope.search.mixin"]

    @api.model
    def _cartera_scope_subquery(self, user):
        lines, params = self.env["cartera.scope"]._move_line_subquery(
            user, "id")
        # Both sides: a payment of one of the collector's customers
        # reconciled with another customer's item stays hidden.
        return ("SELECT p.id FROM account_partial_reconcile p"
                " WHERE p.debit_move_id IN (%s) AND p.credit_move_id IN (%s)"
                % (lines, lines), params + params)


class CarteraScopeInvoicePartMixin(models.AbstractModel):
    """Parts of an invoice (its lines, its taxes): read with the invoice."""
    _name = "cartera.scope.invoice.part.mixin"
    _inherit = "cartera.scope.search.mixin"
    _description = "Invoice parts searched by a collector's scope"

    @api.model
    def _cartera_scope_subquery(self, user):
        invoices, params = self.env["cartera.scope"]._invoice_subquery(user)
        query = sql.SQL("SELECT part.id FROM {} part WHERE part.invoice_id "
                        "IN (").format(sql.Identifier(self._table))
        return (query.as_string(self.env.cr._obj) + invoices + ")", params)


class AccountInvoiceLine(models.Model):
    _name = "account.invoice.line"
    _inherit = ["account.invoice.line", "cartera.scope.invoice.part.mixin"]


class AccountInvoiceTax(models.Model):
    _name = "account.invoice.tax"
    _inherit = ["account.invoice.tax", "cartera.scope.invoice.part.mixin"]
