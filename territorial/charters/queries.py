"""Queries of charters (templates, versions, member structures, instances and who sits
in them), and the standings the policy asks about them (``territorial.access``: who
decides for an instance, who adopts, whose sheet)."""
from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, load_only, selectinload

from extensions import db
from territorial.access import InstanceSeat, person_ids, standing
from territorial.actors import search
from territorial.actors.models import Organisation, Person
from territorial.charters.models import (
    Charter,
    CharterInstance,
    CharterMember,
    CharterVersion,
    InstanceMember,
)
from territorial.charters.record_models import Delegation, InterconnaissanceSheet
from territorial.charters.registry import templates as available_charter_templates
from territorial.common.collation import french


def seats_of_user(instance, joint_project_id: int | None = None) -> list[InstanceMember]:
    """The seats the current user holds in an instance (through the people linked to the
    account): in the working group of ``joint_project_id`` for a per-project instance."""
    return _seats_of_people(instance, person_ids(), joint_project_id)


def _seats_of_people(instance, people: list[int], joint_project_id: int | None
                     ) -> list[InstanceMember]:
    """The seats of these people in an instance: in the working group of
    ``joint_project_id`` for a per-project instance, else the standing seats."""
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


@standing("edit_sheet", CharterMember)
def works_for(member: CharterMember) -> bool:
    """The people of a member structure keep its interconnaissance sheet."""
    if "person_organisations" not in g:
        g.person_organisations = set(db.session.scalars(select(Person.organisation_id).where(
            Person.territory_id == g.territory.id, Person.user_id == current_user.id)))
    return member.organisation_id in g.person_organisations


def templates() -> dict[str, dict[str, Any]]:
    return available_charter_templates()


def get_version(charter: Charter, number: int) -> CharterVersion | None:
    return db.session.scalar(select(CharterVersion).where(
        CharterVersion.charter_id == charter.id, CharterVersion.number == number))


def versions(charter: Charter) -> list[CharterVersion]:
    return list(db.session.scalars(
        select(CharterVersion).where(CharterVersion.charter_id == charter.id)
        .options(selectinload(CharterVersion.changed_by), selectinload(CharterVersion.adopted_by))
        .order_by(CharterVersion.number.desc())))


# Statements of the charter and instance pages built once, the charter's id a bound
# parameter: SQLAlchemy computes their cache key once per process, not at each page.
_CHARTER_ID = bindparam("charter_id")
_STRUCTURES = (
    select(Organisation.id, Organisation.name)
    .join(CharterMember, CharterMember.organisation_id == Organisation.id)
    .where(CharterMember.charter_id == _CHARTER_ID)
    .order_by(CharterMember.position, french(Organisation.name)))


def structures(charter: Charter) -> dict[int, str]:
    """Organisation id → name of the member structures, in order."""
    return dict(db.session.execute(_STRUCTURES, {"charter_id": charter.id}).all())


def instance_row(charter: Charter, key: str) -> CharterInstance | None:
    return db.session.scalar(select(CharterInstance).where(
        CharterInstance.charter_id == charter.id, CharterInstance.key == key))


def instance_members(instance_ids: Iterable[int], joint_project_id: int | None = None
                     ) -> dict[int, list[InstanceMember]]:
    """Members of several instances (standing ones, or those of one joint project), by instance."""
    ids = list(instance_ids)
    result: dict[int, list[InstanceMember]] = {i: [] for i in ids}
    if not ids:
        return result
    statement = _STANDING_MEMBERS if joint_project_id is None else _PROJECT_MEMBERS
    for member in db.session.scalars(statement, {"instance_ids": ids,
                                                 "joint_project_id": joint_project_id}):
        result[member.instance_id].append(member)
    return result


_INSTANCE_MEMBERS = (
    select(InstanceMember)
    .where(InstanceMember.instance_id.in_(bindparam("instance_ids", expanding=True)))
    .join(Person, Person.id == InstanceMember.person_id)
    .options(contains_eager(InstanceMember.person), joinedload(InstanceMember.organisation))
    .order_by(InstanceMember.organisation_id, french(Person.last_name),
              french(Person.first_name), InstanceMember.id))
_STANDING_MEMBERS = _INSTANCE_MEMBERS.where(InstanceMember.joint_project_id.is_(None))
_PROJECT_MEMBERS = _INSTANCE_MEMBERS.where(
    InstanceMember.joint_project_id == bindparam("joint_project_id"))


def people_of_structures(charter: Charter) -> list[Person]:
    """The active people of the member structures, for the choices of a form: their names,
    function and organisation's name only, in one query."""
    return list(db.session.scalars(_PEOPLE_OF_STRUCTURES, {"charter_id": charter.id}))


_PEOPLE_OF_STRUCTURES = (
    select(Person).join(CharterMember, CharterMember.organisation_id == Person.organisation_id)
    .where(CharterMember.charter_id == _CHARTER_ID, Person.archived_at.is_(None))
    .options(load_only(Person.first_name, Person.last_name, Person.function,
                       Person.organisation_id),
             joinedload(Person.organisation).load_only(Organisation.name))
    .order_by(CharterMember.position, french(Person.last_name), french(Person.first_name)))


