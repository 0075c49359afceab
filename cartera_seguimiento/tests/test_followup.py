# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import CarteraCase


class TestFollowupDefaults(CarteraCase):

    def test_defaults_from_customer_and_user(self):
        followup = self._followup(user=self.collector1)
        self.assertEqual(followup.partner_id, self.customer1)
        self.assertEqual(followup.user_id, self.collector1)
        self.assertEqual(followup.responsible_id, self.collector1)
        self.assertEqual(followup.company_id, self.company)
        self.assertTrue(followup.name.startswith("SEG/"))
