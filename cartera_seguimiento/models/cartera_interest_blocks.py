# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The optional late-payment interest block of the statements of account
(a run remembers whether its statements carry it) and of a collection
level's letter (issue 26, item 4). The block itself is
reports/cartera_interest_report.xml's ``report_interest_block``."""
from odoo import api, fields, models

# The context key by which the statement wizard asks for the block on the
# run it queues (``cartera.statement.run._queue``).
WITH_INTEREST_KEY = "cartera_statement_with_interest"


class CarteraStatementRun(models.Model):
    _inherit = "cartera.statement.run"

    with_interest = fields.Boolean(
        string="Include Late-payment Interest", readonly=True,
        help="The statements carry a table of each item's late-payment "
             "interest as of their date (when the company charges it).")

    @api.model
    def _prepare_run_values(self, date_at, date_from=False, date_to=False,
                            template=None):
        values = super(CarteraStatementRun, self)._prepare_run_values(
            date_at, date_from, date_to, template)
        values["with_interest"] = bool(self._context.get(WITH_INTEREST_KEY))
        return values

    @api.multi
    def _report_data(self):
        data = super(CarteraStatementRun, self)._report_data()
        data["with_interest"] = self.with_interest
        return data


class CarteraDunningLevel(models.Model):
    _inherit = "cartera.dunning.level"

    include_interest = fields.Boolean(
        string="Include Late-payment Interest",
        help="The letter of this level carries a table of each item's "
             "late-payment interest as of its date (when the company "
             "charges it).")


def interest_block(env, date_at, partner_ids):
    """{customer id: their liquidation (the interest report's customer
    values)} as of ``date_at`` for ``partner_ids``, from one call of the
    engine; empty when the company charges no interest."""
    company = env.user.company_id
    if (company.cartera_interest_policy or "none") == "none" or \
            not partner_ids:
        return {}
    # Each item's total only: the block prints no months.
    rows = env["cartera.ar.report"].interest(date_at, list(partner_ids),
                                             detail=False)
    customers = env["cartera.interest.report.wizard"]._liquidation(
        rows, company)
    return {customer["partner_id"]: customer for customer in customers
            if customer["items"]}
