"""A session's page (« Ordre du jour »: date, time, place, agenda) and its iCalendar file.

The live features (Présences · Tableau · Votes · Compte rendu) add their tabs to
``templates/sessions/_tabs.html`` through their endpoints; this module owns planning.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import joinedload

from facilitation.experiments.models import Experiment
from facilitation.sessions import operations, queries
from facilitation.sessions.exports import build_ics
from facilitation.sessions.clashes import flash_clashes
from facilitation.sessions.forms import AgendaItemForm, SessionForm
from facilitation.sessions.live.models import Cluster, Contribution
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from territorial.access import get_or_404, needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.navigation import owned_pages, page_object, shown
from territorial.common.errors import DomainError, flash_error, show_errors
from territorial.common.downloads import send_download
from territorial.common.text import slugify

bp = territory_blueprint("sessions", __name__, url_prefix="/sessions")


def _section() -> str | None:
    """The menu section of a meeting's pages (its live ones too): « Expérimentations » for
    an experiment's meeting, « Agenda » for the others."""
    meeting = page_object(Meeting, "session_id")
    if meeting is None:
        item = page_object(Contribution, "card_id") or page_object(Cluster, "card_cluster_id")
        meeting = shown(Meeting, item.session_id) if item is not None else None
    if meeting is None:
        return None
    return "experiments.index" if meeting.experiment_id else "agenda.index"


owned_pages(bp.name, _section)


def load_session(session_id: int) -> Meeting:
    """The session of the current territory with its experiment and group (one query), or
    404."""
    return get_or_404(
        Meeting, session_id,
        joinedload(Meeting.experiment), joinedload(Meeting.working_group),
    )


def _period(session: Meeting):
    experiment: Experiment | None = session.experiment
    return (experiment.start_date, experiment.end_date) if experiment is not None else None


def _item(session: Meeting, agenda_item_id: int) -> AgendaItem:
    item = get_or_404(AgendaItem, agenda_item_id)
    if item.session_id != session.id:
        abort(404)
    return item


def _render_detail(session: Meeting, item_form=None, status: int = 200):
    from facilitation.experiments.queries import interviews_for_session

    agenda = queries.agenda_of(session)
    interviews = interviews_for_session(session) if any(i.shows_interviews for i in agenda) else []
    total = sum(i.duration_minutes or 0 for i in agenda)
    return render_template(
        "sessions/detail.html", session=session, agenda=agenda, interviews=interviews,
        item_form=item_form or AgendaItemForm(formdata=None), total_minutes=total,
    ), status


@bp.route("/<int:session_id>")
@login_required
@needs("view")
def detail(session_id: int):
    return _render_detail(load_session(session_id))


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def edit(session_id: int):
    session = load_session(session_id)
    form = SessionForm(obj=session)
    form.offer_groups(session.experiment_id, session.working_group_id)
    if request.method == "GET":
        start, end = operations.to_local(session.starts_at), operations.to_local(session.ends_at)
        form.day.data, form.start_time.data, form.end_time.data = (
            start.date(), start.time().replace(tzinfo=None), end.time().replace(tzinfo=None))
        form.participation_level.data = session.participation_level or ""
        if session.experiment_id is not None:
            form.working_group_id.data = str(session.working_group_id or "")
    if form.validate_on_submit():
        values = {
            "title": form.title.data, "kind": form.kind.data, "place": form.place.data or "",
            "participation_level": form.participation_level.data or None,
            "starts_at": operations.local_datetime(form.day.data, form.start_time.data),
            "ends_at": operations.local_datetime(form.day.data, form.end_time.data),
        }
        if session.experiment_id is not None:
            values["working_group_id"] = form.group_id
        try:
            operations.update_session(session, values, _period(session))
        except DomainError as error:
            if error.status == 409:  # changed meanwhile: the current version, to change again
                flash_error(error)
                return redirect(url_for("sessions.edit", session_id=session_id))
            show_errors(form, error)
        else:
            flash(_("Séance enregistrée."), "success")
            flash_clashes(session)
            return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/form.html", session=session, form=form), (
        422 if form.errors else 200)


@bp.route("/<int:session_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete(session_id: int):
    session = load_session(session_id)
    target = (url_for("experiments.planning", experiment_id=session.experiment_id)
              if session.experiment_id else url_for("agenda.index"))
    operations.delete_session(session)
    flash(_("Séance « %(title)s » supprimée.", title=session.title), "success")
    return redirect(target)


@bp.route("/<int:session_id>/agenda", methods=["POST"])
@login_required
@needs("facilitate")
def add_item(session_id: int):
    session = load_session(session_id)
    form = AgendaItemForm()
    if not form.validate():
        return _render_detail(session, item_form=form, status=422)
    operations.add_agenda_item(session, form.title.data, form.duration_minutes.data,
                               form.notes.data or "")
    flash(_("Point ajouté à l'ordre du jour."), "success")
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor="ordre-du-jour"))


@bp.route("/<int:session_id>/agenda/<int:agenda_item_id>", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def edit_item(session_id: int, agenda_item_id: int):
    session = load_session(session_id)
    item = _item(session, agenda_item_id)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        operations.update_agenda_item(item, form.title.data, form.duration_minutes.data,
                                      form.notes.data or "")
        flash(_("Point de l'ordre du jour enregistré."), "success")
        return redirect(url_for("sessions.detail", session_id=session.id,
                                _anchor=f"point-{item.id}"))
    return render_template("sessions/item_form.html", session=session, item=item, form=form), (
        422 if form.errors else 200)


@bp.route("/<int:session_id>/agenda/<int:agenda_item_id>/move", methods=["POST"])
@login_required
@needs("facilitate")
def move_item(session_id: int, agenda_item_id: int):
    session = load_session(session_id)
    item = _item(session, agenda_item_id)
    operations.move_agenda_item(item, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor=f"point-{item.id}"))


@bp.route("/<int:session_id>/agenda/<int:agenda_item_id>/delete", methods=["POST"])
@login_required
@needs("facilitate")
def delete_item(session_id: int, agenda_item_id: int):
    session = load_session(session_id)
    operations.delete_agenda_item(_item(session, agenda_item_id))
    flash(_("Point retiré de l'ordre du jour."), "success")
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor="ordre-du-jour"))


@bp.route("/<int:session_id>/calendar.ics")
@login_required
@needs("view")
def ics(session_id: int):
    session = load_session(session_id)
    data = build_ics([session], g.territory.name,
                     lambda s: url_for("sessions.detail", session_id=s.id, _external=True),
                     {session.id: queries.agenda_of(session)})
    return send_download(data, f"seance-{slugify(session.title, 60)}.ics")


# A session under way (the facilitator's tabs) is a part of the session's pages: blueprint
# ``sessions.live``, /t/<territory>/sessions/<id>/board…
from facilitation.sessions.live.views import bp as live  # noqa: E402

bp.register_blueprint(live)
