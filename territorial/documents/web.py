"""Serving documents: one route shape, one download helper, one « Documents » entry.

    @bp.route("/<int:timeline_id>/frise.<any(docx, odt, pdf):fmt>")
    def export_document(timeline_id, fmt):
        return send_document(describe_frise(timeline), fmt, f"frise-{timeline.id}")

and in the template: ``m.documents([document_links(_("Frise"), "timelines.export_document",
timeline_id=timeline.id)])``.
"""
from __future__ import annotations

from flask import abort, url_for

from territorial.common.downloads import send_download
from territorial.documents import FORMATS, Document, render


def send_document(document: Document, fmt: str, stem: str):
    """The file of ``document`` in ``fmt``, downloaded as ``stem.fmt``."""
    if fmt not in FORMATS:
        abort(404)
    return send_download(render(document, fmt), f"{stem}.{fmt}")


def document_links(label: str, endpoint: str, **values) -> tuple[str, list[tuple[str, str]]]:
    """(label, [(format label, url)…]) for the « Documents » block: Word, OpenDocument, PDF."""
    return label, [(name, url_for(endpoint, fmt=fmt, **values))
                   for fmt, (name, _mimetype) in FORMATS.items()]

