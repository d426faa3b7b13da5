"""iCalendar export of sessions (one, an experiment's planning, a territory's agenda)."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

from icalendar import Calendar, Event

from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from territorial.common.models import utcnow

PRODID = "-//Partenariats territoriaux//Agenda//FR"
UID_DOMAIN = "partenariats-territoriaux"


def session_uid(session: Meeting) -> str:
    return f"session-{session.id}@{UID_DOMAIN}"


def _description(session: Meeting, agenda: Sequence[AgendaItem], url: str | None) -> str:
    lines = []
    if session.working_group_id and session.working_group is not None:
        lines.append(f"Groupe de travail : {session.working_group.title}")
    if agenda:
        lines.append("Ordre du jour :")
        for item in agenda:
            minutes = f" ({item.duration_minutes} min)" if item.duration_minutes else ""
            lines.append(f"- {item.title}{minutes}")
    if url:
        lines.append(f"Sur la plateforme : {url}")
    return "\n".join(lines)


def build_ics(sessions: Iterable[Meeting], calendar_name: str,
              url_for_session: Callable[[Meeting], str] | None = None,
              agendas: dict[int, Sequence[AgendaItem]] | None = None) -> io.BytesIO:
    """A VCALENDAR with one VEVENT per session. ``agendas`` (session id → items) adds the
    agenda to each description; the sessions' ``working_group`` must be loaded if set."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = utcnow()
    for session in sessions:
        event = Event()
        url = url_for_session(session) if url_for_session else None
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.title)
        if session.place:
            event.add("location", session.place)
        description = _description(session, (agendas or {}).get(session.id, ()), url)
        if description:
            event.add("description", description)
        if url:
            event.add("url", url)
        event.add("categories", [session.kind_label])
        event.add("status", "CONFIRMED")
        event.add("sequence", max(session.version_id - 1, 0))
        calendar.add_component(event)
    return io.BytesIO(calendar.to_ical())
