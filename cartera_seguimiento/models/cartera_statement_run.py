# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending statements of account to many customers, outside the request.

The wizard records a run with one line per customer and returns at once.
A cron renders the pending lines in batches, as the run's user (their scope
and their name as author), and puts one mail.mail per customer into Odoo's
mail queue; Odoo's mail queue cron sends them. A line's state follows its
mail: queued, then sent or failed.

Nothing is sent twice: a line gets its mail in the same transaction that
marks it queued, so a batch interrupted half-way leaves its lines pending
(and no mail), and a line that has a mail is never rendered again; a run is
processed by one worker at a time (row lock, as OCA's credit control does).

A batch that cannot be rendered (an unexpected error, a statement timeout,
a worker killed by its time or memory limit) does not stop the queue: each
line counts its attempts, committed before its rendering, and a line tried
``MAX_ATTEMPTS`` times fails with its error; a line tried before is tried
alone, so that one customer who cannot be printed fails by himself.

A statement goes to its customer and nobody else (their contacts marked
for statements, else their invoice address: ``_cartera_statement_recipients``
of res.partner), whatever the template says, and Odoo's mail queue checks
it again before sending (models/cartera_statement_mail.py). Its copy (the
message and the PDF) is private to its sender until it is sent, then filed
on the follow-up that records it, whose record rules say who reads it.

Runs and their lines are the addon's bookkeeping: users read them (their
own, or all for a manager) and nobody writes them; the methods check the
caller's right and then act as superuser.
"""
import base64
import logging
import threading
import time

import psycopg2
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import TestCursor
from odoo.tools import config
from odoo.tools.misc import format_date

from ..reports.pdf_split import split_by_outline
from ..tools import ids as id_checks
from ..tools import mail as mail_values, sql as tools_sql

from .cartera_statement_mail import STATEMENT_FOLLOWUP_KEY
from .locks import claim_taken, wake_cron
from .system_parameters import int_parameter

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("queued", "Queued"),
    ("running", "Rendering"),
    ("sending", "Sending"),
    ("done", "Finished"),
    ("failed", "Finished with Failures"),
]
LINE_STATES = [
    ("pending", "Pending"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped (no e-mail)"),
]
# Statements rendered per transaction; a system parameter overrides it.
BATCH_SIZE_KEY = "cartera_seguimiento.statement_batch_size"
DEFAULT_BATCH_SIZE = 20
# A cron call stops starting batches after this many seconds, well inside
# Odoo's default limit_time_real (120 s); the next call goes on.
TIME_BUDGET = 60
REPORT_XMLID = "cartera_seguimiento.cartera_statement_report"
CRON_XMLID = "cartera_seguimiento.cartera_statement_run_cron"
MAIL_QUEUE_CRON_XMLID = "mail.ir_cron_mail_scheduler_action"
# Renderings of a statement before its line fails for good.
MAX_ATTEMPTS = 3


class CarteraStatementRun(models.Model):
    _name = "cartera.statement.run"
    _description = "Statement Sending Run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    # Users read runs and write none (ir.model.access): whoever reads a run
    # may write in its chatter.
    _mail_post_access = "read"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    user_id = fields.Many2one(
        "res.users", string="Sent By", required=True, readonly=True,
        index=True, default=lambda self: self.env.user, ondelete="restrict",
        help="The statements are rendered as this user and the follow-ups "
             "recorded in their name.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    date_at = fields.Date(string="As of", required=True, readonly=True)
    date_from = fields.Date(string="Movement From", readonly=True)
    date_to = fields.Date(string="Movement To", readonly=True)
    template_id = fields.Many2one(
        "mail.template", string="E-mail Template", required=True,
        readonly=True, ondelete="restrict")
    state = fields.Selection(
        RUN_STATES, string="Status", required=True, readonly=True,
        default="queued", index=True, track_visibility="onchange")
    line_ids = fields.One2many(
        "cartera.statement.run.line", "run_id", string="Customers",
        readonly=True)
    count_total = fields.Integer(string="Customers",
                                 compute="_compute_counts")
    count_pending = fields.Integer(string="Pending",
                                   compute="_compute_counts")
    count_queued = fields.Integer(string="Queued", compute="_compute_counts")
    count_sent = fields.Integer(string="Sent", compute="_compute_counts")
    count_failed = fields.Integer(string="Failed", compute="_compute_counts")
    count_skipped = fields.Integer(string="Skipped",
                                   compute="_compute_counts")
    progress = fields.Float(
        string="Progress (%)", compute="_compute_counts",
        help="Customers whose statement was sent, failed or skipped.")

    @api.multi
    def _compute_counts(self):
        groups = self.env["cartera.statement.run.line"].read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"],
            ["run_id", "state"], lazy=False)
        counts = {}
        for group in groups:
            counts.setdefault(group["run_id"][0], {})[group["state"]] = \
                group["__count"]
        for run in self:
            mine = counts.get(run.id, {})
            run.count_pending = mine.get("pending", 0)
            run.count_queued = mine.get("queued", 0)
            run.count_sent = mine.get("sent", 0)
            run.count_failed = mine.get("failed", 0)
            run.count_skipped = mine.get("skipped", 0)
            run.count_total = sum(mine.values())
            finished = run.count_sent + run.count_failed + run.count_skipped
            run.progress = run.count_total and (
                100.0 * finished / run.count_total) or 0.0

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "cartera.statement.run") or "/"
        return super(CarteraStatementRun, self.with_context(
            mail_create_nolog=True)).create(vals)

    # ------------------------------------------------------------------
    # Queueing (the wizard's request: no rendering, no mail)
    # ------------------------------------------------------------------
    @api.model
    def _prepare_run_values(self, date_at, date_from=False, date_to=False,
                            template=None):
        return {
            "date_at": date_at,
            "date_from": date_from or False,
            "date_to": date_to or False,
            "template_id": (template or self._default_template()).id,
        }

    @api.model
    def _default_template(self):
        template = self.env.ref(
            "cartera_seguimiento.cartera_statement_mail_template",
            raise_if_not_found=False)
        if not template:
            raise UserError(_(
                "The e-mail template of the statements of account was "
                "deleted: update the addon to create it again."))
        return template

    @api.model
    def _queue(self, partners, date_at, date_from=False, date_to=False):
        """A new run for ``partners`` (commercial partners the user may
        see): one line each, pending, or skipped when the customer has no
        e-mail address. Returns the run; the cron does the rest."""
        self.env["cartera.ar.report"]._check_statement_partners(partners.ids)
        user = self.env.user
        # The user may send these statements (checked above); the run is
        # the addon's record of it, which users do not write (no create or
        # write access): created as superuser, in the user's name, the
        # user following it.
        values = dict(self._prepare_run_values(date_at, date_from, date_to),
                      user_id=user.id, company_id=user.company_id.id)
        run = self.sudo().with_context(
            mail_create_nosubscribe=True).create(values)
        run.message_subscribe(partner_ids=user.partner_id.ids)
        run = run.sudo(user)
        # Only the addresses are read: reading every field of thousands
        # of customers takes seconds.
        recipients = partners._cartera_statement_recipients()
        rows = []
        for partner_id in partners.ids:
            emails = ", ".join(email for _pid, email in recipients[partner_id])
            rows.append((partner_id, emails or None,
                         "pending" if emails else "skipped"))
        # One statement for thousands of customers: the lines are plain
        # bookkeeping rows, no ORM create (and its queries) for each. The
        # arrays are typed: NULLs alone (nobody has an address) have no
        # type PostgreSQL can guess.
        self.env.cr.execute(sql.SQL("""
            INSERT INTO cartera_statement_run_line
                (run_id, partner_id, email, state, attempts, create_uid,
                 create_date, write_uid, write_date)
            SELECT %(run_id)s, r.partner_id, r.email, r.state, 0, %(uid)s,
                   now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM unnest(%(partner_ids)s::integer[],
                          %(emails)s::varchar[], %(states)s::varchar[])
                   AS r (partner_id, email, state)
        """).as_string(self.env.cr._obj), {
            "run_id": run.id, "uid": self.env.uid,
            "partner_ids": [row[0] for row in rows],
            "emails": [row[1] for row in rows],
            "states": [row[2] for row in rows],
        })
        run.invalidate_cache()
        run._post(_(
            "Statements of account as of %s queued for %d customer(s), "
            "%d without an e-mail address skipped.") % (
            format_date(self.env, run.date_at), len(rows),
            len([row for row in rows if row[2] == "skipped"])))
        # A run with nobody to send to (every customer skipped) is
        # finished at once, not left queued for the cron to notice.
        run.sudo()._update_state()
        if run.state == "queued":
            run._wake_cron(CRON_XMLID)
        return run

    @api.model
    def _wake_cron(self, xmlid):
        wake_cron(self.env, xmlid)

    # ------------------------------------------------------------------
    # Processing (the cron)
    # ------------------------------------------------------------------
    @api.model
    def _cron_process(self, time_budget=TIME_BUDGET):
        """Render and queue the pending statements of every open run, then
        follow the mails' outcome. Called by the cron every minute."""
        deadline = time.time() + time_budget
        runs = self.sudo().search(
            [("state", "in", ("queued", "running", "sending"))],
            order="id")
        for run in runs:
            run._process(deadline)
        return True

    @api.multi
    def _lock(self):
        """Whether this transaction holds the run: another worker (or a
        "Run Manually") processing it keeps it, without waiting."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM cartera_statement_run WHERE id = %s "
                    "FOR UPDATE NOWAIT", (self.id,), log_exceptions=False)
        except psycopg2.OperationalError as error:
            if not claim_taken(error):
                raise
            return False
        return True

    @api.multi
    def _process(self, deadline):
        self.ensure_one()
        # Commit after each batch, as Odoo's mail queue commits after each
        # mail (and not in tests, as it does not): a batch's mails and its
        # lines' states are durable together, and a worker stopped later
        # loses only the batch under way, which the next call renders.
        auto_commit = not getattr(threading.currentThread(), "testing",
                                  False)
        batch_size = self._batch_size()
        while self._lock():
            lines = self._next_batch(batch_size)
            if not lines:
                break
            if self.state == "queued":
                self.state = "running"
            # The attempt is counted and committed before the rendering: a
            # worker killed while rendering (its time or memory limit)
            # leaves its lines pending with one attempt spent, and a batch
            # that kills every worker gives up instead of coming back
            # forever.
            lines._count_attempt()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                # The commit let the run go: another worker may have taken
                # it, and these lines, since.
                if not self._lock():
                    break
                lines = lines._still_pending()
                if not lines:
                    continue
            rendered = lines._render_batch(auto_commit)
            self._wake_cron(MAIL_QUEUE_CRON_XMLID)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # The batch's records (PDFs, mails) leave the cache: memory is
            # bounded by the batch, not by the customers of the run.
            self.invalidate_cache()
            # A batch that failed is tried again at the cron's next call,
            # not at once: other runs go on meanwhile.
            if not rendered or time.time() > deadline:
                break
        if self._lock():
            self._sync_mail_states()

    @api.multi
    def _next_batch(self, batch_size):
        """The next pending lines of this run to render. Those tried
        ``MAX_ATTEMPTS`` times already fail first, with their error; a
        line tried before (its batch failed, or its worker was killed) is
        tried alone, so that one customer who cannot be printed does not
        take the others of his batch with him."""
        self.ensure_one()
        Line = self.env["cartera.statement.run.line"]
        pending = [("run_id", "=", self.id), ("state", "=", "pending")]
        Line.search(pending + [("attempts", ">=", MAX_ATTEMPTS)])._give_up()
        lines = Line.search(pending, order="attempts desc, id",
                            limit=batch_size)
        return lines[:1] if lines[:1].attempts else lines

    @api.model
    def _batch_size(self):
        return int_parameter(self.env, BATCH_SIZE_KEY, DEFAULT_BATCH_SIZE,
                             minimum=1)

    @api.multi
    def _sync_mail_states(self):
        """Lines follow their mails: sent, or failed with the mail's
        reason; a mail deleted after sending (auto-delete set on the
        template) was sent. Then the run's state follows its lines."""
        for run in self:
            queued = run._lines("queued")
            sent = queued.filtered(
                lambda l: not l.mail_id or l.mail_id.state == "sent")
            failed = queued.filtered(
                lambda l: l.mail_id.state in ("exception", "cancel"))
            for line in failed:
                line.write({"state": "failed",
                            "error": line.mail_id.failure_reason or _(
                                "The mail server refused the message.")})
            if sent:
                sent.write({"state": "sent"})
                sent._record_followups()
            run._update_state()

    @api.multi
    def _lines(self, state):
        """This run's lines in ``state``, found rather than filtered: a
        run has thousands of lines."""
        self.ensure_one()
        return self.env["cartera.statement.run.line"].search(
            [("run_id", "=", self.id), ("state", "=", state)])

    @api.multi
    def _line_states(self):
        """The states of this run's lines, counted by the database."""
        self.ensure_one()
        groups = self.env["cartera.statement.run.line"].read_group(
            [("run_id", "=", self.id)], ["state"], ["state"])
        return {group["state"] for group in groups if group["state_count"]}

    @api.multi
    def _update_state(self):
        for run in self:
            states = run._line_states()
            if "pending" in states:
                state = "running" if run.state != "queued" else "queued"
            elif "queued" in states:
                state = "sending"
            elif "failed" in states:
                state = "failed"
            else:
                state = "done"
            if state != run.state:
                run.state = state
                if state in ("done", "failed"):
                    run.invalidate_cache()
                    run._post(_(
                        "Finished: %d sent, %d failed, %d skipped.") % (
                        run.count_sent, run.count_failed, run.count_skipped))

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def _check_caller(self):
        """The buttons are called over RPC with any ids: the caller must
        read these runs (their own, or a manager) before they act on them
        as superuser. Ids that are not ids get a clear error, not
        PostgreSQL's."""
        bad = [value for value in self._ids if not id_checks.is_id(value)]
        if bad:
            raise id_checks.value_error(self.env, _("Statement run"), bad[0])
        self.check_access_rights("read")
        self.check_access_rule("read")

    @api.multi
    def action_refresh(self):
        """Follow the mails sent since the cron's last call."""
        self._check_caller()
        self.sudo()._sync_mail_states()
        return True

    @api.multi
    def action_resume(self):
        """Try the failed customers again: a line whose mail failed gets
        that same mail back into the queue (never a second one); a line
        that failed before having a mail is rendered again, with its
        attempts counted anew."""
        self._check_caller()
        for run in self:
            failed = run.sudo()._lines("failed")
            with_mail = failed.filtered("mail_id")
            with_mail.mapped("mail_id").sudo().write({"state": "outgoing"})
            with_mail.write({"state": "queued", "error": False})
            (failed - with_mail).write({"state": "pending", "error": False,
                                        "attempts": 0})
            if failed:
                run._post(_(
                    "Resumed by %s: %d customer(s) tried again.") % (
                    self.env.user.name, len(failed)))
            run.sudo().state = "queued" if failed - with_mail else (
                "sending" if with_mail else run.state)
        self._wake_cron(CRON_XMLID)
        if self.sudo().mapped("line_ids").filtered(
                lambda l: l.state == "queued"):
            self._wake_cron(MAIL_QUEUE_CRON_XMLID)
        return True

    @api.multi
    def _post(self, body):
        """A line in the run's chatter, also from a collector without an
        e-mail address of their own."""
        email_from = None
        if not self.env.user.email:
            email_from = mail_values.default_sender(self.env)
        for run in self:
            run.message_post(body=body, email_from=email_from,
                             subtype="mail.mt_note")

    @api.multi
    def _report_data(self):
        """The ``data`` of the statement report for this run's print."""
        self.ensure_one()
        return {
            "date_at": self.date_at,
            "date_from": self.date_from or False,
            "date_to": self.date_to or False,
        }


