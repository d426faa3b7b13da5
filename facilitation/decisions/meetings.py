"""Meetings of a charter's instances (the dates their rhythm proposes) and the information notes
drafted after them. Operations flush, never commit."""
from __future__ import annotations

from datetime import date, time, timedelta

from territorial.common.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions.models import Decision, InformationNote
from facilitation.decisions.operations import BODY_TYPE
from facilitation.joint_projects.models import ProjectPorteur
from facilitation.sessions import operations as sessions
from facilitation.sessions.models import SESSION_KINDS
from facilitation.sessions.models import Meeting
from territorial.actors.models import Organisation
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance
from territorial.common.errors import DomainError

__all__ = ["BODY_TYPE", "draft_note", "draft_note_text", "instance_of_session", "meetings",
           "note_for", "notes_to_draft", "proposed_dates", "schedule_meeting", "session_kind",
           "update_note"]


# Meetings of the instances ---------------------------------------------------------------------

def session_kind(instance: CharterInstance) -> str:
    return instance.key if instance.key in SESSION_KINDS else "autre"


def meetings(instance: CharterInstance, limit: int | None = None) -> list[Meeting]:
    """The instance's meetings, the latest first (the ``limit`` latest)."""
    params = {"instance_id": instance.id, "territory_id": instance.territory_id}
    if limit:
        return list(db.session.scalars(_LATEST_MEETINGS, {**params, "limit": limit}))
    return list(db.session.scalars(_MEETINGS, params))


# Built once, the ids bound: SQLAlchemy computes the cache key once per process.
_MEETINGS = (select(Meeting).where(
    Meeting.body_type == BODY_TYPE, Meeting.body_id == bindparam("instance_id"),
    Meeting.territory_id == bindparam("territory_id"))
    .order_by(Meeting.starts_at.desc()))
_LATEST_MEETINGS = _MEETINGS.limit(bindparam("limit"))


