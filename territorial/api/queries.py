"""Queries of the public API: the territories an account reads, the published rows of a
resource (a page of them with their total, or one by id), an account's token."""
from __future__ import annotations

from sqlalchemy import func, select

from extensions import db
from territorial.accounts.models import User
from territorial.api import operations
from territorial.api.models import ApiToken
from territorial.api.registry import Resource
from territorial.territories.models import Territory


def readable_territory(user: User, slug: str) -> Territory | None:
    """The territory of this slug if the account may read it."""
    return db.session.scalar(
        operations.readable_territories(user).where(Territory.slug == slug)
    )


def territories_page(user: User, page: int, per_page: int) -> tuple[int, list[Territory]]:
    """How many territories the account reads, and those of the page, by id."""
    statement = operations.readable_territories(user)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    found = db.session.scalars(
        statement.order_by(Territory.id).limit(per_page).offset((page - 1) * per_page)
    )
    return total, list(found)


def published_page(resource: Resource, conditions: list, page: int, per_page: int):
    """How many published rows of a resource meet the conditions, and those of the page,
    by primary key."""
    table = resource.table
    total = db.session.scalar(select(func.count()).select_from(table).where(*conditions))
    rows = db.session.execute(
        select(*resource.selected()).where(*conditions)
        .order_by(*table.primary_key.columns).limit(per_page).offset((page - 1) * per_page)
    )
    return total, rows


def published_row(resource: Resource, territory_id: int, object_id: int):
    """One published row of a resource in a territory, or None."""
    table = resource.table
    (key,) = table.primary_key.columns
    return db.session.execute(
        select(*resource.selected()).where(table.c.territory_id == territory_id, key == object_id,
                                           *resource.conditions())
    ).first()


def token_of(user: User, token_id: int) -> ApiToken | None:
    """The account's own token of this id, or None."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
