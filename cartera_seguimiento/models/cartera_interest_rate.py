# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Certified rates (tasas certificadas): each month's *interés bancario
corriente* that the Superintendencia Financiera certifies, and the legal
maximum for late-payment interest, one and a half times it (Código de
Comercio art. 884). Users type each month; the interest engine
(``cartera_ar_report_interest.py``) refuses a day whose month is missing
rather than reading a zero."""
from decimal import ROUND_HALF_UP, Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import dates

# Art. 884: late-payment interest at most one and a half times the
# certified rate.
MAX_RATE_FACTOR = Decimal("1.5")


def legal_max_rate(bank_rate):
    """1.5 × ``bank_rate`` (effective annual %), rounded half-up to two
    decimals as the resolutions print it: 17.01 gives 25.52 (25.515),
    16.24 gives 24.36. Decimal from the typed text, so that a binary
    25.514999... never rounds down."""
    value = Decimal(repr(float(bank_rate or 0.0))) * MAX_RATE_FACTOR
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class CarteraInterestRate(models.Model):
    _name = "cartera.interest.rate"
    _description = "Certified Interest Rate"
    _order = "date desc, id desc"

    date = fields.Date(
        string="Month", required=True, index=True,
        help="First day of the month from which the rate applies.")
    bank_rate = fields.Float(
        string="Certified Bank Rate (EA %)", digits=(16, 2), required=True,
        help="The interés bancario corriente the Superintendencia "
             "Financiera certifies for the month, effective annual %.")
    max_rate = fields.Float(
        string="Legal Maximum (EA %)", digits=(16, 2), store=True,
        compute="_compute_max_rate",
        help="One and a half times the certified rate (Código de Comercio "
             "art. 884), rounded half-up to two decimals: the highest "
             "late-payment interest of the month.")
    name = fields.Char(
        string="Resolution", required=True,
        help="The Superintendencia Financiera's resolution that certifies "
             "the rate.")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True,
        default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("date_company_unique", "UNIQUE (date, company_id)",
         "There is already a certified rate for this month."),
    ]

    @api.depends("bank_rate")
    def _compute_max_rate(self):
        for rate in self:
            rate.max_rate = legal_max_rate(rate.bank_rate)

    @api.constrains("date", "bank_rate")
    def _check_month(self):
        for rate in self:
            day = dates.parse(rate.date)
            if day is None or day.day != 1:
                raise ValidationError(_(
                    "A certified rate applies from the first day of a "
                    "month (not %s).") % rate.date)
            if not 0 < rate.bank_rate < 100:
                raise ValidationError(_(
                    "The certified rate of %s must be an effective annual "
                    "percentage above 0 and under 100 (got %s).")
                    % (rate.date[:7], rate.bank_rate))

    @api.multi
    def name_get(self):
        return [(rate.id, "%s (%s)" % (rate.date[:7], rate.name))
                for rate in self]
