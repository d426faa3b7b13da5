"""What the plan pages, the restitution, the follow-up and the exports list (their key
figures: ``key_figures``).

Everything is loaded up front in a fixed number of queries (actions with their axis,
porteur, contact and plan; their indicators with targets and values; the plans' RACI
grids), then grouped and counted in Python: the number of queries never depends on the
number of actions, and the Word writer never touches the database. A page of the
consolidated plan reads only its own actions, the database ordering them by group
(``page_statements``).

A ``Scope`` is what a report covers: one plan grouped by its axes, or an experiment's
consolidated plan (its working groups' plans and its own) grouped by theme.
"""
from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, false, func, literal, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common import loading
from facilitation.action_plans.models import (
    HORIZONS,
    Action,
    ActionPlan,
    ActionPlanAxis,
)
from facilitation.action_plans import raci as plan_raci
from territorial.indicators import standing as indicator_standing
from territorial.indicators.operations import indicators_for

NO_GROUP = ("", 10_000)  # key, position of the « Sans axe » group


@dataclass
class Group:
    key: str
    title: str
    position: int = 0


@dataclass
class Placement:
    """The group of an action: its axis's, else its plan's, else ``fallback``; as data,
    so that the database can order and filter a page of a scope (``page_statements``)."""

    by_axis: dict[int, Group]
    by_plan: dict[int, Group]
    fallback: Group

    def group_of(self, action) -> Group:
        return self.by_axis.get(action.axis_id) or self.by_plan.get(action.plan_id,
                                                                    self.fallback)


@dataclass
class Scope:
    """What a report covers: plans, and how to group their actions (``placement``: the
    same as data, for a page of them)."""

    territory: object
    title: str
    subtitle: str
    plans: list[ActionPlan]
    group_of: Callable[[Action], Group]
    groups: list[Group]
    group_label: str = field(default_factory=lambda: _("Axe"))
    period: str = ""
    placement: Placement | None = None

    def periods(self) -> dict[int, list[int]]:
        """plan id → the years of its period (empty when it is not set)."""
        return {plan.id: indicator_standing.period_years(plan.start_year, plan.horizon_years)
                for plan in self.plans}


@dataclass
class ActionRow:
    action: Action  # or an ActionSummary
    group: Group
    indicators: list = field(default_factory=list)
    raci: str = ""
    plan_years: list[int] = field(default_factory=list)  # its plan's period

    @property
    def years(self) -> list[int]:
        """The period whose targets the row shows: its plan's, else its action's dates."""
        action = self.action
        return self.plan_years or indicator_standing.date_years(action.start_date,
                                                                action.due_date)

    @property
    def owner_name(self) -> str:
        org = self.action.owner_organisation
        return org.name if org else ""

    @property
    def contact_name(self) -> str:
        person = self.action.contact_person
        return person.full_name if person else ""


# Scopes ----------------------------------------------------------------------------

def _no_axis() -> Group:
    return Group(NO_GROUP[0], _("Sans axe"), NO_GROUP[1])


def plan_scope(plan: ActionPlan, territory, axes: list[ActionPlanAxis] | None = None,
               owner_label: str = "") -> Scope:
    """One plan, grouped by its axes (actions without an axis come last)."""
    if axes is None:
        axes = list(db.session.scalars(
            select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id)
            .order_by(ActionPlanAxis.position, ActionPlanAxis.id)
        ))
    groups = {axis.id: Group(f"axis:{axis.id}", axis.title, axis.position) for axis in axes}
    placement = Placement(groups, {}, _no_axis())
    return Scope(
        territory=territory, title=plan.title, subtitle=owner_label, plans=[plan],
        group_of=placement.group_of, groups=list(groups.values()) + [placement.fallback],
        period=plan.period_label, placement=placement,
    )


# Loading ---------------------------------------------------------------------------

@dataclass
class Filters:
    status: str = ""
    owner: int | None = None  # organisation id; 0 = without porteur
    horizon: str = ""
    scope: str = ""
    group: str = ""

    def active(self) -> bool:
        return bool(self.status or self.owner is not None or self.horizon or self.scope
                    or self.group)


# What the summaries of many actions read (the follow-up): not their texts.
SUMMARY_COLUMNS = (
    Action.id, Action.plan_id, Action.axis_id, Action.position, Action.title, Action.horizon,
    Action.scope, Action.status, Action.progress, Action.owner_organisation_id,
    Action.contact_person_id, Action.start_date, Action.due_date, Action.budget_amount,
)


Porteur = namedtuple("Porteur", "name")


class ActionSummary(namedtuple("ActionSummary",
                               [column.key for column in SUMMARY_COLUMNS] + ["porteur_name"])):
    """An action as a summary reads it: its ``SUMMARY_COLUMNS`` and its porteur's name,
    plain values rather than a model object (many times cheaper to load for the hundreds
    of actions of an experiment); the model's rules read it alike."""

    __slots__ = ()
    is_closed = Action.is_closed
    is_overdue = Action.is_overdue

    @property
    def owner_organisation(self) -> Porteur | None:
        return None if self.porteur_name is None else Porteur(self.porteur_name)


