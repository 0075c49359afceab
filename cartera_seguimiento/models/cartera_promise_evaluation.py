# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The judgement of payment promises against the ledger.

``evaluate`` gives the customer's real payments to their promises and
decides each one's state; see its docstring for the rule. The promises and
payments are read in two statements, shared out in Python, and the changed
states written in one: a fixed number of queries whatever the promises.
"""
from collections import defaultdict
from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import dates
from ..tools.sql import audit_assignments
from .cartera_promise import DECIDED, EPSILON, STATES

PROMISES = sql.SQL("""
    SELECT p.id, p.partner_id, p.date, p.amount, p.state, p.paid_amount,
           f.state = 'closed' AS sealed,
           (f.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day
      FROM cartera_promise p
      JOIN cartera_followup f ON f.id = p.followup_id
     WHERE p.company_id = %(company_id)s {scope}
""")


class CarteraPromise(models.Model):
    _inherit = "cartera.promise"

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
        # Raw SQL below, which no access right guards: the groups are
        # checked here.
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
        date_at = dates.check_date(
            self.env, date_at, _("As of date")) or today
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
        date_at = dates.check_date(
            self.env, date_at, _("As of date")) or \
            fields.Date.context_today(self)
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
            # Raw: one statement for thousands of changed promises, below
            # write(), which refuses JUDGEMENT_FIELDS to every caller.
            values = sql.SQL(", ").join(
                sql.SQL("(%s, %s, %s)") for _change in changes)
            query = sql.SQL(
                """UPDATE cartera_promise AS p
                      SET state = v.state, paid_amount = v.share,
                          evaluated_on = %s, {audit}
                     FROM (VALUES {values}) AS v (id, state, share)
                    WHERE p.id = v.id""").format(
                        values=values, audit=audit_assignments(self.env))
            params = [date_at]
            for change in changes:
                params.extend(change)
            cr.execute(query.as_string(cr._obj), params)
            self.invalidate_cache(["state", "paid_amount", "evaluated_on",
                                   "write_uid", "write_date"])
        return self.browse(failed)

    @api.model
    def _cron_evaluate(self):
        """Daily: the promises of every company, as the superuser (who
        sees every customer)."""
        for company in self.env["res.company"].sudo().search([]):
            self.sudo()._evaluate(company)
        return True
