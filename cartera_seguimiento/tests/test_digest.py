# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily digest goes out once a day, however many servers or manual
runs ask for it (two servers at the same moment: tests/test_multi_server.py)."""
from datetime import timedelta
from unittest import mock

from odoo import SUPERUSER_ID, api, fields, registry
from odoo.exceptions import AccessError
from odoo.tests.common import (
    TransactionCase, at_install, get_db_name, post_install)

from ..models import cartera_digest, locks
from ..models.cartera_digest import DIGEST_DATE_KEY
from .common import CarteraCase


# Also after the whole installation (the only run of a module installed
# without demo data).
@post_install(True)
class TestDigestOnceADay(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestDigestOnceADay, cls).setUpClass()
        today = fields.Date.context_today(
            cls.env["cartera.followup"].with_context(tz="America/Bogota"))
        cls.env["cartera.followup"].sudo(cls.collector1).create({
            "partner_id": cls.customer1.id, "type_id": cls.type_call.id,
            "next_date": today, "next_type_id": cls.type_visit.id,
            "next_note": "Visita hoy"})

    def _digests(self):
        # A private message to the user (TestDigestIsPrivate below).
        partner = self.collector1.partner_id
        return self.env["mail.message"].search_count([
            ("model", "=", False), ("partner_ids", "in", partner.ids)])

    def test_second_run_the_same_day_sends_nothing(self):
        before = self._digests()
        self.env["cartera.digest"]._cron_notify_pending_tasks()
        self.assertEqual(self._digests(), before + 1)
        self.assertEqual(self.env["ir.config_parameter"].get_param(
            DIGEST_DATE_KEY), fields.Date.today())
        # The cron's "Run Manually", or another server's cron, later today.
        cron = self.env.ref("cartera_seguimiento.cartera_followup_cron_notify")
        self.assertEqual(cron.model_id.model, "cartera.digest")
        cron.method_direct_trigger()
        self.assertEqual(self._digests(), before + 1)

    def test_yesterdays_digest_does_not_stop_todays(self):
        yesterday = fields.Date.to_string(
            fields.Date.from_string(fields.Date.today()) - timedelta(days=1))
        self.env["ir.config_parameter"].set_param(DIGEST_DATE_KEY, yesterday)
        before = self._digests()
        self.env["cartera.digest"]._cron_notify_pending_tasks()
        self.assertEqual(self._digests(), before + 1)


@post_install(True)
class TestDigestIsPrivate(CarteraCase):
    """The digest is a message to its user, which no other employee reads
    (it was a note on their partner, which any employee could read through
    mail.message), and which still reaches them: in their inbox, or by
    e-mail, as each user chose."""

    @classmethod
    def setUpClass(cls):
        super(TestDigestIsPrivate, cls).setUpClass()
        today = fields.Date.context_today(
            cls.env["cartera.followup"].with_context(tz="America/Bogota"))
        for user, customer in ((cls.collector1, cls.customer1),
                               (cls.collector2, cls.customer2)):
            cls.env["cartera.followup"].sudo(user).create({
                "partner_id": customer.id, "type_id": cls.type_call.id,
                "next_date": today, "next_type_id": cls.type_visit.id,
                "next_note": "Visita privada de %s" % user.login})
        # Collector 1 reads Odoo's notifications in Odoo, collector 2 by
        # e-mail.
        cls.collector1.notification_type = "inbox"
        cls.collector2.notification_type = "email"

    def _send(self):
        Message = self.env["mail.message"]
        last = Message.search([], order="id desc", limit=1).id
        self.env["cartera.digest"]._cron_notify_pending_tasks()
        return {user: Message.search([
            ("id", ">", last), ("partner_ids", "in", user.partner_id.ids)])
            for user in (self.collector1, self.collector2)}

    def test_digest_read_by_its_user_only(self):
        digests = self._send()
        for user, digest in digests.items():
            self.assertEqual(len(digest), 1)
            self.assertIn("Visita privada de %s" % user.login, digest.body)
            # Its user finds it and reads it...
            Message = self.env["mail.message"].sudo(user)
            self.assertEqual(Message.search([("id", "=", digest.id)]), digest)
            self.assertIn("Visita privada", digest.sudo(user).read(
                ["body"])[0]["body"])
            # ...no other employee does: another collector, a manager, an
            # accountant, even one who reads the user's partner.
            others = (self.collector1 | self.collector2 | self.manager
                      | self.accountant) - user
            for other in others:
                self.assertTrue(user.partner_id.sudo(other).read(["name"]))
                self.assertFalse(self.env["mail.message"].sudo(other).search(
                    [("id", "=", digest.id)]), other.login)
                with self.assertRaises(AccessError):
                    digest.sudo(other).read(["body"])

    def test_digest_reaches_its_user(self):
        digests = self._send()
        # In the inbox of collector 1.
        inbox = digests[self.collector1]
        self.assertIn(inbox, self.env["mail.message"].sudo(
            self.collector1).search([("needaction", "=", True)]))
        self.assertTrue(inbox.sudo(self.collector1).needaction)
        # By e-mail to collector 2, with its subject (sent at once in
        # tests, and its mail.mail deleted: its notification remains).
        emailed = digests[self.collector2]
        notification = self.env["mail.notification"].search(
            [("mail_message_id", "=", emailed.id)])
        self.assertEqual(notification.res_partner_id,
                         self.collector2.partner_id)
        self.assertTrue(notification.is_email)
        self.assertIn(notification.email_status, ("ready", "sent"))
        self.assertIn("1 tarea(s) pendiente(s)", emailed.subject)


# Two transactions: the marker must be committed for the second one to lock
# it. A key of this test's own (the digest's module constant, patched), so
# that no other transaction's hold on the real one gets in the way; removed
# afterwards.
TEST_KEY = "cartera_seguimiento.digest_date_test_two_workers"
CLAIM = ("SELECT value FROM ir_config_parameter WHERE key = %s "
         "FOR UPDATE NOWAIT")


def _set_committed(value):
    with registry(get_db_name()).cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})[
            "ir.config_parameter"].set_param(TEST_KEY, value)


@at_install(False)
@post_install(True)
class TestDigestTwoWorkers(TransactionCase):
    """Two workers at the same moment, one digest: the one that finds the
    marker locked by the other sends nothing, at once, without waiting."""

    def setUp(self):
        # Committed before this test's transaction takes its snapshot, and
        # removed after it has ended (cleanups run last first).
        _set_committed("2000-01-01")
        self.addCleanup(_set_committed, False)
        super(TestDigestTwoWorkers, self).setUp()
        patcher = mock.patch.object(cartera_digest, "DIGEST_DATE_KEY",
                                    TEST_KEY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_locked_marker_sends_nothing(self):
        Digest = self.env["cartera.digest"]
        with registry(get_db_name()).cursor() as other:
            # The other worker, sending its digest right now.
            with locks.claim(other, CLAIM, (TEST_KEY,)) as rows:
                self.assertEqual(rows, [("2000-01-01",)])
            self.assertFalse(Digest._claim_todays_digest())
            # A claim of this transaction gives up the same way.
            with locks.claim(self.cr, CLAIM, (TEST_KEY,)) as rows:
                self.assertIsNone(rows)
            other.rollback()
        # Once the other one has let it go (here: rolled back), this one
        # claims today's digest, once.
        self.assertTrue(Digest._claim_todays_digest())
        self.assertEqual(self.env["ir.config_parameter"].get_param(
            TEST_KEY), fields.Date.today())
        self.assertFalse(Digest._claim_todays_digest())
