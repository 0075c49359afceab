# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the collection screens show beyond the models' own fields: a run's
line counts and its lines' list, a line's name, and each item's level
history on the customer and the invoice forms."""
from odoo import api, fields, models

from ..tools import mail as mail_values


class CarteraDunningPlan(models.Model):
    _inherit = "cartera.dunning.plan"

    # Managers set a customer's plan here too: the customer's form is
    # read-only to those without Odoo's Contact Creation right.
    partner_ids = fields.One2many(
        "res.partner", "cartera_dunning_plan_id",
        string="Customers Assigned",
        help="Customers who follow this plan because it is set on their "
             "form, whatever the plan's customer domain.")


class CarteraDunningRun(models.Model):
    _inherit = "cartera.dunning.run"

    line_count = fields.Integer(
        string="Lines", compute="_compute_line_counts")
    line_draft_count = fields.Integer(
        string="To Review", compute="_compute_line_counts",
        help="Lines waiting for a manager's validation before sending.")

    @api.multi
    def _compute_line_counts(self):
        # Through the caller's record rules: a collector counts the lines
        # of their customers only.
        groups = self.env["cartera.dunning.line"].read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"],
            ["run_id", "state"], lazy=False)
        counts = {}
        for group in groups:
            run_counts = counts.setdefault(group["run_id"][0], {})
            run_counts[group["state"]] = group["__count"]
        for run in self:
            run_counts = counts.get(run.id, {})
            run.line_count = sum(run_counts.values())
            run.line_draft_count = run_counts.get("draft", 0)

    @api.multi
    def action_open_lines(self):
        """The run's lines in their own list (filters, group by level)."""
        self.ensure_one()
        action = self.env.ref(
            "cartera_seguimiento.cartera_dunning_line_action").read()[0]
        action["domain"] = [("run_id", "=", self.id)]
        context = dict(self.env.context)
        context.update({"search_default_group_level": 1})
        action["context"] = {key: value for key, value in context.items()
                             if key.startswith("search_default_")}
        return action


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    @api.multi
    def name_get(self):
        return [(line.id, "%s - %s - %s" % (
            line.partner_id.display_name,
            line.invoice_id.number or line.move_line_id.name or "",
            line.level_id.name)) for line in self]


class CarteraDispute(models.Model):
    _inherit = "cartera.dispute"

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, *args, **kwargs):
        # A collector without an e-mail address of their own records a
        # dispute (its creation is logged in its chatter), as a follow-up.
        if not kwargs.get("email_from") and not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return super(CarteraDispute, self).message_post(*args, **kwargs)


class ResPartner(models.Model):
    _inherit = "res.partner"

    cartera_dunning_line_ids = fields.One2many(
        "cartera.dunning.line", "partner_id", string="Collection Levels",
        readonly=True, groups="cartera_seguimiento.group_cartera_user",
        help="Each open item's level history: the levels of the "
             "collection plan it reached, run by run.")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    cartera_dunning_line_ids = fields.One2many(
        "cartera.dunning.line", "invoice_id", string="Collection Levels",
        readonly=True, groups="cartera_seguimiento.group_cartera_user",
        help="The levels of the collection plan this invoice's items "
             "reached, run by run.")
