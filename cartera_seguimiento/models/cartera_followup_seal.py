# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seal of closed follow-ups.

A closed follow-up stays exactly as its closing left it, for every user,
the superuser included (record rules do not bind him): its values, its
conversation (``mail.message``), its followers (``mail.followers``) and its
files (``ir.attachment``). Every way of changing one of them passes through
one guard, ``_check_not_sealed``: the overrides below, ``write`` and
``message_post`` of cartera_followup.py, and the overrides of the documented
create/write/unlink of mail.message, mail.followers and ir.attachment
(mail_message.py, mail_followers.py, ir_attachment.py), which ask it about
the follow-ups their records belong to. Only the closing service changes
the status, with SQL.
"""
from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

FOLLOWUP_MODEL = "cartera.followup"


def as_id(value):
    """The id the ORM stores for ``value`` of an Integer or Many2one field,
    as a caller may send it (an int, a string of digits, a pair); 0 for
    none or what the ORM itself refuses."""
    if isinstance(value, (tuple, list)):
        value = value[0] if value else False
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def followup_ids(targets):
    """The ids of follow-ups among ``targets``, pairs (model, res_id) of
    messages, followers or attachments: what the guard is asked about."""
    return {as_id(res_id) for model, res_id in targets
            if model == FOLLOWUP_MODEL and as_id(res_id)}


def seal_targets(records, vals=None, model_column="res_model",
                 unchanged_column=None):
    """Pairs (model, res_id) of the documents that ``records`` (messages,
    followers or attachments: a ``model_column`` and a ``res_id`` each)
    belong to and, for ``vals`` written, will belong to; read with one
    query. A record whose ``unchanged_column`` is written with the value it
    already has is left out: the write changes nothing of it."""
    if not records.ids:
        return []
    cr = records.env.cr
    columns = [model_column, "res_id"] + (
        [unchanged_column] if unchanged_column else [])
    cr.execute(sql.SQL("SELECT {} FROM {} WHERE id IN %s").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.Identifier(records._table)).as_string(cr._obj),
        (tuple(records.ids),))
    vals = vals or {}
    targets = []
    for row in cr.fetchall():
        model, res_id = row[0], row[1]
        if unchanged_column and vals.get(unchanged_column) == row[2]:
            continue
        targets.append((model, res_id))
        if model_column in vals or "res_id" in vals:
            targets.append((vals.get(model_column, model),
                            vals.get("res_id", res_id)))
    return targets


class CarteraFollowupSeal(models.Model):
    _inherit = FOLLOWUP_MODEL

    @api.multi
    def _check_not_sealed(self, operation, vals=None):
        """Refuse ``operation`` if one of these follow-ups is closed (one
        query), or if ``vals`` would change a status."""
        if vals and {"state", "closing_id"} & set(vals):
            raise UserError(_(
                "The status of a follow-up is changed by closings only."))
        if not self.ids:
            return
        self.env.cr.execute(
            "SELECT name FROM cartera_followup WHERE id IN %s "
            "AND state = 'closed' ORDER BY id LIMIT 5", (tuple(self.ids),))
        names = [row[0] for row in self.env.cr.fetchall()]
        if not names:
            return
        messages = {
            "write": _("Follow-up %s is closed: it can no longer be "
                       "modified."),
            "unlink": _("Follow-up %s is closed: it can no longer be "
                        "deleted."),
            "post": _("Follow-up %s is closed: no message can be added "
                      "to it."),
            "message": _("Follow-up %s is closed: its messages are kept "
                         "as they were."),
            "follow": _("Follow-up %s is closed: its followers are kept "
                        "as they were."),
            "attach": _("Follow-up %s is closed: its attachments are kept "
                        "as they were."),
        }
        raise UserError(messages.get(operation, messages["write"])
                        % ", ".join(names))

    @api.multi
    def _check_can_follow(self, partner_ids=None):
        """Nobody follows a follow-up they cannot read: neither the user
        who adds followers nor the partners added. Odoo 11 asks only the
        first, and only of message_subscribe, which quietly returns False
        when a user subscribes themself; mail.followers asks nothing. A
        follower is mailed the conversation, so a partner whose users
        cannot read these follow-ups (another collector, a customer, a
        portal user) never follows them, whoever adds them, the superuser
        included."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        partners = self.env["res.partner"].sudo().browse(
            [as_id(pid) for pid in partner_ids or [] if as_id(pid)]).exists()
        outsiders = partners - self._partners_who_read(partners)
        if outsiders:
            raise AccessError(_(
                "%s cannot read follow-up(s) %s, so they cannot follow "
                "them.") % (outsiders[0].display_name, ", ".join(
                    self.sudo().mapped("name")[:5])))

    @api.multi
    def _partners_who_read(self, partners):
        """Those of ``partners`` with an internal user who may read all of
        these follow-ups."""
        return partners.filtered(lambda partner: any(
            self._readable_by(user) for user in partner.user_ids
            if not user.share))

    @api.multi
    def _readable_by(self, user):
        """Whether ``user`` may read all of these follow-ups (their access
        rights and record rules)."""
        records = self.sudo(user)
        if not records.check_access_rights("read", raise_exception=False):
            return False
        return records.search_count([("id", "in", self.ids)]) == len(self)

    @api.multi
    def check_access_rule(self, operation):
        # Odoo asks the document itself before a message or an attachment
        # is filed under it, or before a low-level write (_write).
        if operation in ("write", "unlink", "create"):
            self._check_not_sealed(operation)
        return super(CarteraFollowupSeal, self).check_access_rule(operation)

    @api.model
    def check_mail_message_access(self, res_ids, operation, model_name=None):
        """Who may write on the messages of a follow-up is its record
        rules' question; what may be written on those of a closed one is
        asked field by field by mail.message.write (mail_message.py), which
        lets a reader mark a message of it unread again (the inbox's
        "undo", mark_as_unread). So Odoo's rules only, without the seal that
        check_access_rule adds; creation and deletion keep both."""
        if operation != "write" or (model_name or self._name) != self._name:
            return super(CarteraFollowupSeal, self).check_mail_message_access(
                res_ids, operation, model_name=model_name)
        self.check_access_rights("write")
        models.BaseModel.check_access_rule(self.browse(res_ids), "write")
        return None

    @api.multi
    def unlink(self):
        self._check_not_sealed("unlink")
        return super(CarteraFollowupSeal, self).unlink()

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        self._check_not_sealed("follow")
        if partner_ids or channel_ids:
            # The caller must read them; the partners who cannot are left
            # out rather than refused: Odoo subscribes on its own the
            # salesperson of a follow-up (who may not use the addon) and
            # the user of an activity, and recording the follow-up must
            # not fail for it.
            self._check_can_follow()
            partners = self.env["res.partner"].sudo().browse(
                [as_id(pid) for pid in partner_ids or [] if as_id(pid)])
            partner_ids = self._partners_who_read(partners.exists()).ids
            if not partner_ids and not channel_ids:
                return True
        return super(CarteraFollowupSeal, self).message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    @api.multi
    def message_unsubscribe(self, partner_ids=None, channel_ids=None):
        self._check_not_sealed("follow")
        return super(CarteraFollowupSeal, self).message_unsubscribe(
            partner_ids=partner_ids, channel_ids=channel_ids)
