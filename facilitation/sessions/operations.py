"""Creating sessions and their agendas; checking their dates.

Other capabilities create sessions through ``create_session`` (a copil of a charter, a
yearly review of a convention…); the planning of an experiment uses it too.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from territorial.common.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from facilitation.sessions.models import SESSION_KINDS, AgendaItem
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError

PARIS = ZoneInfo("Europe/Paris")

# A copil is not a step of the method's sequence: its default agenda lives here.
DEFAULT_AGENDAS = {
    "copil": [
        {"title": "Point d'avancement de l'expérimentation", "duration_minutes": 45},
        {"title": "Décisions à prendre", "duration_minutes": 45},
        {"title": "Prochaines étapes et prochain copil", "duration_minutes": 30},
    ],
}

AGENDA_FIELDS = ("title", "duration_minutes", "notes", "contribution_kinds", "shows_interviews")
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Paris, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=PARIS)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def date_errors(
    starts_at: datetime, ends_at: datetime, period: tuple[date, date] | None = None
) -> dict[str, str]:
    """Why a session cannot have these dates, by field of the session forms (``day``,
    ``end_time``); empty when it can. ``period`` is the experiment's (start, end) when the
    session belongs to one."""
    errors = {}
    if ends_at <= starts_at:
        errors["end_time"] = _("L'heure de fin doit suivre l'heure de début.")
    if period is not None:
        first, last = period
        day = to_local(starts_at).date()
        if not first <= day <= last or to_local(ends_at).date() > last:
            errors["day"] = _(
                "La séance tombe en dehors de la période de l'expérimentation "
                "(du %(start)s au %(end)s).",
                start=format_date(first, "long"), end=format_date(last, "long"),
            )
    return errors


def groups_to_offer(experiment_id: int, current_id: int | None = None) -> list:
    """The experiment's working groups a session may belong to: the active ones, and the
    session's own group even if archived since."""
    from facilitation.working_groups.models import WorkingGroup

    return list(db.session.scalars(
        select(WorkingGroup).where(
            WorkingGroup.experiment_id == experiment_id,
            WorkingGroup.archived_at.is_(None) | (WorkingGroup.id == (current_id or 0)))
        .order_by(WorkingGroup.title, WorkingGroup.id)))


def check_group(experiment_id: int | None, working_group_id: int | None) -> None:
    """A session's working group belongs to the session's experiment."""
    if working_group_id is None:
        return
    from facilitation.working_groups.models import WorkingGroup

    group = db.session.get(WorkingGroup, working_group_id)
    if group is None or group.experiment_id != experiment_id:
        raise DomainError({"working_group_id": _(
            "Choisissez un groupe de travail de l'expérimentation de la séance.")})


def create_session(territory_id: int, **fields: Any) -> Meeting:
    """Create a session; ``agenda=[{title, duration_minutes, …}]`` sets its agenda too.

    Refuses (``DomainError``) a session that would end before it starts, or, when
    ``period`` (the experiment's (start, end) dates) is given, one outside it.
    """
    agenda = fields.pop("agenda", None)
    period = fields.pop("period", None)
    if errors := date_errors(fields["starts_at"], fields["ends_at"], period):
        raise DomainError(errors)
    check_group(fields.get("experiment_id"), fields.get("working_group_id"))
    if fields.get("kind", "autre") not in SESSION_KINDS:
        raise ValueError(f"unknown session kind {fields['kind']!r}")
    session = Meeting(territory_id=territory_id, **fields)
    db.session.add(session)
    db.session.flush()
    if agenda:
        set_agenda(session, agenda)
    return session


def set_agenda(session: Meeting, items: Iterable[Mapping[str, Any] | str]) -> list[AgendaItem]:
    """Replace the agenda of ``session`` with ``items`` (dicts, or plain titles), in order."""
    current = db.session.scalars(
        select(AgendaItem).where(AgendaItem.session_id == session.id)
    ).all()
    for item in current:
        db.session.delete(item)
    db.session.flush()
    created = []
    for position, item in enumerate(items):
        values = {"title": item} if isinstance(item, str) else {
            key: item[key] for key in AGENDA_FIELDS if key in item
        }
        values.setdefault("contribution_kinds", [])
        values.setdefault("shows_interviews", False)
        values.setdefault("notes", "")
        created.append(AgendaItem(
            territory_id=session.territory_id, session_id=session.id, position=position,
            **values,
        ))
    db.session.add_all(created)
    db.session.flush()
    return created


def agenda_from_method(method: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The default agenda of a session ``kind`` in a method template (copies, in order)."""
    for step in method.get("sessions", []):
        if step["kind"] == kind:
            return [
                {
                    "title": " ".join(item["title"].split()),
                    "duration_minutes": item.get("duration_minutes"),
                    "contribution_kinds": list(item.get("contribution_kinds", [])),
                    "shows_interviews": bool(item.get("shows_interviews", False)),
                }
                for item in step["agenda"]
            ]
    return [dict(item, contribution_kinds=[], shows_interviews=False)
            for item in DEFAULT_AGENDAS.get(kind, [])]


def update_session(
    session: Meeting, values: Mapping[str, Any], period: tuple[date, date] | None = None
) -> None:
    """Change a session's fields after checking its dates. A session changed by someone
    else since it was loaded is refused with 409 (nothing of this change is written)."""
    starts_at = values.get("starts_at", session.starts_at)
    ends_at = values.get("ends_at", session.ends_at)
    if errors := date_errors(starts_at, ends_at, period):
        raise DomainError(errors)
    if "working_group_id" in values:
        check_group(session.experiment_id, values["working_group_id"])
    for key, value in values.items():
        setattr(session, key, value)
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise DomainError(_("Cette séance vient d'être modifiée par quelqu'un d'autre : voici "
                            "sa version à jour, refaites votre modification."),
                          status=409) from error


def add_agenda_item(session: Meeting, title: str, duration_minutes: int | None,
                    notes: str = "") -> AgendaItem:
    last = db.session.scalar(
        select(db.func.max(AgendaItem.position)).where(AgendaItem.session_id == session.id)
    )
    item = AgendaItem(
        territory_id=session.territory_id, session_id=session.id,
        position=(last if last is not None else -1) + 1, title=title,
        duration_minutes=duration_minutes, notes=notes, contribution_kinds=[],
        shows_interviews=False,
    )
    db.session.add(item)
    db.session.flush()
    return item


def move_agenda_item(item: AgendaItem, offset: int) -> None:
    """Swap an item with its neighbour (offset -1: up, +1: down)."""
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.session_id == item.session_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    db.session.flush()


def delete_agenda_item(item: AgendaItem) -> None:
    db.session.delete(item)
    db.session.flush()


def new_join_code(length: int = 6) -> str:
    """A short code, unused so far, for participants to join from their phone."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))
        taken = db.session.scalar(select(Meeting.id).where(Meeting.join_code == code))
        if taken is None:
            return code


def update_agenda_item(item: AgendaItem, title: str, duration_minutes: int | None,
                       notes: str = "") -> AgendaItem:
    item.title, item.duration_minutes, item.notes = title, duration_minutes, notes
    db.session.flush()
    return item


def delete_session(session: Meeting) -> None:
    db.session.delete(session)
    db.session.flush()
