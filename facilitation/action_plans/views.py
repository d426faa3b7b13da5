"""Action plans (blueprint ``action_plans``): the plans and their axes here, the actions in
``action_views``, the follow-up, the documents and the experiments' consolidated plans in
``follow_up_views``; queries in ``queries``, the work in ``operations``."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload

from facilitation.action_plans import operations, queries, reports
from facilitation.action_plans import raci as plan_raci
from facilitation.action_plans import panels  # noqa: F401  (the home and organisation panels)
from facilitation.action_plans.forms import AxisForm, PlanForm, bulk_form
from facilitation.action_plans.models import (
    CHARTER_AXES,
    HORIZONS,
    PLAN_OWNER_TYPES,
    SCOPES,
    STATUSES,
    ActionPlan,
    ActionPlanAxis,
)
from facilitation.action_plans.owners import EDIT_ACTIONS, EDIT_PLAN
from territorial.access import can, get_or_404, get_with_owner_or_404, needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.owners import plan_owners
from territorial.common.pagination import paginate, paginate_built
from territorial.indicators.operations import indicators_for
from territorial.raci import operations as raci
from territorial.common import dates

bp = territory_blueprint("action_plans", __name__)

PER_PAGE = 50


# Loading ---------------------------------------------------------------------------

def load_plan(plan_id: int) -> ActionPlan:
    return get_or_404(ActionPlan, plan_id)


def porteur_choices(plan_ids, selected: int | None) -> list[tuple[int, str]]:
    """(id, name) of the organisations that carry an action of the plans and of the one
    ``selected``, for the « Porteur » filter."""
    return queries.porteur_choices(g.territory.id, plan_ids, selected)


def porteur_options(choices: list[tuple[int, str]]) -> Markup:
    """The « Porteur » filter's ``<option>`` (the filter ``with_selected`` marks the one
    chosen)."""
    return Markup("".join(f'<option value="{id_}">{escape(name)}</option>'
                          for id_, name in choices))


def request_filters() -> reports.Filters:
    owner = request.args.get("owner", "")
    return reports.Filters(
        status=request.args.get("status", "") if request.args.get("status") in STATUSES else "",
        owner=int(owner) if owner.isdigit() else None,
        horizon=request.args.get("horizon", "") if request.args.get("horizon") in HORIZONS else "",
        scope=request.args.get("scope", "") if request.args.get("scope") in SCOPES else "",
        group=request.args.get("group", ""),
    )


def offered(filters: reports.Filters, porteurs: list[tuple[int, str]],
            groups: set[str]) -> reports.Filters:
    """``filters`` without what the filters' lists do not offer — a porteur (another
    territory's organisation, an unknown id), a group (another plan's axis, a theme of
    another experiment): the list then shows what the filters show, « Tous », rather than
    nothing."""
    changes = {}
    if filters.owner and filters.owner not in dict(porteurs):
        changes["owner"] = None
    if filters.group and filters.group not in groups:
        changes["group"] = ""
    return replace(filters, **changes) if changes else filters


def filter_args(filters: reports.Filters) -> dict:
    args = {"status": filters.status, "owner": filters.owner, "horizon": filters.horizon,
            "scope": filters.scope, "group": filters.group}
    return {key: value for key, value in args.items() if value not in ("", None)}


def labels(choices: dict) -> dict[str, str]:
    """Lazy labels translated once for the page (its tables read them on every row)."""
    return {key: str(label) for key, label in choices.items()}


def owner_info(plan: ActionPlan, owner=None) -> tuple[str, str, str | None]:
    """(kind of owner, its name, its page) of a plan (``owner``: when read with it)."""
    kind = plan_owners.get(plan.owner_type)
    if kind is None:
        return str(PLAN_OWNER_TYPES.get(plan.owner_type, plan.owner_type)), "", None
    return str(kind.label), *kind.name_and_url(plan.owner_id, owner)


def owner_infos(plans) -> dict[int, tuple[str, str, str | None]]:
    """``owner_info`` of several plans: a query or two per kind of owner, not per plan."""
    by_kind: dict[str, list] = {}
    for plan in plans:
        by_kind.setdefault(plan.owner_type, []).append(plan)
    infos = {}
    for kind, owned in by_kind.items():
        owner = plan_owners.get(kind)
        if owner is None:
            infos |= {plan.id: owner_info(plan) for plan in owned}
            continue
        ids = [plan.owner_id for plan in owned]
        names, urls = owner.names(ids), owner.urls(ids)
        infos |= {plan.id: (str(owner.label), names[plan.owner_id], urls[plan.owner_id])
                  for plan in owned}
    return infos


def known_total(filters: reports.Filters, totals: dict[str, int]) -> int | None:
    """How many actions a plan's page lists, when its totals by status tell (no filter, or
    the status's only)."""
    if filters.status and filters == reports.Filters(status=filters.status):
        return totals.get(filters.status, 0)
    return None if filters.active() else sum(totals.values())


