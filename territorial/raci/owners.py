"""Who may own a RACI grid, and how a grid page links back to its owner.

An owner type registers itself at import time, so that the territorial layer never
imports the facilitation layer::

    register_owner("experiment", _l("Expérimentation"),
                   lambda grid: url_for("experiments.roles", experiment_id=grid.owner_id))
"""
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import BuildError

from territorial.raci.models import RaciGrid


@dataclass(frozen=True)
class Owner:
    owner_type: str
    label: str
    url_for_owner: Callable[[RaciGrid], str]


_OWNERS: dict[str, Owner] = {}


def register_owner(owner_type: str, label: str, url_for_owner: Callable[[RaciGrid], str]) -> None:
    _OWNERS[owner_type] = Owner(owner_type, label, url_for_owner)


def owner_of(owner_type: str) -> Owner | None:
    return _OWNERS.get(owner_type)


def owner_link(grid: RaciGrid) -> tuple[str, str] | None:
    """(label of the owner's kind, URL of the owner's page), or None if unknown."""
    owner = _OWNERS.get(grid.owner_type)
    if owner is None:
        return None
    try:
        return str(owner.label), owner.url_for_owner(grid)
    except BuildError:  # an owner whose page is gone must not break the grid page
        return None
