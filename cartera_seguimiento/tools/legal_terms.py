# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The legal terms of a receivable item, as plain functions of dates.

- Start of mora (Código de Comercio art. 829, Ley 45 de 1990 art. 65): the
  day after the due date, once a due date falling on a Sunday or a
  holiday has moved to the next business day.
- Prescription of the acción cambiaria directa (C.Co. art. 789): three
  years from the due date; a term that ends on a Sunday or a holiday ends
  on the next business day (art. 829). A term of years ends on the day of
  the same number (Ley 4 de 1913 art. 67): 2022-12-08 gives 2025-12-08, a
  holiday, hence 2025-12-09. A 29 February gives the 28th.
- Permanence of negative data in the credit bureaus (Ley 1266 de 2008
  art. 13, as amended by Ley 2157 de 2021): once paid, twice the days of
  mora, at most four years from the payment; never paid, eight years from
  the start of mora. Calendar days: no business-day rule applies.

The calendar itself (which days are business days) is
``tools.legal_calendar``'s alone.
"""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from . import legal_calendar

PRESCRIPTION_YEARS = 3
BUREAU_MAX_YEARS = 4
BUREAU_UNPAID_YEARS = 8


def previous_business_day(day):
    """``day`` itself when it is a business day, else the last business
    day before it."""
    day = legal_calendar.as_date(day)
    while not legal_calendar.is_business_day(day):
        day -= timedelta(days=1)
    return day


def mora_start(due):
    """The first day of mora of an item due on ``due``."""
    return legal_calendar.next_business_day(due) + timedelta(days=1)


def mora_days(due, until):
    """Days of mora of an item due on ``due`` up to ``until`` included (a
    payment's day counts as a day of mora); 0 when not in mora then."""
    return max((legal_calendar.as_date(until) - mora_start(due)).days + 1, 0)


def prescription_date(due):
    """The day the acción cambiaria directa of an item due on ``due``
    prescribes."""
    return legal_calendar.next_business_day(
        legal_calendar.as_date(due) + relativedelta(years=PRESCRIPTION_YEARS))


def prescribed_bound(day):
    """The latest ``due + 3 years`` of the items prescribed on ``day``: an
    item's prescription date is ``day`` or earlier exactly when its due
    date plus three years is this day or earlier (the next business day of
    a date is on or before ``day`` when the date is on or before the last
    business day up to ``day``). What lets SQL tell a prescribed item
    without the calendar."""
    return previous_business_day(day)


def bureau_until(due, paid=None):
    """Until when negative data on an item due on ``due`` may stay in the
    credit bureaus: paid on ``paid``, twice its days of mora and at most
    four years from the payment (None without mora: there is nothing
    negative to keep); never paid, eight years from the start of mora."""
    if not paid:
        return mora_start(due) + relativedelta(years=BUREAU_UNPAID_YEARS)
    return bureau_until_paid(paid, mora_days(due, paid))


def bureau_until_paid(paid, days):
    """The permanence of a debt paid on ``paid`` after ``days`` of mora."""
    if days <= 0:
        return None
    paid = legal_calendar.as_date(paid)
    return min(paid + timedelta(days=2 * days),
               paid + relativedelta(years=BUREAU_MAX_YEARS))
