# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .cartera_followup_snapshot import SnapshotMany2one

FOLLOWUP_MODEL = "cartera.followup"


# Deleting one of these records would leave closed follow-ups without the
# customer, collector or type they were about: refused while the history
# points at it. Other references (journal, entry, currency, company) are
# kept by Odoo itself or may go with a cancelled invoice.
GUARDED_REFERENCES = {
    "res.partner": ("partner_id",),
    "res.users": ("user_id", "responsible_id"),
    "cartera.followup.type": ("type_id", "next_type_id"),
    "account.invoice": ("invoice_id",),
}


class CarteraFollowupHistory(models.Model):
    """Closed follow-ups, exactly as they were when a closing moved them.

    The fields carry the names of ``cartera.followup`` so that reports and
    the follow-up file read either model alike. A history row keeps the id
    of the follow-up it comes from: ids of both tables come from the
    follow-up sequence, so they never collide. Its conversation (messages
    and followers) stays filed under ``cartera.followup`` and that id, and
    is read from there (see ``mail.message``); only attachments, which Odoo
    checks against their own model, move with it.
    """
    _name = "cartera.followup.history"
    _description = "Closed Receivable Follow-up"
    _inherit = ["mail.thread", "cartera.batch.read.mixin",
                "cartera.followup.snapshot"]
    _order = "date desc, id desc"

    followup_id = fields.Integer(
        string="Original Follow-up ID", readonly=True,
        help="Identifier the follow-up had in the current file.",
    )
    # The one foreign key of the history: a row always belongs to the
    # closing that wrote it.
    closing_id = fields.Many2one(
        "cartera.closing", string="Closing", readonly=True, index=True,
        ondelete="restrict",
    )
    # Odoo's own audit columns, copied from the follow-up like the rest.
    create_uid = SnapshotMany2one(
        "res.users", string="Created by", readonly=True)
    write_uid = SnapshotMany2one(
        "res.users", string="Last Updated by", readonly=True)
    # The conversation of the follow-up, where Odoo filed it.
    message_ids = fields.One2many(
        "mail.message", "res_id", string="Messages",
        domain=[("model", "=", FOLLOWUP_MODEL)], auto_join=True)
    message_follower_ids = fields.One2many(
        "mail.followers", "res_id", string="Followers",
        domain=[("res_model", "=", FOLLOWUP_MODEL)])
    # Read from the closing rather than copied on every row.
    closed_on = fields.Datetime(
        related="closing_id.date", string="Closed On", readonly=True)
    closed_by = fields.Many2one(
        related="closing_id.user_id", string="Closed By", readonly=True)

    # ------------------------------------------------------------------
    # Immutability: no caller, group, context key or superuser gets
    # through, hence no super() call; the closing service inserts with SQL.
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_(
            "Closed follow-ups cannot be created: only a closing moves "
            "follow-ups into the history."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Closed follow-ups cannot be modified."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Closed follow-ups cannot be deleted."))

    @api.model_cr
    def init(self):
        self._file_conversations_under_followups()

    @api.model
    def _file_conversations_under_followups(self):
        """Closings before 11.0.1.2.0 moved the messages and followers to
        the history's model, where its chatter no longer looks: file them
        back under the follow-up (same id). Nothing to do afterwards, hence
        run on every install and update."""
        cr = self.env.cr
        # A partner following both (impossible in practice) keeps one row.
        cr.execute(
            """DELETE FROM mail_followers AS h USING mail_followers AS f
                WHERE h.res_model = %(history)s
                  AND f.res_model = %(followup)s AND f.res_id = h.res_id
                  AND f.partner_id IS NOT DISTINCT FROM h.partner_id
                  AND f.channel_id IS NOT DISTINCT FROM h.channel_id""",
            {"history": self._name, "followup": FOLLOWUP_MODEL})
        cr.execute("UPDATE mail_followers SET res_model = %s "
                   "WHERE res_model = %s", (FOLLOWUP_MODEL, self._name))
        cr.execute("UPDATE mail_message SET model = %s WHERE model = %s",
                   (FOLLOWUP_MODEL, self._name))

    # A closed follow-up is sealed: its conversation is kept as it was.
    @api.multi
    def message_post(  # pylint: disable=method-required-super
            self, *args, **kwargs):
        raise UserError(_(
            "Closed follow-ups are sealed: no message can be added to them."))

    @api.multi
    def message_subscribe(  # pylint: disable=method-required-super
            self, partner_ids=None, channel_ids=None, subtype_ids=None,
            force=True):
        raise UserError(_(
            "Closed follow-ups are sealed: nobody can follow them."))

    @api.multi
    def message_unsubscribe(  # pylint: disable=method-required-super
            self, partner_ids=None, channel_ids=None):
        raise UserError(_(
            "Closed follow-ups are sealed: their followers are kept as "
            "they were."))

    @api.model
    def _guarded_references(self):
        """{model: history fields}: the records the history keeps from
        deletion; a module adding a reference to guard extends it."""
        return dict(GUARDED_REFERENCES)

    @api.model
    def _check_history_references(self, records):
        """Refuse to delete ``records`` while closed follow-ups point at
        them (what a foreign key with ON DELETE RESTRICT would do)."""
        columns = self._guarded_references().get(records._name)
        if not columns or not records.ids:
            return
        # Column names come from the code above; the ids are bound.
        self.env.cr.execute(  # pylint: disable=sql-injection
            "SELECT 1 FROM cartera_followup_history WHERE {where} "
            "LIMIT 1".format(
                where=" OR ".join("%s IN %%(ids)s" % col
                                  for col in columns)),
            {"ids": tuple(records.ids)})
        if self.env.cr.rowcount:
            names = ", ".join(records.sudo().mapped("display_name")[:5])
            raise UserError(_(
                "%s cannot be deleted: closed follow-ups in the history "
                "refer to it. Archive it instead.") % names)
