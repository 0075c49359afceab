# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Late-payment interest (intereses de mora) of each overdue receivable
item, day by day at the legal cap, by the law's own rules.

- Mora starts the day after the due date (Ley 45 de 1990 art. 65); a due
  date on a Sunday or a Colombian public holiday first moves to the next
  business day (Código de Comercio art. 829, ``tools/legal_terms``).
- Each day of mora earns simple interest on the capital then due, never
  on interest (art. 886). The capital due on a day is what the item's
  reconciliation history leaves open at the end of the day before: what
  ``aging()`` reports for that item as of the day before, so that a
  payment lowers the base from the day after it and the payment day
  itself is a day of mora on the amount it paid.
- The rate of a day is its month's: the legal maximum, 1.5 times the
  certified bank rate (``cartera.interest.rate``, art. 884), or the
  company's agreed effective annual rate, at most that maximum (above it
  the creditor would lose the interest; such months are flagged). A
  month without its certified rate is an error naming it, never a zero.
- An effective annual rate ``EA`` gives the day's rate by the company's
  convention: *365*, (1 + EA)^(1/365) - 1; *360*, the monthly effective
  rate (1 + EA)^(1/12) - 1 divided by 30, for every calendar day.

The items and their partial reconciliations are read in one statement and
the rates in another, whatever the number of items; the days are then
added up in Python by segments (between the payment dates and the months'
boundaries), not one by one. Amounts are in the company currency.
"""
import gc
from bisect import bisect_right
from datetime import date, timedelta
from math import floor

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import legal_terms


# The binary error of a decimal half (2 ** -52, relative): 2.675, stored
# as 2.67499999999999982, rounds to 2.68 as Odoo's float_round rounds it.
EPSILON = 2.0 ** -52


def month_key(day):
    """"2026-02" for any day of February 2026."""
    return "%04d-%02d" % (day.year, day.month)


def day_rate(annual_rate, convention):
    """The rate of one day of an effective annual rate (``annual_rate``,
    %) by the day ``convention`` ("365" or "360")."""
    annual = 1.0 + annual_rate / 100.0
    if convention == "360":
        return (annual ** (1.0 / 12.0) - 1.0) / 30.0
    return annual ** (1.0 / 365.0) - 1.0


class InterestMonths(object):
    """The months from ``first`` to ``last`` (dates): their first and last
    days as ordinals, and each one's rates as the company applies them
    (None for a month without a certified rate)."""

    def __init__(self, first, last, rates, policy, agreed, convention):
        self.starts, self.ends, self.keys = [], [], []
        day = first.replace(day=1)
        while day <= last:
            following = (day + timedelta(days=32)).replace(day=1)
            self.starts.append(day.toordinal())
            self.ends.append(following.toordinal() - 1)
            self.keys.append(month_key(day))
            day = following
        # (month, legal maximum, rate applied, capped, day rate) of each.
        self.values = []
        for key in self.keys:
            max_rate = rates.get(key)
            if max_rate is None:
                self.values.append(None)
                continue
            rate, capped = max_rate, False
            if policy == "agreed":
                rate, capped = min(agreed, max_rate), agreed > max_rate
            self.values.append((key, max_rate, rate, capped,
                                day_rate(rate, convention)))

    def accrue(self, segments):
        """The days and the amount due × days of ``segments`` (see
        ``item_segments``) by month, in order: [[month index, days,
        amount × days]]."""
        result = []
        ends = self.ends
        index = month_end = None
        for start, end, base in segments:
            if index is None:
                index = bisect_right(self.starts, start) - 1
                month_end = ends[index]
            while start > month_end:
                index += 1
                month_end = ends[index]
            while True:
                stop = end if end < month_end else month_end
                days = stop - start + 1
                if result and result[-1][0] == index:
                    result[-1][1] += days
                    result[-1][2] += base * days
                else:
                    result.append([index, days, base * days])
                if stop == end:
                    break
                start = stop + 1
                index += 1
                month_end = ends[index]
        return result


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _interest_items_query(self, scope):
        """The receivable debit items of the user's company that may owe
        interest at ``date_at`` (bound): due before it, of a customer not
        exempt, still open or settled after their due date; and, as two
        arrays in date order, their partial reconciliations dated up to
        ``date_at`` (the day and the amount each took from the item, or
        gave it on the credit side). Days come as Python's ordinals
        (``date.toordinal()``: day 1 is 0001-01-01 in both calendars),
        amounts as floats: the Python loop then does no parsing. By
        customer id (their names order the customers afterwards: sorting
        every item by name cost more than the Python loop). The customer
        ``rp`` is always joined (its exemption)."""
        return sql.SQL("""
    WITH settled_late AS (
        -- The items a partial reconciliation reached after their due
        -- date: with the open ones, all that may have days of mora.
        SELECT v.line_id
          FROM account_partial_reconcile p
         CROSS JOIN LATERAL (VALUES (p.debit_move_id), (p.credit_move_id))
               v (line_id)
          JOIN account_move_line l ON l.id = v.line_id
         WHERE p.company_id = %(company_id)s AND l.balance > 0
           AND p.max_date > COALESCE(l.date_maturity, l.date)
    ), items AS (
        SELECT l.id, l.partner_id, l.invoice_id, l.date, l.balance,
               COALESCE(l.date_maturity, l.date) AS due
          {items}
           AND l.balance > 0
           AND COALESCE(l.date_maturity, l.date) < %(date_at)s
           AND l.date <= %(date_at)s
           AND rp.cartera_interest_exempt IS NOT TRUE
           AND (l.amount_residual <> 0
                OR l.id IN (SELECT line_id FROM settled_late))
    ), partials AS (
        SELECT v.line_id,
               array_agg(p.max_date - DATE '0001-01-01' + 1
                         ORDER BY p.max_date, p.id) AS days,
               array_agg(v.amount::float8 ORDER BY p.max_date, p.id)
                   AS amounts
          FROM account_partial_reconcile p
         CROSS JOIN LATERAL (VALUES (p.debit_move_id, -p.amount),
                                    (p.credit_move_id, p.amount))
               v (line_id, amount)
          JOIN items i ON i.id = v.line_id
         WHERE p.max_date <= %(date_at)s
         GROUP BY v.line_id
    )
    SELECT i.id, i.partner_id, i.invoice_id,
           i.date - DATE '0001-01-01' + 1, i.due - DATE '0001-01-01' + 1,
           i.balance::float8, pa.days, pa.amounts
      FROM items i
      LEFT JOIN partials pa ON pa.line_id = i.id
     ORDER BY i.partner_id, i.due, i.id
