"""The journal's reads: a territory's entries, newest first, and the kinds of object they name."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.audit.models import AuditEntry
from territorial.audit.words import kind_name


def journal_entries(territory_id: int, object_type: str = ""):
    """The statement of a territory's entries (of one kind of object when given)."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.territory_id == territory_id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if object_type:
        statement = statement.where(AuditEntry.object_type == object_type)
    return statement


def recorded_kinds(territory_id: int) -> list[tuple[str, str]]:
    """(object_type, its name in words) of the kinds the territory's journal names, by name."""
    types = db.session.scalars(select(AuditEntry.object_type).distinct().where(
        AuditEntry.territory_id == territory_id))
    return sorted(((kind, kind_name(kind)) for kind in types), key=lambda pair: pair[1].lower())
