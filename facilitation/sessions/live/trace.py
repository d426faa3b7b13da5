"""The trace both ways between a session's cards and the actions they became: an action
shows the card(s) it came from, their session and their authors, with links (the card's
side — the board, the vote results, the phone — shows the action through
``votes.action_links``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from extensions import db
from facilitation.sessions.live.models import Attendee, Contribution
from facilitation.sessions.models import Meeting


@dataclass
class Author:
    name: str
    person_id: int | None


@dataclass
class CardOrigin:
    """A card an action came from, in its session, with who wrote it (merged cards'
    authors included; an anonymous card names nobody)."""

    card: Contribution
    session: Meeting
    authors: list[Author] = field(default_factory=list)


def card_origins(sources) -> list[CardOrigin]:
    """The cards among an action's sources, in three queries whatever their number."""
    ids = [s.source_id for s in sources if s.source_type == "contribution"]
    if not ids:
        return []
    cards = list(db.session.scalars(select(Contribution).where(
        (Contribution.id.in_(ids)) | (Contribution.merged_into_id.in_(ids)))
        .order_by(Contribution.id)))
    sessions = {s.id: s for s in db.session.scalars(select(Meeting).where(
        Meeting.id.in_({c.session_id for c in cards})))}
    people = dict(db.session.execute(select(Attendee.id, Attendee.person_id).where(
        Attendee.id.in_({c.author_attendee_id for c in cards if c.author_attendee_id}))).all())
    origins = []
    for card in (c for c in cards if c.id in ids):
        authors: list[Author] = []
        for written in [card] + [c for c in cards if c.merged_into_id == card.id]:
            if written.anonymous or not written.author_name:
                continue
            if written.author_name not in [a.name for a in authors]:
                authors.append(Author(written.author_name,
                                      people.get(written.author_attendee_id)))
        origins.append(CardOrigin(card, sessions[card.session_id], authors))
    return origins
