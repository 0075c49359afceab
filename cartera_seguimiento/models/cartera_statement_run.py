# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending statements of account to many customers, outside the request:
the run.

The wizard records a run with one line per customer and returns at once.
A cron renders the pending lines in batches, as the run's user (their scope
and their name as author), and puts one mail.mail per customer into Odoo's
mail queue; Odoo's mail queue cron sends them. A line's state follows its
mail: queued, then sent or failed. Four files, one job each:

- this one: the run (its fields and states, the wizard's ``_queue``, the
  buttons, its chatter);
- cartera_statement_run_line.py: a customer's line (its fields, states and
  attempts);
- cartera_statement_render.py: the cron's batches of customers, rendered
  by language in one wkhtmltopdf call and split, else one by one;
- cartera_statement_send.py: the mails queued, their delivery followed
  (with mail_mail.py, the hooks of Odoo's mail queue), the follow-ups.

Nothing is sent twice: a line gets its mail in the same transaction that
marks it queued, so a batch interrupted half-way leaves its lines pending
(and no mail), and a line that has a mail is never rendered again; a run is
processed by one worker at a time (row lock, as OCA's credit control does).

A statement goes to its customer and nobody else (their contacts marked
for statements, else their invoice address: ``_cartera_statement_recipients``
of res.partner), whatever the template says, and Odoo's mail queue checks
it again before sending (models/mail_mail.py). Its copy (the message and
the PDF) is private to its sender until it is sent, then filed on the
follow-up that records it, whose record rules say who reads it.

Runs and their lines are the addon's bookkeeping: users read them (their
own, or all for a manager) and nobody writes them; the methods check the
caller's right and then act as superuser.
"""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..tools import ids as id_checks
from ..tools import mail as mail_values, sql as tools_sql

from .locks import wake_cron

RUN_STATES = [
    ("queued", "Queued"),
    ("running", "Rendering"),
    ("sending", "Sending"),
    ("done", "Finished"),
    ("failed", "Finished with Failures"),
]
CRON_XMLID = "cartera_seguimiento.cartera_statement_run_cron"
MAIL_QUEUE_CRON_XMLID = "mail.ir_cron_mail_scheduler_action"


class CarteraStatementRun(models.Model):
    _name = "cartera.statement.run"
    _description = "Statement Sending Run"
    _inherit = ["cartera.run.mixin", "mail.thread"]
    _order = "id desc"
    # Users read runs and write none (ir.model.access): whoever reads a run
    # may write in its chatter.
    _mail_post_access = "read"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    # user_id, company_id, currency_id: cartera.run.mixin.
    user_id = fields.Many2one(
        string="Sent By",
        help="The statements are rendered as this user and the follow-ups "
             "recorded in their name.")
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
        run._insert_lines(rows)
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

    @api.multi
    def _insert_lines(self, rows):
        """This run's lines, from ``rows`` [(partner id, e-mail or None,
        state)]."""
        self.ensure_one()
        # Raw: one statement for a run's thousands of customers, where the
        # ORM's create costs queries per line (the benchmark's wizard_s).
        audit = tools_sql.audit_values(self.env)
        # The arrays are typed: NULLs alone (nobody has an address) have
        # no type PostgreSQL can guess.
        query = sql.SQL("""
            INSERT INTO cartera_statement_run_line
                (run_id, partner_id, email, state, attempts, {columns})
            SELECT %(run_id)s, r.partner_id, r.email, r.state, 0, {values}
              FROM unnest(%(partner_ids)s::integer[],
                          %(emails)s::varchar[], %(states)s::varchar[])
                   AS r (partner_id, email, state)
        """).format(
            columns=sql.SQL(", ").join(map(sql.Identifier, audit)),
            values=sql.SQL(", ").join(audit.values()))
        self.env.cr.execute(query.as_string(self.env.cr._obj), {
            "run_id": self.id,
            "partner_ids": [row[0] for row in rows],
            "emails": [row[1] for row in rows],
            "states": [row[2] for row in rows],
        })
        self.invalidate_cache()

    @api.model
    def _wake_cron(self, xmlid):
        wake_cron(self.env, xmlid)

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------
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
