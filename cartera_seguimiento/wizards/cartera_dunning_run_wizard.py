# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..tools import dates, values


class CarteraDunningRunWizard(models.TransientModel):
    """Run the collection levels by hand for a day: the user's run of that
    day (created, or the one already there) is computed and opened. A
    collector's covers their customers, a manager's the whole company."""
    _name = "cartera.dunning.run.wizard"
    _description = "Run Collection Levels"

    date = fields.Date(
        string="Date", required=True, default=fields.Date.context_today,
        help="The items reach the levels due on this day. Today; an "
             "earlier day for managers only.")
    company_id = fields.Many2one(
        "res.company", string="Company", readonly=True,
        default=lambda self: self.env.user.company_id)

    @api.model
    def create(self, vals):
        self._check_date_values(vals)
        return super(CarteraDunningRunWizard, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_date_values(vals)
        return super(CarteraDunningRunWizard, self).write(vals)

    @api.model
    def _check_date_values(self, vals):
        """A date that does not exist or is out of reason gets a clear
        error (``tools.dates``), not PostgreSQL's."""
        value = vals.get("date")
        if value and not dates.is_valid(value):
            raise dates.date_error(self.env, values.field_label(
                self, self._fields["date"]), value)

    @api.multi
    def action_run(self):
        """Compute the user's run of the day and open it."""
        self.ensure_one()
        run = self.env["cartera.dunning.run"]._start(self.date)
        run.action_compute()
        return {
            "type": "ir.actions.act_window",
            "name": _("Collection Run"),
            "res_model": "cartera.dunning.run",
            "res_id": run.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
