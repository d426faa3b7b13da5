"""Sessions (« séances »: meetings) and their agenda items.

The model is ``Meeting`` (SQLAlchemy's ``Session`` is the database session); its table
keeps its first name, ``session``, like the ``session_id`` columns that point to it.
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    TypeDecorator,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import facilitation.working_groups.models  # noqa: F401  (WorkingGroup for the relationships)
from extensions import db
from territorial.common.models import TerritoryOwned
from territorial.common.versions import Versioned

SESSION_KINDS = {
    "lancement": _l("Réunion de lancement"),
    "gt1": _l("GT1"),
    "gt2": _l("GT2"),
    "gt3": _l("GT3"),
    "restitution": _l("Réunion de restitution"),
    "copil": _l("Copil"),
    "pleniere": _l("Plénière"),
    "codir": _l("Codir"),
    "copredir": _l("Coprédir"),
    "revue": _l("Revue"),
    "autre": _l("Autre"),
}



def kind_labels() -> dict[str, str]:
    """``SESSION_KINDS`` translated once, for a page listing many sessions."""
    return {kind: str(label) for kind, label in SESSION_KINDS.items()}


PARTICIPATION_LEVELS = {
    "consultation": _l("Consultation"),
    "concertation": _l("Concertation"),
    "participation": _l("Participation"),
}

# The sessions a working group holds (the method's GT1, GT2, GT3): without their group, nobody
# is on their attendance list and their retained pistes have no group's plan to go to.
GROUP_KINDS = ("gt1", "gt2", "gt3")

SESSION_STATUSES = {
    "preparee": _l("Préparée"),
    "ouverte": _l("Ouverte"),
    "cloturee": _l("Clôturée"),
}


class AwareDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every engine (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Meeting(Versioned, TerritoryOwned, db.Model):
    """A meeting. Its own ``version_id`` guards every change of the row; ``edit_version``
    counts the versions of the minutes, the text several people write."""
    __audit_name__ = _l("Réunion")
    __audit_link__ = ("sessions.detail", {"session_id": "id"})

    __versioned__ = ("minutes",)
    __tablename__ = "session"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="dates_in_order"),
        Index("ix_session_territory_starts_at", "territory_id", "starts_at"),
        Index("ix_session_experiment_starts_at", "experiment_id", "starts_at"),
        Index("ix_session_body", "body_type", "body_id"),
        # The meetings of a territory's charter instances (the home page's panel).
        Index("ix_session_territory_body_starts_at", "territory_id", "body_type", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(20), default="autre",
        info={"label": _l("Type de réunion"), "choices": SESSION_KINDS})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime(), info={"label": _l("Début")})
    ends_at: Mapped[datetime] = mapped_column(AwareDateTime(), info={"label": _l("Fin")})
    place: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Lieu")})
    participation_level: Mapped[str | None] = mapped_column(
        String(20), info={"label": _l("Niveau de participation"), "choices": PARTICIPATION_LEVELS})
    status: Mapped[str] = mapped_column(
        String(20), default="preparee", info={"label": _l("Statut"), "choices": SESSION_STATUSES})
    experiment_id: Mapped[int | None] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    working_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Groupe de travail")}
    )
    # Generic link to the body that meets (a charter instance, a convention…).
    body_type: Mapped[str | None] = mapped_column(
        String(40), info={"label": _l("Instance (type)")})
    body_id: Mapped[int | None] = mapped_column(info={"label": _l("Instance")})
    body_year: Mapped[int | None] = mapped_column(
        info={"label": _l("Année de l'instance")})  # the year it reviews (a yearly review)
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True, info={"hidden": True})
    minutes: Mapped[str] = mapped_column(default="", info={"label": _l("Compte rendu")})
    minutes_sent_at: Mapped[datetime | None] = mapped_column(
        AwareDateTime(), info={"label": _l("Compte rendu envoyé le")})
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    experiment = relationship("Experiment", lazy="raise")
    working_group = relationship("WorkingGroup", lazy="raise")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", lazy="raise", order_by="AgendaItem.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def kind_label(self) -> str:
        return str(SESSION_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(SESSION_STATUSES.get(self.status, self.status))

    @property
    def participation_label(self) -> str:
        if not self.participation_level:
            return ""
        return str(PARTICIPATION_LEVELS.get(self.participation_level, self.participation_level))

    @property
    def lacks_group(self) -> bool:
        """A GT of an experiment that is not attached to its working group."""
        return (self.kind in GROUP_KINDS and self.experiment_id is not None
                and self.working_group_id is None)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaItem(TerritoryOwned, db.Model):
    __audit_name__ = _l("Point de l'ordre du jour")
    __audit_link__ = ("sessions.detail", {"session_id": "session_id"})
    __tablename__ = "agenda_item"
    __table_args__ = (Index("ix_agenda_item_session_position", "session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")}
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(500), info={"label": _l("Titre")})
    duration_minutes: Mapped[int | None] = mapped_column(info={"label": _l("Durée (minutes)")})
    notes: Mapped[str] = mapped_column(default="", info={"label": _l("Notes")})
    contribution_kinds: Mapped[list] = mapped_column(
        db.JSON, default=list, info={"label": _l("Types de contributions")})
    shows_interviews: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Montre les entretiens")})

    session: Mapped[Meeting] = relationship(back_populates="agenda_items", lazy="raise")
