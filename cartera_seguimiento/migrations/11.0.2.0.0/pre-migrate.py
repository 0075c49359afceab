# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.2.0.0: closed follow-ups are sealed in place.

Before the new code reads the database: the rows of the history go back
into ``cartera_followup`` as closed rows with the same ids, their
conversation and attachments are filed under ``cartera.followup``, and the
history table, the file view and the metadata of the removed models go.
The foreign keys of ``cartera_followup`` hold for the moved rows: a
reference the history kept without its key to a record deleted since (the
entry of a cancelled invoice) is emptied, as Odoo reads it anyway.
"""
import logging

from psycopg2 import sql

_logger = logging.getLogger(__name__)

FOLLOWUP_MODEL = "cartera.followup"
HISTORY_MODEL = "cartera.followup.history"
REMOVED_MODELS = ("cartera.followup.history", "cartera.followup.file",
                  "cartera.followup.snapshot", "cartera.batch.read.mixin")
# Columns of a history row that are not a follow-up's.
HISTORY_ONLY_COLUMNS = ("followup_id",)


def _table_exists(cr, table):
    cr.execute("SELECT to_regclass(%s)", (table,))
    return cr.fetchone()[0] is not None


def _columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_schema = current_schema()
                     AND table_name = %s""", (table,))
    return {row[0] for row in cr.fetchall()}


def _add_lifecycle_columns(cr):
    existing = _columns(cr, "cartera_followup")
    if "state" not in existing:
        cr.execute("ALTER TABLE cartera_followup ADD COLUMN state varchar")
    if "closing_id" not in existing:
        cr.execute(
            "ALTER TABLE cartera_followup ADD COLUMN closing_id integer")
    cr.execute("UPDATE cartera_followup SET state = 'open' "
               "WHERE state IS NULL")


def _empty_dangling_references(cr):
    """For each foreign key of cartera_followup, empty the history's copies
    that point at nothing."""
    history_columns = _columns(cr, "cartera_followup_history")
    cr.execute("""
        SELECT a.attname, cf.relname
          FROM pg_constraint c
          JOIN pg_class cf ON cf.oid = c.confrelid
          JOIN pg_attribute a ON a.attrelid = c.conrelid
           AND a.attnum = c.conkey[1]
         WHERE c.conrelid = 'cartera_followup'::regclass
           AND c.contype = 'f' AND array_length(c.conkey, 1) = 1""")
    for column, target in cr.fetchall():
        if column not in history_columns:
            continue
        cr.execute(sql.SQL(
            """UPDATE cartera_followup_history AS h SET {col} = NULL
                WHERE h.{col} IS NOT NULL AND NOT EXISTS (
                      SELECT 1 FROM {target} AS t WHERE t.id = h.{col})"""
        ).format(col=sql.Identifier(column),
                 target=sql.Identifier(target)))
        if cr.rowcount:
            _logger.info("History: %d references in %s to deleted %s "
                         "emptied", cr.rowcount, column, target)


def _move_history_rows(cr):
    common = sorted((_columns(cr, "cartera_followup_history")
                     & _columns(cr, "cartera_followup"))
                    - {"state"} - set(HISTORY_ONLY_COLUMNS))
    columns = sql.SQL(", ").join(map(sql.Identifier, common))
    cr.execute(sql.SQL(
        """INSERT INTO cartera_followup ({cols}, state)
           SELECT {cols}, 'closed' FROM cartera_followup_history"""
    ).format(cols=columns))
    _logger.info("History: %d closed follow-ups back in cartera_followup",
                 cr.rowcount)


def _file_threads_under_followups(cr):
    # A partner following both (impossible in practice) keeps one row.
    cr.execute(
        """DELETE FROM mail_followers AS h USING mail_followers AS f
            WHERE h.res_model = %(history)s
              AND f.res_model = %(followup)s AND f.res_id = h.res_id
              AND f.partner_id IS NOT DISTINCT FROM h.partner_id
              AND f.channel_id IS NOT DISTINCT FROM h.channel_id""",
        {"history": HISTORY_MODEL, "followup": FOLLOWUP_MODEL})
    for table, column in (("mail_followers", "res_model"),
                          ("mail_message", "model"),
                          ("ir_attachment", "res_model"),
                          ("mail_activity", "res_model")):
        cr.execute(sql.SQL("UPDATE {table} SET {col} = %s WHERE {col} = %s")
                   .format(table=sql.Identifier(table),
                           col=sql.Identifier(column)),
                   (FOLLOWUP_MODEL, HISTORY_MODEL))
    cr.execute("""UPDATE mail_activity SET res_model_id = (
                      SELECT id FROM ir_model WHERE model = %s)
                   WHERE res_model = %s AND res_model_id IN (
                      SELECT id FROM ir_model WHERE model = %s)""",
               (FOLLOWUP_MODEL, FOLLOWUP_MODEL, HISTORY_MODEL))


def _drop_removed_models(cr):
    cr.execute("DROP VIEW IF EXISTS cartera_followup_file")
    cr.execute("DROP TABLE IF EXISTS cartera_followup_history")
    # Their metadata: Odoo would otherwise try to drop the tables and
    # columns of models it no longer knows at the end of the update. The
    # access rights, rules and constraints go with ir_model (cascade); the
    # xml ids left pointing at nothing are cleared by the update itself.
    cr.execute("DELETE FROM ir_model_constraint WHERE model IN "
               "(SELECT id FROM ir_model WHERE model IN %s)",
               (REMOVED_MODELS,))
    cr.execute("DELETE FROM ir_model_relation WHERE model IN "
               "(SELECT id FROM ir_model WHERE model IN %s)",
               (REMOVED_MODELS,))
    cr.execute("DELETE FROM ir_model_fields WHERE model IN %s",
               (REMOVED_MODELS,))
    cr.execute("DELETE FROM ir_model WHERE model IN %s", (REMOVED_MODELS,))


def _cron_left_to_administrators(cr):
    # The digest's time is the administrators' (readme/CONFIGURE.rst): from
    # now on an update keeps it, as a new install does.
    cr.execute("""UPDATE ir_model_data SET noupdate = true
                   WHERE module = 'cartera_seguimiento'
                     AND name = 'cartera_followup_cron_notify'""")


def migrate(cr, version):
    if not version:
        return
    _cron_left_to_administrators(cr)
    _add_lifecycle_columns(cr)
    if _table_exists(cr, "cartera_followup_history"):
        _empty_dangling_references(cr)
        _move_history_rows(cr)
    _file_threads_under_followups(cr)
    _drop_removed_models(cr)
