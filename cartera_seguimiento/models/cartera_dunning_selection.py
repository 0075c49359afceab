# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which open items reach which collection level on a run's date: one
statement over the report engine's open items (``_open_items``), whatever
the number of items, that inserts the run's lines.

The rules, each a condition of ``SELECTION`` below (those the agenda's
next escalation date applies too are composed from
``cartera_dunning_rules.py``):

- an item is an open receivable debit of the run's company on the run's
  date, of a customer in the run's user's scope (``cartera.scope``); its
  plan is its customer's (``cartera.dunning.plan._plans_by_partner``,
  resolved in Python, one search per plan, and looked up in a JSON
  object of customer: plan passed to the statement);
  the levels of archived plans are not reached;
- its current level is the level of its latest line that is not
  cancelled; its next level the first one of its plan after it (by
  sequence, then days): levels are never skipped, and an item climbs at
  most one level per run. An item whose current level belongs to another
  plan (its customer changed plan) goes on from the first level of the
  new plan that comes after it in that order;
- it reaches that level when the run's date is at least its due date plus
  the level's days, at least its previous line's date plus the level's
  days since the previous level, and its amount due at least the level's
  minimum;
- an item with a pending line (draft or queued), or a line dated on or
  after the run's date, gets nothing: the same day twice creates nothing,
  and a run never dates a line before the item's history;
- paused: an open dispute on its invoice (open through its expiry day,
  as the disputes count it), Odoo's own ``blocked`` flag on the item,
  its customer excluded from collection up to the run's date or later,
  a pending payment promise of the customer covering it (its invoices,
  or all of the customer's items when it names none) up to the
  promise's date plus the company's grace days;
- Ley 1266 de 2008 art. 12: a level that reports to the credit bureaus is
  reached only on the 21st calendar day after the prior notice of the
  same item (a line of a notice level, sent or printed: a notice dated
  2026-03-02 allows the report from 2026-03-23); when the customer's debt
  that day (all their open receivable amounts, credits included) is at
  most 15 % of the company's minimum wage, two notices on different days
  are needed and the 20 days count from the second. Without a minimum wage
  set, the run cannot tell a small debt: every report then needs two.
  Until then the item waits at its level. A small debt with a single
  notice gets its second one by repeating the plan's last notice level
  before the report level (a new line of that level, the level's days
  since the previous level apart, at least one day): when the item stands
  at that notice level, it repeats in place; a plan with other levels
  between the notice and the report sends the item back to the notice,
  and it climbs those levels again. A plan without a notice level before
  its report level never reports.
- Código de Comercio art. 789: an item whose acción cambiaria directa
  prescribed on or before the run's date (three years from its due date,
  ``tools.legal_terms.prescription_date``) does not reach a level of the
  legal stage (jurídico): it waits at its level.

