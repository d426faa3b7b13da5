"""The journal in words: what kind of object, which field, which values, for people who
are not engineers.

Every audited model names itself (``__audit_name__ = _l("Case de la grille RACI")``)
and each of its columns (``info={"label": _l("Lettre")}``); a column may add its
``"choices"`` (a dict of labels), ``"euros": True`` for an amount, or be ``"hidden"``
(a technical key). The page that shows an object is ``__audit_link__ = (endpoint,
{argument: attribute})``, an attribute being a column of the model or, through a foreign
key, a column of the object it points to (``"entry_id.timeline_id"``); a model no page
shows says ``__audit_link__ = None``. Names of objects a page of entries refers to are read
in one query per model, whatever the number of entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from flask import g, url_for
from flask_babel import format_currency, format_percent
from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, Date, DateTime, TypeDecorator, bindparam, select
from sqlalchemy.orm import aliased
from werkzeug.routing import BuildError

from extensions import db
from territorial.audit.recorder import IGNORED_FIELDS
from territorial.common.dates import (date_and_time_formatter, date_formatter,
                                      datetime_formatter)

HIDDEN_FIELDS = IGNORED_FIELDS | {"id", "territory_id", "position"}
NAME_COLUMNS = (("name",), ("title",), ("first_name", "last_name"), ("display_name",), ("label",))
LONGEST_VALUE = 160


@cache
def audited_models() -> dict[str, type]:
    """Audited models by the name the journal records (``object_type``)."""
    return {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers
            if getattr(mapper.class_, "__audited__", False)}


@cache
def _models_by_table() -> dict[str, type]:
    return {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}


def kind_name(object_type: str) -> str:
    """« Case de la grille RACI » for ``RaciCell``."""
    model = audited_models().get(object_type)
    name = model.__dict__.get("__audit_name__") if model is not None else None
    return (str(name) if name is not None else "") or object_type


@cache
def shown_columns(model: type) -> tuple:
    """The columns the journal names (hidden and technical ones left out)."""
    return tuple(column for key, column in model.__mapper__.columns.items()
                 if key not in HIDDEN_FIELDS and not column.info.get("hidden"))


@cache
def _target(model: type, key: str) -> type | None:
    """The model a foreign-key column points to."""
    column = model.__mapper__.columns.get(key)
    for foreign_key in column.foreign_keys if column is not None else ():
        return _models_by_table().get(foreign_key.column.table.name)
    return None


@cache
def _name_columns(model: type) -> tuple[str, ...]:
    columns = model.__mapper__.columns
    return next((names for names in NAME_COLUMNS if all(n in columns for n in names)), ())


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Value:
    label: str
    text: str


@dataclass
class EntryWords:
    kind: str
    title: str
    url: str | None
    deleted: bool
    when: str = ""  # the entry's date and time
    action: str = ""  # « Création », « Modification »…
    changes: list[Change] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)  # of a created or deleted object


def link_columns(model: type) -> dict[str, tuple]:
    """Each attribute of the model's link: ``(column,)`` or ``(foreign key, column of the
    object it points to)``."""
    link = model.__dict__.get("__audit_link__")
    return {attribute: tuple(attribute.split(".")) for attribute in (link[1].values()
                                                                      if link else ())}


def _label(attribute: str) -> str:
    return attribute.replace(".", "__")


@cache
def _statement(model: type):
    """The id, name, page and title columns of some objects of a model (of a territory):
    built once per model, run with the parameters ``ids`` and ``territory_id``."""
    through = {path for path in link_columns(model).values() if len(path) == 2}
    keys = {"id", *_name_columns(model), *model.__dict__.get("__audit_title__", ()),
            *(path[0] for path in link_columns(model).values())}
    columns = [getattr(model, key) for key in sorted(keys)]
    joined = {}
    for key, column in sorted(through):
        if key not in joined:
            joined[key] = aliased(_target(model, key))
        columns.append(getattr(joined[key], column).label(_label(f"{key}.{column}")))
    statement = select(*columns)
    for key, parent in joined.items():
        statement = statement.outerjoin(parent, parent.id == getattr(model, key))
    statement = statement.where(model.id.in_(bindparam("ids", expanding=True)))
    if "territory_id" in model.__mapper__.columns:
        statement = statement.where(model.territory_id == bindparam("territory_id"))
    return statement


class _Names:
    """Names and pages of the objects a page of entries refers to, read per model."""

    def __init__(self) -> None:
        self.wanted: dict[type, set[int]] = {}
        self.rows: dict[type, dict[int, object]] = {}

    def want(self, model: type | None, object_id) -> None:
        if model is not None and isinstance(object_id, int):
            self.wanted.setdefault(model, set()).add(object_id)

    def read(self) -> None:
        """One query per model; a model titled by what it points to
        (``__audit_title__``) has the names of those read next, again per model."""
        done: dict[type, set[int]] = {}
        while pending := {model: ids - done.get(model, set())
                          for model, ids in self.wanted.items() if ids - done.get(model, set())}:
            for model, ids in pending.items():
                done.setdefault(model, set()).update(ids)
                rows = self.rows.setdefault(model, {})
                rows.update({row.id: row for row in db.session.execute(
                    _statement(model), {"ids": list(ids), "territory_id": g.territory.id})})
                for key in model.__dict__.get("__audit_title__", ()):
                    for object_id in ids:
                        row = rows.get(object_id)
                        self.want(_target(model, key), row and getattr(row, key))

    def row(self, model: type | None, object_id):
        return self.rows.get(model, {}).get(object_id) if model is not None else None

    def name(self, model: type, object_id) -> str:
        row = self.row(model, object_id)
        if row is None:
            return _("(supprimé)")
        text = " ".join(str(getattr(row, key) or "") for key in _name_columns(model)).strip()
        return text or f"{kind_name(model.__name__)} n° {object_id}"

    def title(self, model: type | None, object_id, recorded: str, formatted) -> str:
        """What an object titled by what it points to (``__audit_title__``) is now, else the
        label recorded with the entry."""
        row = self.row(model, object_id)
        if row is None or "__audit_title__" not in model.__dict__:
            return recorded
        columns = model.__mapper__.columns
        said = [formatted(model, columns[key], getattr(row, key))
                for key in model.__dict__.get("__audit_title__", ())]
        return " · ".join(text for text in said if text != "—") or recorded

    def url(self, model: type | None, object_id) -> str | None:
        row = self.row(model, object_id)
        link = model.__dict__.get("__audit_link__") if model is not None else None
        if row is None or link is None:
            return None
        endpoint, arguments = link
        try:
            return url_for(endpoint, **{argument: getattr(row, _label(attribute))
                                        for argument, attribute in arguments.items()})
        except BuildError:
            return None


def _parsed(value, kind):
    """A date or datetime from the journal (ISO text) or from the database."""
    return value if isinstance(value, kind) else kind.fromisoformat(value)


class _Formatter:
    """One value of a column, in words: a date, an amount, a label, a name…"""

    def __init__(self, names: _Names) -> None:
        self.names = names
        self.day = date_formatter("long")
        self.moment = datetime_formatter("d MMMM yyyy, HH:mm")
        self.labels: dict = {}
        self.kinds: dict[str, str] = {}
        self.actions: dict[str, str] = {}

    def label(self, column) -> str:
        """The column's name in words (translated once a page)."""
        if column not in self.labels:
            self.labels[column] = str(column.info.get("label", column.key))
        return self.labels[column]

    def kind(self, object_type: str) -> str:
        if object_type not in self.kinds:
            self.kinds[object_type] = kind_name(object_type)
        return self.kinds[object_type]

    def action(self, entry) -> str:
        """« Création », « Modification »… (translated once a page)."""
        if entry.action not in self.actions:
            self.actions[entry.action] = entry.action_label
        return self.actions[entry.action]

    def owner(self, kind, value, model: type, column) -> str:
        """« Projet « Jardins partagés » » for an owner id, when its kind is known."""
        if kind is None or not isinstance(value, int):
            return self(model, column, value)
        if kind.model is not None:
            return _("%(kind)s « %(name)s »", kind=kind.label,
                     name=self.names.name(kind.model, value))
        name = kind.name(value) if kind.name_fn is not None else ""
        return _("%(kind)s « %(name)s »", kind=kind.label, name=name) if name \
            else str(kind.label)

    def __call__(self, model: type, column, value) -> str:
        if value is None or value == "":
            return "—"
        info, kind = column.info, column.type
        if isinstance(kind, TypeDecorator):  # a date stored in its own way is still a date
            kind = kind.impl_instance
        target = _target(model, column.key)
        if target is not None:
            return self.names.name(target, value)
        if "choices" in info:
            return str(info["choices"].get(value, value))
        if isinstance(kind, Boolean) or isinstance(value, bool):
            return _("oui") if value else _("non")
        try:
            if isinstance(kind, DateTime):
                return self.moment(_parsed(value, datetime))
            if isinstance(kind, Date):
                return self.day(_parsed(value, date))
            if info.get("euros"):
                return format_currency(Decimal(str(value)), "EUR")
            if info.get("percent"):
                return format_percent(Decimal(str(value)) / 100)
        except (TypeError, ValueError, InvalidOperation):
            pass
        if isinstance(kind, JSON):
            return _("(texte structuré)")
        text = str(value)
        return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"


