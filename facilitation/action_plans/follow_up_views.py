"""Following a plan and sending it: its follow-up page and workbook, its document; and the
experiment's plans put together (consolidated plan, restitution, follow-up), the plan's
RACI grid. Routes of the ``action_plans`` blueprint (``views``)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from facilitation.action_plans import (charts, consolidation, exports, key_figures, queries,
                                       reports)
from facilitation.action_plans import raci as action_raci
from facilitation.action_plans.documents import plan_document as describe_plan
from facilitation.action_plans.models import HORIZONS, ActionPlan
from facilitation.action_plans.owners import EDIT_ACTIONS
from facilitation.action_plans.views import (PER_PAGE, bp, filter_args, labels, load_plan,
                                             offered, owner_info, porteur_choices,
                                             porteur_options, request_filters)
from facilitation.experiments.models import Experiment
from facilitation.experiments.views import TABS
from territorial.access import can, get_or_404, needs
from territorial.common.downloads import send_download
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate_built
from territorial.common.urls import url_for_ids
from territorial.documents.web import send_document
from territorial.raci import operations as raci
from territorial.common import dates


# Follow-up and exports of a plan ---------------------------------------------------

def _plan_scope(plan: ActionPlan):
    owner_label, owner_name, _url = owner_info(plan)
    return reports.plan_scope(plan, g.territory, queries.axes_of(plan), owner_name)


def _plan_report(plan: ActionPlan):
    scope = _plan_scope(plan)
    return scope, reports.load_rows(scope)


@bp.route("/action-plans/<int:plan_id>/follow-up")
@login_required
@needs("view")
def plan_follow_up(plan_id: int):
    plan = load_plan(plan_id)
    return _render_follow_up(_plan_scope(plan), plan=plan, experiment=None)


@bp.route("/action-plans/<int:plan_id>/follow-up.xlsx")
@login_required
@needs("view")
def plan_follow_up_xlsx(plan_id: int):
    scope, rows = _plan_report(load_plan(plan_id))
    return _send_follow_up_xlsx(scope, rows)


@bp.route("/action-plans/<int:plan_id>/plan.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def plan_document(plan_id: int, fmt: str):
    plan = load_plan(plan_id)
    scope, rows = _plan_report(plan)
    return _send_plan(scope, rows, fmt)


def _send_follow_up_xlsx(scope, rows):
    data = exports.build_follow_up_xlsx(scope, rows, key_figures.follow_up(rows, scope))
    return send_download(data, exports.follow_up_filename(scope))


def _send_plan(scope, rows, fmt: str):
    """The plan's document in ``fmt``: synthesis, follow-up and every action."""
    return send_document(describe_plan(scope, rows, dates.today()), fmt)


def _render_follow_up(scope, *, plan=None, experiment=None):
    """The follow-up page: only the actions it lists are loaded (``key_figures.watched_rows``),
    its key figures are counted in SQL."""
    today = dates.today()
    rows = key_figures.watched_rows(scope, today)
    follow = key_figures.follow_up(rows, scope, today)
    chart = charts.progress_chart(follow, scope)
    context = dict(scope=scope, follow=follow, figures=key_figures.headline(scope), chart=chart,
                   today=today, plan=plan, experiment=experiment, horizons=labels(HORIZONS))
    if experiment is not None:
        context |= _experiment_context(experiment)
    return render_template("action_plans/follow_up.html", **context)


# Experiments: consolidated plan, restitution, follow-up --------------------------------

def _experiment(experiment_id: int):
    return get_or_404(Experiment, experiment_id)


def _experiment_context(experiment) -> dict:
    return {"experiment": experiment, "tabs": TABS}


def _experiment_scope(experiment):
    return consolidation.experiment_scope(experiment, g.territory)


