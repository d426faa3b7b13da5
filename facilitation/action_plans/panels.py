"""What the action plans add to a territory's home page and to an organisation's page."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from facilitation.action_plans import queries
from territorial.documents import formats
from territorial.common.panels import Panel, home_panels, organisation_panels
from territorial.common.urls import url_for_ids


@home_panels.register
def overdue_panel(territory) -> Panel | None:
    count, actions = queries.overdue_actions(territory.id, date.today())
    if not count:
        return None
    action_url = url_for_ids("action_plans.action", "action_id")
    french_date = formats.french_date_formatter()
    return Panel(
        title=_("Actions en retard (%(n)d)", n=count),
        items=[(_("%(title)s — échéance %(due)s", title=title, due=french_date(due)),
                action_url(action_id)) for action_id, title, due in actions],
        more_url=url_for("action_plans.late_actions"),
        order=20,
    )


@home_panels.register
def plans_panel(territory) -> Panel | None:
    plans = queries.recent_plans(territory.id)
    if not plans:
        return None
    plan_url = url_for_ids("action_plans.plan", "plan_id")
    return Panel(
        title=_("Plans d'action"),
        items=[(title, plan_url(plan_id)) for plan_id, title in plans],
        more_url=url_for("action_plans.index"),
        order=60,
    )


@organisation_panels.register
def organisation_actions_panel(organisation) -> Panel | None:
    actions = queries.actions_carried_by(organisation)
    if not actions:
        return None
    return Panel(
        title=_("Actions portées"),
        items=[(f"{a.title} ({a.status_label})",
                url_for("action_plans.action", action_id=a.id)) for a in actions],
        order=40,
    )
