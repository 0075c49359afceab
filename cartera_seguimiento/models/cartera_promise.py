# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payment promises (compromisos de pago): the promise itself.

A promise belongs to a follow-up: the customer promises to pay an amount by
a date (an agreement in instalments is several promises). This file holds
its fields, what a user may create, change and delete, and its
constraints. Its judgement against the ledger is
``cartera_promise_evaluation.py``; the notices of a broken one
``cartera_promise_notice.py``, and their queue ``cartera_promise_notify.py``.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ids as id_checks, values

STATES = [("pending", "Pending"), ("kept", "Kept"),
          ("partial", "Partially kept"), ("broken", "Broken")]
# Worst first: the agenda shows a customer's worst promise.
STATE_SEVERITY = {"broken": 4, "partial": 3, "pending": 2, "kept": 1}
DECIDED = ("kept", "partial", "broken")
# Half a cent: amounts are compared in the company currency's cents.
EPSILON = 0.005

# Set by the evaluation alone (with SQL): ignored on create, where a
# promise is born pending, and refused on write.
JUDGEMENT_FIELDS = ("state", "paid_amount", "evaluated_on",
                    "failed_activity_id", "notify_pending")
# Those of the follow-up (related fields): ignored on create, refused on
# write. A promise's customer is always its follow-up's, whose payments
# alone it is judged against.
FOLLOWUP_FIELDS = ("partner_id", "company_id", "currency_id",
                   "followup_state")


