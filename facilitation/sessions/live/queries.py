"""Reading a live session's board: its columns, clusters and cards with their authors, in a
fixed number of queries; a participant's cards; how many a participant posted lately; the
cards of a vote; how many people joined; the sessions the home page points to."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from extensions import db
from facilitation.sessions.live import rules
from facilitation.sessions.live.models import (
    Attendee, Cluster, Contribution, DotVote, DotVoteOption,
)
from facilitation.sessions.models import Meeting
from territorial.common.loading import rows
from territorial.common.models import utcnow

def stale_message() -> str:
    return _("Cette carte a été modifiée par quelqu'un d'autre pendant que vous la modifiiez. "
             "Voici sa version actuelle : vérifiez-la, puis enregistrez de nouveau vos "
             "changements.")


def recent_count(attendee: Attendee) -> int:
    since = utcnow() - timedelta(seconds=rules.RATE_WINDOW_SECONDS)
    return db.session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.author_attendee_id == attendee.id, Contribution.created_at >= since))


@dataclass
class Card:
    """A card of the board: its contribution, its authors, the cards merged into it. The
    fields every card's HTML reads are copied once; the others are the contribution's."""
    contribution: Contribution
    authors: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    merged: list[Contribution] = field(default_factory=list)
    dots: int = 0

    def __post_init__(self):
        c = self.contribution
        self.id, self.kind, self.text, self.cluster_id = c.id, c.kind, c.text, c.cluster_id
        self.highlighted, self.hidden = c.highlighted, c.hidden

    def __getattr__(self, name):
        return getattr(self.contribution, name)


@dataclass
class ClusterGroup:
    """The cards of a column in one cluster, or outside any (``cluster`` None). ``title``
    is the heading the group is shown under: the cluster's, « Sans regroupement » for the
    cards outside any cluster in a column that has clusters, None when it needs none."""
    cluster: Cluster | None
    cards: list[Card]
    title: str | None = None


@dataclass
class Column:
    key: str
    label: str
    groups: list[ClusterGroup]

    @property
    def count(self) -> int:
        return sum(len(g.cards) for g in self.groups)


@dataclass
class Board:
    columns: list[Column]
    clusters: list[Cluster]
    cards: dict[int, Card]
    sealed: int = 0  # cards written in silence, not revealed yet

    @property
    def count(self) -> int:
        return sum(column.count for column in self.columns)


def _authors(card: Contribution, merged: Sequence[Contribution]) -> tuple[list[str], list[str]]:
    authors, organisations = [], []
    for c in [card, *merged]:
        label = _("Anonyme") if c.anonymous else c.author_name
        if label and label not in authors:
            authors.append(label)
        if c.organisation_name and c.organisation_name not in organisations:
            organisations.append(c.organisation_name)
    return authors, organisations


def load_board(session: Meeting, *, include_hidden: bool = True) -> Board:
    """The board in three queries whatever its size: cards (merged ones included, for
    their authors), clusters, and nothing per card."""
    contributions = list(db.session.scalars(
        select(Contribution).where(Contribution.session_id == session.id)
        .order_by(Contribution.position, Contribution.id)))
    clusters = list(db.session.scalars(
        select(Cluster).where(Cluster.session_id == session.id)
        .order_by(Cluster.position, Cluster.id)))
    children: dict[int, list[Contribution]] = defaultdict(list)
    for c in contributions:
        if c.merged_into_id is not None:
            children[c.merged_into_id].append(c)
    cards: dict[int, Card] = {}
    sealed = 0
    for c in contributions:
        if c.sealed and c.merged_into_id is None:
            sealed += 1
            continue
        if c.merged_into_id is not None or (c.hidden and not include_hidden):
            continue
        authors, organisations = _authors(c, children.get(c.id, []))
        cards[c.id] = Card(c, authors, organisations, children.get(c.id, []))
    columns = []
    known_kinds = rules.kinds_for(session)
    kinds = known_kinds + [{"key": k, "label": k} for k in
                           sorted({c.kind for c in cards.values()} -
                                  {k["key"] for k in known_kinds})]
    for kind in kinds:
        in_kind = [card for card in cards.values() if card.kind == kind["key"]]
        clustered = [ClusterGroup(cluster, [c for c in in_kind if c.cluster_id == cluster.id],
                                  cluster.title) for cluster in clusters]
        clustered = [g for g in clustered if g.cards]
        # The cards outside any cluster come first, under their own heading when the
        # column has clusters (never under the last cluster's title).
        loose = ClusterGroup(None, [c for c in in_kind if c.cluster_id is None],
                             _("Sans regroupement") if clustered else None)
        groups = [loose, *clustered]
        columns.append(Column(kind["key"], kind["label"], groups))
    return Board(columns, clusters, cards, sealed)


def visible_cards(session: Meeting, kinds: Sequence[str]) -> list:
    """(id, kind, text) of the board's visible cards (neither merged, hidden nor sealed) in
    ``load_board``'s order: by column (``kinds``, the session's in order, then any other by
    name), in each the cards outside any cluster first, then each cluster's. Plain rows in
    one query, for a page that lists the cards without their authors (the votes)."""
    found = rows(
        select(Contribution.id, Contribution.kind, Contribution.text, Contribution.cluster_id,
               Cluster.position.label("cluster_position"))
        .outerjoin(Cluster, Cluster.id == Contribution.cluster_id)
        .where(Contribution.session_id == session.id, Contribution.merged_into_id.is_(None),
               Contribution.hidden.is_(False), Contribution.sealed.is_(False))
        .order_by(Contribution.position, Contribution.id))
    others = sorted({card.kind for card in found} - set(kinds))
    column = {kind: index for index, kind in enumerate([*kinds, *others])}
    return sorted(found, key=lambda card: (
        column[card.kind], card.cluster_id is not None, card.cluster_position or 0,
        card.cluster_id or 0))


def cards_of(session: Meeting, ids: Sequence[int]) -> list[Contribution]:
    ids = [int(i) for i in ids]
    if not ids:
        return []
    return list(db.session.scalars(select(Contribution).where(
        Contribution.session_id == session.id, Contribution.id.in_(ids))))


def participant_cards(session: Meeting, attendee: Attendee) -> list[Contribution]:
    return list(db.session.scalars(
        select(Contribution).where(Contribution.session_id == session.id,
                                   Contribution.author_attendee_id == attendee.id)
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())))


def phone_board(session: Meeting, view: str) -> list[Contribution]:
    """What the phones show of the board (``LiveState.phone_view``): every visible card,
    the highlighted ones, or none; never a hidden, merged or sealed card."""
    if view == "rien":
        return []
    query = select(Contribution).where(
        Contribution.session_id == session.id, Contribution.merged_into_id.is_(None),
        Contribution.hidden.is_(False), Contribution.sealed.is_(False))
    if view == "en_avant":
        query = query.where(Contribution.highlighted.is_(True))
    return list(db.session.scalars(query.order_by(Contribution.kind, Contribution.position,
                                                  Contribution.id)))


def vote_card_ids(vote: DotVote) -> set[int]:
    """The ids of the cards a vote is on."""
    return set(db.session.scalars(select(DotVoteOption.contribution_id)
                                  .where(DotVoteOption.vote_id == vote.id)))


def vote_cards(vote: DotVote) -> list[Contribution]:
    """The cards a vote is on, in the board's order."""
    return db.session.scalars(
        select(Contribution).join(DotVoteOption, DotVoteOption.contribution_id == Contribution.id)
        .where(DotVoteOption.vote_id == vote.id)
        .order_by(Contribution.kind, Contribution.position, Contribution.id)).all()


def joined_count(session: Meeting) -> int:
    """How many people joined the session from a phone or the attendance list."""
    return db.session.scalar(
        select(func.count()).select_from(Attendee)
        .where(Attendee.session_id == session.id, Attendee.joined_at.is_not(None))) or 0


def sessions_to_follow(territory_id: int, limit: int = 6) -> list:
    """Sessions under way, then closed sessions whose compte rendu is not sent yet: rows of
    (id, title, status)."""
    return rows(_to_follow_statement(limit), {"territory_id": territory_id})


@cache
def _to_follow_statement(limit: int):
    """``sessions_to_follow``'s query (its parameter ``territory_id``): built once, for the
    home page."""
    return (select(Meeting.id, Meeting.title, Meeting.status)
            .where(Meeting.territory_id == bindparam("territory_id"),
                   (Meeting.status == "ouverte")
                   | ((Meeting.status == "cloturee") & Meeting.minutes_sent_at.is_(None)))
            .order_by(Meeting.status.desc(), Meeting.starts_at.desc()).limit(limit))
