# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The lists' own read gives exactly what Odoo's read gives, under the
same rules, in a number of queries that does not grow with the page."""
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError

from .common import CarteraCase


def odoo_read(records, names=None):
    return models.BaseModel.read(records, names)


class TestBatchRead(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestBatchRead, cls).setUpClass()
        soon = fields.Date.to_string(
            fields.Date.from_string(fields.Date.today()) + timedelta(days=3))
        Followup = cls.env["cartera.followup"]
        cls.records = Followup.browse()
        for index in range(6):
            cls.records |= Followup.create({
                "partner_id": (cls.customer1, cls.customer2)[index % 2].id,
                "type_id": cls.type_call.id,
                "invoice_id": (cls.invoice1, cls.invoice2)[index % 2].id,
                "notes": "Nota número %d con ñ y tildes áé" % index,
                "next_date": soon if index % 3 else False,
                "next_type_id": cls.type_visit.id if index % 3 else False,
                "responsible_id": (cls.collector1, cls.collector2,
                                   cls.manager)[index % 3].id,
            })

    def test_every_field_as_odoo_reads_it(self):
        as_manager = self.records.sudo(self.manager)
        self.assertEqual(as_manager.read(), odoo_read(as_manager))
        names = list(as_manager.fields_view_get(
            view_type="tree")["fields"])
        self.assertEqual(as_manager.read(names),
                         odoo_read(as_manager, names))
        listed = as_manager.search_read(
            [("id", "in", self.records.ids)], names, order="id")
        self.assertEqual(listed[0]["partner_id"], (
            as_manager[0].partner_id.id, self.records[0].partner_id.display_name))
        self.assertEqual(listed[0]["notes"], self.records[0].notes)

    def test_history_and_file_as_odoo_reads_them(self):
        history = self.env["cartera.followup.history"]
        closing = self.env["cartera.closing"].sudo(self.manager)
        closing._close_followups(
            "2000-01-01", fields.Date.context_today(closing))
        closed = history.search([("id", "in", self.records.ids)])
        self.assertEqual(len(closed), 6)
        self.assertEqual(closed.read(), odoo_read(closed))
        listed = self.env["cartera.followup.file"].search(
            [("id", "in", self.records.ids)])
        self.assertEqual(listed.read(), odoo_read(listed))

    def test_record_rules_as_odoo(self):
        # A collector sees the follow-ups of his customers or his tasks.
        as_collector = self.records.sudo(self.collector2)
        visible = as_collector.search([("id", "in", self.records.ids)])
        self.assertTrue(0 < len(visible) < len(self.records))
        self.assertEqual(visible.read(["partner_id", "notes"]),
                         odoo_read(visible, ["partner_id", "notes"]))
        hidden = as_collector - visible
        with self.assertRaises(AccessError):
            hidden.read(["notes"])
        with self.assertRaises(AccessError):
            odoo_read(hidden, ["notes"])

    def test_deleted_records_left_out(self):
        gone = self.records[0].copy()
        gone_id = gone.id
        gone.unlink()
        records = self.records[1].browse([self.records[1].id, gone_id])
        self.assertEqual([row["id"] for row in records.read(["name"])],
                         [self.records[1].id])

    def test_queries_do_not_grow_with_the_page(self):
        names = ["name", "partner_id", "user_id", "type_id", "invoice_id",
                 "responsible_id", "next_type_id", "amount_due", "notes",
                 "task_state"]

        def queries(records):
            records.invalidate_cache()
            before = self.cr.sql_log_count
            records.sudo(self.manager).read(names)
            return self.cr.sql_log_count - before
        queries(self.records)     # rules and groups in their caches
        self.assertEqual(queries(self.records[:2]), queries(self.records))
