"""The actions of a plan: add, read, change (a form, or its status and progress inline, in
the background), move, reorder, act on several at once. Routes of the ``action_plans``
blueprint (``views``)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy.orm import joinedload, selectinload

from facilitation.action_plans import bulk as bulk_operations
from facilitation.action_plans import operations, queries, rules
from facilitation.action_plans import raci as plan_raci
from facilitation.action_plans.forms import SEARCH_ARG, ActionForm, BulkForm
from facilitation.action_plans.models import HORIZONS, STATUSES, Action, ActionPlan
from facilitation.action_plans.owners import EDIT_ACTIONS
from facilitation.action_plans.views import bp, load_plan, owner_info, raci_grid_url
from territorial.access import can, get_or_404, needs
from territorial.audit.words import entries_in_words
from territorial.common import versions
from territorial.common.errors import (DomainError, flash_error, next_url, refuse, show_errors,
                                       wants_json)
from territorial.indicators import standing
from territorial.indicators.operations import indicators_for
from territorial.common import dates


# Actions ---------------------------------------------------------------------------

def _action(action_id: int) -> Action:
    return get_or_404(
        Action, action_id,
        joinedload(Action.owner_organisation), joinedload(Action.contact_person),
        joinedload(Action.axis), joinedload(Action.plan), selectinload(Action.sources),
    )


def _action_form(plan: ActionPlan, action: Action | None, formdata=True):
    form = ActionForm(obj=action) if formdata else ActionForm(obj=action, formdata=None)
    axes = queries.axes_of(plan)
    form.axis_id.choices = [(0, _("— Sans axe —"))] + [(axis.id, axis.title) for axis in axes]
    current = action.status if action and action.id else "proposee"
    allowed = rules.allowed_statuses(current) if action and action.id else list(STATUSES)
    form.status.choices = [(key, STATUSES[key]) for key in allowed]
    if request.method == "GET" and (action is None or not action.id):
        axis = request.args.get("axis", type=int)
        form.axis_id.data = axis if axis in {a.id for a in axes} else 0
        if request.args.get("horizon") in HORIZONS:
            form.horizon.data = request.args["horizon"]
    if form.axis_id.data is None:
        form.axis_id.data = 0
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




@bp.route("/action-plans/<int:plan_id>/actions/new", methods=["GET", "POST"])
@login_required
@needs(EDIT_ACTIONS)
def new_action(plan_id: int):
    plan = load_plan(plan_id)
    form = _action_form(plan, None)
    if form.validate_on_submit():
        try:
            action = operations.create_action(plan, **_form_data(form))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Action « %(title)s » ajoutée.", title=action.title), "success")
            return redirect(url_for("action_plans.action", action_id=action.id))
    return render_template(
        "action_plans/action_form.html", form=form, plan=plan, action=None,
        cancel_url=url_for("action_plans.plan", plan_id=plan.id),
    ), 422 if form.errors else 200


@bp.route("/action-plans/actions/<int:action_id>")
@login_required
@needs("view")
def action(action_id: int):
    action = _action(action_id)
    plan = action.plan
    indicators = indicators_for("action", [action.id], territory_id=g.territory.id)[action.id]
    owner_label, owner_name, owner_url = owner_info(plan)
    return render_template(
        "action_plans/action.html", action=action, plan=plan, indicators=indicators,
        indicator_years=(standing.period_years(plan.start_year, plan.horizon_years)
                         or standing.date_years(action.start_date, action.due_date)),
        advice=rules.action_smart_advice(action, indicator_count=len(indicators)),
        history=_history(action),
        raci=plan_raci.raci_summaries(g.territory.id, [plan.id], [action.id]).get(action.id, ""),
        raci_grid_url=raci_grid_url(plan), owner_label=owner_label, owner_name=owner_name,
        allowed=rules.allowed_statuses(action.status), statuses=STATUSES,
        editable=can(EDIT_ACTIONS), today=dates.today(),
    )


def _history(action: Action) -> list:
    """The action's journal entries with their changes in words (the names of a porteur
    or a contact, a status's label, a date in French), as the territory's journal says them."""
    entries = queries.action_history(action)
    words = entries_in_words(entries)
    return [(entry, words[entry.id].changes) for entry in entries]


@bp.route("/action-plans/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
@needs(EDIT_ACTIONS)
def edit_action(action_id: int):
    action = _action(action_id)
    plan = action.plan
    form, refused = _action_form(plan, action), {}
    if form.validate_on_submit():
        try:
            note = operations.update_action(
                plan, action, version=versions.parse(form.edit_version.data), **_form_data(form))
        except versions.Conflict as conflict:
            action = _action(action_id)  # fresh: a save that raced this one is shown
            refused = versions.refusal(conflict, form, _action_form(plan, action, formdata=False))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_with_note(_("Action enregistrée."), note), "success")
            return redirect(url_for("action_plans.action", action_id=action.id))
    return render_template(
        "action_plans/action_form.html", form=form, plan=plan, action=action,
        cancel_url=url_for("action_plans.action", action_id=action.id), **refused,
    ), 409 if refused else 422 if form.errors else 200


def _inline_state(action: Action) -> dict:
    """What the inline forms of an action show, for the page to redraw them: its row or its
    page's head (the « En retard » badge too), the plan's figures by status and, asked by the
    action's page (``redraw=history``), its « Historique »."""
    totals = queries.plan_summary(action.plan, None).totals
    state = {"status": action.status, "status_label": action.status_label,
             "tone": action.status_tone, "progress": action.progress,
             "edit_version": action.edit_version,
             "allowed": [[key, str(STATUSES[key])]
                         for key in rules.allowed_statuses(action.status)],
             "overdue": action.is_overdue(dates.today()),
             "totals": [[sum(totals.values()), _("actions")]] + [
                 [totals[key], str(label).lower()] for key, label in STATUSES.items()
                 if totals.get(key)]}
    if request.form.get("redraw") == "history":
        state["history"] = render_template("action_plans/_history.html",
                                           history=_history(action))
    return state


