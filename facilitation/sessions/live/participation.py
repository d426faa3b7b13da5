"""Running a session: its status, its clock, who attends (the attendance the facilitator
records, guests, merging two attendees, freeing a phone). Joining from a phone is in
``phones``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.sessions.live import rules
from facilitation.sessions.live.models import (
    ATTENDANCE_STATUSES,
    Attendee,
    Contribution,
    Dot,
    DotVote,
    LiveState,
)
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import new_join_code
from facilitation.working_groups.models import WorkingGroupMember
from territorial.actors.models import Organisation, Person
from territorial.common.collation import french
from territorial.common.models import utcnow
from territorial.common.errors import DomainError


# Live state and status --------------------------------------------------------------------

def live_state(session: Meeting) -> LiveState | None:
    return db.session.scalar(select(LiveState).where(LiveState.session_id == session.id))


def ensure_live_state(session: Meeting) -> LiveState:
    state = live_state(session)
    if state is None:
        state = LiveState(territory_id=session.territory_id, session_id=session.id)
        db.session.add(state)
        db.session.flush()
    return state


def agenda(session: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.session_id == session.id)
        .order_by(AgendaItem.position, AgendaItem.id)))


def open_session(session: Meeting) -> LiveState:
    """préparée → ouverte: a join code, the clock on the first step of the agenda."""
    error = rules.transition_error(session.status, "ouverte")
    if error:
        raise DomainError(error, status=409)
    state = ensure_live_state(session)
    items = agenda(session)
    now = utcnow()
    state.opened_at = now
    if items and state.current_agenda_item_id is None:
        state.current_agenda_item_id, state.step_started_at = items[0].id, now
    if not session.join_code:
        session.join_code = new_join_code()
    session.status = "ouverte"
    db.session.flush()
    return state


def close_session(session: Meeting) -> None:
    """ouverte → clôturée: the votes under way close, the participants' access ends, and
    the compte rendu is drafted if nobody wrote it yet."""
    from facilitation.sessions.live import minutes

    error = rules.transition_error(session.status, "cloturee")
    if error:
        raise DomainError(error, status=409)
    now = utcnow()
    for vote in db.session.scalars(
            select(DotVote).where(DotVote.session_id == session.id, DotVote.status == "ouvert")):
        vote.status, vote.closed_at = "clos", now
    state = ensure_live_state(session)
    state.closed_at = now
    if state.phase == "ecriture":
        from facilitation.sessions.live import phases

        phases.reveal(session)  # what was written in silence belongs to the minutes
    state.phase = "discussion"
    if state.step_started_at is not None:
        state.current_agenda_item_id, state.step_started_at = None, None
    db.session.flush()
    draft = None if session.minutes.strip() else minutes.draft_text(session, closing=True)
    session.status = "cloturee"
    if draft is not None:
        session.minutes = draft
    db.session.flush()


def set_step(session: Meeting, agenda_item_id: int | None) -> LiveState:
    """Start the clock on a step of the agenda (None stops it)."""
    rules.ensure_not_closed(session)
    state = ensure_live_state(session)
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.session_id != session.id:
            raise DomainError(_("Ce point n'est pas à l'ordre du jour de la séance."))
    state.current_agenda_item_id = agenda_item_id
    state.step_started_at = utcnow() if agenda_item_id is not None else None
    db.session.flush()
    return state


def next_step(session: Meeting) -> LiveState:
    """Move the clock to the step after the current one (or the first)."""
    state = ensure_live_state(session)
    items = agenda(session)
    ids = [item.id for item in items]
    if state.current_agenda_item_id in ids:
        index = ids.index(state.current_agenda_item_id) + 1
        target = ids[index] if index < len(ids) else None
    else:
        target = ids[0] if ids else None
    return set_step(session, target)


def set_anonymous_allowed(session: Meeting, allowed: bool) -> None:
    rules.ensure_not_closed(session)
    ensure_live_state(session).anonymous_allowed = allowed
    db.session.flush()


@dataclass
class Clock:
    """The step under way: what the page needs to show a running clock."""

    item: AgendaItem | None
    started_at: object
    planned_minutes: int | None
    position: int
    count: int


def clock(session: Meeting, state: LiveState | None,
          items: list[AgendaItem]) -> Clock:
    current = None
    if state is not None and state.current_agenda_item_id is not None:
        current = next((i for i in items if i.id == state.current_agenda_item_id), None)
    position = items.index(current) + 1 if current is not None else 0
    return Clock(current, state.step_started_at if current is not None else None,
                 current.duration_minutes if current is not None else None, position, len(items))


def step_clock(session: Meeting, state: LiveState | None) -> Clock:
    """The clock of the step under way; the agenda is read only when a step is under way
    (a poll of a session between steps or closed costs no query for it)."""
    if state is None or state.current_agenda_item_id is None:
        return Clock(None, None, None, 0, 0)
    return clock(session, state, agenda(session))


# Attendance -------------------------------------------------------------------------------

@dataclass
class AttendanceRow:
    """A member of the group (with or without a recorded status) or a guest."""

    name: str
    organisation: str
    person_id: int | None
    attendee: Attendee | None

    @property
    def status(self) -> str:
        return self.attendee.status if self.attendee else ""

    @property
    def key(self) -> str:
        return f"p{self.person_id}" if self.person_id else f"a{self.attendee.id}"


def group_members(session: Meeting) -> list[Person]:
    if session.working_group_id is None:
        return []
    return list(db.session.scalars(
        select(Person).join(WorkingGroupMember, WorkingGroupMember.person_id == Person.id)
        .where(WorkingGroupMember.working_group_id == session.working_group_id)
        .options(selectinload(Person.organisation))
        .order_by(french(Person.last_name), french(Person.first_name))))


def attendees(session: Meeting) -> list[Attendee]:
    return list(db.session.scalars(
        select(Attendee).where(Attendee.session_id == session.id)
        .order_by(Attendee.is_guest, french(Attendee.name), Attendee.id)))


def attendance_rows(session: Meeting) -> list[AttendanceRow]:
    """Every member of the group (status not yet recorded shows empty), then the guests and
    the attendees who are not (or no longer) members."""
    members = group_members(session)
    recorded = attendees(session)
    by_person = {a.person_id: a for a in recorded if a.person_id}
    rows = [AttendanceRow(p.full_name, p.organisation.name if p.organisation else "", p.id,
                          by_person.get(p.id)) for p in members]
    member_ids = {p.id for p in members}
    for attendee in recorded:
        if attendee.person_id is None or attendee.person_id not in member_ids:
            rows.append(AttendanceRow(attendee.name, attendee.organisation_name,
                                      attendee.person_id, attendee))
    return rows


def person_of_territory(session: Meeting, person_id: int) -> Person:
    person = db.session.scalar(
        select(Person).where(Person.id == person_id, Person.territory_id == session.territory_id)
        .options(selectinload(Person.organisation)))
    if person is None:
        raise DomainError(_("Cette personne n'est pas un acteur du territoire."))
    return person


def attendee_for_person(session: Meeting, person: Person) -> Attendee:
    attendee = db.session.scalar(select(Attendee).where(
        Attendee.session_id == session.id, Attendee.person_id == person.id))
    if attendee is None:
        attendee = Attendee(
            territory_id=session.territory_id, session_id=session.id, person_id=person.id,
            name=person.full_name, organisation_id=person.organisation_id,
            organisation_name=person.organisation.name if person.organisation else "",
            status="absent", is_guest=False,
        )
        db.session.add(attendee)
    return attendee


def record_attendance(session: Meeting, statuses: Mapping[str, str]) -> int:
    """Record statuses keyed like ``AttendanceRow.key`` (« p12 » a person, « a7 » an
    attendee). Returns how many changed."""
    rules.ensure_not_closed(session)
    rows = {row.key: row for row in attendance_rows(session)}
    changed = 0
    for key, status in statuses.items():
        if not status or key not in rows:
            continue
        if status not in ATTENDANCE_STATUSES:
            raise DomainError(_("Statut de présence inconnu."))
        row = rows[key]
        attendee = row.attendee
        if attendee is None:
            attendee = attendee_for_person(session, person_of_territory(session, row.person_id))
        if attendee.status != status or attendee.id is None:
            attendee.status = status
            changed += 1
    db.session.flush()
    return changed


def add_guest(session: Meeting, name: str, organisation_name: str = "",
              organisation_id: int | None = None, status: str = "present") -> Attendee:
    attendee = new_guest(session, name, organisation_name, organisation_id, status)
    db.session.add(attendee)
    db.session.flush()
    return attendee


def new_guest(session: Meeting, name: str, organisation_name: str = "",
              organisation_id: int | None = None, status: str = "present") -> Attendee:
    """A guest checked but not yet added to the database session."""
    rules.ensure_not_closed(session)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Indiquez le nom de la personne invitée."))
    if len(name) > 200 or len(organisation_name or "") > 200:
        raise DomainError(_("200 caractères au plus pour le nom et pour la structure."))
    organisation = None
    if organisation_id:
        organisation = db.session.scalar(select(Organisation).where(
            Organisation.id == organisation_id,
            Organisation.territory_id == session.territory_id))
        if organisation is None:
            raise DomainError(_("Cette structure n'est pas un acteur du territoire."))
    return Attendee(
        territory_id=session.territory_id, session_id=session.id, person_id=None, name=name,
        organisation_id=organisation.id if organisation else None,
        organisation_name=organisation.name if organisation else (organisation_name or "").strip(),
        status=status, is_guest=True,
    )


def attendance_counts(rows: Iterable[AttendanceRow]) -> dict[str, int]:
    counts = {key: 0 for key in ATTENDANCE_STATUSES} | {"": 0}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


# Merging two attendees, freeing a phone -----------------------------------------------------

def attendee_of(session: Meeting, attendee_id: int | None) -> Attendee:
    attendee = db.session.get(Attendee, attendee_id or 0)
    if attendee is None or attendee.session_id != session.id:
        raise DomainError(_("Cette personne n'est pas dans les présences de la séance."),
                              status=404)
    return attendee


def release_phone(session: Meeting, attendee: Attendee) -> None:
    """The phone that joined as ``attendee`` no longer is them: the name can be chosen
    again (from another phone, or the same one after a wrong choice)."""
    rules.ensure_not_closed(session)
    attendee.device_key = None
    db.session.flush()


def merge_attendees(session: Meeting, keep: Attendee, other: Attendee) -> int:
    """``other`` is the same person as ``keep`` (« Julie Marchand » joined as a guest and
    is a member; a phone and the facilitator's list): their cards and dots go to
    ``keep``, then ``other`` goes. The row of a group member always stays, whichever the
    facilitator chose to keep. Dots beyond one person's allowance are removed. Returns
    how many dots were removed."""
    rules.ensure_not_closed(session)
    if keep.id == other.id:
        raise DomainError(_("Choisissez deux personnes différentes."))
    if keep.person_id and other.person_id:
        raise DomainError(_("Deux membres du groupe sont deux personnes : ils ne peuvent "
                                "pas être fusionnés."))
    if other.person_id:
        keep, other = other, keep
    for card in db.session.scalars(select(Contribution).where(
            Contribution.author_attendee_id == other.id)):
        card.author_attendee_id = keep.id
        if card.author_name == other.name:
            card.author_name = keep.name
    removed = _move_dots(session, keep, other)
    if keep.status != "present" and other.status == "present":
        keep.status = "present"
    joined = [t for t in (keep.joined_at, other.joined_at) if t is not None]
    keep.joined_at = min(joined) if joined else None
    device = keep.device_key or other.device_key
    other.device_key = None
    db.session.flush()  # the phone is free before it moves (one attendee per phone)
    keep.device_key = device
    db.session.delete(other)
    db.session.flush()
    return removed


def _move_dots(session: Meeting, keep: Attendee, other: Attendee) -> int:
    """Renumber ``other``'s dots after ``keep``'s, within each vote's allowance."""
    removed = 0
    theirs = list(db.session.scalars(select(Dot).where(Dot.attendee_id == other.id)
                                     .order_by(Dot.vote_id, Dot.dot_number)))
    used: dict[int, set[int]] = {}
    for dot in db.session.scalars(select(Dot).where(Dot.attendee_id == keep.id)):
        used.setdefault(dot.vote_id, set()).add(dot.dot_number)
    moved = []
    for dot in theirs:
        taken = used.setdefault(dot.vote_id, set())
        free = next((n for n in range(1, dot.dots_allowed + 1) if n not in taken), None)
        if free is None:
            removed += 1
        else:
            taken.add(free)
            moved.append(Dot(territory_id=session.territory_id, vote_id=dot.vote_id,
                             contribution_id=dot.contribution_id, attendee_id=keep.id,
                             dot_number=free, dots_allowed=dot.dots_allowed))
        db.session.delete(dot)
    db.session.flush()
    db.session.add_all(moved)
    return removed
