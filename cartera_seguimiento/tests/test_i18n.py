# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests.common import TransactionCase
from odoo.tools.translate import trans_export

from .common import load_spanish


class TestSpanishTranslation(TransactionCase):
    """Every string the addon shows has its Spanish in i18n/es.po, and the
    .pot shipped is the one the code produces."""

    def _exported_terms(self):
        buffer = io.BytesIO()
        trans_export(False, ["cartera_seguimiento"], buffer, "po", self.env.cr)
        return {entry.msgid for entry in polib.pofile(
            buffer.getvalue().decode("utf-8"))}

    def _po_entries(self, filename):
        path = os.path.join(get_module_path("cartera_seguimiento"), "i18n", filename)
        return {entry.msgid: entry.msgstr for entry in polib.pofile(path)}

    def test_every_term_translated(self):
        spanish = self._po_entries("es.po")
        missing = sorted(term for term in self._exported_terms()
                         if not spanish.get(term))
        self.assertFalse(missing, "Untranslated in es.po: %s" % missing)

    def test_pot_up_to_date(self):
        pot = set(self._po_entries("cartera_seguimiento.pot"))
        self.assertFalse(self._exported_terms() - pot,
                         "Run `make pot`: the .pot misses terms")

    def test_spanish_labels_loaded(self):
        fields = self.env["cartera.followup"].with_context(
            lang=load_spanish(self.env)).fields_get([
                "partner_id", "user_id", "type_id", "responsible_id",
                "invoice_id"])
        self.assertEqual(
            [fields[name]["string"] for name in (
                "partner_id", "user_id", "type_id", "responsible_id",
                "invoice_id")],
            ["Cliente", "Vendedor", "Tipo", "Contacto", "Documento"])
