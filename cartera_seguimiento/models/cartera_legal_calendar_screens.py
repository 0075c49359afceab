# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The legal calendar on the screens (issue 26, item 6): a page of the
invoice, a tab of the customer (a table of their items' dates, from
``cartera.ar.report.legal_calendar``), and the agenda's next prescription
and its warning 90, 30 and 7 days before."""
from psycopg2 import sql

from odoo import _, api, fields, models

from ..tools import legal_terms
from . import cartera_dunning_rules as rules
from .cartera_legal_calendar import PRESCRIPTION_WARNINGS

TABLE_TEMPLATE = "cartera_seguimiento.legal_calendar_table"

WARNING_LEVELS = [
    ("7", "7 days or less"),
    ("30", "30 days or less"),
    ("90", "90 days or less"),
]

# Per customer and company, the earliest due date of their open items not
# prescribed on the day (the next business day of a later date is never
# earlier: the earliest due date prescribes first).
NEXT_PRESCRIPTION = """
SELECT i.partner_id, i.company_id, MIN(i.due)
  FROM (SELECT o.line_id, o.partner_id, o.company_id, o.due,
               SUM(o.amount) AS amount
          FROM ({open_items}) o
         WHERE {partners}
         GROUP BY o.line_id, o.partner_id, o.company_id, o.due) i
 WHERE i.amount > 0 AND NOT {prescribed}
 GROUP BY i.partner_id, i.company_id
"""


def _render_table(env, rows, empty):
    """The HTML table of legal calendar ``rows``."""
    return env["ir.ui.view"].render_template(TABLE_TEMPLATE, {
        "rows": rows, "empty": empty, "warning_days": max(
            PRESCRIPTION_WARNINGS)}).decode("utf-8")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    cartera_prescription_date = fields.Date(
        string="Prescription", compute="_compute_cartera_legal_calendar",
        groups="cartera_seguimiento.group_cartera_user",
        help="The day the acción cambiaria directa of the invoice "
             "prescribes (Código de Comercio art. 789): three years from "
             "its due date, on a business day. Its earliest installment's.")
    cartera_legal_calendar = fields.Html(
        string="Legal Calendar", compute="_compute_cartera_legal_calendar",
        groups="cartera_seguimiento.group_cartera_user", sanitize=False,
        help="Each receivable item's legal dates as of today.")

    @api.multi
    def _compute_cartera_legal_calendar(self):
        items = self.filtered(
            lambda i: i.type == "out_invoice" and i.move_id).mapped(
            "move_id.line_ids").filtered(
            lambda l: l.account_id.internal_type == "receivable"
            and l.debit > 0)
        rows = self.env["cartera.ar.report"].legal_calendar_items(
            items.ids) if items else []
        by_invoice = {}
        for row in rows:
            by_invoice.setdefault(row["invoice_id"], []).append(row)
        for invoice in self:
            mine = by_invoice.get(invoice.id, [])
            invoice.cartera_prescription_date = min(
                (row["prescription_date"] for row in mine), default=False)
            invoice.cartera_legal_calendar = _render_table(
                self.env, mine, _("No receivable item of yours to show: "
                                  "the invoice is not open or posted."))


class ResPartner(models.Model):
    _inherit = "res.partner"

    cartera_legal_calendar = fields.Html(
        string="Legal Calendar", compute="_compute_cartera_legal_calendar",
        groups="cartera_seguimiento.group_cartera_user", sanitize=False,
        help="The legal dates of the customer's open items, and of those "
             "paid whose report may still stay in the credit bureaus.")

    @api.multi
    def _compute_cartera_legal_calendar(self):
        company = self.env.user.company_id
        partners = self.filtered(
            lambda p: p.id and p.company_id in (company, p.browse()))
        customer_ids = list(set(partners.mapped("commercial_partner_id").ids))
        rows = self.env["cartera.ar.report"].legal_calendar(
            None, customer_ids) if customer_ids else []
        by_customer = {}
        for row in rows:
            by_customer.setdefault(row["partner_id"], []).append(row)
        for partner in self:
            partner.cartera_legal_calendar = _render_table(
                self.env, by_customer.get(
                    partner.commercial_partner_id.id, []),
                _("No open item, nor a paid one still in the credit "
                  "bureaus."))

    @api.multi
    def action_cartera_legal_calendar_report(self):
        """The legal calendar report's wizard, for these customers."""
        action = self.env.ref(
            "cartera_seguimiento.cartera_legal_calendar_wizard_action"
        ).read()[0]
        action["context"] = {"default_partner_ids": [
            (6, 0, self.mapped("commercial_partner_id").ids)]}
        return action


