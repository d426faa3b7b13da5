"""Operations on several actions of a plan at once (the plan page's bulk form): one
porteur for all, one status for all."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from extensions import db
from facilitation.action_plans import operations, queries, rules
from facilitation.action_plans.models import Action, ActionPlan
from territorial.common.errors import DomainError


def _plan_actions(plan: ActionPlan, action_ids: Iterable[int]) -> list[Action]:
    ids = [int(i) for i in action_ids]
    if not ids:
        return []
    return list(db.session.scalars(
        select(Action).where(Action.plan_id == plan.id, Action.id.in_(ids))
        .order_by(Action.position)
    ))


def assign_owner(plan: ActionPlan, action_ids: Iterable[int],
                 organisation_id: int | None) -> tuple[int, int]:
    """Give the selected actions of ``plan`` one porteur. A contact who works for another
    structure was the old porteur's referent: taken off, to be chosen again. Returns the
    number of actions changed and of contacts taken off."""
    porteur = organisation_id or None
    errors = queries.reference_errors(plan, {"owner_organisation_id": porteur})
    if errors:
        raise DomainError(errors)
    actions = _plan_actions(plan, action_ids)
    elsewhere = queries.contacts_of_another_structure(
        {action.contact_person_id for action in actions} - {None}, porteur)
    taken_off = 0
    for action in actions:
        action.owner_organisation_id = porteur
        if action.contact_person_id in elsewhere:
            action.contact_person_id = None
            taken_off += 1
    db.session.flush()
    return len(actions), taken_off


def change_status(plan: ActionPlan, action_ids: Iterable[int], status: str,
                  reason: str | None = None
                  ) -> tuple[int, list[tuple[Action, str]], list[tuple[Action, str]]]:
    """Change the status of the selected actions; those whose transition is not allowed
    are left as they are and returned with the reason. Returns the number changed, the
    refused, and the reopened actions with how their progress was chosen
    (``operations.change_status``)."""
    changed, refused, notes = 0, [], []
    for action in _plan_actions(plan, action_ids):
        error = rules.transition_error(action.status, status, reason)
        if error:
            refused.append((action, error))
            continue
        if action.status != status:
            if note := operations.change_status(action, status, reason):
                notes.append((action, note))
            changed += 1
    return changed, refused, notes
