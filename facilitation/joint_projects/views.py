"""The partnerships index, joint projects walking the charter's lifecycle, and their conduct.

Routes are added to the « partnerships » blueprint of ``territorial.charters.views``.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.action_plans import operations as plans
from facilitation.action_plans.owners import register_plan_owner
from facilitation.decisions.models import Decision
from facilitation.joint_projects import lifecycle, operations, rules as conduct_rules
from facilitation.joint_projects.exports import build_mission_docx
from facilitation.joint_projects.forms import (
    BudgetLineForm,
    ConductForm,
    EvaluationForm,
    MeansForm,
    ObjectiveForm,
    ProjectForm,
    WorkingGroupMemberForm,
)
from facilitation.joint_projects.models import (
    STATUSES,
    BudgetLine,
    JointProject,
    ProjectMeans,
    ProjectObjective,
    ProjectPorteur,
    ProjectTransition,
)
from territorial.access import can, get_or_404, require
from territorial.actors.models import Organisation, Person
from territorial.charters import operations as charters
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from territorial.charters.views import _apply_errors, bp
from territorial.common.downloads import send_download
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.common.panels import Panel, home_panels, organisation_panels
from territorial.common.text import slugify
from territorial.indicators.operations import indicators_for
from territorial.indicators.owners import register_owner
from territorial.raci import operations as raci
from territorial.raci.owners import register_owner as register_raci_owner

OWNER_TYPE = "joint_project"

register_owner(OWNER_TYPE, _l("Projet commun"),
               lambda project_id: url_for("partnerships.conduct", joint_project_id=project_id),
               model=JointProject, permission="contribute")
register_plan_owner(OWNER_TYPE, _l("Projet commun"), model=JointProject,
                    url_fn=lambda project_id: url_for("partnerships.project",
                                                      joint_project_id=project_id))
register_plan_owner(
    "partnership", _l("Partenariat"),
    exists_fn=lambda owner_id: owner_id == g.territory.id,
    name_fn=lambda owner_id: g.territory.name,
    url_fn=lambda owner_id: url_for("partnerships.index"),
)
register_raci_owner(OWNER_TYPE, _l("Projet commun"),
                    lambda grid: url_for("partnerships.project", joint_project_id=grid.owner_id))


def load_project(project_id: int) -> JointProject:
    return get_or_404(JointProject, project_id, selectinload(JointProject.porteurs))


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


def may_conduct(project: JointProject) -> bool:
    """Coordinators and facilitators, or a member of the project's working group (or one of its
    porteurs) whose account is linked to that person."""
    if can("facilitate"):
        return True
    if not can("contribute"):
        return False
    person_ids = charters.user_person_ids(g.territory.id, current_user)
    if not person_ids:
        return False
    member = db.session.scalar(select(InstanceMember.id).where(
        InstanceMember.joint_project_id == project.id,
        InstanceMember.person_id.in_(person_ids)).limit(1))
    porteur = db.session.scalar(select(ProjectPorteur.id).where(
        ProjectPorteur.project_id == project.id, ProjectPorteur.person_id.in_(person_ids)).limit(1))
    return bool(member or porteur)


def require_conduct(project: JointProject) -> None:
    if not may_conduct(project):
        abort(403)


# Index ---------------------------------------------------------------------------------------

@bp.route("")
@login_required
def index():
    charters_ = charters.charters_of(g.territory.id)
    charter_ids = [c.id for c in charters_]
    instances = db.session.scalars(
        select(CharterInstance).where(CharterInstance.charter_id.in_(charter_ids or [0]),
                                      CharterInstance.retired.is_(False))
        .order_by(CharterInstance.charter_id, CharterInstance.position)).all()
    standing = [i for i in instances if not i.per_project]
    members = charters.instance_members([i.id for i in standing])
    by_charter = {c.id: c for c in charters_}
    structures = {c.id: {m.organisation_id: m.organisation.name for m in c.members} for c in charters_}
    problems = {
        i.id: rules.composition_problems(by_charter[i.charter_id].content, i.key,
                                         charters.seats(members[i.id]), structures[i.charter_id])
        for i in standing
    }
    counts = dict(db.session.execute(
        select(JointProject.status, func.count()).where(JointProject.territory_id == g.territory.id)
        .group_by(JointProject.status)).all())
    projects = db.session.scalars(
        operations.projects_query(g.territory.id).where(JointProject.status.in_(("en_cours", "lance")))
        .limit(12)).all()
    porteurs = operations.porteur_names([p.id for p in projects])
    decisions = db.session.scalars(
        select(Decision).where(Decision.territory_id == g.territory.id)
        .options(selectinload(Decision.instance), selectinload(Decision.joint_project))
        .order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc()).limit(6)).all()
    plan = plans.plan_for("partnership", g.territory.id, g.territory.id)
    return render_template(
        "partnerships/index.html", charters=charters_, instances=instances, members=members,
        problems=problems, counts=counts, projects=projects, porteurs=porteurs,
        decisions=decisions, plan=plan, statuses=STATUSES, by_charter=by_charter, rules=rules,
        templates=charters.templates(), confirm_form=ConfirmForm(),
    )


@bp.route("/charters/<int:charter_id>/action-plan", methods=["POST"])
@login_required
def action_plan(charter_id: int):
    """The partnership's plan on the charter's axes (found when it exists, created otherwise)."""
    require("edit")
    charter = get_or_404(Charter, charter_id)
    existing = plans.plan_for("partnership", g.territory.id, g.territory.id)
    if existing is None:
        content = charter.content
        years = content.get("action_plan_years")
        existing = plans.create_plan(
            g.territory.id, "partnership", g.territory.id,
            _("Plan d'action à %(years)s ans – %(name)s", years=years, name=content["name"])
            if years else _("Plan d'action – %(name)s", name=content["name"]),
            [(axis["key"], axis["title"]) for axis in content["action_plan_axes"]],
            horizon_years=years, start_year=date.today().year)
        flash(_("Plan d'action créé sur les grands sujets de la charte."), "success")
    return redirect(url_for("action_plans.plan", plan_id=existing.id))


# Projects -------------------------------------------------------------------------------------

@bp.route("/projects")
@login_required
def projects():
    filters = {"charter": request.args.get("charter", type=int),
               "status": request.args.get("status", ""), "step": request.args.get("step", "")}
    if filters["status"] not in STATUSES:
        filters["status"] = ""
    page = paginate(operations.projects_query(g.territory.id, charter_id=filters["charter"],
                                              status=filters["status"], step=filters["step"]))
    porteurs = operations.porteur_names([p.id for p in page.items])
    charters_ = charters.charters_of(g.territory.id)
    contents = {c.id: c.content for c in charters_}
    steps = {}
    for charter in charters_:
        for step in rules.lifecycle(charter.content):
            steps.setdefault(step["key"], step["title"])
    return render_template("partnerships/projects.html", page=page, porteurs=porteurs,
                           filters=filters, args={k: v for k, v in filters.items() if v},
                           statuses=STATUSES, charters=charters_, contents=contents, steps=steps,
                           rules=rules)


def _project_form(charter: Charter) -> ProjectForm:
    form = ProjectForm()
    structures = charters.structures(charter)
    form.porteurs.choices = list(structures.items())
    people = charters.people_of_structures(charter)
    form.porteur_person_id.choices = [(None, _("— Aucune —"))] + [
        (p.id, f"{p.full_name} ({p.organisation.name})") for p in people]
    return form


def _step_values() -> tuple[dict, dict]:
    records = {k[len("record_"):]: v for k, v in request.form.items() if k.startswith("record_")}
    options = {k[len("option_"):]: v for k, v in request.form.items() if k.startswith("option_")}
    return records, options


def _acting_from_form(charter: Charter) -> lifecycle.Acting:
    raw = request.form.get("acting", "")
    kind, _sep, value = raw.partition(":")
    acting = lifecycle.Acting(kind=kind or "", user=current_user,
                              may_record_on_behalf=can("edit"))
    if kind == "instance":
        acting.instance_key = value
    elif kind == "structure":
        acting.organisation_id = int(value) if value.isdigit() else None
    return acting


def acting_choices(charter: Charter, project: JointProject, step) -> list[tuple[str, str]]:
    """Whom the user may declare acting for at this step (what the charter names, and — to let
    the platform refuse with the charter's words — the other instances; for a step of each
    structure, the structures that have not acted yet)."""
    content = charter.content
    if step is None:
        return []
    if step.get("actor") == "porteurs":
        return [("porteurs", str(rules.ACTORS["porteurs"]))]
    if step.get("actor") == "each_structure":
        return [(f"structure:{oid}", name) for oid, name in
                lifecycle.remaining_structures(project, content, step).items()]
    return [(f"instance:{i['key']}", i["name"]) for i in content.get("instances", [])]


@bp.route("/charters/<int:charter_id>/projects/new", methods=["GET", "POST"])
@login_required
def new_project(charter_id: int):
    require("contribute")
    charter = get_or_404(Charter, charter_id)
    form = _project_form(charter)
    first = rules.lifecycle(charter.content)[0]
    errors: dict[str, str] = {}
    if request.method == "POST":
        records, options = _step_values()
        if form.validate_on_submit():
            try:
                project = lifecycle.create_project(
                    charter, title=form.title.data or "", summary=form.summary.data or "",
                    porteur_organisation_ids=form.porteurs.data or [],
                    porteur_person_id=form.porteur_person_id.data,
                    acting=lifecycle.Acting("porteurs", current_user,
                                            may_record_on_behalf=can("edit")),
                    records=records, options=options, notes=form.notes.data or "")
            except lifecycle.TransitionError as error:
                errors = error.errors
                _apply_errors(form, {k: v for k, v in errors.items() if hasattr(form, k)})
            else:
                flash(_("Projet commun « %(title)s » enregistré : étape « %(step)s » franchie.",
                        title=project.title, step=first["title"]), "success")
                return redirect(url_for("partnerships.project", joint_project_id=project.id))
    return render_template("partnerships/project_new.html", charter=charter, form=form,
                           step=first, errors=errors, values=request.form), \
        422 if request.method == "POST" else 200


def _transitions_by_step(transitions):
    result = {}
    for transition in transitions:
        result.setdefault(transition.step_key, []).append(transition)
    return result


def _project_instances(charter: Charter, project: JointProject):
    rows = db.session.scalars(select(CharterInstance).where(
        CharterInstance.charter_id == charter.id, CharterInstance.per_project.is_(True),
        CharterInstance.retired.is_(False)).order_by(CharterInstance.position)).all()
    members = charters.instance_members([r.id for r in rows], project.id)
    structures = charters.structures(charter)
    problems = {r.id: charters.composition(charter, r, members[r.id], structures) for r in rows}
    return rows, members, problems


def _render_project(project: JointProject, errors=None, member_form=None, status=200):
    charter = _charter(project)
    content = charter.content
    transitions = lifecycle.transitions(project)
    view = lifecycle.current_step(project, content)
    rows, members, problems = _project_instances(charter, project)
    people = charters.people_of_structures(charter)
    member_form = member_form or _member_form(charter, rows)
    decisions = db.session.scalars(
        select(Decision).where(Decision.joint_project_id == project.id)
        .options(selectinload(Decision.instance)).order_by(Decision.id)).all()
    documents = _mission_documents(content, transitions)
    return render_template(
        "partnerships/project.html", project=project, charter=charter, content=content,
        steps=rules.lifecycle(content), done=_transitions_by_step(transitions),
        transitions=transitions, view=view, acting=acting_choices(charter, project, view.step),
        errors=errors or {}, values=request.form if errors else {}, people=people,
        rows=rows, members=members, problems=problems, member_form=member_form,
        functions=rules.function_labels(content), decisions=decisions, rules=rules,
        documents=documents, may_conduct=may_conduct(project), confirm_form=ConfirmForm(),
        porteurs=operations.porteur_names([project.id])[project.id],
    ), status


def _mission_documents(content, transitions) -> list:
    """Appointment steps whose records form a document (« Fiche de mission »)."""
    result = []
    for transition in transitions:
        step = rules.step_def(content, transition.step_key)
        if step and step.get("appoints", {}).get("document") and transition.appointee_id:
            result.append((step["appoints"]["document"], transition))
    return result


def _member_form(charter: Charter, rows) -> WorkingGroupMemberForm:
    form = WorkingGroupMemberForm()
    form.instance_key.choices = [(r.key, r.name) for r in rows]
    form.person_id.choices = [(None, _("— Choisir —"))] + [
        (p.id, f"{p.full_name} ({p.organisation.name})") for p in charters.people_of_structures(charter)]
    form.function.choices = list(rules.function_labels(charter.content).items())
    return form


@bp.route("/projects/<int:joint_project_id>")
@login_required
def project(joint_project_id: int):
    return _render_project(load_project(joint_project_id))


@bp.route("/projects/<int:joint_project_id>/advance", methods=["POST"])
@login_required
def advance(joint_project_id: int):
    require("contribute")
    project = load_project(joint_project_id)
    charter = _charter(project)
    records, options = _step_values()
    appointee = request.form.get("appointee_id", "")
    try:
        transition = lifecycle.advance(
            project, request.form.get("step_key", ""), _acting_from_form(charter),
            outcome=request.form.get("outcome") or None, records=records, options=options,
            appointee_id=int(appointee) if appointee.isdigit() else None,
            notes=request.form.get("notes", ""))
    except lifecycle.TransitionError as error:
        return _render_project(project, errors=error.errors, status=422)
    message = _("Étape « %(step)s » enregistrée.", step=transition.step_title)
    if project.status == "clos":
        message = _("%(outcome)s : le projet commun s'arrête là.", outcome=transition.outcome_label)
    elif project.step_key is None and project.status == "lance":
        message = _("Toutes les étapes de la charte sont franchies : le projet commun est lancé.")
    elif project.step_key:
        following = rules.step_def(charter.content, project.step_key)
        if following["key"] != transition.step_key:
            message += " " + _("Étape suivante : « %(step)s ».", step=following["title"])
    flash(message, "success")
    return redirect(url_for("partnerships.project", joint_project_id=project.id) + "#etape")


@bp.route("/projects/<int:joint_project_id>/members", methods=["POST"])
@login_required
def add_project_member(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    charter = _charter(project)
    rows, _members, _problems = _project_instances(charter, project)
    form = _member_form(charter, rows)
    if form.validate_on_submit():
        instance = next((r for r in rows if r.key == form.instance_key.data), None)
        try:
            if instance is None:
                raise charters.CharterError({"instance_key": _("Choisissez une instance du projet.")})
            _member, problems = charters.add_instance_member(
                charter, instance, form.person_id.data, form.function.data,
                joint_project_id=project.id, started_on=date.today())
        except charters.CharterError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Membre ajouté."), "success")
            for problem in problems:
                flash(problem, "warning")
            return redirect(url_for("partnerships.project", joint_project_id=project.id)
                            + "#instances-projet")
    return _render_project(project, member_form=form, status=422)


@bp.route("/projects/<int:joint_project_id>/raci", methods=["POST"])
@login_required
def project_raci(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    charter = _charter(project)
    grid = raci.find_grid(g.territory.id, OWNER_TYPE, project.id)
    if grid is None:
        grid = raci.get_or_create_grid(g.territory.id, OWNER_TYPE, project.id,
                                       _("Qui fait quoi – %(title)s", title=project.title))
        for organisation_id in charters.structures(charter):
            raci.add_actor(grid, organisation=db.session.get(Organisation, organisation_id))
    return redirect(url_for("raci.grid", grid_id=grid.id))


@bp.route("/project-transitions/<int:project_transition_id>/document.docx")
@login_required
def mission_docx(project_transition_id: int):
    found = get_or_404(ProjectTransition, project_transition_id,
                       selectinload(ProjectTransition.appointee).selectinload(Person.organisation),
                       selectinload(ProjectTransition.user))
    project = load_project(found.project_id)
    charter = _charter(project)
    step = rules.step_def(charter.content, found.step_key)
    if not step or not step.get("appoints", {}).get("document") or found.appointee is None:
        abort(404)
    data = build_mission_docx(project, charter.content, step, found)
    return send_download(data, f"{slugify(step['appoints']['document'])}-{slugify(project.title)}.docx")


# Conduct --------------------------------------------------------------------------------------

def _structure_choices(charter: Charter, empty: str) -> list:
    return [(None, empty)] + list(charters.structures(charter).items())


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
    objective.owner_organisation_id.choices = _structure_choices(charter, _("— À préciser —"))
    means = given.get("means") or MeansForm(formdata=None)
    means.organisation_id.choices = _structure_choices(charter, _("Extérieur au partenariat"))
    budget = given.get("budget") or BudgetLineForm(formdata=None)
    budget.organisation_id.choices = _structure_choices(charter, _("— Aucune —"))
    evaluation = given.get("evaluation") or EvaluationForm(formdata=None)
    return {"conduct_form": conduct, "objective_form": objective, "means_form": means,
            "budget_form": budget, "evaluation_form": evaluation}


def _render_conduct(project: JointProject, status: int = 200, **given):
    charter = _charter(project)
    content = charter.content
    objectives = operations.objectives(project)
    means = operations.means_of(project)
    lines = operations.budget_lines(project)
    indicators = indicators_for(OWNER_TYPE, [project.id], territory_id=g.territory.id)[project.id]
    evaluations = operations.evaluations(project)
    planned, actual = conduct_rules.balance(lines, "planned"), conduct_rules.balance(lines, "actual")
    essentials = content.get("project_conduct", {}).get("essentials", [])
    forms = _forms(project, charter, **given)
    return render_template(
        "partnerships/conduct.html", project=project, charter=charter, content=content,
        objectives=objectives,
        advice={o.id: conduct_rules.objective_advice(o, bool(indicators)) for o in objectives},
        means=means, means_warnings=conduct_rules.means_warnings(means), lines=lines,
        planned=planned, actual=actual,
        planned_message=conduct_rules.balance_message(planned, "planned"),
        actual_message=conduct_rules.balance_message(actual, "actual"),
        indicators=indicators, evaluations=evaluations, essentials=essentials,
        checklist=conduct_rules.conduct_checklist(
            project, objectives=len(objectives), indicators=len(indicators),
            budget_lines=len(lines), means=len(means), evaluations=len(evaluations),
            essentials=essentials),
        editable=may_conduct(project) and not project.is_ended, today_year=date.today().year,
        confirm_form=ConfirmForm(), **forms,
    ), status


@bp.route("/projects/<int:joint_project_id>/conduct", methods=["GET", "POST"])
@login_required
def conduct(joint_project_id: int):
    project = load_project(joint_project_id)
    if request.method == "GET":
        return _render_conduct(project)
    require_conduct(project)
    form = ConductForm()
    if form.validate_on_submit():
        try:
            operations.update_conduct(
                project, diagnostic=form.diagnostic.data, initial_situation=form.initial_situation.data,
                desired_situation=form.desired_situation.data, finalites=form.finalites.data or "",
                modalities=form.modalities.data)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Diagnostic et finalités enregistrés."), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#diagnostic")
    return _render_conduct(project, 422, conduct=form)


@bp.route("/projects/<int:joint_project_id>/objectives", methods=["POST"])
@login_required
def add_objective(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    form = ObjectiveForm()
    form.finalite.choices = [("", "")] + [(f, f) for f in project.finalites or []]
    form.owner_organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            objective = operations.add_objective(
                project, text=form.text.data, finalite=form.finalite.data, measure=form.measure.data,
                due_on=form.due_on.data, owner_organisation_id=form.owner_organisation_id.data)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            advice = conduct_rules.objective_advice(objective, False)
            flash(_("Objectif ajouté.") if not advice else
                  _("Objectif ajouté ; il n'est pas encore tout à fait SMART : voyez les conseils."),
                  "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#objectifs")
    return _render_conduct(project, 422, objective=form)


def _objective(objective_id: int) -> tuple[ProjectObjective, JointProject]:
    objective = get_or_404(ProjectObjective, objective_id)
    return objective, load_project(objective.project_id)


@bp.route("/project-objectives/<int:project_objective_id>/edit", methods=["GET", "POST"])
@login_required
def edit_objective(project_objective_id: int):
    objective, project = _objective(project_objective_id)
    require_conduct(project)
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
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Objectif modifié."), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#objectifs")
    indicators = indicators_for(OWNER_TYPE, [project.id], territory_id=g.territory.id)[project.id]
    return render_template("partnerships/objective_form.html", project=project, form=form,
                           advice=conduct_rules.objective_advice(objective, bool(indicators))), \
        422 if form.errors else 200


@bp.route("/project-objectives/<int:project_objective_id>/delete", methods=["POST"])
@login_required
def delete_objective(project_objective_id: int):
    objective, project = _objective(project_objective_id)
    require_conduct(project)
    db.session.delete(objective)
    flash(_("Objectif supprimé."), "success")
    return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#objectifs")


@bp.route("/projects/<int:joint_project_id>/means", methods=["POST"])
@login_required
def add_means(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    form = MeansForm()
    form.organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            operations.add_means(project, kind=form.kind.data, description=form.description.data,
                                 organisation_id=form.organisation_id.data,
                                 informed_on=form.informed_on.data)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Moyen ajouté."), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#moyens")
    return _render_conduct(project, 422, means=form)


def _means(means_id: int) -> tuple[ProjectMeans, JointProject]:
    means = get_or_404(ProjectMeans, means_id)
    return means, load_project(means.project_id)


@bp.route("/project-means/<int:project_means_id>/informed", methods=["POST"])
@login_required
def means_informed(project_means_id: int):
    means, project = _means(project_means_id)
    require_conduct(project)
    operations.mark_informed(means, date.today())
    flash(_("Information de la direction enregistrée."), "success")
    return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#moyens")


@bp.route("/project-means/<int:project_means_id>/delete", methods=["POST"])
@login_required
def delete_means(project_means_id: int):
    means, project = _means(project_means_id)
    require_conduct(project)
    db.session.delete(means)
    flash(_("Moyen retiré."), "success")
    return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#moyens")


@bp.route("/projects/<int:joint_project_id>/budget", methods=["POST"])
@login_required
def add_budget_line(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    form = BudgetLineForm()
    form.organisation_id.choices = _structure_choices(_charter(project), "")
    if form.validate_on_submit():
        try:
            operations.save_budget_line(
                project, category=form.category.data, label=form.label.data,
                planned=form.planned.data, actual=form.actual.data,
                organisation_id=form.organisation_id.data)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Ligne de budget ajoutée."), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#budget")
    return _render_conduct(project, 422, budget=form)


def _line(line_id: int) -> tuple[BudgetLine, JointProject]:
    line = get_or_404(BudgetLine, line_id)
    return line, load_project(line.project_id)


@bp.route("/project-budget-lines/<int:project_budget_line_id>/edit", methods=["GET", "POST"])
@login_required
def edit_budget_line(project_budget_line_id: int):
    line, project = _line(project_budget_line_id)
    require_conduct(project)
    form = BudgetLineForm(obj=line)
    form.organisation_id.choices = _structure_choices(_charter(project), _("— Aucune —"))
    if form.validate_on_submit():
        try:
            operations.save_budget_line(
                project, line, category=form.category.data, label=form.label.data,
                planned=form.planned.data, actual=form.actual.data,
                organisation_id=form.organisation_id.data)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Ligne de budget modifiée."), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#budget")
    return render_template("partnerships/budget_line_form.html", project=project, form=form), \
        422 if form.errors else 200


@bp.route("/project-budget-lines/<int:project_budget_line_id>/delete", methods=["POST"])
@login_required
def delete_budget_line(project_budget_line_id: int):
    line, project = _line(project_budget_line_id)
    require_conduct(project)
    db.session.delete(line)
    flash(_("Ligne de budget supprimée."), "success")
    return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#budget")


@bp.route("/projects/<int:joint_project_id>/evaluations", methods=["POST"])
@login_required
def add_evaluation(joint_project_id: int):
    project = load_project(joint_project_id)
    require_conduct(project)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            evaluation = operations.evaluate(
                project, evaluated_on=form.evaluated_on.data, decision=form.decision.data,
                analysis=form.analysis.data, emerging_needs=form.emerging_needs.data,
                adjustments=form.adjustments.data, reported_on=form.reported_on.data,
                user=current_user)
        except operations.ConductError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Évaluation enregistrée : %(decision)s.",
                    decision=evaluation.decision_label.lower()), "success")
            return redirect(url_for("partnerships.conduct", joint_project_id=project.id) + "#evaluation")
    return _render_conduct(project, 422, evaluation=form)


# Panels -----------------------------------------------------------------------------------------

@home_panels.register
def _projects_waiting(territory) -> Panel | None:
    rows = db.session.execute(
        select(JointProject.id, JointProject.title, JointProject.step_key, Charter.content)
        .join(Charter, Charter.id == JointProject.charter_id)
        .where(JointProject.territory_id == territory.id, JointProject.status == "en_cours")
        .order_by(JointProject.updated_at.desc()).limit(5)).all()
    if not rows:
        return None
    items = []
    for project_id, title, step_key, content in rows:
        step = rules.step_def(content, step_key)
        who = rules.step_actor_label(content, step) if step else ""
        items.append((_("%(title)s – %(step)s (%(who)s)", title=title,
                        step=step["title"] if step else "", who=who),
                      url_for("partnerships.project", territory=territory.slug,
                              joint_project_id=project_id)))
    return Panel(_("Projets communs en attente d'une étape"), items,
                 more_url=url_for("partnerships.projects", territory=territory.slug,
                                  status="en_cours"), order=40)


@organisation_panels.register
def _organisation_projects(organisation) -> Panel | None:
    rows = db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.organisation_id == organisation.id).order_by(JointProject.title)
        .limit(20)).all()
    seats = db.session.execute(
        select(CharterInstance.id, CharterInstance.name, func.count(InstanceMember.id))
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .where(InstanceMember.organisation_id == organisation.id,
               InstanceMember.joint_project_id.is_(None))
        .group_by(CharterInstance.id, CharterInstance.name).order_by(CharterInstance.name)).all()
    if not rows and not seats:
        return None
    slug = g.territory.slug
    items = [(_("Porteur du projet commun « %(title)s »", title=title),
              url_for("partnerships.project", territory=slug, joint_project_id=pid))
             for pid, title in rows]
    items += [(_("Siège à l'instance « %(name)s » (%(count)d personne(s))", name=name, count=count),
               url_for("partnerships.instance", territory=slug, charter_instance_id=iid))
              for iid, name, count in seats]
    return Panel(_("Partenariat régi par une charte"), items, order=45)