def raci_grid_url(plan: ActionPlan) -> str:
    return url_for("action_plans.plan_raci", plan_id=plan.id)


# Plans -----------------------------------------------------------------------------

@bp.route("/action-plans")
@login_required
@needs("view")
def index():
    page = paginate(queries.plans_statement(g.territory.id))
    counts = queries.action_counts(plan.id for plan in page.items)
    owners = owner_infos(page.items)
    has_partnership_plan = queries.plan_for("partnership", g.territory.id, g.territory.id)
    return render_template(
        "action_plans/index.html", page=page, counts=counts, owners=owners,
        has_partnership_plan=has_partnership_plan,
    )


@bp.route("/action-plans/late")
@login_required
@needs("view")
def late_actions():
    """Every late action of the territory, whatever its plan (the home's « Tout voir »)."""
    page = paginate(queries.overdue_statement(g.territory.id, dates.today()))
    return render_template("action_plans/late.html", page=page)


@bp.route("/action-plans/new", methods=["GET", "POST"])
@login_required
@needs(EDIT_PLAN)
def new_plan():
    """A plan for an owner (by default the territory's partnership, on the charter's axes)."""
    owner_type = request.args.get("owner_type", "partnership")
    owner_id = request.args.get("owner_id", type=int) or g.territory.id
    owner = plan_owners.get(owner_type)
    if owner is None or not owner.exists(owner_id):
        abort(404)
    existing = queries.plan_for(owner_type, owner_id, g.territory.id)
    if existing is not None:
        return redirect(url_for("action_plans.plan", plan_id=existing.id))
    form = PlanForm()
    default_axes = "\n".join(str(title) for _key, title in CHARTER_AXES) \
        if owner_type == "partnership" else ""
    if request.method == "GET":
        form.title.data = (_("Plan d'action à 3 ans — %(name)s", name=owner.name(owner_id))
                           if owner_type == "partnership"
                           else _("Plan d'action — %(name)s", name=owner.name(owner_id)))
        if owner_type == "partnership":
            form.start_year.data, form.horizon_years.data = dates.today().year, 3
    axes_text = request.form.get("axes", default_axes)
    if form.validate_on_submit():
        axes = [line.strip() for line in axes_text.splitlines() if line.strip()]
        if owner_type == "partnership" and axes == [str(t) for _k, t in CHARTER_AXES]:
            axes = [(key, str(title)) for key, title in CHARTER_AXES]
        plan = operations.create_plan(
            g.territory.id, owner_type, owner_id, form.title.data, axes,
            horizon_years=form.horizon_years.data, start_year=form.start_year.data,
            description=form.description.data or "",
        )
        flash(_("Plan d'action créé : ajoutez maintenant ses actions."), "success")
        return redirect(url_for("action_plans.plan", plan_id=plan.id))
    return render_template(
        "action_plans/plan_form.html", form=form, plan=None, axes_text=axes_text,
        owner_label=owner.label, owner_name=owner.name(owner_id),
        cancel_url=owner.url(owner_id) or url_for("action_plans.index"),
    ), 422 if form.errors else 200


@bp.route("/action-plans/<int:plan_id>")
@login_required
@needs("view")
def plan(plan_id: int):
    plan, owner = get_with_owner_or_404(ActionPlan, plan_id, plan_owners,
                                        joinedload(ActionPlan.axes))
    axes = plan.axes
    owner_label, owner_name, owner_url = owner_info(plan, owner)
    scope = reports.plan_scope(plan, g.territory, axes, owner_name)
    filters = request_filters()
    summary = queries.plan_summary(plan, filters.owner)
    filters = offered(filters, summary.porteurs, {f"axis:{axis.id}" for axis in axes}
                      | ({"axis:0"} if axes else set()))
    shape, parameters = reports.filter_parameters([plan.id], filters)
    axis_filter = ""
    if filters.group.startswith("axis:"):
        axis_id = filters.group.split(":", 1)[1]
        parameters["axis_id"] = int(axis_id) if axis_id.isdigit() else -1
        axis_filter = "none" if parameters["axis_id"] == 0 else "one"
    totals = summary.totals
    page = paginate_built(*queries.plan_page_statements(reports.filtered_actions(shape),
                                                        axis_filter),
                          parameters, per_page=PER_PAGE, total=known_total(filters, totals))
    actions = list(page.items)
    indicators = indicators_for("action", [a.id for a in actions], territory_id=g.territory.id)
    raci_grid = raci.find_filled_grid(plan.territory_id, "action_plan", plan.id)
    roles = plan_raci.grid_raci_summaries(raci_grid) if raci_grid is not None else {}
    periods = scope.periods()
    rows = [reports.ActionRow(a, scope.group_of(a), indicators.get(a.id, []), roles.get(a.id, ""),
                              periods.get(a.plan_id, []))
            for a in actions]
    groups = []
    for group, items in reports.grouped(rows, scope):
        groups.append((group, reports.by_horizon(items)))
    return render_template(
        "action_plans/plan.html", plan=plan, axes=axes, scope=scope, groups=groups,
        page=page, filters=filters, filter_args=filter_args(filters),
        bulk_form=bulk_form(request.args),
        porteur_options=porteur_options(summary.porteurs),
        owner_label=owner_label,
        owner_name=owner_name, owner_url=owner_url, totals=totals, total=sum(totals.values()),
        statuses=labels(STATUSES),
        editable=can(EDIT_ACTIONS), today=dates.today(),
        names=summary.names,
        raci_grid_url=raci_grid_url(plan), raci_grid=raci_grid,
    )


