# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record ids a caller sends, checked the same way everywhere: an integer
(not a boolean, which Python counts as one), and one clear error for any
other value, instead of a PostgreSQL error or a KeyError deep in the
ORM."""
from odoo import _
from odoo.exceptions import UserError


def is_id(value):
    """Whether ``value`` can be a record id."""
    return isinstance(value, int) and not isinstance(value, bool)


def value_error(env, label, value):
    """The error for a wrong ``value`` of the field or filter ``label``
    (already in the user's language), in the language of the context, else
    the user's (an RPC call without context)."""
    # Odoo's _() takes its language and cursor from the caller's local
    # variables, as in a model method: the context, else the user.
    # pylint: disable=unused-variable
    context, cr, uid = env.context, env.cr, env.uid  # noqa: F841
    return UserError(_("%s: invalid value %s.") % (label, repr(value)[:80]))
