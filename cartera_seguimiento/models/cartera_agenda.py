# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Agenda de cobro: the collector's day, one row per customer.

A database view (``_auto = False``) with one row per company and customer
that has an open receivable amount, a pending task (an open follow-up whose
task is pending) or an open promise (pending, partially kept or broken, on
an open follow-up). It is searched, sorted, grouped and read with the ORM
like any model; the record rules (``cartera.scope``) restrict it.

"Today" is the day the view is read in the time zone of the main company's
address (``_today_sql``; UTC without one), as the collectors' own today: the
database's ``CURRENT_DATE`` is UTC's, a day ahead every evening in Bogotá.
The amounts are the aging engine's "residual" figures as of that day
(``cartera.ar.report.aging(today)``): posted
items on receivable accounts dated on or before today, their stored
``amount_residual`` plus the partial reconciliations dated after today;
"overdue" is due before today (``COALESCE(date_maturity, date)``), as the
aging's periods. Amounts are in the company currency.
"""
from psycopg2 import sql

from odoo import api, fields, models, tools

from . import cartera_dunning_rules as rules
from .cartera_dunning_level import STAGES
from .cartera_promise import STATES, STATE_SEVERITY

# The agenda's levels, as Odoo's priority widget shows them (stars).
PRIORITY_LEVELS = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Urgent"),
]

# Partial aggregates per (company, customer), put together by the outer
# GROUP BY: conditions on partner_id (the record rules) reach each. The
# branches: open items, follow-ups, promises, collection levels (issue 25:
# the current level of each open item that has one, the next level's
# earliest day), open disputes.
AGENDA_VIEW = """
CREATE OR REPLACE VIEW {view} AS
SELECT g.partner_id::bigint * 100000 + g.company_id AS id,
       g.partner_id, g.company_id, rp.user_id,
       g.amount_due, g.amount_overdue, g.amount_due_7d, g.days_overdue,
       g.last_followup_date, g.last_type_id, g.next_task_date,
       g.promise_amount_pending, {promise_state} AS promise_state,
       {priority} AS priority, {priority_level} AS priority_level,
       g.dunning_level_id, g.dunning_stage, g.amount_disputed,
       {next_escalation} AS next_escalation_date
  FROM (
    SELECT s.company_id, s.partner_id,
           COALESCE(sum(s.amount_due), 0) AS amount_due,
           COALESCE(sum(s.amount_overdue), 0) AS amount_overdue,
           COALESCE(sum(s.amount_due_7d), 0) AS amount_due_7d,
           max(s.days_overdue) AS days_overdue,
           COALESCE(sum(s.weighted_overdue), 0) AS weighted_overdue,
           sum(s.item_count) AS item_count,
           max(s.last_followup_date) AS last_followup_date,
           max(s.last_type_id) AS last_type_id,
           min(s.next_task_date) AS next_task_date,
           COALESCE(sum(s.promise_amount_pending), 0)
               AS promise_amount_pending,
           COALESCE(sum(s.broken_unpaid), 0) AS broken_unpaid,
           sum(s.open_promises) AS open_promises,
           max(s.promise_severity) AS promise_severity,
           min(s.first_due_unlined) AS first_due_unlined,
           max(s.dunning_level_id) AS dunning_level_id,
           max(s.dunning_stage) AS dunning_stage,
           min(s.next_level_date) AS next_level_date,
           min(s.next_level_date_small) AS next_level_date_small,
           COALESCE(sum(s.amount_disputed), 0) AS amount_disputed
      FROM (
        SELECT i.company_id, i.partner_id,
               sum(i.amount) AS amount_due,
               sum(i.amount) FILTER (WHERE i.due < {today})
                   AS amount_overdue,
               sum(i.amount) FILTER (
                   WHERE i.due >= {today} AND i.due <= {today} + 7)
                   AS amount_due_7d,
               max({today} - i.due) FILTER (
                   WHERE i.due < {today} AND i.amount > 0)
                   AS days_overdue,
               sum(i.amount * (1 + LEAST({today} - i.due, 360) / 30.0))
                   FILTER (WHERE i.due < {today}) AS weighted_overdue,
               count(*) AS item_count,
               NULL::timestamp AS last_followup_date,
               NULL::integer AS last_type_id, NULL::date AS next_task_date,
               NULL::numeric AS promise_amount_pending,
               NULL::numeric AS broken_unpaid, NULL::bigint AS open_promises,
               NULL::integer AS promise_severity,
               min(i.due) FILTER (
                   WHERE i.amount > 0 AND dl.move_line_id IS NULL)
                   AS first_due_unlined,
               NULL::integer AS dunning_level_id,
               NULL::varchar AS dunning_stage,
               NULL::date AS next_level_date,
               NULL::date AS next_level_date_small,
               NULL::numeric AS amount_disputed
          FROM ({items}) i
          -- Items a level reached (a join, not a subquery per row: the
          -- aggregate stays parallel).
          LEFT JOIN (SELECT DISTINCT dl.move_line_id
                       FROM cartera_dunning_line dl
                      WHERE dl.state <> 'cancelled') dl
                 ON dl.move_line_id = i.line_id
         GROUP BY i.company_id, i.partner_id
        UNION ALL
        SELECT f.company_id, f.partner_id,
               NULL, NULL, NULL, NULL, NULL, NULL,
               max(f.date),
               (array_agg(f.type_id ORDER BY f.date DESC, f.id DESC))[1],
               min(f.next_date) FILTER (
                   WHERE f.state = 'open' AND f.task_state = 'pending'),
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM cartera_followup f
         GROUP BY f.company_id, f.partner_id
        UNION ALL
        SELECT p.company_id, p.partner_id,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               sum(p.amount - p.paid_amount) FILTER (
                   WHERE p.state IN ('pending', 'partial', 'broken')),
               sum(p.amount - p.paid_amount) FILTER (
                   WHERE p.state IN ('partial', 'broken')),
               count(*) FILTER (
                   WHERE p.state IN ('pending', 'partial', 'broken')),
               max({severity}), NULL, NULL, NULL, NULL, NULL, NULL
          FROM cartera_promise p
          JOIN cartera_followup pf ON pf.id = p.followup_id
         WHERE pf.state = 'open'
         GROUP BY p.company_id, p.partner_id
        UNION ALL
        SELECT c.company_id, c.partner_id,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL,
               (array_agg(c.level_id ORDER BY c.level_sequence DESC,
                          c.level_days DESC, c.level_id DESC))[1],
               (array_agg(c.stage ORDER BY c.level_sequence DESC,
                          c.level_days DESC, c.level_id DESC))[1],
               -- The next level's day for a customer whose debt needs
               -- one notice before a report, and for one that needs two
               -- (the outer query knows the debt).
               min({next_level_day_one}) FILTER (
                   WHERE c.blocked IS NOT TRUE),
               min({next_level_day_two}) FILTER (
                   WHERE c.blocked IS NOT TRUE),
               NULL
          FROM ({current_levels}) c
          LEFT JOIN LATERAL (
              SELECT n.id, n.plan_id, n.sequence, n.days,
                     n.min_days_since_previous, n.min_amount,
                     n.bureau_report
                FROM cartera_dunning_level n
                JOIN cartera_dunning_plan np ON np.id = n.plan_id
               WHERE n.plan_id = c.plan_id AND np.active
                 AND (n.sequence, n.days, n.id)
                     > (c.level_sequence, c.level_days, c.level_id)
               ORDER BY n.sequence, n.days, n.id
               LIMIT 1) nl ON TRUE
          -- The notice a small debt repeats before a report level.
          LEFT JOIN cartera_dunning_level rn ON rn.id = {repeated_notice}
          LEFT JOIN LATERAL (
              SELECT {notices} AS dates
                FROM cartera_dunning_line dl
               WHERE dl.move_line_id = c.move_line_id
                 AND dl.state <> 'cancelled') nt ON nl.bureau_report
          LEFT JOIN LATERAL ({item_held}) ho ON TRUE
         GROUP BY c.company_id, c.partner_id
        UNION ALL
        SELECT d.company_id, d.partner_id,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               sum(d.amount)
          FROM cartera_dispute d
         WHERE d.state = 'open'
         GROUP BY d.company_id, d.partner_id
      ) s
     GROUP BY s.company_id, s.partner_id
  ) g
  JOIN res_partner rp ON rp.id = g.partner_id
  JOIN res_company rc ON rc.id = g.company_id
  -- The first level of the customer's plan, for the items no level
  -- reached yet: the earliest day one of them reaches it.
  LEFT JOIN LATERAL (
      SELECT min({first_level_day}) AS day
        FROM (SELECT fl.days, fl.min_days_since_previous, fl.min_amount
                FROM cartera_dunning_plan fp
                JOIN cartera_dunning_level fl ON fl.plan_id = fp.id
               WHERE fp.id = COALESCE(rp.cartera_dunning_plan_id,
                                      rc.cartera_dunning_plan_id)
                 AND fp.active
               ORDER BY fl.sequence, fl.days, fl.id
               LIMIT 1) fl
        JOIN (SELECT l.invoice_id, l.amount_residual AS amount,
                     COALESCE(l.date_maturity, l.date) AS due
                FROM account_move_line l
                JOIN account_account a ON a.id = l.account_id
                JOIN account_move m ON m.id = l.move_id
               WHERE l.partner_id = g.partner_id
                 AND l.company_id = g.company_id
                 AND a.internal_type = 'receivable' AND m.state = 'posted'
                 AND l.amount_residual > 0
                 AND NOT EXISTS (
                     SELECT 1 FROM cartera_dunning_line dl
                      WHERE dl.move_line_id = l.id
                        AND dl.state <> 'cancelled')) u ON TRUE
        LEFT JOIN LATERAL ({unlined_held}) ho ON TRUE
  ) fl ON g.first_due_unlined IS NOT NULL
 WHERE g.item_count > 0 OR g.next_task_date IS NOT NULL
    OR g.open_promises > 0
