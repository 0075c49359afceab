# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Split a PDF printed by one wkhtmltopdf call for several documents into
one PDF per document.

wkhtmltopdf writes an outline from the headings of the HTML: each
document's first heading (the statement's title) is a top-level entry,
its sections are children. The page of each top-level entry is where a
document starts. Odoo 11 splits its saved attachments the same way
(``ir.actions.report._post_pdf``), from the named destinations; those
count every heading, so the outline's first level is read here instead.
"""
import io

from PyPDF2 import PdfFileReader, PdfFileWriter


def outline_start_pages(reader):
    """Page indexes (0-based) of the outline's top-level entries, in
    order; None when there is no outline or an entry's page is not a
    plain index (wkhtmltopdf writes indexes)."""
    root = reader.trailer["/Root"]
    # Subscripts resolve the PDF's indirect objects, get() does not.
    if "/Outlines" not in root or "/First" not in root["/Outlines"]:
        return None
    outlines = root["/Outlines"]
    dests = root["/Dests"] if "/Dests" in root else {}
    starts = []
    node = outlines["/First"]
    while node is not None:
        node = node.getObject()
        dest = node.get("/Dest")
        target = dests.get(dest) if isinstance(dest, str) else dest
        if target is None:
            return None
        page = target.getObject()[0]
        if not isinstance(page, int):
            return None
        starts.append(int(page))
        node = node.get("/Next")
    return starts


def split_by_outline(pdf_content, count):
    """``count`` PDFs, one per document of ``pdf_content``, or None when
    its outline does not give exactly ``count`` documents in page order
    (a layout with headings of its own, for instance): the caller then
    prints them one by one."""
    reader = PdfFileReader(io.BytesIO(pdf_content))
    starts = outline_start_pages(reader)
    if not starts or len(starts) != count or starts[0] != 0 or any(
            later <= earlier for earlier, later in zip(starts, starts[1:])):
        return None
    ends = starts[1:] + [reader.getNumPages()]
    documents = []
    for start, end in zip(starts, ends):
        writer = PdfFileWriter()
        for number in range(start, end):
            writer.addPage(reader.getPage(number))
        stream = io.BytesIO()
        writer.write(stream)
        documents.append(stream.getvalue())
    return documents
