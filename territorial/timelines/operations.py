"""Operations on the frise: levels, entries, contacts, snapshots, pas de côté notes.

They check what the user gave (French messages naming the field in error), change the
models and flush; they never commit."""
from datetime import date, timedelta

from territorial.common.dates import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.timelines import queries
from territorial.timelines.models import (
    CONTACT_KINDS, DEFAULT_LEVELS, NOTE_CATEGORIES, NOTE_KINDS, TERM_ORDER, TERMS, ContactEvent,
    PartnerTimeline, StepAsideNote, TimelineEntry, TimelineLevel, TimelineSnapshot,
)


# Loading ---------------------------------------------------------------------


def get_or_create_timeline(territory_id: int, owner_type: str, owner_id: int, title: str,
                           starts_on: date | None = None,
                           ends_on: date | None = None) -> PartnerTimeline:
    timeline = queries.find_timeline(territory_id, owner_type, owner_id)
    if timeline is None:
        timeline = PartnerTimeline(territory_id=territory_id, owner_type=owner_type,
                                   owner_id=owner_id, title=title[:200],
                                   starts_on=starts_on, ends_on=ends_on)
        db.session.add(timeline)
        db.session.flush()
        for position, label in enumerate(DEFAULT_LEVELS, start=1):
            db.session.add(TimelineLevel(territory_id=territory_id, timeline_id=timeline.id,
                                         label=label, position=position))
        db.session.flush()
    return timeline


def delete_timelines(territory_id: int, owner_type: str, owner_id: int) -> None:
    for timeline in db.session.scalars(select(PartnerTimeline).where(
            PartnerTimeline.territory_id == territory_id,
            PartnerTimeline.owner_type == owner_type, PartnerTimeline.owner_id == owner_id)):
        # Entries first: their level is RESTRICT.
        for entry in db.session.scalars(
                select(TimelineEntry).where(TimelineEntry.timeline_id == timeline.id)):
            db.session.delete(entry)
        db.session.flush()
        db.session.delete(timeline)
    db.session.flush()


def set_span(timeline: PartnerTimeline, starts_on: date | None, ends_on: date | None) -> None:
    """Follow the owner's dates. Refuses a span that leaves dated partners outside."""
    outside = queries.dated_entries_outside(timeline, starts_on, ends_on)
    if outside:
        names = ", ".join(entry.name for entry in outside)
        raise DomainError(_(
            "Ces partenaires sont placés à une date hors de cette période : %(names)s. "
            "Déplacez-les d'abord sur la frise.", names=names), field="starts_on")
    timeline.starts_on, timeline.ends_on = starts_on, ends_on
    db.session.flush()


# Levels (lanes) ----------------------------------------------------------------

def add_level(timeline: PartnerTimeline, label: str) -> TimelineLevel:
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Donnez un nom au niveau."), field="label")
    if any(level.label.lower() == label.lower() for level in queries._levels(timeline)):
        raise DomainError(_("Le niveau « %(label)s » existe déjà.", label=label), field="label")
    level = TimelineLevel(territory_id=timeline.territory_id, timeline_id=timeline.id,
                          label=label[:80], position=len(queries._levels(timeline)) + 1)
    db.session.add(level)
    db.session.flush()
    return level


def rename_level(timeline: PartnerTimeline, level_id: int, label: str) -> TimelineLevel:
    level = queries.level_of(timeline, level_id)
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Donnez un nom au niveau."), field="label")
    level.label = label[:80]
    db.session.flush()
    return level


def move_level(timeline: PartnerTimeline, level_id: int, delta: int) -> None:
    levels = queries._levels(timeline)
    queries.level_of(timeline, level_id)
    index = next(i for i, level in enumerate(levels) if level.id == level_id)
    target = index + delta
    if 0 <= target < len(levels):
        levels[index], levels[target] = levels[target], levels[index]
    for position, level in enumerate(levels, start=1):
        level.position = position
    db.session.flush()


def remove_level(timeline: PartnerTimeline, level_id: int) -> None:
    level = queries.level_of(timeline, level_id)
    count = db.session.scalar(select(func.count()).select_from(TimelineEntry)
                              .where(TimelineEntry.level_id == level.id))
    if count:
        raise DomainError(ngettext(
            "Le niveau « %(label)s » contient encore %(num)d partenaire : déplacez-le "
            "d'abord vers un autre niveau.",
            "Le niveau « %(label)s » contient encore %(num)d partenaires : déplacez-les "
            "d'abord vers un autre niveau.", count, label=level.label))
    if len(queries._levels(timeline)) == 1:
        raise DomainError(_("Une frise garde au moins un niveau."))
    db.session.delete(level)
    db.session.flush()


# Entries -------------------------------------------------------------------------

