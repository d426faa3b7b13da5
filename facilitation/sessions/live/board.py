"""The board: contributions posted from phones (or typed by the facilitator), shaped by
the facilitator (edit, merge keeping the authors, clusters, highlight, hide, reorder), and
what the projector shows.

Cards carry a version (SQLAlchemy ``version_id_col``): an edit made on a stale version
raises ``rules.StaleError`` (the view answers 409), never overwrites silently.
Every change here moves the session's live revision (``live.revision``, by a session
listener): the ETag of the fragments the pages poll, so that an unchanged board costs a
304 after one query.
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from facilitation.sessions.live import queries, rules
from facilitation.sessions.live.models import (
    Attendee,
    Cluster,
    Contribution,
    DotVote,
    DotVoteOption,
    LiveState,
)
from facilitation.sessions.models import Meeting
from territorial.actors.models import Organisation
from territorial.common.errors import DomainError

def stale_message() -> str:
    return _("Cette carte a été modifiée par quelqu'un d'autre pendant que vous la modifiiez. "
             "Voici sa version actuelle : vérifiez-la, puis enregistrez de nouveau vos "
             "changements.")


def new_submission_key() -> str:
    return uuid.uuid4().hex


# Posting ------------------------------------------------------------------------------------

def _next_position(session_id: int, kind: str) -> int:
    last = db.session.scalar(select(func.max(Contribution.position)).where(
        Contribution.session_id == session_id, Contribution.kind == kind))
    return (last or 0) + 1


def _check_kind(session: Meeting, kind: str) -> None:
    if kind not in rules.kind_labels(session):
        raise DomainError(_("Choisissez le type de contribution."))


def post_contribution(session: Meeting, attendee: Attendee, *, kind: str, text: str,
                      submission_key: str | None = None, anonymous: bool = False,
                      organisation_id: int | None = None, organisation_name: str = "",
                      state: LiveState | None = None) -> tuple[Contribution, bool]:
    """A participant's contribution. Returns (card, created): sending the same
    ``submission_key`` twice (a double tap, a retried request) gives back the first card."""
    rules.ensure_open(session)
    if attendee.session_id != session.id:
        raise DomainError(_("Vous ne participez pas à cette séance."), status=403)
    if submission_key:
        existing = _by_submission(session, submission_key)
        if existing is not None:
            return existing, False
    _check_kind(session, kind)
    error = rules.text_error(text)
    if error:
        raise DomainError(error)
    if queries.recent_count(attendee) >= rules.RATE_LIMIT:
        raise DomainError(_(
            "Vous avez envoyé %(limit)d contributions en moins d'une minute : attendez un "
            "instant avant la suivante.", limit=rules.RATE_LIMIT), status=429)
    if anonymous and not (state and state.anonymous_allowed):
        raise DomainError(_("L'animateur n'a pas ouvert les contributions anonymes."))
    organisation = _organisation(session, organisation_id)
    card = Contribution(
        territory_id=session.territory_id, session_id=session.id, kind=kind,
        text=text.strip(), author_attendee_id=attendee.id, author_name=attendee.name,
        anonymous=anonymous,
        organisation_id=organisation.id if organisation else attendee.organisation_id,
        organisation_name=(organisation.name if organisation else
                           (organisation_name or "").strip()[:200] or attendee.organisation_name),
        agenda_item_id=state.current_agenda_item_id if state else None,
        position=_next_position(session.id, kind), source="phone",
        sealed=bool(state is not None and state.phase == "ecriture"),
        submission_key=(submission_key or None) and submission_key[:64],
    )
    if not card.submission_key:
        db.session.add(card)
        db.session.flush()
        return card, True
    try:
        with db.session.begin_nested():
            db.session.add(card)
    except IntegrityError:
        # The same submission arrived twice at once: the other request's card stands.
        existing = _by_submission(session, submission_key)
        if existing is None:
            raise
        return existing, False
    return card, True


def _by_submission(session: Meeting, key: str) -> Contribution | None:
    return db.session.scalar(select(Contribution).where(
        Contribution.session_id == session.id, Contribution.submission_key == key[:64]))


def _organisation(session: Meeting, organisation_id: int | None) -> Organisation | None:
    if not organisation_id:
        return None
    organisation = db.session.scalar(select(Organisation).where(
        Organisation.id == organisation_id, Organisation.territory_id == session.territory_id))
    if organisation is None:
        raise DomainError(_("Cette structure n'est pas un acteur du territoire."))
    return organisation


def add_card(session: Meeting, *, kind: str, text: str, author_name: str = "",
             organisation_id: int | None = None, state: LiveState | None = None) -> Contribution:
    """A card the facilitator types from the board (what someone said aloud)."""
    rules.ensure_not_closed(session)
    _check_kind(session, kind)
    error = rules.text_error(text)
    if error:
        raise DomainError(error)
    organisation = _organisation(session, organisation_id)
    card = Contribution(
        territory_id=session.territory_id, session_id=session.id, kind=kind, text=text.strip(),
        author_name=(author_name or "").strip()[:200], anonymous=False,
        organisation_id=organisation.id if organisation else None,
        organisation_name=organisation.name if organisation else "",
        agenda_item_id=state.current_agenda_item_id if state else None,
        position=_next_position(session.id, kind), source="board",
    )
    db.session.add(card)
    db.session.flush()
    return card


# Shaping --------------------------------------------------------------------------------

def check_version(obj, version: int | None) -> None:
    if version is not None and int(version) != obj.version_id:
        raise rules.StaleError(stale_message())


def flush_checked(message: str | None = None) -> None:
    """Flush a change checked against its version; a concurrent change met in the UPDATE
    is a ``StaleError`` (the failed flush is undone, so that the view can read the current
    state)."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise rules.StaleError(message or stale_message()) from error


