# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Whole-number settings kept as system parameters (Ajustes / Técnico /
Parámetros del sistema), read the same way everywhere."""


def int_parameter(env, key, default, minimum=0):
    """The parameter ``key`` as a whole number of at least ``minimum``;
    ``default`` when it is missing or not a number. The default goes
    through get_param: a missing key is otherwise False, which int() reads
    as 0."""
    value = env["ir.config_parameter"].sudo().get_param(key, default)
    try:
        return max(int(value), minimum)
    except (TypeError, ValueError):
        return default
