# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each receivable item's legal calendar (issue 26, item 6), as of a date:

- the prior notices of Ley 1266 that left for it and the first day a
  report to the credit bureaus is allowed (the collection run's own rule:
  ``cartera_dunning_rules``);
- the start of mora, and until when negative data may stay in the
  credit bureaus (paid: twice the days of mora, at most four years from
  the payment; never paid: eight years from the start of mora);
- the prescription of the acción cambiaria directa (three years from the
  due date, on a business day).

The dates themselves are ``tools.legal_terms``'s; the calendar is
``tools.legal_calendar``'s. One statement reads the items, whatever their
number; each distinct due date is computed once in Python.

The items: the customers' receivable debits (invoices, debit notes) open
on the date, and those settled by then that were reported to the bureaus
and may still stay there. ``legal_calendar_items`` reads given items,
open or not (an invoice's form).
"""
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import legal_terms
from . import cartera_dunning_rules as rules

# Days before a prescription when the agenda warns (its levels).
PRESCRIPTION_WARNINGS = (7, 30, 90)

LEGAL_CALENDAR = """
WITH open_rows AS ({open_items}),
open_amounts AS (
    SELECT o.line_id, o.partner_id, SUM(o.amount) AS amount
      FROM open_rows o
     GROUP BY o.line_id, o.partner_id
),
debts AS (
    -- A customer's debt on the date, as the collection run counts it:
    -- every open amount of theirs, credits included.
    SELECT rp.commercial_partner_id AS customer_id, SUM(o.amount) AS debt
      FROM open_amounts o
      JOIN res_partner rp ON rp.id = o.partner_id
     GROUP BY rp.commercial_partner_id
),
bureau AS (
    -- Each item's notices that left by the date and its first report.
    SELECT dl.move_line_id, {notices} AS notices,
           MIN(dl.reportable_date) FILTER (WHERE dl.bureau_report)
               AS reported
      FROM cartera_dunning_line dl
     WHERE dl.company_id = %(company_id)s
       AND dl.state IN ('sent', 'printed')
       AND (dl.bureau_notice OR dl.bureau_report)
       AND COALESCE(dl.date_sent, dl.date) <= %(date)s::date
     GROUP BY dl.move_line_id
)
SELECT l.id, l.invoice_id,
       COALESCE(inv.number, m.name, l.name), rp.commercial_partner_id,
       cp.name, cp.vat, cp.user_id, sp.name,
       COALESCE(l.date_maturity, l.date), l.balance,
       COALESCE(oa.amount, 0),
       CASE WHEN COALESCE(oa.amount, 0) <= 0 THEN (
           SELECT MAX(p.max_date) FROM account_partial_reconcile p
            WHERE p.debit_move_id = l.id AND p.max_date <= %(date)s::date)
       END,
       b.notices, n.needed, {report_from}, b.reported
  {items}
   AND l.balance > 0 AND l.date <= %(date)s::date
   AND {which}
 ORDER BY cp.name, cp.id, COALESCE(l.date_maturity, l.date), l.id
"""

# The customer (commercial partner ``cp``) and their salesperson, the
# document, the item's open amount, notices and report, its customer's
# debt and the notices it needs.
JOINS = """
  JOIN res_partner cp ON cp.id = rp.commercial_partner_id
  LEFT JOIN res_users su ON su.id = cp.user_id
  LEFT JOIN res_partner sp ON sp.id = su.partner_id
  LEFT JOIN account_invoice inv ON inv.id = l.invoice_id
  JOIN account_move m ON m.id = l.move_id
  LEFT JOIN open_amounts oa ON oa.line_id = l.id
  LEFT JOIN bureau b ON b.move_line_id = l.id
  LEFT JOIN debts d ON d.customer_id = rp.commercial_partner_id
  CROSS JOIN LATERAL (SELECT {needed} AS needed) n
"""


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def legal_calendar(self, date_at=None, partner_ids=None,
                       salesperson_ids=None):
        """The legal calendar of the receivable items of the customers the
        user may see, as of ``date_at`` (today by default): those open
        then, and those settled whose report to the credit bureaus may
        still stay there. A list of dicts, one per item, by customer and
        due date (see ``_legal_calendar_row``). A fixed number of
        queries."""
        date_at = self._check_date(date_at, _("Date")) or \
            fields.Date.context_today(self)
        rows = self._legal_calendar(date_at, sql.SQL(
            "(oa.amount > 0 OR b.reported IS NOT NULL)"), {},
            partner_ids, salesperson_ids)
        # A paid item leaves the calendar once its permanence ended.
        return [row for row in rows if row["amount_due"] > 0
                or (row["bureau_until"] or "") >= date_at]

    @api.model
    def legal_calendar_items(self, move_line_ids, date_at=None):
        """The legal calendar of the receivable items ``move_line_ids``
        (those the user may see; others are left out), open or not."""
        move_line_ids = self._check_ids(move_line_ids, _("Journal items"))
        date_at = self._check_date(date_at, _("Date")) or \
            fields.Date.context_today(self)
        if not move_line_ids:
            return []
        return self._legal_calendar(
            date_at, sql.SQL("l.id IN %(move_line_ids)s"),
            {"move_line_ids": tuple(move_line_ids)})

    @api.model
    def _legal_calendar(self, date_at, which, extra, partner_ids=None,
                        salesperson_ids=None):
        scope, params = self._scope(partner_ids, salesperson_ids)
        params.update(extra, date=date_at,
                      wage=self.env.user.company_id.cartera_minimum_wage or 0.0)
        self._no_jit()
        open_items = self._open_items(
            sql.Placeholder("date"), scope, self._aging_method(date_at))
        query = sql.SQL(LEGAL_CALENDAR).format(
            open_items=open_items,
            notices=rules.notices(),
            report_from=rules.report_gate(sql.SQL("b.notices"),
                                          sql.SQL("n.needed")),
            items=self._receivable_items(scope, joins=sql.SQL(JOINS).format(
                needed=rules.notices_needed(sql.SQL("COALESCE(d.debt, 0)"),
                                            sql.SQL("%(wage)s::numeric"))),
                                         customers=True),
            which=which)
        rows = self._execute(query, params)
        cache = {}
        return [self._legal_calendar_row(row, date_at, cache)
                for row in rows]

    @api.model
    def _legal_calendar_row(self, row, date_at, cache):
        """One item's dict: ``move_line_id``, ``invoice_id``,
        ``document``, the customer's columns, ``date_due``, ``amount``
        (its original amount), ``amount_due`` (on ``date_at``),
        ``date_paid`` (the day the last payment settled it, when settled),
        ``mora_from``, ``days_mora`` (up to ``date_at`` or its payment),
        ``notices`` (the dates of the Ley 1266 notices that left),
        ``notices_needed``, ``report_from`` (the first day a report is
        allowed; False while a notice is missing), ``reported`` (the day
        it became reportable), ``bureau_until`` (False when there is
        nothing negative to keep), ``prescription_date``, ``prescribed``
        and ``days_to_prescription``. Dates as server strings."""
        (line_id, invoice_id, document, partner_id, name, vat, user_id,
         user_name, due, amount, amount_due, paid, notices, needed,
         report_from, reported) = row
        terms = cache.get(due)
        if terms is None:
            terms = cache[due] = (legal_terms.mora_start(due),
                                  legal_terms.prescription_date(due))
        mora_from, prescription = terms
        today = fields.Date.from_string(date_at)
        amount_due = round(float(amount_due), 2)
        settled = amount_due <= 0 and paid
        if settled:
            until = legal_terms.bureau_until(due, paid)
            days = legal_terms.mora_days(due, paid)
        else:
            days = legal_terms.mora_days(due, today)
            # Not in mora yet: nothing negative to report.
            until = days and legal_terms.bureau_until(due)
        notices = notices or []
        values = self._customer_values(partner_id, name, vat, user_id,
                                       user_name)
        values.update({
            "move_line_id": line_id,
            "invoice_id": invoice_id or False,
            "document": document or "",
            "date_due": due,
            "amount": round(float(amount), 2),
            "amount_due": amount_due,
            "date_paid": settled and paid or False,
            "mora_from": fields.Date.to_string(mora_from),
            "days_mora": days,
            "notices": [fields.Date.to_string(day) if not isinstance(
                day, str) else day for day in notices],
            "notices_needed": needed,
            "report_from": report_from or False,
            "reported": reported or False,
            "bureau_until": until and fields.Date.to_string(until) or False,
            "prescription_date": fields.Date.to_string(prescription),
            "prescribed": prescription <= today,
            "days_to_prescription": (prescription - today).days,
        })
        return values


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    @api.model
    def create(self, vals):
        # The runs insert their lines in SQL, and refuse a legal-stage
        # level for a prescribed item there (cartera_dunning_selection);
        # any other path that creates a line gets the same answer.
        line = super(CarteraDunningLine, self).create(vals)
        line._check_not_prescribed()
        return line

    @api.multi
    def _check_not_prescribed(self):
        for line in self:
            if line.level_id.stage != "legal":
                continue
            due = line.move_line_id.date_maturity or \
                line.move_line_id.date
            prescription = legal_terms.prescription_date(due)
            if fields.Date.to_string(prescription) <= line.date:
                raise UserError(_(
                    "The acción cambiaria of %s prescribed on %s (three "
                    "years from its due date): it cannot reach the legal "
                    "stage level %s.") % (
                        line.invoice_id.number or line.move_line_id.name,
                        fields.Date.to_string(prescription),
                        line.level_id.name))
