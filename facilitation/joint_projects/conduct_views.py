"""The conduct of a joint project: diagnostic and finalités, objectives, means, budget and
evaluations.

Routes are added to the « partnerships » blueprint of ``territorial.charters.views``.
"""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from facilitation.joint_projects import lifecycle, operations
from facilitation.joint_projects import rules as conduct_rules
from facilitation.joint_projects.forms import (
    BudgetLineForm,
    ConductForm,
    EvaluationForm,
    MeansForm,
    ObjectiveForm,
)
from facilitation.joint_projects.models import (
    BudgetLine,
    JointProject,
    ProjectMeans,
    ProjectObjective,
)
from facilitation.joint_projects.views import OWNER_TYPE, _charter, bp, load_project
from territorial.access import check, get_or_404, may, needs
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm
from territorial.indicators.operations import indicators_for


def _structure_choices(charter: Charter, empty: str, structures: dict | None = None) -> list:
    """``structures``: the charter's ``structures`` when the page has them already."""
    if structures is None:
        structures = charter_queries.structures(charter)
    return [(None, empty)] + list(structures.items())


def _worded(forms: dict, words: conduct_rules.ConductWords) -> dict:
    """The forms' hints and labels in the charter's words and with its examples."""
    finalites = words.examples.get("finalite")
    if finalites:
        forms["conduct_form"].finalites.description = _(
            "Le cap que l'on se donne, le pourquoi. Par exemple : « %(example)s ».",
            example=finalites[0])
    if words.smart:
        meanings = [words.smart[letter] for letter in sorted(words.smart, key="SMART".find)]
        forms["objective_form"].text.description = _(
            "Le résultat à atteindre : %(words)s (SMART).", words=", ".join(meanings))
    means = forms["means_form"]
    if words.means_instance:
        means.informed_on.label.text = _("Instance « %(instance)s » informée le",
                                         instance=words.means_instance)
    else:
        del means.informed_on
    return forms


def _forms(project: JointProject, charter: Charter, **given):
    conduct = given.get("conduct") or ConductForm(obj=None if request.method == "POST" else project)
    if request.method == "GET" or "conduct" not in given:
        conduct.finalites.data = conduct.finalites.data if given.get("conduct") else \
            "\n".join(project.finalites or [])
        if not given.get("conduct"):
            for name in ("diagnostic", "initial_situation", "desired_situation", "modalities"):
                getattr(conduct, name).data = getattr(project, name)
    objective = given.get("objective") or ObjectiveForm(formdata=None)
    objective.finalite.choices = [("", _("— Aucune en particulier —"))] + [
        (f, f) for f in project.finalites or []]
    structures = charter_queries.structures(charter)
    objective.owner_organisation_id.choices = _structure_choices(
        charter, _("— À préciser —"), structures)
    means = given.get("means") or MeansForm(formdata=None)
    means.organisation_id.choices = _structure_choices(
        charter, _("Extérieur au partenariat"), structures)
    budget = given.get("budget") or BudgetLineForm(formdata=None)
    budget.organisation_id.choices = _structure_choices(charter, _("— Aucune —"), structures)
    evaluation = given.get("evaluation") or EvaluationForm(formdata=None)
    return _worded({"conduct_form": conduct, "objective_form": objective, "means_form": means,
                    "budget_form": budget, "evaluation_form": evaluation},
                   conduct_rules.conduct_words(charter.governing))


def _mission(project: JointProject, content) -> str | None:
    """Whose fiche de mission an appointment step has formed (« Kévin Monnier »), if any."""
    for transition in reversed(lifecycle.transitions(project)):
        step = rules.step_def(content, transition.step_key) or {}
        if step.get("appoints", {}).get("document") and transition.appointee is not None:
            return transition.appointee.full_name
    return None