""").format(items=self._receivable_items(scope, customers=True))

    @api.model
    def _interest_rates(self, company, date_at):
        """The legal maximum of each month up to ``date_at``, by month
        ("2026-02"), of ``company``'s certified rates."""
        self._cr.execute("""
            SELECT to_char(date, 'YYYY-MM'), max_rate
              FROM cartera_interest_rate
             WHERE company_id = %s AND date <= %s
        """, (company.id, date_at))
        return dict(self._cr.fetchall())

    @api.model
    def _check_billed_until(self, billed_until):
        """``billed_until`` as {item id: date ordinal}. Over XML-RPC a
        dict's keys are strings: "42" is item 42."""
        if not billed_until:
            return {}
        if not isinstance(billed_until, dict):
            raise UserError(_(
                "Billed until must map journal items to dates."))
        result = {}
        for key, value in billed_until.items():
            try:
                line_id = int(key)
            except (TypeError, ValueError):
                line_id = 0
            if line_id <= 0 or isinstance(key, bool):
                raise UserError(_(
                    "Billed until must map journal items to dates "
                    "(not %r).") % (key,))
            if value:
                day = self._check_date(value, _("Billed until"))
                result[line_id] = fields.Date.from_string(day).toordinal()
        return result

    @api.model
    def _interest_rows(self, date_at, partner_ids, billed_until):
        """The checked arguments and the items' rows of ``interest()``:
        (as of date, billed ordinals, rows), or None when the company's
        policy is no interest."""
        date_at = self._check_date(date_at, _("As of date")) or \
            fields.Date.context_today(self)
        billed = self._check_billed_until(billed_until)
        scope, params = self._scope(partner_ids)
        if self.env.user.company_id.cartera_interest_policy not in (
                "legal", "agreed"):
            return None
        params.update(date_at=date_at)
        self._no_jit()
        rows = self._execute(self._interest_items_query(scope), params)
        return fields.Date.from_string(date_at), billed, rows

    @api.model
    def _interest_items(self, rows, last, billed):
        """For each row of ``_interest_items_query`` that has days of mora
        up to ``last`` (ordinal) after its ``billed`` days: (row, first
        day of mora, segments), the segments as ``item_segments``
        gives them."""
        starts = {}
        for row in rows:
            line_id, due, item_date = row[0], row[4], row[3]
            mora_from = starts.get(due)
            if mora_from is None:
                mora_from = starts[due] = legal_terms.mora_start(
                    date.fromordinal(due)).toordinal()
            # The first day counted: in mora, after the item exists (on
            # the day of its date nothing was due yet as of the day
            # before) and after its billed days.
            first = max(mora_from, item_date + 1,
                        billed.get(line_id, 0) + 1)
            if first > last:
                continue
            segments = item_segments(row[5], row[6], row[7], first, last)
            if segments:
                yield row, mora_from, segments

    @api.model
    def _interest_segments(self, date_at, partner_ids=None,
                           billed_until=None):
        """The amounts due that bear interest, as ``interest()`` counts
        them: {journal item id: [(first day, last day, amount due)]}, the
        days as dates. Each amount is what ``aging()`` reports for the
        item as of the day before each of those days."""
        data = self._interest_rows(date_at, partner_ids, billed_until)
        if not data:
            return {}
        as_of, billed, rows = data
        return {row[0]: [(date.fromordinal(start), date.fromordinal(end),
                          base) for start, end, base in segments]
                for row, _mora_from, segments in self._interest_items(
                    rows, as_of.toordinal(), billed)}

    @api.model
    def interest(self, date_at, partner_ids=None, billed_until=None,
                 detail=True):
        """Late-payment interest up to and including ``date_at`` (see the
        module's docstring for the rules), per customer of the user's
        scope, as a list of dicts in the customers' order: ``partner_id``,
        ``interest`` (the total, rounded to the company currency) and
        ``items``, each overdue item that earned interest with
        ``move_line_id``, ``invoice_id``, ``date_due`` (the item's own),
        ``mora_from`` (the first day of mora), ``days`` (days of mora
        with an amount due), ``interest``, ``capped`` (some month's
        agreed rate was above the legal maximum) and ``months``: one dict
        per month with days of mora, ``month`` ("2026-02"), ``days``,
        ``max_rate`` (the month's legal maximum, EA %), ``rate`` (the
        rate applied, EA %), ``capped`` and ``interest`` (rounded to the
        currency; the item's interest is the sum of its months', the
        customer's of its items').

        ``billed_until`` (optional): {journal item id: date}, the days up
        to and including that date already billed to the customer (the
        interest billing's memory): they are not counted again, so that
        an item billed to D earns from D + 1 on.

        ``detail`` false: the items without their ``months`` (the same
        figures, rounded by month all the same), for callers that need
        each item's total only, such as the billing of a whole
        portfolio: the months are most of the time and memory of a large
        one.

        Empty when the company's policy is no interest; exempt customers
        are left out."""
        # None of the result's containers (a dict and a list per item, a
        # dict per month: millions for a whole portfolio) is part of a
        # cycle, yet every few hundred of them made the cyclic collector
        # run, and every so often walk the whole process (the registry
        # too): it is paused while they are built, never left off.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._interest(date_at, partner_ids, billed_until, detail)
        finally:
            if collecting:
                gc.enable()

    @api.model
    def _interest(self, date_at, partner_ids, billed_until, detail):
        """``interest()`` itself, the cyclic collector paused."""
        data = self._interest_rows(date_at, partner_ids, billed_until)
        if not data or not data[2]:
            return []
        as_of, billed, rows = data
        company = self.env.user.company_id
        months = InterestMonths(
            date.fromordinal(min(row[4] for row in rows)), as_of,
            self._interest_rates(company, as_of),
            company.cartera_interest_policy, company.cartera_interest_rate,
            company.cartera_interest_days)
        digits = company.currency_id.decimal_places
        scale = 10 ** digits
        # Each month's day rate in units of the currency's last digit.
        values = [value and value[:4] + (value[4] * scale,)
                  for value in months.values]
        texts = {}
        customers, by_partner = [], {}
        for row, mora_from, segments in self._interest_items(
                rows, as_of.toordinal(), billed):
            item_months, total_days, item_interest = [], 0, 0.0
            capped = False
            for index, days, base_days in months.accrue(segments):
                value = values[index]
                if value is None:
                    raise UserError(_(
                        "There is no certified interest rate for %s: type "
                        "the Superintendencia Financiera's rate of that "
                        "month in Configuration > Certified Rates.")
                        % months.keys[index])
                # _money inline (once per month of every item).
                scaled = base_days * value[4]
                month_interest = floor(
                    scaled + 0.5 + scaled * EPSILON) / scale
                if detail:
                    item_months.append({
                        "month": value[0],
                        "days": days,
                        "max_rate": value[1],
                        "rate": value[2],
                        "capped": value[3],
                        "interest": month_interest,
                    })
                total_days += days
                item_interest += month_interest
                capped = capped or value[3]
            partner_id = row[1]
            customer = by_partner.get(partner_id)
            if customer is None:
                customer = by_partner[partner_id] = {
                    "partner_id": partner_id, "interest": 0.0, "items": []}
                customers.append(customer)
            due = texts.get(row[4])
            if due is None:
                due = texts[row[4]] = date.fromordinal(row[4]).isoformat()
            start = texts.get(mora_from)
            if start is None:
                start = texts[mora_from] = date.fromordinal(
                    mora_from).isoformat()
            item = {
                "move_line_id": row[0],
                "invoice_id": row[2] or False,
                "date_due": due,
                "mora_from": start,
                "days": total_days,
                "interest": _money(item_interest, digits),
                "capped": capped,
            }
            if detail:
                item["months"] = item_months
            customer["items"].append(item)
            customer["interest"] += item_interest
        for customer in customers:
            customer["interest"] = _money(customer["interest"], digits)
        return self._interest_sorted(customers)

    @api.model
    def _interest_sorted(self, customers):
        """``customers`` in the order of every report: by name, then id."""
        if len(customers) < 2:
            return customers
        self._cr.execute(
            "SELECT id, upper(name) FROM res_partner WHERE id IN %s",
            (tuple(customer["partner_id"] for customer in customers),))
        names = dict(self._cr.fetchall())
        return sorted(customers, key=lambda customer: (
            names.get(customer["partner_id"]) or "", customer["partner_id"]))


