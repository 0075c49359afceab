# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seal of a closed follow-up covers its conversation: nobody, whatever
their groups, adds, changes, moves or deletes its messages, followers or
files, directly through mail.message, mail.followers and ir.attachment, not
only through the follow-up's own methods. Built with tracking on, as
production runs: the collector who recorded it is its salesperson, one of
its followers and the author of its messages, which is what let them (and
the superuser) through Odoo's own checks."""
from unittest import mock

from odoo.exceptions import AccessError, UserError

from .test_closing import AFTER, DAY_FROM, INSIDE_FIRST, ClosingCase

FOLLOWUP = "cartera.followup"
SEALED = r"Follow-up .+ is closed"
# Test data, not user-facing text.
BODY = "Cliente promete pagar el viernes"
DATAS = "aG9sYQ=="  # "hola"


class SealCase(ClosingCase):

    @classmethod
    def setUpClass(cls):
        super(SealCase, cls).setUpClass()
        # Tracking on: CarteraCase turns it off for speed elsewhere.
        context = dict(cls.env.context)
        for key in ("tracking_disable", "mail_create_nolog", "mail_notrack"):
            context.pop(key, None)
        cls.env = cls.env(context=context)
        cls.Followup = cls.env[FOLLOWUP]
        cls.Message = cls.env["mail.message"]
        cls.Followers = cls.env["mail.followers"]
        cls.Attachment = cls.env["ir.attachment"]
        cls.note_subtype = cls.env.ref("mail.mt_note")

    def _record(self, user, date, **vals):
        """A follow-up recorded by ``user`` with a note and a file of
        theirs."""
        followup = self._followup(user=user, date=date, **vals)
        as_user = followup.sudo(user)
        note = as_user.message_post(
            body=BODY, message_type="comment", subtype="mail.mt_note")
        attachment = self.Attachment.sudo(user).create({
            "name": "soporte.txt", "datas_fname": "soporte.txt",
            "datas": DATAS, "res_model": FOLLOWUP, "res_id": followup.id})
        return followup, note, attachment

    def _conversation(self, followup):
        """What the file holds, read from the tables."""
        cr = self.env.cr
        cr.execute("""SELECT id, body, author_id, parent_id,
                             (SELECT array_agg(attachment_id ORDER BY
                                               attachment_id)
                                FROM message_attachment_rel
                               WHERE message_id = m.id)
                        FROM mail_message m
                       WHERE model = %s AND res_id = %s ORDER BY id""",
                   (FOLLOWUP, followup.id))
        messages = cr.fetchall()
        cr.execute("""SELECT f.id, f.partner_id, f.channel_id,
                             (SELECT array_agg(mail_message_subtype_id
                                               ORDER BY
                                               mail_message_subtype_id)
                                FROM mail_followers_mail_message_subtype_rel
                               WHERE mail_followers_id = f.id)
                        FROM mail_followers f
                       WHERE res_model = %s AND res_id = %s ORDER BY id""",
                   (FOLLOWUP, followup.id))
        followers = cr.fetchall()
        cr.execute("""SELECT id, name, datas_fname, checksum
                        FROM ir_attachment
                       WHERE res_model = %s AND res_id = %s ORDER BY id""",
                   (FOLLOWUP, followup.id))
        return messages, followers, cr.fetchall()