def _render_conduct(project: JointProject, status: int = 200, **given):
    charter = _charter(project)
    content = charter.governing
    words = conduct_rules.conduct_words(content)
    objectives = operations.objectives(project)
    means = operations.means_of(project)
    lines = operations.budget_lines(project)
    indicators = indicators_for(OWNER_TYPE, [project.id], territory_id=g.territory.id)[project.id]
    evaluations = operations.evaluations(project)
    planned, actual = conduct_rules.balance(lines, "planned"), conduct_rules.balance(lines, "actual")
    advice = {o.id: conduct_rules.objective_advice(o, bool(indicators), words.smart)
              for o in objectives}
    means_warnings = conduct_rules.means_warnings(means, words.means_instance)
    forms = _forms(project, charter, **given)
    return render_template(
        "joint_projects/conduct.html", project=project, charter=charter, content=content,
        objectives=objectives, advice=advice, words=words,
        means=means, means_warnings=means_warnings, lines=lines,
        planned=planned, actual=actual,
        planned_message=conduct_rules.balance_message(planned, "planned", words.funding_instance),
        actual_message=conduct_rules.balance_message(actual, "actual", words.funding_instance),
        indicators=indicators, evaluations=evaluations,
        checklist=conduct_rules.conduct_checklist(
            project, words=words, objectives=len(objectives),
            not_smart=sum(1 for items in advice.values() if items), indicators=len(indicators),
            budget_lines=len(lines), unbalanced=planned.result < 0, means=len(means),
            means_uninformed=len(means_warnings), evaluations=len(evaluations),
            mission=_mission(project, content)),
        editable=may("conduct", project) and not project.is_ended, today_year=date.today().year,
        confirm_form=ConfirmForm(), **forms,
    ), status


@bp.route("/projects/<int:joint_project_id>/conduct", methods=["GET", "POST"])
@login_required
@needs("view", post="conduct")
def conduct(joint_project_id: int):
    project = load_project(joint_project_id)
    if request.method == "GET":
        return _render_conduct(project)
    check(project, "conduct")
    form = ConductForm()
    if form.validate_on_submit():
        try:
            operations.update_conduct(
                project, diagnostic=form.diagnostic.data, initial_situation=form.initial_situation.data,
                desired_situation=form.desired_situation.data, finalites=form.finalites.data or "",
                modalities=form.modalities.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Diagnostic et finalités enregistrés."), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#diagnostic")
    return _render_conduct(project, 422, conduct=form)


