"""A joint project walking the charter's lifecycle: the projects list, a new project, the
project page and its steps, its working group, its RACI grid and its mission documents.

Routes are added to the « partnerships » blueprint of ``territorial.charters.views``.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions import arbitration
from facilitation.decisions import queries as decision_queries
from facilitation.joint_projects import lifecycle, operations, queries
from facilitation.joint_projects.acting import (
    Acting,
    acting_person,
    not_sitting,
    remaining_structures,
)
from facilitation.joint_projects.exports import describe_mission
from facilitation.joint_projects.forms import ProjectForm, WorkingGroupMemberForm
from facilitation.joint_projects.models import STATUSES, JointProject, ProjectTransition
from facilitation.joint_projects.views import OWNER_TYPE, _charter, bp, load_project
from territorial.access import InstanceSeat, can, check, get_or_404, may, needs
from territorial.actors.models import Organisation, Person
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter
from territorial.common.errors import DomainError, show_errors
from territorial.documents.web import send_document
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.raci import operations as raci


@bp.route("/projects")
@login_required
@needs("view")
def projects():
    filters = {"charter": request.args.get("charter", type=int),
               "status": request.args.get("status", ""), "step": request.args.get("step", "")}
    if filters["status"] not in STATUSES:
        filters["status"] = ""
    page = paginate(queries.projects_query(g.territory.id, charter_id=filters["charter"],
                                           status=filters["status"], step=filters["step"]))
    porteurs = operations.porteur_names([p.id for p in page.items])
    charters_ = charter_queries.charters_of(g.territory.id)
    contents = {c.id: c.governing for c in charters_}
    steps = {}
    for charter in charters_:
        for step in rules.lifecycle(charter.governing):
            steps.setdefault(step["key"], step["title"])
    return render_template("joint_projects/projects.html", page=page, porteurs=porteurs,
                           filters=filters, args={k: v for k, v in filters.items() if v},
                           statuses=STATUSES, charters=charters_, contents=contents, steps=steps,
                           rules=rules,
                           deciding=decision_queries.deciding_now([p.id for p in page.items]))


def _project_form(charter: Charter) -> ProjectForm:
    form = ProjectForm()
    structures = charter_queries.structures(charter)
    form.porteurs.choices = list(structures.items())
    people = charter_queries.people_of_structures(charter)
    form.porteur_person_id.choices = [(None, _("— Aucune —"))] + [
        (p.id, f"{p.full_name} ({p.organisation.name})") for p in people]
    return form


def _step_values() -> tuple[dict, dict]:
    records = {k[len("record_"):]: v for k, v in request.form.items() if k.startswith("record_")}
    options = {k[len("option_"):]: v for k, v in request.form.items() if k.startswith("option_")}
    return records, options


def _acting_from_form(charter: Charter) -> Acting:
    raw = request.form.get("acting", "")
    kind, _sep, value = raw.partition(":")
    acting = Acting(kind=kind or "", user=current_user,
                              may_record_on_behalf=can("edit"))
    if kind == "instance":
        acting.instance_key = value
    elif kind == "structure":
        acting.organisation_id = int(value) if value.isdigit() else None
    return acting


def acting_choices(charter: Charter, project: JointProject, step) -> list[tuple[str, str]]:
    """Whom the user may declare acting for at this step: what the charter names and the user
    belongs to (the instances they sit in, the porteurs, their own structure); for the
    coordination, also those it records the act for, on their behalf (the history says so)."""
    content = charter.governing
    if step is None:
        return []
    on_behalf = can("edit")
    choices: list[tuple[str, str]] = []

    def for_them(label: str) -> str:
        return _("%(who)s (pour son compte, d'après le compte rendu)", who=label)

    if step.get("actor") == "porteurs":
        own = acting_person(project, charter, step, Acting("porteurs", current_user))[0]
        if own is not None or on_behalf:
            label = str(rules.ACTORS["porteurs"])
            choices.append(("porteurs", label if own is not None else for_them(label)))
    if step.get("actor") == "each_structure":
        mine = _own_organisations(charter)
        choices += [(f"structure:{oid}", name if oid in mine else for_them(name))
                    for oid, name in remaining_structures(project, content, step).items()
                    if oid in mine or on_behalf]
    if "instance" in step:
        sitting = _instances_sitting(charter, project)
        choices += [(f"instance:{key}", name) for key, name in sitting.items()]
        if step["instance"] not in sitting and on_behalf:
            choices.append((f"instance:{step['instance']}",
                            for_them(rules.instance_name(content, step["instance"]))))
    return choices


def _own_organisations(charter: Charter) -> set[int]:
    person_ids = charter_queries.user_person_ids(charter.territory_id, current_user)
    return charter_queries.organisations_of_people(person_ids)


def _instances_sitting(charter: Charter, project: JointProject) -> dict[str, str]:
    """The instances of the charter the user sits in (standing, or of this project)."""
    person_ids = charter_queries.user_person_ids(charter.territory_id, current_user)
    return charter_queries.instances_sitting(charter, person_ids, project.id)


@bp.route("/charters/<int:charter_id>/projects/new", methods=["GET", "POST"])
@login_required
@needs("contribute")
def new_project(charter_id: int):
    charter = get_or_404(Charter, charter_id)
    form = _project_form(charter)
    first = rules.lifecycle(charter.governing)[0]
    errors: dict[str, str] = {}
    if request.method == "POST":
        records, options = _step_values()
        if form.validate_on_submit():
            try:
                project = lifecycle.create_project(
                    charter, title=form.title.data or "", summary=form.summary.data or "",
                    porteur_organisation_ids=form.porteurs.data or [],
                    porteur_person_id=form.porteur_person_id.data,
                    acting=Acting("porteurs", current_user,
                                            may_record_on_behalf=can("edit")),
                    records=records, options=options, notes=form.notes.data or "")
            except DomainError as error:
                errors = error.errors
                show_errors(form, error, flash_others=False)
            else:
                flash(_("Projet commun « %(title)s » enregistré : étape « %(step)s » franchie.",
                        title=project.title, step=first["title"]), "success")
                return redirect(url_for("joint_projects.project", joint_project_id=project.id))
    return render_template("joint_projects/project_new.html", charter=charter, form=form,
                           step=first, errors=errors, values=request.form), \
        422 if request.method == "POST" else 200


def _transitions_by_step(transitions):
    result = {}
    for transition in transitions:
        result.setdefault(transition.step_key, []).append(transition)
    return result


def _project_instances(charter: Charter, project: JointProject):
    rows = charter_queries.per_project_instances(charter)
    members = charter_queries.instance_members([r.id for r in rows], project.id)
    structures = charter_queries.structures(charter)
    problems = {r.id: charters.composition(charter, r, members[r.id], structures) for r in rows}
    return rows, members, problems


def _render_project(project: JointProject, errors=None, member_form=None, status=200):
    charter = _charter(project)
    content = charter.governing
    transitions = lifecycle.transitions(project)
    view = lifecycle.current_step(project, content)
    rows, members, problems = _project_instances(charter, project)
    people = charter_queries.people_of_structures(charter)
    member_form = member_form or _member_form(charter, rows, people)
    decisions = decision_queries.decisions_of_project(project)
    documents = _mission_documents(content, transitions)
    step_instance = (charter_queries.instance_row(charter, view.step["instance"])
                     if view.step and "instance" in view.step else None)
    return render_template(
        "joint_projects/project.html", project=project, charter=charter, content=content,
        steps=rules.lifecycle(content), done=_transitions_by_step(transitions),
        transitions=transitions, view=view, acting=acting_choices(charter, project, view.step),
        errors=errors or {}, values=request.form if errors else {}, people=people,
        rows=rows, members=members, problems=problems, member_form=member_form,
        functions=rules.function_labels(content), decisions=decisions, rules=rules,
        documents=documents, may_conduct=may("conduct", project), confirm_form=ConfirmForm(),
        porteurs=operations.porteur_names([project.id])[project.id],
        step_decisions=decision_queries.step_decisions(project, charter, view.step),
        default_acting=_default_acting(charter, project, view.step),
        may_act_here=step_instance is None or may("decide", InstanceSeat(step_instance, project.id)),
        not_sitting=(not_sitting(
            charter, step_instance.key, project.id,
            _("lui soumettre la décision") if view.step.get("decision")
            else _("franchir cette étape"),
            recorders=_("l'animation ou la coordination") if view.step.get("decision") else None)
            if step_instance is not None else ""),
        outcome_label=rules.outcome_def, levels=rules.level_labels(content),
        reopening=_reopening(charter, project, decisions),
    ), status


def _reopening(charter: Charter, project: JointProject, decisions) -> dict | None:
    """For a caduc project: the lapse, the instance that decides its reopening and the
    reopening decision put to it, if any."""
    if project.status != "caduc":
        return None
    lapsed = next((d for d in reversed(decisions)
                   if d.outcome == "lapsed" and d.reopened_on is None), None)
    if lapsed is None:
        return None
    pending = next((d for d in decisions if d.reopens_id == lapsed.id
                    and d.outcome in ("pending", "blocked")), None)
    return {"lapsed": lapsed, "pending": pending,
            "instance": arbitration.reopening_instance(charter, lapsed)}


def _default_acting(charter: Charter, project: JointProject, step) -> str:
    """What « Vous agissez pour » proposes first: the instance of the step, the user's own
    structure at a step of each structure."""
    if step is None:
        return ""
    if "instance" in step:
        return f"instance:{step['instance']}"
    if step.get("actor") == "each_structure":
        organisations = _own_organisations(charter)
        waiting = remaining_structures(project, charter.governing, step)
        return next((f"structure:{oid}" for oid in waiting if oid in organisations), "")
    return step.get("actor", "")


def _mission_documents(content, transitions) -> list:
    """Appointment steps whose records form a document (« Fiche de mission »)."""
    result = []
    for transition in transitions:
        step = rules.step_def(content, transition.step_key)
        if step and step.get("appoints", {}).get("document") and transition.appointee_id:
            result.append((step["appoints"]["document"], transition))
    return result


def _member_form(charter: Charter, rows, people=None) -> WorkingGroupMemberForm:
    """``people``: the charter's ``people_of_structures`` when the page has them already."""
    form = WorkingGroupMemberForm()
    form.instance_key.choices = [(r.key, r.name) for r in rows]
    if people is None:
        people = charter_queries.people_of_structures(charter)
    form.person_id.choices = [(None, _("— Choisir —"))] + [
        (p.id, f"{p.full_name} ({p.organisation.name})") for p in people]
    form.function.choices = list(rules.function_labels(charter.governing).items())
    return form