def _money(value, digits):
    """``value`` (not negative) rounded half-up to ``digits`` decimals,
    as Odoo's ``float_round`` rounds (one unit in the last place added
    for the binary error of a decimal half), as the float nearest to that
    decimal. Inline: it runs once per month of every item."""
    scale = 10 ** digits
    scaled = value * scale
    return floor(scaled + 0.5 + scaled * EPSILON) / scale


def item_segments(balance, partial_days, partial_amounts, first, last):
    """The days ``first`` to ``last`` (ordinals) of an item of ``balance``
    with its partial reconciliations (their days as ordinals, in order, and
    the signed amounts they add to what is due), as [(start, end, amount
    due)] with an amount due above zero. A partial changes the amount due
    from the day after its date: its own day still bears the old amount
    (the payment day is a day of mora)."""
    base = balance
    changes = []
    if partial_days:
        for ordinal, amount in zip(partial_days, partial_amounts):
            if ordinal < first:
                base += amount
            else:
                changes.append((ordinal, amount))
    changes.append((last, 0.0))
    segments = []
    start = first
    for ordinal, amount in changes:
        if ordinal >= start:
            # Cents: anything under half a cent is nothing due.
            if base >= 0.005:
                segments.append((start, ordinal, base))
            start = ordinal + 1
        base += amount
    return segments
