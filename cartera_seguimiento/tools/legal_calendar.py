# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Colombia's legal calendar: which days are business days.

Código de Comercio art. 829: a term that ends on a holiday or a Sunday
moves to the next business day. Saturdays are business days for that
article. The holidays come from the ``holidays`` package, which knows the
days Ley 51 de 1983 (Ley Emiliani) moves to Monday, rather than from a
hand-kept list that would go stale every year.
"""
from datetime import timedelta

import holidays

from . import dates

_CALENDARS = {}


def _colombia(year):
    calendar = _CALENDARS.get(year)
    if calendar is None:
        calendar = _CALENDARS[year] = holidays.CO(years=[year])
    return calendar


def as_date(day):
    """``day`` (a date or a server-format string) as a date; ValueError
    when it is not one."""
    parsed = dates.parse(day)
    if parsed is None:
        raise ValueError("not a date: %r" % (day,))
    return parsed


def is_business_day(day):
    """Whether ``day`` (a date or a server-format string) is neither a
    Sunday nor a Colombian public holiday."""
    day = as_date(day)
    return day.weekday() != 6 and day not in _colombia(day.year)


def next_business_day(day):
    """``day`` itself when it is a business day, else the first business
    day after it (art. 829 of the Código de Comercio)."""
    day = as_date(day)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day
