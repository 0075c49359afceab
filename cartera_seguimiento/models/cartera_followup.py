# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, timedelta

import psycopg2
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import dates, mail as mail_values, values
from .locks import claim_taken

CAPTURABLE_INVOICE_TYPES = ("out_invoice", "out_refund")
CAPTURABLE_INVOICE_STATES = ("open", "paid")
# A note is typed by a collector: anything longer is a pasted file or an
# attack, and would bloat every list and report that prints it.
NOTE_MAX_LENGTH = 10000
# System parameter holding the date of the last daily digest sent.
DIGEST_DATE_KEY = "cartera_seguimiento.digest_date"
# A follow-up records what happened: dated no later than now, give or take
# the seconds by which the clocks of a client and the server differ.
CLOCK_TOLERANCE = timedelta(minutes=2)

# The values the addon derives, which the forms show read-only. One rule
# each, for every caller (forms, other modules, RPC, imports):
# - IGNORED_ON_CREATE: a caller's value (or a default_ key of its context)
#   is ignored on create: the sequence names the follow-up, it is born
#   open without task (_sync_next_task gives it one), and the related
#   values follow the company and the closing. An explicit write of any of
#   them is refused (REFUSED_ON_WRITE); the methods that own them write
#   with super().write (_sync_next_task, _mark_task_done), the closings
#   with SQL. Writing a related field would otherwise write its target
#   (the company's currency, the closing) through Odoo's inverse.
# - company_id: chosen on create within Odoo's multi-company rule (the
#   user's company by default), with the customer's and the document's
#   company (constraints); a write is refused: a follow-up stays in the
#   company it was recorded in.
# - state, closing_id: born open whatever the caller sends; a write is
#   refused by _check_not_sealed.
# - The document's snapshot (_prepare_invoice_snapshot): always derived
#   from the document, on create and whenever it changes; a caller's
#   value is ignored.
IGNORED_ON_CREATE = ("name", "task_state", "task_activity_id",
                     "company_currency_id", "closed_on", "closed_by")
REFUSED_ON_WRITE = IGNORED_ON_CREATE + ("company_id",)


# Partial indexes of cartera_followup (see CarteraFollowup.init): the open
# rows by date (Captura), the daily digest's pending tasks, and the follow-up of
# an activity.
PARTIAL_INDEXES = [
    # With the id, the open follow-ups' ids come from the index alone (the
    # agenda's promises of open follow-ups: 0.2 s instead of 0.7 s at
    # 100,000 promises).
    ("cartera_followup_open_state_idx",
     "(state, date, id) WHERE state = 'open'"),
    ("cartera_followup_pending_task_idx",
     "(next_date) WHERE state = 'open' AND task_state = 'pending'"),
    ("cartera_followup_task_activity_idx",
     "(task_activity_id) WHERE task_activity_id IS NOT NULL"),
    # A dozen salespeople and collectors: a full index of so few keys
    # serves no search of closed follow-ups (the planner reads the date
    # index or the table), yet each entry a closing writes into one costs
    # more than in any other: 1.4 s each of the 5 s the UPDATE of 100,000
    # rows took. Open follow-ups, the capture list's and the tasks', keep
    # them.
    ("cartera_followup_open_user_idx",
     "(user_id) WHERE state = 'open'"),
    ("cartera_followup_open_responsible_idx",
     "(responsible_id) WHERE state = 'open'"),
]


