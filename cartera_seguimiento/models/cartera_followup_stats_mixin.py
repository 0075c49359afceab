# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

FOLLOWUP_MODEL = "cartera.followup"


class CarteraFollowupStatsMixin(models.AbstractModel):
    """Follow-up figures of a record that follow-ups point to (a customer, a
    document), for its smart button, and the actions that open them."""
    _name = "cartera.followup.stats.mixin"
    _description = "Follow-up figures of a customer or document"

    # Collectors' fields only: a customer or invoice read without a field
    # list by someone who does not use the addon (an accountant, a
    # salesperson, a portal user) must not ask for follow-ups.
    cartera_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_last_followup_date = fields.Datetime(
        string="Last Follow-up", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_next_task_date = fields.Date(
        string="Next Follow-up Task", compute="_compute_cartera_followup_stats",
        groups="cartera_seguimiento.group_cartera_user")

    @api.multi
    def _cartera_followup_target(self):
        """The follow-up field pointing here, and the record it points to."""
        raise NotImplementedError()

    @api.multi
    def _cartera_followup_defaults(self):
        """Defaults of a new follow-up recorded from this record."""
        raise NotImplementedError()

    @api.multi
    def _compute_cartera_followup_stats(self):
        field_name = self[:1]._cartera_followup_target()[0] if self else None
        targets = {rec: rec._cartera_followup_target()[1] for rec in self}
        stats = self._cartera_followup_stats(
            field_name, [target.id for target in targets.values()])
        for rec, target in targets.items():
            values = stats.get(target.id, {})
            rec.cartera_followup_count = values.get("count", 0)
            rec.cartera_last_followup_date = values.get("last_date")
            rec.cartera_next_task_date = values.get("next_date")

    @api.model
    def _cartera_followup_stats(self, group_field, ids):
        """Count, last date and next pending task date of the open
        follow-ups the current user may read, grouped by ``group_field``
        (their field pointing here), in one query."""
        followups = self.env[FOLLOWUP_MODEL]
        if not ids or not followups.check_access_rights(
                "read", raise_exception=False):
            return {}
        # The follow-ups' own domain and record rules, as search() applies
        # them, around an aggregate that search() cannot return.
        query = followups._where_calc([(group_field, "in", list(ids)),
                                       ("state", "=", "open")])
        followups._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        table = followups._table
        column = '"%s"."%s"' % (table, group_field)
        # group_field is one of our own column names, never user input.
        self._cr.execute(  # pylint: disable=sql-injection
            """SELECT {col}, count(*), max("{tbl}".date),
                      min("{tbl}".next_date)
                          FILTER (WHERE "{tbl}".task_state = 'pending')
                 FROM {frm} WHERE {where} GROUP BY {col}""".format(
                col=column, tbl=table, frm=from_clause,
                where=where_clause or "TRUE"), params)
        return {
            key: {"count": count, "last_date": last_date,
                  "next_date": next_date}
            for key, count, last_date, next_date in self._cr.fetchall()
        }

    @api.multi
    def action_cartera_followups(self):
        self.ensure_one()
        field_name, target = self._cartera_followup_target()
        action = self.env.ref(
            "cartera_seguimiento.cartera_followup_action").read()[0]
        action["domain"] = [(field_name, "=", target.id)]
        action["context"] = {"default_%s" % field_name: target.id}
        return action

    @api.multi
    def action_cartera_new_followup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Follow-up"),
            "res_model": FOLLOWUP_MODEL,
            "view_mode": "form",
            "views": [(self.env.ref(
                "cartera_seguimiento.cartera_followup_view_form").id, "form")],
            "target": "current",
            "context": dict(self._cartera_followup_defaults()),
        }
