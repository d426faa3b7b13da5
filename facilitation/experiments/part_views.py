"""An experiment's parts and their deliverables, and its preparatory interviews. Routes of
the ``experiments`` blueprint."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from facilitation.experiments import clashes, operations, queries
from facilitation.experiments.forms import (
    DeliverableForm,
    DeliverableStatusForm,
    InterviewForm,
    PartForm,
)
from facilitation.experiments.models import (
    DELIVERABLE_STATUSES, Deliverable, Experiment, Interview, Part,
)
from territorial.access import needs
from territorial.common.errors import DomainError, show_errors

from facilitation.experiments.views import (
    _child,
    _deliverable,
    _experiment,
    _form_page,
    _render,
    bp,
)


# Parts and deliverables -------------------------------------------------------------------

@bp.route("/<int:experiment_id>/parts")
@login_required
@needs("view")
def parts(experiment_id: int):
    experiment = _experiment(experiment_id)
    parts = queries.parts_with_deliverables(experiment.id)
    return _render("experiments/parts.html", experiment, parts=parts,
                   progress={p.id: queries.part_progress(p) for p in parts},
                   statuses=[(key, str(label)) for key, label in DELIVERABLE_STATUSES.items()],
                   labels=_deliverable_labels())


def _deliverable_labels() -> dict[str, Markup]:
    """The accessible names each livrable's status form repeats, translated once per page
    (``parts.html`` fills in the title: ``labels.status % {"title": …}``)."""
    return {"status": Markup(_("État de « %(title)s »")),
            "change": Markup(_("l'état de « %(title)s »"))}


@bp.route("/<int:experiment_id>/parts/<int:part_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_part(experiment_id: int, part_id: int):
    experiment = _experiment(experiment_id)
    part = _child(Part, part_id, experiment)
    form = PartForm(obj=part)
    if form.validate_on_submit():
        try:
            operations.update_part(part, experiment, form.data)
        except DomainError as error:
            show_errors(form, error, default="end_date")
        else:
            flash(_("Partie « %(title)s » enregistrée.", title=part.title), "success")
            return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                                    _anchor=f"part-{part.id}"))
    return _form_page(experiment, form, _("Modifier la partie « %(title)s »", title=part.title),
                      _("Enregistrer"), url_for("experiments.parts", experiment_id=experiment.id),
                      422 if form.errors else 200)


def _deliverable_form(experiment: Experiment, part: Part, deliverable: Deliverable):
    form = DeliverableForm(obj=deliverable)
    if request.method == "GET" and deliverable.id is None:
        form.due_date.data = part.end_date
    if form.validate_on_submit():
        try:
            operations.save_deliverable(deliverable, part, form.data)
        except DomainError as error:
            show_errors(form, error, default="owner_organisation_id")
        else:
            flash(_("Livrable enregistré."), "success")
            if (warning := clashes.deliverable_warning(experiment, deliverable.due_date)):
                flash(_("« %(title)s » : %(warning)s", title=deliverable.title,
                        warning=warning), "warning")
            return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                                    _anchor=f"part-{part.id}"))
    if (warning := clashes.deliverable_warning(experiment, form.due_date.data)):
        form.due_date.description = warning  # said next to the field
    title = _("Nouveau livrable – %(part)s", part=part.title) if deliverable.id is None else _(
        "Modifier le livrable")
    return _form_page(experiment, form, title, _("Enregistrer"),
                      url_for("experiments.parts", experiment_id=experiment.id),
                      422 if form.errors else 200)


@bp.route("/<int:experiment_id>/parts/<int:part_id>/deliverables/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_deliverable(experiment_id: int, part_id: int):
    experiment = _experiment(experiment_id)
    part = _child(Part, part_id, experiment)
    return _deliverable_form(experiment, part, Deliverable(status="prevu"))


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/edit",
          methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_deliverable(experiment_id: int, deliverable_id: int):
    experiment = _experiment(experiment_id)
    deliverable = _deliverable(deliverable_id, experiment)
    return _deliverable_form(experiment, deliverable.part, deliverable)


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/status", methods=["POST"])
@login_required
@needs("facilitate")
def deliverable_status(experiment_id: int, deliverable_id: int):
    experiment = _experiment(experiment_id)
    deliverable = _deliverable(deliverable_id, experiment)
    form = DeliverableStatusForm()
    if form.validate():
        operations.set_deliverable_status(deliverable, form.status.data)
        flash(_("« %(title)s » : %(status)s.", title=deliverable.title,
                status=deliverable.status_label.lower()), "success")
    else:
        flash(_("État inconnu : choisissez prévu, en cours ou livré."), "error")
    return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                            _anchor=f"deliverable-{deliverable.id}"))


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_deliverable(experiment_id: int, deliverable_id: int):
    experiment = _experiment(experiment_id)
    operations.delete_deliverable(_deliverable(deliverable_id, experiment))
    flash(_("Livrable supprimé."), "success")
    return redirect(url_for("experiments.parts", experiment_id=experiment.id))


# Interviews -------------------------------------------------------------------------------

@bp.route("/<int:experiment_id>/interviews")
@login_required
@needs("view")
def interviews(experiment_id: int):
    experiment = _experiment(experiment_id)
    items = queries.interviews_of(experiment)
    themes = queries.themes(experiment.id)
    return _render("experiments/interviews.html", experiment, interviews=items, themes=themes)


def _interview_form(experiment: Experiment, interview: Interview):
    form = InterviewForm(obj=interview)
    form.theme_id.choices = queries.theme_choices(experiment.id, _("— Toutes thématiques —"))
    if form.validate_on_submit():
        try:
            operations.save_interview(interview, experiment, form.data)
        except DomainError as error:
            show_errors(form, error, default="person_id")
        else:
            flash(_("Entretien enregistré."), "success")
            return redirect(url_for("experiments.interviews", experiment_id=experiment.id))
    title = _("Nouvel entretien préparatoire") if interview.id is None else _(
        "Modifier l'entretien")
    return _form_page(
        experiment, form, title, _("Enregistrer"),
        url_for("experiments.interviews", experiment_id=experiment.id),
        422 if form.errors else 200,
        intro=_("Les enjeux exprimés alimentent l'étape « situation territoriale » du GT1 de "
                "la thématique."))


@bp.route("/<int:experiment_id>/interviews/new", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def new_interview(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _interview_form(experiment, Interview())


@bp.route("/<int:experiment_id>/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def edit_interview(experiment_id: int, interview_id: int):
    experiment = _experiment(experiment_id)
    return _interview_form(experiment, _child(Interview, interview_id, experiment))


@bp.route("/<int:experiment_id>/interviews/<int:interview_id>/delete", methods=["POST"])
@login_required
@needs("facilitate")
def delete_interview(experiment_id: int, interview_id: int):
    experiment = _experiment(experiment_id)
    operations.delete_interview(_child(Interview, interview_id, experiment))
    flash(_("Entretien supprimé."), "success")
    return redirect(url_for("experiments.interviews", experiment_id=experiment.id))
