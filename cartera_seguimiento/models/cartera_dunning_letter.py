# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection letters of a run (see cartera_dunning_send.py): a
batch's letters printed by one wkhtmltopdf call per language and split by
its outline into each customer's letter (the statements' way,
cartera_statement_render.py), else one by one; the run's letters joined
in one PDF attached to the run."""
import base64
import contextlib
import logging
import os
import shutil
import tempfile

from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo import _, api, models
from odoo.sql_db import TestCursor
from odoo.tools import config

from ..reports.pdf_split import split_by_outline

_logger = logging.getLogger(__name__)

LETTER_REPORT_XMLID = "cartera_seguimiento.cartera_dunning_letter_report"
# Letters joined per step (each one an open file while its step writes).
JOIN_BATCH = 200


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
        more). Joined on disk (``join_pdf_files``): each proof is read
        alone into a temporary file, never all of them in memory."""
        self.ensure_one()
        lines = self.env["cartera.dunning.line"].search(
            [("run_id", "=", self.id), ("state", "=", "printed"),
             ("attachment_id", "!=", False)], order="partner_id, id")
        proof_ids = []
        for proof_id in lines.mapped("attachment_id").ids:
            if proof_id not in proof_ids:
                proof_ids.append(proof_id)
        if not proof_ids or (self.letter_attachment_id and set(
                self._letter_proof_ids()) == set(proof_ids)):
            return
        Attachment = self.env["ir.attachment"]
        with tempfile.TemporaryDirectory(prefix="cartera-letters-") as tmp:
            paths = []
            for number, proof_id in enumerate(proof_ids):
                # Browsed alone: reading ``datas`` of a recordset computes
                # it for every record prefetched with it.
                proof = Attachment.browse(proof_id)
                path = os.path.join(tmp, "letter-%06d.pdf" % number)
                with open(path, "wb") as handle:
                    handle.write(base64.b64decode(proof.datas or b""))
                proof.invalidate_cache(["datas"], [proof_id])
                paths.append(path)
            joined = os.path.join(tmp, "joined.pdf")
            join_pdf_files(paths, joined, tmp)
            # Odoo 11's ir.attachment takes the file as base64 ``datas``
            # only (no raw field): the final file is read once and held
            # here as that one base64 copy (its raw bytes are freed once
            # encoded); Odoo decodes it to write it to the filestore.
            with open(joined, "rb") as handle:
                encoded = base64.b64encode(handle.read())
        name = _("Letters %s.pdf") % self.name
        old = self.letter_attachment_id
        self.letter_attachment_id = Attachment.create({
            "name": name, "datas_fname": name, "type": "binary",
            "mimetype": "application/pdf",
            "description": ",".join(str(i) for i in proof_ids),
            "datas": encoded,
            "res_model": self._name, "res_id": self.id})
        del encoded
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


def join_pdf_files(paths, output, workdir, batch_size=JOIN_BATCH):
    """Join the PDF files ``paths``, in their order, into the file
    ``output``. PyPDF2 keeps each source file open until the joined file
    is written and holds the pages it copies: the sources are joined
    ``batch_size`` at a time into intermediate files in ``workdir``,
    then those are joined the same way, so that neither the open files
    nor a step's pages grow with the run. What Odoo renders instead of
    PDFs in tests (HTML) is joined as it is, one file at a time."""
    if not all(_is_pdf(path) for path in paths):
        with open(output, "wb") as out:
            for number, path in enumerate(paths):
                if number:
                    out.write(b"\n")
                with open(path, "rb") as source:
                    shutil.copyfileobj(source, out)
        return output
    level = 0
    while len(paths) > batch_size:
        joined = []
        for start in range(0, len(paths), batch_size):
            target = os.path.join(workdir, "join-%d-%06d.pdf" % (
                level, start))
            _join_pdf_batch(paths[start:start + batch_size], target)
            joined.append(target)
        paths, level = joined, level + 1
    _join_pdf_batch(paths, output)
    return output


def _is_pdf(path):
    with open(path, "rb") as handle:
        return handle.read(4) == b"%PDF"


def _join_pdf_batch(paths, output):
    """One PDF file of the PDF files ``paths`` (read from disk, written
    to disk)."""
    with contextlib.ExitStack() as stack:
        writer = PdfFileWriter()
        for path in paths:
            reader = PdfFileReader(stack.enter_context(open(path, "rb")),
                                   strict=False)
            for number in range(reader.getNumPages()):
                writer.addPage(reader.getPage(number))
        with open(output, "wb") as out:
            writer.write(out)