class CarteraFollowup(models.Model):
    _name = "cartera.followup"
    _description = "Receivable Follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        ondelete="restrict", track_visibility="onchange",
        domain="[('customer', '=', True), ('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", ondelete="restrict",
        track_visibility="onchange",
        help="Salesperson the follow-up belongs to; defaults to the "
             "customer's salesperson.",
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now,
        track_visibility="onchange",
    )
    day = fields.Date(
        string="Day", compute="_compute_day", search="_search_day",
        help="Date of the follow-up in the user's time zone.",
    )
    type_id = fields.Many2one(
        "cartera.followup.type", string="Type", required=True,
        ondelete="restrict", track_visibility="onchange",
    )
    responsible_id = fields.Many2one(
        "res.users", string="Contact", required=True, ondelete="restrict",
        default=lambda self: self.env.user, track_visibility="onchange",
        help="User doing the follow-up; the next task is assigned to them.",
    )
    invoice_id = fields.Many2one(
        "account.invoice", string="Document", index=True, ondelete="restrict",
        track_visibility="onchange",
        domain="[('commercial_partner_id', '=', partner_id),"
               " ('type', 'in', ('out_invoice', 'out_refund')),"
               " ('state', 'in', ('open', 'paid'))]",
        help="Customer invoice or credit note the follow-up is about.",
    )
    # Copies taken at capture, like the amount due, not related fields: a
    # later change of the document must not rewrite a closed follow-up.
    invoice_number = fields.Char(string="Document Number", readonly=True)
    journal_id = fields.Many2one(
        "account.journal", string="Transaction", readonly=True,
    )
    # Cancelling an invoice deletes its entry: the follow-up keeps the
    # document and its number.
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True,
        ondelete="set null",
    )
    invoice_currency_id = fields.Many2one(
        "res.currency", string="Document Currency", readonly=True,
    )
    amount_due = fields.Monetary(
        string="Amount Due at Capture", readonly=True,
        currency_field="invoice_currency_id",
        help="Amount the document still owed when the follow-up was recorded.",
    )
    date_due = fields.Date(string="Due Date at Capture", readonly=True)
    notes = fields.Text()
    # Indexed for the pending tasks of open follow-ups only: see init().
    next_date = fields.Date(string="Next Task Date")
    next_type_id = fields.Many2one(
        "cartera.followup.type", string="Next Task Type", ondelete="restrict",
    )
    next_note = fields.Text(string="Next Task Note")
    task_state = fields.Selection(
        [("none", "No task"), ("pending", "Pending"), ("done", "Done")],
        string="Task Status", default="none", required=True, readonly=True,
        copy=False,
    )
    # Indexed where set (see init()): every activity deleted anywhere in
    # Odoo (a task marked done, a closing) makes PostgreSQL look for
    # follow-ups pointing at it; without the index, a scan of the whole
    # table per activity (a closing of 100,000 follow-ups spent 39 s there).
    task_activity_id = fields.Many2one(
        "mail.activity", string="Task Activity", readonly=True, copy=False,
        ondelete="set null",
    )
    # Read-only: chosen on create, never moved (see REFUSED_ON_WRITE).
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "cartera.followup"),
    )
    # Lifecycle: a follow-up is captured open; a closing seals it in place.
    # Indexed for the open rows (see init()); the closed ones are found
    # through closing_id.
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], string="Status",
        default="open", required=True, readonly=True, copy=False,
    )
    closing_id = fields.Many2one(
        "cartera.closing", string="Closing", readonly=True, index=True,
        copy=False, ondelete="restrict",
    )
    promise_ids = fields.One2many(
        "cartera.promise", "followup_id", string="Payment Promises")
    # The editable list captures one promise per line: its amount and date.
    promise_amount = fields.Monetary(
        string="Promised Amount", compute="_compute_promise",
        inverse="_inverse_promise", currency_field="company_currency_id",
        help="Amount of the follow-up's first payment promise.")
    promise_date = fields.Date(
        string="Promised Date", compute="_compute_promise",
        inverse="_inverse_promise",
        help="Date of the follow-up's first payment promise.")
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency",
        readonly=True)
    closed_on = fields.Datetime(
        related="closing_id.date", string="Closed On", readonly=True)
    closed_by = fields.Many2one(
        related="closing_id.user_id", string="Closed By", readonly=True)

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

    # ------------------------------------------------------------------
    # Derived values: applied in create/write so that they hold for every
    # caller (form, editable list, other modules, RPC), not only onchanges.
    # ------------------------------------------------------------------

    @api.model_cr
    def init(self):
        """The indexes that serve open follow-ups only, partial.

        A closing rewrites ``state`` and ``closing_id`` of its rows, indexed
        columns, so PostgreSQL writes a new entry for each closed row in
        every full index of the table: a closing's cost grows with them
        (13 full indexes made closing 100,000 rows twice as slow as 7). A
        partial index whose condition the closed row no longer meets gets
        no entry. The full indexes left serve every row: the foreign keys
        that keep customers and documents, the record rules' customers,
        the date ranges and the closing. Deleting a user, which the
        foreign keys refuse while follow-ups name them, reads the table
        instead: rare, and a fraction of a second at a million rows."""
        cr = self._cr
        for name, definition in PARTIAL_INDEXES:
            cr.execute(sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON cartera_followup "
                + definition).format(sql.Identifier(name)).as_string(cr._obj))

    @api.model
    def _prepare_derived_values(self, vals):
        """Return ``vals`` completed with the values derived from others."""
        vals = dict(vals)
        self._check_input_values(vals)
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
            if "user_id" not in vals and not self._context.get(
                    "cartera_keep_user"):
                vals["user_id"] = partner.commercial_partner_id.user_id.id
        if "invoice_id" in vals:
            vals.update(self._prepare_invoice_snapshot(
                self.env["account.invoice"].browse(vals["invoice_id"])))
        else:
            # The snapshot belongs to the document; never taken from a caller.
            for name in self._prepare_invoice_snapshot(
                    self.env["account.invoice"]):
                vals.pop(name, None)
        return vals

    @api.model
    def _check_input_values(self, vals):
        """Refuse values of the wrong type, impossible dates (years 1900 to
        2200 only: 9999-12-31 overflowed the time zone arithmetic) and
        oversized notes with a clear message (tools.values)."""
        values.check_values(self, vals, text_limit=NOTE_MAX_LENGTH)

    @api.model
    def _prepare_invoice_snapshot(self, invoice):
        """Values of the document as it stands at capture time."""
        if not invoice:
            return {"amount_due": 0.0, "date_due": False,
                    "invoice_currency_id": False, "invoice_number": False,
                    "journal_id": False, "move_id": False}
        # Read as superuser: whether the user may see the document is the
        # constraint's and the ORM's check, not the copy's.
        invoice = invoice.sudo()
        return {
            "amount_due": invoice.residual,
            "date_due": invoice.date_due,
            "invoice_currency_id": invoice.currency_id.id,
            "invoice_number": invoice.number,
            "journal_id": invoice.journal_id.id,
            "move_id": invoice.move_id.id,
        }

    @api.model
    def create(self, vals):
        # Defaults (from the context too) must go through the derivations.
        vals = self._prepare_derived_values(
            self._add_missing_default_values(vals))
        # Derived whatever the caller sends (IGNORED_ON_CREATE): born open
        # (only a closing closes), without task, named by the sequence.
        for name in IGNORED_ON_CREATE:
            vals.pop(name, None)
        vals.update(state="open", closing_id=False, task_state="none",
                    task_activity_id=False)
        vals["name"] = self.env["ir.sequence"].next_by_code(
            "cartera.followup") or "/"
        record = super(CarteraFollowup, self.with_context(
            **self._chatter_context())).create(vals)
        record._sync_next_task()
        record._complete_previous_tasks()
        return record

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

    @api.model
    def _chatter_context(self):
        """What the chatter records of a follow-up. The tracking message
        of its first values is its creation log, so Odoo's extra "created"
        message is left out. The salesperson follows the follow-ups of his
        customers without being mailed "you have been assigned" for each
        one: what is assigned is the next task, which mails its own
        responsible."""
        return {"mail_create_nolog": True,
                "mail_auto_subscribe_no_notify": True}

    @api.multi
    def write(self, vals):
        self._check_not_sealed("write", vals)
        self._check_derived_not_written(vals)
        vals = self._prepare_derived_values(vals)
        if vals.get("partner_id"):
            self._check_customer_change(vals["partner_id"])
        res = super(CarteraFollowup, self.with_context(
            **self._chatter_context())).write(vals)
        if {"next_date", "next_type_id", "next_note", "responsible_id",
                "partner_id", "invoice_id"} & set(vals):
            self._sync_next_task()
        return res

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, *args, **kwargs):
        self._check_not_sealed("post")
        # Collectors often have no e-mail address of their own; the chatter
        # log of their follow-ups must not depend on one.
        if not kwargs.get("email_from") and not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return super(CarteraFollowup, self).message_post(*args, **kwargs)

    @api.multi
    def message_post_with_template(self, template_id, **kwargs):
        # Marking a task done (action_feedback) posts through the mail
        # composer, which refuses users without an e-mail address: the
        # follow-up that completes an earlier task failed (found by
        # tests/test_stress_load.py).
        if not kwargs.get("email_from") and not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return super(CarteraFollowup, self).message_post_with_template(
            template_id, **kwargs)

    @api.depends("promise_ids.amount", "promise_ids.date")
    def _compute_promise(self):
        for rec in self:
            promises = rec.promise_ids
            # A slice of a recordset forgets its prefetch: each follow-up
            # of a list page would read its promise alone, through the
            # promises' record rule (80 reads, 6 s a page at large).
            first = promises[:1].with_prefetch(promises._prefetch)
            rec.promise_amount = first.amount
            rec.promise_date = first.date

    @api.multi
    def _inverse_promise(self):
        for rec in self:
            first = rec.promise_ids[:1]
            if first:
                if (first.amount, first.date) != (rec.promise_amount,
                                                  rec.promise_date):
                    first.write({"amount": rec.promise_amount,
                                 "date": rec.promise_date})
            elif rec.promise_amount or rec.promise_date:
                if not (rec.promise_amount and rec.promise_date):
                    raise UserError(_(
                        "A payment promise needs an amount and a date."))
                self.env["cartera.promise"].create({
                    "followup_id": rec.id, "amount": rec.promise_amount,
                    "date": rec.promise_date})

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        commercial = self.partner_id.commercial_partner_id
        if commercial and commercial != self.partner_id:
            self.partner_id = commercial
        if commercial.user_id:
            self.user_id = commercial.user_id
        if self.invoice_id and \
                self.invoice_id.commercial_partner_id != commercial:
            self.invoice_id = False

    @api.onchange("invoice_id")
    def _onchange_invoice_id(self):
        for field, value in self._prepare_invoice_snapshot(
                self.invoice_id).items():
            self[field] = value

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
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

    @api.depends("date")
    def _compute_day(self):
        for rec in self.filtered("date"):
            rec.day = rec._local_date()

    @api.model
    def _search_day(self, operator, value):
        """Translate a local day into the UTC bounds of ``date``."""
        if operator not in ("=", "!=", "<", "<=", ">", ">="):
            raise UserError(_("Unsupported operator %s on the day of a "
                              "follow-up.") % operator)
        day = dates.parse(value)
        if day is None:
            raise dates.date_error(
                self.env, values.field_label(self, self._fields["day"]), value)
        start = dates.local_day_start_utc(self.env, day)
        end = dates.local_day_start_utc(self.env, day + timedelta(days=1))
        if operator == "=":
            # Explicit operator: Odoo 11 splices this domain in unnormalized.
            return ["&", ("date", ">=", start), ("date", "<", end)]
        if operator == "!=":
            return ["|", ("date", "<", start), ("date", ">=", end)]
        if operator in ("<", ">="):
            return [("date", operator, start)]
        return [("date", "<" if operator == "<=" else ">=", end)]

    @api.multi
    def _local_date(self):
        """Date of the follow-up in the user's time zone."""
        self.ensure_one()
        moment = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(self.date))
        return fields.Date.to_string(moment)

    # ------------------------------------------------------------------
    # Next tasks as mail activities
    # ------------------------------------------------------------------
    @api.multi
    def _prepare_task_activity(self):
        self.ensure_one()
        activity_type = self.next_type_id.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False)
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            # The responsible user reads the summary: in their language.
            "summary": self.next_type_id.with_context(
                lang=self.responsible_id.lang or "en_US").name,
            "note": self.next_note and "<p>%s</p>" % (
                self.next_note.replace("&", "&amp;").replace(
                    "<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")),
            "date_deadline": self.next_date,
            "user_id": self.responsible_id.id,
        }

    @api.multi
    def _sync_next_task(self):
        """Create, move or drop the activity that carries the next task."""
        for rec in self:
            if rec.task_state == "done":
                continue
            if rec.next_date:
                values = rec._prepare_task_activity()
                if rec.task_activity_id:
                    rec.task_activity_id.write(values)
                    state_vals = {}
                else:
                    activity = self.env["mail.activity"].create(values)
                    state_vals = {"task_activity_id": activity.id}
                if rec.task_state != "pending":
                    state_vals["task_state"] = "pending"
                if state_vals:
                    super(CarteraFollowup, rec).write(state_vals)
            elif rec.task_state == "pending" or rec.task_activity_id:
                rec.task_activity_id.unlink()
                super(CarteraFollowup, rec).write({"task_state": "none"})

    @api.multi
    def _complete_previous_tasks(self):
        """A new follow-up of the same customer and document completes the
        tasks left by earlier ones that its recorder may see: their own,
        those of their customers (as salesperson), all as a manager. Asked
        as the recording user, never as superuser on their behalf: the
        record rules decide, for reading (the search) and for writing (the
        state of the task, and the activity, whose feedback and deletion
        Odoo allows to whoever may write its document). A follow-up dated
        in the future completes nothing: its date would reach tasks not
        yet due."""
        now = fields.Datetime.now()
        if not self.check_access_rights("write", raise_exception=False):
            return
        writable = self.env["ir.rule"]._compute_domain(self._name, "write")
        for rec in self:
            if rec.date > now:
                continue
            previous = self.search(expression.AND([[
                ("id", "!=", rec.id),
                ("state", "=", "open"),
                ("company_id", "=", rec.company_id.id),
                ("partner_id", "=", rec.partner_id.id),
                ("invoice_id", "=", rec.invoice_id.id),
                ("task_state", "=", "pending"),
                ("date", "<=", rec.date),
            ], writable or []]))
            if previous:
                previous._mark_task_done(_("Completed by follow-up %s.") % rec.name)

    @api.multi
    def _mark_task_done(self, feedback=False):
        activities = self.mapped("task_activity_id")
        super(CarteraFollowup, self).write({"task_state": "done"})
        if activities:
            activities.with_context(
                cartera_skip_task_done=True).action_feedback(feedback=feedback)

    @api.multi
    def _mark_task_done_from_activity(self):
        super(CarteraFollowup, self).write({"task_state": "done"})

    # ------------------------------------------------------------------
    # Daily digest of pending tasks
    # ------------------------------------------------------------------
    @api.model
    def _pending_tasks_by_user(self):
        """Tasks due today or overdue, per responsible user, each user's
        "today" being taken in their own time zone."""
        # No time zone is more than a day ahead of UTC.
        tomorrow = fields.Date.from_string(fields.Date.today()) + timedelta(1)
        tasks = self.sudo().search(
            [("state", "=", "open"), ("task_state", "=", "pending"),
             ("next_date", "<=", fields.Date.to_string(tomorrow))],
            order="responsible_id, next_date, id")
        by_user = defaultdict(lambda: self.browse())
        for task in tasks:
            today = fields.Date.context_today(
                task.with_context(tz=task.responsible_id.tz))
            if task.next_date <= today:
                by_user[task.responsible_id] |= task
        return by_user

    @api.model
    def _cron_notify_pending_tasks(self):
        if not self._claim_todays_digest():
            return True
        template = "cartera_seguimiento.cartera_followup_task_digest"
        tasks_by_user = self._pending_tasks_by_user()
        promises_by_user = self.env["cartera.promise"]._failed_by_user()
        for user in set(tasks_by_user) | set(promises_by_user):
            tasks = tasks_by_user.get(user, self.browse())
            promises = promises_by_user.get(
                user, self.env["cartera.promise"].browse())
            lang = user.lang or "en_US"
            today = fields.Date.context_today(self.with_context(tz=user.tz))
            body = self.env["ir.qweb"].with_context(lang=lang).render(
                template, {"user": user, "tasks": tasks.with_context(lang=lang),
                           "promises": promises.with_context(lang=lang),
                           "today": today})
            subject = self.with_context(lang=lang)._digest_subject(
                len(tasks) + len(promises))
            self._post_digest(user, body, subject)
        return True

    @api.model
    def _post_digest(self, user, body, subject):
        """Send ``user`` their digest as a private message: a message of no
        document, whose only recipient is their partner. Odoo 11 lets only
        the author, the recipients (and the superuser) read such a message
        (mail.message ``_search`` and ``check_access_rule``), where a note
        on their partner was read by every employee. Notified to their
        partner, it lands in their inbox (needaction) and is e-mailed if
        that is their setting, even when they are the author (the cron's
        user)."""
        kwargs = {}
        if not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return self.env["mail.thread"].with_context(
            mail_notify_author=True).message_post(
                body=body, subject=subject, partner_ids=[user.partner_id.id],
                message_type="notification", subtype="mail.mt_comment",
                **kwargs)

    @api.model
    def _claim_todays_digest(self):
        """Whether this transaction sends today's digest: False when another
        one is sending it or has sent it. Several Odoo servers on one
        database may run it at the same moment: ir.cron locks its job for
        its own workers, but "Run Manually" and RPC callers of
        ``method_direct_trigger`` go around that lock. One system parameter,
        locked without waiting, keeps the date of the last digest; the claim
        commits or rolls back with the messages."""
        today = fields.Date.today()
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute(
                    """INSERT INTO ir_config_parameter
                           (key, value, create_uid, create_date, write_uid,
                            write_date)
                       VALUES (%s, '', %s, now() at time zone 'UTC', %s,
                               now() at time zone 'UTC')
                       ON CONFLICT (key) DO NOTHING""",
                    (DIGEST_DATE_KEY, self.env.uid, self.env.uid),
                    log_exceptions=False)
                cr.execute(
                    """SELECT value FROM ir_config_parameter WHERE key = %s
                       FOR UPDATE NOWAIT""", (DIGEST_DATE_KEY,),
                    log_exceptions=False)
                if cr.fetchone()[0] == today:
                    return False
                cr.execute(
                    """UPDATE ir_config_parameter
                          SET value = %s, write_uid = %s,
                              write_date = now() at time zone 'UTC'
                        WHERE key = %s""",
                    (today, self.env.uid, DIGEST_DATE_KEY))
        except psycopg2.OperationalError as error:
            # Locked by a digest under way, or changed by one committed
            # since this transaction began: that one sends it.
            if not claim_taken(error):
                raise
            return False
        return True

    @api.model
    def _digest_subject(self, count):
        return _("Receivable follow-up: %d pending task(s)") % count

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def _followup_stats(self, group_field, ids):
        """Count, last date and next pending task date of the follow-ups the
        current user may read, grouped by ``group_field``, in one query."""
        if not ids or not self.check_access_rights(
                "read", raise_exception=False):
            return {}
        query = self._where_calc([(group_field, "in", list(ids)),
                                  ("state", "=", "open")])
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        column = '"%s"."%s"' % (self._table, group_field)
        # group_field is one of our own column names, never user input.
        self._cr.execute(  # pylint: disable=sql-injection
            """SELECT {col}, count(*), max("{tbl}".date),
                      min("{tbl}".next_date)
                          FILTER (WHERE "{tbl}".task_state = 'pending')
                 FROM {frm} WHERE {where} GROUP BY {col}""".format(
                col=column, tbl=self._table, frm=from_clause,
                where=where_clause or "TRUE"), params)
        return {
            key: {"count": count, "last_date": last_date,
                  "next_date": next_date}
            for key, count, last_date, next_date in self._cr.fetchall()
        }

    @api.model
    def _action_for_document(self, record, field_name):
        action = self.env.ref(
            "cartera_seguimiento.cartera_followup_action").read()[0]
        action["domain"] = [(field_name, "=", record.id)]
        action["context"] = {"default_%s" % field_name: record.id}
        return action

    @api.model
    def _action_new(self, defaults):
        return {
            "type": "ir.actions.act_window",
            "name": _("New Follow-up"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(self.env.ref(
                "cartera_seguimiento.cartera_followup_view_form").id, "form")],
            "target": "current",
            "context": dict(defaults),
        }

    @api.multi
    def action_mark_task_done(self):
        self.filtered(lambda r: r.task_state == "pending")._mark_task_done()
        return True
