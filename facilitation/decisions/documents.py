"""The information note an instance sends after its meeting, as a document."""
from __future__ import annotations

import re

from flask_babel import format_date
from flask_babel import gettext as _

from facilitation.decisions.models import InformationNote
from territorial.documents import Document, DocumentBuilder
from territorial.documents.gallery import example

NUMBERED = re.compile(r"^\d+[.)]\s+")


def _body(doc: DocumentBuilder, body: str) -> None:
    """The note's text: « 1. … » lines make a numbered list (their indented lines are
    sub-items), « - » lines a bulleted one, other lines paragraphs."""
    items: list = []
    numbered = False

    def flush():
        nonlocal items
        if items:
            doc.bullets(items, numbered=numbered)
        items = []

    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if NUMBERED.match(line) or line.startswith(("- ", "• ")):
            kind = bool(NUMBERED.match(line))
            if items and kind != numbered:
                flush()
            numbered = kind
            items.append((NUMBERED.sub("", line) if kind else line[2:], []))
        elif raw.startswith((" ", "\t")) and items:
            items[-1][1].append(line)
        else:
            flush()
            doc.paragraph(line)
    flush()


def describe_note(note: InformationNote, territory) -> Document:
    doc = DocumentBuilder(note.title, territory, issued_on=note.sent_on or None)
    doc.heading(note.title)
    doc.labelled(_("Destinataires"), note.recipients)
    if note.sent_on:
        doc.labelled(_("Envoyée le"), format_date(note.sent_on, "long"))
    _body(doc, note.body)
    return doc.build()


@example("note-information", "Note d'information")
def _note_examples():
    from sqlalchemy import select

    from extensions import db
    from territorial.territories.models import Territory

    for note in db.session.scalars(select(InformationNote).order_by(InformationNote.id)).all():
        territory = db.session.get(Territory, note.territory_id)
        yield note.title, territory, lambda n=note, t=territory: describe_note(n, t)
