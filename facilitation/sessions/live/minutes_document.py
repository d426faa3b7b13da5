"""The compte rendu of a session as a document: the conclusions first.

Order, as the people who read it asked: the synthesis, the decisions, the retained pistes
and the next steps (the text the facilitator edits), then the attendance, the agenda, the
vote results (chart and table, widths from content), and the cards by kind and cluster as
an annex. Pure
function of ``MinutesData``: linear in its size, no query.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from facilitation.sessions.live.minutes import MinutesData, grouped_blocks, when
from territorial.documents import Document, DocumentBuilder, bold, charts, italic
from territorial.documents.gallery import example


def _conclusions(doc: DocumentBuilder, text: str) -> None:
    """The edited text: « ## » headings, « - » bullets (one nested level), paragraphs."""
    for kind, value in grouped_blocks(text):
        if kind == "h2":
            doc.heading(value, 1)
        elif kind == "h3":
            doc.heading(value, 2)
        elif kind == "ul":
            items: list = []
            for nested, item in value:
                if nested and items:
                    items[-1] = (items[-1][0], items[-1][1] + [item])
                else:
                    items.append((item, []))
            doc.bullets(items)
        else:
            doc.paragraph(value)


def _votes(doc: DocumentBuilder, data: MinutesData) -> None:
    doc.heading(_("Résultats des votes"), 1)
    if not data.results:
        doc.paragraph(_("Aucun vote au cours de la séance."))
    for result in data.results:
        doc.heading(result.vote.title, 2)
        doc.paragraph(ngettext("%(num)d point par participant", "%(num)d points par participant",
                               result.vote.dots_per_participant), " · ",
                      ngettext("%(num)d votant", "%(num)d votants", result.voters))
        rows = result.rows
        if rows and result.total:
            shown = rows[:12]
            doc.figure(lambda width, shown=shown: charts.hbars(
                [row.card.text for row in shown], [row.dots for row in shown], width,
                xlabel=_("Points"), highlight={i for i, row in enumerate(shown) if row.rank == 1}),
                caption=_("Vote « %(title)s » : points par carte", title=result.vote.title),
                alt=_("Barres horizontales : les points reçus par chaque carte, la première en "
                      "haut ; le détail est dans le tableau qui suit."))
        doc.table([_("Rang"), _("Carte"), _("Points")],
                  [[f"{row.rank}" + (" " + _("ex æquo") if row.tied else ""), row.card.text,
                    row.dots] for row in rows], align_right=(2,))


def _facts(doc: DocumentBuilder, data: MinutesData) -> None:
    session = data.session
    doc.labelled(_("Date"), when(session))
    doc.labelled(_("Lieu"), session.place or _("non précisé"))
    if session.working_group_id and session.working_group is not None:
        doc.labelled(_("Groupe de travail"), session.working_group.title)
    if data.level:
        doc.labelled(_("Niveau de participation"),
                     f"{data.level['title']} – {data.level['definition']}")


def _agenda(doc: DocumentBuilder, data: MinutesData) -> None:
    doc.heading(_("Ordre du jour"), 1)
    doc.numbered([f"{item.title}" + (f" ({item.duration_minutes} min)"
                                     if item.duration_minutes else "") for item in data.agenda],
                 empty=_("Ordre du jour vide."))


