"""Who may act at a step of a joint project, as the charter says: the instance it names (its
members, under their own account), the porteurs, each member structure; or the coordination,
recording the act on their behalf. Refusals name those who may act.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from facilitation.joint_projects.models import JointProject, ProjectPorteur, ProjectTransition
from territorial.actors.models import Person
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, InstanceMember


@dataclass
class Acting:
    """For whom the user acts: ``kind`` "instance" (``instance_key``), "porteurs" or
    "structure" (``organisation_id``); ``may_record_on_behalf`` for coordinators."""

    kind: str
    user: object = None
    instance_key: str | None = None
    organisation_id: int | None = None
    may_record_on_behalf: bool = False


@dataclass(frozen=True)
class StepDecision:
    """The consensus decision that settles a step: the step's instance (where the decision was
    first put), the instance whose consensus took it (that one or its arbiter), the outcome."""

    decision_id: int
    instance_key: str
    decided_by_key: str
    outcome: str | None


def remaining_structures(project: JointProject, content, step) -> dict[int, str]:
    structures = charter_queries.structures(db.session.get(Charter, project.charter_id))
    acted = set(db.session.scalars(select(ProjectTransition.acting_organisation_id).where(
        ProjectTransition.project_id == project.id, ProjectTransition.step_key == step["key"])))
    return {oid: name for oid, name in structures.items() if oid not in acted}


def not_in_force_message(charter: Charter) -> str:
    return _("La charte « %(name)s » n'est pas encore adoptée : enregistrez son adoption pour que "
             "des projets communs et des décisions s'y réfèrent.",
             name=charter.content.get("name", charter.title))


def sitting_names(charter: Charter, instance_key: str, project_id: int | None) -> list[str]:
    """The people who sit in an instance (for a per-project instance, the project's)."""
    instance = charter_queries.instance_row(charter, instance_key)
    if instance is None:
        return []
    rows = charter_queries.instance_members(
        [instance.id], project_id if instance.per_project else None)[instance.id]
    return list(dict.fromkeys(m.person.full_name for m in rows))


def not_sitting(charter: Charter, instance_key: str, project_id: int | None, action: str, *,
                recorders: str | None = None) -> str:
    """« Vous ne siégez pas à l'instance « Codir » : seuls ses membres (A, B et C), ou la
    coordination pour leur compte, peuvent franchir cette étape. »"""
    name = rules.instance_name(charter.governing, instance_key)
    recorders = recorders or _("la coordination")
    names = sitting_names(charter, instance_key, project_id)
    if names:
        return _("Vous ne siégez pas à l'instance « %(instance)s » : seuls ses membres "
                 "(%(names)s), ou %(recorders)s pour leur compte, peuvent %(action)s.",
                 instance=name, names=", ".join(names), recorders=recorders, action=action)
    return _("Vous ne siégez pas à l'instance « %(instance)s », où personne ne siège encore : "
             "%(recorders)s y nomme ses membres, ou peut %(action)s pour son compte.",
             instance=name, recorders=recorders, action=action)


# Who may act ---------------------------------------------------------------------------------

def acting_person(project: JointProject, charter: Charter, step, acting: Acting
                   ) -> tuple[int | None, str | None]:
    """(the person the user acts as, or None; a French refusal or None)."""
    person_ids = charter_queries.user_person_ids(charter.territory_id, acting.user)
    person_id = None
    if acting.kind == "instance":
        instance = charter_queries.instance_row(charter, acting.instance_key)
        if instance is not None and person_ids:
            statement = select(InstanceMember.person_id).where(
                InstanceMember.instance_id == instance.id, InstanceMember.person_id.in_(person_ids))
            if instance.per_project:
                statement = statement.where(InstanceMember.joint_project_id == project.id)
            else:
                statement = statement.where(InstanceMember.joint_project_id.is_(None))
            person_id = db.session.scalar(statement.limit(1))
        if person_id is None and not acting.may_record_on_behalf:
            return None, not_sitting(charter, acting.instance_key, project.id,
                                     _("franchir cette étape"))
    elif acting.kind == "porteurs":
        if person_ids:
            porteurs = db.session.execute(select(
                ProjectPorteur.organisation_id, ProjectPorteur.person_id
            ).where(ProjectPorteur.project_id == project.id)).all()
            porteur_orgs = {row.organisation_id for row in porteurs}
            porteur_people = {row.person_id for row in porteurs if row.person_id}
            person_id = db.session.scalar(select(Person.id).where(
                Person.id.in_(person_ids),
                (Person.organisation_id.in_(porteur_orgs)) | (Person.id.in_(porteur_people or {0})),
            ).limit(1))
        if person_id is None and not acting.may_record_on_behalf:
            return None, _("Vous n'êtes pas porteur de ce projet : seuls ses porteurs, ou un "
                           "coordinateur pour leur compte, peuvent franchir cette étape.")
    elif acting.kind == "structure":
        if person_ids:
            person_id = db.session.scalar(select(Person.id).where(
                Person.id.in_(person_ids), Person.organisation_id == acting.organisation_id
            ).limit(1))
        if person_id is None and not acting.may_record_on_behalf:
            return None, _("Vous n'appartenez pas à cette structure : seule elle, ou un "
                           "coordinateur pour son compte, peut agir à cette étape.")
    return person_id, None


def acting_problem(project: JointProject, charter: Charter, step, acting: Acting) -> str | None:
    """Why this actor may not act at this step according to the charter (or None)."""
    content = charter.governing
    if "instance" in step and step.get("actor") == "porteurs" and acting.kind == "porteurs":
        return None  # « présenté par ses porteurs ou par l'un des membres du comité »
    if "instance" in step:
        if acting.kind != "instance" or acting.instance_key != step["instance"]:
            who = (rules.instance_name(content, acting.instance_key) if acting.kind == "instance"
                   else str(rules.ACTORS.get("porteurs" if acting.kind == "porteurs"
                                             else "each_structure")))
            if step.get("actor"):
                return _("D'après la charte, l'étape « %(step)s » revient à : %(actor)s ; pas à "
                         "« %(who)s ».", step=step["title"],
                         actor=rules.step_actor_label(content, step), who=who)
            return _(
                "D'après la charte, l'étape « %(step)s » revient à l'instance « %(instance)s », "
                "pas à « %(who)s ».",
                step=step["title"], instance=rules.instance_name(content, step["instance"]), who=who)
    elif step.get("actor") == "porteurs":
        if acting.kind != "porteurs":
            return _("D'après la charte, l'étape « %(step)s » revient aux porteurs du projet.",
                     step=step["title"])
    elif step.get("actor") == "each_structure":
        if acting.kind != "structure":
            return _("D'après la charte, à l'étape « %(step)s » chaque structure membre agit "
                     "pour elle-même : indiquez pour quelle structure vous agissez.",
                     step=step["title"])
        structures = charter_queries.structures(charter)
        if acting.organisation_id not in structures:
            return _("Cette structure n'est pas membre du partenariat.")
        if acting.organisation_id not in remaining_structures(project, content, step):
            return _("%(structure)s a déjà agi à l'étape « %(step)s ».",
                     structure=structures[acting.organisation_id], step=step["title"])
    return None


def decision_problem(content, step, settled_by: StepDecision | None) -> str | None:
    """Why a step that is a decision cannot be settled (or None)."""
    instance = rules.instance_name(content, step["instance"])
    if settled_by is None:
        return _("D'après la charte, à l'étape « %(step)s » l'instance « %(instance)s » décide "
                 "selon son processus de décision (énoncé, position de chaque membre, tour de "
                 "table) : soumettez-lui la décision, ou rattachez celle qu'elle a prise.",
                 step=step["title"], instance=instance)
    if settled_by.instance_key != step["instance"]:
        return _("Cette décision n'a pas été soumise à l'instance « %(instance)s », que la charte "
                 "désigne pour cette étape.", instance=instance)
    if rules.outcome_def(step, settled_by.outcome) is None:
        return _("Précisez ce que la décision tranche : %(choices)s.",
                 choices=" ou ".join(f"« {o['label']} »" for o in step.get("outcomes", [])))
    return None
