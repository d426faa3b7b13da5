"""Decisions of a charter's instances, taken by consensus: who may take them (the decision
matrix), each member's position, the round table and its conclusion. A decision may settle a
lifecycle step that the charter makes a decision (« le comité de pilotage valide ou non le projet
commun »): the step is recorded when the decision is taken. Operations flush, never commit;
arbitration is in ``arbitration``, meetings and notes in ``meetings``."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from facilitation.decisions.models import POSITIONS, Decision, DecisionPosition
from facilitation.joint_projects import lifecycle
from facilitation.joint_projects.acting import Acting, StepDecision, not_in_force_message
from facilitation.joint_projects.models import JointProject
from facilitation.sessions.models import Meeting
from territorial.actors.models import Person
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance
from territorial.common.errors import DomainError
from territorial.common.text import elide

BODY_TYPE = "charter_instance"


# Who decides ------------------------------------------------------------------------------------

def matrix_refusal(content, instance_key: str, level: str, *, arbitrating: bool = False
                   ) -> str | None:
    """Why the decision matrix does not let this instance take a decision of this level, with
    the instances that do (or None)."""
    warning = rules.matrix_warning(content, instance_key, level, arbitrating=arbitrating)
    if warning is None:
        return None
    deciding = [rules.instance_name(content, key) for key in rules.deciding_instances(content, level)]
    if deciding:
        warning += " " + _("À ce niveau, décident : %(names)s.",
                           names=", ".join(f"« {name} »" for name in deciding))
    return warning


def step_problems(charter: Charter, project: JointProject | None, instance: CharterInstance,
                  step_key: str, step_outcome: str | None) -> dict[str, str]:
    """A decision put for a lifecycle step: the project waits for that step, the step is a
    decision of this instance, the proposed outcome is one of the step's."""
    content = charter.governing
    step = rules.step_def(content, step_key)
    if project is None or step is None or not step.get("decision"):
        return {"__all__": _("Cette étape n'est pas une décision de la charte.")}
    if project.step_key != step_key:
        return {"__all__": _("Le projet commun « %(project)s » n'attend pas l'étape « %(step)s ».",
                             project=project.title, step=step["title"])}
    if instance.key != step["instance"]:
        return {"instance_id": _("D'après la charte, l'étape « %(step)s » revient à l'instance "
                                 "« %(instance)s ».", step=step["title"],
                                 instance=rules.instance_name(content, step["instance"]))}
    if rules.outcome_def(step, step_outcome) is None:
        return {"step_outcome": _("Indiquez ce que la décision propose : %(choices)s.",
                                  choices=" ou ".join(f"« {o['label']} »"
                                                      for o in step.get("outcomes", [])))}
    return {}


# Decisions --------------------------------------------------------------------------------

def matrix_warning(charter: Charter, decision: Decision) -> str | None:
    instance = db.session.get(CharterInstance, decision.instance_id)
    return rules.matrix_warning(charter.governing, instance.key, decision.level,
                                arbitrating=decision.escalated_from_id is not None
                                or decision.reopens_id is not None)


