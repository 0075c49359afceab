# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates a user types, checked the same way everywhere.

Every entry point where a user or an RPC client gives a date (the fields of
a follow-up and of a promise, the report and closing wizards, the report
engine's methods, ``cartera.promise.evaluate``) goes through ``check_date``
or ``is_valid``: a whole date (or date and time) in Odoo's server format,
of a year from 1900 to 2200, or one clear error. Odoo's own parsing reads
the first characters of a string and ignores the rest, PostgreSQL refuses
2020-02-30 with a traceback, and a year such as 9999 overflows the time
zone and day arithmetic (``OverflowError``) deep in the reports.
"""
from datetime import date, datetime, time, timedelta

import pytz

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.tools import DEFAULT_SERVER_DATE_FORMAT, \
    DEFAULT_SERVER_DATETIME_FORMAT

# No receivable is followed up before or after these years; beyond them the
# arithmetic on days and time zones overflows.
MIN_YEAR = 1900
MAX_YEAR = 2200


def parse(value, with_time=False):
    """The ``datetime`` (``with_time``) or ``date`` that ``value`` means:
    a string in the server format (a date only, or with the time when
    ``with_time``), a ``date`` or a ``datetime``; None when it is anything
    else, not a whole date, or outside the years MIN_YEAR..MAX_YEAR."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    elif isinstance(value, str):
        moment = None
        formats = [DEFAULT_SERVER_DATE_FORMAT]
        if with_time:
            formats.append(DEFAULT_SERVER_DATETIME_FORMAT)
        for date_format in formats:
            try:
                parsed = datetime.strptime(value, date_format)
            except ValueError:
                continue
            # strptime takes "2020-1-1" too: only the server format itself.
            if parsed.strftime(date_format) == value:
                moment = parsed
                break
        if moment is None:
            return None
    else:
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment if with_time else moment.date()


def is_valid(value, with_time=False):
    """Whether ``value`` is a date ``parse`` accepts."""
    return parse(value, with_time=with_time) is not None


def date_error(env, label, value):
    """The error for a wrong date ``value`` of the field or filter
    ``label`` (already in the user's language), in the language of the
    context, else the user's (an RPC call without context)."""
    # Odoo's _() takes its language and cursor from the caller's local
    # variables, as in a model method: the context, else the user.
    # pylint: disable=unused-variable
    context, cr, uid = env.context, env.cr, env.uid  # noqa: F841
    return UserError(_("%s: %s is not a valid date (years %d to %d).") % (
        label, repr(value)[:80], MIN_YEAR, MAX_YEAR))


def check_date(env, value, label, with_time=False):
    """``value`` as a string in the server format (with the time when
    ``with_time``), or False when empty; a ``date_error`` otherwise."""
    if value is None or value is False or value == "":
        return False
    moment = parse(value, with_time=with_time)
    if moment is None:
        raise date_error(env, label, value)
    if with_time:
        return moment.strftime(DEFAULT_SERVER_DATETIME_FORMAT)
    return moment.strftime(DEFAULT_SERVER_DATE_FORMAT)


def local_day_start_utc(env, day):
    """The UTC moment (as Odoo stores datetimes) at which ``day`` (a
    ``date``) starts in the time zone of the context, else the user's."""
    tz = pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
    moment = tz.localize(datetime.combine(day, time.min))
    return fields.Datetime.to_string(
        moment.astimezone(pytz.utc).replace(tzinfo=None))


def local_day_bounds(env, date_from, date_to):
    """UTC bounds ``[start, end)`` of the user's local days ``date_from``
    to ``date_to`` (strings in the server format); an empty end gives an
    empty bound."""
    start = date_from and local_day_start_utc(
        env, fields.Date.from_string(date_from))
    end = date_to and local_day_start_utc(
        env, fields.Date.from_string(date_to) + timedelta(days=1))
    return start, end


def check_range(env, date_from, date_to):
    """``date_from`` and ``date_to`` as ``check_date`` gives them (either
    may be empty), or a clear error when the start is after the end."""
    # Odoo's _() takes its language and cursor from the caller's local
    # variables, as in a model method: the context, else the user.
    # pylint: disable=unused-variable
    context, cr, uid = env.context, env.cr, env.uid  # noqa: F841
    date_from = check_date(env, date_from, _("Start date"))
    date_to = check_date(env, date_to, _("End date"))
    if date_from and date_to and date_from > date_to:
        raise UserError(_(
            "The start date (%s) is after the end date (%s).")
            % (date_from, date_to))
    return date_from, date_to
