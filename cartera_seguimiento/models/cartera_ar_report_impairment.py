# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deterioro de cartera (issue 27): the receivables impairment as of a
cut-off date, under the tax rules and the accounting standard, per customer.

Every amount is the aging's (``_open_items`` as of the date, the same
buckets), so a customer's ``balance`` is its ``aging()`` total.

**Tax** (Estatuto Tributario art. 145, Decreto 187 de 1975 arts. 74-75),
on the receivables of customers that are not related parties:

- *general*: 5 % of the amounts more than 3 months overdue and up to 6,
  10 % of those more than 6 months and up to a year, 15 % of those more
  than a year. Months are calendar months: an item due on D is more than
  3 months overdue from the day after D + 3 months (PostgreSQL's date
  arithmetic, a day past the month's end falling on its last day), so
  exactly 3 months is still not; likewise 6 months and a year.
- *individual*: 33 % of each debt for each whole year it is more than a
  year overdue (more than one year: 33 %, more than two: 66 %, more than
  three: 99 %), at most all of it.

Credits (payments not applied, credit notes) lower the amounts of their
band; a band, and a customer's individual figure, never go below zero.

**Accounting**: *matrix* (Grupo 1, NIIF 9 simplified approach): Σ over the
aging buckets of the bucket's amount (at least zero) × the company's loss
rate of that bucket (``cartera.impairment.rate``); *incurred* (Grupo 2):
Σ of the open amount of the invoices with objective evidence of impairment
dated on or before the cut-off × its impaired share
(``cartera.impairment.evidence``). Rates are exact decimals (ten places),
the products summed in ``numeric`` and rounded once per customer.

``difference`` = accounting - tax (the company's tax method), the base of
the deferred tax.
"""
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .cartera_ar_report_aging import PERIOD_COUNT
from .cartera_impairment import ACCOUNTANT_GROUP

# The aging's buckets: not due, PERIOD_COUNT periods of PERIOD_DAYS days,
# older.
PERIOD_DAYS = 30
BUCKETS = PERIOD_COUNT + 2
# The general method's rates of the bands more than 3, 6 and 12 months
# overdue, and the individual method's rate per whole year.
GENERAL_RATES = (Decimal("0.05"), Decimal("0.10"), Decimal("0.15"))
INDIVIDUAL_RATE = Decimal("0.33")


def _decimal(value):
    """An amount or rate read from the database as an exact decimal: Odoo
    reads ``numeric`` as float, whose shortest repr is the stored value
    (amounts of two decimals, rates of ten)."""
    return Decimal(repr(float(value or 0)))


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _impairment_bucket_labels(self):
        labels = self.aging_periods(PERIOD_DAYS, PERIOD_COUNT)
        return [_("Not due")] + labels

    @api.model
    def _check_impairment_access(self):
        """Receivable managers and accountants: the impairment is the
        whole portfolio's figure, booked by accounting."""
        user = self.env.user
        if not (self.env["cartera.scope"]._is_manager() or
                user.has_group(ACCOUNTANT_GROUP)):
            raise AccessError(_(
                "Only receivable managers and accountants can compute the "
                "receivables impairment."))

    @api.model
    def _impairment_scope(self, partner_ids=None):
        """The conditions and parameters of the company's items (of the
        customers asked for): managers and accountants see the whole
        portfolio."""
        self._check_impairment_access()
        params = {"company_id": self.env.user.company_id.id}
        scope = sql.SQL("")
        if partner_ids:
            params["partner_ids"] = tuple(
                self._commercial_partners(partner_ids)) or (0,)
            scope = sql.SQL(" AND l.partner_id IN %(partner_ids)s")
        return scope, params

    @api.model
    def _impairment_query(self, amounts, incurred):
        """Per customer: the aging buckets ``b0``..``b5``, the tax bands
        ``t1``..``t3`` (more than 3, 6 and 12 months overdue), the
        individual figure and the incurred allowance."""
        date = sql.SQL("%(date_at)s::date")
        if incurred:
            evidence = sql.SQL("""
      LEFT JOIN LATERAL (
           SELECT e.rate FROM account_move_line ml
             JOIN cartera_impairment_evidence e
               ON e.invoice_id = ml.invoice_id AND e.date <= {date}
            WHERE ml.id = a.line_id
            ORDER BY e.date DESC, e.id DESC LIMIT 1) ev ON TRUE""").format(
                date=date)
            evidence_rate = sql.SQL("COALESCE(ev.rate, 0) / 100")
        else:
            evidence, evidence_rate = sql.SQL(""), sql.SQL("0")
        sums = sql.SQL(", ").join(
            sql.SQL("COALESCE(sum(amount) FILTER (WHERE bucket = {}), 0)"
                    " AS {}").format(sql.Literal(i),
                                     sql.Identifier("b%d" % i))
            for i in range(BUCKETS))
        return sql.SQL("""
    WITH amounts AS ({amounts}),
    items AS (
        SELECT a.partner_id, a.amount, {bucket} AS bucket,
               CASE WHEN {date} > a.due + interval '1 year' THEN 3
                    WHEN {date} > a.due + interval '6 months' THEN 2
                    WHEN {date} > a.due + interval '3 months' THEN 1
                    ELSE 0 END AS band,
               -- Whole years more than a year overdue: the years of
               -- age(), less one when the date is that anniversary.
               CASE WHEN {date} > a.due + interval '1 year' THEN
                   y.years - CASE WHEN a.due + make_interval(
                       years => y.years) >= {date} THEN 1 ELSE 0 END
               ELSE 0 END AS years,
               {evidence_rate} AS evidence_rate
          FROM amounts a
         CROSS JOIN LATERAL (SELECT extract(year FROM age(
               {date}, a.due))::integer AS years) y
         {evidence}
    ), totals AS (
        SELECT partner_id, {sums},
               COALESCE(sum(amount) FILTER (WHERE band = 1), 0) AS t1,
               COALESCE(sum(amount) FILTER (WHERE band = 2), 0) AS t2,
               COALESCE(sum(amount) FILTER (WHERE band = 3), 0) AS t3,
               COALESCE(sum(amount * LEAST(1, %(individual_rate)s * years))
                        FILTER (WHERE band = 3), 0) AS individual,
               COALESCE(sum(amount * evidence_rate), 0) AS incurred
          FROM items GROUP BY partner_id
    )
    SELECT {select}, t.t1, t.t2, t.t3, t.individual, t.incurred,
           COALESCE(rp.cartera_related_party, FALSE) AS related_party
      {from_}
     WHERE {where}
     ORDER BY upper(rp.name), t.partner_id
""").format(amounts=amounts, bucket=self._aging_bucket(), date=date,
            evidence=evidence, evidence_rate=evidence_rate, sums=sums,
            select=self._totals_customer_select() + sql.SQL(", ") +
            sql.SQL(", ").join(sql.SQL("t.{}").format(
                sql.Identifier("b%d" % i)) for i in range(BUCKETS)),
            from_=self._totals_customer_from(),
            where=self._aging_where(PERIOD_COUNT))

    @api.model
    def _impairment_rates(self, company_id):
        """The company's matrix rates as fractions (exact decimals), by
        bucket; a bucket without a rate has none (zero)."""
        self._cr.execute(
            "SELECT bucket, rate FROM cartera_impairment_rate"
            " WHERE company_id = %s", (company_id,))
        rates = [Decimal(0)] * BUCKETS
        for bucket, rate in self._cr.fetchall():
            if 0 <= bucket < BUCKETS and rate is not None:
                rates[bucket] = _decimal(rate) / 100
        return rates

    @api.model
    def impairment(self, date_at, partner_ids=None):
        """The impairment per customer as of ``date_at`` (see the module's
        docstring): ``partner_id`` and the customer's columns,
        ``balance``, ``buckets`` (amount per aging bucket, not due first),
        ``tax_general``, ``tax_individual``, ``tax`` (the company's tax
        method's), ``accounting``, ``difference`` (accounting - tax) and
        ``related_party`` (its tax figures are zero). Managers and
        accountants only; three queries whatever the number of
        customers."""
        date_at = self._check_date(date_at, _("Cut-off date")) or \
            fields.Date.context_today(self)
        scope, params = self._impairment_scope(partner_ids)
        company = self.env.user.company_id
        incurred = company.cartera_impairment_method == "incurred"
        params.update(date_at=date_at, plen=PERIOD_DAYS,
                      periods=PERIOD_COUNT,
                      individual_rate=INDIVIDUAL_RATE)
        rates = self._impairment_rates(company.id)
        self._no_jit()
        date = sql.Placeholder("date_at")
        query = self._impairment_query(
            self._open_items(date, scope, self._aging_method(date_at)),
            incurred)
        cent = Decimal(1).scaleb(-company.currency_id.decimal_places)

        def money(value):
            return float(Decimal(value).quantize(cent, ROUND_HALF_UP))

        zero = Decimal(0)
        individual_method = \
            company.cartera_impairment_tax_method == "individual"
        rows = []
        for values in self._execute_dicts(query, params):
            values = {key: _decimal(value) if isinstance(value, float)
                      else value for key, value in values.items()}
            buckets = [values["b%d" % i] for i in range(BUCKETS)]
            related = bool(values["related_party"])
            if related:
                general = individual = zero
            else:
                general = sum(max(values["t%d" % (band + 1)], zero) * rate
                              for band, rate in enumerate(GENERAL_RATES))
                individual = max(values["individual"], zero)
            if incurred:
                accounting = max(values["incurred"], zero)
            else:
                accounting = sum(max(amount, zero) * rate
                                 for amount, rate in zip(buckets, rates))
            row = self._customer_values(
                values["partner_id"], values["partner_name"],
                values["partner_vat"], values["salesperson_id"],
                values["salesperson_name"])
            tax = money(individual if individual_method else general)
            row.update({
                "balance": money(sum(buckets)),
                "buckets": [money(amount) for amount in buckets],
                "tax_general": money(general),
                "tax_individual": money(individual),
                "tax": tax,
                "accounting": money(accounting),
                "related_party": related,
            })
            row["difference"] = round(row["accounting"] - tax, 2)
            rows.append(row)
        return rows

    @api.model
    def impairment_totals(self, rows):
        """The sums of ``impairment`` rows: all customers, and apart those
        of related parties (``related``) and the others (``unrelated``)."""
        keys = ("balance", "tax_general", "tax_individual", "tax",
                "accounting", "difference")

        def total(selected):
            sums = {key: round(sum(row[key] for row in selected), 2)
                    for key in keys}
            sums["buckets"] = [
                round(sum(row["buckets"][i] for row in selected), 2)
                for i in range(BUCKETS)]
            sums["count"] = len(selected)
            return sums
        return {
            "all": total(rows),
            "related": total([row for row in rows if row["related_party"]]),
            "unrelated": total(
                [row for row in rows if not row["related_party"]]),
        }

    # ------------------------------------------------------------------
    # Roll rates: the loss rates from the company's history
    # ------------------------------------------------------------------
    @api.model
    def impairment_roll_rates(self, date_at, months=None, partner_ids=None):
        """The loss rate of each aging bucket from the company's history
        over ``months`` steps up to ``date_at`` (the company's window by
        default), as fractions. The aging of the portfolio is taken at
        ``date_at`` and every 30 days before (a month of the window is a
        step of a bucket's length, so that an unpaid amount moves exactly
        one bucket per step; calendar months would make it skip the
        31-60 bucket after a month of 31 days). The roll rate of bucket i
        is the share of its amounts found in bucket i + 1 a step later
        (Σ b(i+1, s+1) / Σ b(i, s); for the older bucket, only what
        entered it in that step); the loss rate of bucket i is the
        product of the roll rates from it to the older bucket, whose own
        loss rate is 1. Returns ``dates``, ``roll_rates`` and
        ``loss_rates`` (floats, not due first). One query."""
        date_at = self._check_date(date_at, _("Cut-off date")) or \
            fields.Date.context_today(self)
        company = self.env.user.company_id
        if months is None:
            months = company.cartera_impairment_window or 24
        months = self._check_month_count(months)
        scope, params = self._impairment_scope(partner_ids)
        end = fields.Date.from_string(date_at)
        dates = [fields.Date.to_string(end - timedelta(
            days=PERIOD_DAYS * step)) for step in range(months, -1, -1)]
        params.update(plen=PERIOD_DAYS, periods=PERIOD_COUNT)
        self._no_jit()
        # Over many dates the "residual" path reads the open items and the
        # partials after the first date once per later date, the "history"
        # one every item before each date: the former reads far less (the
        # context's cartera_aging_method still forces one).
        method = self._context.get("cartera_aging_method") or "residual"
        amounts = self._open_items(dates, scope, method)
        # Past the older bucket's first step (its amounts came from bucket
        # PERIOD_COUNT a step earlier) an amount is one that was already
        # older: it rolls nowhere and is left out (bucket BUCKETS).
        query = sql.SQL("""
    WITH amounts AS ({amounts}), bucketed AS (
        SELECT period, CASE
                   WHEN date_at - due > (%(periods)s + 1) * %(plen)s
                       THEN %(periods)s + 2
                   ELSE {bucket} END AS bucket, amount
          FROM amounts)
    SELECT period, bucket, sum(amount) FROM bucketed
     WHERE bucket < %(periods)s + 2 GROUP BY 1, 2
""").format(amounts=amounts,
            bucket=self._aging_bucket(sql.SQL("date_at")))
        by_period = {}
        for period, bucket, amount in self._execute(query, params):
            by_period[(period, bucket)] = max(_decimal(amount), Decimal(0))
        zero = Decimal(0)
        rolls = []
        for i in range(BUCKETS - 1):
            start = sum(by_period.get((p, i), zero)
                        for p in range(1, months + 1))
            rolled = sum(by_period.get((p + 1, i + 1), zero)
                         for p in range(1, months + 1))
            rolls.append(min(rolled / start, Decimal(1)) if start else zero)
        losses = [Decimal(1)]
        for roll in reversed(rolls):
            losses.insert(0, roll * losses[0])
        return {"dates": dates, "roll_rates": [float(r) for r in rolls],
                "loss_rates": [float(r) for r in losses]}

    @api.model
    def impairment_set_historical_rates(self, date_at=None, months=None):
        """Write the company's historical loss rates (percent, ten
        decimals) from ``impairment_roll_rates``, keeping each bucket's
        forward-looking adjustment. Managers only (the rates are theirs)."""
        if not self.env["cartera.scope"]._is_manager():
            raise AccessError(_(
                "Only receivable managers can set the loss rates."))
        result = self.impairment_roll_rates(date_at, months)
        Rate = self.env["cartera.impairment.rate"]
        company = self.env.user.company_id
        existing = {rate.bucket: rate for rate in Rate.search(
            [("company_id", "=", company.id)])}
        for bucket, loss in enumerate(result["loss_rates"]):
            value = round(loss * 100, 10)
            if bucket in existing:
                existing[bucket].historical_rate = value
            else:
                Rate.create({"company_id": company.id, "bucket": bucket,
                             "historical_rate": value})
        return result