class TestSealedConversation(SealCase):

    def setUp(self):
        super(TestSealedConversation, self).setUp()
        # Collector 1 records it (their customer's), notes it and attaches
        # a file; the manager comments on it, which notifies collector 1
        # in their inbox.
        self.collector1.notification_type = "inbox"
        self.sealed, self.note, self.file = self._record(
            self.collector1, INSIDE_FIRST, invoice_id=self.invoice1.id)
        self.comment = self.sealed.sudo(self.manager).message_post(
            body=BODY, message_type="comment", subtype="mail.mt_comment")
        # An open follow-up of the same customer, with its own note and
        # file, to move things from and to.
        self.open, self.loose_note, self.loose_file = self._record(
            self.collector1, AFTER, invoice_id=self.invoice1.id)
        self._close()
        self.sealed.invalidate_cache()
        self.assertEqual(self.sealed.state, "closed")
        self.assertEqual(self.open.state, "open")
        # What let collector 1 through Odoo's own checks.
        partner = self.collector1.partner_id
        self.assertEqual(self.sealed.user_id, self.collector1)
        self.assertIn(partner, self.sealed.message_follower_ids.mapped(
            "partner_id"))
        self.assertEqual(
            set(self.sealed.message_ids.mapped("author_id")),
            {partner, self.manager.partner_id})
        self.assertEqual(self.note.author_id, partner)
        self.assertIn(partner, self.comment.needaction_partner_ids)
        self.before = self._conversation(self.sealed)
        self.open_before = self._conversation(self.open)

    def _everyone(self):
        """The collector, the manager and the superuser, each as an
        environment."""
        yield self.env(user=self.collector1.id)
        yield self.env(user=self.manager.id)
        yield self.env

    def _refused(self, env, call):
        with self.assertRaisesRegex(UserError, SEALED):
            call()
        self.assertEqual(self._conversation(self.sealed), self.before,
                         "changed by user %s" % env.user.login)
        self.assertEqual(self._conversation(self.open), self.open_before,
                         "changed by user %s" % env.user.login)

    def test_no_message_added(self):
        for env in self._everyone():
            Message = env["mail.message"]
            values = {"model": FOLLOWUP, "res_id": self.sealed.id,
                      "body": BODY, "message_type": "comment",
                      "subtype_id": self.note_subtype.id}
            self._refused(env, lambda: Message.create(dict(values)))
            # An answer to its messages, filed under it or under nothing.
            for parent in (self.note, self.comment):
                self._refused(env, lambda: Message.create(dict(
                    values, parent_id=parent.id)))
                self._refused(env, lambda: Message.create({
                    "body": BODY, "message_type": "comment",
                    "parent_id": parent.id}))
            # A message carrying a new file.
            upload = env["ir.attachment"].create({
                "name": "nuevo.txt", "datas_fname": "nuevo.txt",
                "datas": DATAS, "res_model": "mail.compose.message",
                "res_id": 0})
            self._refused(env, lambda: Message.create(dict(
                values, attachment_ids=[(4, upload.id)])))

    def test_no_message_changed_or_deleted(self):
        for env in self._everyone():
            note = self.note.sudo(env.uid)
            self._refused(env, lambda: note.write({"body": "<p>Otra</p>"}))
            self._refused(env, lambda: note.write({
                "attachment_ids": [(4, self.loose_file.id)]}))
            self._refused(env, lambda: note.write({
                "partner_ids": [(4, self.collector2.partner_id.id)]}))
            self._refused(env, lambda: note.unlink())
            self._refused(env, lambda: self.comment.sudo(env.uid).unlink())

    def test_no_message_moved_in_or_out(self):
        partner_note = self.customer1.message_post(
            body=BODY, message_type="comment", subtype="mail.mt_note")
        for env in self._everyone():
            # Out of it, to the open follow-up or another document.
            note = self.note.sudo(env.uid)
            self._refused(env, lambda: note.write({"res_id": self.open.id}))
            self._refused(env, lambda: note.write({
                "model": "res.partner", "res_id": self.customer1.id}))
            # Into it, from the open follow-up or another document.
            loose = self.loose_note.sudo(env.uid)
            self._refused(env, lambda: loose.write({"res_id": self.sealed.id}))
            other = partner_note.sudo(env.uid)
            self._refused(env, lambda: other.write({
                "model": FOLLOWUP, "res_id": self.sealed.id}))
            # Into its thread, as an answer to one of its messages.
            self._refused(env, lambda: other.write({
                "parent_id": self.note.id}))

    def test_no_follower_added_removed_or_changed(self):
        followers = self.sealed.message_follower_ids
        mine = followers.filtered(
            lambda f: f.partner_id == self.collector1.partner_id)
        open_follower = self.open.message_follower_ids[:1]
        for env in self._everyone():
            Followers = env["mail.followers"]
            self._refused(env, lambda: Followers.create({
                "res_model": FOLLOWUP, "res_id": self.sealed.id,
                "partner_id": self.collector2.partner_id.id}))
            follower = mine.sudo(env.uid)
            self._refused(env, lambda: follower.unlink())
            self._refused(env, lambda: follower.write({
                "subtype_ids": [(6, 0, [self.note_subtype.id])]}))
            self._refused(env, lambda: follower.write({
                "res_id": self.open.id}))
            moved = open_follower.sudo(env.uid)
            self._refused(env, lambda: moved.write({
                "res_id": self.sealed.id}))

    def test_no_file_attached_changed_or_removed(self):
        for env in self._everyone():
            Attachment = env["ir.attachment"]
            self._refused(env, lambda: Attachment.create({
                "name": "nuevo.txt", "datas_fname": "nuevo.txt",
                "datas": DATAS, "res_model": FOLLOWUP,
                "res_id": self.sealed.id}))
            # Moved in by its res_id alone: Odoo asks only the record it
            # leaves.
            loose = self.loose_file.sudo(env.uid)
            self._refused(env, lambda: loose.write({
                "res_id": self.sealed.id}))
            own = self.file.sudo(env.uid)
            self._refused(env, lambda: own.write({"res_id": self.open.id}))
            self._refused(env, lambda: own.write({"datas": "Y2hhdQ=="}))
            self._refused(env, lambda: own.unlink())

    def test_notifications_and_stars_keep_working(self):
        """What Odoo writes on a message for its readers changes nothing
        of the file: starring, the inbox, the mail queue."""
        comment = self.comment.sudo(self.collector1)
        comment.invalidate_cache()
        self.assertTrue(comment.needaction)
        comment.toggle_message_starred()
        self.assertTrue(comment.starred)
        comment.set_message_done()
        comment.invalidate_cache()
        self.assertFalse(comment.needaction)
        comment.mark_as_unread()
        comment.invalidate_cache()
        self.assertTrue(comment.needaction)
        self.env["mail.message"].sudo(self.collector1).mark_all_as_read(
            domain=[("id", "=", comment.id)])
        comment.invalidate_cache()
        self.assertFalse(comment.needaction)
        self.env["mail.message"].sudo(self.collector1).unstar_all()
        comment.invalidate_cache()
        self.assertFalse(comment.starred)
        # The mail queue writes back the Message-Id it sent the message
        # with (mail.mail.send): the same value.
        self.comment.sudo().write({"message_id": self.comment.message_id})
        with self.assertRaisesRegex(UserError, SEALED):
            self.comment.sudo().write({"message_id": "<otro@example.com>"})
        self.assertEqual(self._conversation(self.sealed), self.before)
        # The collector still reads it all.
        formatted = self.sealed.sudo(
            self.collector1).message_ids.message_format()
        self.assertEqual(len(formatted), len(self.before[0]))