def _with_note(message: str, note: str) -> str:
    """``message``, then what else the change did (the progress of a reopened action)."""
    return f"{message} {note}" if note else message


def _inline_answer(action: Action, message: str, back: str):
    if wants_json():
        return jsonify(ok=True, message=message, **_inline_state(action))
    flash(message, "success")
    return redirect(back)


def _inline_conflict(conflict: versions.Conflict, action_id: int, back: str):
    """A status or progress sent from a page older than a colleague's change: refused, with
    who, when and the action's current state."""
    action = _action(action_id)
    conflict.subject = action.title
    shown = f"{action.status_label}, {action.progress} %"
    return refuse(conflict, back, f"« {action.title} » : {conflict.background_message}",
                  answer=conflict.as_json(shown, **_inline_state(action)))


@bp.route("/action-plans/actions/<int:action_id>/status", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def change_status(action_id: int):
    action = _action(action_id)
    back = next_url(url_for("action_plans.action", action_id=action.id))
    try:
        note = operations.change_status(action, request.form.get("status", ""),
                                        request.form.get("reason"), versions.loaded_version())
    except versions.Conflict as conflict:
        return _inline_conflict(conflict, action_id, back)
    except DomainError as error:
        return refuse(error, back)
    return _inline_answer(action, _with_note(_("Statut de « %(title)s » : %(status)s.",
                                               title=action.title,
                                               status=action.status_label), note), back)


@bp.route("/action-plans/actions/<int:action_id>/progress", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def set_progress(action_id: int):
    action = _action(action_id)
    back = next_url(url_for("action_plans.action", action_id=action.id))
    try:
        operations.set_progress(action, request.form.get("progress"), versions.loaded_version())
    except versions.Conflict as conflict:
        return _inline_conflict(conflict, action_id, back)
    except DomainError as error:
        return refuse(error, back)
    return _inline_answer(action, _("Avancement de « %(title)s » : %(progress)s %%.",
                                    title=action.title, progress=action.progress), back)


@bp.route("/action-plans/actions/<int:action_id>/move", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def move_action(action_id: int):
    action = _action(action_id)
    operations.move_action(action, -1 if request.form.get("direction") == "up" else 1)
    return redirect(next_url(url_for("action_plans.plan", plan_id=action.plan_id))
                    + f"#action-{action.id}")


@bp.route("/action-plans/actions/<int:action_id>/delete", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def delete_action(action_id: int):
    action = _action(action_id)
    plan = action.plan
    operations.delete_action(action)
    flash(_("Action supprimée."), "success")
    return redirect(url_for("action_plans.plan", plan_id=plan.id))


@bp.route("/action-plans/<int:plan_id>/reorder", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def reorder(plan_id: int):
    """The new order of the actions of one group, sent by the drag-and-drop script."""
    plan = load_plan(plan_id)
    raw = request.get_json(silent=True) or {}
    ids = raw.get("order") if isinstance(raw, dict) else None
    if ids is None:
        ids = [part for part in request.form.get("order", "").split(",") if part.strip()]
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        return jsonify(ok=False, error=_("Ordre invalide.")), 400
    operations.reorder(plan, ids)
    if wants_json():
        return jsonify(ok=True, message=_("Nouvel ordre enregistré."))
    flash(_("Nouvel ordre enregistré."), "success")
    return redirect(url_for("action_plans.plan", plan_id=plan.id))


@bp.route("/action-plans/<int:plan_id>/bulk", methods=["POST"])
@login_required
@needs(EDIT_ACTIONS)
def bulk(plan_id: int):
    """Assign a porteur to (or take it from), or change the status of, the checked actions.
    « Chercher » of the porteur's picker (without JavaScript) shows the plan again with the
    names found, the same actions checked."""
    plan = load_plan(plan_id)
    back = next_url(url_for("action_plans.plan", plan_id=plan.id))
    ids = [int(i) for i in request.form.getlist("action_ids") if i.isdigit()]
    form = BulkForm()
    # Without JavaScript, the page comes back with the same actions checked after
    # « Chercher » or a refusal, and none checked once an operation has run.
    kept = bulk_page(back, form.organisation_id.query, ids)
    if form.organisation_id.search_pressed:
        return redirect(kept)
    if not ids:
        flash(_("Cochez au moins une action."), "error")
        return redirect(kept)
    operation = request.form.get("operation")
    try:
        if operation == "owner":
            if not form.validate():
                raise DomainError({name: errors[0] for name, errors in form.errors.items()})
            if form.organisation_id.data is None:
                flash(_("Choisissez la structure porteuse."), "error")
                return redirect(kept)
            _assign_owner(plan, ids, form.organisation_id.data)
        elif operation == "no_owner":
            _assign_owner(plan, ids, None)
        elif operation == "status":
            changed, refused, notes = bulk_operations.change_status(
                plan, ids, request.form.get("status", ""), request.form.get("reason")
            )
            if changed:
                flash(ngettext("Statut changé pour %(num)d action.",
                               "Statut changé pour %(num)d actions.", changed), "success")
            for reopened, note in notes:
                flash(_("« %(title)s » : %(reason)s", title=reopened.title, reason=note), "info")
            for refused_action, message in refused:
                flash(_("« %(title)s » : %(reason)s", title=refused_action.title,
                        reason=message), "error")
        else:
            flash(_("Choisissez l'opération à appliquer."), "error")
            return redirect(kept)
    except DomainError as error:
        flash_error(error)
        return redirect(kept)
    return redirect(bulk_page(back))


def _assign_owner(plan: ActionPlan, ids: list[int], organisation_id: int | None) -> None:
    count, taken_off = bulk_operations.assign_owner(plan, ids, organisation_id)
    flash(ngettext("Structure porteuse changée pour %(num)d action.",
                   "Structure porteuse changée pour %(num)d actions.", count), "success")
    if taken_off:
        flash(ngettext("%(num)d contact retiré : il travaille pour une autre structure ; "
                       "choisissez le contact du nouveau porteur.",
                       "%(num)d contacts retirés : ils travaillent pour une autre structure ; "
                       "choisissez le contact du nouveau porteur.", taken_off), "info")


def bulk_page(page: str, query: str = "", ids=()) -> str:
    """The plan's ``page`` showing the bulk form with the porteurs found for ``query`` and
    ``ids`` checked (at the form), or in its first state."""
    parts = urlsplit(page)
    args = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key not in (SEARCH_ARG, "action_ids")]
    args += ([(SEARCH_ARG, query)] if query else []) + [("action_ids", str(id_)) for id_ in ids]
    shown = "bulk-title" if query or ids else parts.fragment
    return urlunsplit(parts._replace(query=urlencode(args), fragment=shown))
