# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import sql


class SnapshotMany2one(fields.Many2one):
    """A many2one that copies a reference without a foreign key.

    A closing inserts every row of the history in one statement, and each
    foreign key costs PostgreSQL a lookup and a row lock per row inserted:
    with the thirteen references of a follow-up they were 80 % of a
    100,000-row closing. The values come from follow-ups whose own foreign
    keys held until the closing, so they are valid when copied; afterwards
    the references that matter are kept from deletion by
    ``cartera.followup.history._check_history_references``, and a reference
    to a record deleted anyway (the journal entry of a cancelled invoice)
    reads as empty, as Odoo reads any many2one without its foreign key.
    """

    def update_db_foreign_key(self, model, column):
        # Databases installed before 11.0.1.1.0 have the foreign key.
        conname = "%s_%s_fkey" % (model._table, self.name)
        if sql.constraint_definition(model._cr, conname):
            sql.drop_constraint(model._cr, model._table, conname)
        model._cr.execute(
            "DELETE FROM ir_model_constraint WHERE name = %s AND type = 'f'",
            (conname,))


class CarteraFollowupSnapshot(models.AbstractModel):
    """The fields of a follow-up as they were captured, read-only: what the
    history keeps of a closed follow-up and what the follow-up file shows
    of every one. The names are those of ``cartera.followup`` so that the
    closing copies columns by name and reports read any of the three
    alike. (In the file, a database view, ``index`` has no effect.)"""
    _name = "cartera.followup.snapshot"
    _description = "Follow-up as captured"

    name = fields.Char(string="Reference", readonly=True, index=True)
    partner_id = SnapshotMany2one(
        "res.partner", string="Customer", readonly=True, index=True,
    )
    user_id = SnapshotMany2one(
        "res.users", string="Salesperson", readonly=True, index=True,
    )
    date = fields.Datetime(readonly=True, index=True)
    type_id = SnapshotMany2one(
        "cartera.followup.type", string="Type", readonly=True,
    )
    responsible_id = SnapshotMany2one(
        "res.users", string="Contact", readonly=True, index=True,
    )
    invoice_id = SnapshotMany2one(
        "account.invoice", string="Document", readonly=True, index=True,
    )
    # Plain copies, not related fields: a later change of the invoice must
    # not rewrite the history.
    invoice_number = fields.Char(string="Document Number", readonly=True)
    journal_id = SnapshotMany2one(
        "account.journal", string="Transaction", readonly=True,
    )
    move_id = SnapshotMany2one(
        "account.move", string="Journal Entry", readonly=True,
    )
    invoice_currency_id = SnapshotMany2one(
        "res.currency", string="Document Currency", readonly=True,
    )
    amount_due = fields.Monetary(
        string="Amount Due at Capture", readonly=True,
        currency_field="invoice_currency_id",
    )
    date_due = fields.Date(string="Due Date at Capture", readonly=True)
    notes = fields.Text(readonly=True)
    next_date = fields.Date(string="Next Task Date", readonly=True)
    next_type_id = SnapshotMany2one(
        "cartera.followup.type", string="Next Task Type", readonly=True,
    )
    next_note = fields.Text(string="Next Task Note", readonly=True)
    task_state = fields.Selection(
        [("none", "No task"), ("pending", "Pending"), ("done", "Done")],
        string="Task Status", readonly=True,
        help="Status of the next task; for a closed follow-up, as it was "
             "at the closing.",
    )
    company_id = SnapshotMany2one(
        "res.company", readonly=True, index=True,
    )
