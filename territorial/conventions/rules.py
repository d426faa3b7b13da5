"""Rules of a convention's dashboard: where each indicator and objective stands each
year, what is missing, and which associations need a conversation.

Plain functions of objects already loaded (no query here): the views, the exports and
the tests call them directly.

Where an indicator stands in a year is the shared rule
``territorial.indicators.rules.status_against_target`` (written down there): the
year's last validated value (or its last value when none is validated yet) against
the year's target — « Cible atteinte » (``ahead``) from 100 % of the way, « En bonne
voie » (``on_track``) from 90 %, « En retard sur la cible » (``behind``) below, with the
direction of the indicator (more is better, or less is better) and its baseline.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from territorial.indicators import rules as indicator_rules

# From the most to the least worrying: an objective takes the first status found
# among its indicators (see ``objective_status``).
SEVERITY = ("behind", "no_value", "to_assess", "on_track", "ahead")
ON_TRACK = {"on_track", "ahead"}
# The French label of each status (translated when read).
STATUS_LABELS = {
    "behind": _l("En retard sur la cible"),
    "no_value": _l("Pas encore de mesure"),
    "to_assess": _l("Mesure à apprécier"),
    "on_track": _l("En bonne voie"),
    "ahead": _l("Cible atteinte"),
    "no_target": _l("Pas de cible"),
}


def period_error(convention, year, what: str | None = None) -> str | None:
    """A French message when ``year`` is outside the convention's period (else None)."""
    if year is None:
        return _("Indiquez l'année.")
    if convention.in_period(year):
        return None
    return _(
        "%(what)s %(year)s est en dehors de la période de la convention (%(start)s–%(end)s) : "
        "choisissez une année entre %(start)s et %(end)s.",
        what=what or _("L'année"), year=year, start=convention.start_year, end=convention.end_year,
    )


def period_errors(start_year, end_year) -> dict[str, str]:
    errors = {}
    if start_year is None:
        errors["start_year"] = _("Indiquez la première année de la convention.")
    if end_year is None:
        errors["end_year"] = _("Indiquez la dernière année de la convention.")
    if start_year is not None and end_year is not None and int(end_year) < int(start_year):
        errors["end_year"] = _("La dernière année précède la première : une convention pluriannuelle "
                               "va, par exemple, de 2024 à 2026.")
    if start_year is not None and end_year is not None and int(end_year) - int(start_year) > 9:
        errors["end_year"] = _("Une convention dure au plus dix ans.")
    return errors


def default_year(convention, today_year: int) -> int:
    """The year to show first: this year, brought back into the convention's period."""
    return min(max(today_year, convention.start_year), convention.end_year)


# Cells, objectives, dashboard --------------------------------------------------------

@dataclass
class Cell:
    """One indicator in one year: its target, the value reached and where it stands."""

    year: int
    target: object | None  # IndicatorTarget
    measure: object | None  # IndicatorValue shown (validated first)
    code: str
    label: str
    pending: list = field(default_factory=list)  # values of the year awaiting validation

    @property
    def tone(self) -> str:
        return indicator_rules.status_tone(self.code)


@dataclass
class IndicatorRow:
    indicator: object
    cells: list[Cell]


@dataclass
class ObjectiveRow:
    objective: object
    indicators: list[IndicatorRow]
    statuses: dict[int, tuple[str, str]]  # year → (code, label)


@dataclass
class PriorityGroup:
    priority: object
    objectives: list[ObjectiveRow]


@dataclass
class Dashboard:
    convention: object
    years: list[int]
    groups: list[PriorityGroup]

    def indicator_rows(self) -> list[tuple[object, IndicatorRow]]:
        return [(o.objective, row) for g in self.groups for o in g.objectives for row in o.indicators]

    @property
    def objective_rows(self) -> list[ObjectiveRow]:
        return [o for g in self.groups for o in g.objectives]

    def next_to_enter(self, year: int) -> dict[int, int]:
        """Indicator id → where to come back once its value of ``year`` is saved: the next
        indicator of the page still without a value that year, else the indicator itself."""
        index = self.years.index(year)
        following, answer = None, {}
        for _objective, row in reversed(self.indicator_rows()):
            answer[row.indicator.id] = following or row.indicator.id
            if row.cells[index].measure is None:
                following = row.indicator.id
        return answer


