"""Create and change action plans and their actions.

Operations flush, never commit. Invalid data raises ``DomainError`` whose
``errors`` map fields to French messages. Every change of an action is written to the
audit trail by the session listeners (``TerritoryOwned``): that is the action's history.
"""
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db
from facilitation.action_plans import queries, rules
from facilitation.action_plans import raci as plan_raci
from facilitation.action_plans.models import (
    Action,
    ActionPlan,
    ActionPlanAxis,
    ActionProgressSnapshot,
    ActionSource,
)
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.indicators import operations as indicator_operations
from territorial.raci import operations as raci

ACTION_FIELDS = (
    "title", "description", "axis_id", "horizon", "scope", "owner_organisation_id",
    "contact_person_id", "start_date", "due_date", "budget_amount", "funders", "means",
    "status", "abandon_reason", "progress",
)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:60] or "axe"


# Plans and axes ------------------------------------------------------------------

def create_plan(territory_id: int, owner_type: str, owner_id: int, title: str,
                axes: Iterable = (), *, horizon_years: int | None = None,
                start_year: int | None = None, description: str = "") -> ActionPlan:
    """A plan of an owner with its axes: ``axes`` holds titles or (key, title) pairs."""
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez un titre au plan d'action.")})
    plan = ActionPlan(
        territory_id=territory_id, owner_type=owner_type, owner_id=owner_id,
        title=title.strip(), horizon_years=horizon_years, start_year=start_year,
        description=description,
    )
    db.session.add(plan)
    db.session.flush()
    for axis in axes:
        key, axis_title = axis if isinstance(axis, tuple) else (None, axis)
        add_axis(plan, str(axis_title), key=key)
    return plan


def ensure_plan(territory_id: int, owner_type: str, owner_id: int, title: str,
                axes: Iterable = (), **options) -> ActionPlan:
    return queries.plan_for(owner_type, owner_id, territory_id) or create_plan(
        territory_id, owner_type, owner_id, title, axes, **options
    )


def update_plan(plan: ActionPlan, *, title: str, description: str = "",
                horizon_years: int | None = None, start_year: int | None = None) -> ActionPlan:
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez un titre au plan d'action.")})
    plan.title = title.strip()
    plan.description = description or ""
    plan.horizon_years = horizon_years
    plan.start_year = start_year
    db.session.flush()
    return plan


def add_axis(plan: ActionPlan, title: str, *, key: str | None = None,
             description: str = "") -> ActionPlanAxis:
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez un intitulé à l'axe.")})
    existing = db.session.execute(
        select(ActionPlanAxis.key, ActionPlanAxis.position).where(ActionPlanAxis.plan_id == plan.id)
    ).all()
    keys = {row.key for row in existing}
    base = key or slugify(title)
    key, n = base, 2
    while key in keys:
        key, n = f"{base}_{n}", n + 1
    axis = ActionPlanAxis(
        plan_id=plan.id, territory_id=plan.territory_id, key=key, title=title.strip(),
        description=description, position=max((row.position for row in existing), default=0) + 1,
    )
    db.session.add(axis)
    db.session.flush()
    return axis


def update_axis(axis: ActionPlanAxis, *, title: str, description: str = "") -> ActionPlanAxis:
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez un intitulé à l'axe.")})
    axis.title = title.strip()
    axis.description = description or ""
    db.session.flush()
    return axis


def delete_axis(axis: ActionPlanAxis) -> None:
    """Remove an axis; its actions stay in the plan, « sans axe »."""
    db.session.delete(axis)
    db.session.flush()


def move_axis(axis: ActionPlanAxis, offset: int) -> None:
    axes = list(db.session.scalars(
        select(ActionPlanAxis).where(ActionPlanAxis.plan_id == axis.plan_id)
        .order_by(ActionPlanAxis.position, ActionPlanAxis.id)
    ))
    _move_in(axes, axis, offset)


def _move_in(items: list, item, offset: int) -> None:
    index = items.index(item)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position
    db.session.flush()


# Actions -------------------------------------------------------------------------

