# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payment promises (compromisos de pago), judged against the ledger.

A promise belongs to a follow-up: the customer promises to pay an amount by
a date (an agreement in instalments is several promises). ``evaluate``
gives the customer's real payments to their promises and decides each one's
state; see its docstring for the rule.
"""
import threading
import time
from collections import defaultdict
from html import escape
from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from ..tools import ids as id_checks, values
from .locks import wake_cron
from .system_parameters import int_parameter

STATES = [("pending", "Pending"), ("kept", "Kept"),
          ("partial", "Partially kept"), ("broken", "Broken")]
# Worst first: the agenda shows a customer's worst promise.
STATE_SEVERITY = {"broken": 4, "partial": 3, "pending": 2, "kept": 1}
DECIDED = ("kept", "partial", "broken")
# Half a cent: amounts are compared in the company currency's cents.
EPSILON = 0.005
# Customers whose failed promises an evaluation notifies itself; beyond
# that, the notifications are left to the cron (a system parameter
# overrides it). Each customer costs an activity and a chatter message,
# about 64 ms and 69 queries of Odoo's mail API at large: the first
# judgement of an old portfolio fails thousands at once, and a day's
# failures were 22 s of a 26 s evaluation.
NOTIFY_INLINE_KEY = "cartera_seguimiento.promise_notify_inline"
DEFAULT_NOTIFY_INLINE = 50
# Customers notified per transaction by the cron, and the seconds after
# which a cron call stops starting batches (the next call goes on).
NOTIFY_BATCH = 200
NOTIFY_TIME_BUDGET = 60
NOTIFY_CRON_XMLID = "cartera_seguimiento.cartera_promise_cron_notify"

PROMISES = sql.SQL("""
    SELECT p.id, p.partner_id, p.date, p.amount, p.state, p.paid_amount,
           f.state = 'closed' AS sealed,
           (f.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day
      FROM cartera_promise p
      JOIN cartera_followup f ON f.id = p.followup_id
     WHERE p.company_id = %(company_id)s {scope}
""")


# Set by the evaluation alone (with SQL): ignored on create, where a
# promise is born pending, and refused on write.
JUDGEMENT_FIELDS = ("state", "paid_amount", "evaluated_on",
                    "failed_activity_id", "notify_pending")
# Those of the follow-up (related fields): ignored on create, refused on
# write. A promise's customer is always its follow-up's, whose payments
# alone it is judged against.
FOLLOWUP_FIELDS = ("partner_id", "company_id", "currency_id",
                   "followup_state")


class CarteraPromise(models.Model):
    _name = "cartera.promise"
    _description = "Payment Promise"
    _order = "date, id"

    # auto_join: the record rule's paths through the follow-up
    # (cartera.scope._promise_domain) become a join, instead of a search of
    # every follow-up of the collector's for each read of promises.
    followup_id = fields.Many2one(
        "cartera.followup", string="Follow-up", required=True, index=True,
        ondelete="cascade", auto_join=True,
    )
    partner_id = fields.Many2one(
        related="followup_id.partner_id", string="Customer", store=True,
        readonly=True, index=True,
    )
    responsible_id = fields.Many2one(
        "res.users", string="Responsible", index=True, ondelete="restrict",
        help="Collector who follows the promise up; the follow-up's contact "
             "by default.",
    )
    company_id = fields.Many2one(
        related="followup_id.company_id", string="Company", store=True,
        readonly=True, index=True,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    amount = fields.Monetary(
        string="Promised Amount", required=True,
        help="In the company currency.")
    date = fields.Date(string="Promised Date", required=True, index=True)
    invoice_ids = fields.Many2many(
        "account.invoice", "cartera_promise_invoice_rel", "promise_id",
        "invoice_id", string="Documents",
        domain="[('commercial_partner_id', '=', partner_id),"
               " ('type', '=', 'out_invoice'), ('state', '=', 'open')]",
    )
    paid_amount = fields.Monetary(
        string="Paid", readonly=True, copy=False,
        help="Part of the customer's payments given to this promise by the "
             "last evaluation.")
    state = fields.Selection(
        STATES, string="Status", default="pending", required=True,
        readonly=True, index=True, copy=False,
    )
    evaluated_on = fields.Date(string="Evaluated On", readonly=True,
                               copy=False)
    # The "broken promise" activity of the responsible, while it is open:
    # the daily digest lists it.
    failed_activity_id = fields.Many2one(
        "mail.activity", string="Broken Promise Activity", readonly=True,
        copy=False, index=True, ondelete="set null")
    # Turned broken or partial, its notification left to the cron.
    notify_pending = fields.Boolean(
        string="Notification Pending", readonly=True, copy=False)
    followup_state = fields.Selection(
        related="followup_id.state", string="Follow-up Status",
        readonly=True)

    _sql_constraints = [
        ("amount_positive", "CHECK (amount > 0)",
         "The promised amount must be greater than zero."),
    ]

    # ------------------------------------------------------------------
    # Capture
    # ------------------------------------------------------------------
    @api.model_cr
    def init(self):
        # The cron's queue: a handful of rows on the day of a judgement,
        # none the other days.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS cartera_promise_notify_pending_idx
                ON cartera_promise (partner_id) WHERE notify_pending
        """)

    @api.model
    def create(self, vals):
        # Derived whatever the caller sends: judged by the evaluation only
        # (JUDGEMENT_FIELDS), of its follow-up's customer and company
        # (FOLLOWUP_FIELDS, which Odoo would otherwise store as given, or
        # write into the follow-up through their inverse).
        vals = dict(vals, state="pending", paid_amount=0.0,
                    evaluated_on=False, notify_pending=False,
                    failed_activity_id=False)
        for name in FOLLOWUP_FIELDS:
            vals.pop(name, None)
        self._check_input_values(vals)
        followup = self.env["cartera.followup"].browse(
            vals.get("followup_id"))
        followup._check_not_sealed("write")
        if not vals.get("responsible_id") and followup:
            vals["responsible_id"] = followup.responsible_id.id
        return super(CarteraPromise, self).create(vals)

    @api.multi
    def write(self, vals):
        # An explicit write of a derived value is refused.
        if set(JUDGEMENT_FIELDS) & set(vals):
            raise UserError(_(
                "The status of a payment promise is set by its evaluation "
                "against the payments only."))
        if set(FOLLOWUP_FIELDS) & set(vals):
            raise UserError(_(
                "The customer and the company of a payment promise are "
                "those of its follow-up."))
        self._check_input_values(vals)
        self._check_not_sealed()
        if "followup_id" in vals:
            self._check_followup_change(vals["followup_id"])
        return super(CarteraPromise, self).write(vals)

    @api.model
    def _check_input_values(self, vals):
        """Values of the right type, and the promised date a whole date of
        a year from 1900 to 2200 (tools.values): a later one overflowed the
        evaluation's arithmetic for every promise judged with it."""
        values.check_values(self, vals)

    @api.multi
    def _check_followup_change(self, followup_id):
        """A promise moves only to a follow-up the user may write, that is
        not sealed, and only while it is pending: a judged promise's state
        and share come from its customer's payments."""
        if followup_id and not id_checks.is_id(followup_id):
            raise id_checks.value_error(
                self.env, values.field_label(
                    self, self._fields["followup_id"]), followup_id)
        target = self.env["cartera.followup"].browse(followup_id)
        moved = self.filtered(lambda promise: promise.followup_id != target)
        if not moved or not target:
            return
        if any(promise.state != "pending" for promise in moved):
            raise UserError(_(
                "A judged payment promise stays in its follow-up."))
        target._check_not_sealed("write")
        target.check_access_rights("write")
        target.check_access_rule("write")
        # Judged against its customer's payments: another customer's
        # follow-up would give it another customer's payments.
        customer = target.sudo().partner_id
        if any(promise.partner_id != customer for promise in moved):
            raise UserError(_(
                "A payment promise stays with its customer: it cannot move "
                "to a follow-up of %s.") % customer.display_name)

    @api.multi
    def unlink(self):
        self._check_not_sealed()
        return super(CarteraPromise, self).unlink()

    @api.multi
    def _check_not_sealed(self):
        """Promises of closed follow-ups are sealed with them."""
        self.mapped("followup_id")._check_not_sealed("write")

    @api.constrains("amount", "date", "followup_id")
    def _check_promise(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(_(
                    "The promised amount must be greater than zero."))
            day = promise.followup_id._local_date()
            if promise.date < day:
                raise ValidationError(_(
                    "The promised date (%s) is before the follow-up's day "
                    "(%s).") % (promise.date, day))

    @api.constrains("invoice_ids", "followup_id")
    def _check_invoices(self):
        self._check_invoice_owner(open_only=True)

    @api.multi
    def _check_invoice_owner(self, open_only=False):
        """The documents are invoices of the follow-up's customer and
        company (read from the follow-up itself, not from the stored
        copies), open when they are chosen (``open_only``); the follow-up
        checks them again when its customer changes."""
        for promise in self.sudo():
            followup = promise.followup_id
            others = promise.invoice_ids.filtered(
                lambda inv: inv.commercial_partner_id != followup.partner_id
                or inv.company_id != followup.company_id
                or inv.type != "out_invoice"
                or open_only and inv.state != "open")
            if others:
                raise ValidationError(_(
                    "Document %s is not an open invoice of %s.") % (
                    others[0].number or others[0].display_name,
                    followup.partner_id.display_name))

    # ------------------------------------------------------------------
    # Evaluation against the ledger
    # ------------------------------------------------------------------
    @api.model
    def evaluate(self, date_at=None):
        """Judge the promises the user may see against the payments, as of
        ``date_at`` (today by default); return the count per state.

        The customer's payments are the posted credits on receivable
        accounts in bank and cash journals, dated from the day of a
        promise's follow-up to ``date_at``. They go to the customer's
        promises in order of promised date, then id, each payment amount
        once, the earliest payment first. A promise is ``kept`` once its
        share reaches its amount, and stays so. Otherwise, once its date
        plus the company's grace days has passed, it is ``partial`` (some
        paid) or ``broken`` (nothing paid); until then ``pending``. A
        decided promise never goes back to pending (judged again as of an
        earlier day), so that it is notified once. Promises of closed
        follow-ups are sealed: they keep their share, which no other
        promise receives again.

        ``date_at`` is today or, for a manager, an earlier day; never a
        later one (``_check_evaluation_date``).

        A fixed number of queries whatever the promises. The promises
        that turn broken or partial are notified (``_notify_failed``) by
        the evaluation when they belong to a few customers, otherwise by
        the "notify broken promises" cron, which it wakes.
        """
        # Raw SQL below: the groups are checked here (found by the access
        # matrix of tests/test_stress_access.py).
        self.env["cartera.scope"]._check_access()
        return self._evaluate(self.env.user.company_id,
                              self._check_evaluation_date(date_at))

    @api.model
    def _check_evaluation_date(self, date_at):
        """The day a user may judge promises as of: today (in their time
        zone) by default; an earlier day only as a manager (a judgement
        as of the past rewrites today's shares); never a later one, whose
        payments nobody knows yet (the daily job judges as of today)."""
        today = fields.Date.context_today(self)
        date_at = self.env["cartera.ar.report"]._check_date(
            date_at, _("As of date")) or today
        if date_at > today:
            raise UserError(_(
                "Payment promises cannot be judged as of a future day (%s "
                "is after today, %s).") % (date_at, today))
        if date_at < today and not self.env["cartera.scope"]._is_manager():
            raise UserError(_(
                "Only receivables managers can judge payment promises as "
                "of an earlier day (%s).") % date_at)
        return date_at

    @api.model
    def _evaluate(self, company, date_at=None):
        date_at = self.env["cartera.ar.report"]._check_date(
            date_at, _("As of date")) or fields.Date.context_today(self)
        promises, payments = self._evaluation_data(company, date_at)
        results = self._allocate(promises, payments, date_at,
                                 company.cartera_promise_grace_days)
        failed = self._store_evaluation(promises, results, date_at)
        customers = {promises[pid]["partner_id"] for pid in failed.ids}
        if len(customers) <= self._notify_inline_limit():
            failed._notify_failed()
        else:
            failed._queue_notifications()
        counts = defaultdict(int)
        for promise_id, row in promises.items():
            counts[results.get(promise_id, (row["state"], 0))[0]] += 1
        return {state: counts.get(state, 0) for state, _label in STATES}

    @api.model
    def _payments_query(self):
        """The customers' payments: credits in bank and cash journals among
        the receivable items of posted entries (the reports' own,
        ``cartera.ar.report._receivable_items``), from the earliest
        follow-up day of a promise to judge (``promises``)."""
        items = self.env["cartera.ar.report"]._receivable_items(
            sql.SQL(""), sql.SQL("JOIN account_journal j"
                                 " ON j.id = l.journal_id"))
        return sql.SQL("""
    SELECT l.partner_id, l.date, l.id, l.credit
    {items}
       AND j.type IN ('bank', 'cash') AND l.credit > 0
       AND l.date <= %(date_at)s
       AND l.partner_id IN (SELECT partner_id FROM promises)
       AND l.date >= (SELECT min(day) FROM promises)
     ORDER BY l.partner_id, l.date, l.id
""").format(items=items)

    @api.model
    def _evaluation_data(self, company, date_at):
        """{promise id: values} of the company's promises the user may see,
        and {partner: [[date, amount left], ...]} of their payments."""
        scope = sql.SQL("")
        visible = self.env["cartera.scope"]._customer_condition(
            sql.SQL("p.partner_id"))
        if visible is not None:
            scope = sql.SQL(" AND ") + visible
        params = {"company_id": company.id, "date_at": date_at,
                  "tz": self._context.get("tz") or self.env.user.tz or "UTC"}
        cr = self.env.cr
        query = PROMISES.format(scope=scope)
        cr.execute(query.as_string(cr._obj), params)
        promises = {}
        for (promise_id, partner_id, date, amount, state, paid, sealed,
             day) in cr.fetchall():
            promises[promise_id] = {
                "partner_id": partner_id, "date": date,
                "amount": float(amount), "state": state,
                "paid": float(paid or 0.0), "sealed": sealed,
                "day": day}
        payments = defaultdict(list)
        if promises:
            query = sql.SQL("WITH promises AS ({promises}) {payments}").format(
                promises=PROMISES.format(scope=scope),
                payments=self._payments_query())
            cr.execute(query.as_string(cr._obj), params)
            for partner_id, date, _line_id, credit in cr.fetchall():
                payments[partner_id].append([date, float(credit)])
        return promises, payments

    @api.model
    def _allocate(self, promises, payments, date_at, grace_days):
        """{promise id: (state, share)} of the promises to update."""
        by_partner = defaultdict(list)
        for promise_id, row in promises.items():
            by_partner[row["partner_id"]].append(promise_id)
        today = fields.Date.from_string(date_at)
        results = {}
        for partner_id, ids in by_partner.items():
            pool = payments.get(partner_id, [])
            ids.sort(key=lambda pid: (promises[pid]["date"], pid))
            for promise_id in ids:
                row = promises[promise_id]
                # A sealed promise takes back its own share, nothing more.
                wanted = row["paid"] if row["sealed"] else row["amount"]
                share = self._take(pool, row["day"], wanted)
                if row["sealed"]:
                    continue
                results[promise_id] = (self._decide(
                    row, share, today, grace_days), round(share, 2))
        return results

    @api.model
    def _take(self, pool, day, wanted):
        """Take up to ``wanted`` from the payments of ``pool`` dated on or
        after ``day``, the earliest first; return what was taken."""
        taken = 0.0
        for payment in pool:
            if wanted - taken <= EPSILON:
                break
            if payment[0] < day or payment[1] <= EPSILON:
                continue
            part = min(payment[1], wanted - taken)
            payment[1] -= part
            taken += part
        return taken

    @api.model
    def _decide(self, row, share, today, grace_days):
        if row["state"] == "kept" or share >= row["amount"] - EPSILON:
            return "kept"
        # Due once its date plus the grace days has passed; computed back
        # from today, which stays within the calendar whatever date a
        # promise recorded before dates were checked (9999-12-31) holds.
        if today - timedelta(days=grace_days) <= fields.Date.from_string(
                row["date"]):
            # Not due as of that day. A promise already decided (judged as
            # of a later day) is never taken back to pending: it would be
            # notified a second time when judged failed again.
            return row["state"] if row["state"] in DECIDED else "pending"
        return "partial" if share > EPSILON else "broken"

    @api.model
    def _store_evaluation(self, promises, results, date_at):
        """Write the new states and shares in one statement; return the
        ids whose state became broken or partial."""
        changes = [(pid, state, share) for pid, (state, share)
                   in results.items()
                   if state != promises[pid]["state"]
                   or abs(share - promises[pid]["paid"]) > EPSILON]
        failed = [pid for pid, state, _share in changes
                  if state in ("broken", "partial")
                  and promises[pid]["state"] not in ("broken", "partial")]
        if changes:
            cr = self.env.cr
            # One UPDATE ... FROM (VALUES ...) for every changed promise.
            values = sql.SQL(", ").join(
                sql.SQL("(%s, %s, %s)") for _change in changes)
            query = sql.SQL(
                """UPDATE cartera_promise AS p
                      SET state = v.state, paid_amount = v.share,
                          evaluated_on = %s, write_date = now() AT TIME
                          ZONE 'UTC', write_uid = %s
                     FROM (VALUES {values}) AS v (id, state, share)
                    WHERE p.id = v.id""").format(values=values)
            params = [date_at, self.env.uid]
            for change in changes:
                params.extend(change)
            cr.execute(query.as_string(cr._obj), params)
            self.invalidate_cache(["state", "paid_amount", "evaluated_on"])
        return self.browse(failed)

    @api.multi
    def _notify_failed(self):
        """Notify the promises that turned broken or partial
        (``_send_failed_notices``). An error (a customer whose notice
        cannot be written) must not fail the evaluation that judged them,
        nor the daily job every day after: their notices are undone and
        they go to the notify cron's queue with the error, where they are
        tried again a bounded number of times."""
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                self._send_failed_notices()
        except Exception as error:  # pylint: disable=broad-except
            self._queue_notifications()
            self._count_notify_attempt()
            self._notify_attempt_failed(error)

    @api.multi
    def _send_failed_notices(self):
        """For the promises that turned broken or partial: one activity
        "Compromiso incumplido" per customer and responsible, on the
        customer, listing its promises, and one note per follow-up in its
        chatter, listing its promises. The note is on the follow-up, not
        on the customer, whose chatter every employee reads: those who may
        see the follow-up (its collector, the customer's salesperson, a
        manager) read it. The work grows with the customers whose promises
        failed that day, not with the promises (the first evaluation of an
        old portfolio fails thousands at once), and every value is read
        once beforehand: reading them promise by promise between the
        creations made the ORM prefetch the whole set again and again."""
        if not self:
            return
        activity_type = self.env.ref(
            "cartera_seguimiento.mail_activity_promise_broken",
            raise_if_not_found=False)
        partner_model = self.env["ir.model"]._get_id("res.partner")
        groups, langs = self._failed_groups()
        links = []
        # The evaluation's own bookkeeping: its user need not be allowed
        # to edit customers.
        Activity = self.env["mail.activity"].sudo()
        for (partner_id, user_id), promises in sorted(groups.items()):
            values = self.with_context(
                lang=langs.get(user_id) or "en_US"
            )._prepare_failed_activity(
                partner_id, user_id, promises, activity_type, partner_model)
            activity = Activity.create(values)
            links.extend((promise["id"], activity.id) for promise in promises)
        self._link_failed_activities(links)
        by_followup = defaultdict(list)
        for (_partner_id, user_id), promises in sorted(groups.items()):
            for promise in promises:
                by_followup[promise["followup_id"]].append((user_id, promise))
        # A follow-up closed since its promise was queued is sealed: its
        # conversation stays as the closing left it, and the activity on
        # the customer tells the responsible.
        self.env.cr.execute(
            "SELECT id FROM cartera_followup WHERE id IN %s "
            "AND state = 'open'", (tuple(by_followup),))
        open_ids = {row[0] for row in self.env.cr.fetchall()}
        Followup = self.env["cartera.followup"].sudo()
        for followup_id, parts in sorted(by_followup.items()):
            if followup_id not in open_ids:
                continue
            # In the language of its (first) responsible, like the
            # activity: the collectors read the follow-up's chatter.
            lang = langs.get(parts[0][0]) or "en_US"
            promises = sorted((promise for _user, promise in parts),
                              key=lambda p: (p["date"], p["id"]))
            Followup.browse(followup_id).message_post(
                body=self.with_context(lang=lang)._failed_body(promises),
                message_type="notification", subtype="mail.mt_note")

    @api.model
    def _notify_inline_limit(self):
        return int_parameter(self.env, NOTIFY_INLINE_KEY,
                             DEFAULT_NOTIFY_INLINE)

    @api.multi
    def _queue_notifications(self):
        """Leave these failed promises to the cron, in one statement, and
        wake it: the flag is the evaluation's own bookkeeping."""
        if not self:
            return
        self.env.cr.execute(
            "UPDATE cartera_promise SET notify_pending = TRUE "
            "WHERE id IN %s", (tuple(self.ids),))
        self.invalidate_cache(["notify_pending"])
        wake_cron(self.env, NOTIFY_CRON_XMLID)

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
            if finished:
                cr.execute("UPDATE cartera_promise SET notify_pending = FALSE,"
                           " notify_attempts = 0, notify_error = NULL "
                           "WHERE id IN %s", (tuple(finished),))
            self.invalidate_cache(["notify_pending", "notify_attempts",
                                   "notify_error"])
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

    @api.multi
    def _failed_groups(self):
        """{(customer id, user id): [promise values]} of these promises,
        the user being the promise's responsible (the follow-up's when it
        has none), and {user id: language}."""
        groups = defaultdict(list)
        rows = self.sudo().read(
            ["partner_id", "responsible_id", "followup_id", "amount",
             "paid_amount", "date", "state", "company_id"], load="")
        followups = {row["id"]: row["responsible_id"] for row in
                     self.env["cartera.followup"].sudo().browse(
                         {r["followup_id"] for r in rows}).read(
                             ["responsible_id"], load="")}
        companies = {company.id: company.currency_id for company in
                     self.env["res.company"].sudo().browse(
                         {r["company_id"] for r in rows})}
        for row in sorted(rows, key=lambda r: (r["date"], r["id"])):
            user_id = row["responsible_id"] or followups[row["followup_id"]]
            row["currency"] = companies[row["company_id"]]
            groups[(row["partner_id"], user_id)].append(row)
        users = self.env["res.users"].sudo().browse(
            {user_id for _partner, user_id in groups if user_id})
        langs = {user["id"]: user["lang"] for user in users.read(["lang"])}
        return groups, langs

    @api.model
    def _link_failed_activities(self, links):
        """Point each promise at its activity in one statement: the
        evaluation's own bookkeeping, set past the guard of write() (the
        follow-up may be closed since)."""
        if not links:
            return
        cr = self.env.cr
        query = sql.SQL(
            """UPDATE cartera_promise AS p SET failed_activity_id = v.act
                 FROM (VALUES {values}) AS v (id, act) WHERE p.id = v.id"""
        ).format(values=sql.SQL(", ").join(
            sql.SQL("(%s, %s)") for _link in links))
        cr.execute(query.as_string(cr._obj),
                   [value for link in links for value in link])
        self.invalidate_cache(["failed_activity_id"])

    @api.model
    def _prepare_failed_activity(self, partner_id, user_id, promises,
                                 activity_type, partner_model):
        """Values of the activity of one customer and responsible, in the
        context's language (the responsible's)."""
        return {
            "res_model_id": partner_model,
            "res_id": partner_id,
            "activity_type_id": activity_type.id if activity_type else False,
            "summary": self._failed_summary(),
            "note": self._failed_body(promises),
            "date_deadline": fields.Date.context_today(self),
            "user_id": user_id,
        }

    @api.model
    def _failed_summary(self):
        return _("Broken payment promise")

    @api.model
    def _failed_body(self, promises):
        """One line per promise (values as read by ``_failed_groups``)."""
        lines = [self._failed_message(promise) for promise in promises]
        if len(lines) == 1:
            return "<p>%s</p>" % escape(lines[0])
        return "<ul>%s</ul>" % "".join(
            "<li>%s</li>" % escape(line) for line in lines)

    @api.model
    def _failed_message(self, promise):
        state = dict(self._fields["state"]._description_selection(
            self.env))[promise["state"]]
        lang = self._context.get("lang") or "en_US"

        def money(amount):
            return formatLang(self.env, amount,
                              currency_obj=promise["currency"])
        return _("Payment promise of %s due %s: %s, %s paid.") % (
            money(promise["amount"]),
            format_date(self.env, promise["date"], lang_code=lang), state,
            money(promise["paid_amount"]))

    @api.model
    def _cron_evaluate(self):
        """Daily: the promises of every company, as the superuser (who
        sees every customer)."""
        for company in self.env["res.company"].sudo().search([]):
            self.sudo()._evaluate(company)
        return True
