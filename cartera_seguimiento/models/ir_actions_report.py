# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import logging
import subprocess

from odoo import _, api, models
from odoo.addons.base.ir.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

try:
    from PyPDF2 import PdfFileReader, PdfFileWriter
    from PyPDF2.generic import (
        ArrayObject, DecodedStreamObject, DictionaryObject, NameObject)
    from reportlab.pdfbase.pdfmetrics import stringWidth
except ImportError:  # pragma: no cover - both ship with Odoo 11
    PdfFileReader = None

REPORT_PREFIX = "cartera_seguimiento."
_WKHTMLTOPDF_PATCHED = []


def wkhtmltopdf_has_patched_qt():
    """Only wkhtmltopdf built with its patched Qt prints the layout's footer
    (and its page numbers); distribution builds silently leave it out."""
    if not _WKHTMLTOPDF_PATCHED:
        try:
            output = subprocess.run(
                [_get_wkhtmltopdf_bin(), "--version"], stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, timeout=30).stdout
            _WKHTMLTOPDF_PATCHED.append(b"patched qt" in output.lower())
        except (OSError, IOError, subprocess.SubprocessError):
            _WKHTMLTOPDF_PATCHED.append(True)
    return _WKHTMLTOPDF_PATCHED[0]


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        content, content_type = super(IrActionsReport, self).render_qweb_pdf(
            res_ids=res_ids, data=data)
        if content_type == "pdf" and self._cartera_needs_page_numbers(content):
            content = self._cartera_stamp_page_numbers(content)
        return content, content_type

    @api.multi
    def _cartera_needs_page_numbers(self, content):
        return (self.report_name or "").startswith(REPORT_PREFIX) and \
            content[:5] == b"%PDF-" and PdfFileReader is not None and \
            not wkhtmltopdf_has_patched_qt()

    @api.multi
    def _cartera_stamp_page_numbers(self, content):
        """Print "company ... page N of M" at the foot of every page.

        The footer is appended as one more content stream per page, in its
        own graphics state: merging a drawn page (PyPDF2's mergePage) parses
        every operator of the report's pages, a second per page."""
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        writer = PdfFileWriter()
        total = reader.getNumPages()
        company = self.env.user.company_id.name or ""
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
        for number in range(total):
            page = reader.getPage(number)
            width = float(page.mediaBox.getWidth())
            label = _("Page %d of %d") % (number + 1, total)
            footer = b"BT /CarteraFooter 7 Tf 0.35 g 28 16 Td " + \
                _pdf_text(company) + b" Tj ET BT /CarteraFooter 7 Tf 0.35 g " + \
                ("%.2f" % (width - 28 - stringWidth(label, "Helvetica", 7))
                 ).encode() + b" 16 Td " + _pdf_text(label) + b" Tj ET"
            resources = page["/Resources"].getObject()
            fonts = resources.get("/Font")
            fonts = fonts.getObject() if fonts is not None else \
                DictionaryObject()
            fonts[NameObject("/CarteraFooter")] = font
            resources[NameObject("/Font")] = fonts
            original = page["/Contents"]
            original = list(original.getObject()) if isinstance(
                original.getObject(), ArrayObject) else [original]
            page[NameObject("/Contents")] = ArrayObject(
                [_stream(writer, b"q\n")] + original +
                [_stream(writer, b"\nQ\n" + footer)])
            writer.addPage(page)
        stamped = io.BytesIO()
        writer.write(stamped)
        return stamped.getvalue()


def _stream(writer, data):
    stream = DecodedStreamObject()
    stream.setData(data)
    return writer._addObject(stream)  # pylint: disable=protected-access


def _pdf_text(text):
    """A PDF string literal in WinAnsi, as the footer font is encoded."""
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)") + b")"
