# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import dates, values


class CarteraClosingWizard(models.TransientModel):
    """Close the follow-ups of a date range (and optionally one customer):
    they are sealed and leave the capture screen."""
    _name = "cartera.closing.wizard"
    _description = "Close Follow-ups"

    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        "res.partner", string="Customer",
        domain="[('customer', '=', True), ('parent_id', '=', False)]",
        help="Close only the follow-ups of this customer; all customers "
             "when empty.",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True,
        default=lambda self: self.env.user.company_id,
    )
    followup_count = fields.Integer(
        string="Follow-ups to Close", compute="_compute_followup_count",
        help="Open follow-ups of your company that the closing will seal.",
    )

    @api.depends("date_from", "date_to", "partner_id")
    def _compute_followup_count(self):
        Closing = self.env["cartera.closing"]
        Followup = self.env["cartera.followup"]
        for wizard in self:
            if not (wizard.date_from and wizard.date_to) or \
                    wizard.date_from > wizard.date_to:
                wizard.followup_count = 0
                continue
            # Under the user's record rules: a manager sees every follow-up
            # of the company, and nobody else learns more than they may
            # read (only managers can close anyway).
            wizard.followup_count = Followup.search_count(
                Closing._closing_domain(
                    wizard.date_from, wizard.date_to,
                    partner=wizard.partner_id.commercial_partner_id,
                    company=self.env.user.company_id))

    @api.model
    def create(self, vals):
        self._check_date_values(vals)
        return super(CarteraClosingWizard, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_date_values(vals)
        return super(CarteraClosingWizard, self).write(vals)

    @api.model
    def _check_date_values(self, vals):
        """Dates that do not exist or are out of reason (``tools.dates``)
        get a clear error, not PostgreSQL's or an OverflowError."""
        for name in ("date_from", "date_to"):
            value = vals.get(name)
            if value and not dates.is_valid(value):
                raise dates.date_error(
                    self.env, values.field_label(
                        self, self._fields[name]), value)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            try:
                self.env["cartera.closing"]._check_closing_range(
                    wizard.date_from, wizard.date_to)
            except UserError as error:
                raise ValidationError(error.name)

    @api.multi
    def action_close(self):
        """Run the closing and show it."""
        self.ensure_one()
        Closing = self.env["cartera.closing"]
        # Checked here too, not only in the service: the wizard is a public
        # entry point for other modules and RPC clients.
        Closing._check_can_close()
        closing = Closing._close_followups(
            self.date_from, self.date_to, partner=self.partner_id or None)
        return closing._action_show()
