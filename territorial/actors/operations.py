"""Organisation and person rules, and the queries of the actor lists."""
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors.models import ImportBatch, Organisation, Person
from territorial.common.models import utcnow


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
    return statement.order_by(func.lower(Organisation.name), Organisation.id)


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
    return statement.order_by(func.lower(Person.last_name), Person.id)


def organisation_choices(territory_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(func.lower(Organisation.name))
    )
    return list(rows)


def save(obj, data: dict, territory_id: int):
    """Create or update an organisation or a person from validated form data."""
    for key, value in data.items():
        if hasattr(obj, key) and key not in {"id", "territory_id", "csrf_token"}:
            setattr(obj, key, value)
    obj.territory_id = territory_id
    db.session.add(obj)
    db.session.flush()
    return obj


def set_archived(obj, archived: bool) -> None:
    obj.archived_at = utcnow() if archived else None
    db.session.flush()


def store_import(territory_id: int, user_id: int, filename: str, rows: list[dict]) -> ImportBatch:
    batch = ImportBatch(territory_id=territory_id, user_id=user_id, filename=filename, rows=rows)
    db.session.add(batch)
    db.session.flush()
    return batch
