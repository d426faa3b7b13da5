"""Queries of action plans: a plan of an owner, the lists and counts the pages show, an
action's history, the rows of a plan's RACI grid, the references an action may take."""
from __future__ import annotations

from collections import Counter, namedtuple
from collections.abc import Iterable
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from facilitation.action_plans.models import HORIZONS, Action, ActionPlan, ActionPlanAxis
from territorial.actors.models import Organisation, Person
from territorial.audit.models import AuditEntry
from territorial.common.collation import french, ties_in_french_order
from territorial.common.loading import rows


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


def experiment_plans(experiment_id: int, group_ids: list[int], territory_id: int
                     ) -> tuple[list[ActionPlan], ActionPlan | None]:
    """The plans of an experiment's working groups and the experiment's own plan (its first,
    should it have several, or None), in one query."""
    plans = list(db.session.scalars(_experiment_plans_statement(bool(group_ids)), {
        "experiment_id": experiment_id, "group_ids": group_ids, "territory_id": territory_id}))
    own = next((plan for plan in plans if plan.owner_type == "experiment"), None)
    return [plan for plan in plans if plan.owner_type == "working_group"], own


@cache
def _experiment_plans_statement(with_groups: bool):
    """The plans of an experiment (parameters ``experiment_id``, ``territory_id``) and, if
    ``with_groups``, of its working groups (parameter ``group_ids``): built once."""
    owned = ((ActionPlan.owner_type == "experiment")
             & (ActionPlan.owner_id == bindparam("experiment_id")))
    if with_groups:
        owned |= ((ActionPlan.owner_type == "working_group")
                  & ActionPlan.owner_id.in_(bindparam("group_ids", expanding=True)))
    return (select(ActionPlan).where(ActionPlan.territory_id == bindparam("territory_id"), owned)
            .order_by(ActionPlan.id))


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


def contacts_of_another_structure(person_ids: set[int], organisation_id: int | None) -> set[int]:
    """Of ``person_ids``, those who work for a structure other than ``organisation_id``
    (none when there is no porteur: a contact without one contradicts nothing)."""
    if not person_ids or not organisation_id:
        return set()
    return set(db.session.scalars(select(Person.id).where(
        Person.id.in_(person_ids), Person.organisation_id.is_not(None),
        Person.organisation_id != organisation_id)))


def _journal(action: Action, *columns):
    """``columns`` of the action's journal entries, most recent first."""
    return (select(*columns)
            .where(AuditEntry.territory_id == action.territory_id,
                   AuditEntry.object_type == "Action", AuditEntry.object_id == action.id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))


def action_history(action: Action, limit: int = 100) -> list[AuditEntry]:
    """Who changed what on this action, and when (most recent first)."""
    return list(db.session.scalars(
        _journal(action, AuditEntry).options(selectinload(AuditEntry.user)).limit(limit)))


def journal_changes(action: Action, limit: int = 200) -> list[dict]:
    """The changes ({field: [old, new]}) of the action's journal updates, most recent
    first: what ``rules.reopened_progress`` reads."""
    return list(db.session.scalars(
        _journal(action, AuditEntry.changes).where(AuditEntry.action == "update").limit(limit)))


def raci_rows(plan: ActionPlan) -> list[tuple[str, str]]:
    """The RACI grid rows of a plan: one per action, in the plan's order."""
    rows = db.session.execute(
        select(Action.id, Action.title).where(Action.plan_id == plan.id)
        .order_by(Action.position, Action.id)
    ).all()
    return [(f"action:{action_id}", title) for action_id, title in rows]


# What the pages list -------------------------------------------------------------------------

def axes_of(plan: ActionPlan) -> list[ActionPlanAxis]:
    return list(db.session.scalars(_axes_statement(), {"plan_id": plan.id}))


@cache
def _axes_statement():
    """The axes of a plan (parameter ``plan_id``) in order: built once."""
    return (select(ActionPlanAxis).where(ActionPlanAxis.plan_id == bindparam("plan_id"))
            .order_by(ActionPlanAxis.position, ActionPlanAxis.id))


