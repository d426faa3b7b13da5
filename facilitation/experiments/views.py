"""The experiment workspace: Cadre · Parties et livrables · Entretiens · Groupes de travail ·
Planning · Rôles (RACI) · Plan d'action · Documents."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload

import facilitation.experiments.panels  # noqa: F401  (home and organisation panels)
from facilitation.experiments import documents as documents_
from facilitation.experiments import operations, queries, roles
from facilitation.experiments.forms import (
    LONG_TEXT,
    ExperimentForm,
    NewExperimentForm,
    SectionForm,
    StakeholderForm,
)
from facilitation.experiments.methods import DEFAULT_METHOD, get_method, method_choices
from facilitation.experiments.models import CadreSection, Deliverable, Experiment, Stakeholder
from territorial.access import get_or_404, needs
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.dates import format_datetime
from territorial.common.errors import DomainError, show_errors
from territorial.documents.web import send_document
from territorial.common.pagination import paginate
from territorial.common.text import slugify

bp = territory_blueprint("experiments", __name__, url_prefix="/experiments")

TABS = [
    ("experiments.workspace", _l("Cadre")),
    ("experiments.parts", _l("Parties et livrables")),
    ("experiments.interviews", _l("Entretiens")),
    ("experiments.groups", _l("Groupes de travail")),
    ("experiments.planning", _l("Planning")),
    ("experiments.roles", _l("Rôles (RACI)")),
    ("action_plans.experiment_plan", _l("Plan d'action")),
    ("experiments.documents", _l("Documents")),
]


def _experiment(experiment_id: int) -> Experiment:
    return get_or_404(Experiment, experiment_id)


def _child(model, object_id: int, experiment: Experiment):
    """A child object reached by its id, which must belong to the experiment in the URL."""
    obj = get_or_404(model, object_id)
    if obj.experiment_id != experiment.id:
        abort(404)
    return obj


def _deliverable(deliverable_id: int, experiment: Experiment) -> Deliverable:
    """A livrable of the experiment, with its part (one query), or 404."""
    deliverable = get_or_404(Deliverable, deliverable_id, joinedload(Deliverable.part))
    if deliverable.part.experiment_id != experiment.id:
        abort(404)
    return deliverable


def _render(template: str, experiment: Experiment, status: int = 200, **context):
    return render_template(template, experiment=experiment, tabs=TABS, **context), status


def _form_page(experiment: Experiment, form, title: str, submit: str, cancel_url: str,
               status: int = 200, intro: str | None = None):
    return _render("experiments/form_page.html", experiment, status, form=form,
                   page_title=title, submit_label=submit, cancel_url=cancel_url, intro=intro)


# List and creation ---------------------------------------------------------------------------

@bp.route("")
@login_required
@needs("view")
def index():
    page = paginate(queries.experiments_page_query(g.territory.id))
    return render_template("experiments/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new():
    form = NewExperimentForm()
    form.method.choices = method_choices()
    if not form.method.data:
        form.method.data = DEFAULT_METHOD
    method = get_method(form.method.data)
    form.themes.choices = [(t["label"], t["label"]) for t in method.get("suggested_themes", [])]
    if request.method == "GET" and not form.perimeter.data:
        form.perimeter.data = g.territory.name
    if form.validate_on_submit():
        themes = list(form.themes.data or []) + (form.other_themes.data or "").splitlines()
        experiment = operations.create_experiment(
            g.territory.id, method, title=form.title.data, perimeter=form.perimeter.data,
            start_date=form.start_date.data, themes=_unique(themes),
        )
        flash(_("Expérimentation « %(title)s » créée à partir de la méthode : complétez le cadre "
                "méthodologique.", title=experiment.title), "success")
        return redirect(url_for("experiments.workspace", experiment_id=experiment.id))
    return render_template("experiments/new.html", form=form, method=method), (
        422 if form.errors else 200)


def _unique(titles) -> list[str]:
    seen, result = set(), []
    for title in titles:
        title = title.strip()
        if title and title.lower() not in seen:
            seen.add(title.lower())
            result.append(title)
    return result


@bp.route("/<int:experiment_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit(experiment_id: int):
    experiment = _experiment(experiment_id)
    form = ExperimentForm(obj=experiment)
    left = []
    if form.validate_on_submit():
        left = operations.sessions_left_outside(experiment, form.start_date.data,
                                                form.end_date.data, form.shift_planning.data)
        choice = form.outside_sessions.data
        try:
            if left and choice not in ("move", "keep"):
                raise DomainError({"outside_sessions": _outside_question(left)})
            operations.update_experiment(
                experiment, title=form.title.data, perimeter=form.perimeter.data,
                start_date=form.start_date.data, end_date=form.end_date.data,
                status=form.status.data, shift_planning=form.shift_planning.data,
                move_outside=bool(left) and choice == "move")
        except DomainError as error:
            show_errors(form, error, default="end_date")
        else:
            flash(_("Expérimentation enregistrée."), "success")
            if left and choice == "keep":
                flash(ngettext("%(num)d séance reste hors de la période : elle est signalée "
                               "sur le planning.", "%(num)d séances restent hors de la période : "
                               "elles sont signalées sur le planning.", len(left)), "warning")
            return redirect(url_for("experiments.workspace", experiment_id=experiment.id))
    if not form.outside_sessions.errors and not (left and form.outside_sessions.data):
        del form.outside_sessions  # nothing to ask
    return _form_page(experiment, form, _("Modifier l'expérimentation"), _("Enregistrer"),
                      url_for("experiments.workspace", experiment_id=experiment.id),
                      422 if form.errors else 200)


def _outside_question(sessions) -> str:
    """« 2 séances tomberaient hors de la nouvelle période : … Choisissez … »."""
    listed = " ; ".join(f"« {s.title} » ({format_datetime(s.starts_at, 'EEEE d MMMM y')})"
                        for s in sessions)
    return ngettext("%(num)d séance tomberait hors de la nouvelle période : %(list)s. "
                    "Choisissez ce qu'elle devient.",
                    "%(num)d séances tomberaient hors de la nouvelle période : %(list)s. "
                    "Choisissez ce qu'elles deviennent.", len(sessions), list=listed)


# Cadre ------------------------------------------------------------------------------------

def _render_cadre(experiment: Experiment, status: int = 200, errors=None, kept=None,
                  conflicts=None):
    """The Cadre tab. ``kept``: section id → (text typed, version it was typed on);
    ``conflicts``: section id → the conflict that refused it."""
    sections = queries.cadre_sections(experiment)
    method = get_method(experiment.method_key)
    return _render(
        "experiments/cadre.html", experiment, status, sections=sections,
        completion=queries.cadre_completion(sections),
        stakeholders=queries.stakeholders(experiment.id), method=method,
        errors=errors or {}, kept=kept or {}, conflicts=conflicts or {},
        max_length=LONG_TEXT, labels=_section_labels(),
    )


def _section_labels() -> dict[str, Markup]:
    """The messages each section of the cadre repeats, translated once per page
    (``cadre.html`` fills in the title: ``labels.text % {"title": …}``)."""
    return {"text": Markup(_("Texte de la section « %(title)s »")),
            "edit": Markup(_("Modifier « %(title)s »")),
            "write": Markup(_("Rédiger « %(title)s »"))}


@bp.route("/<int:experiment_id>")
@login_required
@needs("view")
def workspace(experiment_id: int):
    return _render_cadre(_experiment(experiment_id))


@bp.route("/<int:experiment_id>/cadre/<int:cadre_section_id>", methods=["POST"])
@login_required
@needs("edit")
def update_section(experiment_id: int, cadre_section_id: int):
    experiment = _experiment(experiment_id)
    section = _child(CadreSection, cadre_section_id, experiment)
    form = SectionForm()
    if not form.validate():
        # The page's error summary links to this section's own text box.
        g.form_error_summary = [(f"content-{section.id}", _(
            "Texte de la section « %(title)s »", title=section.title), form.content.errors[0])]
        return _render_cadre(experiment, 422, errors={section.id: form.content.errors},
                             kept={section.id: (form.content.data or "", form.edit_version.data)})
    try:
        operations.update_section(section, form.content.data or "",
                                  versions.parse(form.edit_version.data))
    except versions.Conflict as conflict:
        return _render_cadre(experiment, 409, kept={section.id: (form.content.data or "",
                                                                  conflict.version)},
                             conflicts={section.id: conflict})
    flash(_("Section « %(title)s » enregistrée.", title=section.title), "success")
    return redirect(url_for("experiments.workspace", experiment_id=experiment.id,
                            _anchor=f"section-{section.id}"))


# Stakeholders -----------------------------------------------------------------------------

def _stakeholder_form(experiment: Experiment, stakeholder: Stakeholder):
    form = StakeholderForm(obj=stakeholder)
    if form.validate_on_submit():
        try:
            operations.save_stakeholder(stakeholder, experiment, form.data)
        except DomainError as error:
            show_errors(form, error, default="organisation_id")
        else:
            flash(_("Partie prenante enregistrée."), "success")
            return redirect(url_for("experiments.workspace", experiment_id=experiment.id,
                                    _anchor="parties-prenantes"))
    title = _("Ajouter une partie prenante") if stakeholder.id is None else _(
        "Modifier la partie prenante")
    return _form_page(experiment, form, title, _("Enregistrer"),
                      url_for("experiments.workspace", experiment_id=experiment.id),
                      422 if form.errors else 200)


@bp.route("/<int:experiment_id>/stakeholders/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_stakeholder(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _stakeholder_form(experiment, Stakeholder(role=request.args.get("role", "pilote")))


@bp.route("/<int:experiment_id>/stakeholders/<int:stakeholder_id>/edit",
          methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_stakeholder(experiment_id: int, stakeholder_id: int):
    experiment = _experiment(experiment_id)
    return _stakeholder_form(experiment, _child(Stakeholder, stakeholder_id, experiment))


@bp.route("/<int:experiment_id>/stakeholders/<int:stakeholder_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_stakeholder(experiment_id: int, stakeholder_id: int):
    experiment = _experiment(experiment_id)
    operations.delete_stakeholder(_child(Stakeholder, stakeholder_id, experiment))
    flash(_("Partie prenante retirée."), "success")
    return redirect(url_for("experiments.workspace", experiment_id=experiment.id,
                            _anchor="parties-prenantes"))


# Documents --------------------------------------------------------------------------------

@bp.route("/<int:experiment_id>/documents")
@login_required
@needs("view")
def documents(experiment_id: int):
    experiment = _experiment(experiment_id)
    from facilitation.action_plans.consolidation import experiment_parts, experiment_plans

    _themes, groups = experiment_parts(experiment)
    group_plans, _own = experiment_plans(experiment, groups)
    titles = {group.id: group.title for group in groups}
    plans = [(titles.get(plan.owner_id, plan.title), plan) for plan in group_plans]
    return _render("experiments/documents.html", experiment, group_plans=plans)


@bp.route("/<int:experiment_id>/cadre.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def cadre_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    grid = roles.find_grid(experiment)
    return send_document(documents_.describe_cadre(experiment, g.territory, grid=grid), fmt)


@bp.route("/<int:experiment_id>/planning.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def planning_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    return send_document(documents_.describe_planning(experiment, g.territory), fmt)


# The blueprint's routes written in the other view modules of the capability.
from facilitation.experiments import group_views, part_views  # noqa: E402,F401
