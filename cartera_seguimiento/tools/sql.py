# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The few raw writes the addon keeps, written one way.

The ORM is the rule. A raw write stays only where a benchmark showed the
ORM's per-record queries matter (thousands of rows at once) or where the
row must be written whatever the caller's rights (a counter kept across a
rollback-prone batch); each caller says why in one line. Those writes fill
Odoo's audit columns here, as the ORM would, so that no table says "nobody
created this row".
"""
from psycopg2 import sql

AUDIT_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


def audit_values(env, creating=True):
    """The audit columns a raw INSERT (``creating``) or UPDATE writes, as
    ``{column: sql.Composable}``: the user and the transaction's moment in
    UTC, as the ORM stores them."""
    now = sql.SQL("(now() at time zone 'UTC')")
    user = sql.Literal(env.uid)
    values = {"write_uid": user, "write_date": now}
    if creating:
        values.update(create_uid=user, create_date=now)
    return values


def audit_assignments(env):
    """``write_uid = …, write_date = …`` for a raw UPDATE."""
    return sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(column), value)
        for column, value in sorted(audit_values(env, creating=False).items()))


def count_attempt(records, field_name):
    """Add one to the integer ``field_name`` of ``records`` in one
    statement. Raw because the count must land even when the batch that
    follows raises and the caller retries record by record; the ORM's
    read-modify-write would also lose a concurrent worker's count."""
    if not records:
        return
    query = sql.SQL(
        "UPDATE {table} SET {column} = COALESCE({column}, 0) + 1, {audit} "
        "WHERE id IN %s").format(
            table=sql.Identifier(records._table),
            column=sql.Identifier(field_name),
            audit=audit_assignments(records.env))
    cr = records.env.cr
    cr.execute(query.as_string(cr._obj), (tuple(records.ids),))
    records.invalidate_cache([field_name, "write_uid", "write_date"])
