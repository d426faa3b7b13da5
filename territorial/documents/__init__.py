"""Documents people send: described once, rendered to Word, OpenDocument and PDF.

Each capability describes its documents with ``DocumentBuilder`` (``describe_…(obj) ->
Document``); ``render(document, fmt)`` writes the file and ``send_document`` (in ``web``)
serves it. The house style (A4, Liberation Sans / Arial, header with the territory and
its logo, « page X sur Y » in the footer, tables sized from their content) lives in
``house`` and in the three writers, nowhere else.
"""
from __future__ import annotations

from io import BytesIO

from territorial.documents.builder import DocumentBuilder, bold, italic  # noqa: F401
from territorial.documents.model import Document, Run  # noqa: F401

FORMATS = {  # extension → (label shown to people, mimetype)
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("OpenDocument", "application/vnd.oasis.opendocument.text"),
    "pdf": ("PDF", "application/pdf"),
}


def render(document: Document, fmt: str) -> BytesIO:
    """The file of ``document`` in ``fmt`` (docx, odt or pdf)."""
    if fmt == "docx":
        from territorial.documents.docx_writer import to_docx

        return to_docx(document)
    if fmt == "odt":
        from territorial.documents.odt_writer import to_odt

        return to_odt(document)
    if fmt == "pdf":
        from territorial.documents.pdf_writer import to_pdf

        return to_pdf(document)
    raise ValueError(f"unknown document format: {fmt}")