def edit_card(session: Meeting, card: Contribution, *, text: str, kind: str,
              version: int | None) -> Contribution:
    rules.ensure_not_closed(session)
    check_version(card, version)
    _check_kind(session, kind)
    error = rules.card_text_error(text)
    if error:
        raise DomainError(error)
    if kind != card.kind:
        card.position = _next_position(session.id, kind)
    if (text.strip(), kind) != (card.text, card.kind):
        card.edited_by_facilitator = True
    card.text, card.kind = text.strip(), kind
    flush_checked()
    return card


def set_flags(session: Meeting, card: Contribution, *, highlighted: bool | None = None,
              hidden: bool | None = None) -> Contribution:
    """Set (not toggle) the flags, so that two facilitators pressing the same button
    agree instead of undoing each other."""
    rules.ensure_not_closed(session)
    if highlighted is not None:
        card.highlighted = highlighted
    if hidden is not None:
        card.hidden = hidden
    flush_checked()
    return card


def merge_cards(session: Meeting, target: Contribution, sources: Sequence[Contribution],
                *, text: str | None = None, version: int | None = None) -> Contribution:
    """Merge ``sources`` into ``target``: the sources leave the board, their authors and
    organisations are kept (shown on the target, listed in the minutes)."""
    rules.ensure_not_closed(session)
    check_version(target, version)
    sources = [s for s in sources if s.id != target.id]
    if not sources:
        raise DomainError(_("Choisissez au moins une autre carte à fusionner."))
    if target.merged_into_id is not None or any(s.merged_into_id for s in sources):
        raise DomainError(_("Une de ces cartes a déjà été fusionnée."), status=409)
    ids = [target.id] + [s.id for s in sources]
    in_open_vote = db.session.scalar(
        select(func.count()).select_from(DotVoteOption)
        .join(DotVote, DotVote.id == DotVoteOption.vote_id)
        .where(DotVote.status == "ouvert", DotVoteOption.contribution_id.in_(ids)))
    if in_open_vote:
        raise DomainError(_("Ces cartes sont soumises au vote en cours : clôturez le vote "
                                "avant de les fusionner."), status=409)
    if text is not None:
        error = rules.card_text_error(text)
        if error:
            raise DomainError(error)
        target.text = text.strip()
    source_ids = [s.id for s in sources]
    # Cards merged earlier into a source now point at the target (one level only).
    for child in db.session.scalars(
            select(Contribution).where(Contribution.merged_into_id.in_(source_ids))):
        child.merged_into_id = target.id
    for source in sources:
        source.merged_into_id = target.id
    flush_checked()
    return target