def create_decision(charter: Charter, instance: CharterInstance | None, *, level: str,
                    statement: str, joint_project: JointProject | None = None,
                    session: Meeting | None = None, reflection: str = "",
                    decided_on: date | None = None, review_on: date | None = None,
                    escalated_from: Decision | None = None, step_key: str | None = None,
                    step_outcome: str | None = None, reopens: Decision | None = None,
                    user=None) -> Decision:
    """Put a decision to an instance; the charter in force says whether it may take it (an
    arbiter, or the instance that reopens a lapsed project, decides as such)."""
    if not charter.in_force:
        raise DomainError(not_in_force_message(charter))
    content = charter.governing
    errors: dict[str, str] = {}
    if not (statement or "").strip():
        errors["statement"] = _("Énoncez clairement la décision : la charte demande que son "
                                "libellé soit clairement formulé avant que chacun se prononce.")
    if instance is None or instance.charter_id != charter.id:
        errors["instance_id"] = _("Choisissez l'instance qui décide.")
    if level not in rules.level_labels(content):
        errors["level"] = _("Choisissez le niveau de la décision.")
    elif instance is not None and "instance_id" not in errors:
        refusal = matrix_refusal(content, instance.key, level,
                                 arbitrating=escalated_from is not None or reopens is not None)
        if refusal:
            errors["instance_id"] = refusal
    if joint_project is not None and joint_project.charter_id != charter.id:
        errors["joint_project_id"] = _("Ce projet commun ne relève pas de cette charte.")
    if session is not None and session.territory_id != charter.territory_id:
        errors["session_id"] = _("Choisissez une réunion de ce territoire.")
    if review_on and decided_on and review_on < decided_on:
        errors["review_on"] = _("La date de réexamen précède celle de la décision.")
    if step_key and escalated_from is None and not errors:
        errors.update(step_problems(charter, joint_project, instance, step_key, step_outcome))
    if errors:
        raise DomainError(errors)
    decision = Decision(
        territory_id=charter.territory_id, charter_id=charter.id, instance_id=instance.id,
        joint_project_id=joint_project.id if joint_project else None,
        session_id=session.id if session else None, level=level, statement=statement.strip(),
        reflection=(reflection or "").strip(), decided_on=decided_on, review_on=review_on,
        escalated_from_id=escalated_from.id if escalated_from else None, outcome="pending",
        step_key=step_key, step_outcome=step_outcome if step_key else None,
        reopens_id=reopens.id if reopens else None, recorded_by_id=getattr(user, "id", None))
    db.session.add(decision)
    db.session.flush()
    return decision


def ensure_open(decision: Decision) -> None:
    """A concluded decision is read-only (its statement, its positions, its conclusion): refused
    with the reason, wherever the change comes from."""
    if decision.outcome == "pending":
        return
    if decision.outcome == "blocked":
        raise DomainError(_("Cette décision est bloquée : reprenez d'abord la discussion, ou "
                            "appliquez l'arbitrage prévu par la charte."), status=403)
    raise DomainError(_("Cette décision est conclue (%(outcome)s) : elle ne se modifie plus. "
                        "Une nouvelle question se pose par une nouvelle décision.",
                        outcome=decision.outcome_label.lower()), status=403)


def update_decision(decision: Decision, charter: Charter, **fields) -> Decision:
    ensure_open(decision)
    content = charter.governing
    errors: dict[str, str] = {}
    statement = (fields.get("statement") or "").strip()
    if not statement:
        errors["statement"] = _("Énoncez clairement la décision : son libellé ne peut être vide.")
    level = fields.get("level")
    if level not in rules.level_labels(content):
        errors["level"] = _("Choisissez le niveau de la décision.")
    else:
        instance = db.session.get(CharterInstance, decision.instance_id)
        refusal = matrix_refusal(content, instance.key, level,
                                 arbitrating=decision.escalated_from_id is not None
                                 or decision.reopens_id is not None)
        if refusal:
            errors["level"] = refusal
    step_outcome = fields.get("step_outcome") or decision.step_outcome
    if decision.step_key:
        step = rules.step_def(content, decision.step_key) or {}
        if rules.outcome_def(step, step_outcome) is None:
            errors["step_outcome"] = _("Indiquez ce que la décision propose.")
    review_on, decided_on = fields.get("review_on"), fields.get("decided_on")
    if review_on and decided_on and review_on < decided_on:
        errors["review_on"] = _("La date de réexamen précède celle de la décision.")
    session_id = fields.get("session_id")
    if session_id and db.session.scalar(select(Meeting.territory_id).where(
            Meeting.id == session_id)) != charter.territory_id:
        errors["session_id"] = _("Choisissez une réunion de ce territoire.")
    if errors:
        raise DomainError(errors)
    decision.statement, decision.level = statement, level
    decision.reflection = (fields.get("reflection") or "").strip()
    decision.decided_on, decision.review_on = decided_on, review_on
    decision.session_id = session_id or None
    if decision.step_key:
        decision.step_outcome = step_outcome
    db.session.flush()
    return decision


def body_members(decision: Decision):
    """The members of the deciding instance (for a per-project instance, the project's)."""
    instance = db.session.get(CharterInstance, decision.instance_id)
    project_id = decision.joint_project_id if instance.per_project else None
    return charter_queries.instance_members([instance.id], project_id)[instance.id]


