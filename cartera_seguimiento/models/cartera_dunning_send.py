# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending a collection run: ``action_send`` queues the run, the cron
(``_cron_send``) sends it.

The run's queued lines are sent customer by customer, in batches of
customers: ONE communication per customer and run, listing each of its
items at its level. The customer's levels decide the channel: an e-mail
(the template of the highest level that e-mails) when one of them e-mails
and the customer has an address for statements, a letter when one of them
prints (or when an e-mail cannot reach them); the letters of a batch are
printed by one wkhtmltopdf call (cartera_dunning_letter.py). Each
communication is recorded as a follow-up (Correo de cobro / Carta de
cobro) with its document, so that Seguimiento, the reports and the
closings see it; levels asking for it schedule an activity.

Nothing is sent twice: a line gets its mail and its follow-up in the same
transaction that marks it sent (or printed), so a batch interrupted
half-way leaves its lines queued, without mail nor follow-up, and a line
sent is never sent again; a run is sent by one worker at a time (its row
claimed without waiting, models/locks.py), and each batch claims its lines
the same way. Outside tests each batch is committed, as the statements'
cron commits its batches: a worker stopped later loses only the batch
under way, which the next send does again.

E-mails go to Odoo's mail queue (never sent in the request), to the
customer's statement addresses alone (``_cartera_statement_recipients``),
checked again by the mail queue before sending (models/mail_mail.py).
"""
import logging
import threading
import time

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from ..tools import ids as id_checks
from . import locks
from .system_parameters import int_parameter

_logger = logging.getLogger(__name__)

# Customers sent per transaction; a system parameter overrides it.
BATCH_SIZE_KEY = "cartera_seguimiento.dunning_batch_size"
DEFAULT_BATCH_SIZE = 20
MAIL_QUEUE_CRON_XMLID = "mail.ir_cron_mail_scheduler_action"
SEND_CRON_XMLID = "cartera_seguimiento.cartera_dunning_send_cron"
# A cron call stops starting batches after this many seconds, well inside
# Odoo's default limit_time_real (120 s); the next call goes on.
TIME_BUDGET = 60


class CarteraDunningRun(models.Model):
    _inherit = "cartera.dunning.run"

    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letters", readonly=True, copy=False,
        ondelete="set null",
        help="Every letter the run printed, in one PDF.")
    send_queued = fields.Boolean(
        string="Queued for Sending", readonly=True, copy=False, index=True,
        help="Send was pressed: the scheduled action sends the run's "
             "queued lines in batches in a moment.")

    @api.multi
    def _check_send_caller(self):
        """The buttons are called over RPC with any ids: the caller must
        read these runs (a collector their own, a manager all) before they
        act on them as superuser."""
        bad = [value for value in self._ids if not id_checks.is_id(value)]
        if bad:
            raise id_checks.value_error(self.env, _("Collection run"),
                                        bad[0])
        self.check_access_rights("read")
        self.check_access_rule("read")

    @api.multi
    def action_send(self):
        """Queue these runs for sending and wake the scheduled action,
        which sends their queued lines in batches (``_cron_send``) outside
        the request; lines to review wait for their validation. Sending a
        run again sends only what was queued since. A run being sent right
        now (another worker has it) is left to that worker."""
        self._check_send_caller()
        queued = self.browse()
        for run in self.sudo():
            if run.state == "draft":
                raise UserError(_(
                    "The run %s has not selected its items yet.") % run.name)
            if run.state == "done" or run.send_queued or \
                    not run._claim_for_sending():
                continue
            run.send_queued = True
            run._post_send_note(_(
                "Queued for sending by %s: the scheduled action sends it in "
                "a moment.") % self.env.user.name)
            queued |= run
        if queued:
            locks.wake_cron(self.env, SEND_CRON_XMLID)
        return True

    @api.model
    def _cron_send(self, time_budget=TIME_BUDGET):
        """Send the runs queued by the Send button or the daily run, in
        batches of customers (``_send``). Called by its cron every minute
        and woken by the button; a call stops starting batches after
        ``time_budget`` seconds, and the next one goes on."""
        deadline = time.time() + time_budget
        runs = self.sudo().search([("send_queued", "=", True)],
                                  order="date, id")
        for run in runs:
            if time.time() > deadline:
                break
            # False: another worker has the run (it finishes it). Past the
            # deadline the run may have customers left: it stays queued.
            if run._send(deadline) and time.time() <= deadline:
                run.send_queued = False
        return True

    @api.multi
    def _send(self, deadline=None):
        """Send this run's queued lines in batches of customers; whether
        this worker had the run (another one sending it keeps it)."""
        self.ensure_one()
        # As the statements' cron (cartera_statement_render.py): outside
        # tests, each batch is committed with its mails and its lines.
        auto_commit = not getattr(threading.currentThread(), "testing",
                                  False)
        batch_size = int_parameter(self.env, BATCH_SIZE_KEY,
                                   DEFAULT_BATCH_SIZE, minimum=1)
        failed = set()
        if not self._claim_for_sending():
            return False
        while True:
            partner_ids = self._next_partners(batch_size, failed)
            if not partner_ids:
                break
            lines = self._claim_lines(partner_ids)
            if lines is None:
                # Another worker holds them, or sent them since this
                # transaction began: it finishes the run.
                return False
            # Every batch writes the run's row: a second worker whose
            # snapshot predates this batch fails to claim the run
            # (locks.CLAIM_TAKEN) instead of sending it again.
            self.write({"state": "sending"})
            failed |= set(lines._send_customers())
            self._wake_mail_queue()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                # The commit let the run go: another worker may have
                # taken it since.
                if not self._claim_for_sending():
                    return False
            # The batch's records (PDFs, mails) leave the cache: memory is
            # bounded by the batch, not by the customers of the run.
            self.invalidate_cache()
            if deadline and time.time() > deadline:
                return True
        self._finish_sending(failed)
        return True

    @api.multi
    def _claim_for_sending(self):
        """Whether this transaction holds the run, claimed without
        waiting."""
        self.ensure_one()
        # NO KEY UPDATE: a transaction adding lines to the run (which
        # locks the run's key for their foreign key) does not stop it; a
        # second worker does.
        with locks.claim(self.env.cr, "SELECT id FROM cartera_dunning_run "
                         "WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                         (self.id,)) as rows:
            return rows is not None

    @api.multi
    def _next_partners(self, batch_size, failed):
        """The next customers of this run with queued lines, but those
        that failed in this call (tried again at the next send)."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT partner_id FROM cartera_dunning_line
             WHERE run_id = %s AND state = 'queued'
               AND NOT (partner_id = ANY(%s))
             GROUP BY partner_id ORDER BY partner_id LIMIT %s
        """, (self.id, list(failed), batch_size))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _claim_lines(self, partner_ids):
        """The queued lines of these customers in this run, claimed
        without waiting; None when another transaction holds or changed
        them."""
        with locks.claim(self.env.cr, """
                SELECT id FROM cartera_dunning_line
                 WHERE run_id = %s AND state = 'queued'
                   AND partner_id = ANY(%s)
                 ORDER BY id FOR UPDATE NOWAIT""",
                         (self.id, partner_ids)) as rows:
            if rows is None:
                return None
            return self.env["cartera.dunning.line"].browse(
                [row[0] for row in rows])

    @api.multi
    def _finish_sending(self, failed):
        """The run's letters in one PDF, and its state: done when nothing
        is left to send or review; still sending while customers failed
        (the next send tries them again)."""
        self.ensure_one()
        Line = self.env["cartera.dunning.line"]
        self._attach_letters()
        states = {group["state"] for group in Line.read_group(
            [("run_id", "=", self.id)], ["state"], ["state"])
            if group["state_count"]}
        if "queued" in states:
            self.state = "sending"
            if failed:
                self._post_send_note(_(
                    "%d customer(s) could not be sent: the next send tries "
                    "them again.") % len(failed))
        elif "draft" in states:
            self.state = "computed"
        elif self.state != "done":
            self.state = "done"

    @api.multi
    def _post_send_note(self, body):
        self.ensure_one()
        self.message_post(body=body, subtype="mail.mt_note")

    @api.model
    def _wake_mail_queue(self):
        locks.wake_cron(self.env, MAIL_QUEUE_CRON_XMLID)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_print_letters(self):
        """The run's letters: those printed, in the run's one PDF; before
        sending, a preview of the letters its queued lines will print."""
        self._check_send_caller()
        self.ensure_one()
        run = self.sudo()
        if run.letter_attachment_id:
            return {
                "type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true"
                       % run.letter_attachment_id.id,
            }
        lines = run._preview_letter_lines()
        if not lines:
            raise UserError(_("This run has no letter to print."))
        return self.env.ref(
            "cartera_seguimiento.cartera_dunning_letter_report").report_action(
            lines.mapped("partner_id"), data={"line_ids": lines.ids})

    @api.multi
    def _dunning_manager(self):
        """The receivables manager an activity goes to: the run's user
        when a manager, else the company's first manager (the run's user
        when it has none)."""
        self.ensure_one()
        group = "cartera_seguimiento.group_cartera_manager"
        if self.user_id.has_group(group):
            return self.user_id
        managers = self.env["res.users"].search([
            ("groups_id", "in", self.env.ref(group).ids),
            ("company_ids", "in", self.company_id.ids),
            ("share", "=", False)], order="id")
        # The administrator last: a manager of their own, when there is
        # one, works the receivables.
        people = managers.filtered(lambda u: u.id != SUPERUSER_ID)
        return (people or managers)[:1] or self.user_id
