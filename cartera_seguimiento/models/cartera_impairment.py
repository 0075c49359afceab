# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deterioro de cartera (issue 27): the company's settings, the matrix
rates, the related-party flag of customers and the objective evidence of
Grupo 2. The figures are computed by ``cartera.ar.report.impairment``
(``cartera_ar_report_impairment.py``)."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

# Who computes and books the impairment: the receivable managers and the
# accountants (Odoo's "Accountant", implied by its adviser).
ACCOUNTANT_GROUP = "account.group_account_user"

METHODS = [("matrix", "Provision matrix (Grupo 1, NIIF 9)"),
           ("incurred", "Incurred loss (Grupo 2, NIIF para PYMES)")]
TAX_METHODS = [("general", "General (5 %, 10 %, 15 %)"),
               ("individual", "Individual (33 % a year)")]
# Rates are kept with ten decimals: a rate from the company's history is a
# quotient (2/23 is 8.6956521739 %), and the allowance is the amount times
# that quotient, rounded once at the end.
RATE_DIGITS = (16, 10)


class CarteraImpairmentRate(models.Model):
    """The loss rate of one aging bucket in the provision matrix."""
    _name = "cartera.impairment.rate"
    _description = "Impairment Loss Rate"
    _order = "company_id, bucket"

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True,
        default=lambda self: self.env.user.company_id)
    bucket = fields.Integer(
        required=True,
        help="The aging bucket: 0 not due, 1 to 4 the periods of 30 days "
             "overdue, 5 older.")
    name = fields.Char(string="Bucket", compute="_compute_name")
    historical_rate = fields.Float(
        string="Historical Rate (%)", digits=RATE_DIGITS,
        help="The share of this bucket's amounts that ended unpaid past "
             "the last bucket over the window, from the company's history "
             "(roll rates), or typed by the accountant.")
    adjustment = fields.Float(
        string="Forward-looking Adjustment (points)", digits=RATE_DIGITS,
        help="Percentage points added to the historical rate for the "
             "expected conditions (negative to lower it).")
    rate = fields.Float(
        string="Loss Rate (%)", digits=RATE_DIGITS, compute="_compute_rate",
        store=True, help="Historical rate plus adjustment, from 0 to 100.")

    _sql_constraints = [
        ("company_bucket_unique", "UNIQUE (company_id, bucket)",
         "Each bucket has one loss rate per company."),
        ("bucket_range", "CHECK (bucket >= 0 AND bucket <= 5)",
         "The bucket is from 0 (not due) to 5 (older)."),
    ]

    @api.depends("bucket")
    def _compute_name(self):
        labels = self.env["cartera.ar.report"]._impairment_bucket_labels()
        for rate in self:
            rate.name = labels[rate.bucket] if 0 <= rate.bucket < len(
                labels) else str(rate.bucket)

    @api.depends("historical_rate", "adjustment")
    def _compute_rate(self):
        for rate in self:
            rate.rate = min(100.0, max(
                0.0, rate.historical_rate + rate.adjustment))


class CarteraImpairmentEvidence(models.Model):
    """Objective evidence of impairment of an invoice (Grupo 2, incurred
    loss): from its date on, the given share of what is still open of the
    invoice is impaired."""
    _name = "cartera.impairment.evidence"
    _description = "Objective Evidence of Impairment"
    _order = "date desc, id desc"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.user.company_id)
    invoice_id = fields.Many2one(
        "account.invoice", string="Invoice", required=True, index=True,
        ondelete="cascade",
        domain=[("type", "=", "out_invoice"), ("state", "=", "open")])
    partner_id = fields.Many2one(
        related="invoice_id.commercial_partner_id", store=True,
        readonly=True, string="Customer")
    date = fields.Date(
        required=True, default=fields.Date.context_today,
        help="From this day on the invoice is impaired.")
    rate = fields.Float(
        string="Impaired Share (%)", digits=RATE_DIGITS, default=100.0,
        help="The share of what is open of the invoice expected lost.")
    note = fields.Text(string="Evidence", required=True,
                       help="What shows the loss: insolvency, default...")

    _sql_constraints = [
        ("rate_range", "CHECK (rate >= 0 AND rate <= 100)",
         "The impaired share is from 0 to 100 %."),
    ]


