"""What an import fills: the organisations, the people, or what another capability registers
(the members of a working group, in ``facilitation``). Each target is one set of pages over
the same machinery (the file read, the mapping step, the preview in words, the confirmation
all-or-nothing): a target only says its words, its pages and, when the people it reads join
something, who is in it already and how they join."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class ImportTarget:
    key: str  # ImportBatch.target, ImportMapping.target
    title: object  # the pages' title (a lazy string)
    back: Callable[[int | None], str]  # the page the import starts from and returns to
    section: str  # the menu section of its pages (territorial.common.navigation)
    # The breadcrumbs between that section and the import (given the owner, if any).
    trail: Callable[[object | None], list[tuple[str, str]]]
    upload_endpoint: str  # the upload page; its argument is the owner's, when there is one
    template_endpoint: str
    owner_argument: str = ""
    # When the people of the file join something (a group): its owner, loaded with the
    # access check (404/403), the ids of those already in it, and how people join it
    # (its view: it says what happened).
    load_owner: Callable[[int], object] | None = None
    members: Callable[[object], set[int]] | None = None
    join: Callable[[object, list[int]], None] | None = None

    def upload_url(self, owner_id: int | None = None) -> str:
        return url_for(self.upload_endpoint, **self._owner(owner_id))

    def template_url(self, owner_id: int | None = None) -> str:
        return url_for(self.template_endpoint, **self._owner(owner_id))

    def _owner(self, owner_id: int | None) -> dict:
        return {self.owner_argument: owner_id} if self.owner_argument else {}


TARGETS: dict[str, ImportTarget] = {}


def register(target: ImportTarget) -> ImportTarget:
    TARGETS[target.key] = target
    return target