@bp.route("/action-plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
@needs(EDIT_PLAN)
def edit_plan(plan_id: int):
    plan = load_plan(plan_id)
    form = PlanForm(obj=plan)
    if form.validate_on_submit():
        operations.update_plan(plan, title=form.title.data, description=form.description.data or "",
                               horizon_years=form.horizon_years.data,
                               start_year=form.start_year.data)
        flash(_("Plan d'action enregistré."), "success")
        return redirect(url_for("action_plans.plan", plan_id=plan.id))
    return _render_plan_settings(plan, form, AxisForm(prefix="axis"))


def _render_plan_settings(plan, form, axis_form, status=None):
    owner_label, owner_name, _url = owner_info(plan)
    failed = bool(form.errors or axis_form.errors)
    return render_template(
        "action_plans/plan_settings.html", plan=plan, form=form, axis_form=axis_form,
        axes=queries.axes_of(plan), owner_label=owner_label, owner_name=owner_name,
        axis_counts=queries.axis_counts(plan),
    ), status or (422 if failed else 200)


@bp.route("/action-plans/<int:plan_id>/axes", methods=["POST"])
@login_required
@needs(EDIT_PLAN)
def add_axis(plan_id: int):
    plan = load_plan(plan_id)
    axis_form = AxisForm(prefix="axis")
    if axis_form.validate_on_submit():
        axis = operations.add_axis(plan, axis_form.title.data,
                                   description=axis_form.description.data or "")
        flash(_("Axe « %(title)s » ajouté.", title=axis.title), "success")
        return redirect(url_for("action_plans.edit_plan", plan_id=plan.id))
    return _render_plan_settings(plan, PlanForm(obj=plan, formdata=None), axis_form)


def _axis(axis_id: int) -> ActionPlanAxis:
    return get_or_404(ActionPlanAxis, axis_id)


@bp.route("/action-plans/axes/<int:axis_id>/edit", methods=["GET", "POST"])
@login_required
@needs(EDIT_PLAN)
def edit_axis(axis_id: int):
    axis = _axis(axis_id)
    form = AxisForm(obj=axis)
    if form.validate_on_submit():
        operations.update_axis(axis, title=form.title.data, description=form.description.data or "")
        flash(_("Axe enregistré."), "success")
        return redirect(url_for("action_plans.edit_plan", plan_id=axis.plan_id))
    return render_template(
        "action_plans/axis_form.html", form=form, axis=axis,
        plan=load_plan(axis.plan_id),
    ), 422 if form.errors else 200


@bp.route("/action-plans/axes/<int:axis_id>/move", methods=["POST"])
@login_required
@needs(EDIT_PLAN)
def move_axis(axis_id: int):
    axis = _axis(axis_id)
    operations.move_axis(axis, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("action_plans.edit_plan", plan_id=axis.plan_id))


@bp.route("/action-plans/axes/<int:axis_id>/delete", methods=["POST"])
@login_required
@needs(EDIT_PLAN)
def delete_axis(axis_id: int):
    axis = _axis(axis_id)
    plan_id = axis.plan_id
    operations.delete_axis(axis)
    flash(_("Axe supprimé : ses actions restent dans le plan, sans axe."), "success")
    return redirect(url_for("action_plans.edit_plan", plan_id=plan_id))


@bp.route("/action-plans/<int:plan_id>/delete", methods=["POST"])
@login_required
@needs(EDIT_PLAN)
def delete_plan(plan_id: int):
    plan = load_plan(plan_id)
    operations.delete_plan(plan)
    flash(_("Plan d'action supprimé."), "success")
    return redirect(url_for("action_plans.index"))


# The blueprint's routes written in the other view modules of the capability.
from facilitation.action_plans import action_views, follow_up_views  # noqa: E402,F401
