# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import dates
from . import locks

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "cartera_seguimiento.group_cartera_manager"
FOLLOWUP_MODEL = "cartera.followup"


class CarteraClosing(models.Model):
    """Log of the closings: which follow-ups were sealed, when and by
    whom. Immutable, like the follow-ups it closed."""
    _name = "cartera.closing"
    _description = "Follow-up Closing"
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, index=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, ondelete="restrict",
        help="Only the follow-ups of this customer were closed; all "
             "customers when empty.",
    )
    user_id = fields.Many2one(
        "res.users", string="Closed By", readonly=True, ondelete="restrict",
    )
    date = fields.Datetime(string="Closed On", readonly=True)
    followup_count = fields.Integer(string="Closed Follow-ups", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, ondelete="restrict",
    )
    followup_ids = fields.One2many(
        "cartera.followup", "closing_id", string="Follow-ups",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Immutability, for everyone (no super() call on purpose): closings
    # are created by the closing service only (_create_closing).
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_(
            "Closings cannot be created by hand: use the closing wizard."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Closings cannot be modified."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Closings cannot be deleted."))

    # ------------------------------------------------------------------
    # Closing service
    # ------------------------------------------------------------------
    @api.model
    def _check_can_close(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(_(
                "Only receivables managers can close follow-ups."))

    @api.model
    def _check_closing_range(self, date_from, date_to):
        if not date_from or not date_to:
            raise UserError(_(
                "Both dates of the closing range are required."))
        if date_from > date_to:
            raise UserError(_(
                "The closing range starts (%s) after it ends (%s).")
                % (date_from, date_to))
        today = fields.Date.context_today(self)
        if date_to > today:
            raise UserError(_(
                "The closing range cannot end in the future (%s is after "
                "today, %s).") % (date_to, today))

    @api.model
    def _closing_bounds(self, date_from, date_to):
        """UTC bounds [start, end) of the local days date_from..date_to."""
        return dates.local_day_bounds(self.env, date_from, date_to)

    @api.model
    def _closing_domain(self, date_from, date_to, partner=None,
                        company=None):
        """ORM domain of the follow-ups a closing would close (the wizard
        counts them with it)."""
        start, end = self._closing_bounds(date_from, date_to)
        company = company or self.env.user.company_id
        domain = [("state", "=", "open"), ("company_id", "=", company.id),
                  ("date", ">=", start), ("date", "<", end)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return domain

    @api.model
    def _closing_where(self, date_from, date_to, partner=None, company=None):
        """The same selection as SQL on the cartera_followup table, with
        its parameters: the open follow-ups of the range."""
        start, end = self._closing_bounds(date_from, date_to)
        company = company or self.env.user.company_id
        conditions = [sql.SQL("state = 'open'"),
                      sql.SQL("company_id = %(company_id)s"),
                      sql.SQL("date >= %(start)s"),
                      sql.SQL("date < %(end)s")]
        params = {"company_id": company.id, "start": start, "end": end}
        if partner:
            conditions.append(sql.SQL("partner_id = %(partner_id)s"))
            params["partner_id"] = partner.id
        return sql.SQL(" AND ").join(conditions), params

    @api.model
    def _execute(self, query, params):
        self.env.cr.execute(query.as_string(self.env.cr._obj), params)

    @api.model
    def _close_followups(self, date_from, date_to, partner=None):
        """Close the open follow-ups of the user's company dated from
        ``date_from`` to ``date_to`` (local days, both included), of
        ``partner`` (a record or an id) if given; return the closing.

        The rows stay where they are: one UPDATE seals them (state and
        closing), whatever their number, inside the savepoint of their
        claim: any failure leaves every follow-up as it was, even when the
        caller goes on with its transaction.
        """
        self._check_can_close()
        self._check_closing_range(date_from, date_to)
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner = partner and partner.commercial_partner_id
        company = self.env.user.company_id
        where, params = self._closing_where(
            date_from, date_to, partner=partner, company=company)
        try:
            with self._lock_followups(where, params) as rows:
                if rows is None:
                    raise UserError(_(
                        "Some of these follow-ups are being closed or edited "
                        "by another user right now. Nothing was closed; try "
                        "again in a moment."))
                count = rows[0][0]
                if not count:
                    self._raise_nothing_to_close(date_from, date_to, partner)
                closing = self._create_closing(self._prepare_closing_values(
                    date_from, date_to, partner, company, count))
                closed = self._seal_followups(closing.id, where, params)
                if closed != count:
                    # Cannot happen under the row locks; never half-close.
                    raise UserError(_(
                        "The follow-ups changed during the closing (%d "
                        "locked, %d closed); nothing was closed, try again.")
                        % (count, closed))
                self._after_close_followups(closing.id)
                self._close_activities(closing.id)
        finally:
            # Raw SQL changed or restored rows the ORM may hold in cache.
            self.invalidate_cache()
            self.env[FOLLOWUP_MODEL].invalidate_cache()
        closing = self.browse(closing.id)
        _logger.info("Closing %s: %d follow-ups closed by user %s",
                     closing.name, count, self.env.uid)
        return closing

    @api.model
    def _raise_nothing_to_close(self, date_from, date_to, partner):
        if partner:
            raise UserError(_(
                "There are no follow-ups of %s to close from %s to %s.")
                % (partner.display_name, date_from, date_to))
        raise UserError(_(
            "There are no follow-ups to close from %s to %s.")
            % (date_from, date_to))

    @api.model
    def _lock_followups(self, where, params):
        """Claim the follow-ups to close (locks.claim): a context manager
        whose body gets their count (``[(count,)]``), or None when another
        closing or an edit holds one of them. NOWAIT: a second closing on
        the same rows stops at once instead of racing the first one. A row
        changed since this transaction began is not "taken": that error
        goes up, and the RPC layer retries the request afresh."""
        return locks.claim(self.env.cr, sql.SQL(
            "SELECT count(*) FROM (SELECT id FROM cartera_followup "
            "WHERE {where} FOR UPDATE NOWAIT) AS locked").format(
                where=where), params, taken=(locks.LOCK_NOT_AVAILABLE,))

    @api.model
    def _prepare_closing_values(self, date_from, date_to, partner, company,
                                count):
        """Values of the closing's record; a module adding fields to the
        closing extends them."""
        name = self.env["ir.sequence"].with_context(
            force_company=company.id).next_by_code("cartera.closing") or "/"
        return {
            "name": name, "date_from": date_from, "date_to": date_to,
            "partner_id": partner and partner.id or False,
            "user_id": self.env.uid, "date": fields.Datetime.now(),
            "followup_count": count, "company_id": company.id,
        }

    @api.model
    def _create_closing(self, values):
        """Create the closing's record: the closing service's own path past
        create(), which refuses everyone else. As superuser: nobody has the
        right to create closings; _close_followups checked the caller."""
        return super(CarteraClosing, self.sudo()).create(values)

    @api.model
    def _prepare_sealed_values(self, closing_id):
        """Columns a closing sets on each follow-up it closes. The task's
        activity is deleted with the follow-up's other activities."""
        return {"state": "closed", "closing_id": closing_id,
                "task_activity_id": None, "activity_date_deadline": None}

    @api.model
    def _seal_followups(self, closing_id, where, params):
        """Seal the follow-ups in one statement; return how many. SQL, not
        write(): one set-based UPDATE where the ORM writes and tracks row
        by row, far too slow for a year of follow-ups (see HISTORY)."""
        values = self._prepare_sealed_values(closing_id)
        params = dict(params, **{"sealed_%s" % name: value
                                 for name, value in values.items()})
        self._execute(sql.SQL(
            "UPDATE cartera_followup SET {assignments} WHERE {where}").format(
                assignments=sql.SQL(", ").join(
                    sql.SQL("{} = {}").format(
                        sql.Identifier(name),
                        sql.Placeholder("sealed_%s" % name))
                    for name in sorted(values)),
                where=where), params)
        return self.env.cr.rowcount

    @api.model
    def _after_close_followups(self, closing_id):
        """Hook: the follow-ups of ``closing_id`` are closed. Raise to
        cancel the whole closing."""
        return True

    @api.model
    def _close_activities(self, closing_id):
        """The open activities (next tasks) of closed follow-ups end with
        them, deleted through the ORM so that other addons' overrides run.
        As superuser: the activities of follow-ups the caller may close
        (_close_followups checked the caller)."""
        self.env.cr.execute(
            """SELECT a.id, a.res_id FROM mail_activity AS a
                 JOIN cartera_followup AS f ON f.id = a.res_id
                WHERE f.closing_id = %s AND a.res_model = %s""",
            (closing_id, FOLLOWUP_MODEL))
        rows = self.env.cr.fetchall()
        if not rows:
            return
        activities = self.env["mail.activity"].sudo().browse(
            [activity_id for activity_id, _res_id in rows])
        followups = self.env[FOLLOWUP_MODEL].browse(
            {res_id for _activity_id, res_id in rows})
        # Sealed already, with their activity fields cleared by the seal:
        # their stored fields computed from activities are not recomputed
        # (a write, which the seal refuses).
        computed = [field for field in followups._fields.values()
                    if field.compute and field.store]
        with activities.env.protecting(computed, followups):
            activities.unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def _action_show(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Closing"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(
                "cartera_seguimiento.cartera_closing_view_form").id, "form")],
            "target": "main",
        }

    @api.multi
    def action_view_followups(self):
        self.ensure_one()
        action = self.env.ref(
            "cartera_seguimiento.cartera_followup_file_action").read()[0]
        action["domain"] = [("closing_id", "=", self.id)]
        action["context"] = {"search_default_group_partner": 1}
        return action
