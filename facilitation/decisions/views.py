"""Decisions by consensus with their arbitration, the decision register and the information
notes drafted after the instances' meetings.

Who may record a decision of an instance: a member of that instance whose account is linked to
the person (``Person.user_id``), or a facilitator / coordinator recording it from the minutes;
the page names the members to anyone else. Blueprint ``decisions``, under ``/partnerships``
like the charters and the joint projects; instances and their meetings are in
``instance_views``, the decisions that settle a lifecycle step in ``step_views``.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from territorial.common.dates import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from facilitation.decisions import arbitration, meetings, operations, queries
from facilitation.decisions.forms import DecisionForm, NoteForm
from facilitation.decisions.models import OUTCOMES, POSITIONS, Decision, InformationNote
from facilitation.joint_projects import queries as project_queries
from facilitation.joint_projects.acting import not_sitting
from facilitation.joint_projects.models import JointProject
from facilitation.sessions.models import Meeting
from territorial.access import InstanceSeat, can, check, get_or_404, may, needs
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, flash_error, refuse, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.common.panels import NOW, SUBJECT_ID, TODAY, Panel, home_panels
from territorial.documents.web import send_document
from facilitation.decisions.documents import describe_note

bp = territory_blueprint("decisions", __name__, url_prefix="/partnerships")


def who_may_act(charter: Charter, instance: CharterInstance, joint_project_id: int | None,
                action: str | None = None) -> str:
    """For someone who does not sit in the instance: who records its decisions."""
    return not_sitting(charter, instance.key, joint_project_id,
                                 action or _("enregistrer les positions et conclure"),
                                 recorders=_("l'animation ou la coordination"))


# Decisions ------------------------------------------------------------------------------------

def _decision_form(charter: Charter) -> DecisionForm:
    form = DecisionForm()
    instances = charter_queries.active_instances_of(charter)
    form.instance_id.choices = [(None, _("— Choisir —"))] + [(i.id, i.name) for i in instances]
    form.level.choices = list(rules.level_labels(charter.governing).items())
    projects = project_queries.projects_of_charter(charter)
    form.joint_project_id.choices = [(None, _("— Aucun —"))] + [(p.id, p.title) for p in projects]
    sessions = queries.instance_meetings(g.territory.id)
    form.session_id.choices = [(None, _("— Aucune —"))] + [
        (m.id, f"{m.title}") for m in sessions]
    return form


@bp.route("/charters/<int:charter_id>/decisions/new", methods=["GET", "POST"])
@login_required
@needs("contribute")
def new_decision(charter_id: int):
    charter = get_or_404(Charter, charter_id)
    form = _decision_form(charter)
    del form.step_outcome
    if request.method == "GET":
        form.instance_id.data = request.args.get("instance", type=int)
        form.joint_project_id.data = request.args.get("project", type=int)
        form.session_id.data = request.args.get("session", type=int)
        form.decided_on.data = date.today()
    if request.method == "POST" and form.validate():
        instance = db.session.get(CharterInstance, form.instance_id.data) \
            if form.instance_id.data else None
        if instance is not None:
            check(InstanceSeat(instance, form.joint_project_id.data), "decide")
        project = db.session.get(JointProject, form.joint_project_id.data) \
            if form.joint_project_id.data else None
        session = db.session.get(Meeting, form.session_id.data) if form.session_id.data else None
        try:
            decision = operations.create_decision(
                charter, instance, level=form.level.data, statement=form.statement.data or "",
                joint_project=project, session=session, reflection=form.reflection.data or "",
                decided_on=form.decided_on.data, review_on=form.review_on.data, user=current_user)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Décision enregistrée : recueillez maintenant la position de chaque membre."),
                  "success")
            return redirect(url_for("decisions.decision", decision_id=decision.id))
    return render_template("decisions/decision_form.html", charter=charter, form=form,
                           decision=None), 422 if request.method == "POST" else 200


def _load_decision(decision_id: int) -> Decision:
    """The decision with what it belongs to (its charter, instance, joint project and
    meeting: one each) in one query."""
    return get_or_404(Decision, decision_id, joinedload(Decision.charter),
                      joinedload(Decision.instance), joinedload(Decision.joint_project),
                      joinedload(Decision.session))


def _render_decision(decision: Decision, errors=None, status=200):
    charter = db.session.get(Charter, decision.charter_id)
    content = charter.governing
    members = operations.body_members(decision)
    positions = {p.person_id: p for p in operations.positions_of(decision)}
    outsiders = [p for pid, p in positions.items() if pid not in {m.person_id for m in members}]
    chain = arbitration.chain(decision)
    may_act = may("decide", _seat(decision))
    reopening = arbitration.reopening_instance(charter, decision)
    pending_reopening = arbitration.pending_reopening(decision) if reopening else None
    may_reopen = reopening is not None and decision.reopened_on is None \
        and pending_reopening is None \
        and may("decide", InstanceSeat(reopening, decision.joint_project_id))
    step = rules.step_def(content, decision.step_key) if decision.step_key else None
    return render_template(
        "decisions/decision.html", decision=decision, charter=charter, members=members,
        positions=positions, outsiders=outsiders, position_labels={key: str(label) for key, label in POSITIONS.items()},
        warning=operations.matrix_warning(charter, decision),
        cell=(rules.arbitrating_cell(content, decision.instance.key, decision.level)
              if decision.escalated_from_id else None)
        or rules.matrix_cell(content, decision.level, decision.instance.key),
        levels=rules.level_labels(content), process=content.get("decision_process", {}),
        entry=arbitration.arbitration_entry(charter, decision), chain=chain if len(chain) > 1 else [],
        errors=errors or {}, values=request.form if errors else {}, may_act=may_act,
        who_may_act=None if may_act else who_may_act(charter, decision.instance,
                                                     decision.joint_project_id),
        reopening=reopening, may_reopen=may_reopen, pending_reopening=pending_reopening,
        reopened_by=arbitration.reopened_by(decision) if decision.reopened_on else None,
        reopens=db.session.get(Decision, decision.reopens_id) if decision.reopens_id else None,
        reopen_refusal=who_may_act(charter, reopening, decision.joint_project_id, _("la rouvrir"))
        if reopening is not None and not may_reopen else "",
        step=step, step_outcome=rules.outcome_def(step or {}, decision.step_outcome),
        confirm_form=ConfirmForm(), role_labels=rules.MATRIX_ROLES, rules=rules,
        missing=operations.missing_positions(decision) if decision.outcome == "pending" else [],
    ), status


@bp.route("/decisions/<int:decision_id>")
@login_required
@needs("view")
def decision(decision_id: int):
    return _render_decision(_load_decision(decision_id))


def _seat(decision: Decision) -> InstanceSeat:
    """Where the decision is taken: its instance, for its joint project if any."""
    return InstanceSeat(decision.instance, decision.joint_project_id)


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@login_required
@needs("decide")
def edit_decision(decision_id: int):
    decision = _load_decision(decision_id)
    check(_seat(decision), "decide")
    try:
        operations.ensure_open(decision)
    except DomainError as error:
        return refuse(error, url_for("decisions.decision", decision_id=decision.id))
    charter = db.session.get(Charter, decision.charter_id)
    form = _decision_form(charter)
    step = rules.step_def(charter.governing, decision.step_key) if decision.step_key else None
    if step:
        form.step_outcome.choices = [(o["key"], o["label"]) for o in step.get("outcomes", [])]
    else:
        del form.step_outcome
    if request.method == "GET":
        form.process(obj=decision)
    if request.method == "POST" and form.validate():
        try:
            operations.update_decision(
                decision, charter, statement=form.statement.data or "", level=form.level.data,
                reflection=form.reflection.data, decided_on=form.decided_on.data,
                review_on=form.review_on.data, session_id=form.session_id.data,
                step_outcome=form.step_outcome.data if step else None)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Décision modifiée."), "success")
            return redirect(url_for("decisions.decision", decision_id=decision.id))
    return render_template("decisions/decision_form.html", charter=charter, form=form,
                           decision=decision), 422 if request.method == "POST" else 200


@bp.route("/decisions/<int:decision_id>/positions", methods=["POST"])
@login_required
@needs("decide")
def record_positions(decision_id: int):
    decision = _load_decision(decision_id)
    check(_seat(decision), "decide")
    members = operations.body_members(decision)
    existing = {p.person_id for p in operations.positions_of(decision)}
    person_ids = {m.person_id for m in members} | existing
    positions = {pid: (request.form.get(f"position_{pid}", ""),
                       request.form.get(f"comment_{pid}", "")) for pid in person_ids}
    try:
        warnings = operations.record_positions(
            decision, positions, objections_heard=request.form.get("objections_heard", ""),
            round_table=request.form.get("round_table", ""), meaning=request.form.get("meaning", ""),
            user=current_user)
    except DomainError as error:
        return _render_decision(decision, errors=error.errors, status=error.status)
    flash(_("Positions enregistrées."), "success")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(url_for("decisions.decision", decision_id=decision.id) + "#tour-de-table")


@bp.route("/decisions/<int:decision_id>/conclude", methods=["POST"])
@login_required
@needs("decide")
def conclude(decision_id: int):
    decision = _load_decision(decision_id)
    check(_seat(decision), "decide")
    try:
        outcome = operations.conclude(decision, user=current_user)
    except DomainError as error:
        return _render_decision(decision, errors=error.errors, status=error.status)
    if outcome == "consensus":
        flash(_("Consensus : la décision est prise. Formalisez-la dans le compte rendu."), "success")
        first = (operations.ancestors(decision) or [decision])[-1]
        if first.step_key and decision.joint_project:
            flash(_("L'étape du projet commun « %(project)s » est enregistrée avec cette décision.",
                    project=decision.joint_project.title), "success")
    else:
        flash(_("Une objection au moins demeure : la décision est bloquée. Reprenez la discussion "
                "ou appliquez l'arbitrage prévu par la charte."), "warning")
    return redirect(url_for("decisions.decision", decision_id=decision.id))


@bp.route("/decisions/<int:decision_id>/reopen", methods=["POST"])
@login_required
@needs("decide")
def reopen(decision_id: int):
    decision = _load_decision(decision_id)
    check(_seat(decision), "decide")
    try:
        operations.reopen(decision)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("La discussion reprend : les objections sont à nouveau écoutées."), "success")
    return redirect(url_for("decisions.decision", decision_id=decision.id))


@bp.route("/decisions/<int:decision_id>/escalate", methods=["POST"])
@login_required
@needs("decide")
def escalate(decision_id: int):
    decision = _load_decision(decision_id)
    check(_seat(decision), "decide")
    charter = db.session.get(Charter, decision.charter_id)
    try:
        result = arbitration.escalate(decision, charter, current_user)
    except DomainError as error:
        return _render_decision(decision, errors=error.errors, status=422)
    flash(result.message, "success" if result.kind == "escalate" else "warning")
    target = result.decision or decision
    return redirect(url_for("decisions.decision", decision_id=target.id))


@bp.route("/decisions/<int:decision_id>/reopen-lapse", methods=["POST"])
@login_required
@needs("decide")
def reopen_lapsed(decision_id: int):
    """The instance the charter names reopens a joint project its arbitration made caduc."""
    decision = _load_decision(decision_id)
    charter = db.session.get(Charter, decision.charter_id)
    instance = arbitration.reopening_instance(charter, decision)
    check(InstanceSeat(instance or decision.instance, decision.joint_project_id), "decide")
    try:
        child = arbitration.reopen_lapsed(decision, charter, current_user,
                                          request.form.get("reason", ""))
    except DomainError as error:
        return _render_decision(decision, errors=error.errors, status=422)
    flash(_("Réouverture soumise à l'instance « %(instance)s » : chacun de ses membres se "
            "prononce ; le projet commun reprend si elle est décidée au consensus.",
            instance=instance.name), "success")
    return redirect(url_for("decisions.decision", decision_id=child.id))


@bp.route("/decisions")
@login_required
@needs("view")
def decisions():
    filters = {
        "charter": request.args.get("charter", type=int), "instance": request.args.get("instance", ""),
        "level": request.args.get("level", ""), "outcome": request.args.get("outcome", ""),
        "project": request.args.get("project", type=int), "review": request.args.get("review", ""),
        "q": request.args.get("q", "").strip(),
    }
    page = paginate(queries.register_query(g.territory.id, filters))
    charters_ = charter_queries.charters_of(g.territory.id)
    instances, levels = {}, {}
    for charter in charters_:
        for item in charter.governing.get("instances", []):
            instances.setdefault(item["key"], item["name"])
        levels.update(rules.level_labels(charter.governing))
    projects = project_queries.project_titles(g.territory.id)
    args = {k: v for k, v in filters.items() if v}
    return render_template("decisions/decisions.html", page=page, filters=filters,
                           charters=charters_, instances=instances, levels=levels,
                           outcomes=OUTCOMES, projects=projects, args=args, today=date.today())


# Information notes ------------------------------------------------------------------------------

@bp.route("/meetings/<int:session_id>/note", methods=["POST"])
@login_required
@needs("facilitate")
def draft_note(session_id: int):
    session = get_or_404(Meeting, session_id)
    instance = meetings.instance_of_session(session)
    if instance is None or instance.territory_id != g.territory.id:
        abort(404)
    charter = db.session.get(Charter, instance.charter_id)
    try:
        note = meetings.draft_note(charter, session, current_user)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("decisions.instance", charter_instance_id=instance.id))
    flash(_("Note d'information rédigée à partir des décisions : relisez-la avant de la diffuser."),
          "success")
    return redirect(url_for("decisions.note", information_note_id=note.id))


@bp.route("/notes/<int:information_note_id>", methods=["GET", "POST"])
@login_required
@needs("view", post="facilitate")
def note(information_note_id: int):
    note = get_or_404(InformationNote, information_note_id, selectinload(InformationNote.session),
                      selectinload(InformationNote.instance).joinedload(CharterInstance.charter))
    form = NoteForm(obj=note)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                meetings.update_note(note, title=form.title.data, recipients=form.recipients.data,
                                       body=form.body.data, sent_on=form.sent_on.data)
            except DomainError as error:
                show_errors(form, error)
            else:
                flash(_("Note d'information enregistrée."), "success")
                return redirect(url_for("decisions.note", information_note_id=note.id))
    return render_template("decisions/note.html", note=note, form=form,
                           editable=can("facilitate")), 422 if form.errors else 200


@bp.route("/notes/<int:information_note_id>/note.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def note_document(information_note_id: int, fmt: str):
    note = get_or_404(InformationNote, information_note_id)
    return send_document(describe_note(note, g.territory), fmt)


# Panels -----------------------------------------------------------------------------------------

def _anything_to_review():
    return or_(queries.any_to_review_or_blocked(SUBJECT_ID, TODAY),
               meetings.any_note_to_draft(SUBJECT_ID, NOW))


@home_panels.register(shown_if=_anything_to_review)
def _decisions_to_review(territory) -> Panel | None:
    rows = queries.decisions_due_for_review(territory.id)
    blocked = queries.blocked_decisions(territory.id)
    notes = meetings.notes_to_draft(territory.id)
    if not rows and not blocked and not notes:
        return None
    items = [(_("À réexaminer depuis le %(date)s : %(statement)s", date=format_date(day, "short"),
                statement=statement[:90]),
              url_for("decisions.decision", territory=territory.slug, decision_id=did))
             for did, statement, day in rows]
    items += [(_("Décision bloquée : %(statement)s", statement=statement[:90]),
               url_for("decisions.decision", territory=territory.slug, decision_id=did))
              for did, statement in blocked]
    items += [(_("Note d'information à rédiger : %(title)s", title=meeting.title),
               url_for("decisions.instance", territory=territory.slug,
                       charter_instance_id=meeting.body_id) + "#reunions")
              for meeting in notes]
    return Panel(_("Décisions du partenariat"), items,
                 more_url=url_for("decisions.decisions", territory=territory.slug), order=42)


# The blueprint's routes written in the other view modules of the capability.
from facilitation.decisions import instance_views, step_views  # noqa: E402,F401
