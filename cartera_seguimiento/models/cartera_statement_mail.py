# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What Odoo's own models do for the statements of account sent by e-mail:
who a statement goes to (the customer, nobody else; checked again by
Odoo's mail queue before each sending, models/mail_mail.py); who may edit
the statement's mail template; and the follow-up that records a statement
sent, which completes nobody's task."""
from odoo import api, fields, models

STATEMENT_TEMPLATE_XMLID = \
    "cartera_seguimiento.cartera_statement_mail_template"
# The context key of the follow-ups that record a statement sent by a run.
STATEMENT_FOLLOWUP_KEY = "cartera_statement_followup"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # groups: outsiders (an accountant, a portal user) read partners
    # without a field list; a field of ours must not fail their reads.
    cartera_statement_contact = fields.Boolean(
        string="Receives Statements",
        groups="cartera_seguimiento.group_cartera_user",
        help="The statements of account e-mailed to this contact's company "
             "go to the contacts so marked (those with an e-mail address); "
             "when none is, to the company's invoice address.")

    @api.multi
    def _cartera_statement_recipients(self):
        """{customer id: [(partner id, e-mail), ...]} of these commercial
        partners: who their statement of account is e-mailed to, and to
        nobody else. The contacts marked for statements that have an
        address; when none is, the invoice address (``address_get``), or
        the customer itself when that has no address. Empty for a
        customer with no address at all.

        A run queues thousands of customers at once: the addresses are
        read alone, and ``address_get`` (a walk through the contacts) is
        asked only of the customers that have an invoice contact."""
        Partner = self.env["res.partner"]
        own = {row["id"]: row["email"] for row in self.read(["email"])}
        result = {partner_id: [] for partner_id in own}
        if not own:
            return result
        for row in Partner.search_read([
                ("commercial_partner_id", "in", list(own)),
                ("cartera_statement_contact", "=", True),
                ("email", "!=", False)],
                ["email", "commercial_partner_id"], order="id"):
            result[row["commercial_partner_id"][0]].append(
                (row["id"], row["email"]))
        rest = [partner_id for partner_id, found in result.items()
                if not found]
        with_invoice = {row["commercial_partner_id"][0] for row in
                        Partner.search_read([
                            ("commercial_partner_id", "in", rest),
                            ("type", "=", "invoice"),
                            ("id", "not in", rest)],
                            ["commercial_partner_id"])} if rest else set()
        for partner_id in rest:
            address_id, email = partner_id, own[partner_id]
            if partner_id in with_invoice:
                invoice_id = Partner.browse(partner_id).address_get(
                    ["invoice"])["invoice"]
                invoice_email = Partner.browse(invoice_id).email
                if invoice_email:
                    address_id, email = invoice_id, invoice_email
            if email:
                result[partner_id] = [(address_id, email)]
        return result


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _cartera_protected_domain(self):
        """Domain of the templates an employee may write or delete (the
        record rule of ``base.group_user``): every one but the statement's,
        which goes to customers in the company's name and which managers
        and administrators alone edit (their own rules)."""
        template = self.env.ref(STATEMENT_TEMPLATE_XMLID,
                                raise_if_not_found=False)
        return [("id", "!=", template.id)] if template else []


class CarteraFollowup(models.Model):
    _inherit = "cartera.followup"

    @api.multi
    def _complete_previous_tasks(self):
        # A statement e-mailed by a run is a follow-up in its user's name,
        # not the work a collector's task asked for: it completes none. (A
        # caller who sets the key himself completes less, never more.)
        if self._context.get(STATEMENT_FOLLOWUP_KEY):
            return
        return super(CarteraFollowup, self)._complete_previous_tasks()
