# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "cartera_seguimiento.group_cartera_manager"
FOLLOWUP_MODEL = "cartera.followup"
HISTORY_MODEL = "cartera.followup.history"
# Columns written by the closing itself, not copied from the follow-up.
CLOSING_COLUMNS = ("id", "followup_id", "closing_id")
# Follow-up columns with no meaning once closed: the activities are deleted.
NOT_KEPT_COLUMNS = ("task_activity_id", "activity_date_deadline")
# Tables whose rows point at a document by (model column, res_id) and that
# must follow it into the history: Odoo checks an attachment against its own
# model. Messages and followers stay where they are (see mail_message.py).
THREAD_TABLES = (
    ("ir_attachment", "res_model"),
)
LOCK_NOT_AVAILABLE = "55P03"


class CarteraClosing(models.Model):
    """Log of the closings: which follow-ups went into the history, when
    and by whom. Immutable, like the history it points to."""
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
    history_ids = fields.One2many(
        "cartera.followup.history", "closing_id", string="Follow-ups",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Immutability, as for the history (no super() call on purpose).
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
        day_start = self.env[FOLLOWUP_MODEL]._local_day_start_utc
        return (day_start(fields.Date.from_string(date_from)),
                day_start(fields.Date.from_string(date_to)
                          + timedelta(days=1)))

    @api.model
    def _closing_domain(self, date_from, date_to, partner=None,
                        company=None):
        """ORM domain of the follow-ups a closing would move (the wizard
        counts them with it)."""
        start, end = self._closing_bounds(date_from, date_to)
        company = company or self.env.user.company_id
        domain = [("company_id", "=", company.id),
                  ("date", ">=", start), ("date", "<", end)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return domain

    @api.model
    def _closing_where(self, date_from, date_to, partner=None, company=None):
        """The same selection as SQL for the cartera_followup table."""
        start, end = self._closing_bounds(date_from, date_to)
        company = company or self.env.user.company_id
        where = "company_id = %s AND date >= %s AND date < %s"
        params = [company.id, start, end]
        if partner:
            where += " AND partner_id = %s"
            params.append(partner.id)
        return where, params

    @api.model
    def _history_columns(self):
        """Stored columns of a follow-up that the history keeps: those both
        models define (fields added to both by other modules follow)."""
        followup = self.env[FOLLOWUP_MODEL]
        history = self.env[HISTORY_MODEL]

        def columns(model):
            return {name for name, field in model._fields.items()
                    if field.store and field.column_type}
        lost = columns(followup) - columns(history) - set(NOT_KEPT_COLUMNS)
        if lost:
            # A module added fields to the follow-up only: say so rather
            # than dropping them silently.
            _logger.warning("Follow-up fields not kept in the history: %s",
                            ", ".join(sorted(lost)))
        return sorted((columns(followup) & columns(history))
                      - set(CLOSING_COLUMNS))

    @api.model
    def _close_followups(self, date_from, date_to, partner=None):
        """Move the follow-ups of the user's company dated from
        ``date_from`` to ``date_to`` (local days, both included), of
        ``partner`` (a record or an id) if given, into the history; return
        the closing.

        A fixed number of SQL statements whatever the number of follow-ups,
        all of them inside one savepoint: any failure leaves the current
        file and the history as they were, even when the caller goes on
        with its transaction.
        """
        self._check_can_close()
        self._check_closing_range(date_from, date_to)
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner = partner and partner.commercial_partner_id
        company = self.env.user.company_id
        where, params = self._closing_where(
            date_from, date_to, partner=partner, company=company)
        cr = self.env.cr
        try:
            with cr.savepoint():
                count = self._lock_followups(where, params)
                if not count:
                    self._raise_nothing_to_close(date_from, date_to, partner)
                closing_id = self._insert_closing(
                    date_from, date_to, partner, company, count)
                moved = self._move_followups(closing_id, where, params)
                if moved != count:
                    # Cannot happen under the row locks; never half-close.
                    raise UserError(_(
                        "The follow-ups changed during the closing (%d "
                        "locked, %d moved); nothing was closed, try again.")
                        % (count, moved))
                self._after_move_followups(closing_id)
                self._move_threads(closing_id)
                self._close_activities(closing_id)
        except psycopg2.OperationalError as error:
            if error.pgcode != LOCK_NOT_AVAILABLE:
                # Serialization failures are retried by the RPC layer.
                raise
            raise UserError(_(
                "Some of these follow-ups are being closed or edited by "
                "another user right now. Nothing was closed; try again in a "
                "moment."))
        finally:
            # Raw SQL changed or restored rows the ORM may hold in cache.
            self.invalidate_cache()
        closing = self.browse(closing_id)
        _logger.info("Closing %s: %d follow-ups moved to the history by "
                     "user %s", closing.name, count, self.env.uid)
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
        """Lock the follow-ups to close and count them. NOWAIT: a second
        closing (or an edit) on the same rows stops at once instead of
        racing the first one."""
        # `where` is built by _closing_where from constants; values bound.
        self.env.cr.execute(  # pylint: disable=sql-injection
            "SELECT count(*) FROM (SELECT id FROM cartera_followup "
            "WHERE %s FOR UPDATE NOWAIT) AS locked" % where, params,
            log_exceptions=False)
        return self.env.cr.fetchone()[0]

    @api.model
    def _insert_closing(self, date_from, date_to, partner, company, count):
        name = self.env["ir.sequence"].with_context(
            force_company=company.id).next_by_code("cartera.closing") or "/"
        now = fields.Datetime.now()
        self.env.cr.execute(
            """INSERT INTO cartera_closing
                   (name, date_from, date_to, partner_id, user_id, date,
                    followup_count, company_id, create_uid, create_date,
                    write_uid, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
               RETURNING id""",
            (name, date_from, date_to, partner and partner.id or None,
             self.env.uid, now, count, company.id, self.env.uid, now,
             self.env.uid, now))
        return self.env.cr.fetchone()[0]

    @api.model
    def _move_followups(self, closing_id, where, params):
        """Delete the follow-ups and insert them into the history in one
        statement; return how many were moved."""
        columns = ", ".join('"%s"' % name for name in self._history_columns())
        # Column names come from the models' fields and `where` from
        # _closing_where; every value is bound.
        query = """
            WITH moved AS (
                DELETE FROM cartera_followup WHERE {where}
                RETURNING *
            )
            INSERT INTO cartera_followup_history
                (id, followup_id, closing_id, {cols})
            SELECT id, id, %s, {cols} FROM moved
        """.format(where=where, cols=columns)
        self.env.cr.execute(  # pylint: disable=sql-injection
            query, params + [closing_id])
        return self.env.cr.rowcount

    @api.model
    def _after_move_followups(self, closing_id):
        """Hook: the follow-ups of ``closing_id`` are in the history and no
        longer in the current file. Raise to cancel the whole closing."""
        return True

    @api.model
    def _thread_tables(self):
        """(table, model column) pairs of the rows that belong to a
        follow-up by model and res_id and must move with it; a module adding
        such a table extends this list."""
        return list(THREAD_TABLES)

    @api.model
    def _move_threads(self, closing_id):
        """Attachments follow the follow-ups into the history (same ids,
        other model)."""
        for table, model_column in self._thread_tables():
            # Table and column names come from code, never from input.
            self.env.cr.execute(  # pylint: disable=sql-injection
                """UPDATE {table} AS t SET {col} = %s
                     FROM cartera_followup_history AS h
                    WHERE h.closing_id = %s AND t.{col} = %s
                      AND t.res_id = h.id""".format(
                    table=table, col=model_column),
                (HISTORY_MODEL, closing_id, FOLLOWUP_MODEL))

    @api.model
    def _close_activities(self, closing_id):
        """The open activities (next tasks) of closed follow-ups end with
        them."""
        self.env.cr.execute(
            """DELETE FROM mail_activity AS a
                USING cartera_followup_history AS h
                WHERE h.closing_id = %s AND a.res_model = %s
                  AND a.res_id = h.id""",
            (closing_id, FOLLOWUP_MODEL))

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
        action["context"] = {}
        return action