def actions_statement(plan_ids: list[int], filters: Filters | None = None, *,
                      names: bool = True):
    """The actions of plans with their porteur's and contact's names (each read by its key:
    joined, PostgreSQL may hash every person or organisation of the deployment); without
    them if not ``names`` (a page of actions reads them by ``queries.names_of``)."""
    shape, parameters = filter_parameters(plan_ids, filters)
    statement = filtered_actions(shape).params(parameters)
    if names:
        statement = statement.options(
            selectinload(Action.owner_organisation).load_only(Organisation.name),
            selectinload(Action.contact_person).load_only(Person.first_name, Person.last_name))
    return statement


def filter_parameters(plan_ids, filters: Filters | None) -> tuple[tuple, dict]:
    """The shape of ``filters`` (the conditions they set: ``filtered_actions``'s argument)
    and the values of the statement's parameters."""
    filters = filters or Filters()
    owner = "none" if filters.owner == 0 else ("one" if filters.owner else "")
    shape = (bool(filters.status), owner, bool(filters.horizon), bool(filters.scope))
    parameters = {"plan_ids": list(plan_ids), "status": filters.status,
                  "owner": filters.owner, "horizon": filters.horizon, "scope": filters.scope}
    return shape, {key: value for key, value in parameters.items()
                   if key == "plan_ids" or value}


@cache
def filtered_actions(shape: tuple):
    """The actions of plans (parameter ``plan_ids``) in the plans' order that meet filters
    of ``shape`` (``filter_parameters``; parameters ``status``, ``owner``, ``horizon``,
    ``scope``): built once per shape."""
    status, owner, horizon, scope = shape
    statement = (
        select(Action)
        .where(Action.plan_id.in_(bindparam("plan_ids", expanding=True)))
        .order_by(Action.plan_id, Action.position, Action.id)
    )
    if status:
        statement = statement.where(Action.status == bindparam("status"))
    if owner == "none":
        statement = statement.where(Action.owner_organisation_id.is_(None))
    elif owner:
        statement = statement.where(Action.owner_organisation_id == bindparam("owner"))
    if horizon:
        statement = statement.where(Action.horizon == bindparam("horizon"))
    if scope:
        statement = statement.where(Action.scope == bindparam("scope"))
    return statement


def load_rows(scope: Scope, filters: Filters | None = None, *, with_indicators: bool = True
              ) -> list[ActionRow]:
    """Every action of the scope with its group, indicators and RACI summary, in the
    order of the groups then of the plan: 1 + 2 (+ RACI) queries."""
    plan_ids = [plan.id for plan in scope.plans]
    if not plan_ids:
        return []
    statement = actions_statement(plan_ids, filters)
    placed = in_scope_order(scope, list(db.session.scalars(statement)),
                            filters.group if filters else "")
    ids = actions_statement(plan_ids, filters, names=False).with_only_columns(Action.id)
    return _rows(scope, placed, with_indicators=with_indicators, ids=ids.order_by(None))


# The porteur's name of an action, read by its key (joined, PostgreSQL may hash every
# organisation of the deployment).
PORTEUR_NAME = select(Organisation.name).where(
    Organisation.id == Action.owner_organisation_id).scalar_subquery()

# What the summaries of many actions read (the follow-up's ``ActionSummary``).
SUMMARY_SELECT = (*SUMMARY_COLUMNS, PORTEUR_NAME)


def summary_rows(scope: Scope, summaries: list[ActionSummary]) -> list[ActionRow]:
    """The rows of some actions of the scope read as ``ActionSummary`` (``SUMMARY_SELECT``),
    in the order of ``load_rows``, with their indicators (not their RACI summaries)."""
    return _rows(scope, in_scope_order(scope, summaries), with_raci=False, a_slice=True)


ProposalRow = namedtuple("ProposalRow", "id plan_id axis_id position title horizon porteur_name")


def proposals(scope: Scope) -> list[tuple[Group, ProposalRow]]:
    """(group, id, title, horizon and porteur's name) of the scope's proposals for the
    territory, in the order of ``load_rows``: one query."""
    plan_ids = [plan.id for plan in scope.plans]
    if not plan_ids:
        return []
    found = map(ProposalRow._make, loading.rows(_proposals_statement(), {"plan_ids": plan_ids}))
    return in_scope_order(scope, found)


@cache
def _proposals_statement():
    """``proposals``'s query, built once (parameter ``plan_ids``)."""
    return select(Action.id, Action.plan_id, Action.axis_id, Action.position, Action.title,
                  Action.horizon, PORTEUR_NAME).where(
        Action.plan_id.in_(bindparam("plan_ids", expanding=True)), Action.scope == "territoire")


