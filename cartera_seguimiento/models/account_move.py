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
from odoo import _, api, fields, models
from odoo.exceptions import UserError


def _check_scope_operand(operator, value):
    if operator != "=" or not isinstance(value, int) or isinstance(
            value, bool):
        raise UserError(_("Only the scope of one user can be searched."))


class AccountMove(models.Model):
    _inherit = "account.move"

    cartera_scope_uid = fields.Integer(
        string="Receivable Scope of", compute="_compute_cartera_scope_uid",
        search="_search_cartera_scope_uid",
        groups="cartera_seguimiento.group_cartera_user",
        help="Technical: searched by the collectors' record rule with a "
             "user's id; never read.")

    @api.multi
    def _compute_cartera_scope_uid(self):
        for move in self:
            move.cartera_scope_uid = 0

    @api.model
    def _search_cartera_scope_uid(self, operator, value):
        _check_scope_operand(operator, value)
        user = self.env["res.users"].browse(value)
        return [("id", "inselect", self.env[
            "cartera.scope"]._move_line_subquery(user, "move_id"))]


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    cartera_scope_uid = fields.Integer(
        string="Receivable Scope of", compute="_compute_cartera_scope_uid",
        search="_search_cartera_scope_uid",
        groups="cartera_seguimiento.group_cartera_user",
        help="Technical: searched by the collectors' record rule with a "
             "user's id; never read.")

    @api.multi
    def _compute_cartera_scope_uid(self):
        for partial in self:
            partial.cartera_scope_uid = 0

    @api.model
    def _search_cartera_scope_uid(self, operator, value):
        _check_scope_operand(operator, value)
        user = self.env["res.users"].browse(value)
        lines, params = self.env["cartera.scope"]._move_line_subquery(
            user, "id")
        # Both sides: a payment of one of the collector's customers
        # reconciled with another customer's item stays hidden.
        return [("id", "inselect", (
            "SELECT p.id FROM account_partial_reconcile p"
            " WHERE p.debit_move_id IN (%s) AND p.credit_move_id IN (%s)"
            % (lines, lines), params + params))]


class AccountInvoiceLine(models.Model):
    _inherit = "account.invoice.line"

    cartera_scope_uid = fields.Integer(
        string="Receivable Scope of", compute="_compute_cartera_scope_uid",
        search="_search_cartera_scope_uid",
        groups="cartera_seguimiento.group_cartera_user",
        help="Technical: searched by the collectors' record rule with a "
             "user's id; never read.")

    @api.multi
    def _compute_cartera_scope_uid(self):
        for line in self:
            line.cartera_scope_uid = 0

    @api.model
    def _search_cartera_scope_uid(self, operator, value):
        _check_scope_operand(operator, value)
        user = self.env["res.users"].browse(value)
        invoices, params = self.env["cartera.scope"]._invoice_subquery(user)
        return [("id", "inselect", (
            "SELECT il.id FROM account_invoice_line il"
            " WHERE il.invoice_id IN (%s)" % invoices, params))]


class AccountInvoiceTax(models.Model):
    _inherit = "account.invoice.tax"

    cartera_scope_uid = fields.Integer(
        string="Receivable Scope of", compute="_compute_cartera_scope_uid",
        search="_search_cartera_scope_uid",
        groups="cartera_seguimiento.group_cartera_user",
        help="Technical: searched by the collectors' record rule with a "
             "user's id; never read.")

    @api.multi
    def _compute_cartera_scope_uid(self):
        for tax in self:
            tax.cartera_scope_uid = 0

    @api.model
    def _search_cartera_scope_uid(self, operator, value):
        _check_scope_operand(operator, value)
        user = self.env["res.users"].browse(value)
        invoices, params = self.env["cartera.scope"]._invoice_subquery(user)
        return [("id", "inselect", (
            "SELECT it.id FROM account_invoice_tax it"
            " WHERE it.invoice_id IN (%s)" % invoices, params))]
