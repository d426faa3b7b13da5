"""The experiment workspace: Cadre · Parties et livrables · Entretiens · Groupes de travail ·
Planning · Rôles (RACI) · Plan d'action · Documents."""
from __future__ import annotations


from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from extensions import db
import facilitation.experiments.panels  # noqa: F401  (home and organisation panels)
from facilitation.experiments import documents as documents_
from facilitation.experiments import exports, gantt, operations, queries, roles
from facilitation.experiments.forms import (
    DeliverableForm,
    DeliverableStatusForm,
    ExperimentForm,
    InterviewForm,
    NewExperimentForm,
    PartForm,
    SectionForm,
    StakeholderForm,
    ThemeForm,
)
from facilitation.experiments.methods import DEFAULT_METHOD, get_method, method_choices
from facilitation.experiments.models import (
    CadreSection,
    Deliverable,
    Experiment,
    Interview,
    Part,
    Stakeholder,
    Theme,
)
from facilitation.experiments.operations import ExperimentError
from facilitation.experiments.planning import gt_window_end
from facilitation.sessions.exports import build_ics
from facilitation.sessions.forms import SessionForm
from facilitation.sessions.operations import (
    SessionDateError,
    agenda_from_method,
    create_session,
    date_problems,
    local_datetime,
)
from facilitation.working_groups import operations as group_operations
from facilitation.working_groups.forms import GroupForm
from facilitation.working_groups.rules import CompositionRules
from territorial.access import get_or_404, require
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.documents.web import send_document
from territorial.common.forms import ConfirmForm
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
    deliverable = get_or_404(Deliverable, deliverable_id)
    part = db.session.get(Part, deliverable.part_id)
    if part is None or part.experiment_id != experiment.id:
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
def index():
    page = paginate(queries.experiments_page_query(g.territory.id))
    return render_template("experiments/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require("edit")
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
def edit(experiment_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    form = ExperimentForm(obj=experiment)
    if form.validate_on_submit():
        try:
            operations.update_experiment(
                experiment, title=form.title.data, perimeter=form.perimeter.data,
                start_date=form.start_date.data, end_date=form.end_date.data,
                status=form.status.data, shift_planning=form.shift_planning.data)
        except ExperimentError as error:
            form.end_date.errors.append(str(error))
        else:
            flash(_("Expérimentation enregistrée."), "success")
            return redirect(url_for("experiments.workspace", experiment_id=experiment.id))
    return _form_page(experiment, form, _("Modifier l'expérimentation"), _("Enregistrer"),
                      url_for("experiments.workspace", experiment_id=experiment.id),
                      422 if form.errors else 200)


# Cadre ------------------------------------------------------------------------------------

def _sections(experiment: Experiment) -> list[CadreSection]:
    return list(db.session.scalars(
        select(CadreSection).where(CadreSection.experiment_id == experiment.id)
        .order_by(CadreSection.position, CadreSection.id)))


def _render_cadre(experiment: Experiment, status: int = 200, errors=None, kept=None,
                  conflicts=None):
    """The Cadre tab. ``kept``: section id → (text typed, version it was typed on);
    ``conflicts``: section id → the conflict that refused it."""
    sections = _sections(experiment)
    method = get_method(experiment.method_key)
    return _render(
        "experiments/cadre.html", experiment, status, sections=sections,
        completion=operations.cadre_completion(sections),
        stakeholders=queries.stakeholders(experiment.id), method=method,
        errors=errors or {}, kept=kept or {}, conflicts=conflicts or {},
        confirm_form=ConfirmForm(), max_length=20000,
    )


@bp.route("/<int:experiment_id>")
@login_required
def workspace(experiment_id: int):
    return _render_cadre(_experiment(experiment_id))


@bp.route("/<int:experiment_id>/cadre/<int:cadre_section_id>", methods=["POST"])
@login_required
def update_section(experiment_id: int, cadre_section_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    section = _child(CadreSection, cadre_section_id, experiment)
    form = SectionForm()
    if not form.validate():
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
    require("edit")
    form = StakeholderForm(obj=stakeholder)
    form.organisation_id.choices = queries.organisation_choices(
        g.territory.id, _("— Choisir une organisation —"))
    if form.validate_on_submit():
        try:
            operations.save_stakeholder(stakeholder, experiment, form.data)
        except ExperimentError as error:
            form.organisation_id.errors.append(str(error))
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
def new_stakeholder(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _stakeholder_form(experiment, Stakeholder(role=request.args.get("role", "pilote")))


@bp.route("/<int:experiment_id>/stakeholders/<int:stakeholder_id>/edit",
          methods=["GET", "POST"])
@login_required
def edit_stakeholder(experiment_id: int, stakeholder_id: int):
    experiment = _experiment(experiment_id)
    return _stakeholder_form(experiment, _child(Stakeholder, stakeholder_id, experiment))


@bp.route("/<int:experiment_id>/stakeholders/<int:stakeholder_id>/delete", methods=["POST"])
@login_required
def delete_stakeholder(experiment_id: int, stakeholder_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    operations.delete_stakeholder(_child(Stakeholder, stakeholder_id, experiment))
    flash(_("Partie prenante retirée."), "success")
    return redirect(url_for("experiments.workspace", experiment_id=experiment.id,
                            _anchor="parties-prenantes"))


# Parts and deliverables -------------------------------------------------------------------

@bp.route("/<int:experiment_id>/parts")
@login_required
def parts(experiment_id: int):
    experiment = _experiment(experiment_id)
    parts = queries.parts_with_deliverables(experiment.id)
    return _render("experiments/parts.html", experiment, parts=parts,
                   progress={p.id: operations.part_progress(p) for p in parts},
                   status_form=DeliverableStatusForm())


@bp.route("/<int:experiment_id>/parts/<int:part_id>/edit", methods=["GET", "POST"])
@login_required
def edit_part(experiment_id: int, part_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    part = _child(Part, part_id, experiment)
    form = PartForm(obj=part)
    if form.validate_on_submit():
        try:
            operations.update_part(part, experiment, form.data)
        except ExperimentError as error:
            form.end_date.errors.append(str(error))
        else:
            flash(_("Partie « %(title)s » enregistrée.", title=part.title), "success")
            return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                                    _anchor=f"part-{part.id}"))
    return _form_page(experiment, form, _("Modifier la partie « %(title)s »", title=part.title),
                      _("Enregistrer"), url_for("experiments.parts", experiment_id=experiment.id),
                      422 if form.errors else 200)


def _deliverable_form(experiment: Experiment, part: Part, deliverable: Deliverable):
    form = DeliverableForm(obj=deliverable)
    form.owner_organisation_id.choices = queries.organisation_choices(
        g.territory.id, _("— Aucune —"))
    form.owner_person_id.choices = queries.person_choices(g.territory.id, _("— Aucune —"))
    if request.method == "GET" and deliverable.id is None:
        form.due_date.data = part.end_date
    if form.validate_on_submit():
        try:
            operations.save_deliverable(deliverable, part, form.data)
        except ExperimentError as error:
            form.owner_organisation_id.errors.append(str(error))
        else:
            flash(_("Livrable enregistré."), "success")
            return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                                    _anchor=f"part-{part.id}"))
    title = _("Nouveau livrable – %(part)s", part=part.title) if deliverable.id is None else _(
        "Modifier le livrable")
    return _form_page(experiment, form, title, _("Enregistrer"),
                      url_for("experiments.parts", experiment_id=experiment.id),
                      422 if form.errors else 200)


@bp.route("/<int:experiment_id>/parts/<int:part_id>/deliverables/new", methods=["GET", "POST"])
@login_required
def new_deliverable(experiment_id: int, part_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    part = _child(Part, part_id, experiment)
    return _deliverable_form(experiment, part, Deliverable(status="prevu"))


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/edit",
          methods=["GET", "POST"])
@login_required
def edit_deliverable(experiment_id: int, deliverable_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    deliverable = _deliverable(deliverable_id, experiment)
    part = db.session.get(Part, deliverable.part_id)
    return _deliverable_form(experiment, part, deliverable)


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/status", methods=["POST"])
@login_required
def deliverable_status(experiment_id: int, deliverable_id: int):
    require("facilitate")
    experiment = _experiment(experiment_id)
    deliverable = _deliverable(deliverable_id, experiment)
    form = DeliverableStatusForm()
    if form.validate():
        deliverable.status = form.status.data
        db.session.flush()
        flash(_("« %(title)s » : %(status)s.", title=deliverable.title,
                status=deliverable.status_label.lower()), "success")
    else:
        flash(_("État inconnu : choisissez prévu, en cours ou livré."), "error")
    return redirect(url_for("experiments.parts", experiment_id=experiment.id,
                            _anchor=f"deliverable-{deliverable.id}"))


@bp.route("/<int:experiment_id>/deliverables/<int:deliverable_id>/delete", methods=["POST"])
@login_required
def delete_deliverable(experiment_id: int, deliverable_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    operations.delete_deliverable(_deliverable(deliverable_id, experiment))
    flash(_("Livrable supprimé."), "success")
    return redirect(url_for("experiments.parts", experiment_id=experiment.id))


# Interviews -------------------------------------------------------------------------------

@bp.route("/<int:experiment_id>/interviews")
@login_required
def interviews(experiment_id: int):
    experiment = _experiment(experiment_id)
    items = list(db.session.scalars(
        select(Interview).where(Interview.experiment_id == experiment.id)
        .options(*operations.interview_options())
        .order_by(Interview.held_on.is_(None), Interview.held_on, Interview.id)))
    themes = queries.themes(experiment.id)
    return _render("experiments/interviews.html", experiment, interviews=items, themes=themes)


def _interview_form(experiment: Experiment, interview: Interview):
    require("facilitate")
    form = InterviewForm(obj=interview)
    form.person_id.choices = queries.person_choices(g.territory.id,
                                                    _("— Choisir une personne —"))
    form.interviewer_person_id.choices = queries.person_choices(g.territory.id, _("— Autre —"))
    form.theme_id.choices = queries.theme_choices(experiment.id, _("— Toutes thématiques —"))
    if form.validate_on_submit():
        try:
            operations.save_interview(interview, experiment, form.data)
        except ExperimentError as error:
            form.person_id.errors.append(str(error))
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
def new_interview(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _interview_form(experiment, Interview())


@bp.route("/<int:experiment_id>/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
@login_required
def edit_interview(experiment_id: int, interview_id: int):
    experiment = _experiment(experiment_id)
    return _interview_form(experiment, _child(Interview, interview_id, experiment))


@bp.route("/<int:experiment_id>/interviews/<int:interview_id>/delete", methods=["POST"])
@login_required
def delete_interview(experiment_id: int, interview_id: int):
    require("facilitate")
    experiment = _experiment(experiment_id)
    operations.delete_interview(_child(Interview, interview_id, experiment))
    flash(_("Entretien supprimé."), "success")
    return redirect(url_for("experiments.interviews", experiment_id=experiment.id))


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
def groups(experiment_id: int):
    return _render_groups(_experiment(experiment_id))


@bp.route("/<int:experiment_id>/themes", methods=["POST"])
@login_required
def add_theme(experiment_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = operations.add_theme(experiment, get_method(experiment.method_key),
                                         form.title.data, with_group=form.with_group.data)
        except ExperimentError as error:
            form.title.errors.append(str(error))
        else:
            flash(_("Thématique « %(title)s » ajoutée.", title=theme.title)
                  + (" " + _("Son groupe de travail et ses GT1, GT2, GT3 sont au planning.")
                     if form.with_group.data else ""), "success")
            return redirect(url_for("experiments.groups", experiment_id=experiment.id))
    return _render_groups(experiment, theme_form=form, status=422)


@bp.route("/<int:experiment_id>/themes/<int:theme_id>/delete", methods=["GET", "POST"])
@login_required
def delete_theme(experiment_id: int, theme_id: int):
    """Nothing hangs on the theme: deleted. Otherwise a confirmation page, then archived."""
    require("edit")
    experiment = _experiment(experiment_id)
    theme = _child(Theme, theme_id, experiment)
    footprint = operations.theme_footprint(theme)
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
def restore_theme(experiment_id: int, theme_id: int):
    require("edit")
    experiment = _experiment(experiment_id)
    theme = _child(Theme, theme_id, experiment)
    operations.set_theme_archived(theme, False)
    flash(_("Thématique « %(title)s » restaurée.", title=theme.title), "success")
    return redirect(url_for("experiments.groups", experiment_id=experiment.id))


@bp.route("/<int:experiment_id>/groups/new", methods=["GET", "POST"])
@login_required
def new_group(experiment_id: int):
    require("edit")
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
        except ExperimentError as error:
            form.facilitator_person_id.errors.append(str(error))
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
def planning(experiment_id: int):
    experiment = _experiment(experiment_id)
    parts = list(db.session.scalars(select(Part).where(Part.experiment_id == experiment.id)
                                    .order_by(Part.position, Part.id)))
    sessions = queries.planned_sessions(experiment.id)
    method = get_method(experiment.method_key)
    figure = gantt.build_gantt_figure(experiment, parts, sessions)
    period = (experiment.start_date, experiment.end_date)
    window_end = gt_window_end(method, experiment.start_date)
    outside = [s for s in sessions if date_problems(s.starts_at, s.ends_at, period)]
    late_gts = [s for s in sessions if s.kind in ("gt1", "gt2", "gt3")
                and s.starts_at.date() > window_end]
    return _render(
        "experiments/planning.html", experiment, parts=parts, rows=gantt.session_rows(sessions),
        figure=figure, outside=outside,
        late_gts=late_gts, window_end=window_end,
    )


@bp.route("/<int:experiment_id>/planning.ics")
@login_required
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
def new_session(experiment_id: int):
    require("facilitate")
    experiment = _experiment(experiment_id)
    form = SessionForm()
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "copil")
        form.title.data = _("Copil") if form.kind.data == "copil" else ""
    if form.validate_on_submit():
        try:
            session = create_session(
                g.territory.id, kind=form.kind.data, title=form.title.data,
                starts_at=local_datetime(form.day.data, form.start_time.data),
                ends_at=local_datetime(form.day.data, form.end_time.data),
                place=form.place.data or "",
                participation_level=form.participation_level.data or None,
                experiment_id=experiment.id,
                period=(experiment.start_date, experiment.end_date),
                agenda=agenda_from_method(get_method(experiment.method_key), form.kind.data),
            )
        except SessionDateError as error:
            form.day.errors.append(str(error))
        else:
            flash(_("Séance « %(title)s » ajoutée au planning.", title=session.title), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    return _form_page(experiment, form, _("Ajouter une séance au planning"), _("Ajouter"),
                      url_for("experiments.planning", experiment_id=experiment.id),
                      422 if form.errors else 200)


# Operational roles (RACI) -------------------------------------------------------------------

@bp.route("/<int:experiment_id>/roles", endpoint="roles")
@login_required
def roles_tab(experiment_id: int):
    experiment = _experiment(experiment_id)
    return _render("experiments/roles.html", experiment, grid=roles.find_grid(experiment),
                   pilots=operations.pilots(experiment.id))


# Documents --------------------------------------------------------------------------------

@bp.route("/<int:experiment_id>/documents")
@login_required
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
def cadre_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    grid = roles.find_grid(experiment)
    return send_document(documents_.describe_cadre(experiment, g.territory, grid=grid), fmt)


@bp.route("/<int:experiment_id>/planning.<any(docx, odt, pdf):fmt>")
@login_required
def planning_document(experiment_id: int, fmt: str):
    experiment = _experiment(experiment_id)
    return send_document(documents_.describe_planning(experiment, g.territory), fmt)