def _check_placement(timeline: PartnerTimeline, term: str | None, on_date: date | None):
    if term and on_date:
        raise DomainError(_("Choisissez une échéance ou une date, pas les deux."), field="term")
    if not term and not on_date:
        raise DomainError(_("Choisissez une échéance (court, moyen ou long terme) ou une "
                           "date."), field="term")
    if term and term not in TERMS:
        raise DomainError(_("Échéance inconnue : choisissez court, moyen ou long terme."),
                         field="term")
    if on_date:
        if not (timeline.starts_on and timeline.ends_on):
            raise DomainError(_("Renseignez d'abord les dates de début et de fin du projet pour "
                               "placer un partenaire à une date, ou choisissez une échéance."),
                             field="on_date")
        if not timeline.starts_on <= on_date <= timeline.ends_on:
            raise DomainError(_(
                "Le %(date)s est hors de la période du projet (du %(start)s au %(end)s) : "
                "choisissez une date dans cette période.",
                date=format_date(on_date, "long"), start=format_date(timeline.starts_on, "long"),
                end=format_date(timeline.ends_on, "long")), field="on_date")


def _check_partner(timeline: PartnerTimeline, organisation, person):
    if (organisation is None) == (person is None):
        raise DomainError(_("Choisissez une organisation ou une personne du territoire."),
                         field="partner")
    subject = organisation or person
    if subject.territory_id != timeline.territory_id:
        raise DomainError(_("Ce partenaire n'appartient pas à ce territoire."), field="partner")
    column = TimelineEntry.organisation_id if organisation else TimelineEntry.person_id
    if db.session.scalar(select(TimelineEntry.id).where(
            TimelineEntry.timeline_id == timeline.id, column == subject.id)):
        name = organisation.name if organisation else person.full_name
        raise DomainError(_("« %(name)s » est déjà sur la frise : déplacez-le plutôt.",
                           name=name), field="partner")


def _next_position(timeline: PartnerTimeline) -> int:
    current = db.session.scalar(select(func.max(TimelineEntry.position))
                                .where(TimelineEntry.timeline_id == timeline.id))
    return (current or 0) + 1


def add_entry(timeline: PartnerTimeline, *, level_id: int, organisation: Organisation | None = None,
              person: Person | None = None, term: str | None = None,
              on_date: date | None = None, notes: str = "") -> TimelineEntry:
    _check_partner(timeline, organisation, person)
    level = queries.level_of(timeline, level_id)
    _check_placement(timeline, term or None, on_date)
    entry = TimelineEntry(
        territory_id=timeline.territory_id, timeline_id=timeline.id, level_id=level.id,
        organisation=organisation, person=person, term=term or None, on_date=on_date,
        notes=(notes or "").strip(), position=_next_position(timeline))
    db.session.add(entry)
    db.session.flush()
    return entry


def add_entries(timeline: PartnerTimeline, subjects, *, level_id: int,
                term: str | None = None, on_date: date | None = None,
                notes: str = "") -> list[TimelineEntry]:
    """Several partners (``Organisation`` or ``Person`` objects) placed at once, at the same
    level and term."""
    if not subjects:
        raise DomainError(_("Choisissez une organisation ou une personne du territoire."),
                          field="partner")
    return [add_entry(timeline, level_id=level_id, term=term, on_date=on_date, notes=notes,
                      organisation=s if isinstance(s, Organisation) else None,
                      person=s if isinstance(s, Person) else None) for s in subjects]


def update_entry(timeline: PartnerTimeline, entry: TimelineEntry, *, level_id: int,
                 term: str | None, on_date: date | None, notes: str,
                 version: int | None = None) -> TimelineEntry:
    """``version``: the entry's version on the user's page (``versions.Conflict`` if a
    colleague saved it since)."""
    versions.check(entry, version)
    level = queries.level_of(timeline, level_id)
    _check_placement(timeline, term or None, on_date)
    entry.level_id, entry.term, entry.on_date = level.id, term or None, on_date
    entry.notes = (notes or "").strip()
    versions.flush(entry)
    return entry


MOVES = ("earlier", "later", "up", "down")


def move_entry(timeline: PartnerTimeline, entry: TimelineEntry, move: str,
               version: int | None = None) -> TimelineEntry:
    """« Plus tôt », « Plus tard » (a term, or a month for a dated partner), « Monter d'un
    niveau » (towards the first lane, the most involved), « Descendre d'un niveau ».
    A move is relative to where the page showed the partner: made on an older version, it
    is refused (``versions.Conflict``)."""
    if move not in MOVES:
        raise DomainError(_("Déplacement inconnu."))
    versions.check(entry, version)
    if move in ("up", "down"):
        levels = queries._levels(timeline)
        index = next(i for i, level in enumerate(levels) if level.id == entry.level_id)
        target = index - 1 if move == "up" else index + 1
        if not 0 <= target < len(levels):
            raise DomainError(_("« %(name)s » est déjà au niveau le plus %(where)s.",
                               name=queries._entry_name(entry),
                               where=_("haut") if move == "up" else _("bas")))
        entry.level_id = levels[target].id
    elif entry.term:
        index = TERM_ORDER.index(entry.term) + (-1 if move == "earlier" else 1)
        if not 0 <= index < len(TERM_ORDER):
            raise DomainError(_("« %(name)s » est déjà au %(term)s.", name=queries._entry_name(entry),
                               term=str(TERMS[entry.term]).lower()))
        entry.term = TERM_ORDER[index]
    else:
        new_date = _shift_month(entry.on_date, -1 if move == "earlier" else 1)
        _check_placement(timeline, None, new_date)
        entry.on_date = new_date
    entry.position = _next_position(timeline)
    versions.flush(entry)
    return entry


