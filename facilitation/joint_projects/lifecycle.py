"""A joint project's walk through the charter's lifecycle: a state machine read from the charter.

Who may act at a step is what the charter names: an instance (``instance``), the porteurs of
the project (``actor: porteurs``) or each member structure in turn (``actor: each_structure``).
The user declares for whom they act (``Acting``):

* a user whose account is linked to a person (``Person.user_id``) sitting in that instance (or
  of a porteur structure, or of that structure) acts as its member;
* a coordinator (permission "edit") may record the act on behalf of the instance, porteurs or
  structure — typically from the minutes of the meeting; the record says so (``on_behalf``).

Anyone else is refused, with the names of those who may act. Skipping a step, acting for the
wrong instance, a missing outcome or a missing record are refused with a French message and
nothing is changed. Only the adopted version of the charter governs (``Charter.governing``);
before any adoption no joint project refers to it. A step that the charter makes a decision
(``decision: {level: …}``) is settled by the instance's consensus decision (``StepDecision``),
recorded by the decisions' process.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from facilitation.joint_projects.models import JointProject, ProjectPorteur, ProjectTransition
from territorial.actors.models import Organisation, Person
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, InstanceMember
from territorial.common.errors import DomainError

from facilitation.joint_projects.acting import (
    Acting,
    StepDecision,
    acting_person,
    acting_problem,
    decision_problem,
    not_in_force_message,
    remaining_structures,
)


@dataclass
class StepView:
    """Where the project stands: the step awaiting action and who acts."""

    step: Mapping | None
    index: int | None
    actor_label: str
    waiting_structures: dict[int, str] = field(default_factory=dict)


# Reading the state ---------------------------------------------------------------------------

def current_step(project: JointProject, content) -> StepView:
    step = rules.step_def(content, project.step_key) if project.step_key else None
    if step is None:
        return StepView(None, None, "")
    waiting = {}
    if step.get("actor") == "each_structure":
        waiting = remaining_structures(project, content, step)
    return StepView(step, rules.step_index(content, step["key"]),
                    rules.step_actor_label(content, step), waiting)


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


def transitions(project: JointProject) -> list[ProjectTransition]:
    """The project's acts, with who acted and who was appointed, in one query."""
    return list(db.session.scalars(
        select(ProjectTransition).where(ProjectTransition.project_id == project.id)
        .options(joinedload(ProjectTransition.user), joinedload(ProjectTransition.person),
                 joinedload(ProjectTransition.appointee))
        .order_by(ProjectTransition.created_at, ProjectTransition.id)))


# Acting --------------------------------------------------------------------------------------

