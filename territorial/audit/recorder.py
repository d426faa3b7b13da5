"""Writes audit entries for every audited object in a flush, whoever changed it.

Listening to the session rather than calling a helper in each operation means a
new capability is audited by declaring ``__audited__ = True`` on its models
(``TerritoryOwned`` does it), with nothing to forget in its views.
"""
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from territorial.audit.models import AuditEntry
from territorial.common.models import utcnow

IGNORED_FIELDS = {"created_at", "updated_at", "password_hash", "session_token", "version_id",
                  "edit_version", "changed_at", "changed_by_id", "device_key"}


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} octets>"  # a file's content is not copied into the journal
    return str(value)


def _changes(obj) -> dict:
    changes = {}
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        history = inspect(obj).attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[attr.key] = [_jsonable(old), _jsonable(new)]
    return changes


def _values(obj) -> dict:
    """The values of a created or deleted object, by column (the empty ones left out)."""
    return {attr.key: _jsonable(getattr(obj, attr.key))
            for attr in inspect(obj).mapper.column_attrs
            if attr.key not in IGNORED_FIELDS and getattr(obj, attr.key) not in (None, "")}


def _current_user_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _is_audited(obj) -> bool:
    return getattr(type(obj), "__audited__", False)


@event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if _is_audited(obj):
            pending.append(("create", obj, None))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            if changes:
                pending.append(("update", obj, changes))
    for obj in session.deleted:
        if _is_audited(obj):  # its values read now, while the object is whole
            pending.append(("delete", obj, _row("delete", obj, _values(obj))))


@event.listens_for(Session, "after_flush")
def _write(session: Session, flush_context) -> None:
    """New objects only have an id after the flush: their entries are written here."""
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    rows = []
    for action, obj, changes in pending:
        if action == "delete":
            rows.append(changes)  # built before the flush, while the object was whole
            continue
        rows.append(_row(action, obj, _values(obj) if action == "create" else changes))
    session.connection().execute(AuditEntry.__table__.insert(), rows)


def _row(action: str, obj, changes: dict) -> dict:
    return {
        "created_at": utcnow(),
        "territory_id": getattr(obj, "territory_id", None),
        "user_id": _current_user_id(),
        "action": action,
        "object_type": type(obj).__name__,
        "object_id": obj.id,
        "label": obj.audit_label()[:300],
        "changes": changes,
    }


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("audit_pending", None)