def cell(indicator, year: int) -> Cell:
    code, label = indicator_rules.status_against_target(indicator, year)
    return Cell(
        year=year,
        target=indicator.target_for(year),
        measure=indicator.latest_value(year),
        code=code,
        label=label,
        pending=[v for v in indicator.values_for(year) if v.validated_at is None],
    )


def objective_status(indicators, year: int) -> tuple[str, str]:
    """Where an objective stands in ``year``, from its indicators that have a target then.

    - No indicator with a target for the year → ``no_target`` « Pas de cible pour <année> ».
    - Otherwise the most worrying status among them, in this order: « En retard sur la
      cible » (one indicator behind is enough), « Pas encore de mesure », « Mesure à
      apprécier »; then « En bonne voie » if one indicator is on track; « Cible atteinte »
      only when every indicator has reached its target.
    """
    return _worst_status([indicator_rules.status_against_target(indicator, year)[0]
                          for indicator in indicators], year)


def _worst_status(codes, year: int) -> tuple[str, str]:
    """``objective_status`` from its indicators' status codes in ``year``."""
    codes = [code for code in codes if code != "no_target"]
    if not codes:
        return "no_target", _("Pas de cible pour %(year)s", year=year)
    worst = min(codes, key=SEVERITY.index)
    return worst, str(STATUS_LABELS[worst])



def build_dashboard(convention, objectives, indicators_by_objective: dict[int, list]) -> Dashboard:
    """The dashboard table: priorities (in their order) → objectives → indicators, with a
    cell per year of the convention. ``objectives`` have their ``priority`` loaded."""
    years = convention.years
    groups: dict[int, PriorityGroup] = {}
    for objective in objectives:
        rows = [IndicatorRow(i, [cell(i, year) for year in years])
                for i in indicators_by_objective.get(objective.id, [])]
        # the objective's status from its cells' (each indicator's status computed once)
        row = ObjectiveRow(
            objective=objective,
            indicators=rows,
            statuses={year: _worst_status([r.cells[k].code for r in rows], year)
                      for k, year in enumerate(years)},
        )
        group = groups.setdefault(objective.priority_id, PriorityGroup(objective.priority, []))
        group.objectives.append(row)
    # The authority's own priorities first, then its co-funders', each in their order.
    ordered = sorted(groups.values(), key=lambda g: (
        g.priority.authority_id != convention.authority_id, g.priority.position, g.priority.id))
    return Dashboard(convention=convention, years=years, groups=ordered)


# Flags -------------------------------------------------------------------------------

# The French text of each kind of flag, translated when it is shown: the portfolio only
# counts the flags of every convention.
FLAG_MESSAGES = {
    "no_objective": _l(
        "La convention n'a encore aucun objectif : ajoutez les objectifs du partenariat, "
        "chacun rattaché à une priorité de la collectivité."),
    "objective_without_indicator": _l(
        "L'objectif « %(title)s » n'a aucun indicateur : sans indicateur, personne ne "
        "pourra dire s'il est atteint."),
    "indicator_without_target": _l(
        "L'indicateur « %(title)s » n'a aucune cible : fixez la valeur visée pour "
        "chaque année de la convention."),
    "target_outside_period": _l(
        "La cible %(year)s de l'indicateur « %(title)s » est en dehors de la "
        "période de la convention (%(period)s)."),
    "value_outside_period": _l(
        "Une valeur %(year)s de l'indicateur « %(title)s » est en dehors de la "
        "période de la convention (%(period)s)."),
}


@dataclass
class Flag:
    kind: str
    anchor: str = ""
    details: dict = field(default_factory=dict)  # what its message names

    @property
    def message(self) -> str:
        return str(FLAG_MESSAGES[self.kind]) % self.details


