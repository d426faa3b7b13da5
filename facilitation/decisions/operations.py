"""Decisions by consensus and their arbitration, meetings of the charter's instances, and the
information notes drafted after them. Operations flush, never commit."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions.models import (
    OUTCOMES,
    POSITIONS,
    Decision,
    DecisionPosition,
    InformationNote,
)
from facilitation.joint_projects.models import JointProject, ProjectPorteur
from facilitation.sessions import operations as sessions
from facilitation.sessions.models import SESSION_KINDS
from facilitation.sessions.models import Session as MeetingSession
from territorial.actors.models import Organisation, Person
from territorial.charters import operations as charters
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance

BODY_TYPE = "charter_instance"


class DecisionError(ValueError):
    def __init__(self, errors: Mapping[str, str] | str) -> None:
        self.errors = {"__all__": errors} if isinstance(errors, str) else dict(errors)
        super().__init__(" ".join(self.errors.values()))


@dataclass
class EscalationResult:
    kind: str  # "escalate" or "lapse"
    message: str
    decision: Decision | None = None  # the arbitrating instance's decision


# Decisions --------------------------------------------------------------------------------

def matrix_warning(charter: Charter, decision: Decision) -> str | None:
    instance = db.session.get(CharterInstance, decision.instance_id)
    return rules.matrix_warning(charter.content, instance.key, decision.level,
                                arbitrating=decision.escalated_from_id is not None)


def create_decision(charter: Charter, instance: CharterInstance | None, *, level: str,
                    statement: str, joint_project: JointProject | None = None,
                    session: MeetingSession | None = None, reflection: str = "",
                    decided_on: date | None = None, review_on: date | None = None,
                    escalated_from: Decision | None = None, user=None) -> Decision:
    errors: dict[str, str] = {}
    if not (statement or "").strip():
        errors["statement"] = _("Énoncez clairement la décision : la charte demande que son "
                                "libellé soit clairement formulé avant que chacun se prononce.")
    if instance is None or instance.charter_id != charter.id:
        errors["instance_id"] = _("Choisissez l'instance qui décide.")
    if level not in rules.level_labels(charter.content):
        errors["level"] = _("Choisissez le niveau de la décision.")
    if joint_project is not None and joint_project.charter_id != charter.id:
        errors["joint_project_id"] = _("Ce projet commun ne relève pas de cette charte.")
    if session is not None and session.territory_id != charter.territory_id:
        errors["session_id"] = _("Choisissez une réunion de ce territoire.")
    if review_on and decided_on and review_on < decided_on:
        errors["review_on"] = _("La date de réexamen précède celle de la décision.")
    if errors:
        raise DecisionError(errors)
    decision = Decision(
        territory_id=charter.territory_id, charter_id=charter.id, instance_id=instance.id,
        joint_project_id=joint_project.id if joint_project else None,
        session_id=session.id if session else None, level=level, statement=statement.strip(),
        reflection=(reflection or "").strip(), decided_on=decided_on, review_on=review_on,
        escalated_from_id=escalated_from.id if escalated_from else None, outcome="pending",
        recorded_by_id=getattr(user, "id", None))
    db.session.add(decision)
    db.session.flush()
    return decision


def update_decision(decision: Decision, charter: Charter, **fields) -> Decision:
    errors: dict[str, str] = {}
    statement = (fields.get("statement") or "").strip()
    if not statement:
        errors["statement"] = _("Énoncez clairement la décision : son libellé ne peut être vide.")
    if fields.get("level") not in rules.level_labels(charter.content):
        errors["level"] = _("Choisissez le niveau de la décision.")
    review_on, decided_on = fields.get("review_on"), fields.get("decided_on")
    if review_on and decided_on and review_on < decided_on:
        errors["review_on"] = _("La date de réexamen précède celle de la décision.")
    session_id = fields.get("session_id")
    if session_id and db.session.scalar(select(MeetingSession.territory_id).where(
            MeetingSession.id == session_id)) != charter.territory_id:
        errors["session_id"] = _("Choisissez une réunion de ce territoire.")
    if errors:
        raise DecisionError(errors)
    decision.statement, decision.level = statement, fields["level"]
    decision.reflection = (fields.get("reflection") or "").strip()
    decision.decided_on, decision.review_on = decided_on, review_on
    decision.session_id = session_id or None
    db.session.flush()
    return decision


def body_members(decision: Decision):
    """The members of the deciding instance (for a per-project instance, the project's)."""
    instance = db.session.get(CharterInstance, decision.instance_id)
    project_id = decision.joint_project_id if instance.per_project else None
    return charters.instance_members([instance.id], project_id)[instance.id]


def record_positions(decision: Decision, positions: Mapping[int, tuple[str, str]], *,
                     objections_heard: str = "", round_table: str = "", meaning: str = ""
                     ) -> list[str]:
    """Each member's position (person id → (position, comment)); returns French warnings
    (positions of people who do not sit in the instance are kept but flagged)."""
    if decision.outcome not in ("pending", "blocked"):
        raise DecisionError(_("Cette décision est close (%(outcome)s) : ses positions ne "
                              "changent plus.", outcome=decision.outcome_label.lower()))
    errors = {}
    for person_id, (position, _comment) in positions.items():
        if position and position not in POSITIONS:
            errors[f"position_{person_id}"] = _("Position inconnue.")
    people = {p.id: p for p in db.session.scalars(select(Person).where(
        Person.id.in_(list(positions) or [0]), Person.territory_id == decision.territory_id))}
    for person_id in positions:
        if person_id not in people:
            errors[f"position_{person_id}"] = _("Cette personne n'est pas de ce territoire.")
    if errors:
        raise DecisionError(errors)
    existing = {p.person_id: p for p in db.session.scalars(
        select(DecisionPosition).where(DecisionPosition.decision_id == decision.id))}
    for person_id, (position, comment) in positions.items():
        row = existing.get(person_id)
        if not position:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = DecisionPosition(territory_id=decision.territory_id, decision_id=decision.id,
                                   person_id=person_id)
            db.session.add(row)
        row.position, row.comment = position, (comment or "").strip()
        row.organisation_id = people[person_id].organisation_id
    decision.objections_heard = (objections_heard or "").strip()
    decision.round_table = (round_table or "").strip()
    decision.meaning = (meaning or "").strip()
    db.session.flush()
    members = {m.person_id for m in body_members(decision)}
    return [_("%(person)s ne siège pas à cette instance.", person=people[pid].full_name)
            for pid, (position, _c) in positions.items() if position and pid not in members]


def positions_of(decision: Decision) -> list[DecisionPosition]:
    return list(db.session.scalars(
        select(DecisionPosition).where(DecisionPosition.decision_id == decision.id)
        .options(selectinload(DecisionPosition.person), selectinload(DecisionPosition.organisation))
        .order_by(DecisionPosition.organisation_id, DecisionPosition.id)))


def conclude(decision: Decision, decided_on: date | None = None) -> str:
    """After the round table: consensus when nobody objects (reserves and abstentions are part of
    the dissensus the charter accepts), blocked otherwise. Returns the outcome."""
    if decision.outcome != "pending":
        raise DecisionError(_("Cette décision est déjà conclue (%(outcome)s).",
                              outcome=decision.outcome_label.lower()))
    if not decision.statement.strip():
        raise DecisionError({"statement": _("Énoncez la décision avant de conclure.")})
    positions = positions_of(decision)
    if not positions:
        raise DecisionError(_("Chaque membre se prononce : enregistrez les positions du tour de "
                              "table avant de conclure."))
    objections = [p for p in positions if p.position == "objection"]
    decision.outcome = "blocked" if objections else "consensus"
    decision.decided_on = decision.decided_on or decided_on or date.today()
    if decision.outcome == "consensus" and decision.escalated_from_id:
        parent = db.session.get(Decision, decision.escalated_from_id)
        if parent is not None and parent.outcome == "escalated":
            parent.outcome = "arbitrated"
    db.session.flush()
    return decision.outcome


def reopen(decision: Decision) -> None:
    """A blocked decision goes back to the round table (objections may be heard again)."""
    if decision.outcome != "blocked":
        raise DecisionError(_("Seule une décision bloquée peut être remise en discussion."))
    decision.outcome = "pending"
    db.session.flush()


def arbitration_entry(charter: Charter, decision: Decision):
    instance = db.session.get(CharterInstance, decision.instance_id)
    return rules.arbitration_for(charter.content, instance.key)


def escalate(decision: Decision, charter: Charter, user=None, on: date | None = None
             ) -> EscalationResult:
    """Apply the charter's arbitration to a blocked decision: hand it to the arbitrating
    instance, or — when the charter says so — let the joint project lapse."""
    if decision.outcome != "blocked":
        raise DecisionError(_("Seule une décision bloquée peut être portée en arbitrage."))
    instance = db.session.get(CharterInstance, decision.instance_id)
    entry = rules.arbitration_for(charter.content, instance.key)
    if entry is None:
        raise DecisionError(_(
            "La charte ne prévoit pas d'arbitrage pour un blocage au niveau de l'instance "
            "« %(instance)s » : la décision reste bloquée ; reprenez la discussion.",
            instance=instance.name))
    decision.arbitration_text = entry["text"].strip()
    if entry["outcome"] == "escalate":
        target = charters.instance_row(charter, entry["escalate_to"])
        project = (db.session.get(JointProject, decision.joint_project_id)
                   if decision.joint_project_id else None)
        child = create_decision(
            charter, target, level=decision.level, statement=decision.statement,
            joint_project=project, reflection=_(
                "Arbitrage demandé : la décision est bloquée au niveau de l'instance "
                "« %(instance)s ». %(text)s", instance=instance.name, text=entry["text"].strip()),
            escalated_from=decision, user=user)
        decision.outcome = "escalated"
        db.session.flush()
        return EscalationResult("escalate", _(
            "La décision est portée en arbitrage devant l'instance « %(instance)s », comme le "
            "prévoit la charte.", instance=target.name), child)
    decision.outcome = "lapsed"
    message = _("D'après la charte, ce blocage met fin à la décision.")
    if decision.joint_project_id:
        project = db.session.get(JointProject, decision.joint_project_id)
        if project is not None and not project.is_ended:
            project.status, project.step_key = "caduc", None
            project.ended_on = on or date.today()
            project.ended_reason = entry["text"].strip()
        message = _("Le projet commun « %(project)s » devient caduc.", project=project.title)
    outside = rules.outside_charter_message(entry)
    if outside:
        message = f"{message} {outside}"
    db.session.flush()
    return EscalationResult("lapse", message)


def chain(decision: Decision) -> list[Decision]:
    """The decision's arbitration chain, from the first blocked decision to the last one
    (instances loaded)."""
    def load(**where):
        return db.session.scalar(
            select(Decision).filter_by(**where).options(selectinload(Decision.instance))
            .order_by(Decision.id).limit(1))

    first = decision
    seen = {first.id}
    while first.escalated_from_id and first.escalated_from_id not in seen:
        parent = load(id=first.escalated_from_id)
        if parent is None:
            break
        seen.add(parent.id)
        first = parent
    result = [first if first is not decision else load(id=decision.id)]
    while True:
        child = load(escalated_from_id=result[-1].id)
        if child is None or child.id in {d.id for d in result}:
            break
        result.append(child)
    return result


def register_query(territory_id: int, filters: Mapping[str, object]):
    """Every decision of the territory with the register's filters."""
    statement = select(Decision).where(Decision.territory_id == territory_id)
    if filters.get("charter"):
        statement = statement.where(Decision.charter_id == filters["charter"])
    if filters.get("instance"):
        statement = statement.join(CharterInstance, CharterInstance.id == Decision.instance_id) \
            .where(CharterInstance.key == filters["instance"])
    if filters.get("level"):
        statement = statement.where(Decision.level == filters["level"])
    if filters.get("outcome") in OUTCOMES:
        statement = statement.where(Decision.outcome == filters["outcome"])
    if filters.get("project"):
        statement = statement.where(Decision.joint_project_id == filters["project"])
    if filters.get("review") == "due":
        statement = statement.where(Decision.review_on.is_not(None),
                                    Decision.review_on <= date.today())
    elif filters.get("review") == "planned":
        statement = statement.where(Decision.review_on.is_not(None))
    if filters.get("q"):
        statement = statement.where(Decision.statement.ilike(f"%{filters['q']}%"))
    return statement.options(
        selectinload(Decision.instance), selectinload(Decision.joint_project),
        selectinload(Decision.session),
    ).order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc())


