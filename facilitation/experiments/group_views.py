"""An experiment's themes and working groups, its planning (sessions, iCalendar) and its
operational roles (RACI). Routes of the ``experiments`` blueprint."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from facilitation.experiments import clashes, exports, gantt, operations, queries, roles
from facilitation.experiments.forms import ThemeForm
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import Experiment, Theme
from facilitation.experiments.planning import gt_window_end
from facilitation.sessions.clashes import flash_clashes
from facilitation.sessions.exports import build_ics
from facilitation.sessions.forms import SessionForm
from facilitation.sessions.operations import (
    agenda_from_method,
    create_session,
    local_datetime,
)
from facilitation.working_groups import operations as group_operations
from facilitation.working_groups.forms import GroupForm
from facilitation.working_groups.rules import CompositionRules
from territorial.access import needs
from territorial.common.downloads import send_download
from territorial.common.errors import DomainError, show_errors
from territorial.common.text import slugify

from facilitation.experiments.views import _child, _experiment, _form_page, _render, bp


# Themes and working groups ----------------------------------------------------------------

def _render_groups(experiment: Experiment, theme_form=None, status: int = 200):
    method = get_method(experiment.method_key)
    groups = group_operations.groups_of_experiment(experiment.id, include_archived=True)
    rules = CompositionRules.from_method(method)
    themes = queries.themes(experiment.id)
    taken = {t.title.lower() for t in themes if t.archived_at is None}
    suggestions = [s["label"] for s in method.get("suggested_themes", [])
                   if s["label"].lower() not in taken]
    return _render(
        "experiments/groups.html", experiment, status, groups=groups, themes=themes,
        warnings=group_operations.warnings_for_groups(groups, rules), rules=rules,
        theme_form=theme_form or ThemeForm(), suggestions=suggestions,
    )


@bp.route("/<int:experiment_id>/groups")
@login_required
@needs("view")
def groups(experiment_id: int):
    return _render_groups(_experiment(experiment_id))


@bp.route("/<int:experiment_id>/themes", methods=["POST"])
@login_required
@needs("edit")
def add_theme(experiment_id: int):
    experiment = _experiment(experiment_id)
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = operations.add_theme(experiment, get_method(experiment.method_key),
                                         form.title.data, with_group=form.with_group.data)
        except DomainError as error:
            show_errors(form, error, default="title")
        else:
            flash(_("Thématique « %(title)s » ajoutée.", title=theme.title)
                  + (" " + _("Son groupe de travail et ses GT1, GT2, GT3 sont au planning.")
                     if form.with_group.data else ""), "success")
            return redirect(url_for("experiments.groups", experiment_id=experiment.id))
    return _render_groups(experiment, theme_form=form, status=422)


@bp.route("/<int:experiment_id>/themes/<int:theme_id>/delete", methods=["GET", "POST"])
@login_required
@needs("edit")
def delete_theme(experiment_id: int, theme_id: int):
    """Nothing hangs on the theme: deleted. Otherwise a confirmation page, then archived."""
    experiment = _experiment(experiment_id)
    theme = _child(Theme, theme_id, experiment)
    footprint = queries.theme_footprint(theme)
    needs_confirmation = any(footprint.values())
    if request.method == "POST" and (not needs_confirmation or request.form.get("confirm")):
        outcome = operations.remove_theme(theme)
        if outcome == "deleted":
            flash(_("Thématique « %(title)s » supprimée.", title=theme.title), "success")
        else:
            flash(_("Thématique « %(title)s » archivée avec son groupe de travail : ses séances "
                    "et ses entretiens sont conservés.", title=theme.title), "success")
        return redirect(url_for("experiments.groups", experiment_id=experiment.id))
    return _render("experiments/theme_delete.html", experiment, theme=theme,
                   footprint=footprint, needs_confirmation=needs_confirmation)


@bp.route("/<int:experiment_id>/themes/<int:theme_id>/restore", methods=["POST"])
@login_required
@needs("edit")
def restore_theme(experiment_id: int, theme_id: int):
    experiment = _experiment(experiment_id)
    theme = _child(Theme, theme_id, experiment)
    operations.set_theme_archived(theme, False)
    flash(_("Thématique « %(title)s » restaurée.", title=theme.title), "success")
    return redirect(url_for("experiments.groups", experiment_id=experiment.id))


@bp.route("/<int:experiment_id>/groups/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_group(experiment_id: int):
    experiment = _experiment(experiment_id)
    form = GroupForm()
    form.theme_id.choices = queries.theme_choices(experiment.id, _("— Sans thématique —"))
    form.facilitator_person_id.choices = queries.person_choices(g.territory.id,
                                                                _("— À désigner —"))
    if request.method == "GET" and request.args.get("theme", type=int):
        form.theme_id.data = request.args.get("theme", type=int)
    if form.validate_on_submit():
        theme = _child(Theme, form.theme_id.data, experiment) if form.theme_id.data else None
        try:
            group = operations.create_group(
                experiment, get_method(experiment.method_key), title=form.title.data,
                theme=theme, facilitator_person_id=form.facilitator_person_id.data or None,
                description=form.description.data or "")
        except DomainError as error:
            show_errors(form, error, default="facilitator_person_id")
        else:
            flash(_("Groupe « %(title)s » créé, avec ses GT1, GT2 et GT3 au planning : "
                    "ajoutez ses membres.", title=group.title), "success")
            return redirect(url_for("working_groups.detail", working_group_id=group.id))
    return _form_page(experiment, form, _("Nouveau groupe de travail"), _("Créer le groupe"),
                      url_for("experiments.groups", experiment_id=experiment.id),
                      422 if form.errors else 200)


# Planning ---------------------------------------------------------------------------------

@bp.route("/<int:experiment_id>/planning")
@login_required
@needs("view")
def planning(experiment_id: int):
    experiment = _experiment(experiment_id)
    parts = queries.parts_of(experiment)
    sessions = queries.planned_sessions(experiment.id)
    method = get_method(experiment.method_key)
    figure = gantt.build_gantt_figure(experiment, parts, sessions)
    period = (experiment.start_date, experiment.end_date)
    window_end = gt_window_end(method, experiment.start_date)
    outside = clashes.outside(sessions, *period)
    late_gts = [s for s in sessions if s.kind in ("gt1", "gt2", "gt3")
                and s.starts_at.date() > window_end]
    return _render(
        "experiments/planning.html", experiment, parts=parts, rows=gantt.session_rows(sessions),
        figure=figure, outside=outside, clashes=clashes.planning_clashes(experiment, sessions),
        late_gts=late_gts, window_end=window_end,
    )


@bp.route("/<int:experiment_id>/planning.ics")
@login_required
@needs("view")
def planning_ics(experiment_id: int):
    experiment = _experiment(experiment_id)
    sessions = queries.planned_sessions(experiment.id)
    agendas = exports.agendas_of(sessions)
    data = build_ics(sessions, experiment.title,
                     lambda s: url_for("sessions.detail", session_id=s.id, _external=True),
                     agendas)
    return send_download(data, f"planning-{slugify(experiment.title, 60)}.ics")


@bp.route("/<int:experiment_id>/sessions/new", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def new_session(experiment_id: int):
    experiment = _experiment(experiment_id)
    form = SessionForm()
    form.offer_groups(experiment.id)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "copil")
        form.title.data = _("Copil") if form.kind.data == "copil" else ""
        form.working_group_id.data = request.args.get("group", "")
    if form.validate_on_submit():
        try:
            session = create_session(
                g.territory.id, kind=form.kind.data, title=form.title.data,
                starts_at=local_datetime(form.day.data, form.start_time.data),
                ends_at=local_datetime(form.day.data, form.end_time.data),
                place=form.place.data or "",
                participation_level=form.participation_level.data or None,
                experiment_id=experiment.id, working_group_id=form.group_id,
                period=(experiment.start_date, experiment.end_date),
                agenda=agenda_from_method(get_method(experiment.method_key), form.kind.data),
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Séance « %(title)s » ajoutée au planning.", title=session.title), "success")
            flash_clashes(session)
            return redirect(url_for("sessions.detail", session_id=session.id))
    return _form_page(experiment, form, _("Ajouter une séance au planning"), _("Ajouter"),
                      url_for("experiments.planning", experiment_id=experiment.id),
                      422 if form.errors else 200)


# Operational roles (RACI) -------------------------------------------------------------------

@bp.route("/<int:experiment_id>/roles", endpoint="roles")
@login_required
@needs("view")
def roles_tab(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _render("experiments/roles.html", experiment, grid=roles.find_grid(experiment),
                   pilots=queries.pilots(experiment.id))