def porteur_choices(territory_id: int, plan_ids: Iterable[int], selected: int | None
                    ) -> list[tuple[int, str]]:
    """(id, name) of the organisations that carry an action of these plans, and of the one
    ``selected`` (the filter's), in French order: one query."""
    return _in_french_order(rows(_porteurs_statement(), {
        "territory_id": territory_id, "plan_ids": list(plan_ids), "selected": selected}))


def _in_french_order(found) -> list[tuple[int, str]]:
    """Rows (id, name, sort_name) in their sort key's order (``sort_name``), the collation's
    only between equal keys."""
    return [(id_, name) for id_, name, _key in ties_in_french_order(
        found, sort_key=lambda row: row[2], text=lambda row: row[1])]


@cache
def _porteurs_statement():
    """``porteur_choices``'s query (parameters ``territory_id``, ``plan_ids``,
    ``selected``): built once."""
    carried = select(Action.owner_organisation_id).where(
        Action.plan_id.in_(bindparam("plan_ids", expanding=True)))
    return (select(Organisation.id, Organisation.name, Organisation.sort_name)
            .where(Organisation.territory_id == bindparam("territory_id"),
                   or_(Organisation.id.in_(carried), Organisation.id == bindparam("selected")))
            .order_by(Organisation.sort_name, Organisation.id))


Names = namedtuple("Names", "organisations people")


def names_of(actions: list, organisations: dict[int, str] | None = None) -> Names:
    """The porteurs' and contacts' names of a page of actions, by id: two queries of
    columns (loading them as the actions' relationships costs several times as much);
    none for the porteurs whose names the page read already (``organisations``)."""
    known = organisations or {}
    organisation_ids = sorted({action.owner_organisation_id for action in actions}
                              - {None} - known.keys())
    person_ids = sorted({action.contact_person_id for action in actions} - {None})
    organisations_statement, people_statement = _names_statements()
    found = dict(rows(organisations_statement, {"ids": organisation_ids})) \
        if organisation_ids else {}
    people = {row.id: Person.full_name.fget(row)
              for row in rows(people_statement, {"ids": person_ids})} if person_ids else {}
    return Names(known | found, people)


@cache
def _names_statements() -> tuple:
    """``names_of``'s two queries (parameter ``ids``): built once."""
    ids = bindparam("ids", expanding=True)
    return (select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)),
            select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(ids)))


def plans_statement(territory_id: int):
    return (select(ActionPlan).where(ActionPlan.territory_id == territory_id)
            .order_by(ActionPlan.owner_type, french(ActionPlan.title), ActionPlan.id))


def action_counts(plan_ids: Iterable[int]) -> dict[int, int]:
    """How many actions each plan holds."""
    ids = list(plan_ids)
    if not ids:
        return {}
    return dict(rows(_counts_statement(), {"plan_ids": ids}))


@cache
def _counts_statement():
    """How many actions each plan (parameter ``plan_ids``) holds: built once."""
    return (select(Action.plan_id, func.count())
            .where(Action.plan_id.in_(bindparam("plan_ids", expanding=True)))
            .group_by(Action.plan_id))


Summary = namedtuple("Summary", "totals porteurs names")


def plan_summary(plan: ActionPlan, selected: int | None) -> Summary:
    """What a plan's page reads of all its actions, in one query: how many by status, the
    porteurs (the « Porteur » filter's choices, with the one ``selected``, in French
    order) and the porteurs' and contacts' names (``Names``, for its rows)."""
    totals: Counter = Counter()
    porteurs, people = {}, {}
    for (status, organisation_id, name, sort_name, person_id, first_name, last_name,
         count) in rows(_summary_statement(), {"plan_id": plan.id,
                                               "territory_id": plan.territory_id}):
        totals[status] += count
        if name is not None:
            porteurs[organisation_id] = (organisation_id, name, sort_name)
        if person_id is not None:
            people[person_id] = f"{first_name} {last_name}".strip()
    if selected is not None and selected not in porteurs:  # carries none of its actions
        choices = porteur_choices(plan.territory_id, [plan.id], selected)
    else:
        choices = _in_french_order(sorted(porteurs.values(), key=lambda row: (row[2], row[0])))
    return Summary(dict(totals), choices, Names(dict(choices), people))


