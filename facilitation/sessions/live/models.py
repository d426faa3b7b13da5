"""What a live session records: its running state, who attends (members and guests, the
participants who joined from a phone), the contribution cards and their clusters, and the
dot votes.

The rule « a participant never spends more dots than the vote gives » is held by the
database itself, so that it survives concurrent requests on any number of app processes:
each dot is one numbered row (``dot_number`` from 1 to the vote's number of dots), unique
per vote and participant, and a composite foreign key ties the copy of the number of dots
on the row to the vote's own number.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import facilitation.sessions.models  # noqa: F401  (Meeting, AgendaItem for the relationships)
from extensions import db
from facilitation.sessions.models import AwareDateTime
from territorial.common.models import TerritoryOwned, utcnow

ATTENDANCE_STATUSES = {
    "present": _l("Présent·e"),
    "excuse": _l("Excusé·e"),
    "absent": _l("Absent·e"),
}
ATTENDANCE_TONES = {"present": "success", "excuse": "info", "absent": "muted"}

VOTE_STATUSES = {"ouvert": _l("En cours"), "clos": _l("Clos")}

# A phone admitted by the facilitator, or waiting for their word (a member's name claimed
# from a phone, a guest beyond a room-sized number from one network).
ADMISSIONS = {"admis": _l("Admis·e"), "attente": _l("En attente de l'animateur")}

# The phases of a session, like the facilitation tools people know: silent writing (cards
# sealed: on the board and the other phones only once revealed), discussion and grouping,
# the vote.
PHASES = {
    "ecriture": _l("Écriture silencieuse"),
    "discussion": _l("Discussion et regroupement"),
    "vote": _l("Vote"),
}
# What the participants' phones show of the board.
PHONE_VIEWS = {
    "tout": _l("Toutes les cartes"),
    "en_avant": _l("Les cartes mises en avant"),
    "rien": _l("Aucune carte"),
}

# Longest text a phone may post, and a card may hold once edited or merged.
CONTRIBUTION_MAX_LENGTH = 500
CARD_MAX_LENGTH = 2000
MAX_DOTS = 20


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LiveState(TerritoryOwned, db.Model):
    """The running state of one session: the step under way and since when (the clock),
    when it was opened and closed, whether anonymous contributions are allowed."""
    __audit_name__ = _l("Déroulé d'une réunion en direct")
    __audit_link__ = ("sessions.detail", {"session_id": "session_id"})

    __tablename__ = "session_live"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), unique=True, info={"label": _l("Réunion")}
    )
    current_agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Point en cours")}
    )
    step_started_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Point commencé à")})
    opened_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Ouvert le")})
    closed_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Fermé le")})
    anonymous_allowed: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Contributions anonymes permises")})
    phase: Mapped[str] = mapped_column(String(20), default="discussion",
                                       server_default="discussion",
                                       info={"label": _l("Phase"), "choices": PHASES})
    phone_view: Mapped[str] = mapped_column(String(20), default="tout", server_default="tout",
                                            info={"label": _l("Ce que montrent les téléphones"),
                                                  "choices": PHONE_VIEWS})
    version_id: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        CheckConstraint(_in("phase", PHASES), name="phase"),
        CheckConstraint(_in("phone_view", PHONE_VIEWS), name="phone_view"),
    )
    __mapper_args__ = {"version_id_col": version_id}

    session = relationship("Meeting", lazy="raise")

    @property
    def phase_label(self) -> str:
        return str(PHASES.get(self.phase, self.phase))
    current_item = relationship("AgendaItem", lazy="raise")

    def audit_label(self) -> str:
        return f"Séance {self.session_id} (déroulé)"


class SessionRevision(db.Model):
    """How many times what the live pages of a session show has changed: one small row
    per session, bumped in the transaction of every change (``live.revision``), read in
    one query by every poll. Not an object of the territory: a counter, never audited."""

    __tablename__ = "session_revision"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(default=0)


class Attendee(TerritoryOwned, db.Model):
    """One person at one session: a member of the group or a guest added on the spot.
    A participant who joins from a phone is an attendee marked present, bound to that
    phone (``device_key``: the hash of the phone's device cookie), one attendee per
    phone and session."""
    __audit_name__ = _l("Participant à une réunion")
    __audit_link__ = ("sessions.live.attendance", {"session_id": "session_id"})

    __tablename__ = "session_attendee"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_session_attendee_person"),
        UniqueConstraint("session_id", "device_key", name="uq_session_attendee_device"),
        CheckConstraint(_in("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint("person_id IS NOT NULL OR name <> ''", name="named"),
        CheckConstraint(_in("admission", ADMISSIONS), name="admission"),
        Index("ix_session_attendee_session_status", "session_id", "status"),
        Index("ix_session_attendee_session_origin", "session_id", "origin_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")}
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, info={"label": _l("Personne")}
    )
    name: Mapped[str] = mapped_column(String(200), default="", info={"label": _l("Nom")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")}
    )
    organisation_name: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Nom de la structure")})
    status: Mapped[str] = mapped_column(
        String(20), default="present",
        info={"label": _l("Présence"), "choices": ATTENDANCE_STATUSES})
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False, info={"label": _l("Invité")})
    joined_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Arrivé à")})
    device_key: Mapped[str | None] = mapped_column(String(64))
    # The network the phone joined from (a hash of its address): guests beyond a room-sized
    # number from one network wait for the facilitator.
    origin_key: Mapped[str | None] = mapped_column(String(64), info={"hidden": True})
    admission: Mapped[str] = mapped_column(String(10), default="admis", server_default="admis",
                                           info={"label": _l("Admission"),
                                                 "choices": ADMISSIONS})
    email: Mapped[str] = mapped_column(String(254), default="", server_default="",
                                       info={"label": _l("Courriel")})

    person = relationship("Person", lazy="raise")

    @property
    def waiting(self) -> bool:
        return self.admission == "attente"

    @property
    def status_label(self) -> str:
        return str(ATTENDANCE_STATUSES.get(self.status, self.status))

    @property
    def status_tone(self) -> str:
        return ATTENDANCE_TONES.get(self.status, "neutral")

    def audit_label(self) -> str:
        return self.name or f"Participant {self.id}"


class Cluster(TerritoryOwned, db.Model):
    """A group of cards under a title (« Mobilité des jeunes », « Freins à l'embauche »)."""
    __audit_name__ = _l("Regroupement de contributions")
    __audit_link__ = ("sessions.live.board", {"session_id": "session_id"})

    __tablename__ = "contribution_cluster"
    __table_args__ = (Index("ix_contribution_cluster_session_position", "session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")}
    )
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    position: Mapped[int] = mapped_column(default=0)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}


