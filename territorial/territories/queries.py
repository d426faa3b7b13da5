"""Queries of a territory's home and members pages: how many organisations, people and
members it has; its memberships, pending invitations and the people linked to accounts."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.accounts.models import Invitation, Membership
from territorial.actors.models import Organisation, Person


def home_counts(territory_id: int) -> dict[str, int]:
    """How many organisations and people (not archived) and member accounts the territory
    has, in one query."""
    row = db.session.connection().execute(_counts_statement(),
                                          {"territory_id": territory_id}).one()
    return dict(row._mapping)


@cache
def _counts_statement():
    """``home_counts``' query (its parameter ``territory_id``), built once."""
    territory_id = bindparam("territory_id")

    def live(model):
        return (select(func.count()).select_from(model)
                .where(model.territory_id == territory_id, model.archived_at.is_(None))
                .scalar_subquery())

    members = (select(func.count()).where(Membership.territory_id == territory_id)
               .scalar_subquery())
    return select(live(Organisation).label("organisations"), live(Person).label("people"),
                  members.label("members"))


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
