"""Who may own indicators, how to name them and link back to them.

The territorial layer must not import facilitation, so each capability whose objects
carry indicators registers its owner type at import time of its views module::

    register_owner("action", _l("Action"), lambda action_id: url_for(...), model=Action)

``model`` (any ``TerritoryOwned`` model) lets the indicator pages check that the owner
exists in the current territory; ``permission`` is what a user needs to add or
change the indicators of such an owner (see ``territorial.access.PERMISSIONS``).
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import g
from sqlalchemy import select

from extensions import db


@dataclass(frozen=True)
class OwnerType:
    key: str
    label: object
    url_fn: Callable[[int], str]
    model: type | None = None
    exists_fn: Callable[[int], bool] | None = None
    permission: str = "edit"
    year_problem_fn: Callable[[int, int], str | None] | None = None

    def year_problem(self, owner_id: int, year: int) -> str | None:
        """Why the owner refuses a target or a value for this year (e.g. outside a
        convention's period), in French; None when the year is fine."""
        return self.year_problem_fn(owner_id, year) if self.year_problem_fn else None

    def exists(self, owner_id: int) -> bool:
        """Does this owner exist in the current territory (``g.territory``)?"""
        if self.exists_fn is not None:
            return bool(self.exists_fn(owner_id))
        if self.model is None:
            return False
        return db.session.scalar(
            select(self.model.id).where(
                self.model.id == owner_id, self.model.territory_id == g.territory.id
            )
        ) is not None

    def url(self, owner_id: int) -> str:
        return self.url_fn(owner_id)


_OWNERS: dict[str, OwnerType] = {}


def register_owner(
    owner_type: str,
    label,
    url_fn: Callable[[int], str],
    *,
    model: type | None = None,
    exists: Callable[[int], bool] | None = None,
    permission: str = "edit",
    year_problem: Callable[[int, int], str | None] | None = None,
) -> OwnerType:
    owner = OwnerType(owner_type, label, url_fn, model, exists, permission, year_problem)
    _OWNERS[owner_type] = owner
    return owner


def owner_type(key: str) -> OwnerType | None:
    return _OWNERS.get(key)


def registered_owner_types() -> list[str]:
    return sorted(_OWNERS)