def advance(project: JointProject, step_key: str, acting: Acting, *, outcome: str | None = None,
            records: Mapping[str, str] | None = None, options: Mapping[str, str] | None = None,
            appointee_id: int | None = None, notes: str = "", on: date | None = None,
            settled_by: StepDecision | None = None) -> ProjectTransition:
    """Record the act of ``step_key``; move the project to its next step when the step is done.
    A step the charter makes a decision needs the decision that settles it (``settled_by``)."""
    charter = _charter(project)
    if not charter.in_force:
        raise DomainError({"__all__": not_in_force_message(charter)})
    content = charter.governing
    records = {k: (v or "").strip() for k, v in (records or {}).items()}
    options = dict(options or {})
    step = rules.step_def(content, step_key)
    errors: dict[str, str] = {}
    if project.is_ended:
        raise DomainError({"__all__": _(
            "Ce projet commun est %(status)s : plus aucune étape ne peut être franchie.",
            status=project.status_label.lower())})
    if project.step_key is None:
        raise DomainError({"__all__": _("Toutes les étapes de la charte sont franchies.")})
    if step is None:
        raise DomainError({"__all__": _("Cette étape n'existe pas dans la charte.")})
    if step_key != project.step_key:
        current = rules.step_def(content, project.step_key)
        index = rules.step_index(content, project.step_key)
        if rules.step_index(content, step_key) > index:
            message = _("On ne saute pas d'étape : le projet en est à l'étape %(number)d "
                        "« %(title)s ».", number=index + 1, title=current["title"])
        else:
            message = _("L'étape « %(title)s » est déjà franchie.", title=step["title"])
        raise DomainError({"__all__": message})
    problem = acting_problem(project, charter, step, acting)
    if problem:
        raise DomainError({"acting": problem})
    if step.get("decision"):
        problem = decision_problem(content, step, settled_by)
        if problem:
            raise DomainError({"decision": problem})
        outcome = settled_by.outcome
        acting.may_record_on_behalf = True  # the decision's process checked who took it
    person_id, refusal = acting_person(project, charter, step, acting)
    if refusal:
        raise DomainError({"acting": refusal})
    errors.update(rules.step_input_problems(step, outcome=outcome, records=records, options=options))
    appointee = _check_appointee(charter, step, acting, appointee_id, errors)
    if errors:
        raise DomainError(errors)

    outcome_def = rules.outcome_def(step, outcome)
    acting_label = _acting_label(content, acting)
    if settled_by is not None and settled_by.decided_by_key != settled_by.instance_key:
        acting_label = _("%(instance)s, par arbitrage de « %(arbiter)s »", instance=acting_label,
                         arbiter=rules.instance_name(content, settled_by.decided_by_key))
    completes = True
    if step.get("actor") == "each_structure":
        completes = set(remaining_structures(project, content, step)) == {acting.organisation_id}
    data = {"records": {r["key"]: records.get(r["key"], "") for r in step.get("records", [])},
            "options": {name: options.get(name) for name in step.get("options", {})}}
    if settled_by is not None:
        data["decision_id"] = settled_by.decision_id
    transition = ProjectTransition(
        territory_id=project.territory_id, project_id=project.id, step_key=step["key"],
        step_title=step["title"], outcome_key=outcome_def["key"] if outcome_def else None,
        outcome_label=outcome_def["label"] if outcome_def else "", acting_kind=acting.kind,
        acting_instance_key=acting.instance_key if acting.kind == "instance" else None,
        acting_label=acting_label,
        acting_organisation_id=acting.organisation_id if acting.kind == "structure" else None,
        person_id=person_id, user_id=getattr(acting.user, "id", None),
        on_behalf=person_id is None, completes_step=completes,
        appointee_id=appointee.id if appointee else None, data=data, notes=(notes or "").strip(),
    )
    db.session.add(transition)
    if appointee is not None:
        _appoint(charter, project, step, appointee, on)
    if outcome_def and outcome_def.get("ends_project"):
        project.status, project.step_key = "clos", None
        project.ended_on = on or date.today()
        project.ended_reason = outcome_def["label"]
    elif completes:
        project.step_key = rules.next_step_key(content, step["key"])
        if project.step_key is None:
            project.status = "lance"
    db.session.flush()
    return transition


def _acting_label(content, acting: Acting) -> str:
    if acting.kind == "instance":
        return rules.instance_name(content, acting.instance_key)
    if acting.kind == "porteurs":
        return str(rules.ACTORS["porteurs"])
    organisation = db.session.get(Organisation, acting.organisation_id)
    return organisation.name if organisation else ""


def _check_appointee(charter: Charter, step, acting: Acting, appointee_id: int | None,
                     errors: dict[str, str]) -> Person | None:
    appoints = step.get("appoints")
    if not appoints:
        return None
    function = rules.function_labels(charter.governing).get(appoints["function"],
                                                             appoints["function"])
    person = db.session.get(Person, appointee_id) if appointee_id else None
    if person is None or person.territory_id != charter.territory_id:
        errors["appointee_id"] = _("Choisissez la personne nommée « %(function)s ».",
                                   function=function)
        return None
    structures = charter_queries.structures(charter)
    if acting.kind == "structure" and person.organisation_id != acting.organisation_id:
        errors["appointee_id"] = _("Chaque structure nomme une personne de chez elle.")
    elif person.organisation_id not in structures:
        errors["appointee_id"] = _("%(person)s n'appartient à aucune structure membre.",
                                   person=person.full_name)
    return person


def _appoint(charter: Charter, project: JointProject, step, person: Person, on: date | None) -> None:
    appoints = step["appoints"]
    for key in appoints["instances"]:
        instance = charter_queries.instance_row(charter, key)
        if instance is None:
            continue
        exists = db.session.scalar(select(InstanceMember.id).where(
            InstanceMember.instance_id == instance.id, InstanceMember.person_id == person.id,
            InstanceMember.function == appoints["function"],
            InstanceMember.joint_project_id == project.id))
        if exists:
            continue
        db.session.add(InstanceMember(
            territory_id=charter.territory_id, instance_id=instance.id,
            joint_project_id=project.id if instance.per_project else None,
            person_id=person.id, organisation_id=person.organisation_id,
            function=appoints["function"], started_on=on or date.today(),
            mandate=_("Nommé(e) à l'étape « %(step)s »", step=step["title"]),
        ))


