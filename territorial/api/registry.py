"""The resources of the open-data API, declared once and used for routes, JSON and OpenAPI.

A capability publishes a model with one line, at import time of its ``api`` module::

    register(Resource("organisations", Organisation, _l("Organisations du territoire"),
                      exclude=("email", "phone")))

Every column of the model's table is published but

- the territory (it is in the URL), optimistic-locking counters, secrets, the columns
  kept for searching and sorting (``TECHNICAL_COLUMNS``);
- every column that points at a person or an account (``person``, ``user`` tables), and
  the free-text names of people (``PERSONAL_COLUMNS``): the API publishes what the
  territory's structures do, not who the people are;
- the resource's own ``exclude``.

A column that names a person on some rows only (a RACI actor's label is a person's name
when the actor is a person) is ``withheld``: published as null on those rows.

Foreign-key columns become optional filters (``?plan_id=3``); ``filters`` adds others.
The JSON Schema of each resource comes from its column types.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, case, null
from sqlalchemy import types as sqltypes

from territorial.common.requests import MAX_DATABASE_INT

# Columns never published, whatever the table.
SECRET_COLUMNS = {"territory_id", "version_id", "edit_version", "password_hash", "session_token",
                  "token_hash", "nonce", "join_code", "submission_key"}
# Columns kept for the database's own use (the directory's search and order).
TECHNICAL_COLUMNS = {"search_name", "sort_name"}
# Columns that name or reach people: personal data stays in the pages.
PERSONAL_COLUMNS = {"email", "phone", "author_name", "interviewer_name", "first_name",
                    "last_name", "author_attendee_id", "attendee_id"}
PEOPLE_TABLES = {"person", "user", "session_attendee"}
MAX_ID = MAX_DATABASE_INT


@dataclass
class Resource:
    name: str                       # URL segment, plural, ASCII: "working-groups"
    model: type
    description: Any                # French, shown in the OpenAPI document
    exclude: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()   # further filterable columns (e.g. "owner_type")
    tag: str = "territoire"
    only: Any = None                # table → conditions of the published rows, or None: all
    withheld: dict[str, Any] = field(default_factory=dict)  # column → (table → condition)
    columns: list[Column] = field(init=False)

    def __post_init__(self):
        table: Table = self.model.__table__
        if "territory_id" not in table.columns:
            raise ValueError(f"{self.name}: the model must belong to a territory")
        excluded = SECRET_COLUMNS | TECHNICAL_COLUMNS | PERSONAL_COLUMNS | set(self.exclude)
        self.columns = [
            column for column in table.columns
            if column.name not in excluded
            and not any(fk.column.table.name in PEOPLE_TABLES for fk in column.foreign_keys)
        ]

    @property
    def table(self) -> Table:
        return self.model.__table__

    def conditions(self) -> list:
        return list(self.only(self.table)) if self.only is not None else []

    def selected(self) -> list:
        """What a query selects: the columns, a ``withheld`` one as null where its
        condition holds."""
        return [
            case((self.withheld[column.name](self.table), null()), else_=column)
            .label(column.name) if column.name in self.withheld else column
            for column in self.columns
        ]

    @property
    def schema_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.replace("-", "_").split("_"))

    @property
    def filter_columns(self) -> list[Column]:
        published = {column.name for column in self.columns}
        return [
            column for column in self.columns
            if (column.foreign_keys and column.name in published) or column.name in self.filters
        ]


_resources: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    """Publish a resource (idempotent: the same name twice keeps the last one)."""
    _resources[resource.name] = resource
    return resource


def registered() -> list[Resource]:
    return sorted(_resources.values(), key=lambda resource: resource.name)


def get(name: str) -> Resource | None:
    return _resources.get(name)


# Values and schemas ----------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A column value → JSON: timestamps in UTC ISO 8601, dates ISO, decimals as strings."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite gives back naive UTC timestamps
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _base(column_type: sqltypes.TypeEngine) -> sqltypes.TypeEngine:
    if isinstance(column_type, sqltypes.TypeDecorator):
        return column_type.impl_instance
    return column_type


def column_schema(column: Column, nullable: bool = False) -> dict:
    """The OpenAPI 3.0 schema of a column's values (``nullable``: even if the column is not)."""
    t = _base(column.type)
    if isinstance(t, sqltypes.JSON):
        schema: dict = {}
    elif isinstance(t, sqltypes.Boolean):
        schema = {"type": "boolean"}
    elif isinstance(t, sqltypes.Integer):
        schema = {"type": "integer"}
    elif isinstance(t, sqltypes.Float):
        schema = {"type": "number"}
    elif isinstance(t, sqltypes.Numeric):
        schema = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(t, sqltypes.DateTime):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(t, sqltypes.Date):
        schema = {"type": "string", "format": "date"}
    elif isinstance(t, sqltypes.Time):
        schema = {"type": "string", "format": "time"}
    else:
        schema = {"type": "string"}
    if column.comment:
        schema["description"] = column.comment
    if (column.nullable or nullable) and schema:
        schema["nullable"] = True
    return schema


def resource_schema(resource: Resource) -> dict:
    return {
        "type": "object",
        "description": str(resource.description),
        "properties": {column.name: column_schema(column, column.name in resource.withheld)
                       for column in resource.columns},
        "required": [column.name for column in resource.columns],
        "additionalProperties": False,
    }