class CarteraStatementRunLine(models.Model):
    _name = "cartera.statement.run.line"
    _description = "Statement Sending Run Line"
    _order = "run_id, id"
    _rec_name = "partner_id"

    run_id = fields.Many2one(
        "cartera.statement.run", string="Run", required=True, index=True,
        ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        ondelete="cascade", readonly=True)
    email = fields.Char(string="E-mail", readonly=True)
    state = fields.Selection(
        LINE_STATES, string="Status", required=True, default="pending",
        readonly=True, index=True)
    currency_id = fields.Many2one(
        related="run_id.currency_id", string="Currency", readonly=True)
    amount_total = fields.Monetary(string="Total Due", readonly=True)
    mail_id = fields.Many2one(
        "mail.mail", string="E-mail", readonly=True, ondelete="set null",
        index=True)
    message_id = fields.Many2one(
        "mail.message", string="Message", readonly=True, ondelete="set null")
    followup_id = fields.Many2one(
        "cartera.followup", string="Follow-up", readonly=True,
        ondelete="set null")
    error = fields.Text(readonly=True)
    attempts = fields.Integer(
        readonly=True, copy=False,
        help="Renderings of this statement begun; after %d, it fails "
             "with its error." % MAX_ATTEMPTS)

    # ------------------------------------------------------------------
    # Attempts: a poisoned batch does not stop the queue
    # ------------------------------------------------------------------
    @api.multi
    def _count_attempt(self):
        """One more attempt for these lines, in one statement."""
        tools_sql.count_attempt(self, "attempts")

    @api.multi
    def _still_pending(self):
        """Those of these lines still pending (another worker may have
        rendered them while this one waited)."""
        self.invalidate_cache(["state"])
        return self.filtered(lambda line: line.state == "pending")

    @api.multi
    def _render_batch(self, auto_commit):
        """Render and queue these lines; whether it went through. An
        error no line caught (a statement timeout, a bug, a customer whose
        rendering breaks the transaction) undoes the batch's work and is
        written on its lines, which fail once they have been tried
        ``MAX_ATTEMPTS`` times. Outside tests the batch's work is undone
        by a rollback to the commit of its attempts, not by a savepoint:
        the first print after an update commits the report's assets
        (commit_assetsbundle), which ends any savepoint; in tests nothing
        commits and a savepoint stands in for it."""
        try:
            if auto_commit:
                self._render_and_queue()
            else:
                with self.env.cr.savepoint():
                    self._render_and_queue()
        except Exception as error:  # pylint: disable=broad-except
            if auto_commit:
                self.env.cr.rollback()
                self.env.clear()
            _logger.exception("Statements of partners %s of run %s could "
                              "not be rendered",
                              self.mapped("partner_id").ids,
                              self.mapped("run_id").ids)
            self._attempt_failed(error)
            return False
        return True

    @api.multi
    def _attempt_failed(self, error):
        """The error of a failed attempt on these lines: kept for the next
        attempt, or the line's failure after the last one."""
        message = getattr(error, "name", None) or str(error) or \
            error.__class__.__name__
        for line in self.sudo():
            if line.attempts >= MAX_ATTEMPTS:
                line._give_up(message)
            else:
                line.error = message

    @api.multi
    def _give_up(self, error=None):
        """These pending lines were tried ``MAX_ATTEMPTS`` times: they
        fail, with the last error (none when the worker was killed)."""
        for line in self.sudo():
            reason = error or line.error or _(
                "the worker stopped while rendering it (a time or memory "
                "limit)")
            line.write({"state": "failed", "error": _(
                "Given up after %d attempts: %s") % (line.attempts, reason)})
            _logger.error("Statement of partner %s of run %s given up "
                          "after %d attempts: %s", line.partner_id.id,
                          line.run_id.id, line.attempts, reason)

    # ------------------------------------------------------------------
    # Rendering and queueing
    # ------------------------------------------------------------------
    @api.multi
    def _render_and_queue(self):
        """Render the statements of these pending lines (one run) as the
        run's user and put their mails into Odoo's queue, each to its
        customer's statement addresses alone (skipped when it has none
        any more)."""
        run = self.mapped("run_id")
        run.ensure_one()
        env_user = self.with_env(self.env(user=run.user_id.id))
        recipients = env_user.mapped(
            "partner_id")._cartera_statement_recipients()
        nobody = self.filtered(lambda l: not recipients[l.partner_id.id])
        if nobody:
            nobody.sudo().write({"state": "skipped", "email": False})
        self -= nobody
        env_user -= nobody
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                totals = {row["partner_id"]: row["total"] for row in
                          env_user.env["cartera.ar.report"].aging(
                              run.date_at, 30, self.mapped("partner_id").ids)}
        except (AccessError, UserError) as error:
            # The sender lost their rights since: the batch fails, said
            # why, instead of the cron failing on it every minute.
            self._fail(error)
            return
        # The rendering is outside any savepoint: the first print after
        # an update builds Odoo's report asset bundles and commits them
        # (commit_assetsbundle), which ends any savepoint.
        pdfs = env_user._render_pdfs()
        for line in env_user:
            # One customer's failure (no access any more, a template
            # error) must not stop the others: the line says why.
            pdf = pdfs[line.id]
            if isinstance(pdf, Exception):
                line._fail(pdf)
                continue
            try:
                with self.env.cr.savepoint():
                    line._queue_mail(pdf, totals.get(line.partner_id.id, 0.0),
                                     recipients[line.partner_id.id])
            except Exception as error:  # pylint: disable=broad-except
                line._fail(error)

    @api.multi
    def _fail(self, error):
        _logger.warning("Statements of partners %s of run %s failed: %s",
                        self.mapped("partner_id").ids,
                        self.mapped("run_id").ids, error)
        self.sudo().write({
            "state": "failed",
            "error": getattr(error, "name", None) or str(error)})

    @api.multi
    def _lang(self):
        return self.partner_id.lang or self.run_id.user_id.lang or "en_US"

    @api.multi
    def _render_pdfs(self):
        """{line id: its statement, or the exception that stopped it}, as
        the current (the run's) user. The lines of one language are
        printed by one wkhtmltopdf call, whose start-up (about half a
        second) otherwise dominates a one-page statement; when that call
        fails or cannot be split, each line is printed alone, so that a
        customer who cannot be printed fails on its own."""
        pdfs = {}
        by_lang = {}
        for line in self:
            by_lang.setdefault(line._lang(), []).append(line.id)
        for lang, ids in sorted(by_lang.items()):
            lines = self.browse(ids)
            batch = lines._render_pdf_batch(lang) if len(lines) > 1 \
                else None
            if batch:
                pdfs.update(zip(lines.ids, batch))
                continue
            for line in lines:
                try:
                    pdfs[line.id] = line._render_pdf()
                except Exception as error:  # pylint: disable=broad-except
                    pdfs[line.id] = error
        return pdfs

    @api.multi
    def _render_pdf_batch(self, lang):
        """The statements of these lines (one run, customers printed in
        ``lang``), in their order, from one wkhtmltopdf call split by its
        outline; None when they cannot be printed together.

        The steps of ``render_qweb_pdf`` are called one by one because
        its result is rebuilt page by page (``_post_pdf``), without the
        outline that tells where each customer starts. Where it renders
        HTML instead (tests, no wkhtmltopdf), so does this, one by one."""
        if config["test_enable"] or isinstance(self.env.cr, TestCursor):
            return None
        # The context render_qweb_pdf gives its steps (outside tests).
        report = self.env.ref(REPORT_XMLID).with_context(
            lang=lang, debug=False, commit_assetsbundle=True)
        if report.get_wkhtmltopdf_state() == "install":
            return None
        partners = self.mapped("partner_id")
        if len(partners) != len(self):
            return None
        try:
            html = report.render_qweb_html(
                partners.ids, data=self.mapped("run_id")._report_data())[0]
            bodies, _ids, header, footer, paper_args = report._prepare_html(
                html.decode("utf-8"))
            if len(bodies) != len(self):
                return None
            pdf = report._run_wkhtmltopdf(
                bodies, header=header, footer=footer,
                specific_paperformat_args=paper_args)
        except Exception as error:  # pylint: disable=broad-except
            _logger.info("Statements of partners %s printed one by one: %s",
                         partners.ids, error)
            return None
        documents = split_by_outline(pdf, len(self))
        if documents is None:
            _logger.warning(
                "The statements of partners %s could not be split by their "
                "outline (a layout with headings of its own?): printed one "
                "by one.", partners.ids)
        return documents

    @api.multi
    def _render_pdf(self):
        """This line's statement, as the current (the run's) user."""
        self.ensure_one()
        report = self.env.ref(REPORT_XMLID)
        pdf = report.with_context(lang=self._lang()).render_qweb_pdf(
            self.partner_id.ids, data=self.run_id._report_data())
        # (content, format); in tests the HTML, alone under a TestCursor.
        return pdf[0] if isinstance(pdf, tuple) else pdf

    @api.multi
    def _queue_mail(self, pdf, total, recipients):
        """Queue this line's mail with its statement attached, to
        ``recipients`` ([(partner id, e-mail)]) alone."""
        self.ensure_one()
        run = self.run_id
        partner = self.partner_id
        lang = self._lang()
        filename = "%s.pdf" % partner.with_context(
            lang=lang)._cartera_statement_file_name(run.date_at)
        mail = self._create_mail(self._prepare_mail_values(
            total, lang, recipients))
        attachment = self.env["ir.attachment"].sudo().create({
            "name": filename, "datas_fname": filename, "type": "binary",
            "datas": base64.b64encode(pdf), "res_model": "mail.message",
            "res_id": mail.mail_message_id.id})
        mail.write({"attachment_ids": [(4, attachment.id)]})
        self.sudo().write({
            "state": "queued",
            "email": ", ".join(email for _pid, email in recipients),
            "amount_total": total,
            "mail_id": mail.id,
            "message_id": mail.mail_message_id.id,
            "error": False,
        })

    @api.multi
    def _prepare_mail_values(self, total, lang, recipients):
        """The mail.mail of this line's statement: the run's template's
        subject, body and sender rendered for the customer as the current
        (the run's) user, who is its author; its recipients are
        ``recipients`` ([(partner id, e-mail)], the customer's statement
        addresses) and nobody else: the template's To, Cc, partners and
        reply-to are not read, whatever an employee typed there.

        The message is filed under no document (a private message: its
        author and, once sent, the follow-up that records it read it): the
        customer's chatter is read by every employee. Never deleted after
        sending: it is the follow-up's copy."""
        self.ensure_one()
        template = self.run_id.template_id.with_context(
            **self._prepare_template_context(total, lang))
        values = template.generate_email(
            self.partner_id.id, fields=["subject", "body_html", "email_from"])
        email_from = values.get("email_from")
        if not email_from:
            raise UserError(_(
                "Neither %s nor the company has an e-mail address to send "
                "the statements from.") % self.env.user.name)
        return dict(
            self._recipient_values(recipients, email_from),
            subject=values.get("subject"),
            body_html=values.get("body_html"),
            body=values.get("body"),
            email_from=email_from,
            author_id=self.env.user.partner_id.id,
            mail_server_id=values.get("mail_server_id") or False,
            attachment_ids=[(6, 0, values.get("attachment_ids") or [])],
            auto_delete=False,
            model=False,
            res_id=False,
            message_type="email",
        )

    @api.model
    def _recipient_values(self, recipients, email_from):
        """The values of a statement's mail that say who receives it: its
        customer's ``recipients`` alone, replies to its sender."""
        return {
            "recipient_ids": [(6, 0, [pid for pid, _email in recipients])],
            "email_to": False,
            "email_cc": False,
            "reply_to": email_from,
            "headers": False,
        }

    @api.multi
    def _create_mail(self, values):
        """The mail in Odoo's queue, created as superuser: mail.mail is
        the administrators' model; the template was rendered as the
        collector."""
        return self.env["mail.mail"].sudo().create(values)

    @api.model
    def _check_mail_recipients(self, mails):
        """Before Odoo's mail queue sends ``mails``: those of statements
        still to send go to their customer's statement addresses alone, as
        they are now; anything else written on them since they were
        queued (a Cc, a To, a reply-to, headers) is dropped, and a mail
        whose customer has no address any more is not sent."""
        lines = self.search([("mail_id", "in", mails.ids)])
        lines = lines.filtered(lambda l: l.mail_id.state == "outgoing")
        if not lines:
            return
        recipients = lines.mapped(
            "partner_id")._cartera_statement_recipients()
        for line in lines:
            mail = line.mail_id
            allowed = recipients[line.partner_id.id]
            if not allowed:
                mail.write({"state": "exception", "failure_reason": _(
                    "The customer has no e-mail address for statements.")})
                continue
            wanted = self._recipient_values(allowed, mail.email_from)
            if (set(mail.recipient_ids.ids) != set(
                    wanted["recipient_ids"][0][2])
                    or mail.email_to or mail.email_cc or mail.headers
                    or mail.reply_to != mail.email_from):
                _logger.warning(
                    "The statement mail %s to partner %s was sent to %s, "
                    "copied to %s: reset to the customer's addresses %s.",
                    mail.id, line.partner_id.id,
                    mail.recipient_ids.ids or mail.email_to, mail.email_cc,
                    [email for _pid, email in allowed])
                mail.write(wanted)

    @api.multi
    def _prepare_template_context(self, total, lang):
        """What the template reads from ``ctx``: the as-of date and the
        total due, written as the customer's language writes them."""
        run = self.run_id
        money = self.env["cartera.report.qweb"]._amount_formatter(lang)
        return {
            "lang": lang,
            "cartera_statement_date": format_date(
                self.env, run.date_at, lang_code=lang),
            "cartera_statement_total": "%s %s" % (
                run.currency_id.name, money(total)),
        }

    @api.multi
    def _record_followups(self):
        """A follow-up of the e-mail type for each statement sent, in the
        name of the user who sent it and in their language, with the
        statement's copy (the message and its PDF) filed on it: whoever
        may see the follow-up (its collector, the customer's salesperson,
        a manager) reads it, nobody else. It completes nobody's task."""
        email_type = self.env["cartera.followup.type"]._email_type()
        if not email_type:
            return
        for line in self:
            user = line.run_id.user_id
            try:
                with self.env.cr.savepoint():
                    followup = self.env["cartera.followup"].sudo(
                        user).with_context(**{
                            STATEMENT_FOLLOWUP_KEY: True}).create(
                        line.with_context(
                            lang=user.lang)._prepare_followup_values(
                            email_type))
                    line._file_copy(followup)
            except Exception as error:  # pylint: disable=broad-except
                # The statement was sent all the same: the line keeps it,
                # with why no follow-up records it (an unexpected error
                # too: the next refresh must not stop on it).
                if not isinstance(error, (AccessError, UserError,
                                          ValidationError)):
                    _logger.exception("No follow-up for the statement of "
                                      "line %s", line.id)
                line.sudo().error = getattr(error, "name", None) or str(
                    error)
                continue
            line.sudo().followup_id = followup

    @api.multi
    def _file_copy(self, followup):
        """File this line's sent message and its PDF on ``followup``:
        until then they were private to their sender."""
        self.ensure_one()
        message = self.sudo().message_id
        if not message:
            return
        message.write({"model": followup._name, "res_id": followup.id,
                       "record_name": followup.name})
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "mail.message"),
            ("res_id", "=", message.id)]).write({
                "res_model": followup._name, "res_id": followup.id})

    @api.multi
    def _prepare_followup_values(self, followup_type):
        self.ensure_one()
        run = self.run_id
        money = self.env["cartera.report.qweb"]._amount_formatter(
            self._context.get("lang"))
        return {
            "partner_id": self.partner_id.id,
            "type_id": followup_type.id,
            "notes": _("Statement of account sent (as of %s): total due "
                       "%s %s.") % (format_date(self.env, run.date_at),
                                    run.currency_id.name,
                                    money(self.amount_total)),
        }
