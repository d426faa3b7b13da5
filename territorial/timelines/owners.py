"""How a frise page links back to its owner (a project, an experiment, a joint project).

Owners register at import time, so that the territorial layer never imports facilitation."""
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import BuildError


@dataclass(frozen=True)
class Owner:
    owner_type: str
    label: str
    url_for_owner: Callable


_OWNERS: dict[str, Owner] = {}


def register_owner(owner_type: str, label: str, url_for_owner: Callable) -> None:
    """``url_for_owner(timeline) -> str``."""
    _OWNERS[owner_type] = Owner(owner_type, label, url_for_owner)


def owner_link(timeline) -> tuple[str, str] | None:
    owner = _OWNERS.get(timeline.owner_type)
    if owner is None:
        return None
    try:
        return str(owner.label), owner.url_for_owner(timeline)
    except BuildError:
        return None
