# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a newcomer sees first: the capture list shows what a collector types
and sums nothing that cannot be summed; the demo's collectors and manager
start on their agenda."""
from lxml import etree

from odoo.tests.common import TransactionCase

# The capture list's visible columns, in order: what the collector types.
CAPTURE_COLUMNS = [
    "name", "partner_id", "user_id", "date", "type_id", "responsible_id",
    "invoice_id", "notes", "next_date", "next_type_id", "promise_amount",
    "promise_date",
]


class TestViews(TransactionCase):

    def _capture_arch(self, xmlid="cartera_followup_view_tree"):
        view = self.env["cartera.followup"].fields_view_get(
            view_id=self.env.ref("cartera_seguimiento.%s" % xmlid).id,
            view_type="tree")
        return etree.fromstring(view["arch"])

    def test_capture_list_shows_what_a_collector_types(self):
        arch = self._capture_arch()
        visible = [node.get("name") for node in arch.iter("field")
                   if node.get("invisible") not in ("1", "True")
                   and "invisible" not in (node.get("modifiers") or "")
                   .replace('"column_invisible": false', "")]
        self.assertEqual(visible, CAPTURE_COLUMNS)

    def test_capture_list_sums_nothing(self):
        """An amount due per follow-up counts a document once per
        follow-up: no column of the list is totalled, nor of the file's
        list (Seguimiento, and a closing's follow-ups)."""
        for xmlid in ("cartera_followup_view_tree",
                      "cartera_followup_file_view_tree"):
            arch = self._capture_arch(xmlid)
            self.assertEqual(
                [node.get("name") for node in arch.iter("field")
                 if node.get("sum") or node.get("avg")], [], xmlid)
        # Nor its groups (Seguimiento is grouped by customer).
        groups = self.env["cartera.followup"].read_group(
            [], ["partner_id", "amount_due"], ["partner_id"])
        self.assertTrue(groups)
        self.assertEqual([group for group in groups
                          if group.get("amount_due")], [])

    def test_demo_users_land_on_the_agenda(self):
        agenda = self.env.ref("cartera_seguimiento.cartera_agenda_action")
        demo_users = [self.env.ref("cartera_seguimiento.%s" % xmlid,
                                   raise_if_not_found=False)
                      for xmlid in ("demo_user_camila", "demo_user_andres",
                                    "demo_user_luisa")]
        demo_users = [user for user in demo_users if user]
        if not demo_users:
            self.skipTest("the addon was installed without its demo data")
        for user in demo_users:
            self.assertEqual(user.action_id.id, agenda.id, user.login)
