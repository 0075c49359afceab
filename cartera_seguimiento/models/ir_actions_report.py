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
    from reportlab.pdfgen import canvas
except ImportError:  # pragma: no cover - both ship with Odoo 11
    PdfFileReader = PdfFileWriter = canvas = None

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
            content[:5] == b"%PDF-" and canvas is not None and \
            not wkhtmltopdf_has_patched_qt()

    @api.multi
    def _cartera_stamp_page_numbers(self, content):
        """Print "company — page N of M" at the foot of every page."""
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        writer = PdfFileWriter()
        total = reader.getNumPages()
        company = self.env.user.company_id.name or ""
        for number in range(total):
            page = reader.getPage(number)
            width = float(page.mediaBox.getWidth())
            height = float(page.mediaBox.getHeight())
            overlay = io.BytesIO()
            pen = canvas.Canvas(overlay, pagesize=(width, height))
            pen.setFont("Helvetica", 7)
            pen.setFillGray(0.35)
            pen.drawString(28, 16, company)
            pen.drawRightString(width - 28, 16, _("Page %d of %d") % (
                number + 1, total))
            pen.save()
            overlay.seek(0)
            page.mergePage(PdfFileReader(overlay).getPage(0))
            writer.addPage(page)
        stamped = io.BytesIO()
        writer.write(stamped)
        return stamped.getvalue()