class CarteraAgenda(models.Model):
    _inherit = "cartera.agenda"

    prescription_date = fields.Date(
        string="Next Prescription", compute="_compute_prescription",
        search="_search_prescription_date",
        help="The earliest day one of the customer's open items prescribes "
             "(acción cambiaria directa, three years from its due date, on "
             "a business day), among those not prescribed yet.")
    prescription_warning = fields.Selection(
        WARNING_LEVELS, string="Prescription Warning",
        compute="_compute_prescription", search="_search_prescription_warning",
        help="How near the next prescription is: 90, 30 or 7 days or less.")

    @api.model
    def _agenda_today(self):
        """The agenda's today (``_today_sql``), as a date."""
        self._cr.execute(sql.SQL("SELECT {}").format(
            self._today_sql()).as_string(self._cr._obj))
        return fields.Date.from_string(self._cr.fetchone()[0])

    @api.model
    def _next_prescriptions(self, today, partner_ids=None):
        """{(customer, company): the next prescription date} of the open
        items of ``partner_ids`` (all when None) not prescribed on
        ``today``. Two queries. The agenda's record rules have chosen its
        rows; the dates are those rows' alone."""
        engine = self.env["cartera.ar.report"]
        partners = sql.SQL("TRUE")
        params = {"date": today, "prescribed_bound":
                  legal_terms.prescribed_bound(today)}
        if partner_ids is not None:
            partners = sql.SQL("o.partner_id IN %(partner_ids)s")
            params["partner_ids"] = tuple(partner_ids) or (0,)
        query = sql.SQL(NEXT_PRESCRIPTION).format(
            open_items=engine._open_items(sql.Placeholder("date")),
            partners=partners,
            prescribed=rules.prescribed(sql.SQL("i.due")))
        return {(partner_id, company_id): legal_terms.prescription_date(due)
                for partner_id, company_id, due
                in engine._execute(query, params)}

    @staticmethod
    def _warning(today, prescription):
        if not prescription:
            return False
        days = (prescription - today).days
        for limit in sorted(PRESCRIPTION_WARNINGS):
            if days <= limit:
                return str(limit)
        return False

    @api.multi
    def _compute_prescription(self):
        today = self._agenda_today()
        dates = self._next_prescriptions(
            today, self.mapped("partner_id").ids)
        for row in self:
            prescription = dates.get((row.partner_id.id, row.company_id.id))
            row.prescription_date = prescription and fields.Date.to_string(
                prescription) or False
            row.prescription_warning = self._warning(today, prescription)

    @api.model
    def _search_by(self, predicate):
        """A domain on the rows whose (today, prescription) satisfy
        ``predicate``."""
        today = self._agenda_today()
        ids = [partner_id * 100000 + company_id
               for (partner_id, company_id), prescription
               in self._next_prescriptions(today).items()
               if predicate(today, prescription)]
        return [("id", "in", ids)]

    @api.model
    def _search_prescription_date(self, operator, value):
        compare = {
            "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
            "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
        }
        if value is False and operator in ("=", "!="):
            # Rows without a date are those without a prescription ahead.
            found = self._search_by(lambda today, day: True)
            return found if operator == "!=" else [
                ("id", "not in", found[0][2])]
        if operator not in compare:
            return [("id", "=", 0)]
        value = fields.Date.from_string(value)
        return self._search_by(
            lambda today, day: compare[operator](day, value))

    @api.model
    def _search_prescription_warning(self, operator, value):
        if operator in ("=", "!=") and not value:
            found = self._search_by(
                lambda today, day: bool(self._warning(today, day)))
            return found if operator == "!=" else [
                ("id", "not in", found[0][2])]
        values = value if isinstance(value, (list, tuple)) else [value]
        wanted = operator in ("=", "in")
        return self._search_by(lambda today, day: (
            self._warning(today, day) in values) == wanted)
