# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .cartera_promise import STATES, STATE_SEVERITY

# What only receivable managers set on a customer: the form shows them
# read-only to collectors, and create/write refuse them over RPC too.
MANAGER_FIELDS = ("cartera_dunning_plan_id",
                  "cartera_collection_excluded_until",
                  # issue 26: no late-payment interest for this customer.
                  "cartera_interest_exempt")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "cartera.followup.stats.mixin"]

    # Collectors' fields only (also on res.users, which delegates to its
    # partner): read() without a field list by an accountant, a salesperson
    # or a portal user must not reach the promises they may not read.
    # Not copied: a duplicated contact gets its plan from a manager (and
    # whoever duplicates it need not be one).
    cartera_dunning_plan_id = fields.Many2one(
        "cartera.dunning.plan", string="Collection Plan", index=True,
        copy=False,
        groups="cartera_seguimiento.group_cartera_user",
        help="The plan this customer's open items follow; empty: the first "
             "plan whose customers they are, else the company's default.")
    cartera_collection_excluded_until = fields.Date(
        string="Excluded from Collection Until", copy=False,
        groups="cartera_seguimiento.group_cartera_user",
        help="No collection level is reached for this customer's items up "
             "to this day.")
    cartera_interest_exempt = fields.Boolean(
        string="Exempt from Late-Payment Interest", copy=False,
        groups="cartera_seguimiento.group_cartera_user",
        help="No late-payment interest is computed on this customer's "
             "items, whatever the company's policy.")
    cartera_promise_ids = fields.One2many(
        "cartera.promise", "partner_id", string="Payment Promises",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_promise_state = fields.Selection(
        STATES, string="Payment Promises Status",
        compute="_compute_cartera_promise_state",
        groups="cartera_seguimiento.group_cartera_user",
        help="The worst status of the customer's payment promises.")

    @api.model
    def _check_cartera_manager_fields(self, vals):
        """Refuse a non-manager's values of ``MANAGER_FIELDS`` (a
        customer's collection plan and exclusion decide which letters and
        bureau reports go out, its exemption whether it owes interest)."""
        if any(name in vals for name in MANAGER_FIELDS) and not \
                self.env["cartera.scope"]._is_manager():
            raise AccessError(_(
                "Only receivable managers can change a customer's "
                "collection plan, exclusion from collection or exemption "
                "from late-payment interest."))
        if vals.get("cartera_dunning_plan_id"):
            # A plan of the manager's companies (its record rule).
            self.env["cartera.dunning.plan"].browse(
                vals["cartera_dunning_plan_id"]).check_access_rule("read")

    @api.model
    def create(self, vals):
        # Empty values are the defaults (an import or a form sends them).
        self._check_cartera_manager_fields(
            {name: value for name, value in vals.items() if value})
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_cartera_manager_fields(vals)
        if vals and set(vals) <= set(MANAGER_FIELDS) and not \
                self.check_access_rights("write", raise_exception=False):
            # A receivables manager sets the plan of the customers they
            # read without Odoo's right to edit contacts (Contact Creation):
            # their right was checked above and their reading is checked
            # here, then only these two fields are written.
            self.check_access_rights("read")
            self.check_access_rule("read")
            # Customers are shared between companies in Odoo 11 (its
            # partners' company rule is off): a manager sets those of
            # their companies only.
            allowed = self.env.user.company_ids
            if any(partner.company_id and partner.company_id not in allowed
                   for partner in self):
                raise AccessError(_(
                    "Only a receivable manager of the customer's company "
                    "can change its collection plan, exclusion from "
                    "collection or exemption from late-payment "
                    "interest."))
            return super(ResPartner, self.sudo()).write(vals)
        return super(ResPartner, self).write(vals)

    @api.multi
    def _compute_cartera_promise_state(self):
        Promise = self.env["cartera.promise"]
        if not Promise.check_access_rights("read", raise_exception=False):
            return
        groups = Promise.read_group(
            [("partner_id", "in", self.mapped("commercial_partner_id").ids)],
            ["partner_id", "state"], ["partner_id", "state"], lazy=False)
        worst = {}
        for group in groups:
            partner_id = group["partner_id"][0]
            if STATE_SEVERITY[group["state"]] > STATE_SEVERITY.get(
                    worst.get(partner_id), 0):
                worst[partner_id] = group["state"]
        for partner in self:
            partner.cartera_promise_state = worst.get(
                partner.commercial_partner_id.id, False)

    @api.multi
    def _cartera_followup_target(self):
        # Follow-ups belong to the commercial partner; its contacts show them.
        return "partner_id", self.commercial_partner_id

    @api.multi
    def _cartera_followup_defaults(self):
        commercial = self.commercial_partner_id
        return {
            "default_partner_id": commercial.id,
            "default_user_id": commercial.user_id.id,
        }

    @api.multi
    def _cartera_statement_file_name(self, date_at=None):
        """Name of a printed statement (``print_report_name``), in the
        language of the context: the title, the customer and the date."""
        self.ensure_one()
        return "%s - %s - %s" % (
            _("Statement of Account"), self.commercial_partner_id.name,
            date_at or fields.Date.context_today(self))

    @api.multi
    def action_cartera_statement(self):
        """The statement wizard, for these customers."""
        action = self.env.ref(
            "cartera_seguimiento.cartera_statement_wizard_action").read()[0]
        action["context"] = {
            "active_model": "res.partner",
            "active_id": self[:1].id,
            "active_ids": self.ids,
        }
        return action
