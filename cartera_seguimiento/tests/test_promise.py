# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payment promises judged against the ledger, on hand-computed cases.

Customer 1 is followed up on 2026-03-01 (10:00 in Bogotá) and promises to
pay; the company's grace is 3 days, so a promise of March 5th is judged on
March 9th. Each case says which payments exist and what follows."""
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.tools import mute_logger

from .common import CarteraCase

FOLLOWUP_DAY = "2026-03-01 15:00:00"


class PromiseCase(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(PromiseCase, cls).setUpClass()
        cls.Promise = cls.env["cartera.promise"]
        # The demo's promises (a database with demo data) would be judged
        # and counted by evaluate() too.
        cls.Promise.sudo().search([]).unlink()
        cls.bank = cls.env["account.journal"].search([
            ("company_id", "=", cls.company.id), ("type", "=", "bank")],
            limit=1)
        cls.company.cartera_promise_grace_days = 3
        cls.invoice_big = cls._create_invoice(
            cls.customer1, 5000.0, date_invoice="2026-02-01",
            date_due="2026-02-28")

    def _promise(self, amount, date, followup_date=FOLLOWUP_DAY,
                 partner=None, user=None):
        followup = self._followup(
            user=user or self.collector1, date=followup_date,
            partner_id=(partner or self.customer1).id)
        return self.Promise.sudo(user or self.collector1).create({
            "followup_id": followup.id, "amount": amount, "date": date})

    def _pay(self, amount, date, invoice=None):
        invoice = invoice or self.invoice_big
        vals = invoice._prepare_payment_vals(self.bank, amount, date)
        vals["currency_id"] = invoice.currency_id.id
        self.env["account.payment"].create(vals).post()

    def _evaluate(self, date_at, user=None):
        counts = self.Promise.sudo(user or self.manager).evaluate(date_at)
        self.Promise.invalidate_cache()
        return counts

    def _judged(self, promise):
        promise.invalidate_cache()
        return promise.state, promise.paid_amount


class TestPromiseJudgement(PromiseCase):

    def test_payment_on_the_day_keeps_it(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(400.0, "2026-03-05")
        counts = self._evaluate("2026-03-05")
        self.assertEqual(self._judged(promise), ("kept", 400.0))
        self.assertEqual(counts["kept"], 1)

    def test_unposted_payment_does_not_count(self):
        promise = self._promise(400.0, "2026-03-05")
        self._unposted_entry(self.customer1, -400.0, "2026-03-05",
                             journal=self.bank)
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_payment_before_the_followup_does_not_count(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(400.0, "2026-02-28")
        self.assertEqual(self._evaluate("2026-03-08")["pending"], 1)
        self.assertEqual(self._judged(promise), ("pending", 0.0))
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_grace_then_late_payment(self):
        promise = self._promise(400.0, "2026-03-05")
        # Within the grace days: still pending.
        self._evaluate("2026-03-08")
        self.assertEqual(self._judged(promise), ("pending", 0.0))
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))
        # Paid after the grace: its share reaches the amount, kept.
        self._pay(400.0, "2026-03-10")
        self._evaluate("2026-03-10")
        self.assertEqual(self._judged(promise), ("kept", 400.0))

    def test_two_promises_one_payment(self):
        first = self._promise(400.0, "2026-03-05")
        second = self._promise(600.0, "2026-03-20")
        # 700 on March 4th: 400 to the first, 300 to the second.
        self._pay(700.0, "2026-03-04")
        self._evaluate("2026-03-21")
        self.assertEqual(self._judged(first), ("kept", 400.0))
        self.assertEqual(self._judged(second), ("pending", 300.0))
        counts = self._evaluate("2026-03-24")
        self.assertEqual(self._judged(second), ("partial", 300.0))
        self.assertEqual((counts["kept"], counts["partial"]), (1, 1))

    def test_kept_stays_kept(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(400.0, "2026-03-05")
        self._evaluate("2026-03-05")
        # The same payments judged as of an earlier day would not reach
        # the amount; a kept promise stays so.
        self._evaluate("2026-03-04")
        self.assertEqual(self._judged(promise)[0], "kept")

    def test_credit_note_is_not_a_payment(self):
        promise = self._promise(400.0, "2026-03-05")
        refund = self._create_invoice(
            self.customer1, 400.0, inv_type="out_refund",
            date_invoice="2026-03-04", date_due="2026-03-04")
        (refund.move_id.line_ids | self.invoice_big.move_id.line_ids).filtered(
            lambda l: l.account_id.internal_type == "receivable").reconcile()
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_another_customers_payment_does_not_count(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(2500.0, "2026-03-03", invoice=self.invoice2)
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))

    def test_closed_followups_promise_is_sealed_and_not_paid_twice(self):
        # January: promise of 300, kept by a payment of 500 on Feb 1st.
        sealed = self._promise(300.0, "2026-01-20",
                               followup_date="2026-01-05 15:00:00")
        self._pay(500.0, "2026-02-01")
        self._evaluate("2026-02-01")
        self.assertEqual(self._judged(sealed), ("kept", 300.0))
        self.env["cartera.closing"].sudo(self.manager)._close_followups(
            "2026-01-01", "2026-01-31")
        with self.assertRaisesRegex(UserError, "closed"):
            sealed.sudo(self.manager).write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "closed"):
            self.Promise.sudo(self.manager).create({
                "followup_id": sealed.followup_id.id, "amount": 5.0,
                "date": "2026-02-01"})
        # A new promise the same day: the 500 paid 300 to the sealed one,
        # 200 are left for it.
        fresh = self._promise(400.0, "2026-02-10",
                              followup_date="2026-02-01 15:00:00")
        self._evaluate("2026-02-14")
        self.assertEqual(self._judged(fresh), ("partial", 200.0))
        self.assertEqual(self._judged(sealed), ("kept", 300.0))

    def test_idempotent_with_one_activity_and_one_chatter_line(self):
        promise = self._promise(400.0, "2026-03-05")
        self._pay(100.0, "2026-03-02")
        first = self._evaluate("2026-03-09")
        Activity = self.env["mail.activity"]
        activities = Activity.search([
            ("res_model", "=", "res.partner"),
            ("res_id", "=", self.customer1.id),
            ("activity_type_id", "=", self.env.ref(
                "cartera_seguimiento.mail_activity_promise_broken").id)])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.collector1)
        self.assertEqual(activities.summary, "Compromiso incumplido")
        self.assertEqual(promise.failed_activity_id, activities)
        # The note is on the follow-up (its readers), not on the customer
        # (every employee's).
        log = promise.followup_id.message_ids.filtered(
            lambda m: "Cumplido parcialmente" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertFalse(self.customer1.message_ids.filtered(
            lambda m: "Cumplido parcialmente" in (m.body or "")))
        again = self._evaluate("2026-03-09")
        self.assertEqual(first, again)
        self.assertEqual(self._judged(promise), ("partial", 100.0))
        self.assertEqual(len(Activity.search([
            ("res_model", "=", "res.partner"),
            ("res_id", "=", self.customer1.id)])), 1)
        # The responsible's digest lists it.
        promises = self.env["cartera.digest"]._failed_promises_by_user()
        self.assertEqual(promises[self.collector1], promise)

    def test_failures_of_a_day_grouped_per_customer_and_responsible(self):
        # Two promises of customer 1 (nothing paid) and one of customer 2
        # fail on the same evaluation: one activity and one chatter line per
        # customer, the first listing both promises in date order.
        first = self._promise(300.0, "2026-03-05")
        second = self._promise(200.0, "2026-03-04")
        other = self._promise(150.0, "2026-03-05", partner=self.customer2)
        self._evaluate("2026-03-09")
        Activity = self.env["mail.activity"]
        broken = self.env.ref(
            "cartera_seguimiento.mail_activity_promise_broken")
        mine = Activity.search([("res_model", "=", "res.partner"),
                                ("res_id", "=", self.customer1.id),
                                ("activity_type_id", "=", broken.id)])
        self.assertEqual(len(mine), 1)
        self.assertEqual((first | second).mapped("failed_activity_id"), mine)
        self.assertLess(mine.note.index("200,00"), mine.note.index("300,00"))
        self.assertEqual(mine.note.count("<li>"), 2)
        theirs = other.failed_activity_id
        self.assertTrue(theirs)
        self.assertEqual(theirs.res_id, self.customer2.id)
        self.assertNotIn("<li>", theirs.note)
        # One note on each follow-up, listing its promises.
        for promise in (first, second, other):
            log = promise.followup_id.message_ids.filtered(
                lambda m: "Incumplido" in (m.body or ""))
            self.assertEqual(len(log), 1)
            self.assertEqual(log.body.count("Incumplido"), 1)
        for customer in (self.customer1, self.customer2):
            self.assertFalse(customer.message_ids.filtered(
                lambda m: "Incumplido" in (m.body or "")))

    def _broken_activities(self, customer):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", customer.id),
            ("activity_type_id", "=", self.env.ref(
                "cartera_seguimiento.mail_activity_promise_broken").id)])

    def _notify_inline(self, customers):
        # get_param is cached, and the test's rollback leaves that cache:
        # cleared again before the rollback, the parameter is read anew.
        self.addCleanup(self.env["ir.config_parameter"].clear_caches)
        self.env["ir.config_parameter"].sudo().set_param(
            "cartera_seguimiento.promise_notify_inline", str(customers))

    def test_failures_of_many_customers_are_left_to_the_cron(self):
        # Two customers fail, one more than the evaluation notifies itself:
        # it queues them and wakes the cron, which notifies each once.
        self._notify_inline(1)
        cron = self.env.ref("cartera_seguimiento.cartera_promise_cron_notify")
        cron.nextcall = "2099-01-01 00:00:00"
        first = self._promise(300.0, "2026-03-05")
        second = self._promise(200.0, "2026-03-04")
        other = self._promise(150.0, "2026-03-05", partner=self.customer2)
        promises = first | second | other
        self.assertEqual(self._evaluate("2026-03-09")["broken"], 3)
        promises.invalidate_cache()
        self.assertEqual(promises.mapped("state"), ["broken"] * 3)
        self.assertEqual(promises.mapped("notify_pending"), [True] * 3)
        self.assertFalse(promises.mapped("failed_activity_id"))
        self.assertFalse(self._broken_activities(self.customer1))
        cron.invalidate_cache()
        self.assertLess(cron.nextcall, "2099-01-01 00:00:00")
        # A digest sent before the cron's call lists them all the same,
        # for the collector who is to get their activity.
        digest = self.env["cartera.digest"]
        self.assertEqual(
            digest._failed_promises_by_user()[self.collector1], promises)

        self.Promise._cron_notify()
        promises.invalidate_cache()
        self.assertEqual(promises.mapped("notify_pending"), [False] * 3)
        mine = self._broken_activities(self.customer1)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.user_id, self.collector1)
        self.assertEqual(mine.note.count("<li>"), 2)
        self.assertEqual((first | second).mapped("failed_activity_id"), mine)
        self.assertEqual(other.failed_activity_id,
                         self._broken_activities(self.customer2))
        for promise in promises:
            log = promise.followup_id.message_ids.filtered(
                lambda m: "Incumplido" in (m.body or ""))
            self.assertEqual(len(log), 1)
        # Nothing left: a second call (or a second evaluation) adds none.
        self.assertEqual(self.Promise._notify_queued(), 0)
        self._evaluate("2026-03-09")
        self.Promise._cron_notify()
        self.assertEqual(len(self._broken_activities(self.customer1)), 1)
        digest = self.env["cartera.digest"]
        self.assertEqual(
            digest._failed_promises_by_user()[self.collector1], promises)

    def test_queued_promise_kept_meanwhile_is_not_notified(self):
        self._notify_inline(0)
        promise = self._promise(400.0, "2026-03-05")
        self._evaluate("2026-03-09")
        self.assertEqual(self._judged(promise), ("broken", 0.0))
        self.assertTrue(promise.notify_pending)
        # Paid late, before the cron came: it is kept, nobody is told it
        # was broken, and it leaves the queue.
        self._pay(400.0, "2026-03-10")
        self._evaluate("2026-03-10")
        self.assertEqual(self._judged(promise), ("kept", 400.0))
        self.assertEqual(self.Promise._notify_queued(), 0)
        promise.invalidate_cache()
        self.assertFalse(promise.notify_pending)
        self.assertFalse(promise.failed_activity_id)
        self.assertFalse(self._broken_activities(self.customer1))

    def test_notification_flag_is_not_writable(self):
        promise = self._promise(400.0, "2026-03-05")
        with self.assertRaises(UserError):
            promise.sudo(self.manager).write({"notify_pending": True})

    def test_query_count_does_not_grow_with_promises(self):
        def queries(count, day):
            for _index in range(count):
                self._promise(100.0, day, followup_date=day + " 15:00:00")
            self._evaluate(day)         # first judgement, no failure yet
            self.env.cache.invalidate()
            start = self.env.cr.sql_log_count
            self._evaluate(day)
            return self.env.cr.sql_log_count - start
        self.assertEqual(queries(5, "2026-04-01"), queries(50, "2026-05-01"))


class TestPromiseRules(PromiseCase):

    def _capture_page_queries(self):
        """Queries of Captura's first page as the collector reads it:
        the list view's fields, the action's domain."""
        Followup = self.env["cartera.followup"].sudo(self.collector1)
        fields_ = list(Followup.fields_view_get(
            view_type="tree")["fields"])
        self.assertIn("promise_amount", fields_)
        domain = [("state", "=", "open")]
        Followup.search_read(domain, fields_, limit=80)  # warm the caches
        Followup.invalidate_cache()
        self.Promise.invalidate_cache()
        before = self.env.cr.sql_log_count
        rows = Followup.search_read(domain, fields_, limit=80)
        return self.env.cr.sql_log_count - before, rows

    def test_capture_list_reads_promises_at_once(self):
        """Found by the bench (6 s a page at large): each line's promise
        read alone, through the promises' record rule."""
        def add(count):
            for n in range(count):
                self._promise(100.0 + n, "2026-03-%02d" % (5 + n % 20))
        add(3)
        queries_3, rows_3 = self._capture_page_queries()
        add(17)
        queries_20, rows_20 = self._capture_page_queries()
        self.assertEqual(len(rows_20) - len(rows_3), 17)
        self.assertEqual(
            sorted(row["promise_amount"] for row in rows_20
                   if row["promise_amount"])[:3], [100.0, 100.0, 101.0])
        self.assertEqual(queries_20, queries_3)

    def test_capture_checks(self):
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self._promise(0.01, "2026-02-27")
        # Refused by the database's CHECK (logged by Odoo as a bad query).
        with self.assertRaises(Exception):
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self._promise(-5.0, "2026-03-05")
        promise = self._promise(10.0, "2026-03-05")
        with self.assertRaisesRegex(UserError, "evaluation"):
            promise.write({"state": "kept"})
        # In a savepoint, as a request's transaction: Odoo 11 replaces a
        # many2many only among the records the user reads, and the
        # collector does not read another collector's invoice.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            promise.write({"invoice_ids": [(6, 0, [self.invoice2.id])]})
        promise.write({"invoice_ids": [(6, 0, [self.invoice_big.id])]})
        # From the editable list: one amount and date on the line.
        followup = self._followup(user=self.collector1, date=FOLLOWUP_DAY,
                                  promise_amount=250.0,
                                  promise_date="2026-03-10")
        self.assertEqual(followup.promise_ids.amount, 250.0)
        self.assertEqual(followup.promise_ids.responsible_id, self.collector1)
        # Over RPC, as promise_ids commands.
        followup = self._followup(user=self.collector1, date=FOLLOWUP_DAY,
                                  promise_ids=[(0, 0, {
                                      "amount": 100.0, "date": "2026-03-02"}),
                                      (0, 0, {"amount": 200.0,
                                              "date": "2026-04-02"})])
        self.assertEqual(followup.promise_ids.mapped("amount"),
                         [100.0, 200.0])
        self.assertEqual(self.customer1.cartera_promise_state, "pending")

    def test_collectors_see_their_customers_promises(self):
        mine = self._promise(100.0, "2026-03-05")
        theirs = self._promise(100.0, "2026-03-05", partner=self.customer2,
                               user=self.collector2)
        ids = (mine | theirs).ids
        self.assertEqual(self.Promise.sudo(self.collector1).search(
            [("id", "in", ids)]), mine)
        self.assertEqual(self.Promise.sudo(self.collector2).search(
            [("id", "in", ids)]), theirs)
        self.assertEqual(len(self.Promise.sudo(self.manager).search(
            [("id", "in", ids)])), 2)
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).read(["amount"])
        # A collector's evaluation (as of today: an earlier day is for
        # managers) judges only what they may see.
        counts = self._evaluate(None, user=self.collector1)
        self.assertEqual(sum(counts.values()), 1)
        self.assertEqual(self._judged(theirs), ("pending", 0.0))
        self.assertEqual(self._judged(mine), ("broken", 0.0))
