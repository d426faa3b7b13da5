"""Action plans, their axes, their actions and where each action came from.

A plan belongs to one owner (a working group, an experiment, a joint project, a
convention, a partnership) named by ``owner_type`` + ``owner_id``. Its axes are
configurable (an experiment's themes, a charter's five axes). Indicators of a plan
or of an action are ``territorial.indicators`` rows with owner_type "action_plan" /
"action".
"""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.owners import plan_owners
from territorial.common.models import TerritoryOwned
from territorial.common.versions import Versioned

PLAN_OWNER_TYPES = {
    "working_group": _l("Groupe de travail"),
    "experiment": _l("Expérimentation"),
    "joint_project": _l("Projet commun"),
    "convention": _l("Convention"),
    "partnership": _l("Partenariat"),
}

HORIZONS = {
    "court": _l("Court terme"),
    "moyen": _l("Moyen terme"),
    "long": _l("Long terme"),
}

SCOPES = {
    "participants": _l("Engagement des participants"),
    "territoire": _l("Proposition pour le territoire"),
}

STATUSES = {
    "proposee": _l("Proposée"),
    "retenue": _l("Retenue"),
    "en_cours": _l("En cours"),
    "realisee": _l("Réalisée"),
    "abandonnee": _l("Abandonnée"),
}
STATUS_TONES = {
    "proposee": "neutral",
    "retenue": "info",
    "en_cours": "warning",
    "realisee": "success",
    "abandonnee": "muted",
}

# The charter's plan: « une feuille de route organisée autour de cinq grands sujets ».
CHARTER_AXES = [
    ("financement", _l("Financement des projets communs")),
    ("communication", _l("Communication")),
    ("activites", _l("Activités partagées")),
    ("moyens", _l("Moyens humains et logistiques")),
    ("partenariat_externe", _l("Partenariat externe")),
]


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ActionPlan(TerritoryOwned, db.Model):
    __audit_name__ = _l("Plan d'action")
    __audit_link__ = ("action_plans.plan", {"plan_id": "id"})
    __table_args__ = (
        Index("ix_action_plan_owner", "owner_type", "owner_id"),
        CheckConstraint("horizon_years IS NULL OR horizon_years > 0", name="horizon_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    owner_type: Mapped[str] = mapped_column(
        String(40), info={"label": _l("Rattaché à (type)"), "choices": PLAN_OWNER_TYPES,
                          "hidden": True})
    owner_id: Mapped[int] = mapped_column(info={"label": _l("Rattaché à"), "owners": plan_owners})
    horizon_years: Mapped[int | None] = mapped_column(info={"label": _l("Durée (années)")})
    start_year: Mapped[int | None] = mapped_column(info={"label": _l("Première année")})

    axes: Mapped[list["ActionPlanAxis"]] = relationship(
        back_populates="plan", lazy="raise",
        order_by="[ActionPlanAxis.position, ActionPlanAxis.id]",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    actions: Mapped[list["Action"]] = relationship(
        back_populates="plan", lazy="raise", order_by="Action.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def period_label(self) -> str:
        if self.start_year and self.horizon_years:
            return f"{self.start_year}–{self.start_year + self.horizon_years - 1}"
        return ""


class ActionPlanAxis(TerritoryOwned, db.Model):
    __audit_name__ = _l("Axe du plan d'action")
    __audit_link__ = ("action_plans.plan", {"plan_id": "plan_id"})
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_action_plan_axis_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Plan d'action")}
    )
    key: Mapped[str] = mapped_column(String(60), info={"hidden": True})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[ActionPlan] = relationship(back_populates="axes", lazy="raise")


class Action(Versioned, TerritoryOwned, db.Model):
    __audit_name__ = _l("Action")
    __audit_link__ = ("action_plans.action", {"action_id": "id"})
    __versioned__ = ("title", "description", "axis_id", "horizon", "scope",
                     "owner_organisation_id", "contact_person_id", "start_date", "due_date",
                     "budget_amount", "funders", "means", "status", "abandon_reason", "progress")
    __table_args__ = (
        Index("ix_action_plan_position", "plan_id", "position"),
        Index("ix_action_territory_status", "territory_id", "status"),
        # With the status: the home page counts the late actions from the index alone.
        Index("ix_action_territory_due_status", "territory_id", "due_date", "status"),
        CheckConstraint(_in("horizon", HORIZONS), name="horizon"),
        CheckConstraint(_in("scope", SCOPES), name="scope"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(
            "status <> 'abandonnee' OR abandon_reason <> ''", name="abandon_reason"
        ),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date", name="dates"
        ),
        CheckConstraint("budget_amount IS NULL OR budget_amount >= 0", name="budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Plan d'action")}
    )
    axis_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_plan_axis.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Axe")}
    )
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    horizon: Mapped[str] = mapped_column(
        String(10), default="court", info={"label": _l("Horizon"), "choices": HORIZONS})
    scope: Mapped[str] = mapped_column(
        String(20), default="participants", info={"label": _l("Portée"), "choices": SCOPES})
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure porteuse")}
    )
    contact_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Personne contact")}
    )
    start_date: Mapped[date | None] = mapped_column(Date, info={"label": _l("Date de début")})
    due_date: Mapped[date | None] = mapped_column(Date, info={"label": _l("Échéance")})
    budget_amount: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2, asdecimal=True), info={"label": _l("Budget"), "euros": True})
    funders: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Financeurs")})
    means: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Moyens")})
    status: Mapped[str] = mapped_column(
        String(20), default="proposee", info={"label": _l("Statut"), "choices": STATUSES})
    abandon_reason: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Raison de l'abandon")})
    progress: Mapped[int] = mapped_column(default=0,
                                          info={"label": _l("Avancement"), "percent": True})
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[ActionPlan] = relationship(back_populates="actions", lazy="raise")
    axis: Mapped[ActionPlanAxis | None] = relationship(lazy="raise")
    owner_organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    contact_person: Mapped[Person | None] = relationship(lazy="raise")
    sources: Mapped[list["ActionSource"]] = relationship(
        back_populates="action", lazy="raise", cascade="all, delete-orphan",
        passive_deletes=True, order_by="ActionSource.id",
    )

    @property
    def horizon_label(self) -> str:
        return str(HORIZONS.get(self.horizon, self.horizon))

    @property
    def scope_label(self) -> str:
        return str(SCOPES.get(self.scope, self.scope))

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def is_closed(self) -> bool:
        return self.status in ("realisee", "abandonnee")

    def is_overdue(self, today: date) -> bool:
        return bool(self.due_date and self.due_date < today and not self.is_closed)


