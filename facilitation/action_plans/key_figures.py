"""The key figures of a set of actions: the restitution's synthesis (counts by status,
horizon, scope, group and organisation, budget, overdue actions) and the follow-up
(indicator alerts, actions to watch, progress over time) — computed in Python from the
rows ``reports.load_rows`` loaded, shared by the pages, the Excel follow-up and the
documents. The follow-up page loads only the rows it lists (``watched``) and counts the
actions in SQL (``headline``).
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from extensions import db
from territorial.actors.models import Organisation
from territorial.common import dates
from territorial.indicators import standing as indicator_standing
from territorial.indicators.models import Indicator
from facilitation.action_plans.models import (
    HORIZONS,
    SCOPES,
    STATUSES,
    Action,
    ActionProgressSnapshot,
)
from facilitation.action_plans.reports import ActionRow, Group, Scope, grouped

# Key figures and restitution synthesis ----------------------------------------------

@dataclass
class Synthesis:
    total: int
    by_status: list[tuple[str, str, int]]
    by_horizon: list[tuple[str, str, int]]
    by_scope: list[tuple[str, str, int]]
    by_group: list[tuple[Group, dict[str, int], dict[str, int], int]]  # group, horizons, scopes, total
    organisations: list[tuple[str, int, int, int]]  # name, porteur, RACI, total
    budget_total: Decimal
    overdue: int
    without_owner: int
    organisations_count: int
    mean_progress: int


def synthesis(rows: list[ActionRow], scope: Scope, today: date | None = None,
              raci_involvement: dict[int, set[int]] | None = None) -> Synthesis:
    """The restitution's figures: counts by group (theme or axis), horizon and scope,
    proposals for the territory vs engagements of the participants, the organisations
    most involved (as porteur, or holding a RACI letter)."""
    today = today or dates.today()
    actions = [row.action for row in rows]
    status_count = Counter(a.status for a in actions)
    horizon_count = Counter(a.horizon for a in actions)
    scope_count = Counter(a.scope for a in actions)
    groups = []
    for group, items in grouped(rows, scope):
        horizons = Counter(row.action.horizon for row in items)
        scopes = Counter(row.action.scope for row in items)
        groups.append((group, {k: horizons.get(k, 0) for k in HORIZONS},
                       {k: scopes.get(k, 0) for k in SCOPES}, len(items)))
    porteur: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for action in actions:
        org_id = action.owner_organisation_id
        if org_id is not None:
            porteur[org_id].add(action.id)
            if org_id not in names:
                names[org_id] = action.owner_organisation.name
    action_ids = {a.id for a in actions}
    raci = {org: ids & action_ids for org, ids in (raci_involvement or {}).items()}
    missing = [org for org in raci if org not in names and raci[org]]
    if missing:
        names |= dict(db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(missing))
        ).all())
    organisations = []
    for org_id in set(porteur) | {org for org, ids in raci.items() if ids}:
        involved = porteur.get(org_id, set()) | raci.get(org_id, set())
        organisations.append((names.get(org_id, "?"), len(porteur.get(org_id, ())),
                              len(raci.get(org_id, ())), len(involved)))
    organisations.sort(key=lambda item: (-item[3], -item[1], item[0]))
    open_actions = [a for a in actions if a.status != "abandonnee"]
    return Synthesis(
        total=len(actions),
        by_status=[(k, str(v), status_count.get(k, 0)) for k, v in STATUSES.items()],
        by_horizon=[(k, str(v), horizon_count.get(k, 0)) for k, v in HORIZONS.items()],
        by_scope=[(k, str(v), scope_count.get(k, 0)) for k, v in SCOPES.items()],
        by_group=groups,
        organisations=organisations,
        budget_total=sum((a.budget_amount or Decimal(0) for a in open_actions), Decimal(0)),
        overdue=sum(1 for a in actions if a.is_overdue(today)),
        without_owner=sum(1 for a in open_actions if a.owner_organisation_id is None
                          and a.contact_person_id is None),
        organisations_count=len(organisations),
        mean_progress=round(sum(a.progress for a in open_actions) / len(open_actions))
        if open_actions else 0,
    )


# Follow-up ---------------------------------------------------------------------------

CLOSED = ("realisee", "abandonnee")


@dataclass
class Headline:
    total: int
    mean_progress: int  # of the actions not abandoned


def headline(scope: Scope) -> Headline:
    """The number of actions of the scope and their mean progress (``synthesis``'s), in
    one query."""
    counted = Action.status != "abandonnee"
    total, progress, open_count = db.session.execute(
        select(func.count(), func.sum(case((counted, Action.progress))),
               func.count(case((counted, 1))))
        .where(Action.plan_id.in_([plan.id for plan in scope.plans]))).one()
    return Headline(total, round(progress / open_count) if open_count else 0)


def watched(territory_id: int, today: date):
    """The actions ``follow_up`` lists, in SQL: overdue, open without porteur or contact,
    or not abandoned with indicators (``load_rows(…, only=watched(…))``: the follow-up
    page loads these rather than every action)."""
    open_ = Action.status.not_in(CLOSED)
    return or_(
        open_ & (Action.due_date < today),
        open_ & Action.owner_organisation_id.is_(None) & Action.contact_person_id.is_(None),
        (Action.status != "abandonnee") & Action.id.in_(
            select(Indicator.owner_id).where(Indicator.owner_type == "action",
                                             Indicator.territory_id == territory_id)),
    )


@dataclass
class IndicatorAlert:
    row: ActionRow
    indicator: object
    code: str
    label: str
    standing: object = None  # territorial.indicators.standing.Standing


@dataclass
class FollowUp:
    overdue: list[ActionRow]
    without_owner: list[ActionRow]
    indicator_alerts: list[IndicatorAlert]
    months: list[date]
    progress_series: list[tuple[Group, list[int | None]]]
    year: int


def follow_up(rows: list[ActionRow], scope: Scope, today: date | None = None) -> FollowUp:
    """Overdue actions, open actions without porteur, indicators behind their target (the
    last measure against its year's), without a measure of a target due, or whose first
    target is still to come (``territorial.indicators.standing``), and the mean progress of each group month by month."""
    today = today or dates.today()
    overdue = sorted((r for r in rows if r.action.is_overdue(today)),
                     key=lambda r: r.action.due_date)
    without_owner = [
        r for r in rows
        if not r.action.is_closed and r.action.owner_organisation_id is None
        and r.action.contact_person_id is None
    ]
    alerts = []
    for row in rows:
        if row.action.status == "abandonnee":
            continue
        for indicator in row.indicators:
            seen = indicator_standing.standing(indicator, today, row.years)
            if seen.code in ("behind", "no_value", "upcoming"):
                alerts.append(IndicatorAlert(row, indicator, seen.code, seen.label, seen))
    order = ("behind", "no_value", "upcoming")
    alerts.sort(key=lambda a: (order.index(a.code), a.row.group.position, a.indicator.title))
    months, series = progress_over_time(scope, today)
    return FollowUp(overdue, without_owner, alerts, months, series, today.year)


def _month_ends(first: date, today: date, limit: int = 24) -> list[date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (today.year, today.month):
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = date(next_year, next_month, 1).toordinal() - 1
        months.append(min(date.fromordinal(end), today))
        year, month = next_year, next_month
    return months[-limit:]


def progress_over_time(scope: Scope, today: date
                       ) -> tuple[list[date], list[tuple[Group, list[int | None]]]]:
    """Mean progress of each group at the end of each month (last 24 months), from the
    progress snapshots of the scope's actions: an action counts from its first snapshot
    on, at its latest progress; abandoned actions are left out of the mean. One query."""
    plan_ids = [plan.id for plan in scope.plans]
    if not plan_ids:
        return [], []
    snapshots = db.session.execute(
        select(ActionProgressSnapshot.action_id, ActionProgressSnapshot.recorded_on,
               ActionProgressSnapshot.progress, ActionProgressSnapshot.status,
               Action.plan_id, Action.axis_id)
        .join(Action, Action.id == ActionProgressSnapshot.action_id)
        .where(ActionProgressSnapshot.plan_id.in_(plan_ids), Action.plan_id.in_(plan_ids))
        .order_by(ActionProgressSnapshot.recorded_on, ActionProgressSnapshot.id)
    ).all()
    if not snapshots:
        return [], []
    action_group = {snap.action_id: scope.group_of(snap) for snap in snapshots}
    months = _month_ends(snapshots[0].recorded_on, today)
    state: dict[int, tuple[int, str]] = {}
    values: dict[str, list[int | None]] = defaultdict(list)
    index = 0
    for month_end in months:
        while index < len(snapshots) and snapshots[index].recorded_on <= month_end:
            snap = snapshots[index]
            state[snap.action_id] = (snap.progress, snap.status)
            index += 1
        per_group: dict[str, list[int]] = defaultdict(list)
        for action_id, (progress, status) in state.items():
            if status != "abandonnee":
                per_group[action_group[action_id].key].append(progress)
        for group in scope.groups:
            items = per_group.get(group.key)
            values[group.key].append(round(sum(items) / len(items)) if items else None)
    series = [(group, values[group.key]) for group in scope.groups
              if any(v is not None for v in values[group.key])]
    return months, series