def record_positions(decision: Decision, positions: Mapping[int, tuple[str, str]], *,
                     objections_heard: str = "", round_table: str = "", meaning: str = "",
                     user=None) -> list[str]:
    """Each member's position (person id → (position, comment)), entered by ``user`` — the
    member under their own account, or someone entering it for them (recorded as such);
    returns French warnings (positions of people who do not sit in the instance are kept but
    flagged)."""
    ensure_open(decision)
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
        raise DomainError(errors)
    existing = {p.person_id: p for p in db.session.scalars(
        select(DecisionPosition).where(DecisionPosition.decision_id == decision.id))}
    for person_id, (position, comment) in positions.items():
        row = existing.get(person_id)
        if not position:
            if row is not None:
                db.session.delete(row)
            continue
        comment = (comment or "").strip()
        if row is not None and (row.position, row.comment) == (position, comment):
            continue
        if row is None:
            row = DecisionPosition(territory_id=decision.territory_id, decision_id=decision.id,
                                   person_id=person_id)
            db.session.add(row)
        person = people[person_id]
        row.position, row.comment = position, comment
        row.organisation_id = person.organisation_id
        row.entered_by_id = getattr(user, "id", None)
        row.on_behalf = user is None or person.user_id != user.id
        row._audit_text = entered_in_words(person.full_name, row, user)
    decision.objections_heard = (objections_heard or "").strip()
    decision.round_table = (round_table or "").strip()
    decision.meaning = (meaning or "").strip()
    db.session.flush()
    members = {m.person_id for m in body_members(decision)}
    return [_("%(person)s ne siège pas à cette instance.", person=people[pid].full_name)
            for pid, (position, _c) in positions.items() if position and pid not in members]


def entered_in_words(person_name: str, position: DecisionPosition, user) -> str:
    """« Position de Marie Durand : Accord — saisie par Jean Martin pour son compte »."""
    said = elide(_("Position de %(person)s : %(position)s", person=person_name,
                   position=position.position_label), person_name)
    if user is None:
        return said
    if not position.on_behalf:
        return _("%(said)s — saisie par la personne elle-même", said=said)
    return _("%(said)s — saisie par %(user)s pour son compte", said=said,
             user=user.display_name)


def positions_of(decision: Decision) -> list[DecisionPosition]:
    return list(db.session.scalars(
        select(DecisionPosition).where(DecisionPosition.decision_id == decision.id)
        .options(joinedload(DecisionPosition.person), joinedload(DecisionPosition.organisation),
                 joinedload(DecisionPosition.entered_by))
        .order_by(DecisionPosition.organisation_id, DecisionPosition.id)))


def missing_positions(decision: Decision) -> list[str]:
    """The members of the instance whose position the round table has not recorded."""
    positioned = set(db.session.scalars(select(DecisionPosition.person_id).where(
        DecisionPosition.decision_id == decision.id)))
    return list(dict.fromkeys(m.person.full_name for m in body_members(decision)
                              if m.person_id not in positioned))


def conclude(decision: Decision, decided_on: date | None = None, user=None) -> str:
    """After the round table: consensus when nobody objects (reserves and abstentions are part of
    the dissensus the charter accepts), blocked otherwise. A consensus ends the arbitration of
    the decisions it settles and records the lifecycle step the decision was put for. Returns
    the outcome."""
    ensure_open(decision)
    if not decision.statement.strip():
        raise DomainError({"statement": _("Énoncez la décision avant de conclure.")})
    if not body_members(decision):
        raise DomainError(_("Personne ne siège à cette instance : nommez ses membres, puis "
                            "recueillez la position de chacun."))
    missing = missing_positions(decision)
    if missing:
        names = ", ".join(missing)
        raise DomainError(elide(_(
            "Chaque membre se prononce, et le tour de table vérifie l'accord de tous : il manque "
            "la position de %(names)s. Enregistrez-la, ou « Absent(e) du tour de table » pour "
            "qui n'était pas là.", names=names), names))
    positions = positions_of(decision)
    if all(p.position == "absent" for p in positions):
        raise DomainError(_("Tous les membres sont notés absents : personne n'a pris position, "
                            "la décision ne peut être conclue."))
    objections = [p for p in positions if p.position == "objection"]
    decision.outcome = "blocked" if objections else "consensus"
    decision.decided_on = decision.decided_on or decided_on or date.today()
    if decision.outcome == "consensus":
        chain = ancestors(decision)
        for parent in chain:
            if parent.outcome == "escalated":
                parent.outcome = "arbitrated"
        settle_step(chain[-1] if chain else decision, decision, user, decision.decided_on)
        if decision.reopens_id:
            lift_lapse(decision, user)
    db.session.flush()
    return decision.outcome


