"""Queries of charters, and the standings the policy asks about them
(``territorial.access``: who decides for an instance, who adopts, whose sheet)."""
from flask import g
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from territorial.access import InstanceSeat, person_ids, standing
from territorial.actors.models import Person
from territorial.charters.models import Charter, CharterMember, InstanceMember
from territorial.charters.operations import adopting_instance


def seats_of_user(instance, joint_project_id: int | None = None) -> list[InstanceMember]:
    """The seats the current user holds in an instance (through the people linked to the
    account): in the working group of ``joint_project_id`` for a per-project instance."""
    people = person_ids()
    if not people:
        return []
    statement = select(InstanceMember).where(
        InstanceMember.instance_id == instance.id, InstanceMember.person_id.in_(people))
    if instance.per_project:
        statement = statement.where(InstanceMember.joint_project_id == joint_project_id)
    else:
        statement = statement.where(InstanceMember.joint_project_id.is_(None))
    return list(db.session.scalars(statement))


@standing("decide", InstanceSeat)
def sits(seat: InstanceSeat) -> bool:
    """The members of an instance decide for it."""
    return bool(seats_of_user(seat.instance, seat.joint_project_id))


@standing("adopt", Charter)
def sits_in_the_adopting_instance(charter: Charter) -> bool:
    """The members of the instance the charter names adopt its versions."""
    instance = adopting_instance(charter)
    return instance is not None and bool(seats_of_user(instance))


@standing("edit_sheet", CharterMember)
def works_for(member: CharterMember) -> bool:
    """The people of a member structure keep its interconnaissance sheet."""
    if "person_organisations" not in g:
        g.person_organisations = set(db.session.scalars(select(Person.organisation_id).where(
            Person.territory_id == g.territory.id, Person.user_id == current_user.id)))
    return member.organisation_id in g.person_organisations
