"""Instances of a charter (members, composition, meetings), decisions by consensus with their
arbitration, the decision register and the information notes.

Who may record a decision of an instance: a member of that instance whose account is linked to
the person (``Person.user_id``), or a facilitator / coordinator recording it from the minutes.
Routes are added to the « partnerships » blueprint of ``territorial.charters.views``.
"""
from __future__ import annotations

from datetime import date, time

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions import operations
from facilitation.decisions.forms import DecisionForm, MeetingForm, NoteForm
from facilitation.decisions.models import OUTCOMES, POSITIONS, Decision, InformationNote
from facilitation.joint_projects.models import JointProject
from facilitation.sessions.models import Session as MeetingSession
from facilitation.sessions.operations import SessionDateError
from territorial.access import can, get_or_404, require
from territorial.charters import operations as charters
from territorial.charters import rules
from territorial.charters.forms import InstanceMemberForm
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from territorial.charters.views import _apply_errors, bp
from territorial.documents.web import send_document
from facilitation.decisions.documents import describe_note
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.common.panels import Panel, home_panels
from territorial.common.text import slugify


def may_act_for(instance: CharterInstance, joint_project_id: int | None = None) -> bool:
    if can("facilitate"):
        return True
    if not can("contribute"):
        return False
    return bool(charters.members_for_user(instance, current_user, joint_project_id))


# Instances ------------------------------------------------------------------------------------

def _member_form(charter: Charter, instance: CharterInstance) -> InstanceMemberForm:
    form = InstanceMemberForm()
    people = charters.people_of_structures(charter)
    form.person_id.choices = [(None, _("— Choisir —"))] + [
        (p.id, f"{p.full_name} — {p.function or _('fonction non renseignée')} "
               f"({p.organisation.name})") for p in people]
    labels = rules.function_labels(charter.content)
    allowed = (rules.instance_def(charter.content, instance.key) or {}).get("allowed_functions")
    form.function.choices = [(key, labels[key]) for key in (allowed or labels) if key in labels]
    return form


def _render_instance(instance: CharterInstance, member_form=None, meeting_form=None, status=200):
    charter = db.session.get(Charter, instance.charter_id)
    definition = rules.instance_def(charter.content, instance.key) or {}
    structures = charters.structures(charter)
    members = charters.instance_members([instance.id])[instance.id]
    problems = charters.composition(charter, instance, members, structures)
    project_members = {}
    if instance.per_project:
        rows = db.session.scalars(
            select(InstanceMember).where(InstanceMember.instance_id == instance.id,
                                         InstanceMember.joint_project_id.is_not(None))
            .options(selectinload(InstanceMember.person), selectinload(InstanceMember.organisation))
            .order_by(InstanceMember.joint_project_id, InstanceMember.id)).all()
        for row in rows:
            project_members.setdefault(row.joint_project_id, []).append(row)
    projects = {p.id: p for p in db.session.scalars(select(JointProject).where(
        JointProject.id.in_(list(project_members) or [0])))}
    meetings = operations.meetings(instance, limit=20)
    notes = {n.session_id: n for n in db.session.scalars(select(InformationNote).where(
        InformationNote.session_id.in_([m.id for m in meetings] or [0])))}
    decision_counts = dict(db.session.execute(
        select(Decision.session_id, func.count()).where(
            Decision.session_id.in_([m.id for m in meetings] or [0])).group_by(Decision.session_id)
    ).all())
    decisions = db.session.scalars(
        select(Decision).where(Decision.instance_id == instance.id)
        .options(selectinload(Decision.joint_project))
        .order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc()).limit(10)).all()
    proposals = [] if instance.per_project else operations.proposed_dates(charter, instance, meetings)
    return render_template(
        "partnerships/instance.html", instance=instance, charter=charter, definition=definition,
        structures=structures, members=members, problems=problems,
        project_members=project_members, projects=projects,
        member_form=member_form or _member_form(charter, instance),
        meeting_form=meeting_form or MeetingForm(formdata=None, starts=time(18, 0), ends=time(20, 0)),
        meetings=meetings, notes=notes, decision_counts=decision_counts, decisions=decisions,
        proposals=proposals, functions=rules.function_labels(charter.content), rules=rules,
        matrix=[(level, rules.matrix_cell(charter.content, level["key"], instance.key))
                for level in charter.content.get("decision_levels", [])],
        may_act=may_act_for(instance), confirm_form=ConfirmForm(),
    ), status


