"""A joint project (« projet commun ») of a partnership governed by a charter.

It walks the charter's lifecycle (``step_key`` is the step awaiting action; each act is a
``ProjectTransition``), then is conducted by its working group: diagnostic, finalités, SMART
objectives, means lent by each structure, budget (planned and actual, internal and external
costs), indicators (``territorial.indicators``, owner_type "joint_project") and evaluations.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.charters.models import Charter
from territorial.common.models import TerritoryOwned

STATUSES = {
    "en_cours": _l("En cours de validation"),
    "lance": _l("Lancé"),
    "clos": _l("Non retenu"),
    "caduc": _l("Caduc"),
    "arrete": _l("Arrêté"),
}
STATUS_TONES = {"en_cours": "info", "lance": "success", "clos": "muted", "caduc": "danger",
                "arrete": "muted"}
ENDED_STATUSES = {"clos", "caduc", "arrete"}

MEANS_KINDS = {
    "accueil": _l("Accueil du public"),
    "salle": _l("Mise à disposition de salles"),
    "materiel": _l("Matériel"),
    "salarie": _l("Salarié(e)s dédié(e)s"),
    "benevole": _l("Bénévoles dédié(e)s"),
    "intervenant": _l("Intervenants"),
    "transport": _l("Transport"),
    "prestataire": _l("Prestataire"),
    "autre": _l("Autre"),
}

BUDGET_CATEGORIES = {
    "charge_externe": _l("Charge externe"),
    "charge_interne": _l("Charge interne (valorisation des maisons)"),
    "recette_participants": _l("Participation des participants (autofinancement)"),
    "recette_financement": _l("Financement complémentaire"),
    "recette_structures": _l("Apport des structures"),
}

EVALUATION_DECISIONS = {
    "reconduire": _l("Reconduire l'action"),
    "reajuster": _l("Réajuster l'action"),
    "arreter": _l("Arrêter l'action"),
}

Amount = Numeric(12, 2, asdecimal=True)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class JointProject(TerritoryOwned, db.Model):
    __audit_name__ = _l("Projet commun")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "id"})
    __tablename__ = "joint_project"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        Index("ix_joint_project_charter_status", "charter_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    summary: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Résumé")})
    status: Mapped[str] = mapped_column(
        String(20), default="en_cours", info={"label": _l("Statut"), "choices": STATUSES})
    # hidden in the journal: each step is said there by its transition (``step_title``)
    step_key: Mapped[str | None] = mapped_column(
        String(60), info={"label": _l("Étape"), "hidden": True})
    ended_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Terminé le")})
    ended_reason: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Raison de la fin")})
    # Conduct of the project (the working group's essentials)
    diagnostic: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Diagnostic")})
    initial_situation: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Situation initiale")})
    desired_situation: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Situation souhaitée")})
    finalites: Mapped[list] = mapped_column(db.JSON, default=list, info={"label": _l("Finalités")})
    modalities: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Modalités")})
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    charter: Mapped[Charter] = relationship(lazy="raise")
    porteurs: Mapped[list[ProjectPorteur]] = relationship(
        back_populates="project", lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProjectPorteur.id",
    )

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES


class ProjectPorteur(TerritoryOwned, db.Model):
    """A structure (and possibly a person of it) carrying the project's idea."""
    __audit_name__ = _l("Porteur du projet")
    __audit_title__ = ("organisation_id", "person_id")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})

    __tablename__ = "project_porteur"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure porteuse")})
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, info={"label": _l("Personne")})

    project: Mapped[JointProject] = relationship(back_populates="porteurs", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    person: Mapped[Person | None] = relationship(lazy="raise")


class ProjectTransition(TerritoryOwned, db.Model):
    """One act of the lifecycle: which step, by whom (instance, porteurs or a structure),
    recorded by which user (for the instance, or on its behalf), when, with what."""
    __audit_name__ = _l("Étape franchie du projet")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})

    __tablename__ = "project_transition"
    __table_args__ = (
        CheckConstraint("acting_kind IN ('instance', 'porteurs', 'structure')", name="acting_kind"),
        Index("ix_project_transition_project_created", "project_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    # The keys are for the rules; the journal says the step, the outcome and who acted by
    # the labels recorded beside them (hidden: « validation_nomination » means nothing there).
    step_key: Mapped[str] = mapped_column(
        String(60), info={"label": _l("Étape"), "hidden": True})
    step_title: Mapped[str] = mapped_column(String(300), info={"label": _l("Étape")})
    outcome_key: Mapped[str | None] = mapped_column(
        String(60), info={"label": _l("Issue"), "hidden": True})
    outcome_label: Mapped[str] = mapped_column(
        String(300), default="", info={"label": _l("Issue")})
    acting_kind: Mapped[str] = mapped_column(
        String(20), info={"label": _l("Qui agit (type)"), "hidden": True})
    acting_instance_key: Mapped[str | None] = mapped_column(
        String(60), info={"label": _l("Instance qui agit"), "hidden": True})
    acting_label: Mapped[str] = mapped_column(
        String(300), default="", info={"label": _l("Qui agit")})
    acting_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure qui agit")})
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, info={"label": _l("Personne")})
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Compte")})
    on_behalf: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Pour le compte d'une autre structure")})
    completes_step: Mapped[bool] = mapped_column(
        Boolean, default=True, info={"label": _l("Termine l'étape")})
    appointee_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Personne désignée")})
    data: Mapped[dict] = mapped_column(db.JSON, default=dict, info={"hidden": True})
    notes: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Notes")})

    user = relationship("User", lazy="raise")
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id], lazy="raise")
    appointee: Mapped[Person | None] = relationship(foreign_keys=[appointee_id], lazy="raise")

    def audit_label(self) -> str:
        return self.step_title


