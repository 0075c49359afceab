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
        vals = dict(vals, state="pending", paid_amount=0.0,
                    evaluated_on=False, notify_pending=False)
        followup = self.env["cartera.followup"].browse(
            vals.get("followup_id"))
        followup._check_not_sealed("write")
        if not vals.get("responsible_id") and followup:
            vals["responsible_id"] = followup.responsible_id.id
        return super(CarteraPromise, self).create(vals)

    @api.multi
    def write(self, vals):
        if {"state", "paid_amount", "evaluated_on", "failed_activity_id",
                "notify_pending"} & set(vals):
            raise UserError(_(
                "The status of a payment promise is set by its evaluation "
                "against the payments only."))
        self._check_not_sealed()
        return super(CarteraPromise, self).write(vals)

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
        for promise in self.sudo():
            others = promise.invoice_ids.filtered(
                lambda inv: inv.commercial_partner_id != promise.partner_id
                or inv.type != "out_invoice" or inv.state != "open")
            if others:
                raise ValidationError(_(
                    "Document %s is not an open invoice of %s.") % (
                    others[0].number or others[0].display_name,
                    promise.partner_id.display_name))

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
        paid) or ``broken`` (nothing paid); until then ``pending``.
        Promises of closed follow-ups are sealed: they keep their share,
        which no other promise receives again.

        A fixed number of queries whatever the promises. The promises
        that turn broken or partial are notified (``_notify_failed``) by
        the evaluation when they belong to a few customers, otherwise by
        the "notify broken promises" cron, which it wakes.
        """
        # Raw SQL below: the groups are checked here (found by the access
        # matrix of tests/test_stress_access.py).
        self.env["cartera.scope"]._check_access()
        return self._evaluate(self.env.user.company_id, date_at)

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
        due = fields.Date.from_string(row["date"]) + timedelta(
            days=grace_days)
        if today <= due:
            return "pending"
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
        """For the promises that turned broken or partial: one activity
        "Compromiso incumplido" per customer and responsible, on the
        customer, listing its promises, and one line per customer in its
        chatter. The work grows with the customers whose promises failed
        that day, not with the promises (the first evaluation of an old
        portfolio fails thousands at once), and every value is read once
        beforehand: reading them promise by promise between the creations
        made the ORM prefetch the whole set again and again."""
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
        by_partner = defaultdict(list)
        for (partner_id, user_id), promises in sorted(groups.items()):
            by_partner[partner_id].append((user_id, promises))
        Partner = self.env["res.partner"].sudo()
        for partner_id, parts in sorted(by_partner.items()):
            # In the language of its (first) responsible, like the
            # activity: the collectors read the customer's chatter.
            lang = langs.get(parts[0][0]) or "en_US"
            promises = [promise for _user, group in parts for promise in group]
            Partner.browse(partner_id).message_post(
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
        way, which the next call notifies again."""
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
        from the queue unnotified."""
        cr = self.env.cr
        notified = 0
        while True:
            cr.execute("""
                SELECT id, state IN ('broken', 'partial')
                  FROM cartera_promise
                 WHERE notify_pending AND partner_id IN (
                       SELECT DISTINCT partner_id FROM cartera_promise
                        WHERE notify_pending
                        ORDER BY partner_id LIMIT %s)
                   FOR UPDATE SKIP LOCKED
            """, (self._notify_batch_size(),))
            rows = cr.fetchall()
            if not rows:
                break
            failed = self.browse([pid for pid, still in rows if still])
            failed._notify_failed()
            cr.execute("UPDATE cartera_promise SET notify_pending = FALSE "
                       "WHERE id IN %s", (tuple(pid for pid, _s in rows),))
            self.invalidate_cache(["notify_pending"])
            notified += len(set(failed.mapped("partner_id").ids))
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
    def _failed_by_user(self):
        """{user: promises} of the broken or partly kept promises whose
        activity is still open, for the daily digest; also those queued
        for the notify cron, under the user their activity will go to,
        so that a digest sent before that cron's call misses none."""
        self.invalidate_cache(["failed_activity_id", "notify_pending"])
        promises = self.sudo().search(
            [("state", "in", ("broken", "partial")),
             "|", ("failed_activity_id", "!=", False),
             ("notify_pending", "=", True)],
            order="failed_activity_id, date, id")
        by_user = defaultdict(lambda: self.browse())
        for promise in promises:
            user = promise.failed_activity_id.user_id or \
                promise.responsible_id or promise.followup_id.responsible_id
            if user:
                by_user[user] |= promise
        return by_user

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
