# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Collection plans (planes de cobro): which ladder of levels a customer's
open items climb.

A customer follows the plan set on their form, else the first plan (by
sequence) whose customer domain they match, else their company's default
plan. The levels are ``cartera_dunning_level.py``; the runs that move items
up them ``cartera_dunning_run.py``.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


class CarteraDunningPlan(models.Model):
    _name = "cartera.dunning.plan"
    _description = "Collection Plan"
    _order = "sequence, id"

    name = fields.Char(string="Name", required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10,
        help="Plans are tried in this order; a customer follows the first "
             "whose customers they are.")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    partner_domain = fields.Char(
        string="Customers", default="[]",
        help="Domain on customers (commercial partners) this plan is for: "
             "a segment. Empty: every customer.")
    validate_lines = fields.Boolean(
        string="Review Before Sending",
        help="A run's communications of this plan wait in draft until a "
             "manager validates them.")
    level_ids = fields.One2many(
        "cartera.dunning.level", "plan_id", string="Levels", copy=True)
    note = fields.Text(string="Notes", translate=True)

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for plan in self:
            try:
                domain = safe_eval(plan.partner_domain or "[]")
                self.env["res.partner"].search(domain, limit=1)
            except Exception:
                raise ValidationError(_(
                    "The customers of the plan %s are not a valid domain.")
                    % plan.name)

    @api.model
    def _plan_domain(self):
        """The plan's customer domain, evaluated."""
        self.ensure_one()
        return safe_eval(self.partner_domain or "[]")

    @api.model
    def _plans_by_partner(self, partners, company):
        """{commercial partner id: plan} for ``partners``: the plan on
        their form, else the first of ``company``'s plans whose domain
        they match, else the company's default plan; partners without any
        plan are left out. One search per plan, whatever the customer
        count. A module that assigns plans otherwise overrides this."""
        # Two columns read in one query, not the partners browsed: Odoo's
        # read of thousands of customers (a run's) takes seconds.
        result = {}
        rest_ids = []
        if partners:
            self.env.cr.execute("""
                SELECT DISTINCT c.id, c.cartera_dunning_plan_id
                  FROM res_partner p
                  JOIN res_partner c ON c.id = p.commercial_partner_id
                 WHERE p.id IN %s""", (tuple(partners.ids),))
            for partner_id, plan_id in self.env.cr.fetchall():
                if plan_id:
                    result[partner_id] = self.browse(plan_id)
                else:
                    rest_ids.append(partner_id)
        rest = partners.browse(rest_ids)
        plans = self.search([("company_id", "=", company.id)])
        for plan in plans:
            if not rest:
                break
            matched = rest.search(
                [("id", "in", rest.ids)] + plan._plan_domain())
            for partner in matched:
                result[partner.id] = plan
            rest -= matched
        default = company.cartera_dunning_plan_id
        if default:
            for partner in rest:
                result[partner.id] = default
        return result
