# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bookkeeping of the broken promises' notification queue: how many
times a queued promise was tried, and why it failed. A promise whose
notification keeps failing leaves the queue after ``NOTIFY_MAX_ATTEMPTS``
tries with its error, instead of stopping the queue (see
``cartera.promise._notify_queued``)."""
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import sql

_logger = logging.getLogger(__name__)

# Notifications of a promise tried before it leaves the queue.
NOTIFY_MAX_ATTEMPTS = 3


class CarteraPromise(models.Model):
    _inherit = "cartera.promise"

    notify_attempts = fields.Integer(
        string="Notification Attempts", readonly=True, copy=False)
    notify_error = fields.Text(
        string="Notification Error", readonly=True, copy=False,
        help="Why the notification of this broken promise failed; after "
             "%d attempts it left the queue." % NOTIFY_MAX_ATTEMPTS)

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

    @api.model
    def _notify_max_attempts(self):
        return NOTIFY_MAX_ATTEMPTS

    @api.multi
    def _count_notify_attempt(self):
        """One more notification attempt for these promises."""
        sql.count_attempt(self, "notify_attempts")

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
        self.env.cr.execute(
            "UPDATE cartera_promise SET notify_error = %s WHERE id IN %s",
            (message, tuple(self.ids)))
        self.invalidate_cache(["notify_error", "notify_attempts"])
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
            self.env.cr.execute(
                "UPDATE cartera_promise SET notify_pending = FALSE, "
                "notify_error = %s WHERE id = %s", (message, promise.id))
        self.invalidate_cache(["notify_pending", "notify_error"])
