# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Collection runs: on a date, which open items reach which level.

``action_compute`` selects, in one statement over the open-items query, the
items that reach their next level that day and records one line per item;
``action_send`` (``cartera_dunning_send.py``) queues them for the sending
cron, which sends and records them. The daily cron computes and queues.

One run per company, user and day (a unique index): asking again for the
same day reopens that run, and computing it again adds nothing for the
items that already have their line of the day. Computing claims the run
(``locks.claim``, ``FOR UPDATE NOWAIT``): a second server or user on the
same run stops at once with a clear message. The compute is one statement
in the caller's transaction: a run killed half-way has no lines, and the
next call computes it whole.

Runs are the addon's bookkeeping: users read them (collectors their own,
managers all) and write none; the methods check the caller's right, then
act as superuser. A collector's run covers their customers only; a
manager's and the scheduled action's, the whole company.
"""
import logging

import psycopg2

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..tools import dates, ids as id_checks, mail as mail_values
from . import locks

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("draft", "Draft"),
    ("computed", "To Send"),
    ("sending", "Sending"),
    ("done", "Done"),
]
# Computing adds lines to a run not yet sent (again: only what is new).
COMPUTABLE = ("draft", "computed")
# Written by the run's methods alone (as superuser): refused from anyone
# else on create and write.
PROTECTED_FIELDS = ("name", "company_id", "user_id", "state", "line_ids")
CLAIM_RUN = ("SELECT id, state FROM cartera_dunning_run WHERE id = %s "
             "FOR UPDATE NOWAIT")


class CarteraDunningRun(models.Model):
    _name = "cartera.dunning.run"
    _description = "Collection Run"
    _inherit = ["cartera.run.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    date = fields.Date(
        string="Date", required=True, readonly=True, index=True,
        states={"draft": [("readonly", False)]},
        default=fields.Date.context_today)
    # user_id, company_id, currency_id: cartera.run.mixin.
    user_id = fields.Many2one(
        string="Run By",
        help="A collector's run covers their customers only; a manager's "
             "or the scheduled action's, every customer of the company.")
    state = fields.Selection(
        RUN_STATES, string="Status", required=True, readonly=True,
        default="draft", index=True, copy=False,
        track_visibility="onchange")
    line_ids = fields.One2many(
        "cartera.dunning.line", "run_id", string="Lines", readonly=True)

    _sql_constraints = [
        ("company_user_date_unique", "UNIQUE (company_id, user_id, date)",
         "There is already a collection run of this user for this day."),
    ]

    # ------------------------------------------------------------------
    # What users may not write (they have no create or write access: this
    # holds even if a module grants it)
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if self.env.uid != SUPERUSER_ID:
            if set(PROTECTED_FIELDS) & set(vals) or "date" in vals and \
                    vals["date"] != fields.Date.context_today(self):
                raise UserError(_(
                    "Collection runs are started by the collection run "
                    "wizard or the scheduled action."))
        vals = dict(vals)
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
                "cartera.dunning.run") or "/"
        return super(CarteraDunningRun, self.with_context(
            mail_create_nolog=True)).create(vals)

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID and \
                set(PROTECTED_FIELDS + ("date",)) & set(vals):
            raise UserError(_(
                "The date, company, user, status and lines of a collection "
                "run are set by its computation only."))
        return super(CarteraDunningRun, self).write(vals)

    # ------------------------------------------------------------------
    # Starting a run (the wizard, the scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _check_run_date(self, date):
        """``date`` checked (``tools.dates``) as the day of a run of the
        current user: not after their today; an earlier day for managers
        only (a line dated back would date back a prior notice of Ley
        1266, which counts from it)."""
        date = dates.check_date(self.env, date, _("Date"))
        if not date:
            raise UserError(_("Choose the day of the collection run."))
        today = fields.Date.context_today(self)
        if date > today:
            raise UserError(_(
                "A collection run cannot be dated after today (%s).")
                % format_date(self.env, today))
        if date < today and not self.env["cartera.scope"]._is_manager():
            raise UserError(_(
                "Only receivable managers can run the collection levels "
                "as of an earlier day."))
        return date

    @api.model
    def _start(self, date):
        """The current user's run of ``date`` in their company, created
        when there is none: a collector or a manager only."""
        self.env["cartera.scope"]._check_access()
        date = self._check_run_date(date)
        user = self.env.user
        # Checked above: the run is the addon's record, written as
        # superuser in the user's name.
        return self.sudo()._run_for(date, user.company_id, user).sudo(user)

    @api.model
    def _run_for(self, date, company, user):
        """The run of ``user`` for ``company`` on ``date`` (as superuser),
        created when there is none. Another transaction creating the same
        run at this moment wins: this one gets a clear error."""
        domain = [("company_id", "=", company.id), ("user_id", "=", user.id),
                  ("date", "=", date)]
        run = self.search(domain, limit=1)
        if run:
            return run
        try:
            with self.env.cr.savepoint():
                run = self.with_context(mail_create_nosubscribe=True).create(
                    {"date": date, "company_id": company.id,
                     "user_id": user.id})
        except psycopg2.IntegrityError:
            raise UserError(_(
                "Another collection run of %s for %s was started at this "
                "very moment: open it from the list of runs.") % (
                user.name, format_date(self.env, date)))
        run.message_subscribe(partner_ids=user.partner_id.ids)
        return run

    # ------------------------------------------------------------------
    # Computing
    # ------------------------------------------------------------------
    @api.multi
    def _check_caller(self):
        """The buttons are called over RPC with any ids: the caller must
        read these runs (a collector their own, a manager all of their
        company's) before they act on them as superuser."""
        bad = [value for value in self._ids if not id_checks.is_id(value)]
        if bad:
            raise id_checks.value_error(self.env, _("Collection run"), bad[0])
        self.env["cartera.scope"]._check_access()
        self.check_access_rights("read")
        # The record rules: a collector's own runs, a manager's company.
        self.check_access_rule("read")

    @api.multi
    def action_compute(self):
        """Record the lines of the items that reach a level on the run's
        date (``cartera.ar.report._dunning_compute``): those of the run's
        user's customers. Again on a computed run: only what is new."""
        self._check_caller()
        caller = self.env.user
        for run in self.sudo():
            run._compute(caller)
        return True

    @api.multi
    def _compute(self, caller=None):
        self.ensure_one()
        with locks.claim(self.env.cr, CLAIM_RUN, (self.id,)) as rows:
            if rows is None:
                raise UserError(_(
                    "The collection run %s is being computed or sent right "
                    "now (another user or server): try again in a "
                    "moment.") % self.name)
            if not rows or rows[0][1] not in COMPUTABLE:
                raise UserError(_(
                    "The collection run %s was already sent: there is one "
                    "run a day.") % self.name)
            count = self.env["cartera.ar.report"]._dunning_compute(self)
            self.state = "computed"
            self._post(_("Computed by %s: %d new line(s).") % (
                (caller or self.env.user).name, count), caller)
        return count

    @api.multi
    def _post(self, body, author=None):
        """A line in the run's chatter in the name of ``author`` (the
        caller), also of one without an e-mail address."""
        author = author or self.env.user
        for run in self:
            run.message_post(
                body=body, subtype="mail.mt_note",
                author_id=author.partner_id.id,
                email_from=author.email or mail_values.default_sender(
                    self.env))

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _company_today(self, company):
        """Today in the time zone of ``company``'s address (Odoo 11
        companies have none of their own; the agenda's today too), else
        UTC."""
        return fields.Date.context_today(self.with_context(
            tz=company.partner_id.tz or "UTC"))

    @api.model
    def _cron_run(self):
        """Daily: each company with a collection plan gets its run of
        today (its own local day), computed and queued for the sending
        cron (``_cron_send``), as the scheduled action's user (every
        customer). Its runs of earlier days left unsent (a server stopped
        while sending) are queued too. One
        company's failure does not stop the others."""
        Plan = self.env["cartera.dunning.plan"].sudo()
        user = self.env.user
        queued = False
        for company in self.env["res.company"].sudo().search([]):
            if not Plan.search_count([("company_id", "=", company.id)]):
                continue
            today = self._company_today(company)
            try:
                with self.env.cr.savepoint():
                    run = self.sudo()._run_for(today, company, user)
                    if run.state in COMPUTABLE:
                        run._compute()
                    unsent = self.sudo().search([
                        ("company_id", "=", company.id),
                        ("user_id", "=", user.id),
                        ("state", "in", ("computed", "sending")),
                        ("date", "<=", today)], order="date, id")
                    # Sent by the sending cron, in batches it commits
                    # (not inside this savepoint).
                    unsent.write({"send_queued": True})
                    queued = queued or bool(unsent)
            except UserError as error:
                # Another server has this company's run right now.
                _logger.info("Collection run of %s for %s skipped: %s",
                             company.name, today, error.name)
            except Exception:  # pylint: disable=broad-except
                # The others go on; the next call tries again.
                _logger.exception("Collection run of %s for %s failed",
                                  company.name, today)
        if queued:
            locks.wake_cron(self.env, "cartera_seguimiento."
                                      "cartera_dunning_send_cron")
        return True
