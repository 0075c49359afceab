# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily digest goes out once a day, however many servers or manual
runs ask for it (two servers at the same moment: tests/test_multi_server.py)."""
from datetime import timedelta

from odoo import fields
from odoo.tests.common import post_install

from ..models.cartera_followup import DIGEST_DATE_KEY
from .common import CarteraCase


# Also after the whole installation (the only run of a module installed
# without demo data).
@post_install(True)
class TestDigestOnceADay(CarteraCase):

    @classmethod
    def setUpClass(cls):
        super(TestDigestOnceADay, cls).setUpClass()
        today = fields.Date.context_today(
            cls.env["cartera.followup"].with_context(tz="America/Bogota"))
        cls.env["cartera.followup"].sudo(cls.collector1).create({
            "partner_id": cls.customer1.id, "type_id": cls.type_call.id,
            "next_date": today, "next_type_id": cls.type_visit.id,
            "next_note": "Visita hoy"})

    def _digests(self):
        partner = self.collector1.partner_id
        return self.env["mail.message"].search_count([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("partner_ids", "in", partner.ids)])

    def test_second_run_the_same_day_sends_nothing(self):
        before = self._digests()
        self.env["cartera.followup"]._cron_notify_pending_tasks()
        self.assertEqual(self._digests(), before + 1)
        self.assertEqual(self.env["ir.config_parameter"].get_param(
            DIGEST_DATE_KEY), fields.Date.today())
        # The cron's "Run Manually", or another server's cron, later today.
        self.env.ref("cartera_seguimiento.cartera_followup_cron_notify"
                     ).method_direct_trigger()
        self.assertEqual(self._digests(), before + 1)

    def test_yesterdays_digest_does_not_stop_todays(self):
        yesterday = fields.Date.to_string(
            fields.Date.from_string(fields.Date.today()) - timedelta(days=1))
        self.env["ir.config_parameter"].set_param(DIGEST_DATE_KEY, yesterday)
        before = self._digests()
        self.env["cartera.followup"]._cron_notify_pending_tasks()
        self.assertEqual(self._digests(), before + 1)
