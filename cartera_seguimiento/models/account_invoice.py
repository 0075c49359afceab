# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountInvoice(models.Model):
    _name = "account.invoice"
    _inherit = ["account.invoice", "cartera.followup.stats.mixin"]

    # Odoo reserves its payments widget to Billing; a collector sees the
    # payments of the invoices they read, computed with Billing's rights.
    cartera_payments_widget = fields.Text(
        string="Payments", compute="_compute_cartera_payments_widget",
        groups="cartera_seguimiento.group_cartera_user")

    @api.multi
    def _compute_cartera_payments_widget(self):
        # The caller reads these invoices (access rights and record rules)
        # before anything is computed as superuser: the widget lists the
        # payments reconciled with them, journal names and payment
        # references that a collector's rules would hide.
        self.check_access_rights("read")
        self.check_access_rule("read")
        for invoice, sudo in zip(self, self.sudo()):
            invoice.cartera_payments_widget = sudo.payments_widget

    @api.multi
    def _cartera_followup_target(self):
        return "invoice_id", self

    @api.multi
    def _cartera_followup_defaults(self):
        partner = self.commercial_partner_id
        return {
            "default_partner_id": partner.id,
            "default_user_id": partner.user_id.id,
            "default_invoice_id": self.id,
        }