class TestOpenConversation(SealCase):

    def test_open_followup_gets_messages_followers_and_files(self):
        followup, note, attachment = self._record(
            self.collector1, INSIDE_FIRST, invoice_id=self.invoice1.id)
        as_collector = self.env(user=self.collector1.id)
        Message = as_collector["mail.message"]
        values = {"model": FOLLOWUP, "res_id": followup.id, "body": BODY,
                  "message_type": "comment",
                  "subtype_id": self.note_subtype.id}
        direct = Message.create(dict(values))
        reply = Message.create(dict(values, parent_id=note.id))
        upload = as_collector["ir.attachment"].create({
            "name": "nuevo.txt", "datas_fname": "nuevo.txt",
            "datas": DATAS, "res_model": "mail.compose.message",
            "res_id": 0})
        posted = followup.sudo(self.collector1).message_post(
            body=BODY, message_type="comment", subtype="mail.mt_note",
            attachment_ids=[upload.id])
        note.sudo(self.collector1).write({"body": "<p>Corregida</p>"})
        as_collector["mail.followers"].create({
            "res_model": FOLLOWUP, "res_id": followup.id,
            "partner_id": self.manager.partner_id.id})
        followup.sudo(self.collector1).message_subscribe(
            partner_ids=[self.collector1.partner_id.id])
        second = as_collector["ir.attachment"].create({
            "name": "otro.txt", "datas_fname": "otro.txt", "datas": DATAS,
            "res_model": FOLLOWUP, "res_id": followup.id})
        followup.invalidate_cache()
        self.assertTrue({direct, reply, posted, note} <= set(
            followup.message_ids))
        self.assertIn(self.manager.partner_id,
                      followup.message_follower_ids.mapped("partner_id"))
        self.assertEqual(upload.res_model, FOLLOWUP)
        self.assertEqual(set(self.Attachment.search([
            ("res_model", "=", FOLLOWUP), ("res_id", "=", followup.id)])),
            {attachment, upload, second})
        # Closing it keeps all of it, as it was.
        before = self._conversation(followup)
        wizard = self.env["cartera.closing.wizard"].sudo(self.manager).create(
            {"date_from": DAY_FROM, "date_to": DAY_FROM,
             "partner_id": self.customer1.id})
        self.assertEqual(wizard.followup_count, 1)
        wizard.action_close()
        followup.invalidate_cache()
        self.assertEqual(followup.state, "closed")
        self.assertEqual(self._conversation(followup), before)

    def test_other_documents_never_ask_follow_ups(self):
        """Only follow-ups are asked: the messages, followers and files of
        a customer are created, written and deleted without one query on
        follow-ups."""
        cr = self.env.cr
        with mock.patch.object(cr, "execute", wraps=cr.execute) as spy:
            message = self.customer1.message_post(
                body=BODY, message_type="comment", subtype="mail.mt_note")
            message.write({"body": "<p>Otra</p>"})
            message.unlink()
            follower = self.Followers.create({
                "res_model": "res.partner", "res_id": self.customer1.id,
                "partner_id": self.collector2.partner_id.id})
            follower.write({"subtype_ids": [(6, 0, [])]})
            follower.unlink()
            attachment = self.Attachment.create({
                "name": "rut.txt", "datas_fname": "rut.txt", "datas": DATAS,
                "res_model": "res.partner", "res_id": self.customer1.id})
            attachment.write({"name": "rut2.txt"})
            attachment.unlink()
        queries = [str(call[0][0]) for call in spy.call_args_list]
        self.assertTrue(queries)
        self.assertFalse([query for query in queries
                          if "cartera_followup" in query])
        self.assertFalse(message.exists() or follower.exists()
                         or attachment.exists())


