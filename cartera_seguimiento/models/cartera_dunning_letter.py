# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection letters of a run (see cartera_dunning_send.py): a
batch's letters printed by one wkhtmltopdf call per language and split by
its outline into each customer's letter (the statements' way,
cartera_statement_render.py), else one by one; the run's letters joined
in one PDF attached to the run."""
import base64
import io
import logging

from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo import _, api, models
from odoo.sql_db import TestCursor
from odoo.tools import config

from ..reports.pdf_split import split_by_outline

_logger = logging.getLogger(__name__)

LETTER_REPORT_XMLID = "cartera_seguimiento.cartera_dunning_letter_report"


class CarteraDunningLine(models.Model):
    _inherit = "cartera.dunning.line"

    @api.multi
    def _render_letters(self):
        """{customer id: their letter (PDF bytes), or the exception that
        stopped it} for the customers of these lines (one run), each
        letter listing the customer's lines among these. Printed as the
        run's user (the letter's layout is their company's)."""
        if not self:
            return {}
        run = self.mapped("run_id")
        lines = self.sudo(run.user_id)
        report = self.env.ref(LETTER_REPORT_XMLID).sudo(run.user_id)
        by_lang = {}
        for partner in lines.mapped("partner_id"):
            lang = partner.lang or run.user_id.lang or "en_US"
            by_lang.setdefault(lang, partner.browse())
            by_lang[lang] |= partner
        pdfs = {}
        for lang, partners in sorted(by_lang.items()):
            report_lang = report.with_context(lang=lang)
            group = lines.filtered(
                lambda l, p=set(partners.ids): l.partner_id.id in p)
            batch = group._print_letters_at_once(report_lang, partners) \
                if len(partners) > 1 else None
            if batch:
                pdfs.update(zip(partners.ids, batch))
                continue
            for partner in partners:
                mine = group.filtered(lambda l, p=partner: l.partner_id == p)
                try:
                    pdf = report_lang.render_qweb_pdf(
                        partner.ids, data={"line_ids": mine.ids})
                    # (content, format); in tests the HTML.
                    pdfs[partner.id] = pdf[0] if isinstance(pdf, tuple) \
                        else pdf
                except Exception as error:  # pylint: disable=broad-except
                    pdfs[partner.id] = error
        return pdfs

    @api.multi
    def _print_letters_at_once(self, report, partners):
        """The letters of ``partners`` (one language), in their order,
        from one wkhtmltopdf call split by its outline; None when they
        cannot be printed together. Where Odoo renders HTML instead of
        PDFs (tests, no wkhtmltopdf), they are printed one by one."""
        if config["test_enable"] or isinstance(self.env.cr, TestCursor):
            return None
        if report.get_wkhtmltopdf_state() == "install":
            return None
        try:
            pdf = self.env["cartera.statement.run.line"]._print_in_one_call(
                report, partners.ids, {"line_ids": self.ids})
        except Exception as error:  # pylint: disable=broad-except
            _logger.info("Letters of partners %s printed one by one: %s",
                         partners.ids, error)
            return None
        documents = split_by_outline(pdf, len(partners)) if pdf else None
        if pdf and documents is None:
            _logger.warning("The letters of partners %s could not be split "
                            "by their outline: printed one by one.",
                            partners.ids)
        return documents


class CarteraDunningRun(models.Model):
    _inherit = "cartera.dunning.run"

    @api.multi
    def _attach_letters(self):
        """Every letter this run printed, joined in one PDF attached to
        the run (replacing the previous one when a later send printed
        more). The proofs are read one at a time; the joined PDF is as
        large as the letters."""
        self.ensure_one()
        lines = self.env["cartera.dunning.line"].search(
            [("run_id", "=", self.id), ("state", "=", "printed"),
             ("attachment_id", "!=", False)], order="partner_id, id")
        proofs = lines.mapped("attachment_id")
        if not proofs or (self.letter_attachment_id and set(
                self._letter_proof_ids()) == set(proofs.ids)):
            return
        content = join_pdfs(base64.b64decode(proof.datas)
                            for proof in proofs)
        name = _("Letters %s.pdf") % self.name
        old = self.letter_attachment_id
        self.letter_attachment_id = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "type": "binary",
            "mimetype": "application/pdf",
            "description": ",".join(str(i) for i in proofs.ids),
            "datas": base64.b64encode(content),
            "res_model": self._name, "res_id": self.id})
        old.unlink()

    @api.multi
    def _letter_proof_ids(self):
        """The proofs the run's PDF was joined from (in its
        description)."""
        description = self.letter_attachment_id.description or ""
        return [int(i) for i in description.split(",") if i.isdigit()]

    @api.multi
    def _preview_letter_lines(self):
        """Before sending: the queued lines of the customers one of whose
        levels prints a letter."""
        self.ensure_one()
        lines = self.env["cartera.dunning.line"].search(
            [("run_id", "=", self.id), ("state", "=", "queued")])
        partners = lines.filtered("level_id.print_letter").mapped(
            "partner_id")
        return lines.filtered(lambda l: l.partner_id in partners)


def join_pdfs(documents):
    """One PDF of ``documents`` (bytes), in their order. What Odoo renders
    instead of PDFs in tests (HTML) is joined as it is."""
    documents = list(documents)
    if not all(document.startswith(b"%PDF") for document in documents):
        return b"\n".join(documents)
    writer = PdfFileWriter()
    for document in documents:
        reader = PdfFileReader(io.BytesIO(document), strict=False)
        for number in range(reader.getNumPages()):
            writer.addPage(reader.getPage(number))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