Two transactions computing at once never write the same line twice: the
lines' partial unique indexes (one pending line per item, one line per
item and day) make the second wait for the first and then skip what it
wrote (``ON CONFLICT DO NOTHING``).
"""
from psycopg2 import sql
from psycopg2.extras import Json

from odoo import api, models

from ..tools import legal_terms, sql as tools_sql
from . import cartera_dunning_rules as rules

SELECTION = """
WITH open_rows AS ({open_items}),
items AS {materialized} (
    -- Each item's open amount, its customer and the customer's debt:
    -- every open amount of theirs, credits included.
    SELECT i.line_id, i.due, i.amount, rp.commercial_partner_id AS customer_id,
           SUM(i.amount) OVER (PARTITION BY rp.commercial_partner_id)
               AS debt
      FROM (SELECT o.line_id, o.partner_id, o.due, SUM(o.amount) AS amount
              FROM open_rows o
             GROUP BY o.line_id, o.partner_id, o.due) i
      JOIN res_partner rp ON rp.id = i.partner_id
),
levels AS {materialized} (
    SELECT lv.id, lv.plan_id, lv.sequence, lv.days, lv.stage,
           lv.min_days_since_previous, lv.min_amount,
           lv.bureau_notice, lv.bureau_report, pl.active,
           CASE WHEN pl.validate_lines THEN 'draft' ELSE 'queued' END
               AS line_state,
           row_number() OVER (PARTITION BY lv.plan_id
                              ORDER BY lv.sequence, lv.days, lv.id) AS rank
      FROM cartera_dunning_level lv
      JOIN cartera_dunning_plan pl ON pl.id = lv.plan_id
     WHERE lv.company_id = %(company_id)s
),
repeats AS {materialized} (
    -- The notice level a small debt repeats before each report level.
    SELECT r.id AS report_id, {repeated_notice} AS notice_id
      FROM levels r
     WHERE r.bureau_report
),
history AS (
    -- The lines of the open items: the current level (the latest line),
    -- whether one is pending, the dates of the notices that left.
    SELECT dl.move_line_id,
           (array_agg(dl.level_id ORDER BY dl.date DESC))[1] AS level_id,
           MAX(dl.date) AS last_date,
           bool_or(dl.state IN ('draft', 'queued')) AS pending,
           {notices} AS notices
      FROM cartera_dunning_line dl
     WHERE dl.company_id = %(company_id)s AND dl.state <> 'cancelled'
       AND dl.move_line_id IN (SELECT line_id FROM items)
     GROUP BY dl.move_line_id
),
histories AS {materialized} (
    -- Each debit item's plan (a lookup in the mapping, which the planner
    -- need not size), its history and the rank of its next level.
    SELECT c.line_id, c.customer_id, c.due, c.amount, c.debt, c.plan_id,
           h.last_date, h.pending, h.notices,
           1 + CASE
               WHEN h.level_id IS NULL THEN 0
               WHEN cur.plan_id = c.plan_id THEN cur.rank
               ELSE (SELECT count(*) FROM levels o
                      WHERE o.plan_id = c.plan_id
                        AND (o.sequence, o.days, o.id)
                            <= (cur.sequence, cur.days, cur.id))
           END AS next_rank
      FROM (SELECT i.*, (%(plans)s::jsonb ->> i.customer_id::text)::integer
                       AS plan_id
              FROM items i WHERE i.amount > 0) c
      LEFT JOIN history h ON h.move_line_id = c.line_id
      LEFT JOIN levels cur ON cur.id = h.level_id
     WHERE c.plan_id IS NOT NULL
       AND NOT COALESCE(h.pending, FALSE)
       AND (h.last_date IS NULL OR h.last_date < %(date)s::date)
),
steps AS (
    SELECT c.*, nx.id AS next_id, nx.bureau_report AS next_report,
           {notices_needed} AS needed
      FROM histories c
      JOIN levels nx ON nx.plan_id = c.plan_id AND nx.rank = c.next_rank
     WHERE nx.active
),
chosen AS (
    SELECT s.*, CASE
           WHEN NOT s.next_report THEN s.next_id
           WHEN %(date)s::date >= {report_gate} THEN s.next_id
           WHEN s.needed = 2 AND cardinality(s.notices) = 1
               THEN r.notice_id
           END AS level_id
      FROM steps s
      LEFT JOIN repeats r ON r.report_id = s.next_id
),
reached AS {materialized} (
    SELECT ch.line_id, ch.customer_id, ch.due, ch.amount, lv.id AS level_id,
           lv.plan_id, lv.stage, lv.bureau_notice, lv.bureau_report,
           lv.line_state
      FROM chosen ch
      JOIN levels lv ON lv.id = ch.level_id
     WHERE %(date)s::date >= {level_day} AND {amount_reaches}
       -- C.Co. art. 789: no legal stage for an item whose acción
       -- cambiaria prescribed on or before the run's date.
       AND NOT (lv.stage = 'legal' AND {prescribed})
),
promised AS {materialized} (
    -- The pending promises not yet due (grace included): each of their
    -- invoices, or NULL for those that hold all of the customer's items.
    SELECT h.customer_id, h.invoice_id
      FROM ({promise_holds}) h
     WHERE h.company_id = %(company_id)s AND %(date)s::date <= h.held_until
)
INSERT INTO cartera_dunning_line
    (run_id, company_id, move_line_id, invoice_id, partner_id, user_id,
     level_id, plan_id, stage, bureau_notice, bureau_report, date,
     date_due, days_overdue, amount_due, state, {audit_columns})
SELECT %(run_id)s, %(company_id)s, r.line_id, aml.invoice_id,
       r.customer_id, cp.user_id, r.level_id, r.plan_id, r.stage,
       r.bureau_notice, r.bureau_report, %(date)s::date, r.due,
       %(date)s::date - r.due, r.amount, r.line_state, {audit_values}
  FROM reached r
  JOIN account_move_line aml ON aml.id = r.line_id
  JOIN res_partner cp ON cp.id = r.customer_id
 WHERE NOT COALESCE(aml.blocked, FALSE)
   AND (cp.cartera_collection_excluded_until IS NULL
        OR cp.cartera_collection_excluded_until < %(date)s::date)
   AND NOT EXISTS (
       SELECT 1 FROM cartera_dispute dp
        WHERE dp.invoice_id = aml.invoice_id AND dp.state = 'open'
          AND dp.date_open <= %(date)s::date
          AND (dp.date_expiry IS NULL OR dp.date_expiry >= %(date)s::date))
   AND NOT EXISTS (SELECT 1 FROM promised p
                    WHERE p.customer_id = r.customer_id
                      AND p.invoice_id IS NULL)
   AND NOT EXISTS (SELECT 1 FROM promised p
                    WHERE p.customer_id = r.customer_id
                      AND p.invoice_id = aml.invoice_id)
