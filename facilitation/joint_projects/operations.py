"""The conduct of a joint project by its working group. Operations flush, never commit;
invalid input raises ``DomainError`` (field → French message)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.joint_projects.models import (
    BUDGET_CATEGORIES,
    EVALUATION_DECISIONS,
    MEANS_KINDS,
    BudgetLine,
    JointProject,
    ProjectEvaluation,
    ProjectMeans,
    ProjectObjective,
    ProjectPorteur,
)
from territorial.actors.models import Organisation
from territorial.charters import queries as charter_queries
from territorial.charters.models import Charter
from territorial.common.errors import DomainError


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


def _check_ended(project: JointProject) -> None:
    if project.is_ended:
        raise DomainError({"__all__": _("Ce projet commun est %(status)s : il ne se conduit plus.",
                                         status=project.status_label.lower())})


def _member_structure(project: JointProject, organisation_id: int | None, field: str,
                      errors: dict[str, str], *, required: bool = False) -> None:
    if organisation_id is None:
        if required:
            errors[field] = _("Choisissez une structure membre.")
        return
    if organisation_id not in charter_queries.structures(_charter(project)):
        errors[field] = _("Choisissez une structure membre du partenariat.")


def update_conduct(project: JointProject, *, diagnostic: str = "", initial_situation: str = "",
                   desired_situation: str = "", finalites: list[str] | str = (),
                   modalities: str = "") -> JointProject:
    _check_ended(project)
    if isinstance(finalites, str):
        finalites = finalites.splitlines()
    project.diagnostic = (diagnostic or "").strip()
    project.initial_situation = (initial_situation or "").strip()
    project.desired_situation = (desired_situation or "").strip()
    project.finalites = [f.strip(" -•\t") for f in finalites if f and f.strip(" -•\t")]
    project.modalities = (modalities or "").strip()
    db.session.flush()
    return project


# Objectives --------------------------------------------------------------------------------

def add_objective(project: JointProject, *, text: str, finalite: str = "", measure: str = "",
                  due_on: date | None = None, owner_organisation_id: int | None = None
                  ) -> ProjectObjective:
    _check_ended(project)
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("Écrivez l'objectif : le résultat à atteindre.")
    _member_structure(project, owner_organisation_id, "owner_organisation_id", errors)
    if errors:
        raise DomainError(errors)
    last = db.session.scalar(select(func.max(ProjectObjective.position)).where(
        ProjectObjective.project_id == project.id)) or 0
    objective = ProjectObjective(
        territory_id=project.territory_id, project_id=project.id, text=text.strip(),
        finalite=(finalite or "").strip(), measure=(measure or "").strip(), due_on=due_on,
        owner_organisation_id=owner_organisation_id, position=last + 1)
    db.session.add(objective)
    db.session.flush()
    return objective


def update_objective(objective: ProjectObjective, project: JointProject, **fields) -> ProjectObjective:
    _check_ended(project)
    errors: dict[str, str] = {}
    if not (fields.get("text") or "").strip():
        errors["text"] = _("Écrivez l'objectif : le résultat à atteindre.")
    _member_structure(project, fields.get("owner_organisation_id"), "owner_organisation_id", errors)
    if errors:
        raise DomainError(errors)
    objective.text = fields["text"].strip()
    objective.finalite = (fields.get("finalite") or "").strip()
    objective.measure = (fields.get("measure") or "").strip()
    objective.due_on = fields.get("due_on")
    objective.owner_organisation_id = fields.get("owner_organisation_id")
    db.session.flush()
    return objective


def objectives(project: JointProject) -> list[ProjectObjective]:
    return list(db.session.scalars(
        select(ProjectObjective).where(ProjectObjective.project_id == project.id)
        .options(selectinload(ProjectObjective.owner_organisation))
        .order_by(ProjectObjective.position, ProjectObjective.id)))


# Means -------------------------------------------------------------------------------------

def add_means(project: JointProject, *, kind: str, description: str,
              organisation_id: int | None = None, informed_on: date | None = None) -> ProjectMeans:
    _check_ended(project)
    errors: dict[str, str] = {}
    if kind not in MEANS_KINDS:
        errors["kind"] = _("Choisissez la nature du moyen.")
    if not (description or "").strip():
        errors["description"] = _("Décrivez le moyen (quelle salle, quel matériel, qui…).")
    _member_structure(project, organisation_id, "organisation_id", errors)
    if errors:
        raise DomainError(errors)
    means = ProjectMeans(territory_id=project.territory_id, project_id=project.id, kind=kind,
                         description=description.strip(), organisation_id=organisation_id,
                         informed_on=informed_on)
    db.session.add(means)
    db.session.flush()
    return means


def means_of(project: JointProject) -> list[ProjectMeans]:
    return list(db.session.scalars(
        select(ProjectMeans).where(ProjectMeans.project_id == project.id)
        .options(selectinload(ProjectMeans.organisation))
        .order_by(ProjectMeans.organisation_id.is_(None), ProjectMeans.organisation_id,
                  ProjectMeans.id)))


def mark_informed(means: ProjectMeans, on: date) -> ProjectMeans:
    means.informed_on = on
    db.session.flush()
    return means


# Budget ------------------------------------------------------------------------------------

def _amount(value, field: str, errors: dict[str, str], *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = _("Indiquez un montant (0 si aucun).")
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ".")
                                                                   .replace(" ", ""))
    except InvalidOperation:
        errors[field] = _("Indiquez un montant en euros, par exemple 1250,50.")
        return None
    if amount < 0:
        errors[field] = _("Un montant ne peut être négatif.")
    return amount


def save_budget_line(project: JointProject, line: BudgetLine | None = None, *, category: str,
                     label: str, planned, actual=None, organisation_id: int | None = None
                     ) -> BudgetLine:
    _check_ended(project)
    errors: dict[str, str] = {}
    if category not in BUDGET_CATEGORIES:
        errors["category"] = _("Choisissez la nature de la ligne.")
    if not (label or "").strip():
        errors["label"] = _("Nommez la ligne (transport, billetterie, participation des familles…).")
    planned_amount = _amount(planned, "planned", errors, required=True)
    actual_amount = _amount(actual, "actual", errors, required=False)
    _member_structure(project, organisation_id, "organisation_id", errors)
    if errors:
        raise DomainError(errors)
    if line is None:
        line = BudgetLine(territory_id=project.territory_id, project_id=project.id)
        db.session.add(line)
    line.category, line.label = category, label.strip()
    line.planned, line.actual, line.organisation_id = planned_amount, actual_amount, organisation_id
    db.session.flush()
    return line


def budget_lines(project: JointProject) -> list[BudgetLine]:
    order = {key: i for i, key in enumerate(BUDGET_CATEGORIES)}
    lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.project_id == project.id)
        .options(selectinload(BudgetLine.organisation)).order_by(BudgetLine.id)))
    return sorted(lines, key=lambda line: (order.get(line.category, 99), line.id))


# Evaluation --------------------------------------------------------------------------------

def evaluate(project: JointProject, *, evaluated_on: date | None, decision: str, analysis: str = "",
             emerging_needs: str = "", adjustments: str = "", reported_on: date | None = None,
             user=None) -> ProjectEvaluation:
    """Record an evaluation; deciding to stop ends the project (status « arrêté »)."""
    errors: dict[str, str] = {}
    if project.is_ended:
        errors["__all__"] = _("Ce projet commun est %(status)s.", status=project.status_label.lower())
    if project.status != "lance" and not errors:
        errors["__all__"] = _("Un projet s'évalue une fois lancé, au terme des étapes de la charte.")
    if evaluated_on is None:
        errors["evaluated_on"] = _("Indiquez la date de l'évaluation.")
    if decision not in EVALUATION_DECISIONS:
        errors["decision"] = _("Dites si l'action est reconduite, réajustée ou arrêtée.")
    if not (analysis or "").strip():
        errors["analysis"] = _("Résumez l'analyse des indicateurs.")
    if decision == "reajuster" and not (adjustments or "").strip():
        errors["adjustments"] = _("Dites ce qui est réajusté.")
    if errors:
        raise DomainError(errors)
    evaluation = ProjectEvaluation(
        territory_id=project.territory_id, project_id=project.id, evaluated_on=evaluated_on,
        decision=decision, analysis=analysis.strip(), emerging_needs=(emerging_needs or "").strip(),
        adjustments=(adjustments or "").strip(), reported_on=reported_on,
        recorded_by_id=getattr(user, "id", None))
    db.session.add(evaluation)
    if decision == "arreter":
        project.status, project.ended_on = "arrete", evaluated_on
        project.ended_reason = _("Arrêté après évaluation.")
    db.session.flush()
    return evaluation


def evaluations(project: JointProject) -> list[ProjectEvaluation]:
    return list(db.session.scalars(
        select(ProjectEvaluation).where(ProjectEvaluation.project_id == project.id)
        .order_by(ProjectEvaluation.evaluated_on.desc(), ProjectEvaluation.id.desc())))


# Lists -------------------------------------------------------------------------------------

def porteur_names(project_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return result
    rows = db.session.execute(
        select(ProjectPorteur.project_id, Organisation.name)
        .join(Organisation, Organisation.id == ProjectPorteur.organisation_id)
        .where(ProjectPorteur.project_id.in_(project_ids))
        .order_by(ProjectPorteur.id)).all()
    for project_id, name in rows:
        result[project_id].append(name)
    return result


def delete_objective(objective: ProjectObjective) -> None:
    db.session.delete(objective)
    db.session.flush()


def delete_means(means: ProjectMeans) -> None:
    db.session.delete(means)
    db.session.flush()


def delete_budget_line(line: BudgetLine) -> None:
    db.session.delete(line)
    db.session.flush()