class Contribution(TerritoryOwned, db.Model):
    """A card of the board: what one participant (or several, once merged) said at a step."""
    __audit_name__ = _l("Contribution")
    __audit_link__ = ("sessions.live.board", {"session_id": "session_id"})

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("session_id", "submission_key", name="uq_contribution_submission"),
        CheckConstraint(
            f"length(text) >= 1 AND length(text) <= {CARD_MAX_LENGTH}", name="text_length"
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_self_merged"),
        Index("ix_contribution_session_kind_position", "session_id", "kind", "position"),
        Index("ix_contribution_author_created", "author_attendee_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")}
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Point de l'ordre du jour")}
    )
    kind: Mapped[str] = mapped_column(String(40), info={"label": _l("Type de contribution")})
    text: Mapped[str] = mapped_column(Text, info={"label": _l("Texte")})
    author_attendee_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_attendee.id", ondelete="SET NULL"), info={"label": _l("Auteur")}
    )
    author_name: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Nom de l'auteur")})
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, info={"label": _l("Anonyme")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")}
    )
    organisation_name: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Nom de la structure")})
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution_cluster.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Regroupement")}
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Fusionné avec")}
    )
    position: Mapped[int] = mapped_column(default=0)
    highlighted: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Mis en avant")})
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, info={"label": _l("Masqué")})
    # Written during silent writing: seen by its author only until the facilitator reveals.
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                         info={"label": _l("Écrite en silence, pas encore révélée")})
    # The facilitator changed its text or kind: its author may no longer correct it.
    edited_by_facilitator: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(),
        info={"label": _l("Modifiée par l'animateur")})
    source: Mapped[str] = mapped_column(String(20), default="phone", info={"label": _l("Source")})
    submission_key: Mapped[str | None] = mapped_column(String(64), info={"hidden": True})
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def author_label(self) -> str:
        return "" if self.anonymous else self.author_name

    def audit_label(self) -> str:
        return self.text[:80]