@bp.route("/experiments/<int:experiment_id>/action-plan")
@login_required
@needs("view")
def experiment_plan(experiment_id: int):
    experiment = _experiment(experiment_id)
    themes, groups = consolidation.experiment_parts(experiment)
    group_plans, own = consolidation.experiment_plans(experiment, groups)
    scope = consolidation.scope_of_parts(experiment, g.territory, themes, groups, group_plans, own)
    filters = request_filters()
    porteurs = porteur_choices([p.id for p in scope.plans], filters.owner)
    filters = offered(filters, porteurs, {group.key for group in scope.groups})
    counts = queries.action_counts(plan.id for plan in scope.plans)
    page = paginate_built(*reports.page_statements(scope, filters), per_page=PER_PAGE,
                          total=None if filters.active() else sum(counts.values()))
    plan_of_group = {plan.owner_id: plan for plan in group_plans}
    theme_title = {theme.id: theme.title for theme in themes}
    rows = reports.page_rows(scope, page.items)
    return render_template(
        "action_plans/experiment_plan.html", scope=scope,
        groups=[(group, reports.by_horizon(items)) for group, items in reports.grouped(rows, scope)],
        names=queries.names_of([row.action for row in rows], dict(porteurs)),
        working_groups=[(wg, theme_title.get(wg.theme_id, ""), plan_of_group.get(wg.id))
                        for wg in groups],
        own_plan=own, counts=counts, filters=filters, filter_args=filter_args(filters),
        total=page.total, page_number=page.page, pages=page.pages,
        page_urls=_page_urls(experiment.id, page.pages, filter_args(filters)),
        porteur_options=porteur_options(porteurs),
        editable=can(EDIT_ACTIONS), today=dates.today(), missing_plans=(
            own is None or any(wg.id not in plan_of_group for wg in groups)),
        **_experiment_context(experiment),
    )


def _page_urls(experiment_id: int, pages: int, args: dict) -> list[str]:
    """The addresses of the consolidated plan's pages (the page number first, then the
    filters): built once around a placeholder number when no filter follows it."""
    if pages < 2:
        return []
    if args:
        return [url_for("action_plans.experiment_plan", experiment_id=experiment_id,
                        page=number, **args) for number in range(1, pages + 1)]
    url = url_for_ids("action_plans.experiment_plan", "page", experiment_id=experiment_id)
    return [url(number) for number in range(1, pages + 1)]


@bp.route("/experiments/<int:experiment_id>/action-plan/setup", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def experiment_setup(experiment_id: int):
    experiment = _experiment(experiment_id)
    created, _own = consolidation.set_up_plans(experiment)
    flash(ngettext("%(num)d plan d'action créé.",
                   "%(num)d plans d'action créés : un par groupe de travail et un pour les "
                   "actions transversales.", created) if created
          else _("Chaque groupe de travail a déjà son plan d'action."), "success")
    return redirect(url_for("action_plans.experiment_plan", experiment_id=experiment.id))


@bp.route("/experiments/<int:experiment_id>/restitution")
@login_required
@needs("view")
def restitution(experiment_id: int):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    figures = key_figures.scope_synthesis(scope, action_raci.raci_organisation_involvement(
        g.territory.id, [plan.id for plan in scope.plans]))
    figure_set = charts.restitution_charts(figures, scope)
    return render_template(
        "action_plans/restitution.html", scope=scope, figures=figures,
        charts=figure_set, proposals=_proposals(scope),
        **_experiment_context(experiment),
    )


def _proposals(scope) -> list[tuple[int, str, str, str, str]]:
    """(id, title, theme, horizon, porteur) of the proposals for the territory."""
    horizons = labels(HORIZONS)
    return [(row.id, row.title, group.title, horizons.get(row.horizon, row.horizon),
             row.porteur_name or "") for group, row in reports.proposals(scope)]


@bp.route("/experiments/<int:experiment_id>/follow-up")
@login_required
@needs("view")
def experiment_follow_up(experiment_id: int):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    return _render_follow_up(scope, experiment=experiment)


@bp.route("/experiments/<int:experiment_id>/follow-up.xlsx")
@login_required
@needs("view")
def experiment_follow_up_xlsx(experiment_id: int):
    scope = _experiment_scope(_experiment(experiment_id))
    return _send_follow_up_xlsx(scope, reports.load_rows(scope))


@bp.route("/experiments/<int:experiment_id>/action-plan.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def experiment_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    return _send_plan(scope, reports.load_rows(scope), fmt)


# RACI (the shared component in territorial.raci) ------------------------------------

@bp.route("/action-plans/<int:plan_id>/raci", methods=["GET", "POST"])
@login_required
@needs("view", post=EDIT_ACTIONS)
def plan_raci(plan_id: int):
    """Open the plan's RACI grid (one row per action); created on first use, by a POST."""
    plan = load_plan(plan_id)
    grid = raci.find_grid(g.territory.id, "action_plan", plan.id)
    if request.method == "POST":
        grid = action_raci.open_raci_grid(plan, _("Rôles — %(title)s", title=plan.title))
    elif grid is None:
        return render_template("action_plans/raci_start.html", plan=plan,
                               editable=can(EDIT_ACTIONS), form=ConfirmForm())
    return redirect(url_for("raci.grid", grid_id=grid.id))
