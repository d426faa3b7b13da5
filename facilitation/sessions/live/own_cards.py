"""A participant's own cards, from their phone: corrected or withdrawn while the session is
open — never another's, and not once the facilitator has worked on the card (merged,
grouped or edited it, put it to a vote, turned it into an action): then the phone says
which, and the participant asks the facilitator."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from extensions import db
from facilitation.sessions.live import board, rules
from facilitation.sessions.live.models import Attendee, Contribution, DotVote, DotVoteOption
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError


def own_card(session: Meeting, attendee: Attendee, card_id: int) -> Contribution:
    """The card, if this participant wrote it (a 404 otherwise: another's card is not
    even said to exist)."""
    card = db.session.get(Contribution, card_id)
    if card is None or card.session_id != session.id or card.author_attendee_id != attendee.id:
        raise DomainError(_("Cette contribution n'est pas l'une des vôtres."), status=404)
    return card


def locks(cards: list[Contribution]) -> dict[int, str]:
    """Card id → why its author may no longer change it, in words, for the cards the
    facilitator really worked on (merged, retained, put to a vote, grouped, edited). A
    card stays its author's while nothing of that happened, whatever the session's phase."""
    from facilitation.sessions.live.votes import action_links

    ids = [c.id for c in cards]
    if not ids:
        return {}
    absorbed = set(db.session.scalars(select(Contribution.merged_into_id).where(
        Contribution.merged_into_id.in_(ids))))
    votes = dict(db.session.execute(
        select(DotVoteOption.contribution_id,
               func.max(case((DotVote.status == "ouvert", 1), else_=0)))
        .join(DotVote, DotVote.id == DotVoteOption.vote_id)
        .where(DotVoteOption.contribution_id.in_(ids))
        .group_by(DotVoteOption.contribution_id)).all())
    retained = action_links(ids)
    reasons = {}
    for card in cards:
        in_vote = votes.get(card.id)
        reason = _reason(card, card.id in absorbed,
                         None if in_vote is None else bool(in_vote), card.id in retained)
        if reason:
            reasons[card.id] = reason
    return reasons


def _reason(card: Contribution, absorbed: bool, in_vote: bool | None,
            retained: bool) -> str | None:
    """The first thing that happened to the card, from the most to the least binding
    (``in_vote``: True while a vote on it is open, False once it was voted on)."""
    if card.merged_into_id is not None:
        return _("fusionnée par l'animateur avec une autre carte")
    if retained:
        return _("retenue comme action par l'animateur")
    if in_vote:
        return _("le vote est ouvert : pas de correction pendant le vote")
    if in_vote is not None:
        return _("mise au vote : les points donnés portent sur ce texte")
    if absorbed:
        return _("l'animateur y a fusionné d'autres cartes")
    if card.cluster_id is not None:
        return _("regroupée par l'animateur")
    if card.edited_by_facilitator:
        return _("modifiée par l'animateur")
    return None


def _check_changeable(session: Meeting, card: Contribution) -> None:
    rules.ensure_open(session)
    reason = locks([card]).get(card.id)
    if reason:
        raise DomainError(_("Cette carte ne peut plus être changée depuis votre téléphone "
                            "(%(reason)s). Demandez à l'animateur si besoin.",
                            reason=reason), status=409)


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