class ProjectObjective(TerritoryOwned, db.Model):
    __audit_name__ = _l("Objectif du projet")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})
    __tablename__ = "project_objective"
    __table_args__ = (Index("ix_project_objective_project_position", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    text: Mapped[str] = mapped_column(Text, info={"label": _l("Texte")})
    finalite: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Finalité")})
    measure: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Mesure")})
    due_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Échéance")})
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure porteuse")})
    position: Mapped[int] = mapped_column(default=0)

    owner_organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return self.text[:80]


class ProjectMeans(TerritoryOwned, db.Model):
    """A means given to the project, by a member structure (lent) or from outside."""
    __audit_name__ = _l("Moyen mis à disposition")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})

    __tablename__ = "project_means"
    __table_args__ = (CheckConstraint(_in("kind", MEANS_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")})
    kind: Mapped[str] = mapped_column(
        String(20), info={"label": _l("Type de moyen"), "choices": MEANS_KINDS})
    description: Mapped[str] = mapped_column(String(500), info={"label": _l("Description")})
    informed_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Informé le")})

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(MEANS_KINDS.get(self.kind, self.kind))

    def audit_label(self) -> str:
        return self.description[:80]


class BudgetLine(TerritoryOwned, db.Model):
    __audit_name__ = _l("Ligne de budget")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})
    __tablename__ = "project_budget_line"
    __table_args__ = (
        CheckConstraint(_in("category", BUDGET_CATEGORIES), name="category"),
        CheckConstraint("planned >= 0", name="planned_positive"),
        CheckConstraint("actual IS NULL OR actual >= 0", name="actual_positive"),
        Index("ix_project_budget_line_project_category", "project_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    category: Mapped[str] = mapped_column(
        String(30), info={"label": _l("Catégorie"), "choices": BUDGET_CATEGORIES})
    label: Mapped[str] = mapped_column(String(300), info={"label": _l("Libellé")})
    planned: Mapped[Decimal] = mapped_column(
        Amount, default=Decimal("0"), info={"label": _l("Prévu"), "euros": True})
    actual: Mapped[Decimal | None] = mapped_column(Amount, info={"label": _l("Réalisé"), "euros": True})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")})

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    @property
    def category_label(self) -> str:
        return str(BUDGET_CATEGORIES.get(self.category, self.category))

    def audit_label(self) -> str:
        return self.label


class ProjectEvaluation(TerritoryOwned, db.Model):
    __audit_name__ = _l("Évaluation du projet")
    __audit_link__ = ("joint_projects.project", {"joint_project_id": "project_id"})
    __tablename__ = "project_evaluation"
    __table_args__ = (
        CheckConstraint(_in("decision", EVALUATION_DECISIONS), name="decision"),
        Index("ix_project_evaluation_project_date", "project_id", "evaluated_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("joint_project.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Projet")})
    evaluated_on: Mapped[date] = mapped_column(Date, info={"label": _l("Évaluée le")})
    analysis: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Analyse")})
    emerging_needs: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Besoins émergents")})
    decision: Mapped[str] = mapped_column(
        String(20), info={"label": _l("Décision"), "choices": EVALUATION_DECISIONS})
    adjustments: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Ajustements")})
    reported_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Rapportée le")})
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Enregistré par")})

    @property
    def decision_label(self) -> str:
        return str(EVALUATION_DECISIONS.get(self.decision, self.decision))

    def audit_label(self) -> str:
        return f"évaluation du {self.evaluated_on}"
