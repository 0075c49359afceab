# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Splitting one wkhtmltopdf print of several statements, on real PDFs
made by Odoo's own wkhtmltopdf call (plain HTML, no asset bundles: the
test server serves none to wkhtmltopdf)."""
import io
import shutil
import subprocess

from PyPDF2 import PdfFileReader

from odoo.tests.common import TransactionCase

from ..reports.pdf_split import split_by_outline

BODY = """<!DOCTYPE html><html><head><meta charset="utf-8"/></head><body>
<h3>Statement of Account</h3><p>Customer %(name)s</p>
<h4>Open documents</h4>%(filler)s</body></html>"""


class TestPdfSplit(TransactionCase):

    def setUp(self):
        super(TestPdfSplit, self).setUp()
        self.report = self.env.ref(
            "cartera_seguimiento.cartera_statement_report")
        if self.report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed")
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")

    def _print(self, bodies):
        return self.report._run_wkhtmltopdf(
            [body.encode("utf-8") for body in bodies])

    @staticmethod
    def _pages(pdf):
        """The text of each page (wkhtmltopdf's fonts defeat PyPDF2's
        text extraction; poppler reads them)."""
        pages = PdfFileReader(io.BytesIO(pdf)).getNumPages()
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, check=True,
            stdout=subprocess.PIPE).stdout.decode("utf-8")
        # pdftotext ends each page with a form feed.
        return text.split("\f")[:pages]

    def test_one_pdf_per_customer(self):
        # The second customer's statement is three pages long: a document
        # starts at its title, not at each page.
        long_list = "".join("<p>Invoice %d</p>" % n for n in range(120))
        names = ("ALPHA", "BRAVO", "CHARLIE")
        pdf = self._print([
            BODY % {"name": name, "filler": long_list if n == 1 else ""}
            for n, name in enumerate(names)])
        documents = split_by_outline(pdf, 3)
        self.assertEqual(len(documents), 3)
        pages = [self._pages(document) for document in documents]
        self.assertEqual(len(pages[0]), 1)
        self.assertGreaterEqual(len(pages[1]), 2)
        self.assertEqual(len(pages[2]), 1)
        self.assertEqual(sum(len(p) for p in pages),
                         len(self._pages(pdf)))
        for name, document_pages in zip(names, pages):
            text = "".join(document_pages)
            self.assertIn("Customer %s" % name, text)
            self.assertEqual(
                [other for other in names
                 if other != name and other in text], [])
        self.assertIn("Invoice 119", "".join(pages[1]))

    def test_unexpected_outline_is_refused(self):
        pdf = self._print([BODY % {"name": name, "filler": ""}
                           for name in ("ALPHA", "BRAVO")])
        # Fewer or more documents than asked for: printed one by one.
        self.assertIsNone(split_by_outline(pdf, 3))
        self.assertIsNone(split_by_outline(pdf, 1))
        # A document without a heading: its pages would go to another.
        pdf = self._print([
            BODY % {"name": "ALPHA", "filler": ""},
            "<html><body><p>Customer BRAVO</p></body></html>"])
        self.assertIsNone(split_by_outline(pdf, 2))
