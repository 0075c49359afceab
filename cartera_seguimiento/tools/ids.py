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


def check_ids(env, ids, label):
    """A filter of record ids as a list of integers (one id alone is
    taken as a list of it); anything else (text, SQL, nested lists) is the
    ``value_error`` of ``label``."""
    if not ids:
        return []
    if is_id(ids):
        return [ids]
    if not isinstance(ids, (list, tuple)) or not all(is_id(i) for i in ids):
        raise value_error(env, label, ids)
    return list(ids)


def commercial_partners(env, partner_ids):
    """The customers ``partner_ids`` asked for, as the ids of their
    commercial partners in the order asked for, each once; a customer of
    another company than the user's is a clear error. The caller has
    checked the user's right to the reports (``cartera.scope``): the
    customers are read as superuser, so that another company's customer
    gets this error rather than an access error."""
    # pylint: disable=unused-variable
    context, cr, uid = env.context, env.cr, env.uid  # noqa: F841
    if not partner_ids:
        return []
    partner_ids = check_ids(env, partner_ids, _("Customers"))
    partners = env["res.partner"].sudo().browse(partner_ids).exists()
    # The two columns alone: browsing them would read every field of
    # thousands of customers (a statement run for all of them).
    rows = partners.read(["company_id", "commercial_partner_id"],
                         load="_classic_write")
    company = env.user.company_id
    others = [row["id"] for row in rows
              if row["company_id"] and row["company_id"] != company.id]
    if others:
        other = partners.browse(others[0])
        raise UserError(_(
            "The customer %s belongs to another company (%s): the "
            "reports only cover %s.") % (
            other.display_name, other.company_id.name, company.name))
    return list(dict.fromkeys(
        row["commercial_partner_id"] for row in rows))