def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _validate(plan: ActionPlan, action: Action, data: dict) -> None:
    merged = {key: data.get(key, getattr(action, key, None)) for key in ACTION_FIELDS}
    errors = rules.action_errors(
        title=merged["title"] or "", horizon=merged["horizon"] or "court",
        scope=merged["scope"] or "participants", status=merged["status"] or "proposee",
        abandon_reason=merged["abandon_reason"] or "",
        progress=merged["progress"] if merged["progress"] is not None else 0,
        start_date=merged["start_date"], due_date=merged["due_date"],
        budget_amount=merged["budget_amount"],
    )
    errors |= queries.reference_errors(plan, data)
    if errors:
        raise DomainError(errors)


def _clean(fields: dict) -> dict:
    data = {key: fields[key] for key in ACTION_FIELDS if key in fields}
    for key in ("title", "description", "funders", "means", "abandon_reason"):
        if key in data:
            data[key] = (data[key] or "").strip()
    for key in ("axis_id", "owner_organisation_id", "contact_person_id"):
        if key in data:
            data[key] = data[key] or None
    if "budget_amount" in data:
        data["budget_amount"] = _decimal(data["budget_amount"])
    return data


def create_action(plan: ActionPlan, **fields) -> Action:
    """A new action at the end of ``plan``."""
    data = {"horizon": "court", "scope": "participants", "status": "proposee",
            "progress": 0} | _clean(fields)
    action = Action(plan_id=plan.id, territory_id=plan.territory_id)
    if data["status"] == "realisee":
        data["progress"] = 100
    _validate(plan, action, data)
    data["progress"] = int(data["progress"])
    last = db.session.scalar(select(func.max(Action.position)).where(Action.plan_id == plan.id))
    for key, value in data.items():
        setattr(action, key, value)
    action.position = fields.get("position") or (last or 0) + 1
    db.session.add(action)
    db.session.flush()
    snapshot(action)
    plan_raci.sync_raci(plan)
    return action


def update_action(plan: ActionPlan, action: Action, *, version: int | None = None,
                  **fields) -> str:
    """Change an action; a status change must be an allowed transition. ``version``: the
    action's version on the user's page (``versions.Conflict`` if a colleague saved it, its
    status or its progress since). A « Réalisée » action moved to another status with its
    progress left at 100 % takes the progress of ``rules.reopened_progress``. Returns what
    to tell the user besides « saved »: how that progress was chosen ("" otherwise)."""
    versions.check(action, version)
    data = _clean(fields)
    if "status" in data and data["status"] != action.status:
        error = rules.transition_error(action.status, data["status"], data.get("abandon_reason"))
        if error:
            raise DomainError({"status": error})
    if data.get("status") == "realisee" and action.status != "realisee":
        data["progress"] = 100
    _validate(plan, action, data)
    if "progress" in data:
        data["progress"] = int(data["progress"])
    note = ""
    if _reopened(action, data.get("status", action.status)) and data.get("progress", 100) == 100:
        data["progress"], note = rules.reopened_progress(queries.journal_changes(action))
    if data.get("status", action.status) != "abandonnee":
        data["abandon_reason"] = ""
    for key, value in data.items():
        setattr(action, key, value)
    versions.flush(action)
    snapshot(action)
    plan_raci.sync_raci(plan)
    return note


def _reopened(action: Action, status: str) -> bool:
    """Whether ``action`` leaves « Réalisée » for ``status``."""
    return action.status == "realisee" and status != "realisee"


def change_status(action: Action, status: str, reason: str | None = None,
                  version: int | None = None) -> str:
    """Move an action to ``status`` if the transition is allowed.

    « Réalisée » sets the progress to 100 %; leaving it, the action takes the progress of
    ``rules.reopened_progress``. « Abandonnée » needs a reason, kept until the action
    leaves that status. ``version`` as in ``update_action``. Returns what to tell the user
    besides the new status: how the progress of a reopened action was chosen ("" otherwise).
    """
    versions.check(action, version)
    error = rules.transition_error(action.status, status, reason)
    if error:
        raise DomainError({"status": error})
    if status == action.status and status != "abandonnee":
        return ""
    note = ""
    if _reopened(action, status):  # its history read before this change is written to it
        action.progress, note = rules.reopened_progress(queries.journal_changes(action))
    action.status = status
    action.abandon_reason = (reason or "").strip() if status == "abandonnee" else ""
    if status == "realisee":
        action.progress = 100
    versions.flush(action)
    snapshot(action)
    return note


