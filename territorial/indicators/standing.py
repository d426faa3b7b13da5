"""Where an indicator stands on the page or export that shows it.

A page concerns a year: the current year when it falls in the plan's (or action's) period,
else the period's first year before it starts and its last year after it ends; without a
period, this year when it has a target, else the next target to come, else the last one.
The page shows that year's target, the next target to come and the trajectory (every
target of the period).

« En retard » compares the *last* measure with the target of *its own* year: a plan over
2027–2029 seen in 2028 with a 2027 measure below the 2027 target is behind, whatever 2028
holds; seen in 2026, before any target, it is « Première cible en 2027 », never « Pas de
cible pour 2026 ». Plain functions of an indicator with its ``targets`` and ``values``
loaded: views, exports and tests call them directly.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from territorial.common import dates
from territorial.indicators import rules


def period_years(start_year: int | None, horizon_years: int | None) -> list[int]:
    """The years of a period (« 2027, 2028, 2029 »), empty when it is not set."""
    if not start_year or not horizon_years:
        return []
    return list(range(start_year, start_year + horizon_years))


def date_years(start: date | None, end: date | None) -> list[int]:
    """The years an action's dates span (empty without both dates)."""
    if not start or not end or end < start:
        return []
    return list(range(start.year, end.year + 1))


def _is_set(target) -> bool:
    return target.value is not None or bool((target.statement or "").strip())


def _is_measured(value) -> bool:
    return value.value is not None or bool((value.text_value or "").strip())


@dataclass
class Standing:
    year: int  # the year the page concerns
    target: object | None  # that year's target
    next_target: object | None  # the first target of this year or after
    trajectory: list  # the targets of the period (every target without a period)
    measure: object | None  # the last measure
    code: str
    label: str

    @property
    def tone(self) -> str:
        return rules.status_tone(self.code)

    @property
    def is_behind(self) -> bool:
        return self.code == "behind"

    @property
    def shows_next(self) -> bool:
        """The next target is worth naming beside the year's own."""
        return self.next_target is not None and self.next_target is not self.target


def year_in_view(indicator, today: date, years: list[int] | None = None) -> int:
    """The year a page showing ``indicator`` concerns (see the module's docstring)."""
    if years:
        if today.year in years:
            return today.year
        return years[0] if today.year < years[0] else years[-1]
    target_years = [t.year for t in indicator.targets if _is_set(t)]
    if today.year in target_years:
        return today.year
    coming = [year for year in target_years if year > today.year]
    if coming:
        return coming[0]
    return target_years[-1] if target_years else today.year


def last_measure(indicator):
    """The last measure of the last year measured (validated ones first in that year)."""
    years = sorted({v.year for v in indicator.values if _is_measured(v)})
    for year in reversed(years):
        measure = indicator.latest_value(year)
        if measure is not None and _is_measured(measure):
            return measure
    return None


def standing(indicator, today: date | None = None, years: list[int] | None = None) -> Standing:
    """Where ``indicator`` stands, seen on ``today`` by a page whose period is ``years``."""
    today = today or dates.today()
    targets = [t for t in indicator.targets if _is_set(t)]
    year = year_in_view(indicator, today, years)
    target = next((t for t in targets if t.year == year), None)
    next_target = next((t for t in targets if t.year >= today.year), None)
    trajectory = [t for t in targets if not years or t.year in years] or targets
    measure = last_measure(indicator)
    if measure is not None and indicator.target_for(measure.year) is not None \
            and _is_set(indicator.target_for(measure.year)):
        code, label = rules.status_against_target(indicator, measure.year)
        label = _("%(status)s (%(year)s)", status=label, year=measure.year)
    elif not targets:
        code, label = "no_target", _("Aucune cible fixée")
    elif measure is not None and next_target is not None and next_target.year > measure.year:
        code, label = "upcoming", _("Prochaine cible en %(year)s", year=next_target.year)
    elif measure is not None:
        code, label = "no_target", _("Pas de cible pour %(year)s", year=measure.year)
    elif any(t.year <= today.year for t in targets):
        code, label = "no_value", _("Pas encore de mesure")
    else:
        code, label = "upcoming", _("Première cible en %(year)s", year=targets[0].year)
    return Standing(year, target, next_target, trajectory, measure, code, label)
