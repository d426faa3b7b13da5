"""The key figures of a set of actions: the restitution's synthesis (counts by status,
horizon, scope, group and organisation, budget, overdue actions) and the follow-up
(indicator alerts, actions to watch, progress over time), shared by the pages, the Excel
follow-up and the documents. The documents count the rows ``reports.load_rows`` loaded,
the restitution counts in SQL (``scope_synthesis``: the same ``tallied``); the follow-up
page loads only the rows it lists (``watched_rows``) and counts the actions in SQL
(``headline``).
"""
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, case, func, or_, select

from territorial.actors.models import Organisation
from territorial.common import dates, loading
from territorial.indicators import standing as indicator_standing
from territorial.indicators.models import Indicator
from facilitation.action_plans.models import (
    HORIZONS,
    SCOPES,
    STATUSES,
    Action,
    ActionProgressSnapshot,
)
from facilitation.action_plans.reports import (SUMMARY_SELECT, ActionRow, ActionSummary,
                                               Group, Scope, summary_rows)

# Key figures and restitution synthesis ----------------------------------------------

CLOSED = ("realisee", "abandonnee")


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


# What the synthesis counts of actions alike (same plan, axis, horizon, scope, status and
# porteur): how many, their budget and progress summed, how many are past due, how many
# have neither porteur nor contact. The restitution counts them in SQL, a document from
# its rows.
Tally = namedtuple("Tally", "plan_id axis_id horizon scope status owner_id count budget "
                            "progress past_due unowned")


def synthesis(rows: list[ActionRow], scope: Scope, today: date | None = None,
              raci_involvement: dict[int, set[int]] | None = None) -> Synthesis:
    """The restitution's figures of loaded ``rows`` (``tallied``'s)."""
    today = today or dates.today()
    actions = [row.action for row in rows]
    names = {action.owner_organisation_id: action.owner_organisation.name
             for action in actions if action.owner_organisation_id is not None}
    tallies = [Tally(a.plan_id, a.axis_id, a.horizon, a.scope, a.status,
                     a.owner_organisation_id, 1, a.budget_amount, a.progress,
                     int(bool(a.due_date and a.due_date < today)),
                     int(a.owner_organisation_id is None and a.contact_person_id is None))
               for a in actions]
    owners = {action.id: action.owner_organisation_id for action in actions}
    return tallied(tallies, scope, _raci_counts(raci_involvement or {}, owners), names)


def scope_synthesis(scope: Scope, raci_involvement: dict[int, set[int]],
                    today: date | None = None) -> Synthesis:
    """The restitution's figures of every action of the scope, counted in SQL: a light
    query, and one for the actions in a RACI grid, one for the organisations' names
    (``tallied``'s)."""
    plan_ids = [plan.id for plan in scope.plans]
    if not plan_ids:
        return tallied([], scope, {})
    statements = _synthesis_statements()
    parameters = {"plan_ids": plan_ids, "today": today or dates.today()}
    tallies = [Tally(*row) for row in loading.rows(statements.tallies, parameters)]
    ids = sorted(set().union(*raci_involvement.values()))
    owners = dict(loading.rows(statements.owners, {"plan_ids": plan_ids, "ids": ids})) \
        if ids else {}
    return tallied(tallies, scope, _raci_counts(raci_involvement, owners))


SynthesisStatements = namedtuple("SynthesisStatements", "tallies owners names")


@cache
def _synthesis_statements() -> SynthesisStatements:
    """``scope_synthesis``'s queries, built once (parameters ``plan_ids``, ``today``;
    ``ids`` of actions for ``owners``, of organisations for ``names``)."""
    in_plans = Action.plan_id.in_(bindparam("plan_ids", expanding=True))
    keys = (Action.plan_id, Action.axis_id, Action.horizon, Action.scope, Action.status,
            Action.owner_organisation_id)
    unowned = Action.owner_organisation_id.is_(None) & Action.contact_person_id.is_(None)
    tallies = select(*keys, func.count(), func.sum(Action.budget_amount),
                     func.sum(Action.progress),
                     func.count(case((Action.due_date < bindparam("today"), 1))),
                     func.count(case((unowned, 1)))).where(in_plans).group_by(*keys)
    owners = select(Action.id, Action.owner_organisation_id).where(
        in_plans, Action.id.in_(bindparam("ids", expanding=True)))
    names = select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(bindparam("ids", expanding=True)))
    return SynthesisStatements(tallies, owners, names)


def _raci_counts(involvement: dict[int, set[int]], owners: dict[int, int | None]
                 ) -> dict[int, tuple[int, int]]:
    """organisation id → (how many actions of the scope it holds a RACI letter in, how many
    of these it carries): ``owners`` maps each action of the scope (or more) to its
    porteur."""
    counts = {}
    for org_id, ids in involvement.items():
        in_scope = [action_id for action_id in ids if action_id in owners]
        counts[org_id] = (len(in_scope),
                          sum(1 for action_id in in_scope if owners[action_id] == org_id))
    return counts