def create_cluster(session: Meeting, title: str) -> Cluster:
    rules.ensure_not_closed(session)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Donnez un titre au regroupement."))
    if len(title) > 200:
        raise DomainError(_("200 caractères au plus pour le titre du regroupement."))
    last = db.session.scalar(select(func.max(Cluster.position)).where(
        Cluster.session_id == session.id))
    cluster = Cluster(territory_id=session.territory_id, session_id=session.id, title=title,
                      position=(last or 0) + 1)
    db.session.add(cluster)
    db.session.flush()
    return cluster


def rename_cluster(session: Meeting, cluster: Cluster, title: str,
                   version: int | None) -> Cluster:
    rules.ensure_not_closed(session)
    check_version(cluster, version)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError(_("Donnez un titre de 200 caractères au plus au regroupement."))
    cluster.title = title
    flush_checked(_("Ce regroupement a été modifié entre-temps : vérifiez son titre actuel, puis "
             "recommencez."))
    return cluster


def delete_cluster(session: Meeting, cluster: Cluster) -> None:
    """The cards stay on the board, outside any cluster."""
    rules.ensure_not_closed(session)
    for card in db.session.scalars(select(Contribution).where(
            Contribution.cluster_id == cluster.id)):
        card.cluster_id = None
    db.session.delete(cluster)
    flush_checked()


def assign_cluster(session: Meeting, card: Contribution, cluster: Cluster | None
                   ) -> Contribution:
    rules.ensure_not_closed(session)
    if cluster is not None and cluster.session_id != session.id:
        raise DomainError(_("Ce regroupement n'appartient pas à la séance."))
    card.cluster_id = cluster.id if cluster else None
    card.position = _next_position(session.id, card.kind)
    flush_checked()
    return card


def _column(session: Meeting, card: Contribution) -> list[Contribution]:
    """The cards beside ``card`` on the board: same kind, same cluster, in order."""
    return list(db.session.scalars(
        select(Contribution).where(
            Contribution.session_id == session.id, Contribution.kind == card.kind,
            Contribution.merged_into_id.is_(None),
            Contribution.cluster_id.is_(None) if card.cluster_id is None
            else Contribution.cluster_id == card.cluster_id)
        .order_by(Contribution.position, Contribution.id)))


def move_card(session: Meeting, card: Contribution, offset: int) -> bool:
    """Move a card one place up (-1) or down (+1) among its neighbours (keyboard use)."""
    rules.ensure_not_closed(session)
    cards = _column(session, card)
    index = next(i for i, other in enumerate(cards) if other.id == card.id)
    target = index + offset
    if not 0 <= target < len(cards):
        return False
    cards[index], cards[target] = cards[target], cards[index]
    _renumber(cards)
    return True


def _renumber(cards: Sequence[Contribution]) -> None:
    for position, other in enumerate(cards, start=1):
        if other.position != position:
            other.position = position
    flush_checked()


def reorder(session: Meeting, kind: str, cluster_id: int | None,
            ordered_ids: Sequence[int]) -> int:
    """Drag and drop: the cards ``ordered_ids`` now sit in this order in the list of
    (kind, cluster); cards dropped there from another cluster join it. Returns how many
    cards were placed."""
    rules.ensure_not_closed(session)
    _check_kind(session, kind)
    if cluster_id is not None:
        cluster = db.session.get(Cluster, cluster_id)
        if cluster is None or cluster.session_id != session.id:
            raise DomainError(_("Ce regroupement n'appartient pas à la séance."))
    ids = [int(i) for i in ordered_ids]
    cards = {c.id: c for c in db.session.scalars(select(Contribution).where(
        Contribution.session_id == session.id, Contribution.id.in_(ids),
        Contribution.kind == kind, Contribution.merged_into_id.is_(None)))}
    if len(cards) != len(set(ids)):
        raise DomainError(_("Certaines cartes n'appartiennent pas à cette colonne."))
    for card in cards.values():
        if card.cluster_id != cluster_id:
            card.cluster_id = cluster_id
    _renumber([cards[i] for i in ids])
    return len(ids)
