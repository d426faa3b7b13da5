"""Serving documents: one route shape, one download helper, one « Documents » entry.

    @bp.route("/<int:timeline_id>/frise.<any(docx, odt, pdf):fmt>")
    def export_document(timeline_id, fmt):
        return send_document(describe_frise(timeline), fmt)

and in the template: ``m.documents([document_links(_("Frise"), "timelines.export_document",
timeline_id=timeline.id)])``.

A document is written in the territory's language (French) whoever downloads it: the
requests of a document route (a ``fmt`` of docx, odt or pdf) are described and rendered
in that language, whatever the reader's language on the site.
"""
from __future__ import annotations

from contextlib import ExitStack

from flask import abort, g, request, url_for
from flask_babel import force_locale

from territorial.common.downloads import send_download
from territorial.documents import FORMATS, Document, render

DOCUMENT_LOCALE = "fr"  # the territory's language: the documents' words and formats


def send_document(document: Document, fmt: str):
    """The file of ``document`` in ``fmt``, downloaded under the document's own name
    (``Document.file_stem``: its kind and title, cut between two words)."""
    if fmt not in FORMATS:
        abort(404)
    return send_download(render(document, fmt), f"{document.file_stem}.{fmt}")


def document_links(label: str, endpoint: str, **values) -> tuple[str, list[tuple[str, str]]]:
    """(label, [(format label, url)…]) for the « Documents » block: Word, OpenDocument, PDF."""
    return label, [(name, url_for(endpoint, fmt=fmt, **values))
                   for fmt, (name, _mimetype) in FORMATS.items()]


def _in_document_language() -> None:
    if (request.view_args or {}).get("fmt") in FORMATS:
        stack = ExitStack()
        stack.enter_context(force_locale(DOCUMENT_LOCALE))
        g.document_language = stack


def _back_to_reader_language(_error=None) -> None:
    stack = g.pop("document_language", None)
    if stack is not None:
        stack.close()


def register_document_language(app) -> None:
    """A document route answers in the territory's language (see above)."""
    app.before_request(_in_document_language)
    app.teardown_request(_back_to_reader_language)
