# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disputes: how they end (accepted with a credit note, rejected, paid,
expired) and the ``blocked`` flag of the invoice's receivable items.

A dispute is open from ``date_open`` until the day before
``date_resolved``: resolved on a day, it no longer counts that day.
Expired, its ``date_resolved`` is the day after ``date_expiry`` (it was
open through its expiry day), whenever the cron runs. The reports read
the same rule as of any date (``cartera.ar.report._dispute_open_at``).
"""
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError


class CarteraDispute(models.Model):
    _inherit = "cartera.dispute"

    blocked_item_ids = fields.Many2many(
        "account.move.line", "cartera_dispute_blocked_item_rel",
        "dispute_id", "move_line_id", string="Items Blocked", readonly=True,
        copy=False,
        help="The invoice's receivable items this dispute set blocked: "
             "released when no open dispute holds the invoice; an item "
             "blocked before stays blocked.")

    # ------------------------------------------------------------------
    # Resolutions: the only writers of state, resolution and
    # date_resolved (write() refuses them)
    # ------------------------------------------------------------------
    @api.multi
    def action_accept(self, open_credit_note=False):
        """The claim is accepted: the customer gets a credit note. With
        ``open_credit_note``, returns Odoo's credit-note wizard of the
        invoice (one dispute)."""
        self._resolve("accepted", "credit_note")
        if open_credit_note and len(self) == 1:
            return self._credit_note_action()
        return True

    @api.multi
    def action_accept_credit_note(self):
        """Accept and open the credit-note wizard (the form's button)."""
        return self.action_accept(open_credit_note=True)

    @api.multi
    def action_reject(self):
        """The claim is rejected: the whole amount is collectable again."""
        self._resolve("rejected", "rejected")
        return True

    @api.multi
    def action_paid(self):
        """The customer paid the disputed amount: the claim did not stand
        (state rejected, result paid)."""
        self._resolve("rejected", "paid")
        return True

    @api.multi
    def _resolve(self, state, resolution):
        """Close open disputes the caller may write, as of their
        company's today, then unblock what no open dispute holds."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        not_open = self.filtered(lambda dispute: dispute.state != "open")
        if not_open:
            raise UserError(_("Dispute %s is not open.") % not_open[0].name)
        for dispute in self:
            dispute._write_resolution({
                "state": state, "resolution": resolution,
                "date_resolved": dispute._company_today()})
        self._sync_blocked(self.sudo().mapped("invoice_id"))

    @api.multi
    def _credit_note_action(self):
        """Odoo's credit-note wizard (account.invoice.refund) for the
        disputed invoice, its description and amount prefilled by the
        dispute."""
        self.ensure_one()
        action = self.env.ref("account.action_account_invoice_refund").read()[0]
        action["context"] = {
            "active_model": "account.invoice",
            "active_id": self.invoice_id.id,
            "active_ids": self.invoice_id.ids,
            "default_description": _("Dispute %s") % self.name,
        }
        return action

    @api.multi
    def _company_today(self):
        """Today in the time zone of the dispute's company (its address's;
        Odoo 11 companies have none of their own), the day the cron uses."""
        self.ensure_one()
        return self.sudo().company_id._cartera_dispute_today()

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------
    @api.model
    def _cron_expire(self):
        """Daily: the open disputes whose expiry day has passed in their
        company's local day expire; their invoices climb again."""
        for company in self.env["res.company"].sudo().search([]):
            today = company._cartera_dispute_today()
            disputes = self.sudo().search([
                ("company_id", "=", company.id), ("state", "=", "open"),
                ("date_expiry", "<", today)])
            for dispute in disputes:
                expired = fields.Date.from_string(dispute.date_expiry) + \
                    timedelta(days=1)
                dispute._write_resolution({
                    "state": "expired", "resolution": False,
                    "date_resolved": fields.Date.to_string(expired)})
            self._sync_blocked(disputes.mapped("invoice_id"))
        return True

    # ------------------------------------------------------------------
    # Odoo's blocked flag on the invoice's receivable items
    # ------------------------------------------------------------------
    @api.model
    def _sync_blocked(self, invoices, released=None):
        """``blocked`` on the receivable items of ``invoices``: True while
        an open dispute holds the invoice, so that Odoo's own overdue
        report and the collection runs leave them alone; when none does,
        False again on the items a dispute blocked (``blocked_item_ids``)
        and on those alone: an item someone blocked by hand before stays
        blocked. ``released``: items recorded by disputes being deleted.
        Callers checked their right on the disputes; the items are written
        as superuser (a collector has no accounting rights)."""
        invoices = invoices.sudo().exists()
        if not invoices:
            return
        Dispute = self.sudo()
        holders = Dispute.search([
            ("invoice_id", "in", invoices.ids), ("state", "=", "open")],
            order="date_open, id")
        released = (released or self.env["account.move.line"]).sudo()
        for invoice in invoices:
            items = invoice.move_id.line_ids.filtered(
                lambda line: line.account_id.internal_type == "receivable")
            if not items:
                continue
            # What a dispute blocked, whichever (its invoice may have
            # changed since).
            recorders = Dispute.search([("blocked_item_ids", "in",
                                         items.ids)])
            ours = (recorders.mapped("blocked_item_ids") | released) & items
            holder = holders.filtered(lambda d: d.invoice_id == invoice)[:1]
            if holder:
                to_block = items.filtered(lambda line: not line.blocked)
                if to_block:
                    to_block.write({"blocked": True})
                # Recorded on the dispute holding it now, so that it is
                # released when the last one ends.
                mine = to_block | (ours - holder.blocked_item_ids)
                if mine:
                    holder.write({"blocked_item_ids": [
                        (4, item.id) for item in mine]})
                continue
            to_unblock = ours.filtered("blocked")
            if to_unblock:
                to_unblock.write({"blocked": False})
            if recorders:
                recorders.write({"blocked_item_ids": [
                    (3, item.id) for item in ours]})

    @api.model
    def create(self, vals):
        # Recorded by _sync_blocked alone: a caller naming items here
        # would have them unblocked when the dispute ends.
        vals = dict(vals)
        vals.pop("blocked_item_ids", None)
        return super(CarteraDispute, self).create(vals)

    @api.multi
    def write(self, vals):
        if "blocked_item_ids" in vals and self.env.uid != SUPERUSER_ID:
            raise UserError(_(
                "The items a dispute blocked are recorded by the dispute "
                "itself."))
        return super(CarteraDispute, self).write(vals)

    @api.multi
    def unlink(self):
        # The items these disputes blocked are released (or handed to
        # another open dispute of their invoice) once they are gone.
        released = self.sudo().mapped("blocked_item_ids")
        invoices = self.sudo().mapped("invoice_id")
        result = super(CarteraDispute, self).unlink()
        self._sync_blocked(invoices, released)
        return result


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.multi
    def _cartera_dispute_today(self):
        """Today in the company's time zone (its address's), else UTC."""
        self.ensure_one()
        return fields.Date.context_today(self.with_context(
            tz=self.partner_id.tz or "UTC"))


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    cartera_dispute_ids = fields.One2many(
        "cartera.dispute", "invoice_id", string="Disputes",
        groups="cartera_seguimiento.group_cartera_user")
    cartera_disputed_amount = fields.Monetary(
        string="Disputed", compute="_compute_cartera_disputed_amount",
        currency_field="company_currency_id",
        groups="cartera_seguimiento.group_cartera_user",
        help="The open disputes' amounts, in the company currency; the "
             "rest of the amount due stays collectable.")
    cartera_dispute_count = fields.Integer(
        string="Dispute Count", compute="_compute_cartera_disputed_amount",
        groups="cartera_seguimiento.group_cartera_user")

    @api.multi
    def _compute_cartera_disputed_amount(self):
        # The caller reads these invoices; their disputes are counted as
        # superuser (a dispute's responsible may be another collector).
        self.check_access_rights("read")
        self.check_access_rule("read")
        for invoice, sudo in zip(self, self.sudo()):
            disputes = sudo.cartera_dispute_ids
            invoice.cartera_disputed_amount = sum(disputes.filtered(
                lambda dispute: dispute.state == "open").mapped("amount"))
            invoice.cartera_dispute_count = len(disputes)

    @api.multi
    def action_cartera_disputes(self):
        """The invoice's disputes, a new one on it by default."""
        self.ensure_one()
        action = self.env.ref(
            "cartera_seguimiento.cartera_dispute_action").read()[0]
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {"default_invoice_id": self.id,
                             "default_amount": self.residual_company_signed}
        return action

    @api.multi
    def action_cartera_new_dispute(self):
        """A new dispute on the invoice, in a form."""
        self.ensure_one()
        action = self.action_cartera_disputes()
        action.update(views=[(self.env.ref(
            "cartera_seguimiento.cartera_dispute_view_form").id, "form")],
            view_mode="form", target="current")
        action.pop("view_id", None)
        return action
