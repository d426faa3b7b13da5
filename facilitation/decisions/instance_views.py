"""Instances of a charter: members, composition, meetings. Routes are added to the
« partnerships » blueprint of ``territorial.charters.views``."""
from __future__ import annotations

from datetime import time

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from extensions import db
from facilitation.decisions import meetings as operations
from facilitation.decisions import queries
from facilitation.decisions.forms import MeetingForm
from facilitation.joint_projects import queries as project_queries
from territorial.access import InstanceSeat, get_or_404, may, needs
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.forms import InstanceMemberForm
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from facilitation.decisions.views import bp
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm


# Instances ------------------------------------------------------------------------------------

def _member_form(charter: Charter, instance: CharterInstance) -> InstanceMemberForm:
    form = InstanceMemberForm()
    people = charter_queries.people_of_structures(charter)
    unknown_function = _("fonction non renseignée")
    form.person_id.choices = [(None, _("— Choisir —"))] + [
        (p.id, f"{p.full_name} — {p.function or unknown_function} ({p.organisation.name})")
        for p in people]
    labels = rules.function_labels(charter.governing)
    allowed = (rules.instance_def(charter.governing, instance.key) or {}).get("allowed_functions")
    form.function.choices = [(key, labels[key]) for key in (allowed or labels) if key in labels]
    return form


def _render_instance(instance: CharterInstance, member_form=None, meeting_form=None, status=200):
    charter = db.session.get(Charter, instance.charter_id)
    definition = rules.instance_def(charter.governing, instance.key) or {}
    structures = charter_queries.structures(charter)
    members = charter_queries.instance_members([instance.id])[instance.id]
    problems = charters.composition(charter, instance, members, structures)
    project_members = {}
    if instance.per_project:
        for row in charter_queries.working_group_seats(instance):
            project_members.setdefault(row.joint_project_id, []).append(row)
    projects = project_queries.projects_by_id(project_members)
    meetings = operations.meetings(instance, limit=20)
    meeting_ids = [m.id for m in meetings]
    notes = queries.notes_by_meeting(meeting_ids)
    decision_counts = queries.decision_counts_by_meeting(meeting_ids)
    decisions = queries.latest_decisions_of_instance(instance)
    proposals = [] if instance.per_project else operations.proposed_dates(charter, instance, meetings)
    return render_template(
        "decisions/instance.html", instance=instance, charter=charter, definition=definition,
        structures=structures, members=members, problems=problems,
        project_members=project_members, projects=projects,
        member_form=member_form or _member_form(charter, instance),
        meeting_form=meeting_form or MeetingForm(formdata=None, starts=time(18, 0), ends=time(20, 0)),
        meetings=meetings, notes=notes, decision_counts=decision_counts, decisions=decisions,
        proposals=proposals, functions=rules.function_labels(charter.governing), rules=rules,
        matrix=[(level, rules.matrix_cell(charter.governing, level["key"], instance.key))
                for level in charter.governing.get("decision_levels", [])],
        may_act=may("decide", InstanceSeat(instance)), confirm_form=ConfirmForm(),
    ), status


@bp.route("/instances/<int:charter_instance_id>")
@login_required
@needs("view")
def instance(charter_instance_id: int):
    return _render_instance(get_or_404(CharterInstance, charter_instance_id))


@bp.route("/instances/<int:charter_instance_id>/members", methods=["POST"])
@login_required
@needs("edit")
def add_instance_member(charter_instance_id: int):
    instance = get_or_404(CharterInstance, charter_instance_id)
    charter = db.session.get(Charter, instance.charter_id)
    form = _member_form(charter, instance)
    if form.validate_on_submit():
        try:
            member, problems = charters.add_instance_member(
                charter, instance, form.person_id.data, form.function.data,
                mandate=form.mandate.data, started_on=form.started_on.data,
                mandate_until=form.mandate_until.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("%(person)s siège désormais à l'instance « %(instance)s ».",
                    person=member.person.full_name if member.person else "",
                    instance=instance.name), "success")
            for problem in problems:
                flash(problem, "warning")
            return redirect(url_for("decisions.instance", charter_instance_id=instance.id)
                            + "#membres")
    return _render_instance(instance, member_form=form, status=422)


@bp.route("/instance-members/<int:instance_member_id>/delete", methods=["POST"])
@login_required
@needs("manage_seat")
def remove_instance_member(instance_member_id: int):
    member = get_or_404(InstanceMember, instance_member_id, need="manage_seat")
    if member.joint_project_id:
        target = url_for("joint_projects.project", joint_project_id=member.joint_project_id) \
            + "#instances-projet"
    else:
        target = url_for("decisions.instance", charter_instance_id=member.instance_id) + "#membres"
    charters.remove_instance_member(member)
    flash(_("Membre retiré de l'instance."), "success")
    return redirect(target)


@bp.route("/instances/<int:charter_instance_id>/meetings", methods=["POST"])
@login_required
@needs("facilitate")
def schedule_meeting(charter_instance_id: int):
    instance = get_or_404(CharterInstance, charter_instance_id)
    charter = db.session.get(Charter, instance.charter_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = operations.schedule_meeting(charter, instance, day=form.day.data,
                                                  starts=form.starts.data, ends=form.ends.data,
                                                  place=form.place.data or "")
        except DomainError as error:
            show_errors(form, error, default="day")
        else:
            flash(_("Réunion « %(title)s » planifiée ; elle figure dans l'agenda du territoire.",
                    title=meeting.title), "success")
            return redirect(url_for("decisions.instance", charter_instance_id=instance.id)
                            + "#reunions")
    return _render_instance(instance, meeting_form=form, status=422)
