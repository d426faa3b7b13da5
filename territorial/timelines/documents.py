"""The frise des partenariats and the pas de côté as documents.

The frise: its picture (lanes × terms, a symbol and a colour per kind of partner), the
board (partners by level and by term) and the detail of each partner. The pas de côté:
for each actor, the freins (with the answer planned) and the leviers. ``frise_figure``
also draws a snapshot of the frise (a bilan's).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.common.collation import french_key
from territorial.documents import Document, DocumentBuilder, bold, charts, italic
from territorial.documents.formats import long_date
from territorial.documents.gallery import example
from territorial.timelines.exports import frise_board
from territorial.timelines.figure import KIND_STYLES, kind_label, placements
from territorial.timelines.models import TERM_ORDER, TERMS, PartnerTimeline


def _points_of_data(data: dict) -> tuple[list[str], list[charts.Point]]:
    """Lanes and points of frise data (``operations.snapshot_data``, a snapshot's data):
    each partner in the middle of its term, partners of one cell spread in the lane."""
    lanes = list(data.get("levels", []))
    cells: dict[tuple[int, str], list[dict]] = {}
    for entry in data.get("entries", []):
        if entry["level"] not in lanes:
            lanes.append(entry["level"])
        cells.setdefault((lanes.index(entry["level"]), entry["term"]), []).append(entry)
    points = []
    for (lane, term), entries in cells.items():
        count = len(entries)
        for index, entry in enumerate(entries):
            offset = 0.0 if count == 1 else (index / (count - 1) - 0.5) * min(0.8, 0.2 * count)
            points.append(charts.Point(TERM_ORDER.index(term) + 0.12, lane, offset,
                                       entry["name"], kind_label(entry["kind"])))
    return lanes, points


def frise_figure(doc: DocumentBuilder, *, timeline: PartnerTimeline | None = None,
                 data: dict | None = None, caption: str) -> None:
    """The frise's picture: from a loaded timeline (dated partners at their date), or
    from frise data (a snapshot)."""
    if timeline is not None:
        lanes = [level.label for level in timeline.levels]
        points = [charts.Point(p.x, p.lane, p.y - p.lane, p.entry.name, kind_label(p.entry.kind))
                  for p in placements(timeline)]
    else:
        lanes, points = _points_of_data(data or {})
    styles = {kind_label(kind): style for kind, style in KIND_STYLES.items()}
    terms = [str(TERMS[term]) for term in TERM_ORDER]
    doc.figure(lambda width: charts.frise(lanes, terms, points, styles, width),
               caption=caption,
               alt=_("Frise : les partenaires placés par niveau d'implication (lignes) et par "
                     "échéance (colonnes) ; la liste est dans le tableau qui suit."))


def describe_frise(timeline: PartnerTimeline, territory) -> Document:
    doc = DocumentBuilder(_("Frise des partenariats"), territory, subtitle=timeline.title)
    doc.new_section(landscape=True)
    doc.heading(_("Frise des partenariats – %(title)s", title=timeline.title))
    if timeline.starts_on and timeline.ends_on:
        doc.paragraph(_("Du %(start)s au %(end)s", start=long_date(timeline.starts_on),
                        end=long_date(timeline.ends_on)))
    doc.paragraph(ngettext("%(num)d partenaire placé.", "%(num)d partenaires placés.",
                           len(timeline.entries)))
    frise_figure(doc, timeline=timeline,
                 caption=_("Frise des partenariats – %(title)s", title=timeline.title))
    doc.heading(_("Partenaires par niveau d'implication et par échéance"), 2)
    doc.table([_("Niveau")] + [str(TERMS[term]) for term in TERM_ORDER],
              [[bold(level)] + [tuple(
                  p.entry.name + (f" ({long_date(p.entry.on_date)})"
                                  if p.entry.on_date else "") for p in placed) or ""
                  for placed in columns]
               for level, columns in frise_board(timeline)])
    doc.heading(_("Détail des partenaires"), 2)
    doc.table([_("Partenaire"), _("Type"), _("Placement"), _("Notes"), _("Contacts")],
              [[p.entry.name, kind_label(p.entry.kind), (p.level, p.when), p.entry.notes,
                tuple(f"{contact.kind_label} : {long_date(contact.on_date)}"
                      for contact in p.entry.contacts)] for p in placements(timeline)],
              landscape=True,
              empty=_("Aucun partenaire placé sur la frise."))
    return doc.build()


def describe_step_aside(timeline: PartnerTimeline, territory) -> Document:
    """Freins and leviers per actor, each frein with the answer planned."""
    doc = DocumentBuilder(_("Pas de côté : freins et leviers"), territory,
                          subtitle=timeline.title)
    doc.heading(_("Pas de côté – %(title)s", title=timeline.title))
    doc.paragraph(_("Chacun s'est mis à la place d'un acteur du territoire : quels freins et "
                    "quels leviers cet acteur peut-il avoir face au projet ? Pour chaque "
                    "frein, la réponse prévue."))
    entries = [e for e in sorted(timeline.entries, key=lambda e: french_key(e.name))
               if e.step_aside_notes]
    notes = [n for e in entries for n in e.step_aside_notes]
    unanswered = sum(1 for n in notes if n.kind == "frein" and not n.answer)
    doc.paragraph(
        ngettext("%(num)d acteur", "%(num)d acteurs", len(entries)), " · ",
        ngettext("%(num)d frein", "%(num)d freins",
                 sum(1 for n in notes if n.kind == "frein")), " · ",
        ngettext("%(num)d levier", "%(num)d leviers",
                 sum(1 for n in notes if n.kind == "levier")), " · ",
        bold(ngettext("%(num)d frein sans réponse prévue", "%(num)d freins sans réponse prévue",
                      unanswered)))
    if not entries:
        doc.paragraph(_("Aucun frein ni levier noté."))
    for entry in entries:
        doc.heading(entry.name, 2)
        freins = [n for n in entry.step_aside_notes if n.kind == "frein"]
        leviers = [n for n in entry.step_aside_notes if n.kind == "levier"]
        if freins:
            doc.table([_("Frein"), _("Catégorie"), _("Réponse prévue"), _("Noté par")],
                      [[note.text, note.category_label,
                        note.answer or italic(_("sans réponse prévue")),
                        note.author_name or "—"] for note in freins])
        if leviers:
            doc.table([_("Levier"), _("Catégorie"), _("Noté par")],
                      [[note.text, note.category_label, note.author_name or "—"]
                       for note in leviers])
    return doc.build()


def _timelines():
    from sqlalchemy import select

    from extensions import db
    from territorial.territories.models import Territory
    from territorial.timelines.queries import load_timeline

    for timeline in db.session.scalars(select(PartnerTimeline).order_by(PartnerTimeline.id)).all():
        yield load_timeline(timeline), db.session.get(Territory, timeline.territory_id)


@example("frise", "Frise des partenariats")
def _frise_examples():
    for timeline, territory in _timelines():
        if timeline.entries:
            yield timeline.title, territory, lambda tl=timeline, t=territory: \
                describe_frise(tl, t)


@example("pas-de-cote", "Pas de côté : freins et leviers")
def _step_aside_examples():
    for timeline, territory in _timelines():
        if any(entry.step_aside_notes for entry in timeline.entries):
            yield timeline.title, territory, lambda tl=timeline, t=territory: \
                describe_step_aside(tl, t)
