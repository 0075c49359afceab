# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The impairment entry (issue 27): a draft journal entry that brings the
allowance account from its booked balance at the cut-off to the computed
allowance; the accountant reviews and posts it with Odoo's own flow."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CarteraImpairmentEntryWizard(models.TransientModel):
    _name = "cartera.impairment.entry.wizard"
    _description = "Impairment Entry Wizard"

    date = fields.Date(string="Cut-off Date", required=True,
                       default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    computed = fields.Monetary(
        string="Computed Allowance", compute="_compute_amounts",
        help="The accounting allowance of every customer at the date.")
    booked = fields.Monetary(
        string="Booked Allowance", compute="_compute_amounts",
        help="The credit balance of the allowance account at the date, "
             "its draft entries included (a proposal not yet posted).")
    difference = fields.Monetary(
        string="Adjustment", compute="_compute_amounts",
        help="Computed - booked: an expense when positive, a recovery "
             "when negative.")

    @api.depends("date")
    def _compute_amounts(self):
        for wizard in self:
            if not wizard.date:
                continue
            computed, booked = wizard._amounts()
            wizard.computed = computed
            wizard.booked = booked
            wizard.difference = computed - booked

    @api.multi
    def _accounts(self):
        company = self.env.user.company_id
        expense = company.cartera_impairment_expense_account_id
        allowance = company.cartera_impairment_allowance_account_id
        journal = company.cartera_impairment_journal_id
        if not (expense and allowance and journal):
            raise UserError(_(
                "Set the impairment expense and allowance accounts and "
                "journal in the accounting settings first."))
        return expense, allowance, journal

    @api.multi
    def _amounts(self):
        """(computed allowance, booked allowance) at the wizard's date."""
        self.ensure_one()
        engine = self.env["cartera.ar.report"]
        rows = engine.impairment(self.date)
        computed = round(sum(row["accounting"] for row in rows), 2)
        allowance = self.env.user.company_id.\
            cartera_impairment_allowance_account_id
        booked = 0.0
        if allowance:
            # The accountant's own reading of the ledger (record rules
            # apply): every entry, posted or draft, up to the date.
            groups = self.env["account.move.line"].read_group(
                [("account_id", "=", allowance.id),
                 ("date", "<=", self.date)], ["balance"], [])
            booked = -(groups and groups[0]["balance"] or 0.0)
        return computed, round(booked, 2)

    @api.multi
    def action_propose(self):
        """Create the draft entry and open it; nothing when the booked
        allowance is already the computed one."""
        self.ensure_one()
        expense, allowance, journal = self._accounts()
        computed, booked = self._amounts()
        currency = self.env.user.company_id.currency_id
        difference = currency.round(computed - booked)
        if currency.is_zero(difference):
            raise UserError(_(
                "Nothing to adjust: the allowance booked at %s is already "
                "the computed one (%s).") % (self.date, computed))
        label = _("Receivables impairment at %s") % self.date
        amount = abs(difference)
        # An increase is an expense against the allowance; a decrease
        # gives back part of the allowance.
        debit_account, credit_account = (expense, allowance) \
            if difference > 0 else (allowance, expense)
        move = self.env["account.move"].create({
            "journal_id": journal.id, "date": self.date, "ref": label,
            "line_ids": [
                (0, 0, {"name": label, "account_id": debit_account.id,
                        "debit": amount, "credit": 0.0}),
                (0, 0, {"name": label, "account_id": credit_account.id,
                        "debit": 0.0, "credit": amount}),
            ]})
        return {
            "type": "ir.actions.act_window", "res_model": "account.move",
            "res_id": move.id, "view_mode": "form", "target": "current",
            "name": label,
        }