def page_statements(scope: Scope, filters: Filters) -> tuple:
    """(page, count, parameters) for ``paginate_built``: a page of the scope's actions
    that meet ``filters`` in the order of ``in_scope_order`` (the database orders them by
    their group's rank, ``Scope.placement``, and reads only the page), and their count."""
    rank, ranks = _group_rank(scope)
    statement, parameters = _filtered(scope, filters, rank, ranks)
    page = (statement.order_by(None).order_by(rank, Action.plan_id, Action.position, Action.id)
            .limit(bindparam("limit")).offset(bindparam("offset")))
    return page, select(func.count()).select_from(statement.subquery()), parameters


def page_rows(scope: Scope, actions: list[Action]) -> list[ActionRow]:
    """The rows of a page of actions (``page_statements``): their indicators and RACI
    summaries read for them only (not their porteur's and contact's names:
    ``queries.names_of``)."""
    return _rows(scope, [(scope.group_of(action), action) for action in actions], a_slice=True)


def _filtered(scope: Scope, filters: Filters, rank, ranks: dict[str, int]):
    """``filtered_actions`` of the scope's plans with its parameters, and only the group
    ``filters.group`` (by its rank; none for an unknown group) when one is chosen."""
    shape, parameters = filter_parameters([plan.id for plan in scope.plans], filters)
    statement = filtered_actions(shape)
    if filters.group:
        statement = statement.where(rank == ranks[filters.group] if filters.group in ranks
                                    else false())
    return statement, parameters


def _group_rank(scope: Scope):
    """The rank of an action's group in ``scope.groups`` as an SQL expression (its
    axis's group, else its plan's, else the fallback's), and the rank of each group
    key."""
    placement = scope.placement
    ranks = {group.key: index for index, group in enumerate(scope.groups)}
    rank = literal(ranks[placement.fallback.key])
    if placement.by_plan:
        rank = case({plan_id: ranks[group.key] for plan_id, group in placement.by_plan.items()},
                    value=Action.plan_id, else_=rank)
    if placement.by_axis:
        rank = case({axis_id: ranks[group.key] for axis_id, group in placement.by_axis.items()},
                    value=Action.axis_id, else_=rank)
    return rank, ranks


def in_scope_order(scope: Scope, items, group_key: str = "") -> list[tuple[Group, object]]:
    """(group, item) of actions (or their summaries) given in the plans' order (as
    ``filtered_actions`` selects them), in the order of the groups then of the plan; only
    the group ``group_key`` if given. Each group's items keep their order: the groups
    only are sorted."""
    by_group: dict[str, list] = defaultdict(list)
    groups: dict[str, Group] = {}
    for item in items:
        group = scope.group_of(item)
        by_group[group.key].append(item)
        groups[group.key] = group
    order = {group.key: index for index, group in enumerate(scope.groups)}
    keys = sorted(by_group, key=lambda key: (order.get(key, len(order)), groups[key].position))
    return [(groups[key], item) for key in keys if not group_key or key == group_key
            for item in by_group[key]]


def _rows(scope: Scope, placed: list[tuple[Group, Action]], *, with_raci: bool = True,
          with_indicators: bool = True, a_slice: bool = False, ids=None) -> list[ActionRow]:
    """The rows of ``placed``: every action of the scope, or ``a_slice`` of them (whose
    RACI summaries only are then read). ``ids``: a select of the ids of ``placed`` or more
    (their indicators are chosen by it rather than by a list of hundreds of ids)."""
    if not placed:
        return []
    slice_ids = [action.id for _group, action in placed] if a_slice else None
    indicators = indicators_for("action", slice_ids if ids is None else ids,
                                territory_id=scope.territory.id) if with_indicators else {}
    raci = plan_raci.raci_summaries(scope.territory.id, [plan.id for plan in scope.plans],
                                    slice_ids) if with_raci else {}
    periods = scope.periods()
    return [ActionRow(action, group, indicators.get(action.id, []), raci.get(action.id, ""),
                      periods.get(action.plan_id, []))
            for group, action in placed]


def grouped(rows: list[ActionRow], scope: Scope, *, keep_empty: bool = False
            ) -> list[tuple[Group, list[ActionRow]]]:
    by_group: dict[str, list[ActionRow]] = defaultdict(list)
    for row in rows:
        by_group[row.group.key].append(row)
    result = [(group, by_group.get(group.key, [])) for group in scope.groups]
    known = {group.key for group in scope.groups}
    for key, items in by_group.items():
        if key not in known:
            result.append((items[0].group, items))
    return [(group, items) for group, items in result if items or (keep_empty and group.key)]


def by_horizon(rows: list[ActionRow]) -> list[tuple[str, str, list[ActionRow]]]:
    """(horizon key, label, rows) in the order court, moyen, long."""
    result = []
    for key, label in HORIZONS.items():
        items = [row for row in rows if row.action.horizon == key]
        if items:
            result.append((key, str(label), items))
    return result
