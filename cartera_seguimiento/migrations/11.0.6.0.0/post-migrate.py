# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.6.0.0: an open dispute remembers the items it blocked.

From this version ending a dispute releases only the receivable items the
dispute itself set ``blocked`` (``cartera_dispute_blocked_item_rel``), so a
block someone set by hand stays. Disputes opened before kept no such
record; until now ending them released every item of their invoice, so
each invoice's first open dispute is recorded as the blocker of its
invoice's blocked receivable items: ending it behaves as it always did.
"""
from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(env.cr, """
        INSERT INTO cartera_dispute_blocked_item_rel (dispute_id, move_line_id)
        SELECT holder.id, l.id
          FROM (SELECT DISTINCT ON (d.invoice_id) d.id, d.invoice_id
                  FROM cartera_dispute d
                 WHERE d.state = 'open'
                 ORDER BY d.invoice_id, d.date_open, d.id) holder
          JOIN account_invoice i ON i.id = holder.invoice_id
          JOIN account_move_line l ON l.move_id = i.move_id
          JOIN account_account a ON a.id = l.account_id
         WHERE a.internal_type = 'receivable' AND l.blocked
        ON CONFLICT DO NOTHING""")