# Meetings of the instances ---------------------------------------------------------------------

def session_kind(instance: CharterInstance) -> str:
    return instance.key if instance.key in SESSION_KINDS else "autre"


def meetings(instance: CharterInstance, limit: int | None = None) -> list[MeetingSession]:
    statement = (select(MeetingSession).where(
        MeetingSession.body_type == BODY_TYPE, MeetingSession.body_id == instance.id,
        MeetingSession.territory_id == instance.territory_id)
        .order_by(MeetingSession.starts_at.desc()))
    if limit:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


def proposed_dates(charter: Charter, instance: CharterInstance, existing: list[MeetingSession],
                   today: date | None = None) -> list[date]:
    """Dates the charter's rhythm proposes over the next twelve months (one per period without a
    meeting): « deux fois par an » → one meeting each half-year."""
    per_year = rules.meetings_per_year(charter.content, instance.key)
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
                     title: str = "") -> MeetingSession:
    if instance.per_project:
        raise DecisionError(_("Les réunions d'un groupe de travail se planifient depuis son projet."))
    return sessions.create_session(
        charter.territory_id, kind=session_kind(instance),
        title=title or _("%(instance)s – %(date)s", instance=instance.name,
                         date=format_date(day, "long")),
        starts_at=sessions.local_datetime(day, starts), ends_at=sessions.local_datetime(day, ends),
        place=place, body_type=BODY_TYPE, body_id=instance.id)


