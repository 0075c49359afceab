# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection ladder's rules as SQL fragments, in one place: the run's
selection (``cartera_dunning_selection.py``: which items reach which level
on a day) and the agenda's next escalation date (``cartera_agenda.py``:
from which day an item can reach its next level) compose the same ones, so
that the agenda never announces a day the run would refuse.

Each function returns composed SQL over the expressions or table aliases
it is given (``sql.SQL`` pieces, never user input); a level alias names a
row with the columns of ``cartera_dunning_level``.
"""
from psycopg2 import sql

from ..tools import legal_terms

# Ley 1266 de 2008 art. 12 (Ley 2157 de 2021): the report may be made
# once 20 calendar days have passed since the notice, from the 21st day.
NOTICE_DAYS = 21
# A debt of at most this share of the monthly minimum wage needs two
# notices on different days.
SMALL_DEBT_SHARE = 0.15

# An item's prior notices of Ley 1266 that left (sent or printed), dated
# by their sending, oldest first: an aggregate over its lines ``dl``.
NOTICES = """
    array_agg(COALESCE(dl.date_sent, dl.date)
              ORDER BY COALESCE(dl.date_sent, dl.date)) FILTER (
        WHERE dl.bureau_notice AND dl.state IN ('sent', 'printed'))"""

# The pending payment promises and what they hold: each of their invoices,
# or NULL for one that holds all of the customer's items, up to the
# promise's date plus its company's grace days (a broken or kept promise
# holds nothing: escalation resumes where it stopped).
PROMISE_HOLDS = """
    SELECT pr.company_id, pr.partner_id AS customer_id, pi.invoice_id,
           pr.date + COALESCE(prc.cartera_promise_grace_days, 0)
               AS held_until
      FROM cartera_promise pr
      JOIN res_company prc ON prc.id = pr.company_id
      LEFT JOIN cartera_promise_invoice_rel pi ON pi.promise_id = pr.id
     WHERE pr.state = 'pending'"""


def promise_holds():
    return sql.SQL(PROMISE_HOLDS)


def notices():
    return sql.SQL(NOTICES)


def held(hold, invoice):
    """Whether the promise hold row ``hold`` covers the item of
    ``invoice``."""
    return sql.SQL("({hold}.invoice_id IS NULL "
                   "OR {hold}.invoice_id = {invoice})").format(
        hold=hold, invoice=invoice)


def level_day(due, last_date, level):
    """The first day an item due on ``due`` whose latest line is dated
    ``last_date`` (NULL: none) reaches ``level`` by its dates: the level's
    days after the due date, its days since the previous level, and the
    day after the latest line (one line per item and day)."""
    return sql.SQL(
        "GREATEST({due} + {level}.days, "
        "{last} + {level}.min_days_since_previous, {last} + 1)").format(
        due=due, last=last_date, level=level)


def amount_reaches(amount, level):
    """Whether an item's open ``amount`` reaches ``level``'s minimum."""
    return sql.SQL("{amount} >= COALESCE({level}.min_amount, 0)").format(
        amount=amount, level=level)


def notices_needed(debt, wage):
    """How many prior notices a report needs for a customer owing
    ``debt`` (all their open amounts, credits included) with the
    company's monthly minimum ``wage``: two for a debt of at most 15 % of
    it, else one. Without a wage every debt counts as small: two notices
    are never fewer than the law asks."""
    return sql.SQL(
        "CASE WHEN COALESCE({wage}, 0) <= 0 OR {debt} <= {wage} * {share} "
        "THEN 2 ELSE 1 END").format(
        debt=debt, wage=wage, share=sql.Literal(SMALL_DEBT_SHARE))


def report_gate(notice_dates, needed):
    """The first day a report level can be reached: the 21st calendar day
    after the ``needed``-th notice of ``notice_dates`` (NULL without
    it)."""
    return sql.SQL("({notices})[{needed}] + {days}").format(
        notices=notice_dates, needed=needed,
        days=sql.Literal(NOTICE_DAYS))


def repeated_notice(report):
    """The notice level a small debt with a single notice repeats before
    the report level ``report``: its plan's last notice level before it
    (NULL: the plan never reports)."""
    return sql.SQL("""
        (SELECT n.id FROM cartera_dunning_level n
          WHERE n.plan_id = {report}.plan_id AND n.bureau_notice
            AND (n.sequence, n.days, n.id)
                < ({report}.sequence, {report}.days, {report}.id)
          ORDER BY n.sequence DESC, n.days DESC, n.id DESC LIMIT 1)""").format(
        report=report)


def prescribed(due):
    """Whether the acción cambiaria of an item due on ``due`` prescribed on
    or before the day whose ``tools.legal_terms.prescribed_bound`` is the
    bound parameter ``prescribed_bound`` (C.Co. art. 789)."""
    return sql.SQL(
        "({due} + interval '{years} years')::date <= %(prescribed_bound)s"
        "::date").format(due=due, years=sql.SQL(str(
            legal_terms.PRESCRIPTION_YEARS)))