@bp.route("/instances/<int:charter_instance_id>")
@login_required
def instance(charter_instance_id: int):
    return _render_instance(get_or_404(CharterInstance, charter_instance_id))


@bp.route("/instances/<int:charter_instance_id>/members", methods=["POST"])
@login_required
def add_instance_member(charter_instance_id: int):
    require("edit")
    instance = get_or_404(CharterInstance, charter_instance_id)
    charter = db.session.get(Charter, instance.charter_id)
    form = _member_form(charter, instance)
    if form.validate_on_submit():
        try:
            member, problems = charters.add_instance_member(
                charter, instance, form.person_id.data, form.function.data,
                mandate=form.mandate.data, started_on=form.started_on.data,
                mandate_until=form.mandate_until.data)
        except charters.CharterError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("%(person)s siège désormais à l'instance « %(instance)s ».",
                    person=member.person.full_name if member.person else "",
                    instance=instance.name), "success")
            for problem in problems:
                flash(problem, "warning")
            return redirect(url_for("partnerships.instance", charter_instance_id=instance.id)
                            + "#membres")
    return _render_instance(instance, member_form=form, status=422)


@bp.route("/instance-members/<int:instance_member_id>/delete", methods=["POST"])
@login_required
def remove_instance_member(instance_member_id: int):
    member = get_or_404(InstanceMember, instance_member_id)
    if member.joint_project_id:
        from facilitation.joint_projects.views import require_conduct

        project = get_or_404(JointProject, member.joint_project_id)
        require_conduct(project)
        target = url_for("partnerships.project", joint_project_id=project.id) + "#instances-projet"
    else:
        require("edit")
        target = url_for("partnerships.instance", charter_instance_id=member.instance_id) + "#membres"
    charters.remove_instance_member(member)
    flash(_("Membre retiré de l'instance."), "success")
    return redirect(target)


