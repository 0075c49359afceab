# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Collection runs: on a date, which open items reach which level.

``action_compute`` selects, in one statement over the open-items query, the
items that reach their next level that day and records one line per item;
``action_send`` (``cartera_dunning_send.py``) sends and records them. The
daily cron does both.
"""
from odoo import fields, models

RUN_STATES = [
    ("draft", "Draft"),
    ("computed", "To Send"),
    ("sending", "Sending"),
    ("done", "Done"),
]


class CarteraDunningRun(models.Model):
    _name = "cartera.dunning.run"
    _description = "Collection Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(string="Reference", readonly=True, default="/",
                       copy=False)
    date = fields.Date(
        string="Date", required=True, readonly=True, index=True,
        states={"draft": [("readonly", False)]},
        default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True,
        index=True, default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Run By", required=True, readonly=True,
        index=True, default=lambda self: self.env.user, ondelete="restrict",
        help="A collector's run covers their customers only; a manager's "
             "or the scheduled action's, every customer of the company.")
    state = fields.Selection(
        RUN_STATES, string="Status", required=True, readonly=True,
        default="draft", index=True, copy=False,
        track_visibility="onchange")
    line_ids = fields.One2many(
        "cartera.dunning.line", "run_id", string="Lines", readonly=True)