def tallied(tallies: list[Tally], scope: Scope, raci: dict[int, tuple[int, int]],
            names: dict[int, str] | None = None) -> Synthesis:
    """The restitution's figures: counts by group (theme or axis), horizon and scope,
    proposals for the territory vs engagements of the participants, the organisations
    most involved (as porteur, or holding a RACI letter). ``raci``: ``_raci_counts``'s;
    ``names``: the organisations' names already known (the others are read)."""
    statuses, horizons, scopes, carried = Counter(), Counter(), Counter(), Counter()
    groups: dict[str, list] = {}  # key → group, horizons, scopes, total
    budget, progress, open_count, overdue, without_owner = Decimal(0), 0, 0, 0, 0
    for tally in tallies:
        count = tally.count
        statuses[tally.status] += count
        horizons[tally.horizon] += count
        scopes[tally.scope] += count
        group = scope.group_of(tally)
        counted = groups.setdefault(group.key, [group, Counter(), Counter(), 0])
        counted[1][tally.horizon] += count
        counted[2][tally.scope] += count
        counted[3] += count
        if tally.owner_id is not None:
            carried[tally.owner_id] += count
        if tally.status not in CLOSED:
            overdue += tally.past_due
        if tally.status != "abandonnee":
            budget += tally.budget or Decimal(0)
            progress += tally.progress
            open_count += count
            without_owner += tally.unowned
    organisations = _organisations(carried, raci, names or {})
    return Synthesis(
        total=sum(statuses.values()),
        by_status=[(k, str(v), statuses.get(k, 0)) for k, v in STATUSES.items()],
        by_horizon=[(k, str(v), horizons.get(k, 0)) for k, v in HORIZONS.items()],
        by_scope=[(k, str(v), scopes.get(k, 0)) for k, v in SCOPES.items()],
        by_group=[(group, {k: in_horizons.get(k, 0) for k in HORIZONS},
                   {k: in_scopes.get(k, 0) for k in SCOPES}, total)
                  for group, in_horizons, in_scopes, total in _in_group_order(groups, scope)],
        organisations=organisations,
        budget_total=budget,
        overdue=overdue,
        without_owner=without_owner,
        organisations_count=len(organisations),
        mean_progress=round(progress / open_count) if open_count else 0,
    )


def _in_group_order(groups: dict[str, list], scope: Scope) -> list[list]:
    """The counts of ``groups`` in the order of the scope's groups (others last)."""
    known = [groups[group.key] for group in scope.groups if group.key in groups]
    keys = {group.key for group in scope.groups}
    return known + [counted for key, counted in groups.items() if key not in keys]


def _organisations(carried: Counter, raci: dict[int, tuple[int, int]], names: dict[int, str]
                   ) -> list[tuple[str, int, int, int]]:
    """(name, actions carried, with a RACI letter, involved in all) of each organisation,
    the most involved first."""
    involved = set(carried) | {org_id for org_id, (count, _both) in raci.items() if count}
    missing = sorted(involved - set(names))
    if missing:
        names = names | dict(loading.rows(_synthesis_statements().names, {"ids": missing}))
    organisations = []
    for org_id in involved:
        lettered, both = raci.get(org_id, (0, 0))
        organisations.append((names.get(org_id, "?"), carried[org_id], lettered,
                              carried[org_id] + lettered - both))
    organisations.sort(key=lambda item: (-item[3], -item[1], item[0]))
    return organisations


# Follow-up ---------------------------------------------------------------------------


@dataclass
class Headline:
    total: int
    mean_progress: int  # of the actions not abandoned


def headline(scope: Scope) -> Headline:
    """The number of actions of the scope and their mean progress (``synthesis``'s), in
    one query."""
    total, progress, open_count = loading.rows(
        _headline_statement(), {"plan_ids": [plan.id for plan in scope.plans]})[0]
    return Headline(total, round(progress / open_count) if open_count else 0)


@cache
def _headline_statement():
    """``headline``'s query, built once (parameter ``plan_ids``)."""
    counted = Action.status != "abandonnee"
    return select(func.count(), func.sum(case((counted, Action.progress))),
                  func.count(case((counted, 1)))).where(
        Action.plan_id.in_(bindparam("plan_ids", expanding=True)))


def watched_rows(scope: Scope, today: date) -> list[ActionRow]:
    """The rows ``follow_up`` lists (``ActionSummary``): the overdue actions, the open ones
    without porteur or contact, those not abandoned with indicators; one query for them
    (built once), three for their indicators."""
    plan_ids = [plan.id for plan in scope.plans]
    if not plan_ids:
        return []
    parameters = {"plan_ids": plan_ids, "today": today, "territory_id": scope.territory.id}
    return summary_rows(scope, list(map(ActionSummary._make,
                                        loading.rows(_watched_statement(), parameters))))


@cache
def _watched_statement():
    """``watched_rows``'s query, built once (parameters ``plan_ids``, ``today``,
    ``territory_id``)."""
    open_ = Action.status.not_in(CLOSED)
    with_indicators = Action.id.in_(select(Indicator.owner_id).where(
        Indicator.owner_type == "action", Indicator.territory_id == bindparam("territory_id")))
    return select(*SUMMARY_SELECT).where(
        Action.plan_id.in_(bindparam("plan_ids", expanding=True)),
        or_(open_ & (Action.due_date < bindparam("today")),
            open_ & Action.owner_organisation_id.is_(None) & Action.contact_person_id.is_(None),
            (Action.status != "abandonnee") & with_indicators))


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
    snapshots = loading.rows(_snapshots_statement(), {"plan_ids": plan_ids})
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


@cache
def _snapshots_statement():
    """``progress_over_time``'s query, built once (parameter ``plan_ids``)."""
    plan_ids = bindparam("plan_ids", expanding=True)
    return (select(ActionProgressSnapshot.action_id, ActionProgressSnapshot.recorded_on,
                   ActionProgressSnapshot.progress, ActionProgressSnapshot.status,
                   Action.plan_id, Action.axis_id)
            .join(Action, Action.id == ActionProgressSnapshot.action_id)
            .where(ActionProgressSnapshot.plan_id.in_(plan_ids), Action.plan_id.in_(plan_ids))
            .order_by(ActionProgressSnapshot.recorded_on, ActionProgressSnapshot.id))