def create_project(charter: Charter, *, title: str, summary: str = "",
                   porteur_organisation_ids=(), porteur_person_id: int | None = None,
                   acting: Acting, records=None, options=None, notes: str = "",
                   on: date | None = None) -> JointProject:
    """A new joint project: the idea is born (the charter's first step, acted by its porteurs)."""
    if not charter.in_force:
        raise DomainError({"__all__": not_in_force_message(charter)})
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Donnez un titre au projet commun.")
    structures = charter_queries.structures(charter)
    porteur_ids = [oid for oid in dict.fromkeys(porteur_organisation_ids) if oid]
    if not porteur_ids:
        errors["porteurs"] = _("Indiquez au moins une structure porteuse de l'idée.")
    elif any(oid not in structures for oid in porteur_ids):
        errors["porteurs"] = _("Les porteurs sont des structures membres du partenariat.")
    person = db.session.get(Person, porteur_person_id) if porteur_person_id else None
    if porteur_person_id and (person is None or person.organisation_id not in porteur_ids):
        errors["porteur_person_id"] = _("La personne porteuse appartient à une structure porteuse.")
    steps = rules.lifecycle(charter.governing)
    first = steps[0]
    if errors:
        errors.update(rules.step_input_problems(first, outcome=None, records=records or {},
                                                options=options or {}))
        raise DomainError(errors)
    # All or nothing: a refused first step leaves no project behind.
    with db.session.begin_nested():
        project = JointProject(territory_id=charter.territory_id, charter_id=charter.id,
                               title=title.strip(), summary=(summary or "").strip(),
                               status="en_cours", step_key=first["key"], finalites=[])
        db.session.add(project)
        db.session.flush()
        for oid in porteur_ids:
            db.session.add(ProjectPorteur(
                territory_id=charter.territory_id, project_id=project.id, organisation_id=oid,
                person_id=person.id if person is not None and person.organisation_id == oid
                else None))
        db.session.flush()
        if first.get("actor") == "porteurs":
            advance(project, first["key"], acting, records=records, options=options,
                    notes=notes, on=on)
    return project


# Lapse and reopening ----------------------------------------------------------------------------

LAPSE, REOPENING = "_caducite", "_reouverture"  # history rows, not steps of the charter


def lapse(project: JointProject, charter: Charter, *, instance_key: str, reason: str,
          user=None, on: date | None = None) -> None:
    """The charter's arbitration makes the project caduc: it stops, and its history says why."""
    if project.is_ended:
        return
    project.status, project.step_key = "caduc", None
    project.ended_on = on or date.today()
    project.ended_reason = reason
    _history(project, charter, LAPSE, _("Projet devenu caduc"), instance_key, user, reason)


def reopen(project: JointProject, charter: Charter, *, instance_key: str, reason: str,
           user=None) -> None:
    """The competent instance reopens a caduc project: it resumes where its steps stood, and the
    lapse stays in its history."""
    if project.status != "caduc":
        raise DomainError({"__all__": _("Seul un projet commun caduc peut être rouvert.")})
    done = set(db.session.scalars(select(ProjectTransition.step_key).where(
        ProjectTransition.project_id == project.id, ProjectTransition.completes_step.is_(True))))
    waiting = next((step["key"] for step in rules.lifecycle(charter.governing)
                    if step["key"] not in done), None)
    project.status = "en_cours" if waiting else "lance"
    project.step_key, project.ended_on, project.ended_reason = waiting, None, ""
    _history(project, charter, REOPENING, _("Projet rouvert"), instance_key, user, reason)


def _history(project, charter, key, title, instance_key, user, notes) -> None:
    person_id = None
    instance = charter_queries.instance_row(charter, instance_key)
    if instance is not None and user is not None:
        seats = charter_queries.members_for_user(instance, user, project.id)
        person_id = seats[0].person_id if seats else None
    db.session.add(ProjectTransition(
        territory_id=project.territory_id, project_id=project.id, step_key=key, step_title=title,
        acting_kind="instance", acting_instance_key=instance_key,
        acting_label=rules.instance_name(charter.governing, instance_key), person_id=person_id,
        user_id=getattr(user, "id", None), on_behalf=person_id is None, completes_step=False,
        data={}, notes=(notes or "").strip()))
    db.session.flush()
