"""Decisions of a charter's instances, taken by consensus, and the information notes.

A decision follows the charter's process: its statement, each member's position, the
objections and how they were heard, the round table, the outcome, and the minutes (a session).
A blocked decision escalates along the charter's arbitration chain: a new decision of the
arbitrating instance (``escalated_from_id``), or the joint project lapses.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from facilitation.joint_projects.models import JointProject
from facilitation.sessions.models import Meeting
from territorial.actors.models import Organisation, Person
from territorial.charters.models import Charter, CharterInstance
from territorial.common.models import TerritoryOwned

OUTCOMES = {
    "pending": _l("À prendre"),
    "consensus": _l("Consensus"),
    "blocked": _l("Bloquée"),
    "escalated": _l("Portée en arbitrage"),
    "arbitrated": _l("Arbitrée"),
    "lapsed": _l("Projet caduc"),
}
OUTCOME_TONES = {"pending": "neutral", "consensus": "success", "blocked": "danger",
                 "escalated": "warning", "arbitrated": "info", "lapsed": "muted"}

POSITIONS = {
    "accord": _l("Accord"),
    "accord_reserve": _l("Accord avec réserve"),
    "objection": _l("Objection"),
    "abstention": _l("Abstention"),
    "absent": _l("Absent(e) du tour de table"),
}
POSITION_TONES = {"accord": "success", "accord_reserve": "warning", "objection": "danger",
                  "abstention": "muted", "absent": "muted"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Decision(TerritoryOwned, db.Model):
    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
        CheckConstraint("statement <> ''", name="statement_required"),
        Index("ix_decision_charter_outcome", "charter_id", "outcome"),
        Index("ix_decision_territory_decided", "territory_id", "decided_on"),
        Index("ix_decision_territory_review", "territory_id", "review_on"),
        Index("ix_decision_charter_level", "charter_id", "level"),
        Index("ix_decision_project_step", "joint_project_id", "step_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")})
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("charter_instance.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Instance")})
    joint_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("joint_project.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Projet commun")})
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("session.id", ondelete="SET NULL"), index=True, info={"label": _l("Réunion")})
    escalated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Remontée de")})
    level: Mapped[str] = mapped_column(String(60), info={"label": _l("Niveau")})
    statement: Mapped[str] = mapped_column(Text, info={"label": _l("Libellé")})
    reflection: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Réflexion préalable")})
    objections_heard: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Objections écoutées")})
    round_table: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Tour de table")})
    meaning: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Sens de la décision")})
    outcome: Mapped[str] = mapped_column(String(20), default="pending", info={"label": _l("Issue")})
    arbitration_text: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Arbitrage (texte de la charte)")})
    decided_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Date de la décision")})
    review_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("À réexaminer le")})
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Enregistré par")})
    # A lifecycle step that is a decision (« le comité de pilotage valide ou non »): the step and
    # the outcome the statement proposes; the step is recorded when the decision is taken.
    step_key: Mapped[str | None] = mapped_column(String(60), info={"label": _l("Étape du projet commun")})
    step_outcome: Mapped[str | None] = mapped_column(String(60), info={"label": _l("Ce que la décision propose")})
    # A lapse reopened by the competent instance: when, recorded by whom, why.
    reopened_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Rouverte le")})
    reopened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Rouverte par")})
    reopen_reason: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Raison de la réouverture")})
    # A decision to reopen a joint project that this lapsed decision made caduc: the project
    # reopens with its consensus.
    reopens_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Réouverture de la décision")})

    charter: Mapped[Charter] = relationship(lazy="raise")
    instance: Mapped[CharterInstance] = relationship(lazy="raise")
    joint_project: Mapped[JointProject | None] = relationship(lazy="raise")
    session: Mapped[Meeting | None] = relationship(lazy="raise")
    escalated_from: Mapped[Decision | None] = relationship(
        remote_side="Decision.id", lazy="raise", foreign_keys=[escalated_from_id])
    positions: Mapped[list[DecisionPosition]] = relationship(
        back_populates="decision", lazy="raise", cascade="all, delete-orphan",
        passive_deletes=True, order_by="DecisionPosition.id",
    )

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))

    @property
    def outcome_tone(self) -> str:
        return OUTCOME_TONES.get(self.outcome, "neutral")

    __audit_name__ = _l("Décision")
    __audit_link__ = ("decisions.decision", {"decision_id": "id"})

    def audit_label(self) -> str:
        return self.statement[:80]


class DecisionPosition(TerritoryOwned, db.Model):
    """Where one member of the instance stands at the round table."""

    __tablename__ = "decision_position"
    __table_args__ = (
        UniqueConstraint("decision_id", "person_id"),
        CheckConstraint(_in("position", POSITIONS), name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True, info={"label": _l("Décision")})
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")})
    position: Mapped[str] = mapped_column(String(20), info={"label": _l("Position")})
    comment: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Commentaire")})
    # Who entered it: the member under their own account, or someone else for them.
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Saisie par")})
    on_behalf: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Saisie pour le compte du membre")})

    decision: Mapped[Decision] = relationship(back_populates="positions", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    entered_by = relationship("User", lazy="raise")

    __audit_name__ = _l("Position au tour de table")
    __audit_link__ = ("decisions.decision", {"decision_id": "decision_id"})

    def audit_label(self) -> str:
        return getattr(self, "_audit_text", "") or _l("Position %(id)s", id=self.id)

    @property
    def position_label(self) -> str:
        return str(POSITIONS.get(self.position, self.position))

    @property
    def position_tone(self) -> str:
        return POSITION_TONES.get(self.position, "neutral")


class InformationNote(TerritoryOwned, db.Model):
    """The note an instance sends after its meeting to the other instances and the porteurs:
    the decisions taken, with their meaning."""
    __audit_name__ = _l("Note d'information")
    __audit_link__ = ("decisions.note", {"information_note_id": "id"})

    __tablename__ = "information_note"
    __table_args__ = (UniqueConstraint("session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")})
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("charter_instance.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Instance")})
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True, info={"label": _l("Réunion")})
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    recipients: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Destinataires")})
    body: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Texte")})
    sent_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Envoyée le")})
    drafted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Rédigée par")})

    session: Mapped[Meeting | None] = relationship(lazy="raise")
    instance: Mapped[CharterInstance | None] = relationship(lazy="raise")