class ResCompany(models.Model):
    _inherit = "res.company"

    cartera_impairment_method = fields.Selection(
        METHODS, string="Impairment Method (Accounting)", default="matrix",
        help="Grupo 1: loss rates per aging bucket; Grupo 2: the invoices "
             "marked with objective evidence.")
    cartera_impairment_tax_method = fields.Selection(
        TAX_METHODS, string="Impairment Method (Tax)", default="general",
        help="The tax method whose figure the difference (deferred tax "
             "base) is computed against.")
    cartera_impairment_rate_ids = fields.One2many(
        "cartera.impairment.rate", "company_id", string="Loss Rates")
    cartera_impairment_window = fields.Integer(
        string="Roll-rate Window (Months)", default=24,
        help="Steps of 30 days (about a month each) of history the roll "
             "rates are computed over.")
    cartera_impairment_expense_account_id = fields.Many2one(
        "account.account", string="Impairment Expense Account",
        ondelete="restrict", help="In the PUC, 5199.")
    cartera_impairment_allowance_account_id = fields.Many2one(
        "account.account", string="Impairment Allowance Account",
        ondelete="restrict", help="In the PUC, 1399 (a credit balance).")
    cartera_impairment_journal_id = fields.Many2one(
        "account.journal", string="Impairment Journal", ondelete="restrict")

    @api.multi
    def _cartera_demo_impairment_accounts(self):
        """Demo data: the PUC's accounts for the impairment entry when the
        company keeps the Colombian chart (an allowance account under
        1399), the expense under 5199 (Odoo's generic PUC has none: it is
        created), and the company's first general journal. On another
        chart nothing is set: the accountant chooses them."""
        Account = self.env["account.account"]
        for company in self:
            allowance = Account.search([
                ("company_id", "=", company.id),
                ("code", "=like", "1399%")], order="code", limit=1)
            if not allowance:
                continue
            expense = Account.search([
                ("company_id", "=", company.id),
                ("code", "=like", "5199%")], order="code", limit=1)
            if not expense:
                expense = Account.create({
                    "code": "519910", "name": "Deterioro de deudores",
                    "company_id": company.id,
                    "user_type_id": self.env.ref(
                        "account.data_account_type_expenses").id})
            journal = self.env["account.journal"].search([
                ("company_id", "=", company.id), ("type", "=", "general")],
                order="sequence, id", limit=1)
            company.write({
                "cartera_impairment_allowance_account_id": allowance.id,
                "cartera_impairment_expense_account_id": expense.id,
                "cartera_impairment_journal_id": journal.id})


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cartera_impairment_method = fields.Selection(
        related="company_id.cartera_impairment_method")
    cartera_impairment_tax_method = fields.Selection(
        related="company_id.cartera_impairment_tax_method")
    cartera_impairment_window = fields.Integer(
        related="company_id.cartera_impairment_window")
    cartera_impairment_expense_account_id = fields.Many2one(
        related="company_id.cartera_impairment_expense_account_id")
    cartera_impairment_allowance_account_id = fields.Many2one(
        related="company_id.cartera_impairment_allowance_account_id")
    cartera_impairment_journal_id = fields.Many2one(
        related="company_id.cartera_impairment_journal_id")

    @api.multi
    def action_cartera_impairment_roll_rates(self):
        """The historical rates from the company's roll rates up to today
        over the window, then the rates' list."""
        self.env["cartera.ar.report"].impairment_set_historical_rates(
            months=self.cartera_impairment_window)
        return self.action_cartera_impairment_rates()

    @api.multi
    def action_cartera_impairment_rates(self):
        return self.env.ref(
            "cartera_seguimiento.cartera_impairment_rate_action").read()[0]


class ResPartner(models.Model):
    _inherit = "res.partner"

    cartera_related_party = fields.Boolean(
        string="Related Party (Vinculado Económico)", copy=False,
        groups="cartera_seguimiento.group_cartera_user,"
               "account.group_account_user",
        help="Its receivables are left out of the tax impairment "
             "(Estatuto Tributario art. 145) and listed apart.")

    @api.model
    def _check_cartera_related_party(self, vals):
        # Whether a customer is a related party decides its tax deduction:
        # managers only, over RPC too.
        if "cartera_related_party" in vals and not \
                self.env["cartera.scope"]._is_manager():
            raise AccessError(_(
                "Only receivable managers can mark a customer as a related "
                "party."))

    @api.model
    def create(self, vals):
        if vals.get("cartera_related_party"):
            self._check_cartera_related_party(vals)
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_cartera_related_party(vals)
        return super(ResPartner, self).write(vals)
