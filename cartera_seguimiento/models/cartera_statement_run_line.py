# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's line of a statement run (see cartera_statement_run.py): its
fields, its states and its attempts.

A batch that cannot be rendered (an unexpected error, a statement timeout,
a worker killed by its time or memory limit) does not stop the queue: each
line counts its attempts, committed before its rendering, and a line tried
``MAX_ATTEMPTS`` times fails with its error; a line tried before is tried
alone, so that one customer who cannot be printed fails by himself."""
import logging

from odoo import _, api, fields, models

from ..tools import sql as tools_sql

_logger = logging.getLogger(__name__)

LINE_STATES = [
    ("pending", "Pending"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped (no e-mail)"),
]
# Renderings of a statement before its line fails for good.
MAX_ATTEMPTS = 3


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
        """The language this line's statement and mail are written in."""
        return self.partner_id.lang or self.run_id.user_id.lang or "en_US"
