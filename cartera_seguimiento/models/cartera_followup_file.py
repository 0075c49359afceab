# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

# Columns of the file that are not copies of a follow-up's own fields.
FILE_ONLY_COLUMNS = ("id", "state", "followup_id", "closing_id", "closed_on",
                     "closed_by")


class CarteraFollowupFile(models.Model):
    """The follow-up file: every follow-up, current and closed, to consult.
    A database view over the current file and the history; read-only."""
    _name = "cartera.followup.file"
    _description = "Follow-up File"
    _inherit = ["cartera.batch.read.mixin", "cartera.followup.snapshot"]
    _auto = False
    _order = "date desc, id desc"

    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], string="Status",
        readonly=True,
    )
    followup_id = fields.Integer(string="Original Follow-up ID", readonly=True)
    closing_id = fields.Many2one(
        "cartera.closing", string="Closing", readonly=True)
    closed_on = fields.Datetime(string="Closed On", readonly=True)
    closed_by = fields.Many2one("res.users", string="Closed By", readonly=True)

    @api.model
    def _file_columns(self):
        return [name for name, field in self._fields.items()
                if field.store and field.column_type
                and name not in FILE_ONLY_COLUMNS]

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        columns = ", ".join('"%s"' % name for name in self._file_columns())
        # Column names come from this model's own fields. Ids of both tables
        # come from the follow-up sequence (a history row keeps the id of
        # its follow-up), so they are unique in the view.
        self.env.cr.execute(  # pylint: disable=sql-injection
            """CREATE VIEW {view} AS (
                SELECT id, 'open'::varchar AS state, id AS followup_id,
                       NULL::integer AS closing_id,
                       NULL::timestamp AS closed_on,
                       NULL::integer AS closed_by, {cols}
                  FROM cartera_followup
                UNION ALL
                SELECT h.id, 'closed'::varchar AS state, h.followup_id,
                       h.closing_id, c.date AS closed_on,
                       c.user_id AS closed_by, {hcols}
                  FROM cartera_followup_history AS h
                  LEFT JOIN cartera_closing AS c ON c.id = h.closing_id
            )""".format(view=self._table, cols=columns, hcols=", ".join(
                'h."%s"' % name for name in self._file_columns())))

    # Nothing is ever written through the file, whoever asks.
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("The follow-up file is read-only."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("The follow-up file is read-only."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("The follow-up file is read-only."))

    @api.multi
    def action_open_record(self):
        """Open the follow-up or the closed follow-up behind the line, with
        its chatter."""
        self.ensure_one()
        model = ("cartera.followup" if self.state == "open"
                 else "cartera.followup.history")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
