# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.tools import mute_logger

from ..tools import mail as mail_values
from ..tools import money
from . import locks

# System parameter holding the date of the last daily digest sent.
DIGEST_DATE_KEY = "cartera_seguimiento.digest_date"
TEMPLATE = "cartera_seguimiento.cartera_followup_task_digest"


class CarteraDigest(models.AbstractModel):
    """The daily digest of each user's pending tasks and failed promises,
    sent by its cron. Abstract: it stores nothing of its own (its one
    marker is a system parameter), it only owns the cron's method."""
    _name = "cartera.digest"
    _description = "Receivable Follow-up Daily Digest"

    @api.model
    def _cron_notify_pending_tasks(self):
        if not self._claim_todays_digest():
            return True
        tasks_by_user = self._pending_tasks_by_user()
        promises_by_user = self._failed_promises_by_user()
        dunning_by_user = self._dunning_by_user()
        for user in set(tasks_by_user) | set(promises_by_user) | set(
                dunning_by_user):
            tasks = tasks_by_user.get(user, self.env["cartera.followup"])
            promises = promises_by_user.get(user, self.env["cartera.promise"])
            lang = user.lang or "en_US"
            today = fields.Date.context_today(self.with_context(tz=user.tz))
            body = self.env["ir.qweb"].with_context(lang=lang).render(
                TEMPLATE, {"user": user,
                           "tasks": tasks.with_context(lang=lang),
                           "promises": promises.with_context(lang=lang),
                           "dunning": dunning_by_user.get(user, []),
                           "dunning_links": self._dunning_links(),
                           "money": money.amount_formatter(self.env, lang),
                           "today": today})
            subject = self.with_context(lang=lang)._digest_subject(
                len(tasks) + len(promises))
            self._post_digest(user, body, subject)
        return True

    @api.model
    def _pending_tasks_by_user(self):
        """Tasks due today or overdue, per responsible user, each user's
        "today" being taken in their own time zone."""
        # No time zone is more than a day ahead of UTC.
        tomorrow = fields.Date.from_string(fields.Date.today()) + timedelta(1)
        followups = self.env["cartera.followup"]
        tasks = followups.sudo().search(
            [("state", "=", "open"), ("task_state", "=", "pending"),
             ("next_date", "<=", fields.Date.to_string(tomorrow))],
            order="responsible_id, next_date, id")
        by_user = defaultdict(lambda: followups.browse())
        for task in tasks:
            today = fields.Date.context_today(
                task.with_context(tz=task.responsible_id.tz))
            if task.next_date <= today:
                by_user[task.responsible_id] |= task
        return by_user

    @api.model
    def _failed_promises_by_user(self):
        """{user: promises} of the broken or partly kept promises whose
        activity is still open; also those queued for the notify cron,
        under the user their activity will go to, so that a digest sent
        before that cron's call misses none."""
        promises = self.env["cartera.promise"]
        promises.invalidate_cache(["failed_activity_id", "notify_pending"])
        failed = promises.sudo().search(
            [("state", "in", ("broken", "partial")),
             "|", ("failed_activity_id", "!=", False),
             ("notify_pending", "=", True)],
            order="failed_activity_id, date, id")
        by_user = defaultdict(lambda: promises.browse())
        for promise in failed:
            user = promise.failed_activity_id.user_id or \
                promise.responsible_id or promise.followup_id.responsible_id
            if user:
                by_user[user] |= promise
        return by_user

    @api.model
    def _dunning_by_user(self):
        """{user: [{company, sent_count, sent_amount, draft_count,
        draft_amount}]}: per collector (the customers' salesperson, as the
        lines' record rule) and company, the collection lines the day's run
        sent or printed (dated the user's today) and those waiting in
        draft for a manager's validation, whatever their date. One
        aggregate query, whatever the line count."""
        # No time zone is more than a day from UTC: the lines of the three
        # days around UTC's today, each user's own today kept below.
        utc_today = fields.Date.from_string(fields.Date.today())
        self.env.cr.execute("""
            SELECT rp.user_id, dl.company_id,
                   CASE WHEN dl.state = 'draft' THEN NULL ELSE dl.date END,
                   count(*), COALESCE(sum(dl.amount_due), 0)
              FROM cartera_dunning_line dl
              JOIN res_partner rp ON rp.id = dl.partner_id
             WHERE rp.user_id IS NOT NULL
               AND (dl.state = 'draft'
                    OR (dl.state IN ('sent', 'printed')
                        AND dl.date BETWEEN %s AND %s))
             GROUP BY 1, 2, 3
             ORDER BY 1, 2""", (
            fields.Date.to_string(utc_today - timedelta(days=1)),
            fields.Date.to_string(utc_today + timedelta(days=1))))
        rows = self.env.cr.fetchall()
        users = self.env["res.users"].sudo().browse(
            {row[0] for row in rows}).exists()
        companies = self.env["res.company"].sudo().browse(
            {row[1] for row in rows})
        by_user = {}
        for user in users:
            today = fields.Date.context_today(self.with_context(tz=user.tz))
            figures = {}
            for user_id, company_id, day, count, amount in rows:
                if user_id != user.id or (day is not None and day != today):
                    continue
                entry = figures.setdefault(company_id, {
                    "company": companies.browse(company_id),
                    "sent_count": 0, "sent_amount": 0.0,
                    "draft_count": 0, "draft_amount": 0.0})
                kind = "draft" if day is None else "sent"
                entry["%s_count" % kind] += count
                entry["%s_amount" % kind] += amount
            if figures:
                by_user[user] = [figures[key] for key in sorted(figures)]
        return by_user

    @api.model
    def _dunning_links(self):
        """Web client links to the collection lines: all of them (what was
        sent) and those to review."""
        base = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "")
        return {
            name: "%s/web#action=%d&model=cartera.dunning.line"
                  "&view_type=list" % (base, self.env.ref(
                      "cartera_seguimiento.%s" % xmlid).id)
            for name, xmlid in (
                ("lines", "cartera_dunning_line_action"),
                ("review", "cartera_dunning_line_action_review"))}

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
        # The digest's own marker, written by its cron only (a private
        # method, out of reach of RPC): whatever user the cron runs as.
        params = self.env["ir.config_parameter"].sudo()
        if not self._create_digest_marker(params):
            return False
        with locks.claim(
                self.env.cr,
                "SELECT value FROM ir_config_parameter WHERE key = %s "
                "FOR UPDATE NOWAIT", (DIGEST_DATE_KEY,)) as rows:
            # None: locked by a digest under way; changed by one committed
            # since this transaction began, or created by one (not seen):
            # that one sends it.
            if not rows or rows[0][0] == today:
                return False
            # Through the ORM: get_param's cache is cleared with it.
            params.set_param(DIGEST_DATE_KEY, today)
        return True

    @api.model
    def _create_digest_marker(self, params):
        """Create the marker if missing; False if another transaction is
        creating it at the same moment (it sends the digest)."""
        if params.search_count([("key", "=", DIGEST_DATE_KEY)]):
            return True
        try:
            # The loser of two creations waits for the winner, then fails on
            # the unique key: an expected outcome, not an error to log.
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                params.set_param(DIGEST_DATE_KEY, "-")
        except psycopg2.IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            return False
        return True

    @api.model
    def _digest_subject(self, count):
        return _("Receivable follow-up: %d pending task(s)") % count