def dashboard_flags(convention, objectives, indicators_by_objective: dict[int, list]) -> list[Flag]:
    """What is missing or wrong in the dashboard (``FLAG_MESSAGES`` says it in French):

    - an objective with no indicator (« objective_without_indicator »);
    - an indicator with no target at all (« indicator_without_target »);
    - a target set for a year outside the convention's period (« target_outside_period »);
    - a value recorded for a year outside the period (« value_outside_period »).
    """
    flags = []
    if not objectives:
        flags.append(Flag("no_objective"))
    for objective in objectives:
        indicators = indicators_by_objective.get(objective.id, [])
        if not indicators:
            flags.append(Flag("objective_without_indicator", f"objectif-{objective.id}",
                              {"title": objective.title}))
        for indicator in indicators:
            anchor = f"indicateur-{indicator.id}"
            if not indicator.targets:
                flags.append(Flag("indicator_without_target", anchor, {"title": indicator.title}))
            for target in indicator.targets:
                if not convention.in_period(target.year):
                    flags.append(Flag("target_outside_period", anchor, {
                        "year": target.year, "title": indicator.title,
                        "period": convention.period_label}))
            outside = sorted({v.year for v in indicator.values if not convention.in_period(v.year)})
            for year in outside:
                flags.append(Flag("value_outside_period", anchor, {
                    "year": year, "title": indicator.title, "period": convention.period_label}))
    return flags


# Portfolio ---------------------------------------------------------------------------

@dataclass
class Summary:
    """Where one convention stands, for the authority's portfolio."""

    convention: object
    follow_year: int
    objectives: int
    on_track: int
    behind: int
    without_value: int
    pending_values: int
    flags: list[Flag]
    missing_values: dict[int, int]  # past year of the period → indicators without a value
    total_amount: object

    @property
    def needs_conversation(self) -> bool:
        return bool(self.behind or self.missing_values or self.flags)

    @property
    def reasons(self) -> list[str]:
        """Why the association needs a conversation, in French (translated when shown)."""
        reasons = []
        if self.behind:
            reasons.append(ngettext(
                "%(num)d objectif en retard sur la cible en %(year)s",
                "%(num)d objectifs en retard sur la cible en %(year)s", self.behind,
                year=self.follow_year))
        for year, count in sorted(self.missing_values.items()):
            reasons.append(ngettext(
                "%(num)d indicateur sans valeur pour %(year)s",
                "%(num)d indicateurs sans valeur pour %(year)s", count, year=year))
        if self.flags:
            reasons.append(ngettext("%(num)d point du tableau de bord à compléter",
                                    "%(num)d points du tableau de bord à compléter",
                                    len(self.flags)))
        return reasons


def follow_year(convention, indicators, today_year: int) -> int:
    """The year the portfolio looks at: the last year of the period with a value
    (validated or not); before any value, this year brought back into the period."""
    years = [v.year for i in indicators for v in i.values if convention.in_period(v.year)]
    return max(years) if years else default_year(convention, today_year)


def summarise(convention, objectives, indicators_by_objective: dict[int, list],
              today_year: int, amounts: list | None = None) -> Summary:
    """A convention's figures for the portfolio, and the reasons it needs a conversation.
    ``amounts``: its ``ConventionAmount`` rows when they are not loaded on the convention.

    The objectives are judged in the follow year (``follow_year``) with
    ``objective_status``: « on track » counts those « En bonne voie » or « Cible
    atteinte ». An association needs a conversation when, in that year, at least one
    objective is behind its target; when a past year of the period (before
    ``today_year``) has targets without any value; or when the dashboard itself has
    flags (an objective with no indicator, an indicator with no target…).
    """
    indicators = [i for o in objectives for i in indicators_by_objective.get(o.id, [])]
    year = follow_year(convention, indicators, today_year)
    statuses = [objective_status(indicators_by_objective.get(o.id, []), year)[0]
                for o in objectives]
    missing = defaultdict(int)
    for indicator in indicators:
        for target in indicator.targets:
            if (convention.in_period(target.year) and target.year < today_year
                    and not indicator.values_for(target.year)):
                missing[target.year] += 1
    pending = sum(1 for i in indicators for v in i.values if v.validated_at is None)
    amounts = [a.amount for a in (convention.amounts if amounts is None else amounts)]
    return Summary(
        convention=convention,
        follow_year=year,
        objectives=len(objectives),
        on_track=sum(1 for code in statuses if code in ON_TRACK),
        behind=statuses.count("behind"),
        without_value=statuses.count("no_value"),
        pending_values=pending,
        flags=dashboard_flags(convention, objectives, indicators_by_objective),
        missing_values=dict(missing),
        total_amount=sum(amounts) if amounts else None,
    )