def instance_of_session(session: MeetingSession) -> CharterInstance | None:
    if session.body_type != BODY_TYPE or not session.body_id:
        return None
    return db.session.get(CharterInstance, session.body_id)


# Information notes -------------------------------------------------------------------------------

def note_for(session: MeetingSession) -> InformationNote | None:
    return db.session.scalar(select(InformationNote).where(InformationNote.session_id == session.id))


def draft_note_text(charter: Charter, instance: CharterInstance, session: MeetingSession
                    ) -> tuple[str, str, str]:
    """(title, recipients, body) of the note: the decisions taken, with their meaning."""
    decisions = list(db.session.scalars(
        select(Decision).where(Decision.session_id == session.id)
        .options(selectinload(Decision.joint_project)).order_by(Decision.id)))
    day = format_date(sessions.to_local(session.starts_at).date(), "long")
    title = _("Note d'information – %(instance)s du %(date)s", instance=instance.name, date=day)
    structures = list(charters.structures(charter).values())
    project_ids = {d.joint_project_id for d in decisions if d.joint_project_id}
    porteurs = sorted(set(db.session.scalars(
        select(Organisation.name).join(ProjectPorteur, ProjectPorteur.organisation_id == Organisation.id)
        .where(ProjectPorteur.project_id.in_(project_ids or {0})))))
    recipients = _("Les instances de %(structures)s", structures=", ".join(structures))
    if porteurs:
        recipients += " ; " + _("les porteurs des projets concernés (%(porteurs)s)",
                                porteurs=", ".join(porteurs))
    levels = rules.level_labels(charter.content)
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


