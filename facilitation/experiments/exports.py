"""The agendas of many sessions at once (the planning's iCalendar feed and document)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from extensions import db
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting


def agendas_of(sessions: Sequence[Meeting]) -> dict[int, list[AgendaItem]]:
    """Session id → its agenda items, in one query."""
    items: dict[int, list[AgendaItem]] = defaultdict(list)
    ids = [s.id for s in sessions]
    if ids:
        for item in db.session.scalars(select(AgendaItem).where(AgendaItem.session_id.in_(ids))
                                       .order_by(AgendaItem.position, AgendaItem.id)):
            items[item.session_id].append(item)
    return items
