"""Queries of the territory's actors: the lists of organisations and people (search and
filters), their export, and the organisations and people still active as the pickers of
other capabilities list them (RACI columns, frise partners)."""
from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.collation import french
from territorial.common.loading import rows


def live_organisations(territory_id: int) -> list:
    """(id, name) of the territory's organisations not archived, by name."""
    return rows(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(french(Organisation.name))
    )


def live_people(territory_id: int) -> list:
    """(id, first name, last name, function) of the territory's people not archived, by name."""
    return rows(
        select(Person.id, Person.first_name, Person.last_name, Person.function)
        .where(Person.territory_id == territory_id, Person.archived_at.is_(None))
        .order_by(french(Person.last_name), french(Person.first_name))
    )


def organisation_query(territory_id: int, filters: dict) -> Select:
    """Organisations of a territory matching the list's search and filters."""
    statement = select(Organisation).where(Organisation.territory_id == territory_id)
    if filters.get("archived"):
        statement = statement.where(Organisation.archived_at.is_not(None))
    else:
        statement = statement.where(Organisation.archived_at.is_(None))
    if text := filters.get("q"):
        pattern = f"%{text.lower()}%"
        statement = statement.where(
            or_(func.lower(Organisation.name).like(pattern),
                func.lower(Organisation.description).like(pattern))
        )
    for field in ("kind", "commune", "sector"):
        if value := filters.get(field):
            statement = statement.where(getattr(Organisation, field) == value)
    return statement.order_by(french(Organisation.name), Organisation.id)


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
        pattern = f"%{text.lower()}%"
        statement = statement.where(
            or_(func.lower(Person.last_name).like(pattern),
                func.lower(Person.first_name).like(pattern),
                func.lower(Person.function).like(pattern))
        )
    if organisation_id := filters.get("organisation"):
        statement = statement.where(Person.organisation_id == organisation_id)
    return statement.order_by(french(Person.last_name), Person.id)


def organisation_choices(territory_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(french(Organisation.name))
    )
    return list(rows)


def organisations_to_export(territory_id: int, filters: dict) -> list[Organisation]:
    """The organisations of the list (search and filters) with their people."""
    return db.session.scalars(organisation_query(territory_id, filters).options(
        selectinload(Organisation.people))).all()


def people_to_export(territory_id: int, filters: dict) -> list[Person]:
    """The people of the list (search and filters) with their organisations."""
    return db.session.scalars(person_query(territory_id, filters)).all()
