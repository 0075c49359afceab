# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up: fields, create/write with the values the addon derives,
onchanges, local day. Its rules, next task and seal: cartera_followup_*.py."""
from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import dates, mail as mail_values, values

# A note is typed by a collector: anything longer is a pasted file or an
# attack, and would bloat every list and report that prints it.
NOTE_MAX_LENGTH = 10000

# The values the addon derives, which the forms show read-only. One rule
# each, for every caller (forms, other modules, RPC, imports):
# - IGNORED_ON_CREATE: a caller's value (or a default_ key of its context)
#   is ignored on create: the sequence names the follow-up, it is born
#   open without task (_sync_next_task gives it one), and the related
#   values follow the company and the closing. An explicit write of any of
#   them is refused (REFUSED_ON_WRITE); the methods that own them write
#   with _write_derived (_sync_next_task, _mark_task_done), the closings
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
    # agenda's promises of open follow-ups).
    ("cartera_followup_open_state_idx",
     "(state, date, id) WHERE state = 'open'"),
    ("cartera_followup_pending_task_idx",
     "(next_date) WHERE state = 'open' AND task_state = 'pending'"),
    ("cartera_followup_task_activity_idx",
     "(task_activity_id) WHERE task_activity_id IS NOT NULL"),
    # A dozen salespeople and collectors: a full index of so few keys
    # serves no search of closed follow-ups (the planner reads the date
    # index or the table), yet each entry a closing writes into one costs
    # more than in any other. Open follow-ups, the capture list's and the
    # tasks', keep them.
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
    # Not summed when grouped: a customer's document counts once per
    # follow-up, in the document's currency.
    amount_due = fields.Monetary(
        string="Amount Due at Capture", readonly=True,
        currency_field="invoice_currency_id", group_operator=False,
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
    # table per activity.
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
    def _write_derived(self, vals):
        """Write values the addon derives (REFUSED_ON_WRITE) below the
        guard of write(): for the methods that own them, such as the next
        task's state. Private, so out of reach of RPC."""
        return super(CarteraFollowup, self).write(vals)

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, *args, **kwargs):
        self._check_not_sealed("post")
        # Collectors often have no e-mail address of their own; the chatter
        # log of their follow-ups must not depend on one.
        if not kwargs.get("email_from") and not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return super(CarteraFollowup, self).message_post(*args, **kwargs)

    @api.depends("promise_ids.amount", "promise_ids.date")
    def _compute_promise(self):
        for rec in self:
            promises = rec.promise_ids
            # A slice of a recordset forgets its prefetch: each follow-up
            # of a list page would read its promise alone, through the
            # promises' record rule.
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
