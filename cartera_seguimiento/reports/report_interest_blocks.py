# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The late-payment interest block's values in the statement of account
and the collection letter (issue 26): ``interests`` {customer id: their
liquidation}, read by ``report_interest_block``."""
from odoo import api, fields, models

from ..models.cartera_interest_blocks import interest_block


class ReportStatement(models.AbstractModel):
    _inherit = "report.cartera_seguimiento.report_statement"

    @api.model
    def get_report_values(self, docids, data=None):
        values = super(ReportStatement, self).get_report_values(
            docids, data=data)
        interests = {}
        if (data or {}).get("with_interest"):
            interests = interest_block(self.env, values["date_at"],
                                       values["docs"].ids)
        values["interests"] = interests
        values["interest_convention"] = self._interest_convention()
        return values

    @api.model
    def _interest_convention(self):
        return self.env["cartera.interest.report.wizard"]._convention_label(
            self.env.user.company_id)


class ReportDunningLetter(models.AbstractModel):
    _inherit = "report.cartera_seguimiento.report_dunning_letter"

    @api.model
    def get_report_values(self, docids, data=None):
        values = super(ReportDunningLetter, self).get_report_values(
            docids, data=data)
        interests = {}
        by_date = {}
        for partner in values["docs"]:
            letter = values["letters"][partner.id]
            if any(letter["lines"].mapped("level_id.include_interest")):
                day = letter["date"] or fields.Date.to_string(
                    values["printed_on"])
                by_date.setdefault(day, []).append(partner.id)
        for day, partner_ids in by_date.items():
            interests.update(interest_block(self.env, day, partner_ids))
        values["interests"] = interests
        values["interest_convention"] = self.env[
            "cartera.interest.report.wizard"]._convention_label(
            self.env.user.company_id)
        return values