ORDER BY r.line_id
ON CONFLICT DO NOTHING
"""

CUSTOMERS = """
SELECT DISTINCT rp.commercial_partner_id
  FROM ({open_items}) o
  JOIN res_partner rp ON rp.id = o.partner_id
 WHERE o.amount > 0
"""


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _dunning_compute(self, run):
        """Insert the lines of ``run`` (one item, one level) for the items
        of its user's scope that reach a level on its date; their count.
        A fixed number of queries: the scope, the open items' method, the
        customers with open items, their plans (``_plans_by_partner``,
        one search per plan) and the one statement that decides."""
        # The run's user's customers: a collector's run covers theirs,
        # a manager's or the scheduled action's the whole company.
        engine = self.sudo(run.user_id)
        scope, params = engine._scope()
        company = run.company_id
        params.update(company_id=company.id, date=run.date)
        engine._no_jit()
        open_items = engine._open_items(
            sql.Placeholder("date"), scope, engine._aging_method(run.date))
        customers = self._dunning_customers(open_items, params)
        plans = self.env["cartera.dunning.plan"].sudo()._plans_by_partner(
            customers, company)
        if not plans:
            return 0
        params.update(
            run_id=run.id,
            plans=Json({str(partner_id): plan.id
                        for partner_id, plan in plans.items()}),
            wage=company.cartera_minimum_wage or 0.0,
            prescribed_bound=legal_terms.prescribed_bound(run.date),
        )
        audit = tools_sql.audit_values(self.env)
        query = sql.SQL(SELECTION).format(
            open_items=open_items,
            # The rules the agenda's next escalation date shares.
            repeated_notice=rules.repeated_notice(sql.SQL("r")),
            notices=rules.notices(),
            notices_needed=rules.notices_needed(
                sql.SQL("c.debt"), sql.SQL("%(wage)s::numeric")),
            report_gate=rules.report_gate(sql.SQL("s.notices"),
                                          sql.SQL("s.needed")),
            level_day=rules.level_day(sql.SQL("ch.due"),
                                      sql.SQL("ch.last_date"),
                                      sql.SQL("lv")),
            amount_reaches=rules.amount_reaches(sql.SQL("ch.amount"),
                                                sql.SQL("lv")),
            promise_holds=rules.promise_holds(),
            prescribed=rules.prescribed(sql.SQL("ch.due")),
            # Computed once, in this order, whatever the planner guesses
            # of their sizes (PostgreSQL 12 and later inline a CTE used
            # once; earlier versions always materialize them).
            materialized=sql.SQL(
                "MATERIALIZED" if self._cr._cnx.server_version >= 120000
                else ""),
            audit_columns=sql.SQL(", ").join(map(sql.Identifier, audit)),
            audit_values=sql.SQL(", ").join(audit.values()))
        # Hash joins, whatever the estimates: PostgreSQL sizes the open
        # items far below their number (the receivable accounts' share of
        # the items), and its nested loops would then scan the smaller
        # sides once per item (minutes at a million items instead of
        # seconds). Set for this statement only (a failure rolls the
        # setting back with it).
        self._cr.execute("SET LOCAL enable_nestloop = off")
        self._cr.execute(query.as_string(self._cr._obj), params)
        count = self._cr.rowcount
        self._cr.execute("RESET enable_nestloop")
        self.env["cartera.dunning.line"].invalidate_cache()
        run.invalidate_cache(["line_ids"])
        return count

    @api.model
    def _dunning_customers(self, open_items, params):
        """The customers (commercial partners) owed something by an open
        item on the date, as a recordset read without prefetching the
        partners' other fields."""
        query = sql.SQL(CUSTOMERS).format(open_items=open_items)
        ids = [row[0] for row in self._execute(query, params)]
        return self.env["res.partner"].sudo().with_context(
            prefetch_fields=False, active_test=False).browse(ids)


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    @api.model_cr_context
    def init(self):
        # What keeps two transactions that compute at once (two servers,
        # a cron and a manager) from writing a line twice: at most one
        # pending line per item, at most one line per item and day. The
        # selection's ON CONFLICT DO NOTHING skips what the other wrote.
        # The second also serves the selection's history of each item.
        self._cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS cartera_dunning_line_pending_uniq
                ON cartera_dunning_line (move_line_id)
             WHERE state IN ('draft', 'queued')
        """)
        self._cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS cartera_dunning_line_day_uniq
                ON cartera_dunning_line (move_line_id, date)
             WHERE state <> 'cancelled'
        """)
