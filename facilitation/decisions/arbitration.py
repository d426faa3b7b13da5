"""A blocked decision follows the charter's arbitration chain, read from its data: it is put to
the arbitrating instance (a new decision, ``escalated_from``), or — when it is blocked in every
instance a lapse rule names (Quartier Libre: the Codir and the Coprédir) — the joint project
becomes caduc. Caducity is a recorded decision: the instance the charter names may reopen it
(a new decision put to that instance), and the history is kept. Operations flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions.models import Decision
from facilitation.decisions.operations import ancestors, create_decision
from facilitation.joint_projects import lifecycle
from facilitation.joint_projects.models import JointProject
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance
from territorial.common.errors import DomainError


@dataclass
class EscalationResult:
    kind: str  # "escalate" or "lapse"
    message: str
    decision: Decision | None = None  # the arbitrating instance's decision


def blocked_before(decision: Decision) -> list[str]:
    """The instances where the same decision was blocked before reaching this one."""
    keys = db.session.scalars(select(CharterInstance.key).where(
        CharterInstance.id.in_([d.instance_id for d in ancestors(decision)] or [0])))
    return list(keys)


def arbitration_entry(charter: Charter, decision: Decision):
    """What the charter in force says of this decision if it is (or stays) blocked (nothing
    for a decision to reopen a lapsed project: without consensus, the project stays caduc)."""
    if decision.reopens_id is not None:
        return None
    instance = db.session.get(CharterInstance, decision.instance_id)
    return rules.arbitration_step(charter.governing, instance.key, blocked_before(decision))


def escalate(decision: Decision, charter: Charter, user=None, on: date | None = None
             ) -> EscalationResult:
    """Apply the charter's arbitration to a blocked decision: put it to the arbitrating
    instance, or — when the charter says so — let the joint project lapse."""
    if decision.outcome != "blocked":
        raise DomainError(_("Seule une décision bloquée peut être portée en arbitrage."))
    instance = db.session.get(CharterInstance, decision.instance_id)
    entry = arbitration_entry(charter, decision)
    if entry is None:
        raise DomainError(_(
            "La charte ne prévoit pas d'arbitrage pour un blocage au niveau de l'instance "
            "« %(instance)s » : la décision reste bloquée ; reprenez la discussion.",
            instance=instance.name))
    decision.arbitration_text = entry["text"].strip()
    project = (db.session.get(JointProject, decision.joint_project_id)
               if decision.joint_project_id else None)
    if entry["outcome"] == "escalate":
        target = charter_queries.instance_row(charter, entry["escalate_to"])
        child = create_decision(
            charter, target, level=decision.level, statement=decision.statement,
            joint_project=project, reflection=_(
                "Arbitrage demandé : la décision est bloquée au niveau de l'instance "
                "« %(instance)s ». %(text)s", instance=instance.name, text=entry["text"].strip()),
            escalated_from=decision, step_key=decision.step_key,
            step_outcome=decision.step_outcome, user=user)
        decision.outcome = "escalated"
        db.session.flush()
        return EscalationResult("escalate", _(
            "La décision est portée en arbitrage devant l'instance « %(instance)s », comme le "
            "prévoit la charte.", instance=target.name), child)
    decision.outcome = "lapsed"
    message = _("D'après la charte, ce blocage met fin à la décision.")
    if project is not None:
        lifecycle.lapse(project, charter, instance_key=instance.key, reason=entry["text"].strip(),
                        user=user, on=on)
        message = _("Le projet commun « %(project)s » devient caduc.", project=project.title)
    outside = rules.outside_charter_message(charter.governing, entry)
    if outside:
        message = f"{message} {outside}"
    reopening = reopening_instance(charter, decision)
    if project is not None and reopening is not None:
        message += " " + _("L'instance « %(instance)s » peut décider de le rouvrir.",
                           instance=reopening.name)
    db.session.flush()
    return EscalationResult("lapse", message)


def reopening_instance(charter: Charter, decision: Decision) -> CharterInstance | None:
    """The instance the charter names to reopen a lapsed decision (and its joint project)."""
    if decision.outcome != "lapsed":
        return None
    instance = db.session.get(CharterInstance, decision.instance_id)
    entry = arbitration_entry(charter, decision)
    if entry is None or entry.get("outcome") != "lapse":
        return instance
    return charter_queries.instance_row(charter, rules.reopening_instance(entry, instance.key))


def pending_reopening(decision: Decision) -> Decision | None:
    """The decision to reopen this lapse still before its instance (or None)."""
    return db.session.scalar(select(Decision).where(
        Decision.reopens_id == decision.id, Decision.outcome.in_(("pending", "blocked")))
        .options(selectinload(Decision.instance)).order_by(Decision.id.desc()).limit(1))


def reopen_lapsed(decision: Decision, charter: Charter, user, reason: str) -> Decision:
    """Put the reopening of a lapsed joint project to the instance the charter names: a
    decision of that instance, taken by its process (each member's position, the round table);
    its consensus lifts the lapse (``operations.lift_lapse``). Nobody reopens alone."""
    instance = reopening_instance(charter, decision)
    if instance is None:
        raise DomainError(_("Seule une décision qui a rendu un projet caduc peut être rouverte."))
    if decision.reopened_on is not None:
        raise DomainError(_("Cette caducité a déjà été levée le %(date)s.",
                              date=decision.reopened_on.strftime("%d/%m/%Y")))
    if pending_reopening(decision) is not None:
        raise DomainError(_("La réouverture est déjà soumise à l'instance « %(instance)s » : "
                            "recueillez la position de chacun.", instance=instance.name))
    if not (reason or "").strip():
        raise DomainError({"reason": _("Dites pourquoi rouvrir ce projet : la raison est soumise "
                                         "à l'instance et figure dans son historique.")})
    project = (db.session.get(JointProject, decision.joint_project_id)
               if decision.joint_project_id else None)
    statement = (_("Rouvrir le projet commun « %(project)s », devenu caduc.", project=project.title)
                 if project is not None else
                 _("Lever la caducité : %(statement)s", statement=decision.statement))
    return create_decision(
        charter, instance, level=decision.level, statement=statement, joint_project=project,
        reflection=_("Réouverture demandée : %(reason)s", reason=reason.strip()),
        reopens=decision, user=user)


def reopened_by(decision: Decision) -> Decision | None:
    """The consensus decision that lifted this lapse."""
    return db.session.scalar(select(Decision).where(
        Decision.reopens_id == decision.id, Decision.outcome == "consensus")
        .options(selectinload(Decision.instance)).limit(1))


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
