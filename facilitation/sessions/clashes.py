"""Planning clashes, said rather than silent: the same person expected in two sessions at
once (a member of both working groups, or registered to both), two sessions at the same
place at once, and a session on a weekend or a French public holiday. Plain functions of
loaded sessions; ``clashes_of(session)`` loads what one saved session needs."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import flash
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from extensions import db
from facilitation.sessions.live.models import Attendee
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import to_local
from facilitation.working_groups.models import WorkingGroupMember
from territorial.actors.models import Person
from territorial.common import working_days
from territorial.documents.formats import french_date_formatter, hour


@dataclass
class Clash:
    kind: str                      # "person", "place", "day_off", "deliverable"
    message: str
    session_ids: tuple[int, ...] = field(default_factory=tuple)


def people_of(sessions: Iterable[Meeting]) -> dict[int, dict[int, str]]:
    """The people expected at each session, by session id: {person id: name}. Members of
    the session's working group, and people registered to it, unless excused or absent
    (two queries)."""
    sessions = list(sessions)
    people: dict[int, dict[int, str]] = defaultdict(dict)
    by_group = defaultdict(list)
    for session in sessions:
        if session.working_group_id:
            by_group[session.working_group_id].append(session.id)
    if by_group:
        for group_id, person_id, who in db.session.execute(
                _GROUP_MEMBERS, {"group_ids": list(by_group)}):
            for session_id in by_group[group_id]:
                people[session_id][person_id] = who.strip()
    ids = [session.id for session in sessions]
    if ids:
        for session_id, person_id, who in db.session.execute(
                _REGISTERED, {"session_ids": ids}):
            people[session_id][person_id] = who.strip()
    return people


# The statements of ``people_of``, built once (their ids as expanding bound parameters):
# SQLAlchemy computes their cache key once per process, not at each page.
_NAME = Person.first_name + " " + Person.last_name
_GROUP_MEMBERS = (
    select(WorkingGroupMember.working_group_id, Person.id, _NAME)
    .join(Person, Person.id == WorkingGroupMember.person_id)
    .where(WorkingGroupMember.working_group_id.in_(bindparam("group_ids", expanding=True))))
_REGISTERED = (
    select(Attendee.session_id, Person.id, _NAME)
    .join(Person, Person.id == Attendee.person_id)
    .where(Attendee.session_id.in_(bindparam("session_ids", expanding=True)),
           Attendee.status.not_in(("excuse", "absent"))))


def _place(session: Meeting) -> str:
    return " ".join((session.place or "").lower().split())


def overlapping(sessions: list[Meeting]) -> list[tuple[Meeting, Meeting]]:
    """The pairs of sessions that share some time (one ends after the other starts)."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.id))
    pairs = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second.starts_at >= first.ends_at:
                break
            pairs.append((first, second))
    return pairs


def session_clashes(sessions: list[Meeting], people: dict[int, dict[int, str]]) -> list[Clash]:
    """The clashes among ``sessions``: people and places taken twice at once, days off.
    Each session's day, place and people are read once, not once per pair."""
    clashes = []
    whens, places = {}, {s.id: _place(s) for s in sessions}
    expected = {s.id: set(people.get(s.id, {}).items()) for s in sessions}
    full_date, at = french_date_formatter("full"), _("%(day)s à %(time)s")

    def _when(session: Meeting) -> str:
        """« mardi 3 mars 2026 à 14 h »."""
        if session.id not in whens:
            start = to_local(session.starts_at)
            whens[session.id] = at % {"day": full_date(start.date()), "time": hour(start)}
        return whens[session.id]

    # each message translated once; the pairs fill it in
    two_at_once = _("%(people)s : attendu·es à deux séances en même temps, « %(first)s » et "
                    "« %(second)s » (%(when)s).")
    same_place = _("« %(first)s » et « %(second)s » au même lieu en même temps (%(place)s, "
                   "%(when)s).")
    for first, second in overlapping(sessions):
        both = sorted(expected[first.id] & expected[second.id], key=lambda item: item[1])
        if both:
            clashes.append(Clash("person", two_at_once % {
                "people": ", ".join(who for _id, who in both), "first": first.title,
                "second": second.title, "when": _when(second)}, (first.id, second.id)))
        if places[first.id] and places[first.id] == places[second.id]:
            clashes.append(Clash("place", same_place % {
                "first": first.title, "second": second.title, "place": second.place,
                "when": _when(second)}, (first.id, second.id)))
    day_off, days_off = _("« %(title)s » tombe %(why)s (%(when)s)."), working_days.days_off()
    for session in sessions:
        if (why := days_off(to_local(session.starts_at).date())):
            clashes.append(Clash("day_off", day_off % {
                "title": session.title, "why": why, "when": _when(session)}, (session.id,)))
    return clashes


def clashes_of(session: Meeting) -> list[Clash]:
    """The clashes of one session with the territory's sessions at the same time, and its
    own day: what its form says once it is saved."""
    others = list(db.session.scalars(select(Meeting).where(
        Meeting.territory_id == session.territory_id, Meeting.id != session.id,
        Meeting.starts_at < session.ends_at, Meeting.ends_at > session.starts_at)))
    found = session_clashes([session, *others], people_of([session, *others]))
    return [clash for clash in found if session.id in clash.session_ids]


def flash_clashes(session: Meeting) -> None:
    """After a save: each clash of the session, as a warning at the top of its page."""
    for clash in clashes_of(session):
        flash(clash.message, "warning")