def lift_lapse(decision: Decision, user) -> None:
    """The instance's consensus to reopen: the lapse is lifted (it stays in the history) and
    the joint project resumes at the step where it stood."""
    lapsed = db.session.get(Decision, decision.reopens_id)
    if lapsed is None or lapsed.reopened_on is not None:
        return
    lapsed.reopened_on = decision.decided_on
    lapsed.reopened_by_id = getattr(user, "id", None)
    lapsed.reopen_reason = decision.meaning or decision.round_table or decision.reflection
    project = (db.session.get(JointProject, lapsed.joint_project_id)
               if lapsed.joint_project_id else None)
    if project is not None and project.status == "caduc":
        instance = db.session.get(CharterInstance, decision.instance_id)
        lifecycle.reopen(project, db.session.get(Charter, project.charter_id),
                         instance_key=instance.key, reason=lapsed.reopen_reason, user=user)


def ancestors(decision: Decision) -> list[Decision]:
    """The decisions this one arbitrates, from its parent up to the first one put."""
    found, seen = [], {decision.id}
    parent_id = decision.escalated_from_id
    while parent_id and parent_id not in seen:
        parent = db.session.get(Decision, parent_id)
        if parent is None:
            break
        found.append(parent)
        seen.add(parent.id)
        parent_id = parent.escalated_from_id
    return found


def settle_step(first: Decision, taken: Decision, user, on: date | None = None) -> None:
    """Record the lifecycle step a consensus decision was put for (``first``: where it was put;
    ``taken``: the consensus, by that instance or its arbiter)."""
    if not first.step_key or not first.joint_project_id:
        return
    project = db.session.get(JointProject, first.joint_project_id)
    if project is None or project.is_ended or project.step_key != first.step_key:
        return
    first_instance = db.session.get(CharterInstance, first.instance_id)
    taken_instance = db.session.get(CharterInstance, taken.instance_id)
    try:
        lifecycle.advance(
            project, first.step_key,
            Acting("instance", user, instance_key=first_instance.key,
                             may_record_on_behalf=True),
            on=on, notes=taken.meaning or taken.round_table,
            settled_by=StepDecision(taken.id, first_instance.key, taken_instance.key,
                                              taken.step_outcome or first.step_outcome))
    except DomainError as error:
        raise DomainError({"step_outcome" if key == "decision" else key: message
                             for key, message in error.errors.items()}) from error


def link_step_decision(project: JointProject, decision: Decision, outcome: str | None, user
                       ) -> None:
    """Settle a project's step with a consensus decision its instance has already taken."""
    charter = db.session.get(Charter, project.charter_id)
    step = rules.step_def(charter.governing, project.step_key) or {}
    chain = ancestors(decision)
    first = chain[-1] if chain else decision
    if decision.joint_project_id != project.id or decision.outcome != "consensus":
        raise DomainError({"decision_id": _(
            "Choisissez une décision de ce projet commun prise au consensus.")})
    instance = db.session.get(CharterInstance, first.instance_id)
    if not step.get("decision") or instance.key != step.get("instance"):
        raise DomainError({"decision_id": _(
            "Cette décision n'a pas été prise par l'instance que la charte désigne pour l'étape.")})
    if first.step_key and first.step_key != project.step_key:
        raise DomainError({"decision_id": _("Cette décision porte sur une autre étape.")})
    first.step_key = project.step_key
    first.step_outcome = decision.step_outcome = outcome
    settle_step(first, decision, user, decision.decided_on)


def reopen(decision: Decision) -> None:
    """A blocked decision goes back to the round table (objections may be heard again)."""
    if decision.outcome != "blocked":
        raise DomainError(_("Seule une décision bloquée peut être remise en discussion."))
    decision.outcome = "pending"
    db.session.flush()