@bp.route("/projects/<int:joint_project_id>/objectives", methods=["POST"])
@login_required
@needs("conduct")
def add_objective(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    form = ObjectiveForm()
    form.finalite.choices = [("", "")] + [(f, f) for f in project.finalites or []]
    form.owner_organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            objective = operations.add_objective(
                project, text=form.text.data, finalite=form.finalite.data, measure=form.measure.data,
                due_on=form.due_on.data, owner_organisation_id=form.owner_organisation_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            advice = conduct_rules.objective_advice(
                objective, False, conduct_rules.conduct_words(_charter(project).governing).smart)
            flash(_("Objectif ajouté.") if not advice else
                  _("Objectif ajouté ; il n'est pas encore tout à fait SMART : voyez les conseils."),
                  "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#objectifs")
    return _render_conduct(project, 422, objective=form)


def _objective(objective_id: int) -> tuple[ProjectObjective, JointProject]:
    objective = get_or_404(ProjectObjective, objective_id)
    return objective, load_project(objective.project_id)


@bp.route("/project-objectives/<int:project_objective_id>/edit", methods=["GET", "POST"])
@login_required
@needs("conduct")
def edit_objective(project_objective_id: int):
    objective, project = _objective(project_objective_id)
    check(project, "conduct")
    form = ObjectiveForm(obj=objective)
    form.finalite.choices = [("", _("— Aucune en particulier —"))] + [
        (f, f) for f in dict.fromkeys([*(project.finalites or []), objective.finalite]) if f]
    form.owner_organisation_id.choices = _structure_choices(_charter(project), _("— À préciser —"))
    if form.validate_on_submit():
        try:
            operations.update_objective(
                objective, project, text=form.text.data, finalite=form.finalite.data,
                measure=form.measure.data, due_on=form.due_on.data,
                owner_organisation_id=form.owner_organisation_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Objectif modifié."), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#objectifs")
    indicators = indicators_for(OWNER_TYPE, [project.id], territory_id=g.territory.id)[project.id]
    words = conduct_rules.conduct_words(_charter(project).governing)
    return render_template("joint_projects/objective_form.html", project=project, form=form,
                           advice=conduct_rules.objective_advice(objective, bool(indicators),
                                                                 words.smart)), \
        422 if form.errors else 200


@bp.route("/project-objectives/<int:project_objective_id>/delete", methods=["POST"])
@login_required
@needs("conduct")
def delete_objective(project_objective_id: int):
    objective, project = _objective(project_objective_id)
    check(project, "conduct")
    operations.delete_objective(objective)
    flash(_("Objectif supprimé."), "success")
    return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#objectifs")


@bp.route("/projects/<int:joint_project_id>/means", methods=["POST"])
@login_required
@needs("conduct")
def add_means(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    form = MeansForm()
    form.organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            operations.add_means(project, kind=form.kind.data, description=form.description.data,
                                 organisation_id=form.organisation_id.data,
                                 informed_on=form.informed_on.data
                                 if conduct_rules.conduct_words(_charter(project).governing)
                                 .means_instance else None)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Moyen ajouté."), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#moyens")
    return _render_conduct(project, 422, means=form)


def _means(means_id: int) -> tuple[ProjectMeans, JointProject]:
    means = get_or_404(ProjectMeans, means_id)
    return means, load_project(means.project_id)


@bp.route("/project-means/<int:project_means_id>/informed", methods=["POST"])
@login_required
@needs("conduct")
def means_informed(project_means_id: int):
    means, project = _means(project_means_id)
    check(project, "conduct")
    operations.mark_informed(means, date.today())
    words = conduct_rules.conduct_words(_charter(project).governing)
    flash(_("Information de l'instance « %(instance)s » enregistrée.",
            instance=words.means_instance or ""), "success")
    return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#moyens")


@bp.route("/project-means/<int:project_means_id>/delete", methods=["POST"])
@login_required
@needs("conduct")
def delete_means(project_means_id: int):
    means, project = _means(project_means_id)
    check(project, "conduct")
    operations.delete_means(means)
    flash(_("Moyen retiré."), "success")
    return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#moyens")


@bp.route("/projects/<int:joint_project_id>/budget", methods=["POST"])
@login_required
@needs("conduct")
def add_budget_line(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    form = BudgetLineForm()
    form.organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            operations.save_budget_line(
                project, category=form.category.data, label=form.label.data,
                planned=form.planned.data, actual=form.actual.data,
                organisation_id=form.organisation_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Ligne de budget ajoutée."), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#budget")
    return _render_conduct(project, 422, budget=form)


def _line(line_id: int) -> tuple[BudgetLine, JointProject]:
    line = get_or_404(BudgetLine, line_id)
    return line, load_project(line.project_id)


@bp.route("/project-budget-lines/<int:project_budget_line_id>/edit", methods=["GET", "POST"])
@login_required
@needs("conduct")
def edit_budget_line(project_budget_line_id: int):
    line, project = _line(project_budget_line_id)
    check(project, "conduct")
    form = BudgetLineForm(obj=line)
    form.organisation_id.choices = _structure_choices(_charter(project), _("— Aucune —"))
    if form.validate_on_submit():
        try:
            operations.save_budget_line(
                project, line, category=form.category.data, label=form.label.data,
                planned=form.planned.data, actual=form.actual.data,
                organisation_id=form.organisation_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Ligne de budget modifiée."), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#budget")
    return render_template("joint_projects/budget_line_form.html", project=project, form=form), \
        422 if form.errors else 200


@bp.route("/project-budget-lines/<int:project_budget_line_id>/delete", methods=["POST"])
@login_required
@needs("conduct")
def delete_budget_line(project_budget_line_id: int):
    line, project = _line(project_budget_line_id)
    check(project, "conduct")
    operations.delete_budget_line(line)
    flash(_("Ligne de budget supprimée."), "success")
    return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#budget")


@bp.route("/projects/<int:joint_project_id>/evaluations", methods=["POST"])
@login_required
@needs("conduct")
def add_evaluation(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            evaluation = operations.evaluate(
                project, evaluated_on=form.evaluated_on.data, decision=form.decision.data,
                analysis=form.analysis.data, emerging_needs=form.emerging_needs.data,
                adjustments=form.adjustments.data, reported_on=form.reported_on.data,
                user=current_user)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Évaluation enregistrée : %(decision)s.",
                    decision=evaluation.decision_label.lower()), "success")
            return redirect(url_for("joint_projects.conduct", joint_project_id=project.id) + "#evaluation")
    return _render_conduct(project, 422, evaluation=form)
