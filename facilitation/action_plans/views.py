"""Action plan pages: a plan grouped by axis and horizon, actions, the experiment's
consolidated plan, its restitution synthesis and its follow-up, and the exports."""
from collections.abc import Callable
from datetime import date

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup, escape
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from facilitation.action_plans import charts, exports, operations, reports, rules
from facilitation.action_plans.forms import ActionForm, AxisForm, PlanForm
from facilitation.action_plans.models import (
    CHARTER_AXES,
    HORIZONS,
    PLAN_OWNER_TYPES,
    SCOPES,
    STATUS_TONES,
    STATUSES,
    Action,
    ActionPlan,
    ActionPlanAxis,
)
from facilitation.action_plans.owners import plan_owner
from territorial.access import can, get_or_404, require
from territorial.actors.models import Organisation, Person
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.dates import date_formatter
from territorial.common.downloads import send_download
from territorial.documents.web import send_document
from facilitation.action_plans.documents import describe_action_plan
from territorial.common.forms import ConfirmForm
from territorial.common.loading import rows
from territorial.common.pagination import page_number as requested_page
from territorial.common.pagination import paginate
from territorial.common.panels import Panel, home_panels, organisation_panels
from territorial.common.urls import local_path, url_for_ids
from territorial.indicators.operations import indicators_for
from territorial.indicators.owners import register_owner as register_indicator_owner

bp = territory_blueprint("action_plans", __name__)

PER_PAGE = 50
EDIT_ACTIONS = "facilitate"  # facilitators turn GT3 pistes into actions and follow them
EDIT_PLAN = "edit"  # coordinators shape the plan itself


@bp.app_template_global("plan_money")
def plan_money(amount) -> str:
    return exports.money(amount)


@bp.app_template_global("month_label")
def month_label(day) -> str:
    return charts.month_label(day)


bp.add_app_template_global(date_formatter)  # the due dates of the tables of actions


@bp.app_template_filter("with_selected")
def with_selected(options: Markup, value: int | None) -> Markup:
    """``options`` (``_organisation_options()``) with the option of ``value`` selected."""
    if value is None:
        return options
    option = f'<option value="{int(value)}">'
    return Markup(str(options).replace(option, f'<option value="{int(value)}" selected>', 1))


@bp.app_template_global("action_urls")
def action_urls() -> dict[str, Callable[[int], str]]:
    """The URLs of an action's row by action id (its page, status, progress and move), for
    ``_actions_table.html``."""
    return {name: url_for_ids(f"action_plans.{name}", "action_id")
            for name in ("action", "change_status", "set_progress", "move_action")}


@bp.app_template_global("action_row_labels")
def action_row_labels() -> dict[str, str]:
    """The accessible names of the controls of an action's row, translated once per page:
    ``_actions_table.html`` fills in each action's title (``labels.status % title``)."""
    return {
        "select": _("Sélectionner « %(title)s »"),
        "status": _("Statut de « %(title)s »"),
        "reason": _("Motif de l'abandon de « %(title)s »"),
        "change_status": _("le statut de « %(title)s »"),
        "progress": _("Avancement de « %(title)s » en %%"),
        "save_progress": _("enregistrer l'avancement de « %(title)s »"),
        "up": _("Monter « %(title)s »"),
        "down": _("Descendre « %(title)s »"),
    }


# Indicator owners: an action's and a plan's indicators link back here.
register_indicator_owner(
    "action", _l("Action"),
    lambda action_id: url_for("action_plans.action", action_id=action_id),
    model=Action, permission=EDIT_ACTIONS,
)
register_indicator_owner(
    "action_plan", _l("Plan d'action"),
    lambda plan_id: url_for("action_plans.plan", plan_id=plan_id),
    model=ActionPlan, permission=EDIT_PLAN,
)


def _register_raci_owner() -> None:
    try:
        from territorial.raci.owners import register_owner as register_raci_owner
    except ImportError:  # pragma: no cover
        return
    register_raci_owner(
        "action_plan", _l("Plan d'action"),
        lambda grid: url_for("action_plans.plan", plan_id=grid.owner_id),
    )


_register_raci_owner()


# Loading ---------------------------------------------------------------------------

def _plan(plan_id: int) -> ActionPlan:
    return get_or_404(ActionPlan, plan_id)


def _action(action_id: int) -> Action:
    return get_or_404(
        Action, action_id,
        joinedload(Action.owner_organisation), joinedload(Action.contact_person),
        joinedload(Action.axis), joinedload(Action.plan), selectinload(Action.sources),
    )


