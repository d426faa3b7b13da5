"""Queries of indicators, and the standing the policy asks about them
(``territorial.access``: « change_indicator »)."""
from __future__ import annotations

from sqlalchemy import func, select

from extensions import db
from territorial.access import can, standing
from territorial.common.collation import french
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue
from territorial.common.owners import indicator_owners


@standing("change_indicator", Indicator)
def may_change(indicator: Indicator) -> bool:
    """An indicator is changed with the permission its owner asks (``register_owner``):
    a plan's actions by their facilitators, a convention's objective by the coordination."""
    owner = indicator_owners.get(indicator.owner_type)
    return can(owner.permission if owner else "edit")


def _without_measure(territory_id, year):
    has_value = select(IndicatorValue.id).where(
        IndicatorValue.indicator_id == Indicator.id, IndicatorValue.year == year
    ).exists()
    return (
        (Indicator.territory_id == territory_id)
        & select(IndicatorTarget.id).where(IndicatorTarget.indicator_id == Indicator.id,
                                           IndicatorTarget.year == year).exists()
        & ~has_value
    )


def without_measure(territory_id: int, year: int, limit: int = 5) -> tuple[int, list[Indicator]]:
    """How many indicators have a target for ``year`` and no measure yet, and the first
    of them by title (none looked up when there are none)."""
    condition = _without_measure(territory_id, year)
    count = db.session.scalar(select(func.count()).select_from(Indicator).where(condition))
    if not count:
        return 0, []
    return count, db.session.scalars(
        select(Indicator).where(condition).order_by(french(Indicator.title), Indicator.id)
        .limit(limit)
    ).all()


def any_without_measure(territory_id, year):
    """SQL condition: an indicator of the territory has a target for ``year`` and no
    measure yet (``territory_id``, ``year``: values or bound parameters)."""
    return select(Indicator.id).where(_without_measure(territory_id, year)).exists()
