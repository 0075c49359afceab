# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a follow-up must satisfy, whoever writes it (forms, other modules,
RPC, imports): the values a caller may not write, its customer, document,
company and dates."""
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import values
from .cartera_followup import REFUSED_ON_WRITE

CAPTURABLE_INVOICE_TYPES = ("out_invoice", "out_refund")
CAPTURABLE_INVOICE_STATES = ("open", "paid")
# A follow-up records what happened: dated no later than now, give or take
# the seconds by which the clocks of a client and the server differ.
CLOCK_TOLERANCE = timedelta(minutes=2)


class CarteraFollowupConstraints(models.Model):
    _inherit = "cartera.followup"

    # The foreign keys Odoo creates for the references above refuse to
    # delete what follow-ups point at. Declared again here, identically,
    # only to give that refusal a message: Odoo shows a constraint's
    # message, translated, instead of its generic "other records still
    # reference it".
    _sql_constraints = [
        ("%s_fkey" % column,
         "FOREIGN KEY (%s) REFERENCES %s(id) ON DELETE RESTRICT" % (
             column, table), message)
        for column, table, message in (
            ("partner_id", "res_partner",
             "This customer has receivable follow-ups and cannot be "
             "deleted. Archive it instead."),
            ("user_id", "res_users",
             "This user is the salesperson of receivable follow-ups and "
             "cannot be deleted. Archive them instead."),
            ("responsible_id", "res_users",
             "This user is the contact of receivable follow-ups and cannot "
             "be deleted. Archive them instead."),
            ("type_id", "cartera_followup_type",
             "This follow-up type is used by follow-ups and cannot be "
             "deleted. Archive it instead."),
            ("next_type_id", "cartera_followup_type",
             "This follow-up type is used by the next tasks of follow-ups "
             "and cannot be deleted. Archive it instead."),
            ("invoice_id", "account_invoice",
             "This document has receivable follow-ups and cannot be "
             "deleted."),
        )
    ]

    @api.model
    def _check_derived_not_written(self, vals):
        """Refuse a write of a value the addon derives (REFUSED_ON_WRITE):
        read-only in the forms, and over RPC too."""
        written = [name for name in REFUSED_ON_WRITE if name in vals]
        if written:
            raise UserError(_(
                "%s: set by the application, it cannot be changed.")
                % values.field_label(self, self._fields[written[0]]))

    @api.multi
    def _check_customer_change(self, partner_id):
        """A follow-up whose payment promises were judged keeps its
        customer: their states and shares come from that customer's
        payments, and would otherwise count for another one."""
        # Read as superuser: the promises of the follow-ups the user is
        # writing (a check, nothing is changed).
        judged = self.sudo().mapped("promise_ids").filtered(
            lambda promise: promise.state != "pending"
            and promise.followup_id.partner_id.id != partner_id)
        if judged:
            raise UserError(_(
                "The customer of follow-up %s cannot change: its payment "
                "promises were judged against the customer's payments.")
                % judged[0].followup_id.name)

    @api.constrains("partner_id", "invoice_id")
    def _check_invoice(self):
        # Read as superuser: whether the user may see the record is the
        # ORM's own check, not this constraint's.
        for rec in self.sudo().filtered("invoice_id"):
            invoice = rec.invoice_id
            if invoice.type not in CAPTURABLE_INVOICE_TYPES:
                raise ValidationError(_(
                    "Document %s is not a customer invoice or credit note.")
                    % (invoice.number or invoice.display_name))
            if invoice.state not in CAPTURABLE_INVOICE_STATES:
                raise ValidationError(_(
                    "Document %s is a draft or cancelled: only open or paid "
                    "documents can be followed up.")
                    % (invoice.number or invoice.display_name))
            if invoice.commercial_partner_id != rec.partner_id:
                raise ValidationError(_(
                    "Document %s belongs to %s, not to the customer %s.") % (
                    invoice.number, invoice.commercial_partner_id.display_name,
                    rec.partner_id.display_name))
            if invoice.company_id != rec.company_id:
                raise ValidationError(_(
                    "Document %s belongs to another company.") % invoice.number)

    @api.constrains("partner_id", "company_id")
    def _check_partner_company(self):
        for rec in self.sudo():
            partner_company = rec.partner_id.company_id
            if partner_company and partner_company != rec.company_id:
                raise ValidationError(_(
                    "The customer %s belongs to the company %s, not to %s.") % (
                    rec.partner_id.display_name, partner_company.name,
                    rec.company_id.name))

    @api.constrains("date")
    def _check_date_not_future(self):
        """A follow-up records what happened: dated no later than now.
        ``date`` is stored in UTC (the web client converts the user's
        local time), so it is compared with the UTC clock, whatever the
        user's time zone; its next task may be in the future."""
        limit = fields.Datetime.to_string(
            datetime.utcnow() + CLOCK_TOLERANCE)
        # Read as superuser: whether the user may see the record is the
        # ORM's own check, not this constraint's.
        for rec in self.sudo():
            if rec.date > limit:
                # In the user's time zone, not the superuser's.
                local = fields.Datetime.context_timestamp(
                    self, fields.Datetime.from_string(rec.date))
                raise ValidationError(_(
                    "The follow-up %s is dated %s, in the future: record it "
                    "when it has happened (its next task may be in the "
                    "future).") % (rec.name, local.strftime(
                        "%Y-%m-%d %H:%M")))

    @api.constrains("partner_id", "company_id")
    def _check_promise_invoices(self):
        # The documents of its promises stay its customer's.
        self.sudo().mapped("promise_ids")._check_invoice_owner()

    @api.constrains("date", "next_date", "next_type_id")
    def _check_next_task(self):
        for rec in self.sudo():
            if rec.next_date and not rec.next_type_id:
                raise ValidationError(_(
                    "The next task of %s has a date but no type.") % rec.name)
            if rec.next_type_id and not rec.next_date:
                raise ValidationError(_(
                    "The next task of %s has a type but no date.") % rec.name)
            if rec.next_date and rec.next_date < rec._local_date():
                raise ValidationError(_(
                    "The next task date (%s) of %s is before the follow-up "
                    "date (%s).") % (rec.next_date, rec.name, rec._local_date()))