def _axes(plan: ActionPlan) -> list[ActionPlanAxis]:
    return list(db.session.scalars(
        select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id)
        .order_by(ActionPlanAxis.position, ActionPlanAxis.id)
    ))


def _organisations() -> list[tuple[int, str]]:
    return rows(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == g.territory.id, Organisation.archived_at.is_(None))
        .order_by(Organisation.name)
    )


def _organisation_options() -> Markup:
    """The ``<option>`` of each organisation, for the porteur selects of the plan pages: a
    territory has hundreds, rendered once in one pass (the filter marks its choice with
    ``with_selected``)."""
    return Markup("".join(f'<option value="{id_}">{escape(name)}</option>'
                          for id_, name in _organisations()))


def _people() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.territory_id == g.territory.id, Person.archived_at.is_(None))
        .order_by(Person.last_name, Person.first_name)
    ).all()
    return [
        (pid, f"{first} {last}".strip() + (f" ({org})" if org else ""))
        for pid, first, last, org in rows
    ]


def _filters() -> reports.Filters:
    owner = request.args.get("owner", "")
    return reports.Filters(
        status=request.args.get("status", "") if request.args.get("status") in STATUSES else "",
        owner=int(owner) if owner.isdigit() else None,
        horizon=request.args.get("horizon", "") if request.args.get("horizon") in HORIZONS else "",
        scope=request.args.get("scope", "") if request.args.get("scope") in SCOPES else "",
        group=request.args.get("group", ""),
    )


def _filter_args(filters: reports.Filters) -> dict:
    args = {"status": filters.status, "owner": filters.owner, "horizon": filters.horizon,
            "scope": filters.scope, "group": filters.group}
    return {key: value for key, value in args.items() if value not in ("", None)}


def _labels(choices: dict) -> dict[str, str]:
    """Lazy labels translated once for the page (its tables read them on every row)."""
    return {key: str(label) for key, label in choices.items()}


def owner_info(plan: ActionPlan) -> tuple[str, str, str | None]:
    """(kind of owner, its name, its page) of a plan."""
    owner = plan_owner(plan.owner_type)
    if owner is None:
        return str(PLAN_OWNER_TYPES.get(plan.owner_type, plan.owner_type)), "", None
    return str(owner.label), owner.name(plan.owner_id), owner.url(plan.owner_id)


def _safe_next(default: str) -> str:
    return local_path(request.values.get("next")) or default


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


# Plans -----------------------------------------------------------------------------

@bp.route("/action-plans")
@login_required
def index():
    statement = (
        select(ActionPlan).where(ActionPlan.territory_id == g.territory.id)
        .order_by(ActionPlan.owner_type, ActionPlan.title, ActionPlan.id)
    )
    page = paginate(statement)
    plan_ids = [plan.id for plan in page.items]
    counts = dict(db.session.execute(
        select(Action.plan_id, func.count()).where(Action.plan_id.in_(plan_ids))
        .group_by(Action.plan_id)
    ).all()) if plan_ids else {}
    owners = {plan.id: owner_info(plan) for plan in page.items}
    has_partnership_plan = operations.plan_for("partnership", g.territory.id, g.territory.id)
    return render_template(
        "action_plans/index.html", page=page, counts=counts, owners=owners,
        has_partnership_plan=has_partnership_plan,
    )