def describe_minutes(data: MinutesData, territory) -> Document:
    """The compte rendu; for a session that has not taken place yet, the session to come
    (its agenda and who is invited), never a compte rendu of attendance « non renseignée »."""
    if data.to_come:
        return describe_session_to_come(data, territory)
    session = data.session
    title = _("Compte rendu – %(title)s", title=session.title)
    doc = DocumentBuilder(title, territory, issued_on=session.starts_at.date())
    doc.heading(title, 1)
    _facts(doc, data)
    doc.labelled(_("Participation"), ngettext("%(num)d présent·e", "%(num)d présent·es",
                                              len(data.present)) + ", " +
                 ngettext("%(num)d excusé·e", "%(num)d excusé·es", len(data.excused)))
    if session.minutes.strip():
        _conclusions(doc, session.minutes)
    else:
        doc.note(italic(_("Le compte rendu n'est pas encore rédigé : il le sera à la clôture "
                          "de la séance.")))
    doc.heading(_("Présences"), 1)
    doc.table([_("Nom"), _("Structure"), _("Présence")],
              [(row.name, row.organisation or "—",
                row.attendee.status_label if row.attendee else _("non renseignée"))
               for row in data.attendance],
              empty=_("Aucun membre ni invité n'est inscrit à cette séance."))
    _agenda(doc, data)
    _votes(doc, data)

    doc.heading(_("Annexe : les contributions"), 1)
    doc.paragraph(ngettext("%(num)d contribution, classée par nature et par regroupement.",
                           "%(num)d contributions, classées par nature et par regroupement.",
                           data.board.count) if data.board.count else
                  _("Aucune contribution n'a été déposée pendant la séance."))
    for column in data.board.columns:
        if not column.count:
            continue
        doc.heading(f"{column.label} ({column.count})", 2)
        for group in column.groups:
            if not group.cards:
                continue
            if group.title:
                doc.paragraph(bold(group.title))
            items = []
            for card in group.cards:
                who = ", ".join(card.authors + [o for o in card.organisations
                                                if o not in card.authors])
                runs = [card.text]
                if who:
                    runs.append(italic(f" — {who}"))
                if card.id in data.actions:
                    runs.append(italic(" " + _("(retenue comme action)")))
                items.append(runs)
            doc.bullets(items)
    return doc.build()


def describe_session_to_come(data: MinutesData, territory) -> Document:
    """A session that has not taken place: when and where, its agenda, who is invited."""
    session = data.session
    title = _("Séance à venir – %(title)s", title=session.title)
    doc = DocumentBuilder(title, territory)
    doc.heading(title, 1)
    doc.paragraph(italic(_("Cette séance n'a pas encore eu lieu : ce document en donne "
                           "l'ordre du jour et les personnes invitées. Le compte rendu sera "
                           "établi après la séance.")))
    _facts(doc, data)
    _agenda(doc, data)
    doc.heading(_("Personnes invitées"), 1)
    doc.table([_("Nom"), _("Structure")],
              [(row.name, row.organisation or "—") for row in data.attendance],
              empty=_("Personne n'est encore invité à cette séance."))
    return doc.build()


@example("compte-rendu", "Compte rendu de séance")
def _minutes_examples():
    """The demo's closed sessions with minutes, sessions with a vote, then a session
    without any data and a session to come (the empty cases read as words)."""
    from sqlalchemy import or_, select
    from sqlalchemy.orm import selectinload

    from extensions import db
    from facilitation.sessions.live import minutes
    from territorial.common.models import utcnow
    from facilitation.sessions.live.models import DotVote
    from facilitation.sessions.models import Meeting
    from territorial.territories.models import Territory

    sessions = db.session.scalars(
        select(Meeting).where(or_(
            Meeting.minutes != "",
            Meeting.id.in_(select(DotVote.session_id))))
        .options(selectinload(Meeting.experiment),
                 selectinload(Meeting.working_group))
        .order_by(Meeting.id).limit(4))
    sessions = list(sessions)
    shown = {session.id for session in sessions}
    for condition in (Meeting.starts_at < utcnow(), Meeting.starts_at > utcnow()):
        found = db.session.scalar(
            select(Meeting).where(condition, Meeting.status == "preparee",
                                         Meeting.minutes == "",
                                         Meeting.id.not_in(shown or {0}))
            .order_by(Meeting.starts_at.desc()).limit(1))
        if found is not None:
            sessions.append(found)
    for session in sessions:
        territory = db.session.get(Territory, session.territory_id)
        yield f"{session.id}-{session.title}", territory, \
            lambda s=session, t=territory: describe_minutes(minutes.load(s), t)
