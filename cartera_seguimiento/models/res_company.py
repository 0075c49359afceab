# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    cartera_promise_grace_days = fields.Integer(
        string="Grace Days of Payment Promises", default=3,
        help="Days after its date before an unpaid payment promise is "
             "judged broken.")