def draft_note(charter: Charter, session: MeetingSession, user=None) -> InformationNote:
    instance = instance_of_session(session)
    if instance is None or instance.charter_id != charter.id:
        raise DecisionError(_("Cette réunion n'est pas celle d'une instance de la charte."))
    note = note_for(session)
    title, recipients, body = draft_note_text(charter, instance, session)
    if note is None:
        note = InformationNote(territory_id=charter.territory_id, charter_id=charter.id,
                               instance_id=instance.id, session_id=session.id)
        db.session.add(note)
    elif note.sent_on:
        raise DecisionError(_("La note a déjà été diffusée : elle ne se réécrit plus."))
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
        raise DecisionError(errors)
    note.title, note.recipients, note.body = title.strip(), (recipients or "").strip(), body.strip()
    note.sent_on = sent_on
    db.session.flush()
    return note


def notes_to_draft(territory_id: int, limit: int = 5) -> list[MeetingSession]:
    """Past meetings of the instances that have decisions but no information note yet."""
    from territorial.common.models import utcnow

    has_decisions = select(Decision.session_id).where(Decision.session_id.is_not(None))
    has_note = select(InformationNote.session_id).where(InformationNote.session_id.is_not(None))
    return list(db.session.scalars(
        select(MeetingSession).where(
            MeetingSession.territory_id == territory_id, MeetingSession.body_type == BODY_TYPE,
            MeetingSession.starts_at <= utcnow(), MeetingSession.id.in_(has_decisions),
            MeetingSession.id.not_in(has_note))
        .order_by(MeetingSession.starts_at.desc()).limit(limit)))
