"""A participant's own cards, from their phone: corrected or withdrawn while the session is
open — never another's, and not once the facilitator has worked on the card (merged it,
put it to a vote, turned it into an action): then the participant asks the facilitator."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from facilitation.sessions.live import board, rules
from facilitation.sessions.live.models import Attendee, Contribution, DotVoteOption
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError


def own_card(session: Meeting, attendee: Attendee, card_id: int) -> Contribution:
    """The card, if this participant wrote it (a 404 otherwise: another's card is not
    even said to exist)."""
    card = db.session.get(Contribution, card_id)
    if card is None or card.session_id != session.id or card.author_attendee_id != attendee.id:
        raise DomainError(_("Cette contribution n'est pas l'une des vôtres."), status=404)
    return card


def worked_on(cards: list[Contribution]) -> set[int]:
    """Ids of the cards the facilitator has worked on (grouped, merged, in a vote, an
    action)."""
    from facilitation.sessions.live.votes import action_links

    ids = [c.id for c in cards]
    if not ids:
        return set()
    merged = set(db.session.scalars(select(Contribution.merged_into_id).where(
        Contribution.merged_into_id.in_(ids))))
    voted = set(db.session.scalars(select(DotVoteOption.contribution_id).where(
        DotVoteOption.contribution_id.in_(ids))))
    return ({c.id for c in cards if c.merged_into_id is not None or c.cluster_id is not None}
            | merged | voted
            | set(action_links(ids)))


def _check_changeable(session: Meeting, card: Contribution) -> None:
    rules.ensure_open(session)
    if card.id in worked_on([card]):
        raise DomainError(_("L'animateur a déjà travaillé cette carte (regroupée, soumise au "
                            "vote ou retenue) : pour la changer, demandez-le-lui."), status=409)


def edit_own_card(session: Meeting, attendee: Attendee, card: Contribution, text: str,
                  version: int | None) -> Contribution:
    _check_changeable(session, card)
    board.check_version(card, version)
    error = rules.text_error(text)
    if error:
        raise DomainError(error)
    card.text = text.strip()
    board.flush_checked()
    return card


def withdraw_own_card(session: Meeting, attendee: Attendee, card: Contribution) -> None:
    _check_changeable(session, card)
    db.session.delete(card)
    db.session.flush()