@bp.route("/instances/<int:charter_instance_id>/meetings", methods=["POST"])
@login_required
def schedule_meeting(charter_instance_id: int):
    require("facilitate")
    instance = get_or_404(CharterInstance, charter_instance_id)
    charter = db.session.get(Charter, instance.charter_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = operations.schedule_meeting(charter, instance, day=form.day.data,
                                                  starts=form.starts.data, ends=form.ends.data,
                                                  place=form.place.data or "")
        except (SessionDateError, operations.DecisionError) as error:
            form.day.errors = [*form.day.errors, str(error)]
        else:
            flash(_("Réunion « %(title)s » planifiée ; elle figure dans l'agenda du territoire.",
                    title=meeting.title), "success")
            return redirect(url_for("partnerships.instance", charter_instance_id=instance.id)
                            + "#reunions")
    return _render_instance(instance, meeting_form=form, status=422)


# Decisions ------------------------------------------------------------------------------------

def _decision_form(charter: Charter) -> DecisionForm:
    form = DecisionForm()
    instances = db.session.scalars(select(CharterInstance).where(
        CharterInstance.charter_id == charter.id, CharterInstance.retired.is_(False))
        .order_by(CharterInstance.position)).all()
    form.instance_id.choices = [(None, _("— Choisir —"))] + [(i.id, i.name) for i in instances]
    form.level.choices = list(rules.level_labels(charter.content).items())
    projects = db.session.scalars(select(JointProject).where(
        JointProject.charter_id == charter.id).order_by(JointProject.title)).all()
    form.joint_project_id.choices = [(None, _("— Aucun —"))] + [(p.id, p.title) for p in projects]
    meetings = db.session.scalars(
        select(MeetingSession).where(MeetingSession.territory_id == g.territory.id,
                                     MeetingSession.body_type == operations.BODY_TYPE)
        .order_by(MeetingSession.starts_at.desc()).limit(50)).all()
    form.session_id.choices = [(None, _("— Aucune —"))] + [
        (m.id, f"{m.title}") for m in meetings]
    return form


@bp.route("/charters/<int:charter_id>/decisions/new", methods=["GET", "POST"])
@login_required
def new_decision(charter_id: int):
    require("contribute")
    charter = get_or_404(Charter, charter_id)
    form = _decision_form(charter)
    if request.method == "GET":
        form.instance_id.data = request.args.get("instance", type=int)
        form.joint_project_id.data = request.args.get("project", type=int)
        form.session_id.data = request.args.get("session", type=int)
        form.decided_on.data = date.today()
    if request.method == "POST" and form.validate():
        instance = db.session.get(CharterInstance, form.instance_id.data) \
            if form.instance_id.data else None
        if instance is not None and not may_act_for(instance, form.joint_project_id.data):
            abort(403)
        project = db.session.get(JointProject, form.joint_project_id.data) \
            if form.joint_project_id.data else None
        session = db.session.get(MeetingSession, form.session_id.data) if form.session_id.data else None
        try:
            decision = operations.create_decision(
                charter, instance, level=form.level.data, statement=form.statement.data or "",
                joint_project=project, session=session, reflection=form.reflection.data or "",
                decided_on=form.decided_on.data, review_on=form.review_on.data, user=current_user)
        except operations.DecisionError as error:
            _apply_errors(form, error.errors)
        else:
            warning = operations.matrix_warning(charter, decision)
            flash(_("Décision enregistrée : recueillez maintenant la position de chaque membre."),
                  "success")
            if warning:
                flash(warning, "warning")
            return redirect(url_for("partnerships.decision", decision_id=decision.id))
    return render_template("partnerships/decision_form.html", charter=charter, form=form,
                           decision=None), 422 if request.method == "POST" else 200


def _load_decision(decision_id: int) -> Decision:
    return get_or_404(Decision, decision_id, selectinload(Decision.instance),
                      selectinload(Decision.joint_project), selectinload(Decision.session))


def _render_decision(decision: Decision, errors=None, status=200):
    charter = db.session.get(Charter, decision.charter_id)
    members = operations.body_members(decision)
    positions = {p.person_id: p for p in operations.positions_of(decision)}
    outsiders = [p for pid, p in positions.items() if pid not in {m.person_id for m in members}]
    entry = operations.arbitration_entry(charter, decision)
    chain = operations.chain(decision)
    return render_template(
        "partnerships/decision.html", decision=decision, charter=charter, members=members,
        positions=positions, outsiders=outsiders, position_labels=POSITIONS,
        warning=operations.matrix_warning(charter, decision),
        cell=rules.matrix_cell(charter.content, decision.level, decision.instance.key),
        levels=rules.level_labels(charter.content), process=charter.content.get("decision_process", {}),
        entry=entry, chain=chain if len(chain) > 1 else [], errors=errors or {},
        values=request.form if errors else {}, may_act=may_act_for(decision.instance,
                                                                    decision.joint_project_id),
        confirm_form=ConfirmForm(), role_labels=rules.MATRIX_ROLES,
    ), status


@bp.route("/decisions/<int:decision_id>")
@login_required
def decision(decision_id: int):
    return _render_decision(_load_decision(decision_id))


def _require_act(decision: Decision) -> None:
    require("contribute")
    if not may_act_for(decision.instance, decision.joint_project_id):
        abort(403)


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@login_required
def edit_decision(decision_id: int):
    decision = _load_decision(decision_id)
    _require_act(decision)
    charter = db.session.get(Charter, decision.charter_id)
    form = _decision_form(charter)
    if request.method == "GET":
        form.process(obj=decision)
    if request.method == "POST" and form.validate():
        try:
            operations.update_decision(
                decision, charter, statement=form.statement.data or "", level=form.level.data,
                reflection=form.reflection.data, decided_on=form.decided_on.data,
                review_on=form.review_on.data, session_id=form.session_id.data)
        except operations.DecisionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Décision modifiée."), "success")
            return redirect(url_for("partnerships.decision", decision_id=decision.id))
    return render_template("partnerships/decision_form.html", charter=charter, form=form,
                           decision=decision), 422 if request.method == "POST" else 200


@bp.route("/decisions/<int:decision_id>/positions", methods=["POST"])
@login_required
def record_positions(decision_id: int):
    decision = _load_decision(decision_id)
    _require_act(decision)
    members = operations.body_members(decision)
    existing = {p.person_id for p in operations.positions_of(decision)}
    person_ids = {m.person_id for m in members} | existing
    positions = {pid: (request.form.get(f"position_{pid}", ""),
                       request.form.get(f"comment_{pid}", "")) for pid in person_ids}
    try:
        warnings = operations.record_positions(
            decision, positions, objections_heard=request.form.get("objections_heard", ""),
            round_table=request.form.get("round_table", ""), meaning=request.form.get("meaning", ""))
    except operations.DecisionError as error:
        return _render_decision(decision, errors=error.errors, status=422)
    flash(_("Positions enregistrées."), "success")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(url_for("partnerships.decision", decision_id=decision.id) + "#tour-de-table")


@bp.route("/decisions/<int:decision_id>/conclude", methods=["POST"])
@login_required
def conclude(decision_id: int):
    decision = _load_decision(decision_id)
    _require_act(decision)
    try:
        outcome = operations.conclude(decision)
    except operations.DecisionError as error:
        return _render_decision(decision, errors=error.errors, status=422)
    if outcome == "consensus":
        flash(_("Consensus : la décision est prise. Formalisez-la dans le compte rendu."), "success")
    else:
        flash(_("Une objection au moins demeure : la décision est bloquée. Reprenez la discussion "
                "ou appliquez l'arbitrage prévu par la charte."), "warning")
    return redirect(url_for("partnerships.decision", decision_id=decision.id))


@bp.route("/decisions/<int:decision_id>/reopen", methods=["POST"])
@login_required
def reopen(decision_id: int):
    decision = _load_decision(decision_id)
    _require_act(decision)
    try:
        operations.reopen(decision)
    except operations.DecisionError as error:
        flash(" ".join(error.errors.values()), "error")
    else:
        flash(_("La discussion reprend : les objections sont à nouveau écoutées."), "success")
    return redirect(url_for("partnerships.decision", decision_id=decision.id))


@bp.route("/decisions/<int:decision_id>/escalate", methods=["POST"])
@login_required
def escalate(decision_id: int):
    decision = _load_decision(decision_id)
    _require_act(decision)
    charter = db.session.get(Charter, decision.charter_id)
    try:
        result = operations.escalate(decision, charter, current_user)
    except operations.DecisionError as error:
        return _render_decision(decision, errors=error.errors, status=422)
    flash(result.message, "success" if result.kind == "escalate" else "warning")
    target = result.decision or decision
    return redirect(url_for("partnerships.decision", decision_id=target.id))


@bp.route("/decisions")
@login_required
def decisions():
    filters = {
        "charter": request.args.get("charter", type=int), "instance": request.args.get("instance", ""),
        "level": request.args.get("level", ""), "outcome": request.args.get("outcome", ""),
        "project": request.args.get("project", type=int), "review": request.args.get("review", ""),
        "q": request.args.get("q", "").strip(),
    }
    page = paginate(operations.register_query(g.territory.id, filters))
    charters_ = charters.charters_of(g.territory.id)
    instances, levels = {}, {}
    for charter in charters_:
        for item in charter.content.get("instances", []):
            instances.setdefault(item["key"], item["name"])
        levels.update(rules.level_labels(charter.content))
    projects = db.session.execute(select(JointProject.id, JointProject.title).where(
        JointProject.territory_id == g.territory.id).order_by(JointProject.title)).all()
    args = {k: v for k, v in filters.items() if v}
    return render_template("partnerships/decisions.html", page=page, filters=filters,
                           charters=charters_, instances=instances, levels=levels,
                           outcomes=OUTCOMES, projects=projects, args=args, today=date.today())


# Information notes ------------------------------------------------------------------------------

@bp.route("/meetings/<int:session_id>/note", methods=["POST"])
@login_required
def draft_note(session_id: int):
    require("facilitate")
    session = get_or_404(MeetingSession, session_id)
    instance = operations.instance_of_session(session)
    if instance is None or instance.territory_id != g.territory.id:
        abort(404)
    charter = db.session.get(Charter, instance.charter_id)
    try:
        note = operations.draft_note(charter, session, current_user)
    except operations.DecisionError as error:
        flash(" ".join(error.errors.values()), "error")
        return redirect(url_for("partnerships.instance", charter_instance_id=instance.id))
    flash(_("Note d'information rédigée à partir des décisions : relisez-la avant de la diffuser."),
          "success")
    return redirect(url_for("partnerships.note", information_note_id=note.id))


@bp.route("/notes/<int:information_note_id>", methods=["GET", "POST"])
@login_required
def note(information_note_id: int):
    note = get_or_404(InformationNote, information_note_id, selectinload(InformationNote.session),
                      selectinload(InformationNote.instance))
    form = NoteForm(obj=note)
    if request.method == "POST":
        require("facilitate")
        if form.validate_on_submit():
            try:
                operations.update_note(note, title=form.title.data, recipients=form.recipients.data,
                                       body=form.body.data, sent_on=form.sent_on.data)
            except operations.DecisionError as error:
                _apply_errors(form, error.errors)
            else:
                flash(_("Note d'information enregistrée."), "success")
                return redirect(url_for("partnerships.note", information_note_id=note.id))
    return render_template("partnerships/note.html", note=note, form=form,
                           editable=can("facilitate")), 422 if form.errors else 200


@bp.route("/notes/<int:information_note_id>/note.<any(docx, odt, pdf):fmt>")
@login_required
def note_document(information_note_id: int, fmt: str):
    note = get_or_404(InformationNote, information_note_id)
    return send_document(describe_note(note, g.territory), fmt, slugify(note.title))


# Panels -----------------------------------------------------------------------------------------

@home_panels.register
def _decisions_to_review(territory) -> Panel | None:
    rows = db.session.execute(
        select(Decision.id, Decision.statement, Decision.review_on)
        .where(Decision.territory_id == territory.id, Decision.review_on.is_not(None),
               Decision.review_on <= date.today())
        .order_by(Decision.review_on).limit(5)).all()
    blocked = db.session.execute(
        select(Decision.id, Decision.statement)
        .where(Decision.territory_id == territory.id, Decision.outcome == "blocked")
        .order_by(Decision.id.desc()).limit(5)).all()
    notes = operations.notes_to_draft(territory.id)
    if not rows and not blocked and not notes:
        return None
    items = [(_("À réexaminer depuis le %(date)s : %(statement)s", date=format_date(day, "short"),
                statement=statement[:90]),
              url_for("partnerships.decision", territory=territory.slug, decision_id=did))
             for did, statement, day in rows]
    items += [(_("Décision bloquée : %(statement)s", statement=statement[:90]),
               url_for("partnerships.decision", territory=territory.slug, decision_id=did))
              for did, statement in blocked]
    items += [(_("Note d'information à rédiger : %(title)s", title=meeting.title),
               url_for("partnerships.instance", territory=territory.slug,
                       charter_instance_id=meeting.body_id) + "#reunions")
              for meeting in notes]
    return Panel(_("Décisions du partenariat"), items,
                 more_url=url_for("partnerships.decisions", territory=territory.slug), order=42)
