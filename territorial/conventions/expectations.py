"""What a partner is expected to do this year on each of its conventions: the values to
enter (the indicators with no value for the year yet, with their target) and what comes
next (the next review, told by the capability that schedules reviews through
``territorial.common.panels.convention_agenda``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from territorial.common.panels import Panel, convention_agenda
from territorial.conventions import exports, queries
from territorial.conventions.models import Convention


@dataclass
class Expected:
    convention: Convention
    year: int                                     # this year, or when the convention starts
    started: bool                                 # this year is in the convention's period
    over: bool                                    # the convention's period is over
    to_enter: list[tuple[object, str]] = field(default_factory=list)  # (indicator, target)
    agenda: list[Panel] = field(default_factory=list)


def expected_of(conventions: list[Convention], territory_id: int,
                today: date) -> list[Expected]:
    """For each convention (its objectives loaded): what is expected of its partner in
    ``today``'s year."""
    objectives = [o for c in conventions for o in c.objectives]
    indicators = queries.indicators_of(objectives, territory_id)
    found = []
    for convention in conventions:
        year = min(max(today.year, convention.start_year), convention.end_year)
        expected = Expected(convention, year, convention.in_period(today.year),
                            today.year > convention.end_year,
                            agenda=convention_agenda.panels_for(convention))
        if expected.started:
            expected.to_enter = [
                (indicator, exports.target_text(indicator, indicator.target_for(year)))
                for objective in convention.objectives
                for indicator in indicators.get(objective.id, [])
                if not indicator.values_for(year)]
        found.append(expected)
    return found
