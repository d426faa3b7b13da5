"""A working group's page: members with their organisation, composition warnings, its
sessions and its action plan; adding and removing members."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from facilitation.action_plans.queries import plan_for
from facilitation.experiments.methods import DEFAULT_METHOD, get_method
from facilitation.experiments.queries import theme_choices
from facilitation.sessions import queries as session_queries
from facilitation.working_groups import operations
from facilitation.working_groups.forms import GroupForm, MemberForm
from facilitation.working_groups.models import WorkingGroup, WorkingGroupMember
from facilitation.working_groups.rules import CompositionRules
from territorial.access import get_or_404, needs
from territorial.actors.models import Person
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, show_errors

bp = territory_blueprint("working_groups", __name__, url_prefix="/groups")


def load_group(group_id: int) -> WorkingGroup:
    """The group with its experiment, theme and facilitator (one query), then its members
    (one more) and their people with their organisations (one more, by the people's keys:
    joined to the members, PostgreSQL read every person of the deployment)."""
    return get_or_404(
        WorkingGroup, group_id,
        joinedload(WorkingGroup.experiment), joinedload(WorkingGroup.theme),
        joinedload(WorkingGroup.facilitator).joinedload(Person.organisation),
        selectinload(WorkingGroup.members).selectinload(WorkingGroupMember.person)
        .joinedload(Person.organisation),
    )


def group_trail(group: WorkingGroup) -> list[tuple[str, str]]:
    """The breadcrumbs between the section and a group's pages: its experiment and the
    experiment's groups, then the group (its experiment loaded with it)."""
    experiment = group.experiment
    trail = [(experiment.title, url_for("experiments.workspace", experiment_id=experiment.id)),
             (_("Groupes de travail"), url_for("experiments.groups", experiment_id=experiment.id))
             ] if experiment is not None else []
    return trail + [(group.title, url_for("working_groups.detail", working_group_id=group.id))]


def _rules(group: WorkingGroup) -> CompositionRules:
    key = group.experiment.method_key if group.experiment is not None else DEFAULT_METHOD
    return CompositionRules.from_method(get_method(key))


def _render(group: WorkingGroup, member_form=None, status: int = 200):
    form = member_form or MemberForm(formdata=None)
    form.person_id.exclude = {m.person_id for m in group.members}
    sessions = session_queries.sessions_of_group(group.id)
    rules = _rules(group)
    return render_template(
        "working_groups/detail.html", group=group, trail=group_trail(group)[:-1],
        members=operations.sorted_members(group), member_form=form, sessions=sessions,
        warnings=operations.warnings_for_groups([group], rules)[group.id], rules=rules,
        plan=plan_for("working_group", group.id, group.territory_id),
    ), status


@bp.route("/<int:working_group_id>")
@login_required
@needs("view")
def detail(working_group_id: int):
    return _render(load_group(working_group_id))


@bp.route("/<int:working_group_id>/members", methods=["POST"])
@login_required
@needs("edit")
def add_member(working_group_id: int):
    group = load_group(working_group_id)
    form = MemberForm()
    if form.validate():
        before = {m.person_id for m in group.members}
        try:
            operations.add_members(group, form.person_id.data)
        except DomainError as error:
            show_errors(form, error, default="person_id")
        else:
            db.session.expire(group, ["members"])
            group = load_group(group.id)
            people = {m.person_id: m.person for m in group.members}
            joined = [people[pid] for pid in form.person_id.data if pid not in before]
            flash(ngettext("%(names)s a rejoint le groupe.",
                           "%(num)d personnes ont rejoint le groupe : %(names)s.",
                           len(joined), names=", ".join(p.full_name for p in joined)),
                  "success")
            warnings = operations.warnings_for_groups([group], _rules(group))[group.id]
            for warning in warnings:
                flash(warning.message, "warning")
            return redirect(url_for("working_groups.detail", working_group_id=group.id,
                                    _anchor="membres"))
    return _render(group, member_form=form, status=422)


@bp.route("/<int:working_group_id>/members/<int:working_group_member_id>/remove",
          methods=["POST"])
@login_required
@needs("edit")
def remove_member(working_group_id: int, working_group_member_id: int):
    group = load_group(working_group_id)
    member = get_or_404(WorkingGroupMember, working_group_member_id,
                        selectinload(WorkingGroupMember.person))
    if member.working_group_id != group.id:
        abort(404)
    operations.remove_member(member)
    flash(_("%(name)s a quitté le groupe.", name=member.person.full_name), "success")
    return redirect(url_for("working_groups.detail", working_group_id=group.id,
                            _anchor="membres"))


@bp.route("/<int:working_group_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit(working_group_id: int):
    group = load_group(working_group_id)
    form = GroupForm(obj=group)
    form.theme_id.choices = (theme_choices(group.experiment_id, _("— Sans thématique —"))
                             if group.experiment_id else [(0, _("— Sans thématique —"))])
    if request.method == "GET":
        form.theme_id.data = group.theme_id or 0
        form.facilitator_person_id.data = group.facilitator_person_id or 0
    if form.validate_on_submit():
        try:
            operations.update_group(group, title=form.title.data,
                                    theme_id=form.theme_id.data or None,
                                    facilitator_person_id=form.facilitator_person_id.data or None,
                                    description=form.description.data or "")
        except DomainError as error:
            show_errors(form, error, default="facilitator_person_id")
        else:
            flash(_("Groupe enregistré."), "success")
            return redirect(url_for("working_groups.detail", working_group_id=group.id))
    return render_template("working_groups/form.html", group=group, form=form,
                           trail=group_trail(group)), (
        422 if form.errors else 200)


@bp.route("/<int:working_group_id>/archive", methods=["POST"])
@login_required
@needs("edit")
def archive(working_group_id: int):
    group = load_group(working_group_id)
    archived = group.archived_at is None
    operations.set_archived(group, archived)
    flash(_("Groupe archivé : ses séances ne figurent plus au planning.") if archived
          else _("Groupe restauré."), "success")
    return redirect(url_for("working_groups.detail", working_group_id=group.id))


# The blueprint's routes written in the other view modules of the capability.
from facilitation.working_groups import import_views  # noqa: E402,F401
