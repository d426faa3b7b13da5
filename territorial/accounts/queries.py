"""Queries of accounts: the territories an account belongs to."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.accounts.models import Membership, User


def memberships_of(user: User) -> list[Membership]:
    """The account's memberships, with their territories."""
    return db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(selectinload(Membership.territory))
    ).all()