@cache
def _summary_statement():
    """``plan_summary``'s query (parameters ``plan_id``, ``territory_id``): the actions
    counted by status, porteur and contact, with their names; built once. The people are
    joined within the territory: otherwise PostgreSQL hashes every person of the
    deployment (1 ms at 6,800 people, growing with the platform)."""
    return (select(Action.status, Action.owner_organisation_id, Organisation.name,
                   Organisation.sort_name, Action.contact_person_id, Person.first_name,
                   Person.last_name, func.count())
            .outerjoin(Organisation,
                       (Organisation.id == Action.owner_organisation_id)
                       & (Organisation.territory_id == bindparam("territory_id")))
            .outerjoin(Person, (Person.id == Action.contact_person_id)
                       & (Person.territory_id == bindparam("territory_id")))
            .where(Action.plan_id == bindparam("plan_id"))
            .group_by(Action.status, Action.owner_organisation_id, Organisation.name,
                      Organisation.sort_name, Action.contact_person_id, Person.first_name,
                      Person.last_name))


def axis_counts(plan: ActionPlan) -> dict[int | None, int]:
    return dict(db.session.execute(
        select(Action.axis_id, func.count()).where(Action.plan_id == plan.id)
        .group_by(Action.axis_id)).all())


@cache
def plan_page_statements(filtered, axis_filter: str) -> tuple:
    """The plan page's actions in display order: axis, horizon, position, a page of them
    (parameters ``limit``, ``offset``) and how many (``filtered``: the filtered actions,
    ``reports.filtered_actions``); ``axis_filter`` "none" for the actions without axis,
    "one" for an axis's (parameter ``axis_id``): built once. The axes are joined within
    the plan (an action's axis is its plan's), read by the plan's index: otherwise
    PostgreSQL hashes every axis of the deployment."""
    horizon_order = case({key: index for index, key in enumerate(HORIZONS)},
                         value=Action.horizon, else_=len(HORIZONS))
    statement = (
        filtered
        .outerjoin(ActionPlanAxis, (ActionPlanAxis.id == Action.axis_id)
                   & (ActionPlanAxis.plan_id == Action.plan_id))
        .order_by(None)
        .order_by(func.coalesce(ActionPlanAxis.position, 10_000), ActionPlanAxis.id,
                  horizon_order, Action.position, Action.id))
    if axis_filter == "none":
        statement = statement.where(Action.axis_id.is_(None))
    elif axis_filter:
        statement = statement.where(Action.axis_id == bindparam("axis_id"))
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    return statement.limit(bindparam("limit")).offset(bindparam("offset")), count


def overdue_statement(territory_id: int, today):
    """Every late action of a territory, with its plan, the oldest due date first."""
    return (select(Action).options(joinedload(Action.plan))
            .where(Action.territory_id == territory_id, Action.due_date < today,
                   Action.status.not_in(("realisee", "abandonnee")))
            .order_by(Action.due_date, Action.id))


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
    return rows(_recent_plans_statement(limit), {"territory_id": territory_id})


@cache
def _recent_plans_statement(limit: int):
    """``recent_plans``'s query (its parameter ``territory_id``): built once, for the home
    page."""
    return (select(ActionPlan.id, ActionPlan.title)
            .where(ActionPlan.territory_id == bindparam("territory_id"))
            .order_by(ActionPlan.updated_at.desc(), ActionPlan.id.desc()).limit(limit))


def actions_carried_by(organisation, limit: int = 10) -> list[Action]:
    return list(db.session.scalars(
        select(Action).where(Action.territory_id == organisation.territory_id,
                             Action.owner_organisation_id == organisation.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(limit)))
