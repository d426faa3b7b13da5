"""The territory's directory as the pickers search it: organisations and people found by
the words of their name (accents and case ignored), in French order, archived ones left
out, a page at a time — fast at 20,000 organisations in one territory.

The words are matched on ``search_name`` (``LIKE '%mot%'``; on PostgreSQL a trigram index
on ``(territory_id, search_name)``, which finds a common word among the territory's names
only, whatever the size of the whole directory), the order read from the index on
``(territory_id, sort_name)``, the name's collation only breaking ties (« Ecole » and
« École »).
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, bindparam, or_, select

from extensions import db
from territorial.accounts.models import Membership
from territorial.actors.models import ORGANISATION_KINDS, Organisation, Person
from territorial.common.collation import french, search_text, ties_in_french_order
from territorial.common.loading import rows as column_rows
from territorial.common.text import per_language
from territorial.territories.models import TERRITORY_LEVELS, Territory

KINDS = ("organisations", "people")
MIXED = "actors"  # organisations and people in one list, ids « organisation:12 »
TERRITORIES = "territories"  # the other territories the user sees (a territory's parent)
MAX_LIMIT = 50
ID = re.compile(r"[0-9]{1,9}")


class Option(NamedTuple):
    """A name found (a tuple: the fifty a picker lists are built at a third of a
    dataclass's cost)."""

    id: int | str
    label: str
    detail: str

    def as_json(self) -> dict:
        return {"id": self.id, "label": self.label, "detail": self.detail}


def words(query: str) -> list[str]:
    """The words searched in ``search_name`` (at most eight)."""
    return search_text(query).split()[:8]


def _organisation_detail(commune: str | None, kind_label: str) -> str:
    return f"{commune} · {kind_label}" if commune and kind_label else commune or kind_label


def _person_label(first: str, last: str) -> str:
    return f"{last} {first}".strip()


def _person_detail(organisation: str | None, function: str) -> str:
    return " · ".join(part for part in (organisation or "", function) if part)


def _organisation_statement(territory_id: int, condition, limit: int | None):
    return (
        select(Organisation.id, Organisation.name, Organisation.commune, Organisation.kind)
        .where(Organisation.territory_id == territory_id, condition)
        .order_by(Organisation.sort_name, french(Organisation.name), Organisation.id)
        .limit(limit))


def _organisations(territory_id: int, condition, limit: int | None) -> list[Option]:
    return _organisation_options(
        db.session.execute(_organisation_statement(territory_id, condition, limit)).all())


def _organisation_options(rows) -> list[Option]:
    """(The label of each kind found translated once per search, not once per row.)"""
    labels = {kind: str(ORGANISATION_KINDS.get(kind, "")) for kind in {row[3] for row in rows}}
    return [Option(id_, name, _organisation_detail(commune, labels[kind]))
            for id_, name, commune, kind in rows]


def _person_statement(territory_id: int, condition, limit: int | None):
    # The organisation's name looked up for each person listed: as a join, PostgreSQL may
    # merge with every organisation of the deployment (48 ms at 200,000 of them).
    organisation = (select(Organisation.name).where(Organisation.id == Person.organisation_id)
                    .scalar_subquery())
    return (
        select(Person.id, Person.first_name, Person.last_name, Person.function, organisation)
        .where(Person.territory_id == territory_id, condition)
        .order_by(Person.sort_name, french(Person.last_name), french(Person.first_name),
                  Person.id)
        .limit(limit))


def _people(territory_id: int, condition, limit: int | None) -> list[Option]:
    return _person_options(db.session.execute(_person_statement(territory_id, condition, limit)))


def _person_options(rows) -> list[Option]:
    return [Option(id_, _person_label(first, last), _person_detail(organisation, function))
            for id_, first, last, function, organisation in rows]


def _territory_statement(territory_id: int, condition, limit: int | None):
    """The territories other than ``territory_id`` (a territory is not its own parent), in
    the order of their sort key's index (the collation would sort every territory of the
    deployment before the first fifty)."""
    return (select(Territory.id, Territory.name, Territory.level, Territory.sort_name)
            .where(Territory.id != territory_id, condition)
            .order_by(Territory.sort_name, Territory.id).limit(limit))


def _territories(territory_id: int, condition, limit: int | None) -> list[Option]:
    levels = _level_labels()
    found = db.session.execute(_territory_statement(territory_id, condition, limit)).all()
    return [Option(id_, name, levels.get(level, level)) for id_, name, level, _key
            in ties_in_french_order(found, sort_key=lambda row: row[3], text=lambda row: row[1])]


@per_language
def _level_labels() -> dict[str, str]:
    """The territories' levels as the picker names them, translated once per language
    (not at each of the fifty names it lists)."""
    return {key: str(label) for key, label in TERRITORY_LEVELS.items()}


def _matching_territories(territory_id: int, query: str, limit: int) -> list[Option]:
    """The territories whose name holds every word of ``query`` (accents ignored: their
    names have no search column; a deployment has hundreds of them, not thousands)."""
    wanted = words(query)
    if not wanted:
        return _territories(territory_id, _active(Territory), limit)
    found = (option for option in _territories(territory_id, _active(Territory), None)
             if all(word in search_text(option.label) for word in wanted))
    return list(islice(found, limit))


_FINDERS = {"organisations": (Organisation, _organisations), "people": (Person, _people),
            TERRITORIES: (Territory, _territories)}
_STATEMENTS = {"organisations": _organisation_statement, "people": _person_statement}
_OPTIONS = {"organisations": _organisation_options, "people": _person_options}


def _active(model, of_kinds=(), kept=()):
    """Not archived; for organisations, of one of ``of_kinds`` when given; for territories,
    one the user is a member of, or one of ``kept`` (the parent already saved, which a
    coordinator of the child keeps without being a member of it)."""
    condition = model.archived_at.is_(None)
    if of_kinds and model is Organisation:
        condition = and_(condition, Organisation.kind.in_(of_kinds))
    if model is Territory and not current_user.is_admin:
        seen = Territory.id.in_(
            select(Membership.territory_id).where(Membership.user_id == current_user.id))
        condition = and_(condition, or_(seen, Territory.id.in_(kept)) if kept else seen)
    return condition


@lru_cache(maxsize=64)
def _bound_statement(kind: str, word_count: int, of_kinds: tuple[str, ...]):
    """``statement``'s query for ``word_count`` words, with the territory, the words and
    the limit as bound parameters: built once per process, so that SQLAlchemy computes its
    cache key once (half of a search's cost when built at each one)."""
    model = _FINDERS[kind][0]
    condition = and_(_active(model, of_kinds),
                     *(model.search_name.like(bindparam(f"word_{index}"))
                       for index in range(word_count)))
    return _STATEMENTS[kind](bindparam("territory_id"), condition, bindparam("limit"))


def statement(territory_id: int, kind: str, query: str, limit: int, of_kinds=()
              ) -> tuple[object, dict]:
    """The query ``search`` runs for one kind and the values of its parameters: the first
    ``limit`` organisations or people holding every word of ``query`` (its plan is
    tested)."""
    wanted = words(query)
    return _bound_statement(kind, len(wanted), tuple(of_kinds)), {
        "territory_id": territory_id, "limit": limit,
        **{f"word_{index}": f"%{word}%" for index, word in enumerate(wanted)}}


def _found(territory_id: int, kind: str, query: str, limit: int, of_kinds) -> list[Option]:
    """``statement``'s names (plain rows on the session's connection: the ORM's way costs a
    third more)."""
    return _OPTIONS[kind](column_rows(*statement(territory_id, kind, query, limit, of_kinds)))


def search(territory_id: int, kind: str, query: str = "", limit: int = 20,
           of_kinds=()) -> tuple[list[Option], bool]:
    """The first ``limit`` active organisations or people of the territory whose name holds
    every word of ``query``, and whether there are more. ``kind`` « actors »: the
    organisations, then the people, with ids « organisation:12 » / « person:3 ».
    ``of_kinds``: only organisations of these kinds (« collectivite »…)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if kind == MIXED:
        found, more = [], False
        for part in KINDS:
            options, more = search(territory_id, part, query, limit + 1 - len(found),
                                   of_kinds)
            found += [Option(f"{_PREFIX[part]}:{id_}", label, detail)
                      for id_, label, detail in options]
            if more or len(found) > limit:  # more than ``limit``: no need to read further
                break
        return found[:limit], more or len(found) > limit
    if kind == TERRITORIES:
        found = _matching_territories(territory_id, query, limit + 1)
        return found[:limit], len(found) > limit
    found = _found(territory_id, kind, query, limit + 1, of_kinds)
    return found[:limit], len(found) > limit


_PREFIX = {"organisations": "organisation", "people": "person"}
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in _PREFIX.items()}


def split_actor(value) -> tuple[str, int] | None:
    """« organisation:12 » → (« organisations », 12); None for anything else."""
    prefix, _sep, raw_id = str(value or "").partition(":")
    number = parse_id(raw_id)
    if prefix in _KIND_OF_PREFIX and number is not None:
        return _KIND_OF_PREFIX[prefix], number
    return None


def parse_id(value) -> int | None:
    """An id as a form sends it (« 12 »), or None: not a number, or one no row has."""
    text = str(value or "")
    return int(text) if ID.fullmatch(text) else None


def chosen(territory_id: int, kind: str, ids, of_kinds=(), kept=()) -> dict:
    """The options of the given ids that are active in the territory (and of
    ``of_kinds``), by id: an id of another territory, archived or unknown, is absent
    (``kept``: see ``_active``)."""
    if kind == MIXED:
        found = {}
        for part in KINDS:
            numbers = [n for k, n in filter(None, map(split_actor, ids)) if k == part]
            for option in chosen(territory_id, part, numbers, of_kinds).values():
                key = f"{_PREFIX[part]}:{option.id}"
                found[key] = Option(key, option.label, option.detail)
        return found
    numbers = [n for n in ids if isinstance(n, int)]
    if not numbers:
        return {}
    model, finder = _FINDERS[kind]
    condition = and_(_active(model, of_kinds, tuple(kept)), model.id.in_(numbers))
    return {option.id: option for option in finder(territory_id, condition, None)}


def kind_words(kind: str) -> dict:
    """The picker's words for a kind of list (the page's language)."""
    if kind == "people":
        return {"none": _("Aucune personne ne correspond."),
                "refused": _("Cette personne n'appartient pas à ce territoire, ou elle est "
                             "archivée : choisissez-en une dans la liste.")}
    if kind == "organisations":
        return {"none": _("Aucune organisation ne correspond."),
                "refused": _("Cette organisation n'appartient pas à ce territoire, ou elle "
                             "est archivée : choisissez-en une dans la liste.")}
    if kind == TERRITORIES:
        return {"none": _("Aucun territoire ne correspond."),
                "refused": _("Ce territoire ne peut pas être le parent de celui-ci (lui-même, "
                             "archivé ou hors de vos territoires) : choisissez-en un dans "
                             "la liste.")}
    return {"none": _("Aucune organisation ni personne ne correspond."),
            "refused": _("Cet acteur n'appartient pas à ce territoire, ou il est archivé : "
                         "choisissez-en un dans la liste.")}


def picked(territory_id: int, kind: str, ids) -> list:
    """The organisations or people (``Organisation``/``Person`` objects) of these ids in
    the territory, in the order of ``ids`` (« organisation:12 » ids for « actors »)."""
    wanted = [split_actor(i) if kind == MIXED else (kind, i) for i in ids]
    found = {}
    for part in KINDS:
        numbers = [n for k, n in filter(None, wanted) if k == part]
        if numbers:
            model = _FINDERS[part][0]
            found.update(((part, o.id), o) for o in db.session.scalars(select(model).where(
                model.territory_id == territory_id, model.id.in_(numbers))))
    return [found[key] for key in wanted if key in found]