def set_progress(action: Action, progress, version: int | None = None) -> Action:
    versions.check(action, version)
    error = rules.progress_error(progress, action.status)
    if error:
        raise DomainError({"progress": error})
    action.progress = int(str(progress).strip())
    versions.flush(action)
    snapshot(action)
    return action


def delete_action(action: Action) -> None:
    plan = db.session.get(ActionPlan, action.plan_id)
    indicator_operations.delete_for_owner("action", [action.id], action.territory_id)
    db.session.delete(action)
    db.session.flush()
    plan_raci.sync_raci(plan)


def move_action(action: Action, offset: int) -> bool:
    """Swap an action with its neighbour in the same axis and horizon (the keyboard
    alternative to dragging). Returns False at either end of its group."""
    siblings = list(db.session.scalars(
        select(Action).where(
            Action.plan_id == action.plan_id,
            Action.axis_id.is_(None) if action.axis_id is None else Action.axis_id == action.axis_id,
            Action.horizon == action.horizon,
        ).order_by(Action.position, Action.id)
    ))
    index = siblings.index(action)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(siblings):
        return False
    other = siblings[target]
    if other.position == action.position:
        _renumber_plan(action.plan_id)
    action.position, other.position = other.position, action.position
    db.session.flush()
    return True


def reorder(plan: ActionPlan, ordered_ids: Sequence[int]) -> int:
    """Put the listed actions of ``plan`` in this order, in the places they held
    (the other actions keep theirs, so a page or a group can be reordered alone);
    ids of other plans are ignored. Returns how many actions moved."""
    ids = list(dict.fromkeys(int(i) for i in ordered_ids))
    actions = {
        action.id: action for action in db.session.scalars(
            select(Action).where(Action.plan_id == plan.id, Action.id.in_(ids))
        )
    } if ids else {}
    wanted = [actions[i] for i in ids if i in actions]
    slots = sorted(action.position for action in wanted)
    if len(set(slots)) < len(slots):  # duplicated positions: renumber the whole plan first
        _renumber_plan(plan.id)
        slots = sorted(action.position for action in wanted)
    moved = 0
    for action, position in zip(wanted, slots):
        if action.position != position:
            action.position = position
            moved += 1
    db.session.flush()
    plan_raci.sync_raci(plan)
    return moved


def _renumber_plan(plan_id: int) -> None:
    actions = db.session.scalars(
        select(Action).where(Action.plan_id == plan_id).order_by(Action.position, Action.id)
    )
    for position, action in enumerate(actions, start=1):
        if action.position != position:
            action.position = position
    db.session.flush()


def snapshot(action: Action, on: date | None = None) -> ActionProgressSnapshot:
    """Record the action's status and progress as of ``on`` (today by default)."""
    on = on or date.today()
    row = db.session.scalar(
        select(ActionProgressSnapshot).where(
            ActionProgressSnapshot.action_id == action.id,
            ActionProgressSnapshot.recorded_on == on,
        )
    )
    if row is None:
        row = ActionProgressSnapshot(
            territory_id=action.territory_id, plan_id=action.plan_id, action_id=action.id,
            recorded_on=on,
        )
        db.session.add(row)
    row.progress = action.progress
    row.status = action.status
    db.session.flush()
    return row


def link_source(action: Action, source_type: str, source_id: int, label: str = ""
                ) -> ActionSource:
    """Note where the action came from (a contribution card of a GT3 session…)."""
    source = db.session.scalar(
        select(ActionSource).where(
            ActionSource.action_id == action.id, ActionSource.source_type == source_type,
            ActionSource.source_id == source_id,
        )
    )
    if source is None:
        source = ActionSource(
            action_id=action.id, territory_id=action.territory_id, source_type=source_type,
            source_id=source_id, label=(label or "")[:500],
        )
        db.session.add(source)
        db.session.flush()
    return source


def delete_plan(plan: ActionPlan) -> None:
    """Remove a plan, its axes and actions, and the indicators and RACI grid attached."""
    action_ids = list(db.session.scalars(select(Action.id).where(Action.plan_id == plan.id)))
    indicator_operations.delete_for_owner("action", action_ids, plan.territory_id)
    indicator_operations.delete_for_owner("action_plan", [plan.id], plan.territory_id)
    raci.delete_grids(plan.territory_id, "action_plan", plan.id)
    db.session.delete(plan)
    db.session.flush()