"""

# The current level of each open receivable item that has one: its latest
# line not cancelled (issue 25's interface), with the level's order.
CURRENT_LEVELS = """
    SELECT DISTINCT ON (dl.move_line_id)
           dl.company_id, dl.partner_id, dl.move_line_id, dl.date,
           COALESCE(l.date_maturity, l.date) AS due, l.blocked,
           l.invoice_id, l.amount_residual AS amount,
           lv.id AS level_id, lv.plan_id, lv.stage,
           lv.sequence AS level_sequence, lv.days AS level_days
      FROM cartera_dunning_line dl
      JOIN account_move_line l ON l.id = dl.move_line_id
      JOIN cartera_dunning_level lv ON lv.id = dl.level_id
     WHERE dl.state <> 'cancelled' AND l.amount_residual > 0
     ORDER BY dl.move_line_id, dl.date DESC, dl.id DESC
"""


class CarteraAgenda(models.Model):
    _name = "cartera.agenda"
    _description = "Collection Agenda"
    _auto = False
    _order = "priority desc, amount_overdue desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one(
        "res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True)
    amount_due = fields.Monetary(
        string="Amount Due", readonly=True,
        help="Open receivable amount today, as in the aging.")
    amount_overdue = fields.Monetary(
        string="Overdue", readonly=True,
        help="Open amount due before today.")
    days_overdue = fields.Integer(
        string="Days Overdue", readonly=True,
        help="Days overdue of the oldest open overdue item.")
    amount_due_7d = fields.Monetary(
        string="Due in 7 Days", readonly=True,
        help="Open amount falling due from today to 7 days from today.")
    last_followup_date = fields.Datetime(
        string="Last Follow-up", readonly=True)
    last_type_id = fields.Many2one(
        "cartera.followup.type", string="Last Follow-up Type",
        readonly=True)
    next_task_date = fields.Date(
        string="Next Task", readonly=True,
        help="Earliest pending task of the customer's open follow-ups.")
    promise_amount_pending = fields.Monetary(
        string="Promised, Unpaid", readonly=True,
        help="What the open promises (pending, partially kept or broken) "
             "of open follow-ups still lack.")
    promise_state = fields.Selection(
        STATES, string="Promises", readonly=True,
        help="The worst status of the promises of the customer's open "
             "follow-ups.")
    priority = fields.Float(
        string="Priority Score", readonly=True, digits=(16, 2),
        help="Whom to call first: the list is sorted by it (see "
             "cartera.agenda._priority_sql).")
    # What the collector reads: a score of millions says nothing, a level
    # does. Shown as stars; the list stays sorted by the score.
    priority_level = fields.Selection(
        PRIORITY_LEVELS, string="Priority", readonly=True,
        help="Urgent: overdue more than 90 days, or a broken promise still "
             "unpaid. High: overdue more than 30 days. Medium: something "
             "overdue, due within 7 days or a task due. Low: the rest.")

    # issue 25: the collection ladder and disputes.
    dunning_stage = fields.Selection(
        STAGES, string="Collection Stage", readonly=True,
        help="The stage of the customer's most advanced collection level.")
    dunning_level_id = fields.Many2one(
        "cartera.dunning.level", string="Collection Level", readonly=True,
        help="The most advanced current level of the customer's open "
             "items (an item's current level: its latest line not "
             "cancelled).")
    next_escalation_date = fields.Date(
        string="Next Escalation", readonly=True,
        help="The earliest day one of the customer's open items can reach "
             "its next collection level (see "
             "cartera.agenda._next_escalation_sql).")
    amount_disputed = fields.Monetary(
        string="Disputed", readonly=True,
        help="The amounts of the customer's open disputes.")

    @api.model
    def _next_escalation_sql(self):
        """The SQL expression of ``next_escalation_date``; override to
        change it. For each open item the earliest day the collection run
        would move it up (the run's own rules, ``cartera_dunning_rules``),
        the soonest of the customer's:

        - an item with a current level: the plan's level after it, on its
          days after the due date, its days since the current line, the
          day after that line; a report level not before the 21st day
          after the prior notice of Ley 1266 (the second one for a debt of
          at most 15 % of the minimum wage; with a single one, the day the
          notice repeats instead), never without a notice; one the
          customer's debt needs two notices for (``g.next_level_date_small``)
          or one (``g.next_level_date``);
        - an item no level reached yet: the first level of the plan set on
          the customer, else of the company's default plan (a plan chosen
          by its customer domain is known from the item's first line on);
        - an item whose open amount is below that level's minimum has
          none; one a pending payment promise holds (its invoice, or all
          of the customer's items), not before the day after the
          promise's date plus the grace days.

        An item with a level and ``blocked`` (in dispute) has none; the
        customer's *excluded from collection until* moves the date to the
        day after. Items on the last level have none. The day is when the
        rules allow it as things stand today (a payment, a new promise or
        a dispute changes it)."""
        lined = sql.SQL(
            "CASE WHEN {needed} = 2 THEN g.next_level_date_small "
            "ELSE g.next_level_date END").format(
            needed=rules.notices_needed(
                sql.SQL("g.amount_due"), sql.SQL("rc.cartera_minimum_wage")))
        return sql.SQL("""
            CASE WHEN COALESCE({lined}, fl.day) IS NOT NULL
                 THEN GREATEST(
                     LEAST({lined}, fl.day),
                     rp.cartera_collection_excluded_until + 1) END""").format(
            lined=lined)

    @api.model
    def _escalation_rules_sql(self):
        """The fragments of the view's collection branches: the run's
        rules (``cartera_dunning_rules``) over an item ``c`` with its
        current level, its next level ``nl``, the notice ``rn`` repeated
        before a report, its notices ``nt`` and its promise hold ``ho``;
        and over an item ``u`` no level reached yet with its plan's first
        level ``fl``."""
        def held(company, customer, invoice):
            return sql.SQL("""
                SELECT max(h.held_until) AS held_until
                  FROM ({holds}) h
                 WHERE h.company_id = {company}
                   AND h.customer_id = {customer} AND {covers}""").format(
                holds=rules.promise_holds(), company=company,
                customer=customer,
                covers=rules.held(sql.SQL("h"), invoice))

        def step(item, last_date, level, *gates):
            """The day ``item`` reaches ``level``, or NULL below its
            minimum amount."""
            return sql.SQL(
                "CASE WHEN {level}.days IS NOT NULL AND {amount} THEN "
                "GREATEST({day}, ho.held_until + 1{gates}) END").format(
                level=level,
                amount=rules.amount_reaches(
                    sql.SQL("{}.amount").format(item), level),
                day=rules.level_day(sql.SQL("{}.due").format(item),
                                    last_date, level),
                gates=sql.SQL("").join(
                    sql.SQL(", {}").format(gate) for gate in gates))

        def next_level_day(needed):
            c, nl, rn = sql.SQL("c"), sql.SQL("nl"), sql.SQL("rn")
            dates = sql.SQL("nt.dates")
            return sql.SQL("""
                CASE WHEN nl.id IS NULL THEN NULL
                     WHEN NOT nl.bureau_report THEN {step}
                     WHEN cardinality({dates}) >= {needed} THEN {gated}
                     WHEN {needed} = 2 AND cardinality({dates}) = 1
                         THEN {repeat}
                END""").format(
                dates=dates, needed=sql.Literal(needed),
                step=step(c, sql.SQL("c.date"), nl),
                gated=step(c, sql.SQL("c.date"), nl, rules.report_gate(
                    dates, sql.Literal(needed))),
                repeat=step(c, sql.SQL("c.date"), rn))

        return {
            "repeated_notice": rules.repeated_notice(sql.SQL("nl")),
            "notices": rules.notices(),
            "item_held": held(sql.SQL("c.company_id"),
                              sql.SQL("c.partner_id"),
                              sql.SQL("c.invoice_id")),
            "unlined_held": held(sql.SQL("g.company_id"),
                                 sql.SQL("g.partner_id"),
                                 sql.SQL("u.invoice_id")),
            "next_level_day_one": next_level_day(1),
            "next_level_day_two": next_level_day(2),
            "first_level_day": step(sql.SQL("u"), sql.SQL("NULL::date"),
                                    sql.SQL("fl")),
        }

    @api.model
    def _priority_sql(self):
        """The SQL expression of ``priority``; override to change it.

        It reads the columns of ``g``, one row per customer: the aggregates
        of the view (``amount_overdue``, ``days_overdue``, ``amount_due``,
        ``last_followup_date``...) and ``weighted_overdue``: the sum of
        every overdue item's open amount times ``1 + min(days overdue,
        360) / 30`` (30 days overdue counts twice, a year 13 times), and
        ``broken_unpaid``: what broken and partially kept promises still
        lack. The default::

            (max(weighted_overdue, 0) + 2 * broken_unpaid)
                * (1 + min(days without contact, 90) / 90)

        Days without contact are counted from the last follow-up (90 when
        there is none): a customer not called for three months counts
        twice. Rounded to cents."""
        return sql.SQL("""
            round(((GREATEST(g.weighted_overdue, 0) + 2 * g.broken_unpaid)
                   * (1 + LEAST(COALESCE(
                         {today} - g.last_followup_date::date, 90),
                         90) / 90.0))::numeric, 2)""").format(
            today=self._today_sql())

    @api.model
    def _priority_level_sql(self):
        """The SQL expression of ``priority_level`` (a key of
        ``PRIORITY_LEVELS``), on the columns of ``g`` as
        ``_priority_sql``; override to change the levels."""
        return sql.SQL("""
            CASE WHEN g.days_overdue > 90 OR g.broken_unpaid > 0 THEN '3'
                 WHEN g.days_overdue > 30 THEN '2'
                 WHEN g.amount_overdue > 0 OR g.amount_due_7d > 0
                      OR g.next_task_date <= {today} THEN '1'
                 ELSE '0' END""").format(today=self._today_sql())

    @api.model
    def _today_sql(self):
        """The SQL expression of the agenda's today: now, in the time zone
        of the main company's address (Odoo 11 companies have none of their
        own), else UTC. A subquery of nothing in the row: computed once a read."""
        return sql.SQL(
            "(SELECT (now() AT TIME ZONE COALESCE(NULLIF(cp.tz, ''), 'UTC'))"
            "::date FROM res_company c JOIN res_partner cp"
            " ON cp.id = c.partner_id ORDER BY c.id LIMIT 1)")

    @api.model
    def _promise_state_sql(self):
        cases = sql.SQL(" ").join(
            sql.SQL("WHEN {} THEN {}").format(
                sql.Literal(severity), sql.Literal(state))
            for state, severity in sorted(STATE_SEVERITY.items()))
        return sql.SQL("CASE g.promise_severity {} END").format(cases)

    @api.model_cr
    def init(self):
        severity = sql.SQL("CASE p.state {} END").format(sql.SQL(" ").join(
            sql.SQL("WHEN {} THEN {}").format(
                sql.Literal(state), sql.Literal(value))
            for state, value in sorted(STATE_SEVERITY.items())))
        query = sql.SQL(AGENDA_VIEW).format(
            view=sql.Identifier(self._table),
            # The aging engine's own items, as of the day the view is read.
            items=self.env["cartera.ar.report"]._open_items(
                self._today_sql()),
            today=self._today_sql(),
            severity=severity,
            promise_state=self._promise_state_sql(),
            priority=self._priority_sql(),
            priority_level=self._priority_level_sql(),
            current_levels=sql.SQL(CURRENT_LEVELS),
            next_escalation=self._next_escalation_sql(),
            **self._escalation_rules_sql())
        # Columns may change with an override: drop and create again.
        tools.drop_view_if_exists(self._cr, self._table)
        self._cr.execute(query.as_string(self._cr._obj))

    # ------------------------------------------------------------------
    # Row actions
    # ------------------------------------------------------------------
    @api.multi
    def action_new_followup(self):
        """The capture form, prefilled with the customer."""
        self.ensure_one()
        return self.partner_id.action_cartera_new_followup()

    @api.multi
    def action_history(self):
        """The receivable history wizard, for the customer."""
        self.ensure_one()
        action = self.env.ref(
            "cartera_seguimiento.cartera_history_wizard_action").read()[0]
        action["context"] = {
            "active_model": "res.partner",
            "active_id": self.partner_id.id,
            "active_ids": self.partner_id.ids,
        }
        return action

    @api.multi
    def action_statement(self):
        """The statement wizard, for the customers of these rows."""
        return self.mapped("partner_id").action_cartera_statement()

    @api.multi
    def action_print_statement(self):
        """The statements of the customers of these rows, as of today, in
        one PDF."""
        action = self.env.ref(
            "cartera_seguimiento.cartera_statement_report").report_action(
                self.mapped("partner_id"), config=False)
        # XML-RPC cannot carry None (report_action's "data").
        return {key: value for key, value in action.items()
                if value is not None}
