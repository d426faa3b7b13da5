"""An experiment run with a method template: its cadre méthodologique, parts, deliverables,
stakeholders, themes and preparatory interviews."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.common.models import TerritoryOwned
from territorial.common.versions import Versioned

EXPERIMENT_STATUSES = {
    "preparation": _l("En préparation"),
    "en_cours": _l("En cours"),
    "terminee": _l("Terminée"),
}

DELIVERABLE_STATUSES = {
    "prevu": _l("Prévu"),
    "en_cours": _l("En cours"),
    "livre": _l("Livré"),
}

STAKEHOLDER_ROLES = {
    "pilote": _l("Pilote"),
    "partie_prenante": _l("Partie prenante à impliquer"),
}


class Experiment(TerritoryOwned, db.Model):
    __audit_name__ = _l("Expérimentation")
    __audit_link__ = ("experiments.workspace", {"experiment_id": "id"})
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_experiment_territory_status", "territory_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    method_key: Mapped[str] = mapped_column(String(60), info={"label": _l("Méthode")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    perimeter: Mapped[str] = mapped_column(
        String(300), default="", info={"label": _l("Périmètre")})
    start_date: Mapped[date] = mapped_column(Date, info={"label": _l("Date de début")})
    end_date: Mapped[date] = mapped_column(Date, info={"label": _l("Date de fin")})
    status: Mapped[str] = mapped_column(
        String(20), default="preparation",
        info={"label": _l("Statut"), "choices": EXPERIMENT_STATUSES})
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    sections: Mapped[list[CadreSection]] = relationship(
        back_populates="experiment", lazy="raise", order_by="CadreSection.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    parts: Mapped[list[Part]] = relationship(
        back_populates="experiment", lazy="raise", order_by="Part.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        back_populates="experiment", lazy="raise", order_by="Stakeholder.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="experiment", lazy="raise", order_by="Theme.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    interviews: Mapped[list[Interview]] = relationship(
        back_populates="experiment", lazy="raise", order_by="Interview.held_on",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def status_label(self) -> str:
        return str(EXPERIMENT_STATUSES.get(self.status, self.status))


class CadreSection(Versioned, TerritoryOwned, db.Model):
    """One section of the cadre méthodologique; the exposé des motifs has one row per kind
    of actor (``actor_kind``) besides its general row (``actor_kind`` None)."""
    __audit_name__ = _l("Rubrique du cadre")
    __audit_link__ = ("experiments.workspace", {"experiment_id": "experiment_id"})

    __versioned__ = ("content",)

    __table_args__ = (Index("ix_cadre_section_experiment_position", "experiment_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    key: Mapped[str] = mapped_column(String(60), info={"hidden": True})
    group_title: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Regroupement")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    position: Mapped[int] = mapped_column(default=0)
    guiding_questions: Mapped[list] = mapped_column(
        db.JSON, default=list, info={"label": _l("Questions guides")})
    help_text: Mapped[str] = mapped_column(default="", info={"label": _l("Aide")})
    example: Mapped[str] = mapped_column(default="", info={"label": _l("Exemple")})
    content: Mapped[str] = mapped_column(default="", info={"label": _l("Contenu")})
    actor_kind: Mapped[str | None] = mapped_column(String(30), info={"label": _l("Type d'acteur")})

    experiment: Mapped[Experiment] = relationship(back_populates="sections", lazy="raise")

    @property
    def is_filled(self) -> bool:
        return bool(self.content.strip())


class Part(TerritoryOwned, db.Model):
    __audit_name__ = _l("Partie de l'expérimentation")
    __audit_link__ = ("experiments.parts", {"experiment_id": "experiment_id"})
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_part_experiment_position", "experiment_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    key: Mapped[str] = mapped_column(String(60), default="", info={"hidden": True})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    objectives: Mapped[str] = mapped_column(default="", info={"label": _l("Objectifs")})
    description: Mapped[str] = mapped_column(default="", info={"label": _l("Description")})
    mode_operatoire: Mapped[str] = mapped_column(default="", info={"label": _l("Mode opératoire")})
    start_date: Mapped[date] = mapped_column(Date, info={"label": _l("Date de début")})
    end_date: Mapped[date] = mapped_column(Date, info={"label": _l("Date de fin")})
    position: Mapped[int] = mapped_column(default=0)

    experiment: Mapped[Experiment] = relationship(back_populates="parts", lazy="raise")
    deliverables: Mapped[list[Deliverable]] = relationship(
        back_populates="part", lazy="raise", order_by="Deliverable.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class Deliverable(TerritoryOwned, db.Model):
    __audit_name__ = _l("Livrable")
    __audit_link__ = ("experiments.parts", {"experiment_id": "part_id.experiment_id"})
    __table_args__ = (
        CheckConstraint("status IN ('prevu', 'en_cours', 'livre')", name="status_known"),
        Index("ix_deliverable_territory_due", "territory_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(
        ForeignKey("part.id", ondelete="CASCADE"), index=True, info={"label": _l("Partie")})
    key: Mapped[str] = mapped_column(String(60), default="", info={"hidden": True})
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    status: Mapped[str] = mapped_column(
        String(20), default="prevu", info={"label": _l("Statut"), "choices": DELIVERABLE_STATUSES})
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure porteuse")}
    )
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Personne responsable")}
    )
    due_date: Mapped[date | None] = mapped_column(Date, info={"label": _l("Échéance")})
    position: Mapped[int] = mapped_column(default=0)

    part: Mapped[Part] = relationship(back_populates="deliverables", lazy="raise")
    owner_organisation = relationship("Organisation", lazy="raise")
    owner_person = relationship("Person", lazy="raise")

    @property
    def status_label(self) -> str:
        return str(DELIVERABLE_STATUSES.get(self.status, self.status))


class Stakeholder(TerritoryOwned, db.Model):
    """A pilot or another party to involve: its positioning, what it brings, and why."""
    __audit_name__ = _l("Partie prenante")
    __audit_title__ = ("organisation_id",)
    __audit_link__ = ("experiments.roles", {"experiment_id": "experiment_id"})

    __table_args__ = (
        UniqueConstraint("experiment_id", "organisation_id", name="uq_stakeholder_pair"),
        CheckConstraint("role IN ('pilote', 'partie_prenante')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure")}
    )
    role: Mapped[str] = mapped_column(
        String(20), default="pilote", info={"label": _l("Rôle"), "choices": STAKEHOLDER_ROLES})
    positioning: Mapped[str] = mapped_column(default="", info={"label": _l("Positionnement")})
    contribution: Mapped[str] = mapped_column(default="", info={"label": _l("Contribution")})
    reason: Mapped[str] = mapped_column(default="", info={"label": _l("Raison")})
    position: Mapped[int] = mapped_column(default=0)

    experiment: Mapped[Experiment] = relationship(back_populates="stakeholders", lazy="raise")
    organisation = relationship("Organisation", lazy="raise")

    @property
    def role_label(self) -> str:
        return str(STAKEHOLDER_ROLES.get(self.role, self.role))

    def audit_label(self) -> str:
        return f"Partie prenante {self.organisation_id}"


class Theme(TerritoryOwned, db.Model):
    __audit_name__ = _l("Thème")
    __audit_link__ = ("experiments.workspace", {"experiment_id": "experiment_id"})
    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    key: Mapped[str] = mapped_column(String(60), default="", info={"hidden": True})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    experiment: Mapped[Experiment] = relationship(back_populates="themes", lazy="raise")


class Interview(TerritoryOwned, db.Model):
    """A preparatory interview with an elected official or a future participant."""
    __audit_name__ = _l("Entretien")
    __audit_title__ = ("person_id", "held_on")
    __audit_link__ = ("experiments.interviews", {"experiment_id": "experiment_id"})

    __table_args__ = (Index("ix_interview_experiment_theme", "experiment_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})
    interviewer_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Personne qui mène l'entretien")}
    )
    interviewer_name: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Nom de la personne qui mène l'entretien")})
    held_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Date")})
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="SET NULL"), index=True, info={"label": _l("Thème")}
    )
    individual_stakes: Mapped[str] = mapped_column(
        default="", info={"label": _l("Enjeux individuels")})
    territorial_stakes: Mapped[str] = mapped_column(
        default="", info={"label": _l("Enjeux territoriaux")})
    notes: Mapped[str] = mapped_column(default="", info={"label": _l("Notes")})

    experiment: Mapped[Experiment] = relationship(back_populates="interviews", lazy="raise")
    person = relationship("Person", foreign_keys=[person_id], lazy="raise")
    interviewer = relationship("Person", foreign_keys=[interviewer_person_id], lazy="raise")
    theme: Mapped[Theme | None] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"Entretien {self.id}"
