"""Changes to organisations and people: saving, archiving, imports (their lists' queries in
``queries.py``)."""
from sqlalchemy import select

from extensions import db
from territorial.actors import importing, mapping
from territorial.actors.models import ImportBatch, ImportMapping
from territorial.common.models import utcnow


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
                 header: list[str], rows: list[dict], owner_id: int | None = None
                 ) -> ImportBatch:
    """A read file waiting for its mapping, starting from the choices confirmed for the same
    headers in the territory, or from the proposal."""
    remembered = _remembered(territory_id, target, header)
    batch = ImportBatch(territory_id=territory_id, user_id=user_id, filename=filename[:255],
                        target=target, owner_id=owner_id, header=header, rows=rows,
                        choices=importing.first_choices(header, rows,
                                                        remembered and remembered.choices,
                                                        target))
    db.session.add(batch)
    db.session.flush()
    return batch


def choose_import(batch: ImportBatch, submitted: dict) -> None:
    batch.choices = importing.changed_choices(batch.choices, submitted, batch.rows)
    db.session.flush()


def remember_import(batch: ImportBatch) -> None:
    """The import is applied: keep the confirmed columns and kinds for the next file with
    the same headers."""
    batch.applied_at = utcnow()
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
