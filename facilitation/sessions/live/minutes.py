"""The compte rendu of a session: drafted when the session closes, edited by the
facilitator, downloaded (``minutes_document``) or printed.

What the session recorded (date, place, attendance, agenda, contributions by kind and
cluster, vote results) is rendered from the data, so that it is always complete; the
text the facilitator edits holds the synthesis, the decisions and the next steps. In that
text, a line starting with « ## » is a heading and « - » a bullet.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from extensions import db
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live import participation, rules, votes
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import to_local
from territorial.common import versions
from territorial.common.dates import format_datetime
from territorial.common.models import utcnow
from territorial.common.errors import DomainError
from territorial.documents.formats import french_date, hour


# The line of the draft that the facilitator replaces with the discussion's highlights:
# left as drafted, it is never printed (the minutes page warns about it).
PLACEHOLDER = _l("(Complétez ici les points saillants de la discussion.)")


# What a kind of meeting adds to its draft, by ``body_type``: a function (session) -> lines
# (a convention's yearly review adds the figures discussed and the dialogue notes).
draft_sections: dict[str, Callable[[Meeting], list[str]]] = {}


def placeholders() -> set[str]:
    """The placeholder in every language of the platform (a draft written in English may
    be printed in French)."""
    found = set()
    for code in current_app.config.get("LANGUAGES", ("fr",)):
        with force_locale(code):
            found.add(str(PLACEHOLDER))
    return found


@dataclass
class MinutesData:
    session: Meeting
    attendance: list
    agenda: list[AgendaItem]
    board: live_queries.Board
    results: list[votes.Results]
    actions: dict[int, int]
    next_session: Meeting | None
    level: dict | None

    @property
    def present(self) -> list:
        return [row for row in self.attendance if row.status == "present"]

    @property
    def excused(self) -> list:
        return [row for row in self.attendance if row.status == "excuse"]

    @property
    def to_come(self) -> bool:
        """The session has not taken place yet: not opened, and its date is ahead."""
        return self.session.status == "preparee" and self.session.starts_at > utcnow()


def next_session(session: Meeting) -> Meeting | None:
    if session.working_group_id is None:
        return None
    return db.session.scalar(
        select(Meeting).where(Meeting.working_group_id == session.working_group_id,
                                     Meeting.starts_at > session.starts_at,
                                     Meeting.id != session.id)
        .order_by(Meeting.starts_at).limit(1))


def load(session: Meeting) -> MinutesData:
    """Everything the compte rendu shows (the session's experiment and group loaded)."""
    board = live_queries.load_board(session, include_hidden=False)
    all_votes = list(reversed(votes.votes_of(session)))
    return MinutesData(
        session=session,
        attendance=participation.attendance_rows(session),
        agenda=participation.agenda(session),
        board=board,
        results=[votes.results(v) for v in all_votes],
        actions=votes.action_links(list(board.cards)),
        next_session=next_session(session),
        level=rules.participation_definitions().get(session.participation_level or ""),
    )


def when(session: Meeting) -> str:
    """« mardi 1er septembre 2026, de 14 h à 16 h », in the territory's time."""
    start, end = to_local(session.starts_at), to_local(session.ends_at)
    return _("%(day)s, de %(start)s à %(end)s", day=french_date(start.date(), "full"),
             start=hour(start), end=hour(end))


def draft_text(session: Meeting, closing: bool = False) -> str:
    """The first version of the editable part: synthesis, decisions, next steps."""
    data = load(session)
    lines = ["## " + _("Synthèse des échanges")]
    count = data.board.count
    by_kind = [f"{column.label} : {column.count}" for column in data.board.columns
               if column.count]
    lines.append(ngettext("%(num)d contribution", "%(num)d contributions", count)
                 + (" (" + " ; ".join(by_kind) + ")." if by_kind else "."))
    highlighted = [card for card in data.board.cards.values() if card.highlighted]
    if highlighted:
        lines.append(_("Points mis en avant par le groupe :"))
        lines += [f"- {card.text}" for card in highlighted]
    lines.append(str(PLACEHOLDER))
    if (section := draft_sections.get(session.body_type or "")) is not None:
        lines += ["", *section(session)]
    lines += ["", "## " + _("Décisions")]
    decisions = []
    for result in data.results:
        top = [row for row in result.rows if row.rank == 1 and row.dots > 0]
        if top:
            decisions.append(_("Vote « %(title)s » : en tête, %(cards)s (%(num)d points).",
                               title=result.vote.title,
                               cards=" ; ".join(f"« {votes.short(r.card.text, 120)} »"
                                                for r in top),
                               num=top[0].dots))
    retained = [card for card in data.board.cards.values() if card.id in data.actions]
    if retained:
        decisions.append(_("Pistes retenues, inscrites comme actions proposées au plan "
                           "d'action du groupe :"))
    lines += [f"- {d}" for d in decisions]
    lines += [f"  - {votes.short(card.text, 200)}" for card in retained]
    if not decisions:
        lines.append(_("Aucune décision formelle n'a été prise au cours de la séance."))
    lines += ["", "## " + _("Prochaines étapes")]
    following = data.next_session
    if following is not None:
        place = f", {following.place}" if following.place else ""
        lines.append("- " + _("Prochaine séance : %(title)s, le %(when)s%(place)s.",
                              title=following.title,
                              when=format_datetime(following.starts_at,
                                                   _("EEEE d MMMM y 'à' H 'h' mm")),
                              place=place))
    lines.append("- " + _("Envoi du compte rendu aux participants."))
    return "\n".join(lines)


def set_minutes(session: Meeting, text: str, version: int | None) -> None:
    """Save the edited text. ``version``: the version of the minutes the user's page showed;
    a text saved by someone else since raises ``versions.Conflict`` (who, when)."""
    versions.check(session, version)
    if len(text or "") > 50_000:
        raise DomainError(_("Le compte rendu dépasse 50 000 caractères."))
    session.minutes = (text or "").replace("\r\n", "\n").strip()
    versions.flush(session)


def redraft(session: Meeting, version: int | None = None) -> None:
    """Replace the text by a new draft from the session, if it is still the text the user's
    page showed (``version``)."""
    versions.check(session, version)
    session.minutes = draft_text(session)
    versions.flush(session)


def mark_sent(session: Meeting, sent: bool = True) -> None:
    if sent and not session.minutes.strip():
        raise DomainError(_("Le compte rendu est vide : rédigez-le avant de le marquer "
                                "comme envoyé."))
    session.minutes_sent_at = utcnow() if sent else None
    db.session.flush()


def blocks(text: str) -> list[tuple[str, str]]:
    """The edited text as (kind, text) blocks: « h2 », « h3 », « li », « li2 », « p »
    (the draft's placeholder, left unedited, is not a block)."""
    out = []
    unedited = placeholders()
    for raw in (text or "").splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped in unedited:
            continue
        if stripped.startswith("### "):
            out.append(("h3", stripped[4:].strip()))
        elif stripped.startswith("## "):
            out.append(("h2", stripped[3:].strip()))
        elif stripped.startswith(("- ", "* ")):
            out.append(("li2" if line.startswith(("  ", "\t")) else "li", stripped[2:].strip()))
        else:
            out.append(("p", stripped))
    return out


def grouped_blocks(text: str) -> list[tuple[str, object]]:
    """``blocks`` with consecutive bullets gathered in one list: ("ul", [(nested, text)])."""
    out: list[tuple[str, object]] = []
    for kind, value in blocks(text):
        if kind in ("li", "li2"):
            if not out or out[-1][0] != "ul":
                out.append(("ul", []))
            out[-1][1].append((kind == "li2", value))
        else:
            out.append((kind, value))
    return out
