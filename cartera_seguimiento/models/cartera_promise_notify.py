# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The queue of broken promises' notifications, which the cron *avisar
compromisos de pago incumplidos* works through in batches of whole
customers when an evaluation fails more of them than it notifies itself
(``cartera_promise_notice.py``), and its bookkeeping: how many times a
queued promise was tried, and why it failed. A promise whose notification
keeps failing leaves the queue after ``NOTIFY_MAX_ATTEMPTS`` tries with its
error, instead of stopping the queue.

The queue's writes are raw: its flags and counters are the evaluation's
bookkeeping, which write() refuses to every caller, and they must land for
the whole batch in one statement, also on promises of follow-ups closed
since."""
import logging
import threading
import time

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.sql import audit_assignments, count_attempt
from .locks import wake_cron

_logger = logging.getLogger(__name__)

# Notifications of a promise tried before it leaves the queue.
NOTIFY_MAX_ATTEMPTS = 3
# Customers notified per transaction by the cron, and the seconds after
# which a cron call stops starting batches (the next call goes on).
NOTIFY_BATCH = 200
NOTIFY_TIME_BUDGET = 60
NOTIFY_CRON_XMLID = "cartera_seguimiento.cartera_promise_cron_notify"


class CarteraPromise(models.Model):
    _inherit = "cartera.promise"

    notify_attempts = fields.Integer(
        string="Notification Attempts", readonly=True, copy=False)
    notify_error = fields.Text(
        string="Notification Error", readonly=True, copy=False,
        help="Why the notification of this broken promise failed; after "
             "%d attempts it left the queue." % NOTIFY_MAX_ATTEMPTS)

    @api.model_cr
    def init(self):
        # The cron's queue: a handful of rows on the day of a judgement,
        # none the other days. Partial, which Odoo 11's
        # tools.sql.create_index cannot write.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS cartera_promise_notify_pending_idx
                ON cartera_promise (partner_id) WHERE notify_pending
        """)

    @api.model
    def create(self, vals):
        vals = dict(vals, notify_attempts=0, notify_error=False)
        return super(CarteraPromise, self).create(vals)

    @api.multi
    def write(self, vals):
        if {"notify_attempts", "notify_error"} & set(vals):
            raise UserError(_(
                "The notification of a broken promise is recorded by its "
                "queue only."))
        return super(CarteraPromise, self).write(vals)

    @api.multi
    def _queue_notifications(self):
        """Leave these failed promises to the cron, in one statement, and
        wake it: the flag is the evaluation's own bookkeeping."""
        if not self:
            return
        self._write_queue({"notify_pending": True})
        wake_cron(self.env, NOTIFY_CRON_XMLID)

    @api.multi
    def _write_queue(self, values):
        """Write the queue's ``values`` ({column: value}) on these
        promises in one statement, raw (see the module's docstring)."""
        if not self:
            return
        columns = sorted(values)
        query = sql.SQL("UPDATE cartera_promise SET {}, {} WHERE id IN %s"
                        ).format(sql.SQL(", ").join(
                            sql.SQL("{} = %s").format(sql.Identifier(column))
                            for column in columns),
                            audit_assignments(self.env))
        cr = self.env.cr
        cr.execute(query.as_string(cr._obj),
                   [values[column] for column in columns] + [tuple(self.ids)])
        self.invalidate_cache(columns + ["write_uid", "write_date"])

    @api.model
    def _cron_notify(self, time_budget=NOTIFY_TIME_BUDGET):
        """Notify the failed promises the evaluations left queued, in
        batches of whole customers. Each batch is committed with its
        activities and messages (not in tests, as Odoo's mail queue does
        not), so that a worker stopped later loses only the batch under
        way, which the next call notifies again; a promise whose
        notification keeps failing, or keeps killing its worker, leaves
        the queue after a few attempts, with its error."""
        auto_commit = not getattr(threading.currentThread(), "testing",
                                  False)
        self.sudo()._notify_queued(time.time() + time_budget, auto_commit)
        return True

    @api.model
    def _notify_queued(self, deadline=None, commit=False):
        """Notify the queued promises until none is left or ``deadline``
        (a ``time.time()``) has passed; return the customers notified.
        The rows of a batch are taken with SKIP LOCKED: a second worker
        (or "Run Manually") takes other customers' or none, and a promise
        is notified once. A promise kept since it was queued is dropped
        from the queue unnotified.

        A poisoned batch does not stop the queue: each promise's attempt
        is counted (and committed, with ``commit``) before its notices are
        written, a customer whose notices raise is left out of the batch
        with the error, tried again by a later call, and after
        ``NOTIFY_MAX_ATTEMPTS`` attempts (also when its worker was killed)
        it leaves the queue with its error. A promise that failed in this
        call is not tried again in it."""
        cr = self.env.cr
        notified = 0
        tried = [0]
        while True:
            cr.execute("""
                SELECT id, state IN ('broken', 'partial'),
                       COALESCE(notify_attempts, 0)
                  FROM cartera_promise
                 WHERE notify_pending AND id <> ALL(%(tried)s)
                   AND partner_id IN (
                       SELECT DISTINCT partner_id FROM cartera_promise
                        WHERE notify_pending AND id <> ALL(%(tried)s)
                        ORDER BY partner_id LIMIT %(limit)s)
                   FOR UPDATE SKIP LOCKED
            """, {"tried": tried, "limit": self._notify_batch_size()})
            rows = cr.fetchall()
            if not rows:
                break
            ids = [pid for pid, _still, _attempts in rows]
            tried.extend(ids)
            self.browse([pid for pid, _still, attempts in rows
                         if attempts >= self._notify_max_attempts()
                         ])._drop_notification()
            rows = [(pid, still) for pid, still, attempts in rows
                    if attempts < self._notify_max_attempts()]
            if rows:
                self.browse([pid for pid, _still in rows])\
                    ._count_notify_attempt()
            if rows and commit:
                cr.commit()  # pylint: disable=invalid-commit
                # The commit let the rows go: those still queued and not
                # taken by another worker since are taken again.
                cr.execute("""
                    SELECT id, state IN ('broken', 'partial')
                      FROM cartera_promise
                     WHERE id IN %s AND notify_pending
                       FOR UPDATE SKIP LOCKED""",
                           (tuple(pid for pid, _still in rows),))
                rows = cr.fetchall()
            failed = self.browse([pid for pid, still in rows if still])
            done = failed._notify_batch()
            finished = [pid for pid, still in rows
                        if not still or pid in done.ids]
            self.browse(finished)._write_queue({
                "notify_pending": False, "notify_attempts": 0,
                "notify_error": None})
            notified += len(set(done.mapped("partner_id").ids))
            if commit:
                cr.commit()  # pylint: disable=invalid-commit
            # The batch's activities and messages leave the cache: memory
            # is bounded by the batch, not by the day's failures.
            self.invalidate_cache()
            if deadline is not None and time.time() > deadline:
                break
        return notified

    @api.model
    def _notify_batch_size(self):
        return NOTIFY_BATCH

    @api.model
    def _notify_max_attempts(self):
        return NOTIFY_MAX_ATTEMPTS

    @api.multi
    def _count_notify_attempt(self):
        """One more notification attempt for these promises."""
        count_attempt(self, "notify_attempts")

    @api.multi
    def _notify_batch(self):
        """Write the notices of these promises (``_send_failed_notices``)
        and return those notified. The batch at once; when it raises,
        customer by customer, so that a customer whose notices raise is
        left out alone, with the error. Each in a savepoint: nothing of a
        failed customer stays written (no report is printed here, nothing
        commits)."""
        if not self:
            return self
        try:
            with self.env.cr.savepoint():
                self._send_failed_notices()
            return self
        except Exception as error:  # pylint: disable=broad-except
            by_partner = {}
            for row in self.sudo().read(["partner_id"], load=""):
                by_partner.setdefault(row["partner_id"], []).append(
                    row["id"])
            if len(by_partner) == 1:
                self._notify_attempt_failed(error)
                return self.browse()
        done = self.browse()
        for _partner_id, ids in sorted(by_partner.items()):
            promises = self.browse(ids)
            try:
                with self.env.cr.savepoint():
                    promises._send_failed_notices()
                done |= promises
            except Exception as error:  # pylint: disable=broad-except
                promises._notify_attempt_failed(error)
        return done

    @api.multi
    def _notify_attempt_failed(self, error):
        """The error of a failed notification of these promises: kept on
        them for the next attempt, or, after the last one, they leave the
        queue with it."""
        _logger.exception("The notification of the broken promises %s "
                          "failed", self.ids)
        message = getattr(error, "name", None) or str(error) or \
            error.__class__.__name__
        self._write_queue({"notify_error": message})
        self.invalidate_cache(["notify_attempts"])
        self.filtered(
            lambda p: p.sudo().notify_attempts >= self._notify_max_attempts()
        )._drop_notification()

    @api.multi
    def _drop_notification(self):
        """These promises were tried ``NOTIFY_MAX_ATTEMPTS`` times: they
        leave the queue unnotified, with their last error (none when the
        worker was killed), said in the log too."""
        if not self:
            return
        self.invalidate_cache(["notify_error", "notify_attempts"])
        for promise in self.sudo():
            reason = promise.notify_error or _(
                "the worker stopped while notifying it (a time or memory "
                "limit)")
            message = _("Dropped from the notification queue after %d "
                        "attempts: %s") % (promise.notify_attempts, reason)
            _logger.error("Broken promise %s: %s", promise.id, message)
            promise._write_queue({"notify_pending": False,
                                  "notify_error": message})
