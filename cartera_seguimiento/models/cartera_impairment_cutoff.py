# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sealed snapshot of an impairment cut-off (issue 27).

Confirming a cut-off stores the figures of ``cartera.ar.report.impairment``
per customer; from then on the cut-off and its lines are read-only for
everyone, the superuser included, as a closed follow-up is: next year's
report reads the movement from here instead of recomputing the past (the
ledger of that year may have changed since, by late entries)."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from .cartera_ar_report_impairment import BUCKETS
from .cartera_impairment import METHODS

CONFIRMING = "cartera_impairment_confirm"

FIGURES = ("balance", "tax_general", "tax_individual", "tax",
           "accounting", "difference")


class CarteraImpairmentCutoff(models.Model):
    _name = "cartera.impairment.cutoff"
    _description = "Impairment Cut-off"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(string="Cut-off Date", required=True,
                       default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")], default="draft",
        required=True, readonly=True, copy=False)
    method = fields.Selection(METHODS, string="Accounting Method",
                              readonly=True, copy=False)
    line_ids = fields.One2many(
        "cartera.impairment.cutoff.line", "cutoff_id", string="Customers",
        readonly=True, copy=False)
    balance = fields.Monetary(compute="_compute_totals", store=True)
    tax_general = fields.Monetary(string="Tax (General)",
                                  compute="_compute_totals", store=True)
    tax_individual = fields.Monetary(string="Tax (Individual)",
                                     compute="_compute_totals", store=True)
    tax = fields.Monetary(string="Tax", compute="_compute_totals",
                          store=True)
    accounting = fields.Monetary(string="Accounting Allowance",
                                 compute="_compute_totals", store=True)
    difference = fields.Monetary(compute="_compute_totals", store=True,
                                 help="Accounting - tax: the base of the "
                                      "deferred tax.")
    confirmed_by = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_on = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("company_date_unique", "UNIQUE (company_id, date)",
         "There is already an impairment cut-off of this company on this "
         "date."),
    ]

    @api.depends("date")
    def _compute_name(self):
        for cutoff in self:
            cutoff.name = _("Impairment %s") % (cutoff.date or "")

    @api.depends("line_ids.balance", "line_ids.accounting")
    def _compute_totals(self):
        for cutoff in self:
            for name in FIGURES:
                cutoff[name] = sum(cutoff.line_ids.mapped(name))

    @api.multi
    def _check_not_confirmed(self):
        if any(cutoff.state == "confirmed" for cutoff in self):
            raise UserError(_(
                "A confirmed impairment cut-off is sealed: its figures "
                "cannot be changed nor deleted."))

    @api.model
    def _confirming(self):
        """Whether this is ``action_confirm`` storing the figures: as the
        superuser, after checking the caller's right (a context alone
        can be sent by any RPC client)."""
        return self.env.uid == SUPERUSER_ID and \
            bool(self._context.get(CONFIRMING))

    @api.model
    def create(self, vals):
        vals = dict(vals, state="draft", company_id=self.env.user.company_id.id)
        vals.pop("line_ids", None)
        self.env["cartera.ar.report"]._check_impairment_access()
        return super(CarteraImpairmentCutoff, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_not_confirmed()
        if {"state", "company_id", "line_ids", "confirmed_by",
                "confirmed_on", "method"} & set(vals) and \
                not self._confirming():
            raise UserError(_(
                "The status and figures of an impairment cut-off are set "
                "by confirming it."))
        return super(CarteraImpairmentCutoff, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_not_confirmed()
        return super(CarteraImpairmentCutoff, self).unlink()

    @api.multi
    def action_confirm(self):
        """Compute and store the figures of every customer, then seal."""
        self._check_not_confirmed()
        self.check_access_rights("write")
        self.check_access_rule("write")
        engine = self.env["cartera.ar.report"]
        for cutoff in self:
            rows = engine.impairment(cutoff.date)
            lines = [(0, 0, dict(
                {name: row[name] for name in FIGURES},
                partner_id=row["partner_id"],
                related_party=row["related_party"],
                **{"bucket_%d" % i: row["buckets"][i]
                   for i in range(BUCKETS)})) for row in rows]
            # The lines are written only here, after the caller's right
            # on the cut-off was checked above.
            super(CarteraImpairmentCutoff, cutoff.sudo().with_context(
                **{CONFIRMING: True})).write({
                    "line_ids": lines, "state": "confirmed",
                    "method": cutoff.company_id.cartera_impairment_method,
                    "confirmed_by": self.env.uid,
                    "confirmed_on": fields.Datetime.now()})
        return True

    @api.model
    def _previous(self, date_at):
        """The last confirmed cut-off of the user's company before
        ``date_at``, or an empty recordset."""
        return self.search([
            ("company_id", "=", self.env.user.company_id.id),
            ("state", "=", "confirmed"), ("date", "<", date_at)],
            order="date desc", limit=1)


class CarteraImpairmentCutoffLine(models.Model):
    _name = "cartera.impairment.cutoff.line"
    _description = "Impairment Cut-off Customer"
    _order = "cutoff_id, id"

    cutoff_id = fields.Many2one("cartera.impairment.cutoff", required=True,
                                ondelete="cascade", index=True,
                                readonly=True)
    # Stored for the company's record rule.
    company_id = fields.Many2one(related="cutoff_id.company_id", store=True,
                                 readonly=True, index=True)
    currency_id = fields.Many2one(related="cutoff_id.currency_id",
                                  readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer",
                                 required=True, readonly=True,
                                 ondelete="restrict", index=True)
    related_party = fields.Boolean(readonly=True)
    balance = fields.Monetary(readonly=True)
    tax_general = fields.Monetary(string="Tax (General)", readonly=True)
    tax_individual = fields.Monetary(string="Tax (Individual)",
                                     readonly=True)
    tax = fields.Monetary(readonly=True)
    accounting = fields.Monetary(string="Accounting Allowance",
                                 readonly=True)
    difference = fields.Monetary(readonly=True)
    bucket_0 = fields.Monetary(string="Not due", readonly=True)
    bucket_1 = fields.Monetary(string="1-30", readonly=True)
    bucket_2 = fields.Monetary(string="31-60", readonly=True)
    bucket_3 = fields.Monetary(string="61-90", readonly=True)
    bucket_4 = fields.Monetary(string="91-120", readonly=True)
    bucket_5 = fields.Monetary(string="+120", readonly=True)

    @api.model
    def create(self, vals):
        if not self.env["cartera.impairment.cutoff"]._confirming():
            raise UserError(_(
                "The figures of an impairment cut-off are stored by "
                "confirming it."))
        return super(CarteraImpairmentCutoffLine, self).create(vals)

    @api.multi
    def write(self, vals):
        # Written by nobody: a line exists only in a confirmed cut-off.
        self.mapped("cutoff_id")._check_not_confirmed()
        return super(CarteraImpairmentCutoffLine, self).write(vals)

    @api.multi
    def unlink(self):
        # Deleting a draft cut-off has no lines to delete (they are made
        # on confirming); a confirmed one refuses before its cascade.
        self.mapped("cutoff_id")._check_not_confirmed()
        return super(CarteraImpairmentCutoffLine, self).unlink()
