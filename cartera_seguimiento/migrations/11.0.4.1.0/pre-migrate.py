# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.4.1.0: the indexes that earlier versions replaced go.

Until 11.0.4.0.0 the models' ``init()`` dropped them at every update; a
schema change belongs to the update that makes it, so they are dropped here
once, before the new code creates their replacements:

* ``cartera_aml_open_idx`` (11.0.2.0.0), the open receivable items,
  replaced by ``cartera_aml_open_cover_idx``, which carries the columns the
  aging and the agenda read;
* ``cartera_followup_open_idx`` (development versions of 11.0.3.0.0), the
  open follow-ups by date, replaced by ``cartera_followup_open_state_idx``,
  whose key gained the id.
"""
from openupgradelib import openupgrade
from psycopg2 import sql

OBSOLETE_INDEXES = ("cartera_aml_open_idx", "cartera_followup_open_idx")


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    for name in OBSOLETE_INDEXES:
        openupgrade.logged_query(cr, sql.SQL("DROP INDEX IF EXISTS {}").format(
            sql.Identifier(name)).as_string(cr._obj))