class ActionSource(TerritoryOwned, db.Model):
    """Where an action came from: a contribution card of a GT session, a decision…"""
    __audit_name__ = _l("Origine d'une action")
    __audit_link__ = ("action_plans.action", {"action_id": "action_id"})

    __table_args__ = (
        Index("ix_action_source_source", "source_type", "source_id"),
        UniqueConstraint("action_id", "source_type", "source_id", name="uq_action_source_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), index=True, info={"label": _l("Action")}
    )
    source_type: Mapped[str] = mapped_column(String(40), info={"label": _l("Origine (type)")})
    source_id: Mapped[int] = mapped_column(info={"label": _l("Origine")})
    label: Mapped[str] = mapped_column(String(500), default="", info={"label": _l("Libellé")})

    action: Mapped[Action] = relationship(back_populates="sources", lazy="raise")

    def audit_label(self) -> str:
        return self.label or f"{self.source_type} {self.source_id}"


class ActionProgressSnapshot(db.Model):
    """An action's status and progress as of a day: the follow-up's « progress over time ».

    One row per action and day, written by ``operations.change_status`` /
    ``set_progress`` (the audit trail records the changes too, but this table answers
    « progress by axis month by month » in one indexed query).
    """

    __table_args__ = (
        UniqueConstraint("action_id", "recorded_on", name="uq_action_progress_snapshot_day"),
        Index("ix_action_progress_snapshot_plan_day", "plan_id", "recorded_on"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    recorded_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))


@event.listens_for(Session, "before_flush")
def _fill_territory(session: Session, flush_context, instances) -> None:
    """Axes and sources take their parent's territory when it is not given."""
    for obj in session.new:
        if isinstance(obj, ActionPlanAxis) and obj.territory_id is None:
            parent = obj.__dict__.get("plan") or session.get(ActionPlan, obj.plan_id)
        elif isinstance(obj, ActionSource) and obj.territory_id is None:
            parent = obj.__dict__.get("action") or session.get(Action, obj.action_id)
        else:
            continue
        if parent is not None:
            obj.territory_id = parent.territory_id