@bp.route("/projects/<int:joint_project_id>")
@login_required
@needs("view")
def project(joint_project_id: int):
    return _render_project(load_project(joint_project_id))


@bp.route("/projects/<int:joint_project_id>/advance", methods=["POST"])
@login_required
@needs("contribute")
def advance(joint_project_id: int):
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
    except DomainError as error:
        return _render_project(project, errors=error.errors, status=422)
    message = _("Étape « %(step)s » enregistrée.", step=transition.step_title)
    if project.status == "clos":
        message = _("%(outcome)s : le projet commun s'arrête là.", outcome=transition.outcome_label)
    elif project.step_key is None and project.status == "lance":
        message = _("Toutes les étapes de la charte sont franchies : le projet commun est lancé.")
    elif project.step_key:
        following = rules.step_def(charter.governing, project.step_key)
        if following["key"] != transition.step_key:
            message += " " + _("Étape suivante : « %(step)s ».", step=following["title"])
    flash(message, "success")
    return redirect(url_for("joint_projects.project", joint_project_id=project.id) + "#etape")


@bp.route("/projects/<int:joint_project_id>/members", methods=["POST"])
@login_required
@needs("conduct")
def add_project_member(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    charter = _charter(project)
    rows, _members, _problems = _project_instances(charter, project)
    form = _member_form(charter, rows)
    if form.validate_on_submit():
        instance = next((r for r in rows if r.key == form.instance_key.data), None)
        try:
            if instance is None:
                raise DomainError({"instance_key": _("Choisissez une instance du projet.")})
            _member, problems = charters.add_instance_member(
                charter, instance, form.person_id.data, form.function.data,
                joint_project_id=project.id, started_on=date.today())
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Membre ajouté."), "success")
            for problem in problems:
                flash(problem, "warning")
            return redirect(url_for("joint_projects.project", joint_project_id=project.id)
                            + "#instances-projet")
    return _render_project(project, member_form=form, status=422)


@bp.route("/projects/<int:joint_project_id>/raci", methods=["POST"])
@login_required
@needs("conduct")
def project_raci(joint_project_id: int):
    project = load_project(joint_project_id)
    check(project, "conduct")
    charter = _charter(project)
    grid = raci.find_grid(g.territory.id, OWNER_TYPE, project.id)
    if grid is None:
        grid = raci.get_or_create_grid(g.territory.id, OWNER_TYPE, project.id,
                                       _("Qui fait quoi – %(title)s", title=project.title))
        for organisation_id in charter_queries.structures(charter):
            raci.add_actor(grid, organisation=db.session.get(Organisation, organisation_id))
    return redirect(url_for("raci.grid", grid_id=grid.id))


@bp.route("/project-transitions/<int:project_transition_id>/document.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def mission_document(project_transition_id: int, fmt: str):
    found = get_or_404(ProjectTransition, project_transition_id,
                       selectinload(ProjectTransition.appointee).selectinload(Person.organisation),
                       selectinload(ProjectTransition.user))
    project = load_project(found.project_id)
    charter = _charter(project)
    step = rules.step_def(charter.governing, found.step_key)
    if not step or not step.get("appoints", {}).get("document") or found.appointee is None:
        abort(404)
    document = describe_mission(project, charter.governing, step, found, g.territory)
    return send_document(document, fmt)
