"""Queries of joint projects, and the standing the policy asks about them
(``territorial.access``: « conduct »)."""
from sqlalchemy import select

from extensions import db
from facilitation.joint_projects.models import JointProject, ProjectPorteur
from territorial.access import may, person_ids, standing
from territorial.charters.models import InstanceMember


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
