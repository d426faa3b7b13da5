"""Queries of the territory's actors: the lists of organisations and people (search and
filters), their export, and the organisations still active as a phone lists them (the
pickers search with ``territorial.actors.search``)."""
from __future__ import annotations

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.actors.search import words
from territorial.common.collation import french
from territorial.common.loading import rows


def live_organisations(territory_id: int) -> list:
    """(id, name) of the territory's organisations not archived, by name."""
    return rows(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(Organisation.sort_name, french(Organisation.name))
    )


def _named_or(model, text: str, *columns):
    """Every word of ``text`` in the name (accents and case ignored, as the pickers search),
    or ``text`` in one of ``columns``."""
    pattern = f"%{text.lower()}%"
    return or_(and_(*(model.search_name.like(f"%{word}%") for word in words(text))),
               *(func.lower(column).like(pattern) for column in columns))


def organisation_query(territory_id: int, filters: dict) -> Select:
    """Organisations of a territory matching the list's search and filters."""
    statement = select(Organisation).where(Organisation.territory_id == territory_id)
    if filters.get("archived"):
        statement = statement.where(Organisation.archived_at.is_not(None))
    else:
        statement = statement.where(Organisation.archived_at.is_(None))
    if text := filters.get("q"):
        statement = statement.where(_named_or(Organisation, text, Organisation.description))
    for field in ("kind", "commune", "sector"):
        if value := filters.get(field):
            statement = statement.where(getattr(Organisation, field) == value)
    # the index on (territory, sort_name) gives the order; the collation breaks ties only
    return statement.order_by(Organisation.sort_name, french(Organisation.name), Organisation.id)


def filter_values(territory_id: int, column) -> list[str]:
    """Distinct non-empty values of a column, for the filter menus."""
    return list(db.session.scalars(
        select(column)
        .where(Organisation.territory_id == territory_id, column != "")
        .distinct()
        .order_by(column)
    ))


def person_query(territory_id: int, filters: dict) -> Select:
    statement = (
        select(Person)
        .where(Person.territory_id == territory_id)
        .options(selectinload(Person.organisation))
    )
    if filters.get("archived"):
        statement = statement.where(Person.archived_at.is_not(None))
    else:
        statement = statement.where(Person.archived_at.is_(None))
    if text := filters.get("q"):
        statement = statement.where(_named_or(Person, text, Person.function))
    if organisation_id := filters.get("organisation"):
        statement = statement.where(Person.organisation_id == organisation_id)
    return statement.order_by(Person.sort_name, french(Person.last_name),
                              french(Person.first_name), Person.id)


def organisations_to_export(territory_id: int, filters: dict) -> list[Organisation]:
    """The organisations of the list (search and filters) with their people."""
    return db.session.scalars(organisation_query(territory_id, filters).options(
        selectinload(Organisation.people))).all()


def people_to_export(territory_id: int, filters: dict) -> list[Person]:
    """The people of the list (search and filters) with their organisations."""
    return db.session.scalars(person_query(territory_id, filters)).all()
