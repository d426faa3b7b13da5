"""An experiment's consolidated action plan: the plans of its working groups (GT3)
plus the experiment's own plan, grouped by theme."""
from collections import namedtuple
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from extensions import db
from facilitation.action_plans import operations
from facilitation.action_plans import queries as ap_queries
from facilitation.action_plans.models import ActionPlan, ActionPlanAxis
from facilitation.action_plans.reports import Group, Placement, Scope
from facilitation.experiments.models import Experiment, Theme
from facilitation.working_groups.models import WorkingGroup
from territorial.common import loading
from territorial.common.collation import french

TRANSVERSAL = "theme:none"


def theme_axis_key(theme_id: int) -> str:
    return f"theme_{theme_id}"


def experiment_themes(experiment: Experiment) -> list[Theme]:
    return list(db.session.scalars(_statements().themes, {"experiment_id": experiment.id}))


def experiment_parts(experiment: Experiment) -> tuple[list[Theme], list[WorkingGroup]]:
    themes = experiment_themes(experiment)
    groups = db.session.scalars(_statements().groups, {"experiment_id": experiment.id})
    return themes, list(groups)


def experiment_plans(experiment: Experiment, groups: list[WorkingGroup]
                     ) -> tuple[list[ActionPlan], ActionPlan | None]:
    """The working groups' plans and the experiment's own plan (or None)."""
    return ap_queries.experiment_plans(experiment.id, [group.id for group in groups],
                                       experiment.territory_id)


GroupTheme = namedtuple("GroupTheme", "id theme_id")  # what the scope reads of a working group


def experiment_scope(experiment: Experiment, territory) -> Scope:
    """The consolidated scope: an action's theme is its working group's theme (for a GT
    plan) or the theme named by its axis (for the experiment's own plan, whose axes are
    the themes); the others are « Transversal ». Three queries: the themes, the plans
    (``experiment_plans``'s) with their working group's theme, the axes."""
    found = db.session.execute(_statements().plans, {
        "experiment_id": experiment.id, "territory_id": experiment.territory_id}).all()
    group_plans = [plan for plan, _theme in found if plan.owner_type == "working_group"]
    own = next((plan for plan, _theme in found if plan.owner_type == "experiment"), None)
    groups = [GroupTheme(plan.owner_id, theme_id) for plan, theme_id in found
              if plan.owner_type == "working_group"]
    return scope_of_parts(experiment, territory, experiment_themes(experiment), groups,
                          group_plans, own)


def scope_of_parts(experiment: Experiment, territory, themes: list[Theme],
                   groups: list[WorkingGroup], group_plans: list[ActionPlan],
                   own: ActionPlan | None) -> Scope:
    """``experiment_scope`` of parts already loaded (``experiment_parts``, ``experiment_plans``;
    of the working groups, their ``id`` and ``theme_id`` are read)."""
    plans = group_plans + ([own] if own else [])
    theme_groups = {
        theme.id: Group(f"theme:{theme.id}", theme.title, theme.position) for theme in themes
    }
    transversal = Group(TRANSVERSAL, _("Transversal"), 10_000)
    wg_theme = {group.id: group.theme_id for group in groups}
    plan_theme = {
        plan.id: wg_theme.get(plan.owner_id) for plan in group_plans
    }
    axis_theme = {}
    if plans:
        keys = {theme_axis_key(theme.id): theme.id for theme in themes}
        for axis_id, key in loading.rows(_statements().axes,
                                         {"plan_ids": [plan.id for plan in plans]}):
            if key in keys:
                axis_theme[axis_id] = keys[key]

    placement = Placement(
        {axis_id: theme_groups[theme_id] for axis_id, theme_id in axis_theme.items()},
        {plan_id: theme_groups[theme_id] for plan_id, theme_id in plan_theme.items()
         if theme_id in theme_groups},
        transversal)
    return Scope(
        territory=territory,
        title=_("Plan d'action consolidé"),
        subtitle=experiment.title,
        plans=plans,
        group_of=placement.group_of,
        placement=placement,
        groups=list(theme_groups.values()) + [transversal],
        group_label=_("Thème"),
        period=_period(experiment),
    )


ScopeStatements = namedtuple("ScopeStatements", "themes groups plans axes")


@cache
def _statements() -> ScopeStatements:
    """The queries of an experiment's scope, built once: its themes and its working groups
    in order (parameter ``experiment_id``), its plans with their working group's theme (``experiment_id``,
    ``territory_id``), their axes (``plan_ids``)."""
    experiment_id = bindparam("experiment_id")
    themes = (select(Theme)
              .where(Theme.experiment_id == experiment_id, Theme.archived_at.is_(None))
              .order_by(Theme.position, Theme.id))
    groups = (select(WorkingGroup).where(WorkingGroup.experiment_id == experiment_id)
              .order_by(french(WorkingGroup.title), WorkingGroup.id))
    plans = (select(ActionPlan, WorkingGroup.theme_id)
             .outerjoin(WorkingGroup, (ActionPlan.owner_type == "working_group")
                        & (WorkingGroup.id == ActionPlan.owner_id))
             .where(ActionPlan.territory_id == bindparam("territory_id"),
                    ((ActionPlan.owner_type == "working_group")
                     & (WorkingGroup.experiment_id == experiment_id))
                    | ((ActionPlan.owner_type == "experiment")
                       & (ActionPlan.owner_id == experiment_id)))
             .order_by(ActionPlan.id))
    axes = select(ActionPlanAxis.id, ActionPlanAxis.key).where(
        ActionPlanAxis.plan_id.in_(bindparam("plan_ids", expanding=True)))
    return ScopeStatements(themes, groups, plans, axes)


def _period(experiment: Experiment) -> str:
    start, end = experiment.start_date, experiment.end_date
    if not start:
        return ""
    if end and end.year != start.year:
        return f"{start.year}–{end.year}"
    return str(start.year)


def set_up_plans(experiment: Experiment) -> tuple[int, ActionPlan]:
    """Create the missing GT3 plans (one per working group, one axis: its theme) and the
    experiment's own plan (axes: the themes). Returns how many plans were created."""
    themes, groups = experiment_parts(experiment)
    theme_title = {theme.id: theme.title for theme in themes}
    created = 0
    for group in groups:
        if ap_queries.plan_for("working_group", group.id, experiment.territory_id) is None:
            axes = []
            if group.theme_id in theme_title:
                axes = [(theme_axis_key(group.theme_id), theme_title[group.theme_id])]
            operations.create_plan(
                experiment.territory_id, "working_group", group.id,
                _("Plan d'action du %(group)s", group=group.title), axes,
            )
            created += 1
    own = ap_queries.plan_for("experiment", experiment.id, experiment.territory_id)
    if own is None:
        own = operations.create_plan(
            experiment.territory_id, "experiment", experiment.id,
            _("Actions transversales — %(title)s", title=experiment.title),
            [(theme_axis_key(theme.id), theme.title) for theme in themes],
        )
        created += 1
    return created, own
