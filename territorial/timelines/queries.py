"""Queries of the frise: a timeline loaded whole (a fixed number of queries whatever its
size), its entries, levels, notes and snapshots, where a partner stands."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.errors import DomainError
from territorial.common.loading import set_children
from territorial.timelines.models import (
    TERM_ORDER,
    TERMS,
    ContactEvent,
    PartnerTimeline,
    StepAsideNote,
    TimelineEntry,
    TimelineLevel,
    TimelineSnapshot,
)


def load_timeline(timeline_or_id: PartnerTimeline | int, with_notes: bool = True
                  ) -> PartnerTimeline | None:
    """The timeline with levels, entries, partners, contacts and notes (the pas de côté's,
    unless ``with_notes`` is false: a page that does not show them), fresh from the
    database in five queries whatever its size; no territory check (the caller loaded
    the owner with get_or_404)."""
    timeline_id = timeline_or_id.id if isinstance(timeline_or_id, PartnerTimeline) \
        else timeline_or_id
    timeline = db.session.scalar(select(PartnerTimeline).where(PartnerTimeline.id == timeline_id)
                                 .execution_options(populate_existing=True))
    return None if timeline is None else fill_timeline(timeline, with_notes)


def fill_timeline(timeline: PartnerTimeline, with_notes: bool = True) -> PartnerTimeline:
    """The levels, entries, partners, contacts (and notes, see ``load_timeline``) of a
    timeline just selected in this request, fresh from the database."""
    params = {"timeline_id": timeline.id}
    set_children([timeline], "levels", _LEVELS, "timeline_id", params)
    set_children([timeline], "entries", _ENTRIES, "timeline_id", params)
    set_children(timeline.entries, "contacts", _CONTACTS, "entry_id", params)
    if with_notes:
        set_children(timeline.entries, "step_aside_notes", _NOTES, "entry_id", params)
    return timeline


# What an entry's ``name`` and ``kind`` read of its partner, and nothing else.
_PARTNER_NAMES = (
    joinedload(TimelineEntry.organisation).load_only(Organisation.name, Organisation.kind),
    joinedload(TimelineEntry.person).load_only(
        Person.first_name, Person.last_name, Person.function, Person.organisation_id)
    .joinedload(Person.organisation).load_only(Organisation.name, Organisation.kind),
)


def _fresh(statement):
    return statement.execution_options(populate_existing=True)


# The statements of ``fill_timeline``, built once (with the timeline's id as a bound
# parameter): SQLAlchemy then computes their cache key once per process, not per request.
_TIMELINE_ID = bindparam("timeline_id")
_ENTRY_IDS = select(TimelineEntry.id).where(TimelineEntry.timeline_id == _TIMELINE_ID)
_LEVELS = _fresh(select(TimelineLevel).where(TimelineLevel.timeline_id == _TIMELINE_ID)
                 .order_by(TimelineLevel.position, TimelineLevel.id))
_ENTRIES = _fresh(select(TimelineEntry).where(TimelineEntry.timeline_id == _TIMELINE_ID)
                  .options(*_PARTNER_NAMES).order_by(TimelineEntry.position, TimelineEntry.id))
_CONTACTS = _fresh(select(ContactEvent).where(ContactEvent.entry_id.in_(_ENTRY_IDS))
                   .order_by(ContactEvent.on_date, ContactEvent.id))
_NOTES = _fresh(select(StepAsideNote).where(StepAsideNote.entry_id.in_(_ENTRY_IDS))
                .order_by(StepAsideNote.kind, StepAsideNote.id))


# The frises of an owner, first first (built once, like the statements above).
_OWNED = (select(PartnerTimeline)
          .where(PartnerTimeline.territory_id == bindparam("territory_id"),
                 PartnerTimeline.owner_type == bindparam("owner_type"),
                 PartnerTimeline.owner_id == bindparam("owner_id"))
          .order_by(PartnerTimeline.id))


def find_timeline(territory_id: int, owner_type: str, owner_id: int) -> PartnerTimeline | None:
    return db.session.scalars(_OWNED, {"territory_id": territory_id, "owner_type": owner_type,
                                       "owner_id": owner_id}).first()


def _levels(timeline: PartnerTimeline) -> list[TimelineLevel]:
    return list(db.session.scalars(
        select(TimelineLevel).where(TimelineLevel.timeline_id == timeline.id)
        .order_by(TimelineLevel.position, TimelineLevel.id)))


def dated_entries_outside(timeline: PartnerTimeline, starts_on, ends_on) -> list[TimelineEntry]:
    statement = select(TimelineEntry).where(
        TimelineEntry.timeline_id == timeline.id, TimelineEntry.on_date.is_not(None))
    outside = []
    for entry in db.session.scalars(statement.options(
            joinedload(TimelineEntry.organisation), joinedload(TimelineEntry.person))):
        if (starts_on and entry.on_date < starts_on) or (ends_on and entry.on_date > ends_on):
            outside.append(entry)
    return outside


def level_of(timeline: PartnerTimeline, level_id) -> TimelineLevel:
    level = db.session.get(TimelineLevel, level_id) if isinstance(level_id, int) else None
    if level is None or level.timeline_id != timeline.id:
        raise DomainError(_("Ce niveau n'est pas défini pour cette frise : choisissez l'un de "
                           "ses niveaux (co-porteur, allié, information…)."), field="level_id")
    return level


def term_of_date(timeline: PartnerTimeline, on_date: date) -> str:
    """The term column of a dated entry: the project's span cut in three."""
    start, end = timeline.starts_on, timeline.ends_on
    if not start or not end or end <= start:
        return TERM_ORDER[0]
    share = (on_date - start).days / (end - start).days
    return TERM_ORDER[min(2, max(0, int(share * 3)))]


