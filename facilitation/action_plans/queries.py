"""Queries of action plans: a plan of an owner, the lists and counts the pages show, an
action's history, the rows of a plan's RACI grid, the references an action may take."""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import load_only, selectinload

from extensions import db
from facilitation.action_plans.models import HORIZONS, Action, ActionPlan, ActionPlanAxis
from territorial.actors.models import Organisation, Person
from territorial.audit.models import AuditEntry
from territorial.common.collation import french, ties_in_french_order
from territorial.common.loading import rows, set_parents


def plan_for(owner_type: str, owner_id: int, territory_id: int | None = None
             ) -> ActionPlan | None:
    """The plan of an owner (its first one, should it have several)."""
    statement = (
        select(ActionPlan)
        .where(ActionPlan.owner_type == owner_type, ActionPlan.owner_id == owner_id)
        .order_by(ActionPlan.id)
        .limit(1)
    )
    if territory_id is not None:
        statement = statement.where(ActionPlan.territory_id == territory_id)
    return db.session.scalar(statement)


def plans_for(owner_type: str, owner_ids: Iterable[int], territory_id: int) -> list[ActionPlan]:
    ids = list(owner_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(ActionPlan)
        .where(ActionPlan.owner_type == owner_type, ActionPlan.owner_id.in_(ids),
               ActionPlan.territory_id == territory_id)
        .order_by(ActionPlan.id)
    ))



def reference_errors(plan: ActionPlan, data: dict) -> dict[str, str]:
    """The axis must be the plan's, the owner and the contact of the plan's territory."""
    errors = {}
    if data.get("axis_id"):
        axis_plan = db.session.scalar(
            select(ActionPlanAxis.plan_id).where(ActionPlanAxis.id == data["axis_id"])
        )
        if axis_plan != plan.id:
            errors["axis_id"] = _("Cet axe n'appartient pas à ce plan d'action.")
    if data.get("owner_organisation_id"):
        territory = db.session.scalar(
            select(Organisation.territory_id).where(Organisation.id == data["owner_organisation_id"])
        )
        if territory != plan.territory_id:
            errors["owner_organisation_id"] = _(
                "Cette organisation n'appartient pas à ce territoire : choisissez un porteur "
                "parmi les acteurs du territoire."
            )
    if data.get("contact_person_id"):
        territory = db.session.scalar(
            select(Person.territory_id).where(Person.id == data["contact_person_id"])
        )
        if territory != plan.territory_id:
            errors["contact_person_id"] = _(
                "Ce contact n'appartient pas à ce territoire : choisissez un contact du territoire."
            )
    return errors



def action_history(action: Action, limit: int = 100) -> list[AuditEntry]:
    """Who changed what on this action, and when (most recent first)."""
    return list(db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.territory_id == action.territory_id,
               AuditEntry.object_type == "Action", AuditEntry.object_id == action.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ))



def raci_rows(plan: ActionPlan) -> list[tuple[str, str]]:
    """The RACI grid rows of a plan: one per action, in the plan's order."""
    rows = db.session.execute(
        select(Action.id, Action.title).where(Action.plan_id == plan.id)
        .order_by(Action.position, Action.id)
    ).all()
    return [(f"action:{action_id}", title) for action_id, title in rows]


# What the pages list -------------------------------------------------------------------------

def axes_of(plan: ActionPlan) -> list[ActionPlanAxis]:
    return list(db.session.scalars(
        select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id)
        .order_by(ActionPlanAxis.position, ActionPlanAxis.id)))


def organisation_choices(territory_id: int, among: set[int] | None = None
                         ) -> list[tuple[int, str]]:
    """(id, name) of the territory's organisations (not archived), or of those ``among``
    some ids, in French order: their sort key's (``sort_name``), the collation's only
    between equal keys."""
    statement = (select(Organisation.id, Organisation.name, Organisation.sort_name)
                 .where(Organisation.territory_id == territory_id)
                 .order_by(Organisation.sort_name, Organisation.id))
    statement = statement.where(Organisation.archived_at.is_(None) if among is None
                                else Organisation.id.in_(among))
    return [(id_, name) for id_, name, _key in ties_in_french_order(
        rows(statement), sort_key=lambda row: row[2], text=lambda row: row[1])]