def _owner_kind(column, recorded: dict):
    """The kind of owner an ``owner_id`` column names (its ``"owners"`` registry), read
    from the ``owner_type`` recorded with it; None for any other column."""
    registry = column is not None and column.info.get("owners")
    owner_type = recorded.get("owner_type")
    if isinstance(owner_type, list):  # an update: the type it has now
        owner_type = owner_type[-1]
    return registry.get(owner_type) if registry and isinstance(owner_type, str) else None


def entries_in_words(entries) -> dict[int, EntryWords]:
    """What each entry of a page says, by entry id: its kind of object, the page of the
    object (None once it is deleted), its date, its action, and each changed field with its
    old and new value."""
    names = _Names()
    models = audited_models()
    for entry in entries:
        model = models.get(entry.object_type)
        names.want(model, entry.object_id)
        if model is not None:
            for key, recorded in (entry.changes or {}).items():
                for value in (recorded if entry.action == "update" else [recorded]):
                    names.want(_target(model, key), value)
                    kind = _owner_kind(model.__mapper__.columns.get(key), entry.changes)
                    names.want(kind and kind.model, value)
    names.read()
    formatted, when = _Formatter(names), date_and_time_formatter()
    words = {}
    for entry in entries:
        model = models.get(entry.object_type)
        deleted = names.row(model, entry.object_id) is None
        said = EntryWords(formatted.kind(entry.object_type),
                          names.title(model, entry.object_id, entry.label, formatted),
                          names.url(model, entry.object_id), deleted, when(entry.created_at),
                          formatted.action(entry))
        if entry.action == "update" and model is not None:
            columns = model.__mapper__.columns
            for key, (old, new) in (entry.changes or {}).items():
                column = columns.get(key)
                if column is None or key in HIDDEN_FIELDS or column.info.get("hidden"):
                    continue
                owner = _owner_kind(column, entry.changes)
                said.changes.append(Change(formatted.label(column),
                                           formatted.owner(owner, old, model, column),
                                           formatted.owner(owner, new, model, column)))
        elif model is not None:
            said.values = _values(model, entry.changes or {}, formatted)
        words[entry.id] = said
    return words


def _values(model: type, recorded: dict, formatted) -> list[Value]:
    """The meaningful values of a created or deleted object, in the order of its columns:
    hidden and technical columns, structured data and a « no » left out."""
    values = []
    for column in shown_columns(model):
        value = recorded.get(column.key)
        if value in (None, "", False) or isinstance(column.type, JSON):
            continue
        owner = _owner_kind(column, recorded)
        values.append(Value(formatted.label(column),
                            formatted.owner(owner, value, model, column)))
    return values
