"""Queries of joint projects, and the standing the policy asks about them
(``territorial.access``: « conduct »)."""
from sqlalchemy import case, func, select

from extensions import db
from facilitation.joint_projects.models import JointProject, ProjectPorteur
from territorial.access import may, person_ids, standing
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from territorial.common.collation import french


@standing("conduct", JointProject)
def conducts(project: JointProject) -> bool:
    """A member of the project's working group, or one of its porteurs, whose account is
    linked to that person."""
    people = person_ids()
    if not people:
        return False
    member = db.session.scalar(select(InstanceMember.id).where(
        InstanceMember.joint_project_id == project.id,
        InstanceMember.person_id.in_(people)).limit(1))
    porteur = db.session.scalar(select(ProjectPorteur.id).where(
        ProjectPorteur.project_id == project.id, ProjectPorteur.person_id.in_(people)).limit(1))
    return bool(member or porteur)


@standing("manage_seat", InstanceMember)
def conducts_the_seats_project(seat: InstanceMember) -> bool:
    """A seat of a joint project's working group is managed by those who conduct it."""
    if seat.joint_project_id is None:
        return False
    return may("conduct", db.session.get(JointProject, seat.joint_project_id))


# The parts of a charter's text that say who acts at a step (the whole text is some 40 KB).
STEP_PARTS = ("lifecycle", "instances", "members_called")


def _part_in_force(part: str):
    """One part of the charter's text in force (adopted if any), read by the database."""
    return case((Charter.adopted_content.is_(None), Charter.content[part]),
                else_=Charter.adopted_content[part])


_STEP_COLUMNS = tuple(_part_in_force(part) for part in STEP_PARTS)  # built once


def _in_progress(territory_id):
    return (JointProject.territory_id == territory_id) & (JointProject.status == "en_cours")


def any_in_progress(territory_id):
    """SQL condition: the territory (an id or a bound parameter) has a joint project under
    way."""
    return select(JointProject.id).where(_in_progress(territory_id)).exists()


def projects_in_progress(territory_id: int, limit: int = 5) -> list:
    """The joint projects under way, last updated first: (id, title, step key, the parts
    ``STEP_PARTS`` of the charter's text — adopted if any)."""
    rows = db.session.execute(
        select(JointProject.id, JointProject.title, JointProject.step_key,
               *_STEP_COLUMNS)
        .join(Charter, Charter.id == JointProject.charter_id)
        .where(_in_progress(territory_id))
        .order_by(JointProject.updated_at.desc()).limit(limit)).all()
    return [(id_, title, step_key,
             {part: value for part, value in zip(STEP_PARTS, parts) if value is not None})
            for id_, title, step_key, *parts in rows]


def projects_carried_by_organisation(organisation, limit: int = 20) -> list:
    """(id, title) of the joint projects an organisation carries, by title."""
    return db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.organisation_id == organisation.id)
        .order_by(french(JointProject.title))
        .limit(limit)).all()


def standing_seats_of_organisation(organisation) -> list:
    """(instance id, name, number of seats) of the standing instances where an
    organisation sits, by name."""
    return db.session.execute(
        select(CharterInstance.id, CharterInstance.name, func.count(InstanceMember.id))
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .where(InstanceMember.organisation_id == organisation.id,
               InstanceMember.joint_project_id.is_(None))
        .group_by(CharterInstance.id, CharterInstance.name)
        .order_by(french(CharterInstance.name))).all()


def seats_of_person(person, limit: int = 50) -> list:
    """The seats of a person: instance id, name and charter, function, and the joint
    project (id, title) of a working group seat."""
    return db.session.execute(
        select(CharterInstance.id, CharterInstance.name, CharterInstance.charter_id,
               InstanceMember.function, InstanceMember.joint_project_id, JointProject.title)
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .outerjoin(JointProject, JointProject.id == InstanceMember.joint_project_id)
        .where(InstanceMember.person_id == person.id)
        .order_by(CharterInstance.position, french(JointProject.title)).limit(limit)).all()


def projects_carried_by_person(person) -> list:
    """(id, title) of the joint projects a person carries, by title."""
    return db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.person_id == person.id).order_by(french(JointProject.title))).all()


def charters_by_id(charter_ids: set[int]) -> dict[int, Charter]:
    """These charters, by id."""
    return {c.id: c for c in db.session.scalars(select(Charter).where(
        Charter.id.in_(charter_ids or {0})))}


def projects_of_charter(charter: Charter) -> list[JointProject]:
    """The joint projects under a charter, by title."""
    return db.session.scalars(select(JointProject).where(
        JointProject.charter_id == charter.id).order_by(french(JointProject.title))).all()


def project_titles(territory_id: int) -> list:
    """(id, title) of the territory's joint projects, by title."""
    return db.session.execute(select(JointProject.id, JointProject.title).where(
        JointProject.territory_id == territory_id).order_by(french(JointProject.title))).all()


def projects_by_id(project_ids) -> dict[int, JointProject]:
    """These joint projects, by id (no query for none: a standing instance's page)."""
    ids = list(project_ids)
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(JointProject).where(
        JointProject.id.in_(ids)))}


def projects_query(territory_id: int, *, charter_id: int | None = None, status: str = "",
                   step: str = ""):
    """The territory's joint projects (of a charter, in a status, at a step, when given),
    last updated first."""
    statement = select(JointProject).where(JointProject.territory_id == territory_id)
    if charter_id:
        statement = statement.where(JointProject.charter_id == charter_id)
    if status:
        statement = statement.where(JointProject.status == status)
    if step:
        statement = statement.where(JointProject.step_key == step)
    return statement.order_by(JointProject.updated_at.desc(), JointProject.id.desc())


def status_counts(territory_id: int) -> dict[str, int]:
    """Status → how many of the territory's joint projects have it."""
    return dict(db.session.execute(
        select(JointProject.status, func.count()).where(JointProject.territory_id == territory_id)
        .group_by(JointProject.status)).all())


def projects_under_way(territory_id: int, limit: int = 12) -> list[JointProject]:
    """The joint projects launched or under way, last updated first."""
    return db.session.scalars(
        projects_query(territory_id).where(JointProject.status.in_(("en_cours", "lance")))
        .limit(limit)).all()