def porteur_ids(plan_ids: Iterable[int]) -> set[int]:
    """The organisations that carry an action of these plans."""
    return set(db.session.scalars(
        select(Action.owner_organisation_id).distinct()
        .where(Action.plan_id.in_(list(plan_ids)), Action.owner_organisation_id.is_not(None))))


def load_names(actions: list[Action]) -> None:
    """The porteur's and the contact's names of a page of actions: two plain queries (two
    ``selectinload`` cost twice as much)."""
    set_parents(actions, "owner_organisation", "owner_organisation_id",
                select(Organisation).options(load_only(Organisation.name)), Organisation)
    set_parents(actions, "contact_person", "contact_person_id",
                select(Person).options(load_only(Person.first_name, Person.last_name)), Person)


def plans_statement(territory_id: int):
    return (select(ActionPlan).where(ActionPlan.territory_id == territory_id)
            .order_by(ActionPlan.owner_type, french(ActionPlan.title), ActionPlan.id))


def action_counts(plan_ids: Iterable[int]) -> dict[int, int]:
    """How many actions each plan holds."""
    ids = list(plan_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Action.plan_id, func.count()).where(Action.plan_id.in_(ids))
        .group_by(Action.plan_id)).all())


def status_totals(plan: ActionPlan) -> dict[str, int]:
    return dict(db.session.execute(
        select(Action.status, func.count()).where(Action.plan_id == plan.id)
        .group_by(Action.status)).all())


def axis_counts(plan: ActionPlan) -> dict[int | None, int]:
    return dict(db.session.execute(
        select(Action.axis_id, func.count()).where(Action.plan_id == plan.id)
        .group_by(Action.axis_id)).all())


def plan_page_statement(plan: ActionPlan, actions_statement, axis_filter: int | None):
    """The plan page's actions in display order: axis, horizon, position (``actions_statement``:
    the filtered actions, ``reports.actions_statement``); ``axis_filter`` 0 for the actions
    without axis."""
    horizon_order = case({key: index for index, key in enumerate(HORIZONS)},
                         value=Action.horizon, else_=len(HORIZONS))
    statement = (
        actions_statement
        .outerjoin(ActionPlanAxis, ActionPlanAxis.id == Action.axis_id)
        .order_by(None)
        .order_by(func.coalesce(ActionPlanAxis.position, 10_000), ActionPlanAxis.id,
                  horizon_order, Action.position, Action.id))
    if axis_filter is not None:
        statement = statement.where(
            Action.axis_id.is_(None) if axis_filter == 0 else Action.axis_id == axis_filter)
    return statement


def overdue_actions(territory_id: int, today, limit: int = 5) -> tuple[int, list]:
    """How many actions of the territory are late, and the first ``limit`` of them: rows
    of (id, title, due date)."""
    found = rows(_overdue_statement(limit), {"territory_id": territory_id, "today": today})
    return (found[0][3] if found else 0), [row[:3] for row in found]


@cache
def _overdue_statement(limit: int):
    """The first ``limit`` late actions of a territory, each with how many there are (its
    parameters ``territory_id`` and ``today``): built once, for the home page."""
    condition = ((Action.territory_id == bindparam("territory_id"))
                 & (Action.due_date < bindparam("today"))
                 & Action.status.not_in(("realisee", "abandonnee")))
    count = (select(func.count()).select_from(Action).where(condition).correlate(None)
             .scalar_subquery())
    return (select(Action.id, Action.title, Action.due_date, count).where(condition)
            .order_by(Action.due_date, Action.id).limit(limit))


def recent_plans(territory_id: int, limit: int = 5) -> list:
    """The plans last changed: rows of (id, title)."""
    return db.session.execute(
        select(ActionPlan.id, ActionPlan.title).where(ActionPlan.territory_id == territory_id)
        .order_by(ActionPlan.updated_at.desc(), ActionPlan.id.desc()).limit(limit)).all()


def actions_carried_by(organisation, limit: int = 10) -> list[Action]:
    return list(db.session.scalars(
        select(Action).where(Action.territory_id == organisation.territory_id,
                             Action.owner_organisation_id == organisation.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(limit)))