@bp.route("/action-plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    """A plan for an owner (by default the territory's partnership, on the charter's axes)."""
    require(EDIT_PLAN)
    owner_type = request.args.get("owner_type", "partnership")
    owner_id = request.args.get("owner_id", type=int) or g.territory.id
    owner = plan_owner(owner_type)
    if owner is None or not owner.exists(owner_id):
        abort(404)
    existing = operations.plan_for(owner_type, owner_id, g.territory.id)
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
            form.start_year.data, form.horizon_years.data = date.today().year, 3
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
def plan(plan_id: int):
    plan = _plan(plan_id)
    axes = _axes(plan)
    owner_label, owner_name, owner_url = owner_info(plan)
    scope = reports.plan_scope(plan, g.territory, axes, owner_name)
    filters = _filters()
    if filters.group.startswith("axis:"):
        axis_id = filters.group.split(":", 1)[1]
        axis_filter = int(axis_id) if axis_id.isdigit() else -1
    else:
        axis_filter = None
    statement = _plan_page_statement(plan, filters, axis_filter)
    page = paginate(statement, per_page=PER_PAGE)
    actions = list(page.items)
    indicators = indicators_for("action", [a.id for a in actions], territory_id=g.territory.id)
    raci_grid = _loaded_raci_grid(plan)
    raci = reports.grid_raci_summaries(raci_grid) if raci_grid is not None else {}
    rows = [reports.ActionRow(a, scope.group_of(a), indicators.get(a.id, []), raci.get(a.id, ""))
            for a in actions]
    groups = []
    for group, items in reports.grouped(rows, scope):
        groups.append((group, reports.by_horizon(items)))
    totals = dict(db.session.execute(
        select(Action.status, func.count()).where(Action.plan_id == plan.id).group_by(Action.status)
    ).all())
    return render_template(
        "action_plans/plan.html", plan=plan, axes=axes, scope=scope, groups=groups,
        page=page, filters=filters, filter_args=_filter_args(filters),
        organisation_options=_organisation_options(), owner_label=owner_label,
        owner_name=owner_name, owner_url=owner_url, totals=totals, total=sum(totals.values()),
        allowed_statuses=rules.allowed_statuses, statuses=_labels(STATUSES),
        status_tones=STATUS_TONES, horizons=_labels(HORIZONS), scopes=_labels(SCOPES),
        editable=can(EDIT_ACTIONS), today=date.today(),
        raci_grid_url=_raci_grid_url(plan), raci_grid=raci_grid,
    )


def _loaded_raci_grid(plan: ActionPlan):
    try:
        from territorial.raci import operations as raci
    except ImportError:  # pragma: no cover
        return None
    grid = raci.find_grid(plan.territory_id, "action_plan", plan.id)
    return raci.load_grid(grid) if grid is not None else None


def _plan_page_statement(plan: ActionPlan, filters: reports.Filters, axis_filter: int | None):
    """The page's actions in display order: axis, horizon, position."""
    horizon_order = case({key: index for index, key in enumerate(HORIZONS)},
                         value=Action.horizon, else_=len(HORIZONS))
    statement = (
        reports.actions_statement([plan.id], filters)
        .outerjoin(ActionPlanAxis, ActionPlanAxis.id == Action.axis_id)
        .order_by(None)
        .order_by(func.coalesce(ActionPlanAxis.position, 10_000), ActionPlanAxis.id,
                  horizon_order, Action.position, Action.id)
    )
    if axis_filter is not None:
        statement = statement.where(
            Action.axis_id.is_(None) if axis_filter == 0 else Action.axis_id == axis_filter
        )
    return statement


@bp.route("/action-plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    require(EDIT_PLAN)
    plan = _plan(plan_id)
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
        axes=_axes(plan), owner_label=owner_label, owner_name=owner_name,
        axis_counts=dict(db.session.execute(
            select(Action.axis_id, func.count()).where(Action.plan_id == plan.id)
            .group_by(Action.axis_id)
        ).all()),
    ), status or (422 if failed else 200)


@bp.route("/action-plans/<int:plan_id>/axes", methods=["POST"])
@login_required
def add_axis(plan_id: int):
    require(EDIT_PLAN)
    plan = _plan(plan_id)
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
def edit_axis(axis_id: int):
    require(EDIT_PLAN)
    axis = _axis(axis_id)
    form = AxisForm(obj=axis)
    if form.validate_on_submit():
        operations.update_axis(axis, title=form.title.data, description=form.description.data or "")
        flash(_("Axe enregistré."), "success")
        return redirect(url_for("action_plans.edit_plan", plan_id=axis.plan_id))
    return render_template(
        "action_plans/axis_form.html", form=form, axis=axis,
        plan=db.session.get(ActionPlan, axis.plan_id),
    ), 422 if form.errors else 200


@bp.route("/action-plans/axes/<int:axis_id>/move", methods=["POST"])
@login_required
def move_axis(axis_id: int):
    require(EDIT_PLAN)
    axis = _axis(axis_id)
    operations.move_axis(axis, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("action_plans.edit_plan", plan_id=axis.plan_id))


@bp.route("/action-plans/axes/<int:axis_id>/delete", methods=["POST"])
@login_required
def delete_axis(axis_id: int):
    require(EDIT_PLAN)
    axis = _axis(axis_id)
    plan_id = axis.plan_id
    operations.delete_axis(axis)
    flash(_("Axe supprimé : ses actions restent dans le plan, sans axe."), "success")
    return redirect(url_for("action_plans.edit_plan", plan_id=plan_id))


@bp.route("/action-plans/<int:plan_id>/delete", methods=["POST"])
@login_required
def delete_plan(plan_id: int):
    require(EDIT_PLAN)
    plan = _plan(plan_id)
    operations.delete_plan(plan)
    flash(_("Plan d'action supprimé."), "success")
    return redirect(url_for("action_plans.index"))


# Actions ---------------------------------------------------------------------------

def _action_form(plan: ActionPlan, action: Action | None, formdata=True):
    form = ActionForm(obj=action) if formdata else ActionForm(obj=action, formdata=None)
    axes = _axes(plan)
    form.axis_id.choices = [(0, _("— Sans axe —"))] + [(axis.id, axis.title) for axis in axes]
    form.owner_organisation_id.choices = [(0, _("— À désigner —"))] + _organisations()
    form.contact_person_id.choices = [(0, _("— Aucun —"))] + _people()
    current = action.status if action and action.id else "proposee"
    allowed = rules.allowed_statuses(current) if action and action.id else list(STATUSES)
    form.status.choices = [(key, STATUSES[key]) for key in allowed]
    if request.method == "GET" and (action is None or not action.id):
        axis = request.args.get("axis", type=int)
        form.axis_id.data = axis if axis in {a.id for a in axes} else 0
        if request.args.get("horizon") in HORIZONS:
            form.horizon.data = request.args["horizon"]
    for field in (form.axis_id, form.owner_organisation_id, form.contact_person_id):
        if field.data is None:
            field.data = 0
    return form


def _form_data(form: ActionForm) -> dict:
    return {
        "title": form.title.data, "description": form.description.data or "",
        "axis_id": form.axis_id.data or None, "horizon": form.horizon.data,
        "scope": form.scope.data, "owner_organisation_id": form.owner_organisation_id.data or None,
        "contact_person_id": form.contact_person_id.data or None,
        "start_date": form.start_date.data, "due_date": form.due_date.data,
        "budget_amount": form.budget_amount.data, "funders": form.funders.data or "",
        "means": form.means.data or "", "status": form.status.data,
        "abandon_reason": form.abandon_reason.data or "",
        "progress": form.progress.data if form.progress.data is not None else 0,
    }


def _apply_errors(form, error: rules.ActionPlanError) -> None:
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


@bp.route("/action-plans/<int:plan_id>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(plan_id: int):
    require(EDIT_ACTIONS)
    plan = _plan(plan_id)
    form = _action_form(plan, None)
    if form.validate_on_submit():
        try:
            action = operations.create_action(plan, **_form_data(form))
        except rules.ActionPlanError as error:
            _apply_errors(form, error)
        else:
            _sync_raci(plan)
            flash(_("Action « %(title)s » ajoutée.", title=action.title), "success")
            return redirect(url_for("action_plans.action", action_id=action.id))
    return render_template(
        "action_plans/action_form.html", form=form, plan=plan, action=None,
        cancel_url=url_for("action_plans.plan", plan_id=plan.id),
    ), 422 if form.errors else 200


@bp.route("/action-plans/actions/<int:action_id>")
@login_required
def action(action_id: int):
    action = _action(action_id)
    plan = action.plan
    indicators = indicators_for("action", [action.id], territory_id=g.territory.id)[action.id]
    owner_label, owner_name, owner_url = owner_info(plan)
    return render_template(
        "action_plans/action.html", action=action, plan=plan, indicators=indicators,
        advice=rules.action_smart_advice(action, indicator_count=len(indicators)),
        history=[(entry, _describe_changes(entry)) for entry in operations.action_history(action)],
        raci=reports.raci_summaries(g.territory.id, [plan.id]).get(action.id, ""),
        raci_grid_url=_raci_grid_url(plan), owner_label=owner_label, owner_name=owner_name,
        allowed=rules.allowed_statuses(action.status), statuses=STATUSES,
        editable=can(EDIT_ACTIONS), today=date.today(),
    )


FIELD_LABELS = {
    "title": _l("Intitulé"), "description": _l("Description"), "axis_id": _l("Axe"),
    "horizon": _l("Horizon"), "scope": _l("Portée"),
    "owner_organisation_id": _l("Structure porteuse"), "contact_person_id": _l("Contact"),
    "start_date": _l("Début"), "due_date": _l("Échéance"), "budget_amount": _l("Budget"),
    "funders": _l("Financeurs"), "means": _l("Moyens"), "status": _l("Statut"),
    "abandon_reason": _l("Motif de l'abandon"), "progress": _l("Avancement"),
    "position": _l("Ordre"),
}
HIDDEN_FIELDS = {"id", "plan_id", "territory_id"}


def _describe_changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) in French for an audit entry of an action."""
    labels = {"status": STATUSES, "horizon": HORIZONS, "scope": SCOPES}
    described = []
    for key, value in (entry.changes or {}).items():
        if key in HIDDEN_FIELDS:
            continue
        before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)

        def show(item, key=key):
            if item in (None, ""):
                return "—"
            if key in labels:
                return str(labels[key].get(item, item))
            if key == "progress":
                return f"{item} %"
            if key in ("start_date", "due_date"):
                try:
                    return exports.french_date(date.fromisoformat(str(item)))
                except ValueError:
                    return str(item)
            if key == "budget_amount":
                return exports.money(item)
            return str(item)

        described.append((str(FIELD_LABELS.get(key, key)), show(before), show(after)))
    return described


@bp.route("/action-plans/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(action_id: int):
    require(EDIT_ACTIONS)
    action = _action(action_id)
    plan = action.plan
    form, refused = _action_form(plan, action), {}
    if form.validate_on_submit():
        try:
            operations.update_action(plan, action, version=versions.parse(form.edit_version.data),
                                     **_form_data(form))
        except rules.ActionPlanError as error:
            _apply_errors(form, error)
        except versions.Conflict as conflict:
            action = _action(action_id)  # fresh: a save that raced this one is shown
            refused = versions.refusal(conflict, form, _action_form(plan, action, formdata=False))
        else:
            _sync_raci(plan)
            flash(_("Action enregistrée."), "success")
            return redirect(url_for("action_plans.action", action_id=action.id))
    return render_template(
        "action_plans/action_form.html", form=form, plan=plan, action=action,
        cancel_url=url_for("action_plans.action", action_id=action.id), **refused,
    ), 409 if refused else 422 if form.errors else 200


def _inline_state(action: Action) -> dict:
    """What the inline forms of an action show, for the page to redraw them."""
    return {"status": action.status, "status_label": action.status_label,
            "tone": action.status_tone, "progress": action.progress,
            "edit_version": action.edit_version,
            "allowed": [[key, str(STATUSES[key])] for key in rules.allowed_statuses(action.status)]}


def _inline_answer(action: Action, message: str, back: str):
    if _wants_json():
        return jsonify(ok=True, message=message, **_inline_state(action))
    flash(message, "success")
    return redirect(back)


def _inline_conflict(conflict: versions.Conflict, action_id: int, back: str):
    """A status or progress sent from a page older than a colleague's change: refused, with
    who, when and the action's current state."""
    action = _action(action_id)
    conflict.subject = action.title
    if _wants_json():
        shown = f"{action.status_label}, {action.progress} %"
        return jsonify(conflict.as_json(shown, **_inline_state(action))), 409
    flash(f"« {action.title} » : {conflict.background_message}", "error")
    return redirect(back)


def _inline_error(error: rules.ActionPlanError, back: str):
    message = " ".join(error.errors.values())
    if _wants_json():
        return jsonify(ok=False, error=message), 422
    flash(message, "error")
    return redirect(back)


@bp.route("/action-plans/actions/<int:action_id>/status", methods=["POST"])
@login_required
def change_status(action_id: int):
    require(EDIT_ACTIONS)
    action = _action(action_id)
    back = _safe_next(url_for("action_plans.action", action_id=action.id))
    try:
        operations.change_status(action, request.form.get("status", ""),
                                 request.form.get("reason"), versions.loaded_version())
    except rules.ActionPlanError as error:
        return _inline_error(error, back)
    except versions.Conflict as conflict:
        return _inline_conflict(conflict, action_id, back)
    return _inline_answer(action, _("Statut de « %(title)s » : %(status)s.",
                                    title=action.title, status=action.status_label), back)


@bp.route("/action-plans/actions/<int:action_id>/progress", methods=["POST"])
@login_required
def set_progress(action_id: int):
    require(EDIT_ACTIONS)
    action = _action(action_id)
    back = _safe_next(url_for("action_plans.action", action_id=action.id))
    try:
        operations.set_progress(action, request.form.get("progress"), versions.loaded_version())
    except rules.ActionPlanError as error:
        return _inline_error(error, back)
    except versions.Conflict as conflict:
        return _inline_conflict(conflict, action_id, back)
    return _inline_answer(action, _("Avancement de « %(title)s » : %(progress)s %%.",
                                    title=action.title, progress=action.progress), back)


@bp.route("/action-plans/actions/<int:action_id>/move", methods=["POST"])
@login_required
def move_action(action_id: int):
    require(EDIT_ACTIONS)
    action = _action(action_id)
    operations.move_action(action, -1 if request.form.get("direction") == "up" else 1)
    return redirect(_safe_next(url_for("action_plans.plan", plan_id=action.plan_id))
                    + f"#action-{action.id}")


@bp.route("/action-plans/actions/<int:action_id>/delete", methods=["POST"])
@login_required
def delete_action(action_id: int):
    require(EDIT_ACTIONS)
    action = _action(action_id)
    plan = action.plan
    operations.delete_action(action)
    _sync_raci(plan)
    flash(_("Action supprimée."), "success")
    return redirect(url_for("action_plans.plan", plan_id=plan.id))


@bp.route("/action-plans/<int:plan_id>/reorder", methods=["POST"])
@login_required
def reorder(plan_id: int):
    """The new order of the actions of one group, sent by the drag-and-drop script."""
    require(EDIT_ACTIONS)
    plan = _plan(plan_id)
    raw = request.get_json(silent=True) or {}
    ids = raw.get("order") if isinstance(raw, dict) else None
    if ids is None:
        ids = [part for part in request.form.get("order", "").split(",") if part.strip()]
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        return jsonify(ok=False, error=_("Ordre invalide.")), 400
    operations.reorder(plan, ids)
    _sync_raci(plan)
    if _wants_json():
        return jsonify(ok=True, message=_("Nouvel ordre enregistré."))
    flash(_("Nouvel ordre enregistré."), "success")
    return redirect(url_for("action_plans.plan", plan_id=plan.id))


@bp.route("/action-plans/<int:plan_id>/bulk", methods=["POST"])
@login_required
def bulk(plan_id: int):
    """Assign a porteur to, or change the status of, the checked actions."""
    require(EDIT_ACTIONS)
    plan = _plan(plan_id)
    back = _safe_next(url_for("action_plans.plan", plan_id=plan.id))
    ids = [int(i) for i in request.form.getlist("action_ids") if i.isdigit()]
    if not ids:
        flash(_("Cochez au moins une action."), "error")
        return redirect(back)
    operation = request.form.get("operation")
    try:
        if operation == "owner":
            organisation = request.form.get("organisation_id", "")
            if not organisation.isdigit():
                flash(_("Choisissez la structure porteuse."), "error")
                return redirect(back)
            count = operations.bulk_assign_owner(plan, ids, int(organisation) or None)
            flash(_("Structure porteuse changée pour %(n)d action(s).", n=count), "success")
        elif operation == "status":
            changed, refused = operations.bulk_change_status(
                plan, ids, request.form.get("status", ""), request.form.get("reason")
            )
            flash(_("Statut changé pour %(n)d action(s).", n=changed), "success")
            for refused_action, message in refused:
                flash(f"« {refused_action.title} » : {message}", "error")
        else:
            flash(_("Choisissez l'opération à appliquer."), "error")
    except rules.ActionPlanError as error:
        flash(" ".join(error.errors.values()), "error")
    return redirect(back)


# Follow-up and exports of a plan ---------------------------------------------------

def _plan_report(plan: ActionPlan):
    owner_label, owner_name, _url = owner_info(plan)
    scope = reports.plan_scope(plan, g.territory, _axes(plan), owner_name)
    return scope, reports.load_rows(scope)


@bp.route("/action-plans/<int:plan_id>/follow-up")
@login_required
def plan_follow_up(plan_id: int):
    plan = _plan(plan_id)
    scope, rows = _plan_report(plan)
    return _render_follow_up(scope, rows, plan=plan, experiment=None)


@bp.route("/action-plans/<int:plan_id>/follow-up.xlsx")
@login_required
def plan_follow_up_xlsx(plan_id: int):
    plan = _plan(plan_id)
    scope, rows = _plan_report(plan)
    data = exports.build_follow_up_xlsx(scope, rows, reports.follow_up(rows, scope))
    return send_download(data, exports.docx_filename(scope).replace(".docx", "-suivi.xlsx"))


@bp.route("/action-plans/<int:plan_id>/plan.<any(docx, odt, pdf):fmt>")
@login_required
def plan_document(plan_id: int, fmt: str):
    plan = _plan(plan_id)
    scope, rows = _plan_report(plan)
    return _send_plan(scope, rows, fmt)


def _send_plan(scope, rows, fmt: str):
    """The plan's document in ``fmt``: synthesis, follow-up and every action."""
    today = date.today()
    figures = reports.synthesis(rows, scope, today, raci_involvement=reports
                                .raci_organisation_involvement(g.territory.id,
                                                               [p.id for p in scope.plans]))
    document = describe_action_plan(scope, rows, figures, reports.follow_up(rows, scope, today),
                                    today)
    return send_document(document, fmt)


def _render_follow_up(scope, rows, *, plan=None, experiment=None):
    today = date.today()
    follow = reports.follow_up(rows, scope, today)
    figures = reports.synthesis(rows, scope, today)
    chart = charts.progress_chart(follow, scope)
    context = dict(scope=scope, rows=rows, follow=follow, figures=figures, chart=chart,
                   today=today, plan=plan, experiment=experiment)
    if experiment is not None:
        context |= _experiment_context(experiment)
    return render_template("action_plans/follow_up.html", **context)


# Experiments: consolidated plan, restitution, follow-up --------------------------------

def _experiment(experiment_id: int):
    from facilitation.experiments.models import Experiment

    return get_or_404(Experiment, experiment_id)


def _experiment_context(experiment) -> dict:
    try:
        from facilitation.experiments.views import TABS
    except ImportError:  # pragma: no cover - the experiments capability is always there
        TABS = []
    return {"experiment": experiment, "tabs": TABS}


def _experiment_scope(experiment):
    from facilitation.action_plans.consolidation import experiment_scope

    return experiment_scope(experiment, g.territory)


@bp.route("/experiments/<int:experiment_id>/action-plan")
@login_required
def experiment_plan(experiment_id: int):
    from facilitation.action_plans.consolidation import experiment_parts, experiment_plans

    experiment = _experiment(experiment_id)
    themes, groups = experiment_parts(experiment)
    group_plans, own = experiment_plans(experiment, groups)
    scope = _experiment_scope(experiment)
    filters = _filters()
    rows = reports.load_rows(scope, filters)
    total = len(rows)
    pages = max(1, -(-total // PER_PAGE))
    page_number = min(requested_page(), pages)
    shown = rows[(page_number - 1) * PER_PAGE: page_number * PER_PAGE]
    plan_of_group = {plan.owner_id: plan for plan in group_plans}
    counts = dict(db.session.execute(
        select(Action.plan_id, func.count())
        .where(Action.plan_id.in_([p.id for p in scope.plans] or [0]))
        .group_by(Action.plan_id)
    ).all())
    theme_title = {theme.id: theme.title for theme in themes}
    return render_template(
        "action_plans/experiment_plan.html", scope=scope,
        groups=[(group, reports.by_horizon(items)) for group, items in reports.grouped(shown, scope)],
        working_groups=[(wg, theme_title.get(wg.theme_id, ""), plan_of_group.get(wg.id))
                        for wg in groups],
        own_plan=own, counts=counts, filters=filters, filter_args=_filter_args(filters),
        total=total, page_number=page_number, pages=pages,
        organisation_options=_organisation_options(),
        statuses=_labels(STATUSES), status_tones=STATUS_TONES, horizons=_labels(HORIZONS),
        scopes=_labels(SCOPES), allowed_statuses=rules.allowed_statuses,
        editable=can(EDIT_ACTIONS), today=date.today(), missing_plans=(
            own is None or any(wg.id not in plan_of_group for wg in groups)),
        **_experiment_context(experiment),
    )


@bp.route("/experiments/<int:experiment_id>/action-plan/setup", methods=["POST"])
@login_required
def experiment_setup(experiment_id: int):
    from facilitation.action_plans.consolidation import set_up_plans

    require(EDIT_ACTIONS)
    experiment = _experiment(experiment_id)
    created, _own = set_up_plans(experiment)
    flash(_("%(n)d plan(s) d'action créé(s) : un par groupe de travail et un pour les "
            "actions transversales.", n=created) if created
          else _("Chaque groupe de travail a déjà son plan d'action."), "success")
    return redirect(url_for("action_plans.experiment_plan", experiment_id=experiment.id))


@bp.route("/experiments/<int:experiment_id>/restitution")
@login_required
def restitution(experiment_id: int):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    rows = reports.load_rows(scope)
    figures = reports.synthesis(
        rows, scope, raci_involvement=reports.raci_organisation_involvement(
            g.territory.id, [plan.id for plan in scope.plans])
    )
    figure_set = charts.restitution_charts(figures, scope)
    return render_template(
        "action_plans/restitution.html", scope=scope, figures=figures, rows=rows,
        charts=figure_set,
        proposals=[row for row in rows if row.action.scope == "territoire"],
        **_experiment_context(experiment),
    )


@bp.route("/experiments/<int:experiment_id>/follow-up")
@login_required
def experiment_follow_up(experiment_id: int):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    return _render_follow_up(scope, reports.load_rows(scope), experiment=experiment)


@bp.route("/experiments/<int:experiment_id>/follow-up.xlsx")
@login_required
def experiment_follow_up_xlsx(experiment_id: int):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    rows = reports.load_rows(scope)
    data = exports.build_follow_up_xlsx(scope, rows, reports.follow_up(rows, scope))
    return send_download(data, exports.docx_filename(scope).replace(".docx", "-suivi.xlsx"))


@bp.route("/experiments/<int:experiment_id>/action-plan.<any(docx, odt, pdf):fmt>")
@login_required
def experiment_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    scope = _experiment_scope(experiment)
    return _send_plan(scope, reports.load_rows(scope), fmt)


# RACI (the shared component in territorial.raci) ------------------------------------

def _sync_raci(plan: ActionPlan) -> None:
    """Keep the plan's RACI grid rows in step with its actions, if the grid exists."""
    try:
        from territorial.raci import operations as raci
    except ImportError:  # pragma: no cover
        return
    grid = raci.find_grid(plan.territory_id, "action_plan", plan.id)
    if grid is not None:
        raci.sync_activities(grid, operations.raci_rows(plan))


def _raci_grid_url(plan: ActionPlan) -> str | None:
    try:
        from territorial.raci import operations as raci  # noqa: F401
    except ImportError:  # pragma: no cover
        return None
    return url_for("action_plans.plan_raci", plan_id=plan.id)


@bp.route("/action-plans/<int:plan_id>/raci", methods=["GET", "POST"])
@login_required
def plan_raci(plan_id: int):
    """Open (creating it on first use) the plan's RACI grid: one row per action."""
    from territorial.raci import operations as raci

    plan = _plan(plan_id)
    if request.method == "POST":
        require(EDIT_ACTIONS)
    grid = raci.find_grid(g.territory.id, "action_plan", plan.id)
    if grid is None:
        if request.method != "POST":
            return render_template("action_plans/raci_start.html", plan=plan,
                                   editable=can(EDIT_ACTIONS), form=ConfirmForm())
        grid = raci.get_or_create_grid(g.territory.id, "action_plan", plan.id,
                                       _("Rôles — %(title)s", title=plan.title))
        raci.sync_activities(grid, operations.raci_rows(plan))
    elif request.method == "POST":
        raci.sync_activities(grid, operations.raci_rows(plan))
    return redirect(url_for("raci.grid", grid_id=grid.id))


# Panels: the territory's home and an organisation's page ------------------------------

@home_panels.register
def overdue_panel(territory) -> Panel | None:
    today = date.today()
    condition = (
        (Action.territory_id == territory.id) & (Action.due_date < today)
        & Action.status.not_in(("realisee", "abandonnee"))
    )
    count = db.session.scalar(select(func.count()).select_from(Action).where(condition))
    if not count:
        return None
    actions = db.session.scalars(
        select(Action).where(condition).order_by(Action.due_date, Action.id).limit(5)
    ).all()
    return Panel(
        title=_("Actions en retard (%(n)d)", n=count),
        items=[(_("%(title)s — échéance %(due)s", title=a.title,
                  due=exports.french_date(a.due_date)),
                url_for("action_plans.action", action_id=a.id)) for a in actions],
        more_url=url_for("action_plans.index"),
        order=20,
    )


@home_panels.register
def plans_panel(territory) -> Panel | None:
    plans = db.session.scalars(
        select(ActionPlan).where(ActionPlan.territory_id == territory.id)
        .order_by(ActionPlan.updated_at.desc(), ActionPlan.id.desc()).limit(5)
    ).all()
    if not plans:
        return None
    return Panel(
        title=_("Plans d'action"),
        items=[(plan.title, url_for("action_plans.plan", plan_id=plan.id)) for plan in plans],
        more_url=url_for("action_plans.index"),
        order=60,
    )


@organisation_panels.register
def organisation_actions_panel(organisation) -> Panel | None:
    actions = db.session.scalars(
        select(Action).where(Action.territory_id == organisation.territory_id,
                             Action.owner_organisation_id == organisation.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(10)
    ).all()
    if not actions:
        return None
    return Panel(
        title=_("Actions portées"),
        items=[(f"{a.title} ({a.status_label})",
                url_for("action_plans.action", action_id=a.id)) for a in actions],
        order=40,
    )
