# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mail values the addon's messages share."""


def default_sender(env):
    """The sender of a message posted by a user without an e-mail address
    (Odoo refuses to post without one): the company's address, else the
    user's name."""
    return env.user.company_id.email or env.user.name