class TestFollowOnlyWhatYouRead(SealCase):

    def test_collector_cannot_follow_another_collectors_followup(self):
        theirs = self._followup(user=self.collector2, date=AFTER,
                                partner_id=self.customer2.id)
        mine = self._followup(user=self.collector1, date=AFTER)
        with self.assertRaises(AccessError):
            theirs.sudo(self.collector1).read(["notes"])
        before = self._conversation(theirs)
        me = self.collector1.partner_id
        as_collector = theirs.sudo(self.collector1)
        for partner in (me, self.customer1, self.manager.partner_id):
            with self.assertRaises(AccessError):
                as_collector.message_subscribe(partner_ids=[partner.id])
        Followers = self.Followers.sudo(self.collector1)
        for partner in (me, self.manager.partner_id):
            with self.assertRaises(AccessError):
                Followers.create({"res_model": FOLLOWUP, "res_id": theirs.id,
                                  "partner_id": partner.id})
        # Nor by moving their following of their own follow-up there.
        own = Followers.search([("res_model", "=", FOLLOWUP),
                                ("res_id", "=", mine.id),
                                ("partner_id", "=", me.id)])
        self.assertTrue(own)
        with self.assertRaises(AccessError):
            own.write({"res_id": theirs.id})
        self.assertEqual(self._conversation(theirs), before)
        # The manager, who reads it, may follow it.
        theirs.sudo(self.manager).message_subscribe(
            partner_ids=[self.manager.partner_id.id])
        self.assertIn(self.manager.partner_id,
                      theirs.message_follower_ids.mapped("partner_id"))
