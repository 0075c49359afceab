# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a broken promise's notification writes: an activity for its
responsible on the customer and a note in its follow-up's chatter, once,
when the evaluation decides it broken or partially kept. The evaluation
writes them itself for a few customers; beyond that they wait in the
queue of ``cartera_promise_notify.py``. The daily digest lists the
promises whose activity is open (``cartera.digest``)."""
from collections import defaultdict
from html import escape

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, formatLang

from ..tools.sql import audit_assignments
from .system_parameters import int_parameter

# Customers whose failed promises an evaluation notifies itself; beyond
# that, the notifications are left to the cron (a system parameter
# overrides it). Each customer costs an activity and a chatter message
# through Odoo's mail API, and the first judgement of an old portfolio
# fails thousands at once.
NOTIFY_INLINE_KEY = "cartera_seguimiento.promise_notify_inline"
DEFAULT_NOTIFY_INLINE = 50


class CarteraPromise(models.Model):
    _inherit = "cartera.promise"

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
        evaluation's own bookkeeping."""
        if not links:
            return
        cr = self.env.cr
        # Raw: past the guards of write(), which refuses JUDGEMENT_FIELDS
        # and a sealed follow-up's promises (it may be closed since).
        query = sql.SQL(
            """UPDATE cartera_promise AS p
                  SET failed_activity_id = v.act, {audit}
                 FROM (VALUES {values}) AS v (id, act) WHERE p.id = v.id"""
        ).format(values=sql.SQL(", ").join(
            sql.SQL("(%s, %s)") for _link in links),
            audit=audit_assignments(self.env))
        cr.execute(query.as_string(cr._obj),
                   [value for link in links for value in link])
        self.invalidate_cache(["failed_activity_id", "write_uid",
                               "write_date"])

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