def effective_term(timeline: PartnerTimeline, entry: TimelineEntry) -> str:
    return entry.term or term_of_date(timeline, entry.on_date)


def placement(timeline: PartnerTimeline, entry: TimelineEntry) -> str:
    """Where a partner is, in words: « Allié, moyen terme » or « Allié, 12/03/2026 »."""
    level = next(lv.label for lv in timeline.levels if lv.id == entry.level_id)
    when = entry.on_date.strftime("%d/%m/%Y") if entry.on_date else str(TERMS[entry.term]).lower()
    return f"{level}, {when}"


def _entry_name(entry: TimelineEntry) -> str:
    if entry.organisation_id:
        return db.session.get(Organisation, entry.organisation_id).name
    return db.session.get(Person, entry.person_id).full_name


def snapshot_data(timeline: PartnerTimeline) -> dict:
    """The frise as plain data, from a timeline loaded with ``load_timeline``."""
    levels = {level.id: (position, level.label)
              for position, level in enumerate(timeline.levels)}
    return {
        "levels": [level.label for level in timeline.levels],
        "entries": [
            {
                "key": entry.partner_key,
                "name": entry.name,
                "kind": entry.kind,
                "level": levels[entry.level_id][1],
                "level_position": levels[entry.level_id][0],
                "term": effective_term(timeline, entry),
                "date": entry.on_date.isoformat() if entry.on_date else None,
            }
            for entry in timeline.entries
        ],
    }


def snapshots_of(timeline: PartnerTimeline) -> list[TimelineSnapshot]:
    return list(db.session.scalars(
        select(TimelineSnapshot).where(TimelineSnapshot.timeline_id == timeline.id)
        .order_by(TimelineSnapshot.taken_on, TimelineSnapshot.id)))


def note_of(timeline: PartnerTimeline, note_id: int) -> StepAsideNote:
    note = db.session.scalar(select(StepAsideNote).join(TimelineEntry).where(
        StepAsideNote.id == note_id, TimelineEntry.timeline_id == timeline.id))
    if note is None:
        raise DomainError(_("Cette note n'appartient pas à cette frise."))
    return note


def unanswered_freins(timeline: PartnerTimeline):
    """Freins without a planned answer, with their partner, oldest first."""
    return list(db.session.scalars(
        select(StepAsideNote).join(TimelineEntry)
        .where(TimelineEntry.timeline_id == timeline.id, StepAsideNote.kind == "frein",
               StepAsideNote.answer == "")
        .options(selectinload(StepAsideNote.entry).selectinload(TimelineEntry.organisation),
                 selectinload(StepAsideNote.entry).selectinload(TimelineEntry.person)
                 .joinedload(Person.organisation))
        .order_by(StepAsideNote.created_at, StepAsideNote.id)))
