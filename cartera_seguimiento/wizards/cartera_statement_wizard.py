# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import dates

REPORT_XMLID = "cartera_seguimiento.cartera_statement_report"


class CarteraStatementWizard(models.TransientModel):
    """Statements of account: printed in one PDF, or e-mailed to each
    customer by a run the cron processes (the request only queues it)."""
    _name = "cartera.statement.wizard"
    _inherit = "cartera.report.wizard"
    _description = "Statement of Account Wizard"

    date_at = fields.Date(
        string="As of", required=True, default=fields.Date.context_today,
        help="Payments and reconciliations after this date do not count.")
    partner_ids = fields.Many2many(
        "res.partner", "cartera_statement_wizard_partner_rel",
        "wizard_id", "partner_id", string="Customers",
        domain=lambda self: self._visible_customers_domain(),
        help="Leave empty for every customer you may see that owes "
             "something, as filtered below.")
    salesperson_ids = fields.Many2many(
        "res.users", "cartera_statement_wizard_user_rel", "wizard_id",
        "user_id", string="Salespeople")
    min_balance = fields.Monetary(
        string="Minimum Balance", currency_field="currency_id",
        help="Only customers who owe at least this much.")
    overdue_only = fields.Boolean(
        string="Overdue Only",
        help="Only customers with an amount overdue on the as-of date.")
    with_movement = fields.Boolean(
        string="Include Movement",
        help="Add the movement of a period: opening balance, invoices, "
             "payments, credit notes and closing balance.")
    date_from = fields.Date(string="Movement From")
    date_to = fields.Date(string="Movement To")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("queued", "Queued")], default="draft",
        readonly=True)
    run_id = fields.Many2one("cartera.statement.run", string="Run",
                             readonly=True)
    queued_count = fields.Integer(string="Queued", readonly=True)
    skipped_partner_ids = fields.Many2many(
        "res.partner", "cartera_statement_wizard_skipped_rel",
        "wizard_id", "partner_id", string="Skipped (no e-mail)",
        readonly=True,
        help="Customers without an e-mail address: print their statements "
             "instead.")

    @api.model
    def default_get(self, fields_list):
        values = super(CarteraStatementWizard, self).default_get(fields_list)
        context = self._context
        ids = context.get("active_ids") or []
        if context.get("active_model") == "res.partner" and ids:
            partners = self.env["res.partner"].browse(ids)
        elif context.get("active_model") == "cartera.agenda" and ids:
            partners = self.env["cartera.agenda"].browse(ids).mapped(
                "partner_id")
        else:
            return values
        values["partner_ids"] = [(6, 0, partners.mapped(
            "commercial_partner_id").ids)]
        return values

    @api.onchange("with_movement", "date_at")
    def _onchange_with_movement(self):
        if self.with_movement and not self.date_from and self.date_at:
            date_at = fields.Date.from_string(self.date_at)
            self.date_from = fields.Date.to_string(date_at.replace(day=1))
            self.date_to = self.date_at

    @api.multi
    def _title(self):
        return _("Statement of Account")

    @api.multi
    def _period(self):
        """The movement's period, or (False, False)."""
        self.ensure_one()
        if not self.with_movement:
            return False, False
        if not self.date_from or not self.date_to:
            raise UserError(_("The movement needs a start and an end date."))
        return dates.check_range(self.env, self.date_from, self.date_to)

    @api.multi
    def _selected_partners(self):
        """The customers of the statements, sorted by name: those chosen,
        or every customer the user may see with an open balance (of the
        salespeople chosen); then the balance filters."""
        self.ensure_one()
        engine = self.env["cartera.ar.report"]
        chosen = self.partner_ids.mapped("commercial_partner_id")
        if chosen:
            engine._check_statement_partners(chosen.ids)
        filtered = self.min_balance > 0 or self.overdue_only
        rows = None
        if not chosen or filtered:
            rows = engine.aging(self.date_at, 30, chosen.ids or None,
                                self.salesperson_ids.ids or None)
        if rows is None:
            partners = chosen
        else:
            rows = [row for row in rows if self._keep(row)]
            partners = self.env["res.partner"].browse(
                [row["partner_id"] for row in rows])
        if not partners:
            raise UserError(_("No customer matches these filters."))
        # Sorted on the names alone: the sort would otherwise read every
        # field of thousands of customers.
        names = sorted(((values["name"] or "").upper(), values["id"])
                       for values in partners.read(["name"]))
        return self.env["res.partner"].browse([pid for _name, pid in names])

    @api.multi
    def _keep(self, aging_row):
        """Whether a customer's aging row passes the balance filters."""
        if self.min_balance > 0 and aging_row["total"] < self.min_balance:
            return False
        if self.overdue_only and round(sum(aging_row["periods"]), 2) <= 0:
            return False
        return True

    @api.multi
    def _prepare_report_data(self, partners):
        date_from, date_to = self._period()
        return {
            "partner_ids": partners.ids,
            "date_at": self.date_at,
            "date_from": date_from,
            "date_to": date_to,
        }

    @api.multi
    def action_print_pdf(self):
        """One PDF with the statements of the customers selected."""
        self.ensure_one()
        partners = self._selected_partners()
        action = self.env.ref(REPORT_XMLID).report_action(
            partners, data=self._prepare_report_data(partners), config=False)
        return {key: value for key, value in action.items()
                if value is not None}

    @api.multi
    def action_print_html(self):
        action = self.action_print_pdf()
        action["report_type"] = "qweb-html"
        return action

    @api.multi
    def action_send(self):
        """Queue the statements for e-mailing and come back at once: the
        wizard then shows the customers skipped (no e-mail address) and
        the run, whose form follows the sending."""
        self.ensure_one()
        partners = self._selected_partners()
        date_from, date_to = self._period()
        run = self.env["cartera.statement.run"]._queue(
            partners, self.date_at, date_from, date_to)
        skipped = run._lines("skipped").mapped("partner_id")
        self.write({
            "state": "queued",
            "run_id": run.id,
            "queued_count": len(partners) - len(skipped),
            "skipped_partner_ids": [(6, 0, skipped.ids)],
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self._title(),
        }

    @api.multi
    def action_open_run(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cartera.statement.run",
            "res_id": self.run_id.id,
            "view_mode": "form",
            "target": "current",
        }
