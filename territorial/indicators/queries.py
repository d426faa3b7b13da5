"""Queries of indicators, and the standing the policy asks about them
(``territorial.access``: « change_indicator »)."""
from territorial.access import can, standing
from territorial.indicators.models import Indicator
from territorial.common.owners import indicator_owners


@standing("change_indicator", Indicator)
def may_change(indicator: Indicator) -> bool:
    """An indicator is changed with the permission its owner asks (``register_owner``):
    a plan's actions by their facilitators, a convention's objective by the coordination."""
    owner = indicator_owners.get(indicator.owner_type)
    return can(owner.permission if owner else "edit")