def place_entry(timeline: PartnerTimeline, entry: TimelineEntry, level_id: int,
                term: str, version: int | None = None) -> TimelineEntry:
    """Drag and drop on the board: a lane and a term column. A dated partner dropped in its
    own column keeps its date. Refused (``versions.Conflict``) if a colleague moved or
    edited the partner since the page was loaded."""
    level = queries.level_of(timeline, level_id)
    if term not in TERMS:
        raise DomainError(_("Échéance inconnue : choisissez court, moyen ou long terme."))
    versions.check(entry, version)
    entry.level_id = level.id
    if entry.on_date is None or queries.term_of_date(timeline, entry.on_date) != term:
        entry.term, entry.on_date = term, None
    entry.position = _next_position(timeline)
    versions.flush(entry)
    return entry


def _shift_month(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return day + timedelta(days=30 * months)


def remove_entry(timeline: PartnerTimeline, entry: TimelineEntry) -> None:
    db.session.delete(entry)
    db.session.flush()


# Contacts ------------------------------------------------------------------------

def add_contact(entry: TimelineEntry, kind: str, on_date: date | None,
                note: str = "") -> ContactEvent:
    if kind not in CONTACT_KINDS:
        raise DomainError(_("Type de contact inconnu."), field="kind")
    if on_date is None:
        raise DomainError(_("Indiquez la date du contact."), field="on_date")
    contact = ContactEvent(territory_id=entry.territory_id, entry_id=entry.id, kind=kind,
                           on_date=on_date, note=(note or "").strip()[:500])
    db.session.add(contact)
    db.session.flush()
    return contact


def record_contact_for_partner(timeline: PartnerTimeline, kind: str, on_date: date, note: str,
                               organisation_id: int | None = None,
                               person_id: int | None = None) -> ContactEvent | None:
    """Add a contact to the partner's entry, if the partner is on the frise (used by reviews:
    a funder's field visit is also a line of the partner's contact history)."""
    column, value = (TimelineEntry.organisation_id, organisation_id) if organisation_id \
        else (TimelineEntry.person_id, person_id)
    entry = db.session.scalar(select(TimelineEntry).where(
        TimelineEntry.timeline_id == timeline.id, column == value))
    if entry is None:
        return None
    exists = db.session.scalar(select(ContactEvent.id).where(
        ContactEvent.entry_id == entry.id, ContactEvent.kind == kind,
        ContactEvent.on_date == on_date))
    return None if exists else add_contact(entry, kind, on_date, note)


def remove_contact(entry: TimelineEntry, contact_id: int) -> None:
    contact = db.session.get(ContactEvent, contact_id)
    if contact is None or contact.entry_id != entry.id:
        raise DomainError(_("Ce contact n'appartient pas à ce partenaire."))
    db.session.delete(contact)
    db.session.flush()


# Snapshots -----------------------------------------------------------------------


def take_snapshot(timeline: PartnerTimeline, label: str, taken_on: date) -> TimelineSnapshot:
    loaded = queries.load_timeline(timeline)
    snapshot = TimelineSnapshot(territory_id=timeline.territory_id, timeline_id=timeline.id,
                                label=(label or "").strip()[:200] or _("Instantané"),
                                taken_on=taken_on, data=queries.snapshot_data(loaded))
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


# Pas de côté -------------------------------------------------------------------------

def add_note(entry: TimelineEntry, *, kind: str, category: str, text: str, answer: str = "",
             author=None) -> StepAsideNote:
    _check_note(kind, category, text)
    note = StepAsideNote(
        territory_id=entry.territory_id, entry_id=entry.id, kind=kind, category=category,
        text=text.strip(), answer=(answer or "").strip() if kind == "frein" else "",
        author_id=author.id if author is not None else None,
        author_name=author.display_name if author is not None else "")
    db.session.add(note)
    db.session.flush()
    return note


def update_note(note: StepAsideNote, *, kind: str, category: str, text: str,
                answer: str = "", version: int | None = None) -> StepAsideNote:
    """``version``: the note's version on the user's page (``versions.Conflict`` if a
    colleague saved the note or its answer since)."""
    versions.check(note, version)
    _check_note(kind, category, text)
    note.kind, note.category, note.text = kind, category, text.strip()
    note.answer = (answer or "").strip() if kind == "frein" else ""
    versions.flush(note)
    return note


def _check_note(kind: str, category: str, text: str) -> None:
    if kind not in NOTE_KINDS:
        raise DomainError(_("Choisissez frein ou levier."), field="kind")
    if category not in NOTE_CATEGORIES:
        raise DomainError(_("Choisissez une catégorie : financier, présence dans l'espace "
                           "public, concurrence, légitimité ou autre."), field="category")
    if not (text or "").strip():
        raise DomainError(_("Écrivez le frein ou le levier."), field="text")


def remove_note(note: StepAsideNote) -> None:
    db.session.delete(note)
    db.session.flush()


