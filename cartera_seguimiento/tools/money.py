# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amounts written as the reader's language writes them."""
import ast

from odoo.tools.misc import formatLang


def amount_formatter(env, lang_code):
    """A function writing an amount with two decimals as ``formatLang``
    writes it in the language ``lang_code`` (1.234.567,89). formatLang
    evaluates the language's grouping anew for every amount, most of the
    time of a long report: a language grouping by thousands (nearly all)
    gets Python's own grouping with its separators instead, the same
    text."""
    env = env(context=dict(env.context, lang=lang_code or "en_US"))
    lang = env["res.lang"].search([("code", "=", env.context["lang"])])
    try:
        by_thousands = ast.literal_eval(lang.grouping or "") == [3, 0]
    except (ValueError, SyntaxError):
        by_thousands = False
    if not (by_thousands and lang.thousands_sep and lang.decimal_point):
        # Another grouping, or a language not installed (formatLang falls
        # back to another one).
        return lambda value: formatLang(env, value or 0.0, digits=2)
    separators = {ord(","): lang.thousands_sep,
                  ord("."): lang.decimal_point}

    def money(value):
        return format(value or 0.0, ",.2f").translate(separators)
    return money