def proposed_dates(charter: Charter, instance: CharterInstance, existing: list[Meeting],
                   today: date | None = None) -> list[date]:
    """Dates the charter's rhythm proposes over the next twelve months (one per period without a
    meeting): « deux fois par an » → one meeting each half-year."""
    per_year = rules.meetings_per_year(charter.governing, instance.key)
    if not per_year:
        return []
    today = today or date.today()
    months = max(12 // per_year, 1)
    proposals = []
    taken = [sessions.to_local(s.starts_at).date() for s in existing]
    start = date(today.year, 1, 1)
    for period in range(per_year * 2):
        first_month = start.month - 1 + period * months
        period_start = date(start.year + first_month // 12, first_month % 12 + 1, 1)
        next_month = first_month + months
        period_end = date(start.year + next_month // 12, next_month % 12 + 1, 1) - timedelta(days=1)
        if period_end < today or any(period_start <= d <= period_end for d in taken):
            continue
        middle = period_start + (period_end - period_start) / 2
        proposal = max(middle, today + timedelta(days=14))
        while proposal.weekday() >= 5:  # a meeting on a weekday
            proposal += timedelta(days=1)
        if proposal > period_end:
            continue
        proposals.append(proposal)
        if proposal > today + timedelta(days=366) or len(proposals) >= per_year:
            break
    return proposals


def schedule_meeting(charter: Charter, instance: CharterInstance, *, day: date,
                     starts: time = time(18, 0), ends: time = time(20, 0), place: str = "",
                     title: str = "") -> Meeting:
    if instance.per_project:
        raise DomainError(_("Les réunions d'un groupe de travail se planifient depuis son projet."))
    return sessions.create_session(
        charter.territory_id, kind=session_kind(instance),
        title=title or _("%(instance)s – %(date)s", instance=instance.name,
                         date=format_date(day, "long")),
        starts_at=sessions.local_datetime(day, starts), ends_at=sessions.local_datetime(day, ends),
        place=place, body_type=BODY_TYPE, body_id=instance.id)


def instance_of_session(session: Meeting) -> CharterInstance | None:
    if session.body_type != BODY_TYPE or not session.body_id:
        return None
    return db.session.get(CharterInstance, session.body_id)


# Information notes -------------------------------------------------------------------------------

def note_for(session: Meeting) -> InformationNote | None:
    return db.session.scalar(select(InformationNote).where(InformationNote.session_id == session.id))


def draft_note_text(charter: Charter, instance: CharterInstance, session: Meeting
                    ) -> tuple[str, str, str]:
    """(title, recipients, body) of the note: the decisions taken, with their meaning."""
    decisions = list(db.session.scalars(
        select(Decision).where(Decision.session_id == session.id)
        .options(selectinload(Decision.joint_project)).order_by(Decision.id)))
    day = format_date(sessions.to_local(session.starts_at).date(), "long")
    title = _("Note d'information – %(instance)s du %(date)s", instance=instance.name, date=day)
    structures = list(charter_queries.structures(charter).values())
    project_ids = {d.joint_project_id for d in decisions if d.joint_project_id}
    porteurs = sorted(set(db.session.scalars(
        select(Organisation.name).join(ProjectPorteur, ProjectPorteur.organisation_id == Organisation.id)
        .where(ProjectPorteur.project_id.in_(project_ids or {0})))))
    recipients = _("Les instances des structures signataires (%(structures)s)",
                   structures=", ".join(structures))
    if porteurs:
        recipients += " ; " + _("les porteurs des projets concernés (%(porteurs)s)",
                                porteurs=", ".join(porteurs))
    levels = rules.level_labels(charter.governing)
    lines = [_("Le %(date)s, l'instance « %(instance)s » s'est réunie%(place)s.", date=day,
               instance=instance.name, place=f" ({session.place})" if session.place else ""), ""]
    if decisions:
        lines.append(_("Décisions prises :"))
        for number, decision in enumerate(decisions, start=1):
            project = f" [{decision.joint_project.title}]" if decision.joint_project else ""
            lines.append(f"{number}. {decision.statement}{project} — {decision.outcome_label} "
                         f"({levels.get(decision.level, decision.level).lower()})")
            meaning = decision.meaning or decision.round_table
            if meaning:
                lines.append("   " + _("Le sens de la décision : %(meaning)s", meaning=meaning))
            if decision.outcome in ("escalated", "arbitrated", "lapsed") \
                    and decision.arbitration_text:
                lines.append("   " + _("Suite prévue par la charte : %(text)s",
                                       text=decision.arbitration_text))
    else:
        lines.append(_("Aucune décision n'a été enregistrée pour cette réunion."))
    if session.minutes:
        lines += ["", _("Le compte rendu complet est disponible sur la plateforme.")]
    return title, recipients, "\n".join(lines)


def draft_note(charter: Charter, session: Meeting, user=None) -> InformationNote:
    instance = instance_of_session(session)
    if instance is None or instance.charter_id != charter.id:
        raise DomainError(_("Cette réunion n'est pas celle d'une instance de la charte."))
    note = note_for(session)
    title, recipients, body = draft_note_text(charter, instance, session)
    if note is None:
        note = InformationNote(territory_id=charter.territory_id, charter_id=charter.id,
                               instance_id=instance.id, session_id=session.id)
        db.session.add(note)
    elif note.sent_on:
        raise DomainError(_("La note a déjà été diffusée : elle ne se réécrit plus."))
    note.title, note.recipients, note.body = title, recipients, body
    note.drafted_by_id = getattr(user, "id", None)
    db.session.flush()
    return note


def update_note(note: InformationNote, *, title: str, recipients: str, body: str,
                sent_on: date | None = None) -> InformationNote:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Donnez un titre à la note.")
    if not (body or "").strip():
        errors["body"] = _("La note est vide.")
    if errors:
        raise DomainError(errors)
    note.title, note.recipients, note.body = title.strip(), (recipients or "").strip(), body.strip()
    note.sent_on = sent_on
    db.session.flush()
    return note


def _meetings_without_note(territory_id, now):
    """The meetings of the instances started by ``now`` that have decisions but no
    information note."""
    has_decisions = select(Decision.session_id).where(Decision.session_id.is_not(None))
    has_note = select(InformationNote.session_id).where(InformationNote.session_id.is_not(None))
    return ((Meeting.territory_id == territory_id) & (Meeting.body_type == BODY_TYPE)
            & (Meeting.starts_at <= now) & Meeting.id.in_(has_decisions)
            & Meeting.id.not_in(has_note))


def notes_to_draft(territory_id: int, limit: int = 5) -> list[Meeting]:
    """Past meetings of the instances that have decisions but no information note yet."""
    from territorial.common.models import utcnow

    return list(db.session.scalars(
        select(Meeting).where(_meetings_without_note(territory_id, utcnow()))
        .order_by(Meeting.starts_at.desc()).limit(limit)))


def any_note_to_draft(territory_id, now):
    """SQL condition: a meeting of an instance started by ``now`` waits for its information
    note (``territory_id``, ``now``: values or bound parameters)."""
    return select(Meeting.id).where(_meetings_without_note(territory_id, now)).exists()
