# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Informe de gestión de cobro: what the collection runs did over a
period, by stage and level, from their lines (``cartera.dunning.line``)
dated in it and not cancelled, in one query: items, customers, the amount
due on the lines' days, how many lines were sent, printed or are still
pending (to review or queued), and how much of those amounts has been
paid since (the line's amount due less the item's amount due today, never
below zero)."""
from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import UserError

DUNNING_FIGURES = sql.SQL("""
    SELECT GROUPING(l.stage, l.level_id), l.stage, l.level_id,
           count(*), count(DISTINCT l.move_line_id),
           count(DISTINCT l.partner_id), COALESCE(sum(l.amount_due), 0),
           count(*) FILTER (WHERE l.state = 'sent'),
           count(*) FILTER (WHERE l.state = 'printed'),
           count(*) FILTER (WHERE l.state IN ('draft', 'queued')),
           COALESCE(sum(GREATEST(
               l.amount_due - COALESCE(ml.amount_residual, 0), 0)), 0)
      FROM cartera_dunning_line l
      JOIN res_partner rp ON rp.id = l.partner_id
      LEFT JOIN account_move_line ml ON ml.id = l.move_line_id
     WHERE l.company_id = %(company_id)s AND l.state <> 'cancelled'
       AND l.date >= %(date_from)s AND l.date <= %(date_to)s {scope}
     GROUP BY GROUPING SETS ((l.stage, l.level_id), (l.stage), ())
""")
FIGURES = ("lines", "items", "customers", "amount_due", "sent", "printed",
           "pending", "paid")


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def dunning(self, date_from, date_to, partner_ids=None,
                salesperson_ids=None):
        """The collection runs' lines dated from ``date_from`` to
        ``date_to`` of the customers the user may see, not cancelled: a
        list of stages (in the ladder's order) with ``stage``,
        ``stage_label``, their ``levels`` (``level_id``, ``level_name``,
        ``plan_name``, in the plans' order) and their ``totals``; and the
        ``totals`` of all. Each carries ``lines``, ``items`` and
        ``customers`` (distinct: a customer at two levels counts once in
        the stage and the total), ``amount_due`` (on the lines' days),
        ``sent``, ``printed``, ``pending`` (to review or queued) and
        ``paid`` (paid since: the lines' amount due less their items'
        amount due now). One query whatever the number of lines."""
        date_from, date_to = self._check_range(date_from, date_to)
        if not date_from or not date_to:
            raise UserError(_("The report needs a start and an end date."))
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(date_from=date_from, date_to=date_to)
        rows = self._execute(DUNNING_FIGURES.format(scope=scope), params)
        stages, levels, totals = {}, {}, None
        for record in rows:
            grouping, stage, level_id = record[:3]
            figures = self._dunning_figures(record[3:])
            if grouping == 3:
                totals = figures
            elif grouping == 1:
                stages[stage] = figures
            else:
                levels.setdefault(stage, []).append(dict(
                    figures, level_id=level_id))
        records = self.env["cartera.dunning.level"].sudo().browse([
            row["level_id"] for rows in levels.values() for row in rows])
        by_id = {level.id: level for level in records}
        result = []
        for stage, label in self.env["cartera.dunning.level"]._fields[
                "stage"]._description_selection(self.env):
            if stage not in stages:
                continue
            stage_levels = sorted(levels.get(stage, []), key=lambda row: (
                by_id[row["level_id"]].plan_id.sequence,
                by_id[row["level_id"]].plan_id.id,
                by_id[row["level_id"]].sequence,
                by_id[row["level_id"]].days, row["level_id"]))
            for row in stage_levels:
                level = by_id[row["level_id"]]
                row.update(level_name=level.name,
                           plan_name=level.plan_id.name)
            result.append({"stage": stage, "stage_label": label,
                           "levels": stage_levels,
                           "totals": stages[stage]})
        return {"stages": result,
                "totals": totals or self._dunning_figures([0] * 8)}

    @api.model
    def _dunning_figures(self, values):
        figures = dict(zip(FIGURES, values))
        for key in ("amount_due", "paid"):
            figures[key] = round(float(figures[key]), 2)
        return figures
