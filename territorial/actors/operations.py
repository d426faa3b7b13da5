"""Organisation and person rules, and the queries of the actor lists."""
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors import importing, mapping
from territorial.actors.models import ImportBatch, ImportMapping, Organisation, Person
from territorial.common.collation import french
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


def store_import(territory_id: int, user_id: int, filename: str, target: str,
                 header: list[str], rows: list[dict]) -> ImportBatch:
    """A read file waiting for its mapping, starting from the choices confirmed for the same
    headers in the territory, or from the proposal."""
    remembered = _remembered(territory_id, target, header)
    batch = ImportBatch(territory_id=territory_id, user_id=user_id, filename=filename[:255],
                        target=target, header=header, rows=rows,
                        choices=importing.first_choices(header, rows,
                                                        remembered and remembered.choices))
    db.session.add(batch)
    db.session.flush()
    return batch


def choose_import(batch: ImportBatch, submitted: dict) -> None:
    batch.choices = importing.changed_choices(batch.choices, submitted, batch.rows)
    db.session.flush()


def remember_import(batch: ImportBatch) -> None:
    """Keep the confirmed columns and kinds for the next file with the same headers."""
    remembered = _remembered(batch.territory_id, batch.target, batch.header)
    if remembered is None:
        remembered = ImportMapping(territory_id=batch.territory_id, target=batch.target,
                                   headers_key=mapping.headers_key(batch.header))
        db.session.add(remembered)
    remembered.choices = {"columns": batch.choices["columns"], "kinds": batch.choices["kinds"]}
    db.session.flush()


def _remembered(territory_id: int, target: str, header: list[str]) -> ImportMapping | None:
    return db.session.scalar(select(ImportMapping).where(
        ImportMapping.territory_id == territory_id, ImportMapping.target == target,
        ImportMapping.headers_key == mapping.headers_key(header)))
