"""Queries of a territory's home and members pages: how many organisations, people and
members it has; its memberships, pending invitations and the people linked to accounts."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.accounts.models import Invitation, Membership
from territorial.actors.models import Person


def count_live(model, territory_id: int) -> int:
    """How many objects of ``model`` (not archived) the territory has."""
    return db.session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.territory_id == territory_id, model.archived_at.is_(None))
    )


def count_members(territory_id: int) -> int:
    """How many accounts are members of the territory."""
    return db.session.scalar(
        select(func.count()).where(Membership.territory_id == territory_id)
    )


def memberships_of(territory_id: int) -> list[Membership]:
    """The territory's memberships with their accounts, oldest first."""
    return db.session.scalars(
        select(Membership)
        .where(Membership.territory_id == territory_id)
        .options(selectinload(Membership.user))
        .order_by(Membership.id)
    ).all()


def pending_invitations(territory_id: int) -> list[Invitation]:
    """The invitations not accepted yet, the latest first."""
    return db.session.scalars(
        select(Invitation)
        .where(Invitation.territory_id == territory_id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())
    ).all()


def people_by_account(territory_id: int) -> dict[int, list[Person]]:
    """The people of the territory linked to an account, by account id."""
    linked: dict[int, list[Person]] = {}
    for person in db.session.scalars(select(Person).where(
            Person.territory_id == territory_id, Person.user_id.is_not(None))):
        linked.setdefault(person.user_id, []).append(person)
    return linked