def user_person_ids(territory_id: int, user) -> list[int]:
    """The people of the territory linked to this user account (``Person.user_id``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(Person.id).where(
        Person.user_id == user.id, Person.territory_id == territory_id)))


def members_for_user(instance: CharterInstance, user, joint_project_id: int | None = None
                     ) -> list[InstanceMember]:
    """The seats this user holds in an instance (through the people linked to the account)."""
    return _seats_of_people(instance, user_person_ids(instance.territory_id, user),
                            joint_project_id)


def charters_of(territory_id: int) -> list[Charter]:
    return list(db.session.scalars(
        select(Charter).where(Charter.territory_id == territory_id)
        .options(selectinload(Charter.members).joinedload(CharterMember.organisation))
        .order_by(Charter.id)))


def active_instances_of(charter: Charter) -> list[CharterInstance]:
    """The instances of a charter not retired, in their order."""
    return db.session.scalars(_ACTIVE_INSTANCES, {"charter_id": charter.id}).all()


_ACTIVE_INSTANCES = (
    select(CharterInstance)
    .where(CharterInstance.charter_id == _CHARTER_ID, CharterInstance.retired.is_(False))
    .order_by(CharterInstance.position))


def instances_of_charters(charter_ids: list[int]) -> list[CharterInstance]:
    """The instances not retired of these charters, by charter and in their order."""
    return db.session.scalars(
        select(CharterInstance).where(CharterInstance.charter_id.in_(charter_ids or [0]),
                                      CharterInstance.retired.is_(False))
        .order_by(CharterInstance.charter_id, CharterInstance.position)).all()


def working_group_seats(instance: CharterInstance) -> list[InstanceMember]:
    """The seats of a per-project instance in the joint projects' working groups, with
    their people and organisations, by project."""
    return db.session.scalars(
        select(InstanceMember).where(InstanceMember.instance_id == instance.id,
                                     InstanceMember.joint_project_id.is_not(None))
        .options(selectinload(InstanceMember.person), selectinload(InstanceMember.organisation))
        .order_by(InstanceMember.joint_project_id, InstanceMember.id)).all()


def organisations_of_people(person_ids) -> set[int]:
    """The organisations of these people."""
    return set(db.session.scalars(select(Person.organisation_id).where(
        Person.id.in_(person_ids or [0]))))


def instances_sitting(charter: Charter, person_ids, joint_project_id: int) -> dict[str, str]:
    """Key → name of the charter's instances where these people sit (standing, or in the
    working group of this joint project)."""
    rows = db.session.execute(
        select(CharterInstance.key, CharterInstance.name).distinct()
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .where(CharterInstance.charter_id == charter.id, CharterInstance.retired.is_(False),
               InstanceMember.person_id.in_(person_ids or [0]),
               (InstanceMember.joint_project_id.is_(None))
               | (InstanceMember.joint_project_id == joint_project_id))).all()
    return dict(rows)


def per_project_instances(charter: Charter) -> list[CharterInstance]:
    """The charter's per-project instances (working groups) not retired, in their order."""
    return db.session.scalars(select(CharterInstance).where(
        CharterInstance.charter_id == charter.id, CharterInstance.per_project.is_(True),
        CharterInstance.retired.is_(False)).order_by(CharterInstance.position)).all()


def signatory_candidates(territory_id: int, template: dict) -> list:
    """The organisations (id, name) sharing a word with a template's signatories: what the
    guesses compare (``operations.guess_organisations``), not the whole directory."""
    from territorial.charters.operations import name_words

    found = {}
    for signatory in template["signatories"]:
        for word in name_words(signatory["name"]):
            options, _more = search.search(territory_id, "organisations", word,
                                           search.MAX_LIMIT)
            found.update((o.id, SimpleNamespace(id=o.id, name=o.label)) for o in options)
    return list(found.values())


def members_of(charter: Charter) -> list[CharterMember]:
    """The charter's member structures with their organisations' names, in their order."""
    return list(db.session.scalars(_MEMBERS, {"charter_id": charter.id}))


_MEMBERS = (
    select(CharterMember).where(CharterMember.charter_id == _CHARTER_ID)
    .options(joinedload(CharterMember.organisation).load_only(Organisation.name))
    .order_by(CharterMember.position))


def sheets_of(charter: Charter) -> dict[int, InterconnaissanceSheet]:
    """Organisation id → interconnaissance sheet of the charter's member structures, with
    who last wrote each."""
    return {sheet.organisation_id: sheet for sheet in db.session.scalars(
        select(InterconnaissanceSheet).where(InterconnaissanceSheet.charter_id == charter.id)
        .options(selectinload(InterconnaissanceSheet.updated_by)))}


def delegations_of(charter: Charter) -> list[Delegation]:
    """The charter's delegations, latest first, with the people and their organisations."""
    return db.session.scalars(
        select(Delegation).where(Delegation.charter_id == charter.id)
        .options(joinedload(Delegation.delegator).joinedload(Person.organisation),
                 joinedload(Delegation.delegate).joinedload(Person.organisation))
        .order_by(Delegation.starts_on.desc(), Delegation.id.desc())).all()