class CarteraPromise(models.Model):
    _name = "cartera.promise"
    _description = "Payment Promise"
    _order = "date, id"

    # auto_join: the record rule's paths through the follow-up
    # (cartera.scope._promise_domain) become a join, instead of a search of
    # every follow-up of the collector's for each read of promises.
    followup_id = fields.Many2one(
        "cartera.followup", string="Follow-up", required=True, index=True,
        ondelete="cascade", auto_join=True,
    )
    partner_id = fields.Many2one(
        related="followup_id.partner_id", string="Customer", store=True,
        readonly=True, index=True,
    )
    responsible_id = fields.Many2one(
        "res.users", string="Responsible", index=True, ondelete="restrict",
        help="Collector who follows the promise up; the follow-up's contact "
             "by default.",
    )
    company_id = fields.Many2one(
        related="followup_id.company_id", string="Company", store=True,
        readonly=True, index=True,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    amount = fields.Monetary(
        string="Promised Amount", required=True,
        help="In the company currency.")
    date = fields.Date(string="Promised Date", required=True, index=True)
    invoice_ids = fields.Many2many(
        "account.invoice", "cartera_promise_invoice_rel", "promise_id",
        "invoice_id", string="Documents",
        domain="[('commercial_partner_id', '=', partner_id),"
               " ('type', '=', 'out_invoice'), ('state', '=', 'open')]",
    )
    paid_amount = fields.Monetary(
        string="Paid", readonly=True, copy=False,
        help="Part of the customer's payments given to this promise by the "
             "last evaluation.")
    state = fields.Selection(
        STATES, string="Status", default="pending", required=True,
        readonly=True, index=True, copy=False,
    )
    evaluated_on = fields.Date(string="Evaluated On", readonly=True,
                               copy=False)
    # The "broken promise" activity of the responsible, while it is open:
    # the daily digest lists it.
    failed_activity_id = fields.Many2one(
        "mail.activity", string="Broken Promise Activity", readonly=True,
        copy=False, index=True, ondelete="set null")
    # Turned broken or partial, its notification left to the cron.
    notify_pending = fields.Boolean(
        string="Notification Pending", readonly=True, copy=False)
    followup_state = fields.Selection(
        related="followup_id.state", string="Follow-up Status",
        readonly=True)

    _sql_constraints = [
        ("amount_positive", "CHECK (amount > 0)",
         "The promised amount must be greater than zero."),
    ]

    # ------------------------------------------------------------------
    # Capture
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        # Derived whatever the caller sends: judged by the evaluation only
        # (JUDGEMENT_FIELDS), of its follow-up's customer and company
        # (FOLLOWUP_FIELDS, which Odoo would otherwise store as given, or
        # write into the follow-up through their inverse).
        vals = dict(vals, state="pending", paid_amount=0.0,
                    evaluated_on=False, notify_pending=False,
                    failed_activity_id=False)
        for name in FOLLOWUP_FIELDS:
            vals.pop(name, None)
        self._check_input_values(vals)
        followup = self.env["cartera.followup"].browse(
            vals.get("followup_id"))
        followup._check_not_sealed("write")
        if not vals.get("responsible_id") and followup:
            vals["responsible_id"] = followup.responsible_id.id
        return super(CarteraPromise, self).create(vals)

    @api.multi
    def write(self, vals):
        # An explicit write of a derived value is refused.
        if set(JUDGEMENT_FIELDS) & set(vals):
            raise UserError(_(
                "The status of a payment promise is set by its evaluation "
                "against the payments only."))
        if set(FOLLOWUP_FIELDS) & set(vals):
            raise UserError(_(
                "The customer and the company of a payment promise are "
                "those of its follow-up."))
        self._check_input_values(vals)
        self._check_not_sealed()
        if "followup_id" in vals:
            self._check_followup_change(vals["followup_id"])
        return super(CarteraPromise, self).write(vals)

    @api.model
    def _check_input_values(self, vals):
        """Values of the right type, and the promised date a whole date of
        a year from 1900 to 2200 (tools.values): a later one overflowed the
        evaluation's arithmetic for every promise judged with it."""
        values.check_values(self, vals)

    @api.multi
    def _check_followup_change(self, followup_id):
        """A promise moves only to a follow-up the user may write, that is
        not sealed, and only while it is pending: a judged promise's state
        and share come from its customer's payments."""
        if followup_id and not id_checks.is_id(followup_id):
            raise id_checks.value_error(
                self.env, values.field_label(
                    self, self._fields["followup_id"]), followup_id)
        target = self.env["cartera.followup"].browse(followup_id)
        moved = self.filtered(lambda promise: promise.followup_id != target)
        if not moved or not target:
            return
        if any(promise.state != "pending" for promise in moved):
            raise UserError(_(
                "A judged payment promise stays in its follow-up."))
        target._check_not_sealed("write")
        target.check_access_rights("write")
        target.check_access_rule("write")
        # Judged against its customer's payments: another customer's
        # follow-up would give it another customer's payments.
        customer = target.sudo().partner_id
        if any(promise.partner_id != customer for promise in moved):
            raise UserError(_(
                "A payment promise stays with its customer: it cannot move "
                "to a follow-up of %s.") % customer.display_name)

    @api.multi
    def unlink(self):
        self._check_not_sealed()
        return super(CarteraPromise, self).unlink()

    @api.multi
    def _check_not_sealed(self):
        """Promises of closed follow-ups are sealed with them."""
        self.mapped("followup_id")._check_not_sealed("write")

    @api.constrains("amount", "date", "followup_id")
    def _check_promise(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(_(
                    "The promised amount must be greater than zero."))
            day = promise.followup_id._local_date()
            if promise.date < day:
                raise ValidationError(_(
                    "The promised date (%s) is before the follow-up's day "
                    "(%s).") % (promise.date, day))

    @api.constrains("invoice_ids", "followup_id")
    def _check_invoices(self):
        self._check_invoice_owner(open_only=True)

    @api.multi
    def _check_invoice_owner(self, open_only=False):
        """The documents are invoices of the follow-up's customer and
        company (read from the follow-up itself, not from the stored
        copies), open when they are chosen (``open_only``); the follow-up
        checks them again when its customer changes."""
        for promise in self.sudo():
            followup = promise.followup_id
            others = promise.invoice_ids.filtered(
                lambda inv: inv.commercial_partner_id != followup.partner_id
                or inv.company_id != followup.company_id
                or inv.type != "out_invoice"
                or open_only and inv.state != "open")
            if others:
                raise ValidationError(_(
                    "Document %s is not an open invoice of %s.") % (
                    others[0].number or others[0].display_name,
                    followup.partner_id.display_name))
