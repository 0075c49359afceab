# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.modules.module import load_information_from_description_file
from odoo.tests.common import TransactionCase, at_install, post_install

from .common import load_spanish


# Also after the whole installation: Odoo 11 runs at-install tests only for
# a module installed with its demo data.
@post_install(True)
class TestInstall(TransactionCase):

    # Odoo marks a module installed once its at-install tests have run.
    @at_install(False)
    @post_install(True)
    def test_module_installed(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "cartera_seguimiento")])
        self.assertEqual(module.state, "installed")
        # The database runs the code of this checkout, and an OCA 11.0
        # version number.
        manifest = load_information_from_description_file(
            "cartera_seguimiento")
        self.assertEqual(module.latest_version, manifest["version"])
        self.assertRegex(manifest["version"], r"^11\.0\.\d+\.\d+\.\d+$")

    def test_groups_and_category(self):
        user = self.env.ref("cartera_seguimiento.group_cartera_user")
        manager = self.env.ref("cartera_seguimiento.group_cartera_manager")
        self.assertIn(user, manager.implied_ids)
        self.assertEqual(user.category_id, manager.category_id)
        self.assertEqual(user.category_id, self.env.ref(
            "cartera_seguimiento.module_category_cartera"))
        new_manager = self.env["res.users"].create({
            "name": "Gerente", "login": "gerente_test",
            "groups_id": [(6, 0, [manager.id])]})
        self.assertTrue(new_manager.has_group(
            "cartera_seguimiento.group_cartera_user"))

    def test_menu_tree_in_spanish(self):
        lang = load_spanish(self.env)
        names = [self.env.ref("cartera_seguimiento.%s" % xmlid).with_context(
            lang=lang).name for xmlid in (
            "cartera_menu_root", "cartera_menu_receivables",
            "cartera_menu_followup")]
        self.assertEqual(names, ["Procesos", "Cartera", "Seguimiento"])
        capture = self.env.ref("cartera_seguimiento.cartera_followup_menu_capture")
        self.assertEqual(capture.parent_id, self.env.ref(
            "cartera_seguimiento.cartera_menu_followup"))
        self.assertEqual(capture.with_context(lang=lang).name, "Captura")

    def test_references_to_deleted_rows_are_indexed(self):
        # Activities are deleted all the time (each task done); the foreign
        # key from the follow-ups must find its rows through an index.
        self.env.cr.execute("""
            SELECT 1 FROM pg_index i
              JOIN pg_attribute a ON a.attrelid = i.indrelid
               AND a.attnum = i.indkey[0]
             WHERE i.indrelid = 'cartera_followup'::regclass
               AND a.attname = 'task_activity_id'""")
        self.assertTrue(self.env.cr.fetchall())
