"""What an object belongs to, for the capabilities whose objects belong to another's: an
indicator measures an action, a convention's objective or a joint project; an action plan
is a working group's, an experiment's or the partnership's; a RACI grid and a frise are a
project's, an experiment's, an action plan's…

One registry per kind of owned object (``indicator_owners``, ``plan_owners``,
``raci_owners``, ``timeline_owners``). The owner's capability registers its kind at
import time, so that the territorial layer never imports facilitation::

    plan_owners.register("joint_project", _l("Projet commun"), model=JointProject,
                         url=lambda project_id: url_for("joint_projects.project",
                                                        joint_project_id=project_id))

An owner kind names its menu section (``section``, ``territorial.common.navigation``): the
pages of what it owns belong to that section, and their breadcrumbs start from it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased
from werkzeug.routing import BuildError

from extensions import db
from territorial.common.navigation import crumb


@dataclass(frozen=True)
class OwnerKind:
    """A kind of owner: its label, its page (``url(owner_id)``), how to tell that an owner
    exists in the current territory and what it is called (its ``model``, or ``exists`` /
    ``name`` functions), the permission that changing what it owns needs, the years it
    refuses (a convention's period), its menu section and the breadcrumbs between that
    section and the owner (``trail_fn``)."""

    key: str
    label: object
    url_fn: Callable[[int], str | None] | None = None
    model: type | None = None
    exists_fn: Callable[[int], bool] | None = None
    name_fn: Callable[[int], str] | None = None
    permission: str = "edit"
    year_problem_fn: Callable[[int, int], str | None] | None = None
    urls_fn: Callable[[set[int]], dict[int, str | None]] | None = None
    trail_fn: Callable[[int], list[tuple[str, str]]] | None = None
    section: str | None = None

    def url(self, owner_id: int) -> str | None:
        """The owner's page; None when it has none (or cannot be built any more)."""
        if self.url_fn is None:
            return None
        try:
            return self.url_fn(owner_id)
        except BuildError:  # an owner whose page is gone must not break the owned one's
            return None

    def trail(self, owner_id: int) -> list[tuple[str, str]]:
        """The breadcrumbs that lead to the owner's page, as (label, url) pairs: its
        section, then what stands between (its list, its parent); none when the kind
        names no section or a page cannot be built."""
        if self.section is None:
            return []
        try:
            return [crumb(self.section)] + (
                self.trail_fn(owner_id) if self.trail_fn is not None else [])
        except BuildError:
            return []

    def exists(self, owner_id: int) -> bool:
        """Does this owner exist in the current territory (``g.territory``)?"""
        if self.exists_fn is not None:
            return bool(self.exists_fn(owner_id))
        if self.model is None:
            return False
        return db.session.scalar(select(self.model.id).where(
            self.model.id == owner_id, self.model.territory_id == g.territory.id)) is not None

    def name(self, owner_id: int) -> str:
        if self.name_fn is not None:
            return self.name_fn(owner_id)
        return self._title(self._loaded(owner_id)) if self.model is not None else ""

    def name_and_url(self, owner_id: int, owner=None) -> tuple[str, str | None]:
        """``name`` and ``url`` of one owner, read once (``owner``: already read by the
        page, ``OwnerRegistry.with_owners``): the owner loaded for its name is in the
        session when its page's address looks it up by its key."""
        if self.name_fn is not None or self.model is None:
            return self.name(owner_id), self.url(owner_id)
        owner = self._loaded(owner_id, owner)  # kept: the session holds it weakly
        return self._title(owner), self.url(owner_id)

    def _loaded(self, owner_id: int, owner=None):
        """The owner of the current territory by its key (read unless given), None when
        there is none."""
        if not isinstance(owner, self.model):
            owner = db.session.get(self.model, owner_id)
        return owner if owner is not None and owner.territory_id == g.territory.id else None

    def _title(self, owner) -> str:
        column = self._name_column()
        if owner is None or column is None:
            return ""
        return getattr(owner, column.key) or ""

    def _name_column(self):
        """The model's ``title`` or ``name`` column (None without a model or either)."""
        if self.model is None:
            return None
        return getattr(self.model, "title", None) or getattr(self.model, "name", None)

    def names(self, owner_ids) -> dict[int, str]:
        """The names of several owners of this kind: one query for a model's."""
        ids = set(owner_ids)
        column = self._name_column()
        if self.name_fn is not None or not ids or column is None:
            return {owner_id: self.name(owner_id) for owner_id in ids}
        found = dict(db.session.execute(select(self.model.id, column).where(
            self.model.id.in_(ids), self.model.territory_id == g.territory.id)).all())
        return {owner_id: found.get(owner_id) or "" for owner_id in ids}

    def urls(self, owner_ids) -> dict[int, str | None]:
        """The pages of several owners of this kind (``urls_fn`` reads them at once)."""
        ids = set(owner_ids)
        if self.urls_fn is not None and ids:
            return self.urls_fn(ids)
        return {owner_id: self.url(owner_id) for owner_id in ids}

    def year_problem(self, owner_id: int, year: int) -> str | None:
        """Why the owner refuses a target or a value for this year (French), else None."""
        return self.year_problem_fn(owner_id, year) if self.year_problem_fn else None


class OwnerRegistry:
    """The kinds of owner of one kind of owned object."""

    def __init__(self, owned: str) -> None:
        self.owned = owned
        self._kinds: dict[str, OwnerKind] = {}

    def register(self, key: str, label, url: Callable[[int], str | None] | None = None, *,
                 model: type | None = None, exists: Callable[[int], bool] | None = None,
                 name: Callable[[int], str] | None = None, permission: str = "edit",
                 year_problem: Callable[[int, int], str | None] | None = None,
                 urls: Callable[[set[int]], dict[int, str | None]] | None = None,
                 trail: Callable[[int], list[tuple[str, str]]] | None = None,
                 section: str | None = None) -> OwnerKind:
        """``section``: the endpoint of the owner's menu section (« projects.index »);
        ``trail(owner_id)``: the breadcrumbs between it and the owner (a plan before
        one of its actions)."""
        if key in self._kinds:
            raise ValueError(f"{self.owned}: owner kind {key!r} registered twice")
        kind = OwnerKind(key, label, url, model, exists, name, permission, year_problem, urls,
                         trail, section)
        self._kinds[key] = kind
        return kind

    def get(self, key: str) -> OwnerKind | None:
        return self._kinds.get(key)

    def with_owners(self, statement, owned: type):
        """``statement``, a select of ``owned`` (whose rows name their owner by
        ``owner_type`` and ``owner_id``), that also reads each row's owner of a kind with a
        model, outer joined: ``name_and_url`` then finds the owner in the session, and the
        page makes one query where it made two."""
        for kind in self._kinds.values():
            if kind.model is not None and kind.name_fn is None:
                owner = aliased(kind.model)
                statement = statement.add_columns(owner).outerjoin(owner, and_(
                    owned.owner_type == kind.key, owner.id == owned.owner_id))
        return statement

    def section_of(self, owned) -> str | None:
        """The menu section of the pages of ``owned`` (a row with ``owner_type``, as the
        page's view loaded it): its owner kind's; None without a row or a kind."""
        kind = self._kinds.get(owned.owner_type) if owned is not None else None
        return kind.section if kind is not None else None

    def keys(self) -> list[str]:
        return sorted(self._kinds)

    def link(self, key: str, owner_id: int) -> tuple[str, str] | None:
        """(label of the owner's kind, URL of the owner's page), or None when unknown."""
        kind = self._kinds.get(key)
        url = kind.url(owner_id) if kind is not None else None
        return (str(kind.label), url) if url else None

    def named_link(self, key: str, owner_id: int) -> tuple[str, str, str] | None:
        """(label of the owner's kind, its name, its page), or None when unknown; the name
        is "" for a kind that has none."""
        kind = self._kinds.get(key)
        if kind is None:
            return None
        name, url = kind.name_and_url(owner_id)
        return (str(kind.label), name, url) if url else None

    def crumbs(self, key: str, owner_id: int, link: tuple[str, str, str] | None
               ) -> list[tuple[str, str]]:
        """The breadcrumbs to an owner's page (``link``: its ``named_link``): its trail,
        then the owner by its name (its kind when it has none); none when unknown."""
        if link is None:
            return []
        label, name, url = link
        return self._kinds[key].trail(owner_id) + [(name or label, url)]


indicator_owners = OwnerRegistry("indicators")
plan_owners = OwnerRegistry("action plans")
raci_owners = OwnerRegistry("RACI grids")
timeline_owners = OwnerRegistry("frises")
