"""What action plans own and are owned by, registered in the shared owner registries
(``territorial.common.owners``): an action's and a plan's indicators link back here, a plan
has a RACI grid, and working groups and experiments own plans."""
from flask_babel import lazy_gettext as _l
from flask import url_for
from sqlalchemy import select

from extensions import db
from facilitation.action_plans.models import Action, ActionPlan
from facilitation.experiments.models import Experiment
from facilitation.working_groups.models import WorkingGroup
from territorial.common.owners import indicator_owners, plan_owners, raci_owners

EDIT_ACTIONS = "facilitate"  # facilitators turn GT3 pistes into actions and follow them
EDIT_PLAN = "edit"  # coordinators shape the plan itself
PLANS = "action_plans.index"  # the menu section of the plans and of what they own


def _action_trail(action_id: int) -> list[tuple[str, str]]:
    """The action's plan."""
    plan = db.session.execute(select(ActionPlan.id, ActionPlan.title).join(
        Action, Action.plan_id == ActionPlan.id).where(Action.id == action_id)).first()
    return [(plan.title, url_for("action_plans.plan", plan_id=plan.id))] if plan else []


indicator_owners.register(
    "action", _l("Action"),
    lambda action_id: url_for("action_plans.action", action_id=action_id),
    model=Action, permission=EDIT_ACTIONS, trail=_action_trail, section=PLANS,
)
indicator_owners.register(
    "action_plan", _l("Plan d'action"),
    lambda plan_id: url_for("action_plans.plan", plan_id=plan_id),
    model=ActionPlan, permission=EDIT_PLAN, section=PLANS,
)
raci_owners.register("action_plan", _l("Plan d'action"),
                     lambda plan_id: url_for("action_plans.plan", plan_id=plan_id),
                     model=ActionPlan, section=PLANS)


def _group_plans_url(group_id: int) -> str | None:
    """A working group's plan is read in its experiment's consolidated plan (the group
    read for its name is found in the session: ``OwnerKind.name_and_url``)."""
    group = db.session.get(WorkingGroup, group_id)
    if group is None or group.experiment_id is None:
        return None
    return url_for("action_plans.experiment_plan", experiment_id=group.experiment_id)


def _groups_plans_urls(group_ids: set[int]) -> dict[int, str | None]:
    """``_group_plans_url`` of several groups, in one query."""
    experiments = dict(db.session.execute(select(WorkingGroup.id, WorkingGroup.experiment_id)
                                          .where(WorkingGroup.id.in_(group_ids))).all())
    return {group_id: url_for("action_plans.experiment_plan", experiment_id=experiments[group_id])
            if experiments.get(group_id) is not None else None for group_id in group_ids}


plan_owners.register("working_group", _l("Groupe de travail"), _group_plans_url,
                     model=WorkingGroup, urls=_groups_plans_urls)
plan_owners.register("experiment", _l("Expérimentation"),
                     lambda experiment_id: url_for("experiments.workspace",
                                                   experiment_id=experiment_id),
                     model=Experiment)
