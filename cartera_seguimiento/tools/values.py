# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Values a caller writes into a record, checked before the ORM sees them:
a reference is a record id, a date a date of a year from 1900 to 2200, a
number a number, a text a string (of at most ``text_limit`` characters).
The ORM would fail deep down instead (a KeyError, a PostgreSQL DataError, a
ValueError) or store the wrong thing (a number as a date, "2020-01-01xyz"
as 2020-01-01); here each gets one clear UserError naming the field, so
that RPC clients get a warning, not a traceback."""
from odoo import _
from odoo.exceptions import UserError

from . import dates, ids


def field_label(model, field):
    """The label of ``field`` of ``model`` in the language of the message
    around it: ``_()`` falls back to the user's language when the context
    has none (an RPC call), the ORM's labels do not."""
    lang = model.env.context.get("lang") or model.env.user.lang
    return field.get_description(model.with_context(lang=lang).env)["string"]


def _is_number(value, kind):
    if isinstance(value, bool):
        return False
    try:
        kind(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def check_values(model, vals, text_limit=None):
    """Raise a UserError for the first value of ``vals`` that the field of
    ``model`` it is written to cannot take."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if field is None or value is False or value is None:
            continue
        if field.type == "many2one":
            valid = ids.is_id(value)
        elif field.type in ("date", "datetime"):
            # Python callers may pass date objects; RPC sends strings.
            if not dates.is_valid(value, with_time=field.type == "datetime"):
                raise dates.date_error(model.env, field_label(model, field),
                                       value)
            continue
        elif field.type in ("float", "monetary"):
            valid = _is_number(value, float)
        elif field.type == "integer":
            valid = _is_number(value, int)
        elif field.type in ("char", "text"):
            valid = isinstance(value, str)
            if valid and field.type == "text" and text_limit and \
                    len(value) > text_limit:
                env = model.env
                # Odoo's _() reads the language from these locals.
                # pylint: disable=unused-variable
                context, cr, uid = env.context, env.cr, env.uid  # noqa: F841
                raise UserError(_("%s: at most %d characters, not %d.") % (
                    field_label(model, field), text_limit, len(value)))
        else:
            continue
        if not valid:
            raise ids.value_error(model.env, field_label(model, field), value)