class DotVote(TerritoryOwned, db.Model):
    """A dot vote on a set of cards: each participant has ``dots_per_participant`` dots."""
    __audit_name__ = _l("Vote par gommettes")
    __audit_link__ = ("sessions.live.vote_results", {"dot_vote_id": "id"})

    __tablename__ = "dot_vote"
    __table_args__ = (
        UniqueConstraint("id", "dots_per_participant", name="uq_dot_vote_id_dots"),
        CheckConstraint(
            f"dots_per_participant >= 1 AND dots_per_participant <= {MAX_DOTS}", name="dots"
        ),
        CheckConstraint(_in("status", VOTE_STATUSES), name="status"),
        # At most one vote under way per session.
        Index("uq_dot_vote_one_open", "session_id", unique=True,
              postgresql_where=text("status = 'ouvert'"), sqlite_where=text("status = 'ouvert'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")}
    )
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    dots_per_participant: Mapped[int] = mapped_column(
        default=3, info={"label": _l("Gommettes par participant")})
    status: Mapped[str] = mapped_column(
        String(10), default="ouvert", info={"label": _l("Statut"), "choices": VOTE_STATUSES})
    opened_at: Mapped[datetime] = mapped_column(
        AwareDateTime(), default=utcnow, info={"label": _l("Ouvert le")})
    closed_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Fermé le")})
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    options: Mapped[list[DotVoteOption]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
        order_by="DotVoteOption.id",
    )

    @property
    def is_open(self) -> bool:
        return self.status == "ouvert"

    @property
    def status_label(self) -> str:
        return str(VOTE_STATUSES.get(self.status, self.status))


class DotVoteOption(TerritoryOwned, db.Model):
    """A card put to the vote."""
    __audit_name__ = _l("Option d'un vote")
    __audit_title__ = ("contribution_id",)
    __audit_link__ = ("sessions.live.vote_results", {"dot_vote_id": "vote_id"})

    __tablename__ = "dot_vote_option"
    __table_args__ = (
        UniqueConstraint("vote_id", "contribution_id", name="uq_dot_vote_option_card"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("dot_vote.id", ondelete="CASCADE"), index=True, info={"label": _l("Vote")})
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Contribution")}
    )

    contribution = relationship("Contribution", lazy="raise")

    def audit_label(self) -> str:
        return f"Carte {self.contribution_id} au vote {self.vote_id}"


class Dot(TerritoryOwned, db.Model):
    """One dot a participant put on a card. Numbered 1..N per participant and vote: the
    unique constraint and the composite foreign keys make a dot beyond N impossible."""

    __tablename__ = "dot"
    __audited__ = False  # many small anonymous rows; the results are what matter
    __table_args__ = (
        UniqueConstraint("vote_id", "attendee_id", "dot_number", name="uq_dot_number"),
        CheckConstraint("dot_number >= 1 AND dot_number <= dots_allowed", name="within_allowance"),
        ForeignKeyConstraint(
            ["vote_id", "dots_allowed"], ["dot_vote.id", "dot_vote.dots_per_participant"],
            ondelete="CASCADE", name="fk_dot_vote_allowance",
        ),
        ForeignKeyConstraint(
            ["vote_id", "contribution_id"],
            ["dot_vote_option.vote_id", "dot_vote_option.contribution_id"],
            ondelete="CASCADE", name="fk_dot_vote_option_card",
        ),
        Index("ix_dot_vote_contribution", "vote_id", "contribution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by uq_dot_number and ix_dot_vote_contribution (both start with vote_id).
    vote_id: Mapped[int]
    contribution_id: Mapped[int]
    attendee_id: Mapped[int] = mapped_column(
        ForeignKey("session_attendee.id", ondelete="CASCADE"), index=True
    )
    dot_number: Mapped[int]
    dots_allowed: Mapped[int]
