"""Queries of sessions: the Agenda (a territory's sessions, past, upcoming or all), a
session's agenda items, a working group's sessions."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.sessions.models import AgendaItem, Meeting
from territorial.common.models import utcnow


def agenda_statement(territory_id: int, when: str) -> Select:
    """The territory's sessions with their experiment and group: « past » latest first,
    « all » in order, « upcoming » (not ended yet) in order."""
    statement = select(Meeting).where(Meeting.territory_id == territory_id)
    now = utcnow()
    if when == "past":
        statement = statement.where(Meeting.starts_at < now).order_by(
            Meeting.starts_at.desc(), Meeting.id.desc())
    elif when == "all":
        statement = statement.order_by(Meeting.starts_at, Meeting.id)
    else:
        statement = statement.where(Meeting.ends_at >= now).order_by(
            Meeting.starts_at, Meeting.id)
    return statement.options(selectinload(Meeting.experiment),
                             selectinload(Meeting.working_group))


def feed_sessions(territory_id: int, limit: int) -> list[Meeting]:
    """The territory's latest ``limit`` sessions with their groups, for the calendar feed."""
    return db.session.scalars(
        select(Meeting).where(Meeting.territory_id == territory_id)
        .options(selectinload(Meeting.working_group))
        .order_by(Meeting.starts_at.desc()).limit(limit)).all()


def agenda_of(session: Meeting) -> list[AgendaItem]:
    """The session's agenda items, in their order."""
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.session_id == session.id)
        .order_by(AgendaItem.position, AgendaItem.id)))


def sessions_of_group(working_group_id: int) -> list[Meeting]:
    """The sessions of a working group, in their order."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.working_group_id == working_group_id)
        .order_by(Meeting.starts_at, Meeting.id)))
