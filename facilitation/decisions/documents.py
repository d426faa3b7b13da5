"""The information note an instance sends after its meeting, as a document."""
from __future__ import annotations

from flask_babel import gettext as _

from facilitation.decisions.models import InformationNote
from territorial.documents import Document, DocumentBuilder
from territorial.documents.formats import long_date
from territorial.documents.gallery import example


def describe_note(note: InformationNote, territory) -> Document:
    doc = DocumentBuilder(note.title, territory, issued_on=note.sent_on or None,
                          kind=_("Note d'information"))
    doc.heading(note.title)
    doc.labelled(_("Destinataires"), note.recipients)
    if note.sent_on:
        doc.labelled(_("Envoyée le"), long_date(note.sent_on))
    doc.text(note.body, empty=_("La note est vide."))  # « 1. » and « - » lines are lists
    return doc.build()


@example("note-information", "Note d'information")
def _note_examples():
    from sqlalchemy import select

    from extensions import db
    from territorial.territories.models import Territory

    for note in db.session.scalars(select(InformationNote).order_by(InformationNote.id)).all():
        territory = db.session.get(Territory, note.territory_id)
        yield note.title, territory, lambda n=note, t=territory: describe_note(n, t)
